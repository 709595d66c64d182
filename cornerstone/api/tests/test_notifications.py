"""Notifications through the API: the caller's own only."""

import pytest

from cornerstone.accounts.queries import notifications_unread_count
from cornerstone.core.notifications import notification_send

pytestmark = pytest.mark.django_db


def test_the_api_lists_and_marks_only_the_callers_notifications(api_as, cast):
    notification_send(users=[cast.owner], title="A")
    notification_send(users=[cast.xiaodian_admin], title="B")
    body = api_as(cast.owner).get("/notifications?unread=true").json()
    assert body["count"] == 1 and body["results"][0]["title"] == "A"
    assert api_as(cast.owner).post("/notifications/read", {}).json() == {"marked": 1}
    assert notifications_unread_count(actor=cast.xiaodian_admin) == 1

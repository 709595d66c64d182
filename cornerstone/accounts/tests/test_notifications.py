"""In-app notifications: sent with an email on commit, read only by their recipient."""

import pytest
from django.core import mail
from django.urls import reverse

from cornerstone.accounts.queries import notifications_of, notifications_unread_count
from cornerstone.accounts.services import notifications_mark_read
from cornerstone.core.models import Notification
from cornerstone.core.notifications import notification_send

pytestmark = pytest.mark.django_db


def test_sending_writes_one_row_per_recipient_and_emails_on_commit(
    cast, django_capture_on_commit_callbacks
):
    cast.owner.email = "owner@example.cn"
    cast.owner.save()
    with django_capture_on_commit_callbacks(execute=True):
        sent = notification_send(
            users=[cast.owner, cast.owner, cast.xiaodian_admin],
            title="11月进度报告请于25日前提交",
            body="还有 2 天截止。",
            url="/progress/",
        )
    assert sent == 2  # the duplicate recipient gets one message
    assert Notification.objects.filter(user=cast.owner).count() == 1
    assert Notification.objects.filter(user=cast.xiaodian_admin).count() == 1
    # Only the recipient with an address gets an email.
    assert [m.to for m in mail.outbox] == [["owner@example.cn"]]
    assert mail.outbox[0].subject == "11月进度报告请于25日前提交"
    assert "还有 2 天截止。" in mail.outbox[0].body


def test_no_email_when_the_transaction_rolls_back(cast, django_capture_on_commit_callbacks):
    cast.owner.email = "owner@example.cn"
    cast.owner.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification_send(users=[cast.owner], title="提醒")
    assert len(callbacks) == 1  # deferred, never sent inline
    assert mail.outbox == []


def test_marking_read_touches_only_the_actors_own(cast):
    notification_send(users=[cast.owner, cast.xiaodian_admin], title="A")
    notification_send(users=[cast.owner], title="B")
    theirs = Notification.objects.get(user=cast.xiaodian_admin)
    # Someone else's id is ignored, not marked.
    assert notifications_mark_read(actor=cast.owner, notification_ids=[theirs.pk]) == 0
    assert notifications_unread_count(actor=cast.xiaodian_admin) == 1
    assert notifications_mark_read(actor=cast.owner) == 2
    assert notifications_unread_count(actor=cast.owner) == 0
    assert list(notifications_of(actor=cast.owner, unread_only=True)) == []


def test_the_page_lists_own_notifications_and_the_badge_counts_unread(client, cast):
    notification_send(users=[cast.owner], title="您的报告已退回", url="/progress/")
    notification_send(users=[cast.xiaodian_admin], title="别人的通知")
    client.force_login(cast.owner)
    page = client.get(reverse("accounts:notifications")).content.decode()
    assert "您的报告已退回" in page and "别人的通知" not in page
    badge = client.get(reverse("accounts:notification-badge")).content.decode()
    assert 'data-testid="unread-count"' in badge and ">1<" in badge


def test_opening_follows_the_link_and_marks_it_read(client, cast):
    notification_send(users=[cast.owner], title="T", url="/progress/")
    note = Notification.objects.get()
    client.force_login(cast.owner)
    response = client.get(reverse("accounts:notification-open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == "/progress/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_an_outside_link_is_not_followed(client, cast):
    notification_send(users=[cast.owner], title="T", url="https://evil.example/phish")
    note = Notification.objects.get()
    client.force_login(cast.owner)
    response = client.get(reverse("accounts:notification-open", args=[note.pk]))
    assert response["Location"] == reverse("accounts:notifications")


def test_someone_elses_notification_is_not_found(client, cast):
    notification_send(users=[cast.xiaodian_admin], title="T", url="/progress/")
    note = Notification.objects.get()
    client.force_login(cast.owner)
    assert client.get(reverse("accounts:notification-open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read_from_the_page(client, cast):
    notification_send(users=[cast.owner], title="A")
    notification_send(users=[cast.owner], title="B")
    client.force_login(cast.owner)
    response = client.post(reverse("accounts:notification-read"))
    assert response.status_code == 302
    assert notifications_unread_count(actor=cast.owner) == 0

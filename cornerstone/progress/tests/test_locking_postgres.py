"""Two people saving the same report at once: the row lock makes the second see the first.

Runs on PostgreSQL only: SQLite has no row locks (it serialises whole-database writes), so
the interleaving this test forces cannot happen there; the stale-version rule itself is
tested on both engines in test_services and test_api.
"""

import threading

import pytest
from django.db import connection, connections

from cornerstone.progress import report_services as rs
from cornerstone.progress.models import ProgressReport

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_the_second_of_two_concurrent_saves_is_refused(report, cast, frozen_today):
    first_holds_lock = threading.Event()
    release_first = threading.Event()
    outcome: dict[str, object] = {}
    real_locked = rs._locked

    def slow_locked(target):
        locked = real_locked(target)
        if threading.current_thread().name == "first":
            first_holds_lock.set()
            release_first.wait(5)
        return locked

    def save(name, actor, text):
        try:
            rs.report_save(report=report, data={"physical_progress": text}, version=1, actor=actor)
            outcome[name] = "saved"
        except rs.StaleVersion:
            outcome[name] = "stale"
        finally:
            connections.close_all()

    rs._locked = slow_locked
    try:
        first = threading.Thread(target=save, name="first", args=("first", cast.owner, "甲"))
        second = threading.Thread(
            target=save, name="second", args=("second", cast.xiaodian_admin, "乙")
        )
        first.start()
        assert first_holds_lock.wait(5)
        second.start()
        second.join(0.5)
        assert second.is_alive()  # blocked on the row lock while the first has not committed
        release_first.set()
        first.join(5)
        second.join(5)
    finally:
        rs._locked = real_locked
    assert outcome == {"first": "saved", "second": "stale"}
    stored = ProgressReport.objects.get(pk=report.pk)
    assert (stored.physical_progress, stored.version) == ("甲", 2)

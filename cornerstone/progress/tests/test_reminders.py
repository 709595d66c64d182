"""Reminders: before the deadline, overdue with a digest to admins, never twice a day."""

import datetime as dt

import pytest
from django.core.management import call_command

from cornerstone.core.models import Notification
from cornerstone.progress import report_services as rs
from cornerstone.progress.reminders import reminders_send
from cornerstone.progress.tasks import progress_open_cycles

pytestmark = pytest.mark.django_db


def test_before_the_deadline_owners_with_unsubmitted_reports(cycle, report, cast, time_machine):
    time_machine.move_to("2026-11-23 08:00+08:00")
    assert reminders_send(today=dt.date(2026, 11, 22)).notifications == 0
    result = reminders_send(today=dt.date(2026, 11, 23))
    assert result.cycles == 1
    note = Notification.objects.get(user=cast.owner)
    assert "2026年11月25日前" in note.title and "年产10万吨" in note.body
    # Same day again: nothing more.
    assert reminders_send(today=dt.date(2026, 11, 23)).notifications == 0
    assert Notification.objects.filter(user=cast.owner).count() == 1


def test_overdue_goes_to_owners_and_a_digest_to_admins(cycle, report, cast, time_machine):
    time_machine.move_to("2026-11-26 08:00+08:00")
    reminders_send(today=dt.date(2026, 11, 26))
    assert Notification.objects.filter(user=cast.owner, title__contains="逾期").exists()
    digest = Notification.objects.get(user=cast.taiyuan_admin)
    assert "2个项目逾期未报" in digest.title
    assert not Notification.objects.filter(user=cast.xiaodian_admin).exists()


def test_submitted_reports_are_not_reminded(cycle, report, cast):
    report = rs.report_save(
        report=report,
        data={"investment_this_period": "1", "physical_progress": "x"},
        version=1,
        actor=cast.owner,
    )
    rs.report_submit(report=report, actor=cast.owner)
    Notification.objects.all().delete()
    reminders_send(today=dt.date(2026, 11, 23))
    assert not Notification.objects.filter(user=cast.owner).exists()


def test_commands_and_task(schedule, cast, capsys, frozen_today):
    call_command("progress_open_cycles")
    assert "开启了 1 个期次" in capsys.readouterr().out
    call_command("progress_open_cycles")
    assert "开启了 0 个期次" in capsys.readouterr().out
    assert progress_open_cycles.enqueue().return_value == 0
    call_command("progress_remind")
    assert "发出 0 条通知" in capsys.readouterr().out

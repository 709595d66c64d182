"""Meetings, agenda, decisions and briefing requests: rules, scope and what is stored."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cornerstone.core.models import AuditEvent
from cornerstone.dispatch import services
from cornerstone.dispatch.choices import BriefingStatus, MeetingStatus
from cornerstone.dispatch.models import AgendaItem, Briefing, Decision, DispatchMeeting
from cornerstone.plans.models import Task
from cornerstone.problems.models import Problem


def _meeting_data(geo, **changes):
    data = {"title": "全省重点项目调度会", "region": geo.shanxi.code, "date": "2026-11-24"}
    data.update(changes)
    return data


def test_meeting_create_records_audit(geo, cast, frozen_today):
    meeting = services.meeting_create(actor=cast.province_admin, data=_meeting_data(geo))
    assert meeting.status == MeetingStatus.PLANNED
    event = AuditEvent.objects.get(
        object_type="dispatch.dispatchmeeting", object_id=str(meeting.pk)
    )
    assert "全省重点项目调度会" in event.summary


def test_meeting_create_refuses_region_outside_scope_and_bad_date(geo, cast, frozen_today):
    with pytest.raises(ValidationError) as caught:
        services.meeting_create(
            actor=cast.taiyuan_admin, data=_meeting_data(geo, region=geo.datong.code, date="11月")
        )
    assert "region" in caught.value.message_dict
    assert "date" in caught.value.message_dict
    assert not DispatchMeeting.objects.exists()


def test_leader_cannot_create_meetings(geo, cast, frozen_today):
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            actor=cast.taiyuan_leader, data=_meeting_data(geo, region=geo.taiyuan.code)
        )


def test_agenda_red_then_yellow_then_escalated_problems(cast, scene, taiyuan_meeting, ledger):
    items = services.agenda_assemble(actor=cast.taiyuan_admin, meeting=taiyuan_meeting)
    assert [(i.kind, i.project_id, i.colour) for i in items] == [
        ("project", ledger.xiaodian.pk, "red"),
        ("project", ledger.yingze.pk, "yellow"),
        ("problem", ledger.yingze.pk, ""),  # 省级督办 before 市级
        ("problem", ledger.xiaodian.pk, ""),
    ]
    assert items[0].reason == "红灯：截至10月底完成投资6000万元，仅为序时进度的60%"
    assert items[2].problem == scene.yingze_problem
    assert items[2].reason.startswith("省级督办【资金】专项债资金未到位")
    # Assembling again replaces the agenda rather than doubling it.
    services.agenda_assemble(actor=cast.taiyuan_admin, meeting=taiyuan_meeting)
    assert taiyuan_meeting.agenda.count() == 4


def test_agenda_of_another_region_is_missing(cast, scene, taiyuan_meeting):
    with pytest.raises(DispatchMeeting.DoesNotExist):
        services.agenda_assemble(actor=cast.datong_admin, meeting=taiyuan_meeting)
    with pytest.raises(DispatchMeeting.DoesNotExist):
        services.agenda_assemble(actor=cast.hebei_admin, meeting=taiyuan_meeting)
    with pytest.raises(PermissionDenied):
        services.agenda_assemble(actor=cast.taiyuan_leader, meeting=taiyuan_meeting)
    assert not AgendaItem.objects.exists()


def test_decision_becomes_a_task(cast, scene, taiyuan_meeting, geo):
    items = services.agenda_assemble(actor=cast.taiyuan_admin, meeting=taiyuan_meeting)
    decision = services.decision_add(
        actor=cast.taiyuan_admin,
        meeting=taiyuan_meeting,
        data={
            "agenda_item": items[0].pk,
            "text": "12月15日前完成主体结构封顶",
            "outcome": "task",
            "department": geo.xiaodian_dept.pk,
            "person": "王强",
            "deadline": "2026-12-15",
        },
    )
    task = decision.task
    assert task is not None and decision.problem is None
    assert task.project_id == items[0].project_id
    assert task.deadline == dt.date(2026, 12, 15)
    assert task.department == geo.xiaodian_dept
    assert task.person == "王强"
    assert task.duration > 0
    assert AuditEvent.objects.filter(
        object_type="dispatch.decision", project_id=task.project_id
    ).exists()


def test_decision_becomes_a_problem(cast, scene, taiyuan_meeting, ledger):
    decision = services.decision_add(
        actor=cast.taiyuan_admin,
        meeting=taiyuan_meeting,
        data={
            "project": ledger.yingze.pk,
            "text": "协调专项债资金12月底前到位",
            "outcome": "problem",
            "category": "funds",
            "person": "李明",
            "deadline": dt.date(2026, 12, 31),
        },
    )
    problem = decision.problem
    assert problem is not None and problem.project == ledger.yingze
    assert problem.category == "funds" and problem.person == "李明"
    assert problem.deadline == dt.date(2026, 12, 31)


def test_bad_decision_names_every_field_and_stores_nothing(cast, scene, taiyuan_meeting, ledger):
    tasks, problems = Task.objects.count(), Problem.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.decision_add(
            actor=cast.taiyuan_admin,
            meeting=taiyuan_meeting,
            data={
                "project": ledger.pingcheng.pk,
                "text": " ",
                "outcome": "problem",
                "deadline": "明天",
            },
        )
    errors = caught.value.message_dict
    assert set(errors) >= {"project", "text", "deadline", "category", "department"}
    assert "不在本次会议的调度范围内" in errors["project"][0]
    assert (Task.objects.count(), Problem.objects.count()) == (tasks, problems)
    assert not Decision.objects.exists()


def test_decision_failing_in_the_task_service_leaves_nothing(cast, scene, taiyuan_meeting, ledger):
    # The name is too long for a task: the decision is refused and nothing is half-written.
    with pytest.raises(ValidationError) as caught:
        services.decision_add(
            actor=cast.taiyuan_admin,
            meeting=taiyuan_meeting,
            data={
                "project": ledger.xiaodian.pk,
                "text": "加快进度",
                "name": "名" * 150,
                "outcome": "task",
                "person": "王强",
                "deadline": "2026-12-15",
            },
        )
    assert "name" in caught.value.message_dict
    assert not Task.objects.exists()
    assert not Decision.objects.exists()


def test_closed_meeting_takes_no_decisions(cast, scene, taiyuan_meeting, ledger):
    services.meeting_move(actor=cast.taiyuan_admin, meeting=taiyuan_meeting, status="held")
    services.meeting_move(actor=cast.taiyuan_admin, meeting=taiyuan_meeting, status="closed")
    with pytest.raises(ValidationError):
        services.decision_add(
            actor=cast.taiyuan_admin,
            meeting=taiyuan_meeting,
            data={
                "project": ledger.xiaodian.pk,
                "text": "加快进度",
                "outcome": "task",
                "person": "王强",
                "deadline": "2026-12-15",
            },
        )
    with pytest.raises(ValidationError) as caught:
        services.meeting_move(actor=cast.taiyuan_admin, meeting=taiyuan_meeting, status="planned")
    assert "已归档" in caught.value.messages[0]


def test_briefing_generates_docx_pdf_and_summary(
    cast, geo, scene, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        briefing = services.briefing_create(
            actor=cast.province_admin,
            data={
                "issuing_body": "山西省发展和改革委员会",
                "number": "晋发改投资〔2026〕88号",
                "region": geo.shanxi.code,
                "year": 2026,
                "month": 10,
            },
        )
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.DONE, briefing.error
    assert briefing.progress == 100
    assert briefing.title == "关于2026年10月全省重点项目建设情况的通报"
    assert briefing.summary.startswith("截至10月底，全省纳入调度的重点项目3个")
    assert briefing.docx.name.endswith(".docx") and briefing.pdf.name.endswith(".pdf")
    with briefing.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_briefing_without_fonts_fails_with_a_message(
    cast, geo, scene, media, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.CORNERSTONE_CJK_FONT_DIR = tmp_path / "no-fonts"
    with django_capture_on_commit_callbacks(execute=True):
        briefing = services.briefing_create(
            actor=cast.taiyuan_admin,
            data={
                "issuing_body": "太原市发改委",
                "region": geo.taiyuan.code,
                "year": 2026,
                "month": 10,
            },
        )
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.FAILED
    assert "fonts-noto-cjk" in briefing.error
    assert briefing.docx  # the Word file does not need the fonts
    assert not briefing.pdf


def test_briefing_request_is_validated(cast, geo, frozen_today, media):
    with pytest.raises(ValidationError) as caught:
        services.briefing_create(
            actor=cast.taiyuan_admin,
            data={"issuing_body": "", "region": geo.datong.code, "year": 2026, "month": 12},
        )
    errors = caught.value.message_dict
    assert "region" in errors and "issuing_body" in errors and "month" in errors
    with pytest.raises(ValidationError) as caught:
        services.briefing_create(
            actor=cast.taiyuan_admin,
            data={
                "issuing_body": "太原市发改委",
                "region": geo.taiyuan.code,
                "year": "x",
                "month": 13,
            },
        )
    assert {"year", "month"} <= set(caught.value.message_dict)
    with pytest.raises(PermissionDenied):
        services.briefing_create(
            actor=cast.taiyuan_leader,
            data={
                "issuing_body": "太原市发改委",
                "region": geo.taiyuan.code,
                "year": 2026,
                "month": 10,
            },
        )
    assert not Briefing.objects.exists()


def test_demo_meeting(cast, scene, frozen_today):
    from cornerstone.dispatch.demo import demo_dispatch_load

    made = demo_dispatch_load(today=frozen_today, seed=1)
    meeting = DispatchMeeting.objects.get()
    assert meeting.status == MeetingStatus.HELD
    assert meeting.region_id == "140000"
    assert meeting.agenda.count() == 4
    assert meeting.decisions.count() == 4
    assert made == 8
    assert Task.objects.count() == 2
    assert meeting.decisions.filter(problem__isnull=False).count() == 2
    assert meeting.minutes

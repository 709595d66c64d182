"""Raising and moving problems: rules, history, audit, and refusals that change nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cornerstone.core.models import AuditEvent, Notification
from cornerstone.core.testing.factories import DepartmentFactory
from cornerstone.problems import services
from cornerstone.problems.models import EscalationPolicy, Problem, ProblemEvent
from cornerstone.problems.tests.conftest import TODAY

pytestmark = pytest.mark.usefixtures("frozen_today")


def raise_on(project, actor, **overrides):
    values = {
        "category": "funds",
        "description": "专项债资金未拨付到位。",
        "deadline": TODAY + dt.timedelta(days=10),
    } | overrides
    return services.problem_raise(project=project, actor=actor, **values)


def state():
    return (
        Problem.objects.count(),
        ProblemEvent.objects.count(),
        AuditEvent.objects.count(),
        list(Problem.objects.values_list("status", "version", "department_id", "deadline")),
    )


def test_raising_records_the_problem_its_first_step_audit_and_tells_the_department(
    cast, ledger, geo, django_capture_on_commit_callbacks
):
    from cornerstone.core.testing.factories import UserFactory

    UserFactory(
        username="xd2", role="department", region=geo.xiaodian, department=geo.xiaodian_dept
    )
    with django_capture_on_commit_callbacks(execute=True):
        problem = raise_on(
            ledger.xiaodian, cast.xiaodian_admin, department=geo.xiaodian_dept, person=" 李华 "
        )
    assert problem.status == "open" and problem.person == "李华" and problem.version == 1
    event = problem.events.get()
    assert (event.action, event.to_status, event.actor) == ("raise", "open", cast.xiaodian_admin)
    audit = AuditEvent.objects.get(object_type="problems.problem", object_id=str(problem.pk))
    assert audit.project_id == ledger.xiaodian.pk
    assert audit.changes["department"]["after"].startswith("小店区发展和改革局")
    recipients = set(Notification.objects.values_list("user__username", flat=True))
    assert recipients == {"xiaodian_dept", "xd2"}


def test_the_owner_raises_on_their_own_project_only(cast, ledger):
    assert raise_on(ledger.xiaodian, cast.owner).raised_by == cast.owner
    with pytest.raises(PermissionDenied):
        raise_on(ledger.yingze, cast.owner)


@pytest.mark.parametrize("who", ["taiyuan_leader", "xiaodian_dept", "yingze_admin", "hebei_admin"])
def test_readers_and_admins_of_other_regions_may_not_raise(cast, ledger, who):
    before = state()
    with pytest.raises(PermissionDenied):
        raise_on(ledger.xiaodian, getattr(cast, who))
    assert state() == before


def test_a_past_deadline_is_refused(cast, ledger):
    before = state()
    with pytest.raises(ValidationError) as caught:
        raise_on(ledger.xiaodian, cast.xiaodian_admin, deadline=TODAY - dt.timedelta(days=1))
    assert "办结时限不能早于今天（2026-11-24）" in caught.value.message_dict["deadline"][0]
    assert state() == before


def test_a_department_outside_the_region_chain_is_refused(
    cast, ledger, geo, yingze_dept, taiyuan_dept
):
    before = state()
    with pytest.raises(ValidationError) as caught:
        raise_on(ledger.xiaodian, cast.taiyuan_admin, department=yingze_dept)
    assert "不属于项目所在区划" in caught.value.message_dict["department"][0]
    assert state() == before
    # The city's department is in the chain of a county project.
    assert (
        raise_on(ledger.xiaodian, cast.taiyuan_admin, department=taiyuan_dept).department
        == taiyuan_dept
    )


def test_every_bad_field_is_reported_at_once(cast, ledger):
    with pytest.raises(ValidationError) as caught:
        raise_on(
            ledger.xiaodian,
            cast.xiaodian_admin,
            category="weather",
            description="  ",
            deadline="明天",
        )
    assert set(caught.value.message_dict) == {"category", "description", "deadline"}
    assert Problem.objects.count() == 0


def test_the_full_path_keeps_every_comment(cast, problem):
    dept, admin = cast.xiaodian_dept, cast.xiaodian_admin
    problem = services.problem_transition(problem=problem, action="start", actor=dept, version=1)
    problem = services.problem_transition(
        problem=problem,
        action="resolve",
        comment="已协调自然资源局调剂指标。",
        actor=dept,
        version=2,
    )
    assert problem.resolved_at is not None
    problem = services.problem_transition(
        problem=problem, action="reopen", comment="指标批文尚未下达。", actor=admin, version=3
    )
    assert problem.status == "open" and problem.resolved_at is None
    problem = services.problem_transition(
        problem=problem, action="resolve", comment="批文已下达。", actor=dept
    )
    problem = services.problem_transition(problem=problem, action="verify", actor=admin)
    assert problem.status == "verified" and problem.verified_at is not None and problem.version == 6
    steps = list(problem.events.values_list("action", "from_status", "to_status", "comment"))
    assert [s[0] for s in steps] == ["raise", "start", "resolve", "reopen", "resolve", "verify"]
    assert steps[2] == ("resolve", "in_progress", "resolved", "已协调自然资源局调剂指标。")
    assert steps[3][3] == "指标批文尚未下达。"
    audits = AuditEvent.objects.filter(object_type="problems.problem", action="transition")
    assert audits.count() == 5
    assert audits.filter(changes__status__after="已销号").exists()


def test_a_step_not_allowed_from_the_status_is_refused_and_nothing_is_lost(cast, problem):
    services.problem_transition(problem=problem, action="start", actor=cast.xiaodian_dept)
    before = state()
    with pytest.raises(ValidationError) as caught:
        services.problem_transition(problem=problem, action="verify", actor=cast.xiaodian_admin)
    assert "当前状态为“办理中”，不能“核验销号”" in caught.value.message_dict["action"][0]
    assert state() == before


def test_a_required_comment_left_empty_is_refused(cast, problem):
    before = state()
    with pytest.raises(ValidationError) as caught:
        services.problem_transition(
            problem=problem, action="resolve", comment=" ", actor=cast.xiaodian_dept
        )
    assert "须填写办理意见" in caught.value.message_dict["comment"][0]
    assert state() == before


def test_a_stale_version_is_refused(cast, problem):
    services.problem_transition(
        problem=problem, action="start", actor=cast.xiaodian_dept, version=1
    )
    before = state()
    with pytest.raises(ValidationError) as caught:
        services.problem_transition(
            problem=problem, action="resolve", comment="已办", actor=cast.xiaodian_dept, version=1
        )
    assert "已被他人更新" in caught.value.message_dict["version"][0]
    assert state() == before


@pytest.mark.parametrize(
    ("who", "action"),
    [
        ("xiaodian_admin", "start"),
        ("taiyuan_leader", "start"),
        ("xiaodian_dept", "verify"),
        ("yingze_admin", "reassign"),
        ("owner", "comment"),
    ],
)
def test_who_may_take_which_step(cast, problem, who, action):
    with pytest.raises(PermissionDenied):
        if action == "reassign":
            services.problem_reassign(
                problem=problem, data={"person": "赵"}, actor=getattr(cast, who)
            )
        else:
            services.problem_transition(
                problem=problem, action=action, comment="x", actor=getattr(cast, who)
            )


def test_another_departments_user_may_not_resolve(problem, yingze_dept_user):
    with pytest.raises(PermissionDenied):
        services.problem_transition(
            problem=problem, action="resolve", comment="x", actor=yingze_dept_user
        )


def test_reassigning_to_a_new_department_starts_afresh(cast, problem, taiyuan_dept):
    services.problem_transition(problem=problem, action="start", actor=cast.xiaodian_dept)
    problem = services.problem_reassign(
        problem=problem,
        data={"department": taiyuan_dept.pk, "person": "赵强", "deadline": "2026-12-31"},
        comment="涉及市级用地指标。",
        actor=cast.taiyuan_admin,
        version=2,
    )
    assert (problem.status, problem.department, problem.person) == ("open", taiyuan_dept, "赵强")
    assert problem.deadline == dt.date(2026, 12, 31)
    event = problem.events.last()
    assert (
        event.action == "reassign"
        and "责任单位" in event.comment
        and "涉及市级用地指标" in event.comment
    )
    audit = AuditEvent.objects.filter(object_id=str(problem.pk)).first()
    assert audit.changes["person"] == {"label": "责任人", "before": "王明", "after": "赵强"}


def test_reassigning_refuses_bad_values_and_no_change(cast, problem, yingze_dept):
    before = state()
    with pytest.raises(ValidationError) as caught:
        services.problem_reassign(
            problem=problem,
            data={"department": yingze_dept.pk, "deadline": "2026-11-01"},
            actor=cast.taiyuan_admin,
        )
    assert set(caught.value.message_dict) == {"department", "deadline"}
    with pytest.raises(ValidationError, match="均未改变"):
        services.problem_reassign(
            problem=problem, data={"person": "王明"}, actor=cast.taiyuan_admin
        )
    assert state() == before


def test_policy_save_validates_and_audits(cast, geo):
    policy = services.escalation_policy_save(
        region=geo.taiyuan,
        data={"city_after_days": "5", "province_after_days": "20"},
        actor=cast.taiyuan_admin,
    )
    assert (policy.city_after_days, policy.province_after_days) == (5, 20)
    assert AuditEvent.objects.filter(object_type="problems.escalationpolicy").count() == 1
    with pytest.raises(ValidationError) as caught:
        services.escalation_policy_save(
            region=geo.taiyuan,
            data={"city_after_days": 20, "province_after_days": 10},
            actor=cast.taiyuan_admin,
        )
    assert "须大于" in caught.value.message_dict["province_after_days"][0]
    with pytest.raises(ValidationError) as caught:
        services.escalation_policy_save(
            region=geo.taiyuan,
            data={"city_after_days": 0, "province_after_days": "x"},
            actor=cast.taiyuan_admin,
        )
    assert set(caught.value.message_dict) == {"city_after_days", "province_after_days"}
    policy.refresh_from_db()
    assert (policy.city_after_days, policy.province_after_days) == (5, 20)


@pytest.mark.parametrize("who", ["xiaodian_admin", "taiyuan_leader", "datong_admin", "hebei_admin"])
def test_policy_of_a_region_above_or_elsewhere_is_refused(cast, geo, who):
    with pytest.raises(PermissionDenied):
        services.escalation_policy_save(
            region=geo.taiyuan,
            data={"city_after_days": 5, "province_after_days": 20},
            actor=getattr(cast, who),
        )
    assert not EscalationPolicy.objects.exists()


def test_policy_clear_returns_to_the_inherited_one(cast, geo):
    from cornerstone.problems.queries import policy_view

    services.escalation_policy_save(
        region=geo.shanxi,
        data={"city_after_days": 10, "province_after_days": 40},
        actor=cast.province_admin,
    )
    services.escalation_policy_save(
        region=geo.taiyuan,
        data={"city_after_days": 3, "province_after_days": 9},
        actor=cast.taiyuan_admin,
    )
    assert policy_view(region=geo.xiaodian).policy.city_after_days == 3
    services.escalation_policy_clear(region=geo.taiyuan, actor=cast.taiyuan_admin)
    view = policy_view(region=geo.xiaodian)
    assert view.policy.city_after_days == 10 and view.source == geo.shanxi and view.own is None
    assert policy_view(region=geo.hebei).source is None


def test_a_department_may_not_be_any_department(cast, ledger):
    other = DepartmentFactory(name="某部门", region=ledger.changan.region)
    with pytest.raises(ValidationError):
        raise_on(ledger.xiaodian, cast.province_admin, department=other)

"""The demo problems keep the services' rules."""

from collections import Counter

import pytest

from cornerstone.geo.codes import ancestors_of
from cornerstone.problems.demo import PROBLEMS, demo_problems_load
from cornerstone.problems.escalation import DEFAULT_POLICY, escalation_target
from cornerstone.problems.models import Problem, ProblemEvent, SupervisionOrder
from cornerstone.problems.tests.conftest import TODAY
from cornerstone.problems.workflow import STEPS

pytestmark = pytest.mark.usefixtures("frozen_today")


def test_demo_problems_follow_the_rules(cast, ledger, geo):
    assert demo_problems_load(today=TODAY, seed=7) == PROBLEMS
    problems = list(Problem.objects.select_related("project", "department"))
    assert len(problems) == PROBLEMS
    statuses = Counter(p.status for p in problems)
    assert set(statuses) == {"open", "in_progress", "resolved", "verified"}
    assert any(p.escalation_level for p in problems)
    for p in problems:
        if p.department is not None:
            assert p.department.region_id in ancestors_of(p.project.region_id)
        if p.status in ("open", "in_progress"):
            assert p.escalation_level == escalation_target(
                deadline=p.deadline, today=TODAY, current=0, policy=DEFAULT_POLICY
            )
        else:
            assert p.escalation_level == 0
        assert p.created_at.date() < TODAY
    events = list(ProblemEvent.objects.order_by("problem_id", "at", "id"))
    by_problem = {}
    for event in events:
        by_problem.setdefault(event.problem_id, []).append(event)
    for p in problems:
        history = by_problem[p.pk]
        assert history[0].action == "raise" and p.version == len(history)
        status = "open"
        for event in history[1:]:
            if event.action in STEPS:
                assert status in STEPS[event.action].sources
            status = event.to_status
        assert status == p.status
    orders = list(SupervisionOrder.objects.select_related("problem"))
    assert orders and all(o.problem.escalation_level for o in orders)
    assert len({(o.issuing_region_id, o.year, o.serial) for o in orders}) == len(orders)


def test_no_projects_no_problems(db):
    assert demo_problems_load(today=TODAY, seed=1) == 0

"""The lifecycle order rules (pure: no database)."""

import pytest

from cornerstone.projects.choices import StepStatus
from cornerstone.projects.defaults import DEFAULT_LIFECYCLE
from cornerstone.projects.lifecycle import StepRule, blocking_steps, current_stage_id

DONE, WAIVED = StepStatus.DONE, StepStatus.WAIVED
PENDING, IN_PROGRESS = StepStatus.PENDING, StepStatus.IN_PROGRESS

# Two stages: stage 10 has a required, an optional and a required step; stage 20 two steps.
A = StepRule(id=1, stage_id=10, name="甲", optional=False)
B = StepRule(id=2, stage_id=10, name="乙", optional=True)
C = StepRule(id=3, stage_id=10, name="丙", optional=False)
D = StepRule(id=4, stage_id=20, name="丁", optional=False)
E = StepRule(id=5, stage_id=20, name="戊", optional=True)
RULES = [A, B, C, D, E]


def default_rules() -> list[StepRule]:
    """The shipped lifecycle as rules, numbered in order (stage ids 1..5)."""
    rules = []
    for stage_id, (_code, _name, steps) in enumerate(DEFAULT_LIFECYCLE, start=1):
        for code, name, optional, _milestone in steps:
            rules.append(StepRule(len(rules) + 1, stage_id, f"{code}:{name}", optional))
    return rules


def test_the_first_step_is_never_blocked():
    assert blocking_steps(RULES, {}, A.id) == []


def test_every_unsettled_required_step_before_the_target_blocks_it_in_order():
    assert blocking_steps(RULES, {}, D.id) == [A, C]
    assert blocking_steps(RULES, {A.id: IN_PROGRESS}, D.id) == [A, C]
    assert blocking_steps(RULES, {A.id: PENDING, C.id: DONE}, D.id) == [A]


def test_optional_steps_never_block():
    assert blocking_steps(RULES, {A.id: DONE}, C.id) == []


def test_done_and_waived_steps_both_clear_the_way():
    assert blocking_steps(RULES, {A.id: DONE, C.id: WAIVED}, D.id) == []
    assert blocking_steps(RULES, {A.id: WAIVED, C.id: DONE, D.id: WAIVED}, E.id) == []


def test_steps_after_the_target_do_not_block_it():
    assert blocking_steps(RULES, {}, C.id) == [A]


def test_a_step_outside_the_lifecycle_is_an_error():
    with pytest.raises(ValueError, match="99"):
        blocking_steps(RULES, {}, 99)


def test_a_new_project_is_at_the_stage_of_its_first_required_step():
    optional_first = [StepRule(7, 5, "可选", True), StepRule(8, 6, "必经", False)]
    assert current_stage_id(RULES, {}) == 10
    assert current_stage_id(optional_first, {}) == 6


def test_the_stage_follows_the_next_required_step_after_the_furthest_settled_one():
    assert current_stage_id(RULES, {A.id: DONE}) == 10
    assert current_stage_id(RULES, {A.id: DONE, C.id: DONE}) == 20
    assert current_stage_id(RULES, {A.id: DONE, C.id: WAIVED}) == 20


def test_steps_in_progress_do_not_count_as_settled():
    assert current_stage_id(RULES, {A.id: DONE, C.id: IN_PROGRESS}) == 10


def test_an_unsettled_earlier_step_does_not_pull_a_project_back():
    # A required step added later (A here) is behind a project that already settled C.
    assert current_stage_id(RULES, {C.id: DONE}) == 20


def test_with_no_required_step_left_the_project_is_in_the_last_stage():
    assert current_stage_id(RULES, {D.id: DONE}) == 20
    trailing_optional = [A, StepRule(6, 30, "可选收尾", True)]
    assert current_stage_id(trailing_optional, {A.id: DONE}) == 30


def test_an_empty_lifecycle_is_an_error():
    with pytest.raises(ValueError):
        current_stage_id([], {})


def test_walking_the_default_lifecycle_moves_through_all_five_stages_in_order():
    rules = default_rules()
    assert len(rules) == 13
    statuses: dict[int, str] = {}
    stages = [current_stage_id(rules, statuses)]
    for rule in rules:
        assert blocking_steps(rules, statuses, rule.id) == []
        statuses[rule.id] = DONE
        stages.append(current_stage_id(rules, statuses))
    # Each stage is entered once and never left for an earlier one.
    assert stages == sorted(stages)
    assert sorted(set(stages)) == [1, 2, 3, 4, 5]
    # Signing (optional, last of stage 1) is not needed to enter stage 2.
    reserve = next(r for r in rules if r.name.startswith("reserve:"))
    assert current_stage_id(rules, {r.id: DONE for r in rules[: reserve.id]}) == 2

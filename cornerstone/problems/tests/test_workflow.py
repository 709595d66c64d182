"""The transition rules, without a database."""

import pytest

from cornerstone.problems.workflow import (
    Actor,
    CommentRequired,
    TransitionError,
    TransitionForbidden,
    step_check,
    steps_available,
)

DEPT = frozenset({Actor.DEPARTMENT})
ADMIN = frozenset({Actor.ADMIN})


@pytest.mark.parametrize(
    ("action", "status", "actors", "target"),
    [
        ("start", "open", DEPT, "in_progress"),
        ("resolve", "open", DEPT, "resolved"),
        ("resolve", "in_progress", DEPT, "resolved"),
        ("verify", "resolved", ADMIN, "verified"),
        ("reopen", "resolved", ADMIN, "open"),
        ("reopen", "verified", ADMIN, "open"),
        ("reassign", "in_progress", ADMIN, None),
        ("comment", "open", DEPT, None),
    ],
)
def test_allowed_steps_lead_to_their_status(action, status, actors, target):
    step = step_check(action=action, status=status, actors=actors, comment="已协调")
    assert step.target == target


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("start", "in_progress"),
        ("start", "resolved"),
        ("resolve", "verified"),
        ("resolve", "resolved"),
    ],
)
def test_a_step_the_status_does_not_allow_is_refused_with_the_status_named(action, status):
    with pytest.raises(TransitionError) as caught:
        step_check(action=action, status=status, actors=DEPT, comment="说明")
    assert "当前状态" in str(caught.value)


def test_verify_is_only_from_resolved():
    with pytest.raises(TransitionError, match="仅限已解决"):
        step_check(action="verify", status="in_progress", actors=ADMIN, comment="")


def test_the_department_may_not_verify_nor_the_admin_resolve():
    with pytest.raises(TransitionForbidden):
        step_check(action="verify", status="resolved", actors=DEPT, comment="")
    with pytest.raises(TransitionForbidden):
        step_check(action="resolve", status="open", actors=ADMIN, comment="已办")
    with pytest.raises(TransitionForbidden):
        step_check(action="start", status="open", actors=frozenset(), comment="")


@pytest.mark.parametrize(
    ("action", "status", "actors"), [("resolve", "open", DEPT), ("reopen", "verified", ADMIN)]
)
def test_resolve_and_reopen_need_a_comment(action, status, actors):
    with pytest.raises(CommentRequired, match="须填写办理意见"):
        step_check(action=action, status=status, actors=actors, comment="   ")


def test_unknown_action_is_an_error():
    with pytest.raises(TransitionError, match="未知的操作"):
        step_check(action="delete", status="open", actors=ADMIN, comment="")


def test_available_steps_per_capacity():
    assert [s.action for s in steps_available(status="open", actors=DEPT)] == [
        "start",
        "resolve",
        "comment",
    ]
    assert [s.action for s in steps_available(status="resolved", actors=ADMIN)] == [
        "verify",
        "reopen",
        "reassign",
        "comment",
    ]
    assert [s.action for s in steps_available(status="verified", actors=ADMIN)] == ["reopen"]
    assert steps_available(status="open", actors=frozenset()) == []

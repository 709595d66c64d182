"""Which step a problem may take from which status, and who may take it (no database).

The responsible department's users start and resolve (saying what was done); an admin
in scope verifies (销号), reopens (saying why) and reassigns. A step refused here is
refused before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

OPEN = "open"
IN_PROGRESS = "in_progress"
RESOLVED = "resolved"
VERIFIED = "verified"
UNRESOLVED = frozenset({OPEN, IN_PROGRESS})

STATUS_NAMES = {
    OPEN: gettext_lazy("待办理"),
    IN_PROGRESS: gettext_lazy("办理中"),
    RESOLVED: gettext_lazy("已解决"),
    VERIFIED: gettext_lazy("已销号"),
}


class Actor(StrEnum):
    """The capacity in which a user acts on one problem."""

    DEPARTMENT = "department"  # a user of the problem's responsible department
    ADMIN = "admin"  # an admin whose region holds the project


@dataclass(frozen=True)
class Step:
    """One allowed step: from which statuses, to which (None keeps it), by whom."""

    action: str
    name: object  # a lazy translation
    sources: frozenset[str]
    target: str | None
    by: frozenset[Actor]
    comment_required: bool


STEPS: dict[str, Step] = {
    step.action: step
    for step in (
        Step(
            "start",
            gettext_lazy("开始办理"),
            frozenset({OPEN}),
            IN_PROGRESS,
            frozenset({Actor.DEPARTMENT}),
            False,
        ),
        Step(
            "resolve",
            gettext_lazy("办结"),
            UNRESOLVED,
            RESOLVED,
            frozenset({Actor.DEPARTMENT}),
            True,
        ),
        Step(
            "verify",
            gettext_lazy("核验销号"),
            frozenset({RESOLVED}),
            VERIFIED,
            frozenset({Actor.ADMIN}),
            False,
        ),
        Step(
            "reopen",
            gettext_lazy("重新打开"),
            frozenset({RESOLVED, VERIFIED}),
            OPEN,
            frozenset({Actor.ADMIN}),
            True,
        ),
        # A new department starts afresh; a change of person or deadline keeps the status.
        Step(
            "reassign",
            gettext_lazy("改派"),
            UNRESOLVED | {RESOLVED},
            None,
            frozenset({Actor.ADMIN}),
            False,
        ),
        Step(
            "comment",
            gettext_lazy("备注"),
            UNRESOLVED | {RESOLVED},
            None,
            frozenset({Actor.DEPARTMENT, Actor.ADMIN}),
            True,
        ),
    )
}
ACTIONS = tuple(STEPS)


class TransitionError(Exception):
    """A step the problem's status does not allow, or a missing comment."""


class CommentRequired(TransitionError):
    """A step that must say what was done, or why, sent without a comment."""


class TransitionForbidden(Exception):
    """A step the user may not take on this problem."""


def step_check(*, action: str, status: str, actors: frozenset[Actor], comment: str) -> Step:
    """The step if it may be taken now by someone acting as ``actors``; raise otherwise."""
    step = STEPS.get(action)
    if step is None:
        raise TransitionError(_("未知的操作“%s”。") % action)
    if not step.by & actors:
        raise TransitionForbidden(_("您无权对该问题执行“%s”。") % step.name)
    if status not in step.sources:
        allowed = "、".join(str(STATUS_NAMES[s]) for s in STATUS_NAMES if s in step.sources)
        raise TransitionError(
            _("问题当前状态为“%(status)s”，不能“%(step)s”（仅限%(allowed)s的问题）。")
            % {"status": STATUS_NAMES.get(status, status), "step": step.name, "allowed": allowed}
        )
    if step.comment_required and not comment.strip():
        raise CommentRequired(_("“%s”须填写办理意见。") % step.name)
    return step


def steps_available(*, status: str, actors: frozenset[Actor]) -> list[Step]:
    """The steps a user acting as ``actors`` may take from ``status``, in a stable order."""
    return [step for step in STEPS.values() if status in step.sources and step.by & actors]

"""Lifecycle order rules (pure): which steps block a completion, which stage a project is in."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cornerstone.projects.choices import StepStatus

SETTLED = frozenset({StepStatus.DONE, StepStatus.WAIVED})


@dataclass(frozen=True)
class StepRule:
    """What the rules need to know of one step definition, in lifecycle order."""

    id: int
    stage_id: int
    name: str
    optional: bool


def blocking_steps(
    steps: Sequence[StepRule], statuses: Mapping[int, str], target_id: int
) -> list[StepRule]:
    """Required steps before ``target_id`` that are neither done nor waived."""
    blockers: list[StepRule] = []
    for step in steps:
        if step.id == target_id:
            return blockers
        if not step.optional and statuses.get(step.id, StepStatus.PENDING) not in SETTLED:
            blockers.append(step)
    raise ValueError(f"step {target_id} is not in the lifecycle")


def current_stage_id(steps: Sequence[StepRule], statuses: Mapping[int, str]) -> int:
    """The stage of the next required step after the furthest settled one.

    Measuring from the furthest settled step means that a required step added to the
    lifecycle later does not pull projects that are already past it back a stage.
    When no required step remains, the project is in the last stage.
    """
    if not steps:
        raise ValueError("the lifecycle has no steps")
    furthest = -1
    for index, step in enumerate(steps):
        if statuses.get(step.id, StepStatus.PENDING) in SETTLED:
            furthest = index
    for step in steps[furthest + 1 :]:
        if not step.optional:
            return step.stage_id
    return steps[-1].stage_id

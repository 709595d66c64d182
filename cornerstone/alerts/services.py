"""Writes of the alerts app: rule sets, justifications and the recomputation of lights."""

from __future__ import annotations

from collections.abc import Sequence


def lights_recompute(*, project_ids: Sequence[int] | None) -> int:
    """Recompute this month's lights; returns the number of project lights written.

    Placeholder until the rule engine lands in this session's alerts work.
    """
    return 0

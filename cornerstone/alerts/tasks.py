"""Recomputing lights in the background: after an accepted report, a plan change, nightly."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django_tasks import task

logger = logging.getLogger(__name__)


def lights_recompute_enqueue(*, project_ids: Iterable[int] | None) -> None:
    """Queue a recomputation of these projects' lights (None: all) once the caller commits."""
    ids = None if project_ids is None else sorted(set(project_ids))
    transaction.on_commit(lambda: lights_recompute.enqueue(ids))


@task()
def lights_recompute(project_ids: list[int] | None) -> int:
    """Recompute this month's lights of the given projects (None: all) and their regions."""
    from cornerstone.alerts.services import lights_recompute as recompute

    def progress(done: int, total: int) -> None:
        logger.info("lights recomputed: %d/%d", done, total)

    return recompute(project_ids=project_ids, progress=progress)

"""Rebuilding the rollups in the background after a bulk write (an import, a lifecycle change)."""

from __future__ import annotations

import logging

from django.db import transaction
from django_tasks import task

logger = logging.getLogger(__name__)


def rollups_rebuild_enqueue() -> None:
    """Queue a rebuild of the statistics rollups once the caller's transaction commits."""
    transaction.on_commit(lambda: rollups_rebuild.enqueue())


@task()
def rollups_rebuild() -> int:
    """Recompute the statistics rollups from the raw rows; returns the projects read."""
    from cornerstone.stats.rollups import rollups_rebuild as rebuild

    projects = rebuild()
    logger.info("statistics rollups rebuilt from %d projects", projects)
    return projects

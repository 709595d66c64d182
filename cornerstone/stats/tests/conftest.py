"""The reporting fixtures (a schedule, its open cycle and a report), shared with progress."""

from cornerstone.progress.tests.conftest import (  # noqa: F401
    cycle,
    frozen_today,
    report,
    schedule,
)

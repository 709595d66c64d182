"""Fixtures of the projects app's tests: the frozen day and the seeded lifecycle definitions."""

import datetime as dt

import pytest

from cornerstone.projects.models import Stage, StepDefinition
from cornerstone.projects.tests.lifecycle_helpers import SHANGHAI


@pytest.fixture
def frozen_today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def steps():
    """The seeded step definitions by code."""
    return {d.code: d for d in StepDefinition.objects.all()}


@pytest.fixture
def stages():
    return {s.code: s for s in Stage.objects.all()}

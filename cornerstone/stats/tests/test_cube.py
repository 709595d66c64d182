"""The event months reduced before counting: no metric can tell the reduced pair apart."""

from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from cornerstone.stats.cube import (
    EVENT_METRICS,
    bounds,
    event_clamp_sql,
    event_matches,
    event_metrics_for,
    event_month_clamp,
)

YEARS = st.integers(min_value=2019, max_value=2030)
MONTHS = st.integers(min_value=1, max_value=12)


def month_near(year: int) -> st.SearchStrategy[int]:
    """A month number around the year, the year mark Y00, or none."""
    real = st.builds(
        lambda y, m: y * 100 + m,
        st.integers(min_value=year - 4, max_value=year + 3),
        MONTHS,
    )
    return st.one_of(real, st.just(0), st.just(year * 100), st.just((year - 1) * 100))


def test_relations_are_only_asked_of_plans_within_the_year():
    # The clamp keeps A's order against P only where P lies in the year.
    for name, metric in EVENT_METRICS.items():
        if metric.relation:
            assert metric.plan == "year" and not metric.either, name


@given(data=st.data(), year=YEARS, month=MONTHS)
def test_a_reduced_pair_counts_in_exactly_the_metrics_of_the_pair(data, year, month):
    plan = data.draw(month_near(year))
    actual = data.draw(month_near(year))
    values = bounds(year, month)
    for metric in EVENT_METRICS.values():
        raw = event_matches(metric, plan, actual, values)
        reduced = event_matches(
            metric, event_month_clamp(plan, year), event_month_clamp(actual, year), values
        )
        assert raw == reduced, (metric, plan, actual)


def test_metrics_for_a_pair_name_each_matching_metric_of_its_event():
    # 2026: planned for March, started in February, asked in October.
    names = event_metrics_for("start", 202603, 202602, 2026, 10)
    assert set(names) == {
        "planned_starts",
        "planned_starts_due",
        "started",
        "started_early",
        "new_starts",
        "projects_started",
    }
    assert event_metrics_for("start", 202611, 0, 2026, 10) == ("planned_starts",)


@pytest.mark.django_db
def test_the_sql_clamp_is_the_python_clamp():
    year = 2026
    samples = [0, 1, 201512, 202512, 202600, 202601, 202606, 202612, 202613, 202701, 209912]
    rows = " UNION ALL ".join(f"SELECT {value} AS ym" for value in samples)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ym, {event_clamp_sql('ym', year)} FROM ({rows}) AS t ORDER BY 1")  # noqa: S608 - integers
        found = cursor.fetchall()
    assert found == [(value, event_month_clamp(value, year)) for value in sorted(samples)]
    assert {value for __, value in found} == {0, 1, 202600, 202601, 202606, 202612, 202613}

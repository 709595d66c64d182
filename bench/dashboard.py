"""Dashboard speed: the province overview through the product's rollups, against DuckDB.

Run from the repository root with the project's environment:

    .venv/bin/python bench/dashboard.py                       # 100,000 projects, both databases
    .venv/bin/python bench/dashboard.py --projects 5000 --database sqlite --repeat 5

The bench builds its own databases (never yours) — var/bench/dashboard-<N>.sqlite3 and
the PostgreSQL database bench_dashboard_<N> on 127.0.0.1:5432 — once, reused while N is
unchanged (``--rebuild`` forces a new build): the demo generator's N projects, then, per
project, annual plans with their months for last year and this, completed investment
for every month since the actual start and October's lights. Each run rebuilds the
rollups (timed) and then measures, for the province admin and January–October 2026,
``queries.dashboard`` (the overview's figures through the product's own code) against
the same figures computed with SQL by DuckDB over the same rows, loaded into it in the
same run; it checks that every figure is identical. Each database is measured in a
subprocess of its own (Django binds to one database at start-up). See bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
TODAY = dt.date(2026, 11, 24)
YEAR, MONTH = 2026, 10
ADMIN = "admin_shanxi"
CITY = "140100"  # 太原市: the region breakdown one level down
SEED = 2026
BATCH = 5000
CENT = Decimal("0.01")
# A project's pace against its plan, and how often: most keep up, some lag.
PACES = [(Decimal("1.00"), 55), (Decimal("0.85"), 25), (Decimal("0.65"), 12), (Decimal("0.40"), 8)]
NAMES = {"sqlite": "sqlite", "postgresql": "postgres"}
# Bumped whenever the data the bench writes changes: a database built before is rebuilt.
DATA_VERSION = 2


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _database_url(database: str, n: int) -> str:
    if database == "sqlite":
        return f"sqlite:///{VAR / f'dashboard-{n}.sqlite3'}"
    return f"{PG_SERVER}/bench_dashboard_{n}"


def _sidecar(database: str, n: int) -> Path:
    return VAR / f"dashboard-{n}-{database}.json"


def _prepare_database(database: str, n: int, rebuild: bool) -> None:
    """Drop the bench database when it must be rebuilt; create the PostgreSQL one if missing."""
    VAR.mkdir(parents=True, exist_ok=True)
    if database == "sqlite":
        if rebuild:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{VAR / f'dashboard-{n}.sqlite3'}{suffix}").unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    name = f"bench_dashboard_{n}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and rebuild:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# --------------------------------------------------------------------------- building


def _demo_projects(n: int) -> None:
    """The demo's N projects, accounts and audit rows, without its plans, reports and lights.

    The demo gives plans to 3,000 projects only and recomputes the lights of eleven
    months; the bench writes plans, months and one month of lights for every project
    itself, so those steps (and the rollup rebuild the demo ends with) are left out.
    """
    from unittest import mock

    from cornerstone.projects import demo

    began = time.perf_counter()

    def progress(line: str) -> None:
        _log(f"  {line.strip()}  [{time.perf_counter() - began:.0f} s]")

    with (
        mock.patch.object(demo, "demo_plans_load", return_value=(0, 0)),
        mock.patch.object(demo, "_dispatch_work_load"),
        mock.patch.object(demo, "rollups_rebuild"),
    ):
        demo.demo_load(projects=n, seed=SEED, today=TODAY, progress=progress)


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _months_write() -> dict[int, Decimal]:
    """Plans for last year and this, and completed investment; returns each project's pace.

    A project under way in a year (its start, actual or planned, in or before it, its
    completion not before it) gets that year's plan, 30–60 % of its total investment,
    split over the months by the plans app's weighted split. A started project reports
    every month from its start to its completion or production (the later), at most to
    October 2026 (and November for a quarter of them, accepted so far): earlier years'
    months share its completed-before-this-year figure, this year's follow the plan at
    the project's pace, never past its total investment, after a winter stop of up to
    three months (reported as nothing) for three in five of those under way since last year.
    A project not started yet (but not a reserve one) reports preparatory costs, 0.2–1 %
    of its total investment a month, from 18 months before its planned start (at the
    earliest January 2025) to October 2026.
    """
    from django.db import transaction

    from cornerstone.plans.choices import SplitMethod
    from cornerstone.plans.models import InvestmentPlan, MonthlyPlan
    from cornerstone.plans.splitting import split_weighted
    from cornerstone.progress.models import InvestmentActual
    from cornerstone.projects.models import Project

    rng = random.Random(SEED)
    fields = (
        "pk",
        "total_investment",
        "completed_before_year",
        "planned_start_date",
        "actual_start_date",
        "planned_completion_date",
        "actual_completion_date",
        "actual_production_date",
        "kind",
    )
    rows = list(Project.objects.order_by("pk").values_list(*fields))
    paces: dict[int, Decimal] = {}
    last_reported = _month_index(dt.date(YEAR, MONTH, 1))
    for low in range(0, len(rows), BATCH):
        plans: list[InvestmentPlan] = []
        splits: list[list[Decimal]] = []
        actuals: list[InvestmentActual] = []
        for pk, total, before, p_start, a_start, p_done, a_done, a_prod, kind in rows[
            low : low + BATCH
        ]:
            pace = rng.choices([p for p, _w in PACES], weights=[w for _p, w in PACES])[0]
            paces[pk] = pace
            begin, finish = a_start or p_start, a_done or p_done
            this_year = [Decimal(0)] * 12
            for year in (YEAR - 1, YEAR):
                if begin is None or begin.year > year or (finish and finish.year < year):
                    continue
                share = Decimal(rng.choice((30, 40, 50, 60))) / 100
                amount = (total * share).quantize(Decimal(1))
                months = split_weighted(amount, year=year, start=begin, finish=finish)
                plans.append(
                    InvestmentPlan(
                        project_id=pk,
                        year=year,
                        annual_amount=amount,
                        split_method=SplitMethod.WEIGHTED,
                    )
                )
                splits.append(months)
                if year == YEAR:
                    this_year = months
            if a_start is None or a_start > TODAY:
                if p_start is None or kind == "reserve":
                    continue
                # Preparatory costs (前期费用): design, land, permits, before the start.
                first = max((YEAR - 1) * 12, _month_index(p_start) - 18)
                for index in range(first, last_reported + 1):
                    amount = _money(total * Decimal(rng.randint(2, 10)) / 1000)
                    actuals.append(
                        InvestmentActual(
                            project_id=pk,
                            year=index // 12,
                            month=index % 12 + 1,
                            amount=amount,
                            funds_in_place=amount,
                        )
                    )
                continue
            ends = [d for d in (a_done, a_prod) if d]
            last = min(_month_index(max(ends)), last_reported) if ends else last_reported
            if last == last_reported and rng.random() < 0.25:
                last += 1  # November, reported and accepted already
            first = _month_index(a_start)
            earlier = max(0, min(last, YEAR * 12 - 1) - first + 1)
            room = total - before
            # Projects under way since last year stop for the winter and the Spring Festival:
            # their first months report nothing, so 开复工 counts them from the month they resume.
            winter = rng.choice((0, 0, 1, 2, 3)) if first < YEAR * 12 else 0
            for index in range(first, last + 1):
                year, month = divmod(index, 12)
                month += 1
                noise = Decimal(rng.randint(85, 115)) / 100
                if year < YEAR:
                    if before <= 0:
                        continue
                    amount = _money(before / earlier * noise)
                elif month <= winter:
                    amount = Decimal(0)
                else:
                    base = this_year[month - 1] or total / 24
                    amount = max(Decimal(0), min(_money(base * pace * noise), room))
                    room -= amount
                funds = _money(amount * Decimal(rng.randint(80, 115)) / 100)
                actuals.append(
                    InvestmentActual(
                        project_id=pk, year=year, month=month, amount=amount, funds_in_place=funds
                    )
                )
        with transaction.atomic():
            InvestmentPlan.objects.bulk_create(plans, batch_size=BATCH)
            MonthlyPlan.objects.bulk_create(
                (
                    MonthlyPlan(plan_id=plan.pk, month=m, amount=a)
                    for plan, months in zip(plans, splits, strict=True)
                    for m, a in enumerate(months, start=1)
                ),
                batch_size=BATCH,
            )
            InvestmentActual.objects.bulk_create(actuals, batch_size=BATCH)
        _log(f"  plans and months: {min(low + BATCH, len(rows)):,}/{len(rows):,} projects")
    return paces


def _lights_write(paces: dict[int, Decimal]) -> None:
    """October's light of every project: from its pace once started, from its planned start."""
    from cornerstone.alerts.choices import Light
    from cornerstone.alerts.models import ProjectLight
    from cornerstone.projects.models import Project

    at = dt.datetime(YEAR, MONTH, 31, 20, tzinfo=dt.UTC)
    late, overdue = dt.date(YEAR, MONTH, 1), dt.date(YEAR, MONTH - 3, 1)

    def colour(pk: int, planned: dt.date | None, started: dt.date | None) -> str:
        if started is not None and started <= TODAY:
            pace = paces.get(pk, Decimal(1))
            if pace >= 1:
                return Light.GREEN
            return Light.YELLOW if pace >= Decimal("0.8") else Light.RED
        if planned is not None and planned < overdue:
            return Light.RED
        return Light.YELLOW if planned is not None and planned < late else Light.GREEN

    rows = Project.objects.values_list("pk", "planned_start_date", "actual_start_date")
    ProjectLight.objects.bulk_create(
        (
            ProjectLight(
                project_id=pk, year=YEAR, month=MONTH, colour=colour(pk, p, a), computed_at=at
            )
            for pk, p, a in rows.iterator(chunk_size=BATCH)
        ),
        batch_size=BATCH,
    )


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")


def _counts() -> dict[str, int]:
    from cornerstone.alerts.models import ProjectLight
    from cornerstone.plans.models import InvestmentPlan, MonthlyPlan
    from cornerstone.progress.models import InvestmentActual
    from cornerstone.projects.models import Project

    return {
        "projects": Project.objects.count(),
        "plans": InvestmentPlan.objects.count(),
        "monthly_plans": MonthlyPlan.objects.count(),
        "actuals": InvestmentActual.objects.count(),
        "lights": ProjectLight.objects.count(),
    }


def _build(database: str, n: int) -> dict[str, Any]:
    """Fill an empty (migrated) database; the times of each step."""
    times: dict[str, float] = {}
    began = time.perf_counter()
    _log(f"[{database}] demo projects: {n:,} …")
    _demo_projects(n)
    times["demo_projects_s"] = time.perf_counter() - began
    step = time.perf_counter()
    paces = _months_write()
    times["months_s"] = time.perf_counter() - step
    step = time.perf_counter()
    _lights_write(paces)
    times["lights_s"] = time.perf_counter() - step
    step = time.perf_counter()
    _analyze()
    times["analyze_s"] = time.perf_counter() - step
    times["build_s"] = time.perf_counter() - began
    return times


# --------------------------------------------------------------------------- ours


def _timed(*calls: Callable[[], Any], repeat: int) -> list[list[float]]:
    """Milliseconds of ``repeat`` runs of each call, after one untimed run of each.

    The calls take turns, so that a busy moment of the machine falls on both sides.
    """
    for call in calls:
        call()
    gc.collect()
    times: list[list[float]] = [[] for _ in calls]
    for _ in range(repeat):
        for call, spent in zip(calls, times, strict=True):
            began = time.perf_counter()
            call()
            spent.append((time.perf_counter() - began) * 1000)
    return times


def _label(sql: str) -> str:
    """Which read a statement is, by the first table it names."""
    for table, label in (
        ("stats_stockrollup", "stock rollup"),
        ("stats_monthrollup", "month rollup"),
        ("stats_eventrollup", "event rollup"),
        ("stats_lightrollup", "light rollup"),
        ("alerts_projectlight", "lagging projects"),
        ("projects_stage", "stages"),
        ("geo_region", "regions"),
    ):
        if table in sql:
            return label
    return "other"


@contextmanager
def _sql_clock(spent: dict[str, float]) -> Iterator[None]:
    """Add each statement's time (execute and fetchall) to ``spent`` by its label."""
    from unittest import mock

    from django.db import connection
    from django.db.backends.utils import CursorWrapper

    last: list[str] = ["other"]

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        last[0] = _label(sql)
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[last[0]] += (time.perf_counter() - began) * 1000

    def fetchall(self: Any) -> Any:
        began = time.perf_counter()
        try:
            return self.cursor.fetchall()
        finally:
            spent[last[0]] += (time.perf_counter() - began) * 1000

    with (
        connection.execute_wrapper(wrapper),
        mock.patch.object(CursorWrapper, "fetchall", fetchall, create=True),
    ):
        yield


def _profile(call: Callable[[], Any], repeat: int) -> dict[str, float]:
    """Median milliseconds per read of a call, and what is left (Python) as ``python``."""
    runs: list[dict[str, float]] = []
    for _ in range(repeat):
        spent: dict[str, float] = defaultdict(float)
        began = time.perf_counter()
        with _sql_clock(spent):
            call()
        total = (time.perf_counter() - began) * 1000
        spent["python"] = total - sum(spent.values())
        spent["total"] = total
        runs.append(spent)
    labels = sorted({k for run in runs for k in run})
    return {k: statistics.median(run.get(k, 0.0) for run in runs) for k in labels}


# --------------------------------------------------------------------------- DuckDB

# (table, SQL reading it from the bench database, DuckDB column types)
EXPORTS = [
    (
        "projects",
        "SELECT id, region_id, stage_id, tier, category, kind, industry_id, total_investment,"
        " completed_before_year, planned_start_date, actual_start_date,"
        " planned_completion_date, actual_completion_date, planned_production_date,"
        " actual_production_date, capacity_reached_date FROM projects_project",
        {
            "id": "BIGINT",
            "region_id": "VARCHAR",
            "stage_id": "BIGINT",
            "tier": "VARCHAR",
            "category": "VARCHAR",
            "kind": "VARCHAR",
            "industry_id": "VARCHAR",
            "total_investment": "DECIMAL(14,2)",
            "completed_before_year": "DECIMAL(14,2)",
            "planned_start_date": "DATE",
            "actual_start_date": "DATE",
            "planned_completion_date": "DATE",
            "actual_completion_date": "DATE",
            "planned_production_date": "DATE",
            "actual_production_date": "DATE",
            "capacity_reached_date": "DATE",
        },
    ),
    (
        "actuals",
        "SELECT project_id, year, month, amount, funds_in_place FROM progress_investmentactual",
        {
            "project_id": "BIGINT",
            "year": "INTEGER",
            "month": "INTEGER",
            "amount": "DECIMAL(14,2)",
            "funds_in_place": "DECIMAL(14,2)",
        },
    ),
    (
        "monthly_plans",
        "SELECT p.project_id, p.year, m.month, m.amount FROM plans_monthlyplan m"
        " JOIN plans_investmentplan p ON p.id = m.plan_id",
        {"project_id": "BIGINT", "year": "INTEGER", "month": "INTEGER", "amount": "DECIMAL(14,2)"},
    ),
    (
        "lights",
        "SELECT project_id, year, month, colour FROM alerts_projectlight",
        {"project_id": "BIGINT", "year": "INTEGER", "month": "INTEGER", "colour": "VARCHAR"},
    ),
]
NULL = r"\N"


def _duckdb_load(folder: Path) -> Any:
    """Export the raw rows to CSV (stdlib) and read them into an in-memory DuckDB."""
    import duckdb
    from django.db import connection

    folder.mkdir(parents=True, exist_ok=True)
    duck = duckdb.connect()
    for table, select, columns in EXPORTS:
        path = folder / f"{table}.csv"
        with connection.cursor() as cursor, path.open("w", newline="", encoding="utf-8") as out:
            cursor.execute(select)
            writer = csv.writer(out)
            writer.writerow(columns)
            while chunk := cursor.fetchmany(BATCH):
                writer.writerows([NULL if v is None else v for v in row] for row in chunk)
        types = "{" + ", ".join(f"'{k}': '{v}'" for k, v in columns.items()) + "}"
        duck.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', header = true,"  # noqa: S608
            f" nullstr = '\\N', auto_detect = false, columns = {types})"
        )
        path.unlink()
    folder.rmdir()
    duck.execute(SCOPE_MACRO)
    return duck


# The projects of one region subtree, with the sub-region each counts in (a table macro).
SCOPE_MACRO = (
    "CREATE MACRO scoped(low, high, k) AS TABLE SELECT *, substr(region_id, 1, k) AS child"
    " FROM projects WHERE region_id >= low AND region_id < high"
)
DUCK_STOCK = (
    "WITH p AS (FROM scoped($low, $high, $k)) SELECT child, stage_id, count(*),"
    " CAST(sum(total_investment) * 100 AS BIGINT),"
    " CAST(sum(completed_before_year) * 100 AS BIGINT) FROM p GROUP BY ALL"
)
# Per sub-region and stage the period's money, and per month the series: the rows summed
# per sub-region, stage and month first, then both groupings of those in one pass.
DUCK_MONTHS = (
    "WITH p AS (FROM scoped($low, $high, $k)), m AS ("
    " SELECT project_id, year, month, amount AS done, 0 AS planned, funds_in_place AS funds"
    " FROM actuals WHERE year IN ($y - 1, $y)"
    " UNION ALL SELECT project_id, year, month, 0, amount, 0 FROM monthly_plans"
    " WHERE year IN ($y - 1, $y)),"
    " g AS (SELECT child, stage_id, year, month, sum(done) AS done, sum(planned) AS planned,"
    " sum(funds) AS funds, sum(done) FILTER (WHERE category = 'industry') AS industry"
    " FROM m JOIN p ON p.id = m.project_id GROUP BY ALL)"
    " SELECT child, stage_id, year, month,"
    " sum(done) FILTER (WHERE year = $y AND month <= $n),"
    " sum(done) FILTER (WHERE year = $y - 1 AND month <= $n),"
    " sum(planned) FILTER (WHERE year = $y),"
    " sum(planned) FILTER (WHERE year = $y AND month <= $n),"
    " sum(funds) FILTER (WHERE year = $y AND month <= $n),"
    " sum(industry) FILTER (WHERE year = $y AND month <= $n),"
    " sum(done), sum(planned)"
    " FROM g GROUP BY GROUPING SETS ((child, stage_id), (year, month))"
)
# The (event, planned, actual) month pairs of contributions.project_events, as rows.
DUCK_PAIRS = (
    "SELECT child, 'start' AS event,"
    " coalesce(year(planned_start_date) * 100 + month(planned_start_date), 0) AS plan_ym,"
    " coalesce(year(actual_start_date) * 100 + month(actual_start_date), 0) AS actual_ym"
    " FROM p WHERE planned_start_date IS NOT NULL OR actual_start_date IS NOT NULL"
    " UNION ALL SELECT child, 'completion',"
    " coalesce(year(planned_completion_date) * 100 + month(planned_completion_date), 0),"
    " coalesce(year(actual_completion_date) * 100 + month(actual_completion_date), 0)"
    " FROM p WHERE planned_completion_date IS NOT NULL OR actual_completion_date IS NOT NULL"
    " UNION ALL SELECT child, 'production',"
    " coalesce(year(planned_production_date) * 100 + month(planned_production_date), 0),"
    " coalesce(year(actual_production_date) * 100 + month(actual_production_date), 0)"
    " FROM p WHERE planned_production_date IS NOT NULL OR actual_production_date IS NOT NULL"
    # Capacity is due a set number of months after production.
    " UNION ALL SELECT child, 'capacity',"
    " coalesce(year(actual_production_date + to_months($capacity)) * 100"
    " + month(actual_production_date + to_months($capacity)), 0),"
    " coalesce(year(capacity_reached_date) * 100 + month(capacity_reached_date), 0)"
    " FROM p WHERE actual_production_date IS NOT NULL OR capacity_reached_date IS NOT NULL"
    " UNION ALL SELECT child, 'span', year(actual_start_date) * 100 + month(actual_start_date),"
    " coalesce(year(actual_completion_date) * 100 + month(actual_completion_date), 0)"
    " FROM p WHERE actual_start_date IS NOT NULL"
    " UNION ALL SELECT child, 'reserve', 0,"
    " coalesce(year(actual_start_date) * 100 + month(actual_start_date), 0)"
    " FROM p WHERE kind = 'reserve'"
    # Resumed: the year's first month with work, of projects continuing into the year. Only
    # this year's pair can meet a condition (year_mark is this year's), so only it is made.
    " UNION ALL SELECT child, 'resume', $y * 100, min(a.year * 100 + a.month)"
    " FROM actuals a JOIN p ON p.id = a.project_id"
    " WHERE a.year = $y AND a.amount > 0 AND p.actual_start_date < make_date($y, 1, 1)"
    " AND (p.actual_completion_date IS NULL OR p.actual_completion_date >= make_date($y, 1, 1))"
    " GROUP BY p.id, child"
)
DUCK_LIGHTS = (
    "WITH p AS (FROM scoped($low, $high, $k)) SELECT child, colour, count(*) FROM lights l"
    " JOIN p ON p.id = l.project_id WHERE l.year = $y AND l.month = $n GROUP BY ALL"
)
DUCK_LAGGING = (
    "WITH p AS (FROM scoped($low, $high, $k))"
    " SELECT p.id FROM lights l JOIN p ON p.id = l.project_id"
    " WHERE l.year = $y AND l.month = $n AND l.colour = 'red'"
    " ORDER BY p.total_investment DESC, p.id LIMIT 10"
)


def _metric_sql(metric: Any, values: dict[str, int]) -> str:
    """One event count's condition (``cube.EventMetric``) as SQL on plan_ym and actual_ym."""
    from cornerstone.stats.cube import ACTUAL_NOT, ACTUAL_RANGES, PLAN_RANGES

    parts: list[str] = []
    if plan_range := PLAN_RANGES[metric.plan]:
        parts.append(f"plan_ym BETWEEN {values[plan_range[0]]} AND {values[plan_range[1]]}")
    if metric.actual in ACTUAL_NOT:
        parts.append(f"(actual_ym = 0 OR actual_ym > {values[ACTUAL_NOT[metric.actual]]})")
    elif actual_range := ACTUAL_RANGES[metric.actual]:
        parts.append(f"actual_ym BETWEEN {values[actual_range[0]]} AND {values[actual_range[1]]}")
    if metric.either:
        parts = [f"({' OR '.join(parts)})"]
    if metric.relation:
        parts.append(f"actual_ym {metric.relation} plan_ym")
    return " AND ".join([f"event = '{metric.event}'", *parts])


class DuckDashboard:
    """The overview's figures of one region subtree as DuckDB SQL over the raw rows."""

    def __init__(self, duck: Any, *, low: str, high: str, child_length: int) -> None:
        from cornerstone.stats.cube import EVENT_METRICS, bounds
        from cornerstone.stats.rollups import capacity_months

        self.duck = duck
        self.params = {"low": low, "high": high, "k": child_length, "y": YEAR, "n": MONTH}
        values = bounds(YEAR, MONTH)
        # Each count's condition as the product defines it, written as SQL over the exact
        # (event, planned, actual) pairs: the product reduces the pairs first, DuckDB not.
        counts = ", ".join(
            f"sum(n) FILTER (WHERE {_metric_sql(metric, values)})"
            for metric in EVENT_METRICS.values()
        )
        self.metrics = list(EVENT_METRICS)
        self.queries = {
            "stock": (DUCK_STOCK, self.params),
            "months": (DUCK_MONTHS, self.params),
            "events": (
                f"WITH p AS (FROM scoped($low, $high, $k)), e AS ({DUCK_PAIRS}),"  # noqa: S608
                " g AS (SELECT child, event, plan_ym, actual_ym, count(*) AS n FROM e GROUP BY ALL)"
                f" SELECT child, {counts} FROM g GROUP BY 1",
                {**self.params, "capacity": capacity_months()},
            ),
            "lights": (DUCK_LIGHTS, self.params),
            "lagging": (DUCK_LAGGING, self.params),
        }

    def run(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every query's rows: what one dashboard needs."""
        return {
            name: self.duck.execute(
                sql, {k: v for k, v in params.items() if f"${k}" in sql}
            ).fetchall()
            for name, (sql, params) in self.queries.items()
        }

    def cube(self, rows: dict[str, list[tuple[Any, ...]]]) -> Any:
        """The same figures as a ``Cube``, amounts as integer cents."""
        from cornerstone.stats.cube import Cube

        def cents(value: Decimal | None) -> int:
            return int((value or 0) * 100)

        cube = Cube(year=YEAR, month=MONTH)
        for child, stage, projects, total, before in rows["stock"]:
            cell = cube.cells[(child, stage)]
            cell.projects, cell.total, cell.before = projects, total, before
        for child, stage, y, m, ytd, last, plan, to_date, funds, industry, done, planned in rows[
            "months"
        ]:
            if child is None:
                cube.series[(y, m)] = [cents(done), cents(planned)]
                continue
            cell = cube.cells[(child, stage)]
            cell.ytd, cell.ytd_last = cents(ytd), cents(last)
            cell.plan_year, cell.plan_to_date = cents(plan), cents(to_date)
            cell.funds_ytd, cell.industry_ytd = cents(funds), cents(industry)
        for child, *counts in rows["events"]:
            cube.events[child].update(dict(zip(self.metrics, counts, strict=True)))
        for child, colour, projects in rows["lights"]:
            cube.lights[child][colour] = projects
        return cube


def _leaves(figures: Any) -> int:
    """How many figures a nested dict holds."""
    if isinstance(figures, dict):
        return sum(_leaves(v) for v in figures.values())
    return len(figures) if isinstance(figures, tuple) else 1


def _differences(ours: Any, theirs: Any, path: str = "") -> list[str]:
    """Where two nested dicts of figures differ, as readable lines."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        out: list[str] = []
        for key in sorted(ours.keys() | theirs.keys(), key=str):
            out += _differences(ours.get(key), theirs.get(key), f"{path}/{key}")
        return out
    return [] if ours == theirs else [f"{path}: ours {ours!r}, duckdb {theirs!r}"]


# --------------------------------------------------------------------------- worker


def worker(database: str, n: int, repeat: int, rebuild: bool) -> dict[str, Any]:
    """Build (or reuse) one database, rebuild the rollups and measure; the figures as a dict."""
    sidecar = _sidecar(database, n)
    recorded = json.loads(sidecar.read_text()) if sidecar.exists() else None
    rebuild = rebuild or recorded is None or recorded.get("data_version") != DATA_VERSION
    if rebuild:
        sidecar.unlink(missing_ok=True)
    _prepare_database(database, n, rebuild)
    os.environ["DATABASE_URL"] = _database_url(database, n)
    os.environ["CORNERSTONE_TASKS_BACKEND"] = "immediate"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("CORNERSTONE_DEBUG", None)  # DEBUG would keep every query in memory
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    import duckdb
    from django.core.management import call_command
    from django.db import connection

    from cornerstone.accounts.models import User
    from cornerstone.stats import queries
    from cornerstone.stats.filters import StatsFilter
    from cornerstone.stats.rollups import lights_rollup_rebuild, rollups_rebuild

    call_command("migrate", verbosity=0, interactive=False)
    result: dict[str, Any] = {"database": database, "projects": n, "errors": []}
    if rebuild:
        recorded = {**_build(database, n), "counts": _counts(), "data_version": DATA_VERSION}
        sidecar.write_text(json.dumps(recorded))
        result["reused"] = False
    else:
        from cornerstone.projects.models import Project

        if Project.objects.count() != n:
            raise SystemExit(f"{database}: the bench database is incomplete; run with --rebuild")
        _log(f"[{database}] reusing the bench database of {n:,} projects")
        result["reused"] = True
    assert recorded is not None
    result["build"] = recorded

    began = time.perf_counter()
    rollups_rebuild()
    result["rollup_rebuild_s"] = time.perf_counter() - began
    began = time.perf_counter()
    lights_rollup_rebuild(year=YEAR, month=MONTH)
    result["lights_rollup_rebuild_s"] = time.perf_counter() - began
    _log(
        f"[{database}] rollups rebuilt in {result['rollup_rebuild_s']:.1f} s,"
        f" lights in {result['lights_rollup_rebuild_s']:.1f} s"
    )
    _analyze()
    with connection.cursor() as cursor:
        for table in ("stockrollup", "monthrollup", "eventrollup", "lightrollup"):
            cursor.execute(f"SELECT count(*) FROM stats_{table}")  # noqa: S608 - constants
            result.setdefault("rollup_rows", {})[table] = cursor.fetchone()[0]

    began = time.perf_counter()
    duck = _duckdb_load(VAR / f"dashboard-{n}-{database}-csv")
    result["duckdb_load_s"] = time.perf_counter() - began
    result["duckdb_version"] = duckdb.__version__
    result["duckdb_threads"] = duck.execute("SELECT current_setting('threads')").fetchone()[0]
    _log(
        f"[{database}] raw rows exported and loaded into DuckDB in {result['duckdb_load_s']:.1f} s"
    )

    admin = User.objects.get(username=ADMIN)
    scopes = {
        "province": StatsFilter(year=YEAR, month=MONTH),
        "city": StatsFilter(year=YEAR, month=MONTH, region=CITY),
    }
    result["scopes"] = {}
    identical = True
    for name, filters in scopes.items():
        board = queries.dashboard(actor=admin, filters=filters)
        low, high = board.scope.bounds or ("", "~")
        reference = DuckDashboard(duck, low=low, high=high, child_length=board.scope.child_length)
        ours = functools.partial(queries.dashboard, actor=admin, filters=filters)
        ours_times, duck_times = _timed(ours, reference.run, repeat=repeat)
        profile = _profile(ours, repeat)
        cube, _scope, path = queries.stats_cube(actor=admin, filters=filters)
        rows = reference.run()
        ours_figures = cube.comparable()
        diffs = _differences(ours_figures, reference.cube(rows).comparable())
        lagging = [light.project_id for light in board.lagging]
        duck_lagging = [pk for (pk,) in rows["lagging"]]
        if lagging != duck_lagging:
            diffs.append(f"/lagging: ours {lagging}, duckdb {duck_lagging}")
        identical = identical and not diffs and path == "rollups"
        total = cube.total()
        result["scopes"][name] = {
            "path": path,
            "ours_ms": statistics.median(ours_times),
            "ours_min_ms": min(ours_times),
            "duckdb_ms": statistics.median(duck_times),
            "duckdb_min_ms": min(duck_times),
            "profile": profile,
            "differences": diffs[:20],
            "difference_count": len(diffs),
            "figures": _leaves(ours_figures) + len(lagging),
            "children": len(cube.by_child()),
            "scope_projects": total.projects,
            "ytd_wan": str(Decimal(total.ytd) / 100),
            "plan_wan": str(Decimal(total.plan_year) / 100),
        }
        _log(
            f"[{database}] {name:8} ours {statistics.median(ours_times):7.1f} ms ({path}),"
            f" duckdb {statistics.median(duck_times):7.1f} ms,"
            f" {'identical' if not diffs else f'{len(diffs)} differences'}"
        )
    result["identical"] = identical
    duck.close()
    return result


# --------------------------------------------------------------------------- parent


def _run_worker(database: str, args: argparse.Namespace) -> dict[str, Any] | None:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        database,
        "--projects",
        str(args.projects),
        "--repeat",
        str(args.repeat),
    ]
    if args.rebuild:
        command.append("--rebuild")
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        print(f"!! {database}: the measurement failed (exit {done.returncode})")
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def _bench(name: str, value: float, unit: str) -> None:
    shown = f"{value:.0f}" if unit in ("count", "bool", "rows") else f"{value:.2f}"
    print(f"BENCH {name} {shown} {unit}")


PROFILE_ORDER = [
    "stock rollup",
    "month rollup",
    "event rollup",
    "light rollup",
    "lagging projects",
    "regions",
    "stages",
    "other",
    "python",
    "total",
]


def report(results: list[dict[str, Any]]) -> None:
    """Human-readable tables, then one BENCH line per figure."""
    for result in results:
        db = result["database"]
        build = result["build"]
        counts = build["counts"]
        print(f"\n== {db}: {result['projects']:,} projects ==")
        how = "reused, built earlier in" if result["reused"] else "built in"
        print(
            f"bench database {how} {build['build_s']:.0f} s (demo projects"
            f" {build['demo_projects_s']:.0f} s, plans and months {build['months_s']:.0f} s,"
            f" lights {build['lights_s']:.0f} s)"
        )
        print(
            f"rows: {counts['projects']:,} projects, {counts['actuals']:,} monthly actuals,"
            f" {counts['plans']:,} annual plans with {counts['monthly_plans']:,} months,"
            f" {counts['lights']:,} lights"
        )
        print(
            f"rollups rebuilt in {result['rollup_rebuild_s']:.1f} s (lights"
            f" {result['lights_rollup_rebuild_s']:.1f} s): "
            + ", ".join(f"{k} {v:,}" for k, v in result["rollup_rows"].items())
        )
        print(
            f"DuckDB {result['duckdb_version']} ({result['duckdb_threads']} threads),"
            f" export and load {result['duckdb_load_s']:.1f} s"
        )
        print(f"{'scope':9} {'path':8} {'ours':>9} {'duckdb':>9} {'ratio':>6}  figures")
        for name, s in result["scopes"].items():
            verdict = (
                f"all {s['figures']:,} identical"
                if not s["difference_count"]
                else f"{s['difference_count']} of {s['figures']:,} differ"
            )
            print(
                f"{name:9} {s['path']:8} {s['ours_ms']:7.1f}ms {s['duckdb_ms']:7.1f}ms"
                f" {s['ours_ms'] / s['duckdb_ms']:5.2f}x  {verdict} ({s['scope_projects']:,}"
                f" projects in {s['children']} sub-regions, {s['ytd_wan']} 万元 completed)"
            )
        print("where our time goes (median ms per dashboard call):")
        print("  " + " ".join(f"{label:>10.10}" for label in PROFILE_ORDER))
        for name, s in result["scopes"].items():
            cells = [s["profile"].get(label, 0.0) for label in PROFILE_ORDER]
            print("  " + " ".join(f"{v:>10.2f}" for v in cells) + f"  {name}")
        for name, s in result["scopes"].items():
            for line in s["differences"]:
                print(f"!! {db} {name}{line}", file=sys.stderr)

    print()
    identical = bool(results) and all(r["identical"] for r in results)
    for result in results:
        db = NAMES[result["database"]]
        counts = result["build"]["counts"]
        province, city = result["scopes"]["province"], result["scopes"]["city"]
        _bench(f"dashboard_{db}_ms", province["ours_ms"], "ms")
        _bench(f"dashboard_{db}_vs_duckdb", province["ours_ms"] / province["duckdb_ms"], "ratio")
        _bench(f"dashboard_duckdb_in_{db}_run_ms", province["duckdb_ms"], "ms")
        _bench(f"dashboard_city_{db}_ms", city["ours_ms"], "ms")
        _bench(f"dashboard_city_{db}_vs_duckdb", city["ours_ms"] / city["duckdb_ms"], "ratio")
        _bench(
            f"dashboard_{db}_sql_ms",
            province["profile"]["total"] - province["profile"]["python"],
            "ms",
        )
        _bench(f"dashboard_{db}_python_ms", province["profile"]["python"], "ms")
        _bench(f"dashboard_rollup_rebuild_{db}_s", result["rollup_rebuild_s"], "s")
        _bench(f"dashboard_lights_rollup_rebuild_{db}_s", result["lights_rollup_rebuild_s"], "s")
        _bench(f"dashboard_build_{db}_s", result["build"]["build_s"], "s")
        _bench(f"dashboard_actual_rows_{db}", counts["actuals"], "rows")
    if results:
        first = results[0]["scopes"]
        _bench("dashboard_projects", results[0]["projects"], "count")
        _bench("dashboard_duckdb_ms", first["province"]["duckdb_ms"], "ms")
        _bench("dashboard_city_duckdb_ms", first["city"]["duckdb_ms"], "ms")
        _bench("dashboard_rollup_rebuild_s", max(r["rollup_rebuild_s"] for r in results), "s")
    _bench("dashboard_identical", 1 if identical else 0, "bool")
    if not identical:
        print("!! figures differ (first differences above, on stderr)", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=100_000, help="demo ledger size")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs of each side")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the bench databases")
    parser.add_argument("--worker", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.projects, args.repeat, args.rebuild)))
        return
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    results = []
    for database in databases:
        result = _run_worker(database, args)
        if result is not None:
            results.append(result)
    report(results)
    if len(results) < len(databases) or not all(r["identical"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()

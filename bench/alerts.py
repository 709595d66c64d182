"""Warning speed: recomputing the month's lights of N projects (goal: 100,000 under 30 s).

Run from the repository root with the project's environment:

    .venv/bin/python bench/alerts.py                                  # 100,000 projects, SQLite
    .venv/bin/python bench/alerts.py --projects 5000                  # a quick look
    .venv/bin/python bench/alerts.py --database postgresql --rebuild

The bench builds its own database (never yours): SQLite ``var/bench/alerts-<N>.sqlite3``
or PostgreSQL ``bench_alerts_<N>`` on 127.0.0.1:5432 as ``postgres``, migrated, then
filled with bulk inserts: one province, 10 cities, 100 counties; N projects spread over
the counties and the three tiers; for each an annual plan with twelve monthly plans,
completed investment for January to November (and last year's for a fifth of them), a
milestone for every fifth, an escalated problem for every fiftieth; a monthly reporting
schedule with three past cycles reported by most projects; rule sets (Yinchuan for the
province, Sanya for three cities, Tianjin for one). A database already built is reused
unless ``--rebuild``.

Timed: ``lights_recompute`` of every project for 24 November 2026, the first run
writing the month's rows and the second updating them in place (the nightly case).
The reference, in the same run, is one raw read (``cursor.execute`` + ``fetchall``)
of the rows the recomputation reads: the projects, their monthly plans and actuals.

Prints ``BENCH alerts_100k_s <s> s`` (the update run; named so at any N),
``BENCH alerts_projects <N> count``, ``BENCH alerts_first_run_s``,
``BENCH alerts_raw_read_s`` and ``BENCH alerts_vs_raw_read <ratio> ratio``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
TODAY = dt.date(2026, 11, 24)
GOAL_S = 30.0
BATCH = 5000


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _sqlite_path(n: int) -> Path:
    return VAR / f"alerts-{n}.sqlite3"


def _pg_name(n: int) -> str:
    return f"bench_alerts_{n}"


def _pg_admin():  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True)


def _prepare(database: str, n: int, rebuild: bool) -> bool:
    """Point Django at the bench database; True when it must be (re)built."""
    VAR.mkdir(parents=True, exist_ok=True)
    if database == "sqlite":
        path = _sqlite_path(n)
        fresh = rebuild or not path.exists()
        if fresh:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        from psycopg import sql

        name = _pg_name(n)
        with _pg_admin() as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            fresh = rebuild or not exists
            if fresh:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        url = f"{PG_SERVER}/{name}"
    os.environ["DATABASE_URL"] = url
    os.environ["CORNERSTONE_TASKS_BACKEND"] = "immediate"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("CORNERSTONE_DEBUG", None)  # DEBUG would keep every query in memory
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return fresh


def _build(n: int, seed: int) -> None:
    """Fill the database with N projects and their plans, actuals, reports and problems."""
    from django.core.management import call_command
    from django.db import transaction

    from cornerstone.accounts.models import User
    from cornerstone.alerts.models import RuleSet
    from cornerstone.alerts.presets import preset_params
    from cornerstone.geo.models import Region
    from cornerstone.plans.models import InvestmentPlan, Milestone, MonthlyPlan
    from cornerstone.problems.models import Problem
    from cornerstone.progress.models import (
        InvestmentActual,
        ProgressReport,
        ReportingCycle,
        ReportingSchedule,
    )
    from cornerstone.projects.models import Project, Stage

    rng = random.Random(seed)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    with transaction.atomic():
        province = Region.objects.create(
            code="640000", name="宁夏回族自治区", full_name="宁夏回族自治区", level="province"
        )
        cities, counties = [], []
        for c in range(1, 11):
            city = Region(
                code=f"64{c:02d}00",
                name=f"市{c}",
                full_name=f"市{c}",
                level="city",
                parent=province,
            )
            cities.append(city)
            counties += [
                Region(
                    code=f"64{c:02d}{k:02d}",
                    name=f"县{c}-{k}",
                    full_name=f"县{c}-{k}",
                    level="county",
                    parent=city,
                )
                for k in range(1, 11)
            ]
        Region.objects.bulk_create(cities)
        Region.objects.bulk_create(counties)
        admin = User.objects.create(username="bench_admin", role="admin", region=province)
        stage = Stage.objects.order_by("order").first()
        tiers = ["provincial", "city", "city", "county", "county", "county"]
        projects = []
        for i in range(n):
            county = counties[i % len(counties)]
            planned = dt.date(2026, rng.randint(1, 12), 1)
            started_on = planned + dt.timedelta(days=rng.randint(0, 90))
            projects.append(
                Project(
                    code=f"2026-{county.code}-L{i // len(counties) + 1:05d}",
                    name=f"基准项目{i}",
                    region_id=county.code,
                    tier=tiers[i % len(tiers)],
                    category="industry",
                    kind="new",
                    owner_org=f"业主{i}",
                    total_investment=Decimal(rng.randint(500, 200000)),
                    stage=stage,
                    planned_start_date=planned,
                    actual_start_date=started_on
                    if started_on <= TODAY and rng.random() < 0.8
                    else None,
                    stats_inclusion="included" if rng.random() < 0.6 else "none",
                )
            )
        Project.objects.bulk_create(projects, batch_size=BATCH)
        ids = list(Project.objects.order_by("id").values_list("id", flat=True))
        _log(f"  projects: {len(ids):,}")
        plans = [
            InvestmentPlan(
                project_id=pid, year=2026, annual_amount=Decimal(rng.randint(12, 5000) * 12)
            )
            for pid in ids
        ]
        InvestmentPlan.objects.bulk_create(plans, batch_size=BATCH)
        plan_rows = InvestmentPlan.objects.values_list("id", "annual_amount").iterator()
        MonthlyPlan.objects.bulk_create(
            (
                MonthlyPlan(plan_id=pk, month=m, amount=annual / 12)
                for pk, annual in plan_rows
                for m in range(1, 13)
            ),
            batch_size=BATCH,
        )
        _log("  monthly plans written")
        monthly = dict(InvestmentPlan.objects.values_list("project_id", "annual_amount"))

        def actuals():  # type: ignore[no-untyped-def]
            for pid in ids:
                pace = rng.choice((0.3, 0.7, 0.9, 1.0, 1.1))
                base = monthly[pid] / 12
                for m in range(1, 12):
                    yield InvestmentActual(
                        project_id=pid,
                        year=2026,
                        month=m,
                        amount=(base * Decimal(pace)).quantize(Decimal("0.01")),
                    )
                if pid % 5 == 0:
                    for m in range(1, 12):
                        yield InvestmentActual(project_id=pid, year=2025, month=m, amount=base)

        InvestmentActual.objects.bulk_create(actuals(), batch_size=BATCH)
        _log("  actuals written")
        Milestone.objects.bulk_create(
            (
                Milestone(
                    project_id=pid,
                    name="主体封顶",
                    target_date=TODAY - dt.timedelta(days=rng.randint(-60, 90)),
                )
                for pid in ids[::5]
            ),
            batch_size=BATCH,
        )
        Problem.objects.bulk_create(
            (
                Problem(
                    project_id=pid,
                    category="land",
                    description="用地指标未落实",
                    deadline=TODAY - dt.timedelta(days=rng.randint(-30, 60)),
                    escalation_level=1,
                )
                for pid in ids[::50]
            ),
            batch_size=BATCH,
        )
        schedule = ReportingSchedule.objects.create(
            name="月报", region=province, frequency="monthly", deadline_day=25, created_by=admin
        )
        cycles = [
            ReportingCycle.objects.create(
                schedule=schedule,
                label=f"2026年{m}月",
                period_start=dt.date(2026, m, 1),
                period_end=dt.date(2026, m, 28),
                deadline=dt.date(2026, m, 25),
                opened_by=admin,
            )
            for m in (8, 9, 10)
        ]
        ProgressReport.objects.bulk_create(
            (
                ProgressReport(cycle=cycle, project_id=pid, status="accepted")
                for cycle in cycles
                for pid in ids
                if rng.random() < 0.9
            ),
            batch_size=BATCH,
        )
        Project.objects.update(created_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
        RuleSet.objects.create(
            name="自治区",
            region=province,
            preset="yinchuan_2025",
            params=preset_params("yinchuan_2025"),
        )
        for city in cities[:3]:
            RuleSet.objects.create(
                name=city.name, region=city, preset="sanya_2022", params=preset_params("sanya_2022")
            )
        RuleSet.objects.create(
            name=cities[3].name,
            region=cities[3],
            preset="tianjin_2022",
            params=preset_params("tianjin_2022"),
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    _log(f"  built in {time.perf_counter() - started:.1f} s")


def _raw_read() -> float:
    """One plain read of the rows the recomputation reads, for reference."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, region_id, tier, total_investment, planned_start_date, actual_start_date,"
            " stats_inclusion, stats_inclusion_date FROM projects_project"
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT p.project_id, m.month, m.amount FROM plans_monthlyplan m"
            " JOIN plans_investmentplan p ON p.id = m.plan_id WHERE p.year = 2026"
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT project_id, month, amount FROM progress_investmentactual WHERE year = 2026"
        )
        cursor.fetchall()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    n = args.projects

    _log(f"alerts bench: {n:,} projects on {args.database}")
    if _prepare(args.database, n, args.rebuild):
        _build(n, args.seed)

    from collections import Counter

    from cornerstone.alerts.models import ProjectLight, RegionLight
    from cornerstone.alerts.services import lights_recompute

    def progress(done: int, total: int) -> None:
        if done == total or done % 20000 < 5000:
            _log(f"  {done:,}/{total:,}")

    raw = min(_raw_read() for __ in range(2))
    timings = []
    for run in ("first", "update"):
        gc.collect()
        started = time.perf_counter()
        written = lights_recompute(today=TODAY, progress=progress)
        timings.append(time.perf_counter() - started)
        _log(f"  {run} run: {written:,} lights in {timings[-1]:.2f} s")
    colours = Counter(
        ProjectLight.objects.filter(year=2026, month=11).values_list("colour", flat=True)
    )
    regions = RegionLight.objects.filter(year=2026, month=11).count()
    seconds = timings[-1]
    print(f"projects {n:,}; lights {dict(colours)}; region lights {regions}")
    print(
        f"recompute (update run) {seconds:.2f} s, first run {timings[0]:.2f} s,"
        f" goal {GOAL_S:.0f} s at 100,000"
    )
    print(f"raw read of the same rows {raw:.2f} s")
    print(f"BENCH alerts_projects {n} count")
    print(f"BENCH alerts_100k_s {seconds:.2f} s")
    print(f"BENCH alerts_first_run_s {timings[0]:.2f} s")
    print(f"BENCH alerts_raw_read_s {raw:.2f} s")
    print(f"BENCH alerts_vs_raw_read {seconds / raw:.1f} ratio")
    return 0


if __name__ == "__main__":
    sys.exit(main())

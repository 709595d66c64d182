"""Briefing speed: the .docx and the PDF of a province of N projects (data + render).

Run from the repository root with the project's environment:

    .venv/bin/python bench/briefing.py                        # 10,000 projects, 5 timed runs
    .venv/bin/python bench/briefing.py --projects 2000 --repeat 3
    .venv/bin/python bench/briefing.py --database postgresql  # on 127.0.0.1:5432

The bench builds a throwaway database of its own (SQLite ``var/bench/briefing-<N>.sqlite3``
or PostgreSQL ``bench_briefing_<N>``), removed afterwards: one province of 11 cities and
110 counties, N projects with a 2026 plan split into months, completed investment for
2025 and 2026 (about 85% of projects), an October light per project (about 10% red,
15% yellow, each with its reasons), 3 problems per 10 projects over 200 departments, and
500 supervision orders — all by bulk inserts. One province admin asks for the province's
October briefing.

Each timed run is what the background task does for one file: the figures (aggregate
queries) and the layout, then the render — ``briefing_docx_s`` for the Word file,
``briefing_pdf_s`` for the PDF. The reference, timed in the same run, is python-docx
writing a plain table with as many rows and columns as the briefing's tables hold:
``briefing_docx_vs_plain_docx`` is what the figures, the official layout and the fonts
add. Every figure is printed for people and once more as ``BENCH <name> <value> <unit>``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
GOAL_S = 3.0
TODAY = dt.date(2026, 11, 24)
YEAR, MONTH = 2026, 10


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _database(kind: str, projects: int) -> tuple[str, Any]:
    """The bench's own database URL, fresh, and a function that removes it afterwards."""
    VAR.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        path = VAR / f"briefing-{projects}.sqlite3"

        def remove() -> None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

        remove()
        return f"sqlite:///{path}", remove
    import psycopg
    from psycopg import sql

    name = f"bench_briefing_{projects}"

    def recreate(create: bool) -> None:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            if create:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    recreate(True)

    def remove_pg() -> None:
        from django.db import connections

        connections.close_all()
        recreate(False)

    return f"{PG_SERVER}/{name}", remove_pg


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["CORNERSTONE_TASKS_BACKEND"] = "immediate"
    os.environ["CORNERSTONE_MEDIA_ROOT"] = str(VAR / "briefing-media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("CORNERSTONE_DEBUG", None)  # DEBUG would keep every query in memory
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(projects: int, seed: int) -> Any:
    """The province, its projects and everything a briefing reads; returns the admin."""
    from django.utils import timezone

    from cornerstone.accounts.choices import Role
    from cornerstone.accounts.models import User
    from cornerstone.alerts.models import ProjectLight
    from cornerstone.geo.models import Department, Region
    from cornerstone.plans.models import InvestmentPlan, MonthlyPlan
    from cornerstone.problems.models import Problem, SupervisionOrder
    from cornerstone.progress.models import InvestmentActual
    from cornerstone.projects.choices import Category, Kind, Tier
    from cornerstone.projects.models import Project, Stage

    rng = random.Random(seed)
    province = Region.objects.create(
        code="140000", name="山西省", full_name="山西省", level="province"
    )
    cities, counties = [], []
    for c in range(1, 12):
        city = Region(
            code=f"14{c:02d}00",
            name=f"第{c}市",
            full_name=f"山西省第{c}市",
            level="city",
            parent=province,
        )
        cities.append(city)
        for k in range(1, 11):
            counties.append(
                Region(
                    code=f"14{c:02d}{k:02d}",
                    name=f"第{c}市{k}区",
                    full_name=f"山西省第{c}市{k}区",
                    level="county",
                    parent=city,
                )
            )
    Region.objects.bulk_create(cities)
    Region.objects.bulk_create(counties)
    admin = User.objects.create(username="bench_admin", role=Role.ADMIN, region=province)
    departments = Department.objects.bulk_create(
        Department(
            name=f"{counties[i % len(counties)].name}第{i}局", region=counties[i % len(counties)]
        )
        for i in range(200)
    )
    stages = list(Stage.objects.order_by("order"))
    categories = [c.value for c in Category]
    rows = []
    for i in range(projects):
        started = rng.random() < 0.8
        rows.append(
            Project(
                code=f"BENCH{i:09d}",
                name=f"年产{rng.randint(1, 50)}万吨新材料产业园项目{i}",
                region=rng.choice(counties),
                tier=rng.choice([t.value for t in Tier]),
                category=rng.choice(categories[:2] * 3 + categories),
                kind=rng.choice([Kind.NEW_START, Kind.CONTINUING, Kind.CONTINUING]),
                owner_org=f"业主有限公司{i}",
                total_investment=Decimal(rng.randint(5000, 500000)),
                stage=rng.choice(stages),
                actual_start_date=(
                    dt.date(rng.choice((2024, 2025, 2026)), rng.randint(1, 10), 1)
                    if started
                    else None
                ),
            )
        )
    saved = Project.objects.bulk_create(rows, batch_size=2000)
    plans = InvestmentPlan.objects.bulk_create(
        (
            InvestmentPlan(project=p, year=YEAR, annual_amount=Decimal(1200 * rng.randint(1, 40)))
            for p in saved
        ),
        batch_size=2000,
    )
    MonthlyPlan.objects.bulk_create(
        (
            MonthlyPlan(plan=plan, month=m, amount=plan.annual_amount / 12)
            for plan in plans
            for m in range(1, 13)
        ),
        batch_size=5000,
    )
    InvestmentActual.objects.bulk_create(
        (
            InvestmentActual(project=p, year=year, month=m, amount=Decimal(rng.randint(0, 3000)))
            for p in saved
            if rng.random() < 0.85
            for year in (YEAR - 1, YEAR)
            for m in range(1, 13 if year < YEAR else MONTH + 2)
        ),
        batch_size=5000,
    )
    now = timezone.now()
    lights = []
    for p in saved:
        roll = rng.random()
        colour = "red" if roll < 0.1 else "yellow" if roll < 0.25 else "green"
        reasons = (
            []
            if colour == "green"
            else [
                {
                    "rule": "progress",
                    "colour": colour,
                    "text": "截至10月底完成投资低于序时进度的60%",
                },
                {"rule": "start", "colour": colour, "text": "计划开工日期已过仍未开工"},
            ]
        )
        lights.append(
            ProjectLight(
                project=p, year=YEAR, month=MONTH, colour=colour, reasons=reasons, computed_at=now
            )
        )
    ProjectLight.objects.bulk_create(lights, batch_size=2000)
    problems = Problem.objects.bulk_create(
        (
            Problem(
                project=rng.choice(saved),
                category=rng.choice(["land", "funds", "energy", "approval"]),
                description="要素保障问题待协调解决",
                department=rng.choice(departments),
                deadline=TODAY - dt.timedelta(days=rng.randint(-60, 60)),
                status=rng.choice(["open", "open", "in_progress", "resolved", "verified"]),
                escalation_level=rng.choice([0, 0, 0, 1, 2]),
            )
            for __ in range(projects * 3 // 10)
        ),
        batch_size=2000,
    )
    Problem.objects.update(created_at=now - dt.timedelta(days=60))
    SupervisionOrder.objects.bulk_create(
        (
            SupervisionOrder(
                number=f"晋发改督〔2026〕{n}号",
                project=problems[n].project,
                problem=problems[n],
                recipient="department",
                department=problems[n].department,
                subject="督办要素保障问题",
                content="请按期办结并反馈。",
                response_deadline=TODAY + dt.timedelta(days=rng.randint(-20, 30)),
                status=rng.choice(["issued", "answered", "closed"]),
                issued_by=admin,
                issuing_region=province,
                year=YEAR,
                serial=n + 1,
            )
            for n in range(min(500, len(problems)))
        ),
        batch_size=1000,
    )
    SupervisionOrder.objects.update(issued_at=now - dt.timedelta(days=40))
    return admin


def _timed(call: Any) -> tuple[float, Any]:
    gc.collect()
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def plain_docx(rows: int, cols: int) -> bytes:
    """The reference: python-docx writing a plain table of the same size, nothing else."""
    from docx import Document

    document = Document()
    table = document.add_table(rows=rows, cols=cols)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = f"第{r}行第{c}列"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()

    url, remove = _database(args.database, args.projects)
    try:
        _django(url)
        from cornerstone.dispatch.models import Briefing
        from cornerstone.dispatch.renderers import docx_render, pdf_render
        from cornerstone.dispatch.tasks import briefing_build_layout
        from cornerstone.geo.models import Region

        _log(f"building a province of {args.projects:,} projects ({args.database}) …")
        build_s, admin = _timed(lambda: build(args.projects, args.seed))
        _log(f"built in {build_s:.1f} s")
        briefing = Briefing.objects.create(
            title="关于2026年10月全省重点项目建设情况的通报",
            issuing_body="山西省发展和改革委员会",
            number="晋发改投资〔2026〕88号",
            region=Region.objects.get(code="140000"),
            year=YEAR,
            month=MONTH,
            created_by=admin,
        )

        def docx_once() -> bytes:
            return docx_render(briefing_build_layout(briefing, today=TODAY))

        def pdf_once() -> bytes:
            return pdf_render(briefing_build_layout(briefing, today=TODAY))

        layout = briefing_build_layout(briefing, today=TODAY)
        table_rows = sum(len(s.table.rows) + 1 for s in layout.sections if s.table)
        table_cols = max(len(s.table.header) for s in layout.sections if s.table)
        docx_once(), pdf_once(), plain_docx(table_rows, table_cols)  # warm-up, untimed
        data_s, docx_s, pdf_s, plain_s = [], [], [], []
        for __ in range(args.repeat):
            data_s.append(_timed(lambda: briefing_build_layout(briefing, today=TODAY))[0])
            seconds, docx = _timed(docx_once)
            docx_s.append(seconds)
            seconds, pdf = _timed(pdf_once)
            pdf_s.append(seconds)
            plain_s.append(_timed(lambda: plain_docx(table_rows, table_cols))[0])
        figures: list[tuple[str, float, str]] = [
            ("briefing_projects", float(args.projects), "projects"),
            ("briefing_data_s", statistics.median(data_s), "s"),
            ("briefing_docx_s", statistics.median(docx_s), "s"),
            ("briefing_pdf_s", statistics.median(pdf_s), "s"),
            ("briefing_plain_docx_s", statistics.median(plain_s), "s"),
            (
                "briefing_docx_vs_plain_docx",
                statistics.median(docx_s) / statistics.median(plain_s),
                "x",
            ),
            ("briefing_docx_kb", len(docx) / 1024, "KiB"),
            ("briefing_pdf_kb", len(pdf) / 1024, "KiB"),
        ]
        print(
            f"Briefing of a province of {args.projects:,} projects on {args.database}, "
            f"median of {args.repeat} runs (goal: under {GOAL_S:.0f} s each); "
            f"its tables hold {table_rows} rows × up to {table_cols} columns."
        )
        print(f"  figures and layout        {statistics.median(data_s):7.3f} s")
        print(f"  .docx (data + render)     {statistics.median(docx_s):7.3f} s")
        print(f"  PDF (data + render)       {statistics.median(pdf_s):7.3f} s")
        print(f"  plain python-docx table   {statistics.median(plain_s):7.3f} s")
        for name, value, unit in figures:
            print(f"BENCH {name} {value:.3f} {unit}")
        slow = max(statistics.median(docx_s), statistics.median(pdf_s)) > GOAL_S
        return 1 if slow else 0
    finally:
        remove()


if __name__ == "__main__":
    sys.exit(main())

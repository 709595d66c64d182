"""Excel speed and memory: the ledger import and export against their references.

Run from the repository root with the project's environment:

    .venv/bin/python bench/excel.py                                # 100,000 rows, SQLite
    .venv/bin/python bench/excel.py --rows 2000 --repeat 3         # a quick look
    .venv/bin/python bench/excel.py --rows 5000 --profile          # where the import's time goes

The bench builds its own demo ledger of N projects (``load_demo``) in databases of its
own — never yours — and writes it out with the product's export: that file is the ledger
workbook every import reads. It then measures, in one run, each step in a fresh
subprocess (Django binds to one database at start-up, and a process's peak RSS is only
its own in a process of its own):

* the raw read: python-calamine loading the sheet into Python lists, nothing else;
* the product's full import (open and check the file, parse, validate, plan, then the
  all-or-nothing write) into an empty ledger, into the ledger that already holds the N
  projects (every row unchanged), and into that ledger with one project in ten edited
  since the export (those rows update);
* the database's own share: the same project rows inserted with a raw executemany
  (2,000 rows a statement, one transaction) into the empty ledger (``raw_insert``);
* the same import done with django-import-export (a ``ModelResource`` with the same
  columns, ``full_clean`` on every instance, in one transaction), on a slice of the
  workbook when N is large, compared per row;
* the product's export (queryset to workbook) against XlsxWriter writing the same cells
  from lists already in memory, with the time the export spends reading the database.

Every figure is printed for people and once more as ``BENCH <name> <value> <unit>`` for
programs. See bench/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
ACTOR = "admin_shanxi"  # the province admin: sees and may edit every demo project
DIE_ROWS = 5000  # django-import-export is measured on this many rows at most
CHANGED_EVERY = 10  # the "changed" ledger: one project in ten edited after the export
PROFILE_TOP = 15

# Goals from the issue.
GOAL_IMPORT_VS_RAW_READ = 3.0
GOAL_IMPORT_VS_DIE = 0.1
GOAL_PEAK_RSS_MB = 1024.0
GOAL_EXPORT_VS_RAW_WRITE = 1.1

# What each import target starts from: the pristine database it is copied from.
TARGETS = {"empty": "empty", "populated": "source", "changed": "source"}


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- databases


def _sqlite_path(rows: int, kind: str) -> Path:
    """kind: "source" (the N demo projects), "empty" (no project), "work" (a copy)."""
    suffix = "" if kind == "source" else f"-{kind}"
    return VAR / f"excel-{rows}{suffix}.sqlite3"


def _pg_name(rows: int, kind: str) -> str:
    return f"bench_excel_{rows}" if kind == "source" else f"bench_excel_{rows}_{kind}"


def _database_url(database: str, rows: int, kind: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{_sqlite_path(rows, kind)}"
    return f"{PG_SERVER}/{_pg_name(rows, kind)}"


def _sqlite_remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _pg_admin() -> Any:
    import psycopg

    return psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True)


def _pg_exists(name: str) -> bool:
    with _pg_admin() as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def _pg_recreate(name: str, template: str | None = None) -> None:
    from psycopg import sql

    with _pg_admin() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if template is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        else:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )


def _database_exists(database: str, rows: int, kind: str) -> bool:
    if database == "sqlite":
        return _sqlite_path(rows, kind).exists()
    return _pg_exists(_pg_name(rows, kind))


def _database_fresh(database: str, rows: int, kind: str) -> None:
    """An empty database of this kind, for migrate to fill."""
    VAR.mkdir(parents=True, exist_ok=True)
    if database == "sqlite":
        _sqlite_remove(_sqlite_path(rows, kind))
    else:
        _pg_recreate(_pg_name(rows, kind))


def _work_copy(database: str, rows: int, kind: str) -> None:
    """Replace the work database with a copy of a pristine one (not timed)."""
    if database == "sqlite":
        work = _sqlite_path(rows, "work")
        _sqlite_remove(work)
        source = _sqlite_path(rows, kind)
        shutil.copyfile(source, work)
        if Path(f"{source}-wal").exists():
            shutil.copyfile(f"{source}-wal", f"{work}-wal")
    else:
        _pg_recreate(_pg_name(rows, "work"), template=_pg_name(rows, kind))


def _work_drop(database: str, rows: int) -> None:
    if database == "sqlite":
        _sqlite_remove(_sqlite_path(rows, "work"))
    else:
        from psycopg import sql

        with _pg_admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(_pg_name(rows, "work"))
                )
            )


def _django(database: str, rows: int, kind: str) -> None:
    """Start Django on one bench database (once per process)."""
    os.environ["DATABASE_URL"] = _database_url(database, rows, kind)
    os.environ["CORNERSTONE_TASKS_BACKEND"] = "immediate"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("CORNERSTONE_DEBUG", None)  # DEBUG would keep every query in memory
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _settle(database: str) -> None:
    """After a bulk load: fold SQLite's WAL into the file (it is copied), or ANALYZE."""
    from django.db import connection

    with connection.cursor() as cursor:
        if database == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            cursor.execute("VACUUM ANALYZE")
    connection.close()


# --------------------------------------------------------------------------- files


def _workbook_path(rows: int) -> Path:
    return VAR / f"excel-{rows}.xlsx"


def _slice_path(rows: int, die_rows: int) -> Path:
    return VAR / f"excel-{rows}-first-{die_rows}.xlsx"


def _sidecar(rows: int, database: str) -> Path:
    return VAR / f"excel-{rows}-{database}.json"


def _peak_rss_mb() -> float:
    """This process's peak resident set so far (ru_maxrss is in KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _rss_mb() -> float:
    """This process's resident set now."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except OSError:
        return _peak_rss_mb()


# --------------------------------------------------------------------------- workers


class _QueryCount:
    """Counts SQL statements (a ``connection.execute_wrapper``; works with DEBUG off)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


# Functions whose cumulative time says where an import's time goes: (file, function).
PROFILE_SPOTS = [
    ("workbook.py", "_rows"),
    ("ledger_reader.py", "read"),
    ("ledger_import.py", "plan"),
    ("ledger_import.py", "_stored"),
    ("ledger_import.py", "_valid"),
    ("ledger_import.py", "_model_errors"),
    ("base.py", "full_clean"),
    ("ledger_rules.py", "fields_valid"),
    ("ledger_rules.py", "cross_valid"),
    ("ledger_write.py", "projects_insert"),
    ("ledger_write.py", "projects_update"),
    ("ledger_write.py", "project_ids"),
    ("ledger_write.py", "flush"),
    ("ledger_import.py", "__call__"),
    ("trans_real.py", "gettext"),
    ("compiler.py", "execute_sql"),
]


def _profile_text(profiler: cProfile.Profile) -> str:
    """The top functions by cumulative and by own time, and a few telling ones."""
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(PROFILE_TOP)
    stats.sort_stats("tottime").print_stats(PROFILE_TOP)
    text.write("   selected functions (cumulative times overlap):\n")
    entries = stats.stats  # type: ignore[attr-defined]
    for filename, function in PROFILE_SPOTS:
        for (path, line, name), (_cc, calls, _tt, cumulative, _callers) in entries.items():
            if name == function and path.endswith("/" + filename):
                text.write(f"   {calls:>9} calls {cumulative:>8.2f}s  {path}:{line}({name})\n")
    # Paths relative to the repository, or to the library directory.
    shown = re.sub(r"\S*/lib/python3\.\d+/(site-packages/)?", "", text.getvalue())
    return shown.replace(str(ROOT) + "/", "")


def worker_build(database: str, rows: int, die_rows: int) -> dict[str, Any]:
    """The demo ledger of N projects, and the workbooks exported from it."""
    _django(database, rows, "source")
    from io import StringIO

    from django.core.management import call_command

    from cornerstone.accounts.models import User
    from cornerstone.ingest.ledger_export import export_specs, ledger_rows, ledger_workbook_write
    from cornerstone.projects.queries import projects_visible

    began = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    _log(f"[build] demo ledger of {rows} projects ({database}) …")
    call_command("load_demo", projects=rows, stdout=StringIO())
    build_s = time.perf_counter() - began
    _settle(database)
    _log(f"[build] built in {build_s:.1f} s; exporting the workbook …")
    actor = User.objects.get(username=ACTOR)
    queryset = projects_visible(actor=actor)
    with _workbook_path(rows).open("wb") as out:
        written = ledger_workbook_write(out=out, projects=ledger_rows(queryset))
    if die_rows < rows:
        from itertools import islice

        with _slice_path(rows, die_rows).open("wb") as out:
            ledger_workbook_write(out=out, projects=islice(ledger_rows(queryset), die_rows))
    # Every importable field, then the stage (shown, not imported).
    return {"build_s": build_s, "written": written, "columns": len(export_specs()) + 1}


def worker_build_empty(database: str, rows: int) -> dict[str, Any]:
    """A ledger with the demo's regions, zones, departments and accounts, and no project."""
    _django(database, rows, "empty")
    from io import StringIO

    from django.core.management import call_command

    from cornerstone.core.models import AuditEvent
    from cornerstone.projects.models import Project

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", projects=1, stdout=StringIO())
    Project.objects.all().delete()  # its steps and plans go with it
    AuditEvent.objects.filter(project_id__isnull=False).delete()
    _settle(database)
    return {"projects": Project.objects.count()}


def worker_raw_read(path: Path, repeat: int) -> dict[str, Any]:
    """python-calamine alone: the sheet loaded into Python lists (and, apart, row by row)."""
    from python_calamine import CalamineWorkbook

    times, iter_times = [], []
    cells = rows = 0
    for _ in range(repeat):
        gc.collect()
        began = time.perf_counter()
        data = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        times.append(time.perf_counter() - began)
        rows = len(data)
        cells = sum(1 for row in data for value in row if value != "")
        del data
    peak = _peak_rss_mb()
    for _ in range(repeat):
        gc.collect()
        began = time.perf_counter()
        for _row in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows():
            pass
        iter_times.append(time.perf_counter() - began)
    return {
        "s": statistics.median(times),
        "iter_s": statistics.median(iter_times),
        "rows": rows,
        "cells": cells,
        "peak_rss_mb": peak,
    }


def _changed_apply() -> int:
    """Edit one project in ten after the export: its workbook row now updates it back."""
    from django.db.models import F, Value
    from django.db.models.functions import Concat, Substr

    from cornerstone.projects.models import Project

    return (
        Project.objects.alias(tenth=F("id") % CHANGED_EVERY)
        .filter(tenth=0)
        .update(
            site_address=Concat(Substr("site_address", 1, 190), Value("（旧址）")),
            total_investment=F("total_investment") + 1,
        )
    )


def worker_import(
    database: str, rows: int, target: str, path: Path, profile: bool
) -> dict[str, Any]:
    """The product's import of one workbook, timed (or profiled) in a fresh process."""
    _django(database, rows, "work")
    from django.db import connection

    from cornerstone.accounts.models import User
    from cornerstone.ingest.ledger_import import ledger_check, ledger_commit
    from cornerstone.ingest.workbook import DEFAULT_LIMITS, WorkbookLimits, workbook_open
    from cornerstone.projects.models import Project

    actor = User.objects.get(username=ACTOR)
    edited = _changed_apply() if target == "changed" else 0
    before = Project.objects.count()
    size = path.stat().st_size
    # The product refuses files over IMPORT_MAX_MB (50 MB by default): the bench does not.
    limits = WorkbookLimits(
        max_bytes=max(DEFAULT_LIMITS.max_bytes, size + 1),
        max_rows=max(DEFAULT_LIMITS.max_rows, rows + 10),
    )
    baseline = _rss_mb()
    profiler = cProfile.Profile() if profile else None
    queries = _QueryCount()
    gc.collect()
    if profiler:
        profiler.enable()
    with connection.execute_wrapper(queries):
        began = time.perf_counter()
        book = workbook_open(path, limits=limits)
        sheet = book.sheet(0)
        opened = time.perf_counter()
        result = ledger_check(actor=actor, sheet=sheet)
        checked = time.perf_counter()
        check_queries = queries.count
        if result.errors:
            shown = "; ".join(
                f"row {e.row} {e.column} “{e.value}”: {e.message}" for e in result.errors[:5]
            )
            raise SystemExit(f"the import found {len(result.errors)} errors: {shown}")
        created, updated = ledger_commit(actor=actor, result=result, batch="bench")
        committed = time.perf_counter()
        book.close()
    if profiler:
        profiler.disable()
    peak = _peak_rss_mb()
    after = Project.objects.count()
    if after != before + created:
        raise SystemExit(f"the ledger went from {before} to {after} projects, created {created}")
    figures: dict[str, Any] = {
        "target": target,
        "open_s": opened - began,
        "check_s": checked - opened,
        "commit_s": committed - checked,
        "s": committed - began,
        "created": created,
        "updated": updated,
        "unchanged": result.unchanged,
        "edited": edited,
        "check_queries": check_queries,
        "commit_queries": queries.count - check_queries,
        "projects_before": before,
        "projects_after": after,
        "baseline_rss_mb": baseline,
        "peak_rss_mb": peak,
    }
    if profiler:
        figures["profile"] = _profile_text(profiler)
    return figures


def worker_raw_insert(database: str, rows: int) -> dict[str, Any]:
    """The database's own insert time: the source ledger's project rows, read beforehand
    with the driver, inserted into the empty ledger with executemany (2,000 rows a
    statement, as the import writes them) in one transaction. Indexes and the SQLite
    text-search triggers fire as they do for the import."""
    _django(database, rows, "work")
    from django.db import connection, transaction

    from cornerstone.projects.models import Project

    fields = [f for f in Project._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    select = f"SELECT {columns} FROM {Project._meta.db_table} ORDER BY id"  # noqa: S608
    if database == "sqlite":
        import sqlite3

        with sqlite3.connect(_sqlite_path(rows, "source")) as source:
            data = source.execute(select).fetchall()
    else:
        import psycopg

        with psycopg.connect(_database_url(database, rows, "source")) as source:
            data = source.execute(select).fetchall()
    placeholders = ", ".join(["%s"] * len(fields))
    insert = f"INSERT INTO {Project._meta.db_table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    gc.collect()
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(data), 2000):
            cursor.executemany(insert, data[start : start + 2000])
    elapsed = time.perf_counter() - began
    return {"s": elapsed, "rows": len(data)}


def _die_resource() -> Any:
    """A django-import-export ModelResource for the ledger workbook's columns."""
    import datetime as dt

    from import_export import fields, resources, widgets

    from cornerstone.geo.models import Department, Industry, Region, Zone
    from cornerstone.ingest.ledger_export import export_header, export_specs
    from cornerstone.projects.models import Project, Stage

    specs = export_specs()
    region_column = next(export_header(s) for s in specs if s.kind == "region")

    class ChoiceWidget(widgets.CharWidget):
        """A choice by its label (as the export writes it) or its stored value."""

        def __init__(self, field_name: str) -> None:
            super().__init__()
            field = Project._meta.get_field(field_name)
            self.values = {str(label): str(value) for value, label in field.flatchoices}  # type: ignore[union-attr]
            self.values.update({str(value): str(value) for value, _l in field.flatchoices})  # type: ignore[union-attr]

        def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
            text = super().clean(value, row, **kwargs).strip()
            if text == "":
                return ""
            if text not in self.values:
                raise ValueError(f"“{text}”不是可选值")
            return self.values[text]

    class YesNoWidget(widgets.BooleanWidget):
        def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
            if value in ("是", "否"):
                return value == "是"
            return super().clean(value, row, **kwargs)

    class DayWidget(widgets.DateWidget):
        """openpyxl reads a date cell as a datetime: keep the day, so unchanged rows compare
        equal and skip_unchanged skips them."""

        def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
            if isinstance(value, dt.datetime):
                return value.date()
            return super().clean(value, row, **kwargs)

    class IndustryWidget(widgets.ForeignKeyWidget):
        """The export writes "C26 化学原料和化学制品制造业": the code comes first."""

        def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
            if value in (None, ""):
                return None
            return super().clean(str(value).split(" ", 1)[0], row, **kwargs)

    class ZoneWidget(widgets.ForeignKeyWidget):
        """Zone names repeat across regions: look in the row's region."""

        def get_queryset(self, value: Any, row: Any, *args: Any, **kwargs: Any) -> Any:
            return Zone.objects.filter(region__full_name=row[region_column])

    class DepartmentWidget(widgets.ForeignKeyWidget):
        """A responsible unit of the row's region or of a region above it."""

        def get_queryset(self, value: Any, row: Any, *args: Any, **kwargs: Any) -> Any:
            code = Region.objects.get(full_name=row[region_column]).code
            return Department.objects.filter(
                region_id__in=[code, code[:4] + "00", code[:2] + "0000"]
            )

    def widget(spec: Any) -> Any:
        if spec.kind == "region":
            return widgets.ForeignKeyWidget(Region, field="full_name")
        if spec.kind == "industry":
            return IndustryWidget(Industry, field="code")
        if spec.kind == "zone":
            return ZoneWidget(Zone, field="name")
        if spec.kind == "department":
            return DepartmentWidget(Department, field="name")
        if spec.kind in ("amount", "decimal"):
            return widgets.DecimalWidget()
        if spec.kind in ("int", "year"):
            return widgets.IntegerWidget()
        if spec.kind == "date":
            return DayWidget()
        if spec.kind == "bool":
            return YesNoWidget()
        if spec.kind == "choice":
            return ChoiceWidget(spec.key)
        return widgets.CharWidget()

    first_stage = Stage.objects.order_by("order", "id").first()

    class Meta:
        model = Project
        fields = tuple(s.key for s in specs)
        import_id_fields = ("code",)
        clean_model_instances = True  # full_clean() on every instance
        skip_unchanged = True  # an unchanged row is neither validated nor saved
        report_skipped = False
        skip_html_diff = True  # the admin's preview only

    def init_instance(self: Any, row: Any = None) -> Project:
        return Project(stage=first_stage)  # new projects start at the first stage

    attributes: dict[str, Any] = {
        s.key: fields.Field(attribute=s.key, column_name=export_header(s), widget=widget(s))
        for s in specs
    }
    attributes.update(Meta=Meta, init_instance=init_instance, __module__=__name__)
    resource_class = type("LedgerResource", (resources.ModelResource,), attributes)
    return resource_class()


def worker_die(database: str, rows: int, target: str, path: Path) -> dict[str, Any]:
    """django-import-export importing the same workbook (tablib loads it with openpyxl)."""
    _django(database, rows, "work")
    import tablib
    from django.db import connection

    from cornerstone.projects.models import Project

    before = Project.objects.count()
    resource_ = _die_resource()
    baseline = _rss_mb()
    queries = _QueryCount()
    gc.collect()
    began = time.perf_counter()
    dataset = tablib.Dataset().load(path.read_bytes(), format="xlsx")
    loaded = time.perf_counter()
    with connection.execute_wrapper(queries):
        result = resource_.import_data(
            dataset,
            dry_run=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
        )
    done = time.perf_counter()
    peak = _peak_rss_mb()
    problems = []
    for error in result.base_errors[:3]:
        problems.append(repr(error.error))
    for number, errors in result.row_errors()[:3]:
        problems.append(f"row {number}: {errors[0].error!r}")
    for invalid in result.invalid_rows[:3]:
        problems.append(f"row {invalid.number}: {invalid.error_dict}")
    if problems:
        raise SystemExit("django-import-export reported errors: " + "; ".join(problems))
    return {
        "target": target,
        "rows": len(dataset),
        "load_s": loaded - began,
        "import_s": done - loaded,
        "s": done - began,
        "totals": {str(k): v for k, v in result.totals.items()},
        "queries": queries.count,
        "projects_before": before,
        "projects_after": Project.objects.count(),
        "baseline_rss_mb": baseline,
        "peak_rss_mb": peak,
    }


def worker_export(database: str, rows: int, repeat: int) -> dict[str, Any]:
    """The product's export against XlsxWriter writing the same cells from memory."""
    _django(database, rows, "work")
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    from cornerstone.accounts.models import User
    from cornerstone.core.xlsx import CELL, DATE, HEADER, MONEY, WORKBOOK_OPTIONS
    from cornerstone.ingest.ledger_export import (
        SHEET,
        WIDTHS,
        export_specs,
        ledger_rows,
        ledger_workbook_write,
    )
    from cornerstone.projects.queries import projects_visible

    actor = User.objects.get(username=ACTOR)
    queryset = projects_visible(actor=actor)
    specs = export_specs()
    # The reference's cells: the exported workbook's own values (strings, floats, dates
    # and blanks), in lists, with each column's cell format as the export gives it.
    table = CalamineWorkbook.from_path(str(_workbook_path(rows))).get_sheet_by_index(0).to_python()
    header, data = table[0], table[1:]
    kinds = [s.kind for s in specs] + ["text"]
    widths = [WIDTHS.get(s.kind, 16.0) for s in specs] + [12.0]
    out_product = VAR / f"excel-{rows}-export.xlsx"
    out_raw = VAR / f"excel-{rows}-raw-write.xlsx"

    def raw_write() -> None:
        with out_raw.open("wb") as out:
            book = xlsxwriter.Workbook(out, {**WORKBOOK_OPTIONS, "constant_memory": True})
            sheet = book.add_worksheet(SHEET)
            head = book.add_format(dict(HEADER))
            cell = book.add_format(dict(CELL))
            money = book.add_format({**MONEY, **CELL})
            day = book.add_format({**DATE, **CELL})
            number_format = [money if k == "amount" else cell for k in kinds]
            for col, width in enumerate(widths):
                sheet.set_column(col, col, width)
            sheet.freeze_panes(1, 2)
            for col, text in enumerate(header):
                sheet.write_string(0, col, text, head)
            for r, values in enumerate(data, start=1):
                for c, value in enumerate(values):
                    if value == "":
                        sheet.write_blank(r, c, None, cell)
                    elif isinstance(value, str):
                        sheet.write_string(r, c, value, cell)
                    elif isinstance(value, float | int):
                        sheet.write_number(r, c, value, number_format[c])
                    else:
                        sheet.write_datetime(r, c, value, day)
            sheet.autofilter(0, 0, max(len(data), 1), len(header) - 1)
            book.close()

    def export() -> None:
        with out_product.open("wb") as out:
            ledger_workbook_write(out=out, projects=ledger_rows(queryset))

    listed: list[Any] = []

    def db_read() -> None:
        listed[:] = list(ledger_rows(queryset))

    def write_only() -> None:
        with out_product.open("wb") as out:
            ledger_workbook_write(out=out, projects=listed)

    runs: dict[str, list[float]] = {"raw_write": [], "export": [], "db_read": [], "write_only": []}
    calls = {"raw_write": raw_write, "export": export, "db_read": db_read, "write_only": write_only}
    for _ in range(repeat):
        for name in runs:  # alternating, so that a busy moment does not hit one only
            gc.collect()
            began = time.perf_counter()
            calls[name]()
            runs[name].append(time.perf_counter() - began)
    figures = {f"{name}_s": statistics.median(times) for name, times in runs.items()}
    figures["export_bytes"] = out_product.stat().st_size
    figures["raw_write_bytes"] = out_raw.stat().st_size
    figures["rows"] = len(data)
    out_product.unlink()
    out_raw.unlink()
    return figures


# --------------------------------------------------------------------------- parent


def _run(step: str, args: argparse.Namespace, *extra: str) -> dict[str, Any]:
    """Run one worker step in a subprocess; its last stdout line is its JSON."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        step,
        "--rows",
        str(args.rows),
        "--database",
        args.database,
        "--repeat",
        str(args.repeat),
        "--die-rows",
        str(args.die_rows),
        *extra,
    ]
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"!! {step} {' '.join(extra)}: failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _prepare(args: argparse.Namespace) -> dict[str, Any]:
    """Build the bench databases and workbooks, or reuse them with --keep."""
    sidecar = _sidecar(args.rows, args.database)
    files = [_workbook_path(args.rows)]
    if args.die_rows < args.rows:
        files.append(_slice_path(args.rows, args.die_rows))
    if args.keep and sidecar.exists():
        built = json.loads(sidecar.read_text())
        if (
            built.get("die_rows") == args.die_rows
            and all(f.exists() for f in files)
            and _database_exists(args.database, args.rows, "source")
            and _database_exists(args.database, args.rows, "empty")
        ):
            _log(f"reusing the bench ledger of {args.rows} projects (--keep)")
            return {**built, "reused": True}
    sidecar.unlink(missing_ok=True)
    _database_fresh(args.database, args.rows, "source")
    built = _run("build", args)
    _database_fresh(args.database, args.rows, "empty")
    empty = _run("build_empty", args)
    if empty["projects"]:
        raise SystemExit("!! the empty ledger still holds projects")
    built["die_rows"] = args.die_rows
    sidecar.write_text(json.dumps(built))
    return {**built, "reused": False}


def _import(args: argparse.Namespace, target: str, path: Path, profile: bool = False) -> Any:
    _work_copy(args.database, args.rows, TARGETS[target])
    extra = ["--target", target, "--file", str(path)]
    return _run("import", args, *extra, *(["--profile"] if profile else []))


def _die(args: argparse.Namespace, target: str, path: Path) -> Any:
    _work_copy(args.database, args.rows, TARGETS[target])
    return _run("die", args, "--target", target, "--file", str(path))


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median total time, and the worst peak memory of all runs."""
    ordered = sorted(runs, key=lambda r: r["s"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    return chosen


def _code_version() -> str:
    """The commit measured, and whether the product's code differs from it."""
    git = shutil.which("git")
    if git is None:
        return "unknown (no git)"
    head = subprocess.run(
        [git, "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    if head.returncode != 0:
        return "unknown (not a git checkout)"
    changed = subprocess.run(
        [git, "status", "--porcelain", "--", "cornerstone", "config"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return head.stdout.strip() + (" + uncommitted changes" if changed else "")


def _bench(name: str, value: float, unit: str) -> None:
    shown = f"{value:.0f}" if unit in ("rows", "cells", "columns", "queries") else f"{value:.3f}"
    print(f"BENCH {name} {shown} {unit}")


def _size(rows: int) -> str:
    return f"{rows // 1000}k" if rows % 1000 == 0 and rows >= 1000 else str(rows)


def measure(args: argparse.Namespace) -> dict[str, Any]:
    built = _prepare(args)
    workbook = _workbook_path(args.rows)
    slice_path = _slice_path(args.rows, args.die_rows) if args.die_rows < args.rows else workbook
    results: dict[str, Any] = {
        "built": built,
        "workbook_bytes": workbook.stat().st_size,
        "code": _code_version(),
    }
    _log("raw read (python-calamine) …")
    results["raw_read"] = _run("raw_read", args, "--file", str(workbook))
    imports = {}
    for target in TARGETS:
        runs = []
        for attempt in range(args.repeat):
            _log(f"product import, {target} ledger ({attempt + 1}/{args.repeat}) …")
            runs.append(_import(args, target, workbook))
        imports[target] = _median_run(runs)
    results["import"] = imports
    _log("raw insert of the same project rows (executemany) …")
    _work_copy(args.database, args.rows, "empty")
    results["raw_insert"] = _run("raw_insert", args)
    die: dict[str, Any] = {}
    ours_on_slice: dict[str, Any] = {}
    for target in ("empty", "populated"):
        runs = []
        for attempt in range(args.repeat):
            _log(f"django-import-export, {target} ledger, {args.die_rows} rows ({attempt + 1}) …")
            runs.append(_die(args, target, slice_path))
        die[target] = _median_run(runs)
        if slice_path == workbook:
            ours_on_slice[target] = imports[target]
        else:
            runs = []
            for _attempt in range(args.repeat):
                _log(f"product import, {target} ledger, the same {args.die_rows} rows …")
                runs.append(_import(args, target, slice_path))
            ours_on_slice[target] = _median_run(runs)
    results["die"] = die
    results["ours_on_slice"] = ours_on_slice
    _log("export against the raw writer …")
    _work_copy(args.database, args.rows, "source")
    results["export"] = _run("export", args)
    if args.profile:
        profiles = {}
        for target in ("empty", "changed"):
            _log(f"profiling the product import, {target} ledger …")
            profiles[target] = _import(args, target, workbook, profile=True)
        results["profile"] = profiles
    _work_drop(args.database, args.rows)
    return results


def report(args: argparse.Namespace, results: dict[str, Any]) -> None:
    """Human-readable tables, then one BENCH line per figure."""
    n, m = args.rows, args.die_rows
    built, raw, imports = results["built"], results["raw_read"], results["import"]
    die, slice_ours, export = results["die"], results["ours_on_slice"], results["export"]
    how = "reused (--keep)" if built["reused"] else "built"
    print(f"\n== Excel import and export: {n} projects, {args.database} ==")
    print(f"code: {results['code']}")
    print(f"demo ledger {how}: load_demo took {built['build_s']:.1f} s")
    print(
        f"workbook {_workbook_path(n).relative_to(ROOT)}: {raw['rows'] - 1} data rows, "
        f"{built['columns']} columns, {raw['cells']} non-empty cells, "
        f"{results['workbook_bytes'] / 1e6:.1f} MB"
    )
    print(
        f"\nraw read (calamine to_python): {raw['s']:.2f} s   "
        f"(iter_rows, as the product reads: {raw['iter_s']:.2f} s;"
        f" peak RSS {raw['peak_rss_mb']:.0f} MB)"
    )
    print("\nproduct import (open and check the file | parse, validate, plan | write):")
    print(
        f"  {'ledger':10} {'total':>8} {'open':>7} {'check':>8} {'commit':>7} {'×raw':>6}"
        f"  {'created':>8} {'updated':>8} {'unchanged':>9}  {'RSS base':>8} {'peak':>6}"
        f"  {'SQL check+commit':>16}"
    )
    for target, r in imports.items():
        print(
            f"  {target:10} {r['s']:>7.2f}s {r['open_s']:>6.2f}s {r['check_s']:>7.2f}s"
            f" {r['commit_s']:>6.2f}s {r['s'] / raw['s']:>5.1f}x  {r['created']:>8}"
            f" {r['updated']:>8} {r['unchanged']:>9}  {r['baseline_rss_mb']:>6.0f}MB"
            f" {r['peak_rss_mb']:>4.0f}MB  {r['check_queries']:>8}+{r['commit_queries']}"
        )
    raw_insert = results["raw_insert"]
    print(
        f"  raw insert of the same {raw_insert['rows']} project rows (executemany, one"
        f" transaction): {raw_insert['s']:.2f} s = "
        f"{raw_insert['s'] / imports['empty']['s'] * 100:.0f}% of the import into the empty"
        f" ledger ({raw_insert['s'] / imports['empty']['commit_s'] * 100:.0f}% of its commit)"
    )
    edited = imports["changed"]["edited"]
    print(f"  (changed: {edited} projects edited in the database after the export)")
    sliced = m < n
    print(
        f"\ndjango-import-export {'on the first ' + str(m) + ' rows' if sliced else 'on all rows'}"
        " (tablib + openpyxl load | import_data):"
    )
    for target, r in die.items():
        ours = slice_ours[target]
        print(
            f"  {target:10} {r['s']:>7.2f}s = {r['load_s']:.2f}s + {r['import_s']:.2f}s"
            f"  ({r['s'] / r['rows'] * 1000:.2f} ms/row, {r['queries']} SQL,"
            f" peak RSS {r['peak_rss_mb']:.0f} MB)"
            f"  totals {r['totals']}"
        )
        print(
            f"  {'':10} product on the same rows: {ours['s']:.2f}s"
            f" ({ours['s'] / r['s']:.3f} of theirs);"
            f" product on all {n} rows: {imports[target]['s'] / n * 1000:.3f} ms/row"
        )
    if sliced:
        print(
            f"  (django-import-export is measured on {m} rows and compared per row: "
            f"at its rate, {n} rows would take about {die['empty']['s'] / m * n:.0f} s)"
        )
    print("\nexport (queryset → workbook) against XlsxWriter writing the same cells from lists:")
    print(
        f"  raw write {export['raw_write_s']:.2f} s ({export['raw_write_bytes'] / 1e6:.1f} MB);"
        f" product export {export['export_s']:.2f} s ({export['export_bytes'] / 1e6:.1f} MB)"
        f" = {export['export_s'] / export['raw_write_s']:.2f}x"
    )
    print(
        f"  of which reading the database (list(ledger_rows(qs))): {export['db_read_s']:.2f} s;"
        f" the product's writer fed a list: {export['write_only_s']:.2f} s"
        f" = {export['write_only_s'] / export['raw_write_s']:.2f}x"
    )
    for target, r in results.get("profile", {}).items():
        print(f"\n-- cProfile: product import, {target} ledger, {n} rows (top {PROFILE_TOP}) --")
        print(r["profile"].strip())

    # The headline figures are the worst over the ledgers imported into.
    print()
    size = _size(n)
    _bench("excel_rows", n, "rows")
    _bench("excel_columns", built["columns"], "columns")
    _bench("excel_workbook_mb", results["workbook_bytes"] / 1e6, "MB")
    _bench(f"excel_demo_build_{args.database}_s", built["build_s"], "s")
    _bench("raw_read_s", raw["s"], "s")
    _bench("raw_read_iter_rows_s", raw["iter_s"], "s")
    _bench("raw_read_peak_rss_mb", raw["peak_rss_mb"], "MB")
    for target, r in imports.items():
        _bench(f"import_{target}_{size}_s", r["s"], "s")
        _bench(f"import_{target}_open_s", r["open_s"], "s")
        _bench(f"import_{target}_check_s", r["check_s"], "s")
        _bench(f"import_{target}_commit_s", r["commit_s"], "s")
        _bench(f"import_{target}_vs_raw_read", r["s"] / raw["s"], "x")
        _bench(f"import_{target}_peak_rss_mb", r["peak_rss_mb"], "MB")
        _bench(f"import_{target}_queries", r["check_queries"] + r["commit_queries"], "queries")
    for target, r in die.items():
        _bench(f"django_import_export_{target}_{_size(r['rows'])}_s", r["s"], "s")
        _bench(f"django_import_export_{target}_ms_per_row", r["s"] / r["rows"] * 1000, "ms")
        _bench(f"django_import_export_{target}_peak_rss_mb", r["peak_rss_mb"], "MB")
        _bench(f"django_import_export_{target}_queries", r["queries"], "queries")
        _bench(
            f"import_{target}_vs_django_import_export_same_rows",
            slice_ours[target]["s"] / r["s"],
            "x",
        )
        per_row = (imports[target]["s"] / n) / (r["s"] / r["rows"])
        _bench(f"import_{target}_vs_django_import_export", per_row, "x")
    _bench("import_rows_django_import_export", die["empty"]["rows"], "rows")
    _bench("raw_insert_s", raw_insert["s"], "s")
    _bench("import_vs_raw_insert", imports["empty"]["s"] / raw_insert["s"], "x")
    _bench("export_s", export["export_s"], "s")
    _bench("export_raw_write_s", export["raw_write_s"], "s")
    _bench("export_db_read_s", export["db_read_s"], "s")
    _bench("export_write_only_s", export["write_only_s"], "s")
    _bench("export_write_only_vs_raw_write", export["write_only_s"] / export["raw_write_s"], "x")
    vs_raw = max(r["s"] / raw["s"] for r in imports.values())
    vs_die = max((imports[t]["s"] / n) / (r["s"] / r["rows"]) for t, r in die.items())
    peak = max(r["peak_rss_mb"] for r in imports.values())
    vs_write = export["export_s"] / export["raw_write_s"]
    _bench("import_vs_raw_read", vs_raw, "x")
    _bench("import_vs_django_import_export", vs_die, "x")
    _bench("import_peak_rss_mb", peak, "MB")
    _bench("export_vs_raw_write", vs_write, "x")
    goals = [
        ("import ≤ 3× the raw read", vs_raw <= GOAL_IMPORT_VS_RAW_READ, f"{vs_raw:.2f}x"),
        (
            "import ≥ 10× faster than django-import-export",
            vs_die <= GOAL_IMPORT_VS_DIE,
            f"{vs_die:.3f}x",
        ),
        ("import peak memory under 1 GB", peak < GOAL_PEAK_RSS_MB, f"{peak:.0f} MB"),
        (
            "export within 1.1× of the raw writer",
            vs_write <= GOAL_EXPORT_VS_RAW_WRITE,
            f"{vs_write:.2f}x",
        ),
    ]
    for goal, met, value in goals:
        print(f"goal {'met   ' if met else 'MISSED'}: {goal} ({value})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="projects in the workbook")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="runs of each measurement (default 1 at 50,000 rows or more, else 3)",
    )
    parser.add_argument(
        "--die-rows",
        type=int,
        default=DIE_ROWS,
        help=f"rows django-import-export imports (default {DIE_ROWS}; 0: all)",
    )
    parser.add_argument("--keep", action="store_true", help="reuse the built databases and files")
    parser.add_argument(
        "--profile", action="store_true", help=f"cProfile the import, top {PROFILE_TOP}"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--target", choices=list(TARGETS), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rows < 1:
        parser.error("--rows must be positive")
    if args.repeat is None:
        args.repeat = 1 if args.rows >= 50_000 else 3
    if args.die_rows <= 0 or args.die_rows > args.rows:
        args.die_rows = args.rows
    if args.worker:
        steps = {
            "build": lambda: worker_build(args.database, args.rows, args.die_rows),
            "build_empty": lambda: worker_build_empty(args.database, args.rows),
            "raw_read": lambda: worker_raw_read(args.file, args.repeat),
            "import": lambda: worker_import(
                args.database, args.rows, args.target, args.file, args.profile
            ),
            "die": lambda: worker_die(args.database, args.rows, args.target, args.file),
            "raw_insert": lambda: worker_raw_insert(args.database, args.rows),
            "export": lambda: worker_export(args.database, args.rows, args.repeat),
        }
        print(json.dumps(steps[args.worker]()))
        return
    report(args, measure(args))


if __name__ == "__main__":
    main()

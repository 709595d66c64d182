"""Ledger speed: the list page and the API list over a demo ledger of N projects.

Run from the repository root with the project's environment:

    .venv/bin/python bench/ledger.py                      # 100,000 projects, both databases
    .venv/bin/python bench/ledger.py --projects 5000 --database sqlite --repeat 5

Each database is measured in a subprocess of its own (Django binds to one database at
start-up). The databases are the bench's own — var/bench/ledger-<N>.sqlite3 and the
PostgreSQL database bench_ledger_<N> on 127.0.0.1:5432 — built once with ``load_demo``
and reused while N is unchanged (``--rebuild`` forces a new build). Times are server
time measured in-process around ``django.test.Client`` calls; the reference is the two
bare ORM reads a page makes (the count and sum, then the 50 rows), measured in the same
run, so that the ratio — what the request, filters and rendering add — survives a busy
machine. Every figure is printed for people and once more as ``BENCH <name> <value>
<unit>`` for programs. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
GOAL_MS = 100.0

# (name, query string): the filters a person uses most, as the issue lists them.
FILTERS = [
    ("unfiltered", ""),
    ("region_tier_threshold", "region=140100&tier=provincial&threshold=10000"),
    ("text", "q=新材料"),
    ("kind_sort", "kind=new&sort=-start"),
]
USERS = [("province_admin", "admin_shanxi"), ("county_admin", "admin_xiaodian")]
ENDPOINTS = ["list_page", "list_partial", "api_list"]
API_PAGE_SIZES = (10, 50, 200)
ROWS = 50


# --------------------------------------------------------------------------- worker


def _database_url(database: str, projects: int) -> str:
    if database == "sqlite":
        return f"sqlite:///{VAR / f'ledger-{projects}.sqlite3'}"
    return f"{PG_SERVER}/bench_ledger_{projects}"


def _prepare_database(database: str, projects: int, rebuild: bool) -> None:
    """Drop the bench database when asked to rebuild; create the PostgreSQL one if missing."""
    VAR.mkdir(parents=True, exist_ok=True)
    if database == "sqlite":
        if rebuild:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{VAR / f'ledger-{projects}.sqlite3'}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = f"bench_ledger_{projects}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and rebuild:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _timed(call: Any, repeat: int, warmup: int = 2) -> list[float]:
    """Milliseconds of ``repeat`` calls after ``warmup`` untimed ones."""
    for _ in range(warmup):
        call()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return times


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median": statistics.median(ordered), "p95": p95}


def worker(database: str, projects: int, repeat: int, rebuild: bool) -> dict[str, Any]:
    """Build (or reuse) one database and measure it; returns the figures as a dict."""
    _prepare_database(database, projects, rebuild)
    os.environ["DATABASE_URL"] = _database_url(database, projects)
    os.environ["CORNERSTONE_ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("CORNERSTONE_DEBUG", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    from io import StringIO

    from django.core.management import call_command
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cornerstone.accounts.models import ApiToken, User
    from cornerstone.accounts.services import api_token_create
    from cornerstone.projects.filters import ProjectFilterSet
    from cornerstone.projects.models import Project
    from cornerstone.projects.queries import ledger_page, ledger_summary, projects_visible

    result: dict[str, Any] = {"database": database, "projects": projects, "errors": []}
    sidecar = VAR / f"ledger-{projects}-{database}.json"
    began = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    result["migrate_s"] = time.perf_counter() - began
    built = (
        Project.objects.count() == projects
        and User.objects.filter(username="admin_shanxi").exists()
    )
    if built and sidecar.exists():
        result["build_s"] = json.loads(sidecar.read_text())["build_s"]
        result["reused"] = True
        _log(f"[{database}] reusing the demo ledger of {projects} projects")
    else:
        _log(f"[{database}] building the demo ledger: {projects} projects …")
        began = time.perf_counter()
        call_command(
            "load_demo", projects=projects, reset=Project.objects.exists(), stdout=StringIO()
        )
        result["build_s"] = time.perf_counter() - began
        result["reused"] = False
        sidecar.write_text(json.dumps({"build_s": result["build_s"], "projects": projects}))
        _log(f"[{database}] built in {result['build_s']:.1f} s")
    if database == "postgresql":
        # Autovacuum visits a freshly loaded table on its own soon after: its statistics,
        # and the visibility map that index-only counts need. Do it now.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    clients: dict[str, tuple[Client, dict[str, str], Any]] = {}
    for role, username in USERS:
        user = User.objects.get(username=username)
        # A failing view is reported as its status code, not as a crashed bench.
        client = Client(raise_request_exception=False)
        client.force_login(user)
        ApiToken.objects.filter(user=user, name="bench").delete()
        _token, raw = api_token_create(actor=user, name="bench")
        clients[role] = (client, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}, user)

    def request(endpoint: str, client: Client, auth: dict[str, str], query: str) -> Any:
        if endpoint == "api_list":
            return client.get(f"/api/v1/projects?{query}", **auth)
        headers = {"HTTP_HX_REQUEST": "true"} if endpoint == "list_partial" else {}
        return client.get(f"/projects/?{query}", **headers)

    # Page sizes the list page accepts (it falls back to 50 for any other value).
    from cornerstone.projects.views import PER_PAGE_CHOICES

    page_sizes = {
        "list_page": (min(PER_PAGE_CHOICES), ROWS, max(PER_PAGE_CHOICES)),
        "list_partial": (min(PER_PAGE_CHOICES), ROWS, max(PER_PAGE_CHOICES)),
        "api_list": API_PAGE_SIZES,
    }
    size_param = {"list_page": "per_page", "list_partial": "per_page", "api_list": "page_size"}

    timings: list[dict[str, Any]] = []
    queries: list[dict[str, Any]] = []
    for role, (client, auth, user) in clients.items():
        for filter_name, query in FILTERS:
            filterset = ProjectFilterSet(QueryDict(query), queryset=projects_visible(actor=user))
            assert filterset.is_valid(), filterset.errors
            count = ledger_summary(filterset.qs).count

            def orm_rows(fs: Any = filterset) -> None:
                # The two reads a page makes: the count and sum, then the page's rows.
                ledger_summary(fs.qs)
                ledger_page(fs.qs, 0, ROWS)

            def orm_count(fs: Any = filterset) -> None:
                ledger_summary(fs.qs)

            reference = _summary(_timed(orm_rows, repeat))
            counting = _summary(_timed(orm_count, repeat))
            for endpoint in ENDPOINTS:
                size_query = f"{size_param[endpoint]}={ROWS}"
                full = f"{query}&{size_query}" if query else size_query
                response = request(endpoint, client, auth, full)
                if response.status_code != 200:
                    result["errors"].append(
                        f"{endpoint} {role} ?{full} answered {response.status_code}"
                    )
                    continue
                times = _timed(
                    lambda e=endpoint, c=client, a=auth, f=full: request(e, c, a, f), repeat
                )
                timings.append(
                    {
                        "endpoint": endpoint,
                        "user": role,
                        "filter": filter_name,
                        "rows_matching": count,
                        **_summary(times),
                        "orm_rows_ms": reference["median"],
                        "orm_count_ms": counting["median"],
                    }
                )
                for size in page_sizes[endpoint]:
                    size_query = f"{size_param[endpoint]}={size}"
                    full = f"{query}&{size_query}" if query else size_query
                    with CaptureQueriesContext(connection) as captured:
                        response = request(endpoint, client, auth, full)
                    shown = None
                    if endpoint == "api_list" and response.status_code == 200:
                        shown = len(response.json()["results"])
                    queries.append(
                        {
                            "endpoint": endpoint,
                            "user": role,
                            "filter": filter_name,
                            "page_size": size,
                            "queries": len(captured.captured_queries),
                            "rows_shown": shown,
                            "status": response.status_code,
                        }
                    )
            _log(
                f"[{database}] {role:14} {filter_name:22} {count:>7} rows  "
                + "  ".join(
                    f"{t['endpoint']} {t['median']:.1f} ms"
                    for t in timings
                    if t["user"] == role and t["filter"] == filter_name
                )
            )
    result["timings"] = timings
    result["queries"] = queries
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
    shown = f"{value:.0f}" if unit in ("queries", "rows") else f"{value:.2f}"
    print(f"BENCH {name} {shown} {unit}")


def report(results: list[dict[str, Any]]) -> None:
    """Human-readable tables, then one BENCH line per figure."""
    for result in results:
        db = result["database"]
        print(f"\n== {db}: {result['projects']} projects ==")
        how = "reused, built earlier in" if result["reused"] else "built in"
        print(f"demo ledger {how} {result['build_s']:.1f} s")
        print(
            f"{'endpoint':13} {'user':14} {'filter':22} {'rows':>7} {'median':>8} {'p95':>8}"
            f" {'orm 50':>7} {'count':>7} {'ratio':>6}"
        )
        for t in result["timings"]:
            print(
                f"{t['endpoint']:13} {t['user']:14} {t['filter']:22} {t['rows_matching']:>7}"
                f" {t['median']:>6.1f}ms {t['p95']:>6.1f}ms {t['orm_rows_ms']:>5.1f}ms"
                f" {t['orm_count_ms']:>5.1f}ms {t['median'] / t['orm_rows_ms']:>5.1f}x"
            )
        print("SQL queries per request by page size:")
        grouped: dict[tuple[str, str, str], list[str]] = {}
        for q in result["queries"]:
            shown = f"/{q['rows_shown']} rows" if q["rows_shown"] is not None else ""
            grouped.setdefault((q["endpoint"], q["user"], q["filter"]), []).append(
                f"{q['page_size']}→{q['queries']}{shown}"
            )
        for (endpoint, user, filter_name), cells in grouped.items():
            print(f"  {endpoint:13} {user:14} {filter_name:22} " + "  ".join(cells))
        for error in result["errors"]:
            print(f"!! {error}")

    print()
    for result in results:
        db = result["database"]
        _bench(f"ledger_demo_build_{db}_s", result["build_s"], "s")
    worst: dict[str, float] = {}
    worst_p95: dict[str, float] = {}
    ratios: dict[str, float] = {}
    for result in results:
        db = result["database"]
        by_key: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for t in result["timings"]:
            by_key.setdefault((t["endpoint"], t["filter"]), []).append(t)
        for (endpoint, filter_name), rows in by_key.items():
            median = max(t["median"] for t in rows)
            _bench(f"ledger_{endpoint}_{db}_{filter_name}_ms", median, "ms")
            worst[endpoint] = max(worst.get(endpoint, 0.0), median)
            worst_p95[endpoint] = max(worst_p95.get(endpoint, 0.0), max(t["p95"] for t in rows))
            ratio = max(t["median"] / t["orm_rows_ms"] for t in rows)
            key = f"{endpoint}_{db}"
            ratios[key] = max(ratios.get(key, 0.0), ratio)
        reference = max(t["orm_rows_ms"] for t in result["timings"]) if result["timings"] else 0
        _bench(f"ledger_orm_rows_reference_{db}_ms", reference, "ms")
    for key, ratio in ratios.items():
        endpoint, db = key.rsplit("_", 1)
        _bench(f"ledger_{endpoint}_{db}_vs_orm_ratio", ratio, "x")
    for endpoint in ENDPOINTS:
        if endpoint in worst:
            _bench(f"ledger_{endpoint}_p95_ms", worst_p95[endpoint], "ms")
    queries = [q for r in results for q in r["queries"]]
    for endpoint, name in (
        ("list_page", "ledger_queries_per_page"),
        ("list_partial", "ledger_partial_queries_per_page"),
        ("api_list", "ledger_api_queries_per_page"),
    ):
        at_rows = [q["queries"] for q in queries if q["endpoint"] == endpoint]
        if not at_rows:
            continue
        at_50 = max(
            q["queries"] for q in queries if q["endpoint"] == endpoint and q["page_size"] == ROWS
        )
        growth = 0
        by_case: dict[tuple[str, str, str], dict[int, int]] = {}
        for q in queries:
            if q["endpoint"] == endpoint:
                by_case.setdefault((q["database"], q["user"], q["filter"]), {})[q["page_size"]] = q[
                    "queries"
                ]
        for sizes in by_case.values():
            growth = max(growth, max(sizes.values()) - min(sizes.values()))
        _bench(name, at_50, "queries")
        _bench(f"{name.removesuffix('_per_page')}_growth_small_to_large", growth, "queries")
    if "list_page" in worst:
        _bench("ledger_list_page_ms", worst["list_page"], "ms")
    if "list_partial" in worst:
        _bench("ledger_list_partial_ms", worst["list_partial"], "ms")
    if "api_list" in worst:
        _bench("ledger_api_list_ms", worst["api_list"], "ms")
    slow = {e: v for e, v in worst.items() if v >= GOAL_MS}
    if slow:
        print(f"goal ({GOAL_MS:.0f} ms for a 50-row page) missed by: " + ", ".join(slow))
    elif worst:
        print(f"goal met: every 50-row page under {GOAL_MS:.0f} ms (worst median)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=100_000, help="demo ledger size")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per request")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the bench databases")
    parser.add_argument("--worker", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        result = worker(args.worker, args.projects, args.repeat, args.rebuild)
        print(json.dumps(result))
        return
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    results = []
    for database in databases:
        result = _run_worker(database, args)
        if result is not None:
            for q in result["queries"]:
                q["database"] = database
            results.append(result)
    report(results)
    if len(results) < len(databases):
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Scheduling speed: the reverse-scheduling engine on a random network of N tasks.

Run from the repository root with the project's environment:

    .venv/bin/python bench/schedule.py                    # 10,000 tasks, 20 timed runs
    .venv/bin/python bench/schedule.py --tasks 2000 --repeat 5

The network is random but fixed by ``--seed``: about two predecessors per task among
the thousand before it (mostly finish-to-start, some start-to-start, some lags and
leads), a few point tasks, the first tenth finished or under way, a few task deadlines
and a project deadline. The task list is shuffled so that it is not in topological
order; the objects are then made in list order, as a query's rows are.

The reference is a straightforward networkx implementation of the same passes
(``nx.DiGraph``, ``nx.topological_sort``, dicts per node, the same calendar), timed in
the same run, alternating with ours; the two results must be identical or the script
exits 1. A full garbage collection runs before each timed call, and the collector stays
on during it, as in a request. Every figure is printed for people and once more as
``BENCH <name> <value> <unit>`` for programs. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cornerstone.plans.scheduling import (  # noqa: E402 (after the path is set)
    Dependency,
    DependencyKind,
    Schedule,
    TaskInput,
    TaskSchedule,
    schedule_compute,
)
from cornerstone.plans.workdays import WorkCalendar, shipped_calendar_days  # noqa: E402

GOAL_MS = 100.0
GOAL_TASKS = 10_000
TODAY = dt.date(2026, 11, 24)
FS = DependencyKind.FINISH_TO_START
SS = DependencyKind.START_TO_START


# --------------------------------------------------------------------------- the network


def build_network(n: int, seed: int) -> tuple[list[TaskInput], dt.date]:
    """N tasks with about two predecessors each, some progress, and a project deadline."""
    rng = random.Random(seed)
    specs: list[dict[str, Any]] = []
    for i in range(n):
        # Predecessors among the thousand tasks before: a long project of many
        # parallel work packages rather than one chain or a shallow heap.
        count = min(i, rng.choice((1, 2, 2, 2, 3)))
        preds = rng.sample(range(max(0, i - 1000), i), count) if count else []
        links = [
            (p, SS if rng.random() < 0.15 else FS, rng.choice((0, 0, 0, 0, 0, 0, 1, 2, 3, -1)))
            for p in preds
        ]
        spec: dict[str, Any] = {
            "key": i,
            "name": f"任务{i}",
            "duration": 0 if rng.random() < 0.05 else rng.randint(1, 15),
            "links": links,
        }
        if rng.random() < 0.02:
            spec["deadline"] = TODAY + dt.timedelta(days=rng.randint(180, 900))
        if i < n // 10:
            # The first tenth is done or under way; actual dates are never after today.
            start = TODAY - dt.timedelta(days=rng.randint(20, 200))
            spec["actual_start"] = start
            if rng.random() < 0.8:
                spec["actual_finish"] = start + dt.timedelta(
                    days=rng.randint(0, (TODAY - start).days)
                )
        specs.append(spec)
    # Out of topological order, as a list read from the database may be; the objects are
    # made in list order, as a query's rows would be.
    rng.shuffle(specs)
    tasks = [
        TaskInput(
            key=spec["key"],
            name=spec["name"],
            duration=spec["duration"],
            predecessors=tuple(Dependency(p, kind, lag) for p, kind, lag in spec["links"]),
            deadline=spec.get("deadline"),
            actual_start=spec.get("actual_start"),
            actual_finish=spec.get("actual_finish"),
        )
        for spec in specs
    ]
    return tasks, TODAY + dt.timedelta(days=2 * 365)


# --------------------------------------------------------------------------- the reference


def schedule_networkx(
    *,
    tasks: Sequence[TaskInput],
    deadline: dt.date | None,
    today: dt.date,
    calendar: WorkCalendar,
) -> Schedule:
    """The engine's semantics (see its module docstring), written the plain graph way."""
    graph = nx.DiGraph()
    for position, task in enumerate(tasks):
        graph.add_node(task.key, task=task, position=position)
    for task in tasks:
        for dep in task.predecessors:
            graph.add_edge(dep.predecessor, task.key, kind=dep.kind, lag=dep.lag)
    order = list(nx.topological_sort(graph))
    node = graph.nodes
    now = calendar.start_ordinal(today)

    for key in order:
        data = node[key]
        task = data["task"]
        if task.actual_start is not None:
            data["es"] = calendar.start_ordinal(task.actual_start)
            if task.actual_finish is not None:
                data["ef"] = calendar.end_ordinal(task.actual_finish)
            else:
                data["ef"] = max(data["es"] + task.duration, now + 1)
            continue
        es = now
        for p in graph.predecessors(key):
            edge = graph.edges[p, key]
            at = node[p]["es"] if edge["kind"] == SS else node[p]["ef"]
            es = max(es, at + edge["lag"])
        data["es"], data["ef"] = es, es + task.duration

    def finished(key: Hashable) -> bool:
        return node[key]["task"].actual_finish is not None

    if deadline is not None:
        bound = calendar.end_ordinal(deadline)
    else:
        open_ends = [node[k]["ef"] for k in order if not finished(k)]
        bound = max(open_ends or [node[k]["ef"] for k in order])
    for key in reversed(order):
        data = node[key]
        task = data["task"]
        lf = bound
        if task.deadline is not None:
            lf = min(lf, calendar.end_ordinal(task.deadline))
        ls_cap = None
        for s in graph.successors(key):
            if node[s]["task"].actual_start is not None:
                continue  # a started task's links are spent
            edge = graph.edges[key, s]
            limit = node[s]["ls"] - edge["lag"]
            if edge["kind"] == SS:
                ls_cap = limit if ls_cap is None else min(ls_cap, limit)
            else:
                lf = min(lf, limit)
        span = data["ef"] - data["es"]
        ls = lf - span if ls_cap is None else min(lf - span, ls_cap)
        data["ls"], data["lf"] = ls, ls + span

    floats = {k: node[k]["ls"] - node[k]["es"] for k in order}
    open_floats = [floats[k] for k in order if not finished(k)]
    least = min(open_floats) if open_floats else 0
    critical = {k: not finished(k) and floats[k] == least for k in order}

    chain: list[Hashable] = []
    ends = [k for k in order if critical[k]]
    current: Hashable | None = None
    if ends:
        current = max(ends, key=lambda k: (node[k]["ef"], node[k]["es"], -node[k]["position"]))
    while current is not None:
        chain.append(current)
        task = node[current]["task"]
        driver = None
        if task.actual_start is None:
            for dep in task.predecessors:
                p = dep.predecessor
                at = node[p]["es"] if dep.kind == SS else node[p]["ef"]
                if not finished(p) and at + dep.lag == node[current]["es"]:
                    driver = p
                    break
        current = driver
    chain.reverse()

    results = {}
    for task in tasks:
        data = node[task.key]
        es, ef, ls, lf = data["es"], data["ef"], data["ls"], data["lf"]
        early, late = (es, ef - 1), (ls, lf - 1)
        if ef == es:
            day = ef - 1 if finished(task.key) else max(ef - 1, now)
            early, late = (day, day), (lf - 1, lf - 1)
        results[task.key] = TaskSchedule(
            key=task.key,
            early_start=calendar.date_of_ordinal(early[0]),
            early_finish=calendar.date_of_ordinal(early[1]),
            late_start=calendar.date_of_ordinal(late[0]),
            late_finish=calendar.date_of_ordinal(late[1]),
            total_float=floats[task.key],
            critical=critical[task.key],
            started=task.actual_start is not None,
            finished=task.actual_finish is not None,
            late_start_passed=task.actual_start is None and late[0] < now,
            overdue=task.actual_finish is None and late[1] < now,
        )
    shortfall = max(0, -least)
    return Schedule(
        tasks=results,
        order=order,
        critical_path=chain,
        early_finish=max((r.early_finish for r in results.values()), default=None),
        deadline=deadline,
        feasible=shortfall == 0,
        shortfall=shortfall,
        binding_chain=chain if shortfall else [],
    )


# --------------------------------------------------------------------------- measuring


def differences(ours: Schedule, ref: Schedule, tasks: Sequence[TaskInput]) -> list[str]:
    """What differs between the two results (the topological order may, if valid)."""
    found = []
    for name in (
        "critical_path",
        "early_finish",
        "deadline",
        "feasible",
        "shortfall",
        "binding_chain",
    ):
        if getattr(ours, name) != getattr(ref, name):
            found.append(f"{name}: {getattr(ours, name)!r} != {getattr(ref, name)!r}")
    if ours.tasks != ref.tasks:
        wrong = [k for k in ref.tasks if ours.tasks.get(k) != ref.tasks[k]]
        found.append(f"tasks: {len(wrong)} differ, first {wrong[:1]!r}")
    position = {key: i for i, key in enumerate(ours.order)}
    if len(position) != len(tasks) or any(
        position[d.predecessor] >= position[t.key] for t in tasks for d in t.predecessors
    ):
        found.append("order: not a topological order of the tasks")
    return found


def timed(run: Callable[[], Schedule]) -> tuple[float, Schedule]:
    gc.collect()
    started = time.perf_counter()
    result = run()
    return (time.perf_counter() - started) * 1000, result


def size_label(n: int) -> str:
    """10000 → "10k", 2000 → "2k", 1500 → "1500": the task count in BENCH names."""
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def _bench(name: str, value: float, unit: str) -> None:
    print(f"BENCH {name} {value:.2f} {unit}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=10_000, help="tasks in the network")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of each")
    parser.add_argument("--seed", type=int, default=1, help="random network seed")
    args = parser.parse_args()

    tasks, deadline = build_network(args.tasks, args.seed)
    calendar = WorkCalendar.from_days(shipped_calendar_days())
    links = sum(len(t.predecessors) for t in tasks)

    def ours() -> Schedule:
        return schedule_compute(tasks=tasks, deadline=deadline, today=TODAY, calendar=calendar)

    def reference() -> Schedule:
        return schedule_networkx(tasks=tasks, deadline=deadline, today=TODAY, calendar=calendar)

    # Untimed warm-up: the calendar's tables, imports, caches.
    for _ in range(2):
        ours()
        reference()
    ours_ms: list[float] = []
    ref_ms: list[float] = []
    problems: list[str] = []
    for _ in range(max(1, args.repeat)):
        elapsed, ours_result = timed(ours)
        ours_ms.append(elapsed)
        elapsed, ref_result = timed(reference)
        ref_ms.append(elapsed)
        problems = differences(ours_result, ref_result, tasks)
        if problems:
            break

    summary: dict[str, Any] = {
        "critical": sum(t.critical for t in ours_result.tasks.values()),
        "path": len(ours_result.critical_path),
    }
    print(f"== {args.tasks} tasks, {links} links, seed {args.seed}, today {TODAY} ==")
    print(
        f"early finish {ours_result.early_finish}, deadline {deadline},"
        f" feasible {ours_result.feasible} (shortfall {ours_result.shortfall} working days),"
        f" {summary['critical']} critical tasks, critical path of {summary['path']}"
    )
    print(f"{'implementation':16} {'median':>9} {'min':>9} {'runs':>5}")
    for name, times in (("ours", ours_ms), ("networkx", ref_ms)):
        print(f"{name:16} {statistics.median(times):>7.1f}ms {min(times):>7.1f}ms {len(times):>5}")
    ratio = statistics.median(ours_ms) / statistics.median(ref_ms)
    print(f"ours / networkx: {ratio:.2f}")
    for problem in problems:
        print(f"!! results differ — {problem}")
    print()
    label = size_label(args.tasks)
    _bench(f"schedule_{label}_ms", statistics.median(ours_ms), "ms")
    _bench(f"schedule_{label}_min_ms", min(ours_ms), "ms")
    _bench(f"schedule_networkx_{label}_ms", statistics.median(ref_ms), "ms")
    _bench("schedule_vs_networkx", ratio, "ratio")
    if problems:
        sys.exit(1)
    if args.tasks == GOAL_TASKS:
        met = statistics.median(ours_ms) < GOAL_MS
        print(
            f"goal ({GOAL_MS:.0f} ms for {GOAL_TASKS} tasks, median) "
            + ("met" if met else "missed")
        )


if __name__ == "__main__":
    main()

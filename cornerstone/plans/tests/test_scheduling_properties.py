"""The scheduling engine on random acyclic networks: invariants, and a reference.

The reference below is written the plain way — a networkx graph, its topological sort,
dicts, and its own working-day numbering taken from ``is_working_day`` alone — following
the semantics in the engine's module docstring, so that the engine's flat lists, its
Kahn order and the calendar's ordinal tables are all checked against something simpler.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cornerstone.plans.scheduling import (
    Dependency,
    DependencyKind,
    Schedule,
    ScheduleCycleError,
    TaskInput,
    TaskSchedule,
    schedule_compute,
)
from cornerstone.plans.workdays import WorkCalendar, shipped_calendar_days

FS = DependencyKind.FINISH_TO_START
SS = DependencyKind.START_TO_START
CALENDAR = WorkCalendar.from_days(shipped_calendar_days())
# Fixed examples, no example database in the work tree, no timing-based failures: the
# same cases on every machine and in CI.
STABLE = settings(
    max_examples=250,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Case:
    tasks: list[TaskInput]
    deadline: dt.date | None
    today: dt.date


@st.composite
def cases(
    draw: st.DrawFn,
    *,
    actuals: bool = False,
    task_deadlines: bool = False,
    max_tasks: int = 20,
) -> Case:
    """Tasks generated in order with predecessors among earlier ones, then shuffled."""
    # Today anywhere from the start of 2025 to mid-2027, so networks cross the holidays.
    today = dt.date(2025, 1, 1) + dt.timedelta(days=draw(st.integers(0, 900)))
    n = draw(st.integers(0, max_tasks))
    tasks: list[TaskInput] = []
    for i in range(n):
        preds = draw(st.lists(st.integers(0, i - 1), max_size=3, unique=True)) if i else []
        links = tuple(
            Dependency(p, draw(st.sampled_from([FS, FS, SS])), draw(st.integers(0, 3)))
            for p in preds
        )
        task = TaskInput(i, f"任务{i}", draw(st.integers(0, 10)), links)
        if task_deadlines and draw(st.booleans()):
            offset = draw(st.integers(-10, 120))
            task = replace(task, deadline=today + dt.timedelta(days=offset))
        if actuals and draw(st.integers(0, 3)) == 0:
            # Actual dates are never after today (the forms refuse that).
            start = today - dt.timedelta(days=draw(st.integers(0, 40)))
            finish = None
            if draw(st.booleans()):
                finish = start + dt.timedelta(days=draw(st.integers(0, (today - start).days)))
            task = replace(task, actual_start=start, actual_finish=finish)
        tasks.append(task)
    tasks = draw(st.permutations(tasks))
    deadline = None
    if draw(st.booleans()):
        deadline = today + dt.timedelta(days=draw(st.integers(-20, 250)))
    return Case(list(tasks), deadline, today)


def run(case: Case) -> Schedule:
    return schedule_compute(
        tasks=case.tasks, deadline=case.deadline, today=case.today, calendar=CALENDAR
    )


# --------------------------------------------------------------------------- reference


class Days:
    """Working-day numbers from ``is_working_day`` alone, over a wide window."""

    def __init__(self, around: dt.date) -> None:
        first = around - dt.timedelta(days=3000)
        self.days = [
            first + dt.timedelta(days=k)
            for k in range(6000)
            if CALENDAR.is_working_day(first + dt.timedelta(days=k))
        ]

    def start(self, day: dt.date) -> int:
        return bisect_left(self.days, day)

    def end(self, day: dt.date) -> int:
        return bisect_right(self.days, day)

    def date(self, number: int) -> dt.date:
        assert number >= 0
        return self.days[number]


def reference(case: Case) -> dict[str, Any]:
    """The same schedule, computed plainly with networkx."""
    days = Days(case.today)
    now = days.start(case.today)
    graph = nx.DiGraph()
    for position, task in enumerate(case.tasks):
        graph.add_node(task.key, task=task, position=position)
    for task in case.tasks:
        for dep in task.predecessors:
            graph.add_edge(dep.predecessor, task.key, kind=dep.kind, lag=dep.lag)
    order = list(nx.topological_sort(graph))
    node = graph.nodes

    for key in order:
        task = node[key]["task"]
        if task.actual_start is not None:
            es = days.start(task.actual_start)
            if task.actual_finish is not None:
                ef = days.end(task.actual_finish)
            else:
                ef = max(es + task.duration, now + 1)
        else:
            es = max(
                [now]
                + [
                    (node[p]["es"] if graph.edges[p, key]["kind"] == SS else node[p]["ef"])
                    + graph.edges[p, key]["lag"]
                    for p in graph.predecessors(key)
                ]
            )
            ef = es + task.duration
        node[key].update(es=es, ef=ef)

    def finished(k: Any) -> bool:
        return node[k]["task"].actual_finish is not None

    if case.deadline is not None:
        bound = days.end(case.deadline)
    else:
        unfinished = [node[k]["ef"] for k in order if not finished(k)]
        bound = max(unfinished or [node[k]["ef"] for k in order], default=0)
    for key in reversed(order):
        task = node[key]["task"]
        span = node[key]["ef"] - node[key]["es"]
        fs_limits: list[int] = [bound]
        ss_limits: list[int] = []
        if task.deadline is not None:
            fs_limits.append(days.end(task.deadline))
        for s in graph.successors(key):
            if node[s]["task"].actual_start is not None:
                continue  # a started successor's links are spent
            edge = graph.edges[key, s]
            limits = ss_limits if edge["kind"] == SS else fs_limits
            limits.append(node[s]["ls"] - edge["lag"])
        ls = min([min(fs_limits) - span, *ss_limits])
        node[key].update(ls=ls, lf=ls + span)

    floats = {k: node[k]["ls"] - node[k]["es"] for k in order}
    open_floats = [floats[k] for k in order if not finished(k)]
    least = min(open_floats, default=0)
    critical = {k: not finished(k) and floats[k] == least for k in order}

    chain: list[Any] = []
    candidates = [k for k in order if critical[k]]
    if candidates:
        k = max(candidates, key=lambda k: (node[k]["ef"], node[k]["es"], -node[k]["position"]))
        while k is not None:
            chain.append(k)
            task = node[k]["task"]
            driver = None
            if task.actual_start is None:
                for dep in task.predecessors:
                    p = dep.predecessor
                    at = node[p]["es"] if dep.kind == SS else node[p]["ef"]
                    if not finished(p) and at + dep.lag == node[k]["es"]:
                        driver = p
                        break
            k = driver
    chain.reverse()

    rows = {}
    for task in case.tasks:
        n = node[task.key]
        es, ef, ls, lf = n["es"], n["ef"], n["ls"], n["lf"]
        early = (es, ef - 1)
        late = (ls, lf - 1)
        if ef == es:  # a point task: one date, the day whose end it marks
            day = ef - 1 if finished(task.key) else max(ef - 1, now)
            early = (day, day)
            late = (lf - 1, lf - 1)
        rows[task.key] = TaskSchedule(
            task.key,
            days.date(early[0]),
            days.date(early[1]),
            days.date(late[0]),
            days.date(late[1]),
            floats[task.key],
            critical[task.key],
            task.actual_start is not None,
            task.actual_finish is not None,
            task.actual_start is None and late[0] < now,
            task.actual_finish is None and late[1] < now,
        )
    shortfall = max(0, -least)
    return {
        "tasks": rows,
        "critical_path": chain,
        "early_finish": max((r.early_finish for r in rows.values()), default=None),
        "feasible": shortfall == 0,
        "shortfall": shortfall,
        "binding_chain": chain if shortfall else [],
    }


# --------------------------------------------------------------------------- helpers


def ordinals(task: TaskInput, result: TaskSchedule) -> tuple[int, int, int, int]:
    """ES, EF, LS, LF of a task that has not started, recovered from its dates and float."""
    lf = CALENDAR.end_ordinal(result.late_finish)
    ls = lf - task.duration
    es = ls - result.total_float
    return es, es + task.duration, ls, lf


def is_topological(order: list[Any], tasks: list[TaskInput]) -> bool:
    position = {key: i for i, key in enumerate(order)}
    return (
        set(position) == {t.key for t in tasks}
        and len(order) == len(tasks)
        and all(
            position[dep.predecessor] < position[t.key] for t in tasks for dep in t.predecessors
        )
    )


# --------------------------------------------------------------------------- properties


@STABLE
@given(cases(actuals=True, task_deadlines=True))
def test_equals_the_reference(case: Case) -> None:
    schedule = run(case)
    expected = reference(case)
    assert schedule.tasks == expected["tasks"]
    assert list(schedule.tasks) == [t.key for t in case.tasks]
    assert schedule.critical_path == expected["critical_path"]
    assert schedule.early_finish == expected["early_finish"]
    assert schedule.feasible == expected["feasible"]
    assert schedule.shortfall == expected["shortfall"]
    assert schedule.binding_chain == expected["binding_chain"]
    assert schedule.deadline == case.deadline
    assert is_topological(schedule.order, case.tasks)


@STABLE
@given(cases(actuals=True), st.booleans())
def test_no_negative_float_when_the_deadline_can_be_met(case: Case, use_deadline: bool) -> None:
    case = replace(case, deadline=None)
    schedule = run(case)
    if use_deadline and schedule.early_finish is not None:
        # A deadline on the early finish: just met.
        schedule = run(replace(case, deadline=schedule.early_finish))
    assert all(t.total_float >= 0 for t in schedule.tasks.values())
    assert schedule.feasible and schedule.shortfall == 0 and schedule.binding_chain == []


@STABLE
@given(cases(actuals=True))
def test_without_deadlines_critical_means_zero_float(case: Case) -> None:
    schedule = run(replace(case, deadline=None))
    for result in schedule.tasks.values():
        assert result.critical == (not result.finished and result.total_float == 0)
    assert all(schedule.tasks[k].critical for k in schedule.critical_path)
    if any(not t.finished for t in schedule.tasks.values()):
        # The task that finishes last is on the critical path, at its end.
        last = max(t.early_finish for t in schedule.tasks.values() if not t.finished)
        assert schedule.tasks[schedule.critical_path[-1]].early_finish == last


@STABLE
@given(cases(task_deadlines=True))
def test_links_hold_in_both_passes(case: Case) -> None:
    schedule = run(case)
    now = CALENDAR.start_ordinal(case.today)
    by_key = {t.key: t for t in case.tasks}
    times = {t.key: ordinals(t, schedule.tasks[t.key]) for t in case.tasks}
    for task in case.tasks:
        es, ef, ls, lf = times[task.key]
        assert ef - es == lf - ls == task.duration
        constraints = [now]
        for dep in task.predecessors:
            p_es, p_ef, p_ls, p_lf = times[dep.predecessor]
            if dep.kind == FS:
                assert p_lf <= ls - dep.lag
                constraints.append(p_ef + dep.lag)
            else:
                assert p_ls <= ls - dep.lag
                constraints.append(p_es + dep.lag)
        # Early start: no earlier than any constraint, and set by one of them.
        assert es == max(constraints)
        if task.deadline is not None:
            assert lf <= CALENDAR.end_ordinal(task.deadline)
        if case.deadline is not None:
            assert lf <= CALENDAR.end_ordinal(case.deadline)
        result = schedule.tasks[task.key]
        assert result.early_start <= result.early_finish
        assert result.late_start <= result.late_finish
        assert CALENDAR.is_working_day(result.early_start)
        assert CALENDAR.is_working_day(result.late_finish)
    # Each task on a chain drives the next.
    for a, b in zip(schedule.critical_path, schedule.critical_path[1:], strict=False):
        assert a in {dep.predecessor for dep in by_key[b].predecessors}


@STABLE
@given(cases(max_tasks=12), st.data())
def test_a_back_link_is_reported_as_a_real_cycle(case: Case, data: st.DataObject) -> None:
    tasks = sorted(case.tasks, key=lambda t: int(str(t.key)))
    if len(tasks) < 2:
        return
    # Link a task to one of its own (transitive) successors, or to itself through a
    # chain: add "later → earlier" where the later one depends on the earlier somehow.
    graph = nx.DiGraph()
    graph.add_nodes_from(t.key for t in tasks)
    graph.add_edges_from((d.predecessor, t.key) for t in tasks for d in t.predecessors)
    pairs = [(a, b) for a in graph for b in nx.descendants(graph, a)]
    if not pairs:
        return
    first, later = data.draw(st.sampled_from(sorted(pairs)))
    cyclic = [
        replace(t, predecessors=(*t.predecessors, Dependency(later))) if t.key == first else t
        for t in tasks
    ]
    with pytest.raises(ScheduleCycleError) as caught:
        schedule_compute(tasks=cyclic, deadline=None, today=case.today, calendar=CALENDAR)
    cycle = caught.value.cycle
    preds = {t.key: {d.predecessor for d in t.predecessors} for t in cyclic}
    assert len(set(cycle)) == len(cycle) >= 2
    for a, b in zip(cycle, [*cycle[1:], cycle[0]], strict=True):
        assert a in preds[b]
    names = [f"任务{k}" for k in cycle]
    assert str(caught.value) == "任务存在循环依赖：" + " → ".join([*names, names[0]])

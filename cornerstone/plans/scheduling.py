"""Reverse scheduling (倒排工期): the critical-path method over a network of dependent tasks.

Pure Python, no Django and no database: the services feed it tasks and a calendar, the
pages and exports show what it returns, and the benchmark times it directly.

**Time.** All arithmetic is in working-day ordinals of the given ``WorkCalendar`` (see
``workdays``), with exclusive ends: a task with early start ``ES`` and duration ``d``
has early finish ``EF = ES + d`` and works the days ``ES … EF − 1``. Dates are
converted only at the edges. A start date on a non-working day counts from the next
working day (``start_ordinal``); a finish date on a non-working day — a deadline, an
actual finish — counts as the end of the previous working day (``end_ordinal``).

Dates returned are always working days: a finish is ``date(EF − 1)`` (``date(LF − 1)``),
the task's last working day; a start is ``date(ES)`` (``date(LS)``). A point task (a
span of 0, at the boundary ``ES = EF``) has one date, its finish: the working day whose
end it marks, so that a milestone after a task finishing on Friday falls on Friday and a
milestone with a deadline has that deadline as its late date. While unfinished, its
early date is never shown before today. ``late_start_passed`` and ``overdue`` compare
today with these dates.

**Today.** ``T`` (``now`` in the code) is the start ordinal of ``today``: work can still
be done today (on a day off, from the next working day).

**Forward pass** (topological order):

- finished (``actual_finish`` set): ``ES = start(actual_start)``,
  ``EF = end(actual_finish)``; its predecessors no longer matter.
- started, not finished: ``ES = start(actual_start)``,
  ``EF = max(ES + duration, T + 1)`` — not finished yet, it finishes today at the
  earliest (its last working day is today or later), so FS successors start tomorrow.
- not started: ``ES = max(T, EF(p) + lag for each FS predecessor p,
  ES(p) + lag for each SS predecessor p)``; ``EF = ES + duration``.

A task's *span* is ``EF − ES``: the duration, or for a task with actual dates what the
actual dates make it.

**Backward pass** (reverse topological order). The project's bound ``B`` is the end
ordinal of ``deadline``, or without one the largest EF of the unfinished tasks (of all
tasks if every one is finished).
``LF = min(B, end(task deadline), LS(s) − lag for each FS successor s)``, then
``LS = min(LF − span, LS(s) − lag for each SS successor s)`` and ``LF = LS + span``
(so an SS successor that pulls the start earlier pulls the finish with it).
Out-of-sequence progress: once a task has started, its links to its predecessors are
spent — they set neither its start (forward) nor its predecessors' late dates (backward).

**Float.** ``total_float = LS − ES`` (equal to ``LF − EF``). Only unfinished tasks
count: ``min_float`` is the least float among them. Critical tasks are the unfinished
tasks whose float is ``min_float`` — without a deadline (and task deadlines) that is
zero float. Negative float means some deadline cannot be met:
``shortfall = max(0, −min_float)`` working days, ``feasible = shortfall == 0``.

**Chains.** The *driver* of a not-started task is its first predecessor (in the order
of ``TaskInput.predecessors``) that is unfinished and whose link constraint equals the
task's ES; started tasks have no driver. The driver of a critical task is critical too
(its float can be no larger). ``critical_path`` starts from the critical task with the
largest EF (on a tie the largest ES, then the first in input order), follows drivers
back while there are any, and reads first to last. When the schedule is infeasible,
``binding_chain`` is that same chain — the tasks with the most negative float, each
driving the next, up to the deadline that cannot be met; otherwise it is empty.

**Flags.** ``late_start_passed``: not started and today is after the late start;
``overdue``: not finished and today is after the late finish.

**Cycles.** Kahn's algorithm (roots in input order, first in first out) gives the
topological order; tasks left over lie on or behind a cycle, and walking predecessors
among them finds one, reported by task names.

**Speed.** Positions index flat lists; no recursion, no per-task objects in the passes.
Each task has two slots in the passes' arrays, ``2i`` for its start and ``2i + 1`` for
its finish, and a link is stored once as ``(slot, lag)`` — the predecessor's start slot
for SS, its finish slot for FS — so one loop reads (forward) or tightens (backward)
every kind of link. The per-task bookkeeping around the passes uses ``map`` and
``compress`` so that it runs in C. 10,000 tasks with two links each take about 50 ms in
CPython 3.11 (bench/schedule.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import compress, repeat
from operator import add, and_, eq, lt, not_, sub
from typing import NoReturn

from cornerstone.plans.workdays import WorkCalendar


class DependencyKind(StrEnum):
    FINISH_TO_START = "FS"
    START_TO_START = "SS"


@dataclass(frozen=True)
class Dependency:
    """A link from a predecessor; ``lag`` in working days, negative for a lead."""

    predecessor: Hashable
    kind: DependencyKind = DependencyKind.FINISH_TO_START
    lag: int = 0


@dataclass(frozen=True)
class TaskInput:
    """One task as the engine sees it; ``duration`` in working days, 0 for a point task."""

    key: Hashable
    name: str
    duration: int
    predecessors: tuple[Dependency, ...] = ()
    deadline: dt.date | None = None  # this task must finish by then
    actual_start: dt.date | None = None
    actual_finish: dt.date | None = None


@dataclass(frozen=True)
class TaskSchedule:
    """Early and late dates (finish = last working day, inclusive), float and status."""

    key: Hashable
    early_start: dt.date
    early_finish: dt.date
    late_start: dt.date
    late_finish: dt.date
    total_float: int  # working days; negative when a deadline cannot be met
    critical: bool
    started: bool
    finished: bool
    late_start_passed: bool  # not started and today is after late_start
    overdue: bool  # not finished and today is after late_finish


@dataclass(frozen=True)
class Schedule:
    """The scheduled network: per-task results, the critical path and the deadline check."""

    tasks: dict[Hashable, TaskSchedule]
    order: list[Hashable]  # a topological order
    critical_path: list[Hashable]  # the driving chain, first to last
    early_finish: dt.date | None  # when the whole network can finish (None for no tasks)
    deadline: dt.date | None
    feasible: bool
    shortfall: int  # working days the deadlines are short by (0 when feasible)
    binding_chain: list[Hashable]  # when infeasible: the chain that causes it; else []


class ScheduleError(ValueError):
    """The tasks cannot be scheduled."""


class ScheduleCycleError(ScheduleError):
    """The links form a cycle; ``cycle`` lists its task keys in link order."""

    def __init__(self, cycle: list[Hashable], names: list[str]) -> None:
        super().__init__("任务存在循环依赖：" + " → ".join([*names, names[0]]))
        self.cycle = cycle


class ScheduleInputError(ScheduleError):
    """A task's own data is wrong; ``key`` names it where there is one."""

    def __init__(self, message: str, key: Hashable | None = None) -> None:
        super().__init__(message)
        self.key = key


# Larger than any ordinal: "no constraint" in the backward pass.
_UNBOUNDED = 1 << 62


@dataclass(frozen=True)
class _Network:
    """The tasks' links by position, as ``(slot, lag)`` pairs (see *Speed* above)."""

    keys: list[Hashable]  # by position
    index: dict[Hashable, int]  # position by key
    links: list[list[tuple[int, int]]]  # per task: (predecessor slot, lag)
    successors: list[list[int]]  # per task: the positions of the tasks linked from it


def _network(tasks: Sequence[TaskInput]) -> _Network:
    """Validate the tasks and index their links by position."""
    n = len(tasks)
    keys = [task.key for task in tasks]
    index = {key: i for i, key in enumerate(keys)}
    if len(index) < n:
        _raise_duplicate(tasks)
    if min(task.duration for task in tasks) < 0:
        task = next(task for task in tasks if task.duration < 0)
        raise ScheduleInputError(f"任务“{task.name}”的工期不能为负数", task.key)
    for task in tasks:
        if task.actual_finish is None:
            continue
        if task.actual_start is None:
            raise ScheduleInputError(
                f"任务“{task.name}”已填实际完成日期，但没有实际开始日期", task.key
            )
        if task.actual_finish < task.actual_start:
            raise ScheduleInputError(f"任务“{task.name}”的实际完成日期早于实际开始日期", task.key)

    no_links: list[tuple[int, int]] = []  # shared by every task without links, never mutated
    links = [no_links] * n
    successors: list[list[int]] = [[] for _ in range(n)]
    position = index.get
    fs_kind = DependencyKind.FINISH_TO_START
    ss_kind = DependencyKind.START_TO_START
    for i, task in enumerate(tasks):
        dependencies = task.predecessors
        if not dependencies:
            continue
        task_links = []
        for dep in dependencies:
            p = position(dep.predecessor, -1)
            kind = dep.kind
            if p < 0 or p == i or (kind != fs_kind and kind != ss_kind):
                _raise_bad_link(tasks, index)
            task_links.append((2 * p + 1 if kind == fs_kind else 2 * p, dep.lag))
            successors[p].append(i)
        links[i] = task_links
    return _Network(keys, index, links, successors)


def _raise_duplicate(tasks: Sequence[TaskInput]) -> NoReturn:
    seen: set[Hashable] = set()
    for task in tasks:
        if task.key in seen:
            raise ScheduleInputError(f"任务“{task.name}”的标识重复：{task.key!r}", task.key)
        seen.add(task.key)
    raise AssertionError("no duplicate key")  # pragma: no cover


def _raise_bad_link(tasks: Sequence[TaskInput], index: dict[Hashable, int]) -> NoReturn:
    """Find the first wrong link, in input order, and say what is wrong with it."""
    for task in tasks:
        for dep in task.predecessors:
            if dep.predecessor not in index:
                raise ScheduleInputError(
                    f"任务“{task.name}”的前置任务不存在：{dep.predecessor!r}", task.key
                )
            if dep.predecessor == task.key:
                raise ScheduleInputError(f"任务“{task.name}”不能以自身为前置任务", task.key)
            if dep.kind not in (DependencyKind.FINISH_TO_START, DependencyKind.START_TO_START):
                raise ScheduleInputError(f"任务“{task.name}”的依赖类型无效：{dep.kind!r}", task.key)
    raise AssertionError("no wrong link")  # pragma: no cover


def _topological_order(successors: list[list[int]], indegree: list[int]) -> list[int]:
    """Kahn's algorithm, first in first out from the roots in input order; may be partial."""
    order = list(compress(range(len(indegree)), map(not_, indegree)))
    head = 0
    while head < len(order):
        for s in successors[order[head]]:
            indegree[s] -= 1
            if not indegree[s]:
                order.append(s)
        head += 1
    return order


def _raise_cycle(
    tasks: Sequence[TaskInput], index: dict[Hashable, int], remaining: list[int]
) -> None:
    """Walk predecessors among the tasks Kahn left over until one repeats, and name the loop."""
    # Every left-over task has a left-over predecessor (that is why it was left), so the
    # walk can always go on and must come back to a task it has seen.
    left = set(remaining)
    seen: dict[int, int] = {}
    path: list[int] = []
    i = remaining[0]
    while i not in seen:
        seen[i] = len(path)
        path.append(i)
        i = next(p for p in (index[dep.predecessor] for dep in tasks[i].predecessors) if p in left)
    loop = path[seen[i] :]
    loop.reverse()  # the walk went from successor to predecessor
    first = loop.index(min(loop))
    loop = loop[first:] + loop[:first]
    raise ScheduleCycleError([tasks[j].key for j in loop], [tasks[j].name for j in loop])


def _driver(i: int, tasks: Sequence[TaskInput], net: _Network, times: list[int]) -> int | None:
    """The first unfinished predecessor whose link sets the (not started) task's early start."""
    for dep in tasks[i].predecessors:
        p = net.index[dep.predecessor]
        if tasks[p].actual_finish is not None:
            continue
        slot = 2 * p + (dep.kind == DependencyKind.FINISH_TO_START)
        if times[slot] + dep.lag == times[2 * i]:
            return p
    return None


def schedule_compute(
    *,
    tasks: Sequence[TaskInput],
    deadline: dt.date | None,
    today: dt.date,
    calendar: WorkCalendar,
) -> Schedule:
    """Schedule the network forward from today and backward from the deadline(s)."""
    if not tasks:
        return Schedule({}, [], [], None, deadline, True, 0, [])
    n = len(tasks)
    net = _network(tasks)
    links = net.links
    order = _topological_order(net.successors, list(map(len, links)))
    if len(order) < n:
        done = set(order)
        _raise_cycle(tasks, net.index, [i for i in range(n) if i not in done])

    start_ordinal = calendar.start_ordinal
    end_ordinal = calendar.end_ordinal
    now = start_ordinal(today)
    durations = [task.duration for task in tasks]
    started = [task.actual_start is not None for task in tasks]
    finished = [task.actual_finish is not None for task in tasks]

    # Forward pass over slots: times[2i] = ES, times[2i + 1] = EF. Tasks with actual
    # dates depend on nothing computed: set them first.
    times = [0] * (2 * n)
    for i, task in enumerate(tasks):
        if task.actual_start is None:
            continue
        s = start_ordinal(task.actual_start)
        times[2 * i] = s
        finish = task.actual_finish
        times[2 * i + 1] = (
            end_ordinal(finish) if finish is not None else max(s + durations[i], now + 1)
        )
    for i in order:
        if started[i]:
            continue
        e = now
        for slot, lag in links[i]:
            c = times[slot] + lag
            if c > e:
                e = c
        times[2 * i] = e
        times[2 * i + 1] = e + durations[i]
    es = times[0::2]
    ef = times[1::2]

    # Backward pass over slots: caps[2i] limits LS (from SS successors), caps[2i + 1]
    # limits LF (the bound, the task's deadline, FS successors). Each task, once its
    # late start is known, tightens its predecessors' slots; they come later in reverse
    # topological order.
    if deadline is not None:
        bound = end_ordinal(deadline)
    else:
        # When the remaining work can finish: finished tasks' past dates do not count.
        bound = max(list(compress(ef, map(not_, finished))) or ef)
    caps = [_UNBOUNDED, bound] * n
    for i, task in enumerate(tasks):
        if task.deadline is not None:
            caps[2 * i + 1] = min(bound, end_ordinal(task.deadline))
    ls = [0] * n
    for i in reversed(order):
        late = caps[2 * i + 1] - (ef[i] - es[i])
        if caps[2 * i] < late:
            late = caps[2 * i]
        ls[i] = late
        if started[i]:
            continue  # its links are spent
        for slot, lag in links[i]:
            c = late - lag
            if c < caps[slot]:
                caps[slot] = c
    lf = list(map(add, ls, map(sub, ef, es)))

    return _result(
        tasks, net, order, times, es, ef, ls, lf, started, finished, now, deadline, calendar
    )


def _result(
    tasks: Sequence[TaskInput],
    net: _Network,
    order: list[int],
    times: list[int],
    es: list[int],
    ef: list[int],
    ls: list[int],
    lf: list[int],
    started: list[bool],
    finished: list[bool],
    now: int,
    deadline: dt.date | None,
    calendar: WorkCalendar,
) -> Schedule:
    """Floats, the critical chain and the conversion of ordinals back to dates."""
    n = len(tasks)
    unfinished = list(map(not_, finished))
    total_float = list(map(sub, ls, es))
    open_floats = list(compress(total_float, unfinished))
    min_float = min(open_floats) if open_floats else 0
    shortfall = max(0, -min_float)
    critical = list(map(and_, unfinished, map(eq, total_float, repeat(min_float))))

    # The chain ends at the critical task with the latest EF; on a tie the latest ES, so
    # that a point task closing the chain (ES = EF of its predecessor) ends it rather
    # than its predecessor; then the first in input order.
    path: list[int] = []
    ends = list(compress(range(n), critical))
    end: int | None = None
    if ends:
        end = max(ends, key=lambda i: (ef[i], es[i], -i))
    while end is not None:
        path.append(end)
        end = None if started[end] else _driver(end, tasks, net, times)
    path.reverse()
    keys = net.keys
    critical_path = [keys[i] for i in path]

    # Dates shown: a finish is the last working day, EF − 1; a start is ES, except that a
    # point task (span 0) is one date, the day whose end it marks — its late date is then
    # a task deadline itself — and, while unfinished, never shown before today.
    early_start = list(es)
    early_finish = list(map(sub, ef, repeat(1)))
    late_start = list(ls)
    late_finish = list(map(sub, lf, repeat(1)))
    for i in compress(range(n), map(eq, es, ef)):
        day = early_finish[i]
        if day < now and not finished[i]:
            day = now
        early_start[i] = early_finish[i] = day
        late_start[i] = late_finish[i]

    first = min(min(early_start), min(late_start))
    last = max(max(early_finish), max(late_finish))
    dates = calendar.dates_of_ordinals(first, last + 1)

    def dates_of(ordinals: list[int]) -> list[dt.date]:
        return list(map(dates.__getitem__, map(sub, ordinals, repeat(first))))

    # "Today is after the date" in ordinals: the date's ordinal is below today's.
    start_passed = map(and_, map(not_, started), map(lt, late_start, repeat(now)))
    overdue = map(and_, unfinished, map(lt, late_finish, repeat(now)))
    results = dict(
        zip(
            keys,
            map(
                TaskSchedule,
                keys,
                dates_of(early_start),
                dates_of(early_finish),
                dates_of(late_start),
                dates_of(late_finish),
                total_float,
                critical,
                started,
                finished,
                start_passed,
                overdue,
            ),
            strict=True,
        )
    )
    return Schedule(
        tasks=results,
        order=[keys[i] for i in order],
        critical_path=critical_path,
        early_finish=dates[max(early_finish) - first],
        deadline=deadline,
        feasible=shortfall == 0,
        shortfall=shortfall,
        binding_chain=list(critical_path) if shortfall else [],
    )

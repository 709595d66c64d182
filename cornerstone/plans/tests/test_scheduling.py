"""The scheduling engine on small networks whose every date was worked out by hand.

The 2026 calendar around 劳动节: May 1–5 are off, Saturday May 9 is worked. Working
days, numbered from Monday April 27 (W0):

    W0 4-27  W1 4-28  W2 4-29  W3 4-30 | 5-1 … 5-5 off | W4 5-6  W5 5-7  W6 5-8
    W7 5-9 (Sat, 调休)  W8 5-11  W9 5-12  W10 5-13  W11 5-14  W12 5-15  W13 5-18
    W14 5-19  W15 5-20

Ordinals are exclusive at the end: a task at ES = 4 lasting 4 days has EF = 8 and works
W4–W7; its finish date is W7.
"""

from __future__ import annotations

import datetime as dt

import pytest

from cornerstone.plans.scheduling import (
    Dependency,
    DependencyKind,
    ScheduleCycleError,
    ScheduleInputError,
    TaskInput,
    TaskSchedule,
    schedule_compute,
)
from cornerstone.plans.workdays import WorkCalendar, shipped_calendar_days

FS = DependencyKind.FINISH_TO_START
SS = DependencyKind.START_TO_START

W = [
    dt.date(2026, 4, 27),
    dt.date(2026, 4, 28),
    dt.date(2026, 4, 29),
    dt.date(2026, 4, 30),
    dt.date(2026, 5, 6),
    dt.date(2026, 5, 7),
    dt.date(2026, 5, 8),
    dt.date(2026, 5, 9),
    dt.date(2026, 5, 11),
    dt.date(2026, 5, 12),
    dt.date(2026, 5, 13),
    dt.date(2026, 5, 14),
    dt.date(2026, 5, 15),
    dt.date(2026, 5, 18),
    dt.date(2026, 5, 19),
    dt.date(2026, 5, 20),
]


@pytest.fixture(scope="module")
def cn() -> WorkCalendar:
    return WorkCalendar.from_days(shipped_calendar_days())


def network() -> list[TaskInput]:
    return [
        TaskInput("A", "场地平整", 3),
        TaskInput("B", "基础施工", 4, (Dependency("A", FS, 1),)),
        TaskInput("C", "材料采购", 2, (Dependency("A", SS, 2),)),
        TaskInput("D", "主体结构", 5, (Dependency("B"), Dependency("C"))),
        TaskInput("E", "设备安装", 3, (Dependency("C", FS, 2),), deadline=dt.date(2026, 5, 13)),
        TaskInput("F", "竣工验收", 0, (Dependency("D"), Dependency("E"))),
        TaskInput("G", "联合调试", 2, (Dependency("D", SS, 1),)),
    ]


def row(
    key: str, es: int, ef: int, ls: int, lf: int, total_float: int, critical: bool
) -> TaskSchedule:
    return TaskSchedule(
        key, W[es], W[ef], W[ls], W[lf], total_float, critical, False, False, False, False
    )


def test_hand_computed_network(cn: WorkCalendar) -> None:
    # Forward from today W0:
    #   A  ES 0, EF 3                      (finish W2)
    #   B  FS A+1: ES 4, EF 8              (May 6, over the holiday; finish the 调休 Sat)
    #   C  SS A+2: ES 2, EF 4
    #   D  FS B, FS C: ES max(8, 4) = 8, EF 13
    #   E  FS C+2: ES 6, EF 9
    #   F  point task after D and E: ES = EF = 13, shown on W12, the day D finishes
    #   G  SS D+1: ES 9, EF 11
    # Backward from the deadline May 20 (W15, bound 16):
    #   G  LF 16, LS 14, float 5
    #   F  LF = LS = 16, shown on W15, float 3
    #   E  LF min(16, own deadline May 13 → 11, F.LS 16) = 11, LS 8, float 2
    #   D  LF F.LS 16, LS 11 (G allows 14 − 1 = 13), float 3
    #   C  LF min(D.LS 11, E.LS − 2 = 6) = 6, LS 4, float 2
    #   B  LF D.LS 11, LS 7, float 3
    #   A  LF B.LS − 1 = 6 → LS 3, but C needs LS ≤ C.LS − 2 = 2: LS 2, LF 5, float 2
    # The least float is 2 (A, C, E: E's own deadline drives them).
    schedule = schedule_compute(
        tasks=network(), deadline=dt.date(2026, 5, 20), today=W[0], calendar=cn
    )
    assert schedule.tasks == {
        "A": row("A", 0, 2, 2, 4, 2, True),
        "B": row("B", 4, 7, 7, 10, 3, False),
        "C": row("C", 2, 3, 4, 5, 2, True),
        "D": row("D", 8, 12, 11, 15, 3, False),
        "E": row("E", 6, 8, 8, 10, 2, True),
        "F": row("F", 12, 12, 15, 15, 3, False),
        "G": row("G", 9, 10, 14, 15, 5, False),
    }
    assert schedule.order == ["A", "B", "C", "D", "E", "G", "F"]
    assert schedule.critical_path == ["A", "C", "E"]
    assert schedule.early_finish == dt.date(2026, 5, 15)
    assert schedule.deadline == dt.date(2026, 5, 20)
    assert schedule.feasible
    assert schedule.shortfall == 0
    assert schedule.binding_chain == []


def test_without_a_deadline_the_critical_path_has_zero_float(cn: WorkCalendar) -> None:
    tasks = [t for t in network() if t.key != "E"]
    tasks[4] = TaskInput("F", "竣工验收", 0, (Dependency("D"),))
    schedule = schedule_compute(tasks=tasks, deadline=None, today=W[0], calendar=cn)
    # The bound is the early finish, EF 13. D: LS 8. B: LF 8, LS 4, float 0. A: LF 3,
    # LS 0, float 0. C: LF 8, LS 6, ES 2, float 4. G: LF 13, LS 11, ES 9, float 2.
    assert {k: t.total_float for k, t in schedule.tasks.items()} == {
        "A": 0,
        "B": 0,
        "C": 4,
        "D": 0,
        "F": 0,
        "G": 2,
    }
    assert [k for k, t in schedule.tasks.items() if t.critical] == ["A", "B", "D", "F"]
    # F is a point task sharing D's EF: the later start puts it at the end of the chain.
    assert schedule.critical_path == ["A", "B", "D", "F"]
    assert schedule.feasible
    assert schedule.early_finish == W[12]


def test_a_deadline_that_cannot_be_met(cn: WorkCalendar) -> None:
    # Deadline May 12 (W9, bound 10). Backward:
    #   G  LF 10, LS 8, float 8 − 9 = −1
    #   F  LF = LS = 10, float 10 − 13 = −3
    #   E  LF min(10, 11, F.LS 10) = 10, LS 7, float 1
    #   D  LF 10, LS 5 (G allows 7), float −3
    #   C  LF min(D.LS 5, E.LS − 2 = 5) = 5, LS 3, float 1
    #   B  LF D.LS 5, LS 1, float −3
    #   A  LF B.LS − 1 = 0, LS −3 (C allows 1), float −3
    schedule = schedule_compute(
        tasks=network(), deadline=dt.date(2026, 5, 12), today=W[0], calendar=cn
    )
    floats = {k: t.total_float for k, t in schedule.tasks.items()}
    assert floats == {"A": -3, "B": -3, "C": 1, "D": -3, "E": 1, "F": -3, "G": -1}
    assert not schedule.feasible
    assert schedule.shortfall == 3
    assert schedule.binding_chain == ["A", "B", "D", "F"]
    assert schedule.critical_path == ["A", "B", "D", "F"]
    # A should have started three working days before today: Wed April 22.
    a = schedule.tasks["A"]
    assert a.late_start == dt.date(2026, 4, 22)
    assert a.late_finish == dt.date(2026, 4, 24)
    assert a.late_start_passed and a.overdue
    # The point task's late date is the deadline itself.
    assert schedule.tasks["F"].late_start == schedule.tasks["F"].late_finish == W[9]


def test_a_task_deadline_alone_can_make_the_schedule_infeasible(cn: WorkCalendar) -> None:
    tasks = network()
    tasks[4] = TaskInput("E", "设备安装", 3, (Dependency("C", FS, 2),), deadline=W[6])
    schedule = schedule_compute(tasks=tasks, deadline=None, today=W[0], calendar=cn)
    # E: ES 6, EF 9, but LF = end of May 8 = 7: float −2, driven by C, driven by A.
    assert schedule.shortfall == 2
    assert schedule.binding_chain == ["A", "C", "E"]
    assert schedule.tasks["E"].late_finish == W[6]


def test_cycle_is_named_in_order(cn: WorkCalendar) -> None:
    tasks = [
        TaskInput(1, "开工准备", 1),
        TaskInput(2, "桩基", 2, (Dependency(1), Dependency(4))),
        TaskInput(3, "承台", 2, (Dependency(2),)),
        TaskInput(4, "墩柱", 2, (Dependency(3, SS, 1),)),
        TaskInput(5, "架梁", 2, (Dependency(4),)),
    ]
    with pytest.raises(ScheduleCycleError) as caught:
        schedule_compute(tasks=tasks, deadline=None, today=W[0], calendar=cn)
    assert caught.value.cycle == [2, 3, 4]
    assert str(caught.value) == "任务存在循环依赖：桩基 → 承台 → 墩柱 → 桩基"


def test_two_task_cycle(cn: WorkCalendar) -> None:
    tasks = [
        TaskInput("x", "甲", 1, (Dependency("y"),)),
        TaskInput("y", "乙", 1, (Dependency("x"),)),
    ]
    with pytest.raises(ScheduleCycleError, match="甲 → 乙 → 甲"):
        schedule_compute(tasks=tasks, deadline=None, today=W[0], calendar=cn)


@pytest.mark.parametrize(
    ("task", "message"),
    [
        (TaskInput("b", "浇筑", 2, (Dependency("b"),)), "任务“浇筑”不能以自身为前置任务"),
        (TaskInput("b", "浇筑", 2, (Dependency("zz"),)), "任务“浇筑”的前置任务不存在：'zz'"),
        (TaskInput("b", "浇筑", -1), "任务“浇筑”的工期不能为负数"),
        (
            TaskInput("b", "浇筑", 2, actual_finish=W[3]),
            "任务“浇筑”已填实际完成日期，但没有实际开始日期",
        ),
        (
            TaskInput("b", "浇筑", 2, actual_start=W[3], actual_finish=W[2]),
            "任务“浇筑”的实际完成日期早于实际开始日期",
        ),
        (TaskInput("a", "浇筑", 2), "任务“浇筑”的标识重复：'a'"),
        (
            TaskInput("b", "浇筑", 2, (Dependency("a", "FF"),)),  # type: ignore[arg-type]
            "任务“浇筑”的依赖类型无效：'FF'",
        ),
    ],
)
def test_bad_input_names_the_task(cn: WorkCalendar, task: TaskInput, message: str) -> None:
    tasks = [TaskInput("a", "放线", 1), task]
    with pytest.raises(ScheduleInputError) as caught:
        schedule_compute(tasks=tasks, deadline=None, today=W[0], calendar=cn)
    assert str(caught.value) == message
    assert caught.value.key == task.key


def chain(**actuals: tuple[dt.date, dt.date | None]) -> list[TaskInput]:
    """A (3) → B (4) → C (2), with actual (start, finish) dates by key."""
    tasks = [
        TaskInput("A", "土方", 3),
        TaskInput("B", "垫层", 4, (Dependency("A"),)),
        TaskInput("C", "钢筋", 2, (Dependency("B"),)),
    ]
    return [
        TaskInput(
            t.key,
            t.name,
            t.duration,
            t.predecessors,
            actual_start=actuals[str(t.key)][0],
            actual_finish=actuals[str(t.key)][1],
        )
        if str(t.key) in actuals
        else t
        for t in tasks
    ]


def test_actual_dates_finished_and_started(cn: WorkCalendar) -> None:
    # Today Monday May 11 (W8). A was done April 27–30 (W0–W3: EF 4, a day over).
    # B started May 6 (W4) and is not finished: EF = max(4 + 4, today + 1) = 9, so its
    # finish is today at the earliest. C follows: ES 9, EF 11.
    tasks = chain(A=(W[0], W[3]), B=(W[4], None))
    schedule = schedule_compute(tasks=tasks, deadline=W[15], today=W[8], calendar=cn)
    a, b, c = (schedule.tasks[k] for k in "ABC")
    assert (a.early_start, a.early_finish, a.started, a.finished) == (W[0], W[3], True, True)
    assert (b.early_start, b.early_finish, b.started, b.finished) == (W[4], W[8], True, False)
    assert (c.early_start, c.early_finish, c.started) == (W[9], W[10], False)
    # Bound 16: C LS 14, float 5; B LF 14, span 5, LS 9, float 5. B has started, so its
    # link from A is spent: A's late dates come from the bound alone.
    assert (c.total_float, b.total_float) == (5, 5)
    assert (b.late_start, b.late_finish) == (W[9], W[13])
    assert not a.critical and b.critical and c.critical
    assert schedule.critical_path == ["B", "C"]
    assert schedule.feasible


def test_a_task_started_too_late(cn: WorkCalendar) -> None:
    # Same, with the deadline May 12 (W9, bound 10): C LF 10, LS 8, float −1; B LF 8,
    # LS 3 — B should have started on April 30 and started May 6.
    tasks = chain(A=(W[0], W[3]), B=(W[4], None))
    schedule = schedule_compute(tasks=tasks, deadline=W[9], today=W[8], calendar=cn)
    b, c = schedule.tasks["B"], schedule.tasks["C"]
    assert (b.total_float, c.total_float) == (-1, -1)
    assert (b.late_start, b.late_finish) == (W[3], W[7])
    assert schedule.shortfall == 1
    assert schedule.binding_chain == ["B", "C"]
    # B should have been done by the 调休 Saturday: overdue, but it has started.
    assert b.overdue and not b.late_start_passed
    # C may still start today, its late start.
    assert c.late_start == W[8]
    assert not c.late_start_passed and not c.overdue


def test_a_task_finished_ahead(cn: WorkCalendar) -> None:
    tasks = chain(A=(W[0], W[1]))
    schedule = schedule_compute(tasks=tasks, deadline=None, today=W[4], calendar=cn)
    # A took two days; B cannot start before today (W4), not at A's finish (EF 2).
    assert schedule.tasks["A"].early_finish == W[1]
    assert schedule.tasks["B"].early_start == W[4]
    assert schedule.tasks["C"].early_finish == W[9]
    assert schedule.critical_path == ["B", "C"]


def test_actual_dates_on_days_off_map_to_working_days(cn: WorkCalendar) -> None:
    # Started on Saturday May 2 (a holiday): counts from May 6. Finished Sunday May 10:
    # counts as the end of the 调休 Saturday May 9.
    tasks = chain(A=(dt.date(2026, 5, 2), dt.date(2026, 5, 10)))
    schedule = schedule_compute(tasks=tasks, deadline=None, today=W[8], calendar=cn)
    a = schedule.tasks["A"]
    assert (a.early_start, a.early_finish) == (W[4], W[7])
    assert schedule.tasks["B"].early_start == W[8]


def test_late_start_passed_and_overdue(cn: WorkCalendar) -> None:
    tasks = [
        # LF end of May 13 (11), LS 6 (May 8): today May 11 is after the late start.
        TaskInput("X", "图纸会审", 5, deadline=W[10]),
        # LF end of May 8 (7), LS 5: both dates are past.
        TaskInput("Y", "招标", 2, deadline=W[6]),
        # Plenty of time.
        TaskInput("Z", "监理进场", 1),
    ]
    schedule = schedule_compute(tasks=tasks, deadline=W[15], today=W[8], calendar=cn)
    x, y, z = (schedule.tasks[k] for k in "XYZ")
    assert (x.late_start, x.late_start_passed, x.overdue) == (W[6], True, False)
    assert (y.late_finish, y.late_start_passed, y.overdue) == (W[6], True, True)
    assert (z.late_start_passed, z.overdue) == (False, False)
    assert schedule.shortfall == 3  # Y: ES 8, EF 10, LF 7
    assert schedule.binding_chain == ["Y"]


def test_today_on_a_day_off_starts_work_on_the_next_working_day(cn: WorkCalendar) -> None:
    tasks = [TaskInput("M", "开工仪式", 0), TaskInput("N", "放线", 1, (Dependency("M"),))]
    schedule = schedule_compute(tasks=tasks, deadline=None, today=dt.date(2026, 5, 1), calendar=cn)
    # A point task is never shown before today's working day.
    assert schedule.tasks["M"].early_start == schedule.tasks["M"].early_finish == W[4]
    assert schedule.tasks["N"].early_start == W[4]


def test_negative_lag_overlaps_the_predecessor(cn: WorkCalendar) -> None:
    tasks = [
        TaskInput("P", "主体", 5),
        TaskInput("Q", "砌体", 3, (Dependency("P", FS, -2),)),
    ]
    schedule = schedule_compute(tasks=tasks, deadline=None, today=W[0], calendar=cn)
    assert schedule.tasks["Q"].early_start == W[3]  # P's EF 5, less 2
    assert schedule.tasks["Q"].early_finish == W[5]


def test_empty_network(cn: WorkCalendar) -> None:
    schedule = schedule_compute(tasks=[], deadline=W[15], today=W[0], calendar=cn)
    assert schedule.tasks == {}
    assert schedule.order == schedule.critical_path == schedule.binding_chain == []
    assert schedule.early_finish is None
    assert schedule.deadline == W[15]
    assert schedule.feasible and schedule.shortfall == 0


def test_all_finished(cn: WorkCalendar) -> None:
    tasks = chain(A=(W[0], W[2]), B=(W[3], W[6]), C=(W[7], W[8]))
    schedule = schedule_compute(tasks=tasks, deadline=W[5], today=W[10], calendar=cn)
    assert schedule.feasible and schedule.shortfall == 0
    assert schedule.critical_path == []
    assert schedule.early_finish == W[8]
    assert not any(t.critical or t.overdue or t.late_start_passed for t in schedule.tasks.values())


def test_the_engine_imports_no_django() -> None:
    import subprocess
    import sys

    code = (
        "import sys, cornerstone.plans.scheduling, cornerstone.plans.workdays; "
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )
    # A fresh interpreter: this one has Django loaded by pytest-django already.
    result = subprocess.run([sys.executable, "-c", code], check=False)  # noqa: S603 (fixed command)
    assert result.returncode == 0

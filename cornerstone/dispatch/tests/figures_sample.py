"""Hand-made briefing figures for the tests that need no database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cornerstone.dispatch.figures import (
    BriefingFigures,
    DepartmentRow,
    FlaggedProject,
    OrderRow,
    RegionRow,
    StageRow,
)
from cornerstone.dispatch.layout import DocumentHead


def sample_figures(**changes: object) -> BriefingFigures:
    """The example of the issue: 125 projects, 1080 亿元, 141 started, 61.4 亿元 (+49%)."""
    values: dict[str, object] = {
        "region_name": "太原市",
        "region_level": "city",
        "scope_label": "重点项目",
        "year": 2026,
        "month": 6,
        "projects": 125,
        "total_investment": Decimal("10800000"),
        "annual_plan": Decimal("1200000"),
        "completed": Decimal("614000"),
        "completed_last_year": Decimal("412080.54"),
        "industry_completed": Decimal("467254"),
        "started": 141,
        "stages": [
            StageRow("实施建设", 100, Decimal("9000000")),
            StageRow("立项", 25, Decimal("1800000")),
        ],
        "regions": [
            RegionRow("140105", "小店区", 70, Decimal("600000"), Decimal("400000")),
            RegionRow("140106", "迎泽区", 55, Decimal("600000"), Decimal("214000")),
            RegionRow("140107", "杏花岭区", 0, Decimal(0), Decimal(0)),
        ],
        "red": [
            FlaggedProject(
                1, "P1", "年产10万吨电子材料项目", "小店区", "red", ("投资完成率低于60%",)
            )
        ],
        "yellow": [],
        "red_count": 3,
        "yellow_count": 0,
        "departments": [DepartmentRow("小店区自然资源局", 5, 3, 1, 1)],
        "orders": [
            OrderRow(
                "督〔2026〕1号", "年产10万吨电子材料项目", "用地报批", "已下发", "2026年7月10日"
            )
        ],
        "orders_open": 1,
        "orders_total": 2,
    }
    values.update(changes)
    return BriefingFigures(**values)  # type: ignore[arg-type]


HEAD = DocumentHead(
    title="关于2026年6月全市重点项目建设情况的通报",
    issuing_body="太原市发展和改革委员会",
    number="并发改投资〔2026〕12号",
    date=dt.date(2026, 7, 5),
)

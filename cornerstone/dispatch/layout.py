"""What a briefing says, section by section, as text and table rows (pure).

Both renderers (Word and PDF) paint the same blocks, so the two files never disagree.
Briefings are official Chinese documents: their wording is Chinese whatever the reader's
interface language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from cornerstone.dispatch.figures import BriefingFigures, FlaggedProject
from cornerstone.dispatch.summary import area_word, growth_words, money_words, percent_words
from cornerstone.dispatch.summary import summary_text as summary_paragraph

# A province's red list can run to hundreds: the document names the first ones and
# counts the rest ("…等N个项目"); the full list is on the warnings pages.
LIST_CAP = 50
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class TableBlock:
    header: tuple[str, ...]
    rows: Sequence[Sequence[str]]
    widths: tuple[float, ...]  # relative column widths for the PDF


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    table: TableBlock | None = None
    after: list[str] = field(default_factory=list)  # paragraphs below the table


@dataclass(frozen=True)
class DocumentHead:
    """The parts of an official document around the body."""

    title: str
    issuing_body: str
    number: str
    date: dt.date


@dataclass
class BriefingLayout:
    head: DocumentHead
    summary: str
    sections: list[Section]

    @property
    def date_text(self) -> str:
        d = self.head.date
        return f"{d.year}年{d.month}月{d.day}日"


def yi(wan: Decimal) -> str:
    """An amount in 万元 shown in 亿元 with two decimals, for tables headed 亿元."""
    return f"{(wan / Decimal(10000)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def pct(value: Decimal | None) -> str:
    return "—" if value is None else percent_words(value)


def default_title(figures: BriefingFigures) -> str:
    """关于2026年10月全省重点项目建设情况的通报."""
    area = area_word(figures.region_name, figures.region_level)
    return f"关于{figures.year}年{figures.month}月{area}{figures.scope_label}建设情况的通报"


def _headline(figures: BriefingFigures) -> Section:
    growth = growth_words(figures.growth) or "上年同期无数据"
    rows = [
        ("纳入调度项目数", f"{figures.projects:,}个"),
        ("总投资", money_words(figures.total_investment)),
        ("年度计划投资", money_words(figures.annual_plan)),
        (f"1—{figures.month}月完成投资", money_words(figures.completed)),
        ("年度计划完成率", pct(figures.completion_rate)),
        ("同比", growth),
        ("开复工项目数", f"{figures.started:,}个"),
        ("产业投资占比", pct(figures.industry_share)),
    ]
    return Section(
        heading="总体情况",
        paragraphs=[summary_paragraph(figures)],
        table=TableBlock(header=("指标", "数值"), rows=rows, widths=(1, 1)),
    )


def _stages(figures: BriefingFigures) -> Section:
    rows = [
        (
            s.name,
            f"{s.projects:,}",
            yi(s.investment),
            pct(_share(s.projects, figures.projects)),
        )
        for s in figures.stages
    ]
    return Section(
        heading="项目阶段分布",
        table=TableBlock(
            header=("阶段", "项目数（个）", "总投资（亿元）", "占项目数比重"),
            rows=rows,
            widths=(3, 2, 2, 2),
        )
        if rows
        else None,
        paragraphs=[] if rows else ["暂无项目。"],
    )


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _ranking(figures: BriefingFigures) -> Section:
    ranked = figures.regions_ranked
    rows = [
        (
            str(position),
            r.name,
            f"{r.projects:,}",
            yi(r.plan),
            yi(r.completed),
            pct(r.rate),
        )
        for position, r in enumerate(ranked, start=1)
    ]
    section = Section(heading="各地完成情况排名")
    if not rows:
        section.paragraphs.append("本级无下辖地区，不排名。")
        return section
    best, worst = ranked[0], ranked[-1]
    if len(ranked) > 1 and best.rate is not None and worst.rate is not None:
        section.paragraphs.append(
            f"按年度计划完成率排序，{best.name}完成{pct(best.rate)}，位列第一；"
            f"{worst.name}完成{pct(worst.rate)}，排名末位。"
        )
    section.table = TableBlock(
        header=("排名", "地区", "项目数", "年度计划（亿元）", "完成投资（亿元）", "完成率"),
        rows=rows,
        widths=(1, 3, 1.5, 2.5, 2.5, 1.5),
    )
    return section


def _flagged_rows(projects: list[FlaggedProject]) -> list[tuple[str, str, str, str]]:
    return [
        (str(i), p.name, p.region, "；".join(p.reasons) or "—")
        for i, p in enumerate(projects, start=1)
    ]


def _lights(figures: BriefingFigures, colour: str) -> Section:
    label, projects, count = (
        ("红灯", figures.red, figures.red_count)
        if colour == "red"
        else ("黄灯", figures.yellow, figures.yellow_count)
    )
    section = Section(heading=f"亮{label}项目")
    if not count:
        section.paragraphs.append(f"本月无亮{label}项目。")
        return section
    section.paragraphs.append(f"本月亮{label}项目{count:,}个，名单如下：")
    section.table = TableBlock(
        header=("序号", "项目名称", "所在地区", "预警原因"),
        rows=_flagged_rows(projects),
        widths=(1, 5, 2, 6),
    )
    if count > len(projects):
        section.after.append(f"…等{count:,}个项目（以上列出前{len(projects)}个）。")
    return section


def _departments(figures: BriefingFigures) -> Section:
    section = Section(heading="问题办理情况（按责任单位）")
    if not figures.departments:
        section.paragraphs.append("暂无问题。")
        return section
    unresolved = sum(d.unresolved for d in figures.departments)
    overdue = sum(d.overdue for d in figures.departments)
    total = sum(d.total for d in figures.departments)
    section.paragraphs.append(
        f"共梳理问题{total:,}个，尚未办结{unresolved:,}个，其中逾期{overdue:,}个。"
    )
    section.table = TableBlock(
        header=("责任单位", "问题数", "未办结", "逾期", "升级督办"),
        rows=[
            (d.name, f"{d.total:,}", f"{d.unresolved:,}", f"{d.overdue:,}", f"{d.escalated:,}")
            for d in figures.departments[:LIST_CAP]
        ],
        widths=(5, 1.5, 1.5, 1.5, 1.5),
    )
    if len(figures.departments) > LIST_CAP:
        section.after.append(
            f"…等{len(figures.departments):,}个责任单位（以上列出未办结问题最多的前{LIST_CAP}个）。"
        )
    return section


def _orders(figures: BriefingFigures) -> Section:
    section = Section(heading="督办情况")
    if not figures.orders_total:
        section.paragraphs.append("本期未下发督办单。")
        return section
    section.paragraphs.append(
        f"累计下发督办单{figures.orders_total:,}件，尚未办结{figures.orders_open:,}件。"
    )
    if figures.orders:
        section.table = TableBlock(
            header=("文号", "项目", "督办事项", "状态", "反馈时限"),
            rows=[(o.number, o.project, o.subject, o.status, o.deadline) for o in figures.orders],
            widths=(3, 4, 4, 1.5, 2.5),
        )
        if figures.orders_open > len(figures.orders):
            section.after.append(
                f"…等{figures.orders_open:,}件（以上列出前{len(figures.orders)}件）。"
            )
    return section


def briefing_layout(figures: BriefingFigures, head: DocumentHead) -> BriefingLayout:
    """The whole briefing: summary, then numbered sections."""
    sections = [
        _headline(figures),
        _stages(figures),
        _ranking(figures),
        _lights(figures, "red"),
        _lights(figures, "yellow"),
        _departments(figures),
        _orders(figures),
    ]
    for number, section in zip(NUMERALS, sections, strict=False):
        section.heading = f"{number}、{section.heading}"
    return BriefingLayout(head=head, summary=summary_paragraph(figures), sections=sections)

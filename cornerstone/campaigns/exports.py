"""Campaign workbooks: the participating projects, and the results per region.

Amounts are real numbers in 万元 (and the headline's 亿元 in the title rows), text never
becomes a formula (see ``cornerstone.core.xlsx``).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, BinaryIO

from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cornerstone.accounts.choices import Role
from cornerstone.campaigns import queries
from cornerstone.campaigns.choices import Action
from cornerstone.campaigns.headlines import region_headline, results_headlines
from cornerstone.campaigns.models import Campaign, CampaignProject
from cornerstone.campaigns.results import ACTIONS, Entry, Results, Row, Totals
from cornerstone.core.downloads import xlsx_download
from cornerstone.core.xlsx import (
    CELL,
    CENTRE,
    HEADER,
    NOTE,
    TITLE,
    TOTAL,
    Props,
    XlsxSheet,
    xlsx_book,
)

if TYPE_CHECKING:
    from cornerstone.accounts.models import User

PROJECT_COLUMNS = [
    (gettext_lazy("序号"), 6),
    (gettext_lazy("活动环节"), 10),
    (gettext_lazy("项目代码"), 26),
    (gettext_lazy("项目名称"), 36),
    (gettext_lazy("所在区划"), 12),
    (gettext_lazy("所在园区"), 24),
    (gettext_lazy("业主单位"), 28),
    (gettext_lazy("总投资（万元）"), 16),
    (gettext_lazy("会场"), 20),
    (gettext_lazy("所处阶段"), 12),
    (gettext_lazy("备注"), 20),
]


def projects_workbook_write(
    *, out: BinaryIO, campaign: Campaign, entries: Sequence[CampaignProject], headline: str
) -> int:
    """The participating projects the reader sees, grouped by action; returns the row count."""
    book = xlsx_book(out)
    sheet = XlsxSheet(book, _("参加项目"), {})
    last = len(PROJECT_COLUMNS) - 1
    sheet.widths(width for _name, width in PROJECT_COLUMNS)
    sheet.title(0, last, campaign.name, TITLE)
    sheet.title(
        1,
        last,
        _("活动日期：%(date)s　%(headline)s")
        % {"date": campaign.date.isoformat(), "headline": headline},
        NOTE,
    )
    for col, (name, _width) in enumerate(PROJECT_COLUMNS):
        sheet.text(2, col, str(name), HEADER)
    row = 2
    for row, entry in enumerate(entries, start=3):
        project = entry.project
        sheet.number(row, 0, row - 2, CELL, CENTRE)
        sheet.text(row, 1, entry.get_action_display(), CELL)
        sheet.text(row, 2, project.code, CELL)
        sheet.text(row, 3, project.name, CELL)
        sheet.text(row, 4, project.region.name, CELL)
        sheet.text(row, 5, project.zone.name if project.zone else "", CELL)
        sheet.text(row, 6, project.owner_org, CELL)
        sheet.money(row, 7, entry.amount, CELL)  # type: ignore[attr-defined]
        sheet.text(row, 8, entry.venue.name if entry.venue else "", CELL)
        sheet.text(row, 9, project.stage.name, CELL)
        sheet.text(row, 10, entry.note, CELL)
    total_row = row + 1
    sheet.text(total_row, 0, "", CELL, TOTAL)
    sheet.text(total_row, 1, _("合计"), CELL, TOTAL)
    for col in (2, 3, 4, 5, 6, 8, 9, 10):
        sheet.text(total_row, col, "", CELL, TOTAL)
    total = sum((e.amount for e in entries), Decimal(0))  # type: ignore[attr-defined]
    sheet.money(total_row, 7, total, CELL, TOTAL)
    book.close()
    return len(entries)


def _result_row(sheet: XlsxSheet, row: int, name: str, r: Row, *layers: Props) -> None:
    sheet.text(row, 0, name, CELL, *layers)
    sheet.number(row, 1, r.totals.count, CELL, CENTRE, *layers)
    sheet.money(row, 2, r.totals.amount, CELL, *layers)
    for i, action in enumerate(ACTIONS):
        sheet.number(row, 3 + 2 * i, r.totals.counts[action], CELL, CENTRE, *layers)
        sheet.money(row, 4 + 2 * i, r.totals.amounts[action], CELL, *layers)


def results_workbook_write(
    *, out: BinaryIO, campaign: Campaign, results: Results, headlines: Sequence[str]
) -> None:
    """The totals of the region and of each region below it, then of each zone."""
    book = xlsx_book(out)
    sheet = XlsxSheet(book, _("分区域汇总"), {})
    headers = [_("区划"), _("项目数"), _("总投资（万元）")]
    for action in ACTIONS:
        label = str(Action(action).label)
        headers += [
            _("%(action)s项目数") % {"action": label},
            _("%(action)s总投资（万元）") % {"action": label},
        ]
    last = len(headers) - 1
    sheet.widths([20, 10, 16, 12, 16, 12, 16, 12, 16])
    sheet.title(0, last, _("%(name)s分区域汇总") % {"name": campaign.name}, TITLE)
    row = 1
    for line in headlines:
        sheet.title(row, last, line, NOTE)
        row += 1
    for col, name in enumerate(headers):
        sheet.text(row, col, name, HEADER)
    row += 1
    total_label = _("%(region)s合计") % {"region": results.root.place.name}
    _result_row(sheet, row, total_label, results.root, TOTAL)
    for r in results.rows:
        row += 1
        name = _("%(region)s本级") % {"region": r.place.name} if r.own else r.place.name
        _result_row(sheet, row, name, r)
    if results.zone_rows:
        row += 2
        sheet.text(row, 0, _("园区"), HEADER)
        for col, name in enumerate(headers[1:], start=1):
            sheet.text(row, col, name, HEADER)
        for r in results.zone_rows:
            row += 1
            _result_row(
                sheet,
                row,
                _("%(zone)s（%(kind)s）") % {"zone": r.place.name, "kind": r.place.level},
                r,
            )
    book.close()


def entries_totals(entries: Sequence[CampaignProject]) -> Totals:
    """Counts and investment per action of rows read by ``queries.entries_visible``."""
    totals = Totals()
    for e in entries:
        totals.add(Entry(e.project_id, e.project.region_id, e.action, e.amount))  # type: ignore[attr-defined]
    return totals


def projects_download(*, actor: User, campaign: Campaign) -> FileResponse:
    """The participating projects the actor sees, with the headline of the actor's area."""
    entries = list(queries.entries_visible(actor=actor, campaign=campaign))
    headline = ""
    if actor.role != Role.OWNER or actor.is_superuser:
        root = queries.results_root(actor=actor, campaign=campaign)
        headline = region_headline(root.name, entries_totals(entries))
    return xlsx_download(
        lambda out: projects_workbook_write(
            out=out, campaign=campaign, entries=entries, headline=headline
        ),
        _("%(name)s-参加项目.xlsx") % {"name": campaign.name},
    )


def results_download(*, actor: User, campaign: Campaign, region_code: str | None) -> FileResponse:
    """The results per region at ``region_code`` (default: the actor's results root)."""
    region, results = queries.campaign_results(
        actor=actor, campaign=campaign, region_code=region_code
    )
    return xlsx_download(
        lambda out: results_workbook_write(
            out=out, campaign=campaign, results=results, headlines=results_headlines(results)
        ),
        _("%(name)s-%(region)s汇总.xlsx") % {"name": campaign.name, "region": region.name},
    )

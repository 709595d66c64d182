"""The blank ledger template: the import's headers, a note on each, and dropdowns."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, BinaryIO

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from xlsxwriter.utility import xl_col_to_name

from cornerstone.core.xlsx import HEADER, XlsxSheet, xlsx_book
from cornerstone.geo.models import Industry, Region
from cornerstone.ingest.headers import FieldSpec
from cornerstone.ingest.ledger_export import export_header, export_specs
from cornerstone.projects.models import Project

# Rows the dropdowns cover: far more than a ledger has.
DROPDOWN_ROWS = 5000
NOTES = {
    "amount": gettext_lazy("金额，单位万元；也可写“1.2亿元”。"),
    "date": gettext_lazy("日期，如2024-03-15、2024/3/15、2024年3月。"),
    "region": gettext_lazy("从下拉列表选择，或写区划代码/名称，如“太原市清徐县”。"),
    "industry": gettext_lazy("从下拉列表选择，或写国民经济行业代码/名称。"),
    "choice": gettext_lazy("从下拉列表选择。"),
    "bool": gettext_lazy("填“是”或“否”。"),
}


def _note(spec: FieldSpec) -> str:
    parts = [str(NOTES.get(spec.kind, ""))]
    if spec.required:
        parts.insert(0, str(_("必填。")))
    if spec.synonyms:
        parts.append(str(_("也可用表头：%s")) % "、".join(spec.synonyms[:5]))
    return "".join(p for p in parts if p)


def _choices(spec: FieldSpec) -> list[str]:
    field = Project._meta.get_field(spec.key)
    assert isinstance(field, models.Field)
    return [str(label) for value, label in field.flatchoices if value != ""]


def template_workbook_write(*, out: BinaryIO, regions: Iterable[Region]) -> None:
    """Write the template; the region list holds the regions the user may import into."""
    book = xlsx_book(out)
    sheet = XlsxSheet(book, _("项目台账"), {})
    lists = book.add_worksheet(_("选项"))
    specs = export_specs()
    columns: dict[str, list[str]] = {
        "region": [r.full_name for r in regions],
        "industry": [f"{i.code} {i.name}" for i in Industry.objects.order_by("code")],
    }
    list_col = 0
    for col, spec in enumerate(specs):
        sheet.text(0, col, export_header(spec), HEADER)
        sheet.sheet.write_comment(0, col, _note(spec), {"x_scale": 2})
        sheet.sheet.set_column(col, col, 16)
        values = columns.get(spec.kind) if spec.kind in columns else None
        if spec.kind == "choice":
            values = _choices(spec)
        if not values:
            continue
        # Lists live on a hidden sheet: a validation's inline list is capped at 255 characters.
        lists.write_column(0, list_col, values)
        letter = xl_col_to_name(list_col)
        validation: dict[str, Any] = {
            "validate": "list",
            "source": f"='{lists.name}'!${letter}$1:${letter}${len(values)}",
            # Typed codes and names are fine too: the import reads them.
            "error_type": "information" if spec.kind in ("region", "industry") else "stop",
        }
        sheet.sheet.data_validation(1, col, DROPDOWN_ROWS, col, validation)
        list_col += 1
    sheet.sheet.freeze_panes(1, 2)
    lists.hide()
    book.close()


def plan_template_write(*, out: BinaryIO) -> None:
    """The plan template: the project, the year, the annual plan and its twelve months."""
    from cornerstone.ingest.plan_import import PLAN_FIELDS

    book = xlsx_book(out)
    sheet = XlsxSheet(book, _("投资计划"), {})
    for col, spec in enumerate(PLAN_FIELDS):
        header = f"{spec.label}（万元）" if spec.kind == "amount" else spec.label
        sheet.text(0, col, header, HEADER)
        sheet.sheet.set_column(col, col, 24 if spec.key in ("name", "override_reason") else 12)
    sheet.sheet.write_comment(
        0, 0, str(_("填项目代码；没有代码的项目填项目名称和所在区划。")), {"x_scale": 2}
    )
    sheet.sheet.write_comment(
        0,
        4,
        str(_("各月之和须等于年度计划；各月都不填时按施工月份自动分月。")),
        {"x_scale": 2},
    )
    sheet.sheet.freeze_panes(1, 2)
    book.close()

"""The ledger as a workbook: the page's filtered, scoped rows, streamed in constant memory.

The columns are the import's own headers, so an exported ledger imports back unchanged
(and a second import of it changes nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, BinaryIO

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cornerstone.core.xlsx import CELL, HEADER, XlsxSheet, xlsx_book
from cornerstone.ingest.headers import FieldSpec
from cornerstone.ingest.ledger_columns import LEDGER_FIELDS
from cornerstone.projects.models import Project
from cornerstone.projects.services import EDITABLE_FIELDS

CHUNK = 2000
SHEET = "项目台账"
WIDTHS = {"text": 18.0, "amount": 14.0, "date": 12.0, "region": 24.0, "industry": 28.0}


def export_specs() -> list[FieldSpec]:
    """The columns written: every importable field, in the import's order."""
    return [spec for spec in LEDGER_FIELDS if spec.key in EDITABLE_FIELDS]


def export_header(spec: FieldSpec) -> str:
    """A column's header, with its unit where it has one."""
    return f"{spec.label}（万元）" if spec.kind == "amount" else spec.label


def _value(project: Project, spec: FieldSpec) -> Any:
    """What a cell holds: the value as the import reads it back."""
    field = Project._meta.get_field(spec.key)
    if spec.kind == "region":
        return project.region.full_name if project.region_id else ""
    if spec.kind == "industry":
        return f"{project.industry.code} {project.industry.name}" if project.industry_id else ""
    if isinstance(field, models.ForeignKey):
        related = getattr(project, spec.key)
        return getattr(related, "name", "") if related is not None else ""
    value = getattr(project, spec.key)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value)) if value else ""  # type: ignore[union-attr]
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return value


def ledger_rows(queryset: QuerySet[Project]) -> Iterable[Project]:
    """The projects with every label the export shows, read in chunks."""
    return (
        queryset.select_related("region", "zone", "industry", "responsible_unit", "parent", "stage")
        .order_by("region_id", "id")
        .iterator(chunk_size=CHUNK)
    )


def ledger_workbook_write(
    *,
    out: BinaryIO,
    projects: Iterable[Project],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the ledger rows; return how many were written."""
    book = xlsx_book(out, constant_memory=True)
    sheet = XlsxSheet(book, SHEET, {})
    specs = export_specs()
    headers = [*(export_header(s) for s in specs), str(_("所处阶段"))]
    for col, header in enumerate(headers):
        sheet.text(0, col, header, HEADER)
    sheet.widths([WIDTHS.get(s.kind, 16.0) for s in specs] + [12.0])
    sheet.sheet.freeze_panes(1, 2)
    written = 0
    for written, project in enumerate(projects, start=1):
        for col, spec in enumerate(specs):
            value = _value(project, spec)
            if isinstance(value, Decimal) and spec.kind == "amount":
                sheet.money(written, col, value, CELL)
            elif isinstance(value, Decimal):
                sheet.number(written, col, float(value), CELL)  # coordinates keep six places
            elif isinstance(value, dt.date):
                sheet.date(written, col, value, CELL)
            elif isinstance(value, int):
                sheet.number(written, col, value, CELL)
            else:
                sheet.text(written, col, value, CELL)
        sheet.text(written, len(specs), project.stage.name, CELL)
        if progress and written % CHUNK == 0:
            progress(written)
    sheet.sheet.autofilter(0, 0, max(written, 1), len(headers) - 1)
    book.close()
    return written

"""The ledger as a workbook: the page's filtered, scoped rows, streamed in constant memory.

The columns are the import's own headers, so an exported ledger imports back unchanged
(and a second import of it changes nothing).

Speed (issue 5): the rows are read as plain value tuples (no model instances), the names
of related rows come from lookups loaded once (regions, industries, zones, departments,
stages: a few thousand rows at most), and the workbook is written a whole row at a time
by ``core.xlsx.xlsx_table_write`` with each column's format set once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, BinaryIO

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cornerstone.core.xlsx import TableColumn, xlsx_table_write
from cornerstone.geo.models import Department, Industry, Region, Zone
from cornerstone.ingest.headers import FieldSpec
from cornerstone.ingest.ledger_columns import LEDGER_FIELDS
from cornerstone.projects.models import Project, Stage
from cornerstone.projects.services import EDITABLE_FIELDS

CHUNK = 2000
SHEET = "项目台账"
WIDTHS = {"text": 18.0, "amount": 14.0, "date": 12.0, "region": 24.0, "industry": 28.0}
TABLE_KINDS = {"amount": "money", "decimal": "number", "year": "number", "int": "number"}
Row = Sequence[Any]


def export_specs() -> list[FieldSpec]:
    """The columns written: every importable field, in the import's order."""
    return [spec for spec in LEDGER_FIELDS if spec.key in EDITABLE_FIELDS]


def export_header(spec: FieldSpec) -> str:
    """A column's header, with its unit where it has one."""
    return f"{spec.label}（万元）" if spec.kind == "amount" else spec.label


def _columns() -> list[str]:
    """What ``ledger_rows`` reads of each project: the specs' fields, then the stage."""
    return [Project._meta.get_field(s.key).attname for s in export_specs()] + ["stage_id"]  # type: ignore[union-attr]


def ledger_rows(queryset: QuerySet[Project]) -> Iterable[Row]:
    """The projects' exported fields as value tuples (related rows by key), in chunks."""
    return queryset.order_by("region_id", "id").values_list(*_columns()).iterator(chunk_size=CHUNK)


@functools.cache
def _choice_labels(name: str, language: str | None) -> dict[Any, str]:
    field = Project._meta.get_field(name)
    return {value: str(label) for value, label in field.flatchoices}  # type: ignore[union-attr]


def _names() -> dict[str, dict[Any, str]]:
    """What a related row shows, by key, for each related field (one query each)."""
    return {
        "region": dict(Region.objects.values_list("code", "full_name")),
        "industry": {
            code: f"{code} {name}" for code, name in Industry.objects.values_list("code", "name")
        },
        "zone": dict(Zone.objects.values_list("pk", "name")),
        "responsible_unit": dict(Department.objects.values_list("pk", "name")),
        "stage": dict(Stage.objects.values_list("pk", "name")),
    }


def _choice_cell(labels: dict[Any, str], value: Any) -> Any:
    return labels.get(value, value) if value else None


def _converters() -> list[tuple[int, Callable[[Any], Any]]]:
    """(position, conversion) for every column whose stored value is not its cell."""
    names = _names()
    yes, no = _("是"), _("否")
    converted: list[tuple[int, Callable[[Any], Any]]] = []
    keys = [s.key for s in export_specs()] + ["stage"]
    for index, key in enumerate(keys):
        field = Project._meta.get_field(key)
        if isinstance(field, models.ForeignKey):
            converted.append((index, names[key].get))
        elif getattr(field, "choices", None):
            converted.append(
                (index, functools.partial(_choice_cell, _choice_labels(key, get_language())))
            )
        elif isinstance(field, models.BooleanField):
            converted.append((index, lambda v: yes if v else no))
        elif isinstance(field, models.DecimalField):
            # Stored to the cent (six places for coordinates): the float is the cell.
            converted.append((index, lambda v: None if v is None else float(v)))
    return converted


def _cells(rows: Iterable[Row], progress: Callable[[int], None] | None) -> Iterator[list[Any]]:
    converters = _converters()
    for written, stored in enumerate(rows, start=1):
        row = list(stored)
        for index, convert in converters:
            row[index] = convert(row[index])
        yield row
        if progress and written % CHUNK == 0:
            progress(written)


def ledger_workbook_write(
    *,
    out: BinaryIO,
    projects: Iterable[Row],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the ledger rows (from ``ledger_rows``); return how many were written."""
    specs = export_specs()
    columns = [
        TableColumn(export_header(s), TABLE_KINDS.get(s.kind, s.kind), WIDTHS.get(s.kind, 16.0))
        if s.kind in (*TABLE_KINDS, "date")
        else TableColumn(export_header(s), "text", WIDTHS.get(s.kind, 16.0))
        for s in specs
    ]
    columns.append(TableColumn(str(_("所处阶段")), "text", 12.0))
    counted = _Counted(projects)
    xlsx_table_write(
        out, sheet=SHEET, columns=columns, rows=_cells(counted, progress), freeze=(1, 2)
    )
    return counted.count


class _Counted:
    """An iterable that counts what went through it."""

    def __init__(self, items: Iterable[Row]) -> None:
        self.items, self.count = items, 0

    def __iter__(self) -> Iterator[Row]:
        for item in self.items:
            self.count += 1
            yield item

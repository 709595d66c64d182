"""What the row-by-row imports (plans, progress reports) share: the run and its rollback.

These imports are small beside the ledger's (one row per project and year, or per
project and period), so each row goes through its app's own service, with that
service's validation, scope checks and audit rows. All rows run in one transaction;
a dry run, or any error in any row, rolls the whole of it back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, islice
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cornerstone.ingest.cells import CellError, text_normalize
from cornerstone.ingest.headers import FieldSpec, HeaderMatch, header_locate
from cornerstone.ingest.ledger_reader import RowError
from cornerstone.ingest.workbook import Sheet
from cornerstone.projects.models import Project

HEADER_SCAN_ROWS = 10
Convert = Callable[[FieldSpec, object, Decimal], Any]


@dataclass
class RowsResult:
    """What the rows did (or, in a dry run, would do)."""

    match: HeaderMatch
    total_rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    # Column headers by field key, as the sheet wrote them (for naming errors).
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    """One data row: its number as Excel shows it, its values, and the cells as text."""

    number: int
    data: dict[str, Any]
    shown: dict[str, str]


class _Rollback(Exception):
    """Leave the transaction without writing: a dry run, or a run with errors."""


def free_text(raw: object) -> str | None:
    """Free text keeps its own punctuation (，（）) and line breaks: only the ends are trimmed."""
    kept = raw.strip() if isinstance(raw, str) else text_normalize(raw)
    return kept or None


def row_read(
    cells: Sequence[object], number: int, match: HeaderMatch, convert: Convert
) -> tuple[Row, list[RowError]]:
    """Convert a row's cells (region first: others may need it); empty cells are not given."""
    data: dict[str, Any] = {}
    shown: dict[str, str] = {}
    errors: list[RowError] = []
    for column in sorted(match.columns, key=lambda c: c.spec.kind != "region"):
        raw = cells[column.index] if column.index < len(cells) else ""
        shown[column.spec.key] = text_normalize(raw)
        try:
            value = convert(column.spec, raw, column.multiplier)
        except CellError as exc:
            errors.append(RowError(number, column.header, text_normalize(raw), exc.message))
            continue
        if value is not None:
            data[column.spec.key] = value
    return Row(number, data, shown), errors


def project_find(data: dict[str, Any], visible: QuerySet[Project]) -> Project:
    """The visible project a row names, by code or by name and region."""
    if data.get("code"):
        found = list(visible.filter(code=data["code"])[:2])
    elif data.get("name") and data.get("region"):
        found = list(visible.filter(name=data["name"], region_id=data["region"])[:2])
    else:
        raise CellError(_("请填写项目代码，或项目名称加所在区划。"))
    if len(found) != 1:
        raise CellError(_("在您的管辖范围内找不到这个项目。"))
    return found[0]


def project_error(row: Row, headers: dict[str, str], message: str) -> RowError:
    """An error about which project a row names, on its code column (else its name)."""
    key = "code" if row.data.get("code") or "name" not in headers else "name"
    return RowError(row.number, headers.get(key, ""), row.shown.get(key, ""), message)


def service_errors(
    exc: ValidationError | PermissionDenied,
    row: Row,
    headers: dict[str, str],
    fallback: str,
    columns: dict[str, str] | None = None,
) -> list[RowError]:
    """A service's refusal as row errors: each field's message on its column (``columns``
    names a column for a field the sheet spreads over several), the rest on ``fallback``."""
    if isinstance(exc, PermissionDenied) or not hasattr(exc, "error_dict"):
        texts = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        message = " ".join(texts) or _("您没有权限修改这一行的数据。")
        return [
            RowError(row.number, headers.get(fallback, ""), row.shown.get(fallback, ""), message)
        ]
    errors = []
    for name, messages in exc.message_dict.items():
        if columns and name in columns:
            errors.append(RowError(row.number, columns[name], "", " ".join(messages)))
            continue
        key = name if name in headers else fallback
        shown = row.shown.get(key, "")
        errors.append(RowError(row.number, headers.get(key, ""), shown, " ".join(messages)))
    return errors


def rows_run(
    *,
    sheet: Sheet,
    specs: Sequence[FieldSpec],
    result_type: type[RowsResult],
    handle: Callable[[list[object], int, RowsResult], None],
    commit: bool,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 50,
) -> Any:
    """Find the header, hand every non-empty row to ``handle``; keep it only if ``commit``
    and no row had an error."""
    rows: Iterator[list[object]] = iter(sheet.rows)
    head = list(islice(rows, HEADER_SCAN_ROWS))
    match = header_locate(head, specs)
    result = result_type(
        match=match,
        total_rows=max(0, sheet.total_rows - match.data_start),
        headers={c.spec.key: c.header for c in match.columns},
    )
    try:
        with transaction.atomic():
            for offset, cells in enumerate(chain(head[match.data_start :], rows)):
                if all(text_normalize(c) == "" for c in cells):
                    continue
                handle(cells, match.data_start + offset + 1, result)
                if progress and offset % progress_every == 0:
                    progress(offset)
            if progress:
                progress(result.total_rows)
            if result.errors or not commit:
                raise _Rollback
    except _Rollback:
        pass
    return result

"""Find the header of a ledger sheet and map its columns to fields (pure, no workbook I/O).

Sheets come as people send them: a title row or two, a header in one row or two (a merged
parent such as 总投资 over 合计/其中：中央资金/专项债券), columns in any order, units in the
headers (总投资（亿元）) or in a note above them (单位：万元). Rows are lists of cell values
as python-calamine returns them; a merged cell holds its value in its first cell and ""
in the others.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.utils.translation import gettext, pgettext
from xlsxwriter.utility import xl_col_to_name

from cornerstone.ingest.cells import WAN_PER_YI, WAN_PER_YUAN, text_normalize

# Money units a header may name, as a multiplier to 万元.
_HEADER_UNITS = {
    "元": WAN_PER_YUAN,
    "千元": Decimal("0.1"),
    "万元": Decimal(1),
    "万": Decimal(1),
    "亿元": WAN_PER_YI,
    "亿": WAN_PER_YI,
}
_REQUIRED_MARKS = re.compile(r"[*※]")
# A bracketed part: (万元), [元], 【亿元】, also "(单位:万元)".
_BRACKETED = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]|【([^【】]*)】")
_TRAILING_UNIT = re.compile(r"(万元|亿元)$")
_UNIT_PREFIX = re.compile(r"^(?:金额)?单位[:：]?")
_WHEREOF = re.compile(r"^其中[:：]?")
# A note above the header giving the unit of every amount: "单位：万元", "金额单位：亿元".
_SHEET_UNIT = re.compile(r"(?:金额)?单位[:：]\s*(亿元|万元|千元|元)")


@dataclass(frozen=True)
class FieldSpec:
    """A field a sheet may carry, with the headers people write for it."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    # Merged parent headers this field may sit under (fund_central under 总投资/资金来源).
    parents: tuple[str, ...] = ()
    required: bool = False
    kind: str = "text"
    # Headers that mean this field only under one of ``parents`` (合计 under 总投资).
    child_synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    """A sheet column mapped to a field; ``multiplier`` converts its amounts to 万元."""

    index: int
    header: str
    spec: FieldSpec
    multiplier: Decimal


@dataclass(frozen=True)
class HeaderMatch:
    """Where the header is and what each column holds."""

    columns: list[Column]
    header_rows: tuple[int, ...]
    data_start: int
    unmatched: list[str]


class HeaderError(ValueError):
    """The sheet's header is missing, incomplete or ambiguous; ``message`` is Chinese."""

    def __init__(
        self,
        message: str,
        *,
        expected: list[str],
        found: list[str],
        missing: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.found = found
        self.missing = missing or []


def header_text(raw: object) -> tuple[str, Decimal | None]:
    """A header's name (no spaces, required marks or money unit) and its unit in 万元."""
    text = _REQUIRED_MARKS.sub("", text_normalize(raw)).replace(" ", "")
    multiplier: Decimal | None = None

    def take_unit(match: re.Match[str]) -> str:
        nonlocal multiplier
        inner = next(group for group in match.groups() if group is not None)
        unit = _UNIT_PREFIX.sub("", inner)
        if unit in _HEADER_UNITS:
            multiplier = _HEADER_UNITS[unit]
            return ""
        # Not money (亩, 平方米, a note): kept as part of the name, 【】 read as ().
        return f"({inner})" if match[0].startswith(("(", "【")) else match[0]

    text = _BRACKETED.sub(take_unit, text)
    if multiplier is None and (trailing := _TRAILING_UNIT.search(text)) and trailing.start() > 0:
        multiplier = _HEADER_UNITS[trailing[1]]
        text = text[: trailing.start()]
    # "其中：中央资金" is the 中央资金 part of the column to its left; "其中" alone stays.
    return _WHEREOF.sub("", text) or text, multiplier


def _key(raw: object) -> str:
    return header_text(raw)[0].casefold()


@dataclass(frozen=True)
class _Index:
    """Spec lookup by header key alone and by (parent key, child key)."""

    alone: dict[str, FieldSpec]
    under: dict[tuple[str, str], FieldSpec]

    @classmethod
    def build(cls, specs: Sequence[FieldSpec]) -> _Index:
        alone: dict[str, FieldSpec] = {}
        under: dict[tuple[str, str], FieldSpec] = {}
        for spec in specs:
            names = (spec.label, *spec.synonyms)
            for name in names:
                _claim(alone, _key(name), spec)
            for parent in spec.parents:
                for name in (*names, *spec.child_synonyms):
                    _claim(under, (_key(parent), _key(name)), spec)
        return cls(alone, under)


_K = TypeVar("_K")


def _claim(table: dict[_K, FieldSpec], key: _K, spec: FieldSpec) -> None:
    other = table.setdefault(key, spec)
    if other.key != spec.key:  # a programming error in the spec list, not a user's
        raise ValueError(f"header {key!r} names both {other.key} and {spec.key}")


@dataclass(frozen=True)
class _Cell:
    """One header column as read: the upper (parent) and lower (child) text, "" if none."""

    index: int
    upper: str
    lower: str


def _cells(row: Sequence[object], width: int) -> list[str]:
    return [text_normalize(row[i]) if i < len(row) else "" for i in range(width)]


def _fill_parents(upper: list[str], lower: list[str]) -> list[str]:
    """Spread a merged parent right across the empty upper cells over its children."""
    filled = list(upper)
    parent = ""
    for i, (up, low) in enumerate(zip(upper, lower, strict=True)):
        if up:
            parent = up if low else ""  # only a cell with a child below spans children
        elif low and parent:
            filled[i] = parent
        else:
            parent = ""
    return filled


def _match(cell: _Cell, index: _Index) -> FieldSpec | None:
    if cell.upper and cell.lower:
        parent = _key(cell.upper)
        spec = index.under.get((parent, _key(cell.lower)))
        if spec is not None:
            return spec
        # Under a parent that is itself a field (责任单位/联系电话), the child qualifies that
        # field: it is not the same-named field on its own (业主联系电话).
        return None if parent in index.alone else index.alone.get(_key(cell.lower))
    return index.alone.get(_key(cell.upper or cell.lower))


@dataclass(frozen=True)
class _Layout:
    rows: tuple[int, ...]
    cells: list[_Cell]
    matches: list[FieldSpec | None]

    @property
    def score(self) -> int:
        return sum(spec is not None for spec in self.matches)


def _layout(rows: tuple[int, ...], table: list[list[str]], index: _Index) -> _Layout:
    if len(rows) == 1:
        cells = [_Cell(i, text, "") for i, text in enumerate(table[rows[0]])]
    else:
        lower = table[rows[1]]
        upper = _fill_parents(table[rows[0]], lower)
        cells = [_Cell(i, up, low) for i, (up, low) in enumerate(zip(upper, lower, strict=True))]
    return _Layout(rows, cells, [_match(cell, index) for cell in cells])


def _spans_children(upper: list[str], lower: list[str]) -> bool:
    """Whether some upper cell is a merged parent: a child below it and beside it."""
    return any(
        upper[i] and lower[i] and not upper[i + 1] and lower[i + 1] for i in range(len(upper) - 1)
    )


def _filled(row: list[str]) -> int:
    return sum(bool(text) for text in row)


def _candidates(table: list[list[str]], index: _Index) -> list[_Layout]:
    layouts: list[_Layout] = []
    for r, row in enumerate(table):
        if _filled(row) < 2:
            continue  # empty, or a title (a merged title holds its text in one cell)
        layouts.append(_layout((r,), table, index))
        if r + 1 < len(table) and _spans_children(row, table[r + 1]):
            layouts.append(_layout((r, r + 1), table, index))
    return layouts


def _sheet_unit(table: list[list[str]], before: int) -> Decimal | None:
    for row in table[:before]:
        for text in row:
            if match := _SHEET_UNIT.search(text.replace(" ", "")):
                return _HEADER_UNITS[match[1]]
    return None


def _join(items: Sequence[str]) -> str:
    return pgettext("list separator", "、").join(items) or gettext("（无）")


def header_locate(
    rows: Sequence[Sequence[object]], specs: Sequence[FieldSpec], *, scan: int = 10
) -> HeaderMatch:
    """Find the header among the first ``scan`` rows and map each column to a spec."""
    index = _Index.build(specs)
    head = rows[:scan]
    width = max((len(row) for row in head), default=0)
    table = [_cells(row, width) for row in head]
    expected = [spec.label for spec in specs]
    required = [spec.label for spec in specs if spec.required]
    layouts = _candidates(table, index)
    # Best score wins; on a tie the single-row reading (a note row above the header must
    # not become its "parent"), then the earlier row.
    best = max(layouts, key=lambda lay: (lay.score, -len(lay.rows), -lay.rows[0]), default=None)
    if best is None or best.score == 0:
        fullest = max(table, key=_filled, default=[])
        found = [text for text in fullest if text]
        raise HeaderError(
            gettext("未找到表头：应包含%(expected)s（必填：%(required)s），实际找到：%(found)s")
            % {"expected": _join(expected), "required": _join(required), "found": _join(found)},
            expected=expected,
            found=found,
            missing=required,
        )
    return _resolve(best, table, specs)


def _header(cell: _Cell) -> str:
    return f"{cell.upper}/{cell.lower}" if cell.upper and cell.lower else cell.upper or cell.lower


def _multiplier(cell: _Cell, spec: FieldSpec, sheet_unit: Decimal | None) -> Decimal:
    # The column's own unit, else its parent's (总投资（亿元） over 合计), else the sheet's.
    for text in (cell.lower, cell.upper):
        unit = header_text(text)[1] if text else None
        if unit is not None:
            return unit
    if spec.kind == "amount" and sheet_unit is not None:
        return sheet_unit
    return Decimal(1)


def _resolve(layout: _Layout, table: list[list[str]], specs: Sequence[FieldSpec]) -> HeaderMatch:
    expected = [spec.label for spec in specs]
    sheet_unit = _sheet_unit(table, layout.rows[0])
    found = [_header(cell) for cell in layout.cells if _header(cell)]
    columns: list[Column] = []
    unmatched: list[str] = []
    seen: dict[str, Column] = {}
    for cell, spec in zip(layout.cells, layout.matches, strict=True):
        header = _header(cell)
        if spec is None:
            if header:
                unmatched.append(header)
            continue
        column = Column(cell.index, header, spec, _multiplier(cell, spec, sheet_unit))
        if (first := seen.setdefault(spec.key, column)) is not column:
            raise HeaderError(
                gettext(
                    "表头重复：第%(a)s列“%(a_header)s”和第%(b)s列“%(b_header)s”都对应“%(field)s”，请删除或改名其中一列"
                )
                % {
                    "a": xl_col_to_name(first.index),
                    "a_header": first.header,
                    "b": xl_col_to_name(column.index),
                    "b_header": column.header,
                    "field": spec.label,
                },
                expected=expected,
                found=found,
            )
        columns.append(column)
    missing = [spec.label for spec in specs if spec.required and spec.key not in seen]
    if missing:
        raise HeaderError(
            gettext("缺少必填列：%(missing)s。应包含%(expected)s，实际找到：%(found)s")
            % {"missing": _join(missing), "expected": _join(expected), "found": _join(found)},
            expected=expected,
            found=found,
            missing=missing,
        )
    return HeaderMatch(
        columns=columns,
        header_rows=layout.rows,
        data_start=layout.rows[-1] + 1,
        unmatched=unmatched,
    )

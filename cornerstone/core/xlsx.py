"""Writing xlsx workbooks: formats built on demand, money and dates as real values, and
text that a spreadsheet never runs as a formula.

**Text is never a formula.** Every text cell goes through ``XlsxSheet.text``, which writes
it with ``write_string`` only (never ``write``, which would turn a leading ``=`` into a
formula) and with ``strings_to_formulas`` off for the workbook as well. A cell written
so is a string cell (``t="s"``, or ``t="inlineStr"`` in constant-memory mode) with no
``<f>`` element: Excel, WPS and LibreOffice show it as text and never evaluate it.
The OWASP advice to prefix a quote (``'=…``) is for CSV, where the reader parses every
field; in xlsx a literal ``'`` would only become part of the value (shown, sorted and
imported back with it). What an xlsx *can* still do is let the user turn the text into a
formula by editing the cell (F2, Enter), because Excel parses what is typed. So text
that begins like a formula (``= + - @``, tab or carriage return) is also given the
``quotePrefix`` cell style, the xlsx form of Excel's own leading apostrophe: the value
stays unchanged and the cell stays text when edited.

**Large tables** (``xlsx_table_write``: the ledger's 100,000 rows) are written by
rustpy-xlsxwriter, a writer in Rust, a whole row at a time with each column's format set
once; its strings are inline string cells too, and every text column carries
``quotePrefix``. Without it installed they are written by XlsxWriter, as above.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import chain
from typing import Any, BinaryIO

import xlsxwriter

from cornerstone.core.money import CENT

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a spreadsheet reads as the start of a formula (or of a DDE call) when typed.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"
# Workbook-level belt and braces: nothing we write is ever converted behind our back.
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
Props = Mapping[str, Any]

TITLE: Props = {"bold": True, "font_size": 14, "valign": "vcenter"}
NOTE: Props = {"valign": "vcenter"}
HEADER: Props = {
    "bold": True,
    "bg_color": "#D9E1F2",
    "border": 1,
    "align": "center",
    "valign": "vcenter",
    "text_wrap": True,
}
CELL: Props = {"border": 1, "valign": "vcenter"}
CENTRE: Props = {"align": "center"}
DATE: Props = {"num_format": DATE_FORMAT, "align": "center"}
MONEY: Props = {"num_format": MONEY_FORMAT}
# Negative float (a deadline that cannot be met) shows red.
FLOAT: Props = {"num_format": "0;[Red]-0", "align": "center"}
CRITICAL: Props = {"bg_color": "#FCE4D6"}
GOOD: Props = {"bold": True, "font_color": "#006100"}
BAD: Props = {"bold": True, "font_color": "#C00000"}
TOTAL: Props = {"bold": True, "bg_color": "#F2F2F2"}
QUOTE_PREFIX: Props = {"quote_prefix": True}


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula if it were typed in."""
    return text.startswith(FORMULA_TRIGGERS)


def cell_money(value: Decimal | None) -> float:
    """An amount for a cell: rounded to the cent as a Decimal, a float only at the end."""
    return float((value or Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP))


class XlsxSheet:
    """A worksheet with formats built on demand from layered properties, cached."""

    def __init__(self, book: Any, name: str, cache: dict[tuple[Any, ...], Any]) -> None:
        self.book = book
        self.sheet = book.add_worksheet(name)
        self._cache = cache
        self._by_layers: dict[tuple[int, ...], tuple[tuple[Props, ...], Any]] = {}

    def format(self, *layers: Props) -> Any:
        # The layers' identities make a cheap first key (a province's table asks for a
        # format about a million times); the entry keeps the layers alive, so an id is
        # never reused for another mapping while it is a key.
        fast = tuple(map(id, layers))
        found = self._by_layers.get(fast)
        if found is None:
            props: dict[str, Any] = {}
            for layer in layers:
                props.update(layer)
            key = tuple(sorted(props.items()))
            if key not in self._cache:
                self._cache[key] = self.book.add_format(props)
            found = self._by_layers[fast] = (layers, self._cache[key])
        return found[1]

    def text(self, row: int, col: int, value: object, *layers: Props) -> None:
        """The one way text reaches a cell: a string, never a formula (see the module docstring)."""
        text = "" if value is None else str(value)
        if not text:
            self.sheet.write_blank(row, col, None, self.format(*layers))
            return
        if formula_like(text):
            layers = (*layers, QUOTE_PREFIX)
        self.sheet.write_string(row, col, text, self.format(*layers))

    def number(self, row: int, col: int, value: int | float, *layers: Props) -> None:
        self.sheet.write_number(row, col, value, self.format(*layers))

    def money(self, row: int, col: int, value: Decimal | None, *layers: Props) -> None:
        self.sheet.write_number(row, col, cell_money(value), self.format(MONEY, *layers))

    def date(self, row: int, col: int, value: dt.date | None, *layers: Props) -> None:
        if value is None:
            self.sheet.write_blank(row, col, None, self.format(DATE, *layers))
        else:
            self.sheet.write_datetime(row, col, value, self.format(DATE, *layers))

    def title(self, row: int, last_col: int, value: str, *layers: Props) -> None:
        """A line of text across the table's width (a merged range, written as a string)."""
        self.sheet.merge_range(row, 0, row, last_col, "", self.format(*layers))
        self.text(row, 0, value, *layers)

    def widths(self, widths: Iterable[float]) -> None:
        for col, width in enumerate(widths):
            self.sheet.set_column(col, col, width)


def xlsx_book(out: BinaryIO, *, constant_memory: bool = False) -> Any:
    """A workbook that never converts text to formulas, numbers or links behind our back."""
    return xlsxwriter.Workbook(out, {**WORKBOOK_OPTIONS, "constant_memory": constant_memory})


# ------------------------------------------------------------------ large plain tables


@dataclass(frozen=True)
class TableColumn:
    """A column of a large table: its header, what it holds, and its width.

    ``kind``: "text" (strings; None is an empty cell), "money" (floats shown #,##0.00),
    "number" (ints or floats), "date" (dates shown yyyy-mm-dd).
    """

    header: str
    kind: str = "text"
    width: float = 16.0


def _table_format(layers: Iterable[Props]) -> Any:
    """A rustpy-xlsxwriter format from the same layered properties XlsxSheet takes."""
    import rustpy_xlsxwriter

    props: dict[str, Any] = {}
    for layer in layers:
        props.update(layer)
    fmt = rustpy_xlsxwriter.Format()
    setters = {
        "bold": lambda v: fmt.set_bold() if v else fmt,
        "bg_color": fmt.set_background_color,
        "font_color": fmt.set_font_color,
        "border": lambda v: fmt.set_border("thin") if v else fmt,
        "align": fmt.set_align,
        "valign": lambda v: fmt.set_align("vcenter" if v == "vcenter" else v),
        "text_wrap": lambda v: fmt.set_text_wrap() if v else fmt,
        "num_format": fmt.set_num_format,
        "quote_prefix": lambda v: fmt.set_quote_prefix() if v else fmt,
    }
    for name, value in props.items():
        setters[name](value)
    return fmt


def xlsx_table_write(
    out: BinaryIO,
    *,
    sheet: str,
    columns: list[TableColumn],
    rows: Iterable[Sequence[Any]],
    freeze: tuple[int, int] = (1, 0),
) -> None:
    """Write one large table (a header row, then the rows) with a writer in Rust.

    For exports of many rows (the ledger's 100,000): rustpy-xlsxwriter writes whole rows
    in constant memory about ten times faster than XlsxWriter's per-cell Python calls.
    Each column's format is set once on the column (borders, money and date formats).
    Text is never a formula here either: rustpy-xlsxwriter writes every string as an
    inline string cell (no ``<f>``), and every text column carries the ``quotePrefix``
    style, so a cell stays text when it is edited as well (see the module docstring;
    the style is per column here, as the writer takes formats per column, not per cell).
    The values must be what the kind says (money and numbers as floats or ints).
    """
    iterator = iter(rows)
    first = next(iterator, None)
    try:
        import rustpy_xlsxwriter
    except ImportError:  # the package pinned in requirements is missing: slower, same file
        logger.warning("rustpy-xlsxwriter is not installed: writing %r with XlsxWriter", sheet)
        rest: Iterable[Sequence[Any]] = [] if first is None else chain([first], iterator)
        _xlsxwriter_table_write(out, sheet=sheet, columns=columns, rows=rest, freeze=freeze)
        return
    if first is None:
        # rustpy-xlsxwriter takes the header from the first row: no rows, no header.
        _xlsxwriter_table_write(out, sheet=sheet, columns=columns, rows=[], freeze=freeze)
        return
    headers = [c.header for c in columns]
    kinds = {
        "text": (CELL, QUOTE_PREFIX),
        "money": (CELL, MONEY),
        "number": (CELL,),
        "date": (CELL, DATE),
    }
    formats = [_table_format(kinds[c.kind]) for c in columns]
    rustpy_xlsxwriter.write_worksheet(
        (dict(zip(headers, row, strict=True)) for row in chain([first], iterator)),
        out,
        sheet_name=sheet,
        freeze_row=freeze[0],
        freeze_col=freeze[1],
        column_widths=[c.width for c in columns],
        column_formats=formats,
        header_format=_table_format((HEADER,)),
        autofilter=True,
    )


def _xlsxwriter_table_write(
    out: BinaryIO,
    *,
    sheet: str,
    columns: list[TableColumn],
    rows: Iterable[Sequence[Any]],
    freeze: tuple[int, int],
) -> None:
    """The same table written by XlsxWriter, cell by cell (an empty table, or no Rust
    writer installed): the same formats, frozen panes and filter."""
    book = xlsx_book(out, constant_memory=True)
    target = XlsxSheet(book, sheet, {})
    for col, column in enumerate(columns):
        target.text(0, col, column.header, HEADER)
    target.widths(c.width for c in columns)
    target.sheet.freeze_panes(*freeze)
    kinds = [c.kind for c in columns]
    money, number = target.format(MONEY, CELL), target.format(CELL)
    last = 0
    for last, row in enumerate(rows, start=1):
        for col, (kind, value) in enumerate(zip(kinds, row, strict=True)):
            if kind == "text":
                target.text(last, col, value, CELL)
            elif kind == "date":
                target.date(last, col, value, CELL)
            elif value is None:
                target.sheet.write_blank(last, col, None, money if kind == "money" else number)
            else:
                target.sheet.write_number(last, col, value, money if kind == "money" else number)
    target.sheet.autofilter(0, 0, max(last, 1), len(columns) - 1)
    book.close()

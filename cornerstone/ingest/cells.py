"""Read one workbook cell as people fill ledgers in: full-width digits, units, loose dates.

Cells arrive as python-calamine returns them: ``str``, ``int``, ``float``, ``bool``,
``datetime.date``/``datetime``/``time``/``timedelta``, or ``None``/``""`` when empty. Every
parser returns ``None`` for an empty cell and raises :class:`CellError` with a Chinese
message saying what was expected; none of them touches the database.

Normalisation (:func:`text_normalize`): the full-width forms of ASCII (U+FF01–U+FF5E, so
digits, letters, ``（）［］``, and also ``，：；！？``) become their ASCII twins, and the
ideographic space becomes a space. CJK punctuation with no ASCII twin (``、。《》【】“”``)
is left alone: ``县（市、区）`` reads ``县(市、区)``. Folding ``：`` to ``:`` uniformly keeps
one rule for every cell; header code that cares about ``其中：`` matches the ASCII colon.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext, pgettext

CENT = Decimal("0.01")
WAN_PER_YI = Decimal(10000)
WAN_PER_YUAN = Decimal("0.0001")

# Units an amount may carry, as a multiplier to 万元; longest first so 万元 beats 元.
AMOUNT_UNITS: tuple[tuple[str, Decimal], ...] = (
    ("亿元", WAN_PER_YI),
    ("万元", Decimal(1)),
    ("千元", Decimal("0.1")),
    ("亿", WAN_PER_YI),
    ("万", Decimal(1)),
    ("元", WAN_PER_YUAN),
)

# Full-width ASCII (！ … ～) sits at a fixed offset from ASCII; U+3000 is the wide space.
_WIDE_TO_NARROW = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# Invisible characters pasted in from web pages and Word; they would defeat every match.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_TRANSLATION = _WIDE_TO_NARROW | _INVISIBLE

_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")

# Excel's 1900 date system: serial 1 is 1900-01-01 and serial 60 is the 1900-02-29 that
# Lotus 1-2-3 invented; from 61 on, day zero is effectively 1899-12-30.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31
# A project date outside these years is a typo or a number that is not a date at all
# (an amount typed in a date column reads as a 1900s serial).
MIN_YEAR = 1950
MAX_YEAR = 2100

_TIME_SUFFIX = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$")
# One separator throughout: 2024-03/15 is more likely a slip than a date.
_FULL_DATE = (
    re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)
_MONTH_DATE = (
    re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月份?"),
)
_YEAR_ONLY = re.compile(r"(\d{4})年?")
_YEAR_RANGE = re.compile(r"(\d{4})年?(?:-|~|—|–|至|到)(\d{4})年?")

_TRUE = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "✔", "已验收", "已", "有", "对"})
_FALSE = frozenset({"否", "n", "no", "false", "0", "×", "x", "✗", "✘", "未验收", "未", "无"})


class CellError(ValueError):
    """A cell that cannot be read; ``message`` says, in Chinese, what was expected."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def text_normalize(value: object) -> str:
    """Plain text of a cell: half-width ASCII, trimmed, inner whitespace runs collapsed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"  # as Excel shows a boolean cell
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        return _plain(Decimal(repr(value)))
    if isinstance(value, Decimal):
        return _plain(value) if value.is_finite() else str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = str(value).translate(_TRANSLATION)
    return " ".join(text.split())


def _plain(number: Decimal) -> str:
    # normalize() drops trailing zeros (1200.0 → 1.2E+3); "f" writes it out without exponent.
    return format(number.normalize(), "f")


def _shown(value: object) -> str:
    """The cell as the user typed it, for quoting in a message."""
    return value.strip() if isinstance(value, str) else text_normalize(value)


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and text_normalize(value) == "")


def _separator() -> str:
    return pgettext("list separator", "、")


def _number(text: str) -> Decimal | None:
    """A decimal from plain or thousands-grouped digits (already normalised), else None."""
    if not (_PLAIN_NUMBER.fullmatch(text) or _GROUPED_NUMBER.fullmatch(text)):
        return None  # also refuses what Decimal() would take: "1e3", "NaN", "Infinity"
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the patterns admit only valid literals
        return None


def _numeric(value: object) -> Decimal | None:
    """The exact decimal of a numeric cell (a float through its repr), else None."""
    if isinstance(value, bool):
        return None  # bool is an int subclass; TRUE is no number
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        number = Decimal(repr(value))  # repr is the shortest round-trip: 1200.1, not 1200.0999…
        return number if number.is_finite() else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return None


def amount_parse(value: object, *, multiplier: Decimal = Decimal(1)) -> Decimal | None:
    """An amount in 万元 to the cent; a unit in the cell wins over the column's multiplier."""
    if _is_empty(value):
        return None
    number = _numeric(value)
    if number is None and isinstance(value, str):
        text = text_normalize(value).replace(" ", "")
        for unit, unit_multiplier in AMOUNT_UNITS:
            if text.endswith(unit):
                text, multiplier = text.removesuffix(unit), unit_multiplier
                break
        number = _number(text)
    if number is None:
        raise CellError(
            gettext(
                "“%(value)s”不是有效的金额（应为数字，可带单位万元或亿元，如1200、1,200万元、1.2亿元）"
            )
            % {"value": _shown(value)}
        )
    return (number * multiplier).quantize(CENT, rounding=ROUND_HALF_UP)


def decimal_parse(
    value: object, *, places: int = 2, suffixes: Sequence[str] = ()
) -> Decimal | None:
    """A plain decimal (area, coordinate) rounded half up; a listed unit suffix is dropped."""
    if _is_empty(value):
        return None
    number = _numeric(value)
    if number is None and isinstance(value, str):
        text = text_normalize(value).replace(" ", "")
        for suffix in sorted(suffixes, key=len, reverse=True):
            if text.endswith(suffix):
                text = text.removesuffix(suffix)
                break
        number = _number(text)
    if number is None:
        raise CellError(gettext("“%(value)s”不是有效的数字") % {"value": _shown(value)})
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def int_parse(value: object) -> int | None:
    """A whole number; ``12.0`` and ``"1,200"`` are fine, ``12.5`` is not."""
    if _is_empty(value):
        return None
    number = _numeric(value)
    if number is None and isinstance(value, str):
        number = _number(text_normalize(value).replace(" ", ""))
    if number is None or number != number.to_integral_value():
        raise CellError(gettext("“%(value)s”不是有效的整数") % {"value": _shown(value)})
    return int(number)


def _date_error(value: object) -> CellError:
    return CellError(
        gettext(
            "“%(value)s”不是有效的日期（可写作2024-03-15、2024/3/15、2024.03.15、2024年3月或Excel日期）"
        )
        % {"value": _shown(value)}
    )


def _checked(day: dt.date, value: object) -> dt.date:
    if MIN_YEAR <= day.year <= MAX_YEAR:
        return day
    if _numeric(value) is not None:  # say which date the number stood for
        raise CellError(
            gettext("“%(value)s”按Excel日期是%(date)s，不在%(low)d—%(high)d年之间，不像是项目日期")
            % {"value": _shown(value), "date": day.isoformat(), "low": MIN_YEAR, "high": MAX_YEAR}
        )
    raise CellError(
        gettext("“%(value)s”的年份不在%(low)d—%(high)d年之间，不像是项目日期")
        % {"value": _shown(value), "low": MIN_YEAR, "high": MAX_YEAR}
    )


def _make_date(year: str, month: str, day: str, value: object) -> dt.date:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise _date_error(value) from None


def excel_serial_date(serial: float) -> dt.date:
    """The day of an Excel serial number (1900 date system, time of day dropped)."""
    whole = int(serial)
    if whole < 1 or whole > _EXCEL_MAX_SERIAL or whole == 60:
        raise _date_error(serial)  # 60 is 1900-02-29, a day that never was
    # Before the phantom 29 February the serials run one day ahead of the epoch below.
    return _EXCEL_EPOCH + dt.timedelta(days=whole + 1 if whole < 60 else whole)


def _vague_year(value: object) -> CellError:
    return CellError(
        gettext("“%(value)s”只有年份，请写明月份（如2024年3月或2024-03-15）")
        % {"value": _shown(value)}
    )


def _numeric_date(number: Decimal, value: object) -> dt.date:
    """A date typed into a number cell: an Excel serial, 20240315, or 2024.3 for a month."""
    whole = int(number)
    if MIN_YEAR <= whole <= MAX_YEAR:
        if number == whole:
            raise _vague_year(value)
        # 2024.3 typed into a number cell; Excel keeps 2024.10 as 2024.1, so a float's
        # ".1" cannot tell January from October.
        fraction = str(number).split(".")[1]
        if fraction == "1" and isinstance(value, float):
            raise CellError(
                gettext("“%(value)s”分不清是1月还是10月，请写作2024-01或2024-10")
                % {"value": _shown(value)}
            )
        return _make_date(str(whole), fraction, "1", value)
    if number == whole and 10000101 <= whole <= 99991231:
        digits = str(whole)
        return _make_date(digits[:4], digits[4:6], digits[6:], value)
    return excel_serial_date(float(number))


def _text_date(value: str) -> dt.date:
    text = _TIME_SUFFIX.sub("", text_normalize(value)).replace(" ", "")
    for pattern in _FULL_DATE:
        match = pattern.fullmatch(text)
        if match:
            return _make_date(match["y"], match["m"], match["d"], value)
    for pattern in _MONTH_DATE:
        match = pattern.fullmatch(text)
        if match:
            return _make_date(match["y"], match["m"], "1", value)
    if _YEAR_ONLY.fullmatch(text):
        raise _vague_year(value)
    raise _date_error(value)


def date_parse(value: object) -> dt.date | None:
    """A date; a month alone (2024年3月, 2024-03, 2024.3) means the first of that month."""
    if _is_empty(value):
        return None
    if isinstance(value, dt.datetime):
        return _checked(value.date(), value)
    if isinstance(value, dt.date):
        return _checked(value, value)
    number = _numeric(value)
    if number is not None:
        return _checked(_numeric_date(number, value), value)
    if isinstance(value, str):
        return _checked(_text_date(value), value)
    raise _date_error(value)  # a bare time or a duration is no date


def year_parse(value: object) -> int | None:
    """A calendar year: 2024, ``"2024年"``, or the year of a date cell."""
    if _is_empty(value):
        return None
    if isinstance(value, dt.date):
        year = value.year
    else:
        number = _numeric(value)
        if number is None and isinstance(value, str):
            match = _YEAR_ONLY.fullmatch(text_normalize(value).replace(" ", ""))
            number = Decimal(match[1]) if match else None
        if number is None or number != number.to_integral_value():
            raise CellError(
                gettext("“%(value)s”不是有效的年份（如2024）") % {"value": _shown(value)}
            )
        year = int(number)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CellError(gettext("“%(value)s”不是有效的年份（如2024）") % {"value": _shown(value)})
    return year


def year_range_parse(value: object) -> tuple[int, int] | None:
    """A construction period such as ``2024-2026`` or ``2024年至2026年``; one year is both ends."""
    if _is_empty(value):
        return None
    text = text_normalize(value).replace(" ", "")
    match = _YEAR_RANGE.fullmatch(text)
    if match is None:
        year = year_parse(value)  # "2024" alone: starts and ends that year
        return None if year is None else (year, year)
    start, end = int(match[1]), int(match[2])
    if not (MIN_YEAR <= start <= end <= MAX_YEAR):
        raise CellError(
            gettext("“%(value)s”不是有效的起止年份（如2024-2026）") % {"value": _shown(value)}
        )
    return start, end


def bool_parse(value: object) -> bool | None:
    """Yes or no: 是/否, Y/N, √/×, TRUE/FALSE, 1/0, 已验收/未验收."""
    if _is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    number = _numeric(value)
    if number is not None and number in (0, 1):
        return number == 1
    key = text_normalize(value).replace(" ", "").casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(
        gettext("“%(value)s”不是有效的是/否值（应为：%(allowed)s）")
        % {"value": _shown(value), "allowed": _separator().join(("是", "否", "√", "×", "Y", "N"))}
    )


def choice_parse(value: object, choices: Sequence[tuple[str, object]]) -> str | None:
    """The value of the Django choice whose label or value the cell names (ASCII case ignored)."""
    if _is_empty(value):
        return None
    key = text_normalize(value).casefold()
    for choice_value, label in choices:
        if key in (text_normalize(str(label)).casefold(), text_normalize(choice_value).casefold()):
            return choice_value
    allowed = _separator().join(str(label) for _, label in choices)
    raise CellError(
        gettext("“%(value)s”不是有效的选项（应为：%(allowed)s）")
        % {"value": _shown(value), "allowed": allowed}
    )

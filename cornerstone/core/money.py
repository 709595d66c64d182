"""Money in 万元 (ten-thousand yuan), the unit of Chinese ledgers, and its display."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import get_language

WAN_PER_YI = Decimal(10000)  # 1 亿元 = 10,000 万元
WAN_PER_MILLION = Decimal(100)  # 1 million yuan = 100 万元
WAN_PER_BILLION = Decimal(100000)
CENT = Decimal("0.01")


def parse_wan(raw: str | int | float | Decimal | None) -> Decimal | None:
    """Parse an amount in 万元 (commas and a trailing unit allowed); None when empty."""
    if raw is None:
        return None
    # A Decimal goes through the same checks: it may be NaN, or carry more than two places.
    text = str(raw).strip().replace(",", "").replace("，", "")
    if text == "":
        return None
    multiplier = Decimal(1)
    if text.endswith("亿元") or text.endswith("亿"):
        multiplier = WAN_PER_YI
        text = text.removesuffix("元").removesuffix("亿")
    elif text.endswith("万元") or text.endswith("万"):
        text = text.removesuffix("元").removesuffix("万")
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"“{raw}”不是有效的金额") from None
    if not value.is_finite():
        raise ValueError(f"“{raw}”不是有效的金额")
    return (value * multiplier).quantize(CENT, rounding=ROUND_HALF_UP)


def group_digits(value: Decimal, places: int = 2) -> str:
    """Format with thousands separators and a fixed number of decimals."""
    quantum = Decimal(1).scaleb(-places)
    return f"{value.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"


def _in_english() -> bool:
    # Chinese readers count in 万 and 亿; English readers in millions and billions.
    return not (get_language() or "zh-hans").startswith("zh")


def _english(value: Decimal, *, short: bool = False) -> str:
    if abs(value) >= WAN_PER_BILLION:
        amount, unit = value / WAN_PER_BILLION, "bn"
    else:
        amount, unit = value / WAN_PER_MILLION, "m"
    return f"{group_digits(amount)}{unit}" if short else f"CNY {group_digits(amount)}{unit}"


def format_wan(value: Decimal | None) -> str:
    """Show an amount stored in 万元, e.g. ``8,500.00万元`` (``CNY 85.00m`` in English)."""
    if value is None:
        return ""
    if _in_english():
        return _english(value)
    return f"{group_digits(value)}万元"


def format_money(value: Decimal | None) -> str:
    """Show 万元, adding the 亿元 figure when the amount reaches one 亿."""
    if value is None:
        return ""
    if _in_english():
        return _english(value)
    if abs(value) >= WAN_PER_YI:
        return f"{group_digits(value / WAN_PER_YI)}亿元（{group_digits(value)}万元）"
    return format_wan(value)


def format_yi_short(value: Decimal | None) -> str:
    """Compact form for tables: 亿 from one 亿 upwards, else 万 (bn / m in English)."""
    if value is None:
        return ""
    if _in_english():
        return _english(value, short=True)
    if abs(value) >= WAN_PER_YI:
        return f"{group_digits(value / WAN_PER_YI)}亿"
    return f"{group_digits(value, 0)}万"

"""Pure helpers on GB/T 2260 division codes (no database)."""

from cornerstone.geo.choices import RegionLevel

_PREFIX_LENGTH = {RegionLevel.PROVINCE: 2, RegionLevel.CITY: 4, RegionLevel.COUNTY: 6}


def level_of(code: str) -> RegionLevel:
    """Infer a six-digit code's level from its trailing zeros."""
    # isdigit() alone would accept full-width and other Unicode digits.
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        raise ValueError(f"“{code}”不是六位行政区划代码")
    if code[2:] == "0000":
        return RegionLevel.PROVINCE
    if code[4:] == "00":
        return RegionLevel.CITY
    return RegionLevel.COUNTY


def subtree_bounds(code: str) -> tuple[str, str]:
    """Return ``(low, high)`` such that a code is in the subtree iff ``low <= c < high``."""
    prefix = code[: _PREFIX_LENGTH[level_of(code)]]
    if len(prefix) == 6:
        return code, code[:5] + chr(ord(code[5]) + 1)
    upper = str(int(prefix) + 1).zfill(len(prefix))
    return prefix.ljust(6, "0"), upper.ljust(6, "0")


def in_subtree(code: str, root: str) -> bool:
    """Whether ``code`` (a well-formed division code) lies in the subtree rooted at ``root``."""
    try:
        level_of(code)
    except ValueError:
        return False  # "1401050" sorts between 140105 and 140106 but is no division
    low, high = subtree_bounds(root)
    return low <= code < high


def ancestors_of(code: str) -> list[str]:
    """The code itself and the codes of its city and province, without duplicates."""
    found = [code, code[:4] + "00", code[:2] + "0000"]
    return list(dict.fromkeys(found))

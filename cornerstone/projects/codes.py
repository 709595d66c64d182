"""Project codes (pure): the national investment project code and the local fallback.

National code (GB/T 40058-2021), 24 characters ``YYYY-RRRRRR-DD-TT-NNNNNC``: year 4,
region 6 (GB/T 2260), guiding department 2, project type 2 (01 基本建设, 02 技术改造,
03 单纯购置, 04 信息化, 05 其他), random 5 and a check character. The check algorithm is
not public, so only the structure is validated here; the region part is checked against
the loaded divisions by the model. A project still in the reserve library often has
no national code: it gets a local code ``YYYY-RRRRRR-LNNNNN``.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# re.ASCII: without it \d also matches full-width and other Unicode digits.
NATIONAL_CODE = re.compile(
    r"^(?P<year>\d{4})-(?P<region>\d{6})-(?P<dept>\d{2})-(?P<type>0[1-5])-\d{5}[0-9A-Z]$",
    re.ASCII,
)
LOCAL_CODE = re.compile(r"^(?P<year>\d{4})-(?P<region>\d{6})-L(?P<seq>\d{5})$", re.ASCII)
PROJECT_TYPES = {"01": "基本建设", "02": "技术改造", "03": "单纯购置", "04": "信息化", "05": "其他"}


@dataclass(frozen=True)
class ParsedCode:
    year: int
    region: str
    national: bool


def parse_project_code(code: str) -> ParsedCode:
    """Split a national or local code into its parts; raise ValueError when malformed."""
    # fullmatch: "$" alone lets a trailing newline through.
    if match := NATIONAL_CODE.fullmatch(code):
        parsed = ParsedCode(int(match["year"]), match["region"], national=True)
    elif match := LOCAL_CODE.fullmatch(code):
        parsed = ParsedCode(int(match["year"]), match["region"], national=False)
    else:
        raise ValueError(code)
    if not 1990 <= parsed.year <= 2100:
        raise ValueError(code)
    return parsed


def validate_project_code(code: str) -> None:
    """Field validator: the code must be a well-formed national or local code."""
    try:
        parse_project_code(code)
    except ValueError:
        raise ValidationError(
            _(
                "项目代码“%(code)s”格式不正确：应为24位全国投资项目代码"
                "（如 2024-140105-39-01-000123），或本地编码（如 2024-140105-L00001）。"
            ),
            code="invalid_code",
            params={"code": code},
        ) from None


def local_code(*, year: int, region: str, sequence: int) -> str:
    """Build a local code for a project without a national code."""
    return f"{year:04d}-{region}-L{sequence:05d}"

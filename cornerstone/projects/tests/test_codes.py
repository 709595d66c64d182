"""Project codes: the national code's structure and the local fallback (pure)."""

import pytest
from django.core.exceptions import ValidationError

from cornerstone.projects.codes import (
    ParsedCode,
    local_code,
    parse_project_code,
    validate_project_code,
)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("2024-140105-39-01-000123", ParsedCode(2024, "140105", national=True)),
        ("2019-110101-50-05-12345X", ParsedCode(2019, "110101", national=True)),
        ("2026-140105-L00001", ParsedCode(2026, "140105", national=False)),
        ("1990-650000-L99999", ParsedCode(1990, "650000", national=False)),
    ],
)
def test_well_formed_codes_are_split_into_their_parts(code, expected):
    assert parse_project_code(code) == expected
    validate_project_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "",
        "2024-140105-39-01-00012",  # one character short
        "2024-140105-39-01-0001234",  # one too many
        "2024-140105-39-06-000123",  # project type 06 does not exist
        "2024-140105-39-00-000123",
        "2024-140105-39-01-00012x",  # the check character is upper case
        "2024140105-39-01-000123",
        "2024-14010-39-01-0001234",
        "1989-140105-39-01-000123",  # year out of range
        "2101-140105-L00001",
        "2024-140105-L0001",
        "2024-140105-M00001",
        "２０２４-１４０１０５-L00001",  # full-width digits
        "2024-140105-L00001\n",  # a trailing newline
        " 2024-140105-L00001",
    ],
)
def test_malformed_codes_are_refused_with_a_message_quoting_the_code(code):
    with pytest.raises(ValueError):
        parse_project_code(code)
    with pytest.raises(ValidationError) as excinfo:
        validate_project_code(code)
    assert excinfo.value.code == "invalid_code"
    assert code in excinfo.value.messages[0]
    assert "24位" in excinfo.value.messages[0]


def test_a_local_code_is_zero_padded_and_parses_back():
    code = local_code(year=2026, region="140105", sequence=7)
    assert code == "2026-140105-L00007"
    assert parse_project_code(code) == ParsedCode(2026, "140105", national=False)


def test_the_largest_local_sequence_still_fits_the_format():
    assert parse_project_code(local_code(year=2026, region="140105", sequence=99999)).year == 2026

"""GB/T 2260 code helpers (pure)."""

import pytest

from cornerstone.geo.choices import RegionLevel
from cornerstone.geo.codes import ancestors_of, in_subtree, level_of, subtree_bounds


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("140000", RegionLevel.PROVINCE),
        ("110000", RegionLevel.PROVINCE),
        ("140100", RegionLevel.CITY),
        ("429000", RegionLevel.CITY),
        ("140105", RegionLevel.COUNTY),
        ("110101", RegionLevel.COUNTY),
        ("441900", RegionLevel.CITY),
    ],
)
def test_the_level_follows_from_the_trailing_zeros(code, level):
    assert level_of(code) == level


@pytest.mark.parametrize(
    "code", ["", "14010", "1401050", "14010a", "ABCDEF", "１４０１０５", "14 105"]
)
def test_anything_but_six_ascii_digits_is_refused(code):
    with pytest.raises(ValueError):
        level_of(code)


@pytest.mark.parametrize(
    ("root", "inside", "outside"),
    [
        ("140000", ["140000", "140100", "140105", "149900", "149999"], ["130000", "150000"]),
        ("140100", ["140100", "140105", "140199"], ["140000", "140200", "140099", "130105"]),
        ("140105", ["140105"], ["140104", "140106", "140100", "1401050"]),
        ("140109", ["140109"], ["140110", "140108"]),
        ("149900", ["149900", "149901"], ["150000", "149800"]),
    ],
)
def test_a_subtree_holds_exactly_the_codes_under_its_root(root, inside, outside):
    for code in inside:
        assert in_subtree(code, root), code
    for code in outside:
        assert not in_subtree(code, root), code


def test_subtree_bounds_are_a_half_open_range_of_codes():
    assert subtree_bounds("140000") == ("140000", "150000")
    assert subtree_bounds("140100") == ("140100", "140200")
    low, high = subtree_bounds("140105")
    assert low == "140105" and "140105" < high <= "140106"


def test_ancestors_are_the_code_its_city_and_its_province():
    assert ancestors_of("140105") == ["140105", "140100", "140000"]
    assert ancestors_of("140100") == ["140100", "140000"]
    assert ancestors_of("140000") == ["140000"]

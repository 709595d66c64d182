"""The template filters and tags every page uses (built in, so no {% load %} is needed)."""

import datetime as dt
import html
from decimal import Decimal
from urllib.parse import parse_qs

import pytest
from django.template import Context, Template
from django.test import RequestFactory


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("source", "value", "expected"),
    [
        ("{{ v|wan }}", Decimal("8500"), "8,500.00万元"),
        ("{{ v|wan }}", None, ""),
        ("{{ v|yuan }}", Decimal("150000"), "15.00亿元（150,000.00万元）"),
        ("{{ v|yuan }}", Decimal("9999"), "9,999.00万元"),
        ("{{ v|yi_short }}", Decimal("25000"), "2.50亿"),
        ("{{ v|yi_short }}", Decimal("800"), "800万"),
        ("{{ v|cn_date }}", dt.date(2024, 3, 5), "2024年3月5日"),
        ("{{ v|cn_date }}", dt.datetime(2026, 11, 24, 23, 59), "2026年11月24日"),
        ("{{ v|cn_date }}", None, ""),
        ("{{ v|cn_month }}", dt.date(2024, 12, 31), "2024年12月"),
        ("{{ v|cn_month }}", "", ""),
    ],
)
def test_filters_render_what_a_person_reads(source, value, expected):
    assert render(source, v=value) == expected


def query_of(link: str) -> dict[str, list[str]]:
    # The tag's output is escaped for an href attribute (& as &amp;), as it must be.
    link = html.unescape(link)
    assert link.startswith("?")
    return parse_qs(link[1:], keep_blank_values=True)


def test_query_with_replaces_one_parameter_and_keeps_the_rest():
    request = RequestFactory().get("/projects/", {"tier": ["city", "county"], "page": "3"})
    link = render('{% query_with page=4 sort="-invest" %}', request=request)
    assert "&amp;" in link and "&page" not in link
    assert query_of(link) == {"tier": ["city", "county"], "page": ["4"], "sort": ["-invest"]}


def test_query_with_drops_parameters_set_to_nothing():
    request = RequestFactory().get("/projects/", {"page": "3", "q": "电子", "region": "140105"})
    link = render('{% query_with page=None q="" %}', request=request)
    assert query_of(link) == {"region": ["140105"]}


def test_query_with_encodes_chinese_and_keeps_zero():
    request = RequestFactory().get("/projects/")
    link = render('{% query_with q="高端电子" page=0 %}', request=request)
    assert "%E9%AB%98" in link
    assert query_of(link) == {"q": ["高端电子"], "page": ["0"]}


def test_query_with_leaves_the_request_untouched():
    request = RequestFactory().get("/projects/", {"page": "3"})
    render("{% query_with page=9 %}", request=request)
    assert request.GET["page"] == "3"

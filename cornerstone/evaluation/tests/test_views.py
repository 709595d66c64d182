"""The evaluation pages: list, create, detail, the evaluator's sheet, the board and exports."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from cornerstone.evaluation import entry_services, services
from cornerstone.evaluation.choices import RoundStatus, SheetStatus
from cornerstone.evaluation.models import EvaluationRound, ScoreSheet
from cornerstone.evaluation.presets import YANAN_2017
from cornerstone.evaluation.tests.conftest import Tour, round_new

pytestmark = pytest.mark.django_db
D = Decimal


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def published(tour: Tour, cast: Any) -> EvaluationRound:
    admin = cast.taiyuan_admin
    for unit, value in ((tour.xiaodian, "80"), (tour.yingze, "90")):
        entry_services.daily_score_add(
            actor=admin,
            round_=tour.round,
            unit=unit,
            criterion_code="daily",
            value=value,
            basis="年度",
        )
    services.round_open(actor=admin, round_=tour.round)
    entry_services.score_sheet_submit(
        actor=tour.evaluator, round_=tour.round, unit=tour.xiaodian, scores={"site": "90"}
    )
    entry_services.score_sheet_submit(
        actor=tour.evaluator, round_=tour.round, unit=tour.yingze, scores={"site": "70"}
    )
    services.round_close(actor=admin, round_=tour.round)
    return services.round_publish(actor=admin, round_=tour.round)


def test_round_list_scoped_and_bounded(
    tour: Tour, cast: Any, geo: Any, django_assert_max_num_queries: Any
) -> None:
    for year in (2021, 2022, 2023):
        round_new(cast, geo, preset=YANAN_2017, name=f"{year}年度考核", year=year)
    client = client_for(cast.taiyuan_admin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("evaluation:rounds"))
    assert response.status_code == 200
    assert response.content.decode().count('href="/evaluation/') >= 4
    other = client_for(cast.hebei_admin).get(reverse("evaluation:rounds")).content.decode()
    assert "2024年度重大项目现场观摩" not in other
    assert "暂无评比" in other


def test_create_a_round_from_a_preset(cast: Any, geo: Any) -> None:
    client = client_for(cast.taiyuan_admin)
    assert client.get(reverse("evaluation:round-create")).status_code == 200
    response = client.post(
        reverse("evaluation:round-create"),
        {
            "name": "2025年上半年观摩",
            "year": "2025",
            "period_start": "2025-01-01",
            "period_end": "2025-06-30",
            "region": geo.taiyuan.code,
            "scheme": f"preset:{YANAN_2017}",
        },
    )
    round_ = EvaluationRound.objects.get(name="2025年上半年观摩")
    assert response.status_code == 302
    assert round_.scheme.preset == YANAN_2017 and round_.scheme.region_id == geo.taiyuan.code
    # A region outside the admin's scope is not even offered: refused, nothing saved.
    response = client.post(
        reverse("evaluation:round-create"),
        {
            "name": "越权",
            "year": "2025",
            "period_start": "2025-01-01",
            "period_end": "2025-06-30",
            "region": geo.datong.code,
            "scheme": f"preset:{YANAN_2017}",
        },
    )
    assert response.status_code == 200
    assert not EvaluationRound.objects.filter(name="越权").exists()
    assert (
        client_for(cast.taiyuan_leader).get(reverse("evaluation:round-create")).status_code == 403
    )


def test_detail_and_actions(tour: Tour, cast: Any, geo: Any) -> None:
    client = client_for(cast.taiyuan_admin)
    url = reverse("evaluation:round", args=[tour.round.pk])
    page = client.get(url).content.decode()
    assert "小店区" in page and "迎泽区" in page and "evaluator2" in page
    client.post(reverse("evaluation:round-move", args=[tour.round.pk, "open"]))
    tour.round.refresh_from_db()
    assert tour.round.status == RoundStatus.OPEN
    # A refused move says why and changes nothing.
    response = client.post(
        reverse("evaluation:round-move", args=[tour.round.pk, "publish"]), follow=True
    )
    assert "不能发布" in response.content.decode()
    assert client_for(cast.hebei_admin).get(url).status_code == 404
    response = client_for(cast.xiaodian_admin).post(
        reverse("evaluation:round-move", args=[tour.round.pk, "close"]), follow=True
    )
    assert "不在您的管辖范围内" in response.content.decode()
    tour.round.refresh_from_db()
    assert tour.round.status == RoundStatus.OPEN


def test_the_evaluators_sheet_with_htmx(tour: Tour, cast: Any) -> None:
    services.round_open(actor=cast.taiyuan_admin, round_=tour.round)
    client = client_for(tour.evaluator)
    url = reverse("evaluation:sheet", args=[tour.round.pk, tour.xiaodian.pk])
    assert "现场观摩评价" in client.get(url).content.decode()
    response = client.post(url, {"site": "120", "action": "save"})
    assert response.status_code == 400
    response = client.post(url, {"site": "120", "action": "save"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "0—100" in response.content.decode()
    assert not ScoreSheet.objects.exists()
    response = client.post(url, {"site": "88.5", "action": "save"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "已保存草稿" in response.content.decode()
    response = client.post(url, {"site": "89", "action": "submit"}, HTTP_HX_REQUEST="true")
    sheet = ScoreSheet.objects.get()
    assert sheet.status == SheetStatus.SUBMITTED and sheet.entries.get().score == D(89)
    response = client.post(url, {"site": "50", "action": "submit"}, HTTP_HX_REQUEST="true")
    assert "不能再修改或重复提交" in response.content.decode()
    # Another evaluator never sees this sheet's scores; a unit not theirs is not found.
    # (Matched on the input's value: a bare "89" may turn up in the page's CSRF token.)
    assert re.search(r'id="s-site"[^>]*value="89', client.get(url).content.decode())
    other = client_for(tour.third)
    theirs = other.get(url)
    assert theirs.status_code == 200 and 'id="s-site"' in theirs.content.decode()
    assert not re.search(r'value="89', theirs.content.decode())
    yingze = reverse("evaluation:sheet", args=[tour.round.pk, tour.yingze.pk])
    assert other.get(yingze).status_code == 404
    # Organisers are not evaluators: no sheet page for them.
    assert client_for(cast.taiyuan_admin).get(url).status_code == 404


def test_board_and_exports(tour: Tour, cast: Any) -> None:
    round_ = published(tour, cast)
    client = client_for(cast.taiyuan_admin)
    board = client.get(reverse("evaluation:board", args=[round_.pk])).content.decode()
    # 小店区: 90 × 0.5 + 80 × 0.3 + 100 × 0.2 = 89; 迎泽区: 35 + 27 + 20 = 82 (rank 2 → 100)
    assert board.index("小店区") < board.index("迎泽区")
    assert "89.00" in board and "82.00" in board
    # Each criterion's cell has two places like the total (90 shown as 90.00, not 90).
    assert re.search(r'title="现场观摩评价[^"]*">90\.00</td>', board)
    xlsx = client.get(reverse("evaluation:export-xlsx", args=[round_.pk]))
    assert xlsx["Cache-Control"] == "private, no-store"
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    rows = list(book.worksheets[0].iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[1], r[2]) for r in rows] == [(1, "小店区", 89.0), (2, "迎泽区", 82.0)]
    docx = client.get(reverse("evaluation:export-docx", args=[round_.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "现场观摩评价：评委1人，平均90分" in text
    # The county admin sees only their own unit, in the page and in the exports.
    own = client_for(cast.xiaodian_admin)
    page = own.get(reverse("evaluation:board", args=[round_.pk])).content.decode()
    assert "小店区" in page and "迎泽区" not in page
    book = load_workbook(
        io.BytesIO(
            b"".join(own.get(reverse("evaluation:export-xlsx", args=[round_.pk])).streaming_content)
        )
    )
    assert [r[1] for r in book.worksheets[0].iter_rows(min_row=4, values_only=True)] == ["小店区"]
    assert (
        client_for(cast.hebei_admin)
        .get(reverse("evaluation:export-docx", args=[round_.pk]))
        .status_code
        == 404
    )


def test_exports_wait_for_the_results(tour: Tour, cast: Any) -> None:
    client = client_for(cast.taiyuan_admin)
    assert client.get(reverse("evaluation:export-xlsx", args=[tour.round.pk])).status_code == 404
    page = client.get(reverse("evaluation:board", args=[tour.round.pk])).content.decode()
    assert "尚未结束" in page


def test_a_sheet_page_only_for_an_assigned_unit(tour: Tour, cast: Any) -> None:
    # The leader sees the whole round (the city is theirs) but evaluates 小店区 only.
    services.round_evaluator_assign(
        actor=cast.taiyuan_admin, round_=tour.round, user=cast.taiyuan_leader, units=[tour.xiaodian]
    )
    services.round_open(actor=cast.taiyuan_admin, round_=tour.round)
    leader = client_for(cast.taiyuan_leader)
    assert (
        leader.get(reverse("evaluation:sheet", args=[tour.round.pk, tour.xiaodian.pk])).status_code
        == 200
    )
    yingze = reverse("evaluation:sheet", args=[tour.round.pk, tour.yingze.pk])
    assert leader.get(yingze).status_code == 404
    assert leader.post(yingze, {"site": "90", "action": "submit"}).status_code == 404
    assert not ScoreSheet.objects.exists()


def test_board_queries_are_bounded(
    tour: Tour, cast: Any, geo: Any, django_assert_max_num_queries: Any
) -> None:
    round_ = published(tour, cast)
    client = client_for(cast.taiyuan_admin)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("evaluation:board", args=[round_.pk]))
    assert response.status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(reverse("evaluation:round", args=[round_.pk])).status_code == 200


def test_scheme_pages(tour: Tour, cast: Any, geo: Any) -> None:
    client = client_for(cast.taiyuan_admin)
    listing = client.get(reverse("evaluation:schemes")).content.decode()
    assert tour.scheme.name in listing
    response = client.post(
        reverse("evaluation:schemes"), {"preset": YANAN_2017, "region": geo.xiaodian.code}
    )
    assert response.status_code == 302
    url = reverse("evaluation:scheme", args=[tour.scheme.pk])
    assert 'name="site-rule"' in client.get(url).content.decode()
    # A bad rule is refused with its key named; nothing changes.
    response = client.post(
        url,
        {"code": "site", "site-name": "现场观摩评价", "site-rule": '{"type": "evaluator_mean"}'},
    )
    assert "site.rule.max" in response.content.decode()
    assert tour.scheme.criteria.get(code="site").rule == {
        "type": "evaluator_mean",
        "max": 100,
        "drop_extremes_min_evaluators": 5,
    }
    response = client.post(
        url,
        {
            "code": "site",
            "site-name": "现场观摩",
            "site-rule": '{"type": "evaluator_mean", "max": 60}',
        },
    )
    assert response.status_code == 302
    assert tour.scheme.criteria.get(code="site").rule == {"type": "evaluator_mean", "max": 60}
    # Outside the region: not found; a leader reads but cannot edit.
    assert client_for(cast.hebei_admin).get(url).status_code == 404
    leader = client_for(cast.taiyuan_leader)
    assert 'name="site-rule"' not in leader.get(url).content.decode()
    assert (
        leader.post(url, {"code": "site", "site-name": "x", "site-rule": "{}"}).status_code == 403
    )
    # Once a round using it has started, nobody edits it.
    services.round_open(actor=cast.taiyuan_admin, round_=tour.round)
    assert 'name="site-rule"' not in client.get(url).content.decode()

"""Import and export through the API: upload, check, commit, export; scope and denials."""

import io
import zipfile

import pytest

from cornerstone.ingest.models import ImportJob
from cornerstone.ingest.tests.conftest import NOW, schedule_open
from cornerstone.ingest.tests.test_ledger_import import ROWS, workbook
from cornerstone.projects.models import Project

pytestmark = pytest.mark.django_db


def test_upload_check_then_commit(api_as, cast, ledger):
    api = api_as(cast.xiaodian_admin)
    response = api.upload("/imports", workbook(ROWS))
    assert response.status_code == 201, response.content
    job = response.json()
    assert (job["status"], job["to_create"], job["error_count"]) == ("checked", 2, 0)
    assert api.get(f"/imports/{job['id']}").json()["status"] == "checked"
    committed = api.post(f"/imports/{job['id']}/commit")
    assert committed.status_code == 202
    assert api.get(f"/imports/{job['id']}").json()["status"] == "done"
    assert Project.objects.filter(name="小店区数据中心项目").exists()


def test_errors_come_back_with_row_column_value_and_reason(api_as, cast, ledger):
    rows = [[1, "坏项目", "火星市", 1, None, "县重点", None, None, "产业", "新开工", "某公司"]]
    job = api_as(cast.xiaodian_admin).upload("/imports", workbook(rows)).json()
    assert job["status"] == "invalid"
    assert job["errors"][0]["row"] == 4 and job["errors"][0]["value"] == "火星市"
    refused = api_as(cast.xiaodian_admin).post(f"/imports/{job['id']}/commit")
    assert refused.status_code == 400 and refused.json()["detail"]


def test_others_jobs_are_missing_and_readers_cannot_upload(api_as, cast, ledger):
    job = api_as(cast.xiaodian_admin).upload("/imports", workbook(ROWS)).json()
    other = api_as(cast.yingze_admin)
    assert other.get(f"/imports/{job['id']}").status_code == 404
    assert other.post(f"/imports/{job['id']}/commit").status_code == 404
    assert api_as(cast.taiyuan_leader).upload("/imports", workbook(ROWS)).status_code == 403
    assert ImportJob.objects.count() == 1


def test_the_export_is_scoped_and_filtered(api_as, cast, ledger):
    response = api_as(cast.taiyuan_admin).get("/ledger.xlsx", {"region": ledger.yingze.region_id})
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert ledger.yingze.name in xml and ledger.xiaodian.name not in xml
    outside = api_as(cast.hebei_admin).get("/ledger.xlsx")
    with zipfile.ZipFile(io.BytesIO(b"".join(outside.streaming_content))) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert ledger.yingze.name not in xml and ledger.changan.name in xml


# ---------------------------------------------------------------- plans and progress reports


@pytest.fixture
def cycle(geo, cast, ledger, time_machine):
    """太原市's open November 2026 cycle, as in the ingest tests."""
    time_machine.move_to(NOW, tick=False)
    return schedule_open(cast.taiyuan_admin, geo.taiyuan, "太原市重点项目月调度")


def test_reports_are_uploaded_with_their_kind_checked_and_committed(api_as, cast, ledger, cycle):
    from cornerstone.ingest.tests.test_report_import import report_book, row
    from cornerstone.progress.models import ProgressReport

    api = api_as(cast.owner)
    response = api.client.post(
        "/api/v1/imports",
        {"file": report_book([row(ledger.xiaodian)]), "kind": "reports"},
        **api._headers(),
    )
    assert response.status_code == 201, response.content
    job = response.json()
    assert (job["kind"], job["status"], job["to_update"]) == ("reports", "checked", 1)
    assert api.post(f"/imports/{job['id']}/commit").status_code == 202
    report = ProgressReport.objects.get(project=ledger.xiaodian, cycle=cycle)
    assert report.status == "submitted"


def test_an_owner_may_not_upload_a_ledger_nor_an_unknown_kind(api_as, cast, ledger):
    api = api_as(cast.owner)
    refused = api.upload("/imports", workbook(ROWS))  # kind defaults to the ledger
    assert refused.status_code == 403
    unknown = api.client.post(
        "/api/v1/imports", {"file": workbook(ROWS), "kind": "nonsense"}, **api._headers()
    )
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "kind"
    assert not ImportJob.objects.exists()


def test_templates_through_the_api(api_as, cast, ledger, cycle):
    owner = api_as(cast.owner)
    response = owner.get("/imports/templates/reports")
    assert response.status_code == 200
    xml = sheet_xml(b"".join(response.streaming_content))
    assert ledger.xiaodian.code in xml and ledger.yingze.code not in xml
    assert owner.get("/imports/templates/ledger").status_code == 403
    assert owner.get("/imports/templates/nonsense").status_code == 404
    assert api_as(cast.taiyuan_leader).get("/imports/templates/plans").status_code == 403


def test_a_cycles_reports_export_through_the_api(api_as, cast, ledger, cycle):
    path = f"/progress/cycles/{cycle.pk}/reports.xlsx"
    admin = api_as(cast.taiyuan_admin)
    xml = sheet_xml(
        b"".join(admin.get(path, {"region": ledger.yingze.region_id}).streaming_content)
    )
    assert ledger.yingze.code in xml and ledger.xiaodian.code not in xml
    assert admin.get(path, {"status": "nonsense"}).status_code == 400
    yingze = api_as(cast.yingze_admin)
    assert yingze.get(path, {"region": ledger.xiaodian.region_id}).status_code == 400
    assert api_as(cast.hebei_admin).get(path).status_code == 404


def sheet_xml(content: bytes) -> str:
    """The first sheet's cells with the shared strings put in, for looking text up."""
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return "\n".join(str(c.value) for r in sheet.iter_rows() for c in r if c.value is not None)

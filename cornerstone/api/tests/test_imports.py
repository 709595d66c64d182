"""Import and export through the API: upload, check, commit, export; scope and denials."""

import io
import zipfile

import pytest

from cornerstone.ingest.models import ImportJob
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

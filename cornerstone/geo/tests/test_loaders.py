"""Loading the shipped reference files: complete, idempotent, and refusing malformed input."""

import pytest
from django.core.management import call_command

from cornerstone.core.testing.factories import region
from cornerstone.geo.choices import IndustryLevel, RegionLevel, Sector
from cornerstone.geo.loaders import industries_load, regions_load
from cornerstone.geo.models import Industry, Region

pytestmark = pytest.mark.django_db

REGION_HEADER = "code,name,level,parent_code\n"
INDUSTRY_HEADER = "code,name,level,parent_code,sector\n"


def region_rows() -> list[tuple[str, str, str, str | None]]:
    return list(Region.objects.order_by("code").values_list("code", "name", "full_name", "parent"))


def industry_rows() -> list[tuple[str, str, str, str | None, int | None]]:
    return list(
        Industry.objects.order_by("code").values_list("code", "name", "level", "parent", "sector")
    )


def test_the_shipped_divisions_load_completely():
    assert regions_load() == 3348
    counts = {level: Region.objects.filter(level=level).count() for level in RegionLevel}
    assert counts == {RegionLevel.PROVINCE: 31, RegionLevel.CITY: 342, RegionLevel.COUNTY: 2975}
    xiaodian = Region.objects.select_related("parent__parent").get(code="140105")
    assert (xiaodian.name, xiaodian.parent.name, xiaodian.parent.parent.name) == (
        "小店区",
        "太原市",
        "山西省",
    )
    assert xiaodian.full_name == "山西省太原市小店区"
    # Every city hangs under a province and every county under a city.
    assert not Region.objects.filter(level=RegionLevel.CITY).exclude(
        parent__level=RegionLevel.PROVINCE
    )
    assert not Region.objects.filter(level=RegionLevel.COUNTY).exclude(
        parent__level=RegionLevel.CITY
    )


def test_statistical_placeholders_stay_out_of_full_names():
    regions_load()
    full = dict(
        Region.objects.filter(code__in=["110101", "429004", "500101"]).values_list(
            "code", "full_name"
        )
    )
    assert full == {"110101": "北京市东城区", "429004": "湖北省仙桃市", "500101": "重庆市万州区"}
    assert not Region.objects.filter(full_name__contains="市辖区").exclude(name="市辖区")


def test_loading_the_divisions_twice_changes_nothing():
    regions_load()
    first = region_rows()
    assert regions_load() == 3348
    assert region_rows() == first


def test_loading_corrects_a_region_entered_by_hand():
    region("140000", "山西")
    region("140100", "太原")
    regions_load()
    assert Region.objects.get(code="140100").full_name == "山西省太原市"
    assert Region.objects.count() == 3348


def test_the_command_loads_both_files(capsys):
    call_command("load_reference_data")
    assert "3348" in capsys.readouterr().out
    assert Region.objects.count() == 3348
    assert Industry.objects.count() == 117


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("140000,山西省,province,\n140000,山西,province,\n", "appears twice"),
        ("140000,山西省,province,\n140105,小店区,county,140000\n", "not a city"),
        ("140100,太原市,city,\n", "not a province"),
        ("140100,太原市,city,130000\n", "not a province"),
        ("140000,山西省,province,\n130000,河北省,province,\n140100,太原市,city,130000\n", "above"),
        ("140000,山西省,province,110000\n", "no parent"),
        ("14000,山西省,province,\n", "not a division code"),
        ("140000,山西省,town,\n", "not a division code"),
        ("140100,山西省,province,\n", "not a province"),
        ("140000,,province,\n", "no name"),
        ("140000,山西省,province\n", "columns"),
        ("140000,山西省,province,,extra\n", "columns"),
    ],
)
def test_a_malformed_divisions_file_is_refused_and_nothing_is_written(tmp_path, body, problem):
    region("130000", "河北省")
    before = region_rows()
    path = tmp_path / "regions.csv"
    path.write_text(REGION_HEADER + body, encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        regions_load(path)
    assert region_rows() == before


def test_a_divisions_file_with_other_columns_is_refused(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("code,name,level\n140000,山西省,province\n", encoding="utf-8")
    with pytest.raises(ValueError, match="columns"):
        regions_load(path)
    assert not Region.objects.exists()


def test_the_shipped_industries_load_completely_with_their_sectors():
    assert industries_load() == 117
    assert Industry.objects.filter(level=IndustryLevel.SECTION).count() == 20
    assert Industry.objects.filter(level=IndustryLevel.DIVISION).count() == 97
    assert not Industry.objects.filter(level=IndustryLevel.DIVISION, parent__isnull=True)
    sectors = dict(
        Industry.objects.filter(code__in=["01", "05", "39", "43", "65"]).values_list(
            "code", "sector"
        )
    )
    assert sectors == {
        "01": Sector.PRIMARY,
        "05": Sector.TERTIARY,  # agricultural services
        "39": Sector.SECONDARY,
        "43": Sector.TERTIARY,  # repair of metal products and machinery
        "65": Sector.TERTIARY,
    }
    assert Industry.objects.get(code="39").parent_id == "C"


def test_loading_the_industries_twice_changes_nothing():
    industries_load()
    first = industry_rows()
    assert industries_load() == 117
    assert industry_rows() == first


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("C,制造业,section,,\n39,电子,division,Z,2\n", "not a valid"),  # unknown section
        ("C,制造业,section,,\n39,电子,division,C,\n", "not a valid"),  # division without sector
        ("C,制造业,section,,\n39,电子,division,C,4\n", "not a valid"),
        ("C,制造业,section,,\n3,电子,division,C,2\n", "not a valid"),
        ("CC,制造业,section,,\n", "not a valid"),
        ("C,制造业,group,,\n", "not a valid"),
        ("C,,section,,\n", "not a valid"),
        ("C,制造业,section,,\nC,制造,section,,\n", "appears twice"),
        ("C,制造业,section,\n", "columns"),
    ],
)
def test_a_malformed_industries_file_is_refused_and_nothing_is_written(tmp_path, body, problem):
    path = tmp_path / "industries.csv"
    path.write_text(INDUSTRY_HEADER + body, encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        industries_load(path)
    assert not Industry.objects.exists()

"""The compiled row rules against ``Project.full_clean``: the same verdict on the same rows.

The importer trusts ``fields_valid`` and ``cross_valid`` to let a row through without
asking the model. So every row the model refuses must be refused here too (otherwise a bad
row would be written), and the rows the model accepts should pass (otherwise every row
would take the slow path). Both are checked on hand-picked bad values, one per rule, and
on a few thousand random rows mixing good and bad values.
"""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cornerstone.ingest.ledger_import import CREATE_DEFAULTS, CREATE_REQUIRED, RELATIONS
from cornerstone.ingest.ledger_reader import References
from cornerstone.ingest.ledger_rules import cross_valid, fields_valid
from cornerstone.projects.models import Project, Stage

pytestmark = pytest.mark.django_db

GOOD = {
    "code": "2026-140105-39-01-000123",
    "name": "测试项目",
    "region": "140105",
    "tier": "city",
    "category": "industry",
    "kind": "new",
    "owner_org": "某公司",
    "total_investment": Decimal("12000.00"),
    "fund_central": Decimal("3000.00"),
    "completed_before_year": Decimal("100.00"),
    "planned_start_date": dt.date(2026, 3, 1),
    "planned_completion_date": dt.date(2027, 3, 1),
    "construction_start_year": 2026,
    "construction_end_year": 2027,
    "longitude": Decimal("112.549381"),
    "land_area_mu": Decimal("12.50"),
}

# One bad value (or pair of values) per rule of the fields and of Project.clean.
BAD = {
    "name too long": {"name": "长" * 201},
    "name blank": {"name": ""},
    "tier not a choice": {"tier": "galactic"},
    "kind blank": {"kind": ""},
    "owner_org missing": {"owner_org": None},
    "code malformed": {"code": "2026-ABC"},
    "code of an unknown region": {"code": "2026-999999-39-01-000123"},
    "negative investment": {"total_investment": Decimal("-1.00")},
    "investment too large": {"total_investment": Decimal("1000000000000.00")},
    "three decimal places": {"fund_local": Decimal("1.005")},
    "negative area": {"land_area_mu": Decimal("-0.50")},
    "longitude outside China": {"longitude": Decimal("20.000000")},
    "latitude outside China": {"latitude": Decimal("60.000000")},
    "year before 1990": {"construction_start_year": 1980, "construction_end_year": 1985},
    "completion before start": {"planned_completion_date": dt.date(2025, 1, 1)},
    "production before start": {"planned_production_date": dt.date(2025, 1, 1)},
    "actual completion before start": {
        "actual_start_date": dt.date(2026, 5, 1),
        "actual_completion_date": dt.date(2026, 4, 1),
    },
    "end year before start year": {"construction_end_year": 2025},
    "funds above the investment": {"fund_market": Decimal("9500.00")},
    "completed above the investment": {"completed_before_year": Decimal("12000.01")},
    "included without a date": {"stats_inclusion": "included"},
    "accepted without a date": {"accepted": True},
    "zone of another region": {"region": "140106"},
}


def model_accepts(values, *, stored=None):
    """Project.full_clean as the importer runs it (related rows and unset optional fields
    excluded), on a new project or on a stored one with the row's values applied."""
    project = Project(stage=Stage.objects.first()) if stored is None else stored
    for name, value in values.items():
        setattr(project, Project._meta.get_field(name).attname, value)
    exclude = [n for n in values if n in RELATIONS]
    exclude += [
        f.name
        for f in Project._meta.concrete_fields
        if f.name not in values and (f.blank or stored is not None)
    ]
    if stored is None:
        exclude.append("stage")
    try:
        project.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError:
        return False
    return True


def rules_accept(values, refs, *, stored=None):
    if stored is None:
        merged = {**CREATE_DEFAULTS, **values}
        names = [n for n in values if n not in RELATIONS] + CREATE_REQUIRED
        pk = None
    else:
        merged = {f.name: getattr(stored, f.attname) for f in Project._meta.concrete_fields}
        merged.update(values)
        names = [n for n in values if n not in RELATIONS]
        pk = stored.pk
    return fields_valid(merged, names) and cross_valid(
        merged, pk=pk, region_known=refs.regions.__contains__, zone_region=refs.zone_region
    )


@pytest.fixture
def refs(geo):
    return References()


def test_a_good_row_passes_both(geo, refs):
    row = {**GOOD, "zone": geo.xiaodian_zone.pk}
    assert model_accepts(row) and rules_accept(row, refs)


@pytest.mark.parametrize("case", list(BAD))
def test_every_rule_the_model_has_refuses_the_same_new_row(case, geo, refs):
    row = {**GOOD, "zone": geo.xiaodian_zone.pk, **BAD[case]}
    assert not model_accepts(row)
    assert not rules_accept(row, refs)


@pytest.mark.parametrize("case", list(BAD))
def test_and_the_same_update_of_a_stored_project(case, ledger, refs):
    stored = Project.objects.get(pk=ledger.xiaodian.pk)
    row = {**GOOD, **BAD[case]}
    if case == "zone of another region":
        row["zone"] = ledger.xiaodian.zone_id  # the stored zone, the row's other region
    assert not model_accepts(row, stored=stored)
    assert not rules_accept(row, refs, stored=stored)


def test_a_new_row_missing_a_required_field_is_refused_by_both(geo, refs):
    for name in ("tier", "category", "kind", "owner_org", "total_investment"):
        row = {k: v for k, v in GOOD.items() if k != name}
        assert not model_accepts(row), name
        assert not rules_accept(row, refs), name


def test_a_value_of_another_type_is_left_to_the_model(geo, refs):
    # The model reads "12000" as an amount; the rules do not know text there, so the
    # importer asks the model (which accepts it) rather than passing it on trust.
    row = {**GOOD, "total_investment": "12000"}
    assert model_accepts(row)
    assert not rules_accept(row, refs)


def _random_value(name, rng, geo):
    good = GOOD.get(name)
    choices = {
        "text": ["", "某公司", "长" * 60, "长" * 201, "=SUM(A1)"],
        "money": [None, Decimal("0.00"), Decimal("50.00"), Decimal("99999.99"), Decimal("-3.00")],
        "date": [None, dt.date(2025, 6, 1), dt.date(2026, 6, 1), dt.date(2028, 1, 1)],
        "year": [None, 1989, 2025, 2026, 2030, 40000],
        "tier": ["", "city", "county", "provincial", "x"],
        "stats": ["none", "included", "pending"],
    }
    if name in ("tier",):
        return rng.choice(choices["tier"])
    if name == "stats_inclusion":
        return rng.choice(choices["stats"])
    if name == "accepted":
        return rng.choice([True, False])
    if name == "code":
        return rng.choice([good, "2026-999999-39-01-000123", "2026-140105-L00001", "bad"])
    if name == "region":
        return rng.choice(["140105", "140106"])
    if name == "zone":
        return rng.choice([None, geo.xiaodian_zone.pk])
    if name.endswith("_date"):
        return rng.choice(choices["date"])
    if name.endswith("_year") and "construction" in name:
        return rng.choice(choices["year"])
    if name.startswith("fund_") or name in ("total_investment", "completed_before_year"):
        return rng.choice(choices["money"])
    if name in ("longitude",):
        return rng.choice([None, Decimal("112.500000"), Decimal("200.000000")])
    return rng.choice(choices["text"])


FUZZED = [
    "code",
    "name",
    "region",
    "zone",
    "tier",
    "owner_org",
    "owner_contact",
    "total_investment",
    "fund_central",
    "fund_market",
    "completed_before_year",
    "planned_start_date",
    "planned_completion_date",
    "actual_start_date",
    "actual_production_date",
    "construction_start_year",
    "construction_end_year",
    "longitude",
    "stats_inclusion",
    "stats_inclusion_date",
    "accepted",
    "acceptance_date",
]


def test_random_rows_get_the_same_verdict_from_both(ledger, geo, refs):
    rng = random.Random(20261124)
    stored = Project.objects.get(pk=ledger.xiaodian.pk)
    verdicts = {True: 0, False: 0}
    for _attempt in range(1500):
        row = dict(GOOD)
        for name in rng.sample(FUZZED, rng.randint(1, 6)):
            row[name] = _random_value(name, rng, geo)
        row = {k: v for k, v in row.items() if v is not None or k not in CREATE_REQUIRED}
        for target in (None, stored):
            expected = model_accepts(row, stored=target)
            assert rules_accept(row, refs, stored=target) == expected, (row, target)
            verdicts[expected] += 1
    # Both verdicts were exercised many times over.
    assert verdicts[True] > 300 and verdicts[False] > 300

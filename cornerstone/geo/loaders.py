"""Loading the shipped reference data files (idempotent upserts)."""

import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction

from cornerstone.geo.choices import IndustryLevel, RegionLevel
from cornerstone.geo.codes import in_subtree, level_of
from cornerstone.geo.models import Industry, Region

REFERENCE_DIR = Path(settings.BASE_DIR) / "data" / "reference"
PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@transaction.atomic
def regions_load(path: Path = REFERENCE_DIR / "regions.csv") -> int:
    """Load provinces, cities and counties; return the number of rows in the file."""
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    _regions_check(rows)
    names = {row["code"]: row["name"] for row in rows}
    parents = {row["code"]: row["parent_code"] or None for row in rows}
    existing = set(Region.objects.values_list("code", flat=True))
    order = {RegionLevel.PROVINCE: 0, RegionLevel.CITY: 1, RegionLevel.COUNTY: 2}
    rows.sort(key=lambda r: (order[RegionLevel(r["level"])], r["code"]))
    new, changed = [], []
    for row in rows:
        parent = row["parent_code"] or None
        full = row["name"]
        cursor = parent
        while cursor:
            # Statistical placeholders (市辖区, 县, 省直辖县级行政区划) are not part of a name.
            if names[cursor] not in PLACEHOLDER_NAMES:
                full = names[cursor] + full
            cursor = parents[cursor]
        region = Region(
            code=row["code"], name=row["name"], full_name=full, level=row["level"], parent_id=parent
        )
        (changed if row["code"] in existing else new).append(region)
    Region.objects.bulk_create(new, batch_size=1000)
    Region.objects.bulk_update(changed, ["name", "full_name", "level", "parent"], batch_size=1000)
    return len(rows)


def _columns_check(name: str, rows: list[dict[str, str]], columns: list[str]) -> None:
    """Refuse a file without the expected header or with a short or long row."""
    for line, row in enumerate(rows, start=2):
        if None in row or any(row.get(column) is None for column in columns):
            raise ValueError(f"{name} line {line}: expected the columns {', '.join(columns)}")


def _regions_check(rows: list[dict[str, str]]) -> None:
    """Refuse a file with a bad code, repeated codes or a parent that is not one level up."""
    _columns_check("regions.csv", rows, ["code", "name", "level", "parent_code"])
    seen: set[str] = set()
    levels = {row["code"]: row["level"] for row in rows}
    expected_parent = {RegionLevel.CITY: RegionLevel.PROVINCE, RegionLevel.COUNTY: RegionLevel.CITY}
    for line, row in enumerate(rows, start=2):
        code, parent = row["code"], row["parent_code"]
        try:
            level = RegionLevel(row["level"])
            code_level = level_of(code)
        except ValueError:
            raise ValueError(
                f"regions.csv line {line}: {code!r} / {row['level']!r} is not a division code "
                "and level"
            ) from None
        if code_level != level:
            raise ValueError(f"regions.csv line {line}: code {code} is not a {level}")
        if not row["name"].strip():
            raise ValueError(f"regions.csv line {line}: {code} has no name")
        if code in seen:
            raise ValueError(f"regions.csv line {line}: code {code} appears twice")
        seen.add(code)
        if level == RegionLevel.PROVINCE:
            if parent:
                raise ValueError(f"regions.csv line {line}: a province has no parent")
        elif levels.get(parent) != expected_parent[level] or not in_subtree(code, parent):
            raise ValueError(
                f"regions.csv line {line}: parent {parent!r} of {code} is not a "
                f"{expected_parent[level]} above it"
            )


def _industries_check(rows: list[dict[str, str]]) -> None:
    """Refuse a file with a bad code, level or sector, or a division outside a section."""
    _columns_check("industries.csv", rows, ["code", "name", "level", "parent_code", "sector"])
    sections = {row["code"] for row in rows if row["level"] == IndustryLevel.SECTION}
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        code, level, parent, sector = row["code"], row["level"], row["parent_code"], row["sector"]
        if level == IndustryLevel.SECTION:
            valid = len(code) == 1 and "A" <= code <= "Z" and not parent
        elif level == IndustryLevel.DIVISION:
            valid = len(code) == 2 and code.isascii() and code.isdigit() and parent in sections
        else:
            valid = False
        # Sections that span sectors (A, B, C) have none; every division has one.
        if sector not in ("1", "2", "3") and not (level == IndustryLevel.SECTION and sector == ""):
            valid = False
        if not valid or not row["name"].strip():
            raise ValueError(
                f"industries.csv line {line}: {code!r} ({level}, parent {parent!r}, "
                f"sector {sector!r}) is not a valid section or division"
            )
        if code in seen:
            raise ValueError(f"industries.csv line {line}: code {code} appears twice")
        seen.add(code)


@transaction.atomic
def industries_load(path: Path = REFERENCE_DIR / "industries.csv") -> int:
    """Load GB/T 4754-2017 sections and divisions; return the number of rows."""
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    _industries_check(rows)
    rows.sort(key=lambda r: r["level"] != IndustryLevel.SECTION)
    for row in rows:
        Industry.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "level": row["level"],
                "parent_id": row["parent_code"] or None,
                "sector": int(row["sector"]) if row["sector"] else None,
            },
        )
    return len(rows)

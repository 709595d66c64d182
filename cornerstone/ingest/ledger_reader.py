"""Reading a ledger row's cells into field values, with the lookups loaded once.

``cell_value`` is the one definition of what a cell means (cells.py does the reading).
``RowReader`` applies it a row at a time at import speed: each column gets a converter
compiled once, which takes the common cell types (a string in a text column, a float in
an amount column, a date in a date column) straight through, remembers what each
distinct text of a choice, region or industry column stood for, and hands every other
cell to ``cell_value``, so an unusual cell and every error message are exactly the
general path's.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cornerstone.geo.codes import in_subtree
from cornerstone.geo.models import Department, Industry, Region, Zone
from cornerstone.ingest.cells import (
    CENT,
    MAX_YEAR,
    MIN_YEAR,
    CellError,
    amount_parse,
    bool_parse,
    choice_parse,
    date_parse,
    decimal_parse,
    int_parse,
    text_normalize,
    year_parse,
    year_range_parse,
)
from cornerstone.ingest.headers import Column
from cornerstone.projects.models import Project
from cornerstone.projects.services import EDITABLE_FIELDS

# Columns whose one cell fills two fields: 建设年限 "2024-2026".
SPLIT_KEYS = {"construction_period": ("construction_start_year", "construction_end_year")}
AREA_SUFFIXES = ("亩", "平方米", "㎡", "m2", "m²")
_INF = float("inf")


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem: the sheet's row number (as Excel shows it), column, value and reason."""

    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


class References:
    """Regions, industries, zones and departments by code and by name, loaded once."""

    def __init__(self) -> None:
        self.regions: dict[str, Region] = {}
        self.region_names: dict[str, set[str]] = {}
        for region in Region.objects.all():
            self.regions[region.code] = region
            names = {region.name, region.full_name}
            # "山西省太原市清徐县" is also written "太原市清徐县".
            if region.parent_id and "省" in region.full_name[:4]:
                names.add(region.full_name.split("省", 1)[1])
            for name in names:
                if name:
                    self.region_names.setdefault(name, set()).add(region.code)
        self.industries = {i.code: i for i in Industry.objects.all()}
        self.industry_names = {i.name: i for i in self.industries.values()}
        self.zones: dict[tuple[str, str], Zone] = {
            (z.region_id, z.name): z for z in Zone.objects.all()
        }
        self.departments: dict[tuple[str, str], Department] = {
            (d.region_id, d.name): d for d in Department.objects.all()
        }
        self.departments_by_name: dict[str, list[Department]] = {}
        for department in self.departments.values():
            self.departments_by_name.setdefault(department.name, []).append(department)
        self.zones_by_pk = {z.pk: z for z in self.zones.values()}
        self._by_key: dict[str, dict[Any, Any]] = {
            "region": self.regions,
            "industry": self.industries,
            "zone": self.zones_by_pk,
            "responsible_unit": {d.pk: d for d in self.departments.values()},
        }

    def related(self, field: str, key: Any) -> Any:
        """The cached row a foreign key field's value names, or None for other fields."""
        return self._by_key.get(field, {}).get(key)

    def zone_region(self, pk: Any) -> str | None:
        """The region code of a zone, by its key."""
        zone = self.zones_by_pk.get(pk)
        return zone.region_id if zone is not None else None

    def region(self, text: str) -> str:
        if text in self.regions:
            return text
        codes = self.region_names.get(text, set())
        if len(codes) == 1:
            return next(iter(codes))
        if len(codes) > 1:
            raise CellError(
                _("区划“%(name)s”有多个同名，请写上级区划（如“太原市清徐县”）或六位区划代码。")
                % {"name": text}
            )
        raise CellError(
            _("找不到区划“%s”，请写区划名称（如“太原市清徐县”）或六位区划代码。") % text
        )

    def industry(self, text: str) -> str:
        code = text.split(" ", 1)[0].upper()
        if code in self.industries:
            return code
        found = self.industry_names.get(text)
        if found is not None:
            return found.code
        raise CellError(_("找不到行业“%s”，请写国民经济行业门类或大类的代码或名称。") % text)

    def zone(self, text: str, region_code: str | None) -> int:
        for (zone_region, name), zone in self.zones.items():
            if name == text and (region_code is None or zone_region == region_code):
                return zone.pk
        raise CellError(_("项目所在区划内找不到园区“%s”。") % text)

    def department(self, text: str, region_code: str | None) -> int:
        matches = [
            d
            for d in self.departments_by_name.get(text, [])
            if region_code is None or in_subtree(region_code, d.region_id)
        ]
        if len(matches) == 1:
            return matches[0].pk
        raise CellError(_("项目所在区划及上级区划中找不到责任单位“%s”。") % text)


@functools.cache
def _choices(field_name: str, language: str | None) -> list[tuple[str, str]]:
    """A choice field's (value, label) pairs in a language, worked out once."""
    model_field = Project._meta.get_field(field_name)
    assert isinstance(model_field, models.Field)
    return [(str(v), str(label)) for v, label in model_field.flatchoices]


def cell_value(column: Column, raw: object, refs: References, region: str | None) -> Any:
    """Convert one cell to the value its field takes (a key for a related row)."""
    kind = column.spec.kind
    if kind == "amount":
        return amount_parse(raw, multiplier=column.multiplier)
    if kind == "date":
        return date_parse(raw)
    if kind == "int":
        return int_parse(raw)
    if kind == "year":
        return year_parse(raw)
    if kind == "year_range":
        return year_range_parse(raw)
    if kind == "decimal":
        places = 6 if column.spec.key in ("longitude", "latitude") else 2
        return decimal_parse(raw, places=places, suffixes=AREA_SUFFIXES)
    if kind == "bool":
        return bool_parse(raw)
    if kind == "text":
        # Free text keeps its own punctuation (，（）) and line breaks: only the ends are trimmed.
        kept = raw.strip() if isinstance(raw, str) else text_normalize(raw)
        return kept or None
    text = text_normalize(raw)
    if text == "":
        return None
    if kind == "choice":
        return choice_parse(text, _choices(column.spec.key, get_language()))
    if kind == "region":
        return refs.region(text)
    if kind == "industry":
        return refs.industry(text)
    if kind == "zone":
        return refs.zone(text, region)
    if kind == "department":
        return refs.department(text, region)
    return text


Convert = Callable[[object, "str | None"], Any]


def _converter(column: Column, refs: References) -> Convert:
    """``cell_value`` for one column, with its common cases taken directly."""
    kind = column.spec.kind

    def general(raw: object, region: str | None) -> Any:
        return cell_value(column, raw, refs, region)

    if kind == "text":

        def text(raw: object, region: str | None) -> Any:
            if type(raw) is str:
                return raw.strip() or None
            return general(raw, region)

        return text
    if kind in ("amount", "decimal"):
        multiplier = column.multiplier if kind == "amount" else Decimal(1)
        places = 6 if column.spec.key in ("longitude", "latitude") else 2
        step = CENT if kind == "amount" else Decimal(1).scaleb(-places)
        scaled = multiplier != 1

        def number(raw: object, region: str | None) -> Any:
            # A finite float is read through its repr, exactly as _numeric() does.
            if type(raw) is float and -_INF < raw < _INF:
                value = Decimal(repr(raw))
                if scaled:
                    value *= multiplier
                return value.quantize(step, rounding=ROUND_HALF_UP)
            if raw == "":
                return None
            return general(raw, region)

        return number
    if kind == "date":

        def date(raw: object, region: str | None) -> Any:
            if type(raw) is dt.date and MIN_YEAR <= raw.year <= MAX_YEAR:
                return raw
            if raw == "":
                return None
            return general(raw, region)

        return date
    if kind == "year":

        def year(raw: object, region: str | None) -> Any:
            if type(raw) is float and raw.is_integer() and MIN_YEAR <= raw <= MAX_YEAR:
                return int(raw)
            if raw == "":
                return None
            return general(raw, region)

        return year
    if kind in ("zone", "department"):
        # Named within the row's region: remembered per (text, region).
        by_region: dict[tuple[str, str | None], Any] = {}

        def scoped(raw: object, region: str | None) -> Any:
            if type(raw) is not str:
                return general(raw, region)
            key = (raw, region)
            if key in by_region:
                return by_region[key]
            value = by_region[key] = general(raw, region)
            return value

        return scoped
    # choice, region, industry, bool, year_range, int and plain codes: few distinct texts.
    seen: dict[str, Any] = {}

    def remembered(raw: object, region: str | None) -> Any:
        # Only strings are remembered: 1, 1.0 and True are equal keys but read differently.
        if type(raw) is not str:
            return general(raw, region)
        if raw in seen:
            return seen[raw]
        value = seen[raw] = general(raw, region)  # an error raises and is not remembered
        return value

    return remembered


class RowReader:
    """Reads rows of one sheet: each column's converter is compiled once."""

    def __init__(self, columns: list[Column], refs: References) -> None:
        # The region first: zones and departments are named within it.
        ordered = sorted(columns, key=lambda c: c.spec.kind != "region")
        self.columns = [
            (
                c.index,
                c.header,
                c.spec.key,
                SPLIT_KEYS.get(c.spec.key),
                _converter(c, refs),
                c.spec.kind == "text",
            )
            for c in ordered
            if c.spec.key in EDITABLE_FIELDS or c.spec.key in SPLIT_KEYS
        ]

    def read(self, cells: list[object], number: int) -> tuple[dict[str, Any], list[RowError]]:
        """One row's field values (given cells only), and its cell errors."""
        data: dict[str, Any] = {}
        errors: list[RowError] = []
        width = len(cells)
        region = None
        for index, header, key, split, convert, text in self.columns:
            raw = cells[index] if index < width else ""
            if raw.__class__ is str:
                # The commonest cells, taken here without a call: text, and empty cells
                # (which every kind reads as no value).
                if text:
                    if kept := raw.strip():  # type: ignore[attr-defined]
                        data[key] = kept
                    continue
                if not raw:
                    continue
            try:
                value = convert(raw, region)
            except CellError as exc:
                errors.append(RowError(number, header, text_normalize(raw), exc.message))
                continue
            if value is None:
                continue
            if split is not None:
                data.update(zip(split, value, strict=True))
            else:
                data[key] = value
                if key == "region":
                    region = value
        return data, errors


def row_blank(cells: list[object]) -> bool:
    """Whether a row holds nothing but empty or blank text."""
    if not cells:
        return True
    last = cells[-1]  # rows end at their last non-empty cell: it decides most rows
    if type(last) is not str or text_normalize(last):
        return False
    return all(text_normalize(c) == "" for c in cells)

"""The model's rules for one imported row, without building a model or asking the database.

``Project.full_clean`` costs a model instance, Django's field machinery and, for a row with
a code, a query for the code's region: at 100,000 rows that was most of an import. Here
the same rules are compiled once from the model's own fields (blank, null, choices, and
their validators' limits) and from ``Project.clean``'s cross-field rules, and each row is
judged by plain comparisons with the regions, zones and departments already in memory.

The verdict is only ever "certainly valid" or "ask the model": a row that trips any rule
(or holds a value of a type the compiled checks do not know) is validated by
``Project.full_clean`` itself, so every message a user sees is the model's own. The
tests prove the other direction: every row the model refuses is one this refuses too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import (
    DecimalValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)
from django.db import models

from cornerstone.projects.choices import StatsInclusion
from cornerstone.projects.codes import parse_project_code
from cornerstone.projects.models import Project

Check = Callable[[Any], bool]

# Project.clean's ordered pairs: the second may not come before the first.
DATE_PAIRS = (
    ("planned_start_date", "planned_completion_date"),
    ("actual_start_date", "actual_completion_date"),
    ("planned_start_date", "planned_production_date"),
    ("actual_start_date", "actual_production_date"),
    ("construction_start_year", "construction_end_year"),
)
FUNDS = ("fund_central", "fund_special_bonds", "fund_local", "fund_market")
# Every field Project.clean reads: a stored project's values for these are loaded too.
CLEAN_FIELDS = frozenset(
    {
        *(name for pair in DATE_PAIRS for name in pair),
        *FUNDS,
        "total_investment",
        "completed_before_year",
        "code",
        "zone",
        "region",
        "parent",
        "stats_inclusion",
        "stats_inclusion_date",
        "accepted",
        "acceptance_date",
    }
)
_TYPES: dict[type[models.Field[Any, Any]], tuple[type, ...]] = {
    models.BooleanField: (bool,),
    models.DecimalField: (Decimal,),
    models.DateTimeField: (dt.datetime,),
    models.DateField: (dt.date,),
    models.IntegerField: (int,),
    models.CharField: (str,),
    models.TextField: (str,),
}


def _limit(validator: Any) -> Any:
    value = validator.limit_value
    return value() if callable(value) else value


def _decimal_check(validator: DecimalValidator) -> Check:
    """DecimalValidator's digit rules as a range and an exponent test."""
    places = validator.decimal_places or 0
    whole = Decimal(10) ** ((validator.max_digits or 0) - places)

    def check(value: Decimal) -> bool:
        return value.is_finite() and -whole < value < whole and value.as_tuple().exponent >= -places  # type: ignore[operator]

    return check


def _called(validator: Callable[[Any], None]) -> Check:
    """Any other validator is simply called."""

    def check(value: Any) -> bool:
        try:
            validator(value)
        except ValidationError:
            return False
        return True

    return check


def _validator_check(validator: Any) -> Check:
    if isinstance(validator, MaxLengthValidator):
        length = _limit(validator)
        return lambda value: len(value) <= length
    if isinstance(validator, MinValueValidator):
        low = _limit(validator)
        return lambda value: value >= low
    if isinstance(validator, MaxValueValidator):
        high = _limit(validator)
        return lambda value: value <= high
    if isinstance(validator, ProhibitNullCharactersValidator):
        return lambda value: "\x00" not in str(value)
    if isinstance(validator, DecimalValidator):
        return _decimal_check(validator)
    return _called(validator)


def field_check(field: models.Field[Any, Any]) -> Check:
    """What ``field.clean`` accepts, for values of the types the importer's parsers give.

    An empty value (None, "") passes a blank field (clean_fields skips it) and fails any
    other (validate() refuses it as blank or null). A value of another type, or another
    empty value ([], {}), is refused here and so left to the model to judge."""
    blank = field.blank
    types = next((t for base, t in _TYPES.items() if isinstance(field, base)), None)
    choices = (
        frozenset(str(value) for value, _label in field.flatchoices) if field.choices else None
    )
    checks = [_validator_check(v) for v in field.validators]
    if types is None:
        return lambda value: value is None and blank

    def check(value: Any) -> bool:
        if not isinstance(value, types):
            return blank and (value is None or value == "")
        if value == "":
            return blank
        if choices is not None and value not in choices:
            return False
        for rule in checks:  # noqa: SIM110 - no generator per value (millions)
            if not rule(value):
                return False
        return True

    return check


FIELD_CHECKS: dict[str, Check] = {
    f.name: field_check(f) for f in Project._meta.concrete_fields if f.name != "id"
}


def fields_valid(values: Mapping[str, Any], names: Iterable[str]) -> bool:
    """Whether every named field's value passes the field's own rules."""
    checks, get = FIELD_CHECKS, values.get
    for name in names:  # noqa: SIM110 - no generator per row
        if not checks[name](get(name)):
            return False
    return True


def cross_valid(
    values: Mapping[str, Any],
    *,
    pk: int | None,
    region_known: Callable[[str], bool],
    zone_region: Callable[[Any], str | None],
) -> bool:
    """Whether ``Project.clean`` would pass; ``values`` are keyed by field name (keys for
    related rows). It reads the same values the model's clean does, in memory."""
    get = values.get
    for start, end in DATE_PAIRS:
        a, b = get(start), get(end)
        if a is not None and b is not None and b < a:
            return False
    total = get("total_investment")
    if total is not None and total >= 0:
        funding = sum((f for f in map(get, FUNDS) if f is not None), Decimal(0))
        if funding > total:
            return False
        completed = get("completed_before_year")
        if completed and completed > total:
            return False
    code = get("code")
    try:
        parsed = parse_project_code(code) if isinstance(code, str) else None
    except ValueError:
        parsed = None
    if parsed is not None and not region_known(parsed.region):
        return False
    zone, region = get("zone"), get("region")
    if zone is not None and region is not None and zone_region(zone) != region:
        return False
    parent = get("parent")
    if parent is not None and pk is not None and parent == pk:
        return False
    if get("stats_inclusion") == StatsInclusion.INCLUDED and get("stats_inclusion_date") is None:
        return False
    return not (get("accepted") and get("acceptance_date") is None)

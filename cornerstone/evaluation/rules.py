"""Scoring rules as data: frozen dataclasses parsed and checked from JSON.

Pure (no database). Every rule a published scheme uses is one of the types below, so a
scheme is a JSON document an admin can read and change; ``rule_parse`` refuses a bad one
with a ``RuleError`` naming the key. Numbers are exact ``Decimal`` (strings or numbers in
the JSON); money is in 万元, rates in percent.

- ``entered``: a score entered by an admin (daily assessment), within [min, max];
- ``evaluator_mean``: evaluators' scores in [0, max], averaged, the highest and lowest
  dropped when at least ``drop_extremes_min_evaluators`` sheets are in;
- ``banded_rate``: ``base`` plus per-point increments over bands of a rate around a
  ``pivot`` (below it the bands subtract), the adjustment capped at +``cap_up`` / −``cap_down``;
- ``rank_points``: points by the unit's rank among the units on a fact (or on another
  criterion's score, ``criterion:<code>``);
- ``per_item``: points for each counted item, the sum capped at ``cap`` in absolute value;
- ``per_project_sum``: clauses scored per project and summed per unit;
- ``base_adjust``: a base plus admins' additions and deductions, clipped to [min, max].
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

SOURCES = ("evaluator", "daily", "computed")
# Which sources a rule type reads: evaluators' sheets, admins' entries, or ledger facts.
RULE_SOURCES = {
    "entered": ("daily",),
    "evaluator_mean": ("evaluator",),
    "banded_rate": ("computed", "daily"),
    "rank_points": ("computed", "daily"),
    "per_item": ("computed", "daily"),
    "per_project_sum": ("computed",),
    "base_adjust": ("daily",),
}
CLAUSE_TYPES = ("match", "bands", "factor", "flag")


class RuleError(ValueError):
    """A scheme or rule that cannot be used; the message names the bad key."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


def number(data: Mapping[str, Any], key: str, *, where: str, default: Any = ...) -> Decimal:
    """The Decimal at ``data[key]``; a missing or non-numeric value is refused by name."""
    if key not in data or data[key] is None:
        if default is ...:
            raise RuleError(f"{where}.{key}", _("缺少此项。"))
        return Decimal(default)
    value = data[key]
    if isinstance(value, bool):
        raise RuleError(f"{where}.{key}", _("须为数字。"))
    try:
        out = Decimal(str(value))
    except InvalidOperation:
        raise RuleError(f"{where}.{key}", _("须为数字。")) from None
    if not out.is_finite():
        raise RuleError(f"{where}.{key}", _("须为数字。"))
    return out


def optional(data: Mapping[str, Any], key: str, *, where: str) -> Decimal | None:
    """The Decimal at ``data[key]``, or None when absent or null."""
    return None if data.get(key) is None else number(data, key, where=where)


def text(data: Mapping[str, Any], key: str, *, where: str, default: str | None = None) -> str:
    """The non-empty string at ``data[key]``."""
    value = data.get(key, default)
    if not isinstance(value, str) or not value:
        raise RuleError(f"{where}.{key}", _("须为非空文字。"))
    return value


def items(data: Mapping[str, Any], key: str, *, where: str) -> Sequence[Mapping[str, Any]]:
    """The non-empty list of objects at ``data[key]``."""
    value = data.get(key)
    if not isinstance(value, list) or not value:
        raise RuleError(f"{where}.{key}", _("须为非空列表。"))
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise RuleError(f"{where}.{key}[{index}]", _("须为对象。"))
    return value


@dataclass(frozen=True)
class Entered:
    low: Decimal
    high: Decimal
    type: str = "entered"


@dataclass(frozen=True)
class EvaluatorMean:
    max: Decimal
    drop_extremes_min_evaluators: int | None = None
    type: str = "evaluator_mean"


@dataclass(frozen=True)
class Band:
    low: Decimal
    high: Decimal | None
    per_point: Decimal


@dataclass(frozen=True)
class BandedRate:
    fact: str
    base: Decimal
    pivot: Decimal
    bands: tuple[Band, ...]
    cap_up: Decimal | None
    cap_down: Decimal | None
    type: str = "banded_rate"


@dataclass(frozen=True)
class RankBand:
    rank_from: int
    rank_to: int
    points: Decimal


@dataclass(frozen=True)
class RankPoints:
    of: str  # a fact code, or "criterion:<code>"
    bands: tuple[RankBand, ...]
    descending: bool = True
    type: str = "rank_points"


@dataclass(frozen=True)
class PerItem:
    fact: str
    points: Decimal
    cap: Decimal | None
    type: str = "per_item"


@dataclass(frozen=True)
class ValueBand:
    low: Decimal
    high: Decimal | None
    points: Decimal
    label: str = ""


@dataclass(frozen=True)
class Clause:
    kind: str  # match | bands | factor | flag
    field: str
    label: str
    points: tuple[tuple[str, Decimal], ...] = ()  # match: value → points
    bands: tuple[ValueBand, ...] = ()  # bands: [low, high) → points
    factor: Decimal = Decimal(0)  # factor × value / 100 (a rate in percent)
    cap: Decimal | None = None  # factor: at most this per project
    flag_points: Decimal = Decimal(0)  # flag: points when the field is true
    labels: tuple[tuple[str, str], ...] = ()  # match: how each value is named in the text


@dataclass(frozen=True)
class PerProjectSum:
    clauses: tuple[Clause, ...]
    type: str = "per_project_sum"


@dataclass(frozen=True)
class BaseAdjust:
    base: Decimal
    low: Decimal | None
    high: Decimal | None
    type: str = "base_adjust"


Rule = Entered | EvaluatorMean | BandedRate | RankPoints | PerItem | PerProjectSum | BaseAdjust


def _bands(data: Mapping[str, Any], where: str) -> tuple[Band, ...]:
    out = []
    for index, band in enumerate(items(data, "bands", where=where)):
        at = f"{where}.bands[{index}]"
        low = number(band, "from", where=at)
        high = optional(band, "to", where=at)
        if high is not None and high <= low:
            raise RuleError(f"{at}.to", _("须大于 from。"))
        out.append(Band(low, high, number(band, "per_point", where=at)))
    return tuple(out)


def _rank_bands(data: Mapping[str, Any], where: str) -> tuple[RankBand, ...]:
    out = []
    for index, band in enumerate(items(data, "bands", where=where)):
        at = f"{where}.bands[{index}]"
        low, high = number(band, "rank_from", where=at), number(band, "rank_to", where=at)
        if low != low.to_integral_value() or high != high.to_integral_value() or low < 1:
            raise RuleError(f"{at}.rank_from", _("名次须为正整数。"))
        if high < low:
            raise RuleError(f"{at}.rank_to", _("须不小于 rank_from。"))
        out.append(RankBand(int(low), int(high), number(band, "points", where=at)))
    return tuple(out)


def _clause(data: Mapping[str, Any], where: str) -> Clause:
    kind = text(data, "type", where=where)
    field = text(data, "field", where=where)
    label = data.get("label", field)
    if not isinstance(label, str):
        raise RuleError(f"{where}.label", _("须为文字。"))
    if kind == "match":
        mapping = data.get("points")
        if not isinstance(mapping, dict) or not mapping:
            raise RuleError(f"{where}.points", _("须为“取值: 分值”的对象。"))
        points = tuple((str(key), number(mapping, key, where=f"{where}.points")) for key in mapping)
        names = data.get("labels") or {}
        if not isinstance(names, dict):
            raise RuleError(f"{where}.labels", _("须为“取值: 名称”的对象。"))
        labels = tuple((str(key), str(value)) for key, value in names.items())
        return Clause(kind, field, label, points=points, labels=labels)
    if kind == "bands":
        bands = []
        for index, band in enumerate(items(data, "bands", where=where)):
            at = f"{where}.bands[{index}]"
            low, high = number(band, "from", where=at), optional(band, "to", where=at)
            if high is not None and high <= low:
                raise RuleError(f"{at}.to", _("须大于 from。"))
            name = str(band.get("label") or "")
            bands.append(ValueBand(low, high, number(band, "points", where=at), name))
        return Clause(kind, field, label, bands=tuple(bands))
    if kind == "factor":
        return Clause(
            kind,
            field,
            label,
            factor=number(data, "factor", where=where),
            cap=optional(data, "cap", where=where),
        )
    if kind == "flag":
        return Clause(kind, field, label, flag_points=number(data, "points", where=where))
    raise RuleError(f"{where}.type", _("未知的条款类型“%(kind)s”。") % {"kind": kind})


def rule_parse(data: Any, *, where: str = "rule") -> Rule:
    """A rule from its JSON form; a bad or missing key is refused by name."""
    if not isinstance(data, dict):
        raise RuleError(where, _("须为对象。"))
    kind = data.get("type")
    if kind == "entered":
        low, high = number(data, "min", where=where, default=0), number(data, "max", where=where)
        if high < low:
            raise RuleError(f"{where}.max", _("须不小于 min。"))
        return Entered(low, high)
    if kind == "evaluator_mean":
        high = number(data, "max", where=where)
        if high <= 0:
            raise RuleError(f"{where}.max", _("须大于0。"))
        n = optional(data, "drop_extremes_min_evaluators", where=where)
        if n is not None and (n != n.to_integral_value() or n < 3):
            raise RuleError(
                f"{where}.drop_extremes_min_evaluators",
                _("须为不小于3的整数（去掉两个后仍有分）。"),
            )
        return EvaluatorMean(high, None if n is None else int(n))
    if kind == "banded_rate":
        cap_up, cap_down = (
            optional(data, "cap_up", where=where),
            optional(data, "cap_down", where=where),
        )
        for key, cap in (("cap_up", cap_up), ("cap_down", cap_down)):
            if cap is not None and cap < 0:
                raise RuleError(f"{where}.{key}", _("须不小于0。"))
        return BandedRate(
            fact=text(data, "fact", where=where),
            base=number(data, "base", where=where),
            pivot=number(data, "pivot", where=where, default=100),
            bands=_bands(data, where),
            cap_up=cap_up,
            cap_down=cap_down,
        )
    if kind == "rank_points":
        order = data.get("order", "desc")
        if order not in ("desc", "asc"):
            raise RuleError(f"{where}.order", _("须为 desc 或 asc。"))
        return RankPoints(
            of=text(data, "of", where=where),
            bands=_rank_bands(data, where),
            descending=order == "desc",
        )
    if kind == "per_item":
        cap = optional(data, "cap", where=where)
        if cap is not None and cap < 0:
            raise RuleError(f"{where}.cap", _("须不小于0。"))
        return PerItem(text(data, "fact", where=where), number(data, "points", where=where), cap)
    if kind == "per_project_sum":
        clauses = items(data, "clauses", where=where)
        return PerProjectSum(
            tuple(_clause(c, f"{where}.clauses[{i}]") for i, c in enumerate(clauses))
        )
    if kind == "base_adjust":
        floor, ceiling = optional(data, "min", where=where), optional(data, "max", where=where)
        if floor is not None and ceiling is not None and ceiling < floor:
            raise RuleError(f"{where}.max", _("须不小于 min。"))
        return BaseAdjust(number(data, "base", where=where, default=100), floor, ceiling)
    raise RuleError(f"{where}.type", _("未知的规则类型“%(kind)s”。") % {"kind": kind})


@dataclass(frozen=True)
class Component:
    code: str
    name: str
    weight: Decimal | None
    full: Decimal | None  # the component's full marks: scaled to 100 before weighting


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    name: str
    component: str
    source: str
    rule: Rule
    max_score: Decimal | None = None


@dataclass(frozen=True)
class Scheme:
    components: tuple[Component, ...]
    criteria: tuple[CriterionSpec, ...]

    @property
    def weighted(self) -> bool:
        return any(c.weight is not None for c in self.components)


def components_parse(data: Any) -> tuple[Component, ...]:
    """The scheme's components; weights, when any is given, must all be given and sum to 100."""
    if data in (None, []):
        return ()
    if not isinstance(data, list):
        raise RuleError("components", _("须为列表。"))
    out: list[Component] = []
    for index, item in enumerate(data):
        where = f"components[{index}]"
        if not isinstance(item, dict):
            raise RuleError(where, _("须为对象。"))
        code = text(item, "code", where=where)
        if any(c.code == code for c in out):
            raise RuleError(f"{where}.code", _("编码“%(code)s”重复。") % {"code": code})
        weight, full = optional(item, "weight", where=where), optional(item, "full", where=where)
        if weight is not None and weight < 0:
            raise RuleError(f"{where}.weight", _("须不小于0。"))
        if full is not None and full <= 0:
            raise RuleError(f"{where}.full", _("须大于0。"))
        out.append(Component(code, text(item, "name", where=where, default=code), weight, full))
    weights = [c.weight for c in out]
    if any(w is not None for w in weights):
        if any(w is None for w in weights):
            raise RuleError("components.weight", _("有的组成部分有权重、有的没有：须全部给出。"))
        total = sum(w for w in weights if w is not None)
        if total != 100:
            raise RuleError(
                "components.weight",
                _("各组成部分权重之和须为100，现为%(total)s。")
                % {"total": format(Decimal(total).normalize(), "f")},
            )
    return tuple(out)


def criterion_parse(data: Any, *, where: str, components: Sequence[Component]) -> CriterionSpec:
    """One criterion: code, name, component, source and its rule (checked to match)."""
    if not isinstance(data, dict):
        raise RuleError(where, _("须为对象。"))
    source = text(data, "source", where=where)
    if source not in SOURCES:
        raise RuleError(f"{where}.source", _("须为 evaluator、daily 或 computed。"))
    rule = rule_parse(data.get("rule"), where=f"{where}.rule")
    if source not in RULE_SOURCES[rule.type]:
        raise RuleError(
            f"{where}.source",
            _("规则“%(rule)s”不能用于来源“%(source)s”。") % {"rule": rule.type, "source": source},
        )
    component = str(data.get("component") or "")
    if components and component not in {c.code for c in components}:
        raise RuleError(f"{where}.component", _("组成部分“%(code)s”未定义。") % {"code": component})
    return CriterionSpec(
        code=text(data, "code", where=where),
        name=text(data, "name", where=where),
        component=component,
        source=source,
        rule=rule,
        max_score=optional(data, "max_score", where=where),
    )


def scheme_parse(data: Mapping[str, Any]) -> Scheme:
    """A whole scheme from its JSON form (``components`` and ``criteria``)."""
    components = components_parse(data.get("components"))
    raw = data.get("criteria")
    if not isinstance(raw, list) or not raw:
        raise RuleError("criteria", _("须为非空列表。"))
    criteria = tuple(
        criterion_parse(item, where=f"criteria[{i}]", components=components)
        for i, item in enumerate(raw)
    )
    seen: set[str] = set()
    for index, criterion in enumerate(criteria):
        if criterion.code in seen:
            raise RuleError(
                f"criteria[{index}].code", _("编码“%(code)s”重复。") % {"code": criterion.code}
            )
        seen.add(criterion.code)
    for index, criterion in enumerate(criteria):
        rule = criterion.rule
        if isinstance(rule, RankPoints) and rule.of.startswith("criterion:"):
            target = rule.of.removeprefix("criterion:")
            other = next((c for c in criteria if c.code == target), None)
            if other is None or isinstance(other.rule, RankPoints):
                raise RuleError(
                    f"criteria[{index}].rule.of",
                    _("“%(code)s”须为本方案中非排名类的评分项。") % {"code": target},
                )
    return Scheme(components, criteria)


def entry_limits(rule: Rule) -> tuple[Decimal, Decimal] | None:
    """The range a person may enter for a criterion (None: it is not entered by hand)."""
    if isinstance(rule, Entered):
        return rule.low, rule.high
    if isinstance(rule, EvaluatorMean):
        return Decimal(0), rule.max
    return None

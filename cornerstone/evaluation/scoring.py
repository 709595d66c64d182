"""Scoring a round: each unit's score per criterion with the line that explains it, totals,
weights and ranks.

Pure (no database): the inputs are plain facts, evaluators' sheets and admins' entries;
the rules come from ``rules.py``. Arithmetic is exact ``Decimal`` throughout and rounded
half up to two places only at the end (each line's shown score and the total).

Decisions a published scheme leaves open:

- a unit with no evaluator sheet for a criterion scores 0 there and is flagged; with some
  sheets missing, the mean is over the sheets present;
- the highest and lowest evaluator scores are dropped per criterion (one of each, even
  when several evaluators gave the same extreme) once at least N sheets are in;
- a computed fact that is missing (no plan to divide by) scores 0 and is flagged, and
  such a unit is not ranked by that fact;
- ranks are competition ranks: equal scores share a rank and the next rank is skipped
  (1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from cornerstone.evaluation.rules import (
    BandedRate,
    BaseAdjust,
    Clause,
    CriterionSpec,
    Entered,
    EvaluatorMean,
    PerItem,
    PerProjectSum,
    RankPoints,
    Scheme,
)

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

FactValue = Decimal | int | None


def rounded(value: Decimal) -> Decimal:
    """Two places, half up: the only rounding, done at the end."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def shown(value: Decimal | int) -> str:
    """A number as written on a score sheet: 27.4, 35, -3 (no trailing zeros)."""
    out = rounded(Decimal(value)).normalize()
    return format(out if out != 0 else ZERO, "f")


def signed(value: Decimal) -> str:
    return ("+" if value >= 0 else "−") + shown(abs(value))


@dataclass(frozen=True)
class UnitInputs:
    """What one unit is scored on."""

    unit: str
    facts: Mapping[str, FactValue] = field(default_factory=dict)
    projects: Sequence[Mapping[str, object]] = ()
    # One mapping per submitted evaluator sheet: criterion code → score.
    sheets: Sequence[Mapping[str, Decimal]] = ()
    # Admins' entries per criterion (daily assessment, adjustments, entered facts): summed.
    daily: Mapping[str, Sequence[Decimal]] = field(default_factory=dict)


@dataclass(frozen=True)
class Line:
    """One criterion's score for one unit and the sentence that explains it."""

    criterion: str
    name: str
    component: str
    score: Decimal  # unrounded
    text: str
    flagged: bool = False

    @property
    def shown(self) -> Decimal:
        return rounded(self.score)


@dataclass
class UnitResult:
    unit: str
    lines: list[Line]
    components: dict[str, Decimal]
    total: Decimal  # rounded to two places
    rank: int = 0

    @property
    def notes(self) -> list[str]:
        return [line.text for line in self.lines if line.flagged]


def ranks(scores: Sequence[Decimal | None], *, descending: bool = True) -> list[int | None]:
    """Competition ranks (1, 2, 2, 4) of the scores in their order; None stays unranked."""
    present = sorted((s for s in scores if s is not None), reverse=descending)
    first: dict[Decimal, int] = {}
    for index, score in enumerate(present):
        first.setdefault(score, index + 1)
    return [None if s is None else first[s] for s in scores]


# --------------------------------------------------------------------------- rule by rule


def evaluator_line(
    c: CriterionSpec, rule: EvaluatorMean, sheets: Sequence[Decimal], n: int | None
) -> tuple[Decimal, str, bool]:
    """Mean of the sheets' scores, the extremes dropped once at least ``n`` are in."""
    if not sheets:
        return ZERO, _("%(name)s：无评委评分，计0分") % {"name": c.name}, True
    minimum = n if n is not None else rule.drop_extremes_min_evaluators
    ordered = sorted(sheets)
    if minimum is not None and len(ordered) >= minimum:
        kept = ordered[1:-1]
        mean = sum(kept, ZERO) / len(kept)
        text = _("%(name)s：评委%(n)s人，去掉最高分%(high)s、最低分%(low)s，平均%(mean)s分") % {
            "name": c.name,
            "n": len(ordered),
            "high": shown(ordered[-1]),
            "low": shown(ordered[0]),
            "mean": shown(mean),
        }
        return mean, text, False
    mean = sum(ordered, ZERO) / len(ordered)
    text = _("%(name)s：评委%(n)s人，平均%(mean)s分") % {
        "name": c.name,
        "n": len(ordered),
        "mean": shown(mean),
    }
    return mean, text, False


def banded_adjustment(rule: BandedRate, value: Decimal) -> Decimal:
    """The uncapped adjustment: per-point increments of each band between pivot and value."""
    total = ZERO
    for band in rule.bands:
        high = band.high if band.high is not None else max(value, rule.pivot)
        if value >= rule.pivot:
            overlap = min(value, high) - max(rule.pivot, band.low)
            total += max(overlap, ZERO) * band.per_point
        else:
            overlap = min(rule.pivot, high) - max(value, band.low)
            total -= max(overlap, ZERO) * band.per_point
    return total


def banded_line(c: CriterionSpec, rule: BandedRate, value: Decimal) -> tuple[Decimal, str]:
    raw = banded_adjustment(rule, value)
    adjustment = raw
    if rule.cap_up is not None:
        adjustment = min(adjustment, rule.cap_up)
    if rule.cap_down is not None:
        adjustment = max(adjustment, -rule.cap_down)
    score = rule.base + adjustment
    steps = signed(raw)
    if adjustment != raw:
        steps = _("%(raw)s（封顶%(cap)s）") % {"raw": steps, "cap": signed(adjustment)}
    text = _("%(name)s%(value)s%%：%(base)s%(steps)s=%(score)s分") % {
        "name": c.name,
        "value": shown(value),
        "base": shown(rule.base),
        "steps": steps,
        "score": shown(score),
    }
    return score, text


def per_item_line(c: CriterionSpec, rule: PerItem, count: Decimal) -> tuple[Decimal, str]:
    raw = count * rule.points
    score = raw
    if rule.cap is not None and abs(raw) > rule.cap:
        score = rule.cap if raw > 0 else -rule.cap
    text = _("%(name)s：%(count)s个×%(points)s分=%(raw)s分") % {
        "name": c.name,
        "count": shown(count),
        "points": shown(rule.points),
        "raw": shown(raw),
    }
    if score != raw:
        text += _("，以%(cap)s分为限") % {"cap": shown(score)}
    return score, text


def _clause_points(clause: Clause, project: Mapping[str, object]) -> tuple[Decimal, str | None]:
    """Points one project earns under a clause, and the group it is counted in."""
    value = project.get(clause.field)
    if clause.kind == "match":
        names = dict(clause.labels)
        for key, points in clause.points:
            if str(value) == key:
                return points, names.get(key, key)
        return ZERO, None
    if clause.kind == "flag":
        return (clause.flag_points, "") if value else (ZERO, None)
    if value is None:
        return ZERO, None
    amount = Decimal(str(value))
    if clause.kind == "bands":
        for band in clause.bands:
            if amount >= band.low and (band.high is None or amount < band.high):
                return band.points, band.label or "≥" + shown(band.low)
        return ZERO, None
    points = clause.factor * amount / HUNDRED  # factor: a rate in percent
    if clause.cap is not None:
        points = min(points, clause.cap)
    return points, ""


def per_project_line(
    c: CriterionSpec, rule: PerProjectSum, projects: Sequence[Mapping[str, object]]
) -> tuple[Decimal, str]:
    total = ZERO
    parts: list[str] = []
    for clause in rule.clauses:
        groups: dict[str, list[Decimal]] = {}
        for project in projects:
            points, group = _clause_points(clause, project)
            if group is not None and points:
                groups.setdefault(group, []).append(points)
        for group, earned in groups.items():
            subtotal = sum(earned, ZERO)
            total += subtotal
            if clause.kind == "factor":
                parts.append(
                    _("%(label)s%(n)s个项目合计%(sum)s分")
                    % {"label": clause.label, "n": len(earned), "sum": shown(subtotal)}
                )
            else:
                label = clause.label if not group else f"{clause.label}{group}"
                parts.append(
                    _("%(label)s%(n)s个×%(each)s分")
                    % {"label": label, "n": len(earned), "each": shown(earned[0])}
                )
    detail = "+".join(parts) if parts else _("无得分项目")
    text = _("%(name)s：%(detail)s=%(score)s分") % {
        "name": c.name,
        "detail": detail,
        "score": shown(total),
    }
    return total, text


def base_adjust_line(
    c: CriterionSpec, rule: BaseAdjust, entries: Sequence[Decimal]
) -> tuple[Decimal, str]:
    plus = sum((e for e in entries if e > 0), ZERO)
    minus = sum((e for e in entries if e < 0), ZERO)
    raw = rule.base + plus + minus
    score = raw
    if rule.high is not None:
        score = min(score, rule.high)
    if rule.low is not None:
        score = max(score, rule.low)
    text = _("%(name)s：基础分%(base)s，加分%(plus)s，扣分%(minus)s，=%(raw)s分") % {
        "name": c.name,
        "base": shown(rule.base),
        "plus": shown(plus),
        "minus": shown(-minus),
        "raw": shown(raw),
    }
    if score != raw:
        text += _("，以%(limit)s分为限") % {"limit": shown(score)}
    return score, text


def entered_line(
    c: CriterionSpec, rule: Entered, entries: Sequence[Decimal]
) -> tuple[Decimal, str, bool]:
    if not entries:
        return ZERO, _("%(name)s：未录入，计0分") % {"name": c.name}, True
    raw = sum(entries, ZERO)
    score = min(max(raw, rule.low), rule.high)
    text = _("%(name)s：%(score)s分") % {"name": c.name, "score": shown(score)}
    if score != raw:
        text = _("%(name)s：录入合计%(raw)s分，以%(score)s分为限") % {
            "name": c.name,
            "raw": shown(raw),
            "score": shown(score),
        }
    return score, text, False


# --------------------------------------------------------------------------- a round


def _fact(c: CriterionSpec, unit: UnitInputs, name: str) -> Decimal | None:
    """A fact for a rule: from the ledger (computed) or summed from admins' entries (daily)."""
    if c.source == "daily":
        entries = unit.daily.get(c.code, ())
        return sum(entries, ZERO) if entries else None
    value = unit.facts.get(name)
    return None if value is None else Decimal(value)


def _missing(c: CriterionSpec) -> str:
    return _("%(name)s：无数据，计0分") % {"name": c.name}


def _plain_line(c: CriterionSpec, unit: UnitInputs, trim: int | None) -> Line:
    """A criterion that needs no other unit to be scored."""
    rule = c.rule
    flagged = False
    if isinstance(rule, EvaluatorMean):
        scores = [sheet[c.code] for sheet in unit.sheets if c.code in sheet]
        score, text, flagged = evaluator_line(c, rule, scores, trim)
    elif isinstance(rule, Entered):
        score, text, flagged = entered_line(c, rule, unit.daily.get(c.code, ()))
    elif isinstance(rule, BaseAdjust):
        score, text = base_adjust_line(c, rule, unit.daily.get(c.code, ()))
    elif isinstance(rule, PerProjectSum):
        score, text = per_project_line(c, rule, unit.projects)
    else:
        assert isinstance(rule, (BandedRate, PerItem))
        value = _fact(c, unit, rule.fact)
        if value is None:
            score, text, flagged = ZERO, _missing(c), True
        elif isinstance(rule, BandedRate):
            score, text = banded_line(c, rule, value)
        else:
            score, text = per_item_line(c, rule, value)
    return _capped(c, score, text, flagged)


def _capped(c: CriterionSpec, score: Decimal, text: str, flagged: bool) -> Line:
    if c.max_score is not None and score > c.max_score:
        text += _("；本项满分%(max)s分") % {"max": shown(c.max_score)}
        score = c.max_score
    return Line(c.code, c.name, c.component, score, text, flagged)


def _rank_lines(
    c: CriterionSpec, rule: RankPoints, units: Sequence[UnitInputs], lines: list[dict[str, Line]]
) -> list[Line]:
    """Points by rank among the units, on a fact or on another criterion's score."""
    target = rule.of.removeprefix("criterion:") if rule.of.startswith("criterion:") else None
    values: list[Decimal | None] = [
        lines[i][target].score if target is not None else _fact(c, unit, rule.of)
        for i, unit in enumerate(units)
    ]
    out = []
    for value, rank in zip(values, ranks(values, descending=rule.descending), strict=True):
        if rank is None:
            out.append(_capped(c, ZERO, _missing(c), True))
            continue
        points = next((b.points for b in rule.bands if b.rank_from <= rank <= b.rank_to), ZERO)
        text = _("%(name)s：%(value)s，第%(rank)s名，%(points)s分") % {
            "name": c.name,
            "value": shown(value) if value is not None else "",
            "rank": rank,
            "points": shown(points),
        }
        out.append(_capped(c, points, text, False))
    return out


def unit_scores(
    scheme: Scheme, units: Sequence[UnitInputs], *, trim_min_evaluators: int | None = None
) -> list[UnitResult]:
    """Every unit's lines, component scores, weighted total and rank, in the units' order.

    ``trim_min_evaluators`` (the round's setting) overrides each evaluator rule's own N.
    """
    lines: list[dict[str, Line]] = [{} for _unit in units]
    for c in scheme.criteria:
        if not isinstance(c.rule, RankPoints):
            for i, unit in enumerate(units):
                lines[i][c.code] = _plain_line(c, unit, trim_min_evaluators)
    for c in scheme.criteria:
        if isinstance(c.rule, RankPoints):
            for i, line in enumerate(_rank_lines(c, c.rule, units, lines)):
                lines[i][c.code] = line
    results = []
    for i, unit in enumerate(units):
        ordered = [lines[i][c.code] for c in scheme.criteria]
        components: dict[str, Decimal] = {}
        for line in ordered:
            components[line.component] = components.get(line.component, ZERO) + line.score
        results.append(
            UnitResult(
                unit=unit.unit,
                lines=ordered,
                components=components,
                total=rounded(weighted_total(scheme, components)),
            )
        )
    for result, rank in zip(results, ranks([r.total for r in results]), strict=True):
        result.rank = rank or 0
    return results


def weighted_total(scheme: Scheme, components: Mapping[str, Decimal]) -> Decimal:
    """Plain sum, or Σ weight% × component (scaled to 100 when the component has full marks)."""
    if not scheme.weighted:
        return sum(components.values(), ZERO)
    total = ZERO
    for component in scheme.components:
        score = components.get(component.code, ZERO)
        if component.full is not None:
            score = score * HUNDRED / component.full
        total += score * (component.weight or ZERO) / HUNDRED
    return total

"""Campaign results along the region tree (pure, no database).

Every participating project counts once in the root's totals and once in exactly one
row below it: the child region whose subtree holds the project's region, or the root's
own row (本级) for a project registered at the root itself. So the rows always add up
to the root, figure by figure, in exact decimals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from cornerstone.campaigns.choices import Action
from cornerstone.geo.codes import in_subtree

ACTIONS: tuple[Action, ...] = (Action.SIGN, Action.START, Action.PRODUCE)


@dataclass(frozen=True)
class Entry:
    """One participating project as the results need it."""

    project_id: int
    region_code: str
    action: str
    investment: Decimal
    zone_id: int | None = None
    in_devzone: bool = False  # its zone is a development zone (国家级 / 省级开发区)


@dataclass
class Totals:
    """Count and total investment (万元) per action."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACTIONS, 0))
    amounts: dict[str, Decimal] = field(
        default_factory=lambda: {a: Decimal("0.00") for a in ACTIONS}
    )

    def add(self, entry: Entry) -> None:
        """Count one project under its action."""
        self.counts[entry.action] += 1
        self.amounts[entry.action] += entry.investment

    @property
    def count(self) -> int:
        """Projects over all actions."""
        return sum(self.counts.values())

    @property
    def amount(self) -> Decimal:
        """Total investment over all actions (万元)."""
        return sum(self.amounts.values(), Decimal("0.00"))

    def cells(self) -> list[tuple[str, int, Decimal]]:
        """(action, count, amount) in the order of the tables."""
        return [(a, self.counts[a], self.amounts[a]) for a in ACTIONS]

    def labelled(self) -> list[tuple[str, str, int, Decimal]]:
        """(action, label, count, amount), for templates."""
        return [(a, str(a.label), self.counts[a], self.amounts[a]) for a in ACTIONS]


@dataclass(frozen=True)
class Place:
    """A region (or a zone) a row is about."""

    code: str
    name: str
    level: str


@dataclass
class Row:
    place: Place
    totals: Totals
    own: bool = False  # the root's own projects (本级), not a child region
    drillable: bool = False


@dataclass
class Results:
    root: Row
    rows: list[Row]
    devzones: Totals
    zone_rows: list[Row]


def results_build(
    *,
    entries: Iterable[Entry],
    root: Place,
    children: Sequence[Place],
    zones: Sequence[Place] = (),
    drillable: frozenset[str] = frozenset(),
) -> Results:
    """Totals of the root, of each child region (and the root's own), and of each zone."""
    # ``entries`` must all lie in the root's subtree; ``zones`` are keyed by their id as text.
    total = Totals()
    by_child = {
        c.code: Row(place=c, totals=Totals(), drillable=c.code in drillable) for c in children
    }
    own = Row(place=root, totals=Totals(), own=True)
    devzones = Totals()
    zone_rows = {z.code: Row(place=z, totals=Totals()) for z in zones}
    for entry in entries:
        total.add(entry)
        target = next(
            (row for code, row in by_child.items() if in_subtree(entry.region_code, code)), own
        )
        target.totals.add(entry)
        if entry.in_devzone:
            devzones.add(entry)
        if entry.zone_id is not None and str(entry.zone_id) in zone_rows:
            zone_rows[str(entry.zone_id)].totals.add(entry)
    rows = [row for row in by_child.values()]
    if own.totals.count:
        rows.insert(0, own)
    return Results(
        root=Row(place=root, totals=total),
        rows=rows,
        devzones=devzones,
        zone_rows=[row for row in zone_rows.values() if row.totals.count],
    )

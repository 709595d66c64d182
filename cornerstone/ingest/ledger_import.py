"""The ledger import: read a workbook's rows into projects, check them all, then write.

Two phases. The check reads, converts and validates every row and works out what each
would do (create, update, leave unchanged), outside any transaction, so its progress is
visible while it runs; a dry run stops there. The commit then runs in one transaction:
it locks the projects the rows match, refuses to go on if any changed since the check,
and writes everything with its audit rows, or nothing.

Speed (issue 5: 100,000 rows within a few times calamine's own read): each row is
converted by per-column converters compiled once (ledger_reader.py), judged by the
model's rules compiled into plain comparisons (ledger_rules.py; a row they do not
certainly pass goes to ``Project.full_clean`` for the model's own messages), matched
against stored projects read as tuples a chunk at a time, and written with one
``executemany`` per chunk (ledger_write.py). What is kept between check and commit is
one dict per row that writes (only the changed values of an update): no model instance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_region, project_scope_q
from cornerstone.core.choices import AuditAction
from cornerstone.ingest.cells import text_normalize
from cornerstone.ingest.headers import HeaderMatch, header_locate
from cornerstone.ingest.ledger_columns import LEDGER_FIELDS, STAGE_SPEC
from cornerstone.ingest.ledger_reader import (
    SPLIT_KEYS,
    References,
    RowError,
    RowReader,
    row_blank,
)
from cornerstone.ingest.ledger_rules import CLEAN_FIELDS, cross_valid, fields_valid
from cornerstone.ingest.ledger_write import (
    AuditWriter,
    Display,
    json_text,
    project_ids,
    projects_insert,
    projects_update,
)
from cornerstone.ingest.ledger_write import now as write_now
from cornerstone.ingest.workbook import Sheet
from cornerstone.projects.codes import LOCAL_CODE, local_code
from cornerstone.projects.models import Project, Stage
from cornerstone.projects.services import AUDITED_FIELDS

__all__ = [
    "CheckResult",
    "ImportConflict",
    "PlannedRow",
    "References",
    "RowError",
    "ledger_check",
    "ledger_commit",
]

HEADER_SCAN_ROWS = 10
PLAN_CHUNK = 2000
LOOKUP_CHUNK = 500
# Loaded with a stored project whose row the model must judge, so that it reads labels
# without a query each.
RELATED = ("region", "zone", "industry", "responsible_unit", "parent", "stage")
FIELDS = {f.name: f for f in Project._meta.concrete_fields}
FIELD_LABELS = {name: f.verbose_name for name, f in FIELDS.items()}
ATTNAMES = {name: f.attname for name, f in FIELDS.items()}
RELATIONS = frozenset(name for name, f in FIELDS.items() if isinstance(f, models.ForeignKey))
# Field name → whether a project may leave it blank.
OPTIONAL = {name: f.blank for name, f in FIELDS.items() if name != "id"}
# What a new project holds for a field its row does not give (as Project() would).
CREATE_DEFAULTS = {
    name: f.get_default() for name, f in FIELDS.items() if name not in ("id", "stage")
}
# Fields a new project must have that its row may not give: the model judges them too.
CREATE_REQUIRED = [
    name
    for name, optional in OPTIONAL.items()
    if not optional and name not in RELATIONS and name != "code"
]
PROGRESS_EVERY = 500
Progress = Callable[[int], None]


@dataclass(slots=True)
class PlannedRow:
    """A valid row and what it will do: a new project's values, or an update's changed ones."""

    row: int
    data: dict[str, Any]
    # The stored project it updates (None for a new one) and when that was last changed.
    stored_pk: int | None = None
    stored_updated_at: dt.datetime | None = None
    changes: dict[str, dict[str, str | None]] = field(default_factory=dict)


@dataclass
class CheckResult:
    """What the workbook would do, and every error found."""

    match: HeaderMatch
    total_rows: int
    creates: list[PlannedRow] = field(default_factory=list)
    updates: list[PlannedRow] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    refs: References | None = None


def _validation_errors(
    project: Project,
    number: int,
    headers: dict[str, str],
    data: dict[str, Any],
    exclude: Collection[str] = (),
) -> list[RowError]:
    """The model's own checks; a field with no column is named by its label."""
    try:
        project.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = []
        for name, messages in exc.message_dict.items():
            if name in headers:
                column = headers[name]
            elif name in FIELD_LABELS:
                column = str(FIELD_LABELS[name])
                messages = [*messages, _("（表中没有这一列，或这一格为空）")]
            else:
                column = str(_("（整行）"))
            value = text_normalize(data.get(name)) if name in data else ""
            errors.append(RowError(number, column, value, " ".join(messages)))
        return errors
    return []


def _apply(project: Project, data: dict[str, Any], refs: References) -> None:
    """Set the row's values; related rows are set as objects from the caches, so that
    validation reads them without a query each."""
    for name, value in data.items():
        related = refs.related(name, value)
        if related is not None:
            setattr(project, name, related)
        else:
            setattr(project, ATTNAMES[name], value)


def _model_errors(
    number: int,
    data: dict[str, Any],
    stored_pk: int | None,
    refs: References,
    headers: dict[str, str],
) -> list[RowError]:
    """Judge a row with ``Project.full_clean``, as the form would (exact messages)."""
    if stored_pk is None:
        project = Project(stage=Stage.objects.order_by("order", "id").first())
    else:
        project = Project.objects.select_related(*RELATED).get(pk=stored_pk)
    _apply(project, data, refs)
    # Related rows came from the caches (no existence query each). Fields the row does
    # not give were valid when stored (or are optional on a new project), so only the
    # given ones and a new project's required ones are cleaned.
    exclude = [name for name in data if refs.related(name, data[name]) is not None]
    exclude += [
        name
        for name, optional in OPTIONAL.items()
        if name not in data and (optional or stored_pk is not None)
    ]
    if stored_pk is None:
        exclude.append("stage")  # the first stage: nothing to check
        if not data.get("code"):
            exclude.append("code")  # a local one is given when written
    return _validation_errors(project, number, headers, data, exclude)


class _Planner:
    """Matches checked rows to stored projects a chunk at a time, and judges them."""

    def __init__(
        self, actor: User, refs: References, result: CheckResult, headers: dict[str, str]
    ) -> None:
        self.actor, self.refs, self.result, self.headers = actor, refs, result, headers
        self.seen: dict[tuple[str, Any], int] = {}
        given = {
            key for c in result.match.columns for key in SPLIT_KEYS.get(c.spec.key, [c.spec.key])
        }
        needed = (given | CLEAN_FIELDS | {"code", "name", "region"}) & FIELDS.keys()
        self.fetched = ["id", "updated_at", *sorted(needed)]
        self.region_known = refs.regions.__contains__
        self.display = Display(refs)

    def _stored(self, lookup: str, keys: list[Any]) -> Iterable[dict[str, Any]]:
        names = self.fetched
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), LOOKUP_CHUNK):
            chunk = unique[start : start + LOOKUP_CHUNK]
            for values in Project.objects.filter(**{f"{lookup}__in": chunk}).values_list(*names):
                yield dict(zip(names, values, strict=True))

    def plan(self, parsed: list[tuple[int, dict[str, Any]]]) -> None:
        """Match rows to stored projects (by code, else name and region) and diff them."""
        if not parsed:
            return
        result, headers = self.result, self.headers
        codes = [d["code"] for _n, d in parsed if d.get("code")]
        by_code = {s["code"]: s for s in self._stored("code", codes)}
        names = [d["name"] for _n, d in parsed if not d.get("code")]
        by_name: dict[tuple[str, str | None], dict[str, Any]] = {}
        for found in self._stored("name", names):
            by_name.setdefault((found["name"], found["region"]), found)
        ids = [s["id"] for s in chain(by_code.values(), by_name.values())]
        visible: set[int] = set()
        for start in range(0, len(ids), LOOKUP_CHUNK):
            visible.update(
                Project.objects.filter(project_scope_q(self.actor))
                .filter(pk__in=ids[start : start + LOOKUP_CHUNK])
                .values_list("pk", flat=True)
            )
        for number, data in parsed:
            code = data.get("code")
            key: tuple[str, Any] = (
                ("code", code) if code else ("name", (data["name"], data.get("region")))
            )
            if key in self.seen:
                result.errors.append(
                    RowError(
                        number,
                        headers.get("code" if key[0] == "code" else "name", ""),
                        str(key[1] if key[0] == "code" else key[1][0]),
                        _("与第%d行是同一个项目。") % self.seen[key],
                    )
                )
                continue
            self.seen[key] = number
            stored: dict[str, Any] | None = by_code.get(code) if code else by_name.get(key[1])
            if stored is not None and stored["id"] not in visible:
                result.errors.append(
                    RowError(
                        number,
                        headers.get("code", headers.get("name", "")),
                        str(key[1]),
                        _("该项目不在您的管辖范围内。"),
                    )
                )
                continue
            if stored is None:
                self._create(number, data)
            else:
                self._update(number, data, stored)

    def _valid(self, values: dict[str, Any], names: Iterable[str], pk: int | None) -> bool:
        return fields_valid(values, names) and cross_valid(
            values, pk=pk, region_known=self.region_known, zone_region=self.refs.zone_region
        )

    def _create(self, number: int, data: dict[str, Any]) -> None:
        result = self.result
        if "region" not in data:
            result.errors.append(
                RowError(
                    number, self.headers.get("region", "所在区划"), "", _("新项目须填写所在区划。")
                )
            )
            return
        values = {**CREATE_DEFAULTS, **data}
        names = [n for n in data if n not in RELATIONS]
        names += [n for n in CREATE_REQUIRED if n not in data]
        if not self._valid(values, names, None):
            errors = _model_errors(number, data, None, self.refs, self.headers)
            if errors:
                result.errors.extend(errors)
                return
        result.creates.append(PlannedRow(row=number, data=data))

    def _update(self, number: int, data: dict[str, Any], stored: dict[str, Any]) -> None:
        result, refs = self.result, self.refs
        differing = {}
        for name, value in data.items():
            before = stored[name]
            if before != value and not (before in (None, "") and value in (None, "")):
                differing[name] = value
        if not differing:
            result.unchanged += 1  # nothing to validate or write: the common re-import
            return
        values = {**stored, **data}
        if not self._valid(values, (n for n in data if n not in RELATIONS), stored["id"]):
            errors = _model_errors(number, data, stored["id"], refs, self.headers)
            if errors:
                result.errors.extend(errors)
                return
        changes = {}
        for name, value in differing.items():
            entry = self.display.change(name, stored[name], value)
            if entry is not None:
                changes[name] = entry
        if not changes:
            result.unchanged += 1  # different values that read the same (1.0 and 1.00)
            return
        result.updates.append(
            PlannedRow(
                row=number,
                data={name: differing[name] for name in changes},
                stored_pk=stored["id"],
                stored_updated_at=stored["updated_at"],
                changes=changes,
            )
        )


def ledger_check(*, actor: User, sheet: Sheet, progress: Progress | None = None) -> CheckResult:
    """Read and validate every row; work out what each would create or change."""
    rows = iter(sheet.rows)
    head = list(islice(rows, HEADER_SCAN_ROWS))
    match = header_locate(head, (*LEDGER_FIELDS, STAGE_SPEC))
    refs = References()
    headers = {c.spec.key: c.header for c in match.columns}
    result = CheckResult(
        match=match, total_rows=max(0, sheet.total_rows - match.data_start), refs=refs
    )
    reader = RowReader(match.columns, refs)
    planner = _Planner(actor, refs, result, headers)
    editable: dict[str, bool] = {}
    parsed: list[tuple[int, dict[str, Any]]] = []
    for offset, cells in enumerate(chain(head[match.data_start :], rows)):
        if progress and offset % PROGRESS_EVERY == 0:
            progress(offset)
        if row_blank(cells):
            continue
        number = match.data_start + offset + 1
        data, errors = reader.read(cells, number)
        if "name" not in data and not errors:
            errors.append(
                RowError(number, headers.get("name", "项目名称"), "", _("缺少项目名称。"))
            )
        region = data.get("region")
        if region is not None:
            allowed = editable.get(region)
            if allowed is None:
                allowed = editable[region] = can_edit_region(actor, region)
            if not allowed:
                errors.append(
                    RowError(
                        number,
                        headers["region"],
                        refs.regions[region].full_name,
                        _("该区划不在您的管辖范围内。"),
                    )
                )
        if errors:
            result.errors.extend(errors)
            continue
        parsed.append((number, data))
        if len(parsed) >= PLAN_CHUNK:
            # Stored projects are matched a chunk at a time, so memory does not grow with
            # the workbook for the rows that change nothing.
            planner.plan(parsed)
            parsed = []
    planner.plan(parsed)
    if progress:
        progress(result.total_rows)
    return result


def _local_codes(creates: list[PlannedRow], year: int) -> None:
    """Give uncoded new projects the next local codes of their regions, as the form does."""
    next_seq: dict[str, int] = {}
    for planned in creates:
        if planned.data.get("code"):
            continue
        region = planned.data["region"]
        if region not in next_seq:
            prefix = f"{year:04d}-{region}-L"
            last = Project.objects.filter(code__startswith=prefix).aggregate(m=Max("code"))["m"]
            match = LOCAL_CODE.match(last) if last else None
            next_seq[region] = int(match["seq"]) + 1 if match else 1
        planned.data["code"] = local_code(year=year, region=region, sequence=next_seq[region])
        next_seq[region] += 1


class ImportConflict(Exception):
    """Projects changed between the check and the commit: nothing was written."""


def _conflicts_check(updates: list[PlannedRow]) -> None:
    """Lock the rows to update; refuse if any changed (or went) since the check."""
    stamps: dict[int, dt.datetime] = {}
    ids = [p.stored_pk for p in updates]
    for start in range(0, len(ids), LOOKUP_CHUNK):
        stamps.update(
            Project.objects.select_for_update()
            .filter(pk__in=ids[start : start + LOOKUP_CHUNK])
            .values_list("pk", "updated_at")
        )
    for planned in updates:
        if stamps.get(planned.stored_pk or 0) != planned.stored_updated_at:
            raise ImportConflict(_("第%d行的项目在校验后被修改，请重新上传校验。") % planned.row)


class _CreateChanges:
    """A new project's audit entries, as ``diff`` of an empty and a full snapshot gives,
    written straight as the JSON text ``ledger_write`` stores (100,000 new projects make
    4 million entries: no dict and no encoder pass for each)."""

    def __init__(self, stage: Stage, refs: References) -> None:
        self.display = display = Display(refs)
        defaults = {**CREATE_DEFAULTS, "stage": stage.pk}
        # Each field's entry up to its value: "name":{"label":"…","before":null,"after":
        self.heads = {
            name: f'{json_text(name)}:{{"label":{json_text(display.labels[name])},'
            f'"before":null,"after":'
            for name in AUDITED_FIELDS
        }
        self.fixed = {name: self._entry(name, defaults.get(name)) for name in AUDITED_FIELDS}
        # Related rows and choices repeat row after row: their entries are made once.
        self.repeated = {n for n in AUDITED_FIELDS if n in RELATIONS or FIELDS[n].choices}
        self.cache: dict[tuple[str, Any], str | None] = {}

    def _entry(self, name: str, value: Any) -> str | None:
        shown = self.display(name, value)
        return None if shown is None else f"{self.heads[name]}{json_text(shown)}}}"

    def __call__(self, data: dict[str, Any]) -> str:
        parts = []
        fixed, repeated, cache, entry_of = self.fixed, self.repeated, self.cache, self._entry
        for name in AUDITED_FIELDS:
            if name not in data:
                entry = fixed[name]
            elif name in repeated:
                key = (name, data[name])
                if key in cache:
                    entry = cache[key]
                else:
                    entry = cache[key] = entry_of(name, data[name])
            else:
                entry = entry_of(name, data[name])
            if entry is not None:
                parts.append(entry)
        return "{" + ",".join(parts) + "}"


@transaction.atomic
def ledger_commit(*, actor: User, result: CheckResult, batch: str) -> tuple[int, int]:
    """Write a clean check's creates and updates with their audit rows; all or nothing."""
    if result.errors:
        raise ValidationError(_("工作簿有错误，不能导入。"))
    _conflicts_check(result.updates)
    refs = result.refs or References()
    stage = Stage.objects.order_by("order", "id").first()
    if stage is None:
        raise ValidationError(_("尚未配置生命周期阶段。"))
    _local_codes(result.creates, timezone.localdate().year)
    now = write_now()
    audit = AuditWriter(actor, now)
    creates = [planned.data for planned in result.creates]
    projects_insert(creates, stage=stage, now=now)
    keys = project_ids(data["code"] for data in creates)
    created_changes = _CreateChanges(stage, refs)
    for data in creates:
        audit.add(
            AuditAction.CREATE,
            keys[data["code"]],
            _("导入（%(batch)s）新建项目“%(name)s”（%(code)s）")
            % {"batch": batch, "name": data["name"], "code": data["code"]},
            created_changes(data),
        )
    updated = projects_update(((p.stored_pk or 0, p.data) for p in result.updates), now=now)
    for planned in result.updates:
        audit.add(
            AuditAction.UPDATE,
            planned.stored_pk or 0,
            _("导入（%(batch)s）修改项目：%(fields)s")
            % {
                "batch": batch,
                "fields": "、".join(str(c["label"]) for c in planned.changes.values()),
            },
            planned.changes,
        )
    audit.flush()
    return len(creates), updated

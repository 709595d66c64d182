"""The ledger import: read a workbook's rows into projects, check them all, then write.

Two phases. The check reads, converts and validates every row and works out what each
would do (create, update, leave unchanged), outside any transaction, so its progress is
visible while it runs; a dry run stops there. The commit then runs in one transaction:
it locks the projects the rows match, refuses to go on if any changed since the check,
and writes everything with its audit rows, or nothing.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cornerstone.accounts.models import User
from cornerstone.accounts.scope import can_edit_region, project_scope_q
from cornerstone.core.audit import audit_event, diff, snapshot
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.models import AuditEvent
from cornerstone.geo.codes import in_subtree
from cornerstone.geo.models import Department, Industry, Region, Zone
from cornerstone.ingest.cells import (
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
from cornerstone.ingest.headers import Column, HeaderMatch, header_locate
from cornerstone.ingest.ledger_columns import LEDGER_FIELDS, STAGE_SPEC
from cornerstone.ingest.workbook import Sheet
from cornerstone.projects.codes import LOCAL_CODE, local_code
from cornerstone.projects.models import Project, Stage
from cornerstone.projects.services import AUDITED_FIELDS, EDITABLE_FIELDS

HEADER_SCAN_ROWS = 10
PLAN_CHUNK = 2000
WRITE_CHUNK = 1000
# Loaded with stored projects, so their audit snapshots read labels without a query each.
RELATED = ("region", "zone", "industry", "responsible_unit", "parent", "stage")
FIELD_LABELS = {f.name: f.verbose_name for f in Project._meta.concrete_fields}
ATTNAMES = {f.name: f.attname for f in Project._meta.concrete_fields}
# Field name → whether a project may leave it blank.
OPTIONAL = {f.name: f.blank for f in Project._meta.concrete_fields if f.name != "id"}
# Columns whose one cell fills two fields: 建设年限 "2024-2026".
SPLIT_KEYS = {"construction_period": ("construction_start_year", "construction_end_year")}
PROGRESS_EVERY = 500
Progress = Callable[[int], None]


@dataclass(frozen=True)
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


@dataclass
class PlannedRow:
    """A valid row and what it will do."""

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
        self._by_key: dict[str, dict[Any, Any]] = {
            "region": self.regions,
            "industry": self.industries,
            "zone": {z.pk: z for z in self.zones.values()},
            "responsible_unit": {d.pk: d for d in self.departments.values()},
        }

    def related(self, field: str, key: Any) -> Any:
        """The cached row a foreign key field's value names, or None for other fields."""
        return self._by_key.get(field, {}).get(key)

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


def _cell_value(column: Column, raw: object, refs: References, region: str | None) -> Any:
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
        return decimal_parse(raw, places=places, suffixes=("亩", "平方米", "㎡", "m2", "m²"))
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


def _row_read(
    cells: list[object], number: int, columns: list[Column], refs: References
) -> tuple[dict[str, Any], list[RowError]]:
    """One row's field values, the region first (zones and departments depend on it)."""
    data: dict[str, Any] = {}
    errors: list[RowError] = []
    ordered = sorted(columns, key=lambda c: c.spec.kind != "region")
    for column in ordered:
        if column.spec.key not in EDITABLE_FIELDS and column.spec.key not in SPLIT_KEYS:
            continue  # shown for reading only (the stage comes from the lifecycle)
        raw = cells[column.index] if column.index < len(cells) else ""
        try:
            value = _cell_value(column, raw, refs, data.get("region"))
        except CellError as exc:
            errors.append(RowError(number, column.header, text_normalize(raw), exc.message))
            continue
        if value is None:
            continue
        if column.spec.key in SPLIT_KEYS:
            data.update(zip(SPLIT_KEYS[column.spec.key], value, strict=True))
        else:
            data[column.spec.key] = value
    return data, errors


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


def _same(project: Project, data: dict[str, Any]) -> bool:
    """Whether every value of the row is already the stored one."""
    for name, value in data.items():
        stored = getattr(project, ATTNAMES[name])
        if stored != value and not (stored in (None, "") and value in (None, "")):
            return False
    return True


def _apply(project: Project, data: dict[str, Any], refs: References) -> None:
    """Set the row's values; related rows are set as objects from the caches, so that
    validation and the audit snapshot read them without a query each."""
    for name, value in data.items():
        related = refs.related(name, value)
        if related is not None:
            setattr(project, name, related)
        else:
            model_field = Project._meta.get_field(name)
            setattr(project, model_field.attname, value)  # type: ignore[union-attr]


def ledger_check(*, actor: User, sheet: Sheet, progress: Progress | None = None) -> CheckResult:
    """Read and validate every row; work out what each would create or change."""
    rows: Iterator[list[object]] = iter(sheet.rows)
    head = list(islice(rows, HEADER_SCAN_ROWS))
    match = header_locate(head, (*LEDGER_FIELDS, STAGE_SPEC))
    refs = References()
    headers = {c.spec.key: c.header for c in match.columns}
    result = CheckResult(
        match=match, total_rows=max(0, sheet.total_rows - match.data_start), refs=refs
    )
    parsed: list[tuple[int, dict[str, Any]]] = []
    seen: dict[tuple[str, Any], int] = {}
    data_rows: Iterable[list[object]] = chain(head[match.data_start :], rows)
    for offset, cells in enumerate(data_rows):
        number = match.data_start + offset + 1
        if all(text_normalize(c) == "" for c in cells):
            continue
        data, errors = _row_read(cells, number, match.columns, refs)
        if "name" not in data and not errors:
            errors.append(
                RowError(number, headers.get("name", "项目名称"), "", _("缺少项目名称。"))
            )
        region = data.get("region")
        if region is not None and not can_edit_region(actor, region):
            errors.append(
                RowError(
                    number,
                    headers["region"],
                    refs.regions[region].full_name,
                    _("该区划不在您的管辖范围内。"),
                )
            )
        result.errors.extend(errors)
        if not errors:
            parsed.append((number, data))
        if len(parsed) >= PLAN_CHUNK:
            # Stored projects are matched a chunk at a time, so memory does not grow with
            # the workbook for the rows that change nothing.
            _plan(actor, refs, parsed, result, headers, seen)
            parsed = []
        if progress and offset % PROGRESS_EVERY == 0:
            progress(offset)
    _plan(actor, refs, parsed, result, headers, seen)
    if progress:
        progress(result.total_rows)
    return result


def _plan(
    actor: User,
    refs: References,
    parsed: list[tuple[int, dict[str, Any]]],
    result: CheckResult,
    headers: dict[str, str],
    seen: dict[tuple[str, Any], int],
) -> None:
    """Match rows to stored projects (by code, else name and region) and diff them."""
    codes = [d["code"] for _n, d in parsed if d.get("code")]
    by_code: dict[str, Project] = {}
    for start in range(0, len(codes), 500):
        for project in Project.objects.filter(code__in=codes[start : start + 500]).select_related(
            *RELATED
        ):
            by_code[project.code] = project
    uncoded = [(d["name"], d.get("region")) for _n, d in parsed if not d.get("code")]
    by_name: dict[tuple[str, str | None], Project] = {}
    names = {name for name, _r in uncoded}
    for start in range(0, len(names), 500):
        chunk = list(names)[start : start + 500]
        for project in Project.objects.filter(name__in=chunk).select_related(*RELATED):
            by_name.setdefault((project.name, project.region_id), project)
    visible = set(
        Project.objects.filter(project_scope_q(actor))
        .filter(pk__in=[p.pk for p in chain(by_code.values(), by_name.values())])
        .values_list("pk", flat=True)
    )
    first_stage = Stage.objects.order_by("order", "id").first()
    for number, data in parsed:
        key: tuple[str, Any] = (
            ("code", data["code"])
            if data.get("code")
            else ("name", (data["name"], data.get("region")))
        )
        if key in seen:
            result.errors.append(
                RowError(
                    number,
                    headers.get("code" if key[0] == "code" else "name", ""),
                    str(key[1] if key[0] == "code" else key[1][0]),
                    _("与第%d行是同一个项目。") % seen[key],
                )
            )
            continue
        seen[key] = number
        stored = by_code.get(data["code"]) if data.get("code") else by_name.get(key[1])
        if stored is not None and stored.pk not in visible:
            result.errors.append(
                RowError(
                    number,
                    headers.get("code", headers.get("name", "")),
                    str(key[1]),
                    _("该项目不在您的管辖范围内。"),
                )
            )
            continue
        if stored is not None and _same(stored, data):
            result.unchanged += 1  # nothing to validate or write: the common re-import
            continue
        # A copy to change: the stored row keeps the values the commit checks against.
        project = Project() if stored is None else copy.copy(stored)
        before = {} if stored is None else snapshot(project, AUDITED_FIELDS)
        _apply(project, data, refs)
        if stored is None:
            project.stage = first_stage  # type: ignore[assignment]
            if "region" not in data:
                result.errors.append(
                    RowError(
                        number, headers.get("region", "所在区划"), "", _("新项目须填写所在区划。")
                    )
                )
                continue
        # A new project without a code gets a local one when it is written. Related rows
        # came from the caches, so the per-row existence query of each key is skipped.
        # Fields the row does not give were valid when stored (or are optional on a new
        # project), so only the given ones and a new project's required ones are cleaned.
        exclude = [name for name in data if refs.related(name, data[name]) is not None]
        exclude += [
            name
            for name, optional in OPTIONAL.items()
            if name not in data and (optional or stored is not None)
        ]
        if stored is None:
            exclude.append("stage")  # the first stage, set above: no query to check it
            if not data.get("code"):
                exclude.append("code")
        errors = _validation_errors(project, number, headers, data, exclude)
        if errors:
            result.errors.extend(errors)
            continue
        # A new project's audit row is built when it is written; only updates need a diff now.
        changes = {} if stored is None else diff(project, before, snapshot(project, AUDITED_FIELDS))
        planned = PlannedRow(
            row=number,
            data=data,
            stored_pk=stored.pk if stored else None,
            stored_updated_at=stored.updated_at if stored else None,
            changes=changes,
        )
        if stored is None:
            result.creates.append(planned)
        elif changes:
            result.updates.append(planned)
        else:
            result.unchanged += 1


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


@transaction.atomic
def ledger_commit(*, actor: User, result: CheckResult, batch: str) -> tuple[int, int]:
    """Write a clean check's creates and updates with their audit rows; all or nothing."""
    if result.errors:
        raise ValidationError(_("工作簿有错误，不能导入。"))
    ids = [p.stored_pk for p in result.updates]
    locked = {p.pk: p for p in Project.objects.select_for_update().filter(pk__in=ids)}
    for planned in result.updates:
        current = locked.get(planned.stored_pk or 0)
        if current is None or current.updated_at != planned.stored_updated_at:
            raise ImportConflict(_("第%d行的项目在校验后被修改，请重新上传校验。") % planned.row)
    refs = result.refs or References()
    first_stage = Stage.objects.order_by("order", "id").first()
    _local_codes(result.creates, timezone.localdate().year)
    created = 0
    # Written a chunk at a time, so the new rows and their audit rows never pile up in memory.
    for start in range(0, len(result.creates), WRITE_CHUNK):
        new = []
        for planned in result.creates[start : start + WRITE_CHUNK]:
            project = Project(stage=first_stage)
            _apply(project, planned.data, refs)
            new.append(project)
        Project.objects.bulk_create(new, batch_size=500)
        AuditEvent.objects.bulk_create(
            [
                audit_event(
                    actor=actor,
                    source=AuditSource.IMPORT,
                    action=AuditAction.CREATE,
                    obj=project,
                    summary=_("导入（%(batch)s）新建项目“%(name)s”（%(code)s）")
                    % {"batch": batch, "name": project.name, "code": project.code},
                    changes=diff(project, {}, snapshot(project, AUDITED_FIELDS)),
                    project_id=project.pk,
                )
                for project in new
            ],
            batch_size=1000,
        )
        created += len(new)
    events: list[AuditEvent] = []
    changed_fields: set[str] = set()
    updated = []
    for planned in result.updates:
        project = locked[planned.stored_pk or 0]
        _apply(project, {k: planned.data[k] for k in planned.changes if k in planned.data}, refs)
        changed_fields.update(Project._meta.get_field(k).attname for k in planned.changes)  # type: ignore[union-attr]
        updated.append(project)
        events.append(
            audit_event(
                actor=actor,
                source=AuditSource.IMPORT,
                action=AuditAction.UPDATE,
                obj=project,
                summary=_("导入（%(batch)s）修改项目：%(fields)s")
                % {
                    "batch": batch,
                    "fields": "、".join(str(c["label"]) for c in planned.changes.values()),
                },
                changes=planned.changes,
                project_id=project.pk,
            )
        )
    if updated:
        now = timezone.now()
        for project in updated:
            project.updated_at = now
        Project.objects.bulk_update(updated, [*changed_fields, "updated_at"], batch_size=500)
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return created, len(updated)

"""Writing checked ledger rows: plain INSERT (COPY on PostgreSQL) and UPDATE statements.

The check has already converted and validated every value, so the commit needs neither
model instances nor Django's per-object save machinery: each chunk of new rows becomes
one ``executemany`` of one INSERT on SQLite, or one ``COPY … FROM STDIN`` on PostgreSQL
(its fastest way in), and their audit rows are written the same way; updates are one
``executemany`` of one UPDATE per set of changed fields. What the ORM would add is done
here once: the model's defaults for fields a row does not give, the timestamps, and the
values adapted for the database.

Audit change sets are what ``core.audit.diff`` of two snapshots would give, built from
the changed fields only (and the related rows' names from the lookups in memory).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import islice
from json.encoder import encode_basestring
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

from cornerstone.accounts.models import User
from cornerstone.core.choices import AuditAction, AuditSource
from cornerstone.core.models import AuditEvent
from cornerstone.ingest.ledger_reader import References
from cornerstone.projects.models import Project, Stage

WRITE_CHUNK = 2000
Change = dict[str, str | None]

PROJECT_FIELDS = {f.name: f for f in Project._meta.concrete_fields}
# Every column an INSERT fills (the key comes from the database).
INSERT_FIELDS = [f for f in Project._meta.concrete_fields if not f.primary_key]
SUMMARY_LENGTH = AuditEvent._meta.get_field("summary").max_length or 300


class Display:
    """Fields' values as a person reads them (``core.audit.display_value`` for values held
    as keys), each field's rule worked out once, in the language active when made."""

    def __init__(self, refs: References) -> None:
        self.refs = refs
        self.labels = {name: str(f.verbose_name) for name, f in PROJECT_FIELDS.items()}
        self.rules = {name: self._rule(f) for name, f in PROJECT_FIELDS.items()}
        # Fields whose text value is a key or a choice, not what a person reads.
        self.coded = {
            name
            for name, f in PROJECT_FIELDS.items()
            if isinstance(f, models.ForeignKey) or f.choices
        }

    def _rule(self, field: models.Field[Any, Any]) -> Any:
        if isinstance(field, models.ForeignKey):
            return functools.partial(self._related, field)
        if field.choices:
            labels = {value: str(label) for value, label in field.flatchoices}
            return lambda value: labels.get(value, str(value))
        return _plain

    def _related(self, field: models.ForeignKey[Any, Any], value: Any) -> str:
        related = self.refs.related(field.name, value)
        if related is None:
            related = field.related_model._default_manager.get(pk=value)  # type: ignore[union-attr]
        shown, key = str(related), str(value)
        return shown if shown.startswith(f"{key} ") else f"{shown}（{key}）"

    def __call__(self, name: str, value: Any) -> str | None:
        if value is None or value == "":
            return None
        if value.__class__ is str and name not in self.coded:
            return value  # plain text reads as itself: most of a ledger's cells
        return self.rules[name](value)

    def change(self, name: str, before: Any, after: Any) -> Change | None:
        """One field's audit entry, or None when both values read the same."""
        old, new = self(name, before), self(name, after)
        if old == new:
            return None
        return {"label": self.labels[name], "before": old, "after": new}


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _chunks(items: Iterable[Any], size: int = WRITE_CHUNK) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _adapter(field: models.Field[Any, Any]) -> Any:
    """How a checked value of this field goes to the database (None: as it is).

    The values are already what the field's to_python gives, so only the types the
    database driver needs told are adapted: dates and times (SQLite stores text)."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    return None


def _quoted(name: str) -> str:
    return str(connection.ops.quote_name(name))


def _rows_insert(table: str, columns: list[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows (values adapted for the database) in one statement."""
    names = ", ".join(map(_quoted, columns))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Only names from the models' meta, quoted, go into the statements' text.
            with cursor.cursor.copy(f"COPY {_quoted(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {_quoted(table)} ({names}) VALUES ({placeholders})"  # noqa: S608
        cursor.executemany(sql, rows)


def _dumps(changes: dict[str, Any]) -> str:
    # Compact: no spaces, and Chinese as itself rather than \uXXXX escapes. An import's
    # change sets are most of what its commit writes (a new project's is about 2.5 KB so,
    # 4.6 KB as JSONField would write it); JSONField reads either back the same.
    return json.dumps(changes, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def json_text(text: str) -> str:
    """A string as a JSON string literal, as ``_dumps`` writes it (the C encoder's)."""
    return encode_basestring(text)


class AuditWriter:
    """Audit rows of one import, written a chunk at a time with one statement."""

    COLUMNS = (
        "at",
        "actor",
        "actor_name",
        "source",
        "action",
        "object_type",
        "object_id",
        "project_id",
        "summary",
        "changes",
    )

    def __init__(self, actor: User | None, now: dt.datetime) -> None:
        meta = AuditEvent._meta
        self.table = meta.db_table
        self.columns = [str(meta.get_field(name).column) for name in self.COLUMNS]  # type: ignore[union-attr]
        self.fixed = (
            connection.ops.adapt_datetimefield_value(now),
            actor.pk if actor is not None and actor.pk else None,
            (actor.get_full_name() or actor.username) if actor is not None else "",
            str(AuditSource.IMPORT),
        )
        self.object_type = Project._meta.label_lower
        self.pending: list[tuple[Any, ...]] = []

    def add(
        self, action: AuditAction, project_id: int, summary: str, changes: dict[str, Any] | str
    ) -> None:
        """Queue one audit row; ``changes`` as a dict, or as its JSON text already."""
        self.pending.append(
            (
                *self.fixed,
                str(action),
                self.object_type,
                str(project_id),
                project_id,
                summary[:SUMMARY_LENGTH],
                changes if isinstance(changes, str) else _dumps(changes),
            )
        )
        if len(self.pending) >= WRITE_CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            _rows_insert(self.table, self.columns, self.pending)
            self.pending = []


def projects_insert(rows: Sequence[dict[str, Any]], *, stage: Stage, now: dt.datetime) -> None:
    """Insert new projects (field name → checked value; the rest take the model's defaults)."""
    # As a new Project() holds them: a text field without a default is empty, not NULL.
    defaults: dict[str, Any] = {f.name: f.get_default() for f in INSERT_FIELDS}
    defaults.update(stage=stage.pk, created_at=now, updated_at=now)
    names = [f.name for f in INSERT_FIELDS]
    adapters = [(i, a) for i, f in enumerate(INSERT_FIELDS) if (a := _adapter(f)) is not None]
    columns = [f.column for f in INSERT_FIELDS]
    for chunk in _chunks(rows):
        params = []
        for data in chunk:
            values = [data.get(name, defaults[name]) for name in names]
            for index, adapt in adapters:
                if values[index] is not None:
                    values[index] = adapt(values[index])
            params.append(values)
        _rows_insert(Project._meta.db_table, columns, params)


def project_ids(codes: Iterable[str]) -> dict[str, int]:
    """The keys of projects by code (codes are unique), a chunk of codes per query."""
    found: dict[str, int] = {}
    for chunk in _chunks(codes, 900):  # SQLite takes at most 999 parameters
        found.update(Project.objects.filter(code__in=chunk).values_list("code", "id"))
    return found


def projects_update(rows: Iterable[tuple[int, dict[str, Any]]], *, now: dt.datetime) -> int:
    """Set each project's changed fields; rows changing the same fields share a statement."""
    groups: dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]] = {}
    count = 0
    for pk, values in rows:
        groups.setdefault(tuple(values), []).append((pk, values))
        count += 1
    table = _quoted(Project._meta.db_table)
    updated_at = PROJECT_FIELDS["updated_at"]
    stamp = connection.ops.adapt_datetimefield_value(now)
    for names, members in groups.items():
        fields = [PROJECT_FIELDS[name] for name in names]
        adapters = [_adapter(f) for f in fields]
        assignments = ", ".join(f"{_quoted(f.column)} = %s" for f in [*fields, updated_at])
        sql = f"UPDATE {table} SET {assignments} WHERE {_quoted('id')} = %s"  # noqa: S608
        for chunk in _chunks(members):
            params = []
            for pk, values in chunk:
                row = [
                    adapt(v) if adapt is not None and v is not None else v
                    for v, adapt in zip((values[n] for n in names), adapters, strict=True)
                ]
                params.append([*row, stamp, pk])
            with connection.cursor() as cursor:
                cursor.executemany(sql, params)
    return count


def now() -> dt.datetime:
    """The commit's one timestamp (created, updated, audited)."""
    return timezone.now()

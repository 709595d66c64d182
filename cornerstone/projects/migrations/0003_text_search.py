"""Indexes for the ledger's text search on name, code and owner, one kind per engine.

PostgreSQL: trigram GIN indexes on UPPER(column), the expression Django's ``icontains``
compares, so ``%…%`` matches use the index. SQLite: an FTS5 table with the trigram
tokenizer over the same three columns, kept in step by triggers; ``filters.py`` queries
it for terms of three or more characters. Neither is model state, so a later migration
that rebuilds the project table on SQLite drops the triggers: the test
``test_text_search_index_follows_every_change`` fails then, and the triggers must be
created again there.
"""

from django.db import migrations

SQLITE_TABLE = "projects_project_search"
SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5(
        name, code, owner_org,
        content='projects_project', content_rowid='id', tokenize='trigram'
    )""",
    f"""CREATE TRIGGER {SQLITE_TABLE}_insert AFTER INSERT ON projects_project BEGIN
        INSERT INTO {SQLITE_TABLE}(rowid, name, code, owner_org)
        VALUES (new.id, new.name, new.code, new.owner_org);
    END""",
    f"""CREATE TRIGGER {SQLITE_TABLE}_delete AFTER DELETE ON projects_project BEGIN
        INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rowid, name, code, owner_org)
        VALUES ('delete', old.id, old.name, old.code, old.owner_org);
    END""",
    f"""CREATE TRIGGER {SQLITE_TABLE}_update AFTER UPDATE OF name, code, owner_org
        ON projects_project BEGIN
        INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rowid, name, code, owner_org)
        VALUES ('delete', old.id, old.name, old.code, old.owner_org);
        INSERT INTO {SQLITE_TABLE}(rowid, name, code, owner_org)
        VALUES (new.id, new.name, new.code, new.owner_org);
    END""",
    f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {SQLITE_TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {SQLITE_TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {SQLITE_TABLE}_update",
    f"DROP TABLE IF EXISTS {SQLITE_TABLE}",
]
POSTGRES_COLUMNS = ["name", "code", "owner_org"]
POSTGRES_FORWARD = [
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    *(
        f"CREATE INDEX IF NOT EXISTS project_{column}_trgm ON projects_project "
        f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        for column in POSTGRES_COLUMNS
    ),
]
POSTGRES_BACKWARD = [f"DROP INDEX IF EXISTS project_{column}_trgm" for column in POSTGRES_COLUMNS]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_FORWARD)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_FORWARD)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_BACKWARD)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_default_lifecycle")]

    operations = [migrations.RunPython(forwards, backwards)]

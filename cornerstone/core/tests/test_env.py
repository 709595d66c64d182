"""Settings from the environment: every bad value stops start-up naming its variable."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config import env

VAR = "CORNERSTONE_TEST_VALUE"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        (" Yes ", True),
        ("ON", True),
        ("0", False),
        ("off", False),
        ("no", False),
        ("FALSE", False),
        ("", False),
    ],
)
def test_boolean_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv(VAR, raw)
    assert env.boolean(VAR, default=not expected) is expected


def test_unset_variables_take_their_defaults(monkeypatch):
    monkeypatch.delenv(VAR, raising=False)
    assert env.boolean(VAR, default=True) is True
    assert env.integer(VAR, 20) == 20
    assert env.string(VAR, "x") == "x"
    assert env.csv(VAR, "a, b") == ["a", "b"]


@pytest.mark.parametrize("raw", ["maybe", "2", "yes please", "真"])
def test_an_unclear_boolean_is_refused(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ImproperlyConfigured, match=VAR):
        env.boolean(VAR, default=False)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("abc", "not an integer"),
        ("2.5", "not an integer"),
        ("", "not an integer"),
        ("0", "positive"),
        ("-3", "positive"),
    ],
)
def test_integers_must_be_whole_and_positive(monkeypatch, raw, problem):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ImproperlyConfigured, match=f"{VAR}.*{problem}"):
        env.integer(VAR, 20)


def test_an_integer_is_read(monkeypatch):
    monkeypatch.setenv(VAR, " 35 ")
    assert env.integer(VAR, 20) == 35


def test_csv_drops_blank_items(monkeypatch):
    monkeypatch.setenv(VAR, " example.org, ,127.0.0.1,")
    assert env.csv(VAR, "") == ["example.org", "127.0.0.1"]


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("nonsense", "not a database URL"),
        ("", "not a database URL"),
        ("mysql://u:p@localhost/db", "only SQLite and PostgreSQL"),
        ("oracle://u:p@localhost/db", "only SQLite and PostgreSQL"),
    ],
)
def test_an_unusable_database_url_is_refused(monkeypatch, url, problem):
    monkeypatch.setenv(VAR, url)
    with pytest.raises(ImproperlyConfigured, match=f"{VAR}.*{problem}"):
        env.database(VAR, "sqlite:///unused.sqlite3")


def test_sqlite_gets_wal_and_immediate_transactions_and_its_folder(monkeypatch, tmp_path):
    path = tmp_path / "nested" / "db.sqlite3"
    monkeypatch.setenv(VAR, f"sqlite:///{path}")
    config = env.database(VAR, "")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["CONN_MAX_AGE"] == 0
    assert path.parent.is_dir()


def test_postgresql_is_accepted_as_given(monkeypatch):
    monkeypatch.setenv(VAR, "postgres://cs:secret@db.internal:5433/cornerstone")
    config = env.database(VAR, "")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "cornerstone")
    assert "OPTIONS" not in config or "transaction_mode" not in config["OPTIONS"]


def test_postgresql_sessions_get_the_planner_cost_for_ssds(monkeypatch):
    monkeypatch.setenv(VAR, "postgres://cs@db.internal/cornerstone")
    assert env.database(VAR, "")["OPTIONS"]["options"] == "-c random_page_cost=1.1"
    assert env.database(VAR, "", random_page_cost=4)["OPTIONS"]["options"] == (
        "-c random_page_cost=4"
    )
    # Options given in the URL win.
    monkeypatch.setenv(VAR, "postgres://cs@db/cornerstone?options=-c%20work_mem%3D64MB")
    assert env.database(VAR, "")["OPTIONS"]["options"] == "-c work_mem=64MB"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("fast", "not a number"),
        ("0", "positive"),
        ("-1", "positive"),
        ("nan", "positive"),
        ("inf", "positive"),
    ],
)
def test_numbers_must_be_positive(monkeypatch, raw, problem):
    monkeypatch.setenv("CORNERSTONE_TEST_NUMBER", raw)
    with pytest.raises(ImproperlyConfigured, match=problem):
        env.number("CORNERSTONE_TEST_NUMBER", 1.0)
    monkeypatch.setenv("CORNERSTONE_TEST_NUMBER", "1.5")
    assert env.number("CORNERSTONE_TEST_NUMBER", 1.0) == 1.5


def test_a_short_secret_key_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv(VAR, "x" * 31)
    with pytest.raises(ImproperlyConfigured, match=VAR):
        env.secret_key(VAR, tmp_path / "secret.key")
    monkeypatch.setenv(VAR, "x" * 32)
    assert env.secret_key(VAR, tmp_path / "secret.key") == "x" * 32
    assert not (tmp_path / "secret.key").exists()


def test_without_a_secret_key_one_is_made_once_and_kept_private(monkeypatch, tmp_path):
    monkeypatch.delenv(VAR, raising=False)
    path = tmp_path / "var" / "secret.key"
    first = env.secret_key(VAR, path)
    assert len(first) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert env.secret_key(VAR, path) == first


def _start(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """Load the settings in a fresh interpreter, as start-up does."""
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CORNERSTONE_")},
        "CORNERSTONE_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **variables,
    }
    return subprocess.run(  # noqa: S603 (our own interpreter and a fixed script)
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_start_up_fails_loudly_on_a_bad_value_and_names_the_variable(tmp_path):
    result = _start(tmp_path, CORNERSTONE_EVIDENCE_MAX_MB="lots")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "CORNERSTONE_EVIDENCE_MAX_MB='lots'" in result.stderr
    assert _start(tmp_path).returncode == 0

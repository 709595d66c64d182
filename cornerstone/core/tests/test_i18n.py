"""The English UI: switching language, translated service errors, a complete catalogue.

The source strings are Simplified Chinese and the UI is Chinese unless a user picks English
with the language switcher (Django's ``set_language`` view). The catalogue checks read the
.po and .mo files with the standard library only (no GNU gettext, no polib), so that they run
wherever the tests run; see docs/i18n.md for how to update the catalogue.
"""

from __future__ import annotations

import ast
import gettext
import io
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.translation.template import templatize

from cornerstone.core.testing.factories import project_form_data
from cornerstone.projects.models import Project

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"
UPDATE_HINT = "see docs/i18n.md: run makemessages, translate, run compilemessages"


def switch_language(client, language: str, next_url: str = "/projects/"):
    """Pick a language the way the switcher in base.html does."""
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response.url == next_url
    return response


# The ledger page in either language.

CHINESE_LEDGER = ["项目台账", "总投资", "计划开工", "市重点", "新开工", "招商清单", "1亿元以上"]
ENGLISH_LEDGER = [
    "Project ledger",  # 项目台账, the heading and the menu
    "Total investment",  # a column header
    "Planned start",  # a column header
    "City key",  # the tier choice of the cast's projects
    "New start",  # the kind choice
    "Investment attraction list",  # one of the six lists
    "CNY 100m and above",  # an investment size filter choice
]


@pytest.mark.django_db
def test_ledger_is_chinese_by_default(client, cast, ledger):
    client.force_login(cast.xiaodian_admin)
    content = client.get("/projects/").content.decode()
    assert '<html lang="zh-hans">' in content
    assert ledger.xiaodian.name in content
    for text in CHINESE_LEDGER:
        assert text in content
    assert "Project ledger" not in content


@pytest.mark.django_db
def test_switching_to_english_translates_the_ledger_and_back(client, cast, ledger):
    client.force_login(cast.xiaodian_admin)
    switch_language(client, "en")

    content = client.get("/projects/").content.decode()
    assert '<html lang="en">' in content
    for text in ENGLISH_LEDGER:
        assert text in content, text
    for text in CHINESE_LEDGER:
        assert text not in content, text
    # Data stays as entered: project names are not translated.
    assert ledger.xiaodian.name in content

    switch_language(client, "zh-hans")
    content = client.get("/projects/").content.decode()
    assert "项目台账" in content
    assert "Project ledger" not in content


@pytest.mark.django_db
def test_one_users_choice_does_not_change_anothers_language(client, cast):
    client.force_login(cast.xiaodian_admin)
    switch_language(client, "en")
    assert "Project ledger" in client.get("/projects/").content.decode()

    other = Client()
    other.force_login(cast.taiyuan_admin)
    assert "项目台账" in other.get("/projects/").content.decode()


@pytest.mark.django_db
def test_switcher_names_each_language_in_itself(client, cast):
    """A reader of either language can find theirs, whichever UI is showing."""
    client.force_login(cast.xiaodian_admin)
    for language in ("zh-hans", "en"):
        switch_language(client, language)
        content = client.get("/projects/").content.decode()
        assert '<option value="zh-hans" lang="zh-hans"' in content
        assert ">简体中文</option>" in content
        assert ">English</option>" in content


@pytest.mark.django_db
def test_filter_errors_are_english_with_english_punctuation(client, cast, ledger):
    client.force_login(cast.xiaodian_admin)
    switch_language(client, "en")
    content = client.get("/projects/?min_investment=abc").content.decode()
    assert "Some filters are invalid:" in content
    assert ": Enter a number." in content
    assert "：" not in content


# Errors raised by services come back in the user's language.


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "chinese", "english"),
    [
        ({"total_investment": "-1"}, "不能为负数。", "Cannot be negative."),
        (
            {"planned_start_date": "2028-01-01", "planned_completion_date": "2027-01-01"},
            "计划竣工日期不能早于计划开工日期。",
            "The planned completion date cannot be earlier than the planned start date.",
        ),
    ],
)
def test_service_validation_error_follows_the_language(
    client, cast, geo, overrides, chinese, english
):
    client.force_login(cast.xiaodian_admin)
    url = reverse("projects:create")

    response = client.post(url, project_form_data(geo, **overrides))
    content = response.content.decode()
    assert response.status_code == 400
    assert chinese in content
    assert english not in content

    switch_language(client, "en", url)
    response = client.post(url, project_form_data(geo, **overrides))
    content = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="form-errors"' in content
    assert english in content
    assert chinese not in content
    assert "Please correct the following before saving:" in content
    assert not Project.objects.filter(name="半导体硅材料产业园项目").exists()


@pytest.mark.django_db
def test_success_message_after_create_is_english(client, cast, geo):
    client.force_login(cast.xiaodian_admin)
    switch_language(client, "en", reverse("projects:create"))
    response = client.post(reverse("projects:create"), project_form_data(geo), follow=True)
    assert "Project “半导体硅材料产业园项目” has been created." in response.content.decode()


# The catalogue: every string translated, nothing fuzzy, placeholders kept, .mo up to date.


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def describe(self) -> str:
        where = self.references[0] if self.references else f"django.po:{self.line}"
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"{context}{self.msgid!r} ({where})"


_KEYWORD_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


def read_po(path: Path) -> list[Entry]:
    """Parse a .po file (the subset GNU gettext writes); obsolete #~ entries are skipped."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None  # which string a continuation line extends

    def start(line_no: int) -> Entry:
        nonlocal current
        if current is None or current_has_msgstr():
            current = Entry(line=line_no)
            entries.append(current)
        return current

    def current_has_msgstr() -> bool:
        return current is not None and bool(current.msgstr)

    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            entry = start(line_no)
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#:"):
                entry.references.extend(line[2:].split())
            continue
        match = _KEYWORD_LINE.match(line)
        if match:
            keyword, index, literal = match.groups()
            value = ast.literal_eval(literal)
            if keyword.startswith("msgstr"):
                assert current is not None, f"msgstr without msgid at line {line_no}"
                target = ("msgstr", int(index or 0))
                current.msgstr[target[1]] = value
            else:
                entry = start(line_no)
                target = (keyword, 0)
                setattr(entry, keyword, value)
            continue
        assert line.startswith('"') and current is not None and target is not None, (
            f"{path}:{line_no}: cannot parse {line!r}"
        )
        value = ast.literal_eval(line)
        if target[0] == "msgstr":
            current.msgstr[target[1]] += value
        else:
            setattr(current, target[0], getattr(current, target[0]) + value)
    return entries


def catalogue() -> list[Entry]:
    return [entry for entry in read_po(PO_FILE) if entry.msgid != ""]


def test_catalogue_has_no_untranslated_or_fuzzy_entries():
    entries = catalogue()
    assert entries, f"{PO_FILE} has no entries"
    untranslated = [e.describe() for e in entries if not all(e.msgstr.values()) or not e.msgstr]
    fuzzy = [e.describe() for e in entries if "fuzzy" in e.flags]
    assert not untranslated, (
        f"{len(untranslated)} untranslated msgid(s) in {PO_FILE} ({UPDATE_HINT}):\n"
        + "\n".join(untranslated)
    )
    assert not fuzzy, (
        f"{len(fuzzy)} fuzzy msgid(s) in {PO_FILE}; check each translation and remove "
        f"the fuzzy flag ({UPDATE_HINT}):\n" + "\n".join(fuzzy)
    )


def test_header_is_final_and_utf8():
    header = next(entry for entry in read_po(PO_FILE) if entry.msgid == "")
    assert "fuzzy" not in header.flags, "the header is still marked fuzzy: the .mo would skip it"
    assert "charset=UTF-8" in header.msgstr[0]
    assert "Language: en\n" in header.msgstr[0]


_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")
# HTML elements only: "<令牌>" and "<token>" in an API hint are words, not markup.
_TAG = re.compile(r"</?(?:a|b|br|code|em|i|kbd|li|p|small|span|strong|ul)\b[^>]*>")


def test_translations_keep_placeholders_and_markup():
    broken = []
    for entry in catalogue():
        for translation in entry.msgstr.values():
            for pattern in (_PLACEHOLDER, _TAG):
                if sorted(pattern.findall(entry.msgid)) != sorted(pattern.findall(translation)):
                    broken.append(f"{entry.describe()} -> {translation!r}")
    assert not broken, "translations that lose or add a placeholder or tag:\n" + "\n".join(broken)


def test_compiled_catalogue_matches_the_po():
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    stale = []
    for entry in catalogue():
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            if compiled.get(key) != entry.msgstr.get(0):
                stale.append(entry.describe())
        elif any(compiled.get((key, n)) != text for n, text in entry.msgstr.items()):
            stale.append(entry.describe())
    assert not stale, (
        f"{MO_FILE.name} is older than {PO_FILE.name}; run "
        f"`manage.py compilemessages --ignore=.venv` and commit both files. Differs for:\n"
        + "\n".join(stale)
    )


# Strings in the source that the catalogue does not have (makemessages not run since).

ROOT = Path(settings.BASE_DIR)
IGNORED_DIRS = {".venv", "var", "bench", "node_modules", "__pycache__"}
# xgettext's Python keywords plus the ones Django's makemessages adds: name -> (context
# argument index or None, message argument index).
KEYWORDS = {
    "_": (None, 0),
    "gettext": (None, 0),
    "gettext_lazy": (None, 0),
    "gettext_noop": (None, 0),
    "ngettext": (None, 0),
    "ngettext_lazy": (None, 0),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 1),
    "npgettext_lazy": (0, 1),
}


def source_files() -> list[Path]:
    files = []
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT)
        if any(part in IGNORED_DIRS or part.startswith(".") for part in relative.parts):
            continue
        if path.suffix in {".py", ".html", ".txt"} and path.is_file():
            files.append(path)
    return files


def _python_messages(source: str) -> list[tuple[str | None, str, int]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in KEYWORDS:
            continue
        context_at, message_at = KEYWORDS[name]
        args = node.args
        if len(args) <= message_at:
            continue
        wanted = [args[message_at]] + ([args[context_at]] if context_at is not None else [])
        if not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in wanted):
            continue
        context = args[context_at].value if context_at is not None else None  # type: ignore[attr-defined]
        found.append((context, args[message_at].value, node.lineno))  # type: ignore[attr-defined]
    return found


def _template_messages(source: str, origin: str) -> list[tuple[str | None, str, int]]:
    """Django's templatize turns tags into gettext() calls amid blanked-out text."""
    # Indentation means nothing here; tokenize would trip on the blanked-out text's.
    code = "\n".join(line.lstrip() for line in templatize(source, origin=origin).splitlines())
    tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    found = []
    for i, token in enumerate(tokens):
        if token.type != tokenize.NAME or token.string not in KEYWORDS:
            continue
        if i + 1 >= len(tokens) or tokens[i + 1].string != "(":
            continue
        args: list[str | None] = [""]
        for inner in tokens[i + 2 :]:
            if inner.string == ")":
                break
            if inner.string == ",":
                args.append("")
            elif inner.type == tokenize.STRING and args[-1] is not None:
                args[-1] += ast.literal_eval(inner.string)
            elif inner.type not in (tokenize.NL, tokenize.NEWLINE):
                args[-1] = None  # not a literal
        context_at, message_at = KEYWORDS[token.string]
        if len(args) <= message_at or args[message_at] is None:
            continue
        context = args[context_at] if context_at is not None else None
        found.append((context, args[message_at], token.start[0]))  # type: ignore[arg-type]
    return found


def test_every_marked_string_in_the_source_is_translated():
    translated = {e.key for e in catalogue() if e.msgstr and all(e.msgstr.values())}
    missing = []
    for path in source_files():
        source = path.read_text(encoding="utf-8")
        relative = path.relative_to(ROOT)
        if path.suffix == ".py":
            messages = _python_messages(source)
        else:
            messages = _template_messages(source, str(relative))
        for context, msgid, line in messages:
            if msgid and (context, msgid) not in translated:
                label = f"[{context}] " if context is not None else ""
                missing.append(f"{label}{msgid!r} ({relative}:{line})")
    assert not missing, (
        f"{len(missing)} marked string(s) with no English translation in {PO_FILE} "
        f"({UPDATE_HINT}):\n" + "\n".join(missing)
    )

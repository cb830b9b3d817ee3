"""Property: random text (control, bidi, HTML-significant characters) in any string field of the minimal
notice, or of a section's table in the counsel notice (caption, headings, cells, row ids), is either refused
by the checker with messages, or built into pages that hold nothing outside the published-HTML allowlist and
no script but the theme's. Never a traceback."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import COUNSEL, MINIMAL, MINIMAL_MKDOCS, copy_notice, mkdocs
from noticegen.checks.notice import check_notice
from noticegen.mkdocs_plugin.page_policy import inline_script_problems
from noticegen.text.markup import page_policy_problems

# Text made only of markup: most of it passes the checker, so the pages it builds are what is tested.
MARKUP = st.lists(
    st.sampled_from(["*", "_", "[a]", "(b)", "#", "&amp;", "&", "'", "!", "|", "\\", "-", " ", "x", "1.", "é", "中"]),
    min_size=1,
    max_size=8,
).map("".join)
HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(list("<>&\"'`/=;:#*_[]()!{}|\\-\n\r\t\x00\x1b\x7f\x85\u202e\u2066\u200b\ufeff")),
        st.sampled_from(["</title>", "<script>", "javascript:", "[x]: https://t.example", "{#x}", "&lt;", "{{"]),
        st.characters(codec="utf-8"),
    ),
    min_size=1,
    max_size=12,
).map("".join)


def string_fields(value: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in string_fields(item, (*path, key))]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in string_fields(item, (*path, index))]
    return [path] if isinstance(value, str) else []


FILES = sorted(str(path.relative_to(MINIMAL)) for path in MINIMAL.rglob("*.yaml"))
FIELDS = [
    (MINIMAL, relative, path)
    for relative in FILES
    for path in string_fields(yaml.safe_load((MINIMAL / relative).read_text(encoding="utf-8")))
]
TABLE_FIELDS = [
    (COUNSEL, relative, path)
    for relative in ("locales/en/notice.yaml", "locales/de/notice.yaml")
    for path in string_fields(yaml.safe_load((COUNSEL / relative).read_text(encoding="utf-8")))
    if "table" in path and path[-1] != "id"  # a row id is an identifier: the schema refuses any other text
]


BUILT: list = []
# Markup the checker accepts, in a title and in a table cell: every run builds pages, whatever it draws.
ACCEPTED_MARKUP = " *x* & 1"
TITLE = next(field for field in FIELDS if field[1:] == ("locales/en/notice.yaml", ("title",)))
CELL = next(field for field in TABLE_FIELDS if field[2][-3:] == ("rows", 0, "purpose"))


def assign(document: Any, path: tuple, text: str, keep: bool) -> None:
    for part in path[:-1]:
        document = document[part]
    document[path[-1]] = (document[path[-1]] + text) if keep else text


@settings(max_examples=16, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(FIELDS), text=st.one_of(MARKUP, HOSTILE), keep=st.booleans())
@example(field=TITLE, text=ACCEPTED_MARKUP, keep=True)
def test_hostile_text_in_any_field_never_publishes_markup_or_crashes(field, text: str, keep: bool) -> None:
    build_with(field, text, keep)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(TABLE_FIELDS), text=st.one_of(MARKUP, HOSTILE), keep=st.booleans())
@example(field=CELL, text=ACCEPTED_MARKUP, keep=True)
def test_hostile_text_in_a_table_never_publishes_markup_or_crashes(field, text: str, keep: bool) -> None:
    build_with(field, text, keep)


def build_with(field: tuple, text: str, keep: bool) -> None:
    notice, relative, path = field
    with tempfile.TemporaryDirectory() as folder:
        root = copy_notice(notice, Path(folder) / "site")
        document = yaml.safe_load((root / relative).read_text(encoding="utf-8"))
        assign(document, path, text, keep)
        (root / relative).write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
        report = check_notice(root).report  # must not raise
        if report.errors:
            return
        BUILT.append(field)
        (root / "generated").mkdir()
        (root / "mkdocs.yml").write_text(MINIMAL_MKDOCS)
        result = mkdocs(root, "build", check=False)
        assert "Traceback" not in result.stderr
        assert result.returncode == 0, result.stderr
        for page in (root / "site").rglob("*.html"):
            html = page.read_text(encoding="utf-8")
            assert page_policy_problems(html) == [], (page, relative, path, text)
            assert inline_script_problems(html) == [], (page, relative, path, text)
        shutil.rmtree(root / "site")


def test_the_property_built_sites() -> None:
    """Runs after the properties: it is no test of the pages if every example was refused by the checker (the
    explicit examples are accepted markup, so this fails when the checker refuses it or a property is skipped)."""
    assert any(field[0] == MINIMAL for field in BUILT), "no example passed the checker, so no page was built"
    assert any(field[0] == COUNSEL for field in BUILT), "no table example passed the checker: no page was built"

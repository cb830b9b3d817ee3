"""Rich tables and clause anchors, end to end on a company's notice (tests/fixtures/counsel: en source, de).

The fixture is built as a site once; its history (two releases: a table edited cell by cell, a clause retired
through an alias) is made with the release command in a copy, as a company's would be.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
import rfc8785

from conftest import (
    COUNSEL,
    COUNSEL_BUILT_ON,
    COUNSEL_VERSIONS,
    MINIMAL_MKDOCS,
    PROJECT,
    build_fixture_site,
    copy_notice,
    mkdocs,
    release_counsel_history,
    today_is,
)
from noticegen.checks.notice import check_notice
from noticegen.cli import main
from noticegen.core.hashing import section_hash
from noticegen.export.documents import json_schema
from noticegen.model.notice import build_notice
from noticegen.render.notice_page import section_html
from test_export import content_of

SITE_URL = "https://example.org/privacy/"
PAGES = {"en": "index.html", "de": "de/index.html"}
TABLE = re.compile(r'<table class="notice-table__table" role="table">.*?</table>', re.DOTALL)
FIRST, SECOND = COUNSEL_VERSIONS


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The counsel fixture built as it stands (no version released: the working text is the page)."""
    return build_fixture_site(COUNSEL, tmp_path_factory.mktemp("counsel") / "project", SITE_URL) / "site"


def page(site: Path, locale: str) -> str:
    return (site / PAGES[locale]).read_text(encoding="utf-8")


def table_of(html: str, section: str = "purposes-and-lawful-bases") -> ElementTree.Element:
    """The first table of a section of a page, as a tree (the generator writes it as well-formed markup)."""
    found = TABLE.search(html, html.index(f'id="{section}"'))
    assert found is not None, "the page has no section table"
    return ElementTree.fromstring(found.group(0).replace("<br>", "<br />"))


def text(element: ElementTree.Element) -> str:
    return " ".join("".join(element.itertext()).split())


@pytest.mark.parametrize("locale", PAGES)
def test_the_page_has_a_real_table_whose_cells_hold_lists_and_paragraphs(site: Path, locale: str) -> None:
    table = table_of(page(site, locale))
    caption = table.find("caption")
    assert caption is not None and text(caption)
    headers = table.findall("thead/tr/th")
    assert [th.get("scope") for th in headers] == ["col", "col", "col"]
    rows = table.findall("tbody/tr")
    assert [row.get("id") for row in rows] == ["basis-account", "basis-security", "basis-marketing", "basis-legal"]
    for row in rows:
        row_header, *cells = list(row)
        assert (row_header.tag, row_header.get("scope")) == ("th", "row")
        assert [cell.tag for cell in cells] == ["td", "td"]
        data, basis = cells
        assert len(data.findall("ul/li")) == 2  # a list in a cell
        assert len(basis.findall("p")) == 2  # two paragraphs in a cell
        # On a phone each cell shows its column's heading (notice.css): the heading of its own column.
        assert [cell.get("data-label") for cell in (row_header, *cells)] == [text(th) for th in headers]


def test_the_table_stands_where_the_body_places_it(site: Path) -> None:
    html = page(site, "en")
    section = html[html.index('id="purposes-and-lawful-bases"') :]
    intro, table, after = (
        section.index(marker) for marker in ('id="purposes-intro"', "<table", 'id="legitimate-interests"')
    )
    assert intro < table < after
    assert "{{table}}" not in html


@pytest.mark.parametrize("locale", PAGES)
def test_every_clause_is_an_anchor_with_a_permalink_in_every_locale(site: Path, locale: str) -> None:
    html = page(site, locale)
    title = {"en": "Link to this clause", "de": "Link zu dieser Klausel"}[locale]
    clauses = {
        "contact-details": "p", "account-data": "li", "booking-data": "li", "usage-data": "li",
        "purposes-intro": "p", "basis-account": "tr", "basis-security": "tr", "basis-marketing": "tr",
        "basis-legal": "tr", "legitimate-interests": "p", "sharing-processors": "li", "sharing-clinics": "li",
        "sharing-authorities": "li", "transfers-scc": "p", "retention-periods": "p", "objection": "p",
        "objection-marketing": "p",
    }  # fmt: skip
    for clause_id, tag in clauses.items():
        assert len(re.findall(rf'\bid="{clause_id}"', html)) == 1, clause_id
        assert re.search(rf'<{tag}\b[^>]*\bid="{clause_id}"', html), clause_id
        links = re.findall(rf'<a [^>]*href="#{clause_id}"[^>]*></a>', html)
        assert (
            [link for link in links if "notice-permalink" in link]
            == [link for link in links if f'title="{title}"' in link and f'aria-label="{title}"' in link]
            != []
        ), clause_id
    assert "[§" not in html  # no marker is published as text


def document(site: Path, name: str) -> dict:
    return json.loads((site / "api" / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The counsel notice with two versions (conftest.release_counsel_history), built when the second is in force."""
    root = copy_notice(COUNSEL, tmp_path_factory.mktemp("counsel-history") / "project")
    release_counsel_history(root)
    (root / "generated").mkdir()
    (root / "mkdocs.yml").write_text(MINIMAL_MKDOCS, encoding="utf-8")
    with today_is(COUNSEL_BUILT_ON):
        mkdocs(root, "build", "--strict")
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("locale", ["en", "de"])
def test_the_json_gives_the_table_as_rows_of_cells_and_the_clauses(history: Path, locale: str) -> None:
    version = document(history / "site", f"v/{FIRST}/{locale}.json")
    sections = {section["id"]: section for section in version["sections"]}
    table = sections["purposes-and-lawful-bases"]["table"]
    assert [column["id"] for column in table["columns"]] == ["purpose", "data", "basis"]
    assert [row["id"] for row in table["rows"]] == ["basis-account", "basis-security", "basis-marketing", "basis-legal"]
    cell = table["rows"][0]["cells"][1]
    assert cell["column"] == "data" and cell["markdown"].startswith("- ")
    assert cell["html"].startswith("<ul>") and "\n" in cell["text"]
    basis = table["rows"][0]["cells"][2]
    assert basis["html"].count("<p>") == 2
    clauses = sections["purposes-and-lawful-bases"]["clauses"]
    assert [(clause["id"], clause["kind"]) for clause in clauses] == [
        ("purposes-intro", "paragraph"),
        ("basis-account", "table-row"),
        ("basis-security", "table-row"),
        ("basis-marketing", "table-row"),
        ("basis-legal", "table-row"),
        ("legitimate-interests", "paragraph"),
    ]
    prefix = "" if locale == "en" else "de/"
    assert clauses[0]["url"] == f"{SITE_URL}{prefix}versions/{FIRST}/#purposes-intro"
    assert [c["kind"] for c in sections["data-we-collect"]["clauses"]] == ["list-item"] * 3
    # Absent, not empty, where a section has neither: a document without them is as it always was.
    assert "table" not in sections["who-we-are"] and "clauses" not in sections["your-rights"]


def test_the_all_locales_document_gives_each_text_per_locale(history: Path) -> None:
    combined = document(history / "site", f"v/{FIRST}/notice.json")
    section = next(s for s in combined["sections"] if s["id"] == "purposes-and-lawful-bases")
    table = section["table"]
    assert table["caption"] == {
        "en": "Purposes of processing and their lawful bases",
        "de": "Zwecke der Verarbeitung und ihre Rechtsgrundlagen",
    }
    assert table["columns"][0] == {"id": "purpose", "header": {"en": "Purpose", "de": "Zweck"}}
    assert set(table["rows"][0]["cells"][2]["markdown"]) == {"en", "de"}
    assert section["clauses"][0]["url"] == {
        "en": f"{SITE_URL}versions/{FIRST}/#purposes-intro",
        "de": f"{SITE_URL}de/versions/{FIRST}/#purposes-intro",
    }


def test_every_document_validates_and_its_digest_leaves_out_only_renderings_and_addresses(history: Path) -> None:
    schema = json_schema(SITE_URL)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((history / "site" / "api" / "v").rglob("*.json")):
        version = json.loads(path.read_text(encoding="utf-8"))
        assert [error.message for error in validator.iter_errors(version)] == [], path
        assert hashlib_digest(content_of(version)) == version["integrity"]["digest"], path
    # A cell's Markdown is covered: the digest of the version that changed a cell differs from the first's.
    assert (
        document(history / "site", f"v/{FIRST}/en.json")["integrity"]["digest"]
        != document(history / "site", f"v/{SECOND}/en.json")["integrity"]["digest"]
    )


def hashlib_digest(content: dict) -> str:
    import hashlib

    return hashlib.sha256(rfc8785.dumps(content)).hexdigest()


def test_the_readme_example_verifies_a_document_with_tables_and_clauses(history: Path, monkeypatch) -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```python\n(import hashlib.*?)```", readme, re.DOTALL).group(1)
    published = history / "site" / "api" / "v" / SECOND / "de.json"
    example = example.replace(
        'verify("https://example.github.io/privacy/api/v/2025-09-23/en.json")', f'verify("{published.as_uri()}")'
    )
    printed = []
    monkeypatch.setattr("builtins.print", lambda *args: printed.append(args))
    exec(compile(example, "README.md", "exec"), {})
    assert printed == [(True,)]


def test_notice_verify_passes_on_a_site_with_tables_and_clauses(history: Path, capsys) -> None:
    assert main(["verify", str(history / "site")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if line.startswith("FAILED")] == []
    assert any(line.startswith(f"latest: {SECOND}") for line in out)


@pytest.mark.parametrize("locale", ["en", "de"])
def test_the_redline_compares_the_table_cell_by_cell(history: Path, locale: str) -> None:
    prefix = "" if locale == "en" else "de/"
    html = (history / "site" / prefix / "versions" / SECOND / "changes" / "index.html").read_text(encoding="utf-8")
    table = table_of(html)
    rows = {row.get("class"): row for row in table.findall("tbody/tr")}
    assert set(rows) == {"notice-row-unchanged", "notice-row-changed", "notice-row-added", "notice-row-removed"}
    changed = rows["notice-row-changed"]
    # Only the reworded cell has marks; the row header and the list of data are as they were.
    marked = [bool(cell.findall(".//ins") or cell.findall(".//del")) for cell in changed]
    assert marked == [False, False, True]
    assert not rows["notice-row-unchanged"].findall(".//ins")
    assert all(cell.findall(".//ins") and not cell.findall(".//del") for cell in rows["notice-row-added"])
    assert all(cell.findall(".//del") and not cell.findall(".//ins") for cell in rows["notice-row-removed"])


def test_a_retired_clause_leads_on_through_its_alias(history: Path) -> None:
    html = (history / "site" / "de" / "index.html").read_text(encoding="utf-8")
    assert re.search(
        r'<p class="notice-clause" id="objection"><span class="notice-alias" id="objection-marketing">', html
    )


def test_a_released_clause_that_disappears_needs_an_alias(history: Path, tmp_path: Path, run_check) -> None:
    root = tmp_path / "project"
    for folder in ("notice", "locales"):
        shutil.copytree(history / folder, root / folder)
    edit(root / "notice/notice.yaml", "  objection-marketing: objection\n", "")
    edit(root / "locales/en/notice.yaml", "[§retention-periods] We keep", "We keep")
    edit(root / "locales/de/notice.yaml", "[§retention-periods] Wir bewahren", "Wir bewahren")
    result = run_check(root)
    assert result.lines() == [
        "notice/notice.yaml:15:1: error: clause 'objection-marketing' of released version 2026-02-01 is gone from "
        "the notice (its anchor must keep working: add `objection-marketing: <the section or clause that replaced "
        "it>` under aliases)",
        "notice/notice.yaml:15:1: error: clause 'retention-periods' of released version 2026-02-01 is gone from the "
        "notice (its anchor must keep working: add `retention-periods: <the section or clause that replaced it>` "
        "under aliases)",
    ]


def test_a_section_without_a_table_hashes_as_before_tables_existed() -> None:
    # The stamps a released translation recorded stay valid: the hash of title and body alone is unchanged.
    assert section_hash("Introduction", "We care about your privacy. See [](#rights).\n") == "c8141bad3cd8"
    assert section_hash("Introduction", "x", "") == section_hash("Introduction", "x")
    assert section_hash("Introduction", "x", '["",[],[]]') != section_hash("Introduction", "x")


def test_a_changed_cell_makes_the_translation_outdated_until_it_is_stamped(tmp_path: Path, capsys) -> None:
    root = copy_notice(COUNSEL, tmp_path / "project")
    edit(root / "locales/en/notice.yaml", "            - invoices\n", "            - invoices and receipts\n")
    assert main(["status", str(root)]) == 1
    assert "de     purposes-and-lawful-bases  outdated" in capsys.readouterr().out
    before = (root / "locales/de/notice.yaml").read_text(encoding="utf-8").splitlines()
    assert main(["stamp", "de", "purposes-and-lawful-bases", "--path", str(root)]) == 0
    assert main(["status", str(root)]) == 0
    # The stamp changes that one line: the table's rows keep their layout (ruamel.yaml would reindent them).
    after = (root / "locales/de/notice.yaml").read_text(encoding="utf-8").splitlines()
    assert [(old, new) for old, new in zip(before, after, strict=True) if old != new] == [
        ('    source_hash: "f1678918eac7"', f'    source_hash: "{section_hash(*stamped_content(root))}"')
    ]


def stamped_content(root: Path) -> tuple[str, ...]:
    checked = check_notice(root)
    return build_notice(checked).texts["en"].sections["purposes-and-lawful-bases"].content


def test_a_table_without_a_place_in_the_body_follows_it_and_a_table_alone_needs_no_body(tmp_path: Path) -> None:
    root = copy_notice(COUNSEL, tmp_path / "project")
    for path in (root / "locales/en/notice.yaml", root / "locales/de/notice.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("      {{table}}\n\n", ""), encoding="utf-8")
    checked = check_notice(root)
    assert checked.report.errors == []
    notice = build_notice(checked)
    text = notice.texts["en"].sections["purposes-and-lawful-bases"]
    html = section_html(notice, "en", text.body, text.table, title=text.title, page=False)
    assert html.index('id="legitimate-interests"') < html.index("<table")
    assert [clause.id for clause in text.clauses][-4:] == [
        "basis-account",
        "basis-security",
        "basis-marketing",
        "basis-legal",
    ]
    alone = section_html(notice, "en", "", text.table, title=text.title, page=False)
    assert alone.startswith('<table class="notice-table__table">') and "<caption>" in alone


def test_the_published_html_of_a_page_with_tables_is_on_the_allowlist(site: Path) -> None:
    from noticegen.text.markup import page_policy_problems

    for locale in PAGES:
        assert page_policy_problems(page(site, locale)) == []

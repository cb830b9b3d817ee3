"""The notice's summary (`summary:` in each locale's notice.yaml): written by the editors, checked like a section's
text, shown under the header's dates on the main page and the version pages, released with the text (snapshot,
digest, JSON), in the redline when it changes, in the PDF and in the meta description. A notice without one
publishes exactly what it published before summaries existed."""

from __future__ import annotations

import datetime
import html
import json
import re
from pathlib import Path

import jsonschema
import pytest

from conftest import MINIMAL, build_fixture_site, copy_notice, release_on, replace_once
from noticegen.cli import main
from noticegen.export import documents
from noticegen.export.documents import api_files, released_document
from noticegen.model.site import Site, load_site
from noticegen.render.pages import changes_page, main_page, version_page
from noticegen.render.pdf_document import pdf_html

SITE_URL = "https://example.org/privacy/"
FIRST, SECOND = "2026-02-01", "2026-03-01"
SUMMARY_EN = "We use your data **only** to answer you. See [](#rights)."
SUMMARY_FR = "Nous utilisons vos données **uniquement** pour vous répondre. Voir [](#rights)."


def write_summaries(root: Path, en: str = SUMMARY_EN, fr: str = SUMMARY_FR) -> None:
    """A summary in both locales of the minimal notice, under its title."""
    for code, summary in (("en", en), ("fr", fr)):
        path = root / "locales" / code / "notice.yaml"
        text = path.read_text(encoding="utf-8")
        title_line = re.search(r"(?m)^title: .*\n", text)
        assert title_line is not None
        path.write_text(text[: title_line.end()] + f"summary: |\n  {summary}\n" + text[title_line.end() :], "utf-8")


def release(root: Path, effective: str, on: str) -> None:
    summaries = ["--summary", f"en=Changes of {effective}.", "--summary", f"fr=Changements du {effective}."]
    assert release_on(on, ["release", effective, "--change", "material", *summaries, "--path", str(root)]) == 0


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal notice with a summary, released twice: the second version rewords the English summary."""
    root = copy_notice(MINIMAL, tmp_path_factory.mktemp("summary") / "project")
    write_summaries(root)
    release(root, FIRST, "2026-01-01")
    replace_once(root / "locales/en/notice.yaml", "**only** to answer you", "**only** to answer your questions")
    release(root, SECOND, "2026-01-15")
    return root


@pytest.fixture(scope="module")
def site(project: Path) -> Site:
    site, report = load_site(project, datetime.date(2026, 3, 15))
    assert site is not None, report
    return site


def header_of(page: str) -> str:
    """From the header's opening to the end of its links (the summary's own </div> comes before)."""
    return page.split('<div class="notice-header" data-search-exclude markdown>\n')[1].split("\n</nav>")[0]


def test_the_summary_stands_in_the_header_under_the_dates_and_before_the_links(site: Site) -> None:
    header = header_of(main_page(site, "en", SITE_URL))
    dates = header.index('<p class="notice-header__dates">')
    summary = header.index('<div class="notice-summary">')
    links = header.index('<nav class="notice-header__links"')
    assert dates < summary < links
    assert (
        '<div class="notice-summary">\n<p>We use your data <strong>only</strong> to answer your questions. '
        'See <a href="#rights">Your rights</a>.</p>\n</div>'
    ) in header


def test_each_locale_shows_its_own_summary_with_cross_references_titled_in_its_language(site: Site) -> None:
    header = header_of(main_page(site, "fr", SITE_URL))
    assert "Nous utilisons vos données <strong>uniquement</strong>" in header
    assert '<a href="#rights">Vos droits</a>' in header


def test_a_version_page_shows_the_summary_of_that_version(site: Site) -> None:
    first = header_of(version_page(site, site.version(FIRST), "en", SITE_URL))
    assert "to answer you. See" in first
    assert "your questions" not in first
    assert "your questions" in header_of(version_page(site, site.version(SECOND), "en", SITE_URL))


def test_the_meta_description_is_the_summary(site: Site) -> None:
    page = main_page(site, "en", SITE_URL)
    assert 'description: "We use your data only to answer your questions. See Your rights."' in page
    assert 'description: "Version of 2026-02-01: We use your data only to answer you.' in version_page(
        site, site.version(FIRST), "en", SITE_URL
    )


def test_a_summary_not_translated_yet_is_marked_with_its_language_and_left_out_of_the_description(
    tmp_path: Path,
) -> None:
    root = copy_notice(MINIMAL, tmp_path / "project")
    write_summaries(root, fr=SUMMARY_EN)  # the English summary copied into the French text
    site, report = load_site(root, datetime.date(2026, 1, 1))
    assert site is not None, report
    page = main_page(site, "fr", SITE_URL)
    assert '<div class="notice-summary" lang="en" dir="ltr">' in header_of(page)
    assert 'description: "Votre vie privée nous importe. Voir Vos droits."' in page


def test_the_redline_shows_the_summary_s_change_first(site: Site) -> None:
    page = changes_page(site, site.version(SECOND), "en", SITE_URL)
    heading = page.index("## Summary {#notice-summary}")
    assert heading < page.index("<details><summary>")
    redline = page[heading:].split("\n\n")[1]
    assert redline.startswith('<p class="notice-redline">We use your data only to answer ')
    assert '<del><span class="notice-sr">deleted: </span>you</del>' in redline
    assert '<ins><span class="notice-sr">inserted: </span>your questions</ins>' in redline


def test_a_redline_where_the_summary_did_not_change_says_nothing_of_it(site: Site) -> None:
    # The French summary is the same in both versions.
    assert "{#notice-summary}" not in changes_page(site, site.version(SECOND), "fr", SITE_URL)
    assert "## Résumé" not in changes_page(site, site.version(SECOND), "fr", SITE_URL)


def test_the_pdf_carries_the_summary_under_the_record(site: Site) -> None:
    document = pdf_html(site, site.version(FIRST), "fr", {})
    assert document.index('<dl class="notice-pdf-meta">') < document.index('<div class="notice-summary">')
    assert document.index('<div class="notice-summary">') < document.index('<h2 id="intro">')
    assert "Nous utilisons vos données <strong>uniquement</strong> pour vous répondre." in document


def test_the_json_carries_the_summary_as_markdown_html_and_text_and_the_digest_covers_the_markdown(
    site: Site,
) -> None:
    document = released_document(site, site.version(FIRST), SITE_URL, "en")
    assert document["summary"] == {
        "markdown": SUMMARY_EN + "\n",
        "html": '<p>We use your data <strong>only</strong> to answer you. See <a href="#rights">Your rights</a>.</p>',
        "text": "We use your data only to answer you. See Your rights.",
    }
    assert document["$schema"] == "https://example.org/privacy/api/schema/2.2.0/notice.schema.json"
    assert document["integrity"]["excluded"][-2:] == ["/summary/html", "/summary/text"]
    assert document["integrity"]["digest"] == site.version(FIRST).digests["en"]
    whole = released_document(site, site.version(FIRST), SITE_URL, None)
    assert whole["summary"]["markdown"] == {"en": SUMMARY_EN + "\n", "fr": SUMMARY_FR + "\n"}
    reworded = json.loads(json.dumps(document))
    reworded["summary"]["markdown"] = "Another summary."
    assert documents.digest(reworded) != document["integrity"]["digest"]
    rendered_otherwise = json.loads(json.dumps(document))
    rendered_otherwise["summary"]["html"] = "<p>another rendering</p>"
    assert documents.digest(rendered_otherwise) == document["integrity"]["digest"]


def test_every_document_with_a_summary_validates_against_the_schema_it_names(site: Site) -> None:
    files = api_files(site, SITE_URL)
    schema = files["schema/2.2.0/notice.schema.json"]
    validator = jsonschema.Draft202012Validator(schema)
    for name in ("notice.json", "v/2026-02-01/en.json", "v/2026-02-01/notice.json", "v/2026-03-01/fr.json"):
        assert [error.message for error in validator.iter_errors(files[name])] == [], name
    del schema["$defs"]["version"]["properties"]["summary"]  # as 2.1.0 has it: a summary is not allowed there
    assert any(True for _ in jsonschema.Draft202012Validator(schema).iter_errors(files["v/2026-02-01/en.json"]))


def test_the_snapshot_holds_the_summary_as_written(project: Path) -> None:
    snapshot = (project / "notice/versions" / FIRST / "locales/en/notice.yaml").read_text(encoding="utf-8")
    assert f"summary: |\n  {SUMMARY_EN}\n" in snapshot


def test_the_index_names_the_schema_that_describes_the_summary(site: Site) -> None:
    index = api_files(site, SITE_URL)["notice.json"]
    assert index["$schema"] == index["schema"] == "https://example.org/privacy/api/schema/2.2.0/notice.schema.json"


def test_a_notice_without_summary_publishes_the_documents_it_published_before(tmp_path: Path) -> None:
    """The minimal notice released without a summary: its documents name schema 2.1.0, list the exclusions of
    2.1.0 and have no `summary` member, byte for byte what a build before summaries wrote."""
    root = copy_notice(MINIMAL, tmp_path / "project")
    release(root, FIRST, "2026-01-01")
    site, report = load_site(root, datetime.date(2026, 3, 15))
    assert site is not None, report
    files = api_files(site, SITE_URL)
    for name in ("v/2026-02-01/en.json", "v/2026-02-01/notice.json", "notice.json"):
        assert "summary" not in files[name]
        assert files[name]["$schema"] == "https://example.org/privacy/api/schema/2.1.0/notice.schema.json"
    assert files["v/2026-02-01/en.json"]["integrity"]["excluded"] == list(documents.DIGEST_EXCLUDED)
    assert "notice-summary" not in main_page(site, "en", SITE_URL)


@pytest.fixture(scope="module")
def built(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("built") / "project"
    build_fixture_site(project, root, SITE_URL)
    return root / "site"


def test_the_built_pages_show_the_summary_and_describe_themselves_with_it(built: Path) -> None:
    page = (built / "index.html").read_text(encoding="utf-8")
    described = "We use your data only to answer your questions. See Your rights."
    assert f'<meta name="description" content="{described}">' in page
    summary = page.split('<div class="notice-summary">')[1].split("</div>")[0]
    assert "<strong>only</strong> to answer your questions" in html.unescape(summary)
    archived = (built / "fr/versions" / FIRST / "index.html").read_text(encoding="utf-8")
    assert '<div class="notice-summary">' in archived
    api = json.loads((built / "api/v" / FIRST / "fr.json").read_text(encoding="utf-8"))
    assert api["summary"]["text"] == "Nous utilisons vos données uniquement pour vous répondre. Voir Vos droits."


def test_notice_verify_reproduces_the_digests_of_documents_with_a_summary(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", str(built)]) == 0, capsys.readouterr().out


# A translated summary records the source summary it was translated from, as a section does (`summary_source_hash`,
# set by `notice stamp LOCALE --summary`): one that falls behind its source is said to, to readers and editors.


def test_a_summary_never_stamped_is_outdated_in_status_and_stamp_records_its_source(tmp_path: Path, capsys) -> None:
    root = copy_notice(MINIMAL, tmp_path / "project")
    write_summaries(root)
    assert main(["status", "--json", str(root)]) == 1
    rows = [row for row in json.loads(capsys.readouterr().out)["sections"] if row["section"] == "(summary)"]
    current = rows[0]["source_hash"]
    assert rows == [
        {"locale": "fr", "section": "(summary)", "status": "outdated", "translated_from": None, "source_hash": current}
    ]
    assert main(["fmt", "--path", str(root)]) == 0
    capsys.readouterr()
    assert main(["stamp", "fr", "--summary", "--path", str(root)]) == 0
    assert capsys.readouterr().out == f"locales/fr/notice.yaml: summary: summary_source_hash {current}\n"
    text = (root / "locales/fr/notice.yaml").read_text(encoding="utf-8")
    assert f'summary: |\n  {SUMMARY_FR}\nsummary_source_hash: "{current}"\nsections:\n' in text
    assert main(["status", str(root)]) == 0
    assert "fr     (summary)" in capsys.readouterr().out
    assert main(["fmt", "--check", "--path", str(root)]) == 0  # the stamp is written as `notice fmt` lays it out


def test_an_outdated_summary_is_marked_on_the_page_with_a_link_to_the_source_and_in_the_pdf(
    tmp_path: Path, capsys
) -> None:
    root = copy_notice(MINIMAL, tmp_path / "project")
    write_summaries(root)
    assert main(["stamp", "fr", "--summary", "--path", str(root)]) == 0
    site, _ = load_site(root, datetime.date(2026, 1, 1))
    assert "notice-outdated" not in header_of(main_page(site, "fr", SITE_URL))
    replace_once(root / "locales/en/notice.yaml", "**only** to answer you", "**only** to answer your questions")
    site, _ = load_site(root, datetime.date(2026, 1, 1))
    summary = header_of(main_page(site, "fr", SITE_URL)).split('<div class="notice-summary">\n')[1]
    outdated = '<p class="notice-outdated" role="note">Cette traduction n'
    assert summary.startswith(outdated)
    assert f'<a href="{SITE_URL}" hreflang="en" lang="en">English</a></p>\n<p>Nous utilisons' in summary
    assert "notice-outdated" not in header_of(main_page(site, "en", SITE_URL))
    release(root, FIRST, "2026-01-01")
    site, _ = load_site(root, datetime.date(2026, 3, 1))
    document = pdf_html(site, site.version(FIRST), "fr", {})
    summary = document.split('<div class="notice-summary">\n')[1]
    assert summary.startswith(outdated) and "English</p>\n<p>Nous utilisons" in summary


def test_stamp_summary_refuses_a_locale_without_a_summary(tmp_path: Path, capsys) -> None:
    root = copy_notice(MINIMAL, tmp_path / "project")
    before = (root / "locales/fr/notice.yaml").read_bytes()
    assert main(["stamp", "fr", "--summary", "--path", str(root)]) == 1
    assert capsys.readouterr().err == ("notice stamp: 'fr' has no summary translated from a source summary to stamp\n")
    assert (root / "locales/fr/notice.yaml").read_bytes() == before


def test_stamp_without_a_section_named_stamps_the_summary_too(tmp_path: Path, capsys) -> None:
    root = copy_notice(MINIMAL, tmp_path / "project")
    write_summaries(root)
    assert main(["stamp", "fr", "--path", str(root)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("locales/fr/notice.yaml: summary: summary_source_hash ")
    assert main(["status", str(root)]) == 0

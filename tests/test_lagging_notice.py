"""A second notice, built end to end: English source, translations that lag and a locale added later.

Made from the small fixture (en source, fr) through the release command, as a company's history would be:
four versions, French falling behind, German added in the third. Nothing here depends on the bundled notice.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import MINIMAL, MINIMAL_MKDOCS, copy_notice, mkdocs, release_on, today_is
from noticegen.cli import main

VERSIONS = ["2026-02-01", "2026-04-01", "2026-06-01", "2026-08-01"]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def release(root: Path, effective: str, on: str, *locales: str, change: str = "material") -> None:
    summaries = [argument for code in locales for argument in ("--summary", f"{code}=Changes of {effective}.")]
    arguments = ["release", effective, "--change", change, *summaries, "--locales", ",".join(locales)]
    assert release_on(on, [*arguments, "--path", str(root)]) == 0


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_notice(MINIMAL, tmp_path_factory.mktemp("lagging") / "notice")
    en, fr = root / "locales/en/notice.yaml", root / "locales/fr/notice.yaml"
    release(root, VERSIONS[0], "2026-01-01", "en", "fr")
    # 2: the English intro changes; French does not follow (outdated).
    edit(en, "We care about your privacy.", "We care a great deal about your privacy.")
    release(root, VERSIONS[1], "2026-03-01", "en", "fr")
    # 3: German is added, with only its title translated: every section is still English (untranslated). No
    # binding text changes: an editorial release of translations only.
    assert main(["locale", "add", "de", "--path", str(root)]) == 0
    edit(root / "locales/de/notice.yaml", "title: Privacy Notice", "title: Datenschutzhinweis")
    edit(root / "notice/data/representative.yaml", "      de: Belgium\n", "      de: Belgien\n")
    release(root, VERSIONS[2], "2026-05-01", "en", "fr", "de", change="editorial")
    # 4: French catches up with the intro, and the access section changes in English only.
    edit(fr, "Votre vie privée nous importe.", "Votre vie privée nous importe beaucoup.")
    assert main(["stamp", "fr", "intro", "--path", str(root)]) == 0
    edit(en, "You may ask for the following:", "You may ask us for the following:")
    release(root, VERSIONS[3], "2026-07-01", "en", "fr", "de")
    (root / "generated").mkdir()
    (root / "mkdocs.yml").write_text(MINIMAL_MKDOCS, encoding="utf-8")
    with today_is("2026-09-01"):
        mkdocs(root, "build", "--strict")  # lag never fails the strict build
    return root


def page(root: Path, path: str) -> str:
    return (root / "site" / path).read_text(encoding="utf-8")


def document(root: Path, path: str) -> dict:
    return json.loads((root / "site" / "api" / path).read_text(encoding="utf-8"))


def test_every_version_is_published_in_the_locales_it_was_released_with(history: Path) -> None:
    for version in VERSIONS:
        assert (history / "site" / "versions" / version / "index.html").is_file()
        assert (history / "site" / "fr" / "versions" / version / "index.html").is_file()
    assert not (history / "site" / "de" / "versions" / VERSIONS[1]).exists()  # German came with the third
    assert (history / "site" / "de" / "versions" / VERSIONS[2] / "index.html").is_file()


def statuses(version: dict) -> dict[str, str]:
    return {section["id"]: section["translation"]["status"] for section in version["sections"]}


def test_the_json_marks_each_sections_translation_in_every_locale(history: Path) -> None:
    latest = {
        section["id"]: section["translation"]["status"] for section in document(history, "latest/fr.json")["sections"]
    }
    assert latest == {"intro": "current", "contact": "current", "rights": "current", "rights-access": "outdated"}
    german = {
        section["id"]: section["translation"]["status"] for section in document(history, "latest/de.json")["sections"]
    }
    assert german["intro"] == "untranslated" and german["contact"] == "untranslated"
    second = document(history, f"v/{VERSIONS[1]}/fr.json")["sections"][0]["translation"]
    assert second["status"] == "outdated"


def test_an_untranslated_section_shows_the_text_in_force_marked_in_its_language(history: Path) -> None:
    german = page(history, "de/index.html")
    assert '<html lang="de"' in german
    assert re.search(r'<h2 (?=[^>]*\bid="intro")(?=[^>]*\blang="en")[^>]*>', german)
    assert '<div class="notice-body" lang="en" dir="ltr">' in german
    assert 'class="notice-untranslated"' in german


def test_each_locales_redline_names_every_change_of_the_binding_text(history: Path) -> None:
    french = page(history, f"fr/versions/{VERSIONS[3]}/changes/index.html")
    assert 'class="notice-pending"' in french  # rights-access changed in English, not yet in French
    assert f'href="https://example.org/privacy/versions/{VERSIONS[3]}/changes/#rights-access"' in french
    english = page(history, f"versions/{VERSIONS[3]}/changes/index.html")
    assert "<ins>" in english and 'class="notice-pending"' not in english


def test_feeds_and_the_changelog_cover_every_version_in_every_locale(history: Path) -> None:
    for prefix in ("", "fr/", "de/"):
        feed = page(history, f"{prefix}feed.xml")
        assert feed.count("<entry>") == len(VERSIONS)
    assert all(version in page(history, "de/changelog/index.html") for version in VERSIONS)


def test_a_release_of_translations_only_says_so_in_every_locale(history: Path) -> None:
    assert document(history, f"v/{VERSIONS[2]}/notice.json")["version"]["translation_only"] is True
    assert "translation_only" not in document(history, f"v/{VERSIONS[3]}/notice.json")["version"]
    english = page(history, f"versions/{VERSIONS[2]}/changes/index.html")
    assert "Translations only: no binding text changed in this version." in english
    german = page(history, f"de/versions/{VERSIONS[2]}/changes/index.html")
    assert 'class="notice-first-in-language"' in german
    assert f'href="https://example.org/privacy/versions/{VERSIONS[2]}/changes/"' in german


def test_summaries_from_before_a_locale_was_published_are_the_source_locales_marked(history: Path) -> None:
    changelog = page(history, "de/changelog/index.html")
    assert f'<p class="notice-summary" lang="en" dir="ltr">Changes of {VERSIONS[0]}.</p>' in changelog
    assert f'<p class="notice-summary">Changes of {VERSIONS[3]}.</p>' in changelog
    entries = {entry["version"]: entry for entry in document(history, "latest/de.json")["changelog"]}
    assert entries[VERSIONS[0]]["summary_locale"] == "en"
    assert "summary_locale" not in entries[VERSIONS[2]]


def test_the_published_record_verifies(history: Path) -> None:
    assert main(["verify", str(history / "site")]) == 0


def pdf_text(root: Path, path: str) -> str:
    """The PDF's text, its lines joined: the extraction breaks lines where the layout does."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(root / "site" / path).pages)


def site_string(root: Path, locale: str, key: str) -> str:
    return yaml.safe_load((root / "locales" / locale / "site.yaml").read_text(encoding="utf-8"))[key]


def test_a_pdf_marks_what_its_page_marks(history: Path) -> None:
    # German at its first version: every section untranslated, shown in English and said to be so.
    german = pdf_text(history, f"de/versions/{VERSIONS[2]}/de.pdf")
    outline = yaml.safe_load((history / "notice/notice.yaml").read_text(encoding="utf-8"))["outline"]
    assert german.count(" ".join(site_string(history, "de", "translation_missing").split())) == len(outline)
    # French behind the English intro in the second version: said to be, naming the authoritative text.
    french = pdf_text(history, f"fr/versions/{VERSIONS[1]}/fr.pdf")
    assert " ".join(site_string(history, "fr", "translation_outdated").split()) + " English" in french
    # The list the source lost: the note stands where the list would be.
    english = pdf_text(history, f"versions/{VERSIONS[0]}/en.pdf")
    assert " ".join(site_string(history, "en", "known_gap_missing_list").split()) in english

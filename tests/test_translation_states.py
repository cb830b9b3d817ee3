"""Translations that lag: current, outdated or untranslated, shown to readers and machines, never a failure."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from conftest import MINIMAL, copy_notice, release_on
from noticegen.cli import main
from noticegen.core.hashing import section_hash, translation_state
from noticegen.export.documents import api_files
from noticegen.model.site import load_site
from noticegen.render.pages import site_pages

FR = "locales/fr/notice.yaml"
ENGLISH_INTRO = "We care about your privacy. See [](#rights)."


def lagging(tmp_path: Path) -> Path:
    """The minimal notice (en source) with fr's intro copied from English and its contact section outdated."""
    root = copy_notice(MINIMAL, tmp_path / "minimal")
    fr = root / FR
    fr.write_text(fr.read_text("utf-8").replace("Votre vie privée nous importe. Voir [](#rights).", ENGLISH_INTRO))
    en = root / "locales/en/notice.yaml"
    en.write_text(en.read_text("utf-8").replace("Write to {{contact:privacy}}", "Please write to {{contact:privacy}}"))
    return root


def test_status_counts_each_state_per_locale_and_speaks_json(tmp_path: Path, capsys) -> None:
    root = lagging(tmp_path)
    assert main(["status", str(root)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "fr     intro          untranslated" in lines
    assert lines[-2] == "fr: 50% current (2 of 4), 1 outdated, 1 untranslated"
    assert main(["status", "--json", str(root)]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["locales"]["fr"] == {
        "current": 2,
        "outdated": 1,
        "untranslated": 1,
        "total": 4,
        "percent_current": 50,
        "draft": False,
    }
    states = {entry["section"]: entry["status"] for entry in document["sections"]}
    assert states == {"intro": "untranslated", "contact": "outdated", "rights": "current", "rights-access": "current"}


def test_lag_passes_the_strict_check(tmp_path: Path, run_check) -> None:
    assert run_check(lagging(tmp_path), "--strict").exit_code == 0


def test_an_untranslated_section_shows_the_source_text_marked_with_its_language(tmp_path: Path) -> None:
    site, _ = load_site(lagging(tmp_path), datetime.date(2026, 1, 1), preview=True)
    page = site_pages(site, "https://example.org/")["fr/index.md"]
    assert '## Introduction {#intro lang="en" dir="ltr"}' in page
    assert '<p class="notice-untranslated" role="note">Cette section n’est pas encore traduite' in page
    assert '<div class="notice-body" lang="en" dir="ltr">' in page
    assert "## Vos droits {#rights}" in page  # a translated section is as it was


def test_the_json_marks_each_sections_translation(tmp_path: Path) -> None:
    root = lagging(tmp_path)
    arguments = ["release", "2026-02-01", "--change", "material", "--summary", "en=x", "--summary", "fr=x"]
    assert release_on("2026-01-01", [*arguments, "--path", str(root)]) == 0
    site, _ = load_site(root, datetime.date(2026, 3, 1))
    documents = api_files(site, "https://example.org/")
    sections = {section["id"]: section["translation"] for section in documents["v/2026-02-01/fr.json"]["sections"]}
    assert sections["intro"] == {"status": "untranslated", "source_locale": "en", "translated_from": "c8141bad3cd8"}
    assert sections["contact"]["status"] == "outdated"
    assert sections["rights"]["status"] == "current"
    english = documents["v/2026-02-01/en.json"]["sections"][0]["translation"]
    assert english == {"status": "source", "source_locale": "en", "translated_from": None}
    whole = documents["v/2026-02-01/notice.json"]["sections"][0]["translation"]
    assert whole["fr"]["status"] == "untranslated" and whole["en"]["status"] == "source"


def test_a_redline_in_every_locale_lists_each_change_of_the_binding_text(tmp_path: Path) -> None:
    """A change of the source text shows in a translation's redline even where the translation did not follow."""
    root = copy_notice(MINIMAL, tmp_path / "minimal")
    arguments = ["release", "2026-02-01", "--change", "material", "--summary", "en=x", "--summary", "fr=x"]
    assert release_on("2026-01-01", [*arguments, "--path", str(root)]) == 0
    en = root / "locales/en/notice.yaml"
    en.write_text(en.read_text("utf-8").replace("We care about your privacy.", "We care a lot about your privacy."))
    arguments = ["release", "2026-04-01", "--change", "material", "--summary", "en=y", "--summary", "fr=y"]
    assert release_on("2026-03-01", [*arguments, "--path", str(root)]) == 0
    site, _ = load_site(root, datetime.date(2026, 5, 1))
    redline = site_pages(site, "https://example.org/")["fr/versions/2026-04-01/changes/index.md"]
    assert "## Introduction {#intro}" in redline
    assert (
        '<p class="notice-pending" role="note">Modifiée en English ; la traduction n’a pas encore suivi. La '
        'modification : <a href="https://example.org/versions/2026-04-01/changes/#intro" hreflang="en" '
        'lang="en">English</a></p>'
    ) in redline


def test_a_heading_copied_without_a_stamp_is_untranslated_and_a_stamp_keeps_it() -> None:
    """A section that only groups others has no body: its copied heading is untranslated until a translator
    stamps it (a heading may rightly read the same, as a name does)."""
    source = ("Your rights", "")
    assert translation_state(source, ("Your rights", ""), None, []) == "untranslated"
    assert translation_state(source, ("Your rights", ""), section_hash(*source), []) == "current"
    assert translation_state(source, ("Vos droits", ""), None, []) == "outdated"


def test_a_copy_of_an_earlier_source_text_is_untranslated_whatever_its_stamp() -> None:
    """Text that was the source's in an earlier version, or that is the very source text its stamp records, was
    copied when the source read so: once the source changes it is no outdated translation."""
    old, new = ("Cookies", "Only the cookies we need."), ("Cookies", "Cookies we need, and one for analytics.")
    assert translation_state(new, old, None, [], [old]) == "untranslated"
    assert translation_state(new, old, section_hash(*new), [], [old]) == "untranslated"
    assert translation_state(new, old, section_hash(*old), [], []) == "untranslated"  # no release in between
    translated = ("Cookies", "Nur die Cookies, die wir brauchen.")
    assert translation_state(new, translated, section_hash(*old), [], [old]) == "outdated"
    assert translation_state(new, translated, section_hash(*new), [], [old]) == "current"
    heading = ("Your rights", "")  # a heading alone, kept by a translator when the source read so
    assert translation_state(("Your rights and choices", ""), heading, section_hash(*heading), [], [heading]) == (
        "outdated"
    )


ENGLISH_INTRO_NOW = "We care a great deal about your privacy. See [](#rights)."


def released_with_a_copy_then_changed(tmp_path: Path) -> Path:
    """The lagging notice released with fr's intro copied from English, then English's intro reworded: fr still
    holds the English text of the released version, and no other locale holds it."""
    root = lagging(tmp_path)
    fr = root / FR
    fr.write_text(fr.read_text("utf-8").replace("    source_hash: c8141bad3cd8\n", "", 1))  # never stamped
    arguments = ["release", "2026-02-01", "--change", "material", "--summary", "en=x", "--summary", "fr=x"]
    assert release_on("2026-01-01", [*arguments, "--path", str(root)]) == 0
    en = root / "locales/en/notice.yaml"
    en.write_text(en.read_text("utf-8").replace(ENGLISH_INTRO, ENGLISH_INTRO_NOW))
    return root


def test_a_locale_still_holding_a_released_source_text_is_untranslated_in_status_page_and_json(
    tmp_path: Path, capsys
) -> None:
    root = released_with_a_copy_then_changed(tmp_path)
    assert main(["status", str(root)]) == 1
    assert "fr     intro          untranslated" in capsys.readouterr().out.splitlines()
    site, _ = load_site(root, datetime.date(2026, 3, 1), preview=True)
    page = site_pages(site, "https://example.org/")["fr/index.md"]
    assert '## Introduction {#intro lang="en" dir="ltr"}' in page  # the text in force, marked as English
    assert ENGLISH_INTRO_NOW.split(" See")[0] in page and ENGLISH_INTRO not in page
    arguments = ["release", "2026-04-01", "--change", "material", "--summary", "en=y", "--summary", "fr=y"]
    assert release_on("2026-03-01", [*arguments, "--path", str(root)]) == 0
    site, _ = load_site(root, datetime.date(2026, 5, 1))
    documents = api_files(site, "https://example.org/")
    intro = documents["v/2026-04-01/fr.json"]["sections"][0]
    assert (intro["id"], intro["translation"]["status"]) == ("intro", "untranslated")


def test_a_locale_holding_the_source_text_its_stamp_records_is_untranslated_before_any_release(
    tmp_path: Path, capsys
) -> None:
    root = lagging(tmp_path)  # fr's intro: the English text, stamped with that text's hash
    en = root / "locales/en/notice.yaml"
    en.write_text(en.read_text("utf-8").replace(ENGLISH_INTRO, ENGLISH_INTRO_NOW))
    assert main(["status", str(root)]) == 1
    assert "fr     intro          untranslated" in capsys.readouterr().out.splitlines()


def test_stamp_refuses_a_named_copy_and_leaves_copies_out_when_stamping_a_whole_locale(tmp_path: Path, capsys) -> None:
    root = released_with_a_copy_then_changed(tmp_path)
    fr = root / FR
    before = fr.read_bytes()
    assert main(["stamp", "fr", "intro", "--path", str(root)]) == 1
    assert capsys.readouterr().err == (
        "notice stamp: 'fr': intro: not translated: the text is a copy of the source locale's, now or in a "
        "released version, or of another locale's; translate it, then stamp it\n"
    )
    assert fr.read_bytes() == before
    assert main(["stamp", "fr", "--path", str(root)]) == 0
    said = capsys.readouterr()
    assert said.err.startswith("notice stamp: 'fr': intro: not translated:")
    assert said.out == f"{FR}: contact: source_hash {section_hash_of(root, 'contact')}\n"
    assert main(["status", str(root)]) == 1
    assert "fr     intro          untranslated" in capsys.readouterr().out.splitlines()


def section_hash_of(root: Path, section_id: str) -> str:
    site, _ = load_site(root, datetime.date(2026, 3, 1), preview=True)
    return section_hash(*site.working.texts["en"].sections[section_id].content)


def test_a_text_that_was_the_source_of_an_earlier_version_is_no_copy_once_another_locale_is_the_source(
    tmp_path: Path, capsys
) -> None:
    root = copy_notice(MINIMAL, tmp_path / "minimal")
    arguments = ["release", "2026-02-01", "--change", "material", "--summary", "en=x", "--summary", "fr=x"]
    assert release_on("2026-01-01", [*arguments, "--path", str(root)]) == 0
    notice = root / "notice/notice.yaml"
    notice.write_text(notice.read_text("utf-8").replace("source_locale: en", "source_locale: fr"), encoding="utf-8")
    fr = root / FR
    fr.write_text("".join(line for line in fr.read_text("utf-8").splitlines(True) if "source_hash" not in line))
    assert main(["stamp", "en", "--path", str(root)]) == 0
    capsys.readouterr()
    assert main(["status", str(root)]) == 0
    assert "en: 100% current (4 of 4), 0 outdated, 0 untranslated" in capsys.readouterr().out.splitlines()
    site, _ = load_site(root, datetime.date(2026, 3, 1), preview=True)
    assert {site.working.translation("en", section.id) for section in site.working.sections} == {"current"}


def test_a_locale_of_the_same_language_may_keep_the_other_s_words() -> None:
    """en_GB keeping en's text word for word is no copy of another language, and en is none of en_GB's."""
    from noticegen.core.hashing import same_language

    assert same_language("en", "en_GB") and same_language("pt-BR", "pt") and not same_language("fr", "en")


def test_stamping_a_locale_whose_only_lagging_text_is_a_copy_stamps_nothing_and_says_so(tmp_path: Path, capsys) -> None:
    root = released_with_a_copy_then_changed(tmp_path)
    assert main(["stamp", "fr", "contact", "--path", str(root)]) == 0
    capsys.readouterr()
    before = (root / FR).read_bytes()
    assert main(["stamp", "fr", "--path", str(root)]) == 0
    said = capsys.readouterr()
    assert said.err.startswith("notice stamp: 'fr': intro: not translated:")
    assert said.out == "nothing to stamp: every other section already records its current source text\n"
    assert (root / FR).read_bytes() == before

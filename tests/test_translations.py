"""Translation freshness: `notice status` reports it, `notice stamp` records it, comments survive."""

from __future__ import annotations

from pathlib import Path

from noticegen.cli import main

FR = "locales/fr/notice.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_status_lists_every_translated_section_as_current(minimal_copy: Path, capsys) -> None:
    assert main(["status", str(minimal_copy)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "fr     intro          current",
        "fr     contact        current",
        "fr     rights         current",
        "fr     rights-access  current",
        "fr: 100% current (4 of 4), 0 outdated, 0 untranslated",
        "fr: 3 of 93 site strings are still en's words (locales/fr/site.yaml: versions, column_version, column_pdf)",
    ]


def test_status_names_the_outdated_section_and_fails(minimal_copy: Path, capsys) -> None:
    edit(minimal_copy / "locales/en/notice.yaml", "We care about your privacy.", "We care a lot about your privacy.")
    assert main(["status", str(minimal_copy)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("fr     intro          outdated  (recorded c8141bad3cd8, source is ")
    assert out[-2] == "fr: 75% current (3 of 4), 1 outdated, 0 untranslated"


def test_stamp_records_the_new_source_text_and_keeps_the_file_as_written(minimal_copy: Path, run_check) -> None:
    fr = minimal_copy / FR
    edit(fr, "title: Avis de confidentialité\n", "# Relu par l'équipe juridique.\ntitle: Avis de confidentialité\n")
    edit(minimal_copy / "locales/en/notice.yaml", "We care about your privacy.", "We care a lot about your privacy.")
    assert main(["status", str(minimal_copy)]) == 1  # behind: a state that status reports, not a check failure

    assert main(["stamp", "fr", "intro", "--path", str(minimal_copy)]) == 0

    text = fr.read_text(encoding="utf-8")
    assert "# Relu par l'équipe juridique.\n" in text
    assert "source_hash: c8141bad3cd8" not in text
    assert run_check(minimal_copy, "--strict").exit_code == 0


def test_stamp_adds_a_missing_source_hash_at_the_section_indentation(minimal_copy: Path, run_check, capsys) -> None:
    fr = minimal_copy / FR
    edit(fr, "    source_hash: 94bf1b4af357\n", "")
    assert run_check(minimal_copy, "--strict").lines() == []  # a translation that never said its source: outdated
    assert main(["status", str(minimal_copy)]) == 1
    assert "fr     rights         outdated  (never stamped, source is 94bf1b4af357)" in capsys.readouterr().out
    assert main(["stamp", "fr", "--path", str(minimal_copy)]) == 0
    assert '  rights:\n    source_hash: "94bf1b4af357"\n    title: Vos droits\n' in fr.read_text(encoding="utf-8")


def test_stamp_refuses_an_unknown_section(minimal_copy: Path, capsys) -> None:
    assert main(["stamp", "fr", "cookies", "--path", str(minimal_copy)]) == 1
    assert capsys.readouterr().err == "notice stamp: no such section in 'fr': cookies\n"


def test_stamp_refuses_the_source_locale(minimal_copy: Path, capsys) -> None:
    assert main(["stamp", "en", "--path", str(minimal_copy)]) == 1
    assert capsys.readouterr().err == "notice stamp: 'en' is not a translated locale\n"


def test_pages_refuses_a_malformed_date(capsys, tmp_path: Path) -> None:
    assert main(["pages", str(tmp_path / "out"), "--date", "2025-13-01"]) == 1
    assert capsys.readouterr().err == "notice pages: month must be in 1..12 (dates are YYYY-MM-DD)\n"


def test_status_names_the_site_strings_still_in_another_language_without_failing(minimal_copy: Path, capsys) -> None:
    """A site string that is the source locale's, word for word (as `notice locale add` copies them), is said;
    some rightly read the same ("Versions"), so it is no failure."""
    import json

    edit(minimal_copy / "locales/fr/site.yaml", "changelog: Historique des modifications", "changelog: Changelog")
    assert main(["status", "--json", str(minimal_copy)]) == 0
    strings = json.loads(capsys.readouterr().out)["site_strings"]["fr"]
    assert strings["same_as"] == "en" and "changelog" in strings["keys"] and "subscribe" not in strings["keys"]
    assert main(["status", str(minimal_copy)]) == 0
    said = capsys.readouterr().out.splitlines()[-1]
    assert said.startswith(f"fr: {len(strings['keys'])} of {strings['total']} site strings are still en's words ")
    assert said.endswith("(locales/fr/site.yaml: versions, changelog, column_version, …)")


def test_stamp_names_a_locale_the_notice_does_not_have_with_the_likely_one_or_those_it_has(
    minimal_copy: Path, capsys
) -> None:
    assert main(["stamp", "fe", "intro", "--path", str(minimal_copy)]) == 1
    assert capsys.readouterr().err == "notice stamp: no locale 'fe' in notice/notice.yaml (did you mean 'fr'?)\n"
    assert main(["stamp", "xx", "--path", str(minimal_copy)]) == 1
    assert capsys.readouterr().err == "notice stamp: no locale 'xx' in notice/notice.yaml (expected one of: en, fr)\n"

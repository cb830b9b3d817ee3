"""`notice stamp` edits a translation round-trip: the file keeps everything its editor wrote but the hashes,
and a file that would not read back as the old data plus the new hashes is never replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from noticegen.cli import main
from noticegen.commands import yaml_edit
from noticegen.core.hashing import section_hash

FR = "locales/fr/notice.yaml"
EN = "locales/en/notice.yaml"
FR_INTRO = """\
  intro:
    source_hash: c8141bad3cd8
    title: Introduction
    body: |
      Votre vie privée nous importe. Voir [](#rights).
"""
EN_INTRO = "We care about your privacy. See [](#rights)."


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def change_source(project: Path, sentence: str) -> str:
    """Change the en intro; returns its new hash, the one stamp must record."""
    edit(project / EN, EN_INTRO, sentence)
    return section_hash("Introduction", f"{sentence}\n")


def test_a_section_in_flow_style_keeps_its_title_and_body(minimal_copy: Path, run_check, capsys) -> None:
    fr = minimal_copy / FR
    flow = (
        "  intro: {source_hash: c8141bad3cd8, title: Introduction, "
        'body: "Votre vie privée nous importe. Voir [](#rights).\\n"}\n'
    )
    edit(fr, FR_INTRO, flow)
    edit(fr, "  rights:\n    source_hash: 94bf1b4af357\n    title: Vos droits\n", "  rights: {title: Vos droits}\n")
    new_hash = change_source(minimal_copy, "We care a lot about your privacy. See [](#rights).")
    before = fr.read_text(encoding="utf-8")

    assert main(["stamp", "fr", "--path", str(minimal_copy)]) == 0

    assert capsys.readouterr().out.splitlines() == [
        f"{FR}: intro: source_hash {new_hash}",
        f"{FR}: rights: source_hash 94bf1b4af357",
    ]
    expected = before.replace("source_hash: c8141bad3cd8,", f'source_hash: "{new_hash}",').replace(
        "  rights: {title: Vos droits}\n", '  rights: {source_hash: "94bf1b4af357", title: Vos droits}\n'
    )
    assert fr.read_text(encoding="utf-8") == expected
    assert run_check(minimal_copy, "--strict").exit_code == 0


def test_an_all_digit_hash_is_written_as_text_and_stamp_is_done(minimal_copy: Path, run_check, capsys) -> None:
    new_hash = change_source(minimal_copy, "We care about your privacy (19). See [](#rights).")
    assert new_hash == "633339779157"  # all digits: unquoted, YAML would read it back as a number

    assert main(["stamp", "fr", "intro", "--path", str(minimal_copy)]) == 0
    assert '    source_hash: "633339779157"\n' in (minimal_copy / FR).read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["status", str(minimal_copy)]) == 0
    assert "fr: 100% current (4 of 4), 0 outdated, 0 untranslated" in capsys.readouterr().out.splitlines()
    assert main(["stamp", "fr", "intro", "--path", str(minimal_copy)]) == 0
    assert capsys.readouterr().out == "nothing to stamp: every chosen section already records its current source text\n"
    assert run_check(minimal_copy, "--strict").exit_code == 0


def test_comments_order_quotes_and_block_styles_are_kept(minimal_copy: Path, capsys) -> None:
    fr = minimal_copy / FR
    edited = """\
# Traduction relue par l'équipe juridique.
title: 'Avis de confidentialité'   # le titre de la page
sections:
  # L'introduction suit le texte anglais.
  intro:
    body: >-
      Votre vie privée nous importe.
      Voir [](#rights).
    title: "Introduction"  # guillemets gardés
    source_hash: c8141bad3cd8   # ancien texte
"""
    edit(fr, "title: Avis de confidentialité\nsections:\n" + FR_INTRO, edited)
    edit(minimal_copy / EN, f"      {EN_INTRO}\n", "      We care about your privacy.\n      See [](#rights).\n")
    new_hash = section_hash("Introduction", "We care about your privacy.\nSee [](#rights).\n")
    before = fr.read_text(encoding="utf-8")

    assert main(["stamp", "fr", "intro", "--path", str(minimal_copy)]) == 0

    # Only the hash changed; its comment stays at its column (the quotes take two of its three spaces).
    assert fr.read_text(encoding="utf-8") == before.replace(
        "source_hash: c8141bad3cd8   # ancien texte", f'source_hash: "{new_hash}" # ancien texte'
    )


def test_a_file_that_would_not_read_back_the_same_is_left_untouched(
    minimal_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    real_dump = yaml_edit.dump_text

    def dump_losing_the_body(yaml, document):  # a round-trip library bug that loses a key
        del document["sections"]["intro"]["body"]
        return real_dump(yaml, document)

    monkeypatch.setattr(yaml_edit, "dump_text", dump_losing_the_body)
    change_source(minimal_copy, "We care a lot about your privacy. See [](#rights).")
    fr = minimal_copy / FR
    before = fr.read_bytes()

    assert main(["stamp", "fr", "intro", "--path", str(minimal_copy)]) == 1

    assert fr.read_bytes() == before
    assert sorted(path.name for path in fr.parent.iterdir()) == ["notice.yaml", "site.yaml"]  # no temporary file
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "notice stamp: locales/fr/notice.yaml: section 'intro': what stamp would write reads back differently at "
        "sections.intro.body: please report this, with the file (the file is left as it was)\n"
    )


def test_a_file_that_cannot_be_written_is_a_message(
    minimal_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    def full_disk(path: Path, text: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("noticegen.cli.write_atomically", full_disk)
    change_source(minimal_copy, "We care a lot about your privacy. See [](#rights).")

    assert main(["stamp", "fr", "intro", "--path", str(minimal_copy)]) == 1
    assert capsys.readouterr().err == (
        "notice stamp: locales/fr/notice.yaml: section 'intro': cannot be written: no space left on device "
        "(the file is left as it was)\n"
    )

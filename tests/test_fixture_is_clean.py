"""The fixture notices must themselves be clean: the minimal one every malformed case starts from, the
Japanese one the search tests build, and the counsel one the tests of tables and clause anchors build."""

from conftest import COUNSEL, JAPANESE, MINIMAL
from noticegen.cli import main


def test_minimal_fixture_passes_strict(run_check) -> None:
    result = run_check(MINIMAL, "--strict")
    assert result.exit_code == 0
    assert result.lines() == []
    assert result.lines("acknowledged") == [
        "locales/en/notice.yaml:20:7: acknowledged: lead-in without its list in section 'rights-access': "
        "known gap 'access-list'",
        "locales/fr/notice.yaml:24:7: acknowledged: lead-in without its list in section 'rights-access': "
        "known gap 'access-list'",
        "notice/data/contacts.yaml:3:1: acknowledged: contact 'dpo' has no e-mail address: known gap 'dpo-address'",
    ]


def test_japanese_fixture_passes_strict_with_every_translation_current(run_check, capsys) -> None:
    result = run_check(JAPANESE, "--strict")
    assert result.exit_code == 0
    assert result.lines("error", "warning", "acknowledged") == []
    assert main(["status", str(JAPANESE)]) == 0
    assert [line for line in capsys.readouterr().out.splitlines() if "% current" in line] == [
        "ja: 100% current (6 of 6), 0 outdated, 0 untranslated",
        "fr: 100% current (6 of 6), 0 outdated, 0 untranslated",
    ]


def test_counsel_fixture_passes_strict_with_every_translation_current(run_check, capsys) -> None:
    result = run_check(COUNSEL, "--strict")
    assert result.exit_code == 0
    assert result.lines("error", "warning", "acknowledged") == []
    assert main(["status", str(COUNSEL)]) == 0
    assert [line for line in capsys.readouterr().out.splitlines() if "% current" in line] == [
        "de: 100% current (10 of 10), 0 outdated, 0 untranslated"
    ]

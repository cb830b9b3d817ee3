"""The fixture notices must themselves be clean: the minimal one every malformed case starts from, and the
Japanese one the search tests build."""

from conftest import JAPANESE, MINIMAL
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
    assert capsys.readouterr().out.splitlines()[-2:] == [
        "ja: 100% current (6 of 6), 0 outdated, 0 untranslated",
        "fr: 100% current (6 of 6), 0 outdated, 0 untranslated",
    ]

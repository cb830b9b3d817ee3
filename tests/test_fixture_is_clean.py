"""The minimal fixture every malformed case starts from must itself be clean."""

from conftest import MINIMAL


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

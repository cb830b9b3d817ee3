"""The Botpress notice we ship: its known gaps and its stamps (tests of its own text, skipped on a fork), and the
completeness test failing with the checker when a section goes (on its frozen copy, tests/fixtures/botpress).
Tests that hold for any notice in this repository are in test_this_notice.py."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import PROJECT, botpress_text
from noticegen.checks.notice import check_notice


def outline_ids(root: Path) -> list[str]:
    notice = yaml.safe_load((root / "notice" / "notice.yaml").read_text(encoding="utf-8"))
    return [entry["id"] for entry in notice["outline"]]


def locales_of(root: Path) -> list[str]:
    notice = yaml.safe_load((root / "notice" / "notice.yaml").read_text(encoding="utf-8"))
    return list(notice["locales"]["available"])


def assert_locale_has_section(root: Path, locale: str, section_id: str) -> None:
    """The plain-YAML statement of guarantee 3: this locale has this section, with a title."""
    text = yaml.safe_load((root / "locales" / locale / "notice.yaml").read_text(encoding="utf-8"))
    sections = text.get("sections") or {}
    assert section_id in sections, f"locales/{locale}/notice.yaml has no section '{section_id}'"
    assert str(sections[section_id].get("title", "")).strip(), f"'{section_id}' in {locale} has no title"


def without_section(lines: list[str], section_id: str) -> str:
    """The file's text with one section deleted as an editor would: its key and indented lines."""
    start = lines.index(f"  {section_id}:\n")
    end = start + 1
    while end < len(lines) and (lines[end].startswith("    ") or not lines[end].strip()):
        end += 1
    return "".join(lines[:start] + lines[end:])


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_removing_a_section_fails_both_the_checker_and_the_completeness_test(
    locale: str, bundled_copy: Path, run_check
) -> None:
    path = bundled_copy / "locales" / locale / "notice.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    sections_line = next(n for n, line in enumerate(lines, start=1) if line.startswith("sections:"))
    path.write_text(without_section(lines, "retention"), encoding="utf-8")

    result = run_check(bundled_copy)
    assert result.exit_code == 1
    assert [line for line in result.lines("error") if "missing section" in line] == [
        f"locales/{locale}/notice.yaml:{sections_line}:1: error: locale '{locale}' is missing section 'retention' "
        "(add `retention:` with its title and body under `sections:`; every locale has every section of the outline)"
    ]
    with pytest.raises(AssertionError, match="has no section 'retention'"):
        assert_locale_has_section(bundled_copy, locale, "retention")


@botpress_text
def test_bundled_notice_passes_strict_and_lists_its_known_gaps(run_check) -> None:
    result = run_check(PROJECT, "--strict")
    assert result.exit_code == 0, "\n".join(result.lines())
    assert result.lines() == []
    acknowledged = result.lines("acknowledged")
    # 14 contacts without an address, 7 lost lists in each of 2 locales, 1 partial list, 1 set of lost links
    assert len(acknowledged) == 14 + 7 * 2 + 1 + 1
    assert (
        "notice/data/contacts.yaml:41:1: acknowledged: contact 'dpo' has no e-mail address: "
        "known gap 'contact-addresses'" in acknowledged
    )
    assert any("section 'cookies': known gap 'cookie-purposes'" in line for line in acknowledged)
    assert result.summary == "notice check (strict) passed: 0 errors, 0 warnings, 30 acknowledged known gaps"


@botpress_text
def test_every_translation_records_its_current_source_text() -> None:
    checked = check_notice(PROJECT)
    assert not [d for d in checked.report.warnings if "translation" in d.message]

"""Malformed notices: each case in tests/check_cases/ breaks the minimal fixture one way.

A case is one YAML file: `description`, the `edit`s to make (find/replace, whole-file `write`, or
`delete`), and the exact lines `notice check` must print for it (`expect`; acknowledged gaps and
the summary are not part of it). `strict: true` runs with --strict.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

CASES = sorted((Path(__file__).parent / "check_cases").glob("*.yaml"))


def apply_edits(root: Path, case: dict) -> None:
    for relative, edits in case.get("edit", {}).items():
        path = root / relative
        text = path.read_text(encoding="utf-8")
        for edit in edits:
            assert text.count(edit["find"]) == 1, f"{relative}: {edit['find']!r} must occur exactly once"
            text = text.replace(edit["find"], edit["replace"])
        path.write_text(text, encoding="utf-8")
    for relative, content in case.get("write", {}).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:  # raw bytes given as a list of integers, for encoding errors
            path.write_bytes(bytes(content))
    for relative in case.get("delete", []):
        (root / relative).unlink()


def test_there_are_at_least_twenty_cases() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case_file", CASES, ids=[case.stem for case in CASES])
def test_check_case(case_file: Path, minimal_copy: Path, run_check) -> None:
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    apply_edits(minimal_copy, case)
    options = ["--strict"] if case.get("strict") else []
    result = run_check(minimal_copy, *options)
    assert result.lines() == case["expect"], case["description"]
    assert result.exit_code == case.get("exit", 1)
    assert result.summary.startswith("notice check")

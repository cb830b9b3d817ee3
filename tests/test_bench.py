"""The benchmark (`make bench`): its synthetic notice is the same for a seed and a valid notice, and its report
ends with the ratio line. Nothing here times anything: benchmarks print, tests do not time."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from noticegen.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from bench import GROWTH, ROWS, builds, growth_sizes, ratio_line, table
from serve_reload import edited
from synthetic import Size, _files_digest, generate, make_notice
from timed_build import Timing

TINY = Size(locales=2, versions=2, sections=3)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_notice(TINY, tmp_path_factory.mktemp("bench-cache"))


def test_the_same_seed_makes_the_same_notice(tiny: Path, tmp_path: Path) -> None:
    again = make_notice(TINY, tmp_path)
    assert again != tiny
    assert _files_digest(again) == _files_digest(tiny)


def test_another_seed_makes_another_notice(tiny: Path, tmp_path: Path) -> None:
    other = make_notice(Size(2, 2, 3, seed=17), tmp_path)
    assert _files_digest(other, "locales/**/*.yaml") != _files_digest(tiny, "locales/**/*.yaml")


def test_remembering_checks_changes_nothing_the_release_writes(tiny: Path, tmp_path: Path) -> None:
    """make_notice remembers the checks of unchanged files; releasing with every check made anew writes the same."""
    generate(tmp_path / "plain", TINY)
    assert _files_digest(tmp_path / "plain") == _files_digest(tiny)


def test_the_notice_has_its_locales_versions_and_sections(tiny: Path) -> None:
    assert sorted(path.name for path in (tiny / "locales").iterdir()) == ["en", "zh"]
    assert len(list((tiny / "notice" / "versions").iterdir())) == 2
    english = (tiny / "locales" / "en" / "notice.yaml").read_text(encoding="utf-8")
    assert len(re.findall(r"^  section-\d{3}:$", english, re.MULTILINE)) == 3
    assert "    table:" in english


def test_the_generated_notice_passes_notice_check(tiny: Path) -> None:
    assert main(["check", "--quiet", "--path", str(tiny)]) == 0


def test_an_edit_changes_the_first_section_title_quoted_or_plain() -> None:
    text = 'title: "Doc"\nsections:\n  a:\n    title: "First"\n  b:\n    title: Second\n'
    assert edited(text, "edit 1") == text.replace('"First"', '"First (edit 1)"')
    assert edited("sections:\n  a:\n    title: Plain\n", "edit 2") == "sections:\n  a:\n    title: Plain (edit 2)\n"


def timing(wall: float) -> Timing:
    return Timing(wall=wall, cpu=wall * 0.9, peak_mb=120.4, size_mb=4.25, files=116)


def test_the_table_has_a_row_per_build_and_ratios_to_the_baselines() -> None:
    results = {"project": [timing(30), timing(10), timing(20)], "warm": [timing(4)], "a": [timing(8)], "b": [timing(5)]}
    lines = table(results)
    assert lines[0] == "| build | wall s | CPU s | / (a) | / (b) | CPU / (a) | peak MB | site MB | files |"
    assert lines[2].endswith(" | 20.00 | 18.00 | 2.50 | 4.00 | 2.50 | 120 | 4.2 | 116 |")  # medians; peak: the most
    assert [line.split(" | ")[0] for line in lines[2:]] == [
        "| this project, `mkdocs build`, cold (PDFs on)",
        "| this project, warm (caches kept, 1 section edited)",
        "| (a) same pages, MkDocs + Material + static-i18n",
        "| (b) same pages, MkDocs + Material, no i18n",
    ]
    assert len(lines) == 2 + 4  # no row for a build that did not run (nopdf)
    assert ratio_line(results) == "build / baseline (a): 2.50"


def test_one_run_of_a_tiny_notice_prints_the_table_then_the_ratio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One real run of every build (English only: no CJK font to lay out in its PDFs), without the profile."""
    lines, results = builds(Size(1, 2, 3), runs=1, pdf_runs=1, profile=False, cache=tmp_path)
    assert [len(results[kind]) for kind in ROWS] == [1, 1, 1, 1, 1]
    assert lines[0].startswith("| build | wall s |")
    assert len(lines) == 2 + len(ROWS)
    last = ratio_line(results)
    assert re.fullmatch(r"build / baseline \(a\): \d+\.\d\d", last)
    printed = capsys.readouterr().out
    assert "run 1, this project, warm (caches kept, 1 section edited):" in printed


def test_the_growth_series_is_all_sizes_or_those_named() -> None:
    assert growth_sizes("1") == GROWTH
    assert growth_sizes("2x20x30, 10x5x30") == (Size(2, 20, 30), Size(10, 5, 30))

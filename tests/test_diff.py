"""`notice diff`: the redline of the working text against the version in force, or between two versions, for a
terminal, a log, a pull request's summary (Markdown) and a page (HTML)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from conftest import (
    BOTPRESS,
    COUNSEL,
    COUNSEL_BUILT_ON,
    COUNSEL_VERSIONS,
    LINE,
    MINIMAL,
    SECOND_VERSION,
    copy_notice,
    release_counsel_history,
    release_on,
    release_second_version,
    replace_once,
)
from noticegen import cli
from noticegen.cli import main

# A date on which the Botpress fixture's only version (2025-09-23) is in force.
ON = "2026-01-01"
RETENTION_ZH = "我们仅在为实现预定处理目的所需的时间内,或在您或我们的客户要求销毁数据之前,保留您的个人数据。"
RETENTION_ZH_REST = "数据的保留期限取决于收集和使用个人数据的原因和/或相关法律的要求。"
RETENTION_EN = "only for as long as necessary"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def diff(capsys: pytest.CaptureFixture[str], root: Path, *options: str) -> tuple[int, str, str]:
    code = main(["diff", *options, "--date", ON, "--path", str(root)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def edited(tmp_path: Path) -> Path:
    """The Botpress notice with one sentence of its retention section reworded in the source locale (zh): a
    word inserted (必) and one replaced (时间 -> 期限)."""
    root = copy_notice(BOTPRESS, tmp_path / "notice")
    replace_once(root / "locales/zh/notice.yaml", "所需的时间内", "所必需的期限内")
    return root


def test_an_edited_sentence_is_shown_in_its_section_and_nothing_else(
    edited: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = diff(capsys, edited, "--format", "text")
    assert code == 0
    assert out == (
        "Redline of the working text against version 2025-09-23 (in force), in 简体中文 (zh)\n"
        "\n"
        "## retention: 数据保留 (changed)\n"
        "我们仅在为实现预定处理目的所{+必+}需的[-时间-]{+期限+}内,或在您或我们的客户要求销毁数据之前,保留您的个人数据。"
        + RETENTION_ZH_REST
        + "\n\n51 sections unchanged.\n"
    )


def test_no_change_says_no_differences(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = diff(capsys, copy_notice(BOTPRESS, tmp_path / "notice"))
    assert code == 0
    assert out.splitlines()[-1] == "no differences"


def test_only_the_paragraphs_that_changed_are_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_notice(BOTPRESS, tmp_path / "notice")
    path = root / "locales/zh/notice.yaml"
    replace_once(path, RETENTION_ZH_REST, RETENTION_ZH_REST + "\n\n      新的一段。")
    assert diff(capsys, root)[1].splitlines()[2:5] == ["## retention: 数据保留 (changed)", "…", "{+新的一段。+}"]
    # A paragraph split in two: the break is marked, the paragraphs around it are shown.
    replace_once(path, RETENTION_ZH + RETENTION_ZH_REST, RETENTION_ZH + "\n\n      " + RETENTION_ZH_REST)
    assert diff(capsys, root)[1].splitlines()[2:6] == [
        "## retention: 数据保留 (changed)",
        RETENTION_ZH + "{+¶+}",
        "…",
        "{+新的一段。+}",
    ]


def test_a_changed_title_and_a_moved_section_are_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_notice(BOTPRESS, tmp_path / "notice")
    replace_once(root / "locales/zh/notice.yaml", "    title: 数据保留\n", "    title: 数据的保留\n")
    replace_once(
        root / "notice/notice.yaml", "  - id: intro\n  - id: definitions\n", "  - id: definitions\n  - id: intro\n"
    )
    code, out, _ = diff(capsys, root)
    assert code == 0
    assert out.splitlines()[2:] == [
        "## definitions: 定义 (moved)",
        "(moved; its text is unchanged)",
        "",
        "## retention: 数据的保留 (changed)",
        "title: 数据{+的+}保留",
        "",
        "50 sections unchanged.",
    ]


def test_markdown_escapes_the_text_and_marks_the_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_notice(BOTPRESS, tmp_path / "notice")
    replace_once(root / "locales/en/notice.yaml", RETENTION_EN, "only for as long as needed (a * b | c)")
    code, out, _ = diff(capsys, root, "--format", "markdown", "--locale", "en")
    assert code == 0
    assert out.splitlines()[:4] == [
        "### Redline of the working text against version 2025-09-23 (in force), in English (en)",
        "",
        "#### `retention`: How long do we retain personal data? (changed)",
        "",
    ]
    assert "only for as long as <del>necessary</del><ins>needed (a \\* b \\| c)</ins> to achieve" in out
    assert out.endswith("\n_51 sections unchanged._\n")


def test_two_released_versions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_notice(BOTPRESS, tmp_path / "notice")
    release_second_version(root)
    capsys.readouterr()
    code, out, _ = diff(capsys, root, "2025-09-23", SECOND_VERSION, "--locale", "en")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        f"Redline of version {SECOND_VERSION} (in force) against version 2025-09-23 (archived), in English (en)"
    )
    assert [line for line in lines if line.startswith("## ")] == [
        "## retention: How long do we retain personal data? (changed)"
    ]
    assert "only for as long as {+strictly+} necessary" in out
    # FROM alone: that version against the working text, which is the second version's text.
    assert diff(capsys, root, SECOND_VERSION)[1].splitlines()[-1] == "no differences"


def test_an_unknown_version_is_refused_with_the_known_ones(edited: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = diff(capsys, edited, "2025-01-01")
    assert code == 1
    assert out == ""
    assert err == (
        "notice diff: no version '2025-01-01'; the versions are: 2025-09-23 (and `working`, the text being edited)\n"
    )


def test_working_names_the_working_text(edited: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = diff(capsys, edited, "working", "2025-09-23")
    assert code == 0
    assert out.splitlines()[0] == "Redline of version 2025-09-23 (in force) against the working text, in 简体中文 (zh)"
    assert "所[-必-]需的[-期限-]{+时间+}内" in out


def test_locale_chooses_the_text_compared(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_notice(BOTPRESS, tmp_path / "notice")
    replace_once(root / "locales/en/notice.yaml", RETENTION_EN, "only for as long as strictly necessary")
    assert diff(capsys, root)[1].splitlines()[-1] == "no differences"  # the source locale, zh, is as it was
    code, out, _ = diff(capsys, root, "--locale", "en")
    assert code == 0
    assert "only for as long as {+strictly+} necessary" in out
    code, _, err = diff(capsys, root, "--locale", "fr")
    assert code == 1
    assert err == "notice diff: version 2025-09-23 has no locale 'fr'; its locales are: en, zh\n"


def test_a_translation_that_did_not_follow_shows_the_source_change(
    edited: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = diff(capsys, edited, "--locale", "en")
    assert code == 0
    assert out.splitlines()[2:4] == [
        "## retention: How long do we retain personal data? (translation not updated)",
        "The source text (zh) changed and this translation has not followed yet. The change in zh:",
    ]
    assert "所{+必+}需的[-时间-]{+期限+}内" in out


def test_colour_only_when_asked_or_on_a_terminal(
    edited: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert not ANSI.search(diff(capsys, edited)[1])  # not a terminal: plain, with markers
    coloured = diff(capsys, edited, "--color", "always")[1]
    assert "所\x1b[32;4m必\x1b[0m需的\x1b[31;9m时间\x1b[0m\x1b[32;4m期限\x1b[0m内" in coloured
    assert "{+" not in coloured
    # --color auto (the default) on a terminal: coloured, unless NO_COLOR says otherwise.
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert cli.colour("auto") and not cli.colour("never")
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cli.colour("auto") and cli.colour("always")


def test_html_is_a_page_with_the_sites_redline_markup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_notice(BOTPRESS, tmp_path / "notice")
    replace_once(root / "locales/en/notice.yaml", RETENTION_EN, "only for as long as R&D needs")
    code, out, _ = diff(capsys, root, "--format", "html", "--locale", "en")
    assert code == 0
    assert out.startswith('<!DOCTYPE html>\n<html lang="en" dir="ltr">\n')
    assert (
        'as <del><span class="notice-sr">deleted: </span>necessary</del>'
        '<ins><span class="notice-sr">inserted: </span>R&amp;D needs</ins>'
    ) in out
    assert out.count("<section ") == 1
    assert '<section id="retention">' in out


def test_a_table_is_compared_cell_by_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_notice(COUNSEL, tmp_path / "counsel")
    release_counsel_history(root)
    capsys.readouterr()
    first, second = COUNSEL_VERSIONS
    code = main(["diff", first, second, "--date", COUNSEL_BUILT_ON, "--path", str(root)])
    out = capsys.readouterr().out
    assert code == 0
    section = out.split("## purposes-and-lawful-bases: ")[1].split("\n\n")[0].splitlines()
    rows = [line.strip() for line in section if line.startswith("  row ")]
    assert [row.split(": ")[0] for row in rows] == [
        "row basis-security (changed)",
        "row basis-legal (removed)",
        "row basis-support (added)",
    ]
    # A changed row shows the cells that changed, each named by its column; the others every cell, marked.
    assert rows[0].startswith("row basis-security (changed): Lawful basis: Our legitimate interest in [-protecting-]")
    assert "{+keeping+} our service and its users {+safe+} (Article 6(1)(f) GDPR)" in rows[0]
    assert rows[2] == (
        "row basis-support (added): Purpose: {+Answering your questions+}; Personal data used: {+your messages+}; "
        "Lawful basis: {+Contract.+} / {+Or our legitimate interest.+}"
    )


def test_nothing_released_yet_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = diff(capsys, copy_notice(MINIMAL, tmp_path / "minimal"))
    assert code == 0
    assert out == ("notice diff: no version has been released yet: there is nothing to compare the working text with\n")


def test_a_broken_notice_prints_its_problems(edited: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace_once(
        edited / "locales/zh/notice.yaml", "  retention:\n    title: 数据保留\n", "  retention:\n    titel: 数据保留\n"
    )
    code, out, _ = diff(capsys, edited)
    assert code == 1
    errors = [line for line in out.splitlines() if (match := LINE.match(line)) and match["severity"] == "error"]
    assert errors == [
        "locales/zh/notice.yaml:106:5: error: 'sections.retention' has no 'title' "
        "(add `title:`: the section's heading)",
        "locales/zh/notice.yaml:106:5: error: unknown key 'titel' (did you mean 'title'?)",
    ]
    assert out.splitlines()[-1].startswith("notice check failed: ")


def test_a_changed_link_target_is_shown_in_the_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The words are the same but a link leads elsewhere: a change of the binding text all the same."""
    root = copy_notice(BOTPRESS, tmp_path / "notice")
    text = (root / "locales/zh/notice.yaml").read_text(encoding="utf-8")
    old = re.search(r"\]\(#subprocessors\)", text)
    assert old is not None
    (root / "locales/zh/notice.yaml").write_text(text.replace("](#subprocessors)", "](#rights)", 1), encoding="utf-8")
    code, out, _ = diff(capsys, root, "--color", "never")
    assert code == 0
    assert "(changed)" in out and "no differences" not in out
    assert "(the wording is unchanged; links or formatting changed, so the Markdown source is compared)" in out
    assert "(#[-subprocessors-]{+rights+})" in out


def test_markdown_marks_do_not_depend_on_the_punctuation_around_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An inserted quotation mark next to a word: with ** the unchanged word would turn bold."""
    root = copy_notice(BOTPRESS, tmp_path / "notice")
    replace_once(root / "locales/en/notice.yaml", "or our Customer requests", "or our “Customer” (as defined) requests")
    _, out, _ = diff(capsys, root, "--format", "markdown", "--locale", "en")
    assert "our <ins>“</ins>Customer<ins>” (as defined)</ins> requests" in out


def test_the_page_of_changes_says_when_only_a_link_or_the_formatting_changed(tmp_path: Path) -> None:
    root = copy_notice(BOTPRESS, tmp_path / "notice")
    path = root / "locales/zh/notice.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("](#subprocessors)", "](#rights)", 1), encoding="utf-8")
    summaries = ["--summary", "en=A link corrected.", "--summary", "zh=更正了一个链接。"]
    arguments = ["release", SECOND_VERSION, "--change", "editorial", "--published", "2025-10-15", *summaries]
    assert release_on("2025-10-15", [*arguments, "--path", str(root)]) == 0
    assert main(["pages", str(tmp_path / "out"), "--path", str(root), "--date", "2026-01-01"]) == 0
    page = (tmp_path / "out/zh/versions" / SECOND_VERSION / "changes/index.md").read_text(encoding="utf-8")
    assert "措辞未变；链接或格式有所更改。下面比较的是源文本。" in page
    assert '<p class="notice-markup-changed" role="note">' in page
    assert '[附录1](#<del><span class="notice-sr">删除：</span>subprocessors</del>' in page


def test_the_notice_s_summary_is_compared_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A summary written after the version in force was released: added, in every format."""
    root = copy_notice(MINIMAL, tmp_path / "notice")
    summaries = ["--summary", "en=First.", "--summary", "fr=Première."]
    assert (
        release_on("2026-01-01", ["release", "2026-01-01", "--change", "material", *summaries, "--path", str(root)])
        == 0
    )
    for code, summary in (("en", "We answer you."), ("fr", "Nous vous répondons.")):
        replace_once(root / f"locales/{code}/notice.yaml", "\nsections:\n", f"\nsummary: {summary}\nsections:\n")
    code, out, _ = diff(capsys, root, "--format", "text", "--locale", "en")
    assert code == 0
    assert out.split("\n\n")[1] == "## summary (added)\n{+We answer you.+}"
    _, markdown, _ = diff(capsys, root, "--format", "markdown", "--locale", "fr")
    assert "#### `summary` (added)\n\n<ins>Nous vous répondons.</ins>" in markdown
    _, page, _ = diff(capsys, root, "--format", "html", "--locale", "fr")
    assert '<section id="notice-summary">\n<h2>Résumé</h2>' in page
    assert '<ins><span class="notice-sr">ajouté : </span>Nous vous répondons.</ins>' in page

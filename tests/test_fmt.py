"""`notice fmt`: one canonical layout of the working source files, comments and values kept."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import BOTPRESS, COUNSEL, copy_notice, release_counsel_history
from noticegen.cli import main
from noticegen.commands.init import Settings, init_project
from noticegen.commands.yaml_layout import canonical_text
from noticegen.source import formats


def fmt(root: Path, capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, list[str]]:
    code = main(["fmt", *arguments, "--path", str(root)])
    captured = capsys.readouterr()
    return code, (captured.out + captured.err).splitlines()


def digests(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def counsel(tmp_path: Path) -> Path:
    return copy_notice(COUNSEL, tmp_path / "counsel")


NOTICE_IN_ORDER = """\
# yaml-language-server: $schema=../schemas/notice.schema.json
# The notice itself.

controller:
  name: Example Ltd.   # the legal name
locales:
  source_locale: en
  default_locale: en
  available:
    en:
      name: English
    fr:
      name: Français
# Every section, in reading order.
outline:
  - id: intro
  - id: contact
  - id: rights
  - id: rights-access
    parent: rights
aliases:
  old-contact: contact
"""

# The same notice, its keys in another order: the outline first (with the comment above it), the locales
# last, and the codes of the locales swapped (their order is the editor's: it stays).
NOTICE_REORDERED = """\
# yaml-language-server: $schema=../schemas/notice.schema.json
# The notice itself.

# Every section, in reading order.
outline:
  - parent: rights
    id: rights-access
aliases:
  old-contact: contact
controller:
  name: Example Ltd.   # the legal name
locales:
  available:
    fr:
      name: Français
    en:
      name: English
  default_locale: en
  source_locale: en
"""

NOTICE_REORDERED_LAID_OUT = """\
# yaml-language-server: $schema=../schemas/notice.schema.json
# The notice itself.

controller:
  name: Example Ltd.   # the legal name
locales:
  source_locale: en
  default_locale: en
  available:
    fr:
      name: Français
    en:
      name: English
# Every section, in reading order.
outline:
  - id: rights-access
    parent: rights
aliases:
  old-contact: contact
"""


def test_a_notice_in_the_canonical_layout_passes_the_check(counsel: Path, capsys) -> None:
    assert fmt(counsel, capsys, "--check") == (0, ["notice fmt --check: 7 file(s) in the canonical layout"])


def test_a_file_whose_keys_were_reordered_fails_the_check_named_and_untouched(counsel: Path, capsys) -> None:
    (counsel / "notice/notice.yaml").write_text(NOTICE_REORDERED, encoding="utf-8")
    code, lines = fmt(counsel, capsys, "--check")
    assert code == 1
    assert lines[0] == "notice/notice.yaml: not in the canonical layout"
    assert "  -# Every section, in reading order." in lines  # the first differing lines, as a diff
    assert lines[-1] == "notice fmt --check: 1 of 7 file(s) would be laid out anew (run `notice fmt`)"
    assert (counsel / "notice/notice.yaml").read_text(encoding="utf-8") == NOTICE_REORDERED


def test_fmt_puts_the_keys_in_the_schemas_order_and_the_comments_stay_with_their_keys(counsel: Path, capsys) -> None:
    (counsel / "notice/notice.yaml").write_text(NOTICE_REORDERED, encoding="utf-8")
    assert fmt(counsel, capsys) == (
        0, ["notice/notice.yaml: laid out", "notice fmt: 1 of 7 file(s) laid out anew"]
    )  # fmt: skip
    assert (counsel / "notice/notice.yaml").read_text(encoding="utf-8") == NOTICE_REORDERED_LAID_OUT
    assert fmt(counsel, capsys, "--check")[0] == 0


def test_a_file_in_the_layout_is_left_as_it_is_with_its_leading_comments() -> None:
    assert canonical_text(NOTICE_IN_ORDER, "notice/notice.yaml", formats.NOTICE) == NOTICE_IN_ORDER


def test_text_takes_one_style_and_keeps_its_value() -> None:
    before = (
        "title: 'Privacy notice'\n"  # quotes that are not needed
        "sections:\n"
        "  intro:\n"
        '    body: "First line.\\nSecond line.\\n"\n'  # multi-line text in quotes
        "    title: >-\n"  # a folded one-line title, after the body
        "      Who we\n"
        "      are\n"
        "    source_hash: '0123456789ab'\n"
        "  rights:\n"
        "    title: 'yes'\n"  # quotes that are needed: plain `yes` is true
        "    body: |  \n"
        "      Ask us.   \n"  # trailing spaces inside text are the text's own
    )
    after = canonical_text(before, "locales/en/notice.yaml", formats.LOCALE_TEXT)
    assert after == (
        "title: Privacy notice\n"
        "sections:\n"
        "  intro:\n"
        '    source_hash: "0123456789ab"\n'
        "    title: Who we are\n"
        "    body: |\n"
        "      First line.\n"
        "      Second line.\n"
        "  rights:\n"
        "    title: 'yes'\n"
        "    body: |\n"
        "      Ask us.   \n"
    )
    assert yaml.safe_load(after) == yaml.safe_load(before)


def test_an_unparsable_file_is_named_with_its_line_and_left_byte_for_byte(counsel: Path, capsys) -> None:
    broken = counsel / "locales/en/site.yaml"
    content = broken.read_bytes().replace(b"\npermalink:", b"\npermalink: [unclosed\nx:", 1)
    broken.write_bytes(content)
    line = content[: content.index(b"\nx:")].count(b"\n") + 2
    for options in ((), ("--check",)):
        code, lines = fmt(counsel, capsys, *options)
        assert code == 1
        assert lines[0].startswith(f"locales/en/site.yaml:{line}:")
        assert lines[0].endswith("(the file is left as it was)")
        assert broken.read_bytes() == content


def test_a_released_version_is_never_touched(tmp_path: Path, capsys) -> None:
    project = copy_notice(BOTPRESS, tmp_path / "bundled")
    versions = project / "notice/versions"
    before = digests(versions)
    snapshot = "notice/versions/2025-09-23/notice/notice.yaml"
    assert canonical_text((project / snapshot).read_text(encoding="utf-8"), snapshot, formats.NOTICE) != (
        project / snapshot
    ).read_text(encoding="utf-8")  # it is not in the canonical layout, and stays so
    assert fmt(project, capsys)[0] == 0
    assert main(["fmt", "--path", str(project), str(project / snapshot)]) == 1
    assert capsys.readouterr().err == (
        f"notice fmt: {project / snapshot}: is part of a released version, which is never reformatted (it is locked)\n"
    )
    assert digests(versions) == before
    assert main(["check", "--strict", str(project)]) == 0


def test_a_new_project_and_its_releases_are_in_the_canonical_layout(tmp_path: Path, capsys) -> None:
    project = tmp_path / "acme"
    settings = Settings('ACME "Quotes": Ltd', "de", "Deutsch", "https://example.github.io/privacy/", "a@example.com")
    init_project(project, settings, requirement="noticegen==0.1.0")
    assert fmt(project, capsys, "--check")[0] == 0
    assert (project / ".pre-commit-config.yaml").is_file()
    counsel = copy_notice(COUNSEL, tmp_path / "counsel")
    release_counsel_history(counsel)  # stamps, releases, and the changelog they write
    capsys.readouterr()
    assert fmt(counsel, capsys, "--check")[0] == 0


# Text an editor might write: words, quotes, colons, hashes, line breaks, spaces at either end.
TEXT = st.text(alphabet=st.sampled_from([*"ab yes:#'\"-\n{}[],&*!|>%@`", "é", "中"]), max_size=12)
SCALAR = st.one_of(TEXT, st.integers(-5, 5), st.booleans(), st.none(), st.dates())
DATA = st.dictionaries(
    st.sampled_from(["title", "body", "name", "id", "note", "x"]),
    st.one_of(SCALAR, st.lists(SCALAR, max_size=3), st.dictionaries(st.sampled_from(["en", "zh"]), SCALAR)),
    max_size=5,
)


@settings(max_examples=60, deadline=None)
@example({"title": ":>"}, None, True)  # plain in YAML 1.2's flow style, not in the checker's YAML 1.1
@given(DATA, st.sampled_from([None, "'", '"', "|"]), st.booleans())
def test_the_layout_keeps_the_values_and_is_idempotent(data: dict, style: str | None, flow: bool) -> None:
    text = yaml.safe_dump(data, default_style=style, default_flow_style=flow, allow_unicode=True, width=20)
    once = canonical_text(text, "t.yaml", formats.LOCALE_TEXT)
    assert yaml.safe_load(once) == yaml.safe_load(text)
    assert canonical_text(once, "t.yaml", formats.LOCALE_TEXT) == once


def test_a_comment_above_the_first_key_of_a_nested_mapping_moves_with_it() -> None:
    before = (
        "controller:\n  name: X\nlocales:\n"
        "  # the locale at the site's root\n  default_locale: en   # English\n"
        "  # the locale translations are made from\n  source_locale: en\n"
        "  available:\n    en: {name: English}\noutline:\n  - id: a\n"
    )
    assert canonical_text(before, "notice/notice.yaml", formats.NOTICE) == (
        "controller:\n  name: X\nlocales:\n"
        "  # the locale translations are made from\n  source_locale: en\n"
        "  # the locale at the site's root\n  default_locale: en   # English\n"
        "  available:\n    en: {name: English}\noutline:\n  - id: a\n"
    )


def test_a_byte_order_mark_and_crlf_line_endings_go_and_the_text_stays() -> None:
    before = "\ufefftitle: Notice\r\nsections:\r\n  a:\r\n    title: A\r\n    body: |\r\n      One.\r\n      Two.\r\n"
    after = canonical_text(before, "locales/en/notice.yaml", formats.LOCALE_TEXT)
    assert after == "title: Notice\nsections:\n  a:\n    title: A\n    body: |\n      One.\n      Two.\n"


def test_a_file_is_named_relative_to_the_project_folder_from_anywhere(counsel: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(counsel.parent)
    assert main(["fmt", "--check", "--path", str(counsel), "locales/en/notice.yaml"]) == 0
    assert capsys.readouterr().out == "notice fmt --check: 1 file(s) in the canonical layout\n"


def test_a_file_changed_while_it_was_laid_out_is_never_overwritten(counsel: Path) -> None:
    """A release appending to the changelog, or an editor's save, between the reading and the writing: the
    newer content stays, and `notice fmt` says to run it again."""
    from noticegen.commands.fmt import lay_out, write_laid_out

    path = counsel / "notice/notice.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("outline:", "outline:  ", 1), encoding="utf-8")  # out of the layout
    outcome = lay_out(counsel, "notice/notice.yaml")
    assert outcome.changed
    path.write_text(text + "# saved meanwhile\n", encoding="utf-8")
    assert write_laid_out(counsel, outcome) == (
        "notice/notice.yaml: changed while it was being laid out, so it is left as it is now: run `notice fmt` again"
    )
    assert path.read_text(encoding="utf-8") == text + "# saved meanwhile\n"
    assert write_laid_out(counsel, lay_out(counsel, "notice/notice.yaml")) is None

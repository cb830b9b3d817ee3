"""Property: whatever an editor does to the files, `notice check` ends with messages, never a traceback."""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BOTPRESS, LINE, MINIMAL, copy_notice
from noticegen.checks.notice import check_notice
from noticegen.cli import main
from noticegen.model.notice import build_notice
from noticegen.render.notice_page import expand_body, render_plain_text
from noticegen.text.markup import markdown_to_html, policy_problems

NASTY = st.sampled_from(
    [
        ":",
        " ",
        "  ",
        "\t",
        "\n",
        "-",
        "- ",
        "{",
        "}",
        "[",
        "]",
        "&a ",
        "*a",
        "!!python/object ",
        "|",
        ">",
        "#",
        "'",
        '"',
        "{{",
        "}}",
        "{{contact:",
        "{{data:x.y}}",
        "](#",
        "<script>",
        "\x00",
        "\x1b",
        "\ufeff",
        "é",
        "中",
        "null",
        "~",
        "2025-02-30",
        "yes",
        "? ",
        "<<: ",
        "%YAML 1.1\n",
        "---\n",
        "...\n",
        "\\",
    ]
)


@st.composite
def mutation(draw, files: list[str]):
    relative = draw(st.sampled_from(files))
    kind = draw(st.sampled_from(["delete", "duplicate", "insert", "swap", "indent", "truncate", "bytes"]))
    return relative, kind, draw(st.integers(0, 10_000)), draw(st.integers(0, 10_000)), draw(NASTY)


def mutate(text: str, kind: str, a: int, b: int, token: str) -> str | bytes:
    lines = text.splitlines(keepends=True) or [""]
    i, j = a % len(lines), b % len(lines)
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(j, lines[i])
    elif kind == "insert":
        offset = a % (len(text) + 1)
        return text[:offset] + token + text[offset:]
    elif kind == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "indent":
        lines[i] = " " * (b % 5) + lines[i].lstrip(" ")
    elif kind == "truncate":
        return text[: a % (len(text) + 1)]
    elif kind == "bytes":
        return text.encode("utf-8")[: a % (len(text) + 1)] + bytes([b % 256])
    return "".join(lines)


def yaml_files(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*.yaml"))


BUNDLED_FILES = [path for path in yaml_files(BOTPRESS) if path.startswith(("notice/", "locales/"))]


def assert_ends_cleanly(root: Path) -> None:
    checked = check_notice(root)  # must not raise
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        code = main(["check", str(root)])
    lines = output.getvalue().splitlines()
    assert lines[-1].startswith("notice check ")
    if checked.report.errors:
        assert code == 1
        assert any(LINE.match(line) for line in lines)
    else:
        assert code == 0
        notice = build_notice(checked)  # a clean pass must give a notice that renders safely
        for locale in notice.locales:
            render_plain_text(notice, locale.code)
            for section_id, text in notice.texts[locale.code].sections.items():
                published = markdown_to_html(expand_body(notice, locale.code, text.body))
                assert policy_problems(published) == (), (locale.code, section_id, published)


def run_mutations(source: Path, mutations: list[tuple[str, str, int, int, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = copy_notice(source, Path(folder) / "notice")
        for relative, kind, a, b, token in mutations:
            path = root / relative
            mutated = mutate(path.read_text(encoding="utf-8", errors="replace"), kind, a, b, token)
            if isinstance(mutated, bytes):
                path.write_bytes(mutated)
            else:
                path.write_text(mutated, encoding="utf-8")
        assert_ends_cleanly(root)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutation(yaml_files(MINIMAL)), min_size=1, max_size=3))
def test_mutated_minimal_notice_never_crashes_the_checker(mutations) -> None:
    run_mutations(MINIMAL, mutations)


# A quarter of the profile's examples: each one checks the whole bundled notice (~0.5 s), and the minimal
# notice's test above mutates the same kinds of file many more times (`--hypothesis-profile=stress` goes deep).
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    max_examples=max(50, settings.default.max_examples // 4),
)
@given(st.lists(mutation(BUNDLED_FILES), min_size=1, max_size=2))
def test_mutated_bundled_notice_never_crashes_the_checker(mutations) -> None:
    run_mutations(BOTPRESS, mutations)

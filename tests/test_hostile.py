"""The hostile corpus: input that tries to inject, crash, hang or destroy, and what must happen to it.

Malformed YAML text lives in tests/check_cases/; here are the cases a YAML file cannot describe: the
file system (links, folders, pipes, sizes, permissions), the environment, the command line, concurrent
builds, and pages that must never be published.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import MINIMAL, MINIMAL_MKDOCS, PROJECT, copy_notice, mkdocs, release_on, replace_once
from noticegen.checks.settings import RESERVED_IDS
from noticegen.cli import main
from noticegen.mkdocs_plugin.page_policy import content_security_policy, inline_script_problems, script_hash
from noticegen.render.notice_page import TITLE_ID
from noticegen.source.yamlsource import MAX_FILE_BYTES
from noticegen.text.markup import _PagePolicy, page_policy_problems

NOTICE = [sys.executable, "-m", "noticegen"]


def check(root: Path, *options: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`notice check` in a process of its own, so that a hang fails the test instead of stopping the suite."""
    return subprocess.run(
        [*NOTICE, "check", *options, str(root)], capture_output=True, text=True, timeout=timeout, check=False
    )


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stdout.splitlines() if ": error: " in line]


# --- the file system ------------------------------------------------------------------------------


def replace_with_fifo(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def relink(path: Path, target: str) -> None:
    path.unlink()
    path.symlink_to(target)


FILESYSTEM_CASES = {
    "folder-named-yaml-in-data": (
        lambda root: (root / "notice/data/x.yaml").mkdir(),
        "notice/data/x.yaml:1:1: error: x.yaml is a folder, not a file "
        "(a data file is a plain YAML file: remove or replace it)",
    ),
    "fifo-as-data-file": (
        lambda root: replace_with_fifo(root / "notice/data/contacts.yaml"),
        "notice/data/contacts.yaml:1:1: error: contacts.yaml is a named pipe (FIFO), not a file "
        "(a data file is a plain YAML file: remove or replace it)",
    ),
    "fifo-as-locale-text": (
        lambda root: replace_with_fifo(root / "locales/fr/notice.yaml"),
        "locales/fr/notice.yaml:1:1: error: notice.yaml is a named pipe (FIFO), not a file (fix or remove it)",
    ),
    "link-to-etc-passwd": (
        lambda root: (
            (root / "notice/data/gaps.yaml").unlink() or (root / "notice/data/gaps.yaml").symlink_to("/etc/passwd")
        ),
        "notice/data/gaps.yaml:1:1: error: gaps.yaml is a symbolic link to /etc/passwd, outside the project: "
        "it is not read (a data file is a plain YAML file: remove or replace it)",
    ),
    "link-out-of-tree-locale": (
        lambda root: (
            (root / "locales/fr/site.yaml").unlink() or (root / "locales/fr/site.yaml").symlink_to("/etc/hostname")
        ),
        "locales/fr/site.yaml:1:1: error: site.yaml is a symbolic link to /etc/hostname, outside the project: "
        "it is not read (fix or remove it)",
    ),
    "oversized-file": (
        lambda root: (root / "notice/data/representative.yaml").write_text("#" * (MAX_FILE_BYTES + 1) + "\n"),
        f"notice/data/representative.yaml:1:1: error: representative.yaml is {MAX_FILE_BYTES + 2} bytes, more than "
        f"the limit of {MAX_FILE_BYTES} bytes (2 MiB) for a source file (a data file is a plain YAML file: remove "
        "or replace it)",
    ),
    "stray-folder-in-versions": (
        lambda root: (root / "notice/versions/draft").mkdir(parents=True),
        "notice/versions/draft:1:1: error: 'draft' in notice/versions/ is not a released version (only `notice "
        "release` writes here, one folder per version named by its date: remove it)",
    ),
    "stray-file-in-versions": (
        lambda root: (root / "notice/versions").mkdir() or (root / "notice/versions/README").write_text("x"),
        "notice/versions/README:1:1: error: 'README' in notice/versions/ is not a released version (only `notice "
        "release` writes here, one folder per version named by its date: remove it)",
    ),
    "impossible-date-folder-in-versions": (
        lambda root: (root / "notice/versions/2025-02-30").mkdir(parents=True),
        "notice/versions/2025-02-30:1:1: error: '2025-02-30' in notice/versions/ is not a released version (only "
        "`notice release` writes here, one folder per version named by its date: remove it)",
    ),
}


STRAY_ENTRIES = {"impossible-date-folder-in-versions", "stray-file-in-versions", "stray-folder-in-versions"}


@pytest.mark.parametrize("name", sorted(FILESYSTEM_CASES))
def test_a_file_system_oddity_is_one_message_never_a_traceback_or_a_hang(name: str, minimal_copy: Path) -> None:
    make, expected = FILESYSTEM_CASES[name]
    make(minimal_copy)
    result = check(minimal_copy)
    assert expected in error_lines(result), result.stdout
    # A file that cannot be read at all makes the input unusable (exit 2); a stray entry is a check failure (1).
    assert result.returncode == (1 if name in STRAY_ENTRIES else 2)
    assert "Traceback" not in result.stderr


def test_an_unreadable_file_is_a_message(minimal_copy: Path, run_check, monkeypatch) -> None:
    """Refused permission. Root may read every file, so the system's refusal is made here, for that file."""
    from noticegen.source import yamlsource

    path = minimal_copy / "notice/data/contacts.yaml"
    access = os.access
    monkeypatch.setattr(yamlsource.os, "access", lambda file, mode: Path(file) != path and access(file, mode))
    result = run_check(minimal_copy)
    assert (
        "notice/data/contacts.yaml:1:1: error: contacts.yaml cannot be read: permission denied "
        "(a data file is a plain YAML file: remove or replace it)"
    ) in result.lines()


def test_a_file_that_fails_while_being_read_is_a_message(minimal_copy: Path, run_check, monkeypatch) -> None:
    path = minimal_copy / "notice/data/contacts.yaml"
    read_bytes = Path.read_bytes

    def refused(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refused)
    assert (
        "notice/data/contacts.yaml:1:1: error: contacts.yaml cannot be read: permission denied (fix or remove it)"
    ) in run_check(minimal_copy).lines()


def test_a_folder_linked_out_of_the_project_is_not_read(minimal_copy: Path, run_check) -> None:
    """A link out of the project is never followed, whether it is the file or one of its folders."""
    elsewhere = minimal_copy.parent / "translations-fr"
    shutil.move(minimal_copy / "locales/fr", elsewhere)
    (minimal_copy / "locales/fr").symlink_to(elsewhere, target_is_directory=True)
    result = run_check(minimal_copy)
    assert (
        "locales/fr/notice.yaml:1:1: error: notice.yaml is reached through a linked folder, at "
        f"{elsewhere.resolve() / 'notice.yaml'}, outside the project: it is not read (fix or remove it)"
    ) in result.lines()
    assert result.exit_code == 2  # the input cannot be read at all, as for a link out of the project


def test_a_link_inside_the_project_is_read(minimal_copy: Path) -> None:
    (minimal_copy / "shared.yaml").write_bytes((minimal_copy / "notice/data/gaps.yaml").read_bytes())
    (minimal_copy / "notice/data/gaps.yaml").unlink()
    (minimal_copy / "notice/data/gaps.yaml").symlink_to(minimal_copy / "shared.yaml")
    assert check(minimal_copy).returncode == 0


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (
            lambda snapshot: replace_with_fifo(snapshot / "notice/data/extra.yaml"),
            "notice check: notice/versions/2025-09-23/notice/data/extra.yaml: extra.yaml is a named pipe (FIFO), "
            "not a file",
        ),
        (
            lambda snapshot: (snapshot / "notice/data/extra.yaml").mkdir(),
            "notice check: notice/versions/2025-09-23/notice/data/extra.yaml: extra.yaml is a folder, not a file",
        ),
        (
            lambda snapshot: replace_with_fifo(snapshot / "SHA256SUMS"),
            "notice check: notice/versions/2025-09-23/SHA256SUMS: SHA256SUMS is a named pipe (FIFO), not a file",
        ),
    ],
    ids=["fifo-in-snapshot", "folder-named-yaml-in-snapshot", "fifo-as-sums"],
)
def test_a_special_file_in_a_snapshot_is_one_message_and_exit_2(bundled_copy: Path, make, expected: str) -> None:
    make(bundled_copy / "notice/versions/2025-09-23")
    result = check(bundled_copy)
    assert result.returncode == 2
    assert result.stderr.strip() == expected
    assert "Traceback" not in result.stderr


def test_release_freezes_yml_data_files_as_check_reads_them(minimal_copy: Path) -> None:
    from noticegen.source.versions import version_files

    (minimal_copy / "notice/data/gaps.yaml").rename(minimal_copy / "notice/data/gaps.yml")
    assert "notice/data/gaps.yml" in version_files(minimal_copy)
    assert check(minimal_copy).returncode == 0


# --- the environment --------------------------------------------------------------------------------

BAD_EPOCHS = ["garbage", "1e9", "", "99999999999999999", "-1", " 12", "0x10"]


@pytest.mark.parametrize("value", BAD_EPOCHS)
def test_a_malformed_source_date_epoch_is_one_message_and_exit_2(value: str, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert main(["check", str(MINIMAL)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    reason = "is after the year 9999" if value == "99999999999999999" else "is not a whole number of seconds"
    assert captured.err == (
        f"notice check: SOURCE_DATE_EPOCH={value!r} {reason} (unset it, or set it to a whole number of seconds "
        "since 1970-01-01, e.g. $(date +%s))\n"
    )


def test_a_malformed_source_date_epoch_stops_the_mkdocs_build_with_one_message(built_site_project: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "garbage"}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--quiet"],
        cwd=built_site_project, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "notice plugin: SOURCE_DATE_EPOCH='garbage' is not a whole number of seconds" in result.stderr
    assert "Traceback" not in result.stderr


# --- the command line ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ("en=Line\rbreak", "--summary for 'en' contains the control character U+000D (CARRIAGE RETURN) (delete it)"),
        ("en=Bidi \u202eevil", "--summary for 'en' contains the invisible direction control U+202E (RIGHT-TO-LEFT "
         "OVERRIDE) (delete it: it reorders the text as shown)"),
        ("en=Two\n# lines", "--summary for 'en' must be a single line (write it on one line; a line break in it "
         "would start new markup)"),
    ],
)  # fmt: skip
def test_a_release_summary_that_is_not_plain_text_is_refused(minimal_copy: Path, capsys, summary, expected) -> None:
    arguments = ["release", "2026-01-01", "--change", "material", "--summary", summary, "--summary", "fr=Résumé"]
    assert main([*arguments, "--path", str(minimal_copy)]) == 2
    assert capsys.readouterr().err == f"notice release: {expected}\n"
    assert not (minimal_copy / "notice/versions").exists()


def test_markdown_in_a_summary_is_published_as_text(tmp_path: Path) -> None:
    from noticegen.model.site import load_site
    from noticegen.render.pages import changelog_page

    root = copy_notice(MINIMAL, tmp_path / "m")
    summaries = ["--summary", "en=# <h1>Injected</h1> [x](javascript:alert(1))", "--summary", "fr=Résumé"]
    arguments = ["release", "2026-01-01", "--change", "material", "--published", "2025-11-01", *summaries]
    assert release_on("2025-11-01", [*arguments, "--path", str(root)]) == 0
    import datetime

    site, _ = load_site(root, datetime.date(2026, 2, 1))
    page = changelog_page(site, "en", "/")
    assert '<p class="notice-summary"># &lt;h1&gt;Injected&lt;/h1&gt; [x](javascript:alert(1))</p>' in page


def test_a_site_string_is_published_as_text_where_it_enters_a_body(minimal_copy: Path, run_check) -> None:
    """A gap note is written into a section's body before the body's references are expanded: a reference or
    a cross-reference in the site string stays the words the editor wrote."""
    from noticegen.checks.notice import check_notice
    from noticegen.model.notice import build_notice
    from noticegen.render.notice_page import render_page

    strings = minimal_copy / "locales/en/site.yaml"
    replace_once(strings, "missing_list: The list", "missing_list: The {{data:x.y}} [](#intro) list")
    assert run_check(minimal_copy).exit_code == 0
    page = render_page(build_notice(check_notice(minimal_copy)), "en")
    assert '<p class="notice-gap" role="note">The &#123;&#123;data:x.y&#125;&#125; &#91;&#93;(#intro) list' in page


@pytest.mark.parametrize(
    ("text", "column", "tag"),
    [
        ("Pay \\<div>here", 39, "<div>"),
        ('Pay \\<a href="https://evil.example/">here', 39, '<a href="https://evil.example/">'),
        ("Pay \\\\\\<details open>here", 41, "<details open>"),  # an escaped backslash, then the one that fails
        ("Pay \\<!-- hidden -->here", 39, "<!-- hidden -->"),
    ],
)
def test_a_backslash_before_html_is_refused_as_raw_html(
    minimal_copy: Path, run_check, text: str, column: int, tag: str
) -> None:
    """CommonMark, which the checks read, takes `\\<` as an escape; Python-Markdown, which renders, publishes the
    HTML after it: unseen, a <div> would swallow the rest of the page."""
    replace_once(
        minimal_copy / "locales/en/notice.yaml",
        "We care about your privacy. See [](#rights).",
        f"We care about your privacy. {text}",
    )
    result = run_check(minimal_copy)
    assert result.exit_code == 1
    assert (
        f"locales/en/notice.yaml:6:{column}: error: raw HTML is not allowed in the text: \\{tag} (a backslash does "
        "not keep '<' from starting HTML here: write &lt; for the character '<')"
    ) in result.lines()


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("\n\n- an item\n\n      <div>", 10, 13),  # code to CommonMark, the item's text to Python-Markdown
        ("\n\n1. an item\n\n       <p>", 10, 14),
    ],
)
def test_html_the_renderer_publishes_is_refused_where_the_checks_read_code(
    minimal_copy: Path, run_check, text: str, line: int, column: int
) -> None:
    replace_once(
        minimal_copy / "locales/en/notice.yaml",
        "We care about your privacy. See [](#rights).",
        "We care about your privacy. See [](#rights)." + text.replace("\n", "\n      "),
    )
    tag = text.strip().split("\n")[-1].strip()
    result = run_check(minimal_copy)
    assert result.exit_code == 1
    assert (
        f"locales/en/notice.yaml:{line}:{column}: error: raw HTML is not allowed in the text: {tag} (write Markdown "
        "instead: the site's renderer reads this as HTML, and publishes it as it is; in a list item, a line indented "
        "four spaces more than the item's text is still text, not code)"
    ) in result.lines()


def test_character_references_and_autolinks_are_no_raw_html() -> None:
    from noticegen.text.markup import raw_html_in

    assert raw_html_in("a &amp; b &#8212; c &#x2014; <https://a.example> <m@a.example> *x*") == ()
    assert raw_html_in("a <b>x</b>") == ("<b>", "</b>")


@pytest.mark.parametrize("text", ["children \\<13", "`\\<div>`", "&lt;div&gt;", "a \\< b", "\\\\<13"])
def test_a_backslash_before_text_that_is_no_html_stays_text(text: str) -> None:
    from noticegen.text.markup import raw_html_in

    assert raw_html_in(f"Pay {text} here") == ()


# --- reserved ids -------------------------------------------------------------------------------------


def test_the_page_heading_id_is_reserved() -> None:
    assert TITLE_ID in RESERVED_IDS and "notice-contents-title" in RESERVED_IDS


# --- the published page -------------------------------------------------------------------------------

THEME_SCRIPT = (
    '<script>__md_scope=new URL("../..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),'
    '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,'
    'a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}</script>'
)


def test_the_policy_hashes_the_theme_s_scripts_only() -> None:
    injected = "<script>document.title='x'</script>"
    page = f"<html><head><title></title>{injected} - X</title>{THEME_SCRIPT}</head></html>"
    policy = content_security_policy(page)
    assert script_hash(THEME_SCRIPT[8:-9]) in policy
    assert script_hash("document.title='x'") not in policy
    assert inline_script_problems(page) == [
        "an inline script that is not one of the theme's: <script>document.title='x'"
    ]


def test_a_theme_script_with_a_quote_in_its_value_is_not_the_theme_s() -> None:
    forged = THEME_SCRIPT.replace('"../.."', '"x",alert(1),"')
    assert inline_script_problems(forged) != []


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        # The theme's <img> is the publisher's logo, a file of the site: an image from elsewhere is a tracker.
        (
            '<img src="https://tracker.example/x.gif">',
            "an image from 'https://tracker.example/x.gif': a page shows only its site's",
        ),
        (
            '<img src="//tracker.example/x.gif">',
            "an image from '//tracker.example/x.gif': a page shows only its site's",
        ),
        ('<img src="/\\tracker.example/x">', "an image from '/\\tracker.example/x': a page shows only its site's"),
        ('<img src="assets/x.png" onerror="alert(1)">', "attribute 'onerror' on <img> is not allowed on a page"),
        ("<picture></picture>", "<picture> is not allowed on a page"),
        ('<a href="javascript:alert(1)">x</a>', "'javascript:' link 'javascript:alert(1)' is not allowed"),
        (
            '<a href="java&#x09;script:alert(1)">x</a>',
            "'javascript:' link 'java<U+0009>script:alert(1)' is not allowed",
        ),
        ('<div onclick="alert(1)">x</div>', "attribute 'onclick' on <div> is not allowed on a page"),
        ('<iframe src="https://example.com"></iframe>', "<iframe> is not allowed on a page"),
        ('<p style="background:url(x)">x</p>', "attribute 'style' on <p> is not allowed on a page"),
        ('<form action="https://evil.example">', "attribute 'action' on <form> is not allowed on a page"),
        ('<link rel="stylesheet" href="data:text/css,x">', "'data:' link 'data:text/css,x' is not allowed"),
        ('<svg onload="alert(1)"></svg>', "attribute 'onload' on <svg> is not allowed on a page"),
        ('<object data="x"></object>', "<object> is not allowed on a page"),
    ],
)
def test_the_page_allowlist_refuses_what_the_theme_never_writes(html: str, problem: str) -> None:
    assert [found for _, found in page_policy_problems(html)] == [problem]


# Lines a page may hold, some harmless alone and hostile in the state another line leaves the parser in (inside
# a tag's attribute, a comment, a script).
PAGE_LINES = [
    "<p>text</p>\n", '<a href="https://example.com">x</a>\n', '<a title="\n', '<script src=//evil.example>">\n',
    '"><img src=https://evil.example/x.png>\n', "<!-- \n", "-->\n", "<script>\n", 'var a = "<iframe>";\n',
    "</script>\n", '<div onclick="x">\n', "<style>\n", "</style>\n", "&amp\n", "<iframe\n", "src=x>\n",
    "text & more\n", '<a href="javascript:alert(1)">j</a>\n', "<![CDATA[\n", "]]>\n", "<!DOCTYPE html>\n",
    "</a>\n", "<span\n", "<p>a\rb<i>c</i>\u2028<b>d</b>\n", "<",
]  # fmt: skip


def problems_of_one_parse(page: str) -> list[tuple[str, str]]:
    policy = _PagePolicy()
    policy.feed(page)
    policy.close()
    return policy.problems


@pytest.mark.parametrize("seed", range(40))
def test_a_page_checked_line_by_line_has_the_problems_of_one_parse(seed: int) -> None:
    """Lines are checked once and their problems remembered (pages share most lines): a line seen first in
    one state and then in another (inside an attribute, a comment, a script) is checked again."""
    rnd = random.Random(seed)
    for _ in range(6):
        page = "".join(rnd.choice(PAGE_LINES) for _ in range(rnd.randint(1, 25)))
        assert page_policy_problems(page) == problems_of_one_parse(page), page


def test_a_site_override_with_an_inline_script_stops_the_build_naming_the_page(tmp_path: Path) -> None:
    root = copy_notice(MINIMAL, tmp_path / "site")
    (root / "generated").mkdir()
    (root / "overrides").mkdir()
    (root / "overrides/main.html").write_text(
        '{% extends "base.html" %}{% block content %}{{ super() }}<script>alert(1)</script>{% endblock %}'
    )
    (root / "mkdocs.yml").write_text(
        MINIMAL_MKDOCS.replace("  font: false\n", "  font: false\n  custom_dir: overrides\n")
    )
    result = mkdocs(root, "build", "--strict", check=False)
    assert result.returncode != 0
    assert (
        "notice plugin: page en/index.md (made from locales/en/notice.yaml, locales/en/site.yaml or notice/) would "
        "publish HTML outside the allowlist, so the build stops:\n  an inline script that is not one of the "
        "theme's: <script>alert(1)"
    ) in result.stderr
    assert "Traceback" not in result.stderr


# --- invisible characters in messages ------------------------------------------------------------------


def test_a_message_names_invisible_characters_instead_of_echoing_them(minimal_copy: Path, run_check) -> None:
    """U+202E would turn the rest of the terminal line around; U+200B makes two equal-looking words differ."""

    def edit(relative: str, old: str, new: str) -> None:
        path = minimal_copy / relative
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")

    edit("locales/fr/notice.yaml", "    title: Introduction\n", "    title: Introduction\n    ti\u202etle: x\n")
    edit("notice/notice.yaml", "  old-contact: contact\n", "  old-contact: cont\u202eact\n")
    edit("notice/data/contacts.yaml", "privacy@example.com", "privacy@exa\u200bmple.com")
    edit(
        "locales/en/notice.yaml",
        "See [](#rights).",
        "See {{contact:pri\u200bvacy}}, {{data:representative.na\u200bme}}.",
    )

    lines = [line for line in run_check(minimal_copy).lines() if ": error: " in line]

    assert lines == [
        "locales/en/notice.yaml:6:39: error: unknown contact 'pri<U+200B>vacy' (did you mean 'privacy'?)",
        "locales/en/notice.yaml:6:61: error: data reference 'representative.na<U+200B>me': 'representative' has no "
        "'na<U+200B>me' (did you mean 'name'?)",
        "locales/fr/notice.yaml:6:5: error: unknown key 'ti<U+202E>tle' (did you mean 'title'?)",
        "notice/data/contacts.yaml:2:10: error: 'privacy.email' 'privacy@exa<U+200B>mple.com' is not an e-mail "
        "address (write it as name@example.com)",
        "notice/notice.yaml:18:16: error: 'aliases.old-contact' 'cont<U+202E>act' is not a valid id (use lowercase "
        "ASCII letters, digits and single hyphens, starting with a letter)",
    ]
    assert not any(char in "\n".join(lines) for char in "\u202e\u200b")


def test_stamp_names_an_invisible_character_in_a_section_id(minimal_copy: Path, capsys) -> None:
    assert main(["stamp", "fr", "intro\u202e", "--path", str(minimal_copy)]) == 1
    assert capsys.readouterr().err == "notice stamp: no such section in 'fr': intro<U+202E>\n"


# --- concurrent builds ------------------------------------------------------------------------------


def test_two_builds_under_the_lock_take_turns(tmp_path: Path) -> None:
    """What `make site` runs under: the second build waits, says so, and never overlaps the first."""
    log = tmp_path / "log"
    step = f"echo start >> {log}; sleep 1; echo end >> {log}"
    command = [sys.executable, "-m", "noticegen.core.lock", str(tmp_path / ".site.lock"), "sh", "-c", step]
    first = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    second = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    assert first.wait(timeout=30) == 0 and second.returncode == 0
    assert log.read_text().split() == ["start", "end", "start", "end"]
    assert "waiting for it to finish" in second.stderr


def test_the_lock_passes_on_the_build_s_exit_code(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "noticegen.core.lock", str(tmp_path / "l"), "sh", "-c", "exit 3"]
    assert subprocess.run(command, check=False).returncode == 3


# --- shared: the minimal notice as a site of its own --------------------------------------------------


@pytest.fixture(scope="module")
def built_site_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_notice(MINIMAL, tmp_path_factory.mktemp("hostile") / "site")
    (root / "generated").mkdir()
    (root / "mkdocs.yml").write_text(MINIMAL_MKDOCS)
    return root


def test_the_minimal_site_builds(built_site_project: Path) -> None:
    mkdocs(built_site_project, "build", "--strict")
    assert (built_site_project / "site/fr/index.html").is_file()
    shutil.rmtree(built_site_project / "site")


_ = PROJECT


def test_brackets_the_renderer_reads_quickly_are_not_refused() -> None:
    """Only a paragraph that would hold Python-Markdown for long is refused (tests/check_cases/brackets-*): a long
    paragraph of half-open intervals, or brackets in fenced code, which the link pattern never reads, are not."""
    from noticegen.checks.sections import slow_block

    intervals = " ".join(f"tier {i}: [{i * 10}, {i * 10 + 10});" for i in range(120))
    code = "Run:\n\n```\n" + "\n".join("matrix[i" for _ in range(400)) + "\n```\n"
    assert slow_block(intervals) is None
    assert slow_block(code) is None
    assert slow_block("Intro.\n\n" + "[" * 3000 + " a" * 1000) == 2

"""Versions that never change: release, locks, the changelog, redlines, feeds and permanent anchors.

End to end in temporary copies of the bundled notice: edit, release, build, and look at the site.
"""

from __future__ import annotations

import datetime
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from conftest import (
    BOTPRESS,
    SECOND_VERSION,
    copy_site_project,
    edit_retention,
    mkdocs,
    release_on,
    release_second_version,
)
from noticegen.cli import main

ATOM = "{http://www.w3.org/2005/Atom}"
OLD, NEW = "2025-09-23", SECOND_VERSION


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def build_on(root: Path, day: str, monkeypatch: pytest.MonkeyPatch) -> None:
    epoch = int(datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.UTC).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    mkdocs(root, "build", "--strict")


# The day the tests release on: before NEW takes effect, with more than the notice period to go.
TODAY = "2025-10-01"


def release(root: Path, *args: str, on: str = TODAY) -> int:
    return release_on(on, ["release", *args, "--path", str(root)])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_site_project(BOTPRESS, tmp_path / "project")


@pytest.fixture
def released(project: Path) -> Path:
    """The bundled notice with a second version: retention reworded in both locales, effective NEW."""
    release_second_version(project)
    return project


def page(root: Path, path: str) -> str:
    return (root / "site" / path).read_text(encoding="utf-8")


def test_the_bundled_site_has_its_version_changelogs_and_feeds(built_site: Path) -> None:
    for path in (
        f"versions/{OLD}/index.html",
        f"zh/versions/{OLD}/index.html",
        f"versions/{OLD}/changes/index.html",
        "versions/index.html",
        "changelog/index.html",
        "zh/changelog/index.html",
        "feed.xml",
        "zh/feed.xml",
    ):
        assert (built_site / "site" / path).is_file(), path


def test_a_released_edit_is_served_with_the_old_version_unchanged(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_on(project, "2025-11-01", monkeypatch)
    old_pages = {path: page(project, path) for path in (f"versions/{OLD}/index.html", f"zh/versions/{OLD}/index.html")}
    snapshot = {p: p.read_bytes() for p in (project / "notice/versions" / OLD).rglob("*") if p.is_file()}

    edit_retention(project)
    assert main(["stamp", "en", "retention", "--path", str(project)]) == 0
    summaries = ["--summary", "en=Retention reworded.", "--summary", "zh=保留期限措辞修改。"]
    assert release(project, NEW, "--change", "material", "--published", "2025-10-15", *summaries, on="2025-10-15") == 0
    build_on(project, "2025-11-01", monkeypatch)

    assert {path: page(project, path) for path in old_pages} == old_pages
    assert {p: p.read_bytes() for p in (project / "notice/versions" / OLD).rglob("*") if p.is_file()} == snapshot
    for path in (f"versions/{NEW}/index.html", f"zh/versions/{NEW}/index.html"):
        assert "strictly necessary" in page(project, path) or "所必需的" in page(project, path)


def test_the_redline_shows_exactly_the_edit_in_each_locale(released: Path, monkeypatch) -> None:
    build_on(released, "2025-11-01", monkeypatch)
    zh = page(released, f"zh/versions/{NEW}/changes/index.html")
    en = page(released, f"versions/{NEW}/changes/index.html")
    assert zh.count("<ins>") == 1 and '<ins><span class="notice-sr">插入：</span>必</ins>' in zh
    assert en.count("<ins>") == 1 and 'as <ins><span class="notice-sr">inserted: </span>strictly</ins> necessary' in en
    assert "<del>" not in zh + en
    assert zh.count('<p class="notice-change-kind"><strong>已修改</strong></p>') == 1
    assert "Unchanged sections (51)" in en


def test_a_future_version_is_upcoming_then_current(released: Path, monkeypatch) -> None:
    build_on(released, "2025-11-01", monkeypatch)
    main_page = page(released, "index.html")
    assert 'An updated notice takes effect on <time datetime="2025-12-01">December 1, 2025</time>.' in main_page
    assert f'<a href="versions/{NEW}/changes/">See what changes (Version of {NEW})</a>' in main_page
    assert "as long as strictly necessary" not in main_page
    upcoming = page(released, f"versions/{NEW}/index.html")
    assert 'This version takes effect on <time datetime="2025-12-01">December 1, 2025</time>.' in upcoming
    upcoming_zh = page(released, f"zh/versions/{NEW}/index.html")
    assert '此版本将于<time datetime="2025-12-01">2025年12月1日</time>生效。' in upcoming_zh

    build_on(released, "2025-12-01", monkeypatch)
    main_page = page(released, "index.html")
    assert "An updated notice" not in main_page
    assert "as long as strictly necessary" in main_page
    assert '<time datetime="2025-12-01">December 1, 2025</time>' in main_page
    old = page(released, f"versions/{OLD}/index.html")
    assert "This version is no longer in force." in old
    assert '<meta name="robots" content="noindex">' in old
    for index_path in ("search/search_index.json", "zh/search/search_index.json"):
        index = json.loads(page(released, index_path))
        assert [doc for doc in index["docs"] if doc["location"] == "#retention"]
        assert not [doc for doc in index["docs"] if doc["location"].startswith(f"versions/{OLD}/")]


def test_the_changelog_lists_versions_newest_first(released: Path, monkeypatch) -> None:
    build_on(released, "2025-12-02", monkeypatch)
    changelog = page(released, "changelog/index.html")
    assert changelog.index(f'id="v{NEW}"') < changelog.index(f'id="v{OLD}"')
    assert 'Material change · Published <time datetime="2025-10-15">October 15, 2025</time> · In force' in changelog
    versions = page(released, "zh/versions/index.html")
    # The version's id names it (the link); the dates it was in force are written in the page's language.
    assert (
        f'<a href="{OLD}/">{OLD}</a></th>\n<td data-label="生效日期" role="cell">'
        f'<time datetime="{OLD}">2025年9月23日</time></td>\n'
        '<td data-label="失效日期" role="cell"><time datetime="2025-11-30">2025年11月30日</time></td>'
    ) in versions
    assert versions.index(f'<a href="{NEW}/">{NEW}</a>') < versions.index(f'<a href="{OLD}/">{OLD}</a>')


def test_the_feed_has_one_entry_per_version_with_stable_ids(released: Path, monkeypatch) -> None:
    build_on(released, "2025-11-01", monkeypatch)
    first = page(released, "zh/feed.xml")
    build_on(released, "2025-12-02", monkeypatch)
    assert page(released, "zh/feed.xml") == first
    feed = ET.fromstring(page(released, "feed.xml").encode())
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}link").get("href") for entry in entries] == [
        f"https://example.github.io/privacy/versions/{NEW}/changes/",
        f"https://example.github.io/privacy/versions/{OLD}/changes/",
    ]
    for required in ("id", "title", "updated", "author", "link"):
        assert feed.find(f"{ATOM}{required}") is not None
    for entry in entries:
        assert entry.find(f"{ATOM}id").text.startswith("urn:uuid:")
        assert entry.find(f"{ATOM}updated").text.endswith("T00:00:00Z")
        assert entry.find(f"{ATOM}summary").text.startswith("Effective date: ")
    summaries = [entry.find(f"{ATOM}summary").text for entry in entries]
    assert summaries[0].startswith("Effective date: December 1, 2025. ")
    assert [entry.find(f"{ATOM}updated").text for entry in entries] == ["2025-10-15T00:00:00Z", f"{OLD}T00:00:00Z"]
    zh_feed = ET.fromstring(page(released, "zh/feed.xml").encode())
    assert zh_feed.find(f"{ATOM}entry").find(f"{ATOM}summary").text.startswith("生效日期：2025年12月1日。")


def test_editing_a_frozen_snapshot_fails_the_checker(project: Path, run_check) -> None:
    replace(project / f"notice/versions/{OLD}/locales/en/notice.yaml", "At Botpress, we value", "At Botpress, we love")
    result = run_check(project)
    assert result.exit_code == 1
    assert result.lines() == [
        f"notice/versions/{OLD}/locales/en/notice.yaml:1:1: error: released version {OLD} was changed: "
        f"notice/versions/{OLD}/locales/en/notice.yaml no longer matches its lock "
        "(a released version never changes: restore it from version control and release a new version)"
    ]


def test_removing_a_released_section_needs_an_alias(project: Path, run_check, monkeypatch) -> None:
    replace(project / "notice/notice.yaml", "  - id: children\n", "")
    for locale in ("en", "zh"):
        path = project / f"locales/{locale}/notice.yaml"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        start = lines.index("  children:\n")
        end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("  ") and lines[i][2] != " ")
        path.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    notice_lines = (project / "notice/notice.yaml").read_text(encoding="utf-8").splitlines()
    outline_line = notice_lines.index("outline:") + 1
    assert [line for line in run_check(project).lines() if "gone" in line] == [
        f"notice/notice.yaml:{outline_line}:1: error: section 'children' of released version 2025-09-23 is gone "
        "from the outline "
        "(its anchor must keep working: add `children: <the section that replaced it>` under aliases)"
    ]
    replace(project / "notice/notice.yaml", "aliases: {}", "aliases:\n  children: eea-uk-ch-notice")
    # The section's contact goes with it.
    contacts = project / "notice/data/contacts.yaml"
    text = contacts.read_text(encoding="utf-8")
    start = text.index("children-reports:\n")
    contacts.write_text(text[:start] + text[text.index("signed-dpa:\n") :], encoding="utf-8")
    replace(project / "notice/data/gaps.yaml", "    - children-reports\n", "")
    assert run_check(project, "--strict").exit_code == 0
    summaries = ["--summary", "en=Children section removed.", "--summary", "zh=删除儿童章节。"]
    assert release(project, NEW, "--change", "material", "--published", "2025-10-01", *summaries, on="2025-10-01") == 0
    build_on(project, "2025-12-02", monkeypatch)
    # The old anchor lands on the section that replaced it; the archived version keeps its own.
    assert '<div id="children" class="notice-alias"></div>\n\n<h2 id="eea-uk-ch-notice">' in page(
        project, "zh/index.html"
    )
    assert '<h2 id="children">' in page(project, f"zh/versions/{OLD}/index.html")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            [OLD, "--change", "editorial", "--summary", "en=x", "--summary", "zh=x"],
            f"the effective date {OLD} is not after the last version's, {OLD}",
        ),
        (
            [NEW, "--change", "editorial", "--summary", "en=x"],
            "no summary for locale(s) zh: give --summary CODE=TEXT for each",
        ),
        (
            [NEW, "--change", "editorial", "--summary", "en=x", "--summary", "zh=x", "--published", "2025-12-02"],
            "the publication date 2025-12-02 is after the effective date 2025-12-01",
        ),
        (
            [NEW, "--change", "editorial", "--summary", "en=x", "--summary", "zh=x"],
            f"nothing changed since version {OLD}: there is nothing to release",
        ),
    ],
)
def test_release_refuses(project: Path, capsys, arguments: list[str], message: str) -> None:
    assert release(project, *arguments) == 1
    assert f"notice release: {message}\n" in capsys.readouterr().err
    assert not (project / "notice/versions" / NEW).exists()


def test_release_refuses_a_notice_that_fails_the_check(project: Path, capsys) -> None:
    replace(
        project / "locales/en/notice.yaml",
        "At Botpress, we value privacy.",
        "At Botpress, we value [privacy](javascript:y).",
    )
    assert release(project, NEW, "--change", "editorial", "--summary", "en=x", "--summary", "zh=x") == 1
    assert "does not pass `notice check` (1 error, " in capsys.readouterr().err


CHAIN_BROKEN = (
    "notice/changelog.yaml:26:10: error: the changelog's chain is broken at version 2025-12-01: this entry, or one "
    "before it, was edited, removed or reordered after release (released entries never change: restore "
    "notice/changelog.yaml from version control)"
)


def test_changelog_date_rules_are_errors_and_an_edited_entry_breaks_the_chain(released: Path, run_check) -> None:
    changelog = released / "notice/changelog.yaml"
    replace(changelog, "published: 2025-10-15", "published: 2025-11-20")
    assert run_check(released).lines() == [
        "notice/changelog.yaml:16:14: error: material change 2025-12-01 was published 11 day(s) before it takes "
        "effect, less than the notice period of 30 days, and the entry gives no reason (readers are owed notice of "
        "a material change (notice_period_days in notice/notice.yaml); a shorter notice needs its reason recorded "
        "(`notice release --short-notice REASON`))",
        CHAIN_BROKEN,
    ]
    replace(changelog, "published: 2025-11-20", "published: 2025-12-20")
    assert run_check(released).lines() == [
        "notice/changelog.yaml:16:14: error: version 2025-12-01 is published on 2025-12-20, after it takes effect "
        "(a version is published on or before its effective date; history imported from before this site says "
        "where it comes from (`notice release --imported SOURCE`))",
        CHAIN_BROKEN,
    ]
    replace(changelog, "published: 2025-12-20", "published: 2025-09-01")
    assert run_check(released).lines() == [
        "notice/changelog.yaml:16:14: error: version 2025-12-01 is published on 2025-09-01, before version "
        "2025-09-23 was (2025-09-23) (versions are published in order: a later version cannot have been "
        "published first)",
        CHAIN_BROKEN,
    ]


def test_a_translation_behind_its_source_is_marked_and_points_to_the_source(project: Path, monkeypatch) -> None:
    replace(project / "locales/zh/notice.yaml", "所需的时间内", "所必需的时间内")
    summaries = ["--summary", "en=Retention reworded in Chinese.", "--summary", "zh=保留期限措辞修改。"]
    assert release(project, NEW, "--change", "editorial", "--published", "2025-11-01", *summaries, on="2025-11-01") == 0
    epoch = int(datetime.datetime(2025, 12, 2, tzinfo=datetime.UTC).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    result = mkdocs(project, "build", "--strict", check=False)  # lag is a state the site shows, not a failure
    assert result.returncode == 0, result.stderr
    en = page(project, "index.html")
    assert (
        '<p class="notice-outdated" role="note">This translation has not yet been updated to the current text. '
        'The authoritative text is <a href="https://example.github.io/privacy/zh/#retention" hreflang="zh-Hans" '
        'lang="zh-Hans">简体中文</a></p>'
    ) in en
    assert en.count('class="notice-outdated"') == 1
    assert 'class="notice-outdated"' not in page(project, "zh/index.html")


def test_changelog_dates_strictly_increase_and_every_version_has_its_entry(released: Path, run_check) -> None:
    changelog = released / "notice/changelog.yaml"
    replace(changelog, f"- effective: {NEW}", f"- effective: {OLD}")
    lines = run_check(released).lines()
    assert (
        f"notice/changelog.yaml:15:14: error: version {OLD} does not come after version {OLD} "
        "(changelog entries are in order of their effective dates, each later than the one before)"
    ) in lines
    assert (
        f"notice/versions/{NEW}/:1:1: error: version {NEW} has a snapshot but no changelog entry "
        "(versions are made with `notice release`, which writes both)"
    ) in lines


def test_the_redline_names_added_removed_and_moved_sections_and_provider_changes(project: Path) -> None:
    from noticegen.checks.notice import check_notice
    from noticegen.model.notice import build_notice
    from noticegen.render.redline import Change, compare, provider_changes

    old = build_notice(check_notice(project))
    outline = project / "notice/notice.yaml"
    replace(outline, "  - id: children\n", "")
    replace(outline, "  - id: retention\n", "")
    replace(outline, "  - id: changes\n", "  - id: retention\n  - id: changes\n  - id: new-section\n")
    replace(outline, "aliases: {}", "aliases:\n  children: cookies")
    for locale, title in (("en", "New"), ("zh", "新")):
        path = project / f"locales/{locale}/notice.yaml"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        start = lines.index("  children:\n")
        end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("  ") and lines[i][2] != " ")
        text = "".join(lines[:start] + lines[end:])
        text += f"  new-section:\n    title: {title}\n    body: Text.\n"
        path.write_text(text, encoding="utf-8")
    main(["stamp", "en", "new-section", "--path", str(project)])
    replace(project / "notice/data/subprocessors.yaml", "  - name: OpenAI\n", "  - name: Anthropic\n")
    replace(
        project / "notice/data/contacts.yaml",
        "children-reports:\n  email: null\n",
        "children-reports:\n  email: kids@example.com\n",
    )
    checked = check_notice(project)
    assert checked.report.errors == []
    new = build_notice(checked)
    changes = {change.id: change.changes for change in compare(old, new, "en")}
    assert changes["new-section"] == (Change.ADDED,)
    assert changes["children"] == (Change.REMOVED,)
    assert changes["retention"] == (Change.MOVED,)
    assert changes["intro"] == (Change.UNCHANGED,)
    assert provider_changes(old, new) == [("service", "Anthropic", "added"), ("service", "OpenAI", "removed")]


@pytest.mark.parametrize("changelog", ["# Released versions.\n[]\n", "# Released versions.\n", "", None])
def test_the_first_release_writes_a_changelog_that_reads_back(minimal_copy: Path, run_check, changelog) -> None:
    path = minimal_copy / "notice" / "changelog.yaml"
    if changelog is not None:
        path.write_text(changelog, encoding="utf-8")
    assert release(minimal_copy, "2030-01-01", "--change", "material", "--summary", "en=x", "--summary", "fr=x") == 0
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [entry["effective"] for entry in entries] == [datetime.date(2030, 1, 1)]
    assert run_check(minimal_copy).exit_code == 0


def test_a_changelog_that_cannot_take_an_entry_is_refused_before_anything_is_written(minimal_copy: Path, capsys):
    path = minimal_copy / "notice" / "changelog.yaml"
    path.write_text("versions: []\n", encoding="utf-8")
    assert release(minimal_copy, "2030-01-01", "--change", "material", "--summary", "en=x", "--summary", "fr=x") == 1
    assert "notice release: the notice does not pass `notice check` (1 error, " in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "versions: []\n"
    assert not (minimal_copy / "notice" / "versions" / "2030-01-01").exists()

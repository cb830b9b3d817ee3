"""The build cache: released versions' documents and pages are made once and reused, and a site built with a
cold cache, a warm one or none is the same, byte for byte; a damaged entry is never trusted."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from conftest import BOTPRESS, copy_site_project, release_second_version, started
from noticegen.core import build_cache
from noticegen.core.build_cache import BuildCache, entry_checksum
from noticegen.export.documents import api_files
from noticegen.model.site import load_site
from test_publish import build, tree

BUILT_ON = datetime.date(2026, 1, 1)  # test_publish.build's SOURCE_DATE_EPOCH


def without_cache(root: Path) -> None:
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    plugin = "  # notice/notice.yaml, the one place they are declared.\n  - notice\n"
    assert text.count(plugin) == 1
    config.write_text(
        text.replace(plugin, plugin.replace("- notice", "- notice:\n      cache: false")), encoding="utf-8"
    )


def entry_kind(data: bytes) -> str:
    payload = data.partition(b"\n")[2]
    if payload.startswith(b'{"content"'):
        return "page"  # a released page's HTML
    if payload.startswith(b'{"@":"Notice"'):
        return "notice"  # a released version's checked notice
    return "pages" if payload.startswith(b'{"key"') else "document"  # the released pages' Markdown, or JSON


def entries(folder: Path, kind: str = "document") -> dict[str, bytes]:
    """The cache's entries of one kind: released documents ("document"), converted pages ("page"), the
    released pages' Markdown ("pages"), or checked notices ("notice")."""
    found = {}
    for path in sorted(folder.rglob("*.txt")):
        data = path.read_bytes()
        if entry_kind(data) == kind:
            found[path.name] = data
    return found


def entry_paths(folder: Path, kind: str) -> list[Path]:
    names = entries(folder, kind)
    return [path for path in sorted(folder.rglob("*.txt")) if path.name in names]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled notice with a second released version."""
    root = copy_site_project(BOTPRESS, tmp_path_factory.mktemp("cache") / "project")
    release_second_version(root)
    return root


@pytest.fixture(scope="module")
def sites(project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """The site built without the cache, with a cold one, with it warm, and after a damaged entry; and the
    cache entries after the cold build and after the damaged one was repaired."""
    built: dict[str, dict[str, bytes]] = {}
    uncached = copy_site_project(project, tmp_path_factory.mktemp("uncached") / "project")
    without_cache(uncached)
    build(uncached)
    built["off"] = tree(uncached / "site")
    built["off cache folder"] = {path.name: b"" for path in (uncached / ".cache").rglob("*")}
    build(project)
    built["cold"] = tree(project / "site")
    built["cold entries"] = entries(project / ".cache")
    built["cold page entries"] = entries(project / ".cache", "page")
    built["cold markdown entries"] = entries(project / ".cache", "pages")
    built["cold notice entries"] = entries(project / ".cache", "notice")
    build(project)
    built["warm"] = tree(project / "site")
    # One entry cut short, one rewritten with a checksum that holds but a document that is not the
    # released one (its digest-covered text changed), one replaced by another entry's content.
    paths = entry_paths(project / ".cache", "document")
    paths[0].write_bytes(paths[0].read_bytes()[:100])
    payload = paths[1].read_text(encoding="utf-8").partition("\n")[2]
    assert payload.count('"jurisdiction": "Delaware') == 1
    payload = payload.replace('"jurisdiction": "Delaware', '"jurisdiction": "Nevada')
    paths[1].write_text(entry_checksum(paths[1].stem, payload) + "\n" + payload, encoding="utf-8")
    paths[2].write_bytes(paths[3].read_bytes())
    # The same for the released pages' conversions: one cut short, one another page's.
    pages = entry_paths(project / ".cache", "page")
    pages[0].write_bytes(pages[0].read_bytes()[:100])
    pages[1].write_bytes(pages[2].read_bytes())
    # A checked notice cut short, and one whose checksum holds but which names a class outside the model.
    notices = entry_paths(project / ".cache", "notice")
    notices[0].write_bytes(notices[0].read_bytes()[:100])
    payload = '{"@":"Notice","controller":{"@":"os.system","items":[]}}'
    notices[1].write_text(entry_checksum(notices[1].stem, payload) + "\n" + payload, encoding="utf-8")
    build(project)
    built["repaired"] = tree(project / "site")
    built["repaired entries"] = entries(project / ".cache")
    built["repaired page entries"] = entries(project / ".cache", "page")
    built["repaired notice entries"] = entries(project / ".cache", "notice")
    return built


def test_a_cold_a_warm_and_an_uncached_build_are_byte_identical(sites: dict[str, dict[str, bytes]]) -> None:
    assert sites["cold"].keys() == sites["off"].keys() == sites["warm"].keys()
    assert [
        path for path in sites["cold"] if not sites["cold"][path] == sites["off"][path] == sites["warm"][path]
    ] == []


def test_the_cache_holds_each_released_document_once_and_can_be_switched_off(
    sites: dict[str, dict[str, bytes]],
) -> None:
    # Two versions: each in all locales and in en and zh; and each version's page and redline in en and zh.
    assert len(sites["cold entries"]) == 6
    assert len(sites["cold page entries"]) == 8
    assert len(sites["cold markdown entries"]) == 1  # the released pages' Markdown, one entry for the site
    assert len(sites["cold notice entries"]) == 2  # each version's checked notice
    assert sites["off cache folder"] == {}


def test_a_damaged_or_foreign_entry_is_recomputed_and_the_site_is_unchanged(
    sites: dict[str, dict[str, bytes]],
) -> None:
    assert [path for path in sites["cold"] if sites["cold"][path] != sites["repaired"][path]] == []
    assert sites["repaired entries"] == sites["cold entries"]
    assert sites["repaired page entries"] == sites["cold page entries"]
    assert sites["repaired notice entries"] == sites["cold notice entries"]


def test_an_entry_is_keyed_by_the_settings_and_the_code_that_made_it(
    project: Path, tmp_path: Path, monkeypatch
) -> None:
    site, _ = load_site(project, BUILT_ON)
    cache = BuildCache(tmp_path / "cache")
    first = api_files(site, "https://example.org/privacy/", cache)
    assert len(entries(tmp_path)) == 6
    assert api_files(site, "https://example.org/privacy/", cache) == first  # found: nothing new
    assert len(entries(tmp_path)) == 6
    api_files(site, "https://example.org/other/", cache)  # another address: other URLs in every document
    assert len(entries(tmp_path)) == 12
    monkeypatch.setattr(build_cache, "code_version", lambda: "another generator")
    assert api_files(site, "https://example.org/privacy/", cache) == first
    assert len(entries(tmp_path)) == 18


def test_a_released_version_is_checked_once_per_process_until_its_files_change(
    project: Path, tmp_path: Path, monkeypatch
) -> None:
    """`mkdocs serve` loads the site after every edit: the released versions, which never change, are
    checked again only when a file they are made from (their snapshot, the site strings) changed."""
    from noticegen.model import site as site_model

    root = copy_site_project(project, tmp_path / "project")
    checked: list[Path] = []
    real_check = site_model.check_notice
    monkeypatch.setattr(
        site_model, "check_notice", lambda path, **options: checked.append(path) or real_check(path, **options)
    )
    monkeypatch.setattr(site_model, "_RELEASED", {})
    first, _ = load_site(root, BUILT_ON)
    assert len(checked) == 3  # the working text and two released versions
    checked.clear()
    again, _ = load_site(root, BUILT_ON)
    assert checked == [root]
    assert [version.notice for version in again.versions] == [version.notice for version in first.versions]
    strings = root / "locales" / "en" / "site.yaml"
    strings.write_text(strings.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    checked.clear()
    load_site(root, BUILT_ON)
    assert len(checked) == 3


@pytest.mark.parametrize(
    "payload",
    ["[" * 100_000 + "]" * 100_000, '{"integrity": []}', '{"sections": 1, "integrity": {"digest": 2}}'],
    ids=["nested too deep", "integrity of the wrong type", "members of the wrong type"],
)
def test_an_entry_of_another_shape_with_a_checksum_that_holds_is_a_miss(
    project: Path, tmp_path: Path, payload: str
) -> None:
    class Forged(BuildCache):
        def get(self, key: str) -> str | None:
            return payload

    site, _ = load_site(project, BUILT_ON)
    fresh = api_files(site, "https://example.org/privacy/", None)
    assert api_files(site, "https://example.org/privacy/", Forged(tmp_path / "cache")) == fresh


def test_a_build_takes_the_released_pages_markdown_from_the_cache_until_what_they_are_made_of_changes(
    tmp_path: Path, monkeypatch
) -> None:
    from mkdocs.commands.build import build as mkdocs_build

    from noticegen.render import pages as rendering

    made: list[str] = []
    real_page, real_changes = rendering.version_page, rendering.changes_page
    monkeypatch.setattr(rendering, "version_page", lambda *args, **kw: made.append("page") or real_page(*args, **kw))
    monkeypatch.setattr(
        rendering, "changes_page", lambda *args, **kw: made.append("changes") or real_changes(*args, **kw)
    )
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("NOTICEGEN_PDF", "off")
    root = copy_site_project(BOTPRESS, tmp_path / "project")

    def build_once() -> dict[str, bytes]:
        mkdocs_build(started(root / "mkdocs.yml"))  # a new process's plugin: nothing kept
        return tree(root / "site")

    first = build_once()
    assert sorted(made) == ["changes", "changes", "page", "page"]  # one version, in en and zh
    made.clear()
    assert build_once() == first
    assert made == []
    strings = root / "locales/en/site.yaml"  # the site strings are on the released pages too
    text = strings.read_text(encoding="utf-8")
    strings.write_text(text.replace("banner_current: This is the version in force.", "banner_current: In force."))
    build_once()
    assert sorted(made) == ["changes", "changes", "page", "page"]
    assert len(entries(root / ".cache", "pages")) == 1  # replaced, not added


def test_a_new_build_takes_released_notices_from_the_cache_and_a_changed_snapshot_still_stops_it(
    tmp_path: Path, monkeypatch, caplog
) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import Abort

    from noticegen.model import site as site_model

    checked: list[Path] = []
    real_check = site_model.check_notice
    monkeypatch.setattr(
        site_model, "check_notice", lambda path, **options: checked.append(path) or real_check(path, **options)
    )
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("NOTICEGEN_PDF", "off")
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    released = root / "notice" / "versions" / "2025-09-23"

    def build_in_new_process() -> dict[str, bytes]:
        monkeypatch.setattr(site_model, "_RELEASED", {})  # what a new process holds: nothing checked
        checked.clear()
        mkdocs_build(started(root / "mkdocs.yml"))
        return tree(root / "site")

    first = build_in_new_process()
    assert checked == [root, released]
    assert len(entries(root / ".cache", "notice")) == 1
    assert build_in_new_process() == first
    assert checked == [root]  # the working text only
    strings = root / "locales" / "en" / "site.yaml"  # a released notice holds the site strings too
    strings.write_text(strings.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    build_in_new_process()
    assert checked == [root, released]
    assert len(entries(root / ".cache", "notice")) == 2  # one more entry, for the new strings
    text = released / "locales" / "en" / "notice.yaml"
    text.write_text(text.read_text(encoding="utf-8").replace("Botpress", "Botpres", 1), encoding="utf-8")
    with pytest.raises(Abort):  # the working text's check compares every snapshot with its lock
        build_in_new_process()
    assert (
        "notice/versions/2025-09-23/locales/en/notice.yaml:1:1: error: released version 2025-09-23 was changed: "
        "notice/versions/2025-09-23/locales/en/notice.yaml no longer matches its lock" in caplog.text
    )

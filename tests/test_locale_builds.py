"""Locales built side by side, in processes of their own, make the site a serial build makes, byte for byte,
say what they say in the same order, and fail as a serial build fails: the same message, exit code 1, and no
site with some locales only."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import PluginError

from conftest import JAPANESE, MINIMAL_MKDOCS, copy_notice, mkdocs, release_on, started
from noticegen.mkdocs_plugin.plugin import locale_jobs
from test_publish import EPOCH, tree

# The locales other than the default, which static-i18n builds after it.
OTHERS = "ja, fr"
# A hook of the test's own that stops the French locale's build, as a plugin error of a page would.
REFUSING_HOOK = """from mkdocs.exceptions import PluginError


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri == "fr/index.md":
        raise PluginError("locales/fr/notice.yaml:3:1: error: the test refuses this page (remove the hook)")
    return markdown
"""


def run_build(root: Path, jobs: int, *arguments: str) -> tuple[int, str]:
    """`mkdocs build --strict` with NOTICEGEN_JOBS=jobs; its exit code, and its log without what differs
    from one build to the next (the project's path, the duration, how many generated pages changed)."""
    env_before = {key: os.environ.get(key) for key in ("NOTICEGEN_JOBS", "SOURCE_DATE_EPOCH")}
    os.environ.update({"NOTICEGEN_JOBS": str(jobs), "SOURCE_DATE_EPOCH": EPOCH})
    try:
        result = mkdocs(root, "build", "--strict", *arguments, check=False)
    finally:
        for key, value in env_before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    log = (result.stderr + result.stdout).replace(str(root), "<project>")  # MkDocs' last word is on stdout
    log = re.sub(r"built in [0-9.]+ seconds", "built in N seconds", log)
    return result.returncode, re.sub(r"\d+ generated page\(s\) updated", "N generated page(s) updated", log)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """English, Japanese and French, one released version: three locales, two built after the first."""
    root = copy_notice(JAPANESE, tmp_path_factory.mktemp("locales") / "project")
    (root / "generated").mkdir()
    (root / "mkdocs.yml").write_text(MINIMAL_MKDOCS.replace("  - notice\n", "  - notice:\n      pdf: false\n"))
    summaries = ["--summary", "en=First.", "--summary", "ja=最初の版。", "--summary", "fr=Première."]
    arguments = ["release", "2025-12-01", "--change", "material", "--published", "2025-10-15", *summaries]
    assert release_on("2025-10-15", [*arguments, "--path", str(root)]) == 0
    return root


@pytest.fixture(scope="module")
def builds(project: Path) -> dict[str, tuple[int, str, dict[str, bytes]]]:
    """The site built one locale after the other, and side by side (two and three at a time)."""
    built = {}
    for jobs in (1, 2, 3):
        code, log = run_build(project, jobs)
        built[f"jobs {jobs}"] = (code, log, tree(project / "site"))
    return built


def test_locales_built_side_by_side_make_the_serial_site_byte_for_byte(builds) -> None:
    _, _, serial = builds["jobs 1"]
    assert {"sitemap.xml", "sitemap.xml.gz", "search/search_index.json", "ja/search/search_index.json"} <= set(serial)
    assert {"ja/index.html", "fr/index.html", "fr/versions/2025-12-01/index.html", "fr/404.html"} <= set(serial)
    for jobs in ("jobs 2", "jobs 3"):
        _, _, side_by_side = builds[jobs]
        differing = [path for path in serial.keys() | side_by_side.keys() if serial.get(path) != side_by_side.get(path)]
        assert sorted(differing) == []


def test_the_one_sitemap_lists_every_locale_s_pages(builds) -> None:
    sitemap = builds["jobs 2"][2]["sitemap.xml"].decode()
    for prefix in ("", "ja/", "fr/"):
        assert f"<loc>https://example.org/privacy/{prefix}versions/2025-12-01/</loc>" in sitemap


def test_the_log_is_the_serial_build_s_in_the_same_order(builds) -> None:
    code, serial, _ = builds["jobs 1"]
    assert code == 0
    announced = f"INFO    -  notice: building {OTHERS} side by side, 2 at a time\n"
    assert announced not in serial
    code, side_by_side, _ = builds["jobs 2"]
    assert code == 0
    assert announced in side_by_side
    assert side_by_side.replace(announced, "") == serial
    building = [line for line in serial.splitlines() if "Building '" in line]
    assert [line.split("'")[1] for line in building] == ["en", "ja", "fr"]


def test_a_locale_s_error_stops_the_build_as_in_a_serial_build_and_leaves_no_partial_site(
    project: Path, tmp_path: Path
) -> None:
    root = shutil.copytree(project, tmp_path / "refused", ignore=shutil.ignore_patterns("site"))
    (root / "refuse.py").write_text(REFUSING_HOOK, encoding="utf-8")
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("hooks:\n  - refuse.py\n")
    results = {jobs: run_build(root, jobs) for jobs in (1, 2)}
    for code, log in results.values():
        assert code == 1
        assert "ERROR   -  locales/fr/notice.yaml:3:1: error: the test refuses this page (remove the hook)" in log
        assert log.rstrip().endswith("Aborted with a BuildError!")
        assert [path for path in (root / "site").rglob("*") if path.is_file()] == []
    announced = f"INFO    -  notice: building {OTHERS} side by side, 2 at a time\n"
    assert results[2][1].replace(announced, "") == results[1][1]


def test_the_number_of_locales_built_at_once_is_the_plugin_s_option_else_noticegen_jobs(monkeypatch) -> None:
    monkeypatch.setenv("NOTICEGEN_JOBS", "3")
    assert locale_jobs(None, 10) == 3
    assert locale_jobs(2, 10) == 2  # the plugin's option comes first
    monkeypatch.delenv("NOTICEGEN_JOBS")
    cores = len(os.sched_getaffinity(0))
    assert locale_jobs(None, 10) == min(cores, 10)
    assert locale_jobs(None, 1) == 1


@pytest.mark.parametrize(
    ("configured", "environment", "message"),
    [
        (0, None, "notice plugin: jobs is 0; it must be 1 (one locale at a time) or more"),
        (None, "0", "NOTICEGEN_JOBS='0': give the number of locales to build at once, 1 or more"),
        (None, "two", "NOTICEGEN_JOBS='two': give the number of locales to build at once, 1 or more"),
    ],
)
def test_a_number_of_locales_at_once_below_one_is_refused_with_what_to_give(
    monkeypatch, configured: int | None, environment: str | None, message: str
) -> None:
    if environment is not None:
        monkeypatch.setenv("NOTICEGEN_JOBS", environment)
    with pytest.raises(PluginError) as refused:
        locale_jobs(configured, 3)
    assert str(refused.value) == message


# A hook of the test's own that stops the build after the notice plugin's on_pre_build and before any file is
# written, as a navigation error would.
FAILING_NAV_HOOK = """from mkdocs.exceptions import PluginError


def on_nav(nav, config, files):
    raise PluginError("the test stops the build at its navigation (remove the hook)")
"""


def test_the_export_made_alongside_ends_with_a_build_that_fails_before_writing(
    project: Path, tmp_path: Path, monkeypatch
) -> None:
    """The JSON export is made in a forked process while the pages are read, and received just before MkDocs
    writes its first file: a build that fails before then leaves no process behind, and no file."""
    import multiprocessing

    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort

    from noticegen.mkdocs_plugin import plugin

    root = shutil.copytree(project, tmp_path / "failing", ignore=shutil.ignore_patterns("site"))
    (root / "fail.py").write_text(FAILING_NAV_HOOK, encoding="utf-8")
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("hooks:\n  - fail.py\n")
    monkeypatch.setenv("NOTICEGEN_JOBS", "2")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    forked: list[object] = []
    real_forked = plugin.Forked
    monkeypatch.setattr(plugin, "Forked", lambda task: forked.append(task) or real_forked(task))
    with pytest.raises(Abort):
        build(started(root / "mkdocs.yml"))
    assert len(forked) == 1  # the export was made alongside
    assert multiprocessing.active_children() == []
    assert [path for path in (root / "site").rglob("*") if path.is_file()] == []


@pytest.mark.parametrize("fallback_to_default", [False, True])
@pytest.mark.parametrize("current", ["en", "fr", "de"])
def test_each_page_s_alternates_are_static_i18n_s_own(tmp_path: Path, fallback_to_default: bool, current: str) -> None:
    """ParallelI18n finds a page's alternates without making every candidate again for every language; what it
    finds, in which order, is static-i18n's: pages in every language, in some, in one, assets, and a folder
    that looks like a language the site does not have."""
    import types

    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs_static_i18n.plugin import I18n

    from noticegen.mkdocs_plugin.locale_builds import ParallelI18n

    docs = tmp_path / "docs"
    for page in ("en/index.md", "fr/index.md", "de/index.md", "en/a.md", "de/a.md", "fr/only.md", "en/b/c.md"):
        (docs / page).parent.mkdir(parents=True, exist_ok=True)
        (docs / page).write_text("# x\n", encoding="utf-8")
    for asset in ("en/logo.png", "fr/logo.png", "it/stray.md"):
        (docs / asset).parent.mkdir(parents=True, exist_ok=True)
        (docs / asset).write_bytes(b"x")
    languages = [{"locale": code, "name": code, "default": code == "en", "build": True} for code in ("en", "fr", "de")]
    options = {"docs_structure": "folder", "fallback_to_default": fallback_to_default, "languages": languages}
    (tmp_path / "mkdocs.yml").write_text(
        yaml.safe_dump({"site_name": "x", "plugins": [{"i18n": options}]}), encoding="utf-8"
    )

    def alternates(plugin_class: type) -> list[tuple[str, list[tuple[str, str, str, str]]]]:
        config = load_config(str(tmp_path / "mkdocs.yml"))
        plugin = config.plugins["i18n"]
        if plugin_class is ParallelI18n:
            plugin.reconfigure_files_alternates = types.MethodType(ParallelI18n.reconfigure_files_alternates, plugin)
        plugin.current_language = current
        files = I18n.reconfigure_files(plugin, get_files(config), config)
        return [
            (file.src_uri, [(lang, alt.src_uri, alt.dest_uri, alt.url) for lang, alt in file.alternates.items()])
            for file in files
        ]

    theirs = alternates(I18n)
    assert any(len(found) == 3 for _, found in theirs)  # a page in every language has found them all
    assert alternates(ParallelI18n) == theirs


def test_the_locales_after_the_first_are_built_from_the_sources_the_first_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save while the locales are being built (in `mkdocs serve`, they are built while it serves) is the next
    build's: the site of this one is made of one state of the notice, not the first locale's of one and the
    others' of another."""
    import mkdocs_static_i18n.plugin as static_i18n
    from mkdocs.commands.build import build

    from conftest import BOTPRESS, copy_site_project

    root = copy_site_project(BOTPRESS, tmp_path / "project")
    text = root / "locales" / "zh" / "notice.yaml"

    def saved_meanwhile(config: object, **options: object) -> None:
        edited = text.read_text(encoding="utf-8").replace("title: 数据保留", "title: 数据的保存期限", 1)
        text.write_text(edited, encoding="utf-8")
        build(config, **options)

    monkeypatch.setattr(static_i18n, "build", saved_meanwhile)  # static-i18n's build of each other locale
    monkeypatch.setenv("NOTICEGEN_JOBS", "1")
    monkeypatch.setenv("NOTICEGEN_PDF", "off")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    config = started(root / "mkdocs.yml", "serve", site_dir=str(tmp_path / "site"))  # the preview: the working text
    notice = config.plugins["notice"]
    try:
        build(config)
        notice.later.build_returned()
        notice.later.finish()  # the preview builds the locales after the first in a thread (later_locales.py)
    finally:
        notice.on_shutdown()
    assert "数据的保存期限" in text.read_text(encoding="utf-8")  # the save happened, during the build
    zh_page = (tmp_path / "site" / "zh" / "index.html").read_text(encoding="utf-8")
    assert "数据保留" in zh_page
    assert "数据的保存期限" not in zh_page
    assert "数据的保存期限" not in (root / "generated" / "zh" / "index.md").read_text(encoding="utf-8")

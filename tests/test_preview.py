"""The preview (`mkdocs serve`) shows the truth: the checker's problems on every page, the working text's redline
a click away, and, while the source has errors, pages that list them instead of the last good notice.

The plugin is driven in-process as `mkdocs serve` drives it (on_startup("serve") once, then one build per save,
the plugin kept between them); tests/test_serve.py runs the real server once.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from conftest import BOTPRESS, copy_site_project, replace_once, started
from noticegen.mkdocs_plugin.plugin import source_fingerprints
from noticegen.mkdocs_plugin.preview import refused_page
from noticegen.source.yamlsource import files_within

EDITED = ("only for as long as necessary", "only for as long as strictly necessary")
BROKEN_LINE = "locales/en/notice.yaml:125:16"
WARNED_LINE = "locales/en/notice.yaml:132:25"


def build_as(root: Path, command: str) -> None:
    """One build of `root`, as `mkdocs serve` (command "serve") or `mkdocs build` ("build") makes it."""
    built(started(root / "mkdocs.yml", command))


def rebuild(root: Path) -> None:
    """What `mkdocs serve` does after a save: a build with a fresh configuration, the plugin kept."""
    built(load_config(str(root / "mkdocs.yml")))


def built(config: MkDocsConfig) -> None:
    """The build, and in the preview the locales it builds after the first one (later_locales.py) finished;
    MkDocs' cleaning of the site folder put back, as at the end of a `mkdocs serve` session."""
    build(config)
    later = config.plugins["notice"].later
    if later is not None:
        later.build_returned()  # what the server's builder says
        later.finish()
        later.close()


def read(root: Path, page: str) -> str:
    return (root / "site" / page).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Session:
    """The pages of one preview session, saved at each step: an edit with a warning, then a YAML syntax error,
    then its fix, then a syntax error in notice/notice.yaml (which also names the site's languages)."""

    warned: dict[str, str]
    broken: dict[str, str]
    fixed: dict[str, str]
    broken_notice: dict[str, str]


PAGES = ("index.html", "zh/index.html", "versions/2025-09-23/index.html", "versions/working/changes/index.html")


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    root = copy_site_project(BOTPRESS, tmp_path_factory.mktemp("preview") / "project")
    text = root / "locales/en/notice.yaml"
    replace_once(text, *EDITED)
    replace_once(text, "Botpress operates in several countries.", "Botpress operates \\ in several countries.")

    def pages() -> dict[str, str]:
        return {page: read(root, page) for page in PAGES if (root / "site" / page).is_file()}

    build_as(root, "serve")
    warned = pages()
    good = text.read_text(encoding="utf-8")
    text.write_text(good.replace("  retention:\n", "  retention:\n  - [broken\n", 1), encoding="utf-8")
    rebuild(root)
    broken = pages()
    text.write_text(good, encoding="utf-8")
    rebuild(root)
    fixed = pages()
    replace_once(root / "notice/notice.yaml", "  default_locale: en", "  default_locale: [en")
    rebuild(root)
    return Session(warned, broken, fixed, pages())


def banner(page: str) -> str:
    match = re.search(r'<div class="notice-problems" role="region".*?</div>', page, re.DOTALL)
    return match.group(0) if match else ""


def test_the_banner_lists_a_warning_with_its_place_and_hint(session: Session) -> None:
    shown = banner(session.warned["index.html"])
    assert f"<code>{WARNED_LINE}</code> <strong>Warning</strong>: a backslash followed by a space" in shown
    assert '<span class="notice-problem__hint">(to break the line, end the line with the backslash' in shown
    assert '<h1 id="notice-title">Privacy Statement' in session.warned["index.html"]  # the notice is still shown


def test_the_banner_speaks_the_page_s_language_and_quotes_the_checker(session: Session) -> None:
    shown = banner(session.warned["zh/index.html"])
    assert "检查发现工作文本中存在以下问题：" in shown and "<strong>警告</strong>" in shown
    assert "a backslash followed by a space" in shown


def test_every_page_of_the_preview_has_the_banner(session: Session) -> None:
    assert all(banner(page) for page in session.warned.values())


def test_the_banner_links_the_working_text_s_redline(session: Session) -> None:
    assert 'href="https://example.github.io/privacy/versions/working/changes/"' in banner(session.warned["index.html"])
    assert '<a href="versions/working/changes/">See what the working text changes</a>' in session.warned["index.html"]


def test_the_working_redline_marks_the_edited_sentence(session: Session) -> None:
    redline = session.warned["versions/working/changes/index.html"]
    assert "What the working text changes in the version in force (2025-09-23)" in redline
    assert 'only for as long as <ins><span class="notice-sr">inserted: </span>strictly</ins> necessary' in redline


def test_a_syntax_error_shows_on_every_page_instead_of_the_notice(session: Session) -> None:
    for name in ("index.html", "versions/2025-09-23/index.html", "zh/index.html"):
        page = session.broken[name]
        assert f"<code>{BROKEN_LINE}</code>" in page, name
        assert "this line does not fit the structure around it" in page
        assert "(check the indentation and quoting on this line and the one above)" in page
        assert '<h1 id="notice-title">Privacy Statement' not in page and 'id="retention"' not in page
    assert "The notice cannot be shown until these errors are fixed:" in session.broken["index.html"]
    assert "修正以下错误之前，无法显示本声明：" in session.broken["zh/index.html"]
    assert "<strong>错误</strong>" in session.broken["zh/index.html"]


def test_after_the_fix_the_notice_is_back(session: Session) -> None:
    page = session.fixed["index.html"]
    assert "notice-problems--page" not in page
    assert 'id="retention"' in page and "strictly necessary" in page
    assert "a backslash followed by a space" in banner(page)  # the warning is still there to fix


def test_a_broken_notice_yaml_shows_on_the_pages_in_their_languages(session: Session) -> None:
    for name, heading in (
        ("index.html", "The notice cannot be shown until these errors are fixed:"),
        ("zh/index.html", "修正以下错误之前，无法显示本声明："),
    ):
        page = session.broken_notice[name]
        assert "<code>notice/notice.yaml:" in page and heading in page


def test_a_build_never_shows_the_banner_nor_the_working_redline(tmp_path: Path) -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    replace_once(root / "mkdocs.yml", "strict: true", "strict: false")  # else the warning stops the build
    replace_once(root / "locales/en/notice.yaml", "Botpress operates in several countries.", "Botpress operates \\ in")
    build_as(root, "build")
    page = read(root, "index.html")
    assert "notice-problems" not in page and "notice-livereload" not in page
    assert "working text" not in page
    assert not (root / "site/versions/working").exists()
    assert not list((root / "site").rglob("notice-livereload.js"))  # the preview's script is not published


def test_a_page_the_allowlist_refuses_shows_the_refusal_in_the_preview() -> None:
    page = '<html><body><article class="md-content__inner md-typeset"><p onclick="x">text</p></article></body></html>'
    shown = refused_page(page, "en/index.md", "locales/en/notice.yaml", ["attribute 'onclick' on <p>"], "Fix it")
    assert shown is not None
    assert "onclick=" not in shown and "<code>attribute &#x27;onclick&#x27; on &lt;p&gt;</code>" in shown
    assert refused_page("<html><p onclick='x'></p></html>", "en/index.md", "", ["x"], "Fix it") is None


def generated(root: Path) -> dict[str, bytes]:
    folder = root / "generated"
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*.md"))}


def test_a_saved_working_text_remakes_its_pages_and_keeps_the_released_versions(tmp_path: Path, monkeypatch) -> None:
    """A released version's page and redline are made of its snapshot, the changelog and the site strings, not
    of the working texts: the preview keeps them from one save of a working text to the next (they were 400
    pages of redlines and texts to make again after every save of a notice of 10 locales and 20 versions)."""
    from noticegen.render import pages as rendering

    made: list[str] = []  # the released versions' pages made (the working text's redline is made as theirs)

    def counted(kind: str, real):
        def make(site, version, locale, *args, **kwargs):
            if version.id != rendering.WORKING:
                made.append(f"{kind} {version.id} {locale}")
            return real(site, version, locale, *args, **kwargs)

        return make

    monkeypatch.setattr(rendering, "version_page", counted("page", rendering.version_page))
    monkeypatch.setattr(rendering, "changes_page", counted("changes", rendering.changes_page))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    build_as(root, "serve")
    released = ["changes 2025-09-23 en", "changes 2025-09-23 zh", "page 2025-09-23 en", "page 2025-09-23 zh"]
    assert sorted(made) == released
    replace_once(root / "locales/en/notice.yaml", *EDITED)
    rebuild(root)
    assert len(made) == 4  # kept
    assert EDITED[1] in read(root, "index.html")
    kept = generated(root)
    build_as(root, "serve")  # a new session takes them from the build cache
    assert len(made) == 4
    assert generated(root) == kept
    strings = root / "locales/en/site.yaml"
    replace_once(strings, "banner_current: This is the version in force.", "banner_current: In force.")
    rebuild(root)
    assert len(made) == 8  # a site string is on every page: made again


def test_a_saved_working_text_converts_only_its_own_pages_and_keeps_the_export(tmp_path: Path, monkeypatch) -> None:
    """After a save of a working text, Python-Markdown converts the pages made of it; the released versions'
    pages come from the build cache and the JSON export (made of released versions only) is kept."""
    from mkdocs.structure.pages import Page

    from noticegen.mkdocs_plugin import plugin as notice_plugin

    converted: list[str] = []
    real_render = Page.render
    monkeypatch.setattr(
        Page, "render", lambda page, *args: converted.append(page.file.src_uri) or real_render(page, *args)
    )
    exports: list[str] = []
    real_export = notice_plugin.exported
    monkeypatch.setattr(notice_plugin, "exported", lambda *args: exports.append("made") or real_export(*args))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("NOTICEGEN_JOBS", "1")  # every locale converted in this process, where it is counted
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    build_as(root, "serve")
    released = {
        f"{code}/versions/2025-09-23/{page}" for code in ("en", "zh") for page in ("index.md", "changes/index.md")
    }
    assert released <= set(converted)
    assert exports == ["made"]
    converted.clear()
    replace_once(root / "locales/en/notice.yaml", *EDITED)
    rebuild(root)
    assert converted and not released & set(converted)
    assert "en/index.md" in converted
    assert exports == ["made"]
    assert EDITED[1] in read(root, "index.html")
    assert read(root, "api/notice.json").startswith("{")
    strings = root / "locales/en/site.yaml"  # released pages are made of the site strings too
    replace_once(strings, "banner_current: This is the version in force.", "banner_current: In force.")
    rebuild(root)
    assert exports == ["made", "made"]


def test_the_first_preview_build_makes_the_export_alongside_and_the_next_saves_keep_it(
    tmp_path: Path, monkeypatch
) -> None:
    """Before the server's threads run, the preview's first build makes the JSON export in a forked process
    while the pages are made, as `mkdocs build` does; what that process made is kept for the saves after it,
    which run beside the server's threads and make nothing in a forked process."""
    from noticegen.mkdocs_plugin import locale_builds
    from noticegen.mkdocs_plugin import plugin as notice_plugin

    forked: list[object] = []
    real_forked = notice_plugin.Forked
    monkeypatch.setattr(notice_plugin, "Forked", lambda task: forked.append(task) or real_forked(task))
    made_here: list[str] = []
    real_export = notice_plugin.exported
    monkeypatch.setattr(notice_plugin, "exported", lambda *args: made_here.append("made") or real_export(*args))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("NOTICEGEN_JOBS", "2")
    # Whether the server's threads run: not before the first build, then yes (whatever threads the test
    # runner itself runs).
    serving = [False]
    for module in (notice_plugin, locale_builds):
        monkeypatch.setattr(module, "threads_running", lambda: serving[0])
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    build_as(root, "serve")
    assert len(forked) == 1 and made_here == []  # made in the forked process
    first = read(root, "api/notice.json")
    serving[0] = True
    replace_once(root / "locales/en/notice.yaml", *EDITED)
    rebuild(root)
    assert len(forked) == 1 and made_here == []  # kept: neither made here nor forked again
    assert read(root, "api/notice.json") == first
    assert EDITED[1] in read(root, "index.html")


def test_the_error_pages_parse_each_locale_s_words_once_and_read_a_save_anew(tmp_path: Path, monkeypatch) -> None:
    """Every page of a broken preview asks for its locale's words: a notice of hundreds of pages must not parse
    its site.yaml hundreds of times (it took 45 s on a 10 × 20 × 30 notice), yet a saved site.yaml counts."""
    from noticegen.mkdocs_plugin import preview

    strings = tmp_path / "locales" / "fr" / "site.yaml"
    strings.parent.mkdir(parents=True)
    strings.write_text("problems_page: Problèmes\n", encoding="utf-8")
    parsed = []
    original = preview.yaml.load
    monkeypatch.setattr(preview.yaml, "load", lambda text, **options: parsed.append(text) or original(text, **options))
    preview._parsed_strings.cache_clear()
    for _ in range(50):
        words = preview.problem_strings(tmp_path, "fr", None)
    assert words["problems_page"] == "Problèmes"
    assert "permalink" in words  # the starter's English words fill the rest
    assert len(parsed) == 2  # the starter's site.yaml and the locale's, once each
    strings.write_text("problems_page: Erreurs\n", encoding="utf-8")
    assert preview.problem_strings(tmp_path, "fr", None)["problems_page"] == "Erreurs"
    assert len(parsed) == 3


def test_a_save_does_not_read_back_the_json_export_the_session_wrote(tmp_path: Path, monkeypatch) -> None:
    """The preview keeps the site folder from one build to the next (later_locales.py), and the JSON export
    with it: the next save writes the feeds again (they show the working text) and leaves the export alone,
    without reading it back to compare. Once the session has ended, every file is compared again."""
    from noticegen.mkdocs_plugin import plugin as notice_plugin

    compared: list[str] = []
    real_write = notice_plugin.write_if_changed
    monkeypatch.setattr(
        notice_plugin, "write_if_changed", lambda path, text: compared.append(Path(path).name) or real_write(path, text)
    )
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    config = started(root / "mkdocs.yml", "serve")
    later = config.plugins["notice"].later
    try:
        build(config)
        later.build_returned()
        later.finish()
        assert "notice.json" in compared and "feed.xml" in compared  # the first build writes them all
        compared.clear()
        replace_once(root / "locales/en/notice.yaml", *EDITED)
        build(load_config(str(root / "mkdocs.yml")))
        later.build_returned()
        later.finish()
        assert "notice.json" not in compared and "en.json" not in compared
        assert "feed.xml" in compared
        assert read(root, "api/notice.json").startswith("{")
        later.close()  # the session ends: MkDocs empties the site folder again before a build
        compared.clear()
        build(load_config(str(root / "mkdocs.yml")))
        later.build_returned()
        later.finish()
        assert "notice.json" in compared
    finally:
        later.close()


def test_a_save_in_a_folder_linked_from_the_sources_changes_what_the_preview_builds(tmp_path: Path) -> None:
    """The checker reads through a link that stays in the project (locales/fr to translations/fr): a save
    there is a new state of the sources, not the one the preview built last. A loop of links ends."""
    root = tmp_path / "project"
    (root / "translations" / "fr").mkdir(parents=True)
    (root / "notice").mkdir()
    (root / "locales").mkdir()
    (root / "locales" / "fr").symlink_to(root / "translations" / "fr", target_is_directory=True)
    (root / "locales" / "fr" / "loop").symlink_to(root / "locales", target_is_directory=True)
    text = root / "translations" / "fr" / "notice.yaml"
    text.write_text("title: Confidentialité\n", encoding="utf-8")
    before = source_fingerprints(root)
    text.write_text("title: Notre politique de confidentialité\n", encoding="utf-8")
    after = source_fingerprints(root)
    assert after[0] != before[0]
    assert after[1] == before[1]  # a working text: released versions' pages are not made of it


def test_a_folder_linked_out_of_the_project_is_not_walked(tmp_path: Path) -> None:
    """The checker reads nothing there, and a link to / would make every save walk the whole disk."""
    root = tmp_path / "project"
    (root / "locales" / "en").mkdir(parents=True)
    (root / "locales" / "en" / "notice.yaml").write_text("title: Privacy\n", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "notice.yaml").write_text("title: Elsewhere\n", encoding="utf-8")
    (root / "locales" / "fr").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert files_within(root / "locales", root) == [root / "locales" / "en" / "notice.yaml"]

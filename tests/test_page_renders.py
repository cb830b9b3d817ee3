"""A released version's page is converted from Markdown once: a page taken from the build cache is the page
MkDocs would have made, with the same HTML, table of contents, title and anchors, and the same messages
logged (so `strict: true` fails the same way); anything that could change the conversion is a miss."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from markdown.extensions.toc import TocExtension
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from noticegen.core.build_cache import BuildCache
from noticegen.mkdocs_plugin.page_renders import PageRenders, render_settings

MARKDOWN = "# Privacy notice\n\nSee [the part](b.md#part) and [a page](missing.md).\n\n## Your rights\n\nText.\n"
MISSING_LINK = "contains a link 'missing.md', but the target is not found among documentation files"


def site_config(tmp_path: Path, extensions: list[object] | None = None, **settings: object) -> MkDocsConfig:
    (tmp_path / "docs").mkdir(exist_ok=True)
    config = MkDocsConfig()
    config.load_dict(
        {
            "site_name": "Notice",
            "docs_dir": str(tmp_path / "docs"),
            "site_dir": str(tmp_path / "site"),
            "markdown_extensions": extensions if extensions is not None else ["toc", "attr_list", "md_in_html"],
            **settings,
        }
    )
    errors, _ = config.validate()
    assert errors == []
    return config


def files_of(config: MkDocsConfig, *paths: str) -> Files:
    return Files([File(path, config.docs_dir, config.site_dir, config.use_directory_urls) for path in paths])


def converted(renders: PageRenders, config: MkDocsConfig, files: Files, markdown: str = MARKDOWN) -> Page:
    """A new page of a.md with `markdown`, converted as MkDocs' build converts it after page_markdown."""
    page = Page(None, files.get_file_from_path("a.md"), config)
    page.markdown = markdown
    renders.take_over(page, config)
    page.render(config, files)
    return page


@pytest.fixture
def conversions(monkeypatch) -> list[str]:
    """The pages Python-Markdown converted (not taken from the cache)."""
    seen: list[str] = []
    real = Page.render

    def render(page: Page, config: MkDocsConfig, files: Files) -> None:
        seen.append(page.file.src_uri)
        real(page, config, files)

    monkeypatch.setattr(Page, "render", render)
    return seen


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]


def test_a_page_from_the_cache_is_the_page_mkdocs_converts(tmp_path: Path, conversions, caplog) -> None:
    config = site_config(tmp_path)
    files = files_of(config, "a.md", "b.md")
    renders = PageRenders(BuildCache(tmp_path / "cache"))
    first = converted(renders, config, files)
    again = converted(renders, config, files)
    assert conversions == ["a.md"]  # the second came from the cache
    assert again.content == first.content
    assert 'id="your-rights"' in again.content
    assert str(again.toc) == str(first.toc) == "Privacy notice - #privacy-notice\n    Your rights - #your-rights\n"
    assert next(iter(again.toc)).active is True  # as MkDocs marks the first entry
    assert again.title == first.title == "Privacy notice"
    assert again.present_anchor_ids == first.present_anchor_ids == {"privacy-notice", "your-rights"}
    assert again.links_to_anchors == first.links_to_anchors == {files.get_file_from_path("b.md"): {"part": "b.md#part"}}


def test_a_page_from_the_cache_logs_what_its_conversion_logged(tmp_path: Path, conversions, caplog) -> None:
    """A broken link warns again, so a strict build stops on a cached page as on a converted one."""
    config = site_config(tmp_path)
    files = files_of(config, "a.md", "b.md")
    renders = PageRenders(BuildCache(tmp_path / "cache"))
    converted(renders, config, files)
    converted(renders, config, files)
    assert conversions == ["a.md"]
    missing = [message for message in warnings(caplog) if MISSING_LINK in message]
    assert missing == [f"Doc file 'a.md' {MISSING_LINK}."] * 2


def test_another_text_another_file_set_or_other_settings_convert_anew(tmp_path: Path, conversions, caplog) -> None:
    config = site_config(tmp_path)
    cache = BuildCache(tmp_path / "cache")
    files = files_of(config, "a.md", "b.md")
    converted(PageRenders(cache), config, files)
    converted(PageRenders(cache), config, files, MARKDOWN + "\nMore.\n")
    with_target = files_of(config, "a.md", "b.md", "missing.md")  # the link now resolves: no warning
    page = converted(PageRenders(cache), config, with_target)
    assert 'href="../missing/"' in page.content
    flat = site_config(tmp_path, use_directory_urls=False)  # other URLs for every link
    page = converted(PageRenders(cache), flat, files_of(flat, "a.md", "b.md"))
    assert 'href="b.html#part"' in page.content
    ignored = site_config(tmp_path, validation={"links": {"not_found": "ignore"}})  # what a broken link logs
    converted(PageRenders(cache), ignored, files_of(ignored, "a.md", "b.md"))
    assert conversions == ["a.md"] * 5
    assert len([message for message in warnings(caplog) if MISSING_LINK in message]) == 3


def test_a_damaged_or_foreign_entry_converts_anew(tmp_path: Path, conversions) -> None:
    config = site_config(tmp_path)
    files = files_of(config, "a.md", "b.md")
    renders = PageRenders(BuildCache(tmp_path / "cache"))
    first = converted(renders, config, files)
    other = converted(renders, config, files, "# Another page\n")
    entries = sorted((tmp_path / "cache").rglob("*.txt"), key=lambda path: path.stat().st_mtime_ns)
    assert len(entries) == 2
    entries[0].write_bytes(entries[1].read_bytes())  # another page's entry under this page's key
    assert converted(renders, config, files).content == first.content
    entries[1].write_bytes(entries[1].read_bytes()[:50])  # cut short
    assert converted(renders, config, files, "# Another page\n").content == other.content
    assert conversions == ["a.md", "a.md", "a.md", "a.md"]


@pytest.mark.parametrize(
    ("extensions", "settings"),
    [
        (["toc", "pymdownx.snippets"], {}),  # a third-party extension may read other files
        ([TocExtension()], {}),  # an extension object says nothing certain of its settings
        (["toc", "markdown.extensions.codehilite"], {}),  # depends on Pygments' version
        (["toc"], {"toc": {"slugify": lambda text, separator: text}}),  # a function with no importable name
    ],
    ids=["third-party", "object", "codehilite", "lambda"],
)
def test_settings_that_cannot_be_named_for_certain_cache_nothing(extensions, settings) -> None:
    config = {
        "markdown_extensions": extensions,
        "mdx_configs": settings,
        "validation": {"links": {}, "nav": {}},
        "use_directory_urls": True,
    }
    assert render_settings(config) is None


def test_settings_name_a_function_by_its_importable_name() -> None:
    config = {
        "markdown_extensions": ["markdown.extensions.toc", "tables"],
        "mdx_configs": {"toc": {"permalink": True, "slugify": logging.getLogger}},
        "validation": {"links": {}, "nav": {}},
        "use_directory_urls": True,
    }
    settings = render_settings(config)
    assert settings is not None
    assert '"slugify": "logging.getLogger"' in settings

"""The notice plugin added to a company's existing MkDocs site: its pages go in one folder, the rest is theirs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from conftest import MINIMAL, copy_notice, mkdocs
from noticegen.core.writer import MANIFEST, ForeignFileError, sync_folder

EXISTING_SITE = Path(__file__).resolve().parent / "fixtures" / "existing-site"


@pytest.fixture
def existing_site(tmp_path: Path) -> Path:
    """The fixture's documentation site, with the small fixture notice (en, fr) beside it."""
    root = tmp_path / "docs-site"
    shutil.copytree(EXISTING_SITE, root)
    copy_notice(MINIMAL, root / "notice-project")
    return root


def own_pages(root: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in (root / "docs").glob("*.md")}


def edit_config(root: Path, change) -> None:
    path = root / "mkdocs.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(config)
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def test_the_notice_is_published_under_its_folder_and_the_sites_own_pages_are_untouched(existing_site: Path) -> None:
    before = own_pages(existing_site)
    mkdocs(existing_site, "build", "--strict")
    assert own_pages(existing_site) == before
    site = existing_site / "site"
    assert (site / "index.html").is_file() and (site / "guide" / "index.html").is_file()
    english = (site / "privacy" / "index.html").read_text(encoding="utf-8")
    french = (site / "privacy" / "fr" / "index.html").read_text(encoding="utf-8")
    for section in ("intro", "contact", "rights", "rights-access"):
        assert f'id="{section}"' in english and f'id="{section}"' in french
    assert '<html lang="fr" dir="ltr"' in french
    assert 'hreflang="fr" href="https://docs.example.org/privacy/fr/"' in english
    assert 'hreflang="x-default" href="https://docs.example.org/privacy/"' in french
    assert (site / "privacy" / "api" / "schema").is_dir()


def test_the_sites_own_pages_keep_their_name_language_and_policy(existing_site: Path) -> None:
    mkdocs(existing_site, "build", "--strict")
    home = (existing_site / "site" / "index.html").read_text(encoding="utf-8")
    assert "Example Docs" in home  # site_name is the company's, not replaced by the notice's publisher
    assert '<html lang="en" class="no-js">' in home
    assert "Content-Security-Policy" not in home
    assert "Content-Security-Policy" in (existing_site / "site" / "privacy" / "index.html").read_text("utf-8")


def test_a_page_of_the_site_beside_the_generated_ones_survives_every_build(existing_site: Path) -> None:
    mkdocs(existing_site, "build", "--strict")
    note = existing_site / "docs" / "privacy" / "cookies.md"
    note.write_text("# Cookies\n\nThe company's own page, in the notice's folder.\n", encoding="utf-8")
    french = existing_site / "notice-project" / "locales" / "fr"
    shutil.rmtree(french)
    edit_notice_locales(existing_site, drop="fr")
    mkdocs(existing_site, "build", "--strict")
    assert note.read_text(encoding="utf-8").startswith("# Cookies")
    assert not (existing_site / "docs" / "privacy" / "fr").exists()  # the withdrawn locale's pages are gone
    assert (existing_site / "site" / "privacy" / "cookies" / "index.html").is_file()


def edit_notice_locales(root: Path, drop: str) -> None:
    path = root / "notice-project" / "notice" / "notice.yaml"
    notice = yaml.safe_load(path.read_text(encoding="utf-8"))
    del notice["locales"]["available"][drop]
    path.write_text(yaml.safe_dump(notice, allow_unicode=True, sort_keys=False), encoding="utf-8")
    data = root / "notice-project" / "notice" / "data" / "representative.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("      fr: Belgique\n", ""), encoding="utf-8")


def test_a_page_of_the_site_where_the_notice_would_write_stops_the_build(existing_site: Path) -> None:
    own = existing_site / "docs" / "privacy" / "index.md"
    own.parent.mkdir()
    own.write_text("# Our privacy page\n", encoding="utf-8")
    result = mkdocs(existing_site, "build", "--strict", check=False)
    assert result.returncode == 1
    assert f"{own} would be overwritten, but this tool did not write it" in result.stderr
    assert own.read_text(encoding="utf-8") == "# Our privacy page\n"


def test_the_required_markdown_extensions_are_added(existing_site: Path) -> None:
    result = mkdocs(existing_site, "build", "--strict")
    assert "added the Markdown extension 'attr_list'" in result.stderr
    assert 'id="rights-access"' in (existing_site / "site" / "privacy" / "index.html").read_text("utf-8")


def test_another_theme_is_refused_with_a_message(existing_site: Path) -> None:
    edit_config(existing_site, lambda config: config.update(theme={"name": "mkdocs"}))
    result = mkdocs(existing_site, "build", "--strict", check=False)
    assert result.returncode == 1
    assert "the notice plugin needs the Material theme (theme: name: material), not 'mkdocs'" in result.stderr


@pytest.mark.parametrize("folder", ["../outside", "a//b", "a/./b", ".hidden"])
def test_a_folder_outside_docs_dir_is_refused(existing_site: Path, folder: str) -> None:
    edit_config(existing_site, lambda config: config["plugins"][1]["notice"].update(folder=folder))
    result = mkdocs(existing_site, "build", "--strict", check=False)
    assert result.returncode == 1
    assert f"notice plugin: folder '{folder}' must be a plain relative path inside docs_dir" in result.stderr


def test_sync_refuses_to_overwrite_a_file_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "index.md").write_text("mine\n", encoding="utf-8")
    with pytest.raises(ForeignFileError, match=r"index\.md would be overwritten"):
        sync_folder(tmp_path, {"index.md": "generated\n", "fr/index.md": "généré\n"})
    assert not (tmp_path / "fr").exists() and not (tmp_path / MANIFEST).exists()  # nothing written


def test_sync_removes_only_what_it_wrote(tmp_path: Path) -> None:
    sync_folder(tmp_path, {"index.md": "a\n", "fr/index.md": "b\n"})
    (tmp_path / "fr" / "notes.md").write_text("a person's notes\n", encoding="utf-8")
    sync_folder(tmp_path, {"index.md": "a\n"})
    assert (tmp_path / "fr" / "notes.md").is_file()
    assert not (tmp_path / "fr" / "index.md").exists()
    assert (tmp_path / MANIFEST).read_text(encoding="utf-8") == "index.md\n"


def test_sync_never_follows_a_symbolic_link(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "index.md").write_text("precious\n", encoding="utf-8")
    docs = tmp_path / "docs"
    sync_folder(docs, {"fr/index.md": "b\n"})
    shutil.rmtree(docs / "fr")
    (docs / "fr").symlink_to(elsewhere, target_is_directory=True)
    sync_folder(docs, {})  # fr/index.md is owned, but reached through a link: left alone
    assert (elsewhere / "index.md").read_text(encoding="utf-8") == "precious\n"
    with pytest.raises(ForeignFileError):
        sync_folder(docs, {"fr/index.md": "b\n"})
    assert (elsewhere / "index.md").read_text(encoding="utf-8") == "precious\n"


def test_written_files_are_readable_by_others(tmp_path: Path) -> None:
    sync_folder(tmp_path, {"index.md": "a\n"})
    assert (tmp_path / "index.md").stat().st_mode & 0o044 == 0o044

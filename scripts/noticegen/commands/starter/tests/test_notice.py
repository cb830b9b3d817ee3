"""What the notice in this project must always hold, whatever it says.

Written for any notice kept with noticegen: they read the outline and the locales from the files, never a
list of their own. NOTICE_PROJECT names another project folder to test (default: this file's project).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(os.environ.get("NOTICE_PROJECT") or Path(__file__).resolve().parent.parent).resolve()
BIN = Path(sys.executable).parent


def read_yaml(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def outline_ids(notice_root: Path) -> list[str]:
    return [entry["id"] for entry in read_yaml(notice_root / "notice" / "notice.yaml")["outline"]]


def locale_codes(notice_root: Path) -> list[str]:
    return list(read_yaml(notice_root / "notice" / "notice.yaml")["locales"]["available"])


def published_codes(notice_root: Path) -> list[str]:
    """The locales a build publishes: all but the drafts (`notice locale add`), once a release has them."""
    available = read_yaml(notice_root / "notice" / "notice.yaml")["locales"]["available"]
    codes = [code for code, entry in available.items() if not (entry or {}).get("draft")]
    versions = released_versions()
    if not versions:
        return codes
    released = {code for version in versions for code in published_in(version)}
    return [code for code in codes if code in released]


def published_in(version: Path) -> list[str]:
    available = read_yaml(version / "notice" / "notice.yaml")["locales"]["available"]
    return [code for code, entry in available.items() if not (entry or {}).get("draft")]


def released_versions() -> list[Path]:
    folder = ROOT / "notice" / "versions"
    return sorted(path for path in folder.iterdir() if path.is_dir()) if folder.is_dir() else []


def test_the_notice_passes_the_strict_check() -> None:
    result = subprocess.run(
        [str(BIN / "notice"), "check", "--strict", str(ROOT)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_editors_schemas_are_up_to_date() -> None:
    """schemas/ holds the JSON Schemas an editor checks the source files with: `notice schemas` writes them."""
    result = subprocess.run(
        [str(BIN / "notice"), "schemas", "--check", "--path", str(ROOT)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_source_files_are_in_the_canonical_layout() -> None:
    """One layout (`notice fmt`), so that a review shows what changed in the text, not how it was typed."""
    result = subprocess.run(
        [str(BIN / "notice"), "fmt", "--check", "--path", str(ROOT)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("code", locale_codes(ROOT))
def test_every_locale_has_every_section(code: str) -> None:
    sections = read_yaml(ROOT / "locales" / code / "notice.yaml")["sections"]
    assert sorted(sections) == sorted(outline_ids(ROOT))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [str(BIN / "mkdocs"), "build", "--strict", "--quiet", "--site-dir", str(site)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return site


def locale_page(site: Path, code: str) -> str:
    default = read_yaml(ROOT / "notice" / "notice.yaml")["locales"]["default_locale"]
    page = site / "index.html" if code == default else site / code / "index.html"
    return page.read_text(encoding="utf-8")


@pytest.mark.parametrize("code", published_codes(ROOT))
def test_every_section_has_its_anchor_in_every_language(built_site: Path, code: str) -> None:
    page = locale_page(built_site, code)
    missing = [section for section in outline_ids(ROOT) if f'id="{section}"' not in page]
    assert not missing, f"sections without their anchor on the {code} page: {missing}"


def test_every_anchor_ever_released_still_resolves(built_site: Path) -> None:
    """A section id published once is a promise: it lands on the page in force, as itself or an alias."""
    aliases = read_yaml(ROOT / "notice" / "notice.yaml").get("aliases") or {}
    current = set(outline_ids(ROOT)) | set(aliases)
    for version in released_versions():
        lost = sorted(set(outline_ids(version)) - current)
        assert not lost, f"version {version.name} published anchors that no longer resolve: {lost}"
        for code in published_in(version):
            if code in published_codes(ROOT):
                page = locale_page(built_site, code)
                assert all(f'id="{section}"' in page for section in outline_ids(version))


def test_every_released_version_reproduces_its_digests(built_site: Path) -> None:
    """The published record verifies as a reader would check it: every version, digest and chain link."""
    result = subprocess.run(
        [str(BIN / "notice"), "verify", str(built_site)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr

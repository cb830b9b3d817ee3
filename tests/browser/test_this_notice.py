"""The notice in this repository, whatever company's it is, in a real browser: axe finds nothing on any
kind of page in any published locale. (The engine's browser tests run on fixtures; these hold for a fork.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import PROJECT, copy_site_project, mkdocs
from noticegen.source.versions import site_locales, snapshot_ids

from .conftest import ServedSite, axe_violations, served

CONFIG = PROJECT / "mkdocs.yml"


def pages_of_every_kind() -> list[str]:
    """The main page, the versions list, the changelog, the latest version and its redline, per locale."""
    locales, default = site_locales(PROJECT, preview=False)
    versions = snapshot_ids(PROJECT)
    kinds = [""] + (["versions/", "changelog/", f"versions/{versions[-1]}/", f"versions/{versions[-1]}/changes/"]
                    if versions else [])  # fmt: skip
    return [("" if code == default else f"{code}/") + kind for code, _ in locales for kind in kinds]


@pytest.fixture(scope="module")
def this_notice(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """This repository's notice and site configuration, built for a local address under its own path."""
    root = tmp_path_factory.mktemp("this-notice") / "project"
    site_path = urlsplit(yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["site_url"]).path or "/"
    with served(root / "site", site_path) as url:
        copy_site_project(PROJECT, root, CONFIG)
        config = root / "mkdocs.yml"
        text = re.sub(r"(?m)^site_url: .*$", lambda _: f"site_url: {url}", config.read_text(encoding="utf-8"))
        config.write_text(text, encoding="utf-8")
        mkdocs(root, "build", "--strict")
        yield ServedSite(root / "site", url)


@pytest.mark.parametrize("path", pages_of_every_kind())
def test_axe_finds_no_violation_on_this_notice(browser, this_notice: ServedSite, axe_script, path: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)  # axe is injected
    page = context.new_page()
    page.goto(this_notice.url + path)
    page.wait_for_load_state("load")
    violations = axe_violations(page, axe_script)
    context.close()
    assert violations == []

"""`mkdocs serve` regenerates the notice when a source file changes (speed: benchmarks/serve_reload.py)."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from conftest import BOTPRESS, copy_site_project


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(condition, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@contextlib.contextmanager
def serving(root: Path, path: str) -> Iterator[tuple[str, Path]]:
    """`mkdocs serve` of the project at `root` on a free port: (the URL of `path` under it, the server's log)."""
    address = f"127.0.0.1:{free_port()}"
    log = root.parent / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "mkdocs"), "serve", "-a", address],
            cwd=root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            yield f"http://{address}{path}", log
        finally:
            server.terminate()
            server.wait(timeout=30)


def test_serve_shows_an_edit_and_rewrites_only_the_changed_page(tmp_path: Path) -> None:
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    with serving(root, "/privacy/") as (url, log):
        started = wait_for(lambda: "How long do we retain personal data?" in fetch(url))
        assert started, log.read_text()
        zh_page = root / "generated" / "zh" / "index.md"
        zh_written = zh_page.stat().st_mtime_ns

        text = root / "locales" / "en" / "notice.yaml"
        text.write_text(
            text.read_text(encoding="utf-8").replace(
                "title: How long do we retain personal data?", "title: How long do we keep personal data?"
            ),
            encoding="utf-8",
        )
        assert wait_for(lambda: "How long do we keep personal data?" in fetch(url)), log.read_text()
        assert zh_page.stat().st_mtime_ns == zh_written


def test_serve_shows_a_broken_save_on_the_page_and_the_notice_after_the_fix(tmp_path: Path) -> None:
    """After a save that breaks the source, the server does not abort ("will appear stuck"): the page lists the
    error with its place; the next good save brings the notice back."""
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    with serving(root, "/privacy/versions/2025-09-23/") as (url, log):
        assert wait_for(lambda: "How long do we retain personal data?" in fetch(url)), log.read_text()
        assert "notice-livereload.js" in fetch(url)  # the reload that the page's policy allows
        assert "livereload" in fetch(url.split("/versions/")[0] + "/assets/javascripts/notice-livereload.js")
        text = root / "locales" / "en" / "notice.yaml"
        good = text.read_text(encoding="utf-8")
        text.write_text(good.replace("  retention:\n", "  retention:\n  - [broken\n", 1), encoding="utf-8")
        shown = "<code>locales/en/notice.yaml:125:16</code> <strong>Error</strong>: this line does not fit"
        assert wait_for(lambda: shown in fetch(url)), log.read_text()
        text.write_text(good, encoding="utf-8")
        assert wait_for(lambda: "How long do we retain personal data?" in fetch(url)), log.read_text()
        assert "Aborted" not in log.read_text()


def test_serve_builds_each_save_once_and_the_other_locales_after_the_first_is_served(tmp_path: Path) -> None:
    """The default locale (en) is served as soon as it is built; zh, built after it in the server's process,
    is served once built too. The pages the plugin writes for a save do not make the server build again."""
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    with serving(root, "/privacy/zh/") as (url, log):
        english = url.replace("/zh/", "/")
        assert wait_for(lambda: "How long do we retain personal data?" in fetch(english)), log.read_text()
        # Asked for as soon as the English page is served, the Chinese page waits until it is built: not a 404.
        assert "数据保留" in fetch(url), log.read_text()
        text = root / "locales" / "zh" / "notice.yaml"
        edited = text.read_text(encoding="utf-8").replace("title: 数据保留", "title: 数据的保存期限", 1)
        text.write_text(edited, encoding="utf-8")
        assert wait_for(lambda: "数据的保存期限" in fetch(url)), log.read_text()
        time.sleep(2)  # time for the watcher to see the plugin's pages, which used to start another build
        output = log.read_text()
        english_index = json.loads(fetch(url.replace("/zh/", "/search/search_index.json")))
        chinese_index = json.loads(fetch(url + "search/search_index.json"))
    # Each locale's pages search their own locale's index only, as in a built site.
    assert english_index["config"]["lang"] == ["en"]
    assert english_index["docs"] and not any(doc["location"].startswith("zh/") for doc in english_index["docs"])
    assert chinese_index["config"]["lang"] == ["zh"]
    assert any("数据的保存期限" in doc["title"].replace("\u200b", "") for doc in chinese_index["docs"])
    assert output.count("Building documentation...") == 2, output  # the first build, and the save's
    assert "notice: built zh in " in output
    assert "ERROR" not in output and "Error" not in output

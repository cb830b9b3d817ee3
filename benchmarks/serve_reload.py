"""How long an editor waits in `mkdocs serve`: for the first page, and from saving a section to seeing it served.

Run by `make bench` (benchmarks/bench.py: on the bundled notice and on the synthetic one), or alone:
`.venv/bin/python benchmarks/serve_reload.py [ROUNDS] [PROJECT]` (the bundled notice by default). It copies the
project to a temporary folder (so its build cache starts empty), starts `mkdocs serve` there, times the first
page, then edits the first English section's title ROUNDS times and times each edit until the page serves it.
The targets (issue 16): the first page of the big notice in under 15 s, an edit served in under 2 s.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

PROJECT = Path(__file__).resolve().parent.parent
MKDOCS = str(Path(sys.executable).parent / "mkdocs")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
# The first section title of the English working text, quoted or plain.
FIRST_TITLE = re.compile(r"^(    title: )(.*)$", re.MULTILINE)


@dataclass(frozen=True)
class ServeTiming:
    first_page: float  # seconds from starting `mkdocs serve` to the first page served
    edits: list[float]  # seconds from saving each edit to the page serving it

    @property
    def median_edit(self) -> float:
        return statistics.median(self.edits)


def copy_project(source: Path, target: Path) -> None:
    """The notice and the site's configuration, without what a build made (generated pages, site, caches)."""
    for folder in ("notice", "locales"):
        shutil.copytree(source / folder, target / folder)
    (target / "generated").mkdir()
    shutil.copy(source / "mkdocs.yml", target / "mkdocs.yml")


def edited(text: str, marker: str) -> str:
    """The working text with `marker` added to the first section's title."""

    def with_marker(match: re.Match[str]) -> str:
        value = match.group(2)
        if value.startswith('"') and value.endswith('"'):
            return f'{match.group(1)}{value[:-1]} ({marker})"'
        return f"{match.group(1)}{value} ({marker})"

    return FIRST_TITLE.sub(with_marker, text, count=1)


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def until(condition: Callable[[], bool], limit: float) -> float:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > limit:
            raise TimeoutError(f"nothing served after {limit:.0f} s")
        time.sleep(0.02)
    return time.monotonic() - start


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_timing(source: Path, rounds: int = 3, limit: float = 900.0) -> ServeTiming:
    """Serve a copy of the project at `source` and time its first page and `rounds` edits."""
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as folder:
        root = Path(folder)
        copy_project(source, root)
        site_url = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8")).get("site_url") or "/"
        port = free_port()
        url = f"http://127.0.0.1:{port}{urlsplit(site_url).path or '/'}"
        text_file = root / "locales" / "en" / "notice.yaml"
        original = text_file.read_text(encoding="utf-8")
        start = time.monotonic()
        server = subprocess.Popen(
            [MKDOCS, "serve", "-a", f"127.0.0.1:{port}"],
            cwd=root,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            until(lambda: "</html>" in fetch(url), limit)
            first_page = time.monotonic() - start
            edits = []
            for round_number in range(1, rounds + 1):
                marker = f"edit {round_number}"
                text_file.write_text(edited(original, marker), encoding="utf-8")
                edits.append(until(lambda marker=marker: f"({marker})" in fetch(url), limit))
                time.sleep(0.5)
        finally:
            server.terminate()
            server.wait(timeout=60)
    return ServeTiming(first_page, edits)


def main(rounds: int, source: Path) -> None:
    timing = serve_timing(source, rounds)
    print(f"first page served after {timing.first_page:.2f} s")
    for number, seconds in enumerate(timing.edits, start=1):
        print(f"edit {number}: served after {seconds:.2f} s")
    print(f"edit to served page: median {timing.median_edit:.2f} s (target 2 s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5, Path(sys.argv[2]) if len(sys.argv) > 2 else PROJECT)

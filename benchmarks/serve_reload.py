"""How long an editor waits: from saving a section in locales/ to `mkdocs serve` serving the change.

Run with `make bench` (or .venv/bin/python benchmarks/serve_reload.py [ROUNDS]). It copies the
bundled notice to a temporary folder, starts `mkdocs serve` there, edits one English section title
ROUNDS times and prints the seconds each edit took to appear, then their median, beside the time of
one full `mkdocs build`. The target for the bundled notice is 2 seconds (issue 3).
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
MKDOCS = str(Path(sys.executable).parent / "mkdocs")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
TITLE = "title: How long do we retain personal data?"


def copy_project(target: Path) -> None:
    for folder in ("notice", "locales"):
        shutil.copytree(PROJECT / folder, target / folder)
    (target / "generated").mkdir()
    shutil.copy(PROJECT / "mkdocs.yml", target / "mkdocs.yml")


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def until(condition, limit: float = 120.0) -> float:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > limit:
            raise TimeoutError("no change after 120 s")
        time.sleep(0.02)
    return time.monotonic() - start


def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        copy_project(root)
        start = time.monotonic()
        subprocess.run([MKDOCS, "build", "--quiet"], cwd=root, env=ENV, check=True, capture_output=True)
        build_seconds = time.monotonic() - start

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        url = f"http://127.0.0.1:{port}/privacy/"
        server = subprocess.Popen(
            [MKDOCS, "serve", "-a", f"127.0.0.1:{port}"],
            cwd=root,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            until(lambda: "How long do we retain" in fetch(url))
            text_file = root / "locales" / "en" / "notice.yaml"
            original = text_file.read_text(encoding="utf-8")
            timings = []
            for round_number in range(1, rounds + 1):
                marker = f"edit {round_number}"
                text_file.write_text(original.replace(TITLE, f"{TITLE} ({marker})"), encoding="utf-8")
                seconds = until(lambda marker=marker: f"({marker})" in fetch(url))
                timings.append(seconds)
                print(f"edit {round_number}: served after {seconds:.2f} s")
                time.sleep(0.5)
        finally:
            server.terminate()
            server.wait(timeout=30)
    median = statistics.median(timings)
    print(f"full mkdocs build: {build_seconds:.2f} s")
    print(f"edit to served page: median {median:.2f} s, min {min(timings):.2f} s, max {max(timings):.2f} s")
    print(f"median / 2 s target: {median / 2:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)

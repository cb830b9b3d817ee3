"""Lighthouse's four scores for the published site: what a visitor's browser makes of it.

Run with `make bench` (or .venv/bin/python benchmarks/lighthouse.py [--runs N] [--reports FOLDER]).
It builds the bundled notice into a temporary folder for an address on this machine under site_url's path
(http://127.0.0.1:PORT/privacy/: as published, canonical and hreflang links point to where the pages are
served), serves it compressed with gzip as a static host does, and runs Lighthouse (npm `lighthouse`, pinned
in package.json; `npm ci` installs it) in Debian's Chromium, as a desktop and as a phone, on the main page in
each locale, a version page and a redline. It prints performance, accessibility, best practices and SEO for
each (the median of N runs: the performance score moves from run to run, and much on a busy machine, so
Lighthouse's own measure of the machine's speed, its benchmark index, is printed too), and the audits that
lowered a score. --reports keeps each run's JSON report.

The targets (issue 15): desktop 100/100/100/100 and mobile performance at least 95 on each main page.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import yaml

PROJECT = Path(__file__).resolve().parent.parent
MKDOCS = str(Path(sys.executable).parent / "mkdocs")
LIGHTHOUSE = PROJECT / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
    "--disable-sync --no-first-run"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FORM_FACTORS = ("desktop", "mobile")
# What a static host (GitHub Pages) compresses.
COMPRESSED = re.compile(r"^(text/|application/(javascript|json|xml|atom\+xml)|image/svg\+xml)")


class GzipHandler(SimpleHTTPRequestHandler):
    """The site under `site_path` only (anything else is a 404), text compressed when the browser accepts it."""

    def __init__(self, *args, site_path: str, **kwargs) -> None:
        self.site_path = site_path
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.site_path):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path.removeprefix(self.site_path))

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # the redirect to the folder's address
            path = path / "index.html"
        kind = self.guess_type(str(path))
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file() or not COMPRESSED.match(kind):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Body:
    """What send_head returns: a file-like object that do_GET copies and closes."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = (self.data, b"") if size < 0 else (self.data[:size], self.data[size:])
        return data

    def close(self) -> None:
        pass


@contextlib.contextmanager
def serving(site: Path, site_path: str) -> Iterator[str]:
    handler = functools.partial(GzipHandler, directory=str(site), site_path=site_path)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{site_path}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def build(root: Path, url: str) -> Path:
    """The bundled notice built into root/site for `url`."""
    for folder in ("notice", "locales"):
        shutil.copytree(PROJECT / folder, root / folder)
    (root / "generated").mkdir()
    config = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(re.sub(r"(?m)^site_url: .*$", f"site_url: {url}", config), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([MKDOCS, "build", "--strict", "--quiet"], cwd=root, env=env, check=True)
    return root / "site"


def pages(site: Path, url: str) -> dict[str, str]:
    """The main page in each locale, the version in force (or the newest) and its redline."""
    index = json.loads((site / "api" / "notice.json").read_text(encoding="utf-8"))
    default = index["locales"]["default"]
    found = {}
    for locale in index["locales"]["available"]:
        code = locale["code"]
        found[f"main ({code})"] = url if code == default else f"{url}{code}/"
    versions = index["versions"]
    version = next((v for v in versions if v["status"] == "current"), versions[-1])
    page = version["urls"]["html"][default]
    found[f"version {version['id']}"] = page
    found[f"redline {version['id']}"] = page + "changes/"
    return found


def lighthouse(url: str, form_factor: str, report: Path) -> dict:
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    return json.loads(report.read_text(encoding="utf-8"))


def scores(result: dict) -> dict[str, int | None]:
    return {
        name: None if result["categories"][name]["score"] is None else round(result["categories"][name]["score"] * 100)
        for name in CATEGORIES
    }


def failing(result: dict, with_values: bool = True) -> list[str]:
    """The audits that lower a score of the four categories, with their score (a metric: also its value)."""
    # Those that count: a diagnostic of weight 0 (unused CSS, cache lifetimes) moves no score.
    ids = {ref["id"] for name in CATEGORIES for ref in result["categories"][name]["auditRefs"] if ref["weight"] > 0}
    failed = []
    for audit_id in sorted(ids):
        audit = result["audits"][audit_id]
        if audit["score"] is None or audit["scoreDisplayMode"] in ("informative", "notApplicable", "manual"):
            continue
        if audit["score"] < 1:
            shown = f" ({audit['score']:.2f} {audit.get('displayValue', '')})".replace(" )", ")")
            failed.append(audit_id + shown if with_values else audit_id)
    return failed


def median_scores(results: list[dict]) -> dict[str, int | None]:
    runs = [scores(result) for result in results]
    return {
        name: None if None in (run[name] for run in runs) else round(statistics.median(run[name] for run in runs))
        for name in CATEGORIES
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page and form factor (the median is shown)")
    parser.add_argument("--reports", type=Path, help="a folder to keep each run's JSON report in")
    options = parser.parse_args()
    if not LIGHTHOUSE.is_file():
        print(f"{LIGHTHOUSE} is missing: run `npm ci` in {PROJECT}", file=sys.stderr)
        return 1
    if not Path(CHROMIUM).is_file():
        print(f"{CHROMIUM} is missing: install Debian's chromium package, or set CHROME_PATH", file=sys.stderr)
        return 1
    site_url = yaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        reports = options.reports or root / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        (root / "project" / "site").mkdir(parents=True)
        with serving(root / "project" / "site", urlsplit(site_url).path) as url:
            site = build(root / "project", url)
            rows, problems, speeds = [], [], []
            for name, page in pages(site, url).items():
                for form_factor in FORM_FACTORS:
                    results = []
                    for run in range(options.runs):
                        slug = re.sub(r"[^a-z0-9]+", "-", f"{name} {form_factor} {run + 1}".lower())
                        results.append(lighthouse(page, form_factor, reports / f"{slug}.json"))
                    speeds.extend(result["environment"]["benchmarkIndex"] for result in results)
                    runs = " ".join(
                        f"{round(result['categories']['performance']['score'] * 100)}"
                        f"@{result['environment']['benchmarkIndex']:.0f}"
                        for result in results
                    )
                    rows.append((name, form_factor, median_scores(results), runs))
                    failed = sorted({audit for result in results for audit in failing(result, with_values=False)})
                    problems.extend(f"{name}, {form_factor}: {audit}" for audit in failed)
    agent = results[-1]["environment"]["hostUserAgent"].split(") ")[-1]
    print(f"Lighthouse {results[-1]['lighthouseVersion']}, {agent}; median of {options.runs} run(s)")
    print(f"Lighthouse's benchmark index of this machine (higher is faster): {min(speeds):.0f} to {max(speeds):.0f}")
    header = " ".join(f"{name:>14}" for name in CATEGORIES)
    print(f"{'page':<24} {'form':<8} {header}   performance@benchmark index of each run")
    for name, form_factor, row, runs in rows:
        print(f"{name:<24} {form_factor:<8} " + " ".join(f"{row[c]!s:>14}" for c in CATEGORIES) + f"   {runs}")
    print("Audits that lowered a score (in any run):" if problems else "Audits that lowered a score: none")
    for problem in problems:
        print(f"  {problem}")
    met = all(
        all(row[c] == 100 for c in CATEGORIES) if form_factor == "desktop" else (row["performance"] or 0) >= 95
        for name, form_factor, row, _ in rows
        if name.startswith("main")
    )
    print(f"Targets (main pages: desktop 100 x 4, mobile performance >= 95): {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

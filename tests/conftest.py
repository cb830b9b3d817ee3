"""Shared helpers: copies of notices to break, and the checker run as the command line runs it."""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml
from hypothesis import settings

from noticegen.cli import main
from noticegen.model.site import Site, load_site

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

# The repository: its Makefile, workflows, README, and the notice it publishes (notice/, locales/), which a
# fork replaces with its own company's. Tests of that notice live in tests/this_notice/ and hold for any notice.
PROJECT = Path(__file__).resolve().parent.parent
# The engine's tests never read the notice in notice/: they read fixtures. This one is a frozen copy of the
# Botpress notice the repository started with (text, data, a released version, its site configuration).
BOTPRESS = Path(__file__).resolve().parent / "fixtures" / "botpress"
PDF_CACHE = PROJECT / ".cache" / "noticegen" / "pdf"
# Every build of the tests, `mkdocs` or `make site` in any copy, shares the project's PDF cache: a released
# version's PDF is laid out once per run, not once per copy (a Chinese one takes about 20 s).
os.environ.setdefault("NOTICEGEN_PDF_CACHE", str(PDF_CACHE))


def holds_the_botpress_notice(root: Path) -> bool:
    """Whether the notice in `root` is the Botpress notice this repository started with (a fork replaces it)."""
    try:
        notice = yaml.safe_load((root / "notice" / "notice.yaml").read_text(encoding="utf-8"))
        return notice["controller"]["name"] == "Botpress Inc." and notice["locales"]["source_locale"] == "zh"
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return False


# Tests of the Botpress text itself (its seed, its known gaps): they belong to that notice, not to a fork's.
botpress_text = pytest.mark.skipif(
    not holds_the_botpress_notice(PROJECT),
    reason="a test of the bundled Botpress notice's own text; this repository's notice/ is another company's",
)
MINIMAL = Path(__file__).resolve().parent / "fixtures" / "minimal"
# English source with Japanese and French translations, for search: see its notice/notice.yaml.
JAPANESE = MINIMAL.parent / "japanese"
# A company's notice as a privacy counsel writes it: English source, German, a table of lawful bases whose cells
# hold lists and paragraphs, clause anchors on paragraphs, list items and table rows.
COUNSEL = MINIMAL.parent / "counsel"
# The smallest site for a fixture notice: the notice plugin sets up the languages from notice.yaml.
MINIMAL_MKDOCS = """site_name: x
site_url: https://example.org/privacy/
docs_dir: generated
theme:
  name: material
  font: false
extra:
  generator: false
markdown_extensions:
  - toc:
      permalink: true
plugins:
  - search
  - notice
"""
LINE = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning|acknowledged): ")


@dataclass
class CheckRun:
    exit_code: int
    output: list[str]

    def lines(self, *severities: str) -> list[str]:
        wanted = severities or ("error", "warning")
        return [line for line in self.output if (m := LINE.match(line)) and m["severity"] in wanted]

    @property
    def summary(self) -> str:
        return self.output[-1]


@pytest.fixture
def run_check(capsys: pytest.CaptureFixture[str]):
    """Run `notice check [--strict] PATH` in-process; returns its exit code and printed lines."""

    def run(path: Path, *options: str) -> CheckRun:
        code = main(["check", *options, str(path)])
        return CheckRun(code, capsys.readouterr().out.splitlines())

    return run


def copy_notice(source: Path, target: Path) -> Path:
    for folder in ("notice", "locales"):
        shutil.copytree(source / folder, target / folder)
    if (source / "schemas").is_dir():  # the schemas the source files name on their first line
        shutil.copytree(source / "schemas", target / "schemas")
    return target


def copy_site_project(source: Path, target: Path, mkdocs_yml: Path = BOTPRESS / "mkdocs.yml") -> Path:
    """A copy of a notice with everything `mkdocs build` needs: config and docs folder."""
    copy_notice(source, target)
    (target / "generated").mkdir()
    shutil.copy(mkdocs_yml, target / "mkdocs.yml")
    return target


def started(mkdocs_yml: Path, command: str = "build", **overrides: str) -> MkDocsConfig:
    """The configuration of `mkdocs_yml`, its plugins started for `command` as MkDocs' command line starts them.

    MkDocs keeps one instance of a plugin that has on_startup for the whole process, across load_config calls:
    a test that builds without starting it gets the state an earlier test in the same worker left (a preview
    session, its threads), not a new command's."""
    from mkdocs.config import load_config

    config = load_config(str(mkdocs_yml), **overrides)
    config.plugins.on_startup(command=command, dirty=False)
    return config


def build_fixture_site(source: Path, root: Path, site_url: str) -> Path:
    """A copy of a fixture notice built with the smallest site configuration, published at `site_url`."""
    copy_notice(source, root)
    (root / "generated").mkdir()
    config = re.sub(r"(?m)^site_url: .*$", lambda _: f"site_url: {site_url}", MINIMAL_MKDOCS)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    mkdocs(root, "build", "--strict")
    return root


def mkdocs(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the installed `mkdocs` in `root`, as `make site` does."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [str(Path(sys.executable).parent / "mkdocs"), *args]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=check)


SECOND_VERSION = "2025-12-01"


def edit_retention(root: Path) -> None:
    """Reword the retention section in both locales (the zh source, and its en translation)."""
    for locale, old, new in (
        ("zh", "所需的时间内", "所必需的时间内"),
        ("en", "only for as long as necessary", "only for as long as strictly necessary"),
    ):
        path = root / "locales" / locale / "notice.yaml"
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in {path}"
        path.write_text(text.replace(old, new), encoding="utf-8")


@contextlib.contextmanager
def today_is(day: str) -> Iterator[None]:
    """Run as if the build date were `day`: `notice release` refuses a version that takes effect before today."""
    epoch = int(datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.UTC).timestamp())
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def release_on(day: str, arguments: list[str]) -> int:
    """`notice release …` run on `day`."""
    with today_is(day):
        return main(arguments)


def release_second_version(root: Path) -> None:
    """The bundled notice with a second version, effective SECOND_VERSION: retention reworded in both locales."""
    edit_retention(root)
    assert main(["stamp", "en", "retention", "--path", str(root)]) == 0
    summaries = ["--summary", "en=Retention: only as long as strictly necessary.", "--summary", "zh=保留期限措辞修改。"]
    arguments = ["release", SECOND_VERSION, "--change", "material", "--published", "2025-10-15", *summaries]
    assert release_on("2025-10-15", [*arguments, "--path", str(root)]) == 0


def site_on(root: Path, day: str) -> Site:
    """The site of the notice at `root` as built on `day`."""
    site, report = load_site(root, datetime.date.fromisoformat(day))
    assert site is not None, report
    return site


@pytest.fixture(scope="module")
def released_twice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled notice with its second version (retention reworded), released once for the module."""
    root = copy_site_project(BOTPRESS, tmp_path_factory.mktemp("released") / "project")
    release_second_version(root)
    return root


# The counsel fixture's history (release_counsel_history): two versions, and a day the second is in force.
COUNSEL_VERSIONS = ("2026-02-01", "2026-04-15")
COUNSEL_BUILT_ON = "2026-05-01"


def release_counsel_history(root: Path) -> None:
    """Release the counsel notice at `root` twice, as its company would: the second version rewords a cell of
    the table of lawful bases, removes a row and adds one, and retires a clause; the retired anchors lead on
    through aliases (the removed row to its section, the clause to the paragraph that now says it)."""
    first, second = COUNSEL_VERSIONS
    release_counsel(root, first, "2026-01-01")
    en, de = root / "locales/en/notice.yaml", root / "locales/de/notice.yaml"
    replace_once(en, "in protecting our service and its users", "in keeping our service and its users safe")
    replace_once(de, "am Schutz unseres Dienstes", "an der Sicherheit unseres Dienstes")
    row = (
        "        - id: basis-support\n          purpose: {}\n          data: |\n            - {}\n"
        "          basis: |\n            {}\n\n            {}\n"
    )
    added = {
        en: row.format("Answering your questions", "your messages", "Contract.", "Or our legitimate interest."),
        de: row.format(
            "Beantwortung Ihrer Fragen", "Ihre Nachrichten", "Vertrag.", "Oder unser berechtigtes Interesse."
        ),
    }
    for path in (en, de):
        text = path.read_text(encoding="utf-8")
        start, end = text.index("        - id: basis-legal"), text.index("  sharing:")
        path.write_text(text[:start] + added[path] + text[end:], encoding="utf-8")  # one row goes, one comes
    replace_once(en, "      [§objection-marketing] You may object", "      You may object")
    replace_once(de, "      [§objection-marketing] Der Verwendung", "      Der Verwendung")
    assert main(["stamp", "de", "purposes-and-lawful-bases", "right-to-object", "--path", str(root)]) == 0
    notice = root / "notice/notice.yaml"
    aliases = "aliases:\n  basis-legal: purposes-and-lawful-bases\n  objection-marketing: objection\n"
    notice.write_text(notice.read_text(encoding="utf-8") + aliases, encoding="utf-8")
    release_counsel(root, second, "2026-03-01")


def release_counsel(root: Path, effective: str, on: str) -> None:
    summaries = ["--summary", f"en=Changes of {effective}.", "--summary", f"de=Änderungen vom {effective}."]
    assert release_on(on, ["release", effective, "--change", "material", *summaries, "--path", str(root)]) == 0


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled notice built once with `mkdocs build --strict`; returns the project copy's root."""
    root = copy_site_project(BOTPRESS, tmp_path_factory.mktemp("built") / "project")
    mkdocs(root, "build", "--strict")
    return root


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """A throwaway copy of the bundled notice."""
    return copy_notice(BOTPRESS, tmp_path / "bundled")


@pytest.fixture
def minimal_copy(tmp_path: Path) -> Path:
    """A throwaway copy of the small fixture notice in tests/fixtures/minimal."""
    return copy_notice(MINIMAL, tmp_path / "minimal")


# `pytest --hypothesis-profile=stress` searches much longer than the everyday run.
settings.register_profile("stress", max_examples=5000, deadline=None)
settings.register_profile("default", max_examples=200, deadline=None)
settings.load_profile("default")

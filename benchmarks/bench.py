"""`make bench`: the project's build of a notice of a real company's size against plain MkDocs building the same pages.

The synthetic notice (benchmarks/synthetic.py; 10 locales × 20 versions × 30 sections, BENCH_QUICK=1: 3 × 3 × 6)
is built by the project (`mkdocs build` with the notice plugin; a first build, untimed, without PDFs), then its
generated Markdown pages are copied once into a plain docs/ tree and built (a) with MkDocs + Material +
mkdocs-static-i18n, no notice plugin, and (b) with MkDocs + Material alone (the pages of a build with PDFs differ
only by their links to them). The builds run interleaved (a, b, project without PDFs, project cold, project warm,
a, b, ...), BENCH_RUNS times (default 3), and the table shows their medians: wall and CPU time (of the build's
processes: their rusage), ratios (of wall time to (a) and (b), and of CPU time to (a): on a busy machine the
CPU time moves less), peak memory, the site's size and files. Each build's figures are printed as it
ends, so a run cut short still tells what it measured.

- cold: the build caches empty (the released versions' cache, NOTICEGEN_BUILD_CACHE, and the PDFs',
  NOTICEGEN_PDF_CACHE, both in a folder of this run); warm: both kept from the builds before it, and one section
  of the working text changed, as an editor's next build.
- the project's build writes a PDF of every version in each locale (the plugin's default): that is the headline;
  a row without them (`pdf: false`) shows what they cost. Every run makes one (BENCH_PDF_RUNS=N: the first N
  only, the others keeping the PDF cache of the last for their warm build).
- from one more cold build without PDFs, under cProfile: the share of the time spent in the notice's code (every
  call into noticegen from outside it, with what it calls) and its parts.
- `mkdocs serve`: the first page and an edit to the working text served, on the bundled notice and the big one.
- BENCH_GROWTH=1: the growth series (sections 30→60→120; versions 5→20→40; locales 2→10→20), one profiled cold
  build without PDFs each, with the cost of each part. Long: tens of minutes; BENCH_GROWTH=2x20x30,10x5x30 measures
  the sizes named.

The last line printed is `build / baseline (a): R`, the cold build with PDFs against (a).
"""

from __future__ import annotations

import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve_reload import PROJECT, edited, serve_timing
from synthetic import CACHE, Size, make_notice
from timed_build import Timing, timed_build

FULL = Size(10, 20, 30)
QUICK = Size(3, 3, 6)
GROWTH = (
    Size(10, 20, 30), Size(10, 20, 60), Size(10, 20, 120),
    Size(10, 5, 30), Size(10, 40, 30),
    Size(2, 20, 30), Size(20, 20, 30),
)  # fmt: skip
ROWS = ("project", "warm", "nopdf", "a", "b")
# In each run; the long cold build with PDFs after the short ones, warm after the cold builds that fill the caches.
ORDER = ("a", "b", "nopdf", "project", "warm")
NAMES = {
    "project": "this project, `mkdocs build`, cold (PDFs on)",
    "warm": "this project, warm (caches kept, 1 section edited)",
    "nopdf": "this project, cold, `pdf: false`",
    "a": "(a) same pages, MkDocs + Material + static-i18n",
    "b": "(b) same pages, MkDocs + Material, no i18n",
}
# The parts of the notice's code, each the cumulative time of the functions named (file, function); the redlines
# are part of the pages.
PARTS = {
    "load + check": (("model/site.py", "load_site"),),
    "Markdown pages": (("render/pages.py", "site_pages"),),
    "  of which redlines": (("render/pages.py", "changes_page"),),
    "JSON export": (("export/documents.py", "api_files"), ("export/documents.py", "serialize")),
    "digest check": (("export/documents.py", "digest_problems"),),
    "feeds": (("render/pages.py", "feeds"),),
    "PDFs": (("export/pdf.py", "pdf_files"),),
    "search indexes": (("text/search.py", "locale_search_index"),),
}


@dataclass(frozen=True)
class Profile:
    total: float  # the whole build, seconds
    notice: float  # in the notice's code and what it calls
    parts: dict[str, float]


class Bench:
    """A copy of a generated project in a work folder, with its caches there too."""

    def __init__(self, source: Path, work: Path) -> None:
        self.work = work
        self.project = work / "project"
        self.project.mkdir()
        for folder in ("notice", "locales"):
            shutil.copytree(source / folder, self.project / folder)
        (self.project / "generated").mkdir()
        shutil.copy(source / "mkdocs.yml", self.project / "mkdocs.yml")
        self.text_file = self.project / "locales" / "en" / "notice.yaml"
        self.original = self.text_file.read_text(encoding="utf-8")
        self.cache = work / "cache"
        self.env = {
            "NOTICEGEN_BUILD_CACHE": str(self.cache / "released"),
            "NOTICEGEN_PDF_CACHE": str(self.cache / "pdf"),
        }
        self.nopdf = without_pdfs(self.project)

    def build(self, config: str = "mkdocs.yml") -> Timing:
        return timed_build(self.project, self.work / "site-project", self.env, config)

    def cold(self, config: str = "mkdocs.yml") -> Timing:
        """A build from empty caches; one without PDFs leaves the PDF cache alone (it does not read it)."""
        self.text_file.write_text(self.original, encoding="utf-8")
        shutil.rmtree(self.cache / "released", ignore_errors=True)
        shutil.rmtree(self.project / ".cache", ignore_errors=True)
        if config == "mkdocs.yml":
            shutil.rmtree(self.cache / "pdf", ignore_errors=True)
        return self.build(config)

    def warm(self, run: int, after_cold: bool) -> Timing:
        """The next build after an editor changed one section of the working text. Unless the last build was
        the cold one with PDFs, an untimed build of the same site comes first: a cold build without PDFs
        empties the released versions' cache and fills it with pages that link no PDF."""
        if not after_cold:
            self.text_file.write_text(self.original, encoding="utf-8")
            self.build()
        self.text_file.write_text(edited(self.original, f"edit {run}"), encoding="utf-8")
        return self.build()

    def baselines(self) -> dict[str, tuple[Path, str]]:
        """(a) and (b): the pages the project's build generated, in a docs/ folder of their own."""
        roots = {}
        for name, i18n in (("a", True), ("b", False)):
            root = self.work / name
            shutil.copytree(self.project / "generated", root / "docs")
            shutil.copy(self.project / "mkdocs.yml", root / "mkdocs.yml")
            shutil.copytree(self.project / "notice", root / "notice")
            roots[name] = (root, baseline_config(root, i18n))
        return roots


def without_pdfs(project: Path) -> str:
    """A copy of the project's mkdocs.yml with the notice plugin's PDFs switched off."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [{"notice": {"pdf": False}} if entry == "notice" else entry for entry in config["plugins"]]
    (project / "mkdocs.nopdf.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return "mkdocs.nopdf.yml"


def baseline_config(project: Path, i18n: bool) -> str:
    """The project's mkdocs.yml without the notice plugin, over docs/; with static-i18n set up as the plugin
    sets it up (noticegen.mkdocs_plugin.plugin.add_languages), or without it."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    notice = yaml.safe_load((project / "notice" / "notice.yaml").read_text(encoding="utf-8"))
    locales = notice["locales"]
    config["docs_dir"] = "docs"
    config["strict"] = False  # the pages link to what only the notice plugin writes (the JSON export, feeds, PDFs)
    config.pop("watch", None)
    plugins: list = ["search"]
    if i18n:
        languages = [
            {"locale": code, "name": entry["name"], "default": code == locales["default_locale"], "build": True}
            for code, entry in locales["available"].items()
        ]
        options = {"docs_structure": "folder", "fallback_to_default": False, "reconfigure_material": True}
        plugins.append({"i18n": {**options, "languages": languages}})
    config["plugins"] = plugins
    name = "mkdocs.a.yml" if i18n else "mkdocs.b.yml"
    (project / name).write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return name


def profiled(bench: Bench, config: str) -> Profile:
    """One cold build under cProfile, a run of its own so that the profiler's overhead distorts no timed run;
    serial (NOTICEGEN_JOBS=1), so that all its work is in the one process profiled: the shares are of CPU time."""
    bench.text_file.write_text(bench.original, encoding="utf-8")
    shutil.rmtree(bench.cache, ignore_errors=True)
    shutil.rmtree(bench.project / ".cache", ignore_errors=True)
    output = bench.work / "build.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(output), "-m", "mkdocs", "build", "--quiet"]
    command += ["-f", config, "--site-dir", str(bench.work / "site-profiled")]
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **bench.env, "NOTICEGEN_JOBS": "1"}
    subprocess.run(command, cwd=bench.project, env=environment, check=True, capture_output=True)
    return profile_of(pstats.Stats(str(output)))


# noticegen modules that stand in for MkDocs' and static-i18n's own work, done faster (the locale builds side by
# side, the theme's templates compiled once, the pages' Markdown converted through the cache and with their raw
# HTML blocks stood in): the build's share, not the generator's (the cache's keys and files are the
# generator's: build_cache.py).
NOT_GENERATOR = (
    "mkdocs_plugin/locale_builds.py",
    "mkdocs_plugin/forks.py",
    "mkdocs_plugin/compiled_templates.py",
    "mkdocs_plugin/page_renders.py",
    "mkdocs_plugin/raw_blocks.py",
)


def in_notice(filename: str) -> bool:
    path = filename.replace("\\", "/")
    return "/noticegen/" in path and not path.endswith(NOT_GENERATOR)


def profile_of(stats: pstats.Stats) -> Profile:
    """The notice's time: every call into noticegen from code outside it (MkDocs' hooks, static-i18n's replays),
    with everything it calls; and the parts."""
    entries = stats.stats  # type: ignore[attr-defined]
    total = notice = 0.0
    parts = dict.fromkeys(PARTS, 0.0)
    for (filename, _, function), (_, _, _, cumulative, callers) in entries.items():
        if function == "<module>" and filename.replace("\\", "/").endswith("mkdocs/__main__.py"):
            total = max(total, cumulative)
        if not in_notice(filename):
            continue
        notice += sum(edge[3] for caller, edge in callers.items() if not in_notice(caller[0]))
        for part, functions in PARTS.items():
            if any(filename.replace("\\", "/").endswith(f) and function == name for f, name in functions):
                parts[part] += cumulative
    return Profile(total, notice, parts)


def median(timings: Sequence[Timing], field: str) -> float:
    return statistics.median(getattr(timing, field) for timing in timings)


def table(results: dict[str, list[Timing]]) -> list[str]:
    """The builds' table."""
    base_a, base_b = median(results["a"], "wall"), median(results["b"], "wall")
    cpu_a = median(results["a"], "cpu")
    lines = [
        "| build | wall s | CPU s | / (a) | / (b) | CPU / (a) | peak MB | site MB | files |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for kind in ROWS:
        timings = results.get(kind)
        if not timings:
            continue
        wall, cpu = median(timings, "wall"), median(timings, "cpu")
        lines.append(
            f"| {NAMES[kind]} | {wall:.2f} | {cpu:.2f} | {wall / base_a:.2f} | {wall / base_b:.2f} | "
            f"{cpu / cpu_a:.2f} | {max(t.peak_mb for t in timings):.0f} | {median(timings, 'size_mb'):.1f} | "
            f"{int(median(timings, 'files'))} |"
        )
    return lines


def profile_lines(title: str, profile: Profile) -> list[str]:
    share = 100 * profile.notice / profile.total if profile.total else 0.0
    lines = [f"{title}: notice code {profile.notice:.2f} s of {profile.total:.2f} s under cProfile ({share:.0f} %)"]
    lines += [f"    {part}: {seconds:.2f} s" for part, seconds in profile.parts.items()]
    return lines


def ratio_line(results: dict[str, list[Timing]]) -> str:
    return f"build / baseline (a): {median(results['project'], 'wall') / median(results['a'], 'wall'):.2f}"


@contextmanager
def bench_for(size: Size, cache: Path = CACHE) -> Iterator[Bench]:
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        yield Bench(make_notice(size, cache), Path(folder))


def progress(run: int, kind: str, timing: Timing) -> None:
    print(
        f"run {run}, {NAMES[kind]}: {timing.wall:.2f} s wall, {timing.cpu:.2f} s CPU, {timing.peak_mb:.0f} MB peak",
        flush=True,
    )


def builds(
    size: Size, runs: int, pdf_runs: int, profile: bool = True, cache: Path = CACHE
) -> tuple[list[str], dict[str, list[Timing]]]:
    """The interleaved builds of one size (its notice generated into `cache`): the table's lines and the timings."""
    start = time.perf_counter()
    project = make_notice(size, cache)
    print(f"synthetic notice {size.label()} (locales × versions × sections), seed {size.seed}: {project}")
    print(f"generated (or taken from the cache) in {time.perf_counter() - start:.1f} s", flush=True)
    with bench_for(size, cache) as bench:
        bench.cold(bench.nopdf)  # a first build, untimed: the pages the baselines build; bytecode, file caches
        baselines = bench.baselines()
        results: dict[str, list[Timing]] = {kind: [] for kind in ROWS}
        for run in range(1, runs + 1):
            for kind in ORDER:
                if kind in ("a", "b"):
                    root, config = baselines[kind]
                    timing = timed_build(root, bench.work / f"site-{kind}", config=config)
                elif kind == "nopdf":
                    timing = bench.cold(bench.nopdf)
                elif kind == "project":
                    if run > max(pdf_runs, 1):
                        continue
                    timing = bench.cold()
                else:
                    timing = bench.warm(run, after_cold=run <= max(pdf_runs, 1))
                results[kind].append(timing)
                progress(run, kind, timing)
        lines = table(results)
        if profile:
            lines += profile_lines("one cold build without PDFs", profiled(bench, bench.nopdf))
    return lines, results


def serve_lines(size: Size) -> list[str]:
    lines = []
    for name, source in (("bundled notice", PROJECT), (f"synthetic {size.label()}", make_notice(size))):
        timing = serve_timing(source)
        edits = ", ".join(f"{seconds:.2f}" for seconds in timing.edits)
        lines.append(
            f"mkdocs serve, {name}: first page {timing.first_page:.2f} s (empty caches); "
            f"an edit served after {timing.median_edit:.2f} s (median of {edits})"
        )
    return lines


def growth_row(size: Size, profile: Profile) -> str:
    figures = [profile.total, profile.notice, *profile.parts.values()]
    return f"| {size.label()} | " + " | ".join(f"{figure:.2f}" for figure in figures) + " |"


def growth_sizes(choice: str) -> tuple[Size, ...]:
    """BENCH_GROWTH: "1" for the whole series, or sizes such as "2x20x30,10x5x30"."""
    if choice == "1":
        return GROWTH
    return tuple(Size(*(int(n) for n in item.strip().split("x"))) for item in choice.split(","))


def print_growth(sizes: Sequence[Size]) -> None:
    """The growth series, a row printed as soon as it is measured (the notices are generated on the way)."""
    header = ["size", "build s", "notice s", *(part.strip() for part in PARTS)]
    print("growth series (one profiled cold build without PDFs each; seconds):", flush=True)
    print("| " + " | ".join(header) + " |\n|" + "---|" * len(header), flush=True)
    for size in sizes:
        with bench_for(size) as bench:
            print(growth_row(size, profiled(bench, bench.nopdf)), flush=True)


def generated_apart(size: Size) -> None:
    """Make the synthetic notice in a process of its own. Made here, it would leave this process large, and
    Linux counts a process's size when it starts another into that one's peak memory (ru_maxrss survives
    fork and exec): every build's peak would read as this process's size."""
    arguments = [str(value) for value in (size.locales, size.versions, size.sections, size.seed)]
    subprocess.run([sys.executable, str(Path(__file__).parent / "synthetic.py"), *arguments], check=True)


def main() -> None:
    size = QUICK if os.environ.get("BENCH_QUICK") == "1" else FULL
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    pdf_runs = int(os.environ.get("BENCH_PDF_RUNS", str(runs)))
    generated_apart(size)
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}", flush=True)
    lines, results = builds(size, runs, pdf_runs)
    for line in lines:
        print(line, flush=True)
    for line in serve_lines(size):
        print(line, flush=True)
    if os.environ.get("BENCH_GROWTH"):
        print_growth(growth_sizes(os.environ["BENCH_GROWTH"]))
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}", flush=True)
    print(ratio_line(results), flush=True)


if __name__ == "__main__":
    main()

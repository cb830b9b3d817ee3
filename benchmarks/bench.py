"""`make bench`: the project's build of a notice of a real company's size against plain MkDocs building the same pages.

The synthetic notice (benchmarks/synthetic.py; 10 locales × 20 versions × 30 sections, BENCH_QUICK=1: 3 × 3 × 6)
is built by the project (`mkdocs build` with the notice plugin), then its generated Markdown pages are copied once
into a plain docs/ tree and built (a) with MkDocs + Material + mkdocs-static-i18n, no notice plugin, and (b) with
MkDocs + Material alone. The builds run interleaved (a, b, project, a, b, project, ...), BENCH_RUNS times (default
3), and the table shows their medians: wall and CPU time (the build's processes' rusage), ratios, peak memory,
the site's size and files; the project's build cold and warm (again with its build cache kept, when the plugin has
one: NOTICEGEN_BUILD_CACHE); and, from one more build under cProfile, the share of the time spent in the notice
plugin's code. The last line printed is `build / baseline (a): R`.
"""

from __future__ import annotations

import cProfile  # noqa: F401  (the profiled build runs `python -m cProfile`)
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import Size, make_notice
from timed_build import Timing, timed_build

FULL = Size(10, 20, 30)
QUICK = Size(3, 3, 6)
KINDS = ("a", "b", "project")
NAMES = {
    "project": "this project, `mkdocs build`",
    "a": "(a) same pages, MkDocs + Material + static-i18n",
    "b": "(b) same pages, MkDocs + Material, no i18n",
    "warm": "this project, warm (build cache kept)",
}


def baseline_config(project: Path, i18n: bool) -> str:
    """The project's mkdocs.yml without the notice plugin, over docs/; with static-i18n set up as the plugin
    sets it up (noticegen.mkdocs_plugin.plugin.add_languages), or without it."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    notice = yaml.safe_load((project / "notice" / "notice.yaml").read_text(encoding="utf-8"))
    locales = notice["locales"]
    config["docs_dir"] = "docs"
    config["strict"] = False  # the pages link to what only the notice plugin writes (the JSON export, feeds)
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


def generator_seconds(project: Path, work: Path, env: dict[str, str]) -> tuple[float, float]:
    """(seconds in the notice plugin's hooks, seconds of the whole build) from one build under cProfile: a run of
    its own, so that the profiler's overhead distorts no timed run."""
    profile = work / "build.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "mkdocs", "build", "--quiet"]
    command += ["--site-dir", str(work / "site-profiled")]
    subprocess.run(command, cwd=project, env={**os.environ, **env}, check=True, capture_output=True)
    stats = pstats.Stats(str(profile)).stats  # type: ignore[attr-defined]
    hooks = total = 0.0
    for (filename, _, function), (_, _, _, cumulative, _) in stats.items():
        if "noticegen" in filename and filename.endswith("plugin.py") and function.startswith("on_"):
            hooks += cumulative
        if function == "<module>" and filename.endswith("mkdocs/__main__.py"):
            total = max(total, cumulative)
    return hooks, total


def median(timings: Sequence[Timing], field: str) -> float:
    return statistics.median(getattr(timing, field) for timing in timings)


def table(results: dict[str, list[Timing]], share: tuple[float, float] | None) -> list[str]:
    """The table's lines, then the ratio line last."""
    base_a, base_b = median(results["a"], "wall"), median(results["b"], "wall")
    lines = [
        "| build | wall s | CPU s | / (a) | / (b) | peak MB | site MB | files |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind in ("project", "warm", "a", "b"):
        timings = results.get(kind)
        if not timings:
            continue
        wall = median(timings, "wall")
        lines.append(
            f"| {NAMES[kind]} | {wall:.2f} | {median(timings, 'cpu'):.2f} | {wall / base_a:.2f} | "
            f"{wall / base_b:.2f} | {max(t.peak_mb for t in timings):.0f} | {median(timings, 'size_mb'):.1f} | "
            f"{int(median(timings, 'files'))} |"
        )
    if share is not None:
        hooks, total = share
        percent = 100 * hooks / total if total else 0.0
        lines.append(f"notice plugin's hooks (cProfile, one build): {hooks:.2f} s of {total:.2f} s, {percent:.0f} %")
    lines.append(f"build / baseline (a): {median(results['project'], 'wall') / base_a:.2f}")
    return lines


def run(size: Size, runs: int, profile: bool = True) -> list[str]:
    """Every build of the benchmark; returns the lines to print (the ratio line last)."""
    start = time.perf_counter()
    project = make_notice(size)
    lines = [f"synthetic notice {size.label()} (locales × versions × sections), seed {size.seed}: {project}"]
    lines.append(f"generated (or taken from the cache) in {time.perf_counter() - start:.1f} s")
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        work = Path(folder)
        cache = work / "notice-cache"
        env = {"NOTICEGEN_BUILD_CACHE": str(cache)}
        # A first build writes the generated pages; the baselines build copies of them.
        timed_build(project, work / "site-first", env)
        for name in ("a", "b"):
            root = work / name
            root.mkdir()
            shutil.copytree(project / "generated", root / "docs")
        configs: dict[str, str] = {}
        for name, i18n in (("a", True), ("b", False)):
            shutil.copy(project / "mkdocs.yml", work / name / "mkdocs.yml")
            shutil.copytree(project / "notice", work / name / "notice")
            configs[name] = baseline_config(work / name, i18n)
        results: dict[str, list[Timing]] = {"a": [], "b": [], "project": [], "warm": []}
        for _ in range(runs):
            for kind in KINDS:
                if kind == "project":
                    shutil.rmtree(cache, ignore_errors=True)
                    results["project"].append(timed_build(project, work / "site-project", env))
                    results["warm"].append(timed_build(project, work / "site-project", env))
                else:
                    results[kind].append(timed_build(work / kind, work / f"site-{kind}", config=configs[kind]))
        share = None
        if profile:
            shutil.rmtree(cache, ignore_errors=True)
            share = generator_seconds(project, work, env)
    return lines + table(results, share)


def main() -> None:
    size = QUICK if os.environ.get("BENCH_QUICK") == "1" else FULL
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}", flush=True)
    for line in run(size, runs):
        print(line, flush=True)


if __name__ == "__main__":
    main()

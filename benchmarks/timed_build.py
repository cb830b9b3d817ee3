"""One `mkdocs build` as the benchmark measures it: wall time, the CPU time and peak memory of the build's own
processes (their rusage, from wait4), and what it wrote."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

MKDOCS = str(Path(sys.executable).parent / "mkdocs")


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds
    cpu: float  # user + system seconds of the build and every process it waited for
    peak_mb: float  # the largest resident set of any of them (ru_maxrss)
    size_mb: float  # the site's bytes
    files: int  # the site's files


def site_size(folder: Path) -> tuple[float, int]:
    sizes = [path.stat().st_size for path in folder.rglob("*") if path.is_file()]
    return sum(sizes) / 1e6, len(sizes)


def timed_build(project: Path, site: Path, env: dict[str, str] | None = None, config: str = "mkdocs.yml") -> Timing:
    """Build `project` with `config` into `site` (emptied first); fails loudly with MkDocs' output."""
    shutil.rmtree(site, ignore_errors=True)
    command = [MKDOCS, "build", "--quiet", "-f", config, "--site-dir", str(site)]
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    log = project / ".bench-build.log"
    start = time.perf_counter()
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=project, env=environment, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed in {project}:\n{log.read_text(errors='replace')[-3000:]}")
    size, files = site_size(site)
    return Timing(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, size, files)

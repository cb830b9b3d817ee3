"""`python -m noticegen.core.site_folder check SITE` and `… publish NEW SITE`: how `make site` replaces site/.

A build is made in a folder of its own and put in site/'s place whole, so the old site/ goes. It may go only when
it holds nothing but what a build wrote: each build lists its files in its folder's manifest, and a site/ with
any other file (a CNAME put there by hand, a report, an old build from before the manifest) is refused, with
every such file named, before anything is built or deleted.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from noticegen.core.writer import MANIFEST, write_atomically

SHOWN = 5


class ForeignSiteError(Exception):
    """The site folder holds files no build wrote."""


def built_files(folder: Path) -> list[str]:
    """Every file, link and folder under `folder` (links not followed), as paths relative to it (a folder's
    ending with /), but the manifest."""
    found = []
    for top, folders, files in os.walk(folder):
        for name in files + folders:
            path = Path(top) / name
            relative = path.relative_to(folder).as_posix() + ("/" if name in folders and not path.is_symlink() else "")
            if relative != MANIFEST:
                found.append(relative)
    return sorted(found)


def written_by_a_build(site: Path) -> set[str]:
    """The paths the manifest lists: one per line, a line ending only at "\n" (a name may hold "\r")."""
    manifest = site / MANIFEST
    if not manifest.is_file() or manifest.is_symlink():
        return set()
    return set(manifest.read_bytes().decode("utf-8", "surrogateescape").split("\n"))


def foreign_files(site: Path) -> list[str]:
    """What `site` holds that the build that made it did not write (all of it when it has no manifest)."""
    if not site.exists() and not site.is_symlink():
        return []
    if site.is_symlink() or not site.is_dir():
        return ["(the folder itself, which is not a folder)"]
    written = written_by_a_build(site)
    foreign: list[str] = []
    for relative in built_files(site):  # sorted: a folder comes before what it holds, which goes with it
        if relative not in written and not any(relative.startswith(f) for f in foreign if f.endswith("/")):
            foreign.append(relative)
    return foreign


def refuse_foreign(site: Path) -> None:
    foreign = foreign_files(site)
    if foreign:
        shown = ", ".join(f"{site.name}/{relative}" for relative in foreign[:SHOWN])
        more = f" and {len(foreign) - SHOWN} more" if len(foreign) > SHOWN else ""
        raise ForeignSiteError(
            f"{shown}{more}: not written by a build of this tool, and a build replaces {site.name}/ whole. "
            f"Move them out of {site.name}/ (a file to publish with the site, such as CNAME, goes in the docs "
            f"folder, generated/, where builds keep it), or delete {site.name}/ if it only holds an old build. "
            "Nothing was deleted."
        )


def publish(new: Path, site: Path) -> None:
    """Put the finished build `new` in `site`'s place, with its manifest; the old site goes only when it holds
    nothing but what a build wrote."""
    refuse_foreign(site)
    listed = "".join(f"{relative}\n" for relative in built_files(new))
    write_atomically(new / MANIFEST, listed.encode("utf-8", "surrogateescape"))
    old = site.with_name(site.name + ".old")
    if old.exists() or old.is_symlink():
        refuse_foreign(old)  # the old site of a publication interrupted before its end
        shutil.rmtree(old)
    if site.exists():
        site.rename(old)
    new.rename(site)
    if old.exists():
        shutil.rmtree(old)


def main(argv: list[str]) -> int:
    try:
        if len(argv) == 2 and argv[0] == "check":
            refuse_foreign(Path(argv[1]))
        elif len(argv) == 3 and argv[0] == "publish":
            publish(Path(argv[1]), Path(argv[2]))
        else:
            print("usage: python -m noticegen.core.site_folder check SITE | publish NEW SITE", file=sys.stderr)
            return 2
    except ForeignSiteError as refusal:
        print(f"make site: {refusal}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

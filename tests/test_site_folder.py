"""How `make site` replaces site/ (core/site_folder.py): whole, and never over a file no build wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from noticegen.core.site_folder import ForeignSiteError, foreign_files, publish


def built(folder: Path, *names: str) -> Path:
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("x", encoding="utf-8")
    folder.mkdir(exist_ok=True)
    return folder


def test_a_build_s_own_files_are_replaced_whatever_their_names(tmp_path: Path) -> None:
    """A name may hold a carriage return (macOS's "Icon\\r"), or bytes that are not UTF-8."""
    site = tmp_path / "site"
    publish(built(tmp_path / "one", "index.html", "Icon\r", "assets/a.css", "emptied/.keep"), site)
    (site / "emptied/.keep").unlink()  # a folder the build made is the build's, emptied or not
    assert foreign_files(site) == []
    publish(built(tmp_path / "two", "index.html", "Icon\r"), site)
    assert sorted(path.name for path in site.iterdir()) == [".noticegen-manifest", "Icon\r", "index.html"]


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (lambda site: (site / "CNAME").write_text("x"), ["CNAME"]),
        (lambda site: (site / "mine").mkdir(), ["mine/"]),  # an empty folder is no less someone's
        (lambda site: (site / ".noticegen-manifest").write_bytes(b"\xff\xfeindex.html\n"), ["index.html"]),
    ],
    ids=["file", "empty-folder", "manifest-not-utf8"],
)
def test_anything_a_build_did_not_write_stops_the_publication_and_nothing_is_deleted(
    tmp_path: Path, make, named: list[str]
) -> None:
    site = tmp_path / "site"
    publish(built(tmp_path / "one", "index.html"), site)
    make(site)
    before = sorted(path.relative_to(site).as_posix() for path in site.rglob("*"))
    with pytest.raises(ForeignSiteError) as refused:
        publish(built(tmp_path / "two", "index.html"), site)
    assert str(refused.value).startswith(", ".join(f"site/{name}" for name in named) + ": not written by a build")
    assert sorted(path.relative_to(site).as_posix() for path in site.rglob("*")) == before


def test_a_link_in_place_of_the_old_site_is_refused_not_followed(tmp_path: Path) -> None:
    precious = built(tmp_path / "precious", "thesis.txt")
    (tmp_path / "site.old").symlink_to(precious)
    with pytest.raises(ForeignSiteError):
        publish(built(tmp_path / "new", "index.html"), tmp_path / "site")
    assert (precious / "thesis.txt").is_file()

"""Every date a visitor reads is in the page's language, on a fixture notice built end to end (English source,
Japanese and French translations): effective dates, banners, the versions table, the changelog, a corrected
version, the feeds. Machines still read ISO: `<time datetime>`, the feeds' <updated>, the JSON, version ids."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import JAPANESE, MINIMAL_MKDOCS, copy_notice, mkdocs, release_on, today_is

ATOM = "{http://www.w3.org/2005/Atom}"
FIRST, CORRECTION, SECOND = "2026-03-14", "2026-03-14.1", "2026-06-01"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def release(root: Path, on: str, *arguments: str) -> None:
    summaries = [argument for code in ("en", "ja", "fr") for argument in ("--summary", f"{code}=Changes.")]
    assert release_on(on, ["release", *arguments, *summaries, "--path", str(root)]) == 0


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_notice(JAPANESE, tmp_path_factory.mktemp("dates") / "notice")
    release(root, "2026-02-01", FIRST, "--change", "material")
    edit(root / "locales/fr/notice.yaml", "title: Avis de confidentialité", "title: Avis sur la confidentialité")
    release(root, "2026-03-20", "--corrects", FIRST, "--change", "editorial")
    edit(root / "locales/en/notice.yaml", "title: Privacy Notice", "title: Privacy Statement")
    release(root, "2026-04-15", SECOND, "--change", "material")
    (root / "generated").mkdir()
    (root / "mkdocs.yml").write_text(MINIMAL_MKDOCS, encoding="utf-8")
    with today_is("2026-05-01"):  # the correction is in force; the second version is announced
        mkdocs(root, "build", "--strict")  # the build holds every page to the allowlist: <time> included
    return root / "site"


def page(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_the_effective_date_and_the_banner_of_what_is_coming_are_in_the_page_language(site: Path) -> None:
    ja, fr, en = page(site, "ja/index.html"), page(site, "fr/index.html"), page(site, "index.html")
    dates = '<p class="notice-header__dates">'
    assert dates + '<time datetime="2026-03-14">2026年3月14日</time>から施行されています。</p>' in ja
    assert dates + 'En vigueur depuis le <time datetime="2026-03-14">14 mars 2026</time>.</p>' in fr
    assert dates + 'In force since <time datetime="2026-03-14">March 14, 2026</time>.</p>' in en
    assert '<p>施行日：<time datetime="2026-03-14">2026年3月14日</time></p>' in ja  # the printed copy's record
    assert '改定後のお知らせは<time datetime="2026-06-01">2026年6月1日</time>に施行されます。' in ja
    assert 'Un avis mis à jour entre en vigueur le <time datetime="2026-06-01">1 juin 2026</time>.' in fr


def test_the_versions_table_gives_each_period_in_the_page_language_newest_first(site: Path) -> None:
    fr = page(site, "fr/versions/index.html")
    # The rows' cells without the column names they carry for a phone's layout (test_version_pages.py).
    rows = re.sub(r' data-label="[^"]*" role="cell"', "", fr).split('<tr class="notice-version-')[1:]
    assert [row.split('/">')[1].split("<")[0] for row in rows] == [SECOND, CORRECTION, FIRST]
    assert '<td><time datetime="2026-06-01">1 juin 2026</time></td>\n<td></td>' in rows[0]
    assert (
        '<td><time datetime="2026-03-14">14 mars 2026</time></td>\n<td><time datetime="2026-05-31">31 mai 2026'
        in (rows[1])
    )
    assert 'Corrigée le <time datetime="2026-03-20">20 mars 2026</time>' in rows[2]


def test_the_changelog_and_the_version_pages_date_in_the_page_language(site: Path) -> None:
    changelog = page(site, "ja/changelog/index.html")
    assert '公開日 <time datetime="2026-04-15">2026年4月15日</time>' in changelog
    assert f'id="v{SECOND}"' in changelog  # the version's id names it: an anchor, not a date to translate
    assert '<time datetime="2026-03-20">2026年3月20日</time>に訂正' in changelog
    corrected = page(site, f"fr/versions/{FIRST}/index.html")
    assert 'Ce texte a été corrigé le <time datetime="2026-03-20">20 mars 2026</time>.' in corrected
    upcoming = page(site, f"ja/versions/{SECOND}/index.html")
    assert 'この版は<time datetime="2026-06-01">2026年6月1日</time>に施行されます。' in upcoming


def test_feeds_summarise_in_the_language_and_time_stamp_in_iso(site: Path) -> None:
    feed = ET.fromstring(page(site, "ja/feed.xml").encode())
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}summary").text for entry in entries] == [
        "施行日：2026年6月1日。Changes.",
        "施行日：2026年3月14日。Changes.",
        "施行日：2026年3月14日。Changes.",
    ]
    assert [entry.find(f"{ATOM}updated").text for entry in entries] == [
        "2026-04-15T00:00:00Z",
        "2026-03-20T00:00:00Z",
        "2026-02-01T00:00:00Z",
    ]


def test_the_json_keeps_iso_dates(site: Path) -> None:
    document = json.loads(page(site, f"api/v/{SECOND}/fr.json"))
    assert (document["version"]["effective"], document["version"]["published"]) == (SECOND, "2026-04-15")
    index = json.loads(page(site, "api/notice.json"))
    assert [(v["id"], v["effective_from"], v["effective_until"]) for v in index["versions"]] == [
        (FIRST, FIRST, "2026-05-31"),
        (CORRECTION, FIRST, "2026-05-31"),
        (SECOND, SECOND, None),
    ]

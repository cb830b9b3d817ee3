"""A synthetic notice of the size of a real company's, made the way a company makes one: seeded, so it is the same
notice every time.

`make_notice(Size(locales=10, versions=20, sections=30))` writes a project (notice/, locales/, mkdocs.yml) with
L locales (English as the source and default, then Chinese and Japanese, then the others), S sections of about
120 words (a paragraph, a lead-in and its list, a closing paragraph; every third section a table) and V versions
released one after the other by the project's own release path (`noticegen.commands.release.make_release`,
in-process), each changing a few sections in every locale with every translation stamped as current. The project
is cached under build/bench/<hash of the size, the seed and this file>/: a rerun reuses it.

Run `python benchmarks/synthetic.py L V S [SEED]` to make one and print its folder.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import random
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import noticegen.commands.release
import noticegen.model.site
from noticegen.checks.notice import Checked, check_notice
from noticegen.commands.locales import new_locale
from noticegen.commands.release import Release, make_release
from noticegen.core.hashing import section_hash, table_content

PROJECT = Path(__file__).resolve().parent.parent
CACHE = PROJECT / "build" / "bench"

# The locales in the order a growing company adds them; the first is the source and the default, and the two
# CJK locales come next so that every size from 3 locales up has both.
LOCALE_ORDER = (
    "en", "zh", "ja", "fr", "de", "es", "it", "pt", "nl", "pl",
    "sv", "da", "fi", "nb", "cs", "ro", "hu", "el", "tr", "ar",
)  # fmt: skip
CJK = {"zh", "ja"}
LANG_TAGS = {"zh": "zh-Hans"}
# Site strings a human translated (the project's own and its test fixtures'); any other locale gets a copy of
# the English strings, as `notice locale add` makes it.
SITE_STRINGS = {
    "en": "locales/en/site.yaml",
    "zh": "locales/zh/site.yaml",
    "ja": "tests/fixtures/japanese/locales/ja/site.yaml",
    "fr": "tests/fixtures/japanese/locales/fr/site.yaml",
    "de": "tests/fixtures/counsel/locales/de/site.yaml",
    "ar": "tests/fixtures/rtl/locales/ar/site.yaml",
}
# Characters the CJK texts are made of (common ones, so that jieba and the search index see ordinary text).
HANZI = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种"
    "面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本"
    "去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比"
    "或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总"
    "次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做"
    "必战先回则任取据处理政府"
)
KANA = (
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほ"
    "まみむめもやゆよらりるれろわをんがぎぐげござじずぜぞだでどばびぶべぼ"
)
SYLLABLES = ("ka", "lo", "re", "mi", "sa", "tu", "ne", "vo", "di", "pa", "ri", "el", "an", "or", "is", "te")


@dataclass(frozen=True)
class Size:
    locales: int
    versions: int
    sections: int
    seed: int = 16

    def label(self) -> str:
        return f"{self.locales}×{self.versions}×{self.sections}"

    def key(self) -> str:
        """Names the cached project: the size, the seed, this generator's own text and the site strings it copies."""
        recipe = f"{self.locales}-{self.versions}-{self.sections}-{self.seed}-".encode() + Path(__file__).read_bytes()
        recipe += b"".join((PROJECT / source).read_bytes() for source in sorted(SITE_STRINGS.values()))
        return f"{self.locales}x{self.versions}x{self.sections}-s{self.seed}-{hashlib.sha256(recipe).hexdigest()[:12]}"


class Writer:
    """Words, sentences and sections in one locale, drawn from one seeded random stream."""

    def __init__(self, code: str, rng: random.Random) -> None:
        self.code, self.rng = code, rng
        # Each Latin-script locale gets its own vocabulary, so no translation reads as a copy of another.
        self.vocabulary = [
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))) + code[0] for _ in range(400)
        ]

    def words(self, count: int) -> str:
        if self.code == "zh":
            return "".join(self.rng.choice(HANZI) for _ in range(count * 2))
        if self.code == "ja":
            return "".join(self.rng.choice(HANZI if i % 3 else KANA) for i in range(count * 2))
        return " ".join(self.rng.choice(self.vocabulary) for _ in range(count))

    def sentence(self, count: int) -> str:
        text = self.words(count)
        if self.code in CJK:
            middle = len(text) // 2
            return text[:middle] + ("，" if self.code == "zh" else "、") + text[middle:] + "。"
        return text[:1].upper() + text[1:] + "."

    def paragraph(self, words: int) -> str:
        sentences = []
        while words > 0:
            length = min(words, self.rng.randint(8, 16))
            sentences.append(self.sentence(length))
            words -= length
        return ("" if self.code in CJK else " ").join(sentences)

    def title(self) -> str:
        text = self.words(3)
        return text[:1].upper() + text[1:]

    def section(self, index: int) -> dict:
        """About 120 words: a paragraph, a lead-in with a list of four items, a closing paragraph; every third
        section has a table, and the first names the contact."""
        with_table = index % 3 == 2
        colon = "：" if self.code in CJK else ":"
        lead_in = self.words(8) + colon
        items = "\n".join(f"- **{self.words(2)}**{colon} {self.words(6)}" for _ in range(4))
        parts = [self.paragraph(45), lead_in + "\n\n" + items, self.paragraph(35)]
        text: dict = {"title": self.title()}
        if with_table:
            parts.insert(2, "{{table}}")
            text["table"] = {
                "caption": self.words(5),
                "columns": {"purpose": self.words(2), "data": self.words(2), "basis": self.words(2)},
                "rows": [
                    {"id": f"row-{index}-{n}", "purpose": self.words(4), "data": self.words(3), "basis": self.words(5)}
                    for n in range(3)
                ],
            }
        if index == 0:
            parts.append("{{contact:privacy}}")
        text["body"] = "\n\n".join(parts) + "\n"
        return text


def section_ids(count: int) -> list[tuple[str, str | None]]:
    """(id, parent): top-level sections, each fourth one followed by two subsections."""
    outline: list[tuple[str, str | None]] = []
    parent = None
    for index in range(count):
        if index % 4 in (1, 2) and parent is not None:
            outline.append((f"section-{index:03d}", parent))
        else:
            parent = f"section-{index:03d}"
            outline.append((parent, None))
    return outline


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def notice_yaml(codes: list[str], outline: list[tuple[str, str | None]]) -> str:
    lines = [
        "# A synthetic notice for the benchmark (benchmarks/synthetic.py): its words mean nothing.",
        "controller:",
        "  name: Synthetic Benchmark Ltd.",
        "  jurisdiction: Ireland",
        "  website: https://www.example.com/",
        "locales:",
        f"  source_locale: {codes[0]}",
        f"  default_locale: {codes[0]}",
        "  available:",
    ]
    for code in codes:
        locale = new_locale(code, lang=LANG_TAGS.get(code))
        lines += [f"    {code}:", f"      name: {quoted(locale.name)}"]
        if locale.lang != code:
            lines.append(f"      lang: {locale.lang}")
        if locale.dir == "rtl":
            lines.append("      dir: rtl")
    lines.append("outline:")
    for section_id, parent in outline:
        lines.append(f"  - id: {section_id}")
        if parent is not None:
            lines.append(f"    parent: {parent}")
    lines += ["aliases: {}", "notice_period_days: 30", ""]
    return "\n".join(lines)


def locale_yaml(title: str, sections: dict[str, dict], hashes: dict[str, str] | None) -> str:
    lines = [f"title: {quoted(title)}", "sections:"]
    for section_id, text in sections.items():
        lines.append(f"  {section_id}:")
        if hashes is not None:
            lines.append(f'    source_hash: "{hashes[section_id]}"')
        lines.append(f"    title: {quoted(text['title'])}")
        lines.append("    body: |")
        lines += [f"      {line}" if line else "" for line in text["body"].rstrip("\n").split("\n")]
        table = text.get("table")
        if table is not None:
            lines += ["    table:", f"      caption: {quoted(table['caption'])}", "      columns:"]
            lines += [f"        {column}: {quoted(header)}" for column, header in table["columns"].items()]
            lines.append("      rows:")
            for row in table["rows"]:
                lines.append(f"        - id: {row['id']}")
                lines += [f"          {column}: {quoted(row[column])}" for column in table["columns"]]
    return "\n".join(lines) + "\n"


def text_hash(text: dict) -> str:
    """The source_hash `notice stamp` records for a section's source text."""
    table = text.get("table")
    content = ""
    if table is not None:
        columns = list(table["columns"].items())
        rows = [(row.get("id"), [row[column] for column, _ in columns]) for row in table["rows"]]
        content = table_content(table.get("caption"), columns, rows)
    return section_hash(text["title"], text["body"], content)


def release_date(version: int) -> datetime.date:
    """Every 60 days a version, published 31 days before it takes effect (the notice period is 30)."""
    return datetime.date(2018, 1, 1) + datetime.timedelta(days=60 * version)


def generate(root: Path, size: Size) -> None:
    """Write the project into `root` (an empty folder) and release its versions."""
    if size.locales > len(LOCALE_ORDER):
        raise ValueError(f"at most {len(LOCALE_ORDER)} locales")
    codes = list(LOCALE_ORDER[: size.locales])
    outline = section_ids(size.sections)
    (root / "notice").mkdir(parents=True)
    (root / "generated").mkdir()
    (root / "notice" / "notice.yaml").write_text(notice_yaml(codes, outline), encoding="utf-8")
    (root / "notice" / "data").mkdir()
    (root / "notice" / "data" / "contacts.yaml").write_text("privacy:\n  email: privacy@example.com\n", "utf-8")
    mkdocs = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(mkdocs.replace("https://example.github.io/privacy/", "https://example.com/"))
    writers = {code: Writer(code, random.Random(f"{size.seed}-{code}")) for code in codes}
    titles = {code: writers[code].title() for code in codes}
    texts = {
        code: {section_id: writers[code].section(index) for index, (section_id, _) in enumerate(outline)}
        for code in codes
    }
    for code in codes:
        folder = root / "locales" / code
        folder.mkdir(parents=True)
        source = SITE_STRINGS.get(code, SITE_STRINGS["en"])
        strings = (PROJECT / source).read_text(encoding="utf-8")
        if strings.startswith("# yaml-language-server:"):  # the project's schemas are not copied
            strings = strings.partition("\n")[2]
        (folder / "site.yaml").write_text(strings, encoding="utf-8")
    changes = random.Random(f"{size.seed}-changes")
    for version in range(size.versions):
        if version:  # a few sections change in every locale, their translations made from the new text
            for section_id in changes.sample([section_id for section_id, _ in outline], min(3, len(outline))):
                index = next(i for i, (other, _) in enumerate(outline) if other == section_id)
                for code in codes:
                    texts[code][section_id] = writers[code].section(index)
        hashes = {section_id: text_hash(text) for section_id, text in texts[codes[0]].items()}
        for code in codes:
            stamps = None if code == codes[0] else hashes
            text = locale_yaml(titles[code], texts[code], stamps)
            (root / "locales" / code / "notice.yaml").write_text(text, encoding="utf-8")
        published = release_date(version)
        summaries = {code: writers[code].sentence(10) for code in codes}
        release = Release(
            effective=published + datetime.timedelta(days=31),
            published=published,
            change="material",
            summaries=summaries,
            today=published,
        )
        make_release(root, release)


def _files_digest(folder: Path, pattern: str = "**/*") -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.glob(pattern)):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@contextlib.contextmanager
def remembered_checks() -> Iterator[None]:
    """The release path with `check_notice` remembered for files it has checked already.

    Each release checks the working text and every released snapshot again (`load_site`): releasing V
    versions one after the other checks V²/2 snapshots, 25 minutes for 20 versions of 10 locales × 30
    sections. A check is a function of the files it reads, so it is remembered by their digest (and the
    folder: a Checked names its files); what the release writes is the same (tests/test_bench.py)."""
    remembered: dict[tuple, Checked] = {}

    def check(root: Path, *, prefix: str = "", ui_root: Path | None = None) -> Checked:
        strings = _files_digest(ui_root, "locales/*/site.yaml") if ui_root is not None else ""
        key = (str(root), prefix, str(ui_root), _files_digest(root), strings)
        if key not in remembered:
            remembered[key] = check_notice(root, prefix=prefix, ui_root=ui_root)
        return remembered[key]

    modules = (noticegen.commands.release, noticegen.model.site)
    try:
        for module in modules:
            module.check_notice = check  # type: ignore[attr-defined]
        yield
    finally:
        for module in modules:
            module.check_notice = check_notice  # type: ignore[attr-defined]


def make_notice(size: Size, cache: Path = CACHE) -> Path:
    """The project's folder: from the cache, or generated into it (whole or not at all)."""
    target = cache / size.key()
    if (target / "notice" / "changelog.yaml").is_file():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=cache, prefix=".making-"))
    try:
        with remembered_checks():
            generate(staging, size)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


if __name__ == "__main__":
    arguments = [int(argument) for argument in sys.argv[1:]]
    print(make_notice(Size(*arguments)))

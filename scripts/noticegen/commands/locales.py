"""A locale's life: `notice locale add` starts a draft translation; a release that includes it publishes it.

A new locale starts as a draft (`draft: true` in notice/notice.yaml): every section holds the source text,
so `notice status` counts it untranslated, every site string is the default locale's, and every text per
locale in notice/data is the source locale's. `mkdocs serve` shows it; a build does not publish it until a
release includes it (`notice release … --locales`), which removes the draft mark.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from babel import Locale as CldrLocale
from babel import UnknownLocaleError
from ruamel.yaml.comments import CommentedMap

from noticegen.checks.notice import check_notice
from noticegen.commands.yaml_edit import EditError, append_key, edited_text, remove_key
from noticegen.core.diagnostics import InputError
from noticegen.core.writer import current_umask, write_atomically
from noticegen.model.notice import Locale
from noticegen.source.editor_schemas import HEADER
from noticegen.source.load import DATA_DIR, LOCALES_DIR, NOTICE_FILE, YAML_SUFFIXES
from noticegen.source.schema import LANGUAGE_TAG, LOCALE_CODE, shown, text_problem
from noticegen.source.yamlsource import read_source_bytes


class LocaleError(Exception):
    """The locale cannot be added as asked; nothing was written."""


def new_locale(code: str, name: str | None = None, lang: str | None = None, direction: str | None = None) -> Locale:
    """The locale `code` as notice.yaml will declare it: its tag checked against BCP 47's syntax and CLDR,
    its name in itself and its writing direction from CLDR unless given."""
    if not LOCALE_CODE.match(code):
        raise LocaleError(f"'{shown(code)}' is not a locale code: use a code such as fr, de or pt-BR")
    tag = lang or code.replace("_", "-")
    if not LANGUAGE_TAG.match(tag):
        raise LocaleError(f"'{shown(tag)}' is not a BCP 47 language tag: use a tag such as fr, pt-BR or zh-Hans")
    try:
        known: CldrLocale | None = CldrLocale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        known = None
    if known is None and (name is None or direction is None):
        raise LocaleError(
            f"'{shown(tag)}' is not a language CLDR knows (a typo?): check the tag; to use it anyway, give the "
            "language's name in itself with --name and its writing direction with --dir ltr|rtl"
        )
    if name is None:
        assert known is not None
        own = known.get_display_name(known) or tag
        name = own[:1].upper() + own[1:]
    problem = text_problem(name, single_line=True, plain=True)
    if problem is not None or not name.strip():
        raise LocaleError(f"--name {name!r} is not a usable name: {problem[1] if problem else 'it is empty'}")
    if direction is None:
        assert known is not None
        direction = "rtl" if known.character_order == "right-to-left" else "ltr"
    return Locale(code, name.strip(), tag, direction)


def add_locale(root: Path, locale: Locale) -> list[str]:
    """Declare `locale` as a draft and write its files; returns the paths written. Checks everything first,
    and puts back every file it changed if any write fails: the project is changed whole or not at all."""
    checked = check_notice(root)
    if checked.report.errors:
        raise LocaleError(f"the notice does not pass `notice check` ({checked.report.summary()}): fix it first")
    sources = checked.sources
    declared = sources.locale_codes()
    if locale.code in declared:
        raise LocaleError(f"locale '{locale.code}' is declared already in {NOTICE_FILE}")
    folder = root / LOCALES_DIR / locale.code
    if folder.exists() or folder.is_symlink():
        raise LocaleError(
            f"{LOCALES_DIR}/{locale.code} exists already, and this command never overwrites what it did not write: "
            "move it away, or declare the locale in notice/notice.yaml yourself"
        )
    notice = sources.notice
    assert notice is not None
    source = notice.get("locales")["source_locale"]
    default = notice.get("locales")["default_locale"]
    names = {code: (notice.get("locales")["available"][code] or {}).get("name", code) for code in declared}
    new_files = {
        "notice.yaml": _draft_text(root, f"{LOCALES_DIR}/{source}/notice.yaml", locale, names[source]),
        "site.yaml": _draft_strings(root, f"{LOCALES_DIR}/{default}/site.yaml", locale, names[default]),
    }
    edits = {NOTICE_FILE: _declared(root, locale)}
    for path in sorted((root / DATA_DIR).iterdir()) if (root / DATA_DIR).is_dir() else []:
        if path.suffix in YAML_SUFFIXES:
            relative = f"{DATA_DIR}/{path.name}"
            loaded = sources.data.get(path.stem)
            if loaded is not None and _has_localized(loaded.data, set(declared)):  # other files stay untouched
                edits[relative] = _with_text_in(_read(root, relative), relative, locale.code, source, set(declared))
    return _write(root, folder, new_files, edits)


def _read(root: Path, relative: str) -> str:
    try:
        return read_source_bytes(root / relative, relative, root).decode("utf-8").removeprefix("\ufeff")
    except (InputError, UnicodeDecodeError) as failure:
        raise LocaleError(f"{relative} cannot be read ({failure})") from failure


def _draft_text(root: Path, relative: str, locale: Locale, source_name: str) -> str:
    """The source locale's text, to be translated: without its stamps, so every section is untranslated."""
    text = _read(root, relative)

    def unstamped(document: Any) -> None:
        for section in (document.get("sections") or {}).values():
            if isinstance(section, CommentedMap) and "source_hash" in section:
                del section["source_hash"]
        if isinstance(document, CommentedMap) and "summary_source_hash" in document:
            del document["summary_source_hash"]

    def expected(old: Any) -> Any:
        sections = {key: {k: v for k, v in s.items() if k != "source_hash"} for key, s in old["sections"].items()}
        return {**{k: v for k, v in old.items() if k != "summary_source_hash"}, "sections": sections}

    body = _edited(text, relative, f"the draft text of '{locale.code}'", unstamped, expected)
    header = (
        f"# {locale.name} ({locale.code}): a draft translation, made by `notice locale add` from the {source_name}\n"
        f"# text. Every section is still that text, so `notice status` counts it untranslated: translate a\n"
        f"# section, then record what it was translated from with `notice stamp {locale.code} SECTION`.\n"
    )
    return _commented(header, body)


def _draft_strings(root: Path, relative: str, locale: Locale, default_name: str) -> str:
    header = (
        f"# {locale.name} ({locale.code}): the words of the site around the notice, copied from the "
        f"{default_name} strings\n# by `notice locale add`: translate each one.\n"
    )
    return _commented(header, _read(root, relative))


def _commented(comment: str, text: str) -> str:
    """`text` (a copy of another locale's file) with `comment` above it, below the line that names its schema:
    an editor reads that line only as the first (the new file is as deep as the copied one: the path holds)."""
    first, newline, rest = text.partition("\n")
    if HEADER.match(first):
        return first + newline + comment + rest
    return comment + text


def _declared(root: Path, locale: Locale) -> str:
    """notice.yaml with the locale added to locales.available, as a draft."""
    text = _read(root, NOTICE_FILE)
    entry = {"name": locale.name, "lang": locale.lang}
    if locale.dir != "ltr":
        entry["dir"] = locale.dir
    entry["draft"] = True

    def declare(document: Any) -> None:
        append_key(document["locales"]["available"], locale.code, CommentedMap(entry))

    def expected(old: Any) -> Any:
        available = {**old["locales"]["available"], locale.code: entry}
        return {**old, "locales": {**old["locales"], "available": available}}

    return _edited(text, NOTICE_FILE, f"locale '{locale.code}'", declare, expected)


def without_draft_marks(text: str, codes: tuple[str, ...]) -> str:
    """notice.yaml's text with `draft: true` removed from `codes`: a release now publishes them."""

    def publish(document: Any) -> None:
        available = document["locales"]["available"]
        for code in codes:
            remove_key(available[code], "draft", within=available)

    def expected(old: Any) -> Any:
        available = {
            code: {k: v for k, v in entry.items() if not (code in codes and k == "draft")}
            for code, entry in old["locales"]["available"].items()
        }
        return {**old, "locales": {**old["locales"], "available": available}}

    return _edited(text, NOTICE_FILE, f"publishing {', '.join(codes)}", publish, expected)


def _has_localized(value: Any, declared: set[str]) -> bool:
    if isinstance(value, dict):
        return (bool(value) and set(value) == declared) or any(_has_localized(v, declared) for v in value.values())
    if isinstance(value, list):
        return any(_has_localized(item, declared) for item in value)
    return False


def _with_text_in(text: str, relative: str, code: str, source: str, declared: set[str]) -> str:
    """A data file with each text per locale given in `code` too: the source locale's text, to translate."""

    def localized(value: Any) -> bool:
        return isinstance(value, dict) and bool(value) and set(value) == declared

    def add(node: Any) -> None:
        if isinstance(node, CommentedMap) and localized(node):
            append_key(node, code, node[source])
        elif isinstance(node, dict):
            for item in node.values():
                add(item)
        elif isinstance(node, list):
            for item in node:
                add(item)

    def expected(node: Any) -> Any:
        if localized(node):
            return {**node, code: node[source]}
        if isinstance(node, dict):
            return {key: expected(item) for key, item in node.items()}
        if isinstance(node, list):
            return [expected(item) for item in node]
        return node

    return _edited(text, relative, f"the texts in '{code}'", add, expected)


def _edited(text: str, relative: str, what: str, edit: Any, expected: Any) -> str:
    try:
        return edited_text(text, relative, what, edit, expected, by="notice locale add")
    except EditError as failure:
        raise LocaleError(str(failure)) from failure


def _write(root: Path, folder: Path, new_files: dict[str, str], edits: dict[str, str]) -> list[str]:
    """The new locale's folder appears whole (built beside it, then renamed); each edited file is replaced
    atomically, notice.yaml last; on any failure every file is put back as it was."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-"))
    originals: dict[str, bytes] = {}
    try:
        for name, text in new_files.items():
            (staging / name).write_text(text, encoding="utf-8", newline="\n")
        staging.chmod(0o777 & ~current_umask())  # mkdtemp makes it private
        staging.rename(folder)
        for relative in sorted(edits, key=lambda path: path == NOTICE_FILE):
            originals[relative] = (root / relative).read_bytes()
            write_atomically(root / relative, edits[relative])
    except BaseException:
        for relative, content in originals.items():
            (root / relative).write_bytes(content)
        shutil.rmtree(staging, ignore_errors=True)
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return [f"{LOCALES_DIR}/{folder.name}/{name}" for name in new_files] + sorted(edits)

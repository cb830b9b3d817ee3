"""Find and read every source file of a notice, each validated against its schema."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from noticegen.core.diagnostics import Location, Report, shown
from noticegen.source import formats
from noticegen.source.datatables import SUBPROCESSORS, TABLE_NAME, TableFile, is_table_file
from noticegen.source.schema import INVALID, YMap, did_you_mean, validate_file
from noticegen.source.ui_strings import IN_TEXT
from noticegen.source.yamlsource import SourceFile, file_problem, load_yaml_file

NOTICE_FILE = "notice/notice.yaml"
DATA_DIR = "notice/data"
LOCALES_DIR = "locales"
# What is a YAML file, for `check` and for `release` alike (source/versions.py freezes the same files).
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class Loaded:
    """A file and its cleaned content (INVALID where the whole content is unusable)."""

    file: SourceFile
    data: Any

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default) if isinstance(self.data, dict) else default


@dataclass
class Sources:
    root: Path
    notice: Loaded | None = None
    texts: dict[str, Loaded] = field(default_factory=dict)
    ui: dict[str, Loaded] = field(default_factory=dict)
    data: dict[str, Loaded] = field(default_factory=dict)
    # A released version's own strings for what appears inside its text (ui_strings.IN_TEXT), by locale.
    frozen_strings: dict[str, dict[str, str]] = field(default_factory=dict)

    def locale_codes(self) -> tuple[str, ...]:
        """Every declared locale, drafts too: each must have its text, and data its text in each."""
        available = self.notice.get("locales", {}).get("available", {}) if self.notice else {}
        return tuple(available) if isinstance(available, dict) else ()

    def draft_codes(self) -> tuple[str, ...]:
        """The locales still being translated (`draft: true`): previewed, never published from this text."""
        available = self.notice.get("locales", {}).get("available", {}) if self.notice else {}
        if not isinstance(available, dict):
            return ()
        return tuple(code for code, entry in available.items() if isinstance(entry, dict) and entry.get("draft"))

    def published_codes(self) -> tuple[str, ...]:
        """The locales a version made from this text is published in: every declared one but the drafts."""
        drafts = self.draft_codes()
        return tuple(code for code in self.locale_codes() if code not in drafts)


def _load(
    root: Path, relative: str, kind: Any, report: Report, locales: tuple[str, ...] = (), prefix: str = ""
) -> Loaded | None:
    file = load_yaml_file(root / relative, prefix + relative, report, root)
    if file is None:
        return None
    return Loaded(file, validate_file(kind, file, report, locales))


def load_sources(root: Path, report: Report, *, prefix: str = "", ui_root: Path | None = None) -> Sources:
    """Read everything under `root`; every problem goes to `report`, nothing stops at the first.

    A released version is read from its snapshot folder: `prefix` is that folder as messages show
    it, and `ui_root` the project whose site strings (locales/<code>/site.yaml) the pages use.
    """
    sources = Sources(root)
    if not (root / NOTICE_FILE).is_file():
        report.error(
            Location(prefix + NOTICE_FILE),
            f"no notice found in {root}",
            "run the command in the project folder, or give the folder that holds notice/notice.yaml",
        )
        return sources
    sources.notice = _load(root, NOTICE_FILE, formats.NOTICE, report, prefix=prefix)
    locales = sources.locale_codes()
    _load_locales(root, sources, locales, report, prefix, ui_root or root)
    if ui_root is not None and ui_root != root:
        _load_frozen_strings(root, sources, locales, report, prefix)
    _load_data(root, sources, locales, report, prefix)
    return sources


def _load_frozen_strings(root: Path, sources: Sources, locales: tuple[str, ...], report: Report, prefix: str) -> None:
    """A snapshot's own site.yaml (versions released since it is frozen with them): the strings inside the
    text come from it, the rest of the page's strings from the project."""
    for code in locales:
        relative = f"{LOCALES_DIR}/{code}/site.yaml"
        if not (root / relative).exists():
            continue  # released before site strings were frozen: the project's own apply
        file = load_yaml_file(root / relative, prefix + relative, report, root)
        if file is not None and isinstance(file.data, dict):
            strings = {key: file.data[key] for key in IN_TEXT if isinstance(file.data.get(key), str)}
            sources.frozen_strings[code] = strings


def _present(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _load_locales(
    root: Path, sources: Sources, locales: tuple[str, ...], report: Report, prefix: str, ui_root: Path
) -> None:
    available = sources.notice.get("locales", {}).get("available") if sources.notice else None
    for code in locales:
        declared = (
            sources.notice.file.at(available.key_pos[code])
            if isinstance(available, YMap)
            else Location(prefix + NOTICE_FILE)
        )
        for name, kind, store, base, prefix_shown in (
            ("notice.yaml", formats.LOCALE_TEXT, sources.texts, root, prefix),
            ("site.yaml", formats.UI_STRINGS, sources.ui, ui_root, "" if ui_root != root else prefix),
        ):
            relative = f"{LOCALES_DIR}/{code}/{name}"
            if base != root and not _present(base / relative) and _present(root / relative):
                # A locale the project no longer has (a draft given up, say): a released version keeps its
                # strings as they were released.
                base, prefix_shown = root, prefix
            if not _present(base / relative):
                report.error(
                    declared,
                    f"locale '{code}' has no {prefix_shown}{relative}",
                    f"create {prefix_shown}{relative}, or remove '{code}' from locales.available",
                )
                continue
            loaded = _load(base, relative, kind, report, locales, prefix_shown)
            if loaded is not None:
                store[code] = loaded
    folder = root / LOCALES_DIR
    if folder.is_dir() and sources.notice is not None and sources.notice.data is not INVALID:
        for entry in sorted(folder.iterdir()):
            if entry.is_dir() and entry.name not in locales:
                report.warning(
                    Location(f"{prefix}{LOCALES_DIR}/{entry.name}/"),
                    f"folder for locale '{shown(entry.name)}' is not listed in notice.yaml's locales.available",
                    "add it there to publish it, or delete the folder",
                )


def _load_data(root: Path, sources: Sources, locales: tuple[str, ...], report: Report, prefix: str) -> None:
    folder = root / DATA_DIR
    if not folder.is_dir():
        return
    for entry in sorted(folder.iterdir()):
        relative = f"{prefix}{DATA_DIR}/{entry.name}"
        if entry.suffix not in YAML_SUFFIXES:
            report.warning(Location(relative), "not a YAML file: it is ignored", "data files end in .yaml")
            continue
        problem = file_problem(entry, root)
        if problem is not None:  # a folder, a pipe, a link out of the project: never read, always reported
            report.cannot_read(
                Location(relative), f"{entry.name} {problem}", "a data file is a plain YAML file: remove or replace it"
            )
            continue
        if entry.stem in sources.data or (entry.suffix == ".yml" and (folder / f"{entry.stem}.yaml").is_file()):
            report.error(
                Location(relative),
                f"two data files named '{shown(entry.stem)}'",
                f"keep one of {entry.stem}.yaml and {entry.stem}.yml: the other would be ignored",
            )
            continue
        file = load_yaml_file(entry, relative, report, root)
        if file is None:
            continue
        kind = _data_kind(entry.stem, file, report)
        if kind is not None:
            sources.data[entry.stem] = Loaded(file, validate_file(kind, file, report, locales))


def _data_kind(name: str, file: SourceFile, report: Report) -> Any:
    """The schema a data file is read with: its own fixed one, or the table it declares (`schema:`)."""
    fixed = formats.DATA_FILES.get(name)
    if file.data is INVALID:  # its YAML error is reported; whatever it meant to be, it is unusable
        return fixed or TableFile()
    declares_table = is_table_file(file.data)
    if fixed is not None and not (declares_table and name == SUBPROCESSORS):
        if declares_table:
            report.error(
                file.at(file.data.key_pos["schema"]),
                f"{name}.yaml has a fixed form and cannot declare a schema",
                "give your table another name: notice/data/NAME.yaml",
            )
            return None
        return fixed
    if declares_table:
        if not TABLE_NAME.match(name):
            report.error(
                Location(file.path),
                f"table name '{shown(name)}' is not a valid name",
                "name the file with lowercase letters, digits and hyphens, e.g. cookies.yaml: "
                "the text refers to it as {{table:NAME}}",
            )
            return None
        return TableFile()
    if name.endswith(".schema"):
        hint = "a table's schema goes at the top of its own file: `schema:`, then `rows:`"
    else:
        close = did_you_mean(name, tuple(formats.DATA_FILES))
        hint = f"{close}; or, for a table of your own, start the file with `schema:` (see the README)"
    report.error(Location(file.path), f"unknown data file '{shown(file.path.rsplit('/', 1)[-1])}'", hint)
    return None


def declared_locales(root: Path) -> tuple[list[tuple[str, str, bool]], str]:
    """The locales notice/notice.yaml declares, as (code, name, draft) in order, and the default one, read
    before anything else is (the site's language configuration comes from them). ValueError says what is
    missing."""
    report = Report()
    file = load_yaml_file(root / NOTICE_FILE, NOTICE_FILE, report, root)
    locales = file.data.get("locales") if file is not None and isinstance(file.data, dict) else None
    available = locales.get("available") if isinstance(locales, dict) else None
    default = locales.get("default_locale") if isinstance(locales, dict) else None
    if not isinstance(available, dict) or not available or default not in available:
        problems = "; ".join(str(d) for d in report.sorted()) or "run `notice check`"
        raise ValueError(f"{NOTICE_FILE} declares no usable locales.available and default_locale ({problems})")
    entries = {code: entry if isinstance(entry, dict) else {} for code, entry in available.items()}
    return [
        (str(code), str(entry.get("name", code)), entry.get("draft") is True) for code, entry in entries.items()
    ], str(default)

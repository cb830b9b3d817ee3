"""The `notice` command: a thin layer over the library; every rule lives in the modules it calls."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import noticegen
from noticegen.checks.history import check_against
from noticegen.checks.notice import check_notice
from noticegen.checks.translations import SUMMARY, State, copied_site_strings, translation_states
from noticegen.commands.diff import DiffError, NoReleaseError, diff
from noticegen.commands.fmt import lay_out, requested_files, short_diff, working_files, write_laid_out
from noticegen.commands.init import InitError, Settings, init_project
from noticegen.commands.locales import LocaleError, add_locale, new_locale
from noticegen.commands.release import Release, ReleaseError, make_release, refusals, release_lock
from noticegen.commands.schemas import outdated_schemas, write_schemas
from noticegen.commands.stamp import StampError, section_list, stamped_text
from noticegen.commands.summary import change_summary
from noticegen.commands.verify import verify
from noticegen.core.diagnostics import InputError, Location, Report, Severity, shown
from noticegen.core.writer import write_atomically, write_if_changed
from noticegen.export.documents import api_files, digest_problems, serialize, version_document
from noticegen.model.site import SiteError, load_site
from noticegen.render.pages import site_pages
from noticegen.render.redline_formats import redline_html, redline_markdown, redline_text
from noticegen.source.editor_schemas import SCHEMAS_DIR
from noticegen.source.history import HistoryError, released_at
from noticegen.source.load import Loaded
from noticegen.source.schema import did_you_mean, text_problem
from noticegen.source.tables import section_content
from noticegen.source.versions import CHANGELOG_FILE, VERSION_ID, build_date, recorded_parts, source_date_epoch
from noticegen.source.yamlsource import read_source_bytes


def _print_report(report: Report, strict: bool, quiet: bool = False) -> int:
    for diagnostic in report.sorted():
        if not (quiet and diagnostic.severity is Severity.ACKNOWLEDGED):
            print(diagnostic)
    failed = report.failed(strict)
    verdict = "failed" if failed else "passed"
    mode = " (strict)" if strict else ""
    print(f"notice check{mode} {verdict}: {report.summary()}")
    return _exit_code(report, strict)


def _exit_code(report: Report, strict: bool) -> int:
    if report.unreadable:  # the input itself is unusable: a file that cannot be read at all
        return 2
    return 1 if report.failed(strict) else 0


def _print_json_report(report: Report, strict: bool, quiet: bool = False) -> int:
    """The report for machines (an editor, a bot commenting on a pull request): every problem with its
    place, the acknowledged gaps included unless `quiet` (they are counted either way), and the verdict
    `notice check` would print."""
    document = {
        "passed": not report.failed(strict),
        "strict": strict,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "acknowledged": len(report.of(Severity.ACKNOWLEDGED)),
        "problems": [
            {
                "file": diagnostic.location.path,
                "line": diagnostic.location.line,
                "column": diagnostic.location.col,
                "severity": diagnostic.severity.value,
                "message": diagnostic.message,
                "hint": diagnostic.hint,
            }
            for diagnostic in report.sorted()
            if not (quiet and diagnostic.severity is Severity.ACKNOWLEDGED)
        ],
    }
    print(json.dumps(document, ensure_ascii=False, indent=2))
    return _exit_code(report, strict)


def cmd_check(args: argparse.Namespace) -> int:
    root = project_folder(args)
    checked = check_notice(root)
    report = checked.report
    if args.against:
        try:
            released = released_at(root, args.against)
        except HistoryError as failure:
            print(f"notice check: --against {args.against}: {failure}", file=sys.stderr)
            return 2
        check_against(root, released, args.against, report)
    if not report.errors:
        check_recorded_digests(root, report)
    if args.json:
        return _print_json_report(report, args.strict, quiet=args.quiet)
    return _print_report(report, args.strict, quiet=args.quiet)


def project_folder(args: argparse.Namespace) -> Path:
    """--path, the one way every command names the project folder (`check` and `status` also take it as their
    argument, as they did before --path existed)."""
    given = [value for value in (getattr(args, "folder", None), args.path) if value is not None]
    if len(given) == 2 and Path(given[0]) != Path(given[1]):
        raise InputError(f"two project folders given ({given[0]} and --path {given[1]}): give one, with --path")
    folder = Path(given[0] if given else ".")
    if not folder.is_dir():
        raise InputError(f"there is no folder {folder}: give the project folder (that holds notice/) with --path")
    return folder


def check_recorded_digests(root: Path, report: Report) -> None:
    """Every released version, rebuilt as a build would, must reproduce the digests its entry recorded."""
    try:
        site, _ = load_site(root, build_date())
    except SiteError:
        return  # the checks above reported it
    for problem in digest_problems(site, api_files(site, configured_site_url(root)), recorded_parts(root)):
        report.error(Location(CHANGELOG_FILE), problem, "a released version never changes: undo what changed it")


def cmd_status(args: argparse.Namespace) -> int:
    checked = check_notice(project_folder(args))
    states = [
        state
        for state in translation_states(checked.sources, [entry.id for entry in checked.outline])
        if state.state is not State.MISSING  # a missing section is an error of `notice check`
    ]
    by_locale: dict[str, dict[str, int]] = {}
    for state in states:
        counts = by_locale.setdefault(state.locale, {"current": 0, "outdated": 0, "untranslated": 0})
        counts[state.state.value] += 1
    behind = [state for state in states if state.state is not State.CURRENT]
    drafts = checked.sources.draft_codes()
    if args.json:
        notice = checked.sources.notice
        document = {
            "source_locale": notice.get("locales", {}).get("source_locale") if notice is not None else None,
            "locales": {
                code: {**counts, "total": sum(counts.values()), "percent_current": _percent(counts),
                       "draft": code in drafts}
                for code, counts in by_locale.items()
            },
            "sections": [
                {"locale": state.locale, "section": state.section, "status": state.state.value,
                 "translated_from": state.recorded, "source_hash": state.current}
                for state in states
            ],
            "site_strings": {
                strings.locale: {"same_as": strings.language, "keys": strings.copied, "total": strings.total}
                for strings in copied_site_strings(checked.sources)
            },
        }  # fmt: skip
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return 1 if behind else 0
    if not states:
        print("no translations to compare (or the source locale cannot be read: run `notice check`)")
        return 1 if checked.report.errors else 0
    width = max(len(state.section) for state in states)
    for state in states:
        recorded = f"recorded {state.recorded}" if state.recorded is not None else "never stamped"
        detail = f"  ({recorded}, source is {state.current})" if state.state is State.OUTDATED else ""
        print(f"{state.locale:<6} {state.section:<{width}}  {state.state.value}{detail}")
    for code, counts in by_locale.items():
        total = sum(counts.values())
        label = f"{code} (draft, not published)" if code in drafts else code
        print(
            f"{label}: {_percent(counts)}% current ({counts['current']} of {total}), {counts['outdated']} outdated, "
            f"{counts['untranslated']} untranslated"
        )
    for strings in copied_site_strings(checked.sources):
        print(
            f"{strings.locale}: {len(strings.copied)} of {strings.total} site strings are still {strings.language}'s "
            f"words ({strings.path}: {', '.join(strings.copied[:3])}{', …' if len(strings.copied) > 3 else ''})"
        )
    return 1 if behind else 0


def _percent(counts: dict[str, int]) -> int:
    total = sum(counts.values())
    return round(100 * counts["current"] / total) if total else 100


def _has_text(loaded: Loaded, section: str) -> bool:
    """Whether a locale's section (or SUMMARY) has words besides its heading: a body or a table."""
    if section == SUMMARY:
        return True
    text = (loaded.get("sections") or {}).get(section)
    return isinstance(text, dict) and any(part.strip() for part in section_content(text)[1:])


def cmd_stamp(args: argparse.Namespace) -> int:
    root = project_folder(args)
    checked = check_notice(root)
    loaded = checked.sources.texts.get(args.locale)
    declared = checked.sources.locale_codes()
    if declared and args.locale not in declared:
        hint = did_you_mean(args.locale, declared)
        print(f"notice stamp: no locale '{shown(args.locale)}' in notice/notice.yaml ({hint})", file=sys.stderr)
        return 1
    if args.locale not in checked.sources.texts or loaded is None:
        print(f"notice stamp: locale '{shown(args.locale)}' cannot be read; run `notice check`", file=sys.stderr)
        return 1
    states = {
        state.section: state
        for state in translation_states(checked.sources, [entry.id for entry in checked.outline])
        if state.locale == args.locale
    }
    if not states:
        print(f"notice stamp: '{shown(args.locale)}' is not a translated locale", file=sys.stderr)
        return 1
    if args.summary and SUMMARY not in states:
        print(
            f"notice stamp: '{shown(args.locale)}' has no summary translated from a source summary to stamp",
            file=sys.stderr,
        )
        return 1
    unknown = [section for section in args.sections if section not in states or section == SUMMARY]
    if unknown:
        names = ", ".join(shown(section) for section in unknown)
        print(f"notice stamp: no such section in '{shown(args.locale)}': {names}", file=sys.stderr)
        return 1
    missing = [section for section in args.sections if states[section].state is State.MISSING]
    if missing:
        print(
            f"notice stamp: '{shown(args.locale)}' has no text for {', '.join(shown(s) for s in missing)}: "
            "translate it first",
            file=sys.stderr,
        )
        return 1
    asked = [*args.sections, *([SUMMARY] if args.summary else [])]
    chosen = asked or [s for s, state in states.items() if state.state is not State.MISSING]
    # A stamp says a translator translated the text: never of a copy (a heading alone may be kept as it is).
    copies = [s for s in chosen if states[s].state is State.UNTRANSLATED and _has_text(loaded, s)]
    if copies:
        names = ", ".join("the summary" if s == SUMMARY else shown(s) for s in copies)
        print(
            f"notice stamp: '{shown(args.locale)}': {names}: not translated: the text is a copy of the source "
            "locale's, now or in a released version, or of another locale's; translate it, then stamp it",
            file=sys.stderr,
        )
        if asked:
            return 1
        chosen = [s for s in chosen if s not in copies]
    hashes = {s: states[s].current for s in chosen if states[s].state is not State.CURRENT}
    if not hashes:
        others = "every other section" if copies else "every chosen section"
        print(f"nothing to stamp: {others} already records its current source text")
        return 0
    path = root / loaded.file.path
    try:
        old_text = read_source_bytes(path, loaded.file.path, root).decode("utf-8").removeprefix("\ufeff")
        text = stamped_text(old_text, loaded.file.path, hashes)
        write_atomically(path, text)
    except (InputError, StampError) as failure:
        print(f"notice stamp: {failure} (the file is left as it was)", file=sys.stderr)
        return 1
    except UnicodeDecodeError:
        print(f"notice stamp: {loaded.file.path}: not UTF-8 text (the file is left as it was)", file=sys.stderr)
        return 1
    except OSError as failure:
        reason = (failure.strerror or str(failure)).lower()
        print(
            f"notice stamp: {loaded.file.path}: {section_list(hashes)}: cannot be written: {reason} "
            "(the file is left as it was)",
            file=sys.stderr,
        )
        return 1
    for section, new_hash in hashes.items():
        if section == SUMMARY:
            print(f"{loaded.file.path}: summary: summary_source_hash {new_hash}")
        else:
            print(f"{loaded.file.path}: {section}: source_hash {new_hash}")
    return 0


def date_option(args: argparse.Namespace) -> datetime.date:
    """--date, else SOURCE_DATE_EPOCH, else today; ValueError for a date that is not YYYY-MM-DD."""
    return build_date(datetime.date.fromisoformat(args.date) if args.date else None)


def cmd_pages(args: argparse.Namespace) -> int:
    root = project_folder(args)
    try:
        on = date_option(args)
        site, _ = load_site(root, on, preview=args.preview)
    except SiteError as failure:
        return _print_report(failure.report, strict=False)
    except ValueError as exc:
        print(f"notice pages: {exc} (dates are YYYY-MM-DD)", file=sys.stderr)
        return 1
    out = Path(args.out)
    written = sum(write_if_changed(out / relative, text) for relative, text in site_pages(site, args.site_url).items())
    print(f"notice pages: {written} page(s) written to {out}")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    root = project_folder(args)
    summaries = {}
    for item in args.summary:
        code, separator, text = item.partition("=")
        if not separator:
            print(f"notice release: --summary must be CODE=TEXT, not {item!r}", file=sys.stderr)
            return 1
        problem = text_problem(text.strip(), single_line=True)
        if problem is not None:
            print(f"notice release: --summary for '{shown(code.strip())}' {problem[1]} ({problem[2]})", file=sys.stderr)
            return 2
        summaries[code.strip()] = text.strip()
    if args.corrects is not None and not VERSION_ID.match(args.corrects):
        print(f"notice release: --corrects {args.corrects!r} is not a version id such as 2025-09-23", file=sys.stderr)
        return 1
    if (args.effective is None) == (args.corrects is None):
        print("notice release: give the new version's effective date, or --corrects VERSION, not both", file=sys.stderr)
        return 1
    # A correction takes the date of the text it corrects.
    given = {"the effective date": args.effective or args.corrects.partition(".")[0], "--published": args.published}
    dates: dict[str, datetime.date] = {}
    for name, value in given.items():
        try:
            dates[name] = datetime.date.fromisoformat(value) if value else build_date()
        except ValueError as exc:
            detail = "" if str(exc).startswith("Invalid isoformat") else f" ({exc})"
            said = f"notice release: {name} '{shown(value)}' is not a date{detail}: write it YYYY-MM-DD"
            print(said, file=sys.stderr)
            return 1
    effective, published = dates["the effective date"], dates["--published"]
    locales = None
    if args.locales is not None:
        locales = tuple(code.strip() for code in args.locales.split(",") if code.strip())
    release = Release(
        effective,
        published,
        args.change,
        summaries,
        today=build_date(),
        short_notice=args.short_notice,
        imported=args.imported,
        corrects=args.corrects,
        locales=locales,
        approved_by=tuple(args.approved_by),
    )

    def waiting() -> None:
        print(
            "notice release: another release of this notice is under way: waiting for it", file=sys.stderr, flush=True
        )

    with release_lock(root, waiting):
        problems = refusals(root, release)
        for problem in problems:
            print(f"notice release: {problem}", file=sys.stderr)
        if problems:
            return 1
        try:
            released = make_release(root, release)
        except ReleaseError as refusal:
            print(f"notice release: {refusal}; nothing was written", file=sys.stderr)
            return 1
        except SiteError as failure:  # a released version's own snapshot, which `notice check` reads as part of it
            for problem in failure.report.sorted():
                print(problem, file=sys.stderr)
            print("notice release: a released version does not load; nothing was written", file=sys.stderr)
            return 1
    what = f"a correction of version {args.corrects}" if args.corrects else f"effective {effective.isoformat()}"
    if released.translation_only:
        what += ", translations only"
    if release.approved_by:
        what += f", approved by {', '.join(release.approvers)}"
    print(f"released version {released.folder.name} ({args.change}, {what}): {released.folder}")
    print(f"published in {', '.join(released.locales)}", end="")
    promoted = released.promoted
    print(f" ({', '.join(promoted)} for the first time: no longer a draft in notice/notice.yaml)" if promoted else "")
    return 0


def cmd_locale_add(args: argparse.Namespace) -> int:
    root = project_folder(args)
    try:
        locale = new_locale(args.code, args.name, args.lang, args.dir)
        written = add_locale(root, locale)
    except LocaleError as refusal:
        print(f"notice locale add: {refusal}; nothing was written", file=sys.stderr)
        return 1
    for path in written:
        print(f"notice locale add: wrote {path}")
    print(
        f"notice locale add: '{locale.code}' ({locale.name}, lang {locale.lang}, {locale.dir}) is a draft: "
        f"`mkdocs serve` shows it, a build does not publish it. Translate {', '.join(written[:2])}, stamp each "
        f"section with `notice stamp {locale.code} SECTION`, and publish it with `notice release DATE --locales "
        f"…,{locale.code}`."
    )
    return 0


def configured_site_url(root: Path) -> str:
    """site_url from the project's mkdocs.yml (read as text: it may hold tags YAML cannot load)."""
    config = root / "mkdocs.yml"
    if config.is_file():
        match = re.search(r"(?m)^site_url:\s*['\"]?([^'\"\s#]+)", config.read_text(encoding="utf-8"))
        if match:
            return match.group(1)
    return "/"


def cmd_export(args: argparse.Namespace) -> int:
    root = project_folder(args)
    try:
        on = date_option(args)
        site, _ = load_site(root, on)
    except SiteError as failure:
        return _print_report(failure.report, strict=False)
    except ValueError as exc:
        print(f"notice export: {exc} (dates are YYYY-MM-DD)", file=sys.stderr)
        return 1
    version_id = args.version or site.status.current
    if version_id is None or version_id not in {version.id for version in site.versions}:
        known = ", ".join(version.id for version in site.versions) or "none"
        print(
            f"notice export: no released version {version_id or '(none in force)'}; versions: {known}", file=sys.stderr
        )
        return 1
    version = site.version(version_id)
    if args.locale and args.locale not in version.notice.texts:
        print(f"notice export: version {version_id} has no locale '{shown(args.locale)}'", file=sys.stderr)
        return 1
    text = serialize(version_document(site, version, args.site_url or configured_site_url(root), args.locale))
    if args.output:
        write_atomically(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    verdict = verify(args.source, expect_chain=args.expect_chain, expect_version=args.expect_version)
    for line in verdict.lines:
        print(line)
    print(f"notice verify: {'failed' if verdict.failures else 'passed'}: {verdict.failures} problem(s)")
    return 1 if verdict.failures else 0


def cmd_summary(args: argparse.Namespace) -> int:
    sys.stdout.write(change_summary(Path(args.against), project_folder(args)))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    root = project_folder(args)
    try:
        site, _ = load_site(root, date_option(args), preview=True)
    except SiteError as failure:  # the problems, not the acknowledged gaps they would be buried in
        return _print_report(failure.report, strict=False, quiet=True)
    except ValueError as exc:
        print(f"notice diff: {exc} (dates are YYYY-MM-DD)", file=sys.stderr)
        return 1
    try:
        compared = diff(site, args.older, args.newer, args.locale)
    except NoReleaseError as nothing:
        print(f"notice diff: {nothing}")
        return 0
    except DiffError as refusal:
        print(f"notice diff: {refusal}", file=sys.stderr)
        return 1
    if args.format == "markdown":
        sys.stdout.write(redline_markdown(compared.redline, compared.header))
    elif args.format == "html":
        notice = compared.newer.notice
        language, source = notice.locale(compared.redline.locale), notice.locale(compared.redline.source)
        ui = site.working.ui[compared.redline.locale]
        sys.stdout.write(redline_html(compared.redline, compared.header, ui, language, source))
    else:
        sys.stdout.write(redline_text(compared.redline, compared.header, colour=colour(args.color)))
    return 0


def colour(choice: str) -> bool:
    """--color auto: colour on a terminal, unless NO_COLOR is set to anything (https://no-color.org)."""
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _language_name(code: str) -> str:
    """The language's name in itself, as CLDR gives it (Deutsch for de); the code when CLDR does not know it."""
    try:
        return new_locale(code).name
    except LocaleError:
        return code


def cmd_init(args: argparse.Namespace) -> int:
    settings = Settings(
        controller=args.controller,
        locale=args.locale,
        locale_name=args.locale_name or _language_name(args.locale),
        site_url=args.site_url,
        email=args.email,
    )
    target = Path(args.dir)
    try:
        written = init_project(target, settings, requirement=args.noticegen)
    except InitError as refusal:
        print(f"notice init: {refusal}; nothing was written", file=sys.stderr)
        return 1
    print(f"notice init: {len(written)} files written to {target}")
    print(f"Next: cd {target} && make site && make test (then read README.md)")
    return 0


def add_path_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--path", help="the project folder (default: the current one)")


def add_project_folder(command: argparse.ArgumentParser) -> None:
    add_path_option(command)
    command.add_argument("folder", nargs="?", help=argparse.SUPPRESS)  # the older form: the same as --path


def cmd_schemas(args: argparse.Namespace) -> int:
    folder = Path(args.out) if args.out else project_folder(args) / SCHEMAS_DIR
    if args.check:
        problems = outdated_schemas(folder)
        for problem in problems:
            print(f"notice schemas: {problem}")
        if problems:
            print(f"notice schemas: {folder} is not up to date: run `notice schemas` to write the schemas")
            return 1
        print(f"notice schemas: the schemas in {folder} are up to date")
        return 0
    try:
        written = write_schemas(folder)
    except OSError as failure:
        print(
            f"notice schemas: {folder} cannot be written: {(failure.strerror or str(failure)).lower()}", file=sys.stderr
        )
        return 1
    print(
        f"notice schemas: {len(written)} schema(s) written to {folder}"
        if written
        else f"notice schemas: {folder} is up to date"
    )
    return 0


def add_schemas_command(commands: argparse._SubParsersAction) -> None:
    schemas = commands.add_parser(
        "schemas",
        help="write the JSON Schemas editors check the source files with (schemas/), or --check them",
        description="Write one JSON Schema per kind of source file into schemas/, made from the checker's own "
        "rules; each source file names its schema on its first line (# yaml-language-server: $schema=…), so an "
        "editor with yaml-language-server (VS Code's YAML extension) completes keys, flags mistakes and explains "
        "each key on hover.",
    )
    schemas.add_argument("--check", action="store_true", help="write nothing; fail if a schema is missing or differs")
    schemas.add_argument("--out", metavar="DIR", help="the folder of the schemas (default: schemas/ in the project)")
    add_path_option(schemas)
    schemas.set_defaults(run=cmd_schemas)


def cmd_fmt(args: argparse.Namespace) -> int:
    root = project_folder(args)
    chosen, refusals = requested_files(root, args.files) if args.files else (working_files(root), [])
    for refusal in refusals:
        print(f"notice fmt: {refusal}", file=sys.stderr)
    outcomes = [lay_out(root, relative) for relative in chosen]
    left = 0
    for outcome in outcomes:
        if outcome.problem is not None:
            print(f"{outcome.problem} (the file is left as it was)")
        elif outcome.changed and args.check:
            print(f"{outcome.path}: not in the canonical layout")
            print("\n".join(f"  {line}" for line in short_diff(outcome)))
        elif outcome.changed:
            reason = write_laid_out(root, outcome)
            left += reason is not None
            print(reason or f"{outcome.path}: laid out")
    changed = sum(outcome.changed for outcome in outcomes) - left
    failed = sum(outcome.problem is not None for outcome in outcomes) + len(refusals) + left
    if args.check:
        verdict = (
            f"{changed} of {len(outcomes)} file(s) would be laid out anew (run `notice fmt`)"
            if changed
            else (f"{len(outcomes)} file(s) in the canonical layout")
        )
        print(f"notice fmt --check: {verdict}" + (f"; {failed} left as they were (see above)" if failed else ""))
        return 1 if changed or failed else 0
    print(
        f"notice fmt: {changed} of {len(outcomes)} file(s) laid out anew"
        + (f"; {failed} left as they were (see above)" if failed else "")
    )
    return 1 if failed else 0


def add_fmt_command(commands: argparse._SubParsersAction) -> None:
    fmt = commands.add_parser(
        "fmt",
        help="write the source YAML files in the one canonical layout (comments and values kept)",
        description="Lay out the working source files (never a released version) in the canonical layout: "
        "keys in the schema's order, 2-space indentation, multi-line text as | blocks, comments kept.",
    )
    fmt.add_argument("files", nargs="*", help="only these source files (default: every working source file)")
    fmt.add_argument("--check", action="store_true", help="write nothing; fail if a file is not in the layout")
    add_path_option(fmt)
    fmt.set_defaults(run=cmd_fmt)


def add_diff_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "diff",
        help="show what changed between two versions, or in the working text, section by section",
        description="The redline between two texts of the notice, section by section, with inserted and deleted "
        "words marked (characters in Chinese and Japanese). With no version: the working text against the "
        "version in force; with one: that version against the working text. Only changed sections are shown.",
    )
    command.add_argument(
        "older", nargs="?", metavar="FROM", help="a released version's id, or `working` (default: the one in force)"
    )
    command.add_argument(
        "newer", nargs="?", metavar="TO", help="a released version's id, or `working` (default: the working text)"
    )
    command.add_argument("--locale", help="the locale to compare (default: the source locale)")
    command.add_argument(
        "--format",
        choices=["text", "markdown", "html"],
        default="text",
        help="text for a terminal or a log, markdown for a pull request's summary, html for a page (default: text)",
    )
    command.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="colour the text format (default: auto: on a terminal, unless NO_COLOR is set); without colour, "
        "[-deleted-] and {+inserted+}",
    )
    command.add_argument("--date", help="the date that decides the version in force (default: today)")
    add_path_option(command)
    command.set_defaults(run=cmd_diff)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="notice", description="Check and publish a privacy notice kept as YAML.")
    parser.add_argument("--version", action="version", version=f"%(prog)s (noticegen) {noticegen.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser(
        "init",
        help="create a new notice project for another company",
        description="Create DIR with a starting notice (one section per GDPR Art. 13 heading), its site and tests.",
    )
    init.add_argument("dir", help="the folder to create (it must not exist, or be empty)")
    init.add_argument("--controller", default="Example Company Ltd.", help="the publisher's legal name")
    init.add_argument("--locale", default="en", help="the notice's language tag (default: en)")
    init.add_argument("--locale-name", help="the language's name in itself, e.g. Deutsch (default: CLDR's)")
    init.add_argument("--site-url", default="https://example.github.io/privacy/", help="where the site is published")
    init.add_argument("--email", default="privacy@example.com", help="the privacy contact's e-mail address")
    init.add_argument(
        "--noticegen",
        metavar="REQUIREMENT",
        help="how the new project installs noticegen (default: as this one was installed: same wheel or folder)",
    )
    init.set_defaults(run=cmd_init)

    check = commands.add_parser("check", help="check every source file and report every problem")
    check.add_argument("--strict", action="store_true", help="fail on warnings too (as CI does)")
    check.add_argument(
        "--against",
        metavar="REV",
        help="also fail if anything a git revision released (e.g. origin/main) was changed, removed or reordered",
    )
    check.add_argument("--json", action="store_true", help="print the problems as JSON: file, line, column, "
                       "severity, message and hint of each, and the verdict")  # fmt: skip
    check.add_argument("--quiet", action="store_true", help="leave out the acknowledged known gaps (still counted)")
    add_project_folder(check)
    check.set_defaults(run=cmd_check)

    pages = commands.add_parser("pages", help="write the notice as Markdown pages, one per locale")
    pages.add_argument("out", help="the folder to write into, e.g. build/docs")
    add_path_option(pages)
    pages.add_argument("--site-url", default="/", help="where the site is published (default: /)")
    pages.add_argument("--preview", action="store_true", help="show the working text, not the released version")
    pages.add_argument(
        "--date", help="the date that decides the version in force (default: SOURCE_DATE_EPOCH or today)"
    )
    pages.set_defaults(run=cmd_pages)

    export = commands.add_parser(
        "export",
        help="write one version of the notice as JSON (as published under /api/)",
        description="Write a released version as JSON: all locales, or one with --locale.",
    )
    export.add_argument("--version", help="the version's id (its effective date; default: the one in force)")
    export.add_argument("--locale", help="one locale (default: all, each text as {locale: text})")
    export.add_argument("-o", "--output", help="the file to write (default: standard output)")
    export.add_argument("--site-url", help="where the site is published (default: site_url in mkdocs.yml)")
    export.add_argument("--date", help="the date that decides the version in force (default: today)")
    add_path_option(export)
    export.set_defaults(run=cmd_export)

    verify_command = commands.add_parser(
        "verify",
        help="check a published notice: every version present, every digest and the lock chain reproduced",
        description="Fetch the index and every version document, recompute each digest independently (RFC 8785) "
        "and the lock chain, and say what holds. Exit 1 on any mismatch.",
    )
    verify_command.add_argument("source", help="the site's address (https://…/ or …/api/notice.json) or a built site/")
    verify_command.add_argument(
        "--expect-chain",
        metavar="HEX",
        help="the chain value of the latest version you know of (from a consent record or an earlier run): "
        "fail unless a listed version has it",
    )
    verify_command.add_argument("--expect-version", metavar="ID", help="a version id that must be listed")
    verify_command.set_defaults(run=cmd_verify)

    summary = commands.add_parser(
        "summary", help="say in Markdown which versions and sections differ from another copy of the project"
    )
    summary.add_argument("--against", required=True, help="the other copy, e.g. a checkout of the base branch")
    add_path_option(summary)
    summary.set_defaults(run=cmd_summary)
    add_diff_command(commands)

    release = commands.add_parser(
        "release",
        help="freeze the current text as a new version with its changelog entry",
        description="Freeze the current text and data as a new, immutable version, effective on EFFECTIVE.",
    )
    release.add_argument(
        "effective", nargs="?", help="the date the version takes effect (YYYY-MM-DD); it is the version's id"
    )
    release.add_argument(
        "--corrects",
        metavar="VERSION",
        help="publish a correction (errata) of a released version instead: same effective date, its own id "
        "(VERSION.1, …) and publication date; the corrected text stays online, marked as corrected",
    )
    release.add_argument("--change", choices=["material", "editorial"], required=True, help="the kind of change")
    release.add_argument(
        "--summary", action="append", default=[], metavar="CODE=TEXT", help="what changed, once per locale"
    )
    release.add_argument("--published", help="the publication date (default: today, or SOURCE_DATE_EPOCH)")
    release.add_argument(
        "--short-notice",
        metavar="REASON",
        help="why a material change takes effect with less than the notice period (recorded and shown)",
    )
    release.add_argument(
        "--imported",
        metavar="SOURCE",
        help="record a version published before this site existed, and where its text comes from "
        "(allows a past effective date, and a publication after it)",
    )
    release.add_argument(
        "--locales",
        metavar="CODES",
        help="the locales the version is published in, comma-separated: every published one, and the drafts it "
        "publishes from now on (default: every locale but the drafts)",
    )
    release.add_argument(
        "--approved-by",
        action="append",
        default=[],
        metavar="NAME",
        help="who approved this version, once per approver: recorded in the changelog entry, shown on the "
        "changelog and in the JSON (notice.yaml's `approvals` may require some)",
    )
    add_path_option(release)
    release.set_defaults(run=cmd_release)

    locale = commands.add_parser(
        "locale",
        help="add a locale: a draft translation, previewed and published once a release includes it",
    )
    locale_commands = locale.add_subparsers(dest="locale_command", required=True, metavar="ACTION")
    add = locale_commands.add_parser(
        "add",
        help="declare a new locale as a draft and write its files, every section untranslated",
        description="Declare CODE in notice/notice.yaml as a draft and create locales/CODE/ with every section "
        "(the source text, untranslated) and every site string; texts per locale in notice/data get it too. "
        "`mkdocs serve` shows it; a build publishes it once `notice release … --locales …,CODE` includes it.",
    )
    add.add_argument("code", help="the locale's code, a BCP 47 tag such as fr, de or pt-BR")
    add.add_argument("--name", help="the language's name in itself (default: CLDR's, e.g. Français)")
    add.add_argument("--lang", help="the BCP 47 tag for <html lang> when it differs from CODE, e.g. zh-Hans")
    add.add_argument("--dir", choices=["ltr", "rtl"], help="the writing direction (default: CLDR's)")
    add_path_option(add)
    add.set_defaults(run=cmd_locale_add)

    status = commands.add_parser("status", help="list which translated sections are behind their source text")
    status.add_argument("--json", action="store_true", help="print the states as JSON, per locale and section")
    add_project_folder(status)
    status.set_defaults(run=cmd_status)

    stamp = commands.add_parser(
        "stamp",
        help="record that translated sections match the current source text",
        description="Set source_hash on sections of a translation you have checked against the source text "
        "(and summary_source_hash on its summary).",
    )
    stamp.add_argument("locale", help="the translated locale, e.g. en")
    stamp.add_argument(
        "sections", nargs="*", help="section ids (default: every section of the locale, and its summary)"
    )
    stamp.add_argument("--summary", action="store_true", help="stamp the locale's summary (with the sections named)")
    add_path_option(stamp)
    stamp.set_defaults(run=cmd_stamp)

    add_schemas_command(commands)
    add_fmt_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        source_date_epoch()  # every command: a malformed build date is one message, before anything runs
        return int(args.run(args))
    except InputError as refusal:
        print(f"notice {args.command}: {refusal}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `notice check --json | head`: the reader has what it wanted
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stdout at exit
        return 1


if __name__ == "__main__":
    sys.exit(main())

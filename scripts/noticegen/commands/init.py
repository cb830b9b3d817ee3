"""`notice init DIR`: a new notice project for another company, which `make site` and `make test` build at once.

The project is the starter folder beside this module, with a few values filled in. It installs noticegen the
way the running one was installed (PEP 610's direct_url.json): from the same wheel, copied into the project,
from the same source folder, or from the package index at this version.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import sys
from dataclasses import dataclass, replace
from importlib import metadata, resources
from pathlib import Path
from urllib.parse import unquote, urlparse

import noticegen
from noticegen.commands.fmt import canonical_source, is_working_file
from noticegen.commands.yaml_layout import LayoutError
from noticegen.core.diagnostics import shown
from noticegen.core.writer import write_atomically
from noticegen.source.editor_schemas import SCHEMAS_DIR, rendered

STARTER = "starter"
LOCALE_PLACEHOLDER = "LOCALE"
# Packaged without their leading dot (setuptools leaves dotfiles out of a wheel); renamed on the way out.
DOTTED = {
    "gitignore": ".gitignore",
    "github": ".github",
    "generated/gitignore": "generated/.gitignore",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
}
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2}|-[0-9]{3})?$")
EMAIL = re.compile(r"^[^@\s<>\"'`{}]+@[^@\s<>\"'`{}]+\.[A-Za-z]{2,}$")
# What a site URL may hold as it is (RFC 3986: unreserved, sub-delims, ":@/" and %-escapes); no query, no fragment.
URL_CHARACTER = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/%]")
LOCAL_FOLDER = "a folder on this machine, which the project's GitHub workflow cannot install"
PERCENT_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


class InitError(Exception):
    """A reason not to create the project; nothing was written."""


@dataclass(frozen=True)
class Settings:
    controller: str
    locale: str
    locale_name: str
    site_url: str
    email: str


def validate(settings: Settings) -> Settings:
    """The settings as the project will use them (the site URL ending in /), or InitError."""
    plain = re.compile(r"^[^\x00-\x1f\x7f<>{}`\\]+$")
    if not plain.match(settings.controller) or settings.controller != settings.controller.strip():
        raise InitError(f"--controller '{shown(settings.controller)}' must be a plain, single-line name")
    if not LANGUAGE_TAG.match(settings.locale):
        raise InitError(f"--locale '{shown(settings.locale)}' is not a language tag such as en, de or pt-BR")
    if not plain.match(settings.locale_name):
        raise InitError(f"--locale-name '{shown(settings.locale_name)}' must be a plain, single-line name")
    site_url = checked_site_url(settings.site_url)
    if not EMAIL.match(settings.email):
        raise InitError(f"--email '{shown(settings.email)}' is not an e-mail address")
    return replace(settings, site_url=site_url)


def checked_site_url(site_url: str) -> str:
    """The site's address as pages and hreflang links are built from it: absolute, a folder (ending in /),
    every character one a URL holds as it is."""
    quoted = f"--site-url '{shown(site_url)}'"
    try:
        url = urlparse(site_url)
    except ValueError:  # such as an unclosed [ in the host
        url = urlparse("")
    if url.scheme not in ("https", "http") or not url.netloc or not re.match(r"^https?://", site_url):
        raise InitError(f"{quoted} must be an absolute http(s) address")
    if "?" in site_url or "#" in site_url:
        raise InitError(f"{quoted} must not have a query (?…) or a fragment (#…): give the site's folder")
    if any(character.isspace() for character in site_url):
        raise InitError(f"{quoted} must not contain whitespace (write a space as %20)")
    unusable = next((character for character in site_url if not URL_CHARACTER.match(character)), None)
    if unusable is not None:
        raise InitError(
            f"{quoted} contains '{shown(unusable)}', which an address cannot hold as it is (escape it as %XX)"
        )
    if PERCENT_ESCAPE.search(site_url):
        raise InitError(f"{quoted} has a '%' that is not followed by two hexadecimal digits")
    return site_url if site_url.endswith("/") else site_url + "/"


def noticegen_requirement(project: Path) -> tuple[str, Path | None]:
    """The requirement line that installs this very noticegen, and a wheel to copy into the project, if any.
    A source folder (an editable install) is named as a file: URL, which only this machine can install."""
    try:
        direct = metadata.distribution("noticegen").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        direct = None
    if direct:
        origin = json.loads(direct)
        path = Path(unquote(urlparse(origin.get("url", "")).path))
        if origin.get("url", "").startswith("file:") and path.exists():
            if path.is_file() and path.suffix == ".whl":
                return f"./wheels/{path.name}", path
            if path.is_dir():
                return f"noticegen @ {path.resolve().as_uri()}", None
    return f"noticegen=={noticegen.__version__}", None


def starter_files() -> dict[str, bytes]:
    """Every file of the starter project by its path in the new project (locale folder still a placeholder)."""
    files: dict[str, bytes] = {}
    root = resources.files(__package__).joinpath(STARTER)

    def walk(folder, prefix: str) -> None:
        for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
            if item.name == "__pycache__":
                continue
            relative = f"{prefix}{item.name}"
            if item.is_dir():
                walk(item, relative + "/")
            else:
                files[relative] = item.read_bytes()

    walk(root, "")
    return files


def rename(relative: str, locale: str) -> str:
    for packaged, real in DOTTED.items():
        if relative == packaged or relative.startswith(packaged + "/"):
            relative = real + relative[len(packaged) :]
    return relative.replace(f"locales/{LOCALE_PLACEHOLDER}/", f"locales/{locale}/")


def fill(text: str, settings: Settings) -> str:
    values = {
        "CONTROLLER": json.dumps(settings.controller, ensure_ascii=False),  # a YAML-safe quoted scalar
        "LOCALE": settings.locale,
        "LOCALE_NAME": json.dumps(settings.locale_name, ensure_ascii=False),
        "SITE_URL": settings.site_url,
        "EMAIL": settings.email,
    }
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    return text


def init_project(target: Path, settings: Settings, requirement: str | None = None) -> list[str]:
    """Create the project in `target` (which must not exist or be empty); returns the files written."""
    settings = validate(settings)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InitError(f"{target} already exists and is not empty: choose a new folder")
    line, wheel = (requirement, None) if requirement else noticegen_requirement(target)
    files = {rename(path, settings.locale): content for path, content in starter_files().items()}
    for path, content in list(files.items()):
        if not path.startswith("requirements/") and not path.startswith(".github/"):
            files[path] = fill(content.decode("utf-8"), settings).encode("utf-8")
        if is_working_file(path):  # the names filled in, laid out as `notice fmt` would
            with contextlib.suppress(LayoutError):  # `notice check` then says what is wrong with it
                files[path] = canonical_source(path, files[path].decode("utf-8")).encode("utf-8")
    local = line.startswith("noticegen @ file:")
    # The editors' schemas, as this noticegen makes them: the source files name them on their first line.
    files.update({f"{SCHEMAS_DIR}/{name}": text.encode("utf-8") for name, text in rendered().items()})
    files["requirements/noticegen.txt"] = (
        "# noticegen itself, as `notice init` found it installed (see Makefile): a wheel, a source folder,\n"
        "# or a release from the package index.\n"
        + (f"# {LOCAL_FOLDER}: replace this line with a release or a git URL.\n" if local else "")
        + f"{line}\n"
    ).encode()
    # Written into a temporary sibling and moved into place whole: a failure leaves nothing behind.
    staging = target.with_name(f".{target.name}.init-tmp")
    if staging.exists():
        raise InitError(f"{staging} is in the way (left by an interrupted `notice init`?): remove it and try again")
    try:
        for path, content in files.items():
            write_atomically(staging / path, content.decode("utf-8"))
        if wheel is not None:
            (staging / "wheels").mkdir()
            shutil.copy2(wheel, staging / "wheels" / wheel.name)
        if target.exists():
            target.rmdir()  # empty, checked above
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if local:
        release = f"noticegen=={noticegen.__version__}"
        print(
            f"notice init: warning: {target / 'requirements' / 'noticegen.txt'} installs noticegen from "
            f"{line.removeprefix('noticegen @ ')}, {LOCAL_FOLDER}: put a release ({release}) or a git URL "
            "there, or make the project with --noticegen REQUIREMENT",
            file=sys.stderr,
        )
    return sorted(files) + ([f"wheels/{wheel.name}"] if wheel is not None else [])

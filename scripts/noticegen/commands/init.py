"""`notice init DIR`: a new notice project for another company, which `make site` and `make test` build at once.

The project is the starter folder beside this module, with a few values filled in. It installs noticegen the
way the running one was installed (PEP 610's direct_url.json): from the same wheel, copied into the project,
from the same source folder, or from the package index at this version.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from urllib.parse import unquote, urlparse

import noticegen
from noticegen.core.diagnostics import shown
from noticegen.core.writer import write_atomically

STARTER = "starter"
LOCALE_PLACEHOLDER = "LOCALE"
# Packaged without their leading dot (setuptools leaves dotfiles out of a wheel); renamed on the way out.
DOTTED = {"gitignore": ".gitignore", "github": ".github", "generated/gitignore": "generated/.gitignore"}
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2}|-[0-9]{3})?$")
EMAIL = re.compile(r"^[^@\s<>\"'`{}]+@[^@\s<>\"'`{}]+\.[A-Za-z]{2,}$")


class InitError(Exception):
    """A reason not to create the project; nothing was written."""


@dataclass(frozen=True)
class Settings:
    controller: str
    locale: str
    locale_name: str
    site_url: str
    email: str


def validate(settings: Settings) -> None:
    plain = re.compile(r"^[^\x00-\x1f\x7f<>{}`\\]+$")
    if not plain.match(settings.controller) or settings.controller != settings.controller.strip():
        raise InitError(f"--controller '{shown(settings.controller)}' must be a plain, single-line name")
    if not LANGUAGE_TAG.match(settings.locale):
        raise InitError(f"--locale '{shown(settings.locale)}' is not a language tag such as en, de or pt-BR")
    if not plain.match(settings.locale_name):
        raise InitError(f"--locale-name '{shown(settings.locale_name)}' must be a plain, single-line name")
    url = urlparse(settings.site_url)
    if url.scheme not in ("https", "http") or not url.netloc or not plain.match(settings.site_url):
        raise InitError(f"--site-url '{shown(settings.site_url)}' must be an absolute http(s) address")
    if not EMAIL.match(settings.email):
        raise InitError(f"--email '{shown(settings.email)}' is not an e-mail address")


def noticegen_requirement(project: Path) -> tuple[str, Path | None]:
    """The requirement line that installs this very noticegen, and a wheel to copy into the project, if any."""
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
    validate(settings)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InitError(f"{target} already exists and is not empty: choose a new folder")
    line, wheel = (requirement, None) if requirement else noticegen_requirement(target)
    files = {rename(path, settings.locale): content for path, content in starter_files().items()}
    for path, content in list(files.items()):
        if not path.startswith("requirements/") and not path.startswith(".github/"):
            files[path] = fill(content.decode("utf-8"), settings).encode("utf-8")
    files["requirements/noticegen.txt"] = (
        "# noticegen itself, as `notice init` found it installed (see Makefile): a wheel, a source folder,\n"
        f"# or a release from the package index.\n{line}\n"
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
    return sorted(files) + ([f"wheels/{wheel.name}"] if wheel is not None else [])

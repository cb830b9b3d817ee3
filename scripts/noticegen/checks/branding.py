"""The publisher's logo and favicon (notice/data/branding.yaml): files of the project, of an allowed image type,
and, for an SVG, a picture only.

An SVG is a document: served from the site's own address it may run a script there, or make the reader's browser
ask another host for something (a stylesheet, an image, a font). The site promises neither, so an SVG with a
script, an event handler, an embedded document or a reference to anything outside itself is refused, as is
any DOCTYPE (where entities are declared: the way to hide the rest, or to make a parser expand without end).
"""

from __future__ import annotations

import re
import xml.parsers.expat
from pathlib import Path

from noticegen.core.diagnostics import Location, Report, shown
from noticegen.source.branding import ALLOWED_TYPES
from noticegen.source.load import Loaded
from noticegen.source.yamlsource import YMap, file_problem

SIGNATURES = {".png": (b"\x89PNG\r\n\x1a\n",), ".ico": (b"\x00\x00\x01\x00",)}
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# Elements that run code or embed another document.
ACTIVE_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "audio", "video"}
# Attributes that name another resource; only a reference inside the file itself (`#id`) is allowed.
REFERENCE_ATTRIBUTES = {"href", "src", "xlink:href"}
# CSS, in a style= attribute, a <style> element or a presentation attribute, may call only these functions, and
# url() only with a reference inside the file itself (`#id`): any other function (image-set("…"), image(),
# cross-fade()) may load something. No at-rule (@import, @font-face) and no escape (`\75 rl(` is url() to a
# browser) is allowed, so that what this reads is what a browser reads.
CSS_FUNCTIONS = {
    "rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color", "calc", "min", "max", "clamp",
    "var", "translate", "translatex", "translatey", "rotate", "scale", "scalex", "scaley", "skewx", "skewy",
    "matrix", "local-url",
}  # fmt: skip
CSS_FUNCTION = re.compile(r"([A-Za-z_-][\w-]*)\s*\(\s*(['\"]?)\s*(.?)")
# Elements that set an attribute while the picture plays (SMIL): one that sets a reference makes a link that no
# attribute of the file shows.
ANIMATION_ELEMENTS = {"set", "animate", "animatecolor", "animatemotion", "animatetransform"}
SVG_HINT = "save the picture as a plain SVG, paths and shapes only, or as PNG"


class _RefusedError(Exception):
    """Raised by a handler to stop reading an SVG that is refused already."""


def check_branding(root: Path, loaded: Loaded | None, report: Report) -> None:
    """Each image branding.yaml names: in the project, a regular file, of an allowed type, and safe to serve."""
    if loaded is None or not isinstance(loaded.data, YMap):
        return
    for kind, types in ALLOWED_TYPES.items():
        path = loaded.data.get(kind)
        if not isinstance(path, str):
            continue
        at = loaded.file.at(loaded.data.value_pos[kind])
        file = root / path
        problem = file_problem(file, root)
        if problem is None and not file.resolve().is_relative_to(root.resolve()):
            problem = "leads out of the project through a symbolic link: it is not read"
        if problem is not None:
            report.error(at, f"the {kind} '{shown(path)}' {problem}", "give the path of an image file in the project")
            continue
        suffix = file.suffix.lower()
        if suffix not in types:
            report.error(
                at,
                f"the {kind} '{shown(path)}' is not an image of an allowed type",
                f"a {kind} is {_either([s.lstrip('.').upper() for s in types])}: convert it",
            )
            continue
        data = file.read_bytes()
        if suffix == ".svg":
            check_svg(path, data, report)
        elif not data.startswith(SIGNATURES[suffix]):
            report.error(
                at,
                f"the {kind} '{shown(path)}' is not a {suffix.lstrip('.').upper()} file, whatever its name says",
                f"save the image as {suffix.lstrip('.').upper()}, or give it the suffix of its type",
            )


def check_svg(path: str, data: bytes, report: Report) -> None:
    """An SVG that is a picture and nothing else: every problem reported at its line and column in the file."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    found: list[tuple[int, int, str]] = []
    root_seen: list[str] = []
    in_style: list[bool] = []
    stylesheet: list[str] = []  # the text of the <style> element being read, in the pieces the parser gives
    stylesheet_at: list[tuple[int, int]] = []

    def here(message: str) -> None:
        found.append((parser.CurrentLineNumber, parser.CurrentColumnNumber + 1, message))

    def local(name: str) -> tuple[str, str]:
        namespace, _, tag = name.rpartition(" ")
        return namespace, tag

    def start(name: str, attributes: dict[str, str]) -> None:
        namespace, tag = local(name)
        if not root_seen:
            root_seen.append(tag)
            if (namespace, tag) != (SVG_NAMESPACE, "svg"):
                here(f"the root element is <{shown(tag)}>, not an SVG <svg> in the SVG namespace")
        if tag.lower() in ACTIVE_ELEMENTS:
            here(f"<{shown(tag)}> runs code or embeds another document")
        animated = attributes.get("attributeName", "").strip().lower()
        if tag.lower() in ANIMATION_ELEMENTS and animated.rpartition(":")[2] in {"href", "src", "style"}:
            here(f"<{shown(tag)}> sets {shown(animated)}= as the picture plays (a link or a load no attribute shows)")
        in_style.append(tag == "style")
        for attribute, value in attributes.items():
            attr_namespace, attr_name = local(attribute)
            qualified = "xlink:" + attr_name if attr_namespace.endswith("/xlink") else attr_name
            if attr_name.lower().startswith("on"):
                here(f"the event handler {shown(attr_name)}= runs code")
            elif qualified.lower() in REFERENCE_ATTRIBUTES and not value.strip().startswith("#"):
                here(f"{shown(qualified)}='{shown(value, 40)}' refers to something outside the file")
            else:
                problem = css_problem(value, stylesheet=attr_name == "style")
                if problem is not None:
                    here(f"{shown(attr_name)}= {problem}")

    def end(name: str) -> None:
        if in_style.pop() and stylesheet:  # the whole stylesheet: a browser reads its pieces as one text
            problem = css_problem("".join(stylesheet), stylesheet=True)
            if problem is not None:
                found.append((*stylesheet_at[0], f"a stylesheet {problem}"))
        stylesheet.clear()
        stylesheet_at.clear()

    def text(data: str) -> None:
        if in_style and in_style[-1]:
            if not stylesheet_at:
                stylesheet_at.append((parser.CurrentLineNumber, parser.CurrentColumnNumber + 1))
            stylesheet.append(data)

    def doctype(*_: object) -> None:
        here("a DOCTYPE declaration, where entities are declared")
        raise _RefusedError  # read no further: whatever it declares is never expanded

    def instruction(target: str, _: str) -> None:
        here(f"the processing instruction <?{shown(target)}?> (a stylesheet, say)")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.ProcessingInstructionHandler = instruction
    try:
        parser.Parse(data, True)
    except _RefusedError:
        pass
    except xml.parsers.expat.ExpatError as broken:
        report.error(
            Location(path, broken.lineno, broken.offset + 1),
            f"the SVG is not well-formed XML: {xml.parsers.expat.errors.messages[broken.code]}",
            SVG_HINT,
        )
        return
    for line, column, message in found:
        report.error(Location(path, line, column), f"the SVG is refused: {message}", SVG_HINT)


def css_problem(text: str, *, stylesheet: bool) -> str | None:
    """What is wrong with CSS (or a presentation attribute's value) in a logo, or None: a function that may load
    something, an at-rule or, in a stylesheet, an escape."""
    if stylesheet and "\\" in text:
        return "has a CSS escape (\\), which may hide what it loads"
    if stylesheet and "@" in text:
        return "has an at-rule (@import, @font-face), which loads something from outside the file"
    for match in CSS_FUNCTION.finditer(text):
        name, first = match.group(1).lower(), match.group(3)
        if name == "url" and first == "#":
            continue
        if name == "url" or name not in CSS_FUNCTIONS:
            return f"calls {shown(name)}(), which may load something from outside the file"
    return None


def _either(names: list[str]) -> str:
    """ "SVG or PNG", "SVG, PNG or ICO"."""
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]

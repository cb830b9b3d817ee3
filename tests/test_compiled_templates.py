"""The theme's templates are compiled once per process (each locale's build and each `mkdocs serve` rebuild
makes a new Jinja environment), and a template is never rendered from code compiled for something else."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import jinja2
from jinja2.ext import loopcontrols

from noticegen.mkdocs_plugin.compiled_templates import CompiledTemplates

TEMPLATE = "{% for x in items %}{% if x == 2 %}{% continue %}{% endif %}{{ x }}{% endfor %}"


class CountingEnvironment(jinja2.Environment):
    compiled: ClassVar[list[str]] = []

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[override]
        CountingEnvironment.compiled.append(name or "")
        return super().compile(source, name, filename, raw, defer_init)


def environment(folder: Path, cache: CompiledTemplates, extensions: tuple = (loopcontrols,)) -> jinja2.Environment:
    """A new environment, as MkDocs makes one for every build."""
    return CountingEnvironment(
        loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=cache, extensions=list(extensions)
    )


def test_a_template_is_compiled_once_for_every_environment_set_up_alike(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(TEMPLATE, encoding="utf-8")
    cache, CountingEnvironment.compiled = CompiledTemplates(), []
    first = environment(tmp_path, cache).get_template("page.html").render(items=[1, 2, 3])
    again = environment(tmp_path, cache).get_template("page.html").render(items=[1, 2, 3])
    assert first == again == "13"
    assert CountingEnvironment.compiled == ["page.html"]


def test_a_changed_template_or_another_set_up_is_compiled_anew(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(TEMPLATE, encoding="utf-8")
    cache, CountingEnvironment.compiled = CompiledTemplates(), []
    environment(tmp_path, cache).get_template("page.html")
    (tmp_path / "page.html").write_text(TEMPLATE.replace("{{ x }}", "[{{ x }}]"), encoding="utf-8")
    assert environment(tmp_path, cache).get_template("page.html").render(items=[1, 2, 3]) == "[1][3]"
    plain = environment(tmp_path, cache, extensions=())  # without loopcontrols, {% continue %} is no tag
    try:
        plain.get_template("page.html")
    except jinja2.TemplateSyntaxError as refused:
        assert "continue" in str(refused)
    else:
        raise AssertionError("code compiled with loopcontrols was used by an environment without it")
    assert CountingEnvironment.compiled == ["page.html", "page.html", "page.html"]

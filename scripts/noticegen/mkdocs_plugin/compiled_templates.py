"""The theme's templates compiled once per process, not once per build.

MkDocs makes a new Jinja environment for every build, and mkdocs-static-i18n builds the site once per locale
(and `mkdocs serve` once per save): each build compiled Material's ~40 templates again, about a second each
time. Jinja's own bytecode cache, kept in memory, gives every later environment the code compiled for the
first. A compiled template is reused only for the same source (Jinja checks its checksum), the same file,
and an environment set up the same way (its extensions and syntax are part of the key), so what a page
renders is unchanged.
"""

from __future__ import annotations

import hashlib

import jinja2
from jinja2.bccache import Bucket


def environment_fingerprint(environment: jinja2.Environment) -> str:
    """What in an environment changes how a template compiles: its extensions and its syntax and options."""
    autoescape = environment.autoescape
    settings = (
        sorted(environment.extensions),
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.optimized,
        environment.is_async,
        getattr(autoescape, "__qualname__", autoescape) if callable(autoescape) else autoescape,
    )
    return repr(settings)


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates by environment settings, template name and file, in this process's memory."""

    def __init__(self) -> None:
        self.stored: dict[str, bytes] = {}

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None, source: str) -> Bucket:
        identity = f"{environment_fingerprint(environment)}\0{name}\0{filename or ''}"
        bucket = Bucket(environment, hashlib.sha256(identity.encode()).hexdigest(), self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.stored.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # ignored by Jinja when its source checksum differs

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.stored[bucket.key] = bucket.bytecode_to_string()


# One for the process: `mkdocs build` (every locale's build) and `mkdocs serve` (every rebuild) share it.
COMPILED_TEMPLATES = CompiledTemplates()

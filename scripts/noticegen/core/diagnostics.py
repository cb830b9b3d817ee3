"""Problems found in the source, collected and reported all at once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

# Characters a message never prints as they are: control characters, zero-width characters, direction marks
# and overrides. A message that echoes what the editor wrote names them instead, so what the terminal shows
# is what the file holds.
_UNSHOWABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def shown(value: object, limit: int = 60) -> str:
    """A value quoted in a message: invisible and control characters named (`<U+202E>`), long text cut."""
    text = value if isinstance(value, str) else str(value)
    cut = text[:limit] + ("…" if len(text) > limit else "")
    return _UNSHOWABLE.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", cut)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    # A problem the notice itself declares as a known gap: reported, never a failure.
    ACKNOWLEDGED = "acknowledged"


@dataclass(frozen=True, order=True)
class Location:
    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    location: Location
    severity: Severity
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity.value}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


@dataclass
class Report:
    """Every problem of one run, in the order they were found."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Errors about files that could not be read at all (a folder, a pipe, a link out of the project, no
    # permission): the input itself is unusable, so the commands exit 2 rather than 1.
    unreadable: list[Diagnostic] = field(default_factory=list)

    def add(self, severity: Severity, location: Location, message: str, hint: str = "") -> None:
        self.diagnostics.append(Diagnostic(location, severity, message, hint))

    def error(self, location: Location, message: str, hint: str = "") -> None:
        self.add(Severity.ERROR, location, message, hint)

    def cannot_read(self, location: Location, message: str, hint: str = "") -> None:
        self.error(location, message, hint)
        self.unreadable.append(self.diagnostics[-1])

    def warning(self, location: Location, message: str, hint: str = "") -> None:
        self.add(Severity.WARNING, location, message, hint)

    def acknowledged(self, location: Location, message: str, hint: str = "") -> None:
        self.add(Severity.ACKNOWLEDGED, location, message, hint)

    def of(self, severity: Severity) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is severity]

    @property
    def errors(self) -> list[Diagnostic]:
        return self.of(Severity.ERROR)

    @property
    def warnings(self) -> list[Diagnostic]:
        return self.of(Severity.WARNING)

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def sorted(self) -> list[Diagnostic]:
        """Problems in file order, then the acknowledged gaps; each reported once."""
        unique = dict.fromkeys(self.diagnostics)
        return sorted(unique, key=lambda d: (d.severity is Severity.ACKNOWLEDGED, d.location, d.message))

    def summary(self) -> str:
        def count(n: int, word: str) -> str:
            return f"{n} {word}" if n == 1 else f"{n} {word}s"

        return (
            f"{count(len(self.errors), 'error')}, {count(len(self.warnings), 'warning')}, "
            f"{len(self.of(Severity.ACKNOWLEDGED))} acknowledged known gaps"
        )


class InputError(ValueError):
    """Input that cannot be used at all (an environment variable, a special file): one message, exit 2."""

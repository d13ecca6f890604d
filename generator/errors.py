"""The one exception family of claimline, and the problems it reports.

Every stage collects :class:`Problem` records instead of raising at the first
mistake, so that an editor sees every problem in one run.  When a run cannot go
on, the library raises a :class:`ClaimlineError`; the CLI turns it into a
message and an exit code.  No other exception type is meant to leave the
library for an editor's mistake.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, pinned to a file position (1-based)."""

    path: str
    line: int
    col: int
    severity: str
    message: str
    hint: str = ""

    def format(self) -> str:
        text = f"{printable(self.path, True)}:{self.line}:{self.col}: {self.severity}: {printable(self.message)}"
        if self.hint:
            text += f"\n    hint: {printable(self.hint)}"
        return text


_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNPRINTABLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match) -> str:
    return f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 0x100 else f"\\u{ord(m.group(0)):04x}"


def printable(text: str, one_line: bool = False) -> str:
    """Editor text quoted in a message, with control characters shown as escapes: a YAML "\\e[2J" must not
    clear the terminal or a CI log.  ``one_line`` escapes line breaks and tabs too, for a file name."""
    return (_UNPRINTABLE_LINE if one_line else _UNPRINTABLE).sub(_escape, text)


@dataclass
class Problems:
    """A collector of problems, shared by every stage of one run."""

    items: list[Problem] = field(default_factory=list)
    root: Path | None = None

    def _rel(self, path: str | Path) -> str:
        p = Path(path)
        if self.root is not None:
            try:
                # resolve the folder, not the file: a symbolic link is reported under its own name
                return (p.parent.resolve() / p.name).relative_to(self.root.resolve()).as_posix()
            except ValueError:
                pass
        return p.as_posix()

    def add(self, path, line: int, col: int, message: str, hint: str = "", severity: str = ERROR) -> None:
        self.items.append(Problem(self._rel(path), max(1, line), max(1, col), severity, message, hint))

    def error(self, path, pos, message: str, hint: str = "") -> None:
        line, col = pos
        self.add(path, line, col, message, hint, ERROR)

    def warning(self, path, pos, message: str, hint: str = "") -> None:
        line, col = pos
        self.add(path, line, col, message, hint, WARNING)

    def extend(self, other: Iterable[Problem]) -> None:
        self.items.extend(other)

    def about(self, path) -> list[Problem]:
        """The problems reported on the file at ``path``."""
        rel = self._rel(path)
        return [p for p in self.items if p.path == rel]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == WARNING]

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items), key=lambda p: (p.path, p.line, p.col, p.severity, p.message))

    def text(self) -> str:
        """Every problem, sorted, one ``path:line:col`` block each: the message of an error that stops a run."""
        return "\n".join(p.format() for p in self.sorted())

    def fails(self, strict: bool) -> bool:
        return bool(self.errors or (strict and self.warnings))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest known spelling, or an empty string."""
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return f"did you mean '{lowered[word.lower()]}'?"
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f"did you mean '{lowered[match[0]]}'?" if match else ""


class ClaimlineError(Exception):
    """Base of every error claimline raises on purpose. ``exit_code`` goes to the shell."""

    exit_code = 2

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


class ConfigError(ClaimlineError):
    """mkdocs.yml or the claimline settings in it cannot be used."""


class ValidationFailed(ClaimlineError):
    """The inputs have errors (or warnings under --strict); nothing was written."""

    exit_code = 1

    def __init__(self, problems: list[Problem], strict: bool = False):
        errors = sum(1 for p in problems if p.severity == ERROR)
        warnings = len(problems) - errors
        what = f"{errors} error{'s' if errors != 1 else ''}"
        if warnings:
            what += f" and {warnings} warning{'s' if warnings != 1 else ''}"
        note = " (--strict turns warnings into errors)" if strict and warnings and not errors else ""
        super().__init__(f"{what}; nothing was written{note}")
        self.problems = problems


class EngineError(ClaimlineError):
    """The site engine (MkDocs) failed to build or serve the generated pages."""


class UnsafePathError(ClaimlineError):
    """A write or delete would have left the output folder."""

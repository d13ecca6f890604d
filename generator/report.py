"""Problems, and a run's summary, as an editor, GitHub Actions or another tool wants to read them.

* ``text``: ``path:line:col: error|warning: message`` and an indented ``hint:`` line;
* ``github``: workflow commands (``::error file=…,line=…,col=…,title=…::message``) that GitHub shows as
  annotations on the pull request's changed lines;
* ``json``: one JSON document with every problem and a summary, for other tools.
"""

from __future__ import annotations

import json

from .errors import ERROR, Problem, printable

FORMATS = ("text", "github", "json")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(problem: Problem) -> str:
    message = printable(problem.message) + (f"\nhint: {printable(problem.hint)}" if problem.hint else "")
    path = _escape_property(printable(problem.path, True))
    return (f"::{problem.severity} file={path},line={problem.line},col={problem.col},"
            f"title={_escape_property('claimline ' + problem.severity)}::{_escape_data(message)}")


def problem_dict(problem: Problem) -> dict:
    return {"path": problem.path, "line": problem.line, "col": problem.col, "severity": problem.severity,
            "message": problem.message, "hint": problem.hint or None}


def problem_lines(problems: list[Problem], fmt: str) -> list[str]:
    """Lines for the text and github formats (json is written whole by :func:`json_report`)."""
    if fmt == "github":
        return [github(p) for p in problems]
    return [p.format() for p in problems]


def json_report(problems: list[Problem], ok: bool, message: str = "", **summary) -> str:
    errors = sum(1 for p in problems if p.severity == ERROR)
    return json.dumps({"ok": ok, "errors": errors, "warnings": len(problems) - errors, "message": message or None,
                       "problems": [problem_dict(p) for p in problems], **summary},
                      ensure_ascii=False, indent=2, sort_keys=False)


_PLURALS = {"entry": "entries"}


def counted(n: int, word: str) -> str:
    """``1 claim``, ``2 claims``, ``0 entries``, ``12,836 claims``: a count and its noun, in the plural unless
    the count is one.  (The templates' ``counted`` filter too.)"""
    return f"{n:,} {word if n == 1 else _PLURALS.get(word, word + 's')}"


def written_summary(result) -> tuple[str, dict]:
    """The one line a generating command ends with, and its figures for ``--format json``."""
    report = result.report
    pages = sum(1 for name in report.files if name.endswith(".md"))
    counts = f"{counted(pages, 'page')} and {counted(len(report.files) - pages, 'data file')}"
    if report.up_to_date:
        message = f"{result.settings.docs_dir.name}/ is up to date ({counts}): nothing changed since the last run."
    else:
        message = (f"Generated {counts} in {result.settings.docs_dir.name}/: "
                   f"{len(report.written)} written, {report.unchanged} unchanged, {len(report.deleted)} removed.")
    return message, {"pages": len(report.files), "written": report.written, "unchanged": report.unchanged,
                     "removed": report.deleted}

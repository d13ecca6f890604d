"""Problems as an editor, GitHub Actions or another tool wants to read them.

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
    return (f"::{problem.severity} file={_escape_property(problem.path)},line={problem.line},col={problem.col},"
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

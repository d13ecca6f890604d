"""Reading ClaimReview JSON-LD: the records of a file, each with its line number.

Input forms (told apart by the file's first character and whether it is one JSON document):

* one ClaimReview object, or a JSON list of them;
* a schema.org DataFeed: ``{"@type": "DataFeed", "dataFeedElement": [...]}`` whose elements are
  ClaimReviews or items with an ``item`` (one or a list of ClaimReviews); ``@graph`` lists too;
* JSON Lines: one object (or list) per line;
* one ``<script type="application/ld+json">…</script>`` per line, as in the Data Commons dump.

Every record keeps its line number: for JSON documents, the line where the record's ``{`` is.

Only standard JSON is read (:func:`decode`): ``NaN`` and ``Infinity``, numbers too large for Python
(an integer of more than 4,300 digits, a float that overflows) and nesting too deep for the decoder are
errors with a position, like any other mistake in the JSON, never a crash.
"""

from __future__ import annotations

import json
import math
import re
import sys
from bisect import bisect_left
from pathlib import Path
from typing import Any, Iterator

from ..errors import ClaimlineError
from .common import read_input

CONTAINERS = ("dataFeedElement", "item", "@graph")
_SCRIPT = re.compile(r"^\s*<script\b[^>]*\btype\s*=\s*[\"']application/ld\+json[\"'][^>]*>(.*)</script>\s*$",
                     re.I | re.S)
_WS = re.compile(r"[ \t\n\r]*")
# What the decoder reads, for finding a failure it gives no position for: strings (skipped), brackets, numbers.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|NaN|-?(?:Infinity|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)')


class _NotStandard(ValueError):
    """A value standard JSON does not have: ``NaN``, ``Infinity``, a number too large for a float."""


def _constant(name: str) -> Any:
    raise _NotStandard(name)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotStandard(text)
    return value


_DECODER = json.JSONDecoder(parse_constant=_constant, parse_float=_float)


def decode(text: str, pos: int = 0) -> tuple[Any, int]:
    """The JSON value starting at ``text[pos]`` and where it ends, as :meth:`json.JSONDecoder.raw_decode`
    gives them; every failure is a :class:`json.JSONDecodeError` with a position."""
    try:
        return _DECODER.raw_decode(text, pos)
    except json.JSONDecodeError:
        raise
    except (RecursionError, ValueError) as exc:  # too deep, NaN/Infinity, or a number Python will not convert
        message, at = _culprit(text, pos, isinstance(exc, RecursionError))
        raise json.JSONDecodeError(message, text, at) from None


def loads(text: str) -> Any:
    """:func:`json.loads` through :func:`decode`."""
    value, end = decode(text, _WS.match(text).end())
    end = _WS.match(text, end).end()
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


def _culprit(text: str, pos: int, deep: bool) -> tuple[str, int]:
    """Why the decoder gave up at no position, and where: the innermost bracket of the deepest nesting
    (``deep``: the decoder ran out of stack, somewhere near 1,000 levels), else the first value standard JSON
    or Python cannot take."""
    depth, digits, deepest, innermost = 0, sys.get_int_max_str_digits(), 0, pos
    for match in _TOKEN.finditer(text, pos):
        token, at = match.group(), match.start()
        if token in ("[", "{"):
            depth += 1
            if depth > deepest:  # the first bracket at the greatest depth
                deepest, innermost = depth, at
        elif token in ("]", "}"):
            depth -= 1
        elif deep or token[0] == '"':
            continue
        elif token.lstrip("-") in ("NaN", "Infinity"):
            return f"{token} is not standard JSON (write null, or the value as text)", at
        elif not any(c in token for c in ".eE"):
            if digits and len(token.lstrip("-")) > digits:
                return f"a number of {len(token.lstrip('-')):,} digits (at most {digits:,} can be read)", at
        elif not math.isfinite(float(token)):
            return f"the number {token if len(token) <= 20 else token[:16] + '…'} is too large", at
    if deep:
        return f"brackets nested {deepest:,} levels deep, too deep to read", innermost
    return "a value that cannot be read", pos


def read_claimreviews(path: Path) -> Iterator[tuple[int, Any, str | None]]:
    """``(line, record, None)`` for each record of the file, or ``(line, None, why)`` for an unreadable one."""
    text = read_input(path)
    start = _WS.match(text).end()
    if start == len(text):
        return
    if text[start] == "<":
        yield from _script_lines(text)
        return
    try:
        value, end = decode(text, start)
    except json.JSONDecodeError as exc:
        first = text[start:].split("\n", 1)[0]
        if text[start] == "{" and _parses(first):  # a JSON Lines file whose later line is broken
            yield from _json_lines(text)
            return
        raise ClaimlineError(f"{path.name}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    if _WS.match(text, end).end() == len(text):
        breaks = [m.start() for m in re.finditer("\n", text)]
        yield from ((_line_at(breaks, pos), item, None) for pos, item in _walk(value, text, start))
    else:
        yield from _json_lines(text)


def _parses(line: str) -> bool:
    try:
        loads(line)
        return True
    except ValueError:
        return False


def _line_at(breaks: list[int], pos: int) -> int:
    return bisect_left(breaks, pos) + 1


def _unreadable(exc: json.JSONDecodeError, offset: int = 0) -> str:
    """Why a line's JSON was skipped, with the column (``offset``: where the JSON starts in the line)."""
    return f"not valid JSON at column {offset + exc.pos + 1}: {exc.msg}"


def _json_lines(text: str) -> Iterator[tuple[int, Any, str | None]]:
    for n, line in enumerate(text.split("\n"), 1):
        if line.strip():
            try:
                value = loads(line)
            except json.JSONDecodeError as exc:
                yield n, None, _unreadable(exc)
                continue
            yield from ((n, item, None) for _, item in _walk(value))


def _script_lines(text: str) -> Iterator[tuple[int, Any, str | None]]:
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        match = _SCRIPT.match(line)
        if not match:
            yield n, None, "not a <script type=\"application/ld+json\"> line"
            continue
        try:
            value = loads(match.group(1))
        except json.JSONDecodeError as exc:
            yield n, None, _unreadable(exc, match.start(1))
            continue
        yield from ((n, item, None) for _, item in _walk(value))


def is_claimreview(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    kinds = value.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if any(isinstance(k, str) and k.rsplit("/", 1)[-1].rsplit(":", 1)[-1] == "ClaimReview" for k in kinds):
        return True
    return value.get("@type") is None and "claimReviewed" in value


def _walk(value: Any, text: str | None = None, pos: int = 0) -> Iterator[tuple[int, Any]]:
    """``(offset, record)`` for each candidate record in ``value``, descending through lists and feeds.

    With ``text`` (the document ``value`` was decoded from, ``value`` starting at ``pos``) the offsets
    are exact; without it every offset is ``pos``.
    """
    if isinstance(value, list):
        spots = _elements(text, pos) if text is not None else ((pos, v) for v in value)
        for at, item in spots:
            yield from _walk(item, text, at)
    elif isinstance(value, dict) and not is_claimreview(value) \
            and any(isinstance(value.get(k), (list, dict)) for k in CONTAINERS):
        spots = _members(text, pos) if text is not None else ((k, pos, v) for k, v in value.items())
        for key, at, item in spots:
            if key in CONTAINERS and isinstance(item, (list, dict)):
                yield from _walk(item, text, at)
    else:
        yield pos, value


def _elements(text: str, pos: int) -> Iterator[tuple[int, Any]]:
    """Offsets and values of the elements of the JSON array starting at ``text[pos]``."""
    i = _WS.match(text, pos + 1).end()
    while text[i] != "]":
        value, end = decode(text, i)
        yield i, value
        i = _WS.match(text, end).end()
        if text[i] == ",":
            i = _WS.match(text, i + 1).end()


def _members(text: str, pos: int) -> Iterator[tuple[str, int, Any]]:
    """Keys, value offsets and values of the members of the JSON object starting at ``text[pos]``."""
    i = _WS.match(text, pos + 1).end()
    while text[i] != "}":
        key, end = decode(text, i)
        i = _WS.match(text, _WS.match(text, end).end() + 1).end()  # past the ':'
        value, end = decode(text, i)
        yield key, i, value
        i = _WS.match(text, end).end()
        if text[i] == ",":
            i = _WS.match(text, i + 1).end()

"""The read stage's fast path: the values of a plain YAML document, parsed by rapidyaml.

PyYAML's C loader composes a 4 KB claim into nodes in about 100 µs, and turning the nodes into values with
their positions adds about half as much again.  rapidyaml (C++) parses the same file and writes it out as
JSON, and the ``json`` module (C) reads that back, in about 45 µs (75 µs with the checks below).  Positions
are only needed to report a problem, so a document read here gets them later, from PyYAML, if something asks
(:class:`generator.read.Doc`).

The two parsers do not read every YAML text alike: rapidyaml follows YAML 1.2 and is lenient where PyYAML
(YAML 1.1) is strict.  So :func:`values` only answers for documents inside a subset where they agree, and
returns :data:`MISS` for anything else; the caller then composes the text with PyYAML exactly as it does
without this module, which is also what reports every syntax error.  What it leaves to PyYAML, and why:

* in the text: tabs, control characters, byte-order marks and the line breaks only YAML 1.1 knows (NEL,
  U+2028, U+2029); a directive; an anchor, a tag or a complex key where a node can start; a block scalar's
  header followed by more than a header may hold; a flow mapping, or a flow sequence other than a one-line
  list of plain words; deep nesting;
* in the tree: a second document, very large files;
* in the values: aliases (rapidyaml keeps ``*name`` as text), reserved and flow indicators that start a
  scalar (PyYAML's syntax errors), the null spellings rapidyaml keeps as text (``~``, ``Null``, ``NULL``),
  plain numbers and booleans, which JSON would type (rapidyaml even rewrites ``.5`` as ``0.5``), and a key
  that is empty, appears twice or is a merge key (``<<``), which PyYAML's path reports;
* in the JSON: a key or value written ``.inf``, ``-.inf`` or ``.nan``, which is how rapidyaml writes out
  ``inf``, ``infinity``, ``nan``, ``.Inf``, ``.NAN`` and their like, quoted keys included, that PyYAML keeps
  as typed (the few files with a real ``.inf`` go to PyYAML too);
* text that neither rapidyaml nor ``json`` accepts, syntax errors included.

Every check errs towards PyYAML: a false alarm costs one file the slower path, never a different value.
``tests/test_yamlfast.py`` compares both paths on every corpus at hand and on thousands of mutated files
(they found the block header, flow, nameless anchor, directive and empty-key cases, and the indicators
that start a key).
"""

from __future__ import annotations

import json
import os
import re
import threading
from typing import Any

try:
    import ryml
except ImportError:  # pragma: no cover - rapidyaml is a dependency; without it every file takes PyYAML's path
    ryml = None

MISS = object()  # "ask PyYAML": the document is outside the subset both parsers read alike
MAX_NODES = 40_000  # well under read.MAX_VALUES, which PyYAML's path reports past
# Nesting: PyYAML's path reports past about 300 levels, json's decoder past about 1,000.  Each level takes a
# flow bracket, or a column of a line's indentation (or a sequence dash): a document with at most 38 brackets
# and no line starting with 60 such columns nests less than 100 deep, and any other is left to PyYAML.
_MAX_BRACKETS = 38

_PLAIN_ASCII = b"\n" + bytes(range(0x20, 0x7F))  # what an ASCII text may hold: no tab, no control character
# An anchor, a tag or a complex key where a node can start: after white space or a flow indicator, or first
_INDICATORS = "&!?"
_NODE_START = " \n[]{},"
# The first character of a plain scalar, for PyYAML an alias or a syntax error, for rapidyaml text: found in the
# values (a value quoted or in a block that starts with one only goes to PyYAML too)
_STARTS = frozenset("*@`%}],:")
_NULLS = frozenset({"~", "Null", "NULL"})  # plain, PyYAML reads them as null; rapidyaml keeps them as text
_DEEP = re.compile(r"\n[ \-]{60}")
# What may follow a block scalar's '|' or '>' on its line: indentation and chomping indicators, a comment
_BLOCK_HEADER = re.compile(r"(?:[-+][1-9]?|[1-9][-+]?)?(?: +(?:#.*)?)?")
# A flow sequence of plain words on one line, such as 'tags: [Russia, United States]': the one flow collection
# claim files use.  Flow context is where the parsers differ most (': ' or ':,' in an item, say).
_WORD = r"[^\s\[\]{},:#&*!|>'\"%@`?~-](?:[^\[\]{},:#\n]*[^\s\[\]{},:#])?"
_WORD_LIST = re.compile(rf"\[ *(?:{_WORD}(?: *, *{_WORD})*)? *\](?: +#.*| *)")


class _Typed(Exception):
    """The JSON holds a value PyYAML's path reads otherwise (a number, true, false, a null, an alias) or reports
    (a key twice, a merge key, a reserved indicator)."""


def _typed(text: str):
    raise _Typed


def _mapping(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    # a key twice, a merge key, an empty key (': x' at a line's start): PyYAML's path reports each one
    if len(out) != len(pairs) or "<<" in out or "" in out:
        raise _Typed
    for key in out:
        if key[:1] in _STARTS:
            raise _Typed
    _untyped(out.values())
    return out


def _untyped(items) -> None:
    """Raise if one of ``items``, or of the lists among them, is true, false, one of :data:`_NULLS` or starts
    with one of :data:`_STARTS` (numbers raised as they were read; mappings check their own values)."""
    for item in items:
        kind = item.__class__
        if kind is str:
            if item[:1] in _STARTS or len(item) < 5 and item in _NULLS:
                raise _Typed
        elif kind is list:
            _untyped(item)
        elif kind is bool:
            raise _Typed


# numbers raise as they are read: rapidyaml writes some differently from the source (``.5`` as ``0.5``)
_DECODE = json.JSONDecoder(object_pairs_hook=_mapping, parse_int=_typed, parse_float=_typed,
                           parse_constant=_typed).decode


def values(text: str) -> Any:
    """The document's plain values (scalars as text, explicit nulls as None), as PyYAML's path reads them;
    :data:`MISS` when only PyYAML can say."""
    if ryml is None or threading.active_count() > 1:  # rapidyaml's messages go to fd 2, redirected below
        return MISS
    body = text[4:] if text.startswith("---\n") else text
    data = body.encode("utf-8")
    if not body.strip() or _outside(body, data):
        return MISS
    try:
        with _quiet():
            tree = ryml.parse_in_arena(data)
        root = tree.root_id()
        if tree.size() > MAX_NODES or tree.is_stream(root):  # a stream: more than one document
            return MISS
        out = ryml.emit_json_malloc(tree, root)
        if '.inf"' in out or '.nan"' in out:  # rapidyaml's spelling of inf, nan, .Inf...: the source's is lost
            return MISS
        value = _DECODE(out)
        _untyped([value])
        return value
    except Exception:  # noqa: BLE001 - a parse error (PyYAML reports it), a duplicate key, JSON it cannot read
        return MISS


def _outside(text: str, data: bytes) -> bool:
    """Whether the source holds anything PyYAML may read differently (the module's list; the rest is checked
    in the values).  Plain string searches: a regular expression over every character took 30 times longer."""
    if data.isascii():
        if data.translate(None, _PLAIN_ASCII):
            return True
    elif not text.replace("\n", " ").isprintable():  # stricter than YAML's printable set: only errs to PyYAML
        return True
    if text[0] == "%" or "\n%" in text:  # a directive (only at a line's start)
        return True
    for char in _INDICATORS:
        if char in text and (text[0] == char or any(before + char in text for before in _NODE_START)):
            return True
    if text.count("[") + text.count("{") > _MAX_BRACKETS or _DEEP.search("\n" + text):
        return True
    return _odd_node_start(text)


def _odd_node_start(text: str) -> bool:
    """Whether a block scalar or flow collection starts where the parsers may disagree: a '|' or '>' followed on
    its line by more than a block header may hold, a '{', or a '[' that is not a one-line list of plain words
    (PyYAML reports what rapidyaml reads).  A Markdown table, quote or link at a line's start inside a block
    scalar looks the same, and only goes to PyYAML."""
    for char in "|>[{":
        at = text.find(char)
        while at != -1:
            start = text.rfind("\n", 0, at) + 1
            before = text[start:at].rstrip(" ")
            if not before or before[-1] in ":-[{,?":  # where a node can start
                if char == "{":
                    return True
                end = text.find("\n", at)
                end = len(text) if end == -1 else end
                if char == "[":
                    if not _WORD_LIST.fullmatch(text, at, end):
                        return True
                elif not _BLOCK_HEADER.fullmatch(text, at + 1, end):
                    return True
            at = text.find(char, at + 1)
    return False


_devnull: list[int] = []  # opened once


class _quiet:
    """rapidyaml prints each parse error on standard error before raising it: PyYAML reports it instead."""

    def __enter__(self) -> None:
        if not _devnull:
            _devnull.append(os.open(os.devnull, os.O_WRONLY))
        self.saved = os.dup(2)
        os.dup2(_devnull[0], 2)

    def __exit__(self, *exc) -> None:
        os.dup2(self.saved, 2)
        os.close(self.saved)

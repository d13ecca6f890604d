"""Stage 1 — read: files into raw values that remember where they came from.

Every value keeps the line and column the editor typed it at: YAML is composed
(not constructed) with PyYAML's C loader, whose nodes carry their positions.  A
plain document is read three times faster by rapidyaml (:mod:`generator.yamlfast`),
its positions composed by PyYAML only if a problem needs one.  Scalars are kept
as the text the editor wrote: ``no`` stays ``"no"``, ``2021-12-07`` stays a
string, ``1.10`` keeps its trailing zero.  Only an explicit null (``~``,
``null`` or nothing at all) becomes ``None``; the model decides what each field
means.  Nothing here interprets meaning.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import yaml

from . import yamlfast
from .errors import Problems

try:  # the C loader is ~12x faster and still marks every node with its position
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

NULL_TAG = "tag:yaml.org,2002:null"
MAX_FILE_BYTES = 20 * 1024 * 1024
# An article is one page: 2 MB is ~300,000 words, several times the longest transcript a desk publishes.  Past
# that the page is too heavy for readers and the search index, and every save in `serve` re-renders all of it.
MAX_ARTICLE_BYTES = 2 * 1024 * 1024
MAX_VALUES = 100_000  # values in one file once aliases are expanded; a claim has a few dozen
# Characters that aliases may repeat in one file: a claim's anchors repeat a name or a source, a few hundred; a
# long value repeated thousands of times would make a page of many megabytes from a file of a few kilobytes
MAX_ALIAS_CHARS = 1_000_000

Pos = tuple[int, int]

Source = tuple[str, int]  # a YAML document's text, and the number of lines before it in its file


class Doc:
    """Plain data read from one YAML document, with the position of every value.

    ``pos``: path of a value -> where the value starts; ``keypos``: where its key starts.  ``source``: the text
    and the number of lines before it in its file, or a function that reads them again (None if it cannot).
    Only a problem to report needs a position, so a document read by the fast path (:mod:`generator.yamlfast`),
    or taken from the parse cache, has none until one is asked for; PyYAML then composes ``source`` for them.
    """

    __slots__ = ("path", "data", "source", "_pos", "_keypos")

    def __init__(self, path: Path, data: Any, source: Source | Callable[[], Source | None] = ("", 0),
                 pos: dict[tuple, Pos] | None = None, keypos: dict[tuple, Pos] | None = None):
        self.path, self.data, self.source = path, data, source
        self._pos, self._keypos = pos, keypos  # None: not composed yet

    @property
    def pos(self) -> dict[tuple, Pos]:
        if self._pos is None:
            self._compose_positions()
        return self._pos

    @property
    def keypos(self) -> dict[tuple, Pos]:
        if self._keypos is None:
            self._compose_positions()
        return self._keypos

    def _compose_positions(self) -> None:
        source = self.source() if callable(self.source) else self.source
        if source is None:  # the file is gone: every problem is reported at its start
            self._pos, self._keypos = {}, {}
            return
        text, line_offset = source  # PyYAML composes the same values, with positions
        composed = _compose(text, self.path, Problems(), line_offset)
        self._pos, self._keypos = (composed._pos, composed._keypos) if composed is not None else ({}, {})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Doc) and (self.path, self.data, self.pos, self.keypos) == \
            (other.path, other.data, other.pos, other.keypos)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it was

    def __repr__(self) -> str:
        return f"Doc(path={self.path!r}, data={self.data!r})"

    def at(self, loc: tuple, key: bool = False) -> Pos:
        """Position of ``loc``, or of its nearest ancestor that has one."""
        loc = tuple(loc)
        pos, keypos = self.pos, self.keypos
        while True:
            if key and loc in keypos:
                return keypos[loc]
            if loc in pos:
                return pos[loc]
            if not loc:
                return (1, 1)
            loc = loc[:-1]


@dataclass
class ArticleSource:
    """An article file split into its front matter and body."""

    path: Path
    meta: Doc
    body: str
    body_line: int  # line number of the body's first line in the file
    format: str  # "markdown" or "text"


def load_bytes(path: Path, problems: Problems) -> bytes | None:
    """The file's bytes, or ``None`` after reporting why it cannot be read."""
    try:
        size = path.stat().st_size
        if path.suffix.lower() in ARTICLE_SUFFIXES and size > MAX_ARTICLE_BYTES:  # refused before it is read
            problems.error(path, (1, 1), f"article is larger than {MAX_ARTICLE_BYTES // (1024 * 1024)} MB; split it",
                           "a page this long is too heavy for readers and for the site's search; split it into "
                           "several articles, e.g. one per part or per day")
            return None
        if size > MAX_FILE_BYTES:
            problems.error(path, (1, 1), f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB",
                           "split it into smaller files")
            return None
        return path.read_bytes()
    except OSError as exc:
        problems.error(path, (1, 1), f"cannot read file: {exc.strerror or exc}")
        return None


def decode_text(raw: bytes, path: Path, problems: Problems) -> str | None:
    """UTF-8 text with Unix line ends, or ``None`` after reporting where the encoding breaks."""
    bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    try:
        text = raw[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = exc.start + bom
        line = raw.count(b"\n", 0, at) + 1
        start = max(bom, raw.rfind(b"\n", 0, at) + 1)  # the column counts characters, as editors do
        col = len(raw[start:at].decode("utf-8")) + 1
        problems.error(path, (line, col), f"file is not UTF-8 text (byte 0x{raw[at]:02x})",
                       "save the file with UTF-8 encoding")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def read_text(path: Path, problems: Problems) -> str | None:
    """The file as text, or ``None`` after reporting why it cannot be read."""
    raw = load_bytes(path, problems)
    return None if raw is None else decode_text(raw, path, problems)


def parse_yaml(text: str, path: Path, problems: Problems, line_offset: int = 0) -> Doc | None:
    """One YAML document as a :class:`Doc`; syntax errors reported with their position.

    A plain document is read by the fast path (:mod:`generator.yamlfast`), with its positions left to PyYAML
    until a problem asks for one; anything else is composed by PyYAML at once, which finds the same values."""
    data = yamlfast.values(text)
    if data is not yamlfast.MISS:
        return Doc(path, data, source=(text, line_offset))
    return _compose(text, path, problems, line_offset)


def _compose(text: str, path: Path, problems: Problems, line_offset: int) -> Doc | None:
    """PyYAML's path: compose with the C loader (every node marked with its position), then convert."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = (mark.line + 1 + line_offset, mark.column + 1) if mark else (1 + line_offset, 1)
        message = exc.problem or str(exc)
        if exc.context and exc.context not in message:
            message = f"{message} ({exc.context})"
        problems.error(path, pos, f"YAML syntax error: {message}", _yaml_hint(message, _char_at(text, mark)))
        return None
    except yaml.YAMLError as exc:  # the reader's: a character YAML does not allow
        line, col, message, hint = _reader_error(exc, text)
        problems.error(path, (line + line_offset, col), f"YAML error: {message}", hint)
        return None
    doc = Doc(path, None, source=(text, line_offset), pos={}, keypos={})
    if node is None:
        return doc
    # without aliases a file's values hold no more characters than its text: the rest is what aliases repeat
    budget = [MAX_VALUES, len(text) + MAX_ALIAS_CHARS]
    try:
        doc.data = _convert(node, (), doc, problems, line_offset, budget)
    except _TooManyValues as exc:  # aliases of aliases multiply: 9 short lines can expand to 10^9 values
        if budget[0] < 0:  # reported for the whole file: the value it stopped at is any one of many
            problems.error(path, (1 + line_offset, 1), f"the file holds more than {MAX_VALUES:,} values "
                           "once its YAML aliases ('*name') are expanded", "write the values out in full")
        else:  # at the value it stopped at: most likely the long one repeated
            problems.error(path, exc.args[0], f"the file's YAML aliases ('*name') repeat more than "
                           f"{MAX_ALIAS_CHARS:,} characters", "each '*name' repeats the whole value marked "
                           "'&name'; repeat fewer or shorter values")
        return None
    except RecursionError:
        problems.error(path, (1 + line_offset, 1), "values are nested too deeply",
                       "nest fewer lists and mappings inside each other")
        return None
    return doc


class _TooManyValues(Exception):
    """Raised by :func:`_convert`, with the position of the value it stopped at, when a file expands to more than
    ``MAX_VALUES`` values or its aliases repeat more than ``MAX_ALIAS_CHARS`` characters."""


_C0 = ("NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS "
       "GS RS US").split()  # the control characters' short names (Unicode gives them none)


def _reader_error(exc: yaml.YAMLError, text: str) -> tuple[int, int, str, str]:
    """Line and column (in ``text``) of the character the reader refused, a one-line message naming it, a hint.
    PyYAML gives its code and an offset (in bytes, from the C loader); the reader stops at its first occurrence."""
    code = getattr(exc, "character", None)
    at = text.find(chr(code)) if isinstance(code, int) else -1
    if at < 0:  # not a character's fault: the message without PyYAML's 'in "<unicode string>", position N'
        return 1, 1, str(exc).split("\n", 1)[0], ""
    name = _C0[code] if code < 0x20 else "DEL" if code == 0x7F else unicodedata.name(chr(code), "")
    kind = "control character" if unicodedata.category(chr(code)) == "Cc" else "character"
    return (text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at),
            f"{kind} U+{code:04X}{f' ({name})' if name else ''} is not allowed",
            "remove the character; it often comes from pasting from a word processor or a terminal")


def _char_at(text: str, mark) -> str:
    """The character a parser mark points at (the C loader's messages do not name it)."""
    lines = text.split("\n")
    if mark is None or not 0 <= mark.line < len(lines):
        return ""
    return lines[mark.line][mark.column:mark.column + 1]


def _yaml_hint(message: str, char: str = "") -> str:
    if "mapping values are not allowed" in message:
        return "a value that contains ': ' must be quoted, e.g. statement: \"Putin: we want peace\""
    if char == "\t" or "found character '\\t'" in message or "tab" in message:
        return "indent with spaces, not tabs"
    if "expected a single document" in message:
        return "put one claim per file; remove the extra '---' line"
    if "could not find expected ':'" in message or "simple key" in message:
        return "each field needs 'name: value'; check the line above for a missing colon or quote"
    return ""


def _convert(node: yaml.Node, loc: tuple, doc: Doc, problems: Problems, off: int, budget: list[int]) -> Any:
    """The plain value of ``node``, positions noted in ``doc``; ``budget``: how many more values, and characters
    of keys and scalars, may follow (counted as they are made, so an alias bomb stops at the first value past
    either limit, before it expands)."""
    pos = doc.pos[loc] = (node.start_mark.line + 1 + off, node.start_mark.column + 1)
    budget[0] -= 1
    if isinstance(node, yaml.ScalarNode):
        budget[1] -= len(node.value)
    if budget[0] < 0 or budget[1] < 0:
        raise _TooManyValues(pos)
    if isinstance(node, yaml.ScalarNode):
        if node.tag == NULL_TAG and not node.style:  # plain: the C loader marks it '', the Python loader None
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, loc + (i,), doc, problems, off, budget) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_pos = (key_node.start_mark.line + 1 + off, key_node.start_mark.column + 1)
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.error(doc.path, key_pos, "YAML merge keys ('<<') are not supported",
                               "write the fields out in full")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                problems.error(doc.path, key_pos, "a field name must be plain text, not a list or mapping")
                continue
            key = key_node.value
            if key in out:
                problems.error(doc.path, key_pos, f"field '{key}' appears twice in this mapping",
                               "each field may appear once; remove or merge the duplicate")
                continue
            doc.keypos[loc + (key,)] = key_pos
            budget[1] -= len(key)  # checked with the value, converted next
            out[key] = _convert(value_node, loc + (key,), doc, problems, off, budget)
        return out
    return None  # pragma: no cover - PyYAML has no other node kinds


def read_yaml_file(path: Path, problems: Problems) -> Doc | None:
    text = read_text(path, problems)
    if text is None:
        return None
    return parse_yaml(text, path, problems)


def yaml_source(path: Path) -> Source | None:
    """A YAML file's text read again, as :func:`parse_yaml` was given it (None if it cannot be read): the
    parse cache keeps no text, and a document from it composes its positions from this when a problem needs one."""
    text = read_text(path, Problems())
    return None if text is None else (text, 0)


def front_matter_source(path: Path) -> Source | None:
    """An article's front matter read again, as :func:`parse_article` gave it to :func:`parse_yaml`."""
    text = read_text(path, Problems())
    front = split_front_matter(text)[0] if text is not None else None
    return None if front is None else (front, 1)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """``(front matter or None, body, line number where the body starts)``."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return None, text, 1
    body_line = text.count("\n", 0, match.end()) + 1
    return match.group(1) or "", text[match.end():], body_line


def read_article_file(path: Path, problems: Problems) -> ArticleSource | None:
    """An article: Markdown (``.md``) or seed-shaped plain text (``.txt``), each with front matter."""
    text = read_text(path, problems)
    return None if text is None else parse_article(text, path, problems)


def parse_article(text: str, path: Path, problems: Problems) -> ArticleSource | None:
    front, body, body_line = split_front_matter(text)
    if front is None and re.match(r"---[ \t]*\n", text):  # opened and never closed: not an article without any
        problems.error(path, (1, 1), "the front matter that begins on line 1 never ends",
                       "end it with a line of three dashes (---) before the article's text")
        return None
    if front is None:
        meta = Doc(path, {}, pos={}, keypos={})
    else:
        parsed = parse_yaml(front, path, problems, line_offset=1)
        if parsed is None:
            return None
        meta = parsed
        if meta.data is None:
            meta.data = {}
    fmt = "text" if path.suffix.lower() == ".txt" else "markdown"
    return ArticleSource(path=path, meta=meta, body=body, body_line=body_line, format=fmt)


CLAIM_SUFFIXES = (".yaml", ".yml")
ARTICLE_SUFFIXES = (".md", ".markdown", ".txt")


def discover(folder: Path, suffixes: tuple[str, ...], problems: Problems,
             walked: list[tuple[str, os.stat_result]] | None = None) -> list[Path]:
    """Input files in ``folder`` (recursively), sorted; symlinks and hidden files are skipped with a warning.

    Walks with ``os.scandir``, whose entries already know their type: no extra ``stat`` per file, which
    mattered at 10,000 files.  ``walked`` (optional) receives each folder listed, with its ``stat`` taken just
    before it was listed: the preview lists again only when one of them changed (``SessionCache.discover``).
    """
    if not folder.is_dir():
        return []
    found: list[Path] = []
    pending = [str(folder)]
    while pending:
        here = pending.pop()
        if walked is not None:
            walked.append((here, os.stat(here)))
        with os.scandir(here) as entries:
            for entry in entries:
                if entry.name.startswith((".", "_")):
                    continue
                suffix = os.path.splitext(entry.name)[1].lower()
                if entry.is_symlink():
                    # a link to an input or a folder, and one that leads nowhere (dangling, or a loop)
                    path = Path(entry.path)
                    if suffix in suffixes or path.is_dir() or not path.exists():
                        problems.warning(path, (1, 1), "symbolic link skipped",
                                         "inputs must be regular files inside the project")
                elif entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                elif suffix in suffixes and entry.is_file(follow_symlinks=False):
                    found.append(entry.path)
    return [_path(p) for p in sorted(found, key=lambda p: p.split(os.sep))]  # the order of sorted(Paths)


@lru_cache(maxsize=65536)  # the same Path object run after run: the preview compares records that hold them
def _path(name: str) -> Path:
    return Path(name)

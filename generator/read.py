"""Stage 1 — read: files into raw values that remember where they came from.

YAML is composed (not constructed) with PyYAML's C loader where available, so
every value keeps the line and column the editor typed it at.  Scalars are kept
as the text the editor wrote: ``no`` stays ``"no"``, ``2021-12-07`` stays a
string, ``1.10`` keeps its trailing zero.  Only an explicit null (``~``,
``null`` or nothing at all) becomes ``None``; the model decides what each field
means.  Nothing here interprets meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problems

try:  # the C loader is ~12x faster and still marks every node with its position
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

NULL_TAG = "tag:yaml.org,2002:null"
MAX_FILE_BYTES = 20 * 1024 * 1024

Pos = tuple[int, int]


@dataclass
class Doc:
    """Plain data read from one YAML document, with the position of every value."""

    path: Path
    data: Any
    pos: dict[tuple, Pos] = field(default_factory=dict)  # path of a value -> where the value starts
    keypos: dict[tuple, Pos] = field(default_factory=dict)  # path of a value -> where its key starts
    implicit: dict[tuple, str] = field(default_factory=dict)  # path -> what YAML would have typed it as

    def at(self, loc: tuple, key: bool = False) -> Pos:
        """Position of ``loc``, or of its nearest ancestor that has one."""
        loc = tuple(loc)
        while True:
            if key and loc in self.keypos:
                return self.keypos[loc]
            if loc in self.pos:
                return self.pos[loc]
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


def read_text(path: Path, problems: Problems) -> str | None:
    """The file as text, or ``None`` after reporting why it cannot be read."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            problems.error(path, (1, 1), f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB",
                           "split it into smaller files")
            return None
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(path, (1, 1), f"cannot read file: {exc.strerror or exc}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.error(path, (line, col), f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                       "save the file with UTF-8 encoding")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(text: str, path: Path, problems: Problems, line_offset: int = 0) -> Doc | None:
    """Compose one YAML document into a :class:`Doc`; report syntax errors with their position."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = (mark.line + 1 + line_offset, mark.column + 1) if mark else (1 + line_offset, 1)
        message = exc.problem or str(exc)
        if exc.context and exc.context not in message:
            message = f"{message} ({exc.context})"
        problems.error(path, pos, f"YAML syntax error: {message}", _yaml_hint(message))
        return None
    except yaml.YAMLError as exc:
        problems.error(path, (1 + line_offset, 1), f"YAML error: {exc}")
        return None
    doc = Doc(path=path, data=None)
    if node is None:
        return doc
    doc.data = _convert(node, (), doc, problems, line_offset)
    return doc


def _yaml_hint(message: str) -> str:
    if "mapping values are not allowed" in message:
        return "a value that contains ': ' must be quoted, e.g. statement: \"Putin: we want peace\""
    if "found character '\\t'" in message or "tab" in message:
        return "indent with spaces, not tabs"
    if "expected a single document" in message:
        return "put one claim per file; remove the extra '---' line"
    if "could not find expected ':'" in message or "simple key" in message:
        return "each field needs 'name: value'; check the line above for a missing colon or quote"
    return ""


def _convert(node: yaml.Node, loc: tuple, doc: Doc, problems: Problems, off: int) -> Any:
    doc.pos[loc] = (node.start_mark.line + 1 + off, node.start_mark.column + 1)
    if isinstance(node, yaml.ScalarNode):
        if node.tag == NULL_TAG and node.style is None:
            return None
        if node.style is None and node.tag != "tag:yaml.org,2002:str":
            doc.implicit[loc] = node.tag.rsplit(":", 1)[-1]
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, loc + (i,), doc, problems, off) for i, item in enumerate(node.value)]
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
                               "YAML keeps only the last one; remove or merge the duplicate")
                continue
            doc.keypos[loc + (key,)] = key_pos
            out[key] = _convert(value_node, loc + (key,), doc, problems, off)
        return out
    return None  # pragma: no cover - PyYAML has no other node kinds


def read_yaml_file(path: Path, problems: Problems) -> Doc | None:
    text = read_text(path, problems)
    if text is None:
        return None
    return parse_yaml(text, path, problems)


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
    if text is None:
        return None
    front, body, body_line = split_front_matter(text)
    if front is None:
        meta = Doc(path=path, data={})
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


def discover(folder: Path, suffixes: tuple[str, ...], problems: Problems) -> list[Path]:
    """Input files in ``folder`` (recursively), sorted; symlinks and hidden files are skipped with a warning."""
    if not folder.is_dir():
        return []
    found: list[Path] = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith((".", "_")) for part in rel.parts):
            continue
        if path.suffix.lower() not in suffixes:
            continue
        if path.is_symlink():
            problems.warning(path, (1, 1), "symbolic link skipped", "inputs must be regular files inside the project")
            continue
        if path.is_file():
            found.append(path)
    return found

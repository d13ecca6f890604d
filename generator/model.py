"""Stage 2 — model: typed records and field validation.

The models are pydantic classes because one declaration gives three things the
tool needs: validation with the exact location of each failure (mapped back to
``path:line:col`` by :func:`validate`), coercion of the YAML text the reader
kept, and the JSON Schema editors' tools use.  This module never touches the
filesystem.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, WithJsonSchema,
                      model_validator)

from .dates import PATTERN as DATE_PATTERN
from .dates import PRECISIONS, FuzzyDate, parse_date
from .errors import Problems, did_you_mean
from .read import Doc

_URL = re.compile(r"^https?://[^\s/?#<>\"'`]+[^\s<>\"'`]*$", re.I)
_TAG = re.compile(r"^[^<>\"`{}\[\]\\]+$")
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
_ID = re.compile(ID_PATTERN)
RELATIONS = ("contradicts", "supports", "responds-to", "updates")


def _as_list(value: Any) -> Any:
    """Let editors write a single item where a list is expected (``tags: Ukraine``)."""
    return [value] if isinstance(value, str) else value


def _check_url(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if not _URL.match(value):
            raise ValueError(f"'{value}' is not a web address; it must start with https:// or http://")
    return value


def _check_tag(value: Any) -> Any:
    if isinstance(value, str):
        value = " ".join(value.split())
        if not value or not _TAG.match(value):
            raise ValueError(f"tag '{value}' may not contain < > \" ` {{ }} [ ] or \\")
    return value


def _check_id(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if not _ID.match(value):
            raise ValueError(f"'{value}' is not an id; ids use lower-case letters, digits, '-' and '_'")
    return value


def _text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


Text = Annotated[str, BeforeValidator(_text), Field(min_length=1)]
Markdown = Annotated[str, BeforeValidator(_text), Field(min_length=1, description="Markdown; no raw HTML")]
Url = Annotated[str, BeforeValidator(_check_url), WithJsonSchema({"type": "string", "format": "uri",
                                                                  "pattern": "^https?://"})]
Tag = Annotated[str, BeforeValidator(_check_tag)]
Id = Annotated[str, BeforeValidator(_check_id), WithJsonSchema({"type": "string", "pattern": ID_PATTERN})]
Date = Annotated[FuzzyDate, BeforeValidator(parse_date),
                 WithJsonSchema({"type": "string", "pattern": DATE_PATTERN,
                                 "description": "2021-12-07, 2021-12 or 2021; prefix '~' or 'about' if approximate"})]
TextList = Annotated[list[Text], BeforeValidator(_as_list)]
TagList = Annotated[list[Tag], BeforeValidator(_as_list)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Claimant(Record):
    name: Text
    role: Text | None = None
    same_as: Annotated[list[Url], BeforeValidator(_as_list)] = []


def _claimant(value: Any) -> Any:
    return {"name": value} if isinstance(value, str) else value


class Source(Record):
    title: Text
    url: Url | None = None
    publisher: Text | None = None
    date: Date | None = None
    archive_url: Url | None = None
    kind: Literal["primary", "official", "media", "anonymous"] | None = None


class Appearance(Record):
    article: Id | None = None
    url: Url | None = None
    quote: Text | None = None

    @model_validator(mode="after")
    def _needs_target(self) -> "Appearance":
        if not self.article and not self.url:
            raise ValueError("an appearance needs an 'article' id or a 'url'")
        return self


class Related(Record):
    claim: Id
    relation: Literal[RELATIONS]  # type: ignore[valid-type]


class Reviewed(Record):
    date: Date
    by: TextList = []


class Update(Record):
    date: Date
    kind: Literal["correction", "update"]
    note: Markdown


class Claim(Record):
    """One claim file. ``id`` comes from the file name, not from the file."""

    statement: Text
    claimant: Annotated[Claimant, BeforeValidator(_claimant)]
    date: Date
    rating: Id
    summary: Markdown | None = None
    analysis: Markdown | None = None
    sources: list[Source] = []
    appearances: list[Appearance] = []
    related: list[Related] = []
    tags: TagList = []
    story: Text | None = None
    reviewed: Reviewed | None = None
    updates: list[Update] = []


class Event(Record):
    date: Date
    title: Text
    end: Date | None = None
    precision: Literal[PRECISIONS] | None = None  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _ordered(self) -> "Event":
        if self.end and self.end.sort_key < self.date.sort_key:
            raise ValueError(f"the event ends ({self.end}) before it starts ({self.date})")
        return self

    @property
    def shown_date(self) -> FuzzyDate:
        return self.date.coarsen(self.precision) if self.precision else self.date


class ArticleMeta(Record):
    """An article's front matter. The body is the rest of the file."""

    title: Text | None = None
    date: Date
    publisher: Text | None = None
    url: Url | None = None
    authors: TextList = []
    language: Annotated[str, Field(pattern=r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")] | None = None
    summary: Markdown | None = None
    tags: TagList = []
    story: Text | None = None
    events: list[Event] = []


def field_names(model: type[BaseModel]) -> list[str]:
    return list(model.model_fields)


_KINDS = {dict: "a mapping", list: "a list", str: "text", type(None): "empty"}


def validate(model: type[Record], doc: Doc, problems: Problems, data: Any = None,
             what: str = "file") -> Record | None:
    """Validate ``doc`` against ``model``; report each failure at its line and column."""
    data = doc.data if data is None else data
    if not isinstance(data, dict):
        kind = _KINDS.get(type(data), "a value")
        problems.error(doc.path, doc.at(()), f"the {what} must be a mapping of 'field: value' lines, not {kind}",
                       "start with a line such as 'statement: ...'" if what == "claim file" else "")
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            _report(model, doc, err, problems)
        return None


def _submodel(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that owns the field at ``loc`` (for 'did you mean' hints)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return None
        annotation = field.annotation
        for candidate in _walk_types(annotation):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                current = candidate
                break
        else:
            return None
    return current


def _walk_types(annotation: Any):
    yield annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _walk_types(arg)
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        yield from _walk_types(origin)


def _dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _report(model: type[BaseModel], doc: Doc, err: dict, problems: Problems) -> None:
    loc = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
    kind = err["type"]
    name = _dotted(loc)
    if kind == "missing":
        parent = loc[:-1]
        problems.error(doc.path, doc.at(parent, key=bool(parent)), f"missing required field '{name}'")
        return
    if kind == "extra_forbidden":
        owner = _submodel(model, loc[:-1])
        known = field_names(owner) if owner else []
        hint = did_you_mean(str(loc[-1]), known) or (f"known fields here: {', '.join(known)}" if known else "")
        problems.error(doc.path, doc.at(loc, key=True), f"unknown field '{name}'", hint)
        return
    given = err.get("input")
    pos = doc.at(loc)
    if kind == "literal_error":
        allowed = re.findall(r"'([^']+)'", err["ctx"]["expected"])
        problems.error(doc.path, pos, f"'{name}' must be one of {', '.join(allowed)}; got '{given}'",
                       did_you_mean(str(given), allowed))
    elif kind in ("value_error", "assertion_error"):
        message = str(err["ctx"].get("error", err["msg"])) if err.get("ctx") else err["msg"]
        problems.error(doc.path, pos, f"'{name}': {message}" if name else message)
    elif kind in ("string_type", "list_type", "model_type", "dict_type", "model_attributes_type"):
        want = {"string_type": "text", "list_type": "a list", "model_type": "a mapping",
                "dict_type": "a mapping", "model_attributes_type": "a mapping"}[kind]
        hint = "write one item per line, each starting with '- '" if kind == "list_type" else ""
        problems.error(doc.path, pos, f"'{name}' must be {want}, not {_KINDS.get(type(given), 'this value')}", hint)
    elif kind in ("string_too_short", "too_short"):  # pydantic says "too_short" after a BeforeValidator
        problems.error(doc.path, pos, f"'{name}' is empty", "fill it in or remove the line")
    elif kind == "string_pattern_mismatch":
        problems.error(doc.path, pos, f"'{name}': '{given}' is not in the expected form",
                       "a language is a code such as 'en' or 'pt-BR'" if loc[-1:] == ("language",) else "")
    else:
        problems.error(doc.path, pos, f"'{name}': {err['msg']}")


_END_PUNCT = ".!?…:;,"
_CLOSERS = "\"'”’»)]"


def is_subheading(line: str) -> bool:
    """Seed-shaped text: a short line without final punctuation is a subheading."""
    text = line.strip()
    if not text or len(text) > 80 or len(text.split()) > 12:
        return False
    return text.rstrip(_CLOSERS)[-1:] not in _END_PUNCT


def text_blocks(body: str) -> list[tuple[str, str]]:
    """Paragraphs and subheadings of a plain-text body, as ``("p"|"h", text)`` pairs."""
    blocks: list[tuple[str, str]] = []
    for paragraph in re.split(r"\n", body):
        text = paragraph.strip()
        if text:
            blocks.append(("h" if is_subheading(text) else "p", text))
    return blocks


def split_text_article(body: str) -> tuple[str | None, str | None, str]:
    """``(title, standfirst, rest)`` of a seed-shaped text: first line, second line, the remainder."""
    lines = body.strip("\n").split("\n")
    title = lines[0].strip() if lines and lines[0].strip() else None
    standfirst = lines[1].strip() if len(lines) > 1 and lines[1].strip() else None
    return title, standfirst, "\n".join(lines[2:])


def markdown_title(body: str) -> tuple[str | None, str]:
    """The first ``# Heading`` of a Markdown body and the body without it."""
    match = re.search(r"^#[ \t]+(.+?)[ \t#]*$", body, re.M)
    if not match or body[: match.start()].strip():
        return None, body
    return match.group(1).strip(), body[match.end():]

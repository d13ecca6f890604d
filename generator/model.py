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

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints,
                      ValidationError, WithJsonSchema, model_validator)

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
        if not _URL.fullmatch(value):
            raise ValueError(f"'{value}' is not a web address; it must start with https:// or http://")
    return value


def _check_tag(value: Any) -> Any:
    if isinstance(value, str):
        value = " ".join(value.split())
        if not value:
            raise ValueError("the tag is empty")
        if not _TAG.fullmatch(value):
            raise ValueError(f"tag '{value}' may not contain < > \" ` {{ }} [ ] or \\")
    return value


def _check_id(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if not _ID.fullmatch(value):
            raise ValueError(f"'{value}' is not an id; ids use lower-case letters, digits, '-' and '_'")
    return value


# Stripped and checked inside pydantic-core: a Python validator here ran 140,000 times at 10,000 claims, and
# it kept pydantic from checking the length in its core too.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Markdown = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1),
                     Field(description="Markdown; no raw HTML")]
Url = Annotated[str, BeforeValidator(_check_url), WithJsonSchema({"type": "string", "format": "uri",
                                                                  "pattern": "^https?://"})]
Tag = Annotated[str, BeforeValidator(_check_tag)]
Id = Annotated[str, BeforeValidator(_check_id), WithJsonSchema({"type": "string", "pattern": ID_PATTERN})]
# YAML 1.2 tools (VS Code's YAML extension) read `date: 2021` as a number, so the schema allows it
_DATE_SCHEMA = [{"type": "string", "pattern": DATE_PATTERN}, {"type": "integer", "minimum": 1000, "maximum": 9999}]


def _parse_date(value: Any) -> FuzzyDate:
    date = parse_date(value)
    if date.year < 1:  # parse_date lets 0000 through, and Python's calendar (first_day, last_day) starts at 1
        raise ValueError(f"'{value}' is not a date; years start at 0001")
    return date


Date = Annotated[FuzzyDate, BeforeValidator(_parse_date),
                 WithJsonSchema({"anyOf": _DATE_SCHEMA,
                                 "description": "2021-12-07, 2021-12 or 2021; prefix '~' or 'about' if approximate"})]
def _parse_claim_date(value: Any) -> FuzzyDate | None:
    if isinstance(value, str) and value.strip().lower() == "unknown":
        return None
    if value is None:
        raise ValueError("the date is empty; write it like 2021-12-07, 2021-12 or 2021, or write 'unknown'")
    return _parse_date(value)


def _one_or_many(item: dict) -> dict:
    return {"anyOf": [item, {"type": "array", "items": item}]}


ClaimDate = Annotated[FuzzyDate | None, BeforeValidator(_parse_claim_date),
                      WithJsonSchema({"anyOf": _DATE_SCHEMA + [{"const": "unknown"}]})]
TextList = Annotated[list[Text], BeforeValidator(_as_list), WithJsonSchema(_one_or_many({"type": "string"}))]
# Each topic has pages that list the record, and a site may still run Material's tags plugin, which checks every
# page's tags against every topic: a record with 800 topics once made one MkDocs build take 219 s (400: 28 s).
MAX_TAGS = 20


def _few_tags(value: list) -> list:
    if len(value) > MAX_TAGS:
        raise ValueError(f"{len(value)} topics are too many; a claim or article may have at most {MAX_TAGS}")
    return value


TagList = Annotated[list[Tag], BeforeValidator(_as_list), AfterValidator(_few_tags),
                    WithJsonSchema(_one_or_many({"type": "string"}))]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


def _described(description: str, **kwargs) -> Any:
    return Field(description=description, **kwargs)


class Claimant(Record):
    name: Text = _described("Who made the claim: a person, an organisation or a publication.")
    role: Text | None = _described("Their role when they made it, e.g. 'President of Russia'.", default=None)
    kind: Literal["person", "organization"] | None = _described(
        "person or organization (used in structured data; person when left out).", default=None)
    same_as: Annotated[list[Url], BeforeValidator(_as_list),
                       WithJsonSchema(_one_or_many({"type": "string", "format": "uri", "pattern": "^https?://"}))] \
        = _described("Links that identify them, e.g. their Wikidata or Wikipedia page.", default=[])


def _claimant(value: Any) -> Any:
    return {"name": value} if isinstance(value, str) else value


class Source(Record):
    title: Text = _described("Title of the document, data set or page.")
    url: Url | None = _described("Where to read it (https://…).", default=None)
    publisher: Text | None = _described("Who published it.", default=None)
    date: Date | None = _described("When it was published.", default=None)
    archive_url: Url | None = _described("An archived copy, e.g. on the Wayback Machine.", default=None)
    kind: Literal["primary", "official", "media", "anonymous"] | None = _described(
        "primary, official, media or anonymous.", default=None)


class Appearance(Record):
    article: Text | None = _described("Id of an article in content/ (its file name without extension).",
                                      default=None)
    url: Url | None = _described("Where the claim appeared, when it is not an article of this site.", default=None)
    quote: Text | None = _described("The claim's exact words as the article prints them.", default=None)

    @model_validator(mode="after")
    def _needs_target(self) -> "Appearance":
        if not self.article and not self.url:
            raise ValueError("an appearance needs an 'article' id or a 'url'")
        return self


class Related(Record):
    claim: Text = _described("Id of the other claim (its file name without .yaml).")
    relation: Literal[RELATIONS] = _described(  # type: ignore[valid-type]
        "contradicts, supports, responds-to or updates; shown on both claims' pages.")


class Reviewed(Record):
    date: Date = _described("When the claim was checked; not before the claim was made.")
    by: TextList = _described("Who checked it: one name or a list.", default=[])


class Update(Record):
    date: Date = _described("When the change was published.")
    kind: Literal["correction", "update"] = _described("correction or update.")
    note: Markdown = _described("What changed and why (Markdown).")


class OriginalReview(Record):
    """A review published elsewhere, kept with its credit when claims are imported."""

    by: Text = _described("The organisation that published the review, e.g. PolitiFact.")
    by_url: Url | None = _described("The reviewer's home page.", default=None)
    url: Url | None = _described("The original review.", default=None)
    rating: Text | None = _described("The reviewer's verdict in their own words.", default=None)
    date: Date | None = _described("When the reviewer published it.", default=None)
    license: Url | None = _described("Licence of the review's structured data.", default=None)
    id: Text | None = _described("The record's id in the source data set.", default=None)


class Claim(Record):
    """One claim file. ``id`` comes from the file name, not from the file."""

    statement: Text = _described("What was claimed, as plain text.")
    claimant: Annotated[Claimant, BeforeValidator(_claimant),
                        WithJsonSchema({"anyOf": [{"type": "string", "minLength": 1},
                                                  Claimant.model_json_schema()]})] = _described(
        "Who made the claim: a name, or a mapping with name, role and same_as.")
    date: ClaimDate = _described("When the claim was made: 2021-12-07, 2021-12 or 2021 ('about 2021-12' when "
                                 "approximate), or 'unknown'.")
    rating: Text = _described("An id on the site's rating scale (see the Ratings page), or pending.")
    summary: Markdown | None = _described("'In short': one or two sentences (Markdown).", default=None)
    analysis: Markdown | None = _described("The full analysis (Markdown, no raw HTML).", default=None)
    sources: list[Source] = _described("The evidence.", default=[])
    appearances: list[Appearance] = _described("Where the claim was made.", default=[])
    related: list[Related] = _described("Other claims this one relates to.", default=[])
    tags: TagList = _described("Topics: one or a list.", default=[])
    story: Text | None = _described("A named thread of claims shown as one timeline.", default=None)
    reviewed: Reviewed | None = _described("Who reviewed the claim and when.", default=None)
    updates: list[Update] = _described("Corrections and updates after publication.", default=[])
    original_review: OriginalReview | None = _described(
        "A review published elsewhere (set by importers); the page credits it.", default=None)


class Event(Record):
    date: Date = _described("When it happened (its start).")
    title: Text = _described("What happened, as plain text.")
    end: Date | None = _described("When it ended, for events that last.", default=None)
    precision: Literal[PRECISIONS] | None = _described(  # type: ignore[valid-type]
        "Show the date only to the day, month or year.", default=None)

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

    title: Text | None = _described("The headline; for .txt articles the first line is used if absent.",
                                    default=None)
    date: Date = _described("Publication date (required), optionally with a time: 2021-12-08T14:30+03:00.")
    publisher: Text | None = _described("Who published the article.", default=None)
    url: Url | None = _described("The article's address.", default=None)
    authors: TextList = _described("One author or a list.", default=[])
    language: Annotated[str, Field(pattern=r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")] | None = _described(
        "Language code such as en or pt-BR.", default=None)
    summary: Markdown | None = _described("A short summary (Markdown).", default=None)
    tags: TagList = _described("Topics: one or a list.", default=[])
    story: Text | None = _described("A named thread the article belongs to.", default=None)
    events: list[Event] = _described("Dated happenings the article reports, shown on the timeline.", default=[])


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

"""The linked site's records: what :mod:`generator.link` builds and every later stage reads.

Plain dataclasses, apart from the validation that makes them (:mod:`generator.model`, pydantic), so that a
run which finds nothing changed (:mod:`generator.stamp`) can answer without importing the model, the
templates or the Markdown parser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .config import Rating, Settings
from .dates import FuzzyDate

if TYPE_CHECKING:  # annotations only: importing the model means importing pydantic
    from .model import ArticleMeta, Claim, Event

INVERSE = {"contradicts": "contradicted by", "supports": "supported by",
           "responds-to": "responded to by", "updates": "updated by"}
FORWARD = {"contradicts": "contradicts", "supports": "supports", "responds-to": "responds to", "updates": "updates"}


class Link(NamedTuple):  # a tuple: compared in C, thousands of times per preview run
    relation: str  # one of model.RELATIONS, as the editor wrote it on one of the two claims
    other: str  # the other claim's id
    inverse: bool = False  # True on the page of the claim the relation points at

    @property
    def label(self) -> str:
        """The relation read from this claim's side: "contradicts", "contradicted by", ..."""
        return (INVERSE if self.inverse else FORWARD)[self.relation]

# What linking fills in on a record (generator.link); the rest comes from the record's file
CLAIM_LINKED = ("claimant", "links", "tags", "story")
ARTICLE_LINKED = ("cited_by", "tags", "story")


@dataclass
class ClaimRec:
    id: str
    path: Path
    claim: Claim
    rating: Rating
    claimant: str = ""  # claimant slug
    links: list[Link] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # tag slugs
    story: str | None = None  # story slug
    updated: FuzzyDate | None = field(default=None, compare=False)  # newest_date(claim), made with the claim


@dataclass
class ArticleRec:
    id: str
    path: Path
    meta: ArticleMeta
    title: str
    standfirst: str | None
    body: str
    format: str
    blocks: list[tuple[str, str]]
    cited_by: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    story: str | None = None

    @property
    def events(self) -> list[Event]:
        return list(self.meta.events)


@dataclass
class Group:
    """A claimant, a story or a tag: a name and the records filed under it."""

    slug: str
    name: str
    claims: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    role: str | None = None
    same_as: list[str] = field(default_factory=list)


@dataclass
class Site:
    settings: Settings
    claims: dict[str, ClaimRec] = field(default_factory=dict)
    articles: dict[str, ArticleRec] = field(default_factory=dict)
    claimants: dict[str, Group] = field(default_factory=dict)
    stories: dict[str, Group] = field(default_factory=dict)
    tags: dict[str, Group] = field(default_factory=dict)
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # derived data, made once per run

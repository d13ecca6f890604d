"""Scaffolding: new claim and article files with every field present and documented."""

from __future__ import annotations

import re
from pathlib import Path

from .config import Settings
from .dates import parse_date
from .errors import ClaimlineError, Problems, ValidationFailed, did_you_mean
from .layout import check_layout
from .link import MAX_ID_LENGTH, RESERVED_IDS
from .model import ID_PATTERN
from .read import ARTICLE_SUFFIXES, CLAIM_SUFFIXES
from .render import TEMPLATES
from .schema import modeline
from .write import atomic_write, safe_target
from .yamlquote import yaml_quoted


def _refuse_existing(settings: Settings, folder: Path, slug: str, suffixes: tuple[str, ...]) -> None:
    """Refuse what check would: a project whose folders are not usable (claims/ a file, say), or an id taken."""
    problems = Problems(root=settings.root)
    if not check_layout(settings, problems):
        raise ValidationFailed(problems.sorted())
    if not folder.is_dir():
        return
    for path in folder.rglob("*"):
        if path.suffix.lower() in suffixes and path.stem.lower() == slug.lower():
            raise ClaimlineError(f"{path.relative_to(settings.root)} already exists; not overwritten",
                                 "choose another id, or edit the existing file")


def _check_slug(slug: str, kind: str) -> None:
    """The id rules of ``claimline check`` (:mod:`generator.link`), before anything is written."""
    if not re.fullmatch(ID_PATTERN, slug):
        raise ClaimlineError(f"'{slug}' cannot be {kind} id",
                             "use lower-case letters, digits, '-' and '_', e.g. putin-biden-summit")
    if slug in RESERVED_IDS:
        raise ClaimlineError(f"'{slug}' is reserved and cannot be {kind} id", "choose another id")
    if len(slug) > MAX_ID_LENGTH:
        raise ClaimlineError(f"the id is {len(slug)} characters long; {kind} id may have at most {MAX_ID_LENGTH}",
                             "choose a shorter id")


def _check_text(name: str, value: str) -> None:
    """A value that is text: not empty, and no bytes the terminal could not decode (Python keeps them as lone
    surrogates, which no file can hold)."""
    if not value.strip():
        raise ClaimlineError(f"the {name} is empty")
    if any("\ud800" <= c <= "\udfff" for c in value):
        raise ClaimlineError(f"the {name} holds bytes that are not UTF-8 text",
                             "set the terminal to UTF-8 (for example LANG=C.UTF-8), then type the text again")


def _check_date(date: str) -> None:
    try:
        parse_date(date)
    except ValueError as exc:
        raise ClaimlineError(str(exc)) from None


def new_article(settings: Settings, slug: str, title: str, date: str, fmt: str = "md") -> Path:
    """Write ``content/<slug>.md`` (or ``.txt``); refuse to overwrite; return the path written."""
    _check_slug(slug, "an article")
    _check_text("title", title)
    _check_date(date)
    _refuse_existing(settings, settings.content_dir, slug, ARTICLE_SUFFIXES)
    target = safe_target(settings.content_dir, f"{slug}.{fmt}")
    template = (TEMPLATES / "scaffold" / f"article.{fmt}").read_text("utf-8")
    title_text = yaml_quoted(title.strip()) if fmt == "md" else " ".join(title.split())
    atomic_write(target, template.format(title=title_text, date=date.strip()).encode("utf-8"))
    return target


def new_claim(settings: Settings, slug: str, statement: str, claimant: str, date: str,
              rating: str = "pending") -> Path:
    """Write ``claims/<slug>.yaml``; refuse to overwrite; return the path written."""
    _check_slug(slug, "a claim")
    for name, value in (("statement", statement), ("claimant", claimant)):
        _check_text(name, value)
    _check_date(date)
    if rating not in settings.ratings:
        raise ClaimlineError(f"unknown rating '{rating}'",
                             did_you_mean(rating, settings.ratings) or f"choose one of: {', '.join(settings.ratings)}")
    _refuse_existing(settings, settings.claims_dir, slug, CLAIM_SUFFIXES)
    target = safe_target(settings.claims_dir, f"{slug}.yaml")
    text = modeline(settings, target) + "\n" + (TEMPLATES / "scaffold" / "claim.yaml").read_text("utf-8").format(
        statement=yaml_quoted(statement.strip()), claimant=yaml_quoted(claimant.strip()),
        date=yaml_quoted(date.strip()), rating=yaml_quoted(rating))
    atomic_write(target, text.encode("utf-8"))
    return target

"""Scaffolding: new claim and article files with every field present and documented."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .config import Settings
from .dates import parse_date
from .errors import ClaimlineError, did_you_mean
from .model import ID_PATTERN
from .render import TEMPLATES
from .schema import modeline
from .write import atomic_write, safe_target


def _yaml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar


def _refuse_existing(folder: Path, slug: str, root: Path, suffixes: tuple[str, ...]) -> None:
    if not folder.is_dir():
        return
    for path in folder.rglob("*"):
        if path.suffix.lower() in suffixes and path.stem.lower() == slug.lower():
            raise ClaimlineError(f"{path.relative_to(root)} already exists; not overwritten",
                                 "choose another id, or edit the existing file")


def _check_slug(slug: str, kind: str) -> None:
    if not re.fullmatch(ID_PATTERN, slug):
        raise ClaimlineError(f"'{slug}' cannot be {kind} id",
                             "use lower-case letters, digits, '-' and '_', e.g. putin-biden-summit")


def _check_date(date: str) -> None:
    try:
        parse_date(date)
    except ValueError as exc:
        raise ClaimlineError(str(exc)) from None


def new_article(settings: Settings, slug: str, title: str, date: str, fmt: str = "md") -> Path:
    """Write ``content/<slug>.md`` (or ``.txt``); refuse to overwrite; return the path written."""
    _check_slug(slug, "an article")
    if not title.strip():
        raise ClaimlineError("the title is empty")
    _check_date(date)
    _refuse_existing(settings.content_dir, slug, settings.root, (".md", ".markdown", ".txt"))
    target = safe_target(settings.content_dir, f"{slug}.{fmt}")
    template = (TEMPLATES / "scaffold" / f"article.{fmt}").read_text("utf-8")
    title_text = _yaml_str(title.strip()) if fmt == "md" else " ".join(title.split())
    atomic_write(target, template.format(title=title_text, date=date.strip()).encode("utf-8"))
    return target


def new_claim(settings: Settings, slug: str, statement: str, claimant: str, date: str,
              rating: str = "pending") -> Path:
    """Write ``claims/<slug>.yaml``; refuse to overwrite; return the path written."""
    _check_slug(slug, "a claim")
    for name, value in (("statement", statement), ("claimant", claimant)):
        if not value.strip():
            raise ClaimlineError(f"the {name} is empty")
    _check_date(date)
    if rating not in settings.ratings:
        raise ClaimlineError(f"unknown rating '{rating}'",
                             did_you_mean(rating, settings.ratings) or f"choose one of: {', '.join(settings.ratings)}")
    _refuse_existing(settings.claims_dir, slug, settings.root, (".yaml", ".yml"))
    target = safe_target(settings.claims_dir, f"{slug}.yaml")
    text = modeline(settings, target) + "\n" + (TEMPLATES / "scaffold" / "claim.yaml").read_text("utf-8").format(
        statement=_yaml_str(statement.strip()), claimant=_yaml_str(claimant.strip()),
        date=_yaml_str(date.strip()), rating=_yaml_str(rating))
    atomic_write(target, text.encode("utf-8"))
    return target

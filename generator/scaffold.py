"""Scaffolding: new claim files with every field present and documented."""

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


def new_claim(settings: Settings, slug: str, statement: str, claimant: str, date: str,
              rating: str = "pending") -> Path:
    """Write ``claims/<slug>.yaml``; refuse to overwrite; return the path written."""
    if not re.match(ID_PATTERN, slug):
        raise ClaimlineError(f"'{slug}' cannot be a claim id",
                             "use lower-case letters, digits, '-' and '_', e.g. putin-peaceful-policy")
    for name, value in (("statement", statement), ("claimant", claimant)):
        if not value.strip():
            raise ClaimlineError(f"the {name} is empty")
    try:
        parse_date(date)
    except ValueError as exc:
        raise ClaimlineError(str(exc)) from None
    if rating not in settings.ratings:
        raise ClaimlineError(f"unknown rating '{rating}'",
                             did_you_mean(rating, settings.ratings) or f"choose one of: {', '.join(settings.ratings)}")
    folder = settings.claims_dir
    existing = {p.stem.lower(): p for p in folder.rglob("*.y*ml")} if folder.is_dir() else {}
    if slug.lower() in existing:
        raise ClaimlineError(f"{existing[slug.lower()].relative_to(settings.root)} already exists; not overwritten",
                             "choose another id, or edit the existing file")
    target = safe_target(folder, f"{slug}.yaml")
    text = modeline(settings, target) + "\n" + (TEMPLATES / "new_claim.yaml").read_text("utf-8").format(
        statement=_yaml_str(statement.strip()), claimant=_yaml_str(claimant.strip()),
        date=_yaml_str(date.strip()), rating=_yaml_str(rating))
    atomic_write(target, text.encode("utf-8"))
    return target

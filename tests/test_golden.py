"""Golden files: one per page type, rendered from the sample site.

A change to templates or sample content shows up here as a diff to review.
Regenerate after an intended change with:

    UPDATE_GOLDEN=1 bash .ci/test tests/test_golden.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import REPO
from generator import api

GOLDEN = Path(__file__).parent / "golden"

PAGE_TYPES = {
    "home": "index.md",
    "claims-index": "claims/index.md",
    "claim": "claims/russia-denies-attack-plans.md",
    "claim-pending": "claims/ushakov-kyiv-sabotages-minsk.md",
    "timeline-index": "timeline/index.md",
    "timeline-year": "timeline/2021.md",
    "story": "stories/russia-ukraine-crisis-2021-22.md",
    "stories-index": "stories/index.md",
    "claimant": "claimants/vladimir-putin.md",
    "claimants-index": "claimants/index.md",
    "article": "articles/putin-biden-summit-2021-12-08.md",
    "articles-index": "articles/index.md",
    "rating": "ratings/false.md",
    "ratings-index": "ratings/index.md",
    "methodology": "methodology.md",
    "topic": "topics/russia.md",
    "topics-index": "topics/index.md",
    "corrections": "corrections.md",
    "data": "data.md",
}


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return api.render(REPO).files


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_page_matches_golden(kind: str, rendered: dict[str, bytes]) -> None:
    path = PAGE_TYPES[kind]
    assert path in rendered, f"the sample site no longer has a {kind} page at {path}"
    golden = GOLDEN / f"{kind}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(rendered[path])
    assert golden.exists(), f"missing {golden}; run UPDATE_GOLDEN=1 bash .ci/test tests/test_golden.py"
    assert rendered[path].decode() == golden.read_text("utf-8")


def test_every_page_type_has_a_golden_file() -> None:
    """Every template that renders pages is covered by at least one golden file."""
    templates = {p.name for p in (REPO / "generator" / "templates").glob("*.md") if not p.name.startswith("_")}
    covered = {p.template for p in api.render(REPO).pages if p.path in PAGE_TYPES.values()}
    assert templates - covered == set()


def test_counts_read_as_english(rendered: dict[str, bytes]) -> None:
    """Wherever a page counts things, one of them is singular (the sample has one article, and claimants with
    one claim); any other count is plural."""
    assert "12 fact-checked claims, 1 article and 8 claimants" in rendered["index.md"].decode()
    assert "<caption>1 claim checked</caption>" in rendered["claimants/joe-biden.md"].decode()
    assert "A story in 16 entries: 12 claims and 1 article," in rendered[PAGE_TYPES["story"]].decode()
    pages = "".join(data.decode() for path, data in rendered.items() if path.endswith(".md"))
    assert not re.search(r"\b1 (claims|articles|entries|claimants)\b", pages)
    assert not re.search(r"\b(0|[2-9]|1\d+) (claim|article|entry|claimant)\b", pages)


def test_large_counts_are_grouped_by_thousands() -> None:
    """An archive's counts read as a reader writes them: "12,836 claims" on the home page, in the command's
    summary and in an import's report."""
    from generator.report import counted

    assert counted(12836, "fact-checked claim") == "12,836 fact-checked claims"
    assert (counted(1, "entry"), counted(0, "entry"), counted(1000, "entry")) == ("1 entry", "0 entries", "1,000 entries")

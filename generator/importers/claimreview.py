"""Import schema.org ClaimReview markup, the format fact-checkers publish their verdicts in.

The input forms (one object or a list, a DataFeed, JSON Lines, one ``<script>`` per line) are read by
:mod:`generator.importers.jsonld`, which gives every record its line number.

Field mapping: ``claimReviewed`` → statement; ``itemReviewed.author`` → claimant (``name``,
``jobTitle`` → role, ``sameAs`` → same_as); ``itemReviewed.datePublished`` → date;
``itemReviewed.appearance``/``firstAppearance`` → appearances (where the claim was made);
``reviewRating.alternateName`` (or ``name``) → rating through the rating table, kept verbatim in
``original_review.rating``; ``author`` → ``original_review.by``/``by_url`` and ``reviewed.by``;
``url``, ``datePublished``, ``sdLicense`` (or, without it, ``license``, which claimline's own
``claims.json`` writes) and ``@id`` → ``original_review``; ``datePublished`` → ``reviewed.date`` too.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from slugify import slugify

from ..config import Settings
from ..dates import FuzzyDate, parse_date
from .common import ImportReport, RatingTable, Record, input_files, one_line
from .jsonld import is_claimreview, read_claimreviews
from .writer import write_records

SOURCE = "claimreview"
SUFFIXES = (".json", ".jsonld", ".jsonl", ".ndjson", ".txt", ".html")

# One publisher, one name: normalised (case-folded, single-spaced) name → the name shown.
PUBLISHER_ALIASES = {
    **dict.fromkeys(["washington post", "the washington post", "washingtonpost.com",
                     "washington post fact checker", "the fact checker"], "The Washington Post"),
    **dict.fromkeys(["weekly standard", "the weekly standard"], "The Weekly Standard"),
    **dict.fromkeys(["politifact", "politifact.com"], "PolitiFact"),
    **dict.fromkeys(["factcheck.org", "factcheck", "factcheck org"], "FactCheck.org"),
    **dict.fromkeys(["snopes", "snopes.com"], "Snopes"),
    **dict.fromkeys(["full fact", "fullfact", "fullfact.org"], "Full Fact"),
    **dict.fromkeys(["associated press", "the associated press", "ap fact check"], "The Associated Press"),
    **dict.fromkeys(["afp fact check", "afp factcheck"], "AFP Fact Check"),
    **dict.fromkeys(["reuters", "reuters fact check"], "Reuters"),
}
_NOT_SLUGS = {"", "index", "amp", "story", "article", "html"}


_HTTP = re.compile(r"^https?://[^\s/?#<>\"'`]+[^\s<>\"'`]*$", re.I)


def http_url(value: Any) -> str | None:
    """``value`` if it is an http(s) address the model accepts, else ``None``."""
    text = value.strip() if isinstance(value, str) else ""
    return text if _HTTP.match(text) else None


def import_claimreview(settings: Settings, path: Path | str, dest: Path | str | None = None) -> ImportReport:
    """Import ClaimReview markup from ``path`` (a file, or a folder of them) into ``dest``.

    ``dest`` defaults to ``claims/imported/claimreview/``. Raises :class:`ClaimlineError` when the input
    cannot be read at all and :class:`ConfigError` when the rating table does not fit the site's scale.
    """
    table = RatingTable.for_site(settings)
    files = input_files(path, SUFFIXES)
    report = ImportReport([f.name for f in files])
    state = _State(table)
    records = []
    for file in files:
        for line, value, error in read_claimreviews(file):
            report.records += 1
            if error:
                report.skip(file.name, line, "unreadable record", error)
                continue
            rec = _record(value, file.name, line, state, report)
            if rec is not None:
                records.append(rec)
    write_records(settings, dest or settings.claims_dir / "imported" / SOURCE, records, report)
    return report


class _State:
    """What the import remembers across records: the table, the reviews (by URL) and ids already used."""

    def __init__(self, table: RatingTable):
        self.table = table
        self.seen: dict[str, str] = {}  # review URL (or, without one, what tells reviews apart) → "file:line"
        self.ids: dict[str, str] = {}  # id → the text its hash was made from


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _date(value: Any) -> tuple[FuzzyDate | None, str | None]:
    """``(date, None)``, ``(None, None)`` when absent, ``(None, text)`` when it cannot be read."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    text = one_line(value)
    day = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$", text)
    try:
        date = parse_date(day.group(1) if day else text)
    except ValueError:
        return None, text
    return FuzzyDate(date.year, date.month, date.day), None


def _urls(value: Any) -> list[str]:
    """The addresses in a ``sameAs``/``appearance`` value: text, a mapping with ``url``/``@id``, or a list."""
    out = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict):
            item = item.get("url") or item.get("@id")
        if item not in (None, ""):
            out.append(item if isinstance(item, str) else json.dumps(item))  # not text: dropped as no address
    return out


def _home(url: str | None) -> str | None:
    """A site's address with the slash a bare host needs: ``https://www.politifact.com`` gets its ``/``."""
    return url + "/" if url and not urlsplit(url).path else url


def review_id(url: str, fallback: str, taken: dict[str, str], basis: str = "") -> tuple[str, bool]:
    """A stable id: a slug of the review URL's last meaningful path segment (≤ 60 characters) and a short
    hash of the URL. Without a URL the slug comes from ``fallback`` and the hash from ``basis`` (or
    ``fallback``). ``taken`` maps ids already given to what they were made from; on a clash the hash
    grows. Returns the id and whether it had to grow."""
    basis = url or basis or fallback
    digest = hashlib.sha1(basis.encode("utf-8")).hexdigest()
    slug = ""
    for segment in reversed(urlsplit(url).path.split("/") if url else []):
        segment = re.sub(r"\.(html?|php|aspx?|shtml)$", "", unquote(segment), flags=re.I)
        if segment.lower() in _NOT_SLUGS or segment.isdigit():
            continue
        slug = slugify(segment, max_length=60, word_boundary=True)
        if slug and not slug.isdigit():
            break
        slug = ""
    slug = slug or slugify(fallback, max_length=60, word_boundary=True) or "review"
    for size in range(6, len(digest) + 1, 2):
        ident = f"{slug}-{digest[:size]}"
        if taken.get(ident, basis) == basis:
            taken[ident] = basis
            return ident, size > 6
    raise AssertionError("unreachable: a full SHA-1 clash")  # pragma: no cover


def _publisher(author: Any, rec: Record) -> tuple[str, str | None]:
    """The review's publisher name (through :data:`PUBLISHER_ALIASES`) and home page."""
    author = _first(author)
    name = rec.text(author.get("name") if isinstance(author, dict) else author, "publisher")
    by_url = _home(http_url(author.get("url"))) if isinstance(author, dict) else None
    shown = PUBLISHER_ALIASES.get(" ".join(name.casefold().split()), name)
    if shown != name:
        rec.note("publisher name normalised", f"'{name}' → '{shown}'")
    return shown, by_url


def _record(review: Any, source: str, line: int, state: _State, report: ImportReport) -> Record | None:
    """The claim for one ClaimReview, or ``None`` after recording in ``report`` why it was skipped."""
    if not is_claimreview(review):
        kind = review.get("@type") if isinstance(review, dict) else type(review).__name__
        report.skip(source, line, "not a ClaimReview", f"@type {kind!r}" if isinstance(review, dict) else kind)
        return None
    rec = Record("", {}, source, line)
    url_text = one_line(review.get("url")) if isinstance(review.get("url"), str) else ""
    if url_text and url_text in state.seen:
        report.skip(source, line, "duplicate review URL (the first record is kept)",
                    f"same URL as {state.seen[url_text]}")
        return None
    item = review.get("itemReviewed") if isinstance(review.get("itemReviewed"), dict) else {}
    statement = rec.text(review.get("claimReviewed"), "statement")
    if not statement:
        report.skip(source, line, "no statement", "claimReviewed is missing or empty")
        return None
    author = _first(item.get("author"))
    claimant = rec.text(author.get("name") if isinstance(author, dict) else author, "claimant")
    if not claimant:
        report.skip(source, line, "no claimant", "itemReviewed.author has no name")
        return None
    by, by_url = _publisher(review.get("author"), rec)
    if not by:
        report.skip(source, line, "no reviewer", "the ClaimReview's author has no name")
        return None
    reviewed, _ = _date(review.get("datePublished"))
    # without a URL, a review is told apart by who reviewed which claim when (and so is its id's hash)
    key = url_text or "\n".join([claimant, statement, by, reviewed.iso() if reviewed else ""])
    if key in state.seen:
        report.skip(source, line, "duplicate review (the first record is kept)",
                    f"no URL, and the same claimant, statement, reviewer and review date as {state.seen[key]}")
        return None
    url = http_url(url_text)
    if not url:
        rec.note("no review URL: the claim does not link to the original review",
                 f"url {url_text!r}" if url_text else "no url")
    rec.ident, grew = review_id(url_text, f"{claimant} {statement}", state.ids, key)
    if grew:
        rec.note("two records gave the same id: a longer hash was used", rec.ident)
    state.seen[key] = f"{source}:{line}"

    person: dict[str, Any] = {"name": claimant}
    if isinstance(author, dict):
        role = rec.text(author.get("jobTitle"), "claimant role")
        if role:
            person["role"] = role
        links = _urls(author.get("sameAs"))
        same_as = [u for u in map(http_url, links) if u]
        if len(same_as) < len(links):
            rec.note("claimant link is not a web address: dropped")
        if same_as:
            person["same_as"] = list(dict.fromkeys(same_as))
    data: dict[str, Any] = {"statement": statement, "claimant": person if len(person) > 1 else claimant,
                            "date": _claim_date(item, review, rec)}
    rating = _first(review.get("reviewRating"))
    rating = rating if isinstance(rating, dict) else {}
    verdict = rec.text(rating.get("alternateName") or rating.get("name"), "verdict")
    data["rating"] = rec.rate(state.table, verdict)
    seen_at = _urls(item.get("appearance")) + _urls(item.get("firstAppearance"))
    places = list(dict.fromkeys(u for u in map(http_url, seen_at) if u))
    if len(places) < len(set(seen_at)):
        rec.note("appearance is not a web address: dropped")
    if places:
        data["appearances"] = [{"url": u} for u in places]
    if reviewed:
        data["reviewed"] = {"date": reviewed.iso(), "by": by}
    licence = _urls(review.get("sdLicense") or review.get("license"))
    if licence and not http_url(licence[0]):
        rec.note("licence is not a web address: dropped", f"{licence[0]!r}")
    original = {"by": by, "by_url": by_url, "url": url, "rating": verdict or None,
                "date": reviewed.iso() if reviewed else None, "license": http_url(licence[0]) if licence else None,
                "id": rec.text(review.get("@id"), "@id") or None}
    data["original_review"] = {k: v for k, v in original.items() if v}
    rec.data = data
    return rec


def _claim_date(item: dict, review: dict, rec: Record) -> str:
    """The claim's date; when it is missing or after the review, the review's date marked approximate."""
    claimed, bad = _date(item.get("datePublished"))
    if bad:
        rec.note("unreadable claim date: ignored", repr(bad))
    reviewed, bad = _date(review.get("datePublished"))
    if bad:
        rec.note("unreadable review date: ignored", repr(bad))
    if reviewed is None:
        rec.note("no review date: no 'reviewed' block")
    if claimed and reviewed and claimed.first_day() > reviewed.last_day():
        rec.note("claim dated after its review: the review date is used as an approximate claim date",
                 f"claim {claimed}, review {reviewed}")
        return f"~{reviewed.iso()}"
    if claimed:
        return claimed.iso()
    if reviewed:
        rec.note("no claim date: the review date is used as an approximate claim date")
        return f"~{reviewed.iso()}"
    rec.note("no claim date and no review date: date 'unknown'")
    return "unknown"

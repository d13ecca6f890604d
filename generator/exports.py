"""Open data and feeds, rendered from the linked site: every value comes from the data, never the clock.

* ``claims.json`` — a schema.org ``DataFeed`` of every ClaimReview (claims with a verdict);
* ``claims.csv`` — one row per claim, for spreadsheets;
* ``timeline.json`` — the timeline in TimelineJS's JSON format (text fields HTML-escaped, as
  TimelineJS renders them as HTML);
* ``feed.xml`` — an Atom feed of the newest and most recently updated fact-checks.
"""

from __future__ import annotations

import csv
import heapq
import html
import io
import re
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

from collections.abc import Callable

from .records import Site
from .markup import clean, markdown_plain
from .plan import Entry, newest_first
from .structured import SCHEMA, canonical, claim_review, compact_json, has_review, site_address

Piece = Callable[..., str] | None  # piece(key, make, same=None) -> str

CSV_FIELDS = [
    ("id", "The claim's id; its page is claims/<id>/."),
    ("url", "Address of the claim's page."),
    ("statement", "What was claimed."),
    ("claimant", "Who made the claim."),
    ("claimant_role", "The claimant's role, when given."),
    ("date", "When the claim was made, at its precision (2021-12-07, 2021-12 or 2021); empty when unknown."),
    ("date_approximate", "true when the date is approximate."),
    ("rating", "The rating's id on the site's scale."),
    ("rating_label", "The rating as shown on the site."),
    ("rating_value", "The rating's numeric value, when the scale gives it one."),
    ("summary", "The summary, as plain text."),
    ("reviewed", "When the claim was reviewed."),
    ("updated", "The newest date on the record (claim, review or update)."),
    ("tags", "Topics, separated by '; '."),
    ("story", "The story the claim belongs to."),
    ("original_reviewer", "For imported claims: who published the original review."),
    ("original_rating", "For imported claims: the original reviewer's verdict."),
    ("original_url", "For imported claims: the original review."),
]


def _whole(piece: Piece) -> Piece:
    return piece or (lambda key, make, same=None: make())


def claims_feed(site: Site, piece: Piece = None) -> bytes:
    piece = _whole(piece)
    reviews = [piece(("review", ident), lambda ident=ident: compact_json(claim_review(site, site.claims[ident])))
               for ident, rec in site.claims.items() if has_review(rec)]
    head = compact_json({"@context": SCHEMA, "@type": "DataFeed", "name": f"{site.settings.site_name}: fact-checks",
                         "url": canonical(site.settings, "data.md")})
    return (head[:-1] + ',"dataFeedElement":[' + ",".join(reviews) + "]}\n").encode("utf-8")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """Editor text for a spreadsheet cell: cleaned (:func:`clean`), and never a formula (``=HYPERLINK(…)``
    would run when the file opens)."""
    value = clean(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv_row(site: Site, ident: str) -> str:
    rec = site.claims[ident]
    c, o = rec.claim, rec.claim.original_review
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([
        ident, canonical(site.settings, f"claims/{ident}.md"), _text(c.statement),
        _text(c.claimant.name), _text(c.claimant.role or ""), c.date.iso() if c.date else "",
        "true" if c.date and c.date.approximate else "", rec.rating.id, _text(rec.rating.label),
        "" if rec.rating.value is None else rec.rating.value, _text(markdown_plain(c.summary)),
        c.reviewed.date.iso() if c.reviewed else "", rec.updated.iso() if rec.updated else "",
        _text("; ".join(c.tags)), _text(c.story or ""), _text(o.by) if o else "", _text(o.rating or "") if o else "",
        (o.url or "") if o else ""])
    return out.getvalue()


def claims_csv(site: Site, piece: Piece = None) -> bytes:
    piece = _whole(piece)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([name for name, _ in CSV_FIELDS])
    rows = [piece(("csv", ident), lambda ident=ident: _csv_row(site, ident)) for ident in site.claims]
    return (out.getvalue() + "".join(rows)).encode("utf-8")


def _tl_date(date, display: bool = True) -> dict:
    out: dict = {"year": date.year}
    if date.month:
        out["month"] = date.month
    if date.day:
        out["day"] = date.day
    if display:
        out["display_date"] = date.human()
    return out


def _slide(site: Site, entry: Entry) -> str:
    groups = {"claim": "Claims", "event": "Events", "article": "Articles"}
    # an event is an item of its article's page; a claim or an article is the page itself (its anchor is the
    # timeline page's, which the slide does not link to)
    url = canonical(site.settings, entry.target) + (f"#{entry.anchor}" if entry.kind == "event" else "")
    text = f'<a href="{html.escape(url)}">Read more</a>'
    if entry.kind == "claim":
        rec = site.claims[entry.ident]
        text = (f"{html.escape(clean(site.claimants[rec.claimant].name))} · "
                f"{html.escape(clean(rec.rating.label))} · {text}")
    slide = {"unique_id": entry.anchor, "group": groups[entry.kind], "start_date": _tl_date(entry.date),
             "text": {"headline": html.escape(clean(entry.title)), "text": text}}
    if entry.end:
        slide["end_date"] = _tl_date(entry.end)
    return compact_json(slide)


def timeline_js(site: Site, entries: list[Entry], piece: Piece = None) -> bytes:
    """TimelineJS JSON: ``{"title": slide, "events": [slide, …]}``; text is HTML-escaped for it."""
    piece = _whole(piece)
    events = [piece(("slide", entry.anchor), lambda entry=entry: _slide(site, entry), entry) for entry in entries]
    title = {"text": {"headline": html.escape(clean(site.settings.site_name)),
                      "text": "Claims, events and articles in date order."}}
    return ('{"title":' + compact_json(title) + ',"events":[' + ",".join(events) + "]}\n").encode("utf-8")


# What XML 1.0 has no character for (a feed holding one is not well-formed): C0 controls but tab, line feed and
# carriage return, surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    """Editor or settings text for XML: cleaned (:func:`clean`), and never ill-formed (:func:`_xml` escapes it
    as character data, :func:`_xml_attr` quotes it as an attribute)."""
    return _NOT_XML.sub("", clean(text))


def _xml(text: str) -> str:
    return escape(_xml_text(text))


def _xml_attr(text: str) -> str:
    return quoteattr(_xml_text(text))


def atom_feed(site: Site, size: int = 50) -> bytes:
    """The newest and most recently updated checks; dated from the data, so two builds agree."""
    s = site.settings
    dated = heapq.nsmallest(size, (rec for rec in site.claims.values() if rec.updated),
                            key=lambda r: (newest_first(r.updated), r.id))
    feed_url = site_address(s, "feed.xml")
    home = canonical(s, "index.md")
    # the latest instant, not the largest text: 09:05+01:00 is before 08:30Z
    updated = max((r.updated.datetime_iso() for r in dated), key=datetime.fromisoformat,
                  default="1970-01-01T00:00:00Z")
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
             f"  <title>{_xml(s.site_name)}</title>", f"  <id>{escape(feed_url)}</id>",
             f'  <link rel="self" href={quoteattr(feed_url)}/>', f"  <link href={quoteattr(home)}/>",
             f"  <updated>{updated}</updated>",
             f"  <author><name>{_xml(s.organisation['name'])}</name></author>"]
    for rec in dated:
        url = canonical(s, f"claims/{rec.id}.md")
        published = rec.claim.reviewed.date if rec.claim.reviewed else rec.claim.date or rec.updated
        summary = markdown_plain(rec.claim.summary) or clean(rec.claim.statement)
        lines += ["  <entry>", f"    <title>{_xml(rec.rating.label + ': ' + rec.claim.statement)}</title>",
                  f"    <id>{escape(url)}</id>", f"    <link href={quoteattr(url)}/>",
                  f"    <published>{published.datetime_iso()}</published>",
                  f"    <updated>{rec.updated.datetime_iso()}</updated>",
                  f"    <category term={quoteattr(rec.rating.id)} label={_xml_attr(rec.rating.label)}/>",
                  f"    <summary>{_xml(summary)}</summary>", "  </entry>"]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


EXPORTS = {
    "claims.json": "A schema.org DataFeed of every ClaimReview on the site (claims with a verdict).",
    "claims.csv": "Every claim, one row each; the columns are listed below.",
    "timeline.json": "The whole timeline in TimelineJS's JSON format, ready for a TimelineJS embed.",
    "feed.xml": "An Atom feed of the newest and most recently updated fact-checks.",
}


def export_makers(site: Site, entries: list[Entry], piece: Piece = None) -> dict[str, Callable[[], bytes]]:
    """The call that makes each of the four files (each is independent of the others).

    ``piece(key, make, same)`` may hand back a part (one review, row or slide) made in an earlier run for the
    same ``key`` (and an equal ``same``) instead of calling ``make()`` (the preview server's
    :class:`generator.incremental.Session` does)."""
    return {"claims.json": lambda: claims_feed(site, piece), "claims.csv": lambda: claims_csv(site, piece),
            "timeline.json": lambda: timeline_js(site, entries, piece), "feed.xml": lambda: atom_feed(site)}


def render_exports(site: Site, entries: list[Entry], piece: Piece = None) -> dict[str, bytes]:
    """The four files (see :func:`export_makers`)."""
    return {name: make() for name, make in export_makers(site, entries, piece).items()}

"""schema.org data for fact-check tools and search engines: ClaimReview, Claim and their parts.

A claim with a verdict — on this site's scale, or an imported reviewer's own — gets a ``ClaimReview``;
a claim still ``pending`` with no review anywhere gets a plain ``Claim`` (a ClaimReview without a
``reviewRating`` is invalid for Google).  The same objects feed the page head (one block per claim
page, nowhere else) and the ``claims.json`` DataFeed.  Plain text in them is cleaned as on the pages
(:func:`generator.markup.clean`: no control or bidi-override characters).
"""

from __future__ import annotations

import json

from .config import PENDING, Settings
from .markup import clean
from .records import ClaimRec, Site
from .plan import page_address, relative_url

SCHEMA = "https://schema.org"
# json.dumps(value, ensure_ascii=False, separators=(",", ":")), without making an encoder per call (thousands of calls)
compact_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def canonical(settings: Settings, path: str, start: str = "index.md") -> str:
    """The absolute URL of a docs page (``site_url`` + its URL: ``claims/x/``, or ``claims/x.html`` when the
    site does not use directory URLs).

    Without ``site_url`` the URL is relative to ``start``, the docs page the URL is written into (``index.md``,
    the site's root, for the feed and the data files): a site published under a path (a GitHub Pages project
    site, ``/factchecks/``) has no root-relative address, but a relative one resolves against the document
    that holds it, under any path."""
    if settings.site_url:
        return site_address(settings, page_address(path, settings.use_directory_urls))
    return relative_url(start, path, directory_urls=settings.use_directory_urls)


def site_address(settings: Settings, url: str) -> str:
    """``url``, relative to the site's root, made absolute with ``site_url``; as it is without one."""
    return settings.site_url.rstrip("/") + "/" + url if settings.site_url else url


def _organisation(name: str, url: str | None) -> dict:
    org = {"@type": "Organization", "name": clean(name)}
    if url:
        org["url"] = url
    return org


def _claimant(rec: ClaimRec) -> dict:
    claimant = rec.claim.claimant
    kind = "Organization" if claimant.kind == "organization" else "Person"
    out: dict = {"@type": kind, "name": clean(claimant.name)}
    if claimant.role and kind == "Person":
        out["jobTitle"] = clean(claimant.role)
    if claimant.same_as:
        out["sameAs"] = claimant.same_as[0] if len(claimant.same_as) == 1 else list(claimant.same_as)
    return out


def _appearances(site: Site, rec: ClaimRec, start: str) -> list[dict]:
    out = []
    for appearance in rec.claim.appearances:
        article = site.articles.get(appearance.article or "")
        if article is not None:
            work = {"@type": "CreativeWork",
                    "url": article.meta.url or canonical(site.settings, f"articles/{article.id}.md", start),
                    "headline": clean(article.title), "datePublished": article.meta.date.iso()}
            if article.meta.publisher:
                work["publisher"] = _organisation(article.meta.publisher, None)
        elif appearance.url:
            work = {"@type": "CreativeWork", "url": appearance.url}
        else:
            continue
        out.append(work)
    return out


def claim_object(site: Site, rec: ClaimRec, start: str = "index.md") -> dict:
    """The schema.org ``Claim`` that was made: who said it, when, and where it appeared (URLs as for
    :func:`canonical` written into ``start``)."""
    claim: dict = {"@type": "Claim", "author": _claimant(rec)}
    if rec.claim.date:
        claim["datePublished"] = rec.claim.date.iso()
    appearances = _appearances(site, rec, start)
    if appearances:
        claim["appearance"] = appearances if len(appearances) > 1 else appearances[0]
        claim["firstAppearance"] = appearances[0]
    return claim


def has_review(rec: ClaimRec) -> bool:
    original = rec.claim.original_review
    return rec.rating.id != PENDING or bool(original and original.rating)


def _rating(site: Site, rec: ClaimRec) -> dict:
    original = rec.claim.original_review
    rated_here = rec.rating.id != PENDING
    rating: dict = {"@type": "Rating",
                    "alternateName": clean(original.rating if original and original.rating else rec.rating.label)}
    numeric = [r.value for r in site.settings.numeric]
    # Google: bestRating must be greater than worstRating, so a scale with one number gives none
    if rated_here and rec.rating.value is not None and numeric and max(numeric) > min(numeric):
        rating.update(ratingValue=rec.rating.value, bestRating=max(numeric), worstRating=max(1, min(numeric)))
    return rating


def claim_review(site: Site, rec: ClaimRec, start: str = "index.md") -> dict:
    """A ``ClaimReview`` for a claim with a verdict (raises for one without: use :func:`claim_object`), its
    URLs as for :func:`canonical` written into ``start``."""
    if not has_review(rec):
        raise ValueError(f"claim '{rec.id}' has no verdict yet")
    settings, claim = site.settings, rec.claim
    original = claim.original_review
    theirs = original if original and original.rating else None  # the verdict in words is the original reviewer's
    url = canonical(settings, f"claims/{rec.id}.md", start)
    if theirs:
        author = _organisation(theirs.by, theirs.by_url)
    else:  # this site's verdict, even on an imported claim whose reviewer gave none
        author = _organisation(settings.organisation["name"], settings.organisation.get("url") or None)
    review: dict = {"@type": "ClaimReview", "url": url, "claimReviewed": clean(claim.statement), "author": author,
                    "reviewRating": _rating(site, rec), "itemReviewed": claim_object(site, rec, start)}
    published = (theirs.date if theirs and theirs.date else None) or (claim.reviewed.date if claim.reviewed else None)
    if published:
        review["datePublished"] = published.iso()
    if original and original.url:
        review["isBasedOn"] = original.url
    if theirs and theirs.license:
        review["license"] = theirs.license
    return review


def page_object(site: Site, rec: ClaimRec) -> dict:
    """The one JSON-LD object for a claim page: a ClaimReview, or a Claim while nothing is reviewed."""
    path = f"claims/{rec.id}.md"  # the page it is written into: URLs relative to it when site_url is unset
    if has_review(rec):
        return {"@context": SCHEMA, **claim_review(site, rec, path)}
    return {"@context": SCHEMA, **claim_object(site, rec, path), "text": clean(rec.claim.statement),
            "url": canonical(site.settings, path, path)}


def script_json(data: dict) -> str:
    """JSON that is safe inside ``<script type="application/ld+json">`` (no ``</script>``, no ``<!--``)."""
    text = compact_json(data)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

"""Stage 3 — link & validate: one consistent :class:`Site` out of the validated records.

Resolves every cross-reference (claim ↔ claim, claim ↔ article), finds
duplicate ids, checks date ordering, and groups claims by claimant, story and
tag.  Every problem is collected with its file position; nothing is written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from slugify import slugify

from .config import PENDING, Settings
from .dates import FuzzyDate
from .errors import Problems, did_you_mean, printable
from .markup import markdown_plain
from .model import (ID_PATTERN, ArticleMeta, Claim, markdown_title, split_text_article, text_blocks,
                    validate)
from .cache import ParseCache
from .layout import check_layout, check_output_links
from .read import ARTICLE_SUFFIXES, CLAIM_SUFFIXES, ArticleSource, Doc
from .records import ArticleRec, ClaimRec, Group, Link, Site

RESERVED_IDS = {"index"}
_ID = re.compile(ID_PATTERN)
MAX_ID_LENGTH = 120  # characters; the page is <id>.md, and file systems allow 255 bytes per name (write.NAME_MAX: 200)
def newest_date(claim: Claim) -> FuzzyDate | None:
    """The newest date a claim carries: an update, the review, or the claim itself (None if undated)."""
    dates = [u.date for u in claim.updates]
    if claim.reviewed:
        dates.append(claim.reviewed.date)
    if claim.original_review and claim.original_review.date:
        dates.append(claim.original_review.date)
    if claim.date:
        dates.append(claim.date)
    return max(dates, key=lambda d: d.sort_key) if dates else None


def _checked(settings: Settings, ident: str, doc: Doc, problems: Problems) -> tuple[Claim | None, FuzzyDate | None]:
    claim = check_claim(settings, ident, doc, problems)
    return claim, newest_date(claim) if claim is not None else None


def _file_id(path: Path, folder: Path, problems: Problems, seen: dict[str, Path], kind: str,
             paths: list[Path]) -> str | None:
    """The id a file name gives (noted in ``seen``), or None with the problem reported."""
    ident = path.stem
    key = ident.lower()
    if key not in seen and _ID.fullmatch(ident) and ident not in RESERVED_IDS and len(ident) <= MAX_ID_LENGTH:
        seen[key] = path
        return ident
    _report_id(path, ident, folder, problems, seen, kind, paths)
    return None


def _report_id(path: Path, ident: str, folder: Path, problems: Problems, seen: dict[str, Path], kind: str,
               paths: list[Path]) -> None:
    """What is wrong with a file name :func:`_file_id` did not take as an id."""
    a_kind = f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"
    if not _ID.fullmatch(ident):
        twins = [p for p in paths if p != path and p.stem.lower() == ident.lower()]
        if twins:  # Foo.yaml beside foo.yaml: renaming it as below would overwrite the other file
            problems.error(path, (1, 1), f"duplicate {kind} id '{ident}' (also used by "
                           f"{twins[0].relative_to(folder.parent).as_posix()})",
                           "ids must be unique, ignoring case; merge the two files or rename this one")
            return
        better = slugify(ident) or "untitled"
        taken = any(p != path and p.stem.lower() == better for p in paths)
        problems.error(path, (1, 1), f"file name '{printable(path.name, True)}' cannot be used as {a_kind} id; "
                       "ids use lower-case letters, digits, '-' and '_'",
                       f"rename it to '{better}{path.suffix}'" if not taken else
                       f"rename it; '{better}' is already the id of another {kind}")
    elif ident in RESERVED_IDS:
        problems.error(path, (1, 1), f"'{ident}' is reserved and cannot be {a_kind} id", "rename the file")
    elif len(ident) > MAX_ID_LENGTH:
        problems.error(path, (1, 1), f"the file name is {len(ident)} characters long; {a_kind} id may have at most "
                       f"{MAX_ID_LENGTH}", "rename the file to a shorter id")
    else:
        first = seen[ident.lower()].relative_to(folder.parent).as_posix()
        problems.error(path, (1, 1), f"duplicate {kind} id '{ident}' (also used by {first})",
                       "ids must be unique, ignoring case; rename one of the files")


def load_site(settings: Settings, problems: Problems, cache: ParseCache | None = None) -> Site:
    """Read, validate and link every input of the project. Problems are collected, never raised.

    ``cache`` (optional) supplies already-parsed inputs by content hash; validation always runs.
    """
    cache = cache or ParseCache(None)
    site = Site(settings)
    if not check_layout(settings, problems) or not check_output_links(settings, problems):
        return site
    seen: dict[str, Path] = {}
    paths = cache.discover(settings.content_dir, ARTICLE_SUFFIXES, problems)
    claim_paths = cache.discover(settings.claims_dir, CLAIM_SUFFIXES, problems)
    cache.prefill([("article", path) for path in paths] + [("yaml", path) for path in claim_paths])
    for path in paths:
        ident = _file_id(path, settings.content_dir, problems, seen, "article", paths)
        source = cache.article(path, problems) if ident else None
        if source is not None:
            article = cache.memo("article", ident, source, problems, lambda p: _article(ident, source, p))
            if article:  # a fresh record each run: linking fills in cited_by, story and tags
                site.articles[ident] = replace(article, cited_by=[], tags=[])
    named_articles, seen = set(seen), {}
    docs: dict[str, Doc] = {}  # every claim file that is a mapping, valid or not
    paths, ratings = claim_paths, settings.ratings
    for path in paths:
        ident = _file_id(path, settings.claims_dir, problems, seen, "claim", paths)
        doc = cache.yaml_doc(path, problems) if ident else None
        if doc is None:
            continue
        if doc.data is None:
            problems.error(path, (1, 1), "the claim file is empty",
                           "a claim needs at least statement, claimant, date and rating")
            continue
        claim, updated = cache.memo("claim", ident, doc, problems, lambda p: _checked(settings, ident, doc, p))
        if isinstance(doc.data, dict):
            docs[ident] = doc
        if claim is not None:
            site.claims[ident] = ClaimRec(ident, path, claim, ratings.get(claim.rating) or ratings[PENDING],
                                          updated=updated)
    named = set(seen) | {f"article:{i}" for i in named_articles}
    cache.link(site, docs, named, problems, lambda found: _link_all(site, docs, named, found))
    return site


def _link_all(site: Site, docs: dict[str, Doc], named: set[str], problems: Problems) -> None:
    _check_references(site, docs, problems, named)
    _link_claims(site, docs, problems)
    _group(site)


def link_key(claim: Claim) -> tuple:
    """What linking and grouping read of a valid claim: two claims with the same key link and group alike."""
    return claim.related, claim.appearances, claim.claimant, claim.story, claim.tags


def _article(ident: str, source: ArticleSource, problems: Problems) -> ArticleRec | None:
    meta_doc = source.meta
    if not isinstance(meta_doc.data, dict):
        validate(ArticleMeta, meta_doc, problems, what="front matter")
        return None
    if "date" not in meta_doc.data:
        problems.error(source.path, (1, 1), "the article has no date",
                       "add front matter at the top:\n---\ndate: 2021-12-08\n---")
        found = Problems(root=problems.root)  # report the other fields' problems, not the missing date twice
        validate(ArticleMeta, meta_doc, found, what="front matter")
        problems.extend(p for p in found.items if p.message != "missing required field 'date'")
        return None
    meta = validate(ArticleMeta, meta_doc, problems, what="front matter")
    if meta is None:
        return None
    if source.format == "text":
        first, standfirst, rest = split_text_article(source.body)
        title = meta.title or first
        blocks = text_blocks(rest)
        body = rest
    else:
        heading, body = markdown_title(source.body)
        title, standfirst, blocks = meta.title or heading, None, []
    if not title:
        problems.error(source.path, (source.body_line, 1), "the article has no title",
                       "add 'title:' to the front matter" + (" or start the body with '# Title'"
                                                              if source.format == "markdown" else ""))
        return None
    return ArticleRec(ident, source.path, meta, title, standfirst, body, source.format, blocks)


def _normal(text: str) -> str:
    text = re.sub(r"[“”„«»″]", '"', text)
    text = re.sub(r"[‘’‚′`]", "'", text)
    text = text.replace("…", "...")
    return " ".join(text.split()).lower()


@lru_cache(maxsize=8192)  # the preview server checks every quote after each save; the articles rarely change
def _searchable(title: str, standfirst: str | None, body: str, fmt: str) -> str:
    """An article's words as a quote is looked up in them: plain text, quotes and spaces made uniform."""
    return _normal(" ".join([title, standfirst or "", body if fmt == "text" else markdown_plain(body)]))


@lru_cache(maxsize=65536)
def _quoted(quote: str) -> str:
    return _normal(quote).strip("\"' .")


def _items(data: dict, key: str) -> list[tuple[int, dict]]:
    value = data.get(key)
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)] if isinstance(value, list) else []


def _text_at(item: dict, key: str) -> str | None:
    value = item.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def check_claim(settings: Settings, ident: str, doc: Doc, problems: Problems) -> Claim | None:
    """Everything ``check`` says about one claim file on its own: the model's checks, the rating
    against the site's scale, and the order of its dates. Importers run the same function."""
    claim = validate(Claim, doc, problems, what="claim file")
    if not isinstance(doc.data, dict):
        return None
    ratings, path = settings.ratings, doc.path
    rating = _text_at(doc.data, "rating")
    if rating is not None and rating not in ratings:
        problems.error(path, doc.at(("rating",)), f"unknown rating '{rating}'",
                       did_you_mean(rating, ratings) or f"the site's ratings are: {', '.join(ratings)}")
    if claim is None:
        return None
    if claim.date and claim.reviewed and claim.reviewed.date.last_day() < claim.date.first_day():
        problems.error(path, doc.at(("reviewed", "date")),
                       f"the claim is dated {claim.date} but was reviewed on {claim.reviewed.date}, before it "
                       "was made", "check both dates; a review cannot come before the claim")
    for i, update in enumerate(claim.updates):
        if claim.date and update.date.last_day() < claim.date.first_day():
            problems.warning(path, doc.at(("updates", i, "date")),
                             f"update dated {update.date} is earlier than the claim ({claim.date})")
    return claim


def _check_references(site: Site, docs: dict[str, Doc], problems: Problems, named: set[str]) -> None:
    """Ids named in every claim file, valid or not, so that one run reports every mistake.

    ``named``: ids of every input file, valid or not (articles as ``article:<id>``); a reference to a
    file that exists but has problems of its own is not reported again.
    """
    for ident, doc in docs.items():
        data, path = doc.data, doc.path
        for i, rel in _items(data, "related"):
            other = _text_at(rel, "claim")
            if other == ident:
                problems.error(path, doc.at(("related", i, "claim")), f"claim '{ident}' is related to itself",
                               "name a different claim id")
            elif other is not None and other not in named:
                problems.error(path, doc.at(("related", i, "claim")), f"related claim '{other}' does not exist",
                               did_you_mean(other, [n for n in named if not n.startswith("article:")])
                               or "the id is the claim's file name without .yaml")
        for i, appearance in _items(data, "appearances"):
            article = _text_at(appearance, "article")
            if article is not None and f"article:{article}" not in named:
                problems.error(path, doc.at(("appearances", i, "article")), f"article '{article}' does not exist",
                               did_you_mean(article, site.articles)
                               or "the id is the article's file name in content/ without its extension")


def _link_claims(site: Site, docs: dict[str, Doc], problems: Problems) -> None:
    """Relations shown on both pages, and articles' citations (with their quotes), for the valid claims."""
    for ident, rec in site.claims.items():
        claim, doc, path = rec.claim, docs[ident], rec.path
        for rel in claim.related:
            if rel.claim != ident and rel.claim in site.claims:
                rec.links.append(Link(rel.relation, rel.claim))
        for i, appearance in enumerate(claim.appearances):
            article = site.articles.get(appearance.article or "")
            if article is None:
                continue
            if ident not in article.cited_by:
                article.cited_by.append(ident)
            if appearance.quote and _quoted(appearance.quote) not in _searchable(
                    article.title, article.standfirst, article.body, article.format):
                problems.warning(path, doc.at(("appearances", i, "quote")),
                                 f"the quote was not found in article '{article.id}'",
                                 "copy the words exactly as the article prints them")
    declared = [(ident, link) for ident, rec in site.claims.items() for link in rec.links]
    for ident, link in declared:  # show every relation on both claims' pages
        other = site.claims[link.other]
        if not any(x.other == ident for x in other.links):
            other.links.append(Link(link.relation, ident, inverse=True))


@lru_cache(maxsize=65536)  # a claimant or topic name recurs on thousands of claims
def group_slug(name: str) -> str:
    slug = slugify(name, max_length=80, word_boundary=True) or "untitled"  # same name, any case: one page
    return f"{slug}-1" if slug in RESERVED_IDS else slug


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """What makes two names one claimant, story or topic: the same letters and digits in the same script,
    whatever their case, accents and punctuation.  李明 and 黎明, or Прага and Praga, share a slug but not a
    page."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", name.casefold()) if ch.isalnum())


def _into(groups: dict[str, Group], name: str) -> Group:
    base = slug = group_slug(name)
    key, n = name_key(name), 1
    while (group := groups.get(slug)) is not None and name_key(group.name) != key:
        n += 1  # another name with the same slug: the first one filed keeps it
        slug = f"{base}-{n}"
    if group is None:
        group = groups[slug] = Group(slug, name)
    return group


def _file_under(site: Site, ident: str, story: str | None, tags, members: str) -> tuple[str | None, list[str]]:
    """Add a claim or article (``members``: "claims" or "articles") to its story and topics; their slugs."""
    story_slug = None
    if story:
        group = _into(site.stories, story)
        getattr(group, members).append(ident)
        story_slug = group.slug
    tag_slugs: list[str] = []
    for tag in tags:
        group = _into(site.tags, tag)
        if group.slug not in tag_slugs:  # "Russia" and "russia" file the record once
            getattr(group, members).append(ident)
            tag_slugs.append(group.slug)
    return story_slug, tag_slugs


def _group(site: Site) -> None:
    site.claims = dict(sorted(site.claims.items()))
    site.articles = dict(sorted(site.articles.items()))
    for ident, rec in site.claims.items():
        claimant = rec.claim.claimant
        group = _into(site.claimants, claimant.name)
        group.claims.append(ident)
        group.role = group.role or claimant.role
        group.same_as += [u for u in claimant.same_as if u not in group.same_as]
        rec.claimant = group.slug
        rec.story, rec.tags = _file_under(site, ident, rec.claim.story, rec.claim.tags, "claims")
    for ident, article in site.articles.items():
        article.story, article.tags = _file_under(site, ident, article.meta.story, article.meta.tags, "articles")
    for story in site.stories.values():  # a story also shows the articles its claims cite
        cited = set(story.articles)  # a set: a story of hundreds of claims made the list check quadratic
        for ident in story.claims:
            cited.update(a.article for a in site.claims[ident].claim.appearances if a.article in site.articles)
        story.articles = sorted(cited)
    site.claimants = dict(sorted(site.claimants.items()))
    site.stories = dict(sorted(site.stories.items()))
    site.tags = dict(sorted(site.tags.items()))

"""Stage 4 — plan: which pages exist, at which stable paths, with which data.

Paths are Markdown files relative to the docs folder; MkDocs turns
``claims/<id>.md`` into ``claims/<id>/``.  Long lists are split (timeline by
year, then by month; claimant and rating lists into numbered pages) so that no
page grows with the whole archive.  Nothing here formats text.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import zip_longest
from typing import Any

from slugify import slugify

from .dates import FuzzyDate
from .records import Site

KIND_ORDER = {"event": 0, "article": 1, "claim": 2}


@dataclass
class Page:
    path: str  # relative to the docs folder, e.g. "claims/russia-denies.md"
    template: str
    title: str
    own: dict[str, Any] = field(default_factory=dict)  # the page's own data: the claim, the entries, ...
    common: dict[str, Any] = field(default_factory=dict, repr=False)  # what all pages share: site, counts, located

    @property
    def context(self) -> dict[str, Any]:
        """What the page's template sees (made when asked: the preview compares the own data of every page after
        each save, and renders a few)."""
        return {**self.common, **self.own, "page_path": self.path, "title": self.title}


@dataclass(frozen=True)
class Entry:
    """One line of a timeline: a claim, an article or an event."""

    date: FuzzyDate
    kind: str
    title: str
    target: str  # page path the entry links to
    anchor: str
    ident: str
    rating: str | None = None
    end: FuzzyDate | None = None

    @cached_property  # entries are reused between the preview's runs, and sorted in each
    def key(self) -> tuple:
        return (self.date.sort_key, KIND_ORDER[self.kind], self.ident)


def page_url(path: str) -> str:
    """Directory-style URL of a docs page: ``claims/x.md`` → ``claims/x/``, ``index.md`` → ``""``."""
    stem = path[:-3]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        stem = stem[: -len("/index")]
    return stem + "/"


def page_address(path: str, directory_urls: bool = True) -> str:
    """A docs page's URL from the site's root: ``claims/x/`` (``page_url``), or ``claims/x.html`` without
    directory URLs."""
    return page_url(path) if directory_urls else path[:-3] + ".html"


def relative_url(from_path: str, to_path: str, anchor: str = "", directory_urls: bool = True) -> str:
    """Link from page ``from_path`` to page ``to_path`` as the built site will need it."""
    if directory_urls:
        here, there = _url_parts(from_path), _url_parts(to_path)
        url = _relative(here, there) + "/"
        url = "./" if url == "/" else url
    else:
        here, there = from_path.split("/")[:-1], page_address(to_path, False).split("/")
        url = _relative(here, there)
    return url + (f"#{anchor}" if anchor else "")


@lru_cache(maxsize=65536)  # every link of every page asks for both ends' parts: 175,000 links at 10,000 claims
def _url_parts(path: str) -> tuple[str, ...]:
    """The parts of a page's directory URL: ``claims/x.md`` → ``("claims", "x")``, ``index.md`` → ``()``."""
    return tuple(page_url(path).split("/")[:-1])


def _relative(here: list[str] | tuple[str, ...], there: list[str] | tuple[str, ...]) -> str:
    """``posixpath.relpath`` for clean relative paths given as parts (a hot path: every link of every page)."""
    if here and there and here[0] != there[0]:  # most links: from a page in one section to a page in another
        return "../" * len(here) + "/".join(there)
    common = next((n for n, (a, b) in enumerate(zip(here, there)) if a != b), min(len(here), len(there)))
    return "/".join([".."] * (len(here) - common) + list(there[common:]))


def root_file_url(from_path: str, name: str, directory_urls: bool = True) -> str:
    """Link from page ``from_path`` to a file at the site's root (an export, the feed)."""
    depth = page_url(from_path).count("/") if directory_urls else from_path.count("/")
    return "../" * depth + name


def page_path(base: str, n: int) -> str:
    """Path of page ``n`` of a numbered list: ``base.md``, then ``base/page-2.md``, ..."""
    return f"{base}.md" if n == 1 else f"{base}/page-{n}.md"


def chunked(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def paginate(base: str, items: list, size: int) -> list[tuple[str, list, int, int]]:
    """``[(path, items on that page, page number, page count)]``; page 1 is ``base.md``."""
    chunks = chunked(items, size) or [[]]
    return [(page_path(base, n), chunk, n, len(chunks)) for n, chunk in enumerate(chunks, start=1)]


def newest_first(date: FuzzyDate | None) -> tuple[int, int, int]:
    """A sort key that puts the newest date first (to the day) and undated records last."""
    if date is None:
        return (1, 0, 0)
    return (-date.year, -(date.month or 0), -(date.day or 0))  # a tuple of a generator took five times longer


def _latest_first(site: Site) -> list[str]:
    keyed = [(newest_first(rec.updated), newest_first(rec.claim.date), ident) for ident, rec in site.claims.items()]
    keyed.sort()
    return [ident for _, _, ident in keyed]


def _newest_articles(site: Site) -> list[str]:
    return sorted(site.articles, key=lambda i: newest_first(site.articles[i].meta.date))  # ties: by id


def timeline_entries(site: Site) -> list[Entry]:
    """Every claim, article and event with a date, in date order (made once per site: pages and exports need it)."""
    if "timeline" not in site.memo:
        site.memo["timeline"] = _timeline_entries(site)
    return list(site.memo["timeline"])


def _timeline_entries(site: Site) -> list[Entry]:
    """The entries of every dated record.  ``site.memo["reuse_entries"]`` (the preview session's, kept between
    runs) hands back the same Entry objects for a record whose data is the same object as last time: lists of
    entries then compare by identity when the session looks for pages to render again."""
    reuse = site.memo.get("reuse_entries")
    anchors = site_event_anchors(site)
    made: dict[tuple, tuple] = {}
    entries: list[Entry] = []
    for ident, rec in site.claims.items():
        if rec.claim.date is None:  # undated claims (e.g. imported from LIAR) are not on the timeline
            continue
        old = reuse.get(("claim", ident)) if reuse is not None else None
        if old is None or old[0] is not rec.claim or old[1] != rec.rating.id:
            old = (rec.claim, rec.rating.id, [Entry(rec.claim.date, "claim", rec.claim.statement,
                                                    f"claims/{ident}.md", f"claim-{ident}", ident, rec.rating.id)])
        made[("claim", ident)] = old
        entries += old[2]
    for ident, article in site.articles.items():
        old = reuse.get(("article", ident)) if reuse is not None else None
        if old is None or old[0] is not article.meta or old[1] != article.title or old[3] != anchors[ident]:
            items = [Entry(article.meta.date, "article", article.title, f"articles/{ident}.md", f"article-{ident}",
                           ident)]
            for event, anchor in zip(article.events, anchors[ident]):
                items.append(Entry(event.shown_date, "event", event.title, f"articles/{ident}.md", anchor,
                                   f"{ident}/{anchor}", end=event.end))
            old = (article.meta, article.title, items, anchors[ident])
        made[("article", ident)] = old
        entries += old[2]
    if reuse is not None:
        reuse.clear()
        reuse.update(made)
    return sorted(entries, key=lambda e: e.key)


@lru_cache(maxsize=65536)  # slugify costs 0.1 ms, and the preview server plans the timeline after every save
def _title_slug(title: str) -> str:
    return slugify(title, max_length=40) or "event"


def event_anchors(article_id: str, events) -> list[str]:
    """Stable anchors for an article's events: from the date and title, unique within the article."""
    used: set[str] = set()
    return [_numbered(f"event-{article_id}-{event.date.iso()}-{_title_slug(event.title)}", used) for event in events]


def _numbered(base: str, used: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… when it is taken; the one returned is taken from now on
    ("x", "x" and "x 2" must not all end up as "...-x-2")."""
    anchor, n = base, 1
    while anchor in used:
        n += 1
        anchor = f"{base}-{n}"
    used.add(anchor)
    return anchor


def site_event_anchors(site: Site) -> dict[str, list[str]]:
    """Every article's event anchors, unique across the site too: an article whose id extends another's can
    repeat one, and the later in id order then gets a number.  The timeline and article pages both ask here."""
    if "event_anchors" not in site.memo:
        used: set[str] = set()
        site.memo["event_anchors"] = {ident: [_numbered(base, used) for base in event_anchors(ident, article.events)]
                                      for ident, article in sorted(site.articles.items())}
    return site.memo["event_anchors"]


def periods(base: str, entries: list[Entry], split: int, year_anchors: bool = False) -> tuple[list[Page], list[dict]]:
    """A timeline's period pages under ``base``, and its years (year, entry count, page path, and with
    ``year_anchors`` the anchors of the year's entries, for links to a page that listed them all).

    One page per year; a year with more than ``split`` entries becomes one page per month, and its year page
    lists the months and the entries dated only to the year.  The caller adds the title's prefix (the site's
    timeline, or a story's)."""
    by_year: dict[int, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_year[entry.date.year].append(entry)
    pages: list[Page] = []
    years = []
    for year in sorted(by_year):
        items = by_year[year]
        if len(items) <= split:
            path = f"{base}/{year}.md"
            pages.append(Page(path, "timeline_period.md", str(year), {"period": str(year), "entries": items,
                                                                      "months": []}))
            years.append(_year(year, items, path, year_anchors))
            continue
        by_month: dict[int, list[Entry]] = defaultdict(list)
        whole_year = []
        for entry in items:
            (by_month[entry.date.month] if entry.date.month else whole_year).append(entry)
        months = []
        for month in sorted(by_month):
            path = f"{base}/{year}/{month:02d}.md"
            label = FuzzyDate(year, month).human()
            pages.append(Page(path, "timeline_period.md", label, {"period": label, "entries": by_month[month],
                                                                  "months": [], "up": f"{base}/{year}/index.md"}))
            months.append({"label": label, "count": len(by_month[month]), "path": path,
                           "anchors": [e.anchor for e in by_month[month]]})  # for links to the year page
        path = f"{base}/{year}/index.md"
        pages.append(Page(path, "timeline_period.md", str(year), {"period": str(year), "entries": whole_year,
                                                                  "months": months}))
        years.append(_year(year, items, path, year_anchors))
    return pages, years


def _year(year: int, items: list[Entry], path: str, anchors: bool) -> dict:
    found = {"year": year, "count": len(items), "path": path}
    return {**found, "anchors": [e.anchor for e in items]} if anchors else found


def _timeline(site: Site, entries: list[Entry]) -> tuple[list[Page], dict[str, str]]:
    """Timeline period pages, and where each entry ended up (anchor → page path)."""
    pages, years = periods("timeline", entries, site.settings.month_split)
    located: dict[str, str] = {}
    for page in pages:
        page.title = f"Timeline: {page.title}"
        located.update({e.anchor: page.path for e in page.context["entries"]})
    pages.append(Page("timeline/index.md", "timeline_index.md", "Timeline",
                      {"years": years, "stories": list(site.stories.values())}))
    return pages, located


def _stories(site: Site, entries: list[Entry]) -> list[Page]:
    """Each story's own timeline.  Past ``month_split`` entries it is split the way the site's timeline is, and
    the story's page lists its years instead: no story page grows with the archive."""
    by_story: dict[str, list[Entry]] = defaultdict(list)
    story_of_article: dict[str, list[str]] = defaultdict(list)
    for story in site.stories.values():
        for ident in story.articles:
            story_of_article[ident].append(story.slug)
    for entry in entries:  # one pass over the timeline, not one per story
        if entry.kind == "claim":
            if site.claims[entry.ident].story:
                by_story[site.claims[entry.ident].story].append(entry)
        else:
            for slug in story_of_article.get(entry.target[len("articles/"):-3], ()):
                by_story[slug].append(entry)
    pages: list[Page] = []
    for story in site.stories.values():
        story_entries = by_story[story.slug]
        years: list[dict] = []
        if len(story_entries) > site.settings.month_split:
            parts, years = periods(f"stories/{story.slug}", story_entries, site.settings.month_split,
                                   year_anchors=True)
            for page in parts:
                page.title = f"{story.name}: {page.title}"
                page.own["story"] = story
            pages += parts
        pages.append(Page(f"stories/{story.slug}.md", "story.md", story.name,
                          {"story": story, "entries": [] if years else story_entries,
                           "count": len(story_entries), "years": years}))
    return pages


def plan_pages(site: Site) -> list[Page]:
    """Every page of the site, in a stable order."""
    s = site.settings
    latest = _latest_first(site)
    counts = Counter(rec.rating.id for rec in site.claims.values())
    entries = timeline_entries(site)
    pages, located = _timeline(site, entries)
    common = {"site": site, "counts": counts, "located": located}
    pages.append(Page("index.md", "home.md", s.site_name,
                      {"latest": latest[: s.latest], "entries": entries[-s.latest:][::-1]}))
    pages.append(Page("claims/index.md", "claims_index.md", "All fact-checks",
                      {"latest": latest[: s.page_size]}))
    for ident, rec in site.claims.items():
        pages.append(Page(f"claims/{ident}.md", "claim.md", rec.claim.statement, {"rec": rec}))
    pages += _stories(site, entries)
    pages.append(Page("stories/index.md", "stories_index.md", "Stories", {}))
    newest = _newest_articles(site)
    pages += _grouped(site, latest, newest)
    pages.append(Page("ratings/index.md", "ratings_index.md", "Ratings", {}))
    pages.append(Page("methodology.md", "methodology.md", "How we rate claims", {}))
    pages += _topics(site, latest, newest)
    pages.append(Page("topics/index.md", "topics_index.md", "Topics", {}))
    pages += _corrections(site)
    pages.append(Page("data.md", "data.md", "Open data and feeds", {}))
    for page in pages:
        page.common = common
    return pages


def _corrections(site: Site) -> list[Page]:
    """Every correction and update across the site, newest first, in numbered pages."""
    notes = [(u, ident) for ident, rec in site.claims.items() for u in rec.claim.updates]
    notes.sort(key=lambda n: (newest_first(n[0].date), n[1]))
    return [Page(path, "corrections.md", "Corrections and updates",
                 {"notes": chunk, "page_no": n, "pages": total, "base": "corrections"})
            for path, chunk, n, total in paginate("corrections", notes, site.settings.page_size)]


def _topics(site: Site, latest: list[str], newest: list[str]) -> list[Page]:
    """Each topic's claims (latest first) and articles (newest first), side by side in numbered pages.

    claimline lists them itself: Material's tags plugin put all of a topic on one page, and its cost grew with
    topics x tagged pages (a third of the MkDocs build of the LIAR corpus: 145 topics on 12,836 claims)."""
    size = site.settings.page_size
    claim_order = {ident: n for n, ident in enumerate(latest)}
    article_order = {ident: n for n, ident in enumerate(newest)}
    pages: list[Page] = []
    for tag in site.tags.values():  # a topic exists only with a claim or an article in it: one page at least
        base = f"topics/{tag.slug}"
        chunks = list(zip_longest(chunked(sorted(tag.claims, key=claim_order.__getitem__), size),
                                  chunked(sorted(tag.articles, key=article_order.__getitem__), size), fillvalue=[]))
        for n, (claims, articles) in enumerate(chunks, start=1):
            pages.append(Page(page_path(base, n), "topic.md", tag.name,
                              {"tag": tag, "claims": claims, "articles": articles, "page_no": n,
                               "pages": len(chunks), "base": base}))
    return pages


def _grouped(site: Site, latest: list[str], newest: list[str]) -> list[Page]:
    """Claimant, article and rating pages, split into numbered pages where long."""
    s = site.settings
    pages: list[Page] = []
    order = {ident: n for n, ident in enumerate(latest)}
    for claimant in site.claimants.values():
        claims = sorted(claimant.claims, key=order.__getitem__)
        tally = Counter(site.claims[i].rating.id for i in claims)
        scorecard = [(r, tally[r.id]) for r in s.scale if tally[r.id]]
        for path, chunk, n, total in paginate(f"claimants/{claimant.slug}", claims, s.page_size):
            pages.append(Page(path, "claimant.md", claimant.name,
                              {"claimant": claimant, "claims": chunk, "page_no": n, "pages": total, "scorecard": scorecard,
                               "base": f"claimants/{claimant.slug}"}))
    names = sorted(site.claimants.values(), key=lambda g: (g.name.lower(), g.slug))
    if len(names) <= s.page_size:
        pages.append(Page("claimants/index.md", "claimants_index.md", "Claimants",
                          {"claimants": names, "letters": []}))
    else:
        letters: dict[str, list] = defaultdict(list)
        for group in names:
            first = group.slug[:1]
            letters[first if first.isalpha() else "0-9"].append(group)
        for letter, groups in sorted(letters.items()):
            pages.append(Page(f"claimants/letters/{letter}.md", "claimants_index.md",
                              f"Claimants: {letter.upper()}", {"claimants": groups, "letters": []}))
        pages.append(Page("claimants/index.md", "claimants_index.md", "Claimants",
                          {"claimants": [], "letters": [(k, len(v)) for k, v in sorted(letters.items())]}))
    anchors = site_event_anchors(site)
    for ident, article in site.articles.items():
        pages.append(Page(f"articles/{ident}.md", "article.md", article.title,
                          {"article": article, "anchors": anchors[ident]}))
    pages.append(Page("articles/index.md", "articles_index.md", "Articles", {"articles": newest[: s.page_size]}))
    by_rating: dict[str, list[str]] = defaultdict(list)
    for ident in latest:
        by_rating[site.claims[ident].rating.id].append(ident)
    for rating in s.scale:
        claims = by_rating[rating.id]
        for path, chunk, n, total in paginate(f"ratings/{rating.id}", claims, s.page_size):
            pages.append(Page(path, "rating.md", rating.label,
                              {"rating": rating, "claims": chunk, "page_no": n, "pages": total,
                               "base": f"ratings/{rating.id}"}))
    return pages

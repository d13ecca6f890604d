"""HTML pieces shared by many pages: verdict badges, claim lists, timeline entries, pagers, dates.

They are plain Python (registered as template globals) rather than Jinja macros because they run
hundreds of thousands of times on a large archive and were the bulk of rendering time.  Every piece
of editor text goes through :func:`esc`; nothing here emits a blank line (the pieces sit inside HTML
blocks of the Markdown pages).
"""

from __future__ import annotations

from functools import lru_cache

import jinja2
from markupsafe import Markup, escape

from .config import Rating
from .dates import FuzzyDate
from .markup import clean, render_markdown, safe_url
from .plan import Entry, page_path, relative_url
from .report import counted

KINDS = {"claim": "Claim", "event": "Event", "article": "Article"}


_ESCAPED: dict[str, str] = {}  # editor text → its HTML: statements and names are on many pages each
_ESCAPED_MAX = 200_000  # a long preview session starts afresh after this many texts


def esc(text: object) -> str:
    """Editor text for HTML: control characters dropped, then escaped (as markupsafe does).

    Each text is worked out once: a claim's statement and claimant's name appear on its page, its claimant's,
    topics', story's and timeline's lists and beside related claims (330,000 calls at 10,000 claims)."""
    if text.__class__ is not str:  # Markup or another object: its str() is the text, worked out each time
        return _html(clean(str(text)))
    done = _ESCAPED.get(text)
    if done is None:
        if len(_ESCAPED) >= _ESCAPED_MAX:
            _ESCAPED.clear()
        done = _ESCAPED[text] = _html(clean(text))
    return done


def _html(text: str) -> str:
    """``text`` escaped as markupsafe does (most text has nothing to escape: then no Markup is made of it)."""
    return str(escape(text)) if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text else text


@lru_cache(maxsize=256)  # a few ratings, hundreds of thousands of badges at 10,000 claims
def badge(rating: Rating) -> Markup:
    """The verdict: a word and a symbol, with the colour only as a border."""
    return Markup(f'<span class="cl-verdict cl-verdict--{escape(rating.id)}" style="--cl-colour: '
                  f'{escape(rating.colour)}"><span class="cl-verdict__icon" aria-hidden="true">{escape(rating.icon)}'
                  f'</span> <span class="cl-verdict__label">{escape(rating.label)}</span></span>')


@lru_cache(maxsize=8192)  # dates repeat across lists and timelines
def time(value: FuzzyDate | None) -> Markup:
    if value is None:
        return Markup('<span class="cl-undated">date unknown</span>')
    return Markup(f'<time datetime="{value.iso()}">{escape(value.human())}</time>')


def _linker(ctx):
    page, directory_urls = ctx["page_path"], ctx["site"].settings.use_directory_urls
    return lambda target, anchor="": relative_url(page, target, anchor, directory_urls)


@jinja2.pass_context
def claim_list(ctx, site, idents) -> Markup:
    if not idents:
        return Markup('<p class="cl-empty">No claims yet.</p>')
    url = _linker(ctx)
    items = []
    for ident in idents:
        rec = site.claims[ident]
        items.append(f'<li class="cl-item"><a class="cl-item__title" href="{url(f"claims/{ident}.md")}">'
                     f'{esc(rec.claim.statement)}</a> {badge(rec.rating)} <span class="cl-item__meta">'
                     f'{esc(site.claimants[rec.claimant].name)} · {time(rec.claim.date)}</span></li>')
    return Markup('<ul class="cl-list">\n' + "\n".join(items) + "\n</ul>")


@jinja2.pass_context
def article_list(ctx, site, idents) -> Markup:
    if not idents:
        return Markup('<p class="cl-empty">No articles yet.</p>')
    url = _linker(ctx)
    items = []
    for ident in idents:
        article = site.articles[ident]
        meta, cites = article.meta, len(article.cited_by)
        items.append(f'<li class="cl-item"><a class="cl-item__title" href="{url(f"articles/{ident}.md")}">'
                     f'{esc(article.title)}</a> <span class="cl-item__meta">{time(meta.date)}'
                     + (f" · {esc(meta.publisher)}" if meta.publisher else "")
                     + f" · {counted(cites, 'claim')}</span></li>")
    return Markup('<ul class="cl-list">\n' + "\n".join(items) + "\n</ul>")


@jinja2.pass_context
def topic_links(ctx, site, slugs) -> Markup:
    """Links to a record's topic pages, separated by commas."""
    url = _linker(ctx)
    return Markup(", ".join(f'<a href="{url(f"topics/{slug}.md")}">{esc(site.tags[slug].name)}</a>' for slug in slugs))


@jinja2.pass_context
def entry_list(ctx, site, entries: list[Entry]) -> Markup:
    url = _linker(ctx)
    items = []
    for e in entries:
        when = str(time(e.date)) + (f" – {time(e.end)}" if e.end else "")
        extra = ""
        if e.kind == "claim":
            rec = site.claims[e.ident]
            extra = f' <span class="cl-entry__who">{esc(site.claimants[rec.claimant].name)}</span> {badge(rec.rating)}'
        items.append(f'<li class="cl-entry cl-entry--{e.kind}" id="{escape(e.anchor)}"><div class="cl-entry__when">'
                     f'{when}</div><div class="cl-entry__body"><span class="cl-entry__kind">{KINDS[e.kind]}</span> '
                     f'<a class="cl-entry__title" href="{url(e.target)}">{esc(e.title)}</a>{extra} '
                     f'<a class="cl-entry__anchor" href="#{escape(e.anchor)}" aria-label="Link to this entry">¶</a>'
                     f'</div></li>')
    return Markup('<ol class="cl-timeline">\n' + "".join(item + "\n" for item in items) + "</ol>")


@jinja2.pass_context
def pager(ctx, base: str, page_no: int, pages: int) -> Markup:
    if pages <= 1:
        return Markup("")
    url = _linker(ctx)
    links = [f'<span class="cl-pager__current" aria-current="page">{n}</span>' if n == page_no else
             f'<a href="{url(page_path(base, n))}">{n}</a>'
             for n in range(1, pages + 1)]
    return Markup('<nav class="cl-pager" aria-label="Pages">\n' + "\n".join(links) + "\n</nav>")


# The sections of a claim page.  claim.md lays the page out and calls these for the parts that repeat per
# fact, source or quote (written in Jinja, the body of a claim page of the 10k benchmark took 177 µs; with
# these, 140 µs), and claim pages are most of a site's pages.  A site's own claim.md can use them or loop over
# the same fields itself.

def _ext(url: object) -> str:
    return str(escape(safe_url(url)))


@jinja2.pass_context
def claim_facts(ctx, site, rec, located: dict) -> Markup:
    """The claim's facts: who, when, the original review, reviewers, story, topics and its timeline entry."""
    url = _linker(ctx)
    c = rec.claim
    role = f", {esc(c.claimant.role)}" if c.claimant.role else ""
    rows = [f'<dt>Claimed by</dt> <dd><a href="{escape(url(f"claimants/{rec.claimant}.md"))}">{esc(c.claimant.name)}'
            f"</a>{role}</dd>",
            f"<dt>Claimed on</dt> <dd>{time(c.date)}</dd>"]
    o = c.original_review
    if o:
        by = f'<a href="{_ext(o.by_url)}" rel="nofollow noopener">{esc(o.by)}</a>' if o.by_url else esc(o.by)
        rows.append("<dt>Originally rated</dt> <dd>"
                    + (f'<span class="cl-original-rating">{esc(o.rating)}</span> by ' if o.rating else "") + by
                    + (f", {time(o.date)}" if o.date else "")
                    + (f' · <a href="{_ext(o.url)}" rel="nofollow noopener">read the original review</a>'
                       if o.url else "") + "</dd>")
    if c.reviewed:
        by = f" by {', '.join(esc(name) for name in c.reviewed.by)}" if c.reviewed.by else ""
        rows.append(f"<dt>Reviewed</dt> <dd>{time(c.reviewed.date)}{by}</dd>")
    rows.append(f"<dt>Last updated</dt> <dd>{time(rec.updated)}</dd>")
    if rec.story:
        rows.append(f'<dt>Story</dt> <dd><a href="{escape(url(f"stories/{rec.story}.md"))}">'
                    f"{esc(site.stories[rec.story].name)}</a></dd>")
    if rec.tags:
        rows.append(f"<dt>Topics</dt> <dd>{topic_links(ctx, site, rec.tags)}</dd>")
    if c.date:
        anchor = f"claim-{rec.id}"
        rows.append(f'<dt>Timeline</dt> <dd><a href="{escape(url(located[anchor], anchor))}">'
                    "See this claim in the timeline</a></dd>")
    return Markup('<dl class="cl-facts">\n' + "\n".join(rows) + "\n</dl>")


@jinja2.pass_context
def related_pairs(ctx, site, rec) -> Markup:
    """This claim side by side with each claim it is linked to, and how the two relate."""
    url = _linker(ctx)
    this = (f'<div class="cl-pair__side cl-pair__side--this"><p class="cl-pair__who">{esc(rec.claim.claimant.name)}'
            f'</p><p class="cl-pair__statement">{esc(rec.claim.statement)}</p><p>{badge(rec.rating)}</p></div>')
    pairs = []
    for link in rec.links:
        other = site.claims[link.other]
        pairs.append(f'<div class="cl-pair">\n{this}\n<p class="cl-pair__relation"><span class="cl-pair__relation-text">'
                     f'{escape(link.label)}</span></p>\n<div class="cl-pair__side cl-pair__side--other">'
                     f'<p class="cl-pair__who">{esc(site.claimants[other.claimant].name)}</p>'
                     f'<p class="cl-pair__statement"><a href="{escape(url(f"claims/{other.id}.md"))}">'
                     f'{esc(other.claim.statement)}</a></p><p>{badge(other.rating)} <span class="cl-pair__date">'
                     f'{time(other.claim.date)}</span></p></div>\n</div>\n')
    return Markup('<div class="cl-related">\n' + "".join(pairs) + "</div>")


@jinja2.pass_context
def appearance_list(ctx, site, appearances) -> Markup:
    """Where the claim was said: each quote, with the article of this site or the page it appeared on."""
    url = _linker(ctx)
    items = []
    for a in appearances:
        item = f'<blockquote class="cl-quote"><p>{esc(a.quote)}</p></blockquote>' if a.quote else ""
        if a.article and a.article in site.articles:
            article = site.articles[a.article]
            item += (f'<p class="cl-quote__source">In <a href="{escape(url(f"articles/{a.article}.md"))}">'
                     f"{esc(article.title)}</a>, {time(article.meta.date)}</p>")
        if a.url:
            item += f'<p class="cl-quote__source"><a href="{_ext(a.url)}" rel="nofollow noopener">{esc(a.url)}</a></p>'
        items.append(f"<li>{item}</li>\n")
    return Markup('<ul class="cl-appearances">\n' + "".join(items) + "</ul>")


def source_list(sources) -> Markup:
    """The sources, numbered: title (linked), publisher, date, kind and an archived copy."""
    items = []
    for s in sources:
        title = f'<a href="{_ext(s.url)}" rel="nofollow noopener">{esc(s.title)}</a>' if s.url else esc(s.title)
        items.append(f"<li>{title}" + (f", {esc(s.publisher)}" if s.publisher else "")
                     + (f", {time(s.date)}" if s.date else "")
                     + (f' <span class="cl-source-kind">({escape(s.kind)})</span>' if s.kind else "")
                     + (f' · <a href="{_ext(s.archive_url)}" rel="nofollow noopener">archived copy</a>'
                        if s.archive_url else "") + "</li>\n")
    return Markup('<ol class="cl-sources">\n' + "".join(items) + "</ol>")


def update_list(updates) -> Markup:
    """Corrections and updates, newest first."""
    items = [f"<li><p><strong>{escape(u.kind.capitalize())}</strong>, {time(u.date)}</p>{render_markdown(u.note)}</li>\n"
             for u in sorted(updates, key=lambda u: u.date.sort_key, reverse=True)]
    return Markup('<ul class="cl-updates">\n' + "".join(items) + "</ul>")


GLOBALS = {"badge": badge, "time": time, "claim_list": claim_list, "article_list": article_list,
           "topic_links": topic_links, "entry_list": entry_list, "pager": pager, "claim_facts": claim_facts,
           "related_pairs": related_pairs, "appearance_list": appearance_list, "source_list": source_list,
           "update_list": update_list}

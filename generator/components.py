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
from .markup import clean
from .plan import Entry, page_path, relative_url

KINDS = {"claim": "Claim", "event": "Event", "article": "Article"}


def esc(text: object) -> str:
    """Editor text for HTML: control characters dropped, then escaped."""
    return str(escape(clean(str(text))))


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
                     + f' · {cites} claim{"s" if cites != 1 else ""}</span></li>')
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


GLOBALS = {"badge": badge, "time": time, "claim_list": claim_list, "article_list": article_list,
           "topic_links": topic_links, "entry_list": entry_list, "pager": pager}

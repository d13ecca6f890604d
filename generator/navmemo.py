"""For the MkDocs build (called by the plugin): Material's navigation HTML made once per folder of pages.

Material renders the site navigation (the sidebar, ``partials/nav.html``, and the tabs,
``partials/tabs.html``), the search box and the colour-scheme toggle anew for every page.  A claim page is
not in the nav, so these are the same HTML on every claim page in ``claims/``: only the page's place in the
site (which makes the links' relative URLs) and which nav entries are active change what they write.  On
the LIAR archive's 16,707 small pages, rendering them once per folder took about a fifth off the MkDocs
build's CPU time, with the same bytes written (``bench/RESULTS.md``).

:func:`install` wraps each such template's render function (what Jinja's ``{% include %}`` calls) so that a
page whose key was seen before in this build gets the HTML made for the first such page.  The key holds
everything those templates read that can differ from one page to the next: the URL of every nav target
(and of the home page, the logo and the header's language links) relative to the page, and every nav entry's
active flag.  So pages side by side (all of ``claims/``, say) share their HTML, and a page that is itself in
the nav (its entry active) shares it with none.

Material's header (``partials/header.html``, which holds the tabs, the search box and the toggle) prints the
page's title besides: it is rendered once per key for a stand-in page whose title is a mark, and each page
gets that HTML with the mark replaced by its own title, printed as the template prints it.

claimline's theme layer has the same for its ``config`` block: ``claimline_keep(*key)`` is a ``{% call %}``
that renders its body once per key (there, the page's depth and two URLs relative to the page).

Only Material's own templates are reused: a partial that a site overrides in its ``custom_dir`` (or that
includes or imports one it overrides) may read anything, so it is rendered for every page as before; so
is the ``config`` block when a site overrides Material's ``base.html``, whose block it calls.
Anything unexpected (no ``page`` or ``nav``, a nav entry of an unknown kind) also renders the page as before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

import jinja2
from jinja2 import meta

MEMOIZED = ("partials/nav.html", "partials/tabs.html", "partials/search.html", "partials/palette.html",
            "partials/header.html")
# Material's header also prints the page's title: it is rendered once per key for a stand-in page whose title
# is this mark, and each page gets that HTML with the mark replaced by its own title
TITLED = {"partials/header.html"}
MARK = "\x00claimline-page-title\x00"


def install(env: jinja2.Environment, reuse: bool = True) -> None:
    """Make ``env``'s navigation templates reuse their HTML across the pages of one build (a new
    environment, as MkDocs makes for each build and each preview rebuild, starts with nothing kept).

    Also gives claimline's theme layer ``claimline_keep(*key)``, a ``{% call %}`` that renders its body once
    per key (the layer's ``config`` block uses it).  ``reuse=False`` renders everything for every page."""
    stock = _material_templates() if reuse else None
    kept: dict[tuple, str] = {}
    last: list = [None, None]  # the page whose key was made last, and that key: five partials per page ask
    base_is_stock = stock is not None and _stock_source(env, "base.html", stock) is not None
    env.globals["claimline_keep"] = _keeper(kept, base_is_stock)
    refs: dict[str, list[str] | None] = {}
    for name in MEMOIZED:
        try:
            if stock is None or not _stock_only(env, name, stock, set(), refs):
                continue
            template = env.get_template(name)
        except (jinja2.TemplateError, OSError):  # a theme without it, or one we cannot read: leave it be
            continue
        if name in TITLED and env.autoescape is not False:
            continue  # the title is put in as str() would print it: MkDocs' environment does not autoescape
        template.root_render_func = _reusing(name, template.root_render_func, kept, last)


def _keeper(kept: dict[tuple, str], on: bool):
    def claimline_keep(*key, caller):
        """The body's HTML, rendered once per key: the key must hold all the body reads that varies by page.
        Off (the body rendered each time) when Material's ``base.html``, whose blocks the body may call with
        ``super()``, is a site's own."""
        if not on:
            return caller()
        key = ("claimline_keep", *key)
        html = kept.get(key)
        if html is None:
            html = kept[key] = caller()
        return html
    return claimline_keep


def _material_templates() -> Path | None:
    try:
        import material
    except ImportError:
        return None
    return Path(material.__file__).resolve().parent / "templates"


def _stock_source(env: jinja2.Environment, name: str, stock: Path) -> str | None:
    """The source of template ``name`` if it is Material's own file; None if it is not, or cannot be read."""
    try:
        source, filename, _ = env.loader.get_source(env, name)
    except (jinja2.TemplateError, OSError):
        return None
    return source if filename is not None and stock in Path(filename).resolve().parents else None


def _stock_only(env: jinja2.Environment, name: str, stock: Path, seen: set[str],
                refs: dict[str, list[str] | None]) -> bool:
    """Whether ``name`` and every template it includes or imports by name come from Material's package.

    ``refs`` keeps each template's references (None: not Material's own) across the calls of one install:
    the partials include one another, and reading and parsing each once is enough."""
    if name in seen:
        return True
    seen.add(name)
    if name not in refs:
        source = _stock_source(env, name, stock)
        # names built at render time (Material's ".icons/…svg" includes) are SVG files: they read no variable
        refs[name] = None if source is None else [
            ref for ref in meta.find_referenced_templates(env.parse(source)) if ref is not None]
    found = refs[name]
    return found is not None and all(_stock_only(env, ref, stock, seen, refs) for ref in found)


def _reusing(name: str, render: Callable[[Any], Iterator[str]], kept: dict[tuple, str], last: list):
    titled = name in TITLED

    def root(context) -> Iterator[str]:
        page = context.get("page")
        if page is None or page is not last[0]:  # the nav's state is the same for every partial of one page
            last[:] = [page, page_key(context)]
        key = last[1]
        if key is None:
            yield from render(context)
            return
        key = (name, *key)
        html = kept.get(key)
        if html is None:
            if titled:
                html = "".join(render(context.derived({"page": _Untitled(page)})))
                html = html if html.count(MARK) == 1 else ""  # the title not printed once, as expected: no reuse
            else:
                html = "".join(render(context))
            kept[key] = html
        if not titled:
            yield html
        elif html:
            yield html.replace(MARK, _title(page))
        else:
            yield from render(context)
    return root


class _Untitled:
    """The page being rendered, but with ``MARK`` for its title (as Material's header reads it)."""

    title = MARK

    def __init__(self, page) -> None:
        self._page = page

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)

    @property
    def meta(self) -> dict:
        return {**(getattr(self._page, "meta", None) or {}), "title": MARK}


def _title(page) -> str:
    """The title as Material's header prints it: ``page.meta.title`` if set, else ``page.title``."""
    meta = getattr(page, "meta", None)
    return str(meta["title"] if meta and meta.get("title") else page.title)


def page_key(context) -> tuple | None:
    """What the navigation of the page being rendered depends on; None when that cannot be told."""
    page, nav = context.get("page"), context.get("nav")
    url_filter = context.environment.filters.get("url")
    page_url = getattr(page, "url", None)
    if not isinstance(page_url, str) or nav is None or url_filter is None:
        return None
    targets: list[str] = []
    active: list[bool] = []
    if not _walk(getattr(nav, "items", None), targets, active):
        return None
    config = context.get("config") or {}
    extra = config.get("extra") or {}
    alternate = extra.get("alternate") or []  # the header's language menu
    if not isinstance(alternate, list) or not all(isinstance(alt, dict) for alt in alternate):
        return None
    targets += [getattr(getattr(nav, "homepage", None), "url", None) or "", str(extra.get("homepage") or ""),
                str((config.get("theme") or {}).get("logo") or ""), *(str(alt.get("link")) for alt in alternate)]
    return tuple(active), tuple(url_filter(context, target) for target in targets)


def _walk(items, targets: list[str], active: list[bool]) -> bool:
    """Collect every nav entry's URL and active flag, depth first; False on an entry of an unknown kind."""
    if items is None:
        return False
    for item in items:
        active.append(bool(getattr(item, "active", False)))
        children = getattr(item, "children", None)
        if children is not None:
            if not _walk(children, targets, active):
                return False
        elif isinstance(getattr(item, "url", None), str):
            targets.append(item.url)
        else:
            return False
    return True

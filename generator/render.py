"""Stage 5 — render: the text of every planned page, through templates a site can override.

Templates are Jinja files in ``generator/templates``; a site overrides any of
them by putting a file of the same name in ``site-overrides/claimline/``
(MkDocs does not copy ``.md`` files from a theme folder into the site).
Autoescaping is on, so ``{{ value }}`` is always HTML-escaped; ``|md`` makes
plain text safe on a Markdown line and ``|markdown`` renders a Markdown field
safely (see :mod:`generator.markup`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import re
from json.encoder import encode_basestring  # json.dumps(value, ensure_ascii=False) for a string, without its set-up

import jinja2

from .components import GLOBALS
from .config import Settings
from .dates import FuzzyDate
from .errors import ClaimlineError, Problems
from .markup import attr_text, clean, markdown_plain, md_text, render_markdown, safe_url
from .exports import CSV_FIELDS, EXPORTS, export_makers
from .read import decode_text
from .records import Site
from .parallel import split_map
from .plan import Page, relative_url, root_file_url, timeline_entries
from .report import counted
from .structured import page_object, script_json

TEMPLATES = Path(__file__).parent / "templates"


class _Overrides(jinja2.FileSystemLoader):
    """The site's template overrides: a file that is not UTF-8 text is a template error naming it."""

    def get_source(self, environment: jinja2.Environment, template: str):
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError:
            path = Path(self.searchpath[0], template)
            found = Problems()
            decode_text(path.read_bytes(), path, found)
            for problem in found.items:  # where the encoding breaks
                raise jinja2.TemplateSyntaxError(f"{problem.message}, at column {problem.col}: {problem.hint}",
                                                 problem.line, template, str(path)) from None
            raise


class _Environment(jinja2.Environment):
    """Jinja's environment, its globals given to each template as one dict.

    Jinja chains a template's globals to the environment's (a ``ChainMap``) and copies that chain into every
    page's context: 2 % of rendering at 10,000 claims.  claimline sets its globals once, before any template
    is loaded, so one merged dict shows each template the same names."""

    def make_globals(self, d):
        return {**self.globals, **(d or {})}


def environment(settings: Settings) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    custom = settings.overrides_dir / "claimline"
    if custom.is_dir():
        loaders.append(_Overrides(str(custom)))
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATES)))
    env = _Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
                             auto_reload=False)  # no stat per page; the preview session makes a new one on edits
    env.filters.update(md=md_text, markdown=render_markdown, plain=markdown_plain, ext=safe_url,
                       text=lambda v: clean(str(v)), human=_human, iso=_iso, counted=counted)
    env.globals.update(GLOBALS, url=_url, file_url=_file_url, exports=EXPORTS, csv_fields=CSV_FIELDS)
    return env


def _human(value: FuzzyDate | None) -> str:
    return value.human() if value else ""


def _iso(value: FuzzyDate | None) -> str:
    return value.iso() if value else ""


@jinja2.pass_context
def _url(ctx, target: str, anchor: str = "") -> str:
    return relative_url(ctx["page_path"], target, anchor, ctx["site"].settings.use_directory_urls)


@jinja2.pass_context
def _file_url(ctx, name: str) -> str:
    return root_file_url(ctx["page_path"], name, ctx["site"].settings.use_directory_urls)


def front_matter(page: Page) -> dict:
    """Front matter for MkDocs/Material: title and description escaped once (the theme prints them raw).

    A claim page also carries its one JSON-LD object, which ``site-overrides/main.html`` puts in the head.
    List pages carry ``claimline_search: false``: Pagefind leaves them out (see ``searched``).  A page that lists
    the pages its entries moved to (a split timeline year, a split story) carries ``claimline_moved: true``, and
    the theme layer gives it the script that sends a link naming such an entry on to its page.
    Every page leaves Material's search index (``search: {exclude: true}``): the site searches with Pagefind
    (:mod:`generator.search`), so the lunr index Material would build by parsing every page's HTML (a fifth of
    the build time) would be thrown away anyway.
    """
    ctx = page.own
    site = page.common["site"]
    meta: dict = {"title": attr_text(page.title)}
    rec, article = ctx.get("rec"), ctx.get("article")
    if rec is not None:
        description = markdown_plain(rec.claim.summary) or f"{rec.claim.claimant.name}: {rec.claim.statement}"
        meta["description"] = attr_text(f"{rec.rating.label}. {description}")
        meta["claimline_jsonld"] = script_json(page_object(site, rec))
        tags = [site.tags[slug].name for slug in rec.tags]  # the topic's name: 'russia' is filed under 'Russia'
    elif article is not None:
        meta["description"] = attr_text(markdown_plain(article.meta.summary) or article.standfirst or article.title)
        tags = [site.tags[slug].name for slug in article.tags]
    else:
        meta["description"] = attr_text(f"{page.title} — {site.settings.site_name}")
        tags = []
    if tags:
        meta["tags"] = [" ".join(clean(t).split()) for t in tags]
    meta["search"] = {"exclude": True}
    if not searched(page):
        meta["claimline_search"] = False
    if any("anchors" in item for item in (*ctx.get("months", ()), *ctx.get("years", ()))):
        meta["claimline_moved"] = True  # links naming an entry now on a page listed here are sent on to it
    return meta


# Pages a search result should lead to: what a claim, an article or a claimant is, and the two standing
# pages.  List pages (home, indexes, timeline, topics, ratings, stories, corrections, later pages of a
# claimant) only repeat those pages' text: indexing them made Pagefind's memory and index grow with every
# list a claim appears on, and a search for a statement returned the lists before the claim.
SEARCHED_TEMPLATES = frozenset({"claim.md", "article.md", "methodology.md", "data.md"})


def searched(page: Page) -> bool:
    """Whether Pagefind indexes ``page`` (the theme layer marks its content with ``data-pagefind-body``)."""
    if page.template == "claimant.md":
        return page.own.get("page_no", 1) == 1
    return page.template in SEARCHED_TEMPLATES


# Characters a YAML double-quoted scalar may not hold raw: controls, line breaks YAML folds, non-characters
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def yaml_scalar(value: str) -> str:
    """A double-quoted YAML scalar: JSON's escapes are valid YAML; YAML's extra unsafe characters escaped too."""
    text = encode_basestring(value)
    if text.isascii() and "\x7f" not in text:  # the pattern's only ASCII character: most values skip its scan
        return text
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def yaml_block(meta: dict) -> str:
    """Front matter as YAML, written directly (yaml.safe_dump took 40 % of generation time)."""
    lines = []
    for key, value in meta.items():
        if isinstance(value, list):
            lines.append(f"{key}:" + "".join(f"\n- {yaml_scalar(item)}" for item in value))
        elif isinstance(value, dict):  # flags only, such as search: {exclude: true}
            lines.append(f"{key}:" + "".join(f"\n  {k}: {'true' if v else 'false'}" for k, v in value.items()))
        elif isinstance(value, bool):
            lines.append(f"{key}: {'true' if value else 'false'}")
        else:
            lines.append(f"{key}: {yaml_scalar(value)}")
    return "\n".join(lines) + "\n"


def render_page(env: jinja2.Environment, page: Page) -> str:
    try:
        template = env.get_template(page.template)
        body = template.render(page.context)
    except Exception as exc:  # noqa: BLE001 - a mistake in the site's template is its error, not a bug
        error = _template_error(env, page, exc)
        if error is None:
            raise
        raise error from None
    return f"---\n{yaml_block(front_matter(page))}---\n\n{body.strip()}\n"


def _template_error(env: jinja2.Environment, page: Page, exc: Exception) -> ClaimlineError | None:
    """``exc``, raised while rendering ``page``, as the error of the template where it happened (and its line):
    a Jinja error in any template, or any error raised in one of the site's overrides (``{{ 1/0 }}``, a
    component given the wrong arguments); None for anything else, a bug in claimline."""
    where, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)  # a syntax error knows them
    if where is None:  # Jinja gives each template's frames the template's file name and line
        frames, tb = [], exc.__traceback__
        while tb is not None:
            frames.append((tb.tb_frame.f_code.co_filename, tb.tb_lineno))
            tb = tb.tb_next
        overrides = tuple(os.path.join(folder, "") for loader in getattr(env.loader, "loaders", ())
                          if isinstance(loader, _Overrides) for folder in loader.searchpath)
        site = [frame for frame in frames if overrides and frame[0].startswith(overrides)]
        if not site and not isinstance(exc, jinja2.TemplateError):
            return None
        ours = [frame for frame in frames if frame[0].startswith(os.path.join(TEMPLATES, ""))]
        where, line = (site or ours or [(page.template, None)])[-1]
    if isinstance(exc, jinja2.TemplateNotFound):
        message = f"no template named '{exc.name}'"
    elif isinstance(exc, jinja2.TemplateError):
        message = exc.message
    else:
        message = f"{type(exc).__name__}: {exc}"
    return ClaimlineError(f"template {where}{f':{line}' if line else ''}: {message}",
                          "fix the template in site-overrides/claimline/ or remove it to use the default")


def render_all(site: Site, pages: list[Page]) -> dict[str, bytes]:
    """Every page's Markdown, plus the open-data exports and the feed, by path."""
    renderer = Renderer(site, pages)
    made, first = split_map(renderer.make, range(len(renderer.jobs))), len(renderer.makers)
    files = dict(zip(renderer.paths[first:], made[first:]))  # pages first, as always
    files.update(zip(renderer.paths[:first], made[:first]))
    return files


class Renderer:
    """The files of a run: :attr:`paths` (the exports and the feed, then the pages, as :func:`render_all` orders
    them) and :meth:`make`, the bytes of the n-th.

    On two cores, when worth it (:func:`generator.parallel.split_map`), the two processes take turns at runs of
    them: the exports are 0.7 s of work at 10,000 claims, which one process did alone while the other waited.
    """

    def __init__(self, site: Site, pages: list[Page]):
        self.env = environment(site.settings)
        self.makers = export_makers(site, timeline_entries(site))
        # the exports first: each is a page's work hundreds of times over, and the run that holds them is best
        # taken while the other process has the pages to get on with, not last while it has nothing
        self.jobs: list[Page | str] = [*self.makers, *pages]  # the name of an export, or a page
        self.paths = [*self.makers, *(page.path for page in pages)]

    def make(self, n: int) -> bytes:
        job = self.jobs[n]
        return self.makers[job]() if isinstance(job, str) else render_page(self.env, job).encode("utf-8")

    def each(self, put: Callable[[str, bytes], bool]) -> list[str]:
        """``put(path, data)`` for every file, in the process that made it (nothing is kept or sent back but
        whether ``put`` wrote it); the paths it wrote."""
        paths = self.paths
        wrote = split_map(lambda n: put(paths[n], self.make(n)), range(len(self.jobs)))
        return [path for path, done in zip(paths, wrote) if done]

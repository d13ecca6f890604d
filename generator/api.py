"""The library API: each CLI command calls exactly one function here.

Every function reads and validates all inputs first; nothing is written unless
the whole run is clean (invariant 1).  Problems are returned (warnings) or
raised inside :class:`ValidationFailed` (errors, or warnings under strict).

The stages are imported by the functions that run them: a ``generate`` that finds nothing changed
(:mod:`generator.stamp`) answers without loading pydantic, Jinja or markdown-it, which took more than half
of such a run at 1,000 claims.
"""

from __future__ import annotations

import ctypes
import gc
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Settings, load_settings
from . import stamp
from .errors import Problem, Problems, ValidationFailed
from .records import Site
from .write import Staged, WriteReport, clean_leftovers, refuse_hand_written, write_tree

if TYPE_CHECKING:
    from .cache import ParseCache
    from .incremental import Session
    from .plan import Page


NO_CACHE_ENV = "CLAIMLINE_NO_CACHE"  # set to skip the parse cache (.claimline-cache/)


@dataclass
class Result:
    settings: Settings
    site: Site
    warnings: list[Problem] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    report: WriteReport | None = None
    engine_warnings: list[str] = field(default_factory=list)


def check(project: Path | str = ".", strict: bool = False, save_cache: bool = False,
          cache: ParseCache | None = None, settings: Settings | None = None) -> Result:
    """Read and validate everything; write nothing (``save_cache`` lets generate keep the parse cache).

    ``cache``: the parse cache to read through (the preview server keeps one between runs).
    ``settings``: already loaded from ``project``.  Raise :class:`ValidationFailed` on errors.
    """
    from .cache import ParseCache
    from .link import load_site

    settings = settings or load_settings(project)
    problems = Problems(root=settings.root)
    if settings.plugin_missing:
        problems.warning(settings.config_file, settings.plugin_missing,
                         "the claimline plugin is not enabled: pages will lack structured data, the feed link "
                         "and claimline's theme fixes", "add '- claimline' under 'plugins:' in mkdocs.yml")
    cache = cache or ParseCache(None if os.environ.get(NO_CACHE_ENV) else settings.root)
    cache.saves = save_cache
    site = load_site(settings, problems, cache)
    if save_cache:
        cache.save()
    if problems.fails(strict):
        raise ValidationFailed(problems.sorted(), strict)
    return Result(settings, site, warnings=problems.sorted())


def render(project: Path | str = ".", strict: bool = False, save_cache: bool = False,
           settings: Settings | None = None) -> Result:
    """Validate, plan and render every page in memory (nothing is written but the parse cache, if asked)."""
    from .render import render_all

    result = _planned(project, strict, save_cache, settings)
    result.files = render_all(result.site, result.pages)
    return result


def _planned(project: Path | str, strict: bool, save_cache: bool, settings: Settings | None) -> Result:
    """Validate, then plan the pages (:func:`render` renders them in memory, :func:`_render_into_docs` to disk)."""
    from .plan import plan_pages

    result = check(project, strict, save_cache, settings=settings)
    result.pages = plan_pages(result.site)
    return result


def generate(project: Path | str = ".", strict: bool = False, atomic: bool = True,
             session: Session | None = None) -> Result:
    """Write the generated Markdown into the docs folder, changing only what changed.

    ``atomic`` replaces the folder in one step; the preview server passes False, because MkDocs watches
    the folder itself, and then each file is replaced atomically instead.  The preview server also passes
    its :class:`~generator.incremental.Session`, which re-reads and re-renders only what an edit touches.
    Without a session the result's ``files`` stay empty: each file went to disk as soon as it was rendered
    (:func:`render` gives them; ``report`` lists them).
    """
    settings = load_settings(project)
    if session is None:
        inputs = None if os.environ.get(NO_CACHE_ENV) else stamp.inputs(settings)  # before anything is read
        saved = stamp.unchanged(settings, inputs)
        if saved is not None:
            clean_leftovers(settings.docs_dir)  # a killed run's staging folder goes even when nothing changed
            return _up_to_date(settings, saved, strict)
        if atomic:
            result = _render_into_docs(project, strict, settings)
        else:
            result = _write(render(project, strict, save_cache=True, settings=settings), atomic)
        stamp.record(settings, inputs, result.report.files, result.warnings)
        return result
    from .plan import plan_pages

    with session.run(settings, use_disk_cache=not os.environ.get(NO_CACHE_ENV)) as cache:
        result = check(project, strict, save_cache=session.first, cache=cache, settings=session.settings)
        result.site.memo["reuse_entries"] = session.entries
        result.pages = plan_pages(result.site)
        result.files, only = session.render(result.site, result.pages)
        _write(result, atomic, only)
        session.commit(len(result.report.written))
    return result


def _render_into_docs(project: Path | str, strict: bool, settings: Settings) -> Result:
    """Validate and plan, then render each file straight into the new docs folder (:class:`Staged`)."""
    from .render import Renderer

    result = _planned(project, strict, True, settings)
    renderer = Renderer(result.site, result.pages)
    refuse_hand_written(settings.docs_dir, renderer.paths)
    with Staged(settings.docs_dir, renderer.paths) as staged:
        result.report = staged.commit(renderer.each(staged.put))
    return result


def _write(result: Result, atomic: bool, only: set[str] | None = None) -> Result:
    refuse_hand_written(result.settings.docs_dir, result.files)
    result.report = write_tree(result.settings.docs_dir, result.files, atomic=atomic, only=only)
    return result


def _up_to_date(settings: Settings, saved: dict, strict: bool) -> Result:
    """The result of a run that found nothing changed: the last run's warnings, no page read or written.
    (``site``, ``pages`` and ``files`` are empty; :func:`render` gives them.)"""
    warnings = stamp.saved_warnings(saved)
    if strict and warnings:
        raise ValidationFailed(warnings, strict)
    files = [name for name in saved.get("files", []) if isinstance(name, str)]
    return Result(settings, Site(settings), warnings=warnings,
                  report=WriteReport(unchanged=len(files), files=files, up_to_date=True))


def build(project: Path | str = ".", strict: bool = False, engine: str = "mkdocs", verbose: bool = False) -> Result:
    """Generate, then build the site with the engine (MkDocs or ProperDocs) into ``site/``.

    The result's ``site``, ``pages`` and ``files`` are emptied before the engine runs (:func:`render` gives them)."""
    from .engine import build_site

    result = generate(project, strict)
    # the engine needs only the settings: the site, pages and files (about 0.5 GB at 10,000 claims) are let go,
    # so that the MkDocs child and then Pagefind do not run beside them (``report`` still lists the files)
    result.site, result.pages, result.files = Site(result.settings), [], {}
    _release_memory()
    result.engine_warnings = build_site(result.settings, strict=strict, engine=engine, verbose=verbose)
    return result


def _release_memory() -> None:
    """Collect what was let go and hand the freed pages back to the system (glibc keeps them otherwise)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def serve(project: Path | str = ".", strict: bool = False, dev_addr: str = "127.0.0.1:8000",
          open_browser: bool = False) -> None:
    """Generate, then preview with live reload; saving an input regenerates and refreshes."""
    from .engine import serve_site
    from .incremental import session_for

    result = generate(project, strict, session=session_for(project))
    serve_site(result.settings, dev_addr, strict, open_browser)


@dataclass
class Drafts:
    article_id: str
    yaml: str
    warnings: list[Problem]
    written: list[Path]


def extract(project: Path | str, article: Path | str, write: bool = False, strict: bool = False) -> Drafts:
    """Draft claims and dated events from one article; optionally save them in ``claims/_drafts/``.

    Problems in the article are reported, not fatal; under ``strict`` any of them, a warning too, raises
    :class:`ValidationFailed` and nothing is printed or written."""
    from .extract import drafts_yaml, extract_file, write_drafts

    settings = load_settings(project)
    problems = Problems(root=settings.root)
    article_id, extraction = extract_file(Path(article), problems, settings.content_dir)
    if strict and problems.items:
        raise ValidationFailed(problems.sorted(), strict)
    written = write_drafts(settings.claims_dir, article_id, extraction) if write else []
    return Drafts(article_id, drafts_yaml(article_id, extraction), problems.sorted(), written)

"""A MkDocs plugin (``plugins: [claimline]``): claimline's theme layer, fresh pages before each build and
a Pagefind search index after it (see :mod:`generator.search`).

It makes ``mkdocs serve`` (and ``claimline serve``) refresh when a claim or an
article is saved.  The generator never depends on it: ``claimline generate``
produces the same Markdown without MkDocs.

While serving, an editor's mistake is printed and the last good pages stay up
(MkDocs' server would otherwise hang every request until the error is fixed);
in a build it stops the build.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from . import navmemo, rawhtml
from .engine import SKIP_ENV
from .errors import ClaimlineError, ValidationFailed
from .search import DEFER_ENV, DEFER_MARKER, index_site, stub_material_index

log = logging.getLogger("mkdocs.plugins.claimline")
# An editor's mistake while serving goes to its own logger: MkDocs counts errors logged under "mkdocs", and
# under --strict a counted error aborts the build, which leaves the preview server stuck until the fix.
preview_log = logging.getLogger("claimline.preview")
if not preview_log.handlers:
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    preview_log.addHandler(_handler)
    preview_log.propagate = False


THEME = Path(__file__).parent / "theme"


_indexer: dict = {"thread": None, "again": False}
_indexer_lock = threading.Lock()


def _index_in_background(site_dir: Path) -> None:
    """Re-index the preview's site in a thread (one at a time; saves made meanwhile are indexed after it).

    Pagefind takes seconds on a large site; the preview shows an edited page without waiting for it."""
    with _indexer_lock:
        running = _indexer["thread"]
        if running is not None and running.is_alive():
            _indexer["again"] = True
            return
        _indexer["thread"] = threading.Thread(target=_index_loop, args=(site_dir,), daemon=True,
                                              name="claimline-search-index")
        _indexer["thread"].start()


def _index_loop(site_dir: Path) -> None:
    while True:
        try:
            index_site(site_dir)
        except ClaimlineError as exc:
            log.warning("claimline: the preview's search index was not updated: %s", exc.message)
        with _indexer_lock:
            if not _indexer["again"]:
                _indexer["thread"] = None
                return
            _indexer["again"] = False


class ClaimlinePlugin(BasePlugin):
    serving = False
    indexed = False  # while serving: the first build indexes search before the preview opens
    removed: tuple[str, ...] = ()  # while serving: generated files deleted since the last build

    def __init__(self) -> None:
        super().__init__()
        self._stashed: dict[str, tuple[str, dict[str, str]]] = {}  # by page: its Markdown and HTML blocks

    def on_config(self, config, **kwargs):
        """Put claimline's theme layer between the site's custom_dir and Material."""
        dirs = config.theme.dirs
        if str(THEME) not in dirs:
            custom = config.theme.custom_dir
            dirs.insert(1 if custom and dirs and Path(dirs[0]) == Path(custom) else 0, str(THEME))
        return config

    def on_env(self, env, config, files, **kwargs):
        """Navigation HTML made once per folder of pages (:mod:`generator.navmemo`)."""
        navmemo.install(env)
        return env

    def on_startup(self, command, dirty, **kwargs):
        self.serving, self.indexed = command == "serve", False

    def on_shutdown(self, **kwargs):
        # MkDocs keeps plugin instances for the life of the process: a later build must not inherit the
        # preview's state (tests build in-process after a serve)
        self.serving, self.indexed = False, False

    def on_pre_build(self, config, **kwargs):
        if os.environ.get(SKIP_ENV) == "1":
            return
        from .api import generate
        from .incremental import session_for

        root = Path(config.config_file_path).parent
        try:  # while serving, a session keeps what is unchanged between saves: only the edit is redone
            session = session_for(root) if self.serving else None
            result = generate(root, atomic=not self.serving, session=session)
            if session is not None:
                self.removed = (*self.removed, *result.report.deleted)
                stats = session.stats
                log.info(f"claimline: {stats['rendered']} of {stats['pages']} pages rendered, {stats['written']} "
                         f"files written in {stats['seconds']:.2f} s")
        except ClaimlineError as exc:
            details = [p.format() for p in exc.problems] if isinstance(exc, ValidationFailed) else []
            message = "\n".join(details + [f"claimline: {exc.message}"])
            if not self.serving:
                raise PluginError(message)
            preview_log.error(message + "\nThe preview keeps showing the last good pages until this is fixed.")

    @event_priority(-100)  # after every other plugin has changed the Markdown
    def on_page_markdown(self, markdown, page, config, files, **kwargs):
        """Hand Python-Markdown placeholders for the raw HTML blocks (see :mod:`generator.rawhtml`)."""
        text, blocks = rawhtml.stash(markdown)
        if blocks:
            self._stashed[page.file.src_uri] = (markdown, blocks)
        return text

    @event_priority(100)  # before any other plugin reads the HTML
    def on_page_content(self, html, page, config, files, **kwargs):
        """Put the raw HTML blocks back, exactly where Python-Markdown would have put them."""
        stashed = self._stashed.pop(page.file.src_uri, None)
        if stashed is None:
            return html
        markdown, blocks = stashed
        restored = rawhtml.restore(html, blocks)
        if restored is None:  # an extension moved a placeholder: render the page as it was
            log.debug("claimline: rendering %s without stashed HTML blocks", page.file.src_uri)
            page.markdown = markdown
            page.render(config, files)
            return page.content
        page.present_anchor_ids = (page.present_anchor_ids or set()) | rawhtml.anchor_ids(blocks)
        return restored

    @event_priority(-100)  # after Material's search plugin has written search/search_index.json
    def on_post_build(self, config, **kwargs):
        """Index the built site with Pagefind, in place of Material's one big search index.

        Material's search plugin must stay enabled (without it Material shows no search box); a site
        that disables it gets no search at all, and no index.  Under ``claimline build`` (``DEFER_ENV``
        set) only a marker is left: the build indexes after MkDocs has exited and freed its memory.
        """
        if self.serving:
            self._drop_removed_pages(config)
        search = config.plugins.get("material/search")
        if search is None or not search.config.enabled:
            return
        site_dir = Path(config.site_dir)
        if os.environ.get(DEFER_ENV) == "1":
            (site_dir / DEFER_MARKER).write_bytes(b"")
            return
        stub_material_index(site_dir)
        if self.serving and self.indexed:  # a rebuild of the preview: the page shows now, search catches up
            _index_in_background(site_dir)
            return
        try:
            for line in index_site(site_dir):
                log.debug("pagefind: %s", line)
        except ClaimlineError as exc:
            raise PluginError("\n".join(filter(None, [f"claimline: {exc.message}", exc.hint])))
        self.indexed = True

    def _drop_removed_pages(self, config) -> None:
        """A dirty build never deletes: remove the built pages of deleted claims and articles from the preview."""
        from mkdocs.structure.files import File

        from .write import prune

        site_dir = Path(config.site_dir).resolve()
        for rel in self.removed:
            built = Path(File(rel, config.docs_dir, str(site_dir), config.use_directory_urls).abs_dest_path).resolve()
            if site_dir in built.parents and built.is_file():
                built.unlink()
                prune(built.parent, site_dir)
        self.removed = ()

    def on_serve(self, server, config, builder, **kwargs):
        from .config import load_settings

        settings = load_settings(Path(config.config_file_path).parent)
        for folder in (settings.content_dir, settings.claims_dir, settings.overrides_dir):
            if folder.is_dir():
                server.watch(str(folder))
        # docs/ is claimline's output, rewritten at the start of every build: watching it made each save
        # build twice (the second build triggered by the first one's own pages), and the preview waited
        # for both.  The inputs above are what an editor saves.
        try:
            server.unwatch(config.docs_dir)
        except (KeyError, ValueError):
            pass
        return server

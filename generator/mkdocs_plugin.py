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
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from .engine import SKIP_ENV
from .errors import ClaimlineError, ValidationFailed
from .search import DEFER_ENV, DEFER_MARKER, index_site, stub_material_index

log = logging.getLogger("mkdocs.plugins.claimline")


THEME = Path(__file__).parent / "theme"


class ClaimlinePlugin(BasePlugin):
    serving = False

    def on_config(self, config, **kwargs):
        """Put claimline's theme layer between the site's custom_dir and Material."""
        dirs = config.theme.dirs
        if str(THEME) not in dirs:
            custom = config.theme.custom_dir
            dirs.insert(1 if custom and dirs and Path(dirs[0]) == Path(custom) else 0, str(THEME))
        return config

    def on_startup(self, command, dirty, **kwargs):
        self.serving = command == "serve"

    def on_pre_build(self, config, **kwargs):
        if os.environ.get(SKIP_ENV) == "1":
            return
        from .api import generate
        from .incremental import session_for

        root = Path(config.config_file_path).parent
        try:  # while serving, a session keeps what is unchanged between saves: only the edit is redone
            generate(root, atomic=not self.serving, session=session_for(root) if self.serving else None)
        except ClaimlineError as exc:
            details = [p.format() for p in exc.problems] if isinstance(exc, ValidationFailed) else []
            message = "\n".join(details + [f"claimline: {exc.message}"])
            if not self.serving:
                raise PluginError(message)
            log.error(message + "\nThe preview keeps showing the last good pages until this is fixed.")

    @event_priority(-100)  # after Material's search plugin has written search/search_index.json
    def on_post_build(self, config, **kwargs):
        """Index the built site with Pagefind, in place of Material's one big search index.

        Material's search plugin must stay enabled (without it Material shows no search box); a site
        that disables it gets no search at all, and no index.  Under ``claimline build`` (``DEFER_ENV``
        set) only a marker is left: the build indexes after MkDocs has exited and freed its memory.
        """
        search = config.plugins.get("material/search")
        if search is None or not search.config.enabled:
            return
        site_dir = Path(config.site_dir)
        if os.environ.get(DEFER_ENV) == "1":
            (site_dir / DEFER_MARKER).write_bytes(b"")
            return
        stub_material_index(site_dir)
        try:
            for line in index_site(site_dir):
                log.debug("pagefind: %s", line)
        except ClaimlineError as exc:
            raise PluginError("\n".join(filter(None, [f"claimline: {exc.message}", exc.hint])))

    def on_serve(self, server, config, builder, **kwargs):
        from .config import load_settings

        settings = load_settings(Path(config.config_file_path).parent)
        for folder in (settings.content_dir, settings.claims_dir, settings.overrides_dir):
            if folder.is_dir():
                server.watch(str(folder))
        return server

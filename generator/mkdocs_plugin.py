"""A MkDocs plugin (``plugins: [claimline]``): claimline's theme layer, and fresh pages before each build.

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
from mkdocs.plugins import BasePlugin

from .engine import SKIP_ENV
from .errors import ClaimlineError, ValidationFailed

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

        try:
            generate(Path(config.config_file_path).parent, atomic=not self.serving)
        except ClaimlineError as exc:
            details = [p.format() for p in exc.problems] if isinstance(exc, ValidationFailed) else []
            message = "\n".join(details + [f"claimline: {exc.message}"])
            if not self.serving:
                raise PluginError(message)
            log.error(message + "\nThe preview keeps showing the last good pages until this is fixed.")

    def on_serve(self, server, config, builder, **kwargs):
        from .config import load_settings

        settings = load_settings(Path(config.config_file_path).parent)
        for folder in (settings.content_dir, settings.claims_dir, settings.overrides_dir):
            if folder.is_dir():
                server.watch(str(folder))
        return server

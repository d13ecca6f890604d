"""A MkDocs plugin (``plugins: [claimline]``) that regenerates the pages before each build.

It makes ``mkdocs serve`` (and ``claimline serve``) refresh when a claim or an
article is saved.  The generator never depends on it: ``claimline generate``
produces the same Markdown without MkDocs.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from .engine import SKIP_ENV
from .errors import ClaimlineError, ValidationFailed


class ClaimlinePlugin(BasePlugin):
    def on_pre_build(self, config, **kwargs):
        if os.environ.get(SKIP_ENV) == "1":
            return
        from .api import generate

        try:
            generate(Path(config.config_file_path).parent)
        except ValidationFailed as exc:
            raise PluginError("claimline: " + exc.message + "\n" + "\n".join(p.format() for p in exc.problems))
        except ClaimlineError as exc:
            raise PluginError(f"claimline: {exc.message}")

    def on_serve(self, server, config, builder, **kwargs):
        from .config import load_settings

        settings = load_settings(Path(config.config_file_path).parent)
        for folder in (settings.content_dir, settings.claims_dir, settings.overrides_dir):
            if folder.is_dir():
                server.watch(str(folder))
        return server

"""Running the site engine (MkDocs + Material) on the generated Markdown.

The build runs in a child process (``python -m mkdocs build``) into a fresh
folder beside ``site/``; only a complete, successful build replaces the
previous site.  ``serve`` runs MkDocs' development server in this process,
with the claimline plugin regenerating pages whenever an input is saved.
"""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from .config import Settings
from .errors import EngineError
from .search import DEFER_ENV, index_deferred
from .write import clean_leftovers, exchange

ENGINES = ("mkdocs", "properdocs")  # ProperDocs: a maintained drop-in fork of MkDocs 1.6
EOL_ENV = "NO_MKDOCS_2_WARNING"  # Material's end-of-life banner; shown with `claimline build --verbose`
SKIP_ENV = "CLAIMLINE_SKIP_GENERATE"  # set for a build whose pages were just generated
EPOCH_ENV = "SOURCE_DATE_EPOCH"  # the reproducible-builds convention MkDocs follows; one set by the caller wins


def build_site(settings: Settings, strict: bool = False, engine: str = "mkdocs",
               verbose: bool = False) -> list[str]:
    """Build ``site/`` from the docs folder; return the engine's warning lines (every line if verbose).

    The claimline plugin in the child defers the Pagefind index (``search.DEFER_ENV``); it is written here,
    into the staging folder, once MkDocs has exited, so the two never hold their memory at the same time.

    Material's end-of-life banner is silenced unless ``verbose`` (the README says how to see it).
    """
    if engine not in ENGINES:
        raise EngineError(f"unknown engine '{engine}'", f"choose one of: {', '.join(ENGINES)}")
    site_dir = settings.site_dir
    clean_leftovers(site_dir)
    staging = site_dir.with_name(f".{site_dir.name}.build-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    cmd = [sys.executable, "-m", engine, "build", "--clean", "--config-file", str(settings.config_file),
           "--site-dir", str(staging)] + (["--strict"] if strict else [])
    env = {**os.environ, SKIP_ENV: "1", DEFER_ENV: "1", "PYTHONIOENCODING": "utf-8"}
    if EPOCH_ENV not in env and (epoch := _data_epoch(settings)) is not None:
        env[EPOCH_ENV] = epoch
    if verbose:
        env.pop(EOL_ENV, None)  # Material sets it in a process that imported it; the child must not inherit it
    else:
        env[EOL_ENV] = "1"
    try:
        proc = subprocess.run(cmd, cwd=settings.root, env=env, capture_output=True, text=True)
    except OSError as exc:
        raise EngineError(f"could not start {engine}: {exc}")
    output = (proc.stdout + proc.stderr).splitlines()
    if proc.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        detail = "\n".join(line for line in output if line.strip())[-4000:]
        raise EngineError(f"{engine} build failed (exit {proc.returncode}); site/ was left as it was\n{detail}")
    try:  # Pagefind runs only now that MkDocs has exited: the build's peak memory is one of them, not both
        index_deferred(staging)
    except EngineError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise EngineError(f"{exc.message}\nsite/ was left as it was", exc.hint) from None
    swap_in(staging, site_dir)
    return output if verbose else [line for line in output if line.startswith("WARNING")]


def _data_epoch(settings: Settings) -> str | None:
    """The newest date in the records (the feed's ``<updated>``), in seconds, for ``SOURCE_DATE_EPOCH``.  MkDocs
    dates the sitemap's ``<lastmod>`` and the header of ``sitemap.xml.gz`` from it; without it they carry the
    day of the build, so a build on another day differs and tells crawlers that every page changed."""
    try:
        match = re.search(r"<updated>([^<]+)</updated>", (settings.docs_dir / "feed.xml").read_text("utf-8"))
        return str(int(datetime.fromisoformat(match[1].replace("Z", "+00:00")).timestamp())) if match else None
    except (OSError, ValueError):
        return None


def swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` with the complete folder ``new`` in one atomic step."""
    if target.exists():
        exchange(new, target)
        shutil.rmtree(new, ignore_errors=True)  # now the previous site
    else:
        os.rename(new, target)


def serve_site(settings: Settings, dev_addr: str, strict: bool, open_browser: bool = False) -> None:
    """MkDocs' live-reloading server; the claimline plugin regenerates pages before each build."""
    from mkdocs.commands import serve as mkdocs_serve

    load_config = mkdocs_serve.load_config
    mkdocs_serve.load_config = _last_good_settings(load_config, settings.config_file)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    os.environ.pop(SKIP_ENV, None)
    quiet = _DirtyNotice()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    try:
        # dirty: MkDocs rebuilds only the pages whose Markdown changed, and claimline's session rewrites only
        # the pages an edit touches, so a save shows in the browser in a second or two even at 10,000 claims
        mkdocs_serve.serve(config_file=str(settings.config_file), livereload=True, build_type="dirty",
                           dev_addr=dev_addr, strict=strict, open_in_browser=open_browser)
    except Exception as exc:  # MkDocs reports its own errors; keep tracebacks away from editors
        raise EngineError(f"the preview server stopped: {exc}") from exc
    finally:
        mkdocs_serve.load_config = load_config
        log.removeHandler(handler)
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)


def _last_good_settings(load_config, config_file: Path):
    """MkDocs' ``load_config`` for the preview's rebuilds.  Saved with a mistake, mkdocs.yml would make MkDocs
    print a traceback and hold every request until the file is fixed; instead the preview rebuilds with the
    last settings that loaded, so the last good pages stay up, and claimline's plugin reports the mistake at its
    line and column (MkDocs logs its own settings errors before it gives up on them)."""
    from mkdocs.exceptions import MkDocsException

    good: list[bytes] = []

    def load(**kwargs):
        try:
            text = config_file.read_bytes()
        except OSError:
            text = None
        try:
            config = load_config(**kwargs)
        except MkDocsException:
            if not good:  # the first load: MkDocs cannot start without settings
                raise
            logging.getLogger("mkdocs").error(f"{config_file.name} cannot be used as it is; the preview keeps its "
                                              "last good settings until the file is fixed")
            last = io.BytesIO(good[0])
            last.name = str(config_file)  # MkDocs resolves docs_dir and custom_dir from the file's folder
            return load_config(**{**kwargs, "config_file": last})
        if text is not None:
            good[:] = [text]
        return config

    return load


class _DirtyNotice(logging.Filter):
    """Drop MkDocs' warning that a dirty build "will likely lead to inaccurate navigation": the preview builds
    dirty on purpose (claimline regenerates every page an edit touches), and under --strict the warning
    would fail every rebuild."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build is being performed" not in record.getMessage()

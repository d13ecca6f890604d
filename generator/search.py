"""Site search with Pagefind: a static index split into small files, so a reader downloads only what a query needs.

Material's built-in search (lunr) ships one JSON index with the text of every page, which every reader
downloads: 2.4 MB at 1,000 pages, 24 MB at 10,000.  Pagefind (https://pagefind.app/, the ``pagefind[bin]``
wheel carries its binary, so nothing is downloaded at build time) indexes the built HTML into
``site/pagefind/``: a small entry file, a WebAssembly search module, word-range index chunks and one fragment
per page, fetched on demand by ``pagefind/pagefind.js``.

Material's search plugin stays enabled, because Material renders its search box, dialog and keyboard
handling only when it is; claimline's theme layer (``generator/theme/``) points Material's search worker at a
silent stand-in and ``assets/claimline-search.js`` runs the Pagefind query and renders results into
Material's own result list.  Every generated page carries ``search: {exclude: true}`` in its front matter
(``render.front_matter``), so Material parses no page for its lunr index and ``search/search_index.json``
holds only its ``config`` (about 100 bytes): Material's script still fetches that file on every page, and its
configuration drives the highlighting of search terms on the page a reader opens from a result (the
``search.highlight`` feature).  ``stub_material_index`` still cuts the file down to that config, for a page
added to ``docs/`` by hand or by another plugin.

Only the content area of a page is indexed (the theme layer marks Material's ``<article>`` with
``data-pagefind-body``), so navigation, header and footer stay out, and only on the pages a result should
lead to: claims, articles, claimants and the methodology and data pages (``render.searched``).  List pages,
which repeat claim statements, stay out; so do the claim lists and related claims inside indexed pages
(``EXCLUDE``).  Claim pages carry the statement as their heading and the claimant in the text, so both are
searchable.  Pagefind's output is deterministic: file names
are hashes of their contents and no timestamp is written (tests/test_atomic.py builds twice and compares).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .errors import EngineError

BUNDLE = "pagefind"  # site/pagefind/: the folder the theme layer's script loads pagefind.js from
# not text to search: the ¶ permalinks of headings (MkDocs) and timeline entries, decorative icons, and the
# other claims a page lists (claim lists on claimant and article pages, related claims on a claim page): their
# text is on their own pages, so a search for a statement leads to the claim, not to every page that lists it
EXCLUDE = '.headerlink, .cl-entry__anchor, [aria-hidden="true"], .cl-list, .cl-related'
MATERIAL_INDEX = Path("search") / "search_index.json"
# Set by `claimline build` for its MkDocs child: the plugin then leaves a marker instead of indexing, and
# build_site runs Pagefind once MkDocs has exited, so their memory is not held at the same time
DEFER_ENV = "CLAIMLINE_DEFER_SEARCH"
DEFER_MARKER = ".claimline-search-pending"  # in the built site folder; removed before indexing
PART_PAGES = 4000  # pages per Pagefind run; a larger site is indexed in parts (see index_site)
PARTS = "claimline-parts.json"  # in pagefind/: the other parts' folders, which the search script merges
SCRATCH = ".claimline-search-part"  # inside the site while a part is indexed (one folder per part)
# Pagefind runs at a time: one run keeps about 1.4 cores busy, so two parts side by side index 10,000 claims in
# about two thirds of the time (17-19 s, not 26 s), and hold about 2 x 350 MB (parts of ~3,100 pages) meanwhile
PARALLEL_PARTS = 2
MARK = b"data-pagefind-body"  # on the pages a search result may lead to (theme layer)
# Pagefind's own user interfaces (about 420 KB): claimline renders results in Material's dialog instead
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


def stub_material_index(site_dir: Path) -> int:
    """Keep only the ``config`` of Material's search index (its ``docs`` are the megabytes); return the new size."""
    path = site_dir / MATERIAL_INDEX
    if not path.is_file():
        return 0
    config = json.loads(path.read_text("utf-8")).get("config", {})
    data = json.dumps({"config": config, "docs": []}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")
    path.write_bytes(data)
    return len(data)


def index_deferred(site_dir: Path) -> list[str]:
    """Index a site whose build left the marker of a deferred index (see ``DEFER_ENV``); else do nothing."""
    marker = Path(site_dir) / DEFER_MARKER
    if not marker.is_file():
        return []  # Material's search plugin is off: no search, no index
    marker.unlink()
    stub_material_index(site_dir)
    return index_site(site_dir)


def index_site(site_dir: Path) -> list[str]:
    """Index the built site in ``site_dir`` with Pagefind; return its output lines (warnings and a summary).

    Pagefind holds the whole index in memory while it works (about 120 KB per indexed page: 1.5 GB at 10,000
    claims), so a site with more than ``PART_PAGES`` pages is indexed in parts, one Pagefind run each, into
    ``pagefind/``, ``pagefind-2/``, …; ``pagefind/claimline-parts.json`` names the other parts, and the
    search script merges them (Pagefind's ``mergeIndex``) into one result list.
    """
    site_dir = Path(site_dir).resolve()
    for old in [*site_dir.glob(f"{BUNDLE}-*"), *site_dir.glob(f"{SCRATCH}*")]:  # an earlier index's (the preview's)
        shutil.rmtree(old, ignore_errors=True)
    pages = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))
    if len(pages) <= PART_PAGES:
        output = _pagefind(site_dir, site_dir, site_dir / BUNDLE)
        parts: list[str] = []
    else:
        searched = [p for p in pages if MARK in (site_dir / p).read_bytes()]
        count = max(1, -(-len(searched) // PART_PAGES))  # parts of equal size, none above PART_PAGES
        size = -(-len(searched) // count) or 1
        chunks = [searched[i:i + size] for i in range(0, len(searched), size)] or [[]]
        parts = [BUNDLE if n == 1 else f"{BUNDLE}-{n}" for n in range(1, len(chunks) + 1)]
        with ThreadPoolExecutor(max_workers=PARALLEL_PARTS) as pool:  # the threads wait on Pagefind processes
            outputs = list(pool.map(lambda job: _index_part(site_dir, *job), zip(parts, chunks)))
        output = [line for lines in outputs for line in lines]
        parts = parts[1:]
    (site_dir / BUNDLE / PARTS).write_text(json.dumps({"bundles": parts}) + "\n", "utf-8")
    return output


def _index_part(site_dir: Path, name: str, pages: list[str]) -> list[str]:
    """Pagefind over ``pages`` only: they are hard-linked (copied where links are impossible) into a scratch
    folder at the same paths, so the part's URLs are the site's.  The scratch folder is inside the site being
    indexed, so a killed build's leftovers go with its staging folder."""
    scratch = site_dir / f"{SCRATCH}-{name}"
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        for rel in pages:
            target = scratch / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(site_dir / rel, target)
            except OSError:
                shutil.copyfile(site_dir / rel, target)
        return _pagefind(scratch, site_dir, site_dir / name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _pagefind(source: Path, site_dir: Path, bundle: Path) -> list[str]:
    """One Pagefind run over ``source`` writing the bundle ``bundle``.

    The bundled binary runs through ``python -m pagefind`` (the ``pagefind`` package finds the binary of
    ``pagefind_bin``, or the one named by ``PAGEFIND_BINARY_PATH``).  Every setting is on the command line
    and ``PAGEFIND_*`` variables are dropped from the environment, so a stray ``pagefind.yml`` or variable
    cannot change the index.
    """
    cmd = [sys.executable, "-m", "pagefind", "--site", str(source), "--output-path", str(bundle),
           "--exclude-selectors", EXCLUDE, "--quiet"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_") or k == "PAGEFIND_BINARY_PATH"}
    try:
        proc = subprocess.run(cmd, cwd=site_dir, env=env, capture_output=True, text=True, encoding="utf-8",
                              errors="replace")
    except OSError as exc:
        raise EngineError(f"could not start Pagefind: {exc}")
    output = [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]
    if proc.returncode != 0:
        detail = "\n".join(output)[-4000:]
        raise EngineError(f"Pagefind could not index the site (exit {proc.returncode})\n{detail}",
                          "is the pagefind[bin] package installed? pip install -e '.[test]' installs it")
    if not (bundle / "pagefind.js").is_file():
        raise EngineError("Pagefind ran but wrote no search bundle", f"expected {bundle}/pagefind.js")
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    return output

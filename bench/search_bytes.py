"""Bytes a reader downloads for a first search, for Material's lunr search and for Pagefind.

    .venv/bin/python bench/search_bytes.py SITE_DIR [--query budget] [--json]

:func:`first_search_bytes` serves a built site on 127.0.0.1 (a counting static file server in a
thread), drives headless Chromium (Debian's ``/usr/bin/chromium`` through Playwright) from a fresh
browser context (empty cache) and counts every byte the server sends from the moment the page is
requested until the first search results are on screen.

* **lunr** (Material's built-in search, ``SITE/search/search_index.json``): open the home page, click the
  search box, type the query, wait for ``.md-search-result__item``.
* **Pagefind** (when ``SITE/pagefind/`` exists): open the home page and drive its search box if it has one
  (Pagefind's default UI, ``.pagefind-ui__search-input``, or Material's box wired to Pagefind); otherwise,
  or when that shows no results, a bench-only page (served by this module, never written into the site)
  does what Pagefind's UI does for a first query: ``import('/pagefind/pagefind.js')``, ``search(query)``,
  then ``data()`` of the first 5 results (the UI's first page).  ``method`` says which path was taken.

Every response is put in one of two groups: ``search`` (anything under ``/search/``, ``/pagefind/`` or the
other parts of a Pagefind index a large site is split into, ``/pagefind-2/`` …, and
scripts under ``/assets/`` whose file name contains ``search``: Material's search worker, claimline's search
script and worker) and ``page`` (the HTML, CSS, JS and images of the page itself).  The
search figure is what the first query costs on top of loading the page; ``total`` includes the page.
Bytes are response bodies as sent by a plain static server (no compression); ``*_gzip`` is the same
bodies gzipped at level 6, what a host that compresses (GitHub Pages, Netlify) would send
(Pagefind's index files are already compressed, so they hardly change).

Without Playwright or Chromium the function falls back to file sizes (``method: static``): for lunr the
index and worker (exact, since lunr loads the whole index); for Pagefind only the fixed part (loader, wasm,
entry and metadata files), a lower bound.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import importlib.util
import json
import re
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
BENCH_PREFIX = "/__claimline_bench__/"
PAGEFIND_FIRST_PAGE = 5  # results Pagefind's default UI loads (fragments) for the first page

# (search box, result item) pairs tried in order on a Pagefind site
PAGEFIND_UIS = [
    (".pagefind-ui__search-input", ".pagefind-ui__result"),
    ("input.md-search__input", ".md-search-result__item, .pagefind-ui__result, [data-pagefind-result]"),
]
PAGEFIND_API_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>first search</title></head>
<body><script type="module">
try {
  const started = performance.now();
  const pagefind = await import(%(loader)s);
  const search = await pagefind.search(%(query)s);
  const data = await Promise.all(search.results.slice(0, %(first)d).map(r => r.data()));
  window.__bench = {count: search.results.length, ms: performance.now() - started,
                    titles: data.map(d => (d.meta && d.meta.title) || d.url)};
} catch (e) { window.__bench = {error: String(e)}; }
</script></body></html>
"""


def _category(path: str) -> str:
    """``search`` for the index and the code that only search needs (Material's worker, claimline's script)."""
    name = path.rsplit("/", 1)[-1]
    if path.startswith(("/search/", "/pagefind/")) or re.match(r"/pagefind-\d+/", path) or ("/workers/" in path and "search" in name) \
            or (path.startswith("/assets/") and "search" in name):
        return "search"
    return "page"


class _Log:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: list[dict] = []
        self.t0 = time.perf_counter()

    def add(self, path: str, status: int, size: int, file: Path | None) -> None:
        with self.lock:
            self.entries.append({"path": path, "status": status, "bytes": size, "file": file,
                                 "t": round(time.perf_counter() - self.t0, 3)})

    def reset(self) -> None:
        with self.lock:
            self.entries = []
            self.t0 = time.perf_counter()

    def snapshot(self) -> list[dict]:
        with self.lock:
            return list(self.entries)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """A static file server that records the body bytes of every response it sends."""

    log_: _Log
    extra_pages: dict[str, bytes]

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        if path in self.extra_pages:  # bench-only page: served, never counted
            body = self.extra_pages[path]
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self._counted = 0
        self._file = None
        self._status = 0
        try:
            super().do_GET()
        finally:
            self.log_.add(path, self._status, self._counted, self._file)

    def send_response(self, code, message=None) -> None:
        self._status = code
        super().send_response(code, message)

    def send_error(self, code, message=None, explain=None) -> None:
        self._status = code
        super().send_error(code, message, explain)

    def guess_type(self, path):
        if str(path).endswith(".wasm"):
            return "application/wasm"
        return super().guess_type(path)

    def translate_path(self, path: str) -> str:
        resolved = super().translate_path(path)
        if Path(resolved).is_file():
            self._file = Path(resolved)
        elif Path(resolved, "index.html").is_file():
            self._file = Path(resolved, "index.html")
        return resolved

    def copyfile(self, source, outputfile) -> None:
        while chunk := source.read(64 * 1024):
            outputfile.write(chunk)
            self._counted += len(chunk)


class SiteServer:
    """Serve ``site`` on 127.0.0.1 (a free port) in a background thread, logging every response."""

    def __init__(self, site: Path, extra_pages: dict[str, bytes] | None = None) -> None:
        self.log = _Log()
        handler = type("Handler", (_Handler,), {"log_": self.log, "extra_pages": extra_pages or {}})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                     functools.partial(handler, directory=str(site)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


_gzip_cache: dict[Path, int] = {}


def _gzip_size(file: Path | None, size: int) -> int:
    if file is None or size == 0:
        return size
    if file not in _gzip_cache:
        _gzip_cache[file] = len(gzip.compress(file.read_bytes(), 6))
    return _gzip_cache[file]


def _summarise(entries: list[dict]) -> dict:
    requests = []
    totals = {"search": [0, 0], "page": [0, 0]}
    for e in entries:
        cat = _category(e["path"])
        gz = _gzip_size(e["file"], e["bytes"]) if e["status"] == 200 else e["bytes"]
        totals[cat][0] += e["bytes"]
        totals[cat][1] += gz
        requests.append({"path": e["path"], "status": e["status"], "bytes": e["bytes"], "gzip": gz,
                         "category": cat, "t": e["t"]})
    return {"sitemap_bytes": sum(e["bytes"] for e in entries if e["path"].endswith("/sitemap.xml")),
            "search_bytes": totals["search"][0], "search_gzip_bytes": totals["search"][1],
            "page_bytes": totals["page"][0], "page_gzip_bytes": totals["page"][1],
            "total_bytes": totals["search"][0] + totals["page"][0],
            "total_gzip_bytes": totals["search"][1] + totals["page"][1],
            "requests": requests}


def detect_backend(site: Path) -> str:
    if (site / "pagefind").is_dir():
        return "pagefind"
    if (site / "search" / "search_index.json").is_file():
        return "lunr"
    return "none"


def static_search_bytes(site: Path) -> dict:
    """File sizes only: exact for lunr (the whole index is loaded), a lower bound for Pagefind."""
    backend = detect_backend(site)
    files: list[Path] = []
    if backend == "lunr":
        files = [site / "search" / "search_index.json"] + sorted(site.glob("assets/javascripts/workers/search*.js"))
    elif backend == "pagefind":
        pf = site / "pagefind"
        wasm = sorted(pf.glob("wasm.*.pagefind"))
        wasm = [w for w in wasm if w.name == "wasm.en.pagefind"] or wasm[:1]
        files = [p for p in sorted(pf.iterdir()) if p.is_file() and (
            p.name in ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json") or p.suffix == ".pf_meta")]
        files += wasm
    size = sum(p.stat().st_size for p in files)
    gz = sum(_gzip_size(p, p.stat().st_size) for p in files)
    return {"backend": backend, "method": "static" + (" (lower bound)" if backend == "pagefind" else ""),
            "search_bytes": size, "search_gzip_bytes": gz, "files": [str(p.relative_to(site)) for p in files]}


def browser_available(chromium: Path = CHROMIUM) -> str | None:
    """``None`` when the browser measurement can run, else why not."""
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed"
    if not chromium.exists():
        return f"{chromium} does not exist (apt-get install chromium)"
    return None


def first_search_bytes(site: Path | str, query: str = "budget", start: str = "", timeout_s: float = 300.0,
                       chromium: Path = CHROMIUM, input_selector: str | None = None,
                       result_selector: str | None = None) -> dict:
    """Measure the first search on the built site in ``site``; see the module docstring.

    Returns ``backend``, ``method``, ``query``, ``results`` (how many results were on screen or found),
    ``time_to_results_s`` (from requesting the page to the first results), the byte counts
    (``search_bytes``, ``search_gzip_bytes``, ``page_bytes``, ``total_bytes`` and their gzip twins),
    ``sitemap_bytes`` (Material fetches ``/sitemap.xml`` when a page loads; counted under ``page``),
    ``static`` (:func:`static_search_bytes`) and ``requests`` (every response: path, bytes, gzip size,
    group, seconds after the start).
    """
    site = Path(site)
    backend = detect_backend(site)
    static = static_search_bytes(site)
    why_not = browser_available(chromium)
    if why_not or backend == "none":
        return {**static, "query": query, "browser": why_not or "no search index in the site", "static": static}
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    api_page = BENCH_PREFIX + "pagefind.html"
    extra = {api_page: (PAGEFIND_API_PAGE % {"loader": json.dumps("/pagefind/pagefind.js"),
                                             "query": json.dumps(query),
                                             "first": PAGEFIND_FIRST_PAGE}).encode()}
    result: dict = {"backend": backend, "query": query, "static": static}
    with SiteServer(site, extra) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=FLAGS)
        try:
            attempts: list[tuple[str, str | None, str | None]] = []
            if input_selector and result_selector:
                attempts.append(("custom ui", input_selector, result_selector))
            elif backend == "lunr":
                attempts.append(("material ui", "input.md-search__input", ".md-search-result__item"))
            else:
                attempts += [("pagefind ui" if "pagefind" in i else "material ui wired to pagefind", i, r)
                             for i, r in PAGEFIND_UIS]
            if backend == "pagefind":
                attempts.append(("pagefind api (first 5 results' fragments)", None, None))
            errors = []
            for method, inp, res in attempts:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                try:
                    server.log.reset()
                    t0 = time.perf_counter()
                    if inp is None:
                        page.goto(server.url.rstrip("/") + api_page, wait_until="load")
                        page.wait_for_function("window.__bench !== undefined", timeout=timeout_s * 1000)
                        bench = page.evaluate("window.__bench")
                        if "error" in bench:
                            raise RuntimeError(bench["error"])
                        found = bench["count"]
                    else:
                        page.goto(server.url + start, wait_until="load")
                        try:
                            page.wait_for_selector(inp, state="visible", timeout=3000)
                        except PlaywrightTimeout:
                            if not page.query_selector(inp):
                                errors.append(f"{method}: no {inp} on the page")
                                continue
                        page.click(inp)
                        page.keyboard.type(query, delay=20)
                        page.wait_for_selector(res, timeout=timeout_s * 1000)
                        found = len(page.query_selector_all(res))
                    elapsed = time.perf_counter() - t0
                    entries = server.log.snapshot()
                    if backend == "pagefind" and not any(e["path"].startswith("/pagefind/") for e in entries):
                        errors.append(f"{method}: results came without a request to /pagefind/ "
                                      "(the page's search box does not use Pagefind)")
                        continue
                    result.update(method=method, results=found, time_to_results_s=round(elapsed, 3),
                                  **_summarise(entries))
                    if errors:
                        result["tried"] = errors
                    return result
                except (PlaywrightTimeout, RuntimeError) as exc:
                    errors.append(f"{method}: {str(exc).splitlines()[0]}")
                finally:
                    context.close()
            result.update(method="failed", error="; ".join(errors), **_summarise(server.log.snapshot()))
            return result
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site folder (holds index.html)")
    parser.add_argument("--query", default="budget")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for results")
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    args = parser.parse_args()
    out = first_search_bytes(args.site, args.query, timeout_s=args.timeout)
    if args.json:
        print(json.dumps(out, indent=1))
        return
    print(f"backend {out['backend']}, method {out.get('method')}, query {args.query!r}, "
          f"results {out.get('results')}, time to results {out.get('time_to_results_s')} s")
    print(f"search bytes {out['search_bytes']:,} (gzip {out['search_gzip_bytes']:,}); "
          f"with the page {out.get('total_bytes', 0):,} (gzip {out.get('total_gzip_bytes', 0):,})")
    for r in out.get("requests", []):
        print(f"  {r['t']:7.3f}s {r['status']} {r['category']:6} {r['bytes']:>11,} {r['gzip']:>10,}  {r['path']}")
    if out.get("error"):
        print("error:", out["error"])


if __name__ == "__main__":
    main()

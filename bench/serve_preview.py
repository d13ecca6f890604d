"""How long after an editor saves a claim does the preview in the browser show it?

    .venv/bin/python bench/serve_preview.py PROJECT [--claim claim-00007] [--repeat 3] [--json OUT]

Starts ``claimline serve`` on PROJECT (a generated project, e.g. ``bench/corpus.py`` with 2,000 claims),
opens the claim's page in headless Chromium (Debian's ``/usr/bin/chromium`` through Playwright) and waits
for the first build.  Then, ``--repeat`` times: writes a new statement into the claim's YAML file and
measures the time from the save to the moment the page in the browser shows the new statement — the
livereload script in the page reloads it when the server has rebuilt, as it does for an editor.  The
server's log lines for each rebuild are kept in the JSON.  The claim file is restored at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_bytes import CHROMIUM, FLAGS  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(project: Path, claim_id: str, repeat: int, timeout: float) -> dict:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    log: list[tuple[float, str]] = []
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--project", str(project),
                             "--dev-addr", f"127.0.0.1:{port}"], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    reader = threading.Thread(target=lambda: [log.append((time.monotonic(), line.rstrip()))
                                              for line in iter(proc.stdout.readline, "")], daemon=True)
    reader.start()
    claim = project / "claims" / f"{claim_id}.yaml"
    original = claim.read_text("utf-8")
    url = f"http://127.0.0.1:{port}/claims/{claim_id}/"
    runs = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
            page = browser.new_page()
            deadline = time.monotonic() + timeout
            while True:
                try:
                    if page.goto(url, timeout=5000).ok:
                        break
                except Exception:
                    pass
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("the preview server did not come up:\n" + "\n".join(l for _, l in log[-30:]))
                time.sleep(0.5)
            ready = time.monotonic() - started
            time.sleep(3)  # let the watcher settle after the first build
            for n in range(1, repeat + 1):
                marker = f"Preview edit {n} {time.time_ns()}"
                lines = original.splitlines()
                at = next(i for i, line in enumerate(lines) if line.startswith("statement:"))
                lines[at] = f"statement: {json.dumps(marker)}"
                mark = len(log)
                saved = time.monotonic()
                claim.write_text("\n".join(lines) + "\n", "utf-8")
                page.wait_for_function("text => document.querySelector('h1') && "
                                       "document.querySelector('h1').textContent.includes(text)",
                                       arg=marker, timeout=timeout * 1000, polling=50)
                shown = time.monotonic() - saved
                runs.append({"seconds": round(shown, 3),
                             "server_log": [f"{t - saved:+.3f}s {line}" for t, line in log[mark:]]})
                time.sleep(3)  # the background search index and the watcher settle
            browser.close()
    finally:
        claim.write_text(original, "utf-8")
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    claims = sum(1 for _ in (project / "claims").glob("*.yaml"))
    return {"project": str(project), "claims": claims, "server_ready_s": round(ready, 1), "edits": runs,
            "best_s": min(r["seconds"] for r in runs), "worst_s": max(r["seconds"] for r in runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path)
    parser.add_argument("--claim", default="claim-00007")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    found = measure(args.project.resolve(), args.claim, args.repeat, args.timeout)
    for run in found["edits"]:
        print(f"save → shown in the browser: {run['seconds']:.2f} s")
    print(f"{found['claims']} claims; server ready after {found['server_ready_s']} s; best {found['best_s']:.2f} s, "
          f"worst {found['worst_s']:.2f} s")
    if args.json:
        args.json.write_text(json.dumps(found, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()

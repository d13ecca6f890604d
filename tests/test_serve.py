"""`claimline serve`: the preview regenerates when an input is saved, and settles (no rebuild loop)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(predicate, timeout: float, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None


def test_serve_regenerates_on_save_without_a_rebuild_loop(sample_project: Path) -> None:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--project", str(sample_project),
                             "--dev-addr", f"127.0.0.1:{port}", "--strict"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{port}/claims/kremlin-talks-frank/"
    try:
        page = wait_for(lambda: fetch(url), timeout=60)
        assert page and "The talks between Putin and Biden were frank." in page, "".join(log)
        time.sleep(1.5)  # let the watcher settle after the first build
        entry_url = f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json"
        entry_before = fetch(entry_url)
        assert entry_before, "the first build indexes search before the preview opens"
        builds_before = sum("Building documentation" in line for line in log)

        claim = sample_project / "claims" / "kremlin-talks-frank.yaml"
        claim.write_text(claim.read_text("utf-8").replace("were frank.", "were frank and useful."), "utf-8")
        saved = time.monotonic()
        assert wait_for(lambda: "were frank and useful." in (fetch(url) or ""), timeout=30), "".join(log)
        print(f"preview refreshed {time.monotonic() - saved:.2f}s after the save")

        time.sleep(4)  # a rebuild loop would keep building here
        settled = sum("Building documentation" in line for line in log)
        time.sleep(3)
        assert sum("Building documentation" in line for line in log) == settled, "rebuild loop:\n" + "".join(log)
        assert settled - builds_before == 1, "one save, one build (docs/ is not watched):\n" + "".join(log)
        counts = [tuple(map(int, m)) for m in re.findall(r"claimline: (\d+) of (\d+) pages rendered", "".join(log))]
        first, after_save = counts[0], counts[-1]
        assert first[0] == 0, "the first build reuses what `claimline serve` generated before it started MkDocs"
        assert 1 <= after_save[0] < after_save[1] / 4, \
            "the save must re-render only the pages that show the claim:\n" + "".join(log)
        assert wait_for(lambda: fetch(entry_url) not in (None, entry_before), timeout=60), \
            "the search index is brought up to date in the background"

        gone = f"http://127.0.0.1:{port}/claims/france-massive-consequences/"  # a deleted claim leaves the preview
        assert fetch(gone)
        (sample_project / "claims" / "france-massive-consequences.yaml").unlink()
        deleted = time.monotonic()
        assert wait_for(lambda: fetch(gone) is None, timeout=30), "".join(log)
        print(f"deleted claim left the preview {time.monotonic() - deleted:.2f}s after the delete")

        broken = sample_project / "claims" / "broken.yaml"  # an error is reported; the last good pages stay up
        broken.write_text("statement: [oops\n", "utf-8")
        assert wait_for(lambda: any("claims/broken.yaml:2:1: error: YAML syntax error" in line for line in log),
                        timeout=30), "".join(log)
        assert wait_for(lambda: "were frank and useful." in (fetch(url) or ""), timeout=30), "".join(log)
        broken.unlink()

        config = sample_project / "mkdocs.yml"  # a mistake in the settings: the last good settings and pages stay
        good_config = config.read_text("utf-8")
        config.write_text(good_config + "site_name: [unclosed\n", "utf-8")
        assert wait_for(lambda: any("the preview keeps its last good settings" in line for line in log),
                        timeout=30), "".join(log)
        assert wait_for(lambda: re.search(r"mkdocs\.yml:\d+:\d+: error: YAML syntax error", "".join(log)),
                        timeout=30), "".join(log)
        started = time.monotonic()
        assert "were frank and useful." in (fetch(url) or ""), "the preview must not hold requests:\n" + "".join(log)
        assert time.monotonic() - started < 2
        config.write_text(good_config, "utf-8")
        claim.write_text(claim.read_text("utf-8").replace("frank and useful.", "frank again."), "utf-8")
        assert wait_for(lambda: "were frank again." in (fetch(url) or ""), timeout=30), "".join(log)
        assert proc.poll() is None, "the preview server must keep running after an editor's mistake"
        assert "Traceback" not in "".join(log)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)

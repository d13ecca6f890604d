"""bench/run.py, the speed-and-scale benchmark, runs end to end on a tiny corpus and judges every target."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_the_benchmark_measures_every_target_on_a_tiny_corpus(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--claims", "30", "--articles", "6",
                           "--no-search", "--preview-claims", "0", "--phases", "--workdir", str(tmp_path / "work"),
                           "--out", str(out)], cwd=REPO, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "CLAIMLINE_BENCH_NO_REEXEC": "1"})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    (result,) = json.loads(out.read_text("utf-8"))["results"]
    assert result["claims"] == 30 and result["build"]["rc"] == 0 and result["baseline_build"]["rc"] == 0
    assert result["generate_cold"]["rc"] == 0 and result["floor"]["best_wall_s"] > 0
    values = result["floor_values"]["samples"][-1]  # the same files parsed to values, as the issue timed it
    assert values["rc"] == 0 and "30 claims, 6 articles, 36 YAML documents" in values["stdout_tail"]
    assert "up to date" in result["generate_stdout"]  # the warm run found nothing changed
    written = result["write_floor"]  # the generated files written again: as many, and as large, as docs/ holds
    assert written["files"] == result["docs_files"] and written["bytes"] > result["md_pages"] * 1000
    assert written["best_write_s"] > 0
    phases = result["phases"]  # the in-process diagnostic, on two cores as claimline runs, then on one
    for label in ("", " 1 core"):
        assert all(phases[f"{stage}{label}"] > 0 for stage in ("import", "read+validate+link", "render"))
        # CPU time is counted in clock ticks: a render this small may take less than one
        assert phases[f"render CPU{label}"] >= 0 and phases[f"render page faults (thousands){label}"] > 0
    session = result["session_edit"]
    assert session["edits"] and all(e["on_disk"] and not e["written_not_showing"] for e in session["edits"])
    table = out.with_suffix(".md").read_text("utf-8")
    assert "to write the " in table and "generated files" in table
    assert "the floor parsed to values" in table and "YAML floor parsed to values (yaml.load)" in table
    for target in ("generate cold ≤ 2× YAML floor", "full build ≤ 1.25× flat baseline", "peak memory ≤ 1 GiB",
                   "one-claim edit regenerated ≤ 1 s (preview session)",
                   "one-claim edit rewrites only pages showing it (preview session)"):
        assert f"TARGET {target}" in table, target
    assert not (tmp_path / "work" / "synthetic-30").exists()  # the project is removed without --keep


def _bench_module(name: str):
    sys.path.insert(0, str(REPO / "bench"))
    try:
        return __import__(name)
    finally:
        sys.path.remove(str(REPO / "bench"))


def test_without_a_browser_the_search_target_is_not_passed_on_file_sizes() -> None:
    report = _bench_module("report")
    saved = json.loads((REPO / "bench" / "results" / "run-20261128T041746Z.json").read_text("utf-8"))
    big = next(r for r in saved["results"] if r["name"] == "synthetic-10k")
    label = "first search ≤ 1 MB (at ≥10k claims)"
    assert dict((t, ok) for t, _, ok in report.verdicts(big))[label] is True  # measured in Chromium
    big["search"] = {**big["search"], "method": "static (lower bound)"}  # what a machine without one gives
    (measured, ok), = [(m, ok) for t, m, ok in report.verdicts(big) if t == label]
    assert ok is None and "a lower bound: no browser ran" in measured


def test_without_a_browser_the_serve_preview_says_why_instead_of_failing(tmp_path: Path, monkeypatch) -> None:
    run, report = _bench_module("run"), _bench_module("report")
    monkeypatch.setattr(run, "browser_available", lambda: "/usr/bin/chromium does not exist (apt-get install chromium)")
    args = type("Args", (), {"preview_claims": 20, "workdir": tmp_path, "seed": 1, "repeat": 1, "keep": False})()
    found = run.preview(args, sys.executable)
    assert found == {"claims": 20, "skipped": "/usr/bin/chromium does not exist (apt-get install chromium)"}
    assert not list(tmp_path.iterdir())  # no project was made for it
    line = report._preview_line(found)
    assert "not measured, /usr/bin/chromium does not exist" in line and "PASS" not in line and "ERROR" not in line


def test_the_yaml_floor_parses_the_same_documents_with_either_loader(tmp_path: Path) -> None:
    """--pure (PyYAML's pure-Python loader) checks which floor the issue timed: same files, same documents."""
    (tmp_path / "claims").mkdir()
    (tmp_path / "content").mkdir()
    (tmp_path / "claims" / "a.yaml").write_text("statement: Snow is white.\nrating: true\n", "utf-8")
    (tmp_path / "content" / "b.md").write_text("---\ntitle: B\n---\nText.\n", "utf-8")
    (tmp_path / "content" / "c.md").write_text("No front matter.\n", "utf-8")
    script = [sys.executable, str(REPO / "bench" / "yaml_floor.py"), str(tmp_path / "claims"), str(tmp_path / "content")]
    for flags, loader in (([], "CSafeLoader"), (["--pure"], "SafeLoader"), (["--values", "--pure"], "SafeLoader")):
        proc = subprocess.run(script + flags, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == f"1 claims, 2 articles, 2 YAML documents ({loader})"
    wrong = subprocess.run(script + ["--fast"], capture_output=True, text=True, timeout=60)
    assert wrong.returncode != 0 and "unknown option: --fast" in wrong.stderr

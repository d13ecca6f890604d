"""Large inputs are handled, or refused with a clear message, within bounded memory.

Each run is the real command in a child process whose address space is capped at 1.5 GiB
(``RLIMIT_AS``): it must succeed, or fail with exit 1 and a one-line problem, never with a traceback or a
MemoryError.  Peak memory (the child's own, see LAUNCHER) and time are written to
``test-artifacts/large-inputs.json`` for the record.

Limits under test: ``read.MAX_ARTICLE_BYTES`` (2 MB: one article is one page) and ``read.MAX_FILE_BYTES``
(20 MB: any input file).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import REPO, ProjectBuilder
from generator.model import MAX_TAGS
from generator.read import MAX_ARTICLE_BYTES, MAX_FILE_BYTES

LIMIT_AS = 3 * 1024 ** 3 // 2  # 1.5 GiB of address space for the child
MB = 1024 * 1024
RESULTS = REPO / "test-artifacts" / "large-inputs.json"
CLAIM = "statement: The sky is green.\nclaimant: Jane Doe\ndate: 2021-12-07\nrating: 'false'\n"
WORDS = ("the kremlin said on wednesday that moscow and washington would keep talking about security "
         "guarantees while western capitals warned of massive consequences if troops crossed the border").split()


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_AS, LIMIT_AS))


# The child measures itself: a forked child's ru_maxrss starts at its parent's size (Linux keeps the high-water
# mark across exec), so /proc/self/status's VmHWM (this process since exec) is the honest figure; MkDocs, its
# own child, is measured by RUSAGE_CHILDREN.
LAUNCHER = """\
import atexit, json, os, resource, runpy, sys
usage_file = sys.argv[1]
main_pid = os.getpid()
def report():
    hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(usage_file, "w") as out:
        json.dump({"self_kb": hwm, "children_kb": kids}, out)
atexit.register(report)
hard_exit = os._exit
def leave(code):  # the program leaves with os._exit, which runs no atexit handler (a forked helper reports nothing)
    if os.getpid() == main_pid:
        report()
    hard_exit(code)
os._exit = leave
sys.argv = ["claimline"] + sys.argv[2:]
runpy.run_module("generator", run_name="__main__")
"""


def run(root: Path, command: str = "generate", name: str = "") -> dict:
    """Run ``claimline COMMAND`` on ``root`` under the memory cap; what it printed, its exit code, its cost."""
    out, usage_file = root.parent / f"{command}.out", root.parent / f"{command}.usage.json"
    started = time.perf_counter()
    with out.open("wb") as sink:
        proc = subprocess.run([sys.executable, "-c", LAUNCHER, str(usage_file), command, "--project", str(root)],
                              stdout=sink, stderr=subprocess.STDOUT, preexec_fn=_limit, cwd=root,
                              env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=900)
    seconds = time.perf_counter() - started
    text = out.read_text("utf-8", errors="replace")
    try:
        usage = json.loads(usage_file.read_text("utf-8"))
    except (OSError, ValueError):
        usage = {"self_kb": 0, "children_kb": 0}
    result = {"name": name or root.name, "command": command, "exit": proc.returncode, "seconds": round(seconds, 2),
              "peak_rss_mb": round(usage["self_kb"] / 1024, 1),
              "engine_peak_rss_mb": round(usage["children_kb"] / 1024, 1) if command == "build" else None,
              "output": text[-2000:]}
    _record(result)
    assert "Traceback" not in text and "MemoryError" not in text, text[-3000:]
    assert proc.returncode in (0, 1), text[-3000:]
    assert usage["self_kb"], "the child did not report its memory"
    return result


def _record(result: dict) -> None:
    RESULTS.parent.mkdir(exist_ok=True)
    try:
        data = json.loads(RESULTS.read_text("utf-8"))
    except (OSError, ValueError):
        data = {}
    data[result["name"] + ":" + result["command"]] = {k: v for k, v in result.items() if k != "output"}
    RESULTS.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", "utf-8")


def prose(size: int, markdown: bool) -> str:
    """About ``size`` bytes of article text: paragraphs of words, blank-line separated in Markdown."""
    line = " ".join(WORDS) + "."
    paragraph = " ".join([line] * 4)
    count = size // (len(paragraph) + 2) + 1
    parts = [f"{paragraph} Paragraph {n}." for n in range(count)]
    return ("\n\n" if markdown else "\n").join(parts)


def article(root: Path, name: str, size: int) -> Path:
    markdown = name.endswith(".md")
    head = "---\ndate: 2021-12-08\n---\n" + ("# A very long article\n\n" if markdown else
                                             "A very long article\nIts standfirst.\n")
    path = root / "content" / name
    path.write_text(head + prose(size - len(head), markdown) + "\n", "utf-8")
    return path


def problem_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if ": error: " in line]


@pytest.fixture
def project(tmp_path: Path) -> ProjectBuilder:
    builder = ProjectBuilder(tmp_path / "proj")
    builder.claim("good", CLAIM)
    return builder


# -- articles ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["big.md", "big.txt"])
@pytest.mark.parametrize("size_mb", [10, 25])
def test_an_article_over_the_limit_is_refused_with_one_clear_line(project, name, size_mb):
    path = article(project.root, name, size_mb * MB)
    assert path.stat().st_size > MAX_ARTICLE_BYTES
    result = run(project.root, name=f"article-{size_mb}mb-{name}")
    assert result["exit"] == 1
    assert problem_lines(result["output"]) == [f"content/{name}:1:1: error: article is larger than "
                                               f"{MAX_ARTICLE_BYTES // MB} MB; split it"]
    assert "hint: a page this long is too heavy" in result["output"]
    assert result["output"].rstrip().endswith("claimline: 1 error; nothing was written")
    assert not (project.root / "docs").exists()
    assert result["peak_rss_mb"] < 80  # refused before it is read


@pytest.mark.parametrize("name", ["long.md", "long.txt"])
def test_an_article_just_under_the_limit_is_generated(project, name):
    article(project.root, name, MAX_ARTICLE_BYTES - 64 * 1024)
    result = run(project.root, name=f"article-under-limit-{name}")
    assert result["exit"] == 0, result["output"]
    page = project.root / "docs" / "articles" / f"{Path(name).stem}.md"
    assert page.stat().st_size > MAX_ARTICLE_BYTES // 2
    assert "Paragraph 100." in page.read_text("utf-8")
    assert result["seconds"] < 120 and result["peak_rss_mb"] < 1024


def test_the_limit_counts_bytes_not_characters(project):
    head = "---\ndate: 2021-12-08\ntitle: Кириллица\n---\n"
    text = head + ("Москва и Вашингтон. " * (MAX_ARTICLE_BYTES // 36 + 1000))  # 2 bytes a letter
    assert len(text) < MAX_ARTICLE_BYTES < len(text.encode("utf-8"))
    (project.root / "content" / "cyrillic.md").write_text(text, "utf-8")
    result = run(project.root, command="check", name="article-cyrillic-over-limit")
    assert result["exit"] == 1
    assert problem_lines(result["output"]) == ["content/cyrillic.md:1:1: error: article is larger than 2 MB; split it"]


def test_build_of_an_article_at_the_limit(project):
    """MkDocs turns the largest article allowed into one page; record what that costs."""
    article(project.root, "long.md", MAX_ARTICLE_BYTES - 64 * 1024)
    result = run(project.root, command="build", name="article-under-limit-build")
    assert result["exit"] == 0, result["output"]
    html = project.root / "site" / "articles" / "long" / "index.html"
    assert html.stat().st_size > MAX_ARTICLE_BYTES // 2
    assert result["seconds"] < 300


# -- claim files ------------------------------------------------------------------------------------------------


def test_a_claim_file_holding_a_list_of_5000_claims_is_refused(project):
    claims = [{"statement": f"Claim {n}", "claimant": "Jane Doe", "date": "2021-12-07", "rating": "false"}
              for n in range(5000)]
    (project.root / "claims" / "many.yaml").write_text(yaml.safe_dump(claims), "utf-8")
    result = run(project.root, name="claim-list-5000")
    assert result["exit"] == 1
    assert problem_lines(result["output"]) == [
        "claims/many.yaml:1:1: error: the claim file must be a mapping of 'field: value' lines, not a list"]
    assert "hint: start with a line such as 'statement: ...'" in result["output"]
    assert not (project.root / "docs").exists()


def test_a_claim_with_5000_sources_is_generated(project):
    sources = "".join(f"  - title: Source number {n}\n    url: https://example.org/source/{n}\n"
                      f"    date: 2021-12-0{1 + n % 7}\n" for n in range(5000))
    project.claim("sourced", CLAIM + "sources:\n" + sources)
    result = run(project.root, name="claim-5000-sources")
    assert result["exit"] == 0, result["output"]
    page = (project.root / "docs" / "claims" / "sourced.md").read_text("utf-8")
    assert page.count('<li><a href="https://example.org/source/') == 5000
    assert result["seconds"] < 120 and result["peak_rss_mb"] < 1024


def test_a_claim_with_5000_tags_is_refused(project):
    """Each topic is a page listing the claim, and a site may run Material's tags plugin (topics x pages)."""
    tags = "".join(f"  - Topic number {n}\n" for n in range(5000))
    project.claim("tagged", CLAIM + "tags:\n" + tags)
    result = run(project.root, name="claim-5000-tags")
    assert result["exit"] == 1
    assert problem_lines(result["output"]) == [
        f"claims/tagged.yaml:6:3: error: 'tags': 5000 topics are too many; a claim or article may have at most "
        f"{MAX_TAGS}"]
    assert result["seconds"] < 120 and result["peak_rss_mb"] < 1024


def test_a_claim_with_the_most_tags_allowed_builds_quickly(project):
    for n in range(10):
        tags = "".join(f"  - Topic number {(n * 7 + k) % 60}\n" for k in range(MAX_TAGS))
        project.claim(f"tagged-{n}", CLAIM + "tags:\n" + tags)
    result = run(project.root, command="build", name="claims-max-tags-build")
    assert result["exit"] == 0, result["output"]
    assert len(list((project.root / "docs" / "topics").glob("*.md"))) == 61
    assert result["seconds"] < 120


@pytest.mark.parametrize("folder, name", [("claims", "huge.yaml"), ("content", "huge.md")])
def test_a_file_over_the_file_limit_is_refused_without_reading_it(project, folder, name):
    path = project.root / folder / name
    with path.open("wb") as handle:  # 25 MB, most of it one long comment line
        handle.write(b"---\ndate: 2021-12-08\n---\n" if folder == "content" else CLAIM.encode())
        handle.write(b"# " + b"x" * (25 * MB) + b"\n")
    assert path.stat().st_size > MAX_FILE_BYTES
    result = run(project.root, name=f"file-25mb-{name}")
    assert result["exit"] == 1
    message = "article is larger than 2 MB; split it" if folder == "content" else "file is larger than 20 MB"
    assert problem_lines(result["output"]) == [f"{folder}/{name}:1:1: error: {message}"]
    assert result["peak_rss_mb"] < 80, "a file over the limit is never read into memory"

"""Reproducible and atomic: same inputs give the same bytes; a killed run leaves the previous output whole."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, copy_sample
from generator import api
from generator.errors import EngineError

sys.path.insert(0, str(REPO / "bench"))
from corpus import make_corpus  # noqa: E402


def digest(folder: Path) -> dict[str, str]:
    """Every file and symlink in ``folder`` with a hash of its bytes."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() or path.is_symlink():
            out[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    """Docs folder and site alike, in two different folders (so no path or time leaks into the output)."""
    first, second = copy_sample(tmp_path / "one"), copy_sample(tmp_path / "two")
    api.build(first, strict=True)
    time.sleep(1.1)  # a timestamp with one-second resolution would differ now
    api.build(second, strict=True)
    assert digest(first / "docs") == digest(second / "docs")
    assert digest(first / "site") == digest(second / "site")
    assert "sitemap.xml.gz" in digest(first / "site")
    api.build(first, strict=True)  # and again in place
    assert digest(first / "site") == digest(second / "site")


def kill_at(cmd: list[str], cwd: Path, delay: float) -> int | None:
    """Start ``cmd``, SIGKILL it (and its children) after ``delay`` seconds; the exit code if it finished."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        return proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return None


def edit(project: Path, text: str) -> None:
    claim = project / "claims" / "claim-00000.yaml"
    lines = claim.read_text("utf-8").splitlines(keepends=True)
    lines[0] = f'statement: "{text}"\n'
    claim.write_text("".join(lines), "utf-8")


def test_a_killed_build_leaves_the_previous_site_whole(tmp_path: Path) -> None:
    project = make_corpus(tmp_path / "p", claims=300, articles=40)
    cmd = [sys.executable, "-m", "generator", "build", "--project", str(project)]
    start = time.perf_counter()
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    took = time.perf_counter() - start  # the kills land at fractions of it, so on a fast machine too
    before = digest(project / "site")
    edit(project, "An edited statement that changes several pages.")
    killed, changed = 0, {}
    for delay in (round(took * share, 2) for share in (0.1, 0.25, 0.4, 0.55, 0.7)):
        if kill_at(cmd, project, delay) is None:
            killed += 1
            now = digest(project / "site")
            if now != before:  # killed after the swap (while the old site was being removed)
                changed[delay] = now
    assert killed >= 3, "the build finished before most kills: make the corpus larger"
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    after = digest(project / "site")
    assert after != before and "claims/claim-00000/index.html" in after
    for delay, now in changed.items():  # the complete new site, never a mix (builds are byte-identical)
        assert now == after, f"site/ is half-changed after a kill at {delay}s"
    assert not [p for p in project.iterdir() if p.name.startswith((".site.", ".docs."))], \
        "leftovers of killed runs are removed by the next run"


def test_a_killed_generation_never_leaves_docs_half_written(tmp_path: Path) -> None:
    project = make_corpus(tmp_path / "p", claims=1500, articles=100)
    cmd = [sys.executable, "-m", "generator", "generate", "--project", str(project)]
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    before = digest(project / "docs")
    edit(project, "A second edited statement.")
    api_result = api.render(project)  # what a complete run will write
    states = set()
    for delay in (0.3, 0.8, 1.3, 1.8, 2.3, 2.8, 3.5):
        finished = kill_at(cmd, project, delay)
        now = digest(project / "docs")
        if finished is None:
            assert now == before or set(now) - {".claimline-manifest.json"} == set(api_result.files), \
                f"docs/ is half-written after a kill at {delay}s"
            states.add("old" if now == before else "new")
        if finished is not None or now != before:
            break
    assert "old" in states, "no kill landed before the swap: make the corpus larger"


def test_an_error_in_the_engine_build_keeps_docs_and_site(tmp_path: Path) -> None:
    project = copy_sample(tmp_path / "s")
    api.build(project, strict=True)
    site, docs = digest(project / "site"), digest(project / "docs")
    config = (project / "mkdocs.yml").read_text("utf-8")
    (project / "mkdocs.yml").write_text(config.replace("  - tables\n", "  - tables\n  - no_such_extension\n"),
                                        "utf-8")
    with pytest.raises(EngineError, match="site/ was left as it was"):
        api.build(project, strict=True)
    assert digest(project / "site") == site and digest(project / "docs") == docs


def test_a_failed_atomic_write_names_the_target_and_leaves_no_temporary_file(tmp_path, monkeypatch) -> None:
    import errno

    from generator import write

    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device", src)

    monkeypatch.setattr(write.os, "replace", full)
    target = tmp_path / "claims" / "a.yaml"
    with pytest.raises(OSError) as info:
        write.atomic_write(target, b"statement: s\n")
    assert info.value.errno == errno.ENOSPC and info.value.filename == str(target)
    assert list(target.parent.iterdir()) == []  # the temporary file is gone

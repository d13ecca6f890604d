"""`generate` does nothing when nothing changed since its last run, and notices every change (generator/stamp.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import api, stamp
from generator.cli import main
from generator.errors import ValidationFailed


@pytest.fixture
def settled(monkeypatch, sample_project: Path) -> Path:
    """The sample, with inputs treated as old enough to trust their stats (the real rule waits two seconds)."""
    monkeypatch.setattr(stamp, "RACY_SECONDS", 0.0)
    monkeypatch.delenv(api.NO_CACHE_ENV, raising=False)
    return sample_project


def snapshot(root: Path) -> dict[str, bytes]:
    docs = root / "docs"
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def test_a_second_run_with_nothing_changed_reads_and_writes_nothing(settled: Path) -> None:
    first = api.generate(settled)
    assert not first.report.up_to_date
    before = snapshot(settled)
    again = api.generate(settled)
    assert again.report.up_to_date and again.report.written == [] and again.report.files == first.report.files
    assert snapshot(settled) == before
    out = CliRunner().invoke(main, ["generate", "--project", str(settled)])
    assert out.exit_code == 0, out.output
    pages = sum(1 for f in first.report.files if f.endswith(".md"))
    assert f"docs/ is up to date ({pages} pages and 4 data files): nothing changed since the last run." in out.output


def test_a_killed_runs_staging_folder_is_removed_even_when_nothing_changed(settled: Path) -> None:
    api.generate(settled)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # its process id no longer runs: the run that made the folder was killed
    leftover = settled / f".docs.staging-{gone.pid}"
    (leftover / "claims").mkdir(parents=True)
    (leftover / "claims" / "half-written.md").write_text("# half", "utf-8")
    again = api.generate(settled)
    assert again.report.up_to_date
    assert not leftover.exists()


def test_the_last_runs_warnings_are_reported_again_and_fail_a_strict_run(settled: Path) -> None:
    claim = settled / "claims" / "kremlin-talks-frank.yaml"
    claim.write_text(claim.read_text("utf-8").replace('described the talks as "frank"', "never said this"), "utf-8")
    first = api.generate(settled)
    assert any("quote was not found" in p.message for p in first.warnings)
    again = api.generate(settled)
    assert again.report.up_to_date and again.warnings == first.warnings
    with pytest.raises(ValidationFailed):
        api.generate(settled, strict=True)


@pytest.mark.parametrize("change", ["claim", "article", "config", "template", "new claim", "deleted claim"])
def test_any_change_to_an_input_makes_a_full_run(settled: Path, change: str) -> None:
    api.generate(settled)
    claim = settled / "claims" / "kremlin-talks-frank.yaml"
    if change == "claim":
        claim.write_text(claim.read_text("utf-8").replace("were frank.", "were FRANK."), "utf-8")  # same size
    elif change == "article":
        article = settled / "content" / "putin-biden-summit-2021-12-08.txt"
        article.write_text(article.read_text("utf-8").replace("Putin says", "Putin SAYS"), "utf-8")
    elif change == "config":
        config = settled / "mkdocs.yml"
        config.write_text(config.read_text("utf-8").replace("site_name: ", "site_name: New "), "utf-8")
    elif change == "template":
        override = settled / "site-overrides" / "claimline" / "methodology.md"
        override.parent.mkdir(parents=True, exist_ok=True)
        override.write_text("# Our methodology\n", "utf-8")
    elif change == "new claim":
        (settled / "claims" / "brand-new.yaml").write_text(
            "statement: New.\nclaimant: {name: Joe Biden}\ndate: 2021-12-09\nrating: pending\n", "utf-8")
    else:
        (settled / "claims" / "france-massive-consequences.yaml").unlink()
    result = api.generate(settled)
    assert not result.report.up_to_date
    assert result.report.written or result.report.deleted
    assert snapshot(settled) == {**{k: v for k, v in api.render(settled).files.items()},
                                 ".claimline-manifest.json": (settled / "docs" / ".claimline-manifest.json").read_bytes()}


def test_an_input_folder_replaced_by_a_file_makes_a_full_run(settled: Path) -> None:
    """A missing claims folder holds no claims; a file in its place is an error that a stamp must not hide."""
    (settled / "claims").rename(settled / "claims-away")
    api.generate(settled)
    assert api.generate(settled).report.up_to_date
    (settled / "claims").write_text("not a folder\n", "utf-8")
    with pytest.raises(ValidationFailed, match="1 error") as info:
        api.generate(settled)
    assert [(p.path, p.message) for p in info.value.problems] == [("claims", "claims_dir 'claims' is not a folder")]


def test_a_cache_folder_that_is_a_file_keeps_no_stamp(settled: Path, monkeypatch) -> None:
    """Neither written (inputs old enough) nor removed (inputs just saved): the file is left alone."""
    (settled / ".claimline-cache").write_bytes(b"not a folder")
    assert not api.generate(settled).report.up_to_date
    monkeypatch.setattr(stamp, "RACY_SECONDS", 1e9)
    assert not api.generate(settled).report.up_to_date  # nothing to compare with: a full run, never a failure
    assert (settled / ".claimline-cache").read_bytes() == b"not a folder"


def test_a_change_to_claimline_itself_makes_a_full_run(settled: Path, tmp_path: Path, monkeypatch) -> None:
    """An upgrade changes the version; an edit to a development install's templates or code must count too."""
    package = tmp_path / "generator"
    (package / "templates").mkdir(parents=True)
    template = package / "templates" / "claim.md"
    template.write_text("# {{ claim }}\n", "utf-8")
    monkeypatch.setattr(stamp, "CODE", package)
    api.generate(settled)
    assert api.generate(settled).report.up_to_date
    template.write_text("# {{ claim }}!\n", "utf-8")
    assert not api.generate(settled).report.up_to_date
    assert api.generate(settled).report.up_to_date
    (package / "__pycache__").mkdir()  # bytecode written later in a run is not a change
    (package / "__pycache__" / "stamp.cpython-311.pyc").write_bytes(b"\0")
    assert api.generate(settled).report.up_to_date


def test_a_hand_edited_or_planted_output_is_repaired_or_refused(settled: Path) -> None:
    api.generate(settled)
    page = settled / "docs" / "claims" / "kremlin-talks-frank.md"
    good = page.read_bytes()
    page.write_bytes(good.replace(b"frank", b"FRANK"))
    assert not api.generate(settled).report.up_to_date
    assert page.read_bytes() == good
    api.generate(settled)
    (settled / "docs" / "passwd.md").symlink_to("/etc/passwd")
    with pytest.raises(ValidationFailed, match="1 error"):
        api.generate(settled)


def test_inputs_saved_in_the_last_two_seconds_are_never_trusted(sample_project: Path, monkeypatch) -> None:
    monkeypatch.delenv(api.NO_CACHE_ENV, raising=False)
    claim = sample_project / "claims" / "kremlin-talks-frank.yaml"
    claim.write_text(claim.read_text("utf-8"), "utf-8")  # just saved
    api.generate(sample_project)
    assert not (sample_project / ".claimline-cache" / stamp.FILE).exists()
    assert not api.generate(sample_project).report.up_to_date


def test_no_cache_means_always_a_full_run(settled: Path, monkeypatch) -> None:
    api.generate(settled)
    monkeypatch.setenv(api.NO_CACHE_ENV, "1")
    assert not api.generate(settled).report.up_to_date


def test_a_run_that_finds_nothing_changed_loads_no_stage(settled: Path) -> None:
    """The up-to-date answer comes before pydantic, Jinja and markdown-it are imported: half of such a run's time."""
    api.generate(settled)
    probe = ("import sys\nfrom generator.cli import main\n"
             "main(['generate', '--project', sys.argv[1]], standalone_mode=False)\n"
             "print(sorted(m for m in ('pydantic', 'jinja2', 'markdown_it', 'slugify', 'generator.link', "
             "'generator.render') if m in sys.modules))\n")
    run = subprocess.run([sys.executable, "-c", probe, str(settled)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "nothing changed since the last run" in run.stdout + run.stderr
    assert run.stdout.strip().splitlines()[-1] == "[]"

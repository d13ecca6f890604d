"""The pre-commit hooks a newsroom's repository can use: their entries are real commands that work."""

from __future__ import annotations

import shlex
from pathlib import Path

import yaml
from click.testing import CliRunner

from conftest import REPO
from generator.cli import main


def hooks() -> list[dict]:
    return yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))


def test_hooks_are_well_formed() -> None:
    for hook in hooks():
        assert {"id", "name", "entry", "language", "files"} <= set(hook)
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        assert shlex.split(hook["entry"])[0] == "claimline"


def test_hook_entries_pass_on_the_sample_and_fail_on_a_mistake(sample_project: Path) -> None:
    runner = CliRunner()
    for hook in hooks():
        args = shlex.split(hook["entry"])[1:] + ["--project", str(sample_project)]
        assert runner.invoke(main, args).exit_code == 0, hook["id"]
    (sample_project / "claims" / "kremlin-talks-frank.yaml").write_text("statement: only\n", "utf-8")
    check = next(h for h in hooks() if h["id"] == "claimline-check")
    result = runner.invoke(main, shlex.split(check["entry"])[1:] + ["--project", str(sample_project)])
    assert result.exit_code == 1
    assert "claims/kremlin-talks-frank.yaml:1:1: error: missing required field 'claimant'" in result.output

"""What a newsroom gets from `pip install .`, and the engines it can build with."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO
from generator import __version__, api
from generator.cli import main


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                    str(REPO)], check=True, capture_output=True)
    [built] = out.glob("claimline-*.whl")
    return built


def test_wheel_carries_templates_theme_and_entry_points(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {p.name for p in (REPO / "generator" / "templates").glob("*.md")}
    assert {f"generator/templates/{t}" for t in templates} <= names
    assert {"generator/templates/scaffold/claim.yaml", "generator/templates/scaffold/article.md",
            "generator/templates/scaffold/article.txt", "generator/theme/main.html",
            "generator/theme/claimline_base.html", "generator/theme/assets/claimline.css"} <= names
    entry_points = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert "claimline = generator.__main__:run" in entry_points
    assert "claimline = generator.mkdocs_plugin:ClaimlinePlugin" in entry_points
    assert not [n for n in names if n.startswith(("tests/", "claims/", "content/", "bench/"))]


def test_installed_wheel_builds_a_site_with_claimline_defaults(wheel: Path, tmp_path: Path) -> None:
    """A project with an empty site-overrides/ gets structured data and the stylesheet from the package."""
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    project = tmp_path / "newsroom"
    project.mkdir()
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(REPO / "content", project / "content")
    shutil.copytree(REPO / "claims", project / "claims")
    (project / "site-overrides").mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    proc = subprocess.run([sys.executable, "-c", "import generator, sys; print(generator.__file__); "
                           "from generator.cli import main; main(['build', '--strict'])"],
                          cwd=project, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(str(target)), "the test must run the installed wheel, not the checkout"
    page = (project / "site/claims/russia-denies-attack-plans/index.html").read_text("utf-8")
    assert page.count('type="application/ld+json"') == 1
    assert (project / "site/assets/claimline.css").is_file()


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.output == f"claimline, version {__version__}\n"
    changelog = (REPO / "CHANGELOG.md").read_text("utf-8")
    assert f"## {__version__}" in changelog


def _site(folder: Path) -> dict[str, bytes]:
    """Every file of a built site, without the one line that names the engine."""
    generator = re.compile(rb'\s*<meta name="generator" content="[^"]*">')
    return {p.relative_to(folder).as_posix(): generator.sub(b"", p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_site_builds_with_properdocs_too(sample_project: Path) -> None:
    """Engine insurance: ProperDocs, a drop-in MkDocs fork, builds the same site byte for byte."""
    api.build(sample_project, strict=True, engine="properdocs")
    page = (sample_project / "site/index.html").read_text("utf-8")
    assert '<meta name="generator" content="mkdocs-ProperDocs 1.6.7' in page
    with_properdocs = _site(sample_project / "site")
    api.build(sample_project, strict=True, engine="mkdocs")
    assert _site(sample_project / "site") == with_properdocs


def test_end_of_life_notice_is_silenced_unless_verbose(sample_project: Path) -> None:
    quiet = CliRunner().invoke(main, ["build", "--project", str(sample_project)])
    assert quiet.exit_code == 0 and "end of life" not in quiet.output
    loud = CliRunner().invoke(main, ["build", "--verbose", "--project", str(sample_project)])
    assert loud.exit_code == 0 and "Material for MkDocs reaches end of life on May 5, 2027" in loud.output


def test_check_warns_when_the_plugin_is_not_enabled(project) -> None:
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - claimline\n", ""), "utf-8")
    result = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    assert "mkdocs.yml:7:3: warning: the claimline plugin is not enabled" in result.output

"""Shared fixtures: copies of the sample project and small hand-made projects in tmp folders."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPORA = SHARED / "corpora"

MINIMAL_MKDOCS = """\
site_name: Test checks
site_url: https://example.org/
theme:
  name: material
  custom_dir: site-overrides
plugins:
  - search
  - claimline
nav:
  - Home: index.md
  - Timeline: timeline/index.md
validation:
  nav:
    omitted_files: ignore
"""


@pytest.fixture
def repo_root() -> Path:
    return REPO


def copy_sample(dest: Path) -> Path:
    """A private copy of the repository's sample site (mkdocs.yml, content/, claims/, site-overrides/)."""
    dest.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    for name in ("content", "claims", "site-overrides"):
        shutil.copytree(REPO / name, dest / name)
    return dest


def set_month_split(root: Path, entries: int) -> None:
    """Set the sample's month_split: at 3, its 2021 is split into month pages and its story into year pages."""
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert "month_split: 120" in text
    config.write_text(text.replace("month_split: 120", f"month_split: {entries}"), "utf-8")


def set_site_url(root: Path, value: str | None) -> None:
    """Put ``site_url: value`` in the place of the sample's ``site_url`` line (``!ENV [SITE_URL, …]``); None
    leaves it out."""
    config = root / "mkdocs.yml"
    text, count = re.subn(r"(?m)^site_url: .*\n", f"site_url: {value}\n" if value else "", config.read_text("utf-8"))
    assert count == 1
    config.write_text(text, "utf-8")


@pytest.fixture(autouse=True)
def _no_site_url_from_the_shell(monkeypatch) -> None:
    """The sample reads ``site_url`` from ``SITE_URL`` when it is set (the deploy workflow sets it): a shell
    that exports it would change every address the tests expect."""
    monkeypatch.delenv("SITE_URL", raising=False)


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    return copy_sample(tmp_path / "sample")


class ProjectBuilder:
    """Write a small project file by file: ``p.claim("id", yaml_text)``, ``p.article("id.txt", text)``."""

    def __init__(self, root: Path):
        self.root = root
        (root / "claims").mkdir(parents=True, exist_ok=True)
        (root / "content").mkdir(exist_ok=True)
        shutil.copytree(REPO / "site-overrides", root / "site-overrides", dirs_exist_ok=True)
        (root / "mkdocs.yml").write_text(MINIMAL_MKDOCS, encoding="utf-8")

    def claim(self, name: str, text: str) -> Path:
        path = self.root / "claims" / (name if "." in name else f"{name}.yaml")
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def article(self, name: str, text: str) -> Path:
        path = self.root / "content" / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def write(self, rel: str, data: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data).lstrip("\n"), encoding="utf-8")
        return path


@pytest.fixture
def project(tmp_path: Path) -> ProjectBuilder:
    return ProjectBuilder(tmp_path / "proj")


def requires_corpora():
    return pytest.mark.skipif(not CORPORA.is_dir(),
                              reason=f"real corpora not found at {CORPORA} (they live in ../shared/corpora)")

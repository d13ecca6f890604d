"""The parse cache: keyed by content, invalidated by edits, renames and deletions, harmless when damaged."""

from __future__ import annotations

import marshal
import pickle
from pathlib import Path

from click.testing import CliRunner

from generator import api
from generator.cache import FILE, FOLDER, FORMAT, ParseCache
from generator.cli import main
from generator.errors import Problems

CACHE = Path(FOLDER) / FILE


def entries(root: Path) -> dict:
    return marshal.loads((root / CACHE).read_bytes()[32:])["entries"]


def test_generate_fills_the_cache_and_a_warm_run_gives_the_same_pages(sample_project: Path) -> None:
    cold = api.generate(sample_project)
    assert (sample_project / CACHE).is_file()
    assert len(entries(sample_project)) == 13  # 12 claims and 1 article
    pages = {p: p.read_bytes() for p in (sample_project / "docs").rglob("*.md")}
    warm = api.generate(sample_project)
    assert warm.report.files == cold.report.files
    assert warm.report.written == [], "every page rendered from the cache is byte for byte the one on disk"
    assert {p: p.read_bytes() for p in (sample_project / "docs").rglob("*.md")} == pages


def test_check_reads_the_cache_but_never_writes_it(sample_project: Path) -> None:
    api.check(sample_project)
    assert not (sample_project / FOLDER).exists(), "check writes nothing"


def test_an_edit_misses_and_the_new_text_is_used(sample_project: Path) -> None:
    api.generate(sample_project)
    claim = sample_project / "claims" / "kremlin-talks-frank.yaml"
    claim.write_text(claim.read_text("utf-8").replace("were frank.", "were frank, said the Kremlin."), "utf-8")
    before = set(entries(sample_project))
    result = api.generate(sample_project)
    assert "claims/kremlin-talks-frank.md" in result.report.written
    assert "were frank, said the Kremlin." in (sample_project / "docs/claims/kremlin-talks-frank.md").read_text("utf-8")
    after = set(entries(sample_project))
    assert len(after) == 13 and len(after - before) == 1, "one new entry; the old version's is dropped"


def test_a_rename_hits_but_takes_the_new_name(sample_project: Path) -> None:
    api.generate(sample_project)
    old = sample_project / "claims" / "kremlin-talks-frank.yaml"
    old.rename(sample_project / "claims" / "kremlin-frank.yaml")
    (sample_project / "claims" / "putin-talks-open-constructive.yaml").write_text(
        (sample_project / "claims" / "putin-talks-open-constructive.yaml").read_text("utf-8")
        .replace("claim: kremlin-talks-frank", "claim: kremlin-frank"), "utf-8")
    result = api.generate(sample_project)
    assert "claims/kremlin-frank.md" in result.report.files
    assert "claims/kremlin-talks-frank.md" not in result.report.files
    assert not (sample_project / "docs" / "claims" / "kremlin-talks-frank.md").exists()


def test_a_deleted_file_is_gone_and_its_entry_dropped(sample_project: Path) -> None:
    api.generate(sample_project)
    (sample_project / "claims" / "fifth-putin-biden-conversation.yaml").unlink()
    result = api.generate(sample_project)
    assert "claims/fifth-putin-biden-conversation.md" in result.report.deleted
    assert "claims/fifth-putin-biden-conversation.md" not in result.report.files
    assert len(entries(sample_project)) == 12


def test_problems_are_reported_again_from_the_cache_at_the_right_path(project) -> None:
    project.claim("a", "statement: [unclosed\n")
    runner = CliRunner()
    first = runner.invoke(main, ["generate", "--project", str(project.root)])
    assert "claims/a.yaml:2:1: error: YAML syntax error" in first.output
    assert (project.root / CACHE).is_file(), "the parse result is kept even when the run fails"
    (project.root / "claims" / "a.yaml").rename(project.root / "claims" / "b.yaml")
    second = runner.invoke(main, ["generate", "--project", str(project.root)])
    assert "claims/b.yaml:2:1: error: YAML syntax error" in second.output
    assert second.exit_code == 1


def test_validation_problems_from_the_cache_keep_their_line_and_column(project) -> None:
    """A cached file keeps its positions packed until a problem needs one; they come back exactly."""
    project.claim("a", """\
        statement: The sky is green.
        claimant: Jane Doe
        date: 2021-12-07
        rating: "false"
        sources:
          - title: Fine
            url: https://example.org/
          - title: Broken
            url: ftp://example.org/file
        """)
    project.claim("b", "statement: Fine.\nclaimant: Jane Doe\ndate: 2021-12-07\nrating: purple\n")
    project.article("news.md", "---\ntitle: News\npublisher: The Paper\ndate: not a date\n---\n\nText.\n")
    runner = CliRunner()
    first = runner.invoke(main, ["check", "--project", str(project.root)])  # parsed: nothing cached yet
    runner.invoke(main, ["generate", "--project", str(project.root)])  # fills the cache (and fails)
    second = runner.invoke(main, ["check", "--project", str(project.root)])  # both files from the cache
    lines = [line for line in first.output.splitlines() if ": error: " in line]
    assert lines == [line for line in second.output.splitlines() if ": error: " in line]
    assert any(line.startswith("claims/a.yaml:9:") for line in lines), lines
    assert any(line.startswith("claims/b.yaml:4:") for line in lines), lines
    assert any(line.startswith("content/news.md:4:7: ") for line in lines), lines  # front matter: lines after ---
    cache = ParseCache(project.root)
    doc = cache.yaml_doc(project.root / "claims" / "a.yaml", Problems())
    assert doc._pos is None  # nothing asked for a position yet
    assert doc.at(("sources", 1, "url")) == (9, 10) and doc.at(("rating",), key=True) == (4, 1)


def test_the_cache_keeps_each_files_data_not_its_text(project) -> None:
    """The text a position is composed from is read again from the file when a problem needs it (the cache
    was twice the size with it); a file gone by then gives its problems at its start, and no crash."""
    text = "statement: The sky is green.\nclaimant: Jane Doe\ndate: 2021-12-07\nrating: purple\n"
    path = project.claim("a", text)
    CliRunner().invoke(main, ["generate", "-p", str(project.root)])  # fails (the rating), and keeps the cache
    [(parts, _)] = [entry for key, entry in entries(project.root).items() if key[0] == "yaml"]
    assert parts == ({"statement": "The sky is green.", "claimant": "Jane Doe", "date": "2021-12-07",
                      "rating": "purple"},)
    assert text not in repr(entries(project.root))
    doc = ParseCache(project.root).yaml_doc(path, Problems())
    assert doc.at(("rating",)) == (4, 9)  # read again
    gone = ParseCache(project.root).yaml_doc(path, Problems())
    path.unlink()
    assert gone.at(("rating",)) == (1, 1)


def test_a_first_run_clears_away_an_older_formats_cache(sample_project: Path) -> None:
    """After an upgrade that changes the cache's format, the old files go; another Python's are left alone."""
    folder = sample_project / FOLDER
    folder.mkdir()
    older, other_python = FILE.replace(f"-v{FORMAT}-", "-v2-"), FILE.replace("-py3", "-py2")
    for name in (older, older.replace(".bin", ".2.bin"), other_python):
        (folder / name).write_bytes(b"an older cache")
    api.generate(sample_project)
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith("parsed-")) == sorted([FILE, other_python])


def test_a_corrupt_cache_is_ignored_and_rebuilt(sample_project: Path) -> None:
    api.generate(sample_project)
    first = api.render(sample_project)
    for damage in (b"not a cache at all", b"", marshal.dumps({"format": 999, "entries": {}}),
                   marshal.dumps(["wrong", "shape"]), pickle.dumps({"format": 2, "entries": {}})):
        (sample_project / CACHE).write_bytes(damage)
        again = api.render(sample_project)
        assert again.files == first.files
    api.generate(sample_project)
    assert len(entries(sample_project)) == 13


def test_a_cache_path_that_is_not_a_folder_is_left_alone(sample_project: Path, monkeypatch) -> None:
    """A file where the cache folder belongs is damage like any other: the run goes on without the cache."""
    monkeypatch.delenv("CLAIMLINE_NO_CACHE", raising=False)
    (sample_project / FOLDER).write_bytes(b"not a folder")
    for command in ("generate", "check", "generate"):
        result = CliRunner().invoke(main, [command, "--project", str(sample_project)])
        assert result.exit_code == 0, result.output
        assert "Not a directory" not in result.output
    assert (sample_project / FOLDER).read_bytes() == b"not a folder"
    assert api.render(sample_project).files == {p.relative_to(sample_project / "docs").as_posix(): p.read_bytes()
                                                for p in (sample_project / "docs").rglob("*")
                                                if p.is_file() and p.name != ".claimline-manifest.json"}
    assert ParseCache(sample_project).folder is None


def test_the_cache_can_be_turned_off(sample_project: Path, monkeypatch) -> None:
    monkeypatch.setenv("CLAIMLINE_NO_CACHE", "1")
    api.generate(sample_project)
    assert not (sample_project / FOLDER).exists()

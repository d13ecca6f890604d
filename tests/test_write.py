"""Stage: write — only changed files, stale ones removed, hand-written ones kept, nothing outside the folder."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from generator import api, write
from generator.errors import ClaimlineError, UnsafePathError
from generator.write import MANIFEST, hand_written_conflicts, read_manifest, safe_target, write_tree


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "docs"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def folders(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir())


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def age(folder: Path) -> None:
    """Set every file's mtime into the past, so that a rewrite is visible whatever the clock resolution."""
    past = time.time_ns() - 3_600 * 10**9
    for p in folder.rglob("*"):
        if p.is_file():
            os.utime(p, ns=(past, past))


FILES = {"index.md": b"home\n", "claims/a.md": b"claim a\n", "claims/b.md": b"claim b\n",
         "timeline/2021/12.md": b"december\n"}


def test_first_write(out):
    report = write_tree(out, FILES)
    assert report.written == sorted(FILES)
    assert (report.unchanged, report.deleted) == (0, [])
    assert tree(out) == {**FILES, MANIFEST: (out / MANIFEST).read_bytes()}
    assert read_manifest(out) == sorted(FILES)
    assert json.loads((out / MANIFEST).read_text())["generator"] == "claimline"
    assert not [p for p in out.rglob(".tmp-*")]  # no temporary files left behind


def test_a_write_that_fails_half_way_leaves_the_folder_as_it_was(out, monkeypatch):
    many = {f"claims/c{n:03}.md": f"claim {n}\n".encode() for n in range(300)} | FILES
    write_tree(out, many)
    assert tree(out) == {**many, MANIFEST: (out / MANIFEST).read_bytes()}
    before = tree(out)
    real = write.write_file

    def full_disk(path, data):
        if path.endswith("c150.md"):
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(write, "write_file", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_tree(out, {rel: data + b"again\n" for rel, data in many.items()})
    assert tree(out) == before  # the old folder, whole
    assert [p.name for p in out.parent.iterdir()] == ["docs"]  # no staging folder left behind


def test_only_changed_files_are_written(out):
    write_tree(out, FILES)
    age(out)
    before = mtimes(out)
    changed = {**FILES, "claims/b.md": b"claim b, corrected\n"}
    report = write_tree(out, changed)
    assert report.written == ["claims/b.md"]
    assert report.unchanged == 3
    after = mtimes(out)
    assert after["claims/b.md"] != before["claims/b.md"]
    for rel in ("index.md", "claims/a.md", "timeline/2021/12.md", MANIFEST):
        assert after[rel] == before[rel], rel  # same bytes: not touched at all
    assert (out / "claims/b.md").read_bytes() == b"claim b, corrected\n"


def test_nothing_changed_writes_nothing(out):
    write_tree(out, FILES)
    age(out)
    before = mtimes(out)
    report = write_tree(out, dict(FILES))
    assert (report.written, report.unchanged, report.deleted) == ([], 4, [])
    assert mtimes(out) == before


def test_same_size_different_bytes_is_rewritten(out):
    write_tree(out, {"a.md": b"aaaa"})
    report = write_tree(out, {"a.md": b"bbbb"})
    assert report.written == ["a.md"]
    assert (out / "a.md").read_bytes() == b"bbbb"


def test_a_file_changed_on_disk_is_restored(out):
    write_tree(out, FILES)
    (out / "claims/a.md").write_bytes(b"edited by hand in docs/\n")
    report = write_tree(out, FILES)
    assert report.written == ["claims/a.md"]
    assert (out / "claims/a.md").read_bytes() == FILES["claims/a.md"]


def test_stale_files_are_deleted_and_empty_folders_pruned(out):
    write_tree(out, FILES)
    report = write_tree(out, {"index.md": FILES["index.md"], "claims/a.md": FILES["claims/a.md"]})
    assert sorted(report.deleted) == ["claims/b.md", "timeline/2021/12.md"]
    assert sorted(tree(out)) == [MANIFEST, "claims/a.md", "index.md"]
    assert folders(out) == ["claims"]  # timeline/2021 and timeline/ went with their last file
    assert read_manifest(out) == ["claims/a.md", "index.md"]
    assert out.is_dir()


def test_output_folder_itself_is_never_pruned(out):
    write_tree(out, {"a.md": b"a"})
    write_tree(out, {})
    assert out.is_dir()
    assert sorted(tree(out)) == [MANIFEST]


def test_hand_written_files_are_never_touched(out):
    write_tree(out, FILES)
    (out / "about.md").write_bytes(b"mine\n")
    (out / "timeline/2021/notes.md").write_bytes(b"my notes\n")
    (out / "assets").mkdir()
    (out / "assets/extra.css").write_bytes(b"body {}\n")
    age(out)
    before = mtimes(out)
    report = write_tree(out, {"index.md": b"home, new\n"})
    assert sorted(report.deleted) == ["claims/a.md", "claims/b.md", "timeline/2021/12.md"]
    after = tree(out)
    assert after["about.md"] == b"mine\n"
    assert after["timeline/2021/notes.md"] == b"my notes\n"  # and its folder was kept
    assert after["assets/extra.css"] == b"body {}\n"
    for rel in ("about.md", "timeline/2021/notes.md", "assets/extra.css"):
        assert mtimes(out)[rel] == before[rel]
    assert "claims" not in folders(out)


def test_hand_written_conflicts(out):
    assert hand_written_conflicts(out, FILES) == []  # no folder yet
    write_tree(out, {"index.md": b"home\n"})
    (out / "methodology.md").write_bytes(b"mine\n")
    (out / "claims").mkdir()
    (out / "claims/a.md").write_bytes(b"mine too\n")
    planned = {"index.md": b"home 2\n", "methodology.md": b"x", "claims/a.md": b"y", "claims/new.md": b"z"}
    assert hand_written_conflicts(out, planned) == ["claims/a.md", "methodology.md"]
    (out / "topics").write_bytes(b"a file where a folder of pages goes\n")
    planned["topics/ukraine/2021.md"] = b"t"
    assert hand_written_conflicts(out, planned) == ["claims/a.md", "methodology.md", "topics"]
    os.symlink(out / "nowhere", out / "ratings")  # a link that leads nowhere, where a folder of pages goes
    planned["ratings/false.md"] = b"r"
    assert hand_written_conflicts(out, planned) == ["claims/a.md", "methodology.md", "ratings", "topics"]


@pytest.mark.parametrize("name", ["methodology.md", "claims"])  # a page's place, a folder of pages' place
def test_generate_refuses_to_overwrite_hand_written_pages(sample_project, name):
    docs = sample_project / "docs"
    docs.mkdir()
    (docs / name).write_text("Our own notes\n", "utf-8")
    with pytest.raises(ClaimlineError) as info:
        api.generate(sample_project)
    assert info.value.message == f"docs/ holds hand-written files where claimline generates pages: {name}"
    assert tree(docs) == {name: b"Our own notes\n"}  # nothing else was written
    assert [p.name for p in sample_project.iterdir() if p.name.startswith(".docs")] == []  # nor staged


def test_generate_twice_keeps_mtimes(sample_project):
    first = api.generate(sample_project)
    docs = sample_project / "docs"
    age(docs)
    before = mtimes(docs)
    second = api.generate(sample_project)
    assert second.report.written == [] and second.report.deleted == []
    assert second.report.unchanged == len(first.report.files)
    assert mtimes(docs) == before


# -- paths that would leave the folder ------------------------------------------------------------------------


@pytest.mark.parametrize("rel", ["../x", "/abs", "/etc/passwd", "a/../../b", "a/..", "..", "", ".", "a\\..\\b",
                                 "x\x00.md", "claims/../../outside.md"])
def test_unsafe_paths_are_refused(out, rel):
    with pytest.raises(UnsafePathError, match="it is not a plain path inside"):
        safe_target(out, rel)


@pytest.mark.parametrize("rel", ["../x", "/abs", "a/../../b"])
def test_one_unsafe_path_stops_the_whole_write(out, tmp_path, rel):
    write_tree(out, {"index.md": b"old\n"})
    with pytest.raises(UnsafePathError):
        write_tree(out, {"index.md": b"new\n", "z.md": b"z", rel: b"evil"})
    assert tree(out)["index.md"] == b"old\n"  # every path is checked before anything is written
    assert not (out / "z.md").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs"]


def test_plain_paths_stay_inside(out):
    assert safe_target(out, "claims/a.md") == out.resolve() / "claims" / "a.md"
    assert safe_target(out, "./a.md") == out.resolve() / "a.md"
    assert safe_target(out, "a//b.md") == out.resolve() / "a" / "b.md"


def test_symlinked_subfolder_pointing_outside_is_refused(out, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    out.mkdir()
    os.symlink(outside, out / "claims")
    with pytest.raises(UnsafePathError) as info:
        write_tree(out, {"index.md": b"home\n", "claims/a.md": b"claim a\n"})
    assert info.value.message == f"refusing to write 'claims/a.md': it would leave {out}"
    assert list(outside.iterdir()) == []
    assert not (out / "index.md").exists()


def test_symlinked_file_is_refused(out, tmp_path):
    victim = tmp_path / "victim.md"
    victim.write_bytes(b"precious\n")
    write_tree(out, {"a.md": b"generated\n"})
    (out / "a.md").unlink()
    os.symlink(victim, out / "a.md")  # a generated page replaced by a link to a file elsewhere
    with pytest.raises(UnsafePathError, match="it is a symbolic link"):
        write_tree(out, {"a.md": b"overwritten\n"})
    assert victim.read_bytes() == b"precious\n"
    assert (out / "a.md").is_symlink()


def test_tampered_manifest_never_deletes_outside(out, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.md").write_bytes(b"precious\n")
    (tmp_path / "victim.md").write_bytes(b"precious\n")
    write_tree(out, {"index.md": b"home\n"})
    os.symlink(outside, out / "linked")
    os.symlink(tmp_path / "victim.md", out / "filelink.md")
    (out / MANIFEST).write_text(json.dumps({"generator": "claimline", "files": [
        "../../etc/passwd", "../victim.md", "/etc/passwd", "linked/victim.md", "filelink.md", "index.md",
        str(tmp_path / "victim.md")]}), "utf-8")
    report = write_tree(out, {"index.md": b"home\n"})
    assert report.deleted == []
    assert (outside / "victim.md").read_bytes() == b"precious\n"
    assert (tmp_path / "victim.md").read_bytes() == b"precious\n"
    assert (out / "filelink.md").is_symlink()
    assert Path("/etc/passwd").exists()
    assert read_manifest(out) == ["index.md"]  # the manifest is rewritten with what was really generated


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"files": "abc"}', '{"files": [1, null, "a.md"]}',
                                     '{"files": {"a.md": 1}}', ""])
def test_broken_manifest(out, content):
    out.mkdir()
    (out / "a.md").write_bytes(b"hand-written\n")
    (out / "b").write_bytes(b"hand-written\n")
    (out / MANIFEST).write_text(content, "utf-8")
    expected = ["a.md"] if content.startswith('{"files": [') else []
    assert read_manifest(out) == expected
    write_tree(out, {"index.md": b"home\n"})
    assert (out / "b").read_bytes() == b"hand-written\n"  # the string "abc" is not a list of files
    assert (out / "a.md").exists() == (expected == [])


def test_missing_manifest_means_nothing_is_ours(out):
    """(``claimline generate`` then refuses to write index.md: test_generate_refuses_to_overwrite_hand_written_pages.)"""
    write_tree(out, FILES)
    (out / MANIFEST).unlink()
    assert hand_written_conflicts(out, FILES) == sorted(FILES)
    report = write_tree(out, {"index.md": FILES["index.md"]})
    assert report.deleted == []  # without the manifest nothing is known to be stale
    assert read_manifest(out) == ["index.md"]


def test_a_short_write_is_continued_not_left_truncated(out, monkeypatch):
    """os.write may write fewer bytes than it is given; the rest is written, not dropped."""
    real = os.write
    monkeypatch.setattr(write.os, "write", lambda fd, data: real(fd, bytes(data[:3])))  # 3 bytes at a time
    page = b"a page longer than three bytes\n"
    write.write_file(str(out.parent / "page.md"), page)
    assert (out.parent / "page.md").read_bytes() == page

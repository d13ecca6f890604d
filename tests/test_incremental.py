"""The preview server's incremental regeneration gives exactly the files a full run gives, and redoes only
what an edit touches (generator/incremental.py)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from conftest import set_month_split
from generator import api, incremental
from generator.errors import ValidationFailed
from generator.incremental import Session
from generator.write import MANIFEST

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from corpus import make_corpus  # noqa: E402


def docs_files(root: Path) -> dict[str, bytes]:
    docs = root / "docs"
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*"))
            if p.is_file() and p.name != MANIFEST}


def assert_same_as_full_run(root: Path) -> None:
    """What the session left in docs/ is byte for byte what a fresh, full run renders now."""
    full = api.render(root).files
    on_disk = docs_files(root)
    assert sorted(on_disk) == sorted(full)
    differ = [path for path in full if full[path] != on_disk[path]]
    assert not differ, f"stale after an incremental run: {differ[:10]}"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def set_field(path: Path, key: str, value: str) -> None:
    """Replace the value of a top-level field written on one line."""
    lines = path.read_text("utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    lines[at] = f"{key}: {value}"
    path.write_text("\n".join(lines) + "\n", "utf-8")


def sample_edits(root: Path):
    claims, content = root / "claims", root / "content"
    frank = claims / "kremlin-talks-frank.yaml"
    denies = claims / "russia-denies-attack-plans.yaml"
    yield "statement", lambda: edit(frank, "were frank.", "were frank and useful.")
    yield "rating", lambda: set_field(frank, "rating", "false")
    yield "claimant renamed", lambda: edit(denies, "name: ", "name: The Kremlin press office; formerly ")
    yield "date", lambda: set_field(frank, "date", "2021-11-30")
    yield "tags", lambda: set_field(denies, "tags", "[Brand-new topic, Russia]")
    yield "story", lambda: set_field(frank, "story", "A story of its own")
    yield "related added", lambda: frank.write_text(frank.read_text("utf-8") + "related:\n  - claim: russia-denies-attack-plans\n"
                         "    relation: supports\n", "utf-8")
    yield "quote", lambda: edit(frank, 'described the talks as "frank"', "described the talks as")
    yield "undated", lambda: set_field(frank, "date", "unknown")
    yield "claim added", lambda: (claims / "new-claim.yaml").write_text(
        "statement: A brand-new claim.\nclaimant: {name: Joe Biden}\ndate: 2021-12-09\nrating: pending\n"
        "tags: [Russia]\n", "utf-8")
    yield "claim deleted", lambda: (claims / "france-massive-consequences.yaml").unlink()
    article = content / "putin-biden-summit-2021-12-08.txt"
    yield "article date", lambda: set_field(article, "date", "2021-12-09")
    yield "article text", lambda: edit(article, "Putin says", "President Putin says")
    yield "claim renamed", lambda: (claims / "new-claim.yaml").rename(claims / "renamed-claim.yaml")
    yield "nothing", lambda: None


@pytest.mark.parametrize("month_split", [120, 3], ids=["one page per year", "years and the story split"])
def test_every_kind_of_edit_leaves_what_a_full_run_would(sample_project: Path, month_split: int) -> None:
    if month_split != 120:
        set_month_split(sample_project, month_split)
    session = Session()
    api.generate(sample_project, session=session)
    assert session.stats["rendered"] == session.stats["pages"]
    assert_same_as_full_run(sample_project)
    for name, apply in sample_edits(sample_project):
        apply()
        try:
            api.generate(sample_project, session=session)
        except ValidationFailed as exc:
            pytest.fail(f"{name}: {[p.format() for p in exc.problems]}")
        assert_same_as_full_run(sample_project)
        if name == "nothing":
            assert session.stats["rendered"] == 0 and session.stats["written"] == 0


def test_a_one_claim_edit_renders_and_writes_only_the_pages_that_show_it(tmp_path: Path) -> None:
    root = make_corpus(tmp_path / "p", claims=300, articles=40)
    session = Session()
    api.generate(root, session=session)
    pages = session.stats["pages"]
    claim = root / "claims" / "claim-00007.yaml"
    edit(claim, 'statement: "', 'statement: "Edited: ')
    api.generate(root, session=session)
    showing = {path for path, data in docs_files(root).items() if b"Edited: " in data}
    assert "claims/claim-00007.md" in showing
    assert session.stats["rendered"] <= len(showing) + 4, (session.stats, sorted(showing))
    assert session.stats["rendered"] < pages / 20
    assert_same_as_full_run(root)


def test_a_story_that_grows_past_month_split_is_split_and_joined_again(sample_project: Path) -> None:
    """The sample's story has 16 entries.  At month_split 16 it is one page; a 17th entry splits it into year
    and month pages, and deleting that entry joins it again, with the year pages removed from docs/."""
    set_month_split(sample_project, 16)
    story = "stories/russia-ukraine-crisis-2021-22"
    session = Session()
    api.generate(sample_project, session=session)
    assert not any(path.startswith(story + "/") for path in docs_files(sample_project))
    extra = sample_project / "claims" / "one-more.yaml"
    extra.write_text("statement: One more.\nclaimant: {name: Joe Biden}\ndate: 2021-12-09\nrating: pending\n"
                     "story: Russia–Ukraine crisis 2021–22\n", "utf-8")
    api.generate(sample_project, session=session)
    assert_same_as_full_run(sample_project)
    split = sorted(path for path in docs_files(sample_project) if path.startswith(story + "/"))
    assert split == [f"{story}/2021/12.md", f"{story}/2021/index.md"]
    assert b"A story in 17 entries" in (sample_project / "docs" / f"{story}.md").read_bytes()
    extra.unlink()
    api.generate(sample_project, session=session)
    assert_same_as_full_run(sample_project)
    assert not any(path.startswith(story + "/") for path in docs_files(sample_project))


def test_a_mistake_keeps_the_last_good_pages_and_the_fix_is_picked_up(sample_project: Path) -> None:
    session = Session()
    api.generate(sample_project, session=session)
    before = docs_files(sample_project)
    claim = sample_project / "claims" / "kremlin-talks-frank.yaml"
    good = claim.read_text("utf-8")
    set_field(claim, "rating", "not-a-rating")
    with pytest.raises(ValidationFailed):
        api.generate(sample_project, session=session)
    assert docs_files(sample_project) == before
    claim.write_text(good.replace("were frank.", "were frank, said the Kremlin."), "utf-8")
    api.generate(sample_project, session=session)
    assert b"were frank, said the Kremlin." in (sample_project / "docs" / "claims" / "kremlin-talks-frank.md").read_bytes()
    assert_same_as_full_run(sample_project)


def test_settings_and_template_overrides_start_over(sample_project: Path) -> None:
    session = Session()
    api.generate(sample_project, session=session)
    config = sample_project / "mkdocs.yml"
    edit(config, "site_name: ", "site_name: Renamed — ")
    api.generate(sample_project, session=session)
    assert session.stats["rendered"] == session.stats["pages"]
    assert_same_as_full_run(sample_project)
    override = sample_project / "site-overrides" / "claimline" / "methodology.md"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text("# Our own methodology page\n", "utf-8")
    api.generate(sample_project, session=session)
    assert (sample_project / "docs" / "methodology.md").read_text("utf-8").strip().endswith(
        "# Our own methodology page")
    assert_same_as_full_run(sample_project)


def test_a_file_saved_twice_within_the_clock_resolution_is_still_read_again(sample_project: Path) -> None:
    session = Session()
    api.generate(sample_project, session=session)
    claim = sample_project / "claims" / "kremlin-talks-frank.yaml"
    st = claim.stat()
    edit(claim, "were frank.", "were FRANK.")  # same size
    os.utime(claim, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the same modification time
    api.generate(sample_project, session=session)
    assert b"were FRANK." in (sample_project / "docs" / "claims" / "kremlin-talks-frank.md").read_bytes()


def test_folders_are_listed_again_only_when_they_changed(sample_project: Path, monkeypatch) -> None:
    """After a save the session lists claims/ and content/ again only if a file was added, removed or renamed
    in one of their folders; editing a file in place is found by the file's own stat."""
    later = time.time_ns() + 60 * 10**9  # every file and folder looks settled: none changed in the last 2 s
    monkeypatch.setattr(incremental.time, "time_ns", lambda: later)
    listed: list[Path] = []
    real = incremental.discover
    monkeypatch.setattr(incremental, "discover", lambda folder, *rest: listed.append(folder) or real(folder, *rest))
    session = Session()
    api.generate(sample_project, session=session)
    assert len(listed) == 2
    claims = sample_project / "claims"
    frank = claims / "kremlin-talks-frank.yaml"

    edit(frank, "were frank.", "were frank and useful.")
    api.generate(sample_project, session=session)
    assert len(listed) == 2, "a file edited in place does not change its folder"
    assert b"frank and useful" in (sample_project / "docs" / "claims" / "kremlin-talks-frank.md").read_bytes()
    assert_same_as_full_run(sample_project)

    steps = [
        ("a claim added in a new folder", lambda: ((claims / "more").mkdir(), (claims / "more" / "added.yaml").write_text(
            "statement: A claim in a folder of its own.\nclaimant: {name: Joe Biden}\ndate: 2021-12-09\n"
            "rating: pending\n", "utf-8"))),
        ("a claim added beside it", lambda: (claims / "more" / "second.yaml").write_text(
            "statement: A second claim in that folder.\nclaimant: {name: Joe Biden}\ndate: 2021-12-10\n"
            "rating: pending\n", "utf-8")),
        ("a claim renamed", lambda: (claims / "more" / "added.yaml").rename(claims / "more" / "renamed.yaml")),
        ("a claim moved up", lambda: (claims / "more" / "second.yaml").rename(claims / "second.yaml")),
        ("a claim deleted", lambda: (claims / "france-massive-consequences.yaml").unlink()),
        ("a folder removed", lambda: ((claims / "more" / "renamed.yaml").unlink(), (claims / "more").rmdir())),
    ]
    for name, apply in steps:
        before = len(listed)
        apply()
        api.generate(sample_project, session=session)
        assert len(listed) > before, f"{name}: not listed again"
        assert_same_as_full_run(sample_project)
    docs = sample_project / "docs" / "claims"
    assert (docs / "second.md").is_file() and not (docs / "renamed.md").exists()
    assert not (docs / "france-massive-consequences.md").exists()


def test_a_listing_that_warned_is_made_again_and_warns_again(sample_project: Path, monkeypatch) -> None:
    later = time.time_ns() + 60 * 10**9
    monkeypatch.setattr(incremental.time, "time_ns", lambda: later)
    link = sample_project / "claims" / "linked.yaml"
    link.symlink_to(sample_project / "claims" / "kremlin-talks-frank.yaml")
    session = Session()
    for _ in range(2):  # the link's target could change without its folder changing: never reused
        warnings = [p.format() for p in api.generate(sample_project, session=session).warnings]
        assert any("linked.yaml:1:1: warning: symbolic link skipped" in w for w in warnings), warnings


def test_an_edit_that_cannot_change_any_link_reuses_the_last_links(sample_project: Path, monkeypatch) -> None:
    """Linking and grouping run again only when an edit can change their outcome; either way the files are
    those of a full run."""
    from generator import link

    linked: list[int] = []
    real = link._link_all
    monkeypatch.setattr(link, "_link_all", lambda *args: linked.append(1) or real(*args))
    session = Session()
    api.generate(sample_project, session=session)
    claims = sample_project / "claims"
    frank, denies = claims / "kremlin-talks-frank.yaml", claims / "russia-denies-attack-plans.yaml"
    edits = [
        ("statement", False, lambda: edit(frank, "were frank.", "were frank and useful.")),
        ("verdict", False, lambda: set_field(frank, "rating", "false")),
        ("date", False, lambda: set_field(frank, "date", "2021-11-30")),
        ("a line added", False, lambda: edit(frank, "statement:", "# a comment\nstatement:")),
        ("a quote the article does not print", True, lambda: edit(frank, 'as "frank"', 'as "candid"')),
        ("a line added above that quote", True, lambda: edit(frank, "statement:", "# another\nstatement:")),
        ("the statement of that claim", True, lambda: edit(frank, "and useful.", "and useful, they said.")),
        ("topics", True, lambda: set_field(denies, "tags", "[Brand-new topic, Russia]")),
        ("claimant", True, lambda: edit(denies, "name: ", "name: The Kremlin press office; formerly ")),
        ("related", True, lambda: frank.write_text(frank.read_text("utf-8") + "related:\n  - claim: "
                                                   "russia-denies-attack-plans\n    relation: supports\n", "utf-8")),
        ("quote", True, lambda: edit(frank, 'described the talks as "candid"', "described the talks as")),
        ("article", True, lambda: edit(sample_project / "content" / "putin-biden-summit-2021-12-08.txt",
                                       "Putin says", "President Putin says")),
        ("claim added", True, lambda: (claims / "new-claim.yaml").write_text(
            "statement: A brand-new claim.\nclaimant: {name: Joe Biden}\ndate: 2021-12-09\nrating: pending\n", "utf-8")),
        ("a mistake", True, lambda: set_field(frank, "rating", "no-such-rating")),
    ]
    for name, relinks, apply in edits:
        before = len(linked)
        records = dict(session.shared["claims"])
        apply()
        try:
            result = api.generate(sample_project, session=session)
        except ValidationFailed:
            assert name == "a mistake"
            continue
        assert (len(linked) > before) == relinks, name
        assert_same_as_full_run(sample_project)
        if not relinks:  # the claims the edit did not touch keep their records: the session compares them by identity
            assert session.shared["claims"]["france-massive-consequences"] is records["france-massive-consequences"]
        lines = frank.read_text("utf-8").splitlines()
        if '    quote: Kremlin described the talks as "candid"' in lines:  # the warning follows the quote's line
            line = lines.index('    quote: Kremlin described the talks as "candid"') + 1
            full = api.render(sample_project).warnings
            assert [p.line for p in full if "quote was not found" in p.message] == [line]
            assert [p.line for p in result.warnings if "quote was not found" in p.message] == [line], name

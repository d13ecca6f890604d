"""Editor text made safe: plain text neutralised, Markdown rendered without HTML or dangerous links."""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser

import markdown
import pytest
import yaml
from markupsafe import Markup

from generator import markup
from generator.markup import attr_text, clean, markdown_plain, md_text, render_markdown, safe_url


class Tags(HTMLParser):
    """Every tag and attribute of an HTML fragment."""

    def __init__(self, fragment: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text = ""
        self.feed(str(fragment))

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text += data

    def names(self) -> list[str]:
        return [t for t, _ in self.tags]

    def hrefs(self) -> list[str]:
        return [a.get("href") or a.get("src") for t, a in self.tags if t in ("a", "img")]


def on_a_markdown_page(fragment: str) -> str:
    """What MkDocs (Python-Markdown) makes of a line of generated Markdown."""
    return markdown.markdown(fragment)


# -- md_text: plain text on a Markdown line -------------------------------------------------------------------


@pytest.mark.parametrize("text, shown", [
    ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ("**b**", "**b**"),
    ("# h", "# h"),
    ("_under_ and `code`", "_under_ and `code`"),
    ("1. not a list", "1. not a list"),
    ("- not a list", "- not a list"),
    ("> not a quote", "> not a quote"),
    ("a & b &amp; c", "a & b &amp; c"),
    ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
    ("{: .class }", "{: .class }"),
    ("https://example.org", "https://example.org"),
    ("Russia has 'right to defend security’: Putin", "Russia has 'right to defend security’: Putin"),
])
def test_md_text_shows_every_character_as_itself(text, shown):
    value = md_text(text)
    assert isinstance(value, Markup)
    assert not re.search(r"[<>\[\]*_`#&]", value.replace("&#", "")), value  # no live syntax left
    html = on_a_markdown_page(f"Before {value} after")
    parsed = Tags(html)
    assert parsed.names() == ["p"]  # no links, scripts, emphasis, headings or images
    assert parsed.text == f"Before {shown} after"


def test_md_text_at_the_start_of_a_line_is_not_a_heading_or_list():
    for text in ("# h", "1. x", "- x", "> q", "=== x", "    code"):
        html = on_a_markdown_page(str(md_text(text)))
        assert Tags(html).names() == ["p"], text


def test_md_text_flattens_whitespace_and_drops_disguising_characters():
    assert md_text("one\n\n two\tthree") == "one two three"
    assert md_text("abc\u202edef\u2066\x00") == "abcdef"


# -- render_markdown ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>",
    "Hello <b onclick='x()'>bold</b>",
    "<img src=x onerror=alert(1)>",
    "<!-- hidden -->",
    "<div>\n\nblock\n\n</div>",
    "<iframe src='https://evil.example'></iframe>",
])
def test_raw_html_is_shown_as_text(text):
    out = render_markdown(text)
    parsed = Tags(out)
    assert set(parsed.names()) <= {"p"}
    assert "<" in parsed.text  # the editor's tags are visible as text
    assert all(not k.startswith("on") for _, attrs in parsed.tags for k in attrs)


def test_script_is_escaped_exactly():
    assert render_markdown("<script>alert(1)</script>") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


@pytest.mark.parametrize("target", [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java&#115;cript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "javascript&#58;alert(1)",
    "java\tscript:alert(1)",
    "&Tab;javascript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/",
    "  //evil.example/",
])
@pytest.mark.parametrize("form", ["[x]({})", "![x]({})", "[x]\n\n[x]: {}"])
def test_dangerous_links_are_refused(target, form):
    out = render_markdown(form.format(target))
    parsed = Tags(out)
    for href in parsed.hrefs():  # whatever remains must be harmless: no scheme and not off-site
        assert not re.match(r"^\s*[a-z][a-z0-9+.-]*:", href, re.I) and not href.startswith("//"), href
    assert "a" not in parsed.names() and "img" not in parsed.names()


def test_javascript_autolink_is_text():
    out = render_markdown("<javascript:alert(1)>")
    assert "href" not in out
    assert out == "<p>&lt;javascript:alert(1)&gt;</p>"


@pytest.mark.parametrize("text, href", [
    ("[x](https://example.org/a?b=1&c=2)", "https://example.org/a?b=1&c=2"),
    ("[x](HTTP://EXAMPLE.ORG)", "HTTP://EXAMPLE.ORG"),
    ("<https://example.org>", "https://example.org"),
])
def test_http_links_are_kept_with_nofollow(text, href):
    parsed = Tags(render_markdown(text))
    [(tag, attrs)] = parsed.tags[1:]
    assert tag == "a"
    assert attrs["href"] == href
    assert attrs["rel"] == "nofollow noopener"


@pytest.mark.parametrize("text, href", [
    ("[m](mailto:desk@example.org)", "mailto:desk@example.org"),
    ("[r](../claims/a/)", "../claims/a/"),
    ("[r](/about/)", "/about/"),
    ("[r](#sources)", "#sources"),
])
def test_safe_non_http_links_are_kept_without_rel(text, href):
    [(tag, attrs)] = Tags(render_markdown(text)).tags[1:]
    assert (tag, attrs) == ("a", {"href": href})


@pytest.mark.parametrize("text, expected", [
    ("# One", "<h3>One</h3>"),
    ("## Two", "<h4>Two</h4>"),
    ("#### Four", "<h6>Four</h6>"),
    ("###### Six", "<h6>Six</h6>"),
    ("Setext\n======", "<h3>Setext</h3>"),
])
def test_headings_are_demoted(text, expected):
    assert render_markdown(text) == expected


def test_heading_shift_is_configurable():
    assert render_markdown("# One", heading_shift=0) == "<h1>One</h1>"
    assert render_markdown("# One", heading_shift=1) == "<h2>One</h2>"


@pytest.mark.parametrize("text", [
    "para one\n\npara two\n\n\n\npara three",
    "```\ncode\n\n\nmore\n```",
    "    indented\n\n    code",
    "- a\n\n- b\n\n  continued",
    "> quote\n>\n> more",
    "```\nspaces\n   \n\t\nend\n```",
    "| a | b |\n|---|---|\n| 1 | 2 |\n\nafter",
    "1. one\n\n   ```\n   x\n\n   y\n   ```\n2. two",
])
def test_never_a_blank_line(text):
    out = str(render_markdown(text))
    assert not re.search(r"\n[ \t]*\n", out), out
    assert out == out.strip()


def test_code_keeps_its_blank_lines_as_entities():
    out = render_markdown("```\ncode\n\n\nmore\n```")
    assert out == "<pre><code>code\n&#10;&#10;more\n</code></pre>"
    assert Tags(out).text == "code\n\n\nmore\n"


def test_rendered_block_stays_one_html_block_on_a_page():
    """Inside a page the fragment is an HTML block; Python-Markdown must pass it through untouched."""
    fragment = render_markdown("Intro **bold**\n\n```\na\n\n*not emphasis*\n```\n\n# Heading\n\nEnd")
    page = on_a_markdown_page(f'<div class="summary">\n{fragment}\n</div>')
    assert "<em>" not in page  # the code block was not re-parsed as Markdown
    assert "*not emphasis*" in page
    assert page.count("<strong>bold</strong>") == 1


def test_markdown_features():
    assert render_markdown("**b** _i_ ~~s~~ `c`") == "<p><strong>b</strong> <em>i</em> <s>s</s> <code>c</code></p>"
    assert render_markdown("") == "" and render_markdown(None) == ""


def test_markdown_plain():
    assert markdown_plain("**Bold** and [a link](https://x.org) `code`\n\n# Head\npara") == \
        "Bold and a link code Head para"
    assert markdown_plain("<b>raw</b>") == "<b>raw</b>"  # text, for escaping by whoever prints it
    assert markdown_plain(None) == ""


# -- attributes and URLs --------------------------------------------------------------------------------------


def test_attr_text_escapes_quotes_and_markup():
    assert attr_text('He said "no" & \'yes\' <b>') == "He said &quot;no&quot; &amp; &#x27;yes&#x27; &lt;b&gt;"
    assert attr_text("one\n  two\u202e") == "one two"
    assert attr_text(2021) == "2021"


@pytest.mark.parametrize("url, safe", [
    ("https://example.org/a?b=1", "https://example.org/a?b=1"),
    ("http://example.org", "http://example.org"),
    ("HTTPS://EXAMPLE.ORG", "HTTPS://EXAMPLE.ORG"),
    ("  https://example.org  ", "https://example.org"),
    ("javascript:alert(1)", "#"),
    ("JavaScript:alert(1)", "#"),
    ("data:text/html,x", "#"),
    ("ftp://example.org", "#"),
    ("//example.org", "#"),
    ("https://", "#"),
    ("https://example.org/a b", "#"),
    ('https://example.org/"onmouseover="x', "#"),
    ("https://example.org/<script>", "#"),
    (None, "#"),
    ("", "#"),
])
def test_safe_url(url, safe):
    assert safe_url(url) == safe


def test_clean_removes_control_and_bidi_characters():
    assert clean("a\x00b\x07c\u202ed\u2066e\x7f") == "abcde"
    assert clean("tab\tand\nnewline") == "tab\tand\nnewline"
    assert clean("two\nlines\x00") == "two\nlines" and clean("line\n\u202eright") == "line\nright"


def test_plain_text_fast_path_renders_exactly_like_markdown_it():
    """Plain paragraphs skip the parser (a large share of generation time); the output must not change."""
    import random
    import string

    def parsed(text: str) -> str:
        tokens = markup._MD.parse(text)
        markup._shift_headings(tokens, 2)
        markup._mark_links(tokens)
        return markup._no_blank_lines(markup._MD.renderer.render(tokens, markup._MD.options, {}).strip())

    alphabet = string.ascii_letters[:8] + "  .,;:'\"?()%$/-+*_#>[]!&<=\n\n\n\n\t0123456789é…"
    rng = random.Random(7)
    fast = 0
    for _ in range(60000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        paragraphs = markup.plain_paragraphs(text)
        if not text.strip() or paragraphs is None:
            continue
        assert paragraphs == [p.strip("\n") for p in re.split(r"\n{2,}", text) if p.strip("\n")], repr(text)
        fast += 1
        assert str(markup.render_markdown(text)) == parsed(text), repr(text)
        words = " ".join(markup.markdown_plain(text).split())
        assert words == " ".join(text.split())
    assert fast > 1000, "the sample must exercise the fast path"
    assert markup.plain_paragraphs("A sentence.\n\nAnother one.") == ["A sentence.", "Another one."]
    assert markup.plain_paragraphs("Has *emphasis*.") is None
    assert markup.plain_paragraphs("1. a list") is None
    assert markup.plain_paragraphs("\nOne.\n\n\n\nTwo.\n") == ["One.", "Two."]


def test_clean_skips_the_pattern_only_for_text_it_would_not_change() -> None:
    """clean() returns printable text as it is: no character it drops may count as printable."""
    dropped = [c for c in map(chr, range(sys.maxunicode + 1)) if markup._CONTROL.match(c)]
    assert len(dropped) == 39 and not any(c.isprintable() for c in dropped)
    assert clean("a\u202eb\x00c\u2066") == "abc" and clean("“quoted” text") == "“quoted” text"


# Text with every character class the fast paths below look at: the five HTML specials, controls, DEL, C1
# controls, YAML 1.1 line breaks, surrogates and non-characters, and ordinary words.
_TRICKY = ["plain words", "Tom & Jerry", "<b>", "a > b", 'say "no"', "don't", "a\x7fb", "\x85next", "\x9f",
           "line\u2028sep", "para\u2029sep", "\ud800", "\ufffe\uffff", "tab\there", "new\nline", "é ü 中文 🙂",
           "", "&amp;", "\x00\x1f"]


@pytest.mark.parametrize("first", _TRICKY)
def test_fast_paths_give_what_their_reference_gives(first: str) -> None:
    """esc(), yaml_scalar() and compact_json() skip work for most text; the result is the reference's, always."""
    import json

    from markupsafe import escape

    from generator.components import esc
    from generator.render import _YAML_UNSAFE, yaml_scalar
    from generator.structured import compact_json

    for text in [first] + [first + second for second in _TRICKY]:
        assert esc(text) == str(escape(clean(text)))
        assert esc(text) == str(escape(clean(text)))  # again, from esc's memo
        assert esc(Markup(text)) == str(escape(clean(text)))  # markup from a template is editor text too
        reference = _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", json.dumps(text, ensure_ascii=False))
        assert yaml_scalar(text) == reference
        assert yaml.safe_load(yaml_scalar(text)) == text or not text.isprintable()
        value = {"text": text, "list": [text, 1, None, True]}
        assert compact_json(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def test_esc_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """esc() remembers each text it escaped, but a long preview session does not grow it without end."""
    from generator import components

    monkeypatch.setattr(components, "_ESCAPED_MAX", 3)
    monkeypatch.setattr(components, "_ESCAPED", {})
    for n in range(10):
        assert components.esc(f"<{n}>") == f"&lt;{n}&gt;"
        assert len(components._ESCAPED) <= 3
    assert components.esc("<9>") == "&lt;9&gt;"

"""Editor text made safe for the generated Markdown.

Two kinds of editor text exist:

* plain text (statements, names, quotes, titles): every character shows as
  itself — neither HTML nor Markdown syntax in it does anything;
* Markdown fields (summary, analysis, update notes, Markdown article bodies):
  rendered here with markdown-it-py (CommonMark) with raw HTML disabled, so
  ``<script>`` shows as text, and with links limited to http(s), mailto and
  relative targets.

The result is inserted into the page as an HTML block without blank lines, so
any CommonMark engine (and Python-Markdown, which MkDocs uses) passes it
through untouched.
"""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

_SAFE_SCHEMES = ("http:", "https:", "mailto:")
_BLANK_LINES = re.compile(r"\n[ \t]*\n+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Drop control and bidi-override characters that can disguise text."""
    # every character _CONTROL matches is non-printable (categories Cc and Cf), and a line break is not one of
    # them: text that is printable once its line breaks are set aside is returned as it is, without the pattern
    if text.isprintable() or "\n" in text and text.replace("\n", "").isprintable():
        return text
    return _CONTROL.sub("", text)


def _link_ok(url: str) -> bool:
    target = re.sub(r"[\x00-\x20]", "", html.unescape(url)).lower()
    if target.startswith(("#", "/", "./", "../")) or not re.match(r"^[a-z][a-z0-9+.-]*:", target):
        return not target.startswith("//")
    return target.startswith(_SAFE_SCHEMES)


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = _link_ok  # type: ignore[method-assign]
    return md


_MD = _make_parser()


def _shift_headings(tokens, shift: int) -> None:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(6, int(token.tag[1]) + shift)
            token.tag = f"h{level}"


def _mark_links(tokens) -> None:
    for token in tokens:
        for child in token.children or ():
            if child.type == "link_open":
                href = child.attrGet("href") or ""
                if re.match(r"^https?://", href, re.I):
                    child.attrSet("rel", "nofollow noopener")


# Text with none of these characters, no line that starts with a space, a list marker or a digit, and no
# space at a line's end is plain paragraphs: it renders the same without the parser (tests check it against
# markdown-it), which matters at scale.  The checks are separate, and plain string searches where they can
# be: for a 2.5 KB analysis, one pattern with line anchors took 74 µs; a character class 7 µs against 0.6 µs
# for the searches; splitting at r"\n{2,}" 19 µs against 3 µs for the split below.
_MARKUP_CHARS = "\\`*_[]<>#!|&~^=\t"
_LINE_START = re.compile(r"\n[ \-+0-9]")
_LINE_START_CHARS = " -+0123456789"


def plain_paragraphs(text: str) -> list[str] | None:
    """The paragraphs of ``text`` when it holds no Markdown at all, else None."""
    for char in _MARKUP_CHARS:
        if char in text:
            return None
    if _LINE_START.search(text) or text[:1] and text[0] in _LINE_START_CHARS or " \n" in text \
            or text.endswith(" "):
        return None
    return [p for p in (part.strip("\n") for part in text.split("\n\n")) if p]  # line breaks around are no text


def render_markdown(text: str | None, heading_shift: int = 2) -> Markup:
    """Editor Markdown → safe HTML fragment (headings demoted below the page's own)."""
    if not text:
        return Markup("")
    text = clean(text)
    paragraphs = plain_paragraphs(text)
    if paragraphs is not None:
        return Markup("\n".join(f"<p>{escapeHtml(p)}</p>" for p in paragraphs))
    tokens = _MD.parse(text)
    _shift_headings(tokens, heading_shift)
    _mark_links(tokens)
    out = _MD.renderer.render(tokens, _MD.options, {})
    return Markup(_no_blank_lines(out.strip()))


def _no_blank_lines(fragment: str) -> str:
    """Blank lines would end the surrounding HTML block in CommonMark; encode them inside <pre>."""
    return _BLANK_LINES.sub(lambda m: "\n" + "&#10;" * (m.group(0).count("\n") - 1), fragment)


def markdown_plain(text: str | None) -> str:
    """The words of a Markdown field without markup (for descriptions and feeds)."""
    if not text:
        return ""
    text = clean(text)
    if plain_paragraphs(text) is not None:
        return " ".join(text.split())
    tokens = _MD.parse(text)
    words: list[str] = []
    for token in tokens:
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
        if token.type.endswith("_close") and token.block:
            words.append(" ")
    return " ".join("".join(words).split())


_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-.!|<>&~^=:\"'$%@]")


def md_text(text: object) -> Markup:
    """Plain text for a Markdown line (a heading): every punctuation mark becomes an entity."""
    value = " ".join(clean(str(text)).split())
    return Markup(_MD_SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", value))


def attr_text(text: object) -> str:
    """Plain text for front matter values that the theme prints as HTML (title, description).

    Material prints ``page.meta.title`` without escaping, so the value is escaped once here.
    """
    return html.escape(" ".join(clean(str(text)).split()), quote=True)


def safe_url(url: object) -> str:
    """An http(s) URL for an ``href``; anything else becomes ``#``."""
    value = str(url or "").strip()
    return value if re.fullmatch(r"^https?://[^\s<>\"'`]+$", value, re.I) else "#"

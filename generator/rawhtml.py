"""Raw HTML blocks kept out of Python-Markdown's way during a MkDocs build (the claimline plugin uses it).

Generated pages are mostly raw HTML blocks (claim facts, lists, tables, timelines).  Python-Markdown passes
such a block through unchanged, but finds it with a pure-Python HTML parser that walks every tag of the page
(``HtmlBlockPreprocessor``), and MkDocs walks every tag again looking for ``id`` attributes
(``_RawHTMLPreprocessor``): together about a third of a build.  ``stash`` replaces each top-level block whose
extent is certain with a one-word placeholder paragraph before Markdown runs, ``restore`` puts the block back
in place of that paragraph afterwards (where Python-Markdown would have put it), and ``anchor_ids`` returns
the ids MkDocs would have collected from the blocks, for its anchor-link validation.

Only blocks that start a line after a blank line with one of ``TAGS``, close that same element at the end of
a line followed by a blank line (or the end), and hold nothing whose tags a simple scan could miscount
(comments, scripts, styles, preformatted text, CDATA) or Markdown would normalise (tabs, carriage returns,
lines of spaces) are stashed; anything else is left to Markdown.
"""

from __future__ import annotations

import html
import re
import secrets

# block-level elements (in Python-Markdown's list) claimline's templates start blocks with
TAGS = ("div", "p", "ul", "ol", "dl", "table", "nav", "blockquote", "section", "figure",
        "h1", "h2", "h3", "h4", "h5", "h6")
_START = re.compile(r"<(%s)(?=[\s>])" % "|".join(TAGS))
# in a block's lower-cased bytes: tags a simple scan could miscount, and md_in_html's markdown="1", which asks
# Markdown to look inside the block
_UNSAFE_TAG = re.compile(rb"<(?:!--|!\[cdata\[|\?|(?:script|style|pre|textarea)\b)")
_MD_IN_HTML = re.compile(rb"\smarkdown\s*=")
# an id attribute: found by its name, then checked to be inside a tag (see _tag_ids); a pattern that started at
# every '<' and looked through the tag for it took 1.5 s on the 10k benchmark's pages
_ID = re.compile(r"""id\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_NAME = re.compile(r"""<a\s[^<>]*?(?<=\s)name\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_SPACES_LINE = re.compile(rb"^ +$", re.MULTILINE)  # a line of spaces only: Markdown would normalise it
_TAG_PATTERNS: dict[str, re.Pattern] = {}


def _tags(tag: str) -> re.Pattern:
    """The opening and closing tags of ``tag``, each within one line."""
    pattern = _TAG_PATTERNS.get(tag)
    if pattern is None:
        pattern = _TAG_PATTERNS[tag] = re.compile(r"<(/?)%s(?=[\s>/])[^>\n]*>" % tag, re.IGNORECASE)
    return pattern


def stash(markdown: str) -> tuple[str, dict[str, str]]:
    """``markdown`` with its certain raw HTML blocks replaced by placeholders; the blocks by placeholder."""
    if "<" not in markdown:
        return markdown, {}
    lines = markdown.split("\n")
    out: list[str] = []
    blocks: dict[str, str] = {}
    prefix = f"clrawhtml{secrets.token_hex(6)}x"
    i, n, at = 0, len(lines), 0  # at: the offset of line i in markdown
    while i < n:
        line = lines[i]
        match = _START.match(line) if line.startswith("<") and (i == 0 or not lines[i - 1].strip()) else None
        end = _block_end(markdown, at, match.group(1)) if match else None
        if end is None:
            out.append(line)
            at += len(line) + 1
            i += 1
            continue
        key = f"{prefix}{len(blocks)}"
        block = markdown[at:end]
        blocks[key] = block
        out.append(key)
        i += block.count("\n") + 1
        at = end + 1
    return ("\n".join(out), blocks) if blocks else (markdown, {})


def _block_end(text: str, start: int, tag: str) -> int | None:
    """Offset of the end of the line that closes the block opened at ``start``, or None if that is uncertain.

    The element's tags are counted through the text after ``start``; the line where the count returns to
    zero must end with that closing tag and be followed by a blank line or the end of the text."""
    close = f"</{tag}>"
    depth = 0
    for m in _tags(tag).finditer(text, start):
        if m.group(1):
            depth -= 1
        elif not m.group(0).endswith("/>"):
            depth += 1
        if depth == 0 and m.group(1):
            end = m.end()
            if not (end == len(text) or text[end] == "\n") or text[end - len(close):end] != close:
                return None  # text after the closing tag: Python-Markdown treats that differently
            # a blank line (spaces only) or the end must follow (Python-Markdown appends two line breaks to the
            # text): then it ends the block with a line break (blank_line_re), which restore() puts back
            after = text.find("\n", end + 1)
            if end < len(text) and text[end + 1:len(text) if after < 0 else after].strip(" "):
                return None
            return None if _uncertain(text[start:end]) else end
        if depth < 0:
            return None
    return None


def _uncertain(block: str) -> bool:
    """Whether ``block`` holds what Python-Markdown would normalise or treat specially.

    The search runs on the block's UTF-8 bytes, lower-cased (ASCII letters only, as HTML's tag and attribute
    names are): a case-insensitive pattern run on every line made :func:`stash` take 3.1 s on the 13,221 pages
    of the 10k benchmark (1.8 s of it in the pattern), this 1.25 s."""
    data = block.encode("utf-8", "surrogatepass").lower()
    if b"\t" in data or b"\r" in data or b"\x02" in data or b"\x03" in data:
        return True
    if _UNSAFE_TAG.search(data) or (b"markdown" in data and _MD_IN_HTML.search(data)):
        return True
    return (data.startswith(b" ") or b"\n " in data) and _SPACES_LINE.search(data) is not None


def restore(html: str, blocks: dict[str, str]) -> str | None:
    """``html`` with each placeholder paragraph replaced by its block; None if a placeholder is missing."""
    for key, block in blocks.items():
        para = f"<p>{key}</p>"
        if para not in html:
            return None
        html = html.replace(para, block + "\n", 1)
    return html.strip()  # as Python-Markdown returns its output (a block may have ended it)


def anchor_ids(blocks: dict[str, str]) -> set[str]:
    """The ``id`` attributes (and ``name`` of ``<a>``) in ``blocks``, as MkDocs collects them from raw HTML."""
    ids: set[str] = set()
    for block in blocks.values():
        values = _tag_ids(block)
        if "<a" in block or "<A" in block:
            values += [m.group(1) if m.group(1) is not None else m.group(2) for m in _NAME.finditer(block)]
        ids.update(html.unescape(value) if "&" in value else value for value in values)
    return ids


def _tag_ids(block: str) -> list[str]:
    """The values of ``id`` attributes: after white space, inside a tag (the last '<' before them is nearer than
    the last '>', and starts a tag name)."""
    values: list[str] = []
    for m in _ID.finditer(block):
        at = m.start()
        if at == 0 or not block[at - 1].isspace():
            continue
        lt = block.rfind("<", 0, at)
        name = block[lt + 1:lt + 2]
        if lt < 0 or lt < block.rfind(">", 0, at) or not (name.isascii() and name.isalpha()):
            continue
        values.append(m.group(1) if m.group(1) is not None else m.group(2))
    return values

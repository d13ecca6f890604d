"""generator/rawhtml.py: stashing raw HTML blocks gives the same HTML as Python-Markdown, only faster."""

from __future__ import annotations

import markdown
import pytest
from mkdocs.structure.pages import _HTMLHandler

from generator import rawhtml


def convert(text: str) -> str:
    md = markdown.Markdown(extensions=["toc", "attr_list", "tables"], extension_configs={"toc": {"permalink": True}})
    return md.convert(text)


def ids(text: str) -> set[str]:
    handler = _HTMLHandler()
    handler.feed(text)
    handler.close()
    return handler.present_anchor_ids


CASES = {
    "blocks between headings": '# T\n\n<div class="a">\n<p>x &amp; y</p>\n</div>\n\n## H\n\n<ul id="l">\n<li>1</li>\n</ul>\n',
    "block at the end": "Text.\n\n<table>\n<tr><td>1</td></tr>\n</table>",
    "blank lines inside": "<blockquote>\n<p>a</p>\n\n<p>b</p>\n</blockquote>\n\nAfter *this*.\n",
    "nested same tag": '<div class="o"><div class="i">\n<p>x</p></div>\n</div>\n\ntext\n',
    "text after the close": "<div>a</div> and *more*\n\nnext\n",
    "no blank line after": "<div>a</div>\n*emphasis*\n",
    "comment inside": "<div>\n<!-- <div> -->\n</div>\n\nx\n",
    "tab inside": "<div>\n\ta</div>\n\nx\n",
    "spaces-only line inside": "<div>\n   \n</div>\n\nx\n",
    "md_in_html attribute": '<div markdown="1">\n*a*\n</div>\n\nx\n',
    "inline tag at line start": '<span id="s">a</span> b\n\n<p id="p" name="n">c</p>\n\n<a name="anchor">x</a>\n',
    "unclosed": "<div>\n<p>a</p>\n\nno close\n",
    "void elements": '<p>a<br>b<img src="x.png" alt=""></p>\n\n<hr>\n\nend\n',
    "after a paragraph": "para\n<div>a</div>\n\nx\n",
    "md_in_html in capitals": '<div MarkDown = "1">\n*a*\n</div>\n\nx\n',
    "script in capitals": "<div>\n<SCRIPT>var a = '<div>';</SCRIPT>\n</div>\n\nx\n",
    "processing instruction": "<div>\n<?php echo 1; ?>\n</div>\n\nx\n",
    "ids in odd places": '<div id="a" class="x" id="b">\n<p>user id = 5 and <span\nid="d">x</span> <A NAME="e">y</A></p>\n'
                         "<p data-id='f' id='g&amp;h'>i</p>\n</div>\n\nx\n",
    "the word markdown in text": "<p>Written in Markdown, not HTML.</p>\n\nx\n",
    "text beyond ASCII": "<p>Mostly true \u25d5 \u2013 \u201cK\u212a\u017fcript\u201d</p>\n\n<ul>\n<li>\u0131</li>\n</ul>\n",
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_same_html_and_anchor_ids_as_python_markdown(text: str) -> None:
    stashed, blocks = rawhtml.stash(text)
    assert rawhtml.restore(convert(stashed), blocks) == convert(text)
    assert rawhtml.anchor_ids(blocks) | ids(stashed) == ids(text)


def test_certain_blocks_are_stashed_and_uncertain_ones_left() -> None:
    assert len(rawhtml.stash(CASES["blocks between headings"])[1]) == 2
    assert len(rawhtml.stash(CASES["the word markdown in text"])[1]) == 1
    assert rawhtml.anchor_ids(rawhtml.stash(CASES["ids in odd places"])[1]) == {"a", "b", "d", "e", "g&h"}
    assert len(rawhtml.stash(CASES["text beyond ASCII"])[1]) == 2
    for name in ("text after the close", "comment inside", "tab inside", "md_in_html attribute", "unclosed",
                 "md_in_html in capitals", "script in capitals", "processing instruction", "spaces-only line inside"):
        assert rawhtml.stash(CASES[name]) == (CASES[name], {}), name


@pytest.mark.parametrize("page_size", [100, 2])  # 2: every long list is split, with a pager below it
def test_every_page_of_the_sample_site_converts_the_same(tmp_path, page_size) -> None:
    """...and the templates leave Python-Markdown no raw HTML at all: a block that touches the next one
    without a blank line is not stashed, and then Markdown parses it tag by tag (a list page's 100 items and
    its pager did that: 6 s of the LIAR corpus' 42-second MkDocs build)."""
    from mkdocs.utils import meta

    from conftest import copy_sample
    from generator import api

    root = copy_sample(tmp_path / "sample")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("page_size: 100", f"page_size: {page_size}"), "utf-8")
    api.generate(root)
    pages = sorted((root / "docs").rglob("*.md"))
    assert any("/page-2.md" in p.as_posix() for p in pages) == (page_size == 2)
    for path in pages:
        text, _ = meta.get_data(path.read_text("utf-8"))
        stashed, blocks = rawhtml.stash(text)
        assert "<" not in stashed, (path, [line for line in stashed.splitlines() if "<" in line][:3])
        assert rawhtml.restore(convert(stashed), blocks) == convert(text), path
        assert rawhtml.anchor_ids(blocks) | ids(stashed) == ids(text), path


def test_a_moved_placeholder_is_reported() -> None:
    stashed, blocks = rawhtml.stash("<div>a</div>\n\nx\n")
    assert rawhtml.restore(convert(stashed).replace("<p>", "<p class='moved'>"), blocks) is None

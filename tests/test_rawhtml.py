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
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_same_html_and_anchor_ids_as_python_markdown(text: str) -> None:
    stashed, blocks = rawhtml.stash(text)
    assert rawhtml.restore(convert(stashed), blocks) == convert(text)
    assert rawhtml.anchor_ids(blocks) | ids(stashed) == ids(text)


def test_certain_blocks_are_stashed_and_uncertain_ones_left() -> None:
    assert len(rawhtml.stash(CASES["blocks between headings"])[1]) == 2
    for name in ("text after the close", "comment inside", "tab inside", "md_in_html attribute", "unclosed"):
        assert rawhtml.stash(CASES[name]) == (CASES[name], {}), name


def test_every_page_of_the_sample_site_converts_the_same(tmp_path) -> None:
    from mkdocs.utils import meta

    from conftest import copy_sample
    from generator import api

    root = copy_sample(tmp_path / "sample")
    api.generate(root)
    stashed_any = False
    for path in sorted((root / "docs").rglob("*.md")):
        text, _ = meta.get_data(path.read_text("utf-8"))
        stashed, blocks = rawhtml.stash(text)
        stashed_any = stashed_any or bool(blocks)
        assert rawhtml.restore(convert(stashed), blocks) == convert(text), path
        assert rawhtml.anchor_ids(blocks) | ids(stashed) == ids(text), path
    assert stashed_any


def test_a_moved_placeholder_is_reported() -> None:
    stashed, blocks = rawhtml.stash("<div>a</div>\n\nx\n")
    assert rawhtml.restore(convert(stashed).replace("<p>", "<p class='moved'>"), blocks) is None

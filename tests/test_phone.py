"""What a reader on a phone (360×740) and a keyboard user get, beside test_browser.py's checks.

The site is the sample plus one claim whose words are longer than a phone is wide (a German compound, a long
URL), related to a sample claim so that it shows in a related-claims pair on both claims' pages, on the
timeline, the story and the home page. The browser, the server and ``open_page`` are test_browser.py's;
only the site differs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_sample
from generator import api
import test_browser

LONG_URL = ("https://archive.example.org/web/20211207000000/https://www.example-news-agency.org/world/europe/2021/12/"
            "07/putin-biden-video-summit-ukraine-troops-border-sanctions-live-updates-transcript?utm_source=rss")
LONG_CLAIM = f"""\
statement: "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstaltsdirektorinnenvertreter said the figures were wrong."
claimant:
  name: Internationalefriedensverhandlungsdelegationsvorsitzendenstellvertreterin
  same_as: {LONG_URL}
date: 2021-12-07
rating: "false"
sources:
  - title: "{LONG_URL}"
    url: {LONG_URL}
    publisher: Verylongpublishernamewithoutanyspacesatallthatgoesonandon
appearances:
  - url: {LONG_URL}
    quote: Averyveryverylongquotedwordwithoutanyspacesthatmustwrapinsidethequoteonaphone
related:
  - claim: russia-denies-attack-plans
    relation: contradicts
story: Russia–Ukraine crisis 2021–22
"""

pytestmark = test_browser.pytestmark  # skipped where Chromium is missing, as test_browser.py is
browser, server, open_page = test_browser.browser, test_browser.server, test_browser.open_page  # its fixtures

PHONE = {"width": 360, "height": 740}
PAGES = {  # one page of each kind that shows the long claim
    "home": "",
    "claim": "claims/long-words/",
    "related": "claims/russia-denies-attack-plans/",  # the long claim as the other side of a pair
    "claimant": "claimants/internationalefriedensverhandlungsdelegationsvorsitzendenstellvertreterin/",
    "rating": "ratings/false/",
    "story": "stories/russia-ukraine-crisis-2021-22/",
    "timeline": "timeline/2021/",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_sample(tmp_path_factory.mktemp("phone") / "sample")
    (root / "claims" / "long-words.yaml").write_text(LONG_CLAIM, "utf-8")
    api.build(root, strict=True)
    return root / "site"


def _open(open_page, path: str, width: int, **options):
    page = open_page(path, width, **options)
    if width == PHONE["width"]:
        page.set_viewport_size(PHONE)
    return page


STICKING_OUT = """() => {
    const column = document.querySelector('article.md-content__inner').getBoundingClientRect();
    const out = [];
    for (const el of document.querySelectorAll('article.md-content__inner *')) {
        const box = el.getBoundingClientRect();
        if (!box.width || box.right <= column.right + 1) continue;
        let scroller = el.parentElement;  // a table or code block may scroll inside its own box
        while (scroller && !['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX)) scroller = scroller.parentElement;
        if (!scroller) out.push(`${el.tagName}.${el.className} +${Math.round(box.right - column.right)}px`);
    }
    return out;
}"""


@pytest.mark.parametrize("width", [PHONE["width"], 1280])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_long_words_wrap_inside_the_content_column(open_page, name: str, width: int) -> None:
    """A word or URL longer than the screen is wide wraps inside its box. Timeline entries and related-claim
    pairs are grids, whose 1fr columns grew to the longest word: the page scrolled sideways on a phone
    (555 px wide on the home page and the timeline, 751 px on the claim) and, at 1280 px, entries ran 43 px
    and pairs up to 141 px past the content column into the table of contents."""
    page = _open(open_page, PAGES[name], width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(STICKING_OUT) == []


ENTRY_PARTS = """() => [...document.querySelectorAll('.cl-entry')].flatMap(entry => {
    const parts = [...entry.querySelectorAll(
        '.cl-entry__when, .cl-entry__kind, .cl-entry__title, .cl-entry__who, .cl-verdict, .cl-entry__anchor')];
    const problems = [];
    const boxes = parts.map(part => [...part.getClientRects()]);
    parts.forEach((part, i) => {
        if (!boxes[i].length) problems.push(`${entry.id} ${part.className}: not shown`);
        for (const box of boxes[i])
            if (box.left < 0 || box.right > innerWidth) problems.push(`${entry.id} ${part.className}: off screen`);
        for (let j = i + 1; j < parts.length; j++) {
            if (part.contains(parts[j])) continue;
            for (const a of boxes[i]) for (const b of boxes[j])
                if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 &&
                    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5)
                    problems.push(`${entry.id} ${part.className} overlaps ${parts[j].className}`);
        }
    });
    return problems;
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_timeline_entries_read_on_a_phone(open_page, scheme: str) -> None:
    """Each entry's date, kind, title, claimant, verdict and ¶ are on screen and none covers another."""
    page = _open(open_page, PAGES["timeline"], PHONE["width"], color_scheme=scheme)
    entries = page.locator(".cl-entry")
    assert entries.count() == 17  # the sample's 16 and the long claim
    long_entry = page.locator("#claim-long-words")
    for part in (".cl-entry__when", ".cl-entry__kind", ".cl-entry__title", ".cl-verdict"):
        assert long_entry.locator(part).is_visible(), part
    assert long_entry.locator(".cl-verdict__label").inner_text() == "False"
    assert page.evaluate(ENTRY_PARTS) == []


@pytest.mark.parametrize("width", [PHONE["width"], 1280])
def test_keyboard_focus_is_not_hidden_under_the_sticky_header(open_page, width: int) -> None:
    """Going back through the timeline with Shift+Tab, the browser scrolls each link just into view, at the top
    of the window, under Material's sticky header: ¶ anchors and entry titles were wholly hidden (5 of 30
    steps at 360 px, 1 at 1280 px; WCAG 2.2 SC 2.4.11)."""
    page = _open(open_page, PAGES["timeline"], width)
    page.evaluate("""() => { window.scrollTo(0, document.body.scrollHeight);
                             [...document.querySelectorAll('.md-content a[href]')].pop().focus(); }""")
    hidden = []
    for _ in range(30):
        page.keyboard.press("Shift+Tab")
        focused = page.evaluate("""() => { const el = document.activeElement;
            if (!el.closest('.md-content')) return null;
            const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
            const box = el.getBoundingClientRect();
            return {what: el.className || el.tagName, bottom: box.bottom, header}; }""")
        if focused and focused["bottom"] <= focused["header"] + 1:
            hidden.append(focused)
    assert hidden == []


@pytest.mark.parametrize("width", [PHONE["width"], 1280])
def test_a_timeline_anchor_works_from_the_keyboard(open_page, width: int) -> None:
    """Enter on an entry's ¶ puts its anchor in the address bar, shows the entry below the header, and the
    next Tab continues inside that entry."""
    page = _open(open_page, PAGES["timeline"], width)
    ident = page.eval_on_selector_all(".cl-entry", "entries => entries.map(e => e.id)")[8]
    page.evaluate("""ident => { const anchor = document.querySelector(`#${CSS.escape(ident)} .cl-entry__anchor`);
                                const links = [...document.querySelectorAll('a[href]')];
                                links[links.indexOf(anchor) - 1].focus(); }""", ident)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('cl-entry__anchor')")
    page.keyboard.press("Enter")
    page.wait_for_function("ident => document.getElementById(ident).matches(':target')", arg=ident)
    page.wait_for_timeout(200)
    top = page.evaluate("ident => document.getElementById(ident).getBoundingClientRect().top", ident)
    header = page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
    assert header <= top < PHONE["height"]
    page.keyboard.press("Tab")
    assert page.evaluate("ident => document.activeElement.closest('.cl-entry').id === ident", ident)
    assert page.errors == []


@pytest.mark.parametrize("path", [PAGES["timeline"], "articles/putin-biden-summit-2021-12-08/"])
def test_entry_anchors_are_targets_a_finger_can_hit(open_page, path: str) -> None:
    """The ¶ after each timeline entry is one narrow character (7×15 px): its box is at least WCAG 2.2's
    24×24 px target size (SC 2.5.8), whatever the glyph."""
    page = _open(open_page, path, PHONE["width"])
    sizes = page.eval_on_selector_all(".cl-entry__anchor", """anchors => anchors.map(a => {
        const box = a.getBoundingClientRect(); return [a.getAttribute('href'), box.width, box.height]; })""")
    assert sizes and [s for s in sizes if s[1] < 24 or s[2] < 24] == []

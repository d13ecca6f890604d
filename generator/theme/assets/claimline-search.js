/* claimline: site search with Pagefind, shown in Material's own search dialog (see generator/search.py).
 *
 * Material still owns the search box: opening and closing the dialog, its keys (/ s f to open, arrows to
 * move through results, Enter for the best result, Escape to close), the result list's accessibility
 * state and the highlighting of terms on the page a reader opens. Its search worker is a silent stand-in,
 * so Material never writes results; this script loads pagefind/pagefind.js on the first focus of the box,
 * runs each query and renders the results with Material's markup and classes. Only the index chunks and
 * page fragments a query needs are downloaded.
 */
(() => {
  "use strict";
  const dialog = document.querySelector('[data-md-component="search"]');
  const input = dialog && dialog.querySelector('[data-md-component="search-query"]');
  const result = dialog && dialog.querySelector('[data-md-component="search-result"]');
  const configElement = document.getElementById("__config");
  if (!input || !result || !configElement) return;

  const meta = result.querySelector(".md-search-result__meta");
  const list = result.querySelector(".md-search-result__list");
  const scroller = result.closest(".md-search__scrollwrap") || result.parentElement;
  const config = JSON.parse(configElement.textContent);
  const base = new URL(config.base, location.href);
  const highlight = (config.features || []).includes("search.highlight");
  const BATCH = 10;      // results rendered at once, as Material does; more when the list is scrolled to its end
  const SECTIONS = 5;    // matching sections shown under "N more on this page"
  const DEBOUNCE = 250;  // ms after the last key before querying (each query may fetch index chunks)

  const translate = (key, value) => (config.translations[key] || "").replace("#", value);
  const round = value => value > 999  // Material's rounding of result counts
    ? `${((value + 0.000001) / 1000).toFixed(+((value - 950) % 1000 > 99))}k`
    : `${value}`;

  // Pagefind is loaded on first use. If that fails (the preview re-indexes search in the background after a
  // save, and a query can fall in between), the next query tries again: the browser keeps a failed module
  // import for the page's lifetime, so a retry asks for the file under a new query string.
  let engine = null;
  let failures = 0;
  const source = () => new URL(`pagefind/pagefind.js${failures ? `?retry=${failures}` : ""}`, base).href;
  const load = () => engine || (engine = import(source())
    .then(async pagefind => {
      await pagefind.options({ excerptLength: 24 });
      await pagefind.init();
      // a large site is indexed in parts (generator/search.py): merge them into one result list
      const parts = await fetch(new URL("pagefind/claimline-parts.json", base))
        .then(response => response.ok ? response.json() : { bundles: [] });
      for (const bundle of parts.bundles || []) {
        await pagefind.mergeIndex(new URL(`${bundle}/`, base).href, { excerptLength: 24 });
      }
      return pagefind;
    })
    .catch(error => {
      engine = null;
      failures += 1;
      throw error;
    }));

  let state = { query: "" };
  let timer = 0;
  let follow = false;  // Enter pressed before the results arrived: open the best one when they do

  meta.textContent = translate("search.result.placeholder");

  async function run(value) {
    clearTimeout(timer);
    timer = 0;
    const query = value.trim();
    if (query === state.query && state.rendered !== undefined) return;
    const current = state = { query, results: [], rendered: undefined, loading: false };
    if (!query) {
      list.replaceChildren();
      meta.textContent = translate("search.result.placeholder");
      return;
    }
    let found;
    try {
      found = await (await load()).search(query);
    } catch (error) {
      if (current === state) meta.textContent = "Search is not available right now.";
      console.warn("claimline search:", error);
      return;
    }
    if (current !== state || !found) return;
    current.results = found.results.slice();
    current.rendered = 0;
    current.terms = query.split(/\s+/).filter(Boolean).join(" ");
    const count = found.results.length;
    meta.textContent = count === 0 ? translate("search.result.none")
      : count === 1 ? translate("search.result.one")
      : translate("search.result.other", round(count));
    list.replaceChildren();
    await more(current);
    if (follow && current === state) {
      follow = false;
      const best = list.querySelector(".md-search-result__link");
      if (best) best.click();
    }
  }

  async function more(current) {
    if (current.loading || !current.results.length) return;
    current.loading = true;
    const batch = current.results.splice(0, BATCH);
    let pages;
    try {
      pages = await Promise.all(batch.map(item => item.data()));
    } catch (error) {
      console.warn("claimline search:", error);
      pages = [];
    }
    current.loading = false;
    if (current !== state) return;
    batch.forEach((item, i) => pages[i] && list.appendChild(render(item, pages[i], current.terms)));
    current.rendered += pages.length;
    nearEnd();
  }

  function nearEnd() {  // only while the list is on screen: a closed dialog must not load every result
    if (state.results && state.results.length && scroller.clientHeight > 0
        && scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 64) more(state);
  }

  function render(item, page, terms) {
    const li = element("li", "md-search-result__item");
    const score = item.score;
    li.appendChild(link(page.url, page.meta && page.meta.title, page.excerpt, score, true, terms));
    const sections = (page.sub_results || []).filter(section => section.url !== page.url
      && section.url.includes("#") && !(section.anchor && section.anchor.element === "h1")).slice(0, SECTIONS);
    if (sections.length) {
      const details = element("details", "md-search-result__more");
      const summary = element("summary");
      summary.tabIndex = -1;
      summary.appendChild(element("div")).textContent = sections.length === 1
        ? translate("search.result.more.one")
        : translate("search.result.more.other", sections.length);
      details.appendChild(summary);
      sections.forEach((section, i) =>
        details.appendChild(link(section.url, section.title, section.excerpt, score * (0.9 - i * 0.01), false, terms)));
      li.appendChild(details);
    }
    return li;
  }

  function link(url, title, excerpt, score, parent, terms) {
    const href = new URL(url, location.href);
    if (highlight && terms) href.searchParams.set("h", terms);
    const a = element("a", "md-search-result__link");
    a.href = `${href}`;
    a.tabIndex = -1;
    const article = a.appendChild(element("article", "md-search-result__article md-typeset"));
    article.setAttribute("data-md-score", score.toFixed(2));
    if (parent) article.appendChild(element("div", "md-search-result__icon md-icon"));
    article.appendChild(element(parent ? "h1" : "h2")).textContent = title || href.pathname;
    if (excerpt) article.appendChild(element("p")).append(...marked(excerpt));
    return a;
  }

  /* Pagefind's excerpt is HTML with <mark> around matches: keep the text and the marks, nothing else. */
  function marked(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    return [...template.content.childNodes].map(node => {
      if (node.nodeName === "MARK") {
        const mark = element("mark");
        mark.textContent = node.textContent;
        return mark;
      }
      return document.createTextNode(node.textContent);
    });
  }

  function element(tag, className) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    return el;
  }

  input.addEventListener("focus", () => {
    load().catch(() => {});
    if (input.value.trim() !== state.query) run(input.value);  // e.g. Material filled it from ?q=
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(input.value), DEBOUNCE);
  });
  input.addEventListener("keydown", event => {
    if (event.key === "Enter" && !event.isComposing && (timer || input.value.trim() !== state.query
        || state.rendered === undefined)) {
      follow = true;  // Material opens the best rendered result; these are stale or missing: wait for them
      event.preventDefault();
      event.stopPropagation();
      run(input.value);
    } else if (event.key !== "Enter") {
      follow = false;
    }
  });
  if (input.form) {
    input.form.addEventListener("submit", event => event.preventDefault());
    input.form.addEventListener("reset", () => setTimeout(() => run(""), 0));
  }
  scroller.addEventListener("scroll", nearEnd, { passive: true });
  if (input.value.trim()) run(input.value);  // Material opened the dialog with ?q= before this script ran
})();

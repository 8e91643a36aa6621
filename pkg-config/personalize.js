// The on-device profile's page side. Grids: every [data-vitrina-rank] container's product
// children ([data-vitrina-product], with -category, -brand and -price) are put in the order of
// the scores the wasm gives them, best first (ties keep the shop's order); other children keep
// their places. It runs when the SDK starts and, through a MutationObserver, in the same task as
// the shop renders a grid (before the browser paints it: nothing jumps); a grid is marked
// data-vitrina-ranked once ordered, so a shop can keep it hidden until then. Learning from markup
// alone: a [data-vitrina-detail] product element is a view, a click on [data-vitrina-add-to-cart]
// an add to cart (both only teach the profile: nothing is recorded or sent).
// (A tab or newline inside an attribute at worst mis-scores that product, or leaves the grid in
// the shop's order when the line count no longer matches: not worth a regex per attribute.)
const a = (el, k) => el.getAttribute("data-vitrina-" + k) || "";

// Puts `grid`'s children (all products) in the order `sorted` (`pos`: each one's index on the
// page), moving as few as it can: the longest run already in the right relative order stays,
// the others are moved next to it (a profile usually lifts some products: ~300 moves out of
// 1,000 in the benchmark instead of ~1,000).
function reorder(grid, pos, sorted) {
  // Longest increasing subsequence of pos (patience sorting), as the positions kept.
  const tails = [], prev = [], keep = [];
  pos.forEach((p, i) => {
    let lo = 0, hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      pos[tails[mid]] < p ? (lo = mid + 1) : (hi = mid);
    }
    prev[i] = tails[lo - 1];
    tails[lo] = i;
  });
  for (let i = tails.at(-1); i >= 0; i = prev[i]) keep[i] = 1;
  let next = null;
  for (let i = sorted.length; i--; next = sorted[i]) if (!keep[i]) grid.insertBefore(sorted[i], next);
}

// A product element's data attributes as Segment product props.
const props = (el) => ({ product_id: a(el, "product"), category: a(el, "category"), brand: a(el, "brand"), price: +a(el, "price") || 0 });

// The catalog feed, for recommendations: an inline <script type="application/json"
// data-vitrina-catalog> (its text), else the URL in the first [data-vitrina-catalog="…"]
// attribute; a list of { id, title, url, image, categories, brand, price }, or { items: [...] }.
// Read once; `lines` is what the wasm scores (one product per line).
let catalog;
const clean = (x) => String(x == null ? "" : x).replace(/[\t\n\x1f]/g, " ");
function loadCatalog() {
  if (catalog || typeof document === "undefined") return catalog;
  const el = document.querySelector("[data-vitrina-catalog]");
  if (!el) return;
  const url = el.getAttribute("data-vitrina-catalog");
  const read = (list) => {
    const items = (Array.isArray(list) ? list : (list && list.items) || []).filter((i) => i && i.id != null).slice(0, 20000);
    const cats = (i) => (Array.isArray(i.categories) ? i.categories : [i.categories || i.category]).map(clean).join("\x1f");
    const line = (i) => [clean(i.id), cats(i), clean(i.brand), clean(i.price)].join("\t");
    return { items, line, lines: items.map(line).join("\n") };
  };
  // Parsing the JSON, making the lines and (at the first recommend) the wasm reading them are
  // three tasks, not one: ~15 ms each for 10,000 items instead of one long task of ~45 ms.
  const pause = (x) => new Promise((r) => setTimeout(() => r(x)));
  return (catalog = (url ? fetch(url).then((r) => r.json()) : Promise.resolve().then(() => JSON.parse(el.textContent)))
    .then(pause)
    .then(read, () => read([]))
    .then(pause));
}

// Only http(s) links and images (relative ones resolved against the page), never javascript:;
// none when the item has none (not a request for ".../undefined").
const safe = (u) => {
  try {
    const x = u != null && u !== "" && new URL(u, location.href);
    return /^https?:$/.test(x.protocol) ? x.href : "";
  } catch (_) {
    return "";
  }
};
// The product this page is about, from the markup.
const detail = () => document.querySelector("[data-vitrina-detail][data-vitrina-product]");

/** `recommend({ limit, exclude, context_product })`: a promise of catalog items, best first. */
export function recommend(inner, opts) {
  const o = opts || {};
  return (loadCatalog() || Promise.resolve({ items: [] })).then((feed) => {
    const { items, line, lines } = feed;
    const d = o.context_product == null && typeof document === "object" && detail();
    const ctx = d ? a(d, "product") : String(o.context_product ?? "");
    const i = ctx ? items.findIndex((x) => String(x.id) === ctx) : -1;
    const context = i >= 0 ? line(items[i]) : "";
    // The wasm reads the feed once and keeps it; later calls send only the question.
    const first = feed.sent !== inner;
    feed.sent = inner;
    const answer = items.length ? inner.recommend(first ? lines : undefined, context, [o.limit > 0 ? Math.min(o.limit | 0, 100) : 4, ...(o.exclude || []).map(clean)].join("\n")) : "";
    return answer ? answer.split(",").map((k) => ({ ...items[k] })) : [];
  });
}

// A [data-vitrina-recommend] container: its <template> (fields marked data-vitrina-field =
// title, brand, price, url, image, or any other key of the feed's items) once per
// recommendation, else a link with an image and the title. Text goes in as text, links and
// images only if http(s).
let plain;
function renderRecs(inner, box) {
  box.setAttribute("data-vitrina-recommended", "");
  recommend(inner, { limit: +a(box, "limit") || 4, context_product: a(box, "context") || undefined }).then((recs) => {
    if (!plain) (plain = document.createElement("template")).innerHTML = '<a data-vitrina-field="url"><img alt="" data-vitrina-field="image"><span data-vitrina-field="title"></span></a>';
    const tpl = box.querySelector("template") || plain;
    for (const r of recs) {
      const card = tpl.content.firstElementChild.cloneNode(true);
      for (const f of [card, ...card.querySelectorAll("[data-vitrina-field]")]) {
        const k = a(f, "field");
        const at = k === "url" ? "href" : "src", u = (k === "url" || k === "image") && safe(r[k]);
        if (u) f.setAttribute(at, u);
        else if (u === "") f.removeAttribute(at); // no link rather than a link to this page
        else if (k) f.textContent = r[k] == null ? "" : String(r[k]);
      }
      card.setAttribute("data-vitrina-product", String(r.id));
      box.appendChild(card);
    }
  });
}

// Content slots: [data-vitrina-slot="hero"] with [data-vitrina-variant="name"] children (a rule
// in data-vitrina-if); the chosen one is shown, the others hidden.
function decideSlot(inner, el) {
  const vs = [...el.children].filter((c) => c.hasAttribute("data-vitrina-variant"));
  const name = decide(inner, a(el, "slot"), vs.map((v) => [a(v, "variant"), a(v, "if")]));
  if (name == null) return;
  for (const v of vs) v.hidden = a(v, "variant") !== name;
  el.setAttribute("data-vitrina-decided", name);
  return name;
}

/** `decide(slot, variants)`: the variant name chosen (variants: names or [name, rule] pairs). */
export function decide(inner, slot, variants) {
  if (!variants) {
    const el = typeof document === "object" && document.querySelector('[data-vitrina-slot="' + CSS.escape(String(slot)) + '"]');
    return el ? a(el, "decided") || decideSlot(inner, el) || null : null;
  }
  let name = null;
  inner.decide(String(slot), variants.map((v) => [].concat(v, "").slice(0, 2).map(clean).join("\t")).join("\n"), (x) => (name = x || null));
  return name;
}

function rankAll(inner) {
  for (const el of document.querySelectorAll("[data-vitrina-slot]:not([data-vitrina-decided])")) decideSlot(inner, el);
  for (const box of document.querySelectorAll("[data-vitrina-recommend]:not([data-vitrina-recommended])")) renderRecs(inner, box);
  // Learning from markup alone: the product a page is about (data-vitrina-detail) is a view,
  // once per element.
  for (const el of document.querySelectorAll("[data-vitrina-detail][data-vitrina-product]:not([data-vitrina-seen])")) {
    el.setAttribute("data-vitrina-seen", "");
    inner.learn("Product Viewed", props(el));
  }
  for (const grid of document.querySelectorAll("[data-vitrina-rank]")) {
    const items = [...grid.querySelectorAll(":scope>[data-vitrina-product]")];
    const done = grid.__vitrina;
    if (!items.length || (done && done.length === items.length && done.every((e, i) => e === items[i]))) continue;
    // The wasm scores each product by the profile; the sort is stable: ties keep their order.
    // (a grid's lines need no id: its scores depend on category, brand and price only)
    const scores = (inner.recommend(items.map((c) => "\t" + a(c, "category") + "\t" + a(c, "brand") + "\t" + a(c, "price")).join("\n"), "", "0") || "").split(",").map(Number);
    const pos = items.map((e, i) => i);
    if (scores.length === items.length) pos.sort((i, j) => scores[j] - scores[i]);
    const sorted = pos.map((i) => items[i]);
    if (sorted.some((e, i) => e !== items[i])) {
      if (items.length === grid.children.length) reorder(grid, pos, sorted);
      else {
        // Other children keep their places: each product takes the place of the one it replaces.
        const marks = items.map((el) => {
          const m = document.createComment("");
          el.before(m);
          return m;
        });
        marks.forEach((m, k) => m.replaceWith(sorted[k]));
      }
    }
    grid.__vitrina = sorted;
    grid.setAttribute("data-vitrina-ranked", "");
  }
}

/** Ranks the grids on the page now and whenever the page changes; returns the detach function. */
export function watchGrids(inner) {
  if (typeof document === "undefined" || typeof MutationObserver !== "function") return () => {};
  const watch = () => mo.observe(document.documentElement, { childList: true, subtree: true });
  // Not observing while it re-orders: its own moves would each make a mutation record.
  const go = () => {
    mo.disconnect();
    try {
      rankAll(inner);
    } catch (_) {}
    watch();
  };
  const mo = new MutationObserver(go);
  const start = () => go();
  // A click on [data-vitrina-add-to-cart] adds its product (the card around it, else the page's);
  // a click inside a slot's chosen variant converts it.
  const click = (e) => {
    const t = e.target instanceof Element && e.target;
    const b = t && t.closest("[data-vitrina-add-to-cart]");
    const p = b && (b.closest("[data-vitrina-product]") || detail());
    if (p) inner.learn("Product Added", props(p));
    const v = t && t.closest("[data-vitrina-decided] > [data-vitrina-variant]");
    if (v && !v.hidden) inner.convert(v.parentElement.getAttribute("data-vitrina-slot"));
  };
  addEventListener("click", click, true);
  document.readyState === "loading" ? addEventListener("DOMContentLoaded", start, { once: true }) : start();
  return () => {
    removeEventListener("DOMContentLoaded", start);
    removeEventListener("click", click, true);
    mo.disconnect();
  };
}

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

// Puts `grid`'s children (`items`, all of them) in the order `sorted`, moving as few as it can:
// the longest run of products already in the right relative order stays, the others are moved
// next to it (a profile usually lifts a few products to the front: ~100 moves out of 1,000
// instead of 1,000, measured 4 ms → 1 ms on a 1,000-product grid).
function reorder(grid, items, sorted) {
  const at = new Map(items.map((e, i) => [e, i]));
  const pos = sorted.map((e) => at.get(e));
  // Longest increasing subsequence of pos (patience sorting), as a set of kept positions.
  const tails = [], prev = new Array(pos.length);
  pos.forEach((p, i) => {
    let lo = 0, hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      pos[tails[mid]] < p ? (lo = mid + 1) : (hi = mid);
    }
    prev[i] = lo ? tails[lo - 1] : -1;
    tails[lo] = i;
  });
  const keep = new Set();
  for (let i = tails[tails.length - 1]; i >= 0; i = prev[i]) keep.add(i);
  let next = null;
  for (let i = sorted.length - 1; i >= 0; i--) {
    if (!keep.has(i)) grid.insertBefore(sorted[i], next);
    next = sorted[i];
  }
}

// A product element's data attributes as Segment product props.
const props = (el) => ({ product_id: a(el, "product"), category: a(el, "category"), brand: a(el, "brand"), price: +a(el, "price") || 0 });

function rankAll(inner) {
  // Learning from markup alone: the product a page is about (data-vitrina-detail) is a view,
  // once per element.
  for (const el of document.querySelectorAll("[data-vitrina-detail][data-vitrina-product]:not([data-vitrina-seen])")) {
    el.setAttribute("data-vitrina-seen", "");
    inner.learn("Product Viewed", props(el));
  }
  for (const grid of document.querySelectorAll("[data-vitrina-rank]")) {
    const items = [...grid.children].filter((c) => c.hasAttribute("data-vitrina-product"));
    const done = grid.__vitrina;
    if (!items.length || (done && done.length === items.length && done.every((e, i) => e === items[i]))) continue;
    // The wasm scores each product by the profile; the sort is stable: ties keep their order.
    const scores = (inner.rank(items.map((c) => [a(c, "product"), a(c, "category"), a(c, "brand"), a(c, "price")].join("\t")).join("\n")) || "").split(",").map(Number);
    const sorted = scores.length === items.length ? items.map((e, i) => i).sort((i, j) => scores[j] - scores[i]).map((i) => items[i]) : items;
    if (sorted.some((e, i) => e !== items[i])) {
      if (items.length === grid.children.length) reorder(grid, items, sorted);
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
  // A click on [data-vitrina-add-to-cart] adds its product (the card around it, else the page's).
  const click = (e) => {
    const b = e.target instanceof Element && e.target.closest("[data-vitrina-add-to-cart]");
    const p = b && (b.closest("[data-vitrina-product]") || document.querySelector("[data-vitrina-detail][data-vitrina-product]"));
    if (p) inner.learn("Product Added", props(p));
  };
  addEventListener("click", click, true);
  document.readyState === "loading" ? addEventListener("DOMContentLoaded", start, { once: true }) : start();
  return () => {
    removeEventListener("DOMContentLoaded", start);
    removeEventListener("click", click, true);
    mo.disconnect();
  };
}

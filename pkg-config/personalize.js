// Product grids re-ordered by the on-device profile: every [data-vitrina-rank] container's
// product children ([data-vitrina-product], with -category, -brand and -price) are put in the
// order of the scores the wasm gives them, best first (ties keep the shop's order); non-product children keep
// their places. It runs when the SDK starts and, through a MutationObserver, in the same task as
// the shop renders a grid (before the browser paints it: nothing jumps). A grid is marked
// data-vitrina-ranked once ordered, so a shop can keep it hidden until then.
const a = (el, k) => (el.getAttribute("data-vitrina-" + k) || "").replace(/[\t\n]/g, " ");

function rankAll(inner) {
  for (const grid of document.querySelectorAll("[data-vitrina-rank]")) {
    const items = [...grid.children].filter((c) => c.hasAttribute("data-vitrina-product"));
    const done = grid.__vitrina;
    if (!items.length || (done && done.length === items.length && done.every((e, i) => e === items[i]))) continue;
    // The wasm scores each product by the profile; the sort is stable: ties keep their order.
    const scores = (inner.rank(items.map((c) => [a(c, "product"), a(c, "category"), a(c, "brand"), a(c, "price")].join("\t")).join("\n")) || "").split(",").map(Number);
    const sorted = scores.length === items.length ? items.map((e, i) => i).sort((i, j) => scores[j] - scores[i]).map((i) => items[i]) : items;
    // Each product goes to the place of the one it replaces (a marker holds the place).
    const marks = items.map((el) => {
      const m = document.createComment("");
      el.before(m);
      return m;
    });
    marks.forEach((m, k) => m.replaceWith(sorted[k]));
    grid.__vitrina = sorted;
    grid.setAttribute("data-vitrina-ranked", "");
  }
}

/** Ranks the grids on the page now and whenever the page changes; returns the detach function. */
export function watchGrids(inner) {
  if (typeof document === "undefined" || typeof MutationObserver !== "function") return () => {};
  const go = () => {
    try {
      rankAll(inner);
    } catch (_) {}
  };
  const mo = new MutationObserver(go);
  const start = () => {
    go();
    mo.observe(document.documentElement, { childList: true, subtree: true });
  };
  document.readyState === "loading" ? addEventListener("DOMContentLoaded", start, { once: true }) : start();
  return () => {
    removeEventListener("DOMContentLoaded", start);
    mo.disconnect();
  };
}

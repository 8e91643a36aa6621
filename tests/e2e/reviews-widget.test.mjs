// The reviews widget in Chromium against the real collector (--auto-approve): keyboard-only
// submission, labels and announced errors, pagination, schema.org JSON-LD, and an XSS corpus of
// stored reviews that must render as inert text.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { useCollectorAndBrowser, eventually, sdkReady, XSS } from "./harness.mjs";

const env = useCollectorAndBrowser({ before, after }, ["--auto-approve"]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const PAGE = (product, lang = "es") => `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Zapatilla Zap</title>
<script>window.vitrina=window.vitrina||[];vitrina.push(["init",{endpoint:location.origin,friction:false}]);</script>
<script async src="/pkg/script/vitrina.js"></script></head><body>
<div data-vitrina-reviews="${product}" data-vitrina-name="Zapatilla Zap &lt;b&gt;"></div></body></html>`;

async function widgetPage(product, lang) {
  const context = await env.browser.newContext();
  await context.route(/\/rw\/.*/, (route) => route.fulfill({ status: 200, contentType: "text/html", body: PAGE(product, lang) }));
  const page = await context.newPage();
  await page.goto(`${env.collector.url}/rw/${product}.html`);
  await sdkReady(page);
  await page.waitForFunction(() => document.querySelector("[data-vitrina-reviews]").shadowRoot?.querySelector("form"));
  return { context, page };
}

const inShadow = (page, fn, arg) => page.evaluate(([src, a]) => new Function("root", "arg", `return (${src})(root, arg)`)(document.querySelector("[data-vitrina-reviews]").shadowRoot, a), [fn.toString(), arg]);
const focused = (page) => inShadow(page, (root) => root.activeElement && (root.activeElement.id || root.activeElement.textContent));

let seq = 0;
async function storeReviews(product, list) {
  const events = list.map((r) => ({ id: `rev-${product}-${seq++}`.replace(/[^A-Za-z0-9_-]/g, "_"), type: "review", sid: "session-0001", path: "/p", offset_ms: 0, props: { product_id: product, ...r } }));
  const res = await fetch(`${env.collector.url}/v1/batch`, { method: "POST", body: JSON.stringify({ v: 1, sdk: "test", site: "", sent_at: Date.now(), events }) });
  assert.equal(res.status, 200, await res.text());
}

test("keyboard only: rating with the arrow keys, fields in order, Enter submits, the review is listed", async () => {
  const { context, page } = await widgetPage("kb-1");
  const order = [];
  await page.keyboard.press("Tab");
  order.push(await focused(page));
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight"); // 1 → 4 stars
  await page.keyboard.press("Tab");
  order.push(await focused(page));
  await page.keyboard.type("Cómodas");
  await page.keyboard.press("Tab");
  order.push(await focused(page));
  await page.keyboard.type("Muy cómodas para correr cada día.");
  await page.keyboard.press("Tab");
  order.push(await focused(page));
  await page.keyboard.press("Space"); // "Sí"
  await page.keyboard.press("Tab");
  order.push(await focused(page));
  await page.keyboard.type("Ana");
  await page.keyboard.press("Tab");
  order.push(await focused(page));
  assert.deepEqual(order, ["v-rating1", "v-title", "v-body", "v-recommendyes", "v-nickname", "Enviar opinión"], "logical focus order; the honeypot is skipped");
  await sleep(3000); // the anti-spam rule: at least 3 s between showing the form and sending it
  await page.keyboard.press("Enter");
  const status = await eventually(() => inShadow(page, (root) => { const s = root.querySelector("[role=status]").textContent; return s.startsWith("¡Gracias") ? s : null; }), 5000);
  assert.equal(status, "¡Gracias! Tu opinión se publicará cuando la revisemos.");
  const listed = await (await fetch(`${env.collector.url}/v1/reviews?product=kb-1`)).json();
  assert.equal(listed.count, 1);
  assert.deepEqual([listed.reviews[0].rating, listed.reviews[0].title, listed.reviews[0].recommend, listed.reviews[0].nickname], [4, "Cómodas", true, "Ana"]);
  await page.reload();
  await sdkReady(page);
  const shown = await eventually(() => inShadow(page, (root) => root.querySelector("li h3")?.textContent), 5000);
  assert.equal(shown, "Cómodas", "the widget lists it");
  await context.close();
});

test("every field is labelled, errors are shown next to their field, announced, and focus goes to the first", async () => {
  const { context, page } = await widgetPage("a11y-1", "en");
  const unlabelled = await inShadow(page, (root) => [...root.querySelectorAll("input,textarea")].filter((c) => c.name !== "website" && c.labels.length === 0).map((c) => c.name));
  assert.deepEqual(unlabelled, []);
  const group = await inShadow(page, (root) => { const f = root.querySelector("input[name=rating]").closest("fieldset"); return f.querySelector("legend").textContent; });
  assert.equal(group, "Your rating", "the rating is a radio group with a legend");
  await sleep(3000);
  await inShadow(page, (root) => { root.querySelector("textarea").value = "too short"; root.querySelector("button[type=submit]").click(); });
  const state = await eventually(() => inShadow(page, (root) => {
    const rating = root.querySelector("#v-e-rating").textContent;
    if (!rating) return null;
    const fs = root.querySelector("input[name=rating]").closest("fieldset");
    return {
      rating, body: root.querySelector("#v-e-body").textContent,
      invalid: [fs.getAttribute("aria-invalid"), root.querySelector("textarea").getAttribute("aria-invalid")],
      describedby: root.querySelector("textarea").getAttribute("aria-describedby"),
      live: root.querySelector("#v-e-body").getAttribute("aria-live"),
      focus: root.activeElement && root.activeElement.id,
      status: root.querySelector("[role=status]").textContent,
    };
  }), 5000);
  assert.deepEqual(state, {
    rating: "Choose a rating from 1 to 5 stars.", body: "Write at least 20 characters, or leave the review empty.",
    invalid: ["true", "true"], describedby: "v-e-body", live: "polite", focus: "v-rating1", status: "Please check the marked fields.",
  });
  await context.close();
});


test(`an XSS corpus of ${XSS.length} stored reviews renders as inert text, across pages, and in the JSON-LD`, async () => {
  assert.ok(XSS.length >= 30);
  await storeReviews("xss-1", XSS.map((p, i) => ({
    rating: (i % 5) + 1, title: p.slice(0, 120), body: (p + " — texto de relleno suficiente").slice(0, 5000), nickname: p.length <= 40 && p.length >= 2 ? p : "ana",
  })));
  const { context, page } = await widgetPage("xss-1");
  const seen = [];
  const pages = Math.ceil(XSS.length / 5);
  for (let n = 0; n < pages; n++) {
    const items = await eventually(() => inShadow(page, (root, n) => {
      const pos = root.querySelector("nav span")?.textContent || "";
      if (!pos.includes(`Página ${n + 1} de`)) return null;
      return [...root.querySelectorAll("li")].map((li) => ({ title: li.querySelector("h3")?.textContent, tags: [...li.querySelectorAll("*")].map((e) => e.localName) }));
    }, n), 5000);
    assert.ok(items && items.length > 0, `page ${n + 1} drawn`);
    for (const it of items) {
      seen.push(it.title);
      assert.ok(it.tags.every((t) => t === "p" || t === "h3"), `only text elements: ${it.tags}`);
    }
    if (n + 1 < pages) await inShadow(page, (root) => [...root.querySelectorAll("nav button")].find((b) => b.textContent === "Siguientes").click());
  }
  assert.deepEqual(new Set(seen), new Set(XSS.map((p) => p.slice(0, 120))), "every payload shown, literally");
  await sleep(500);
  assert.equal(await page.evaluate(() => window.__xss), undefined, "no payload ran");
  const ld = await page.evaluate(() => document.querySelector('script[type="application/ld+json"]').textContent);
  assert.ok(!ld.toLowerCase().includes("</script") && !ld.includes("<"), "no raw < in the JSON-LD");
  const data = JSON.parse(ld);
  assert.equal(data["@type"], "Product");
  assert.equal(data.name, "Zapatilla Zap <b>");
  assert.equal(data.aggregateRating.reviewCount, XSS.length);
  assert.equal(data.review.length, 5);
  assert.ok(XSS.includes(data.review[0].name) || XSS.map((p) => p.slice(0, 120)).includes(data.review[0].name));
  await context.close();
});

test("the summary shows the average and the histogram; JSON-LD carries the aggregate", async () => {
  await storeReviews("agg-1", [5, 5, 4, 2].map((rating) => ({ rating })));
  const { context, page } = await widgetPage("agg-1", "en");
  const s = await eventually(() => inShadow(page, (root) => {
    const p = root.querySelector("section p")?.textContent;
    return p && p.includes("reviews") ? { p, bars: [...root.querySelectorAll(".bar")].map((b) => b.lastChild.textContent) } : null;
  }), 5000);
  assert.deepEqual(s, { p: "4 out of 5 · 4 reviews", bars: ["2", "1", "0", "1", "0"] });
  const data = JSON.parse(await page.evaluate(() => document.querySelector('script[data-vitrina-ld="agg-1"]').textContent));
  assert.deepEqual([data.aggregateRating.ratingValue, data.aggregateRating.reviewCount], [4, 4]);
  await context.close();
});

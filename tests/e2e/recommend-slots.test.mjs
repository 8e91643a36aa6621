// Recommendations and content slots in the demo shop, in Chromium against the real collector:
// the product page's [data-vitrina-recommend] list is scored on the device from the inline feed
// (taste, similarity, co-views), rendered safely, and the home hero ([data-vitrina-slot]) shows
// one variant per session, by rule or by the bandit, counted only as slot events.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { useCollectorAndBrowser, eventually, sdkReady, XSS } from "./harness.mjs";

const env = useCollectorAndBrowser({ before, after });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function recs(page, id) {
  await page.goto(`${env.collector.url}/product.html?id=${id}`);
  await sdkReady(page);
  await page.waitForSelector('[data-testid="recommendations"] > li[data-vitrina-product]');
  return page.evaluate(() => [...document.querySelectorAll('[data-testid="recommendations"] > li')].map((li) => ({
    id: li.dataset.vitrinaProduct,
    title: li.querySelector('[data-vitrina-field="title"]').textContent,
    href: li.querySelector("a").getAttribute("href"),
    price: li.querySelector('[data-vitrina-field="price_text"]').textContent,
  })));
}

test("the product page recommends by similarity and taste, and products viewed together move up", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const first = await recs(page, "zap-runner-01");
  // This page's own view is the whole profile: the Norte court shoe shares the category and the
  // price band (2 + ½ + affinity), the other two sneakers the category, then the Kaleo tee (same
  // brand) before the Kaleo socks (tie: catalog order).
  assert.deepEqual(first.map((r) => r.id), ["zap-court-02", "zap-trail-03", "zap-urban-04", "cam-tech-03"]);
  assert.ok(first.every((r) => r.id !== "zap-runner-01"), "never the product being viewed");
  assert.match(first[0].href, /\/product\.html\?id=zap-court-02$/);
  assert.equal(first[0].title, "Zapatilla Court Clásica", "the title from the feed (in the page's language)");
  assert.match(first[0].price, /64,90/);

  // The bag and the running shoe, viewed one after the other three times: co-viewed.
  for (const id of ["acc-bag-02", "zap-runner-01", "acc-bag-02", "zap-runner-01", "acc-bag-02"]) await recs(page, id);
  const after = await recs(page, "zap-runner-01");
  assert.equal(after[0].id, "acc-bag-02", `co-viewed first: ${after.map((r) => r.id)}`);

  // The API: limit, exclude, another context; the answer is copies of the feed's items.
  const api = await page.evaluate(() => window.vitrina.recommend({ limit: 2, exclude: ["acc-bum-04"], context_product: "acc-cap-01" }));
  assert.equal(api.length, 2);
  assert.ok(api.every((r) => r.id !== "acc-cap-01" && r.id !== "acc-bum-04" && typeof r.title === "string" && typeof r.price === "number"));
  assert.equal(api[0].id, "acc-bag-02", "the accessory the shopper looked at most");
  await context.close();
});

test("with personalization refused nothing is recommended, and a hostile feed renders as inert text", async () => {
  const context = await env.browser.newContext();
  const feed = XSS.slice(0, 12).map((x, i) => ({ id: `x${i}`, title: x, url: i % 2 ? "javascript:window.__xss=1" : x, image: "javascript:window.__xss=2", categories: ["c"], brand: x, price: i }));
  const html = `<!doctype html><html lang="es"><head><meta charset="utf-8">
<script>window.vitrina=window.vitrina||[];vitrina.push(["init",{endpoint:location.origin,friction:false}]);</script>
<script async src="/pkg/script/vitrina.js"></script></head><body>
<script type="application/json" data-vitrina-catalog>${JSON.stringify(feed).replace(/</g, "\\u003c")}</script>
<div id="recs" data-vitrina-recommend data-vitrina-limit="12"></div></body></html>`;
  await context.route(/\/rx\/.*/, (route) => route.fulfill({ status: 200, contentType: "text/html", body: html }));
  const page = await context.newPage();
  await page.goto(`${env.collector.url}/rx/feed`);
  await sdkReady(page);
  await page.waitForSelector("#recs > a");
  const got = await page.evaluate(() => ({
    n: document.querySelectorAll("#recs > a").length,
    hrefs: [...document.querySelectorAll("#recs a")].map((a) => a.getAttribute("href")),
    srcs: [...document.querySelectorAll("#recs img")].map((i) => i.getAttribute("src")),
    texts: [...document.querySelectorAll("#recs span")].map((s) => s.textContent),
    elements: document.querySelectorAll("#recs script, #recs iframe, #recs svg, #recs [onerror], #recs [onload]").length,
  }));
  await sleep(300);
  assert.equal(got.n, 12);
  assert.ok(got.hrefs.every((h) => h === null || /^https?:/.test(h)), `only http(s) links: ${got.hrefs}`);
  assert.ok(got.srcs.every((s) => s === null), "no javascript: images");
  assert.deepEqual(got.texts.sort(), XSS.slice(0, 12).sort(), "titles shown literally");
  assert.equal(got.elements, 0, "no markup from the feed");
  assert.equal(await page.evaluate(() => window.__xss), undefined, "nothing ran");

  await page.evaluate(() => window.vitrina.setConsent({ personalization: false }));
  assert.deepEqual(await page.evaluate(() => window.vitrina.recommend({ limit: 3 })), [], "refused: none");
  await context.close();
});

const shown = (page) => page.evaluate(() => {
  const slot = document.querySelector('[data-vitrina-slot="hero"]');
  return {
    decided: slot.getAttribute("data-vitrina-decided"),
    visible: [...slot.children].filter((v) => !v.hidden).map((v) => v.dataset.vitrinaVariant),
    api: window.vitrina.decide("hero"),
  };
});

async function home(page) {
  await page.goto(`${env.collector.url}/`);
  await sdkReady(page);
  await page.waitForSelector("[data-vitrina-decided]");
  return shown(page);
}

test("the hero slot shows one variant for the whole session, counts it once, and a click converts it", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const a = await home(page);
  assert.ok(["spring", "tees"].includes(a.decided), `a campaign variant (the cart rule does not hold): ${a.decided}`);
  assert.deepEqual(a.visible, [a.decided], "exactly that variant is visible");
  assert.equal(a.api, a.decided, "decide('hero') answers the same");
  for (let i = 0; i < 3; i++) assert.equal((await home(page)).decided, a.decided, "the same on every page of the session");

  // A click inside the visible variant converts it (its link goes to a category page).
  await page.locator(`[data-vitrina-variant="${a.decided}"] a.btn-primary`).click();
  await page.waitForURL(/category\.html/);
  await sdkReady(page);
  await page.evaluate(() => window.vitrina.flush());
  const events = await eventually(async () => {
    const ev = await env.collector.events("slot");
    return ev.some((e) => e.props && e.props.converted === 1) ? ev : null;
  }, 5000);
  assert.ok(events, "a conversion arrived");
  const mine = events.filter((e) => e.sid === events.find((x) => x.props.converted === 1).sid);
  assert.deepEqual(mine.map((e) => e.props).sort((x, y) => ("shown" in y) - ("shown" in x)), [
    { slot: "hero", variant: a.decided, by: "bandit", shown: 1 },
    { slot: "hero", variant: a.decided, converted: 1 },
  ], "one shown and one conversion: counts only");
  const stored = await page.evaluate(() => localStorage.getItem("vitrina.profile"));
  assert.ok(stored.includes(`a\thero\t${a.decided}\t1\t1\t3\n`), `the bandit learned it: ${stored}`);

  // Over 60 € in the cart: the next session (a new tab) shows the free-shipping variant by rule.
  await page.goto(`${env.collector.url}/product.html?id=zap-runner-01`);
  await sdkReady(page);
  await page.locator('[data-testid="add-to-cart"]').click();
  await sleep(200);
  const tab = await context.newPage();
  const b = await home(tab);
  assert.equal(b.decided, "free-shipping");
  assert.deepEqual(b.visible, ["free-shipping"]);
  await context.close();
});

test("with personalization refused the hero keeps the shop's default and nothing is counted", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.collector.url}/`);
  await sdkReady(page);
  await page.evaluate(() => window.vitrina.setConsent({ personalization: false }));
  // (this first page decided before the refusal: wait until its count is in)
  await page.evaluate(() => (window.vitrina.track("probe-0"), window.vitrina.flush()));
  await eventually(async () => (await env.collector.events("track")).some((e) => e.name === "probe-0"), 5000);
  const before = (await env.collector.events("slot")).length;
  for (let i = 0; i < 3; i++) {
    const s = await home(page);
    assert.equal(s.decided, "spring", "the first variant without a rule");
    assert.deepEqual(s.visible, ["spring"]);
  }
  await page.evaluate(() => window.vitrina.track("probe"));
  await page.evaluate(() => window.vitrina.flush());
  await eventually(async () => (await env.collector.events("track")).some((e) => e.name === "probe"), 5000);
  const after = await env.collector.events("slot");
  assert.equal(after.length, before, `no slot events: ${JSON.stringify(after.slice(before))}`);
  assert.equal(await page.evaluate(() => localStorage.getItem("vitrina.profile")), null, "nothing stored");
  await context.close();
});

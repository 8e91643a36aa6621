// On-device personalization in the demo shop: product views teach the profile, the home grid
// ([data-vitrina-rank]) comes out in the shopper's order, no request ever carries the profile,
// and refusing the purpose forgets it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { useCollectorAndBrowser, eventually, sdkReady } from "./harness.mjs";

const env = useCollectorAndBrowser({ before, after });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The home grid's categories in the order shown, once the grid is ranked. */
async function homeGrid(page) {
  await page.goto(`${env.collector.url}/`);
  await sdkReady(page);
  await page.waitForSelector('#product-grid[data-vitrina-ranked] [data-vitrina-product]');
  return page.evaluate(() => [...document.querySelectorAll("#product-grid > [data-vitrina-product]")].map((c) => c.dataset.vitrinaCategory));
}

async function view(page, id) {
  await page.goto(`${env.collector.url}/product.html?id=${id}`);
  await sdkReady(page);
  await page.waitForSelector('[data-testid="add-to-cart"]');
}

test("viewing three accessories puts accessories first on the home grid; nothing of the profile is ever sent", async () => {
  const context = await env.browser.newContext();
  const bodies = [];
  context.on("request", (r) => { if (r.url().includes("/v1/")) bodies.push(r.url() + " " + (r.postData() || "")); });
  const page = await context.newPage();
  const before = await homeGrid(page);
  assert.deepEqual(before.slice(0, 4), ["sneakers", "sneakers", "sneakers", "sneakers"], "the catalog's own order first");

  for (const id of ["acc-cap-01", "acc-bag-02", "acc-socks-03"]) await view(page, id);
  const after = await homeGrid(page);
  assert.deepEqual(after.slice(0, 4), ["accessories", "accessories", "accessories", "accessories"], `accessories first: ${after}`);
  assert.equal(after.length, before.length, "every product is still there");
  const ids = await page.evaluate(() => [...document.querySelectorAll("#product-grid > [data-vitrina-product]")].map((c) => c.dataset.vitrinaProduct));
  // category 3 each; brand 1 each (the bum bag shares the bag's brand); price band ½ × views in
  // the band: cap and socks (0–25, two views) 5, bag (50–100) 4.5, bum bag (25–50) 4
  assert.deepEqual(ids.slice(0, 4), ["acc-cap-01", "acc-socks-03", "acc-bag-02", "acc-bum-04"], "ordered by score, ties in page order");

  // Adding two t-shirts to the cart (3 each) outweighs three views (1 each).
  for (const id of ["cam-basic-01", "cam-logo-02"]) {
    await view(page, id);
    await page.locator('[data-testid="add-to-cart"]').click();
    await sleep(200);
  }
  const later = await homeGrid(page);
  assert.equal(later[0], "tshirts", `t-shirts first now: ${later}`);

  const profile = await page.evaluate(() => window.vitrina.profile());
  assert.deepEqual(profile.categories.map((c) => c.key).sort(), ["accessories", "tshirts"]);
  assert.deepEqual(profile.recently_viewed.slice(0, 2), ["cam-logo-02", "cam-basic-01"]);
  assert.deepEqual(profile.cart.map((c) => c.product_id).sort(), ["cam-basic-01", "cam-logo-02"]);
  assert.ok(await page.evaluate(() => localStorage.getItem("vitrina.profile")?.startsWith("vitrina-profile 1")), "kept in localStorage");

  await page.evaluate(() => window.vitrina.flush());
  await sleep(500);
  await page.close({ runBeforeUnload: true });
  await eventually(async () => (await env.collector.events("track")).length >= 7);
  assert.ok(bodies.length >= 5, `requests seen: ${bodies.length}`);
  for (const b of bodies) {
    for (const needle of ["vitrina-profile", "recently_viewed", "price_bands", "\"score\""]) assert.ok(!b.includes(needle), `profile data in a request: ${needle} in ${b.slice(0, 300)}`);
  }
  await context.close();
});

test("view three shoe products and the home grid shows shoes first (after accessories led it)", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  // The catalog's own order starts with shoes; two accessory views take the lead from them first,
  // so that shoes first at the end is the profile's doing.
  for (const id of ["acc-cap-01", "acc-bag-02"]) await view(page, id);
  assert.deepEqual((await homeGrid(page)).slice(0, 4), ["accessories", "accessories", "accessories", "accessories"]);
  for (const id of ["zap-court-02", "zap-trail-03", "zap-urban-04"]) await view(page, id);
  const grid = await homeGrid(page);
  // the three shoes viewed (category 3 + their brand and band); the fourth, never viewed, scores
  // 4 and comes after the Norte cap (the brand of two viewed products)
  assert.deepEqual(grid.slice(0, 3), ["sneakers", "sneakers", "sneakers"], `shoes first: ${grid}`);
  await context.close();
});

test("with personalization refused the profile is forgotten and the grid keeps the shop's order; resetProfile empties it", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  for (const id of ["acc-cap-01", "acc-bag-02"]) await view(page, id);
  assert.equal((await homeGrid(page))[0], "accessories");

  await page.evaluate(() => window.vitrina.resetProfile());
  assert.deepEqual(await page.evaluate(() => window.vitrina.profile().categories), []);
  assert.equal(await page.evaluate(() => localStorage.getItem("vitrina.profile")), null, "reset removes it from storage");
  assert.equal((await homeGrid(page))[0], "sneakers", "reset: the shop's order again");

  await view(page, "acc-cap-01");
  await page.evaluate(() => window.vitrina.setConsent({ personalization: false }));
  assert.equal(await page.evaluate(() => localStorage.getItem("vitrina.profile")), null, "refused: removed");
  await view(page, "acc-bag-02");
  await view(page, "acc-socks-03");
  assert.equal(await page.evaluate(() => localStorage.getItem("vitrina.profile")), null, "refused: nothing stored");
  assert.deepEqual((await homeGrid(page)).slice(0, 4), ["sneakers", "sneakers", "sneakers", "sneakers"], "refused: the shop's order");
  assert.deepEqual(await page.evaluate(() => window.vitrina.profile().recently_viewed), []);
  await context.close();
});

test("a 300-product grid, with a banner among the products, comes out exactly in the profile's stable order", async () => {
  const context = await env.browser.newContext();
  const cards = (withBanner) => Array.from({ length: 300 }, (_, i) =>
    `${withBanner && i === 5 ? '<li id="banner">oferta</li>' : ""}<li data-vitrina-product="p${i}" data-vitrina-category="c${(i * 7) % 11}" data-vitrina-brand="b${(i * 3) % 5}" data-vitrina-price="${(i * 37) % 260}">${i}</li>`).join("");
  const html = `<!doctype html><html lang="es"><head><meta charset="utf-8">
<script>window.vitrina=window.vitrina||[];vitrina.push(["init",{endpoint:location.origin,friction:false}]);</script>
<script async src="/pkg/script/vitrina.js"></script></head><body><ul id="a" data-vitrina-rank="a"></ul><ul id="b" data-vitrina-rank="b"></ul></body></html>`;
  await context.route(/\/pz\/.*/, (route) => route.fulfill({ status: 200, contentType: "text/html", body: html }));
  const page = await context.newPage();
  await page.goto(`${env.collector.url}/pz/grid`);
  await sdkReady(page);
  await page.evaluate(() => {
    for (const [c, b, p] of [["c3", "b1", 30], ["c3", "b2", 120], ["c8", "b1", 10], ["c3", "b4", 240]]) window.vitrina.track("Product Viewed", { product_id: `x-${c}-${b}`, category: c, brand: b, price: p });
  });
  await page.evaluate(([a, b]) => { document.getElementById("a").innerHTML = a; document.getElementById("b").innerHTML = b; }, [cards(false), cards(true)]);
  await page.waitForSelector("#a[data-vitrina-ranked]");
  const { got, profile, banner } = await page.evaluate(() => ({
    got: ["a", "b"].map((id) => [...document.querySelectorAll(`#${id} > [data-vitrina-product]`)].map((c) => c.dataset.vitrinaProduct)),
    profile: window.vitrina.profile(),
    banner: [...document.getElementById("b").children].indexOf(document.getElementById("banner")),
  }));
  const score = (i) => {
    const get = (list, k) => list.find((e) => e.key === k)?.score ?? 0;
    const price = (i * 37) % 260;
    const band = price <= 0 ? "" : price < 25 ? "0-25" : price < 50 ? "25-50" : price < 100 ? "50-100" : price < 200 ? "100-200" : "200+";
    return Math.round(1000 * (get(profile.categories, `c${(i * 7) % 11}`) + get(profile.brands, `b${(i * 3) % 5}`) + 0.5 * (band ? get(profile.price_bands, band) : 0)));
  };
  const want = Array.from({ length: 300 }, (_, i) => i).sort((x, y) => score(y) - score(x)).map((i) => `p${i}`);
  assert.notDeepEqual(want, Array.from({ length: 300 }, (_, i) => `p${i}`), "the profile changes the order");
  assert.deepEqual(got[0], want, "few moves, the exact stable order");
  assert.deepEqual(got[1], want, "the same order around a non-product child");
  assert.equal(banner, 5, "the banner keeps its place");
  await context.close();
});

test("markup alone teaches the profile: a data-vitrina-detail product is a view, data-vitrina-add-to-cart an add; nothing is sent for it", async () => {
  const context = await env.browser.newContext();
  const product = (id, cat, brand, price) => `<!doctype html><html lang="es"><head><meta charset="utf-8">
<script>window.vitrina=window.vitrina||[];vitrina.push(["init",{endpoint:location.origin,friction:false,auto_page_views:false}]);</script>
<script async src="/pkg/script/vitrina.js"></script></head><body>
<main data-vitrina-detail data-vitrina-product="${id}" data-vitrina-category="${cat}" data-vitrina-brand="${brand}" data-vitrina-price="${price}">
<h1>${id}</h1><button data-vitrina-add-to-cart>Añadir</button></main></body></html>`;
  await context.route(/\/md\/.*/, (route) => {
    const id = new URL(route.request().url()).pathname.split("/").pop();
    const [cat, brand, price] = id.startsWith("k") ? ["kitchen", "Olla", "35.5"] : ["garden", "Verde", "12"];
    route.fulfill({ status: 200, contentType: "text/html", body: product(id, cat, brand, price) });
  });
  const sent = [];
  context.on("request", (r) => { if (r.url().includes("/v1/batch")) sent.push(r.postData() || ""); });
  const page = await context.newPage();
  for (const id of ["k1", "g1", "k2"]) {
    await page.goto(`${env.collector.url}/md/${id}`);
    await sdkReady(page);
  }
  await page.locator("[data-vitrina-add-to-cart]").click();
  const p = await eventually(() => page.evaluate(() => {
    const v = window.vitrina.profile();
    return v && v.cart.length ? v : null;
  }), 3000);
  assert.ok(p, "the add to cart was learned");
  assert.deepEqual(p.recently_viewed, ["k2", "g1", "k1"]);
  assert.deepEqual(p.cart, [{ product_id: "k2", quantity: 1 }]);
  assert.equal(p.categories.find((c) => c.key === "kitchen").score, 5, "two views and an add");
  assert.equal(p.categories.find((c) => c.key === "garden").score, 1);
  assert.deepEqual(p.price_bands.map((b) => b.key).sort(), ["0-25", "25-50"]);
  await page.evaluate(() => window.vitrina.flush());
  await sleep(300);
  assert.equal(sent.filter((b) => b.includes("Product")).length, 0, "learning from markup sends nothing");
  await context.close();
});

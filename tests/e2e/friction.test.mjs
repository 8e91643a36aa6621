// End to end: a scripted shopper session in the demo shop, with real mouse and keyboard input in
// Chromium, produces every friction signal, and the findings land in the collector's database.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { useCollectorAndBrowser, eventually, sdkReady } from "./harness.mjs";

const env = useCollectorAndBrowser({ before, after });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test("a frustrated shopper's session: every friction signal reaches the collector", async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const base = env.collector.url;

  // Home: hunt up and down the grid with the mouse wheel.
  await page.goto(`${base}/?lang=es`);
  await sdkReady(page);
  await page.mouse.move(640, 400);
  for (const dy of [600, -400, 500, -500]) {
    await page.mouse.wheel(0, dy);
    await sleep(250);
  }

  // A category page left after 2 s for the page we came from: a quick back.
  await page.goto(`${base}/category.html?c=sneakers`);
  await sdkReady(page);
  await sleep(500);
  await page.goBack();
  await sdkReady(page);

  // Product page: the size guide does nothing (dead click), clicked in anger (rage click);
  // the quantity stepper clicked fast is not rage.
  await page.goto(`${base}/product.html?id=zap-runner-01`);
  await sdkReady(page);
  const guide = page.locator('[data-testid="size-guide"]');
  const box = await guide.boundingBox();
  for (let i = 0; i < 4; i++) await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  // Any DOM change within 2.5 s would make those clicks alive (SIGNALS.md): wait first.
  await sleep(2800);
  const plus = page.locator('[data-testid="qty-plus"]');
  for (let i = 0; i < 4; i++) await plus.click();
  await page.locator('[data-testid="add-to-cart"]').click();
  await sleep(300);

  // Cart: the coupon button throws (an error click and a JS error).
  await page.goto(`${base}/cart.html`);
  await sdkReady(page);
  await page.locator('[data-testid="coupon-input"]').fill("BLACKFRIDAY");
  await page.locator('[data-testid="coupon-apply"]').click();
  await sleep(200);

  // Checkout: fill email and phone, go back to email, then leave without ordering.
  await page.goto(`${base}/checkout.html`);
  await sdkReady(page);
  await page.locator('[data-testid="field-email"]').fill("ana.lopez@correo.es");
  await page.locator('[data-testid="field-phone"]').fill("+34 612 345 678");
  await page.locator('[data-testid="field-email"]').click();
  await page.locator('[data-testid="field-name"]').click();
  await page.goto(`${base}/cart.html`);
  await sdkReady(page);
  await page.close({ runBeforeUnload: true });
  await context.close();

  const wanted = ["scroll_hunt", "quick_back", "rage_click", "dead_click", "error_click", "js_error", "field_return", "form_abandon", "vital"];
  const events = await eventually(async () => {
    const evs = (await env.collector.events()).filter((e) => e.type === "friction");
    return wanted.every((w) => evs.some((e) => e.name === w)) ? evs : null;
  }, 15000);
  const names = (await env.collector.events()).filter((e) => e.type === "friction").map((e) => e.name);
  assert.ok(events, `missing: ${wanted.filter((w) => !names.includes(w))} (got ${[...new Set(names)]})`);
  const one = (name) => events.filter((e) => e.name === name);

  const rage = one("rage_click");
  assert.equal(rage.length, 1, "one rage click: the stepper is excluded");
  assert.equal(rage[0].path, "/product.html");
  assert.ok(rage[0].props.count >= 3);
  assert.match(rage[0].props.sel, /size-guide/);
  assert.ok(one("dead_click").some((e) => /size-guide/.test(e.props.sel)));
  assert.ok(!one("dead_click").some((e) => /qty-plus|add-to-cart/.test(e.props.sel)), "working buttons are alive");
  const ec = one("error_click")[0];
  assert.equal(ec.path, "/cart.html");
  assert.match(ec.props.sel, /coupon-apply/);
  assert.match(ec.props.message, /Coupon service unavailable/);
  const qb = one("quick_back")[0];
  assert.equal(qb.path, "/");
  assert.equal(qb.props.from, "/category.html");
  assert.ok(qb.props.dwell_ms < 10000);
  assert.equal(one("scroll_hunt")[0].path, "/");
  const fr = one("field_return")[0];
  assert.equal(fr.path, "/checkout.html");
  assert.equal(fr.props.form, "checkout");
  const fa = one("form_abandon")[0];
  assert.equal(fa.path, "/checkout.html");
  assert.equal(fa.props.form, "checkout");
  assert.ok(fa.props.fields >= 2);
  for (const v of one("vital")) assert.ok(["good", "needs-improvement", "poor"].includes(v.props.rating));

  // Nothing typed by the shopper reached the collector.
  const everything = JSON.stringify(await env.collector.events());
  for (const secret of ["ana.lopez", "correo.es", "612 345 678", "612345678", "BLACKFRIDAY"]) {
    assert.ok(!everything.includes(secret), `${secret} leaked`);
  }
  assert.equal(new Set(events.map((e) => e.id)).size, events.length, "each finding stored once");
});

test("the demo shop's slow banner makes a poor LCP on the home page", async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.goto(`${env.collector.url}/?lang=en&lcp-test=1`);
  await sdkReady(page);
  await page.waitForFunction(() => document.querySelector('[data-testid="slow-banner"]').complete, null, { timeout: 10000 });
  await page.close({ runBeforeUnload: true }); // hidden: LCP is final
  await context.close();
  const lcp = await eventually(async () => {
    const evs = await env.collector.events("friction");
    return evs.find((e) => e.name === "vital" && e.props.name === "LCP" && e.props.value >= 4500);
  });
  assert.ok(lcp, "an LCP of at least 4.5 s was recorded");
  assert.equal(lcp.props.rating, "poor");
  assert.equal(lcp.path, "/");
});

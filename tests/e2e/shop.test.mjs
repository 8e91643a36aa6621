// End to end: the demo shop in real Chromium, the SDK loaded by the script-tag snippet, the real
// collector and its SQLite database.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { useCollectorAndBrowser, eventually, sdkReady } from "./harness.mjs";

const env = useCollectorAndBrowser({ before, after });

test("browsing three pages, adding to cart and closing the page stores exactly the expected events, each once", async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));

  await page.goto(`${env.collector.url}/?lang=es`);
  await sdkReady(page);
  await page.locator('[data-testid="product-card"] a').first().click();
  await page.waitForURL(/product\.html/);
  await sdkReady(page);
  await page.locator('[data-testid="add-to-cart"]').click();
  await page.locator('[data-testid="cart-link"]').click();
  await page.waitForURL(/cart\.html/);
  await sdkReady(page);
  await page.close({ runBeforeUnload: true }); // pagehide: the rest leaves by sendBeacon
  await context.close();

  const summary = (evs) => evs.map((e) => `${e.type}:${e.name ?? ""}:${e.path}`).sort();
  const expected = [
    "page::/", "page::/product.html", "track:Product Viewed:/product.html",
    "track:Product Added:/product.html", "page::/cart.html",
    // the home hero is a content slot: its variant counted as shown, then converted by the add
    "slot::/", "slot::/product.html",
  ].sort();
  const got = await eventually(async () => {
    const evs = (await env.collector.events()).filter((e) => e.type !== "friction");
    return evs.length >= expected.length ? evs : null;
  });
  assert.ok(got, "the events reached the collector");
  // Give late duplicates (a fetch and a beacon carrying the same event) time to arrive.
  await new Promise((r) => setTimeout(r, 1500));
  const all = await env.collector.events();
  const events = all.filter((e) => e.type !== "friction");
  assert.deepEqual(summary(events), expected);
  const slots = events.filter((e) => e.type === "slot").map((e) => Object.keys(e.props).sort().join(","));
  assert.deepEqual(slots.sort(), ["by,shown,slot,variant", "converted,slot,variant"], "counts only, nothing else");
  // Web vitals ride along as friction events: TTFB and FCP for each of the three pages.
  const vitals = all.filter((e) => e.type === "friction" && e.name === "vital");
  for (const path of ["/", "/product.html", "/cart.html"]) {
    const names = vitals.filter((v) => v.path === path).map((v) => v.props.name);
    assert.ok(names.includes("TTFB") && names.includes("FCP"), `${path}: ${names}`);
  }
  assert.equal(new Set(all.map((e) => e.id)).size, all.length, "friction events stored once too");
  assert.equal(new Set(events.map((e) => e.id)).size, events.length, "each event stored once");
  assert.equal(new Set(events.map((e) => e.sid)).size, 1, "one session across the three pages");
  const viewed = events.find((e) => e.name === "Product Viewed");
  assert.equal(viewed.props.currency, "EUR");
  assert.equal(typeof viewed.props.price, "number");
  assert.ok(events.every((e) => !e.path.includes("?")), "queries are stripped from paths");
  assert.deepEqual(errors, [], "no page errors");
});

test("the ES module build: init with a bad config throws a VitrinaError naming the field", async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.collector.url}/thanks.html`);
  const result = await page.evaluate(async () => {
    const m = await import("/pkg/web/vitrina.js");
    const before = (() => { try { m.init({ endpoint: location.origin }); return "no error"; } catch (e) { return `${e.name}|${e.field}`; } })();
    await m.load();
    const out = [];
    for (const cfg of [{ endpoint: "ftp://x" }, { endpoint: location.origin, flush_interval_ms: "soon" }, "nope", { endpoint: location.origin, flushIntervalMs: 1 }]) {
      try { m.init(cfg); out.push("no error"); } catch (e) { out.push({ isVitrinaError: e instanceof m.VitrinaError, isError: e instanceof Error, name: e.name, field: e.field, message: e.message }); }
    }
    return { before, out };
  });
  assert.equal(result.before, "VitrinaError|load");
  const [a, b, c, d] = result.out;
  assert.deepEqual(a, { isVitrinaError: true, isError: true, name: "VitrinaError", field: "endpoint", message: 'endpoint: expected an http(s) URL, got "ftp://x"' });
  assert.equal(b.field, "flush_interval_ms");
  assert.equal(b.message, 'flush_interval_ms: expected an integer from 100 to 600000, got "soon"');
  assert.equal(c.field, "config");
  assert.equal(d.field, "flushIntervalMs");
  await page.close();
});

test("no SDK call throws into the page, whatever the arguments", async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.collector.url}/thanks.html`);
  await sdkReady(page);
  const thrown = await page.evaluate(() => {
    const v = window.vitrina, bad = [undefined, null, 42, "", {}, [], () => 1, Symbol("s"), { toString() { throw new Error("x"); } }];
    let n = 0;
    for (const a of bad) for (const b of bad) {
      for (const call of [() => v.track(a, b), () => v.push(a), () => v.push([a, b]), () => v.page(a), () => v.flush(a)]) {
        try { call(); } catch (e) { n++; }
      }
    }
    return n;
  });
  assert.equal(thrown, 0);
  await page.close();
});

test("the snippet's queue: calls queued before and after init run in order once the SDK loads", async () => {
  const context = await env.browser.newContext();
  const queue = `[["track","Before Init"],["init",{endpoint:location.origin,friction:false,flush_interval_ms:200}],["track","First",{}],["page"],["track","Second"],["nonsense"],42,["track","Third"]]`;
  await context.route(/\/queue\/.*/, (route) => route.fulfill({ status: 200, contentType: "text/html",
    body: `<!doctype html><html><head><script>window.vitrina=${queue};</script><script async src="/pkg/script/vitrina.js"></script></head><body></body></html>` }));
  const page = await context.newPage();
  await page.goto(`${env.collector.url}/queue/a.html`);
  await sdkReady(page);
  const got = await eventually(async () => {
    const evs = (await env.collector.events()).filter((e) => e.path === "/queue/a.html");
    return evs.length >= 6 ? evs : null;
  });
  assert.deepEqual(got.map((e) => e.name ?? e.type), ["page", "Before Init", "First", "page", "Second", "Third"]);
  await context.close();
});

test("a queue without init starts nothing; a bad init is logged and a later good one starts the SDK", async () => {
  const context = await env.browser.newContext();
  await context.route(/\/noinit\/.*/, (route) => route.fulfill({ status: 200, contentType: "text/html",
    body: `<!doctype html><html><head><script>window.vitrina=[["track","Orphan"],["init",{endpoint:"ftp://x"}]];</script><script async src="/pkg/script/vitrina.js"></script></head><body></body></html>` }));
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  let batches = 0;
  page.on("request", (r) => { if (r.url().includes("/v1/batch")) batches++; });
  await page.goto(`${env.collector.url}/noinit/a.html`);
  await page.waitForFunction(() => window.vitrina && !Array.isArray(window.vitrina));
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(batches, 0, "nothing started");
  assert.ok(errors.some((e) => e.includes("vitrina: init failed")), `logged: ${errors}`);
  await page.evaluate(() => { window.vitrina.push(["init", { endpoint: location.origin, friction: false }]); window.vitrina.flush(); });
  const got = await eventually(async () => {
    const evs = (await env.collector.events()).filter((e) => e.path === "/noinit/a.html");
    return evs.length >= 2 ? evs : null;
  });
  assert.deepEqual(got.map((e) => e.name ?? e.type), ["page", "Orphan"], "the good init starts it and the queued call runs");
  await context.close();
});

test("a trap inside the SDK's callbacks switches it off with one warning; the page keeps working", async () => {
  const page = await env.browser.newPage();
  const warnings = [];
  page.on("console", (m) => { if (m.type() === "warning" && m.text().includes("vitrina")) warnings.push(m.text()); });
  let batches = 0;
  page.on("request", (r) => { if (r.url().includes("/v1/batch")) batches++; });
  await page.goto(`${env.collector.url}/thanks.html`);
  await sdkReady(page);
  await page.evaluate(() => window.vitrina.flush());
  await eventually(() => batches > 0, 5000);
  const result = await page.evaluate(async () => {
    const m = await import("/pkg/script/vitrina.esm.js"); // the same module instance the SDK runs in
    m.__trapForTests(); // the wasm traps inside a timer callback, as a bug would
    await new Promise((r) => setTimeout(r, 300));
    let thrown = 0;
    for (let i = 0; i < 30; i++) {
      try { window.vitrina.track("After Trap", { i }); window.vitrina.flush(); } catch (_) { thrown++; }
    }
    const shopStillWorks = [1, 2, 3].map((x) => x * 2).join(",");
    return { thrown, shopStillWorks };
  });
  const before = batches;
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(result.thrown, 0, "no call throws after the trap");
  assert.equal(result.shopStillWorks, "2,4,6");
  assert.equal(batches, before, "nothing more is sent once switched off");
  assert.deepEqual(warnings, ["vitrina: internal error; the SDK switched itself off (the shop is unaffected)"]);
  const after = (await env.collector.events("track")).filter((e) => e.name === "After Trap");
  assert.equal(after.length, 0);
  await page.close();
});

test("large batches travel gzipped (CompressionStream, ?gz=1) and the env.collector stores them", async () => {
  const page = await env.browser.newPage();
  const gz = [];
  page.on("response", (r) => { if (r.url().includes("/v1/batch?gz=1")) gz.push(r.status()); });
  await page.goto(`${env.collector.url}/thanks.html`);
  await sdkReady(page);
  await page.evaluate(() => {
    for (let i = 0; i < 19; i++) window.vitrina.track("Gzip Test", { i, description: "Zapatilla de running ligera con amortiguación reactiva y suela de goma" });
    window.vitrina.flush();
  });
  const stored = await eventually(async () => {
    const evs = (await env.collector.events("track")).filter((e) => e.name === "Gzip Test");
    return evs.length === 19 ? evs : null;
  });
  assert.ok(stored, "all 19 stored");
  assert.ok(gz.length >= 1 && gz.every((s) => s === 200), `gzipped requests answered 200: ${gz}`);
  await page.close();
});

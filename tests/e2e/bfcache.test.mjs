// The back/forward cache: a page with Vitrina can be kept in it (a page holding a Web Lock
// cannot, so the tab lock is let go at pagehide), and once restored it records the page view,
// holds its lock again and keeps delivering, each event once.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { startCollector, eventually, sdkReady, CHROMIUM_ARGS } from "./harness.mjs";

let collector, browser;
before(async () => {
  collector = await startCollector();
  // Playwright turns the back/forward cache off by default; this test needs it on.
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: ["--disable-back-forward-cache"],
  });
});
after(async () => {
  await browser?.close();
  await collector?.stop();
});

const PAGE = (title) => `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>${title}</title>
<script>addEventListener("pageshow", (e) => { if (e.persisted) window.__restored = (window.__restored || 0) + 1; });</script>
<script>window.vitrina=window.vitrina||[];vitrina.push(["init",{endpoint:location.origin,flush_interval_ms:200,friction:false}]);</script>
<script async src="/pkg/script/vitrina.js"></script></head><body><a id="next" href="/bf/b.html">next</a></body></html>`;

test("a page with Vitrina enters the back/forward cache and keeps working when restored", async () => {
  const context = await browser.newContext();
  await context.route(/\/bf\/.*\.html$/, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: PAGE(route.request().url().includes("/b.html") ? "b" : "a") }),
  );
  const page = await context.newPage();
  await page.goto(`${collector.url}/bf/a.html`);
  await sdkReady(page);
  const lockedBefore = await page.evaluate(async () => (await navigator.locks.query()).held.filter((l) => l.name.startsWith("vitrina.tab.")).length);
  assert.equal(lockedBefore, 1, "the page holds its tab lock while it lives");
  await page.evaluate(() => window.vitrina.track("Before Leaving", { n: 1 }));
  await page.click("#next");
  await page.waitForURL(/\/bf\/b\.html$/);
  await sdkReady(page);
  await page.goBack({ waitUntil: "commit" }); // a restore fires no load event
  await page.waitForURL(/\/bf\/a\.html$/, { waitUntil: "commit" });
  const restored = await eventually(() => page.evaluate(() => window.__restored || 0), 5000);
  const reasons = await page.evaluate(() => JSON.stringify(performance.getEntriesByType("navigation")[0]?.notRestoredReasons ?? null));
  assert.equal(restored, 1, `restored from the back/forward cache (not restored because: ${reasons})`);
  const lockedAfter = await eventually(() => page.evaluate(async () => (await navigator.locks.query()).held.filter((l) => l.name.startsWith("vitrina.tab.")).length), 3000);
  assert.equal(lockedAfter, 1, "the lock is held again");
  await page.evaluate(() => window.vitrina.track("After Restore", { n: 2 }));
  const evs = await eventually(async () => {
    const all = await collector.events();
    const names = all.map((e) => e.name ?? e.type + ":" + e.path);
    return names.includes("After Restore") && names.filter((n) => n === "page:/bf/a.html").length >= 2 ? all : null;
  }, 10000);
  assert.ok(evs, "the restored page records its page view and keeps delivering");
  const ids = evs.map((e) => e.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(evs.filter((e) => e.name === "Before Leaving").length, 1, "each event once");
  await context.close();
});

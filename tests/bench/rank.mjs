// Benchmark (not a test): main-thread time to re-rank a grid of 1,000 products by the on-device
// profile in headless Chromium (cross-origin isolated page: 5 µs timer resolution).
//
//   node tests/bench/rank.mjs [products] [rounds=100] (after scripts/build.sh and cargo build -p vitrina-collector)
//   VITRINA_PKG=dir node tests/bench/rank.mjs …     (the SDK from another build's pkg/script copy:
//                                                    run two builds in turns to compare them)
//
// Method: the profile learns from a few Product Viewed events; then, each round, a fresh grid of
// N product cards replaces the old one and the time until the SDK's MutationObserver has
// re-ordered it is taken (the observer runs in the same task, before paint). The same rounds
// after vitrina.shutdown() (observer gone) give the cost of the DOM replacement alone; the
// SDK's cost is the difference of the medians.
import { startCollector, launchBrowser } from "../e2e/harness.mjs";
import { startProfile, printProfile } from "./profile.mjs";

const N = Number(process.argv[2] || 1000);
const ROUNDS = Number(process.argv[3] || 100);
const collector = await startCollector();
const browser = await launchBrowser();
const page = await browser.newPage();
const html = `<!doctype html><html lang="es"><head><meta charset="utf-8">
<script>window.vitrina=window.vitrina||[];vitrina.push(["init",{endpoint:location.origin,flush_interval_ms:600000,friction:false}]);</script>
<script async src="/pkg/script/vitrina.js"></script></head><body><ul id="grid" data-vitrina-rank="bench"></ul></body></html>`;
await page.route(`${collector.url}/rank.html`, (route) =>
  route.fulfill({ status: 200, contentType: "text/html", body: html, headers: { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" } }),
);
if (process.env.VITRINA_PKG) {
  const { readFileSync } = await import("node:fs");
  await page.route(`${collector.url}/pkg/script/*`, (route) => {
    const file = new URL(route.request().url()).pathname.split("/").pop();
    const type = file.endsWith(".wasm") ? "application/wasm" : "text/javascript";
    route.fulfill({ status: 200, contentType: type, body: readFileSync(`${process.env.VITRINA_PKG}/${file}`), headers: { "Cross-Origin-Resource-Policy": "same-origin" } });
  });
}
await page.goto(`${collector.url}/rank.html`);
await page.waitForFunction(() => window.vitrina && !Array.isArray(window.vitrina));
await page.evaluate(() => {
  for (let i = 0; i < 5; i++) window.vitrina.track("Product Viewed", { product_id: `seen-${i}`, category: "c7", brand: "b3", price: 40 + i });
});

const measure = (n, rounds) =>
  page.evaluate(async ([n, rounds]) => {
    const grid = document.getElementById("grid");
    const times = [];
    let first = "";
    for (let r = 0; r < rounds; r++) {
      const frag = document.createDocumentFragment();
      for (let i = 0; i < n; i++) {
        const li = document.createElement("li");
        li.setAttribute("data-vitrina-product", `p${r}-${i}`);
        li.setAttribute("data-vitrina-category", `c${i % 10}`);
        li.setAttribute("data-vitrina-brand", `b${i % 7}`);
        li.setAttribute("data-vitrina-price", String(5 + (i % 300)));
        li.textContent = `Producto ${i}`;
        frag.append(li);
      }
      const t0 = performance.now();
      grid.replaceChildren(frag);
      await Promise.resolve(); // the mutation observer's microtask was queued first: it has run
      times.push(performance.now() - t0);
      first = grid.firstElementChild.getAttribute("data-vitrina-category");
    }
    return { times, first, isolated: crossOriginIsolated };
  }, [n, rounds]);

// The first ranking on the page: the SDK's code not yet optimized by V8 (an upper bound: it
// includes replacing the grid). Then 10 rounds of warm-up, so that the measured rounds are the
// steady state of a page that renders grids again and again (filters, pages, infinite scroll).
const cold = (await measure(N, 1)).times[0];
await measure(N, 10);
// PROFILE=1: where the time goes (V8 CPU profile of the measured rounds, self time by function).
const cdp = await startProfile(page);
const withSdk = await measure(N, ROUNDS);
await printProfile(cdp);
await page.evaluate(() => window.vitrina.shutdown());
const without = await measure(N, ROUNDS);
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const p95 = (a) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * 0.95))];
console.log(`crossOriginIsolated: ${withSdk.isolated}; ${N} products, ${ROUNDS} rounds`);
console.log(`first category with the SDK: ${withSdk.first} (the learned one is c7); without: ${without.first}`);
console.log(`replace + rank: median ${med(withSdk.times).toFixed(2)} ms, p95 ${p95(withSdk.times).toFixed(2)} ms`);
console.log(`the first ranking on the page (cold, incl. the replace): ${cold.toFixed(2)} ms`);
console.log(`replace alone:  median ${med(without.times).toFixed(2)} ms`);
console.log(`ranking ${N} products: ${(med(withSdk.times) - med(without.times)).toFixed(2)} ms of main thread (median)`);
await browser.close();
await collector.stop();

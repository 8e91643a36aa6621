// Benchmark (not a test): main-thread time of `vitrina.recommend()` over a 10,000-item catalog in
// headless Chromium (cross-origin isolated page: 5 µs timer resolution).
//
//   node tests/bench/recommend.mjs [items] [rounds]   (after scripts/build.sh and cargo build -p vitrina-collector)
//
// Method: the page carries the catalog as an inline <script type="application/json"
// data-vitrina-catalog>; the profile learns from a few Product Viewed events; one recommend()
// reads the feed (once per page, measured apart); then each round asks for 8 recommendations
// with another product as the context and takes the time until the promise resolves (the feed
// is in memory by then, so only microtasks run in between: it is all main-thread time).
import { startCollector, launchBrowser } from "../e2e/harness.mjs";
import { startProfile, printProfile } from "./profile.mjs";

const N = Number(process.argv[2] || 10000);
const ROUNDS = Number(process.argv[3] || 50);
const collector = await startCollector();
const browser = await launchBrowser();
const page = await browser.newPage();
const feed = Array.from({ length: N }, (_, i) => ({
  id: `p${i}`, title: `Producto ${i}`, url: `/p/${i}`, image: `/img/${i}.png`,
  categories: [`c${i % 40}`, `g${i % 7}`], brand: `b${i % 90}`, price: 5 + ((i * 37) % 400) + 0.95,
}));
const html = `<!doctype html><html lang="es"><head><meta charset="utf-8">
<script>window.vitrina=window.vitrina||[];vitrina.push(["init",{endpoint:location.origin,flush_interval_ms:600000,friction:false}]);</script>
<script async src="/pkg/script/vitrina.js"></script></head><body>
<script type="application/json" data-vitrina-catalog>${JSON.stringify(feed)}</script></body></html>`;
await page.route(`${collector.url}/recommend.html`, (route) =>
  route.fulfill({ status: 200, contentType: "text/html", body: html, headers: { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" } }),
);
await page.goto(`${collector.url}/recommend.html`);
await page.waitForFunction(() => window.vitrina && !Array.isArray(window.vitrina));
// PROFILE=1: where the time goes (V8 CPU profile of the measured rounds, self time by function).
const cdp = await startProfile(page);
const result = await page.evaluate(async ([n, rounds]) => {
  for (let i = 0; i < 30; i++) window.vitrina.track("Product Viewed", { product_id: `p${i * 13}`, category: `c${(i * 13) % 40}`, brand: `b${(i * 13) % 90}`, price: 50 });
  // The feed is read in a few tasks: the longest one is what a shopper could feel.
  const tasks = [];
  const po = new PerformanceObserver((l) => tasks.push(...l.getEntries().map((e) => e.duration)));
  po.observe({ type: "longtask" });
  let t0 = performance.now();
  await window.vitrina.recommend({ limit: 8 });
  const load = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 100));
  po.disconnect();
  const times = [];
  let sample = [];
  for (let r = 0; r < rounds; r++) {
    const context_product = `p${(r * 101) % n}`;
    t0 = performance.now();
    sample = await window.vitrina.recommend({ limit: 8, context_product });
    times.push(performance.now() - t0);
  }
  return { load, tasks, times, sample: sample.map((x) => x.id), isolated: crossOriginIsolated };
}, [N, ROUNDS]);
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const p95 = (a) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * 0.95))];
console.log(`crossOriginIsolated: ${result.isolated}; ${N} items, ${ROUNDS} rounds`);
console.log(`reading the feed (once per page): ${result.load.toFixed(2)} ms elapsed; tasks of 50 ms or more: ${result.tasks.length ? result.tasks.map((d) => d.toFixed(0) + " ms").join(", ") : "none"}`);
console.log(`last answer: ${result.sample.join(", ")}`);
console.log(`recommend 8 of ${N}: median ${med(result.times).toFixed(2)} ms, p95 ${p95(result.times).toFixed(2)} ms of main thread`);
await printProfile(cdp);
await browser.close();
await collector.stop();

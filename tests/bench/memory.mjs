// Benchmark (not a test): the wasm's memory after N events in headless Chromium.
//
//   node tests/bench/memory.mjs [events]   (after scripts/build.sh and cargo build -p vitrina-collector)
//
// A page tracks N events (with props like a shop's, in bursts, the collector receiving them),
// with the friction detectors fed by 2,000 clicks and scrolls; then it reads the size of the
// wasm's linear memory (which never shrinks: this is its peak) and the events stored.
import { startCollector, launchBrowser, eventually } from "../e2e/harness.mjs";

const N = Number(process.argv[2] || 10000);
const collector = await startCollector();
const browser = await launchBrowser();
const page = await browser.newPage();
const html = `<!doctype html><html lang="es"><head><meta charset="utf-8"></head><body>
<main>${Array.from({ length: 50 }, (_, i) => `<button class="b" id="b${i}">Producto ${i}</button>`).join("")}</main><div style="height:20000px"></div>
<script type="module">
import * as v from "/pkg/web/vitrina.js";
await v.load();
window.sdk = v.init({ endpoint: location.origin, flush_interval_ms: 500, max_batch_events: 100 });
window.mem = v.__memoryBytes;
</script></body></html>`;
await page.route(`${collector.url}/mem.html`, (route) => route.fulfill({ status: 200, contentType: "text/html", body: html }));
await page.goto(`${collector.url}/mem.html`);
await page.waitForFunction(() => window.sdk);
const start = await page.evaluate(() => window.mem());
for (let done = 0; done < N; done += 500) {
  await page.evaluate(([from, n]) => {
    const buttons = document.querySelectorAll("button.b");
    for (let i = from; i < from + n; i++) {
      window.sdk.track("Product Viewed", { product_id: `zap-${i % 300}`, category: ["sneakers", "tshirts", "accessories"][i % 3], brand: "Kaleo", price: 10 + (i % 90), name: `Producto número ${i}` });
      if (i % 5 === 0) buttons[i % buttons.length].dispatchEvent(new MouseEvent("click", { bubbles: true, clientX: 10, clientY: 10 }));
      if (i % 5 === 1) window.dispatchEvent(new Event("scroll"));
    }
  }, [done, Math.min(500, N - done)]);
  await new Promise((r) => setTimeout(r, 150));
}
await page.evaluate(() => window.sdk.flush());
const stored = await eventually(async () => {
  const n = (await collector.events("track")).length;
  return n >= N ? n : null;
}, 60000, 500);
const end = await page.evaluate(() => window.mem());
console.log(`wasm memory: ${(start / 1048576).toFixed(2)} MiB at start, ${(end / 1048576).toFixed(2)} MiB after ${N} events (${stored ?? "not all"} stored)`);
await browser.close();
await collector.stop();

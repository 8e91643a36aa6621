// Benchmark (not a test): main-thread time the SDK's browser edge spends per click and per
// scroll event in headless Chromium. The page is cross-origin isolated (COOP + COEP) so
// performance.now() has 5 µs resolution instead of 100 µs.
//
//   node tests/bench/edge.mjs        (after scripts/build.sh and cargo build -p vitrina-collector)
//
// Method: dispatch N events with the SDK running, then the same N after vitrina.shutdown()
// (no listeners left); the SDK's cost per event is the time with it minus the median without.
import { startCollector, launchBrowser } from "../e2e/harness.mjs";

const N = Number(process.argv[2] || 3000);
const collector = await startCollector();
const browser = await launchBrowser();
const page = await browser.newPage();
const html = `<!doctype html><html lang="es"><head><meta charset="utf-8">
<script>window.vitrina=window.vitrina||[];vitrina.push(["init",{endpoint:location.origin,flush_interval_ms:600000${process.env.NO_FRICTION ? ",friction:false" : ""}}]);</script>
<script async src="/pkg/script/vitrina.js"></script></head>
<body><main id="grid">${Array.from({ length: 200 }, (_, i) => `<article class="card"><h3>Producto ${i}</h3><button class="add" data-testid="add-${i}">Añadir al carrito</button></article>`).join("")}</main>
<div style="height:20000px"></div></body></html>`;
await page.route(`${collector.url}/bench.html`, (route) =>
  route.fulfill({ status: 200, contentType: "text/html", body: html, headers: { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" } }),
);
await page.goto(`${collector.url}/bench.html`);
await page.waitForFunction(() => window.vitrina && !Array.isArray(window.vitrina));

const measure = (n) =>
  page.evaluate((n) => {
    const buttons = document.querySelectorAll("button.add");
    const click = [], scroll = [];
    for (let i = 0; i < n; i++) {
      const b = buttons[i % buttons.length];
      const r = b.getBoundingClientRect();
      const ev = new MouseEvent("click", { bubbles: true, cancelable: true, clientX: r.x + 5, clientY: r.y + 5, button: 0 });
      const t0 = performance.now();
      b.dispatchEvent(ev);
      click.push(performance.now() - t0);
      const s = new Event("scroll");
      const t1 = performance.now();
      window.dispatchEvent(s);
      scroll.push(performance.now() - t1);
    }
    return { click, scroll, isolated: crossOriginIsolated };
  }, n);

const withSdk = await measure(N);
await page.evaluate(() => window.vitrina.shutdown());
const without = await measure(N);
const q = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const report = (name, a, b) => {
  const base = q(b, 0.5);
  const cost = a.map((x) => Math.max(0, x - base));
  return `| ${name} | ${q(cost, 0.5).toFixed(4)} ms | ${q(cost, 0.95).toFixed(4)} ms | ${q(cost, 0.99).toFixed(4)} ms |`;
};
console.log(`crossOriginIsolated: ${withSdk.isolated}; ${N} events each`);
console.log("| event | p50 | p95 | p99 |");
console.log("|---|---:|---:|---:|");
console.log(report("click", withSdk.click, without.click));
console.log(report("scroll", withSdk.scroll, without.scroll));
await browser.close();
await collector.stop();

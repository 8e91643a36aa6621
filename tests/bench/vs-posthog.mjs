// Benchmark (not a test): Vitrina and posthog-js side by side on the same synthetic shop page in
// headless Chromium, driven by the same shopper script, and a third run with no SDK as the
// baseline. Prints a markdown table (Vitrina / posthog-js ratio per row) for the README.
//
//   node tests/bench/vs-posthog.mjs [rounds]   (after scripts/build.sh and cargo build -p vitrina-collector)
//
// posthog-js comes from npm (tests/package-lock.json), served from this machine: its core
// (dist/array.js) plus the extensions it fetches for what is switched on (dead clicks, web
// vitals); its ingestion, flags and config requests go to a local sink (Playwright routes that
// answer 200 and keep the bodies). Settings: autocapture, rage clicks, dead clicks, web vitals
// and history-change page views on; session recording and surveys off. Vitrina: its defaults
// (friction signals incl. rage / dead / error clicks and web vitals, page views on SPA
// navigations), against the real collector and SQLite.
//
// The shopper script, in the page, per round: a click on a product's "add" button (it changes
// the cart counter), a scroll, a typed character in a form field, an SPA navigation
// (pushState); every 25 rounds a rage burst (4 fast clicks on a button that does nothing).
// 500 rounds = 2,000+ interactions. Each interaction is dispatched synchronously and timed; the
// SDK's cost is its time minus the no-SDK run's (p50 and p95). Also: CDP's ScriptDuration over
// the whole script (all the JS the page ran, also later in timers), long tasks, JS heap (after
// a GC) plus wasm memory, bytes on the wire per delivered event, events delivered.
import { readFileSync, statSync } from "node:fs";
import { gzipSync, brotliCompressSync, gunzipSync, constants } from "node:zlib";
import { startCollector, launchBrowser } from "../e2e/harness.mjs";

const ROUNDS = Number(process.argv[2] || 500);
const root = new URL("../../", import.meta.url).pathname;
const phDir = `${root}tests/node_modules/posthog-js/dist/`;
const phVersion = JSON.parse(readFileSync(`${root}tests/node_modules/posthog-js/package.json`)).version;
const sizes = (files) => {
  const all = Buffer.concat(files.map((f) => readFileSync(f)));
  const per = files.map((f) => readFileSync(f));
  const sum = (fn) => per.reduce((s, b) => s + fn(b).length, 0);
  return { raw: all.length, gzip: sum((b) => gzipSync(b, { level: 9 })), brotli: sum((b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })) };
};

const collector = await startCollector();
const browser = await launchBrowser();

const shop = (head) => `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Tienda</title>${head}</head>
<body><header><a href="/">Inicio</a> <span id="cart">0</span></header>
<main id="grid">${Array.from({ length: 120 }, (_, i) => `<article class="card"><h3>Producto ${i}</h3><p>${(19 + i).toFixed(2)} €</p><button class="add" type="button">Añadir</button></article>`).join("")}</main>
<form id="f"><label>Nombre <input name="name"></label><label>Ciudad <input name="city"></label></form>
<button id="dead" type="button">Ver guía de tallas</button>
<div style="height:6000px"></div>
<script>document.getElementById("grid").addEventListener("click", (e) => { if (e.target.matches("button.add")) document.getElementById("cart").textContent = String(+document.getElementById("cart").textContent + 1); });</script>
</body></html>`;

const HEAD = {
  none: `<script>window.__ready = performance.now();</script>`,
  vitrina: `<script type="module">
import { load, init, __memoryBytes } from "/pkg/web/vitrina.js";
await load();
window.sdk = init({ endpoint: location.origin });
window.__mem = __memoryBytes;
window.__ready = performance.now();
</script>`,
  // array.full.js: the core with its extensions bundled (from the npm build, array.js does not
  // fetch them by itself here); what a site ships for this setup is counted as array.js plus
  // the dead-click and web-vitals chunks it would load.
  posthog: `<script src="/ph/static/array.full.js"></script>
<script>posthog.init("phc_benchmark", { api_host: location.origin + "/ph", autocapture: true, rageclick: true, capture_dead_clicks: true,
  capture_performance: { web_vitals: true, network_timing: false }, capture_pageview: "history_change", capture_pageleave: true,
  disable_session_recording: true, disable_surveys: true, advanced_disable_feature_flags: true,
  opt_out_useragent_filter: true, /* else headless Chromium counts as a bot and nothing is sent */
  loaded: () => { window.__ready = performance.now(); } });</script>`,
};

async function run(kind) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const wire = { bytes: 0, requests: 0, events: 0 }, phFiles = new Set();
  // cross-origin isolated: performance.now() at 5 µs instead of 100 µs
  const isolated = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };
  await page.route(`${collector.url}/shop/**`, (r) => r.fulfill({ status: 200, contentType: "text/html", body: shop(HEAD[kind]), headers: isolated }));
  await page.route(`${collector.url}/ph/**`, (route) => {
    const req = route.request(), url = new URL(req.url());
    const file = url.pathname.match(/\/static\/([\w.-]+\.js)$/);
    if (file) {
      phFiles.add(phDir + file[1]);
      return route.fulfill({ status: 200, contentType: "text/javascript", body: readFileSync(phDir + file[1]), headers: { "Cross-Origin-Resource-Policy": "same-origin" } });
    }
    // posthog's remote config: it turns autocapture on only when the server says so explicitly
    const remote = { token: "phc_benchmark", autocapture_opt_out: false, captureDeadClicks: true, capturePerformance: { web_vitals: true, network_timing: false }, heatmaps: false, sessionRecording: false, surveys: false, siteApps: [] };
    if (/\/array\/[\w]+\/config\.js$/.test(url.pathname))
      return route.fulfill({ status: 200, contentType: "text/javascript", body: `(window._POSTHOG_REMOTE_CONFIG=window._POSTHOG_REMOTE_CONFIG||{})["phc_benchmark"]={config:${JSON.stringify(remote)},siteApps:[]};` });
    if (/\/array\/[\w]+\/config$/.test(url.pathname)) return route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(remote) });
    const body = req.postDataBuffer();
    if (body && /\/(e|i\/v0\/e|batch|engage|s)\/?$/.test(url.pathname)) {
      wire.bytes += body.length;
      wire.requests++;
      let text = body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body).toString() : body.toString();
      if (text.startsWith("data=")) text = Buffer.from(decodeURIComponent(text.slice(5)), "base64").toString();
      try {
        const j = JSON.parse(text);
        const list = Array.isArray(j) ? j : Array.isArray(j.batch) ? j.batch : [j];
        wire.events += list.length;
        for (const e of list) wire.names = { ...wire.names, [e.event]: ((wire.names || {})[e.event] || 0) + 1 };
      } catch (_) {}
    }
    return route.fulfill({ status: 200, contentType: "application/json", body: url.pathname.includes("flags") ? '{"featureFlags":{},"errorsWhileComputingFlags":false}' : '{"status":1}' });
  });
  if (process.env.DEBUG) page.on("requestfailed", (r) => console.log("failed:", r.url()));
  // posthog's extensions, wherever it asks for them (its assets host by default)
  await page.route(/\/static\/[\w.-]+\.js(\?.*)?$/, (route) => {
    const f = new URL(route.request().url()).pathname.split("/").pop();
    try {
      const body = readFileSync(phDir + f);
      phFiles.add(phDir + f);
      return route.fulfill({ status: 200, contentType: "text/javascript", body, headers: { "Cross-Origin-Resource-Policy": "cross-origin" } });
    } catch (_) {
      return route.fulfill({ status: 404, body: "" });
    }
  });
  const before = kind === "vitrina" ? (await collector.events()).length : 0;
  page.on("request", (r) => {
    if (kind === "vitrina" && r.url().includes("/v1/batch")) {
      const b = r.postDataBuffer();
      wire.bytes += b ? b.length : 0;
      wire.requests++;
    }
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  await page.goto(`${collector.url}/shop/index.html`);
  await page.waitForFunction(() => window.__ready !== undefined, null, { timeout: 20000 });
  await page.waitForTimeout(1500); // extensions and first requests settle
  const script0 = (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "ScriptDuration").value;
  const r = await page.evaluate(async (rounds) => {
    const tasks = [];
    new PerformanceObserver((l) => tasks.push(...l.getEntries().map((e) => e.duration))).observe({ type: "longtask" });
    const buttons = document.querySelectorAll("button.add"), dead = document.getElementById("dead");
    const input = document.querySelector("input[name=city]");
    const times = [];
    const timed = (f) => {
      const t0 = performance.now();
      f();
      times.push(performance.now() - t0);
    };
    const click = (el) => {
      const b = el.getBoundingClientRect();
      const o = { bubbles: true, cancelable: true, clientX: b.x + 4, clientY: b.y + 4, button: 0, view: window };
      timed(() => {
        el.dispatchEvent(new MouseEvent("mousedown", o));
        el.dispatchEvent(new MouseEvent("mouseup", o));
        el.dispatchEvent(new MouseEvent("click", o));
      });
    };
    for (let i = 0; i < rounds; i++) {
      click(buttons[i % buttons.length]);
      window.scrollTo(0, (i * 97) % 5000);
      timed(() => window.dispatchEvent(new Event("scroll")));
      timed(() => {
        input.focus();
        input.value += "a";
        input.dispatchEvent(new InputEvent("input", { bubbles: true, data: "a", inputType: "insertText" }));
      });
      timed(() => history.pushState({}, "", `/shop/p/${i}`));
      if (i % 25 === 24) for (let k = 0; k < 4; k++) click(dead);
      if (i % 5 === 4) await new Promise((r) => setTimeout(r, 10)); // let timers run, as a real shopper would
    }
    return { times, tasks, ready: window.__ready };
  }, ROUNDS);
  await page.waitForTimeout(4000);
  const script1 = (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "ScriptDuration").value;
  await cdp.send("HeapProfiler.collectGarbage");
  const heap = (await cdp.send("Runtime.getHeapUsage")).usedSize;
  const wasm = kind === "vitrina" ? await page.evaluate(() => window.__mem()) : 0;
  if (kind === "vitrina") await page.evaluate(() => window.sdk.flush());
  if (kind === "posthog") await page.evaluate(() => window.posthog && window.posthog._send_retriable_request && 0);
  await page.waitForTimeout(1500);
  await page.close({ runBeforeUnload: true });
  await new Promise((res) => setTimeout(res, 1500));
  await context.close();
  if (kind === "vitrina") wire.events = (await collector.events()).length - before;
  return { ...r, scriptMs: (script1 - script0) * 1000, heap, wasm, wire, phFiles: [...phFiles] };
}

const q = (a, p) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
};
const none = await run("none");
const vit = await run("vitrina");
const ph = await run("posthog");
const interactions = vit.times.length;
const sdkMs = (r, p) => Math.max(0, q(r.times, p) - q(none.times, p));
const perInteraction = (r) => Math.max(0, r.scriptMs - none.scriptMs) / interactions;
const vSize = sizes(["pkg/script/vitrina.js", "pkg/script/vitrina.esm.js", "pkg/script/vitrina_raw_bg.wasm"].map((f) => root + f));
const pSize = sizes([phDir + "array.js", phDir + "dead-clicks-autocapture.js", phDir + "web-vitals.js"]);
const fmt = (n, d = 0) => n.toLocaleString("en", { maximumFractionDigits: d, minimumFractionDigits: d });
const ratio = (a, b) => (b > 1e-9 ? fmt(a / b, 2) : "—");
const rows = [
  ["bytes shipped, brotli (raw / gzip)", `${fmt(vSize.brotli)} B (${fmt(vSize.raw)} / ${fmt(vSize.gzip)})`, `${fmt(pSize.brotli)} B (${fmt(pSize.raw)} / ${fmt(pSize.gzip)})`, ratio(vSize.brotli, pSize.brotli)],
  ["time to ready (ms after navigation start)", fmt(vit.ready, 1), fmt(ph.ready, 1), ratio(vit.ready, ph.ready)],
  ["SDK main-thread ms per interaction, p50 (sync, minus no-SDK)", fmt(sdkMs(vit, 0.5), 3), fmt(sdkMs(ph, 0.5), 3), ratio(sdkMs(vit, 0.5), sdkMs(ph, 0.5))],
  ["… p95", fmt(sdkMs(vit, 0.95), 3), fmt(sdkMs(ph, 0.95), 3), ratio(sdkMs(vit, 0.95), sdkMs(ph, 0.95))],
  ["all script time per interaction, incl. timers (CDP ScriptDuration, minus no-SDK)", fmt(perInteraction(vit), 3) + " ms", fmt(perInteraction(ph), 3) + " ms", ratio(perInteraction(vit), perInteraction(ph))],
  ["long tasks ≥ 50 ms during the script (no SDK: " + none.tasks.length + ")", String(vit.tasks.length), String(ph.tasks.length), "—"],
  ["JS heap after GC + wasm memory", `${fmt((vit.heap + vit.wasm) / 1048576, 2)} MiB (${fmt(vit.heap / 1048576, 2)} + ${fmt(vit.wasm / 1048576, 2)})`, `${fmt(ph.heap / 1048576, 2)} MiB`, ratio(vit.heap + vit.wasm, ph.heap)],
  ["bytes on the wire per delivered event", fmt(vit.wire.bytes / Math.max(1, vit.wire.events), 1), fmt(ph.wire.bytes / Math.max(1, ph.wire.events), 1), ratio(vit.wire.bytes / Math.max(1, vit.wire.events), ph.wire.bytes / Math.max(1, ph.wire.events))],
  ["events delivered (requests)", `${fmt(vit.wire.events)} (${vit.wire.requests})`, `${fmt(ph.wire.events)} (${ph.wire.requests})`, ratio(vit.wire.events, ph.wire.events)],
];
console.log(`\n${interactions} timed interactions per SDK (${ROUNDS} rounds: click, scroll, typing, SPA navigation; rage bursts); posthog-js ${phVersion} (shipped: array.js + dead-clicks-autocapture.js + web-vitals.js; run: array.full.js); no-SDK baseline p50 ${fmt(q(none.times, 0.5), 3)} ms, ScriptDuration ${fmt(none.scriptMs, 0)} ms\n`);
if (process.env.DEBUG) console.log(JSON.stringify(ph.wire.names));
console.log("| | Vitrina | posthog-js | Vitrina / posthog-js |\n|---|---:|---:|---:|");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
await browser.close();
await collector.stop();

// End to end under faults: a scripted session of 360 events across 4 tabs while the network goes
// offline, the collector answers 503 with Retry-After, drops connections after storing, goes
// down and comes back, and pages are closed mid-flush while it fails. Every event generated must
// be stored exactly once. Then: localStorage full or disabled degrades gracefully.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { useCollectorAndBrowser, eventually, sdkReady } from "./harness.mjs";

const env = useCollectorAndBrowser({ before, after }, ["--faults"]);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const PAGE = `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>fault test</title>
<script>window.vitrina=window.vitrina||[];vitrina.push(["init",{endpoint:location.origin,flush_interval_ms:300,max_batch_events:10,debug:true,friction:false}]);</script>
<script async src="/pkg/script/vitrina.js"></script></head><body><p>tab</p></body></html>`;

async function servePage(context, extraHead = "") {
  await context.route(`${env.collector.url}/fault.html`, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: PAGE.replace("<head>", `<head>${extraHead}`) }),
  );
}

async function emit(page, tab, from, count) {
  await page.evaluate(({ tab, from, count }) => {
    for (let n = from; n < from + count; n++) window.vitrina.track("Load Test", { tab, n });
  }, { tab, from, count });
}

test("360 events across 4 tabs under offline, 503s, dropped connections, downtime and closed tabs are stored exactly once", async () => {
  const context = await env.browser.newContext();
  await servePage(context);
  const tabs = [];
  for (let i = 0; i < 4; i++) {
    const p = await context.newPage();
    await p.goto(`${env.collector.url}/fault.html`);
    await sdkReady(p);
    tabs.push(p);
  }
  const expected = new Set();
  const next = [0, 0, 0, 0, 0];
  const burst = async (which, count) => {
    await Promise.all(which.map(async (i) => {
      await emit(tabs[i], i, next[i], count);
      for (let n = next[i]; n < next[i] + count; n++) expected.add(`${i}:${n}`);
      next[i] += count;
    }));
  };
  const all = [0, 1, 2, 3];

  await burst(all, 25); // normal
  await context.setOffline(true); // the network goes away
  await burst(all, 15);
  await sleep(1000);
  await context.setOffline(false);
  await env.collector.faults({ status: 503, retry_after_s: 1 }); // the collector fails for a while
  await burst(all, 15);
  await sleep(2500);
  await env.collector.faults({ drop_after_store: true }); // stores, then the connection drops
  await burst(all, 15);
  await sleep(2000);
  await env.collector.faults({});
  await env.collector.down(); // the collector is gone
  await burst(all, 15);
  await sleep(1500);
  await env.collector.up();
  await env.collector.faults({ status: 500 }); // failing while two tabs are closed mid-flush
  await burst([2, 3], 10);
  await tabs[2].close({ runBeforeUnload: true });
  await tabs[3].close({ runBeforeUnload: true });
  await sleep(300);
  await env.collector.faults({});
  const late = await context.newPage(); // a later page adopts what the closed tabs left behind
  await late.goto(`${env.collector.url}/fault.html`);
  await sdkReady(late);

  const key = (e) => `${e.props.tab}:${e.props.n}`;
  const stored = await eventually(async () => {
    const evs = (await env.collector.events("track")).filter((e) => e.name === "Load Test");
    return new Set(evs.map(key)).size >= expected.size ? evs : null;
  }, 60000, 250);
  const got = (await env.collector.events("track")).filter((e) => e.name === "Load Test");
  const missing = [...expected].filter((k) => !got.some((e) => key(e) === k));
  assert.ok(stored, `missing ${missing.length} of ${expected.size}: ${missing.slice(0, 20)}`);
  await sleep(2000); // late retries and adoptions must not add duplicates
  const final = (await env.collector.events("track")).filter((e) => e.name === "Load Test");
  assert.equal(expected.size, 360);
  assert.equal(final.length, expected.size, "each event stored exactly once");
  assert.equal(new Set(final.map(key)).size, expected.size, "no event generated twice");
  assert.deepEqual(new Set(final.map(key)), expected);
  await context.close();
});

test("with localStorage full or disabled the SDK keeps working from memory, says so in debug mode, and the page never breaks", async () => {
  for (const [label, sabotage] of [
    ["full", `<script>Storage.prototype.setItem=function(){throw new DOMException("quota","QuotaExceededError")};</script>`],
    ["disabled", `<script>Object.defineProperty(window,"localStorage",{get(){throw new DOMException("denied","SecurityError")}});Object.defineProperty(window,"indexedDB",{get(){throw new DOMException("denied","SecurityError")}});</script>`],
  ]) {
    const context = await env.browser.newContext();
    await servePage(context, sabotage);
    const page = await context.newPage();
    const errors = [], warnings = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
    await page.goto(`${env.collector.url}/fault.html`);
    await sdkReady(page);
    await emit(page, 9, label === "full" ? 1000 : 2000, 12);
    const got = await eventually(async () => {
      const evs = (await env.collector.events("track")).filter((e) => e.props?.tab === 9 && (e.props.n >= (label === "full" ? 1000 : 2000)) && e.props.n < (label === "full" ? 1100 : 2100));
      return evs.length >= 12 ? evs : null;
    });
    assert.ok(got, `${label}: events still delivered`);
    assert.deepEqual(errors, [], `${label}: no page errors`);
    assert.ok(warnings.some((w) => w.includes("cannot write localStorage")), `${label}: debug mode says so: ${warnings}`);
    await context.close();
  }
});

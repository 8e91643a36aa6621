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

// What holds this page's outbox slot right now: { idb: [keys], ls: [keys] }.
async function slots(page) {
  return page.evaluate(async () => {
    let ls = [];
    try { ls = Object.keys(localStorage).filter((k) => k.startsWith("vitrina.outbox.")); } catch (_) {}
    const idb = await new Promise((ok) => {
      try {
        const r = indexedDB.open("vitrina", 1);
        r.onupgradeneeded = () => r.result.createObjectStore("outbox");
        r.onsuccess = () => {
          const q = r.result.transaction("outbox").objectStore("outbox").getAll();
          q.onsuccess = () => ok(q.result.flatMap((t) => t.split("\n").slice(1).filter(Boolean)));
          q.onerror = () => ok([]);
        };
        r.onerror = () => ok([]);
      } catch (_) { ok(null); }
    });
    return { idb, ls };
  });
}

test("the outbox lives in IndexedDB, with a localStorage copy written at exit; the next page sends it once", async () => {
  const context = await env.browser.newContext();
  await servePage(context);
  const page = await context.newPage();
  await page.goto(`${env.collector.url}/fault.html`);
  await sdkReady(page);
  await env.collector.faults({ status: 503 }); // nothing gets through: everything stays queued
  await emit(page, 7, 0, 15);
  const during = await eventually(async () => {
    const s = await slots(page);
    return s.idb && s.idb.length >= 15 ? s : null;
  }, 5000);
  assert.ok(during, "the queued events are in IndexedDB");
  assert.deepEqual(during.ls, [], "and not in localStorage while the page lives");
  await page.close({ runBeforeUnload: true });
  await env.collector.faults({});
  const next = await context.newPage();
  await next.goto(`${env.collector.url}/fault.html`);
  await sdkReady(next);
  const got = await eventually(async () => {
    const evs = (await env.collector.events("track")).filter((e) => e.props?.tab === 7);
    return evs.length >= 15 ? evs : null;
  }, 15000);
  assert.ok(got, "the next page adopted and sent them");
  assert.equal(new Set(got.map((e) => e.props.n)).size, 15);
  assert.equal(got.length, 15, "each stored once");
  await eventually(async () => (await slots(next)).ls.length === 0, 3000);
  const after = await slots(next);
  assert.deepEqual(after.ls, [], "the exit copy was claimed");
  await context.close();
});

test("with localStorage full or disabled, or IndexedDB missing, the SDK keeps working, says so in debug mode, and the page never breaks", async () => {
  const noIdb = `Object.defineProperty(window,"indexedDB",{get(){throw new DOMException("denied","SecurityError")}});`;
  for (const [label, sabotage, warns, where] of [
    ["localStorage full", `<script>Storage.prototype.setItem=function(){throw new DOMException("quota","QuotaExceededError")};</script>`, false, "idb"],
    ["no IndexedDB", `<script>${noIdb}</script>`, false, "ls"],
    ["both disabled", `<script>Object.defineProperty(window,"localStorage",{get(){throw new DOMException("denied","SecurityError")}});${noIdb}</script>`, true, null],
  ]) {
    const context = await env.browser.newContext();
    await servePage(context, sabotage);
    const page = await context.newPage();
    const errors = [], warnings = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
    await page.goto(`${env.collector.url}/fault.html`);
    await sdkReady(page);
    const base = 1000 * (label.length); // a distinct range of n per case
    await env.collector.faults({ status: 503, retry_after_s: 2 });
    await emit(page, 9, base, 12);
    await new Promise((r) => setTimeout(r, 1500));
    const held = await slots(page);
    await env.collector.faults({});
    const got = await eventually(async () => {
      const evs = (await env.collector.events("track")).filter((e) => e.props?.tab === 9 && e.props.n >= base && e.props.n < base + 100);
      return evs.length >= 12 ? evs : null;
    });
    assert.ok(got, `${label}: events still delivered`);
    assert.deepEqual(errors, [], `${label}: no page errors`);
    const warned = warnings.some((w) => w.includes("cannot write localStorage"));
    assert.equal(warned, warns, `${label}: debug warning ${warns ? "expected" : "not expected"}: ${warnings}`);
    if (where === "idb") assert.ok(held.idb.length >= 12 && held.ls.length === 0, `${label}: kept in IndexedDB ${JSON.stringify(held)}`);
    if (where === "ls") assert.ok(held.ls.length === 1 && held.idb === null, `${label}: kept in localStorage ${JSON.stringify(held)}`);
    await context.close();
  }
});

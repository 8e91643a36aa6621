// Several tabs, one sender at a time: with four tabs of the shop open and each flushing batches
// against a slow collector, no two batch requests are ever in flight together — with Web Locks,
// and with the localStorage lease that replaces them in browsers without. Every event is still
// stored exactly once.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { useCollectorAndBrowser, eventually, sdkReady } from "./harness.mjs";

const env = useCollectorAndBrowser({ before, after }, ["--faults"]);

const PAGE = `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>tabs</title>
<script>window.vitrina=window.vitrina||[];vitrina.push(["init",{endpoint:location.origin,flush_interval_ms:100,max_batch_events:10,friction:false,auto_page_views:false}]);</script>
<script async src="/pkg/script/vitrina.js"></script></head><body><p>tab</p></body></html>`;

const NO_WEB_LOCKS = () => Object.defineProperty(Navigator.prototype, "locks", { get: () => undefined });

async function fourTabsAgainstASlowCollector(run, initScript) {
  await env.collector.faults({ delay_ms: 250 });
  const context = await env.browser.newContext();
  if (initScript) await context.addInitScript(initScript);
  await context.route(`${env.collector.url}/tabs.html`, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: PAGE }),
  );
  // Batch requests in flight, as the browser's network stack sees them.
  let inFlight = 0;
  let maxInFlight = 0;
  let requests = 0;
  const isBatch = (r) => r.url().includes("/v1/batch") && r.resourceType() === "fetch";
  context.on("request", (r) => {
    if (!isBatch(r)) return;
    requests++;
    maxInFlight = Math.max(maxInFlight, ++inFlight);
  });
  const done = (r) => {
    if (isBatch(r)) inFlight--;
  };
  context.on("requestfinished", done);
  context.on("requestfailed", done);

  const tabs = [];
  for (let i = 0; i < 4; i++) {
    const p = await context.newPage();
    await p.goto(`${env.collector.url}/tabs.html`);
    await sdkReady(p);
    tabs.push(p);
  }
  const hasLocks = await tabs[0].evaluate(() => !!navigator.locks);
  // Every tab queues 30 events at once: 3 batches each, all due at the same moment.
  await Promise.all(tabs.map((p, tab) => p.evaluate(({ run, tab }) => {
    for (let n = 0; n < 30; n++) window.vitrina.track("Tab Event", { run, tab, n });
  }, { run, tab })));
  const stored = await eventually(async () => {
    const evs = (await env.collector.events("track")).filter((e) => e.name === "Tab Event" && e.props.run === run);
    return evs.length >= 120 ? evs : null;
  }, 30000, 200);
  await env.collector.faults({});
  await context.close();
  assert.ok(stored, "all 120 events arrive");
  const keys = stored.map((e) => `${e.props.tab}:${e.props.n}`);
  assert.equal(new Set(keys).size, 120, "120 distinct events");
  assert.equal(keys.length, 120, "none stored twice");
  return { hasLocks, maxInFlight, requests };
}

test("with Web Locks, four tabs never have two batches in flight at once", async () => {
  const r = await fourTabsAgainstASlowCollector("locks");
  assert.equal(r.hasLocks, true);
  assert.ok(r.requests >= 12, `at least 12 batches were sent (got ${r.requests})`);
  assert.equal(r.maxInFlight, 1, `at most one batch in flight across tabs (saw ${r.maxInFlight})`);
});

test("without Web Locks, the localStorage lease keeps one sender at a time", async () => {
  const r = await fourTabsAgainstASlowCollector("lease", NO_WEB_LOCKS);
  assert.equal(r.hasLocks, false, "Web Locks are hidden from the page");
  assert.ok(r.requests >= 12, `at least 12 batches were sent (got ${r.requests})`);
  assert.equal(r.maxInFlight, 1, `at most one batch in flight across tabs (saw ${r.maxInFlight})`);
});

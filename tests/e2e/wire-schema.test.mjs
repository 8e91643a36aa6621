// The published wire format (docs/wire-format.schema.json, JSON Schema 2020-12) checked against
// what the real SDK sends: a session in Chromium that makes every event type — page views, shop
// events, friction, a review, a survey answer, slot counts — and every batch body it posts
// (fetch and beacon, gzip or not) must validate. And the schema says no to what the collector
// says no to.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import Ajv2020 from "ajv/dist/2020.js";
import { useCollectorAndBrowser, eventually, sdkReady } from "./harness.mjs";

const env = useCollectorAndBrowser({ before, after });
const schema = JSON.parse(readFileSync(new URL("../../docs/wire-format.schema.json", import.meta.url)));
const validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile(schema);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const survey = { id: "wire-nps", questions: [{ id: "q", type: "nps", text: "¿Nos recomendarías?" }], thanks: "Gracias", targeting: { url: { contains: "/wire/" } } };
const PAGE = `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>tienda</title>
<script>window.vitrina=window.vitrina||[];vitrina.push(["init",${JSON.stringify({ endpoint: "ORIGIN", surveys: [survey], flush_interval_ms: 300 })}]);</script>
<script async src="/pkg/script/vitrina.js"></script></head><body>
<section data-vitrina-slot="hero"><div data-vitrina-variant="a"><a href="#x" id="cta">Ver</a></div><div data-vitrina-variant="b" hidden><a href="#y">Ver</a></div></section>
<p><button id="dead" type="button" style="padding:20px">Nada</button></p></body></html>`;

test("every batch the SDK sends in a session with every event type validates against the published schema", async () => {
  const context = await env.browser.newContext();
  const bodies = [];
  context.on("request", (r) => {
    if (!r.url().includes("/v1/batch")) return;
    const buf = r.postDataBuffer();
    if (buf) bodies.push(buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf).toString() : buf.toString());
  });
  await context.route(/\/wire\/.*/, (route) => route.fulfill({ status: 200, contentType: "text/html", body: PAGE.replace("ORIGIN", env.collector.url) }));
  const page = await context.newPage();
  await page.goto(`${env.collector.url}/wire/a`);
  await sdkReady(page);
  // friction: a rage click on a button that does nothing
  const box = await page.locator("#dead").boundingBox();
  for (let i = 0; i < 4; i++) await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  // shop events, a review, the slot's conversion (a click in the shown variant)
  await page.evaluate(async () => {
    window.vitrina.track("Product Viewed", { product_id: "zap-1", category: "sneakers", price: 79.95 });
    window.vitrina.track("Product Added", { product_id: "zap-1", quantity: 1 });
    window.__review = await window.vitrina.submitReview("zap-1", { rating: 4, title: "Buenas", body: "Muy cómodas para correr cada día de la semana", recommend: true, nickname: "Ana", shown_at: performance.timeOrigin + performance.now() - 10000 });
  });
  assert.deepEqual(await page.evaluate(() => window.__review), { ok: true }, "the review was taken");
  await page.locator('[data-vitrina-variant]:not([hidden]) a').click();
  // the survey: answered
  await page.locator('[data-vitrina-survey="wire-nps"] button[aria-label="9 de 10"]').click();
  await page.evaluate(() => window.vitrina.flush());
  await sleep(800);
  await page.close({ runBeforeUnload: true }); // the rest by beacon
  await context.close();

  const types = await eventually(async () => {
    const t = new Set((await env.collector.events()).map((e) => e.type));
    return ["page", "track", "friction", "review", "survey", "slot"].every((k) => t.has(k)) ? t : null;
  });
  assert.ok(types, `every event type reached the collector: ${[...new Set((await env.collector.events()).map((e) => e.type))]}`);
  assert.ok(bodies.length >= 2, `batches seen: ${bodies.length}`);
  const seen = new Set();
  for (const b of bodies) {
    const batch = JSON.parse(b);
    for (const e of batch.events) seen.add(e.type);
    assert.ok(validate(batch), `${JSON.stringify(validate.errors, null, 1)}\nin ${b.slice(0, 500)}`);
  }
  assert.deepEqual([...seen].sort(), ["friction", "page", "review", "slot", "survey", "track"], "the batches carried every type");
});

test("the schema refuses what the collector refuses", async () => {
  const good = { v: 1, sdk: "vitrina/0.1.0", site: "demo", sent_at: 1700000000000, events: [{ id: "event-id-000001", type: "track", name: "x", sid: "session-0001", path: "/", offset_ms: 5 }] };
  assert.ok(validate(good), JSON.stringify(validate.errors));
  const bad = [
    { ...good, v: 2 },
    { ...good, events: [{ ...good.events[0], name: undefined }] },
    { ...good, events: [{ ...good.events[0], offset_ms: "5" }] },
    { ...good, events: [{ ...good.events[0], path: "no-slash" }] },
    { ...good, events: [{ ...good.events[0], id: "short" }] },
    { ...good, events: [{ ...good.events[0], type: "review", props: { product_id: "p", rating: 6 } }] },
    { ...good, events: [{ ...good.events[0], type: "survey", props: { survey_id: "s", step: "answered", question_id: "q", question_type: "nps", score: 11 } }] },
    { ...good, site: "no spaces" },
  ].map((b) => JSON.parse(JSON.stringify(b)));
  for (const b of bad) {
    assert.equal(validate(b), false, `the schema takes ${JSON.stringify(b)}`);
    const r = await fetch(`${env.collector.url}/v1/batch`, { method: "POST", body: JSON.stringify(b) });
    assert.equal(r.status, 400, `the collector takes ${JSON.stringify(b)}`);
  }
});

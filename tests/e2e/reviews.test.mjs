// Product reviews end to end: submitReview in Chromium → the collector holds it pending → a
// moderator approves it → GET /v1/reviews lists it with the aggregate. Text is scrubbed before it
// leaves the page; errors come back all at once in the page's language; a browser reviews a
// product once.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { useCollectorAndBrowser, sdkReady } from "./harness.mjs";

const TOKEN = "moderator-secret-1";
const env = useCollectorAndBrowser({ before, after }, ["--admin-token", TOKEN]);

const PAGE = (lang) => `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>review</title>
<script>window.vitrina=window.vitrina||[];vitrina.push(["init",{endpoint:location.origin,friction:false}]);</script>
<script async src="/pkg/script/vitrina.js"></script></head><body><p>product</p></body></html>`;

async function shopPage(lang = "es") {
  const context = await env.browser.newContext();
  await context.route(/\/rv\/.*/, (route) => route.fulfill({ status: 200, contentType: "text/html", body: PAGE(lang) }));
  const page = await context.newPage();
  await page.goto(`${env.collector.url}/rv/product.html`);
  await sdkReady(page);
  return { context, page };
}

const admin = (path, init = {}) =>
  fetch(`${env.collector.url}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}` } }).then((r) => r.json());

test("a review goes out scrubbed, waits for moderation, and is listed once approved; a second one is refused", async () => {
  const { context, page } = await shopPage("es");
  const answer = await page.evaluate(() => window.vitrina.submitReview("zap-runner-01", {
    rating: 4, title: "Cómodas", recommend: true, nickname: "Ana",
    body: "Muy cómodas para correr. Escribidme a ana.lopez@correo.es o al +34 612 345 678, o mirad https://spam.example/oferta",
  }));
  assert.deepEqual(answer, { ok: true });
  const listed = await (await fetch(`${env.collector.url}/v1/reviews?product=zap-runner-01`)).json();
  assert.equal(listed.count, 0, "not listed before moderation");
  const pending = (await admin("/v1/reviews/pending")).reviews;
  assert.equal(pending.length, 1);
  assert.equal(pending[0].body, "Muy cómodas para correr. Escribidme a [email] o al [phone], o mirad [url]");
  const r = await fetch(`${env.collector.url}/v1/reviews/${pending[0].id}/moderate`, {
    method: "POST", headers: { authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ approve: true }),
  });
  assert.equal(r.status, 200);
  const after = await (await fetch(`${env.collector.url}/v1/reviews?product=zap-runner-01`)).json();
  assert.equal(after.count, 1);
  assert.equal(after.average, 4);
  assert.equal(after.histogram["4"], 1);
  assert.equal(after.reviews[0].title, "Cómodas");
  assert.equal(after.reviews[0].recommend, true);

  const again = await page.evaluate(() => window.vitrina.submitReview("zap-runner-01", { rating: 5 }));
  assert.deepEqual(again, { ok: false, errors: [{ field: "form", code: "already_reviewed", message: "Ya has opinado sobre este producto. ¡Gracias!" }] });
  // ... also from the next page of the same browser
  await page.reload();
  await sdkReady(page);
  const later = await page.evaluate(() => window.vitrina.submitReview("zap-runner-01", { rating: 5 }));
  assert.equal(later.errors?.[0]?.code, "already_reviewed");
  await context.close();
});

test("every problem comes back at once, in the page's language, and nothing is sent", async () => {
  const { context, page } = await shopPage("en");
  let reviewRequests = 0;
  page.on("request", (r) => { if (r.url().includes("/v1/batch") && (r.postData() || "").includes('"review"')) reviewRequests++; });
  const answer = await page.evaluate(() => window.vitrina.submitReview("zap-2", { rating: 0, body: "too short", nickname: "x", title: "t".repeat(121) }));
  assert.equal(answer.ok, false);
  assert.deepEqual(answer.errors.map((e) => e.field), ["rating", "title", "body", "nickname"]);
  assert.equal(answer.errors[0].message, "Choose a rating from 1 to 5 stars.");
  const garbage = await page.evaluate(async () => {
    const out = [];
    for (const args of [[], [null, null], [42, "x"], ["", { rating: 5 }], ["p", { rating: "5" }]]) out.push((await window.vitrina.submitReview(...args)).errors[0].code);
    return out;
  });
  assert.deepEqual(garbage, ["product_id", "product_id", "product_id", "product_id", "rating_required"]);
  const spam = await page.evaluate(() => window.vitrina.submitReview("zap-2", { rating: 5, honeypot: "http://bot.example", lang: "es" }));
  assert.deepEqual(spam.errors, [{ field: "form", code: "spam", message: "No se ha podido enviar la opinión." }]);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(reviewRequests, 0);
  await context.close();
});

test("with the collector unreachable the shopper is told to try again, and can", async () => {
  const { context, page } = await shopPage("es");
  await context.setOffline(true);
  const failed = await page.evaluate(() => window.vitrina.submitReview("zap-3", { rating: 3 }));
  assert.deepEqual(failed, { ok: false, errors: [{ field: "form", code: "send_failed", message: "No se ha podido enviar. Inténtalo de nuevo." }] });
  await context.setOffline(false);
  const ok = await page.evaluate(() => window.vitrina.submitReview("zap-3", { rating: 3 }));
  assert.deepEqual(ok, { ok: true });
  await context.close();
});

// The merchant dashboard served by the collector (/dashboard), in Chromium against a seeded
// database: the numbers on screen are the seeded shop's, worked out by hand, in Spanish and in
// English; a screenshot is kept (target/dashboard.png).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { useCollectorAndBrowser } from "./harness.mjs";

const env = useCollectorAndBrowser({ before, after });

let n = 0;
const ev = (sid, type, name, path, props) => ({ id: `dash-event-${String(++n).padStart(6, "0")}`, type, ...(name ? { name } : {}), sid: `session-${sid}`, path, offset_ms: 0, ...(props ? { props } : {}) });
function seed() {
  const v = [];
  for (const [sid, paths] of [["s1", ["/", "/product.html", "/checkout.html"]], ["s2", ["/", "/product.html"]], ["s3", ["/"]], ["s4", ["/", "/product.html", "/checkout.html"]]]) for (const p of paths) v.push(ev(sid, "page", null, p));
  for (const sid of ["s1", "s2", "s4"]) v.push(ev(sid, "track", "Product Viewed", "/product.html", { product_id: "zap-1" }), ev(sid, "track", "Product Added", "/product.html", { product_id: "zap-1" }));
  for (const sid of ["s1", "s4"]) v.push(ev(sid, "track", "Checkout Started", "/checkout.html"));
  v.push(ev("s1", "track", "Order Completed", "/checkout.html", { total: 120 }));
  v.push(ev("s1", "friction", "rage_click", "/product.html", { selector: "b" }), ev("s2", "friction", "rage_click", "/product.html", { selector: "b" }));
  v.push(ev("s4", "friction", "error_click", "/checkout.html", { selector: "#pay" }));
  v.push(ev("s4", "friction", "form_abandon", "/checkout.html", { form: "checkout", last_field: "email", fields: 2 }), ev("s2", "friction", "form_abandon", "/checkout.html", { form: "checkout", last_field: "email", fields: 1 }), ev("s1", "friction", "form_abandon", "/checkout.html", { form: "checkout", last_field: "phone", fields: 3 }));
  for (const [sid, lcp] of [["s1", 1800], ["s2", 5200], ["s3", 4600], ["s4", 1200]]) v.push(ev(sid, "friction", "vital", "/", { name: "LCP", value: lcp, rating: "x" }));
  for (const [sid, score] of [["s1", 10], ["s2", 6], ["s4", 9], ["s3", 9]]) v.push(ev(sid, "survey", null, "/thanks.html", { survey_id: "nps-after-order", step: "answered", question_id: "q", question_type: "nps", score }));
  v.push(ev("s1", "review", null, "/product.html", { product_id: "zap-1", rating: 5 }), ev("s2", "review", null, "/product.html", { product_id: "zap-1", rating: 4 }));
  v.push(ev("s1", "slot", null, "/", { slot: "hero", variant: "tees", by: "bandit", shown: 1 }), ev("s1", "slot", null, "/", { slot: "hero", variant: "tees", converted: 1 }), ev("s2", "slot", null, "/", { slot: "hero", variant: "spring", by: "bandit", shown: 1 }));
  return v;
}

test("the dashboard shows the seeded shop's numbers, in Spanish and English", async () => {
  const r = await fetch(`${env.collector.url}/v1/batch`, { method: "POST", body: JSON.stringify({ v: 1, sdk: "vitrina/test", site: "demo", sent_at: Date.now(), events: seed() }) });
  assert.equal(r.status, 200, await r.text());
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 1800 } });
  await page.goto(`${env.collector.url}/dashboard`);
  await page.waitForSelector("body[data-ready]");
  const read = () => page.evaluate(() => {
    const txt = (sel) => [...document.querySelectorAll(sel)].map((e) => e.textContent.replace(/\s+/g, " ").trim());
    return {
      kpis: Object.fromEntries([...document.querySelectorAll("[data-kpi]")].map((k) => [k.dataset.kpi, k.querySelector("strong").textContent.replace(/\s/g, " ")])),
      friction: [...document.querySelectorAll("#friction tr")].map((tr) => [...tr.children].map((td) => td.textContent)),
      funnel: [...document.querySelectorAll("#funnel .value")].map((t) => Number(t.dataset.value)),
      fields: [...document.querySelectorAll("#fields text")].map((t) => t.textContent),
      vitals: [...document.querySelectorAll("#vitals tr")].map((tr) => [...tr.children].map((td) => td.textContent)),
      nps: [...document.querySelectorAll("#nps .value")].map((t) => Number(t.dataset.value)),
      reviews: [...document.querySelectorAll("#reviews tr")].map((tr) => [...tr.children].map((td) => td.textContent)),
      slots: [...document.querySelectorAll("#slots tr")].map((tr) => [...tr.children].map((td) => td.textContent.replace(/\s/g, " "))),
      headings: txt("h2"),
    };
  });
  const es = await read();
  assert.deepEqual(es.kpis, { sessions: "4", page_views: "9", conversion_rate: "25 %", cart_abandonment: "66,7 %", checkout_abandonment: "50 %", average_order_value: "120,00 €" });
  // worst first: /product.html (2 rage clicks in 3 views), then /checkout.html (1 error click in 2)
  assert.deepEqual(es.friction.map((r) => r.slice(0, 5)), [["/product.html", "3", "66,7", "0,0", "0,0"], ["/checkout.html", "2", "0,0", "0,0", "50,0"], ["/", "4", "0,0", "0,0", "0,0"]]);
  assert.deepEqual(es.funnel, [4, 3, 3, 2, 1], "sessions, viewed, added, checkout, ordered");
  assert.deepEqual(es.fields, ["email", "2", "phone", "1"], "field abandonment, most first");
  // LCP 1200, 1800, 4600, 5200: p75 (nearest rank) 4600 ms, poor
  assert.deepEqual(es.vitals, [["/", "4600 ms · malo", "—", "—", "—", "—"]]);
  assert.deepEqual(es.nps, [50], "three promoters (9, 9, 10) and a detractor (6) of four");
  assert.deepEqual(es.reviews, [["zap-1", "2", "4,50"]]);
  assert.deepEqual(es.slots, [["hero", "spring", "1", "0", "0 %"], ["hero", "tees", "1", "1", "100 %"]]);
  assert.ok(es.headings.includes("Fricción por página (peor primero)"));
  mkdirSync(new URL("../../target/", import.meta.url), { recursive: true });
  await page.screenshot({ path: new URL("../../target/dashboard.png", import.meta.url).pathname, fullPage: true });

  await page.click("#lang");
  await page.waitForFunction(() => document.documentElement.lang === "en" && document.body.dataset.ready);
  await page.waitForFunction(() => document.querySelector('[data-kpi="conversion_rate"] strong').textContent.includes("25"));
  const en = await read();
  assert.equal(en.kpis.cart_abandonment, "66.7 %");
  assert.equal(en.kpis.average_order_value, "€120.00");
  assert.ok(en.headings.includes("Friction per page (worst first)") && en.headings.includes("Purchase funnel"), en.headings.join(" | "));
  assert.deepEqual(en.vitals[0].slice(0, 2), ["/", "4,600 ms · poor"], "English groups thousands");
  await page.close();
});

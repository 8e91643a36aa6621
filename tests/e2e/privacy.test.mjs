// End to end privacy: a corpus of personal data pushed through every capture path never reaches
// the collector; opt-in mode makes no request at all before consent.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useCollectorAndBrowser, eventually, sdkReady } from "./harness.mjs";

// A survey with an open question, opened by a track event, for the survey-text capture path.
const surveyDir = mkdtempSync(join(tmpdir(), "vitrina-pii-"));
writeFileSync(join(surveyDir, "surveys.json"), JSON.stringify([{ id: "pii-feedback",
  questions: [{ id: "why", type: "text", text: "¿Qué ha pasado?" }], thanks: "Gracias",
  targeting: { after_event: "feedback" } }]));
const env = useCollectorAndBrowser({ before, after }, ["--surveys", join(surveyDir, "surveys.json")]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const CORPUS = {
  emails: ["ana.lopez@correo.es", "john.doe+shop@example.com", "MARIA_99@Empresa.ES"],
  phones: ["+34 612 345 678", "(555) 123-4567", "612.345.678", "+1-202-555-0143"],
  cards: ["4111 1111 1111 1111", "5500-0000-0000-0004", "340000000000009", "6011000000000004"],
  ibans: ["ES91 2100 0418 4502 0005 1332", "DE89370400440532013000", "GB82 WEST 1234 5698 7654 32"],
  secrets: ["s3cr3t-T0ken-value", "hunter2-password"],
};
// Personal data no pattern can recognise: only data-vitrina-mask keeps it on the device.
const MASKED = "Lucía Fernández, Calle del Pez 7";
const needles = () => {
  const out = [];
  for (const list of Object.values(CORPUS)) for (const v of list) {
    out.push(v.toLowerCase());
    const digits = v.replace(/\D/g, "");
    if (digits.length >= 9) out.push(digits); // the same number without separators
  }
  for (const e of CORPUS.emails) out.push(e.split("@")[0].toLowerCase());
  out.push("calle del pez", "fernández");
  return out;
};

function page(config) {
  return `<!doctype html><html lang="es"><head><meta charset="utf-8">
<script>window.vitrina=window.vitrina||[];vitrina.push(["init",${JSON.stringify(config)}]);</script>
<script async src="/pkg/script/vitrina.js"></script></head><body>
<button id="user-${CORPUS.emails[0]}">Pedido de ${CORPUS.emails[1]} · ${CORPUS.phones[0]}</button>
<button id="pay" aria-label="Pagar con ${CORPUS.cards[0]}">Pagar ${CORPUS.ibans[0]}</button>
<p><button id="address" data-vitrina-mask>Envío a ${MASKED}</button></p>
<p><button id="hello">Hola, <span data-vitrina-mask>${MASKED}</span></button></p>
<form id="checkout"><input name="email" id="f-email"><input name="card" id="f-card"><input name="iban" id="f-iban"></form>
</body></html>`;
}

test("a PII corpus through URLs, clicked elements' text, errors, track props, form fields, review and survey text never reaches the collector", async () => {
  const context = await env.browser.newContext();
  const config = { endpoint: env.collector.url, surveys: true, flush_interval_ms: 300, capture_query: true, capture_text: true, device_id: true, friction: { dead_click: { mutation_window_ms: 300 } } };
  await context.route(/\/pii\/.*/, (route) => route.fulfill({ status: 200, contentType: "text/html", body: page(config) }));
  const p = await context.newPage();
  const q = new URLSearchParams({ email: CORPUS.emails[0], token: CORPUS.secrets[0], password: CORPUS.secrets[1], note: `llame al ${CORPUS.phones[1]}`, card: CORPUS.cards[1], iban: CORPUS.ibans[1], gclid: "Cj0KCQ-ad-click" });
  await p.goto(`${env.collector.url}/pii/${encodeURIComponent(CORPUS.emails[2])}/orders?${q}#${CORPUS.phones[2]}`);
  await sdkReady(p);
  // clicked elements: rage and dead clicks on buttons whose id, text and label carry personal data
  for (let i = 0; i < 4; i++) await p.locator("#pay").click();
  await sleep(1100);
  for (let i = 0; i < 3; i++) await p.locator("#address").click(); // masked: its text stays here
  await sleep(1100);
  // clicked beside the masked name: the button reports "Hola," and never the name inside it
  for (let i = 0; i < 3; i++) await p.locator("#hello").click({ position: { x: 2, y: 2 } });
  await p.locator(`[id="user-${CORPUS.emails[0]}"]`).click();
  // form fields: typed, returned to, abandoned
  await p.locator("#f-email").fill(CORPUS.emails[1]);
  await p.locator("#f-card").fill(CORPUS.cards[2]);
  await p.locator("#f-iban").fill(CORPUS.ibans[2]);
  await p.locator("#f-email").click();
  // errors and rejections carrying personal data
  await p.evaluate((c) => {
    setTimeout(() => { throw new Error(`payment failed for ${c.emails[0]} card ${c.cards[3]}`); });
    Promise.reject(new Error(`lookup ${c.phones[3]} ${c.ibans[2]}`));
  }, CORPUS);
  // custom event properties, nested
  await p.evaluate((c) => window.vitrina.track(`Contact ${c.emails[2]}`, { email: c.emails[0], phone: c.phones[0], items: [{ note: `iban ${c.ibans[0]}`, card: c.cards[0] }], [c.emails[1]]: true, secret: c.secrets[0] }), CORPUS);
  // review text: title, body and nickname
  const review = await p.evaluate((c) => window.vitrina.submitReview("zap-pii-1", {
    rating: 2, title: `Llamad al ${c.phones[2]}`, nickname: c.emails[2],
    body: `No llegó. Mi tarjeta ${c.cards[1]}, IBAN ${c.ibans[1]}, escribid a ${c.emails[1]} o ${c.phones[1]}`,
  }), CORPUS);
  assert.deepEqual(review, { ok: true }, "the review was accepted");
  // survey free text, typed into the survey dialog
  await p.evaluate(() => window.vitrina.track("feedback"));
  const box = p.locator('[data-vitrina-survey="pii-feedback"] textarea');
  await box.fill(`Soy ${CORPUS.emails[0]}, tel ${CORPUS.phones[3]}, tarjeta ${CORPUS.cards[0]}, IBAN ${CORPUS.ibans[2]}`);
  await p.locator('[data-vitrina-survey="pii-feedback"] button', { hasText: "Enviar" }).click();
  await sleep(800);
  // a SPA navigation to a URL full of personal data
  await p.evaluate((c) => history.pushState({}, "", `/pii/u/${c.emails[1]}?session=${c.secrets[0]}&q=${encodeURIComponent(c.phones[3])}`), CORPUS);
  await sleep(500);
  await p.close({ runBeforeUnload: true });
  await context.close();

  const events = await eventually(async () => {
    const evs = await env.collector.events();
    const names = new Set(evs.map((e) => e.name));
    return ["rage_click", "error_click", "js_error", "form_abandon"].every((n) => names.has(n)) && evs.some((e) => e.type === "track") && evs.some((e) => e.type === "review") && evs.some((e) => e.props?.text && e.type === "survey") ? evs : null;
  }, 15000);
  assert.ok(events, "every capture path produced events");
  const dump = JSON.stringify(await env.collector.events()).toLowerCase();
  for (const n of needles()) assert.ok(!dump.includes(n), `leaked: ${n} in ${dump.slice(Math.max(0, dump.indexOf(n) - 300), dump.indexOf(n) + 100)}`);
  for (const marker of ["[email]", "[phone]", "[card]", "[iban]", "[redacted]"]) assert.ok(dump.includes(marker.toLowerCase()), `scrubbed as ${marker}`);
  const rv = events.find((e) => e.type === "review");
  assert.equal(rv.props.body, "No llegó. Mi tarjeta [card], IBAN [iban], escribid a [email] o [phone]");
  const sv = events.find((e) => e.type === "survey" && e.props.text);
  assert.equal(sv.props.text, "Soy [email], tel [phone], tarjeta [card], IBAN [iban]");
  // capture_text: the clicked text arrives scrubbed; the masked element's never does
  const rage = events.filter((e) => e.name === "rage_click");
  assert.deepEqual(rage.map((e) => e.props.text ?? "(none)").sort(), ["(none)", "Hola,", "Pagar [iban]"].sort(), JSON.stringify(rage));
  // device_id: one id of the day on every event
  const dids = new Set(events.map((e) => e.did));
  assert.equal(dids.size, 1, `one device id: ${[...dids]}`);
  assert.match([...dids][0], /^[A-Za-z0-9_-]{22}$/);
});

test("opt-in mode: zero requests before consent, everything after it", async () => {
  const context = await env.browser.newContext();
  const config = { endpoint: env.collector.url, flush_interval_ms: 200, consent_mode: "opt_in", device_id: true };
  await context.route(/\/optin\/.*/, (route) => route.fulfill({ status: 200, contentType: "text/html", body: page(config) }));
  const p = await context.newPage();
  let requests = 0;
  p.on("request", (r) => { if (r.url().includes("/v1/batch")) requests++; });
  await p.goto(`${env.collector.url}/optin/a`);
  await sdkReady(p);
  await p.evaluate(() => { for (let i = 0; i < 30; i++) window.vitrina.track("Before Consent", { i }); window.vitrina.flush(); });
  await p.locator("#pay").click();
  await sleep(1500);
  assert.equal(requests, 0, "no request before consent");
  const stored = await p.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("vitrina.outbox")).length + (sessionStorage.getItem("vitrina.sid") ? 1 : 0) + (localStorage.getItem("vitrina.did") ? 1 : 0));
  assert.equal(stored, 0, "nothing stored before consent");
  await p.evaluate(() => window.vitrina.setConsent({ analytics: true }));
  const evs = await eventually(async () => {
    const e = (await env.collector.events("track")).filter((x) => x.name === "Before Consent");
    return e.length >= 30 ? e : null;
  });
  assert.ok(evs, "the held events are sent once consent is given");
  assert.ok(requests > 0);
  await context.close();
});

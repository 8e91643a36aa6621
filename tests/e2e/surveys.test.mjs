// Surveys end to end: the collector serves definitions (validated at its start-up), the SDK in
// Chromium decides when one opens, the dialog is driven by keyboard and mouse like a shopper
// would, and the answers reach GET /v1/surveys/{id}/results.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useCollectorAndBrowser, eventually, sdkReady, XSS } from "./harness.mjs";

const SURVEYS = [
  {
    id: "nps",
    questions: [
      { id: "score", type: "nps", text: { es: "¿Nos recomendarías?", en: "Would you recommend us?" },
        branches: [{ if: { at_most: 6 }, goto: "improve" }, { if: { at_least: 7 }, goto: "thanks" }] },
      { id: "improve", type: "text", text: { es: "¿Qué podemos mejorar?", en: "What could we improve?" } },
    ],
    thanks: { es: "¡Gracias!", en: "Thanks!" },
    targeting: { url: { exact: "/sv/thanks" }, delay_s: 1 },
  },
  {
    id: "help",
    questions: [{ id: "what", type: "single", text: "¿Algo no funciona?", options: ["El pago", "Otra cosa"] }],
    thanks: "Gracias, lo miramos",
    targeting: { url: { contains: "/checkout" }, friction: ["rage_click"] },
    caps: { show: "once" },
  },
  // The XSS corpus as question texts, options and the thank-you text: three multiple-choice
  // questions of up to 12 options each, opened by a track event.
  {
    id: "xss",
    questions: [0, 1, 2].map((n) => ({ id: `q${n}`, type: "multiple", text: XSS[n], options: XSS.slice(n * 12, n * 12 + 12) })),
    thanks: XSS[33],
    targeting: { after_event: "xss-open" },
  },
];
const dir = mkdtempSync(join(tmpdir(), "vitrina-surveys-"));
writeFileSync(join(dir, "surveys.json"), JSON.stringify(SURVEYS));
const env = useCollectorAndBrowser({ before, after }, ["--surveys", join(dir, "surveys.json")]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const PAGE = (config) => `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>tienda</title>
<script>window.vitrina=window.vitrina||[];vitrina.push(["init",${JSON.stringify(config)}]);</script>
<script async src="/pkg/script/vitrina.js"></script></head>
<body><h1>Tienda</h1><button id="order" type="button">Ver pedido</button>
<p><button id="pay" type="button" style="padding:20px">Pagar</button></p></body></html>`;

async function shopPage(path, extra = {}) {
  const context = await env.browser.newContext();
  const config = { endpoint: env.collector.url, surveys: true, flush_interval_ms: 300, ...extra };
  await context.route(/\/sv\/.*/, (route) => route.fulfill({ status: 200, contentType: "text/html", body: PAGE(config) }));
  const page = await context.newPage();
  await page.goto(`${env.collector.url}${path}`);
  await sdkReady(page);
  return { context, page };
}

/** What the survey dialog shows, seen from inside its shadow root (null when there is none). */
const dialogState = (page, id) => page.evaluate((id) => {
  const host = document.querySelector(`[data-vitrina-survey="${id}"]`);
  const d = host?.shadowRoot?.querySelector("[role=dialog]");
  if (!d) return null;
  const focused = host.shadowRoot.activeElement;
  return {
    modal: d.getAttribute("aria-modal"),
    label: host.shadowRoot.getElementById(d.getAttribute("aria-labelledby"))?.textContent,
    buttons: [...d.querySelectorAll("button")].map((b) => b.getAttribute("aria-label") || b.textContent),
    focused: focused ? focused.getAttribute("aria-label") || focused.textContent || focused.tagName : null,
    textarea: !!d.querySelector("textarea"),
  };
}, id);

const results = async (id) => (await fetch(`${env.collector.url}/v1/surveys/${id}/results`)).json();

test("an NPS survey opens on the thank-you page, is answered with the keyboard alone, and is counted", async () => {
  const { context, page } = await shopPage("/sv/thanks");
  await page.focus("#order");
  assert.equal(await dialogState(page, "nps"), null, "not before its delay");
  const first = await eventually(() => dialogState(page, "nps"), 5000);
  assert.ok(first, "the survey opened");
  assert.equal(first.modal, "true");
  assert.equal(first.label, "¿Nos recomendarías?", "the dialog is labelled by its question");
  assert.deepEqual(first.buttons, ["Cerrar", ...Array.from({ length: 11 }, (_, n) => `${n} de 10`)]);
  assert.equal(first.focused, "0 de 10", "focus moves into the dialog, on the first score");
  // Tab stays inside the dialog, both ways.
  await page.keyboard.press("Shift+Tab");
  assert.equal((await dialogState(page, "nps")).focused, "Cerrar");
  await page.keyboard.press("Shift+Tab");
  assert.equal((await dialogState(page, "nps")).focused, "10 de 10", "Shift+Tab wraps to the last");
  await page.keyboard.press("Tab");
  assert.equal((await dialogState(page, "nps")).focused, "Cerrar", "Tab wraps to the first");
  for (let i = 0; i < 10; i++) await page.keyboard.press("Tab");
  assert.equal((await dialogState(page, "nps")).focused, "9 de 10");
  await page.keyboard.press("Enter");
  const thanks = await eventually(async () => {
    const s = await dialogState(page, "nps");
    return s?.label === "¡Gracias!" ? s : null;
  });
  assert.ok(thanks, "a 9 goes straight to the thank-you step");
  assert.equal(thanks.focused, "Cerrar");
  await page.keyboard.press("Enter");
  assert.equal(await dialogState(page, "nps"), null, "closed");
  assert.equal(await page.evaluate(() => document.activeElement.id), "order", "focus returns where it was");

  const r = await eventually(async () => {
    const v = await results("nps");
    return v.completed === 1 ? v : null;
  });
  assert.ok(r, "the completion reached the collector");
  assert.equal(r.shown, 1);
  assert.equal(r.dismissed, 0);
  assert.deepEqual(r.nps, { responses: 1, promoters: 1, detractors: 0, passives: 0, score: 100 });

  // Shown once (the default cap): the next visit to the page does not ask again.
  await page.reload();
  await sdkReady(page);
  await sleep(1800);
  assert.equal(await dialogState(page, "nps"), null, "not shown a second time");
  await context.close();
});

test("a low score asks what to improve; the text goes out scrubbed; the result counts a detractor", async () => {
  const { context, page } = await shopPage("/sv/thanks");
  await eventually(() => dialogState(page, "nps"), 5000);
  await page.locator('[data-vitrina-survey="nps"] button[aria-label="3 de 10"]').click();
  const q2 = await eventually(async () => {
    const s = await dialogState(page, "nps");
    return s?.textarea ? s : null;
  });
  assert.ok(q2, "a 3 branches to the open question");
  assert.equal(q2.label, "¿Qué podemos mejorar?");
  assert.equal(q2.focused, "TEXTAREA", "focus is in the text field");
  await page.keyboard.type("El envío tardó; escribidme a ana.lopez@correo.es o al 612 345 678");
  await page.locator('[data-vitrina-survey="nps"] button', { hasText: "Enviar" }).click();
  await eventually(async () => (await dialogState(page, "nps"))?.label === "¡Gracias!");
  await page.keyboard.press("Escape");
  assert.equal(await dialogState(page, "nps"), null, "Esc closes the thank-you step");

  const steps = await eventually(async () => {
    const evs = (await env.collector.events("survey")).filter((e) => e.props.question_id === "improve");
    return evs.length ? evs : null;
  });
  assert.ok(steps, "the text answer reached the collector");
  assert.equal(steps[0].props.text, "El envío tardó; escribidme a [email] o al [phone]");
  const r = await eventually(async () => {
    const v = await results("nps");
    return v.nps.detractors === 1 && v.completed === 2 ? v : null;
  });
  assert.ok(r, JSON.stringify(await results("nps")));
  assert.equal(r.nps.responses, 2);
  assert.equal(r.nps.score, 0, "one promoter and one detractor");
  await context.close();
});

test("a rage click on checkout opens the help prompt at once, and only once", async () => {
  const { context, page } = await shopPage("/sv/checkout");
  await page.focus("#order");
  const rage = async () => {
    const box = await page.locator("#pay").boundingBox();
    for (let i = 0; i < 4; i++) await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  };
  await rage();
  const help = await eventually(() => dialogState(page, "help"), 5000);
  assert.ok(help, "the help prompt opened after the rage click");
  assert.equal(help.label, "¿Algo no funciona?");
  assert.deepEqual(help.buttons, ["Cerrar", "El pago", "Otra cosa"]);
  await page.keyboard.press("Escape");
  assert.equal(await dialogState(page, "help"), null, "Esc closes it");

  await sleep(1500);
  await rage();
  await sleep(2000);
  assert.equal(await dialogState(page, "help"), null, "a second rage click on the page does not reopen it");
  await page.reload();
  await sdkReady(page);
  await rage();
  await sleep(2000);
  assert.equal(await dialogState(page, "help"), null, "nor on the next page");

  const r = await eventually(async () => {
    const v = await results("help");
    return v.dismissed === 1 ? v : null;
  });
  assert.ok(r, JSON.stringify(await results("help")));
  assert.equal(r.shown, 1);
  assert.equal(r.completed, 0);
  await context.close();
});

test("with the surveys purpose refused, no survey opens", async () => {
  const { context, page } = await shopPage("/sv/thanks");
  await page.evaluate(() => window.vitrina.setConsent({ surveys: false }));
  await sleep(1800);
  assert.equal(await dialogState(page, "nps"), null, "refused: the survey does not open");
  assert.equal((await results("nps")).shown, 2, "only the two earlier showings");
  await context.close();
});

test(`an XSS corpus of ${XSS.length} payloads in a survey's texts and options renders as inert text`, async () => {
  assert.ok(XSS.length >= 30 && XSS.length <= 36);
  const { context, page } = await shopPage("/sv/home");
  await page.evaluate(() => window.vitrina.track("xss-open"));
  const seen = [];
  for (let n = 0; n < 4; n++) {
    const step = await eventually(() => page.evaluate((n) => {
      const root = document.querySelector('[data-vitrina-survey="xss"]')?.shadowRoot;
      const d = root?.querySelector("[role=dialog]");
      if (!d || (n < 3 && !d.querySelector("fieldset")) || d.dataset.seen === String(n - 1)) return null;
      d.dataset.seen = String(n);
      return {
        text: d.querySelector("p").textContent,
        options: [...d.querySelectorAll("label")].map((l) => l.textContent.trim()),
        tags: [...new Set([...root.querySelectorAll("*")].map((e) => e.localName))].sort(),
      };
    }, n), 5000);
    assert.ok(step, `step ${n + 1} drawn`);
    for (const t of step.tags) assert.ok(["button", "div", "fieldset", "input", "label", "p", "style"].includes(t), `only the widget's own elements: ${t}`);
    seen.push(step.text, ...step.options);
    if (n < 3) {
      await page.locator('[data-vitrina-survey="xss"] input[type=checkbox]').first().check();
      await page.locator('[data-vitrina-survey="xss"] button', { hasText: "Enviar" }).click();
    }
  }
  assert.deepEqual(new Set(seen), new Set(XSS), "every payload shown, literally");
  await sleep(500);
  assert.equal(await page.evaluate(() => window.__xss), undefined, "no payload ran");
  await context.close();
});

test("definitions given in the config open without asking the collector; a bad one makes init throw naming it", async () => {
  const inline = { id: "inline-csat", questions: [{ id: "q", type: "csat", text: "¿Encontraste lo que buscabas?" }], thanks: "Gracias", targeting: { url: { contains: "/sv/inline" } } };
  const context = await env.browser.newContext();
  const asked = [];
  context.on("request", (r) => { if (r.url().includes("/v1/surveys")) asked.push(r.url()); });
  await context.route(/\/sv\/.*/, (route) => route.fulfill({ status: 200, contentType: "text/html", body: PAGE({ endpoint: env.collector.url, surveys: [inline] }) }));
  const page = await context.newPage();
  await page.goto(`${env.collector.url}/sv/inline`);
  await sdkReady(page);
  const s = await eventually(() => dialogState(page, "inline-csat"), 5000);
  assert.ok(s, "the inline survey opened");
  assert.deepEqual(s.buttons, ["Cerrar", "1 de 5", "2 de 5", "3 de 5", "4 de 5", "5 de 5"]);
  await page.locator('[data-vitrina-survey="inline-csat"] button[aria-label="5 de 5"]').click();
  const r = await eventually(async () => {
    const v = await results("inline-csat");
    return v.csat.responses === 1 ? v : null;
  });
  assert.ok(r, "the answer reached the collector");
  assert.equal(r.csat.satisfied_percent, 100);
  assert.deepEqual(asked, [], "no request for definitions");

  const err = await page.evaluate(async (inline) => {
    const m = await import("/pkg/web/vitrina.js");
    await m.load();
    const bad = { ...inline, questions: [{ id: "q", type: "stars", text: "?" }] };
    try { m.init({ endpoint: location.origin, surveys: [inline, bad] }); return "no error"; } catch (e) { return { name: e.name, field: e.field, message: e.message }; }
  }, inline);
  assert.equal(err.name, "VitrinaError");
  assert.equal(err.field, "surveys[1]");
  assert.match(err.message, /^surveys\[1\]: expected a survey with a unique id, 1 to 20 questions/);
  await context.close();
});

// End to end: the demo's strict-CSP page (www/strict.html) served with
// `Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'; style-src 'self'` as a header
// (and its own meta tag). Everything must work with no violation: the SDK and its wasm, the
// reviews widget and the survey dialog styled by constructable stylesheets, grid ranking,
// delivery. A control proves the policy is enforced (an inline <style> is refused).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { useCollectorAndBrowser, eventually, sdkReady } from "./harness.mjs";

const env = useCollectorAndBrowser({ before, after });
const POLICY = "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

test("under script-src 'self' 'wasm-unsafe-eval'; style-src 'self' the SDK, widgets, survey and ranking work with no violation", async () => {
  const context = await env.browser.newContext();
  await context.route(/\/strict\.html/, async (route) => {
    const r = await route.fetch();
    await route.fulfill({ response: r, headers: { ...r.headers(), "content-security-policy": POLICY } });
  });
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  const response = await page.goto(`${env.collector.url}/strict.html`);
  assert.equal(response.headers()["content-security-policy"], POLICY);
  await sdkReady(page);

  // the grid: the detail product (sneakers) taught the profile, sneakers first
  await page.waitForSelector("[data-vitrina-rank][data-vitrina-ranked]");
  assert.deepEqual(await page.$$eval("[data-testid=strict-grid] li", (l) => l.map((e) => e.dataset.vitrinaProduct)), ["sn-pista", "ts-ola"]);

  // the reviews widget drew itself, styled (its sheet says ul{list-style:none})
  const reviews = await eventually(() =>
    page.evaluate(() => {
      const root = document.querySelector("[data-testid=reviews]").shadowRoot;
      const ul = root && root.querySelector("ul");
      return ul && { sheets: root.adoptedStyleSheets.length, styleElements: root.querySelectorAll("style").length, listStyle: getComputedStyle(ul).listStyleType, form: !!root.querySelector("form") };
    }),
  );
  assert.deepEqual(reviews, { sheets: 1, styleElements: 0, listStyle: "none", form: true });

  // the survey dialog (inline definition in /js/strict-init.js), styled: fixed in the corner
  const survey = await eventually(() =>
    page.evaluate(() => {
      const host = document.querySelector('[data-vitrina-survey="strict-csat"]');
      const d = host && host.shadowRoot.querySelector("[role=dialog]");
      return d && { position: getComputedStyle(host).position, sheets: host.shadowRoot.adoptedStyleSheets.length, buttons: d.querySelectorAll("button").length };
    }),
  );
  assert.deepEqual(survey, { position: "fixed", sheets: 1, buttons: 6 });
  await page.locator('[data-vitrina-survey="strict-csat"] button[aria-label="4 de 5"]').click();

  // delivery: the page view and the answer reach the collector
  await page.evaluate(() => window.vitrina.flush());
  const events = await eventually(async () => {
    const evs = await env.collector.events();
    return evs.some((e) => e.type === "survey") && evs;
  });
  assert.ok(events, "the survey answer arrived");
  assert.ok(events.some((e) => e.type === "page" && e.path === "/strict.html"));

  assert.deepEqual(await page.evaluate(() => window.__violations), [], "no CSP violation");
  assert.deepEqual(problems, []);

  // control: the policy is in force (an inline style is refused and reported)
  const applied = await page.evaluate(() => {
    const s = document.createElement("style");
    s.textContent = "body{color:rgb(1, 2, 3)}";
    document.head.append(s);
    return getComputedStyle(document.body).color;
  });
  assert.notEqual(applied, "rgb(1, 2, 3)");
  await eventually(() => page.evaluate(() => window.__violations.length > 0));
  assert.match((await page.evaluate(() => window.__violations))[0], /^style-src/);
  await context.close();
});

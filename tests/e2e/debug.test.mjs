// End to end: `debug: true` logs each decision readably (queued, detected, sent, ignored and
// dropped, and why); without it the SDK says nothing at all in the console.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, useCollectorAndBrowser, eventually, sdkReady } from "./harness.mjs";

const env = useCollectorAndBrowser({ before, after });

const PAGE = (debug) => `<!doctype html><html lang="es"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script>window.vitrina=window.vitrina||[];vitrina.push(["init",{endpoint:location.origin,debug:${debug},friction:{vital:false}}]);</script>
<script async src="/pkg/script/vitrina.js"></script></head>
<body><button id="b" style="margin:100px">Guía de tallas</button></body></html>`;

/** The same shopper session with `debug` on or off; every console message of the page. */
async function session(debug) {
  const context = await env.browser.newContext();
  await context.route(/\/dbg\//, (route) => route.fulfill({ status: 200, contentType: "text/html", body: PAGE(debug) }));
  const page = await context.newPage();
  const lines = [];
  page.on("console", (m) => lines.push(`${m.type()}: ${m.text()}`));
  await page.goto(`${env.collector.url}/dbg/talla`);
  await sdkReady(page);
  for (let i = 0; i < 4; i++) await page.click("#b"); // a rage click (and dead clicks)
  await page.waitForTimeout(1300); // the burst is over: reported
  await page.evaluate((debug) => {
    vitrina.track(""); // a bad call: ignored and counted
    vitrina.track("Size Guide Opened", { size: 42, session: debug });
    vitrina.flush();
  }, debug);
  // this session's own event stored: the session went through every decision
  const stored = await eventually(async () => (await env.collector.events()).some((e) => e.name === "Size Guide Opened" && e.props.session === debug));
  assert.ok(stored, `the ${debug ? "debug" : "quiet"} session's event arrived`);
  await page.evaluate(() => {
    vitrina.setConsent({ analytics: false });
    vitrina.track("After Refusal");
  });
  await page.waitForTimeout(300);
  await context.close();
  return lines;
}

test("debug: true logs each decision; without it the console stays silent", async () => {
  const lines = await session(true);
  const expect = [
    /^log: \[vitrina\] queued page \/dbg\/talla$/,
    /^log: \[vitrina\] queued friction rage_click on \/dbg\/talla$/,
    /^log: \[vitrina\] ignored call: track: the name must be a non-empty string of at most 200 characters$/,
    /^log: \[vitrina\] queued track Size Guide Opened on \/dbg\/talla$/,
    /^log: \[vitrina\] sending batch \d+ \(\d+ events\)$/,
    /^log: \[vitrina\] batch \d+ delivered: \d+ events$/,
    /^log: \[vitrina\] not recorded \(no consent\): track After Refusal on \/dbg\/talla$/,
  ];
  for (const re of expect) assert.ok(lines.some((l) => re.test(l)), `${re} in:\n${lines.join("\n")}`);
  assert.ok(lines.every((l) => l.includes("[vitrina]")), `only the SDK's lines: ${lines}`);
  // the lines come in the order of the decisions
  const at = (re) => lines.findIndex((l) => re.test(l));
  for (let i = 1; i < expect.length; i++) assert.ok(at(expect[i - 1]) < at(expect[i]), `${expect[i - 1]} before ${expect[i]}`);

  // the README's example lines are lines this session logged (numbers and the path aside)
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const shown = readme.slice(readme.indexOf("### Debugging")).match(/```text\n([\s\S]*?)```/)[1].trim().split("\n");
  const shape = (l) => l.replace(/^log: /, "").replaceAll("/dbg/talla", "/product.html").replace(/\d+/g, "N");
  for (const l of shown) assert.ok(lines.map(shape).includes(shape(l)), `README's "${l}" is a real line`);

  assert.deepEqual(await session(false), [], "silent without debug");
});

// The README's snippets, run as written (only the placeholders a reader replaces are replaced:
// the collector's and the CDN's URLs, and the "…" the text leaves out). A snippet that stops
// working, or a README that drifts from the code, fails here.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, useCollectorAndBrowser, startCollector, eventually, sdkReady } from "./harness.mjs";

const env = useCollectorAndBrowser({ before, after });
const README = readFileSync(join(ROOT, "README.md"), "utf8").split("\n");

/** The code blocks of the section under `heading` (up to the next heading of its level or above). */
function blocks(heading) {
  const start = README.indexOf(heading);
  assert.ok(start >= 0, `README has "${heading}"`);
  const level = heading.match(/^#+/)[0].length;
  const out = [];
  let code = null;
  for (let i = start + 1; i < README.length; i++) {
    const l = README[i];
    if (code === null && /^#+ /.test(l) && l.match(/^#+/)[0].length <= level) break;
    if (l.startsWith("```")) {
      if (code === null) code = { lang: l.slice(3), text: [] };
      else (out.push({ lang: code.lang, text: code.text.join("\n") }), (code = null));
    } else if (code) code.text.push(l);
  }
  return out;
}
const one = (heading, lang, n = 0) => {
  const b = blocks(heading).filter((x) => x.lang === lang);
  assert.ok(b[n], `a ${lang} block #${n} under ${heading}`);
  return b[n].text;
};
const ENDPOINT = "https://collect.example.com";
const html = (head, body = "") => `<!doctype html><html lang="es"><head><meta charset="utf-8"><link rel="icon" href="data:,">${head}</head><body>${body}</body></html>`;
/** Serves `body` at `/readme/<name>` of the collector in a new context; returns the page, its problems. */
async function open(name, body, { headers = {}, routes = [], waitUntil = "load" } = {}) {
  const context = await env.browser.newContext();
  await context.route(new RegExp(`/readme/${name}$`), (route) => route.fulfill({ status: 200, contentType: "text/html", body, headers }));
  for (const [re, handler] of routes) await context.route(re, handler);
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  await page.goto(`${env.collector.url}/readme/${name}`, { waitUntil });
  return { page, problems, context };
}
const withSnippet = (extraHead = "") => `<script>window.vitrina=window.vitrina||[];vitrina.push(["init",{endpoint:location.origin,flush_interval_ms:500}]);</script><script async src="/pkg/script/vitrina.js"></script>${extraHead}`;

test("quick start: the two commands; the demo command builds and serves the shop", async () => {
  const [quick] = blocks("## Quick start");
  const commands = quick.text.split("\n").map((l) => l.split("#")[0].trim());
  assert.deepEqual(commands, ["scripts/demo.sh", "scripts/test.sh"]);
  for (const c of commands) assert.ok(statSync(join(ROOT, c)).mode & 0o100, `${c} is executable`);
  assert.match(readFileSync(join(ROOT, ".ci/run"), "utf8"), /scripts\/test\.sh/, "CI runs the test command (this test is part of it)");
  // the browser tests' command is the one test.sh runs
  const [, browserTests] = blocks("## Quick start");
  assert.match(browserTests.text, /CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="node tests\/wasm-runner.mjs" cargo test --target wasm32-unknown-unknown --lib/);
  // the demo: as written, on a free port and a throwaway database
  const dir = mkdtempSync(join(tmpdir(), "vitrina-demo-"));
  const port = String(20000 + Math.floor(Math.random() * 20000));
  const demo = spawn(join(ROOT, commands[0]), [], { cwd: ROOT, env: { ...process.env, PORT: port, DB: join(dir, "demo.db") }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  try {
    const home = await eventually(async () => {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/`);
        return r.ok && (await r.text());
      } catch (_) {
        return false;
      }
    }, 600000, 500);
    assert.match(home || "", /Vitrina Demo Shop/);
    assert.equal((await fetch(`http://127.0.0.1:${port}/pkg/script/vitrina.js`)).status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${port}/dashboard`)).status, 200);
  } finally {
    process.kill(-demo.pid, "SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
});

test("script tag: the snippet queues calls before the SDK loads, which never blocks rendering", async () => {
  const snippet = one("### Script tag (any site)", "html").replaceAll(ENDPOINT, "${origin}").replace("https://cdn.example.com/vitrina/vitrina.js", "/pkg/script/vitrina.js");
  const call = README.join("\n").match(/\(`(vitrina\.push\(\["track", "Product Viewed", \{ product_id: "zap-1" \}\]\))`\)/)[1];
  const head = snippet.replace(/"\$\{origin\}"/g, "location.origin");
  // the SDK's script arrives 1.5 s late: the page must render and run its own code meanwhile
  let released = 0;
  const { page, problems, context } = await open("snippet", html(head, `<p id="text">Zapatillas</p><script>${call};window.__before=Array.isArray(window.vitrina);</script>`), {
    routes: [[/\/pkg\/script\/vitrina\.js$/, async (route) => { await new Promise((r) => setTimeout(r, 1500)); released = Date.now(); await route.continue(); }]],
    waitUntil: "domcontentloaded", // "load" waits for async scripts too
  });
  const painted = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r([document.getElementById("text").textContent, window.__before, Date.now()]))));
  assert.equal(painted[0], "Zapatillas");
  assert.equal(painted[1], true, "vitrina was still the queue when the page called it");
  await sdkReady(page);
  assert.ok(released > 0 && painted[2] < released, "the page painted before the SDK's script arrived");
  await page.evaluate(() => vitrina.flush());
  const viewed = await eventually(async () => (await env.collector.events()).find((e) => e.name === "Product Viewed" && e.path === "/readme/snippet"));
  assert.equal(viewed.props.product_id, "zap-1");
  assert.deepEqual(problems, []);
  await context.close();
});

test("ES module and strict-CSP snippets start the SDK and deliver", async () => {
  const mod = one("### ES module", "html").replace("/vitrina/vitrina.js", "/pkg/web/vitrina.js").replaceAll(`"${ENDPOINT}"`, "location.origin");
  const a = await open("module", html("", mod));
  const viewed = await eventually(async () => {
    await a.page.evaluate(() => 0);
    return (await env.collector.events()).find((e) => e.name === "Product Viewed" && e.path === "/readme/module");
  });
  assert.ok(viewed, "the module snippet's event arrived");
  assert.deepEqual(a.problems, []);
  await a.context.close();

  // the CSP block: its init file holds the snippet's two lines (written in its comment)
  const csp = one("### Strict Content Security Policy", "html");
  const initLines = csp.match(/<!-- (.*) -->/)[1].replaceAll(`"${ENDPOINT}"`, "location.origin");
  const b = await open("csp", html(csp.replace("/vitrina/vitrina.js", "/pkg/script/vitrina.js"), ""), {
    headers: { "content-security-policy": "script-src 'self' 'wasm-unsafe-eval'; style-src 'self'" },
    routes: [[/\/js\/vitrina-init\.js$/, (route) => route.fulfill({ status: 200, contentType: "text/javascript", body: initLines })]],
  });
  await sdkReady(b.page);
  await b.page.evaluate(() => vitrina.flush());
  assert.ok(await eventually(async () => (await env.collector.events()).some((e) => e.type === "page" && e.path === "/readme/csp")), "the CSP page's page view arrived");
  assert.deepEqual(b.problems, []);
  await b.context.close();
});

test("config snippets: the friction block (every documented default) and each table default are accepted", async () => {
  const friction = one("## Navigation friction", "js").replaceAll(`"${ENDPOINT}"`, "location.origin");
  // the config table: every option with a literal default, given that default
  const from = README.indexOf("### Config reference");
  const rows = README.slice(from, README.findIndex((l, i) => i > from && /^##? /.test(l))).filter((l) => /^\| `[a-z_]+` \|/.test(l));
  const table = rows.map((r) => r.split("|").map((c) => c.trim())).map(([, name, , def]) => [name.replaceAll("`", ""), def]);
  const literal = Object.fromEntries(table.filter(([, d]) => /^`[^`]+`$/.test(d)).map(([n, d]) => [n, JSON.parse(d.replaceAll("`", ""))]));
  assert.ok(Object.keys(literal).length >= 12, `defaults read from the table: ${Object.keys(literal)}`);
  // the table and the TypeScript types list the same options
  const dts = readFileSync(join(ROOT, "pkg-config/vitrina.d.ts"), "utf8");
  const typed = [...dts.slice(dts.indexOf("export interface VitrinaConfig"), dts.indexOf("\n}", dts.indexOf("export interface VitrinaConfig"))).matchAll(/^  ([a-z_]+)\??:/gm)].map((m) => m[1]);
  assert.deepEqual(table.map(([n]) => n).sort(), typed.sort(), "README table = VitrinaConfig");
  const { page, problems, context } = await open("config", html(""));
  const result = await page.evaluate(async ([friction, literal]) => {
    const m = await import("/pkg/web/vitrina.js");
    await m.load();
    const init = (c) => {
      try {
        const v = m.init(c);
        v.shutdown();
        return "ok";
      } catch (e) {
        return `${e.name} ${e.field}: ${e.message}`;
      }
    };
    const out = { friction: (0, eval)(`(init) => { ${friction.replace("init(", "return init(").replace(/\);\s*$/, ")")} }`)((c) => init(c)) };
    out.defaults = init({ ...literal, endpoint: location.origin });
    out.unknown = init({ endpoint: location.origin, flushIntervalMs: 5 });
    return out;
  }, [friction, literal]);
  assert.deepEqual(result, { friction: "ok", defaults: "ok", unknown: result.unknown });
  assert.match(result.unknown, /^VitrinaError flushIntervalMs: /, "the table's promise: an unknown option is an error");
  assert.deepEqual(problems, []);
  await context.close();
});

test("reviews snippets: the widget markup draws, and submitReview answers as the comment says", async () => {
  const markup = one("## Product reviews", "html");
  const call = one("## Product reviews", "js");
  const [, shown] = call.match(/, or\n\/\/ (.*)$/m) || [];
  const { page, problems, context } = await open("reviews", html(withSnippet(), markup));
  await sdkReady(page);
  await page.waitForFunction(() => document.querySelector("[data-vitrina-reviews]").shadowRoot?.querySelector("form"));
  const answer = await page.evaluate(async (code) => {
    const vitrina = window.vitrina;
    return (0, eval)(`(async (vitrina) => { ${code.replace("const answer =", "return")}\n})`)(vitrina);
  }, call);
  assert.deepEqual(answer, JSON.parse(shown.replace(/([{,] )(\w+):/g, '$1"$2":')), "the documented error answer, word for word");
  assert.deepEqual(problems, []);
  await context.close();
});

test("surveys JSON: the collector accepts the definitions and serves both", async () => {
  const defs = one("## Surveys", "json");
  const dir = mkdtempSync(join(tmpdir(), "vitrina-readme-"));
  writeFileSync(join(dir, "surveys.json"), defs);
  const c = await startCollector(["--surveys", join(dir, "surveys.json")]);
  try {
    const served = await (await fetch(`${c.url}/v1/surveys`)).json();
    assert.deepEqual(served.map((s) => s.id), ["nps-after-order", "checkout-help"]);
  } finally {
    await c.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("personalization snippets: the ranked grid, the catalog with its recommendations, the content slot", async () => {
  const [grid, catalog, slot] = blocks("## Personalization (on the device)").filter((b) => b.lang === "html").map((b) => b.text);
  const body = [grid.replace(/^\s*…\s*$/m, ""), catalog.replace(", …]", "]"), slot].join("\n");
  const { page, problems, context } = await open("personalize", html(withSnippet(), body));
  await sdkReady(page);
  await page.waitForSelector("[data-vitrina-rank][data-vitrina-ranked]");
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector("[data-vitrina-rank]")).visibility), "visible", "revealed once ranked");
  await page.waitForSelector("[data-vitrina-recommend] li a");
  assert.equal(await page.getAttribute("[data-vitrina-recommend] li a", "href"), `${env.collector.url}/p/zap-court-02`);
  assert.equal(await page.textContent("[data-vitrina-recommend] li span"), "Court");
  const shown = await page.$$eval("[data-vitrina-slot] > [data-vitrina-variant]", (vs) => vs.filter((v) => !v.hidden).map((v) => v.dataset.vitrinaVariant));
  assert.equal(shown.length, 1);
  assert.ok(["spring", "tees"].includes(shown[0]), "a rule-less variant (the cart is empty)");
  assert.deepEqual(problems, []);
  await context.close();
});

test("wire format, collector and replay snippets; every path of the project layout exists", async () => {
  // the batch example, with fresh ids (the collector stores an id once)
  const batch = JSON.parse(one("## Wire format", "json"));
  batch.events.forEach((e, i) => (e.id = `readme${Date.now().toString(36)}${i}`.padEnd(22, "x").slice(0, 22)));
  const r = await fetch(`${env.collector.url}/v1/batch`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(batch) });
  assert.equal(r.status, 200, await r.text());
  const stored = await eventually(async () => (await env.collector.events()).filter((e) => batch.events.some((b) => b.id === e.id)));
  assert.equal(stored.length, 2);

  // the event reference lists exactly the event types the schema names
  const schema = JSON.parse(readFileSync(join(ROOT, "docs/wire-format.schema.json"), "utf8"));
  const from = README.indexOf("### Event reference");
  const types = README.slice(from, README.findIndex((l, i) => i > from && /^##? /.test(l))).filter((l) => /^\| `[a-z]+` \|/.test(l) && !l.startsWith("| `type`")).map((l) => l.split("`")[1]);
  const known = schema.$defs.event.properties.type.description.replace(/\.$/, "").split(", ");
  assert.deepEqual(types.sort(), known.sort());

  // the collector command, as written (on a free port and a throwaway database)
  const cmd = one("## Reference collector", "sh").split("\n").filter((l) => !l.trim().startsWith("#")).join(" ").replace(/\\\s+/g, " ");
  const args = cmd.replace("cargo run --release -p vitrina-collector --", "").trim().split(/\s+/);
  const dir = mkdtempSync(join(tmpdir(), "vitrina-readme-"));
  const fixed = args.map((a, i) => (args[i - 1] === "--listen" ? "127.0.0.1:0" : args[i - 1] === "--db" ? join(dir, "c.db") : a));
  const child = spawn(join(ROOT, "target/debug/vitrina-collector"), fixed, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const url = await eventually(() => (out.match(/listening on (http:\/\/[\d.:]+)/) || [])[1], 10000);
  child.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
  assert.ok(url, `the collector started with ${fixed.join(" ")}`);

  // the replay example's printed findings are the fixture's expected output
  const replay = one("### Replay a trace offline", "sh").split("\n");
  const trace = replay[0].split(" -- ")[1];
  const printed = replay.slice(1).map((l) => l.replace(/^# /, ""));
  assert.deepEqual(printed, readFileSync(join(ROOT, trace.replace(".trace.", ".expected.")), "utf8").trim().split("\n"));
  const replayed = execFileSync(join(ROOT, "target/debug/examples/replay"), [join(ROOT, trace)], { encoding: "utf8" }).trim().split("\n");
  assert.deepEqual(replayed, printed);

  // the project layout names paths that exist
  const layout = blocks("## Project layout")[0].text.split("\n").map((l) => l.split(/\s+/)[0]).filter(Boolean);
  for (const p of layout) assert.ok(existsSync(join(ROOT, p)), `${p} exists`);
  assert.ok(existsSync(join(ROOT, one("### Fuzzing", "sh").split(/\s+/)[0])), "the fuzz script exists (it needs cargo-fuzz and nightly: not run here)");
});

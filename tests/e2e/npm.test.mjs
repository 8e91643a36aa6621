// End to end: the npm package as a shop installs it. `npm pack` of the built package (pkg/npm)
// goes into fresh copies of examples/vite-app (Vite 7, TypeScript strict) and
// examples/esbuild-app; each is installed and built with its own tools, served by the real
// collector and loaded in headless Chromium, which must deliver the app's events. The same
// package imported in Node (server-side rendering) must touch no browser global and make `init`
// a no-op with exactly one warning.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, startCollector, launchBrowser, eventually } from "./harness.mjs";

const work = mkdtempSync(join(tmpdir(), "vitrina-npm-"));
after(() => rmSync(work, { recursive: true, force: true }));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" } });

// The package exactly as `npm pack` makes it (its "files" list decides what ships).
run("npm", ["pack", "--pack-destination", work, "--silent"], join(ROOT, "pkg/npm"));
const tgz = join(work, "vitrina-0.1.0.tgz");

/** A fresh copy of examples/NAME with the packed vitrina, installed and built. */
function buildApp(name) {
  const dir = join(work, name);
  cpSync(join(ROOT, "examples", name), dir, { recursive: true, filter: (src) => !/node_modules|dist/.test(src.slice(ROOT.length)) });
  cpSync(tgz, join(dir, "vitrina-0.1.0.tgz"));
  run("npm", ["install", "--no-package-lock", "--loglevel=error"], dir);
  run("npm", ["run", "build", "--silent"], dir);
  return dir;
}

async function loadsAndDelivers(dist, expectReady) {
  const collector = await startCollector(["--www", dist]);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    const wasm = [];
    page.on("response", (r) => r.url().endsWith(".wasm") && wasm.push(`${r.status()} ${r.headers()["content-type"]}`));
    await page.goto(`${collector.url}/index.html`);
    await page.waitForFunction(() => document.body.dataset.vitrina, null, { timeout: 15000 });
    assert.equal(await page.evaluate(() => document.body.dataset.vitrina), expectReady);
    assert.deepEqual(wasm, ["200 application/wasm"], "the wasm came from the app's own build output");
    // the grid was ranked by the profile the app's Product Viewed taught (shoes first)
    assert.equal(await page.evaluate(() => document.querySelector("#grid li").dataset.vitrinaProduct), "shoe-1");
    const events = await eventually(async () => {
      const evs = await collector.events();
      return evs.some((e) => e.name === "Product Viewed") && evs;
    });
    assert.ok(events, "the app's events reached the collector");
    const viewed = events.filter((e) => e.name === "Product Viewed");
    assert.equal(viewed.length, 1);
    assert.equal(viewed[0].props.product_id, "shoe-1");
    assert.equal(events.filter((e) => e.type === "page").length, 1, "one page view");
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await collector.stop();
  }
}

test("Vite 7: the packed package installs, type-checks under strict TypeScript, builds, and runs in Chromium", async () => {
  const dir = buildApp("vite-app");
  const assets = readdirSync(join(dir, "dist/assets"));
  assert.ok(assets.some((f) => f.endsWith(".wasm")), `Vite emitted the wasm as an asset: ${assets}`);
  // the types are checked, not assumed: a deliberately wrong call must stay an error
  const check = join(dir, "types-check/misuse.ts");
  writeFileSync(check, readFileSync(check, "utf8").replace("// @ts-expect-error an unknown option\n", ""));
  assert.throws(() => run("npx", ["tsc", "--noEmit"], dir), (e) => /flush_every/.test(e.stdout), "tsc rejects an unknown option");
  await loadsAndDelivers(join(dir, "dist"), "ready 0 welcome");

  // the dev server too (vite.config.js keeps vitrina out of dependency pre-bundling)
  const port = String(30000 + Math.floor(Math.random() * 20000));
  const dev = spawn("npx", ["vite", "--port", port, "--strictPort"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const browser = await launchBrowser();
  try {
    await eventually(async () => fetch(`http://localhost:${port}/`).then((r) => r.ok, () => false), 30000, 200);
    const page = await browser.newPage();
    const wasm = [];
    page.on("response", (r) => r.url().endsWith(".wasm") && wasm.push(`${r.status()} ${r.headers()["content-type"]}`));
    await page.goto(`http://localhost:${port}/`);
    await page.waitForFunction(() => document.body.dataset.vitrina, null, { timeout: 30000 });
    assert.equal(await page.evaluate(() => document.body.dataset.vitrina), "ready 0 welcome");
    assert.deepEqual(wasm, ["200 application/wasm"]);
  } finally {
    await browser.close();
    process.kill(-dev.pid, "SIGTERM");
  }
});

test("esbuild: the packed package bundles with the wasm copied next to the bundle, and runs in Chromium; so does the README's npm snippet", async () => {
  const dir = buildApp("esbuild-app");
  assert.ok(existsSync(join(dir, "dist/vitrina_raw_bg.wasm")));
  await loadsAndDelivers(join(dir, "dist"), "ready");

  // the README's npm snippet, as written (its endpoint replaced), bundled the same way
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const snippet = readme.slice(readme.indexOf("### npm")).match(/```js\n([\s\S]*?)```/)[1];
  writeFileSync(join(dir, "src/readme.js"), snippet.replace('"https://collect.example.com"', "location.origin") + "vitrina.flush();\n");
  run("npx", ["esbuild", "src/readme.js", "--bundle", "--format=esm", "--outfile=dist/readme.js"], dir);
  writeFileSync(join(dir, "dist/readme.html"), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="readme.js"></script>');
  const collector = await startCollector(["--www", join(dir, "dist")]);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(`${collector.url}/readme.html`);
    const added = await eventually(async () => (await collector.events()).find((e) => e.name === "Product Added"));
    assert.deepEqual(added && added.props, { product_id: "zap-runner-01", quantity: 1 });
  } finally {
    await browser.close();
    await collector.stop();
  }
});

test("server-side rendering: importing in Node touches no browser global; init is a no-op with one warning", () => {
  // installed as a dependency of an app, imported by its name
  const dir = join(work, "ssr");
  cpSync(join(ROOT, "examples/esbuild-app/package.json"), join(dir, "package.json"));
  cpSync(tgz, join(dir, "vitrina-0.1.0.tgz"));
  run("npm", ["install", "--no-package-lock", "--omit=dev", "--loglevel=error"], dir);
  const script = `
    const said = [];
    for (const k of ["log", "info", "warn", "error", "debug"]) console[k] = (...a) => said.push(k + ": " + a.join(" "));
    const m = await import("vitrina");
    await m.load();
    const a = m.init({ endpoint: "https://collect.example.com" });
    const b = m.init({ endpoint: "https://collect.example.com" });
    a.track("Product Viewed", { product_id: "p1" });
    a.page(); a.flush(); a.setConsent({ analytics: true }); a.push(["track", "x"]); a.resetProfile();
    const answers = [a.profile(), a.decide("hero", ["x"]), await a.recommend({}), (await a.submitReview("p1", { rating: 5 })).ok];
    a.shutdown(); b.shutdown();
    process.stdout.write(JSON.stringify({ said, answers, globals: ["window", "document", "navigator", "localStorage"].filter((g) => g in globalThis && g !== "navigator") }));
  `;
  const out = JSON.parse(run("node", ["--input-type=module", "-e", script], dir));
  assert.deepEqual(out.said, ["warn: vitrina: init outside a browser page (server-side rendering?): it does nothing here"], "one warning, nothing else");
  assert.deepEqual(out.answers, [null, null, [], false]);
  assert.deepEqual(out.globals, [], "no browser global was created");
});

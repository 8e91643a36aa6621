// Cargo runner for the browser tests (wasm32): wasm-bindgen-test-runner serves the test page in
// its interactive mode and this drives it with Debian's Chromium through playwright-core, the
// way the end-to-end tests do, passing the page's requests to the server one at a time.
//
// Why: in the runner's own headless mode about one start in three never ran a test (measured:
// 9 of 18 starts, and 4 in a row in one CI-like run). The cause is its server, not the driver:
// the page asks for its six JS modules at once, and the server's few threads each stay on a
// kept-alive connection, so the last requests were never answered (seen from Playwright too:
// history.js and dom.js pending forever). One request at a time: 15 of 15 starts ran.
//
// Usage (see scripts/test.sh): CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="node tests/wasm-runner.mjs"
// Prints the test harness output (its summary line included) and exits 0 only on
// "test result: ok".
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS } from "./e2e/harness.mjs";

const [wasm, ...args] = process.argv.slice(2);
const TIMEOUT_MS = Number(process.env.WASM_BINDGEN_TEST_TIMEOUT || 90) * 1000;

const freePort = () => new Promise((ok, fail) => {
  const s = createServer();
  s.once("error", fail);
  s.listen(0, "127.0.0.1", () => {
    const { port } = s.address();
    s.close(() => ok(port));
  });
});

const port = await freePort();
const server = spawn("wasm-bindgen-test-runner", [wasm, ...args], {
  env: { ...process.env, NO_HEADLESS: "1", WASM_BINDGEN_TEST_ADDRESS: `127.0.0.1:${port}` },
  stdio: ["ignore", "pipe", "inherit"],
});
const stop = () => server.exitCode === null && server.kill("SIGKILL");
process.on("exit", stop);
const url = await new Promise((ok, fail) => {
  let out = "";
  server.stdout.on("data", (d) => {
    out += d;
    const m = out.match(/available at (http:\/\/[\d.:]+)/);
    if (m) ok(m[1]);
  });
  server.once("exit", (code) => fail(new Error(`wasm-bindgen-test-runner exited with ${code}:\n${out}`)));
});

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS });
const page = await browser.newPage();
const consoleLines = [];
page.on("console", (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
page.on("pageerror", (e) => consoleLines.push(`pageerror: ${e.message}`));
// The runner's server (tiny_http) has a few threads and keeps each connection open on one of
// them: with Chromium's six parallel connections, the requests on the last ones waited for a
// thread that never came free (seen: 2 of 6 snippet modules never answered, the page never ran
// its tests). Requests to it are passed through here one at a time, so one connection does.
let line = Promise.resolve();
await page.route((u) => u.href.startsWith(url), (route) => {
  line = line.then(async () => {
    const response = await route.fetch();
    await route.fulfill({ response });
  }).catch(() => route.abort().catch(() => {}));
  return line;
});
await page.goto(url, { waitUntil: "commit" });
let output = "";
const until = Date.now() + TIMEOUT_MS;
while (!output.includes("test result: ") && Date.now() < until) {
  await new Promise((r) => setTimeout(r, 100));
  output = await page.evaluate(() => document.getElementById("output")?.textContent ?? "");
}
await new Promise((r) => setTimeout(r, 100));
output = await page.evaluate(() => document.getElementById("output")?.textContent ?? "");
process.stdout.write(output.endsWith("\n") ? output : output + "\n");
const ok = output.includes("test result: ok");
if (!output.includes("test result: ")) console.log(`no test result after ${TIMEOUT_MS / 1000} s`);
if (!ok && consoleLines.length) console.log("console output:\n" + consoleLines.map((l) => "    " + l).join("\n"));
await browser.close();
stop();
process.exit(ok ? 0 : 1);

// Shared helpers for the end-to-end tests: a real collector process on a free port with its own
// SQLite file, and Debian's Chromium driven by playwright-core.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

export const ROOT = resolve(import.meta.dirname, "../..");
const COLLECTOR = process.env.VITRINA_COLLECTOR || join(ROOT, "target/debug/vitrina-collector");

export const CHROMIUM_ARGS = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--no-first-run", "--disable-quic",
];

function spawnCollector(listen, dir, extraArgs) {
  const child = spawn(COLLECTOR, ["--listen", listen, "--db", join(dir, "e2e.db"),
    "--www", join(ROOT, "www"), "--pkg", join(ROOT, "pkg"), ...extraArgs], { stdio: ["ignore", "pipe", "inherit"] });
  const url = new Promise((ok, fail) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.:]+)/);
      if (m) ok(m[1]);
    });
    child.on("exit", (code) => fail(new Error(`collector exited with ${code}`)));
  });
  return { child, url };
}

/** Starts the collector serving www/ and pkg/; resolves to { url, dir, events(), faults(), down(), up(), stop() }. */
export async function startCollector(extraArgs = []) {
  const dir = mkdtempSync(join(tmpdir(), "vitrina-e2e-"));
  let { child, url } = spawnCollector("127.0.0.1:0", dir, extraArgs);
  url = await url;
  const kill = async () => {
    if (child.exitCode !== null) return;
    const gone = new Promise((ok) => child.once("exit", ok));
    child.kill("SIGTERM");
    await gone;
  };
  return {
    url,
    dir,
    /** Sets injected faults (the collector must run with --faults). */
    async faults(f) {
      const r = await fetch(`${url}/v1/faults`, { method: "POST", body: JSON.stringify(f) });
      if (!r.ok) throw new Error(`faults: ${r.status} ${await r.text()}`);
    },
    /** Stops the process: the port refuses connections. */
    async down() {
      await kill();
    },
    /** Starts it again on the same port and database. */
    async up() {
      const again = spawnCollector(url.replace("http://", ""), dir, extraArgs);
      child = again.child;
      await again.url;
    },
    async events(type) {
      const r = await fetch(`${url}/v1/events?limit=100000${type ? `&type=${type}` : ""}`);
      return (await r.json()).events;
    },
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/**
 * Registers node:test hooks that start a collector (with `collectorArgs`) and Chromium before
 * the file's tests and stop them after; returns a live object `{ collector, browser }`.
 */
export function useCollectorAndBrowser(hooks, collectorArgs = []) {
  const env = { collector: null, browser: null };
  hooks.before(async () => {
    env.collector = await startCollector(collectorArgs);
    env.browser = await launchBrowser();
  });
  hooks.after(async () => {
    await env.browser?.close();
    await env.collector?.stop();
  });
  return env;
}

/** Polls `fn` until it returns a truthy value or `ms` pass. */
export async function eventually(fn, ms = 10000, step = 100) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, step));
  }
}

/** Waits until the SDK on the page has replaced the snippet's queue with the live API. */
export async function sdkReady(page) {
  await page.waitForFunction(() => window.vitrina && !Array.isArray(window.vitrina) && typeof window.vitrina.track === "function", null, { timeout: 10000 });
}

/** An XSS corpus (34 payloads) for every widget that draws text from outside the page. */
export const XSS = [
  `<script>window.__xss=1</script>`, `<img src=x onerror="window.__xss=1">`, `<svg onload=window.__xss=1>`,
  `"><script>window.__xss=1</script>`, `'><img src=x onerror=window.__xss=1>`, `<iframe src="javascript:parent.__xss=1"></iframe>`,
  `<body onload=window.__xss=1>`, `<a href="javascript:window.__xss=1">x</a>`, `</script><script>window.__xss=1</script>`,
  `<details open ontoggle=window.__xss=1>`, `<input autofocus onfocus=window.__xss=1>`, `<video><source onerror=window.__xss=1></video>`,
  `<audio src=x onerror=window.__xss=1>`, `<marquee onstart=window.__xss=1>`, `<object data="javascript:window.__xss=1">`,
  `<embed src="javascript:window.__xss=1">`, `<form><button formaction=javascript:window.__xss=1>x</button></form>`,
  `<style>@import'javascript:window.__xss=1'</style>`, `<link rel=stylesheet href="javascript:window.__xss=1">`,
  `<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">`, `<table background="javascript:window.__xss=1">`,
  `<div style="background:url(javascript:window.__xss=1)">`, `{{constructor.constructor('window.__xss=1')()}}`, "${window.__xss=1}",
  `<img src="x" onerror="&#119;indow.__xss=1">`, `<svg><script>window.__xss=1</script></svg>`,
  `<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">`, `<template><img src=x onerror=window.__xss=1></template>`,
  `<select autofocus onfocus=window.__xss=1>`, `<textarea autofocus onfocus=window.__xss=1>`, `<keygen autofocus onfocus=window.__xss=1>`,
  `javascript:window.__xss=1`, `<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>`, `<x onclick=window.__xss=1>click`,
];

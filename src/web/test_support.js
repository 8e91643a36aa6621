// Browser-test helpers: record what the SDK sends (the network layer only; the DOM, history,
// timers and events are Chromium's own).
export async function recordSends() {
  window.__vitrinaSent = [];
  // Each test starts without the outbox slots earlier tests' instances left behind (a new
  // instance would adopt them, as a real next page should): in localStorage and IndexedDB.
  for (const k of Object.keys(localStorage)) if (k.startsWith("vitrina.outbox.")) localStorage.removeItem(k);
  await new Promise((ok) => {
    const r = indexedDB.open("vitrina", 1);
    r.onupgradeneeded = () => r.result.createObjectStore("outbox");
    r.onsuccess = () => {
      const t = r.result.transaction("outbox", "readwrite");
      t.objectStore("outbox").clear();
      t.oncomplete = t.onerror = () => { r.result.close(); ok(); };
    };
    r.onerror = () => ok();
  });
  if (!window.__vitrinaOrig) window.__vitrinaOrig = { fetch: window.fetch, beacon: navigator.sendBeacon };
  window.fetch = async (url, init) => {
    let body = init && init.body;
    if (body instanceof ArrayBuffer) {
      // gzipped by the SDK (?gz=1): unzip to record it
      const stream = new Blob([body]).stream().pipeThrough(new DecompressionStream("gzip"));
      body = await new Response(stream).text();
    }
    window.__vitrinaSent.push({ via: "fetch", url: String(url), body: String(body) });
    return new Response("{}", { status: 200 });
  };
  navigator.sendBeacon = (url, body) => {
    window.__vitrinaSent.push({ via: "beacon", url: String(url), body: String(body) });
    return true;
  };
}
// One "via|type|name|path" line per event sent so far, in order (friction events excluded:
// see frictionEvents).
export function sentEvents() {
  const out = [];
  for (const s of window.__vitrinaSent || [])
    for (const e of JSON.parse(s.body).events)
      if (e.type !== "friction") out.push([s.via, e.type, e.name || "", e.path].join("|"));
  return out;
}
// The friction events sent so far: [{name, path, props}].
export function frictionEvents() {
  const out = [];
  for (const s of window.__vitrinaSent || [])
    for (const e of JSON.parse(s.body).events)
      if (e.type === "friction") out.push({ name: e.name, path: e.path, props: e.props || {} });
  return JSON.stringify(out);
}
export function sentCount() { return (window.__vitrinaSent || []).length; }
export function historyPushState() { return history.pushState; }
export function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }
export function fire(target, type) {
  (target === "document" ? document : window).dispatchEvent(new Event(type));
}
export function setHidden(hidden) {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (hidden ? "hidden" : "visible") });
  document.dispatchEvent(new Event("visibilitychange"));
}
export function configObject(endpoint) {
  return { endpoint, flush_interval_ms: 600000 };
}
// Friction tests: a config with short windows so tests wait little.
export function frictionConfig(endpoint) {
  return {
    endpoint,
    flush_interval_ms: 600000,
    friction: { rage_click: { max_gap_ms: 200 }, dead_click: { mutation_window_ms: 300 }, form_abandon: { idle_ms: 1000 } },
  };
}
export function addHtml(html) {
  const box = document.createElement("div");
  box.className = "vitrina-test-box";
  box.innerHTML = html;
  document.body.appendChild(box);
}
export function clearHtml() {
  for (const b of document.querySelectorAll(".vitrina-test-box")) b.remove();
  window.scrollTo(0, 0);
}
export function clickAt(selector, x, y) {
  document.querySelector(selector).dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true, clientX: x, clientY: y, button: 0 }));
}
export function onClickThrow(selector, message) {
  document.querySelector(selector).addEventListener("click", () => { throw new Error(message); });
}
export function onClickMutate(selector) {
  const el = document.querySelector(selector);
  el.addEventListener("click", () => { el.setAttribute("data-clicked", String(Date.now())); });
}
export function scrollToY(y) { window.scrollTo(0, y); }
export function focusEl(selector) { document.querySelector(selector).focus(); }
export function typeInto(selector, text) {
  const el = document.querySelector(selector);
  el.focus();
  el.value = text;
  el.dispatchEvent(new Event("input", { bubbles: true }));
}
export function busy(ms) { const end = performance.now() + ms; while (performance.now() < end) {} }
export function ignoreWindowErrors() {
  // The page under test throws on purpose; keep the test runner from treating it as a failure.
  window.addEventListener("error", (e) => e.preventDefault());
}
export function clearStorage() {
  try { localStorage.clear(); sessionStorage.clear(); } catch (_) {}
}
export function storedItem(area, key) {
  return (area === "local" ? localStorage : sessionStorage).getItem(key);
}
export function setGpc(on) {
  Object.defineProperty(navigator, "globalPrivacyControl", { configurable: true, get: () => on });
}
export function optInConfig(endpoint) {
  return { endpoint, flush_interval_ms: 600000, consent_mode: "opt_in" };
}
export function gzippedSends() {
  return (window.__vitrinaSent || []).filter((s) => s.url.includes("gz=1")).length;
}
export function putItem(key, value) { localStorage.setItem(key, value); }
export function hasItem(key) { return localStorage.getItem(key) !== null; }
export function holdLockForever(name) { navigator.locks.request(name, () => new Promise(() => {})); }
export function outboxText(heartbeat, ids) {
  let s = `vitrina-outbox 1 ${Math.round(heartbeat)} 0\n`;
  for (const id of ids) s += `${id}\ttrack\tFrom Slot\tSESSIONSESSIONSESSION0\t/slot\t${Math.round(heartbeat)}\t\n`;
  return s;
}
// Counts listeners and observers attached from now on and not yet removed (to check that
// shutdown() detaches everything it attached).
export function liveWatchers() {
  if (!window.__vitrinaLive) {
    const live = (window.__vitrinaLive = []);
    const cap = (o) => (typeof o === "boolean" ? o : !!(o && o.capture));
    const add = EventTarget.prototype.addEventListener, remove = EventTarget.prototype.removeEventListener;
    EventTarget.prototype.addEventListener = function (type, f, o) {
      live.push([this, type, f, cap(o)]);
      return add.call(this, type, f, o);
    };
    EventTarget.prototype.removeEventListener = function (type, f, o) {
      const i = live.findIndex(([t, k, g, c]) => t === this && k === type && g === f && c === cap(o));
      if (i >= 0) live.splice(i, 1);
      return remove.call(this, type, f, o);
    };
    for (const Obs of [MutationObserver, PerformanceObserver]) {
      const observe = Obs.prototype.observe, disconnect = Obs.prototype.disconnect;
      Obs.prototype.observe = function (...a) { if (!live.includes(this)) live.push(this); return observe.apply(this, a); };
      Obs.prototype.disconnect = function () { const i = live.indexOf(this); if (i >= 0) live.splice(i, 1); return disconnect.call(this); };
    }
  }
  return window.__vitrinaLive.length;
}

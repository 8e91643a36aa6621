// Browser-test helpers: record what the SDK sends (the network layer only; the DOM, history,
// timers and events are Chromium's own).
export function recordSends() {
  window.__vitrinaSent = [];
  if (!window.__vitrinaOrig) window.__vitrinaOrig = { fetch: window.fetch, beacon: navigator.sendBeacon };
  window.fetch = (url, init) => {
    window.__vitrinaSent.push({ via: "fetch", url: String(url), body: String(init && init.body) });
    return Promise.resolve(new Response("{}", { status: 200 }));
  };
  navigator.sendBeacon = (url, body) => {
    window.__vitrinaSent.push({ via: "beacon", url: String(url), body: String(body) });
    return true;
  };
}
// One "via|type|name|path" line per event sent so far, in order.
export function sentEvents() {
  const out = [];
  for (const s of window.__vitrinaSent || [])
    for (const e of JSON.parse(s.body).events) out.push([s.via, e.type, e.name || "", e.path].join("|"));
  return out;
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

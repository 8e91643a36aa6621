// The page facts and writes the wasm needs, each one small JS function: one import apiece
// instead of web-sys's chain of bindings per call (window → performance → now, window →
// localStorage → setItem with its error plumbing): measured −0.5 KB brotli.

/** Milliseconds since the Unix epoch, from the page's high-resolution clock. */
export function now() {
  return typeof performance === "object" && performance.timeOrigin ? performance.timeOrigin + performance.now() : Date.now();
}

/** The page's URL. */
export function href() {
  return String(location.href);
}

/** Whether the browser says it is online (true when it cannot tell). */
export function online() {
  return navigator.onLine !== false;
}

/** Writes a key of localStorage (`local`) or sessionStorage; an empty value removes it.
 * Missing, disabled or full storage: nothing happens. */
export function put(local, key, value) {
  try {
    const s = local ? localStorage : sessionStorage;
    value ? s.setItem(key, value) : s.removeItem(key);
  } catch (_) {}
}

/** Queues a beacon; false if the browser refused it. */
export function beacon(url, body) {
  try {
    return navigator.sendBeacon(url, body);
  } catch (_) {
    return false;
  }
}

/** The navigation entry's type (navigate, reload, back_forward) and responseStart (TTFB). */
export function navigation() {
  const e = (typeof performance === "object" && performance.getEntriesByType && performance.getEntriesByType("navigation")[0]) || {};
  return [String(e.type || ""), +e.responseStart || 0];
}

/** A debug line, or a warning. */
export function log(line, warn) {
  warn ? console.warn(line) : console.log("[vitrina]", line);
}

/** Calls `f` once, soon (test support: a trap inside a timer callback). */
export function later(f) {
  setTimeout(f);
}

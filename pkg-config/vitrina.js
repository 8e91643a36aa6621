// Vitrina's public JS entry: a thin wrapper around the wasm-bindgen output that never throws
// into the shop's page (only `init` reports a bad config, as a VitrinaError).
import * as raw from "./vitrina_raw.js";
import { mountReviews } from "./reviews.js";
import { watchGrids, recommend, decide } from "./personalize.js";
// The running instance's methods, in the order of their codes in the wasm's single `op` export
// (src/web/mod.rs).
const OPS = ["track", "page", "flush", "shutdown", "setConsent", "resetProfile", "submitReview", "addSurveys", "", "profile", "push", "learn", "recommend", "decide", "convert"];
const native = () => Object.fromEntries(OPS.map((m, i) => [m, (a, b, c) => raw.op(i, a, b, c)]));
/** Test support only: makes the wasm trap inside a timer callback (the SDK never calls it). */
export const __trapForTests = () => raw.op(99);

/** A bad config given to `init`. `field` names the option, `message` says what was expected. */
export class VitrinaError extends Error {
  constructor(message, field) {
    super(message);
    this.name = "VitrinaError";
    this.field = field;
  }
}

// Every build needs `await load()` before `init` (the glue's default export compiles the wasm).
let ready = false;
let loading, exports;
/** Benchmark support: the bytes of the wasm's memory (0 if unknown). */
export const __memoryBytes = () => {
  const m = exports && Object.values(exports).find((v) => v instanceof WebAssembly.Memory);
  return m ? m.buffer.byteLength : 0;
};

// Server-side rendering (Node, Deno, a worker) or a DOM emulation in a shop's unit tests (jsdom,
// happy-dom): no page to watch. `load` resolves without fetching anything and `init` warns once
// and returns an instance that does nothing.
const SERVER = typeof window === "undefined" || typeof document === "undefined" || /jsdom|HappyDOM/.test(navigator.userAgent);

/** Loads the wasm (once; after a failure, e.g. offline, the next call tries again). `wasm` optionally overrides its URL. */
export function load(wasm) {
  return (loading ||= ready || SERVER
    ? Promise.resolve()
    : raw.default(wasm === undefined ? undefined : { module_or_path: wasm }).then(
        (x) => {
          exports = x;
          ready = true;
        },
        (e) => {
          loading = null;
          throw e;
        },
      ));
}

const METHODS = ["track", "page", "flush", "shutdown", "setConsent", "resetProfile"];
// The words for each review problem the core reports, in Spanish and English.
const WORDS = {
  rating_required: ["Elige una valoración de 1 a 5 estrellas.", "Choose a rating from 1 to 5 stars."],
  title_too_long: ["El título puede tener como máximo 120 caracteres.", "The title can be at most 120 characters."],
  body_too_short: ["Escribe al menos 20 caracteres, o deja la opinión vacía.", "Write at least 20 characters, or leave the review empty."],
  body_too_long: ["La opinión puede tener como máximo 5000 caracteres.", "The review can be at most 5000 characters."],
  nickname_length: ["El apodo debe tener entre 2 y 40 caracteres.", "The nickname must be 2 to 40 characters."],
  too_fast: ["Tómate unos segundos más antes de enviar.", "Take a few more seconds before sending."],
  spam: ["No se ha podido enviar la opinión.", "The review could not be sent."],
  already_reviewed: ["Ya has opinado sobre este producto. ¡Gracias!", "You have already reviewed this product. Thank you!"],
  product_id: ["Falta el producto de esta opinión.", "This review has no product."],
  send_failed: ["No se ha podido enviar. Inténtalo de nuevo.", "It could not be sent. Please try again."],
  unavailable: ["Las opiniones no están disponibles ahora.", "Reviews are not available right now."],
};
// `answer` with every error worded in `lang` (the draft's, else <html lang>; Spanish by default).
function worded(answer, draft) {
  const tag = (draft && typeof draft.lang === "string" && draft.lang) || (typeof document === "object" && document.documentElement.lang) || "";
  const en = /^en/i.test(tag) ? 1 : 0;
  for (const e of answer.errors || []) e.message = (WORDS[e.code] || WORDS.unavailable)[en];
  return answer;
}
// What submitReview answers once the SDK is off.
const UNAVAILABLE = (draft) => Promise.resolve(worded({ ok: false, errors: [{ field: "form", code: "unavailable" }] }, draft));

// An internal error (a trap in the wasm: the release build turns panics into traps) switches the
// SDK off for good, with one warning; the shop keeps working.
let off = false;
function switchOff() {
  if (off) return;
  off = true;
  try {
    raw.switchOff();
  } catch (_) {}
  console.warn("vitrina: internal error; the SDK switched itself off (the shop is unaffected)");
}
// A trap inside one of the SDK's DOM callbacks reaches the page as an uncaught
// WebAssembly.RuntimeError: switch off, and keep it out of the console when the stack is ours.
// A trap in a promise callback (a send's result) arrives as an unhandled rejection instead.
if (typeof addEventListener === "function" && typeof WebAssembly === "object")
  for (const kind of ["error", "unhandledrejection"])
    addEventListener(kind, (e) => {
      const x = kind === "error" ? e.error : e.reason;
      if (!(x instanceof WebAssembly.RuntimeError)) return;
      if (/vitrina/.test(x.stack)) e.preventDefault();
      switchOff();
    });

// Widgets on the page: every [data-vitrina-reviews="PRODUCT_ID"] element, once the DOM is there.
function mountAll(api) {
  const go = () => {
    for (const el of document.querySelectorAll("[data-vitrina-reviews]")) api.mountReviews(el, el.getAttribute("data-vitrina-reviews"));
  };
  if (typeof document === "undefined") return;
  document.readyState === "loading" ? addEventListener("DOMContentLoaded", go, { once: true }) : go();
}

function wrap(inner, config) {
  const endpoint = String((config && config.endpoint) || "").replace(/\/+$/, "");
  // The collector's surveys (validated there at start-up); the core decides when one opens.
  if (inner && config && config.surveys === true && typeof fetch === "function")
    fetch(endpoint + "/v1/surveys")
      .then((r) => (r.ok ? r.json() : []))
      .then((list) => off || inner.addSurveys(list))
      .catch(() => {});
  const api = {
    /** Draws the reviews widget of `productId` into `el` (also done for [data-vitrina-reviews]). */
    mountReviews(el, productId, opts) {
      if (inner && !off)
        try {
          mountReviews(api, endpoint, el, String(productId || ""), opts);
        } catch (_) {}
    },
  };
  for (const m of METHODS)
    api[m] = (...args) => {
      if (inner && !off)
        try {
          inner[m](...args);
        } catch (_) {
          switchOff(); // no other call ever throws into the page
        }
    };
  // The on-device profile: grids re-ordered by it, and a copy of it for the shopper ("why am I
  // seeing this"); null when the SDK is off.
  const unwatch = inner ? watchGrids(inner) : () => {};
  const stop = api.shutdown;
  // Once shut down this object stays off, even if the page starts a new instance later.
  api.shutdown = () => (unwatch(), stop(), (inner = null));
  api.profile = () => {
    try {
      const t = inner && !off && inner.profile();
      return t ? JSON.parse(t) : null;
    } catch (_) {
      return null;
    }
  };
  api.recommend = (opts) => (inner && !off ? recommend(inner, opts).catch((e) => (e instanceof WebAssembly.RuntimeError && switchOff(), [])) : Promise.resolve([]));
  api.decide = (slot, variants) => {
    try {
      return inner && !off ? decide(inner, slot, variants) : null;
    } catch (_) {
      return null;
    }
  };
  // The queue form: ["track", name, props], ["page"], …; anything else is the wasm's to count.
  api.push = (call) => {
    const [m, ...args] = Array.isArray(call) ? call : [];
    if (METHODS.includes(m) || m === "submitReview") return api[m](...args);
    if (inner && !off)
      try {
        inner.push(call);
      } catch (_) {
        switchOff();
      }
  };
  // The wasm answers through a callback with JSON text; the page gets a promise of the object.
  api.submitReview = (productId, draft) =>
    new Promise((resolve) => {
      if (!inner || off) return resolve("");
      try {
        inner.submitReview(productId, draft, resolve);
      } catch (_) {
        switchOff();
        resolve("");
      }
    }).then((text) => (text ? worded(JSON.parse(text), draft) : UNAVAILABLE(draft)));
  return api;
}

let warned;
/** Starts Vitrina and returns the instance. Throws VitrinaError on a bad config. */
export function init(config) {
  if (SERVER) {
    warned ||= (console.warn("vitrina: init outside a browser page (server-side rendering?): it does nothing here"), 1);
    return wrap(null, {});
  }
  if (!ready) throw new VitrinaError("load: call `await load()` before `init` (the wasm is not loaded yet)", "load");
  try {
    raw.start(config);
    const api = wrap(native(), config);
    mountAll(api);
    return api;
  } catch (e) {
    if (e && e.name === "VitrinaError") throw new VitrinaError(e.message, e.field);
    throw new VitrinaError("internal: " + (e && e.message), "internal");
  }
}

/**
 * Replays the calls queued in `window.vitrina` by the snippet (an `["init", config]` and any
 * `["track", ...]`), in order, then replaces `window.vitrina` with the live API so later
 * `vitrina.push([...])` calls run at once.
 */
export function installQueue(w = globalThis) {
  let pending = Array.isArray(w.vitrina) ? w.vitrina.slice() : [];
  let api = null;
  // The first ["init", config] starts the SDK; every other call then runs in the order queued
  // (those queued before init included). A bad config is logged (there is no caller to throw to)
  // and dropped, so a later good init can still start it.
  const start = () => {
    const at = pending.findIndex((c) => Array.isArray(c) && c[0] === "init");
    if (at < 0) return;
    const config = pending[at][1];
    pending.splice(at, 1);
    try {
      api = init(config);
    } catch (e) {
      console.error("vitrina: init failed:", e);
      return;
    }
    const rest = pending;
    pending = null;
    for (const call of rest) api.push(call);
  };
  start();
  const facade = {
    push(call) {
      if (api) return api.push(call);
      pending.push(call);
      start();
    },
  };
  for (const m of METHODS)
    facade[m] = (...args) => (api ? api[m](...args) : facade.push([m, ...args]));
  facade.submitReview = (productId, draft) => (api ? api.submitReview(productId, draft) : UNAVAILABLE(draft));
  facade.mountReviews = (...args) => api && api.mountReviews(...args);
  facade.profile = () => (api ? api.profile() : null);
  facade.recommend = (opts) => (api ? api.recommend(opts) : Promise.resolve([]));
  facade.decide = (slot, variants) => (api ? api.decide(slot, variants) : null);
  w.vitrina = facade;
  return facade;
}

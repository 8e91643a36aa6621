// POSTs a batch. When the core asks for it (`gzip`), the body is compressed with
// CompressionStream where the browser has it and flagged with ?gz=1 (a Content-Encoding header
// would cost a CORS preflight). Resolves to [status, retryAfterHeader]; rejects on network
// errors and after 30 s without an answer. Kept in JS: the streams plumbing is a few lines here
// and kilobytes of bindings in wasm.
//
// One tab sends at a time: every fetch runs under the "vitrina.send" Web Lock, so the batches of
// all tabs of the shop go out one after another. Without Web Locks a lease in localStorage
// ("vitrina.sending": "<tab> <expires_ms>", free again when released or expired)
// does the same; two tabs that write it at the same moment both read it back and only the
// one whose value stuck goes on. Beacons at page exit do not wait (the page is going away).
const LEASE = "vitrina.sending";
const LEASE_MS = 35000; // longer than the fetch timeout, so a live holder never loses it
const tab = Math.random().toString(36).slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function post(url, body, keepalive, gzip) {
  let data = body;
  if (gzip && typeof CompressionStream === "function") {
    try {
      const stream = new Blob([body]).stream().pipeThrough(new CompressionStream("gzip"));
      data = await new Response(stream).arrayBuffer();
      url += (url.includes("?") ? "&" : "?") + "gz=1";
    } catch (_) {
      data = body;
    }
  }
  // Give up after 30 s, so a stalled request never holds the lock.
  const abort = typeof AbortController === "function" ? new AbortController() : null;
  const timer = abort && setTimeout(() => abort.abort(), 30000);
  try {
    const r = await fetch(url, { method: "POST", body: data, keepalive, signal: abort && abort.signal, headers: { "content-type": "text/plain;charset=UTF-8" } });
    await r.text(); // the exchange is over (and the lock free) only once the answer is read
    return [r.status, r.headers.get("retry-after")];
  } finally {
    clearTimeout(timer);
  }
}

async function leased(go) {
  let ls;
  try {
    ls = localStorage;
    ls.getItem(LEASE);
  } catch (_) {
    return go(); // no storage: nothing to coordinate through
  }
  const mine = tab + " ";
  for (;;) {
    const [who, until] = (ls.getItem(LEASE) || " 0").split(" ");
    if (who === tab || !who || +until < Date.now()) {
      try {
        ls.setItem(LEASE, mine + (Date.now() + LEASE_MS));
      } catch (_) {
        return go(); // storage full: send uncoordinated rather than not at all
      }
      await sleep(30); // a tab that wrote at the same moment overwrites us here, or we it
      if ((ls.getItem(LEASE) || "").startsWith(mine)) break;
    }
    await sleep(50 + Math.random() * 100);
  }
  try {
    return await go();
  } finally {
    if ((ls.getItem(LEASE) || "").startsWith(mine)) ls.removeItem(LEASE);
  }
}

// Frees the send lock held by the exchange in flight, if any (see releaseSendLock).
let letGo = null;

// The page is going (pagehide): a page kept in the back/forward cache while holding a lock
// another page asks for is evicted (Chromium's weblocks-contention), so the lock goes now. The
// request itself goes on (keepalive) and still answers.
export function releaseSendLock() {
  if (letGo) letGo();
}

export function send(url, body, keepalive, gzip) {
  const go = () => post(url, body, keepalive, gzip);
  if (!navigator.locks) return leased(go);
  return new Promise((resolve, reject) => {
    let ran = false;
    navigator.locks
      .request("vitrina.send", () => {
        ran = true;
        const p = go();
        p.then(resolve, reject);
        // Held until the exchange is over, or until the page goes.
        return new Promise((free) => {
          letGo = free;
          const done = () => (letGo === free && (letGo = null), free());
          p.then(done, done);
        });
      })
      // A lock the page may not take (an opaque-origin frame) must not stop sending.
      .catch(() => ran || go().then(resolve, reject));
  });
}

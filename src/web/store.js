// Where each page keeps its outbox slot, and how tabs hand slots on. Mechanism only: what goes
// in a slot, and when it is written, is decided by the core.
//
// - IndexedDB (database "vitrina", store "outbox", one record per slot) is the primary store
//   where Web Locks exist (claiming needs them, see below); localStorage otherwise, and whenever
//   IndexedDB cannot be opened or a write fails. Memory is the last resort (in the core).
// - The exit write (pagehide) goes to localStorage only: it is synchronous, so it is done when
//   the page goes, where an IndexedDB transaction begun then may never commit (and, pending,
//   would get the page evicted from the back/forward cache). The IndexedDB copy from up to a
//   second before stays; the next page claims both (the core keeps each event id once). Once a
//   later IndexedDB write of the same slot succeeds (the page came back), the exit copy goes.
// - Each page holds the Web Lock "vitrina.tab.<slot>" while it lives (the browser releases it
//   when the page goes, even on a crash), so a slot whose lock is free belongs to a page that is
//   gone. Slots are claimed under one exclusive "vitrina.adopt" lock and removed before it is
//   released, so two tabs never adopt the same slot.
// Without Web Locks holdTabLock and claimOrphans return null and the SDK falls back to its
// heartbeat rule over localStorage.
let db;
let seq = 0; // orders this page's writes
const exitAt = new Map(); // slot → seq of its latest exit copy in localStorage

function open() {
  return (db ||= new Promise((ok) => {
    // Some engines never answer indexedDB.open: after 2 s, go on without it.
    setTimeout(() => ok(null), 2000);
    try {
      const r = indexedDB.open("vitrina", 1);
      r.onupgradeneeded = () => r.result.createObjectStore("outbox");
      r.onsuccess = () => ok(r.result);
      r.onerror = r.onblocked = () => ok(null);
    } catch (_) {
      ok(null);
    }
  }));
}

// Runs `fn(store)` in one transaction; resolves to what `fn` returned (a function: called after
// commit), rejects if there is no database or the transaction fails.
function tx(mode, fn) {
  return open().then((d) => {
    if (!d) throw 0;
    return new Promise((ok, fail) => {
      const t = d.transaction("outbox", mode);
      const after = fn(t.objectStore("outbox"));
      t.oncomplete = () => ok(after && after());
      t.onerror = t.onabort = () => fail(t.error);
    });
  });
}

function local(key, text) {
  try {
    text ? localStorage.setItem(key, text) : localStorage.removeItem(key);
    return true;
  } catch (_) {
    return false;
  }
}

// Stores a slot (an empty text removes it). With `debug`, says so when no store took it.
export function saveSlot(key, text, exit, debug) {
  const lost = () =>
    debug && console.warn("[vitrina]", "cannot write localStorage or IndexedDB (disabled or full): unsent events are kept in memory only");
  if (!navigator.locks) return local(key, text) || lost();
  const mine = ++seq;
  if (exit) {
    // No IndexedDB transaction at exit: one still pending when the page enters the back/forward
    // cache gets it evicted as soon as another page touches the store.
    if (local(key, text)) exitAt.set(key, mine);
    else lost();
    return;
  }
  if (!text) local(key, "");
  tx("readwrite", (s) => void (text ? s.put(text, key) : s.delete(key))).then(
    // The exit copy goes only if it is older than this write (a write begun before the page
    // left and finished after must not remove the newer copy).
    () => (exitAt.get(key) || 0) < mine && exitAt.delete(key) && local(key, ""),
    () => (local(key, text) ? exitAt.set(key, mine) : lost()),
  );
}

export function holdTabLock(slot) {
  if (!navigator.locks) return null;
  let release;
  const held = new Promise((r) => (release = r));
  navigator.locks.request("vitrina.tab." + slot, () => held).catch(() => {});
  return release;
}

// The texts of every slot (localStorage and IndexedDB) whose page is gone, removed from storage.
export function claimOrphans(prefix, ownSlot) {
  if (!navigator.locks) return null;
  return navigator.locks
    .request("vitrina.adopt", async () => {
      const { held = [] } = await navigator.locks.query();
      const live = new Set(held.map((l) => l.name));
      const orphan = (key) => {
        if (typeof key !== "string" || !key.startsWith(prefix)) return false;
        const slot = key.slice(prefix.length);
        return slot !== ownSlot && !live.has("vitrina.tab." + slot);
      };
      const claimed = [];
      try {
        for (let i = localStorage.length - 1; i >= 0; i--) {
          const key = localStorage.key(i);
          if (!orphan(key)) continue;
          const text = localStorage.getItem(key);
          localStorage.removeItem(key);
          if (text) claimed.push(text);
        }
      } catch (_) {}
      await tx("readwrite", (s) => {
        const c = s.openCursor();
        c.onsuccess = () => {
          const cur = c.result;
          if (!cur) return;
          if (orphan(cur.key)) {
            claimed.push(cur.value);
            cur.delete();
          }
          cur.continue();
        };
      }).catch(() => {});
      return claimed;
    })
    .catch(() => []);
}

// What init needs from the page, read in one call: 32 random bytes (Web Crypto, else
// Math.random), the stored values of `keys` (session id and navigation history from
// sessionStorage, the rest from localStorage), the privacy signal (GPC or DNT) and the
// document's language. Missing or unreadable storage
// reads as nothing.
export function readPage(keys) {
  const seed = new Uint8Array(32);
  try {
    crypto.getRandomValues(seed);
  } catch (_) {
    for (let i = 0; i < 32; i++) seed[i] = Math.random() * 256;
  }
  const get = (area, key) => {
    try {
      return (area ? localStorage : sessionStorage).getItem(key);
    } catch (_) {
      return null;
    }
  };
  const n = typeof navigator === "object" ? navigator : {};
  return [
    seed,
    ...keys.map((key, i) => get(i > 1 ? 1 : 0, key)), // the first two live in sessionStorage
    n.globalPrivacyControl === true || n.doNotTrack === "1" || window.doNotTrack === "1",
    document.documentElement.getAttribute("lang") || "",
  ];
}

// Without Web Locks: every stored outbox slot as [key, text] (the core decides which to adopt).
export function storedSlots(prefix) {
  const out = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key && key.startsWith(prefix)) out.push([key, localStorage.getItem(key)]);
    }
  } catch (_) {}
  return out;
}

export function removeSlot(key) {
  try {
    localStorage.removeItem(key);
  } catch (_) {}
}

// Web Locks for the outbox slots of several tabs:
// - each page holds "vitrina.tab.<slot>" while it lives (the browser releases it when the page
//   goes away, even on a crash), so a slot whose lock is free belongs to a page that is gone;
// - slots are claimed under one exclusive "vitrina.adopt" lock and removed before it is released,
//   so two tabs never adopt the same slot.
// Without Web Locks (old browsers) both functions return null and the SDK falls back to its
// heartbeat rule.
export function holdTabLock(slot) {
  if (!navigator.locks) return null;
  let release;
  const held = new Promise((r) => (release = r));
  navigator.locks.request("vitrina.tab." + slot, () => held).catch(() => {});
  return release;
}

export function claimOrphans(prefix, ownSlot) {
  if (!navigator.locks) return null;
  return navigator.locks
    .request("vitrina.adopt", async () => {
      const { held = [] } = await navigator.locks.query();
      const live = new Set(held.map((l) => l.name));
      const claimed = [];
      for (let i = localStorage.length - 1; i >= 0; i--) {
        const key = localStorage.key(i);
        if (!key || !key.startsWith(prefix)) continue;
        const slot = key.slice(prefix.length);
        if (slot === ownSlot || live.has("vitrina.tab." + slot)) continue;
        const text = localStorage.getItem(key);
        localStorage.removeItem(key);
        if (text) claimed.push(text);
      }
      return claimed;
    })
    .catch(() => []);
}

// The page-level events the SDK needs, attached in one place: SPA navigations (history.pushState /
// replaceState wrapped, popstate), back/forward cache restores, pagehide, online / offline and
// visibility. Each reaches the wasm as one call `emit(kind, flag)` (kinds mirrored in
// runtime.rs). Returns the function that detaches everything and undoes the history patch; after
// that the wrappers never call `emit` again, even if another script wrapped them on top of ours
// and keeps calling through.
const PUSH = 1, REPLACE = 2, POP = 3, RESTORED = 4, HIDE = 5, ONLINE = 6, VISIBILITY = 7;

export function watchPage(emit) {
  const h = history, originals = {}, wrappers = {}, undo = [];
  let live = true;
  for (const name of ["pushState", "replaceState"]) {
    const original = (originals[name] = h[name]);
    wrappers[name] = h[name] = function (...args) {
      const result = original.apply(this, args);
      if (live) {
        try { emit(name === "pushState" ? PUSH : REPLACE, false); } catch (_) { /* never break the shop's router */ }
      }
      return result;
    };
  }
  const on = (target, kind, f) => {
    target.addEventListener(kind, f, { passive: true });
    undo.push(() => target.removeEventListener(kind, f));
  };
  on(window, "popstate", () => emit(POP, false));
  on(window, "pageshow", (e) => e.persisted && emit(RESTORED, false));
  on(window, "pagehide", () => emit(HIDE, false));
  on(window, "online", () => emit(ONLINE, true));
  on(window, "offline", () => emit(ONLINE, false));
  on(document, "visibilitychange", () => emit(VISIBILITY, document.visibilityState === "hidden"));
  return () => {
    live = false;
    for (const name in originals) if (h[name] === wrappers[name]) h[name] = originals[name];
    undo.splice(0).forEach((f) => f());
  };
}

// Wraps history.pushState / replaceState so the SDK hears about SPA navigations.
// Returns a function that undoes the patch. After undo the wrappers never call `notify`
// again, even if another script wrapped them on top of ours and keeps calling through.
export function patchHistory(notify) {
  const h = history, originals = {}, wrappers = {};
  let live = true;
  for (const name of ["pushState", "replaceState"]) {
    const original = (originals[name] = h[name]);
    wrappers[name] = h[name] = function (...args) {
      const result = original.apply(this, args);
      if (live) {
        try { notify(name === "pushState"); } catch (_) { /* never break the shop's router */ }
      }
      return result;
    };
  }
  return () => {
    live = false;
    for (const name in originals) if (h[name] === wrappers[name]) h[name] = originals[name];
  };
}

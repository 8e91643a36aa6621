// Watching the DOM for the friction edge. Kept in JS: these lines replace dozens of web-sys
// bindings and closures in the wasm. It describes what happened and decides nothing: each event
// reaches the wasm as one call `emit(kind, x, y, data)` (kinds below, mirrored in friction.rs).
const INTERACTIVE =
  "button,a,input,select,textarea,label,summary,[role=button],[role=link],[role=tab],[role=menuitem],[onclick]";
const NOT_TEXT = /^(button|submit|reset|checkbox|radio|range|color|file|image|hidden)$/i;

// A stable selector: #id, tag[data-testid="x"], else a short tag path with :nth-of-type.
function selector(el) {
  const parts = [];
  for (let e = el, depth = 0; e && depth < 5; e = e.parentElement, depth++) {
    if (e.id && !e.id.includes(" ")) { parts.push("#" + e.id); break; }
    const tag = e.localName;
    const testid = e.getAttribute("data-testid");
    if (testid !== null) { parts.push(`${tag}[data-testid="${testid.replace(/"/g, "'")}"]`); break; }
    if (tag === "body" || tag === "html") { parts.push(tag); break; }
    let part = tag;
    const p = e.parentElement;
    if (p) {
      const same = [...p.children].filter((k) => k.localName === tag);
      if (same.length > 1) part += `:nth-of-type(${same.indexOf(e) + 1})`;
    }
    parts.push(part);
  }
  return parts.reverse().join(">");
}

const MASK = "[data-vitrina-mask]";

// The element's text without what sits inside data-vitrina-mask, first 40 characters.
function text(el) {
  let out = "";
  const walk = (node) => {
    for (let n = node.firstChild; n && out.length < 80; n = n.nextSibling) {
      if (n.nodeType === 3) out += n.data;
      else if (n.nodeType === 1 && !n.matches(MASK)) walk(n);
    }
  };
  walk(el);
  return out.replace(/\s+/g, " ").trim().slice(0, 40);
}

// A click's element as the trace format describes it:
// [sel, tag, role, type, text (40 chars), label (40 chars), editable, in_link, ignore, mask],
// or null.
function describeClick(event) {
  let t = event.target;
  if (t && t.nodeType !== 1) t = t.parentElement;
  if (!t || !t.closest) return null;
  const el = t.closest(INTERACTIVE) || t;
  const tag = el.localName;
  const type = tag === "input" ? el.getAttribute("type") || "" : "";
  const editable = tag === "textarea" || tag === "select" || (tag === "input" && !NOT_TEXT.test(type)) || !!el.isContentEditable;
  return [
    selector(el), tag, el.getAttribute("role") || "", type,
    text(el), (el.getAttribute("aria-label") || "").slice(0, 40),
    editable, !!el.closest("a[href]"), !!el.closest("[data-vitrina-ignore]"), !!(el.closest(MASK) || t.closest(MASK)),
  ];
}

function formKey(form) {
  return form.id || form.getAttribute("name") || selector(form);
}

// A form control's [form, field, filled] (filled: it has a value; the value itself is never
// read beyond that), or null when it is not a control inside a <form>.
function describeField(event) {
  const el = event.target;
  if (!el || !/^(input|select|textarea)$/.test(el.localName || "") || !el.form) return null;
  const kind = (el.getAttribute("type") || "").toLowerCase();
  const filled = kind === "checkbox" || kind === "radio" ? el.checked : el.value !== "";
  return [formKey(el.form), el.getAttribute("name") || el.id || selector(el), filled];
}

function describeForm(event) {
  return event.target && event.target.localName === "form" ? formKey(event.target) : null;
}

function errorMessage(event) {
  if (event.type === "unhandledrejection") {
    const r = event.reason;
    return "Unhandled rejection: " + (r && r.message !== undefined ? r.message : String(r));
  }
  return event.message || "";
}

// The kinds emit() reports (see friction.rs).
const CLICK = 1, KEY = 2, SCROLL = 3, SELECTION = 4, WINDOW_FOCUS = 5, ERROR = 6, FIELD = 7, SUBMIT = 8,
  MUTATION = 9, LCP = 10, SHIFT = 11, INTERACTION = 12, FCP = 13, LONG_TASK = 14;

// Attaches every friction listener and observer; returns the function that detaches them all.
export function watchFriction(emit) {
  const undo = [];
  const on = (target, kind, f, capture) => {
    target.addEventListener(kind, f, { capture, passive: true });
    undo.push(() => target.removeEventListener(kind, f, capture));
  };
  on(document, "click", (e) => {
    if (e.button !== 0) return;
    const d = describeClick(e);
    if (d) emit(CLICK, e.clientX, e.clientY, d.concat(e.ctrlKey || e.metaKey || e.altKey || e.shiftKey));
  }, true);
  on(document, "keydown", () => emit(KEY, 0, 0), true);
  on(window, "scroll", () => emit(SCROLL, scrollY, 0));
  on(document, "selectionchange", () => emit(SELECTION, 0, 0));
  on(window, "focus", () => emit(WINDOW_FOCUS, 1, 0));
  on(window, "blur", () => emit(WINDOW_FOCUS, 0, 0));
  on(window, "error", (e) => emit(ERROR, 0, 0, errorMessage(e)));
  on(window, "unhandledrejection", (e) => emit(ERROR, 0, 0, errorMessage(e)));
  ["focusin", "input", "focusout"].forEach((kind, action) =>
    on(document, kind, (e) => {
      const d = describeField(e);
      if (d) emit(FIELD, action, 0, d);
    }, true));
  on(document, "submit", (e) => {
    const form = describeForm(e);
    if (form !== null) emit(SUBMIT, 0, 0, form);
  }, true);
  const watch = (o, ...args) => {
    o.observe(...args);
    undo.push(() => o.disconnect());
  };
  if (typeof MutationObserver === "function" && document.documentElement)
    watch(new MutationObserver(() => emit(MUTATION, 0, 0)), document.documentElement,
      { childList: true, subtree: true, attributes: true, characterData: true });
  const supported = (typeof PerformanceObserver === "function" && PerformanceObserver.supportedEntryTypes) || [];
  for (const type of ["largest-contentful-paint", "layout-shift", "event", "first-input", "paint", "longtask"]) {
    if (!supported.includes(type)) continue;
    watch(new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (type === "largest-contentful-paint") emit(LCP, e.renderTime || e.startTime, 0);
        else if (type === "layout-shift") emit(SHIFT, e.value, e.startTime, e.hadRecentInput);
        else if (type === "event" || type === "first-input") emit(INTERACTION, e.interactionId || 0, e.duration);
        else if (type === "paint") e.name === "first-contentful-paint" && emit(FCP, e.startTime, 0);
        else emit(LONG_TASK, e.duration, 0);
      }
    }), type === "event" ? { type, buffered: true, durationThreshold: 40 } : { type, buffered: true });
  }
  return () => undo.splice(0).forEach((f) => f());
}

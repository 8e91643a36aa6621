// Reading the DOM for the friction edge. Kept in JS: a few lines here replace dozens of web-sys
// bindings in the wasm. It describes what happened and decides nothing.
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

// A click's element as the trace format describes it:
// [sel, tag, role, type, text (40 chars), label (40 chars), editable, in_link, ignore, mask],
// or null.
export function describeClick(event) {
  let t = event.target;
  if (t && t.nodeType !== 1) t = t.parentElement;
  if (!t || !t.closest) return null;
  const el = t.closest(INTERACTIVE) || t;
  const tag = el.localName;
  const type = tag === "input" ? el.getAttribute("type") || "" : "";
  const editable = tag === "textarea" || tag === "select" || (tag === "input" && !NOT_TEXT.test(type)) || !!el.isContentEditable;
  return [
    selector(el), tag, el.getAttribute("role") || "", type,
    (el.textContent || "").trim().slice(0, 40), (el.getAttribute("aria-label") || "").slice(0, 40),
    editable, !!el.closest("a[href]"), !!el.closest("[data-vitrina-ignore]"), !!el.closest("[data-vitrina-mask]"),
  ];
}

function formKey(form) {
  return form.id || form.getAttribute("name") || selector(form);
}

// A form control's [form, field, filled] (filled: it has a value; the value itself is never
// read beyond that), or null when it is not a control inside a <form>.
export function describeField(event) {
  const el = event.target;
  if (!el || !/^(input|select|textarea)$/.test(el.localName || "") || !el.form) return null;
  const kind = (el.getAttribute("type") || "").toLowerCase();
  const filled = kind === "checkbox" || kind === "radio" ? el.checked : el.value !== "";
  return [formKey(el.form), el.getAttribute("name") || el.id || selector(el), filled];
}

export function describeForm(event) {
  return event.target && event.target.localName === "form" ? formKey(event.target) : null;
}

export function errorMessage(event) {
  if (event.type === "unhandledrejection") {
    const r = event.reason;
    return "Unhandled rejection: " + (r && r.message !== undefined ? r.message : String(r));
  }
  return event.message || "";
}

// The survey widget: draws the step the core asks for (a question or the thank-you step) in a
// Shadow DOM dialog fixed to the corner of the viewport (it never shifts the page), and reports
// the shopper's answer or closing back to the wasm. It decides nothing: targeting, caps,
// branching and checks are the core's. Text goes in as text only.
const T = {
  es: { close: "Cerrar", send: "Enviar", of: (n, m) => n + " de " + m, placeholder: "Escribe aquí" },
  en: { close: "Close", send: "Send", of: (n, m) => n + " of " + m, placeholder: "Type here" },
};
const SCALE = { nps: [0, 10], csat: [1, 5], ces: [1, 7] };
const STYLE = `:host{all:initial;position:fixed;right:16px;bottom:16px;z-index:2147483000;font:var(--vitrina-font,15px/1.4 system-ui,sans-serif)}
div[role=dialog]{background:var(--vitrina-bg,#fff);color:var(--vitrina-text,#111);border-radius:var(--vitrina-radius,8px);box-shadow:0 6px 24px #0003;padding:16px;max-width:360px}
p{margin:0 0 12px;padding-right:24px}.opts{display:flex;flex-wrap:wrap;gap:6px}button{font:inherit;cursor:pointer;border-radius:var(--vitrina-radius,6px);border:1px solid #888;background:#fff;padding:6px 10px}
.x{position:absolute;top:8px;right:8px;border:0;background:none;font-size:20px;line-height:1}.go{background:var(--vitrina-accent,#c2410c);border-color:var(--vitrina-accent,#c2410c);color:var(--vitrina-on-accent,#fff);margin-top:8px}
textarea{width:100%;box-sizing:border-box;font:inherit}label{display:block}:focus-visible{outline:2px solid var(--vitrina-accent,#c2410c);outline-offset:2px}`;

// Styles through a constructable stylesheet, which a strict CSP (style-src 'self') allows and a
// <style> element it blocks; a <style> where there is none (Safari < 16.4, Firefox < 101).
// (The same three lines as in pkg-config/reviews.js: a wasm-bindgen snippet and the wrapper's modules
// cannot import each other, and in the bundle brotli stores the copy for a few bytes.)
const styled = (root, css) => {
  try {
    const s = new CSSStyleSheet();
    s.replaceSync(css);
    root.adoptedStyleSheets = [s];
  } catch (_) {
    root.prepend(Object.assign(document.createElement("style"), { textContent: css }));
  }
};

let host = null, previous = null;

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  for (const c of kids) e.append(c);
  return e;
}

function remove() {
  if (host) host.remove();
  host = null;
  if (previous && previous.focus) previous.focus();
  previous = null;
}

// Whether the page answers a survey's targeting probe: a CSS selector (`css`) or the path
// matching a regular expression. A bad pattern matches nothing.
export function probe(css, pattern, path) {
  try {
    return css ? !!document.querySelector(pattern) : new RegExp(pattern).test(path);
  } catch (_) {
    return false;
  }
}

export function isMobile() {
  return typeof matchMedia === "function" && matchMedia("(max-width: 767px)").matches;
}

// Draws `json` (see render in src/core/sdk/surveys.rs). `answer(id, value)` and `close(id)`
// report back.
export function showSurvey(json, answer, close) {
  const s = JSON.parse(json);
  const t = T[(document.documentElement.lang || "").slice(0, 2).toLowerCase() === "en" ? "en" : "es"];
  if (!host) {
    previous = document.activeElement;
    host = el("div", { "data-vitrina-survey": s.survey });
    host.attachShadow({ mode: "open" });
    document.body.append(host);
  }
  const root = host.shadowRoot;
  const done = () => {
    close(s.survey);
    remove();
  };
  const text = el("p", { id: "t" }, s.thanks || s.text);
  const dialog = el("div", { role: "dialog", "aria-modal": "true", "aria-labelledby": "t" },
    text, el("button", { class: "x", type: "button", "aria-label": t.close }, "×"));
  dialog.querySelector(".x").onclick = done;
  const body = el("div", { class: "opts" });
  dialog.append(body);
  if (s.thanks) {
    const b = el("button", { class: "go", type: "button" }, t.close);
    b.onclick = done;
    body.append(b);
  } else if (SCALE[s.type]) {
    const [lo, hi] = SCALE[s.type];
    for (let n = lo; n <= hi; n++) {
      const b = el("button", { type: "button", "aria-label": t.of(n, hi) }, String(n));
      b.onclick = () => answer(s.survey, n);
      body.append(b);
    }
  } else if (s.type === "single") {
    s.options.forEach((o, i) => {
      const b = el("button", { type: "button" }, o);
      b.onclick = () => answer(s.survey, i);
      body.append(b);
    });
  } else {
    const field = s.type === "text"
      ? el("textarea", { rows: "3", maxlength: "2000", "aria-labelledby": "t", placeholder: t.placeholder })
      : el("fieldset", { "aria-labelledby": "t" }, ...s.options.map((o, i) => el("label", {}, el("input", { type: "checkbox", value: String(i) }), " " + o)));
    const go = el("button", { class: "go", type: "button" }, t.send);
    go.onclick = () => answer(s.survey, s.type === "text" ? field.value : [...field.querySelectorAll("input:checked")].map((c) => +c.value));
    body.append(field, go);
  }
  // A dialog: Esc closes it, Tab stays inside.
  dialog.addEventListener("keydown", (e) => {
    if (e.key === "Escape") return done();
    if (e.key !== "Tab") return;
    const items = [...dialog.querySelectorAll("button,textarea,input")];
    const i = items.indexOf(root.activeElement);
    const next = e.shiftKey ? (i <= 0 ? items.length - 1 : i - 1) : (i + 1) % items.length;
    e.preventDefault();
    items[next].focus();
  });
  root.replaceChildren(dialog);
  styled(root, STYLE);
  (body.querySelector("button,textarea,input") || dialog.querySelector("button")).focus();
}

// The SDK stopped: take the dialog away.
export function hideSurvey() {
  remove();
}

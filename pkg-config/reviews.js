// The product reviews widget: a view over the SDK. Every rule (validation, anti-spam, scrubbing,
// once per product) is decided in the wasm core by `submitReview`; this file only draws, in a
// Shadow DOM, and never inserts text as HTML (textContent and attributes only).
const T = {
  es: {
    title: "Opiniones", of: "de 5", count: (n) => (n === 1 ? "1 opinión" : n + " opiniones"), none: "Aún no hay opiniones. ¡Sé el primero!",
    stars: (n) => (n === 1 ? "1 estrella" : n + " estrellas"), recommends: "Lo recomienda", prev: "Anteriores", next: "Siguientes",
    write: "Escribe tu opinión", rating: "Tu valoración", rtitle: "Título (opcional)", body: "Tu opinión (opcional, 20 caracteres como mínimo)",
    recommend: "¿Lo recomendarías?", yes: "Sí", no: "No", nick: "Apodo (opcional)", send: "Enviar opinión", sending: "Enviando…",
    thanks: "¡Gracias! Tu opinión se publicará cuando la revisemos.", fix: "Revisa los campos marcados.", anon: "Anónimo",
    hp: "Deja este campo vacío", page: (a, b) => "Página " + a + " de " + b,
  },
  en: {
    title: "Reviews", of: "out of 5", count: (n) => (n === 1 ? "1 review" : n + " reviews"), none: "No reviews yet. Be the first!",
    stars: (n) => (n === 1 ? "1 star" : n + " stars"), recommends: "Recommends it", prev: "Previous", next: "Next",
    write: "Write a review", rating: "Your rating", rtitle: "Title (optional)", body: "Your review (optional, at least 20 characters)",
    recommend: "Would you recommend it?", yes: "Yes", no: "No", nick: "Nickname (optional)", send: "Send review", sending: "Sending…",
    thanks: "Thank you! Your review will appear once we have checked it.", fix: "Please check the marked fields.", anon: "Anonymous",
    hp: "Leave this field empty", page: (a, b) => "Page " + a + " of " + b,
  },
};
const PER_PAGE = 5;
const STYLE = `:host{display:block;font:var(--vitrina-font,inherit);color:var(--vitrina-text,inherit)}
*{box-sizing:border-box}h2,h3{margin:.5em 0}.bar{display:flex;gap:.5em;align-items:center}.bar span:nth-child(2){flex:1;height:.5em;background:var(--vitrina-track,#eee);border-radius:var(--vitrina-radius,4px);overflow:hidden}
.bar i{display:block;height:100%;background:var(--vitrina-accent,#c2410c)}ul{list-style:none;padding:0}li{border-top:1px solid var(--vitrina-track,#eee);padding:.75em 0}
fieldset{border:0;padding:0;margin:.75em 0}label{display:block;margin:.5em 0 .2em}input[type=text],textarea{width:100%;padding:.5em;font:inherit;border:1px solid #888;border-radius:var(--vitrina-radius,4px)}
.choice{display:inline-flex;gap:.25em;margin-right:1em}.choice label{display:inline;margin:0}[aria-invalid=true]{border-color:#b91c1c}.err{color:#b91c1c;margin:.2em 0;min-height:0}
button{font:inherit;padding:.5em 1em;border-radius:var(--vitrina-radius,4px);border:1px solid var(--vitrina-accent,#c2410c);background:var(--vitrina-accent,#c2410c);color:var(--vitrina-on-accent,#fff);cursor:pointer}
button[disabled]{opacity:.6}.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}:focus-visible{outline:2px solid var(--vitrina-accent,#c2410c);outline-offset:2px}`;

// h("p", { class: "x" }, "text", child): strings become text nodes, never markup.
function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const k in attrs || {}) if (attrs[k] !== false && attrs[k] != null) el.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
  for (const c of kids) if (c != null && c !== false) el.append(typeof c === "string" ? document.createTextNode(c) : c);
  return el;
}

const now = () => performance.timeOrigin + performance.now();

function jsonLd(productId, name, data) {
  const ld = { "@context": "https://schema.org", "@type": "Product", name, sku: productId };
  if (data.count > 0) {
    ld.aggregateRating = { "@type": "AggregateRating", ratingValue: data.average, reviewCount: data.count, bestRating: 5, worstRating: 1 };
    ld.review = data.reviews.map((r) => ({
      "@type": "Review", reviewRating: { "@type": "Rating", ratingValue: r.rating, bestRating: 5 },
      author: { "@type": "Person", name: r.nickname || "Anonymous" }, name: r.title || undefined, reviewBody: r.body || undefined,
      datePublished: new Date(r.created_at).toISOString().slice(0, 10),
    }));
  }
  let s = [...document.head.querySelectorAll("script[data-vitrina-ld]")].find((x) => x.getAttribute("data-vitrina-ld") === productId);
  if (!s) document.head.append((s = h("script", { type: "application/ld+json", "data-vitrina-ld": productId })));
  s.textContent = JSON.stringify(ld).replace(/</g, "\\u003c"); // no "</script>" can close it early
}

// Styles through a constructable stylesheet, which a strict CSP (style-src 'self') allows and a
// <style> element it blocks; a <style> where there is none (Safari < 16.4, Firefox < 101).
// (The same three lines as in src/web/surveys.js: a wasm-bindgen snippet and the wrapper's modules
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

/** Draws the reviews of `productId` into `el` and a form that submits through `vitrina`. */
export function mountReviews(vitrina, endpoint, el, productId, opts = {}) {
  if (!el || !el.attachShadow || !productId || el.shadowRoot) return;
  const lang = (opts.lang || el.getAttribute("lang") || document.documentElement.lang || "es").slice(0, 2).toLowerCase() === "en" ? "en" : "es";
  const t = T[lang];
  const id = (n) => "v-" + n;
  const root = el.attachShadow({ mode: "open" });
  styled(root, STYLE);
  const summary = h("div");
  const list = h("ul");
  const pager = h("nav", { "aria-label": t.title });
  root.append(h("section", { "aria-labelledby": id("h") }, h("h2", { id: id("h") }, t.title), summary, list, pager));

  let page = 0;
  const load = () =>
    fetch(`${endpoint}/v1/reviews?product=${encodeURIComponent(productId)}&page=${page}&per_page=${PER_PAGE}`)
      .then((r) => (r.ok ? r.json() : null))
      .then((d) => d && draw(d))
      .catch(() => {});
  const draw = (d) => {
    const pages = Math.max(1, Math.ceil(d.count / PER_PAGE));
    summary.replaceChildren(
      d.count ? h("p", {}, h("strong", {}, String(d.average)), " " + t.of + " · " + t.count(d.count)) : h("p", {}, t.none),
      ...(d.count ? [5, 4, 3, 2, 1].map((n) => {
        const c = d.histogram[n] || 0;
        const fill = h("i");
        fill.style.width = Math.round((c / d.count) * 100) + "%";
        return h("div", { class: "bar" }, h("span", {}, t.stars(n)), h("span", { role: "img", "aria-label": t.stars(n) + ": " + c }, fill), h("span", {}, String(c)));
      }) : []),
    );
    list.replaceChildren(...d.reviews.map((r) => h("li", {},
      h("p", { "aria-label": t.stars(r.rating) }, "★".repeat(r.rating) + "☆".repeat(5 - r.rating)),
      r.title ? h("h3", {}, r.title) : null,
      r.body ? h("p", {}, r.body) : null,
      h("p", {}, (r.nickname || t.anon) + (r.recommend ? " · " + t.recommends : "")),
    )));
    const btn = (label, to, off) => {
      const b = h("button", { type: "button", disabled: off }, label);
      b.onclick = () => { page = to; load(); };
      return b;
    };
    pager.replaceChildren(...(pages > 1 ? [btn(t.prev, page - 1, page === 0), h("span", {}, " " + t.page(page + 1, pages) + " "), btn(t.next, page + 1, page + 1 >= pages)] : []));
    if (page === 0) jsonLd(productId, el.getAttribute("data-vitrina-name") || document.title, d);
  };

  // The form: a radio group for the rating, labelled fields, errors next to each field.
  const err = {};
  const field = (name, control) => {
    err[name] = h("p", { id: id("e-" + name), class: "err", "aria-live": "polite" });
    control.setAttribute("aria-describedby", id("e-" + name));
    return control;
  };
  const radios = (name, items) => items.map(([value, label]) =>
    h("span", { class: "choice" }, h("input", { type: "radio", name, id: id(name + value), value }), h("label", { for: id(name + value) }, label)));
  const rating = field("rating", h("fieldset", {}, h("legend", {}, t.rating), ...radios("rating", [1, 2, 3, 4, 5].map((n) => [n, t.stars(n)]))));
  const text = (name, label, tag, max) => [h("label", { for: id(name) }, label), field(name, h(tag, { id: id(name), name, type: tag === "input" ? "text" : null, maxlength: max, rows: tag === "textarea" ? 5 : null }))];
  const status = h("p", { role: "status", "aria-live": "polite" });
  const submit = h("button", { type: "submit" }, t.send);
  const form = h("form", { novalidate: true, "aria-labelledby": id("w") },
    h("h3", { id: id("w") }, t.write),
    rating, err.rating,
    ...text("title", t.rtitle, "input", 120), err.title,
    ...text("body", t.body, "textarea", 5000), err.body,
    h("fieldset", {}, h("legend", {}, t.recommend), ...radios("recommend", [["yes", t.yes], ["no", t.no]])),
    ...text("nickname", t.nick, "input", 40), err.nickname,
    h("div", { class: "hp", "aria-hidden": "true" }, h("label", { for: id("website") }, t.hp), h("input", { id: id("website"), name: "website", type: "text", tabindex: "-1", autocomplete: "off" })),
    err.form = h("p", { class: "err", role: "alert" }),
    submit, status);
  root.append(form);
  const shownAt = now();
  form.onsubmit = async (e) => {
    e.preventDefault();
    const v = (n) => form.elements[n] && form.elements[n].value;
    const checked = (n) => (form.querySelector(`input[name=${n}]:checked`) || {}).value;
    const rec = checked("recommend");
    const draft = {
      rating: Number(checked("rating")) || 0, title: v("title"), body: v("body"), nickname: v("nickname"),
      recommend: rec ? rec === "yes" : undefined, honeypot: v("website"), shown_at: shownAt, lang,
    };
    submit.disabled = true;
    status.textContent = t.sending;
    const answer = await vitrina.submitReview(productId, draft);
    submit.disabled = false;
    for (const k in err) err[k].textContent = "";
    for (const c of form.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
    if (answer.ok) {
      form.reset();
      status.textContent = t.thanks;
      return;
    }
    status.textContent = t.fix;
    let first;
    for (const { field: f, message } of answer.errors) {
      const target = err[f] || err.form;
      target.textContent = message;
      const control = f === "rating" ? form.querySelector("input[name=rating]") : form.elements[f];
      if (control && f !== "form") {
        (f === "rating" ? rating : control).setAttribute("aria-invalid", "true");
        first ||= control;
      }
    }
    (first || submit).focus();
  };
  load();
}

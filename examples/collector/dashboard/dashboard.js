// The merchant's dashboard: reads GET /v1/metrics and draws it (text as text, charts as SVG;
// nothing from the data is ever parsed as markup). Spanish by default, English with the toggle
// or ?lang=en.
"use strict";
(function () {
  const T = {
    es: {
      title: "Experiencia de cliente", range: "Periodo", d1: "Último día", d7: "Últimos 7 días", d30: "Últimos 30 días",
      kpis: "Resumen", daily: "Visitas por día", funnel: "Embudo de compra", friction: "Fricción por página (peor primero)",
      fields: "Abandono de formularios por campo", vitals: "Web vitals (p75)", nps: "NPS por día", reviews: "Opiniones por producto",
      slots: "Personalización: conversión por variante", page: "Página", views: "Vistas", rage: "Clics de rabia / 100",
      dead: "Clics muertos / 100", error: "Clics con error / 100", qb: "Vueltas rápidas", product: "Producto", count: "Opiniones",
      avg: "Media", slot: "Espacio", variant: "Variante", shown: "Mostrada", converted: "Convertida", rate: "Tasa",
      sessions: "Sesiones", page_views: "Páginas vistas", conversion_rate: "Conversión", cart_abandonment: "Carritos abandonados",
      checkout_abandonment: "Pagos abandonados", average_order_value: "Pedido medio", loading: "Cargando…", failed: "No se han podido leer las métricas.",
      empty: "Sin datos en este periodo.", lang: "EN", good: "bueno", "needs-improvement": "mejorable", poor: "malo",
      "Product Viewed": "Vieron un producto", "Product Added": "Añadieron al carrito", "Checkout Started": "Empezaron el pago", "Order Completed": "Compraron",
    },
    en: {
      title: "Customer experience", range: "Period", d1: "Last day", d7: "Last 7 days", d30: "Last 30 days",
      kpis: "Summary", daily: "Visits per day", funnel: "Purchase funnel", friction: "Friction per page (worst first)",
      fields: "Form abandonment by field", vitals: "Web vitals (p75)", nps: "NPS per day", reviews: "Reviews per product",
      slots: "Personalization: conversion per variant", page: "Page", views: "Views", rage: "Rage clicks / 100",
      dead: "Dead clicks / 100", error: "Error clicks / 100", qb: "Quick backs", product: "Product", count: "Reviews",
      avg: "Average", slot: "Slot", variant: "Variant", shown: "Shown", converted: "Converted", rate: "Rate",
      sessions: "Sessions", page_views: "Page views", conversion_rate: "Conversion", cart_abandonment: "Cart abandonment",
      checkout_abandonment: "Checkout abandonment", average_order_value: "Average order", loading: "Loading…", failed: "The metrics could not be read.",
      empty: "No data in this period.", lang: "ES", good: "good", "needs-improvement": "needs improvement", poor: "poor",
      "Product Viewed": "Viewed a product", "Product Added": "Added to cart", "Checkout Started": "Started checkout", "Order Completed": "Ordered",
    },
  };
  let lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "es";
  const t = (k) => T[lang][k] ?? k;
  const $ = (id) => document.getElementById(id);
  const SVG = "http://www.w3.org/2000/svg";
  const el = (tag, attrs, ...kids) => {
    const e = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    for (const c of kids) e.append(typeof c === "string" || typeof c === "number" ? String(c) : c);
    return e;
  };
  const num = (v, digits = 0) => (v == null ? "—" : Number(v).toLocaleString(lang, { maximumFractionDigits: digits, minimumFractionDigits: digits }));
  const pct = (v) => (v == null ? "—" : (v * 100).toLocaleString(lang, { maximumFractionDigits: 1 }) + " %");

  // Bars: [{ label, value }] as a horizontal bar chart, the value written next to each bar.
  function bars(items, fmt = (v) => num(v)) {
    const max = Math.max(1, ...items.map((i) => i.value));
    const h = 28, w = 560, lw = 190;
    const svg = el("svg:svg", { viewBox: `0 0 ${w} ${items.length * h + 4}`, role: "img", class: "chart" });
    items.forEach((it, i) => {
      const y = i * h + 2, bw = ((w - lw - 70) * it.value) / max;
      svg.append(
        el("svg:text", { x: lw - 8, y: y + 18, "text-anchor": "end" }, it.label),
        el("svg:rect", { x: lw, y: y + 4, width: Math.max(bw, 1), height: h - 10, rx: 3, class: "bar" }),
        el("svg:text", { x: lw + bw + 6, y: y + 18, class: "value", "data-value": it.value }, fmt(it.value)),
      );
    });
    svg.setAttribute("aria-label", items.map((i) => `${i.label}: ${fmt(i.value)}`).join("; "));
    return svg;
  }

  // A line over days: [{ day, value }].
  function line(points, fmt = (v) => num(v), [lo, hi] = [0, null]) {
    const w = 560, h = 160, pad = 30;
    const top = hi ?? Math.max(1, ...points.map((p) => p.value));
    const x = (i) => pad + (points.length < 2 ? (w - 2 * pad) / 2 : (i * (w - 2 * pad)) / (points.length - 1));
    const y = (v) => h - pad - ((v - lo) * (h - 2 * pad)) / (top - lo || 1);
    const svg = el("svg:svg", { viewBox: `0 0 ${w} ${h}`, role: "img", class: "chart" });
    svg.append(el("svg:line", { x1: pad, y1: h - pad, x2: w - pad, y2: h - pad, class: "axis" }));
    if (points.length > 1) svg.append(el("svg:polyline", { points: points.map((p, i) => `${x(i)},${y(p.value)}`).join(" "), class: "line" }));
    points.forEach((p, i) => {
      svg.append(
        el("svg:circle", { cx: x(i), cy: y(p.value), r: 4, class: "dot" }),
        el("svg:text", { x: x(i), y: y(p.value) - 8, "text-anchor": "middle", class: "value", "data-value": p.value }, fmt(p.value)),
        el("svg:text", { x: x(i), y: h - 10, "text-anchor": "middle", class: "day" }, p.day.slice(5)),
      );
    });
    svg.setAttribute("aria-label", points.map((p) => `${p.day}: ${fmt(p.value)}`).join("; "));
    return svg;
  }

  const rows = (tbody, list, cells) => {
    $(tbody).replaceChildren(...(list.length ? list.map((r) => el("tr", {}, ...cells(r).map((c) => el("td", {}, c)))) : [el("tr", {}, el("td", { colspan: 9 }, t("empty")))]));
  };

  function draw(m) {
    $("kpis").replaceChildren(
      ...[
        ["sessions", num(m.sessions)], ["page_views", num(m.page_views)], ["conversion_rate", pct(m.conversion_rate)],
        ["cart_abandonment", pct(m.cart_abandonment)], ["checkout_abandonment", pct(m.checkout_abandonment)],
        ["average_order_value", m.average_order_value == null ? "—" : m.average_order_value.toLocaleString(lang, { style: "currency", currency: "EUR" })],
      ].map(([k, v]) => el("div", { class: "kpi", "data-kpi": k }, el("span", {}, t(k)), el("strong", {}, v))),
    );
    $("daily").replaceChildren(m.daily.length ? line(m.daily.map((d) => ({ day: d.day, value: d.sessions }))) : t("empty"));
    $("funnel").replaceChildren(bars(m.funnel.map((f) => ({ label: f.step === "sessions" ? t("sessions") : t(f.step), value: f.sessions }))));
    rows("friction", m.friction, (p) => [p.path, num(p.page_views), num(p.rage_clicks_per_100, 1), num(p.dead_clicks_per_100, 1), num(p.error_clicks_per_100, 1), num(p.counts.quick_backs || 0)]);
    $("fields").replaceChildren(m.form_abandonment_by_field.length ? bars(m.form_abandonment_by_field.map((f) => ({ label: f.field, value: f.abandons }))) : t("empty"));
    const vital = (v, name) => {
      const x = v[name];
      return x ? el("span", { class: "rating " + x.rating, title: t(x.rating) }, name === "CLS" ? num(x.p75, 3) : num(x.p75) + " ms", " · ", t(x.rating)) : "—";
    };
    rows("vitals", m.web_vitals, (p) => [p.path, ...["LCP", "INP", "CLS", "FCP", "TTFB"].map((n) => vital(p.vitals, n))]);
    $("nps").replaceChildren(
      ...(m.surveys_daily.some((s) => s.days.some((d) => d.nps.responses))
        ? m.surveys_daily.filter((s) => s.days.some((d) => d.nps.responses)).map((s) => el("figure", {}, el("figcaption", {}, s.survey_id), line(s.days.filter((d) => d.nps.responses).map((d) => ({ day: d.day, value: d.nps.score })), (v) => num(v, 1), [-100, 100])))
        : [t("empty")]),
    );
    rows("reviews", m.reviews, (r) => [r.product_id, num(r.count), num(r.average, 2)]);
    rows("slots", m.personalization, (s) => [s.slot, s.variant, num(s.shown), num(s.converted), pct(s.conversion_rate)]);
  }

  async function load() {
    for (const e of document.querySelectorAll("[data-t]")) e.textContent = t(e.dataset.t);
    document.documentElement.lang = lang;
    $("lang").textContent = t("lang");
    $("status").textContent = t("loading");
    const to = Date.now() + 1, from = to - Number($("range").value) * 86400000;
    try {
      const r = await fetch(`/v1/metrics?from=${from}&to=${to}`);
      if (!r.ok) throw new Error(String(r.status));
      draw(await r.json());
      $("status").textContent = "";
      document.body.dataset.ready = "1";
    } catch (_) {
      $("status").textContent = t("failed");
    }
  }
  addEventListener("DOMContentLoaded", () => {
    $("range").addEventListener("change", load);
    $("lang").addEventListener("click", () => {
      lang = lang === "es" ? "en" : "es";
      load();
    });
    load();
  });
})();

/* Vitrina Demo Shop — shared script (i18n, catalog, rendering, cart, header).
 *
 * Plain ES5-ish vanilla JS, no build step. The shop only ever talks to the
 * Vitrina SDK through `window.vitrina.push([...])`, which works both before the
 * SDK has loaded (it is a plain array then) and after (the SDK replaces it).
 */
(function () {
  "use strict";

  var CART_KEY = "demo_cart";
  var LANG_KEY = "demo_lang";
  var ORDER_KEY = "demo_last_order";
  var LANGS = ["es", "en"];
  var CATEGORIES = ["sneakers", "tshirts", "accessories"];
  var CURRENCY = "EUR";
  var SHIPPING = { standard: 4.95, express: 9.95 };
  var FREE_SHIPPING_FROM = 60;
  var MAX_QTY = 10;

  /* ------------------------------------------------------------------ */
  /* i18n                                                                */
  /* ------------------------------------------------------------------ */

  var DICT = {
    es: {
      "skip": "Saltar al contenido",
      "nav.label": "Principal",
      "nav.home": "Inicio",
      "nav.categories": "Categorías",
      "cat.sneakers": "Zapatillas",
      "cat.tshirts": "Camisetas",
      "cat.accessories": "Accesorios",
      "cart.link": "Carrito",
      "cart.linkLabel": "Carrito, {n} artículos",
      "lang.label": "Cambiar idioma a inglés",
      "hero.kicker": "Nueva temporada",
      "hero.title": "Pisa fuerte esta primavera",
      "hero.text": "Zapatillas, camisetas y accesorios seleccionados. Envío gratis a partir de 60 €.",
      "hero.cta": "Ver zapatillas",
      "hero.cta2": "Ver camisetas",
      "hero.tees.kicker": "Básicos",
      "hero.tees.title": "Camisetas que combinan con todo",
      "hero.tees.text": "Algodón orgánico, cortes clásicos y colores para cada día.",
      "hero.ship.kicker": "Tu carrito",
      "hero.ship.title": "Ya tienes el envío gratis",
      "hero.ship.text": "Tu pedido supera los 60 €: el envío corre de nuestra cuenta.",
      "hero.ship.cta": "Ir al carrito",
      "product.recs": "También te puede gustar",
      "home.title": "Lo más vendido",
      "home.pageTitle": "Vitrina Demo Shop — Zapatillas y ropa",
      "grid.count": "{n} productos",
      "grid.loading": "Cargando productos…",
      "grid.error": "No se ha podido cargar el catálogo. Inténtalo de nuevo más tarde.",
      "grid.empty": "No hay productos en esta categoría.",
      "category.unknown": "Categoría no encontrada. Te mostramos todo el catálogo.",
      "category.all": "Todos los productos",
      "category.back": "Volver al inicio",
      "product.pageTitle": "Producto — Vitrina Demo Shop",
      "product.notFound": "Producto no encontrado.",
      "product.backHome": "Volver a la tienda",
      "product.size": "Talla",
      "product.oneSize": "Talla única",
      "product.qty": "Cantidad",
      "product.qtyMinus": "Disminuir cantidad",
      "product.qtyPlus": "Aumentar cantidad",
      "product.add": "Añadir al carrito",
      "product.sizeGuide": "Ver guía de tallas",
      "product.added": "Añadido al carrito: {qty} × {name} ({size}).",
      "product.viewCart": "Ver carrito",
      "product.vat": "IVA incluido",
      "product.gallery": "Galería de imágenes",
      "product.prev": "Imagen anterior",
      "product.next": "Imagen siguiente",
      "product.imageOf": "Imagen {i} de {n}",
      "product.view0": "vista lateral",
      "product.view1": "vista trasera",
      "product.view2": "detalle",
      "product.reviews": "Opiniones de clientes",
      "product.breadcrumb": "Ruta de navegación",
      "product.shipping": "Envío en 24/48 h · Devolución gratuita en 30 días",
      "cart.title": "Tu carrito",
      "cart.pageTitle": "Carrito — Vitrina Demo Shop",
      "cart.empty": "Tu carrito está vacío.",
      "cart.continue": "Seguir comprando",
      "cart.remove": "Eliminar",
      "cart.removeLabel": "Eliminar {name} del carrito",
      "cart.size": "Talla: {size}",
      "cart.unit": "{price} / ud.",
      "cart.subtotal": "Subtotal",
      "cart.shippingNote": "Gastos de envío calculados en el siguiente paso.",
      "cart.coupon": "Código de descuento",
      "cart.couponApply": "Aplicar",
      "cart.couponError": "No se ha podido aplicar el cupón. Inténtalo más tarde.",
      "cart.checkout": "Tramitar pedido",
      "cart.summary": "Resumen del pedido",
      "checkout.title": "Finalizar compra",
      "checkout.pageTitle": "Finalizar compra — Vitrina Demo Shop",
      "checkout.contact": "Contacto",
      "checkout.email": "Correo electrónico",
      "checkout.name": "Nombre y apellidos",
      "checkout.phone": "Teléfono",
      "checkout.shippingAddress": "Dirección de envío",
      "checkout.address": "Dirección",
      "checkout.city": "Ciudad",
      "checkout.postal": "Código postal",
      "checkout.country": "País",
      "checkout.shippingMethod": "Método de envío",
      "checkout.standard": "Estándar (3–5 días laborables)",
      "checkout.express": "Exprés (24 h)",
      "checkout.free": "Gratis",
      "checkout.payment": "Pago",
      "checkout.card": "Número de tarjeta",
      "checkout.expiry": "Caducidad (MM/AA)",
      "checkout.cvc": "CVC",
      "checkout.expiryPh": "MM/AA",
      "checkout.terms": "Acepto las condiciones de venta y la política de privacidad.",
      "checkout.placeOrder": "Realizar pedido",
      "checkout.demoNote": "Tienda de demostración: no se realiza ningún cargo real.",
      "checkout.shipping": "Envío",
      "checkout.total": "Total",
      "checkout.emptyCart": "Tu carrito está vacío. Puedes completar el formulario igualmente para probar el flujo.",
      "country.ES": "España",
      "country.PT": "Portugal",
      "country.FR": "Francia",
      "country.DE": "Alemania",
      "country.IT": "Italia",
      "country.GB": "Reino Unido",
      "country.US": "Estados Unidos",
      "country.MX": "México",
      "thanks.title": "¡Gracias por tu compra!",
      "thanks.pageTitle": "Pedido confirmado — Vitrina Demo Shop",
      "thanks.order": "Tu número de pedido es {id}.",
      "thanks.total": "Importe total: {total}.",
      "thanks.email": "Te hemos enviado la confirmación a {email}.",
      "thanks.generic": "Hemos recibido tu pedido y lo estamos preparando.",
      "thanks.back": "Volver a la tienda",
      "footer.text": "Vitrina Demo Shop · Tienda de demostración del SDK Vitrina. Ningún producto es real.",
      "footer.nav": "Enlaces del pie"
    },
    en: {
      "skip": "Skip to content",
      "nav.label": "Main",
      "nav.home": "Home",
      "nav.categories": "Categories",
      "cat.sneakers": "Sneakers",
      "cat.tshirts": "T-shirts",
      "cat.accessories": "Accessories",
      "cart.link": "Cart",
      "cart.linkLabel": "Cart, {n} items",
      "lang.label": "Switch language to Spanish",
      "hero.kicker": "New season",
      "hero.title": "Step up this spring",
      "hero.text": "Hand-picked sneakers, tees and accessories. Free shipping on orders over €60.",
      "hero.cta": "Shop sneakers",
      "hero.cta2": "Shop T-shirts",
      "hero.tees.kicker": "Basics",
      "hero.tees.title": "Tees that go with everything",
      "hero.tees.text": "Organic cotton, classic cuts and colours for every day.",
      "hero.ship.kicker": "Your cart",
      "hero.ship.title": "Shipping is on us",
      "hero.ship.text": "Your order is over €60: shipping is free.",
      "hero.ship.cta": "Go to cart",
      "product.recs": "You may also like",
      "home.title": "Best sellers",
      "home.pageTitle": "Vitrina Demo Shop — Sneakers & apparel",
      "grid.count": "{n} products",
      "grid.loading": "Loading products…",
      "grid.error": "The catalog could not be loaded. Please try again later.",
      "grid.empty": "There are no products in this category.",
      "category.unknown": "Category not found. Showing the whole catalog.",
      "category.all": "All products",
      "category.back": "Back to home",
      "product.pageTitle": "Product — Vitrina Demo Shop",
      "product.notFound": "Product not found.",
      "product.backHome": "Back to the shop",
      "product.size": "Size",
      "product.oneSize": "One size",
      "product.qty": "Quantity",
      "product.qtyMinus": "Decrease quantity",
      "product.qtyPlus": "Increase quantity",
      "product.add": "Add to cart",
      "product.sizeGuide": "Size guide",
      "product.added": "Added to cart: {qty} × {name} ({size}).",
      "product.viewCart": "View cart",
      "product.vat": "VAT included",
      "product.gallery": "Image gallery",
      "product.prev": "Previous image",
      "product.next": "Next image",
      "product.imageOf": "Image {i} of {n}",
      "product.view0": "side view",
      "product.view1": "back view",
      "product.view2": "detail",
      "product.reviews": "Customer reviews",
      "product.breadcrumb": "Breadcrumb",
      "product.shipping": "Ships in 24/48 h · Free returns within 30 days",
      "cart.title": "Your cart",
      "cart.pageTitle": "Cart — Vitrina Demo Shop",
      "cart.empty": "Your cart is empty.",
      "cart.continue": "Continue shopping",
      "cart.remove": "Remove",
      "cart.removeLabel": "Remove {name} from cart",
      "cart.size": "Size: {size}",
      "cart.unit": "{price} each",
      "cart.subtotal": "Subtotal",
      "cart.shippingNote": "Shipping is calculated at the next step.",
      "cart.coupon": "Discount code",
      "cart.couponApply": "Apply",
      "cart.couponError": "The coupon could not be applied. Please try again later.",
      "cart.checkout": "Checkout",
      "cart.summary": "Order summary",
      "checkout.title": "Checkout",
      "checkout.pageTitle": "Checkout — Vitrina Demo Shop",
      "checkout.contact": "Contact",
      "checkout.email": "Email",
      "checkout.name": "Full name",
      "checkout.phone": "Phone",
      "checkout.shippingAddress": "Shipping address",
      "checkout.address": "Address",
      "checkout.city": "City",
      "checkout.postal": "Postal code",
      "checkout.country": "Country",
      "checkout.shippingMethod": "Shipping method",
      "checkout.standard": "Standard (3–5 business days)",
      "checkout.express": "Express (24 h)",
      "checkout.free": "Free",
      "checkout.payment": "Payment",
      "checkout.card": "Card number",
      "checkout.expiryPh": "MM/YY",
      "checkout.expiry": "Expiry (MM/YY)",
      "checkout.cvc": "CVC",
      "checkout.terms": "I accept the terms of sale and the privacy policy.",
      "checkout.placeOrder": "Place order",
      "checkout.demoNote": "Demo shop: no real payment is taken.",
      "checkout.shipping": "Shipping",
      "checkout.total": "Total",
      "checkout.emptyCart": "Your cart is empty. You can still fill in the form to try the flow.",
      "country.ES": "Spain",
      "country.PT": "Portugal",
      "country.FR": "France",
      "country.DE": "Germany",
      "country.IT": "Italy",
      "country.GB": "United Kingdom",
      "country.US": "United States",
      "country.MX": "Mexico",
      "thanks.title": "Thank you for your order!",
      "thanks.pageTitle": "Order confirmed — Vitrina Demo Shop",
      "thanks.order": "Your order number is {id}.",
      "thanks.total": "Order total: {total}.",
      "thanks.email": "A confirmation has been sent to {email}.",
      "thanks.generic": "We have received your order and are getting it ready.",
      "thanks.back": "Back to the shop",
      "footer.text": "Vitrina Demo Shop · Demo store for the Vitrina SDK. None of the products are real.",
      "footer.nav": "Footer links"
    }
  };

  var store = {
    get: function (key) {
      try { return window.localStorage.getItem(key); } catch (e) { return null; }
    },
    set: function (key, value) {
      try { window.localStorage.setItem(key, value); } catch (e) { /* storage disabled */ }
    },
    remove: function (key) {
      try { window.localStorage.removeItem(key); } catch (e) { /* storage disabled */ }
    }
  };

  var params = new URLSearchParams(window.location.search);

  function detectLang() {
    var fromUrl = params.get("lang");
    if (fromUrl && LANGS.indexOf(fromUrl) !== -1) {
      store.set(LANG_KEY, fromUrl);
      return fromUrl;
    }
    var saved = store.get(LANG_KEY);
    if (saved && LANGS.indexOf(saved) !== -1) return saved;
    return "es";
  }

  var lang = detectLang();
  document.documentElement.lang = lang;

  function t(key, vars) {
    var s = (DICT[lang] && DICT[lang][key]) || DICT.es[key] || key;
    if (vars) {
      s = s.replace(/\{(\w+)\}/g, function (m, name) {
        return Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : m;
      });
    }
    return s;
  }

  var moneyFmt = new Intl.NumberFormat(lang === "es" ? "es-ES" : "en-IE", {
    style: "currency",
    currency: CURRENCY
  });

  function money(n) { return moneyFmt.format(n); }
  function round2(n) { return Math.round(n * 100) / 100; }

  function applyI18n(root) {
    var scope = root || document;
    scope.querySelectorAll("[data-i18n]").forEach(function (el) {
      el.textContent = t(el.getAttribute("data-i18n"));
    });
    scope.querySelectorAll("[data-i18n-aria-label]").forEach(function (el) {
      el.setAttribute("aria-label", t(el.getAttribute("data-i18n-aria-label")));
    });
    scope.querySelectorAll("[data-i18n-placeholder]").forEach(function (el) {
      el.setAttribute("placeholder", t(el.getAttribute("data-i18n-placeholder")));
    });
    var titleKey = document.body && document.body.getAttribute("data-title");
    if (!root && titleKey) document.title = t(titleKey);
  }

  /* ------------------------------------------------------------------ */
  /* SDK bridge — the only way the shop talks to Vitrina                 */
  /* ------------------------------------------------------------------ */

  function sdk(command) {
    var q = window.vitrina;
    if (!q) { q = window.vitrina = []; }
    q.push(command);
  }

  function track(event, props) {
    sdk(["track", event, props]);
  }

  /* ------------------------------------------------------------------ */
  /* Helpers                                                             */
  /* ------------------------------------------------------------------ */

  function esc(s) {
    return String(s)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;");
  }

  function $(sel, root) { return (root || document).querySelector(sel); }

  function productUrl(id) { return "/product.html?id=" + encodeURIComponent(id); }
  function categoryUrl(c) { return "/category.html?c=" + encodeURIComponent(c); }

  function title(p) { return p.title[lang] || p.title.es; }
  function description(p) { return p.description[lang] || p.description.es; }
  /* Analytics names stay canonical (Spanish, the shop's default language). */
  function canonicalName(p) { return p.title.es || p.title.en; }

  function sizesFor(p) {
    if (p.category === "sneakers") return ["38", "39", "40", "41", "42", "43", "44", "45"];
    if (p.category === "tshirts") return ["XS", "S", "M", "L", "XL", "XXL"];
    return [t("product.oneSize")];
  }
  function defaultSize(p) {
    if (p.category === "sneakers") return "42";
    if (p.category === "tshirts") return "M";
    return sizesFor(p)[0];
  }

  /* ------------------------------------------------------------------ */
  /* Catalog                                                             */
  /* ------------------------------------------------------------------ */

  var catalogPromise = null;
  var catalogList = [];
  function loadCatalog() {
    if (!catalogPromise) {
      catalogPromise = fetch("/catalog.json", { headers: { Accept: "application/json" } })
        .then(function (r) {
          if (!r.ok) throw new Error("catalog HTTP " + r.status);
          return r.json();
        })
        .then(function (data) {
          var list = (data && data.products) || [];
          var byId = {};
          list.forEach(function (p) { byId[p.id] = p; });
          catalogList = list;
          return { list: list, byId: byId };
        });
    }
    return catalogPromise;
  }

  /* ------------------------------------------------------------------ */
  /* Product artwork: inline SVG silhouettes tinted from the color       */
  /* ------------------------------------------------------------------ */

  function hexToRgb(hex) {
    var h = String(hex || "#888888").replace("#", "");
    if (h.length === 3) h = h.replace(/(.)/g, "$1$1");
    var n = parseInt(h, 16);
    if (isNaN(n)) n = 0x888888;
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  function mix(hex, withHex, amount) {
    var a = hexToRgb(hex), b = hexToRgb(withHex);
    var c = a.map(function (v, i) { return Math.round(v + (b[i] - v) * amount); });
    return "rgb(" + c.join(",") + ")";
  }

  function shapeOf(p) {
    if (p.category === "sneakers") return "shoe";
    if (p.category === "tshirts") return p.id.indexOf("stripe") !== -1 ? "shirt-stripes" : "shirt";
    return p.shape || "bag";
  }

  var svgUid = 0;
  function shapeSvg(shape, color) {
    var dark = mix(color, "#000000", 0.35);
    var light = mix(color, "#ffffff", 0.55);
    switch (shape) {
      case "shoe":
        return (
          '<g transform="translate(0 18)">' +
          '<path d="M28 124 C26 100 38 84 56 80 L82 76 C92 92 112 99 136 101 C160 103 174 110 176 124 Z" fill="' + color + '"/>' +
          '<path d="M56 80 L82 76 C86 84 92 89 100 93 L62 100 C58 93 56 87 56 80 Z" fill="' + dark + '" opacity=".35"/>' +
          '<path d="M88 84 l9 -6 M96 90 l9 -6 M105 94 l9 -6 M114 97 l8 -5" stroke="#fff" stroke-width="3.2" stroke-linecap="round"/>' +
          '<path d="M70 112 C100 104 128 104 156 112" stroke="' + light + '" stroke-width="6" fill="none" stroke-linecap="round"/>' +
          '<rect x="22" y="122" width="160" height="16" rx="8" fill="#fbfaf7" stroke="' + dark + '" stroke-opacity=".35" stroke-width="2"/>' +
          '<path d="M30 134 H174" stroke="' + dark + '" stroke-opacity=".25" stroke-width="2" stroke-dasharray="6 5"/>' +
          "</g>"
        );
      case "shirt":
      case "shirt-stripes":
        var body = "M72 40 L88 34 Q100 48 112 34 L128 40 L160 62 L146 84 L132 76 L132 160 L68 160 L68 76 L54 84 L40 62 Z";
        var fill = '<path d="' + body + '" fill="' + color + '"/>';
        if (shape === "shirt-stripes") {
          var clipId = "vd-clip-" + (++svgUid);
          var stripes = "";
          for (var y = 62; y < 160; y += 14) {
            stripes += '<rect x="30" y="' + y + '" width="140" height="6" fill="#fbfaf7" opacity=".9"/>';
          }
          fill = '<clipPath id="' + clipId + '"><path d="' + body + '"/></clipPath>' + fill +
            '<g clip-path="url(#' + clipId + ')">' + stripes + "</g>";
        }
        return (
          fill +
          '<path d="M88 34 Q100 48 112 34" stroke="' + dark + '" stroke-width="3" fill="none"/>' +
          '<path d="M68 76 L68 96 M132 76 L132 96" stroke="' + dark + '" stroke-opacity=".3" stroke-width="2"/>' +
          '<path d="' + body + '" fill="none" stroke="' + dark + '" stroke-opacity=".35" stroke-width="2" stroke-linejoin="round"/>'
        );
      case "cap":
        return (
          '<path d="M48 118 C48 78 72 56 102 56 C132 56 154 78 154 118 Z" fill="' + color + '"/>' +
          '<path d="M102 56 C92 76 90 96 92 118 M102 56 C118 74 124 96 124 118" stroke="' + dark + '" stroke-opacity=".35" stroke-width="2" fill="none"/>' +
          '<circle cx="102" cy="56" r="5" fill="' + dark + '"/>' +
          '<path d="M40 116 C80 110 130 110 176 124 C168 136 150 140 130 136 C100 130 70 128 40 128 Z" fill="' + dark + '"/>'
        );
      case "socks":
        var sock = function (dx, c) {
          return (
            '<g transform="translate(' + dx + ' 0)">' +
            '<path d="M50 40 H84 V112 C84 122 92 128 104 130 L120 132 C132 134 136 150 124 156 C110 162 80 160 62 152 C50 146 50 134 50 122 Z" fill="' + c + '"/>' +
            '<rect x="50" y="40" width="34" height="14" fill="#fbfaf7" opacity=".85"/>' +
            '<path d="M50 60 H84 M50 66 H84" stroke="#fbfaf7" stroke-width="3"/>' +
            "</g>"
          );
        };
        return sock(34, dark) + sock(0, color);
      case "belt":
        return (
          '<path d="M20 92 C60 84 140 84 180 92" stroke="' + dark + '" stroke-width="8" fill="none" stroke-linecap="round"/>' +
          '<rect x="52" y="80" width="96" height="60" rx="26" fill="' + color + '"/>' +
          '<path d="M60 104 H140" stroke="' + dark + '" stroke-width="3"/>' +
          '<rect x="94" y="98" width="12" height="12" rx="2" fill="#fbfaf7"/>'
        );
      case "bag":
      default:
        return (
          '<path d="M78 54 C78 36 122 36 122 54" stroke="' + dark + '" stroke-width="7" fill="none"/>' +
          '<rect x="56" y="52" width="88" height="110" rx="22" fill="' + color + '"/>' +
          '<path d="M56 92 C56 76 144 76 144 92 V100 H56 Z" fill="' + dark + '" opacity=".45"/>' +
          '<rect x="74" y="118" width="52" height="30" rx="8" fill="' + dark + '" opacity=".35"/>' +
          '<rect x="96" y="96" width="8" height="12" rx="2" fill="#fbfaf7"/>'
        );
    }
  }

  /* view: 0 = main, 1 = mirrored, 2 = detail zoom */
  function productArt(p, view) {
    var color = p.color || "#888888";
    var v = view || 0;
    var bgA = mix(color, "#ffffff", v === 1 ? 0.7 : 0.82);
    var bgB = mix(color, "#ffffff", v === 1 ? 0.92 : 0.95);
    var angle = v === 1 ? 200 : v === 2 ? 45 : 135;
    var transform = "";
    if (v === 1) transform = ' transform="translate(200 0) scale(-1 1)"';
    if (v === 2) transform = ' transform="translate(-64 -84) scale(1.7)"';
    var svg =
      '<svg viewBox="0 0 200 200" xmlns="http://www.w3.org/2000/svg" aria-hidden="true" focusable="false">' +
      '<ellipse cx="100" cy="168" rx="70" ry="8" fill="#000" opacity=".08"/>' +
      "<g" + transform + ">" + shapeSvg(shapeOf(p), color) + "</g></svg>";
    return { svg: svg, background: "linear-gradient(" + angle + "deg, " + bgA + ", " + bgB + ")" };
  }

  function artHtml(p, view, className, label) {
    var art = productArt(p, view);
    return (
      '<div class="' + (className || "art") + '" role="img" aria-label="' + esc(label || title(p)) +
      '" style="background:' + art.background + '">' + art.svg + "</div>"
    );
  }

  /* ------------------------------------------------------------------ */
  /* Cart (shop-owned storage: localStorage "demo_cart")                  */
  /* ------------------------------------------------------------------ */

  function readCart() {
    var raw = store.get(CART_KEY);
    if (!raw) return [];
    try {
      var c = JSON.parse(raw);
      if (!Array.isArray(c)) return [];
      return c.filter(function (l) {
        return l && typeof l.id === "string" && typeof l.qty === "number" && l.qty > 0;
      });
    } catch (e) {
      return [];
    }
  }

  function writeCart(cart) {
    store.set(CART_KEY, JSON.stringify(cart));
    updateCartCount();
  }

  function cartCount(cart) {
    return (cart || readCart()).reduce(function (s, l) { return s + l.qty; }, 0);
  }

  function addToCart(id, size, qty, price) {
    var cart = readCart();
    var line = cart.filter(function (l) { return l.id === id && l.size === size; })[0];
    if (line) {
      line.qty = Math.min(MAX_QTY, line.qty + qty);
      line.price = price;
    } else {
      cart.push({ id: id, size: size, qty: qty, price: price });
    }
    writeCart(cart);
    return cart;
  }

  /* Resolve cart lines against the catalog (drops unknown products). */
  function resolveCart(catalog) {
    return readCart()
      .map(function (l) {
        var p = catalog.byId[l.id];
        return p ? { line: l, product: p, total: round2(p.price * l.qty) } : null;
      })
      .filter(Boolean);
  }

  function subtotalOf(lines) {
    return round2(lines.reduce(function (s, l) { return s + l.total; }, 0));
  }

  function analyticsProducts(lines) {
    return lines.map(function (l) {
      return {
        product_id: l.product.id,
        sku: l.product.sku,
        category: l.product.category,
        name: canonicalName(l.product),
        brand: l.product.brand,
        price: l.product.price,
        quantity: l.line.qty
      };
    });
  }

  function shippingCost(method, subtotal) {
    if (method === "express") return SHIPPING.express;
    return subtotal >= FREE_SHIPPING_FROM || subtotal === 0 ? 0 : SHIPPING.standard;
  }

  /* ------------------------------------------------------------------ */
  /* Header                                                              */
  /* ------------------------------------------------------------------ */

  function updateCartCount() {
    var n = cartCount();
    document.querySelectorAll('[data-testid="cart-count"]').forEach(function (el) {
      el.textContent = String(n);
    });
    var link = $('[data-testid="cart-link"]');
    if (link) link.setAttribute("aria-label", t("cart.linkLabel", { n: n }));
  }

  function initHeader() {
    var page = document.body.getAttribute("data-page");
    var cat = params.get("c");
    document.querySelectorAll("[data-nav]").forEach(function (a) {
      var key = a.getAttribute("data-nav");
      var current = (page === "home" && key === "home") || (page === "category" && key === cat) ||
        (page === "cart" && key === "cart");
      if (current) a.setAttribute("aria-current", "page");
    });

    var toggle = $('[data-testid="lang-toggle"]');
    if (toggle) {
      toggle.querySelectorAll("[data-lang]").forEach(function (s) {
        s.classList.toggle("is-active", s.getAttribute("data-lang") === lang);
      });
      toggle.setAttribute("aria-label", t("lang.label"));
      toggle.addEventListener("click", function () {
        var next = lang === "es" ? "en" : "es";
        var url = new URL(window.location.href);
        url.searchParams.set("lang", next);
        window.location.href = url.pathname + url.search + url.hash;
      });
    }
    updateCartCount();
  }

  /* ------------------------------------------------------------------ */
  /* Product grid                                                        */
  /* ------------------------------------------------------------------ */

  function cardHtml(p) {
    return (
      '<li class="card" data-testid="product-card" data-vitrina-product="' + esc(p.id) +
      '" data-vitrina-category="' + esc(p.category) + '" data-vitrina-brand="' + esc(p.brand) +
      '" data-vitrina-price="' + esc(p.price) + '">' +
      artHtml(p, 0, "art card-art") +
      '<div class="card-body">' +
      '<p class="card-brand">' + esc(p.brand) + "</p>" +
      '<h3 class="card-title"><a class="card-link" data-testid="product-link" href="' + productUrl(p.id) + '">' +
      esc(title(p)) + "</a></h3>" +
      '<p class="card-meta"><span class="card-price" data-testid="product-price">' + money(p.price) + "</span>" +
      '<span class="badge">' + esc(t("cat." + p.category)) + "</span></p>" +
      "</div></li>"
    );
  }

  function renderGrid(grid, products) {
    grid.setAttribute("aria-busy", "false");
    if (!products.length) {
      grid.innerHTML = '<li class="notice">' + esc(t("grid.empty")) + "</li>";
      return;
    }
    grid.innerHTML = products.map(cardHtml).join("");
  }

  function gridError(grid) {
    grid.setAttribute("aria-busy", "false");
    grid.innerHTML = '<li class="notice notice-error" role="alert">' + esc(t("grid.error")) + "</li>";
  }

  /* ------------------------------------------------------------------ */
  /* Pages                                                               */
  /* ------------------------------------------------------------------ */

  function pageHome() {
    var grid = $("#product-grid");
    loadCatalog().then(function (catalog) {
      renderGrid(grid, catalog.list);
      var count = $("#grid-count");
      if (count) count.textContent = t("grid.count", { n: catalog.list.length });
    }).catch(function () { gridError(grid); });
  }

  function pageCategory() {
    var grid = $("#product-grid");
    var c = params.get("c");
    var valid = CATEGORIES.indexOf(c) !== -1;
    var heading = $("#category-title");
    heading.textContent = valid ? t("cat." + c) : t("category.all");
    document.title = (valid ? t("cat." + c) : t("category.all")) + " — Vitrina Demo Shop";
    grid.setAttribute("data-vitrina-rank", valid ? "category-" + c : "category-all");
    if (!valid && c !== null) {
      var note = $("#category-note");
      note.textContent = t("category.unknown");
      note.hidden = false;
    }
    loadCatalog().then(function (catalog) {
      var list = valid ? catalog.list.filter(function (p) { return p.category === c; }) : catalog.list;
      renderGrid(grid, list);
      $("#grid-count").textContent = t("grid.count", { n: list.length });
    }).catch(function () { gridError(grid); });
  }

  function stepper(input, minus, plus, onChange) {
    function set(v) {
      var n = Math.max(1, Math.min(MAX_QTY, parseInt(v, 10) || 1));
      input.value = String(n);
      minus.disabled = n <= 1;
      plus.disabled = n >= MAX_QTY;
      if (onChange) onChange(n);
    }
    minus.addEventListener("click", function () { set((parseInt(input.value, 10) || 1) - 1); });
    plus.addEventListener("click", function () { set((parseInt(input.value, 10) || 1) + 1); });
    input.addEventListener("change", function () { set(input.value); });
    set(input.value);
  }

  function pageProduct() {
    var root = $("#product");
    var id = params.get("id");
    loadCatalog().then(function (catalog) {
      var p = id && catalog.byId[id];
      if (!p) {
        root.innerHTML =
          '<p class="notice" role="alert">' + esc(t("product.notFound")) + "</p>" +
          '<p><a class="btn" href="/">' + esc(t("product.backHome")) + "</a></p>";
        return;
      }
      renderProduct(root, p);
    }).catch(function () {
      root.innerHTML = '<p class="notice notice-error" role="alert">' + esc(t("grid.error")) + "</p>";
    });
  }

  /* The catalog as a Vitrina feed (id, title, url, categories, brand, price), for an inline
     <script type="application/json">: "<" escaped so no text can close the script early. */
  function feedJson() {
    return JSON.stringify(catalogList.map(function (q) {
      return { id: q.id, title: title(q), url: productUrl(q.id), categories: [q.category], brand: q.brand, price: q.price, price_text: money(q.price) };
    })).replace(/</g, "\\u003c");
  }

  function renderProduct(root, p) {
    var name = title(p);
    document.title = name + " — Vitrina Demo Shop";
    var views = [0, 1, 2];
    var sizes = sizesFor(p);
    var def = defaultSize(p);

    root.innerHTML =
      '<nav class="breadcrumb" aria-label="' + esc(t("product.breadcrumb")) + '"><ol>' +
      '<li><a href="/">' + esc(t("nav.home")) + "</a></li>" +
      '<li><a href="' + categoryUrl(p.category) + '">' + esc(t("cat." + p.category)) + "</a></li>" +
      '<li aria-current="page">' + esc(name) + "</li></ol></nav>" +
      '<div class="pdp" data-vitrina-product="' + esc(p.id) + '" data-vitrina-category="' + esc(p.category) +
      '" data-vitrina-brand="' + esc(p.brand) + '" data-vitrina-price="' + esc(p.price) + '">' +
      '<section class="gallery" aria-roledescription="carousel" aria-label="' + esc(t("product.gallery")) + '">' +
      '<div class="gallery-stage" data-testid="carousel">' +
      views.map(function (v, i) {
        return '<div class="slide" data-slide="' + i + '"' + (i === 0 ? "" : " hidden") + ' aria-roledescription="slide" aria-label="' +
          esc(t("product.imageOf", { i: i + 1, n: views.length })) + '">' +
          artHtml(p, v, "art pdp-art", name + " — " + t("product.view" + v)) + "</div>";
      }).join("") +
      "</div>" +
      '<div class="gallery-controls">' +
      '<button type="button" class="icon-btn" data-testid="carousel-prev" aria-label="' + esc(t("product.prev")) + '">‹</button>' +
      '<span class="gallery-pos" aria-live="polite" data-testid="carousel-position">1 / ' + views.length + "</span>" +
      '<button type="button" class="icon-btn" data-testid="carousel-next" aria-label="' + esc(t("product.next")) + '">›</button>' +
      "</div></section>" +
      '<section class="pdp-info" aria-labelledby="pdp-title">' +
      '<p class="card-brand" data-testid="product-brand">' + esc(p.brand) + "</p>" +
      '<h1 id="pdp-title" data-testid="product-name">' + esc(name) + "</h1>" +
      '<p class="pdp-price"><span data-testid="product-price">' + money(p.price) + '</span> <small>' + esc(t("product.vat")) + "</small></p>" +
      '<p class="pdp-desc">' + esc(description(p)) + "</p>" +
      '<div class="field-row">' +
      '<div class="field"><label for="size">' + esc(t("product.size")) + "</label>" +
      '<select id="size" name="size" data-testid="size-select">' +
      sizes.map(function (s) {
        return '<option value="' + esc(s) + '"' + (s === def ? " selected" : "") + ">" + esc(s) + "</option>";
      }).join("") +
      "</select></div>" +
      '<div class="field"><label for="qty">' + esc(t("product.qty")) + "</label>" +
      '<div class="stepper">' +
      '<button type="button" class="icon-btn" data-testid="qty-minus" aria-label="' + esc(t("product.qtyMinus")) + '">−</button>' +
      '<input id="qty" name="qty" type="number" inputmode="numeric" min="1" max="' + MAX_QTY + '" value="1" data-testid="qty-input">' +
      '<button type="button" class="icon-btn" data-testid="qty-plus" aria-label="' + esc(t("product.qtyPlus")) + '">+</button>' +
      "</div></div></div>" +
      '<div class="pdp-actions">' +
      '<button type="button" class="btn btn-primary btn-lg" data-testid="add-to-cart">' + esc(t("product.add")) + "</button>" +
      '<button type="button" class="btn btn-link" data-testid="size-guide">' + esc(t("product.sizeGuide")) + "</button>" +
      "</div>" +
      '<p class="confirm" role="status" aria-live="polite" data-testid="add-confirmation"></p>' +
      '<p class="pdp-note">' + esc(t("product.shipping")) + "</p>" +
      "</section></div>" +
      '<section class="reviews" aria-labelledby="reviews-title">' +
      '<h2 id="reviews-title">' + esc(t("product.reviews")) + "</h2>" +
      '<div data-vitrina-reviews="' + esc(p.id) + '" data-vitrina-name="' + esc(canonicalName(p)) + '"></div>' +
      "</section>" +
      /* Recommendations: the SDK scores the feed below on the device (the shopper's taste, this
         product's category, brand and price band, products viewed together) and fills the list
         from the template. */
      '<section class="recs" aria-labelledby="recs-title">' +
      '<h2 id="recs-title">' + esc(t("product.recs")) + "</h2>" +
      '<script type="application/json" data-vitrina-catalog>' + feedJson() + "</script>" +
      '<ul class="grid" data-vitrina-recommend data-vitrina-limit="4" data-vitrina-context="' + esc(p.id) + '" data-testid="recommendations">' +
      '<template><li class="card"><div class="card-body"><p class="card-brand" data-vitrina-field="brand"></p>' +
      '<h3 class="card-title"><a class="card-link" data-vitrina-field="url"><span data-vitrina-field="title"></span></a></h3>' +
      '<p class="card-meta"><span class="card-price" data-vitrina-field="price_text"></span></p></div></li></template>' +
      "</ul></section>";

    /* Reviews: the SDK draws them (if it loaded first; otherwise it finds the element itself). */
    var reviewsEl = root.querySelector("[data-vitrina-reviews]");
    if (window.vitrina && typeof window.vitrina.mountReviews === "function") window.vitrina.mountReviews(reviewsEl, p.id);

    /* Carousel (working ‹ / › buttons). */
    var slides = root.querySelectorAll(".slide");
    var pos = $(".gallery-pos", root);
    var current = 0;
    function show(i) {
      current = (i + slides.length) % slides.length;
      slides.forEach(function (s, k) { s.hidden = k !== current; });
      pos.textContent = (current + 1) + " / " + slides.length;
    }
    $('[data-testid="carousel-prev"]', root).addEventListener("click", function () { show(current - 1); });
    $('[data-testid="carousel-next"]', root).addEventListener("click", function () { show(current + 1); });

    /* Quantity stepper. */
    var qty = $("#qty", root);
    stepper(qty, $('[data-testid="qty-minus"]', root), $('[data-testid="qty-plus"]', root));

    /* The size guide button is intentionally inert: a "dead click" for the demo. */

    /* Add to cart. */
    var confirmEl = $('[data-testid="add-confirmation"]', root);
    var hideTimer = null;
    $('[data-testid="add-to-cart"]', root).addEventListener("click", function () {
      var q = Math.max(1, Math.min(MAX_QTY, parseInt(qty.value, 10) || 1));
      var size = $("#size", root).value;
      addToCart(p.id, size, q, p.price);
      track("Product Added", {
        product_id: p.id,
        sku: p.sku,
        category: p.category,
        name: canonicalName(p),
        brand: p.brand,
        price: p.price,
        quantity: q,
        currency: CURRENCY
      });
      confirmEl.innerHTML = esc(t("product.added", { qty: q, name: name, size: size })) +
        ' <a href="/cart.html">' + esc(t("product.viewCart")) + "</a>";
      confirmEl.classList.add("is-visible");
      clearTimeout(hideTimer);
      hideTimer = setTimeout(function () { confirmEl.classList.remove("is-visible"); }, 6000);
    });

    track("Product Viewed", {
      product_id: p.id,
      sku: p.sku,
      category: p.category,
      name: canonicalName(p),
      brand: p.brand,
      price: p.price,
      currency: CURRENCY
    });
  }

  function pageCart() {
    var list = $("#cart-lines");
    var summary = $("#cart-summary");
    var empty = $("#cart-empty");
    var catalog = null;

    function render() {
      var lines = resolveCart(catalog);
      if (!lines.length) {
        list.innerHTML = "";
        list.hidden = true;
        summary.hidden = true;
        empty.hidden = false;
        return;
      }
      empty.hidden = true;
      list.hidden = false;
      summary.hidden = false;
      list.innerHTML = lines.map(function (l, idx) {
        var p = l.product;
        var qid = "qty-" + idx;
        return (
          '<li class="line" data-testid="cart-line" data-vitrina-product="' + esc(p.id) + '" data-index="' + idx + '">' +
          artHtml(p, 0, "art line-art") +
          '<div class="line-info">' +
          '<h2 class="line-title"><a href="' + productUrl(p.id) + '">' + esc(title(p)) + "</a></h2>" +
          '<p class="muted">' + esc(p.brand) + " · " + esc(t("cart.size", { size: l.line.size || "—" })) + "</p>" +
          '<p class="muted">' + esc(t("cart.unit", { price: money(p.price) })) + "</p>" +
          "</div>" +
          '<div class="line-qty"><label class="sr-only" for="' + qid + '">' + esc(t("product.qty")) + " — " + esc(title(p)) + "</label>" +
          '<div class="stepper">' +
          '<button type="button" class="icon-btn" data-testid="qty-minus" data-action="minus" aria-label="' + esc(t("product.qtyMinus")) + '">−</button>' +
          '<input id="' + qid + '" type="number" inputmode="numeric" min="1" max="' + MAX_QTY + '" value="' + l.line.qty + '" data-testid="qty-input">' +
          '<button type="button" class="icon-btn" data-testid="qty-plus" data-action="plus" aria-label="' + esc(t("product.qtyPlus")) + '">+</button>' +
          "</div></div>" +
          '<p class="line-total" data-testid="line-total">' + money(l.total) + "</p>" +
          '<button type="button" class="btn btn-link line-remove" data-testid="cart-remove" data-action="remove" aria-label="' +
          esc(t("cart.removeLabel", { name: title(p) })) + '">' + esc(t("cart.remove")) + "</button>" +
          "</li>"
        );
      }).join("");
      $('[data-testid="cart-subtotal"]').textContent = money(subtotalOf(lines));
    }

    function mutate(index, fn) {
      var lines = resolveCart(catalog);
      var target = lines[index];
      if (!target) return;
      var cart = readCart();
      var i = -1;
      cart.forEach(function (l, k) { if (i === -1 && l.id === target.line.id && l.size === target.line.size) i = k; });
      if (i === -1) return;
      var r = fn(cart[i]);
      if (r === null) cart.splice(i, 1);
      writeCart(cart);
      render();
    }

    list.addEventListener("click", function (e) {
      var btn = e.target.closest("button[data-action]");
      if (!btn) return;
      var li = btn.closest("li[data-index]");
      var index = parseInt(li.getAttribute("data-index"), 10);
      var action = btn.getAttribute("data-action");
      var focusSel = '[data-testid="qty-' + action + '"]';
      mutate(index, function (line) {
        if (action === "remove") return null;
        if (action === "minus") {
          if (line.qty <= 1) return null;
          line.qty -= 1;
        }
        if (action === "plus") line.qty = Math.min(MAX_QTY, line.qty + 1);
        return line;
      });
      /* keep keyboard focus on the same control after re-render */
      var again = list.querySelector('li[data-index="' + index + '"] ' + focusSel);
      if (again) again.focus();
      else if (!list.hidden && list.querySelector("button")) list.querySelector("button").focus();
    });

    list.addEventListener("change", function (e) {
      if (!e.target.matches('input[type="number"]')) return;
      var li = e.target.closest("li[data-index]");
      var v = Math.max(1, Math.min(MAX_QTY, parseInt(e.target.value, 10) || 1));
      mutate(parseInt(li.getAttribute("data-index"), 10), function (line) { line.qty = v; return line; });
    });

    /* Coupon: deliberately broken — the handler throws (error-click demo). */
    var couponStatus = $("#coupon-status");
    $('[data-testid="coupon-apply"]').addEventListener("click", function () {
      couponStatus.textContent = t("cart.couponError");
      throw new Error("Coupon service unavailable");
    });

    /* Checkout: track before the (real) navigation happens. */
    $('[data-testid="checkout-link"]').addEventListener("click", function () {
      var lines = resolveCart(catalog);
      track("Checkout Started", {
        value: subtotalOf(lines),
        currency: CURRENCY,
        products: analyticsProducts(lines)
      });
    });

    loadCatalog().then(function (c) {
      catalog = c;
      render();
    }).catch(function () {
      list.hidden = false;
      list.innerHTML = '<li class="notice notice-error" role="alert">' + esc(t("grid.error")) + "</li>";
    });
  }

  function pageCheckout() {
    var form = $("#checkout");
    var linesEl = $("#summary-lines");
    var catalog = { list: [], byId: {} };

    function method() {
      var r = form.querySelector('input[name="shipping"]:checked');
      return r ? r.value : "standard";
    }

    function totals() {
      var lines = resolveCart(catalog);
      var subtotal = subtotalOf(lines);
      var shipping = shippingCost(method(), subtotal);
      return { lines: lines, subtotal: subtotal, shipping: shipping, total: round2(subtotal + shipping) };
    }

    function renderSummary() {
      var s = totals();
      $("#summary-empty").hidden = s.lines.length > 0;
      linesEl.innerHTML = s.lines.map(function (l) {
        return '<li class="summary-line">' + artHtml(l.product, 0, "art mini-art") +
          '<span class="summary-name">' + esc(title(l.product)) + ' <span class="muted">× ' + l.line.qty +
          (l.line.size ? " · " + esc(l.line.size) : "") + "</span></span>" +
          '<span class="summary-price">' + money(l.total) + "</span></li>";
      }).join("");
      $('[data-testid="summary-subtotal"]').textContent = money(s.subtotal);
      $('[data-testid="summary-shipping"]').textContent = s.shipping === 0 ? t("checkout.free") : money(s.shipping);
      $('[data-testid="summary-total"]').textContent = money(s.total);
      var std = shippingCost("standard", s.subtotal);
      $("#price-standard").textContent = std === 0 ? t("checkout.free") : money(std);
      $("#price-express").textContent = money(SHIPPING.express);
    }

    form.addEventListener("change", function (e) {
      if (e.target.name === "shipping") renderSummary();
    });

    /* Light input formatting for the card fields. */
    var card = $("#cc-number");
    card.addEventListener("input", function () {
      var digits = card.value.replace(/\D/g, "").slice(0, 19);
      card.value = digits.replace(/(.{4})/g, "$1 ").trim();
    });
    var exp = $("#cc-exp");
    exp.addEventListener("input", function (e) {
      var d = exp.value.replace(/\D/g, "").slice(0, 4);
      if (e.inputType && e.inputType.indexOf("delete") === 0) { exp.value = exp.value.replace(/[^\d/]/g, ""); return; }
      exp.value = d.length > 2 ? d.slice(0, 2) + "/" + d.slice(2) : d;
    });

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!form.checkValidity()) { form.reportValidity(); return; }
      var s = totals();
      var orderId = "VD-" + Date.now().toString(36).toUpperCase() + "-" +
        Math.floor(Math.random() * 1e6).toString(36).toUpperCase();
      track("Order Completed", {
        order_id: orderId,
        total: s.total,
        revenue: s.subtotal,
        currency: CURRENCY,
        products: analyticsProducts(s.lines)
      });
      try {
        window.sessionStorage.setItem(ORDER_KEY, JSON.stringify({
          order_id: orderId,
          total: s.total,
          email: form.elements.email.value
        }));
      } catch (err) { /* storage disabled */ }
      store.remove(CART_KEY);
      updateCartCount();
      window.location.href = "/thanks.html?order=" + encodeURIComponent(orderId);
    });

    renderSummary();
    loadCatalog().then(function (c) {
      catalog = c;
      renderSummary();
    }).catch(function () { /* summary stays empty; the form still works */ });
  }

  function pageThanks() {
    var order = null;
    try { order = JSON.parse(window.sessionStorage.getItem(ORDER_KEY) || "null"); } catch (e) { order = null; }
    var id = params.get("order") || (order && order.order_id);
    var out = [];
    if (id) out.push(t("thanks.order", { id: id }));
    if (order && order.order_id === id) {
      out.push(t("thanks.total", { total: money(order.total) }));
      if (order.email) out.push(t("thanks.email", { email: order.email }));
    }
    if (!out.length) out.push(t("thanks.generic"));
    var el = $("#thanks-details");
    el.innerHTML = out.map(function (s) { return "<p>" + esc(s) + "</p>"; }).join("");
    if (id) $("#thanks-details").setAttribute("data-order-id", id);
  }

  /* ------------------------------------------------------------------ */
  /* Boot                                                                */
  /* ------------------------------------------------------------------ */

  function boot() {
    applyI18n();
    initHeader();
    var page = document.body.getAttribute("data-page");
    var pages = {
      home: pageHome,
      category: pageCategory,
      product: pageProduct,
      cart: pageCart,
      checkout: pageCheckout,
      thanks: pageThanks
    };
    if (pages[page]) pages[page]();
  }

  /* Keep the header count fresh when a page is restored from the bfcache. */
  window.addEventListener("pageshow", function (e) { if (e.persisted) updateCartCount(); });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot);
  } else {
    boot();
  }
})();

/* Vitrina classic script build: add with <script async src=".../vitrina.js">. It loads the ES module
   build next to it and replays the calls the page queued in window.vitrina, in order. */
(function (w, d) {
  var s = d.currentScript, base = (s && s.src) || location.href;
  import(new URL("vitrina.esm.js", base).href)
    .then(function (m) { return m.load().then(function () { m.installQueue(w); }); })
    .catch(function (e) { w.console && console.warn("vitrina: could not load", e); });
})(window, document);

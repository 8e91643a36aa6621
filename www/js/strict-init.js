// The strict-CSP demo's snippet: the same two lines as the README's, in a file of the shop's own
// (a policy without 'unsafe-inline' runs no inline <script>).
window.vitrina = window.vitrina || [];
vitrina.push(["init", {
  endpoint: location.origin,
  debug: true,
  surveys: [{ id: "strict-csat", questions: [{ id: "q", type: "csat", text: { es: "¿Encontraste lo que buscabas?", en: "Did you find what you were looking for?" } }], thanks: { es: "¡Gracias!", en: "Thank you!" }, targeting: { url: { contains: "/strict.html" } } }],
}]);

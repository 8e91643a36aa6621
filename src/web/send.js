// POSTs a batch. When the core asks for it (`gzip`), the body is compressed with
// CompressionStream where the browser has it and flagged with ?gz=1 (a Content-Encoding header would cost a CORS preflight). Resolves to
// [status, retryAfterHeader]; rejects on network errors. Kept in JS: the streams plumbing is a
// few lines here and kilobytes of bindings in wasm.
export async function send(url, body, keepalive, gzip) {
  let data = body;
  if (gzip && typeof CompressionStream === "function") {
    try {
      const stream = new Blob([body]).stream().pipeThrough(new CompressionStream("gzip"));
      data = await new Response(stream).arrayBuffer();
      url += (url.includes("?") ? "&" : "?") + "gz=1";
    } catch (_) {
      data = body;
    }
  }
  const r = await fetch(url, { method: "POST", body: data, keepalive, headers: { "content-type": "text/plain;charset=UTF-8" } });
  return [r.status, r.headers.get("retry-after")];
}

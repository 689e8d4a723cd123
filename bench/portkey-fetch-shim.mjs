// Preloaded into the Portkey gateway's process by bench/proxy.ts (benchmark only).
// @portkey-ai/gateway 1.15.2 appends its x-portkey-* headers to the upstream fetch() Response,
// whose headers are immutable on Node: every streamed answer fails with "TypeError: immutable"
// (Portkey-AI/gateway issues #1389 and #1550). Its proposed fix (PR #1551) copies the response
// into a new one first; this does the same for every fetch, without reading the body.
const nativeFetch = globalThis.fetch;
globalThis.fetch = async (...args) => {
  const res = await nativeFetch(...args);
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers: res.headers });
};

// One JSON request as the scan pages make it: the answer's JSON, thrown when the answer is not
// ok (an answer that is not JSON reads as {error_display: fallback}).
window.damrongCall = async function (method, url, body, fallback) {
  "use strict";
  const opts = {method, headers: {"Accept": "application/json"}};
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const resp = await fetch(url, opts);
  let data = {};
  try { data = await resp.json(); } catch (e) { data = {error_display: fallback}; }
  if (!resp.ok) throw data;
  return data;
};

// The complaint page's documents: while any is waiting or being read (OCR), its state and page
// count are asked for (GET /documents/<id>/state.json) every few seconds and shown in place,
// without a reload; the asking stops once none is waiting.
(function () {
  "use strict";
  const STEP_MS = 1500;
  const reading = (row) => row.dataset.state === "pending" || row.dataset.state === "processing";
  const waiting = () => [...document.querySelectorAll("tr[data-state-url]")].filter(reading);

  async function refresh(row) {
    let resp;
    try {
      resp = await fetch(row.dataset.stateUrl, {headers: {"Accept": "application/json"}});
    } catch (e) {
      return;  // the network: asked again next round
    }
    if (!resp.ok) {
      if (resp.status === 403 || resp.status === 404) row.dataset.state = "gone";  // not ours to follow
      return;
    }
    const d = await resp.json();
    row.dataset.state = d.state;
    row.querySelector(".doc-state").textContent = d.state_display + (d.error_display ? ` — ${d.error_display}` : "");
    row.querySelector(".doc-pages").textContent = d.pages ? String(d.pages) : "";
  }

  async function poll() {
    await Promise.all(waiting().map(refresh));
    if (waiting().length) setTimeout(poll, STEP_MS);
  }

  if (waiting().length) setTimeout(poll, STEP_MS);
})();

// The intake form's duplicate check: as the clerk types who, about whom, what and where, the
// server looks across the country (POST /complaints/check.json) and the panel lists the possible
// duplicates with why; another centre's are shown by their metadata only. Nothing is blocked:
// the clerk decides (link or close as duplicate later, on the complaint's page).
(function () {
  "use strict";
  const D = window.DAMRONG_DUPLICATES;
  const form = document.getElementById("complaint-form");
  const panel = document.getElementById("duplicates-panel");
  if (!D || !form || !panel) return;
  const FIELDS = ["citizen_id", "complainant_id", "respondent_name", "summary", "category_id", "incident_province",
                  "incident_district", "incident_subdistrict", "latitude", "longitude"];
  let timer = null, last = "", seq = 0;

  function probe() {
    const out = {};
    for (const name of FIELDS) {
      const el = form.elements[name];
      if (el && el.value) out[name] = el.value;
    }
    return out;
  }

  function show(candidates) {
    const list = document.getElementById("duplicate-list");
    list.innerHTML = "";
    panel.hidden = !candidates.length;
    for (const c of candidates) {
      const li = document.createElement("li");
      li.className = "duplicate-candidate";
      li.dataset.trackingNo = c.tracking_no;
      const head = c.url ? Object.assign(document.createElement("a"), {href: c.url, target: "_blank"})
                         : document.createElement("strong");
      head.textContent = c.tracking_no;
      li.appendChild(head);
      const pct = Math.round(c.score * 100);
      li.appendChild(document.createTextNode(
        ` · ${c.area_name} (${c.area}) · ${c.status_text} · ${c.category} · ${pct}% — ${c.reasons_text.join(", ")}`));
      if (!c.visible) {
        const note = document.createElement("span");
        note.className = "muted";
        note.textContent = ` (${D.elsewhere})`;
        li.appendChild(note);
      }
      list.appendChild(li);
    }
  }

  async function check() {
    const body = probe();
    const key = JSON.stringify(body);
    if (key === last) return;
    last = key;
    if (!body.citizen_id && !body.complainant_id && !body.respondent_name && !body.summary) { show([]); return; }
    const mine = ++seq;
    try {
      const r = await fetch(D.url, {method: "POST", headers: {"Content-Type": "application/json"}, body: key});
      if (!r.ok || mine !== seq) return;
      show((await r.json()).candidates);
    } catch (e) { /* the check helps; the form works without it */ }
  }

  function soon() { clearTimeout(timer); timer = setTimeout(check, 700); }
  form.addEventListener("input", (e) => { if (FIELDS.includes(e.target.name)) soon(); });
  form.addEventListener("change", (e) => { if (FIELDS.includes(e.target.name)) soon(); });
  soon();  // a form filled from a petition or a card is checked at once
})();

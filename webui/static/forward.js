// The status form's forward target: as the officer types a name or a code (Thai digits too),
// the <datalist> fills with the centres that match ("KKN-02 บ้านฝาง (ขอนแก่น)"), asked of
// /centres (there are ~8,400 areas, so the page never holds them all). Picking one puts its line
// in the field; the server reads the code at its start. Without this script a typed code works.
(function () {
  "use strict";
  const input = document.getElementById("to_area_code");
  const list = document.getElementById("centre-options");
  if (!input || !list) return;
  let timer = null, asked = null;

  function picked(q) {
    return Array.from(list.options).some((o) => o.value === q);
  }

  async function lookUp() {
    const q = input.value.trim();
    if (!q || q === asked || picked(q)) return;
    asked = q;
    let body;
    try {
      const r = await fetch(`${input.dataset.url}?q=${encodeURIComponent(q)}`, {headers: {Accept: "application/json"}});
      if (!r.ok) return;
      body = await r.json();
    } catch (e) {
      return;  // typing a code still works
    }
    if (input.value.trim() !== q) return;  // typed on meanwhile: that answer is on its way
    list.replaceChildren(...body.centres.map((c) => {
      const o = document.createElement("option");
      o.value = c.label;
      return o;
    }));
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(lookUp, 150);
  });
})();

// The scan page: pick a scanner, scan, watch pages arrive, fix order/rotation, file.
(function () {
  "use strict";
  const T = window.DAMRONG_SCAN;
  const $ = (id) => document.getElementById(id);
  let batchId = null, timer = null, lastPages = "", devices = [];

  const call = (method, url, body) => window.damrongCall(method, url, body, T.server_error);  // json_call.js

  function showError(err) {
    $("batch").hidden = false;
    $("batch-error").textContent = (err && (err.error_display || err.error)) || T.server_error;
  }

  function fillSources() {
    const dev = devices.find((d) => d.name === $("device").value);
    const offered = dev && dev.sources.length ? dev.sources : ["flatbed", "feeder", "duplex"];
    for (const opt of $("source").options) opt.disabled = !offered.includes(opt.value);
    if ($("source").selectedOptions[0].disabled) $("source").value = offered[0];
  }

  async function loadDevices(refresh) {
    if (T.station) {  // ?station=NAME: the counter station's own scanner, driven by `damrong station`
      const sel = $("device");
      sel.innerHTML = "";
      const o = document.createElement("option");
      o.value = T.station_device;
      o.textContent = T.station_scanner;
      sel.appendChild(o);
      $("refresh-devices").hidden = true;
      devices = [];
      fillSources();
      return;
    }
    $("devices-status").textContent = "…";
    try {
      const data = await call("GET", "/scan/devices.json" + (refresh ? "?refresh=1" : ""));
      devices = data.devices;
    } catch (e) { devices = []; }
    const sel = $("device"), remembered = localStorage.getItem("damrong-scanner");
    sel.innerHTML = "";
    for (const d of devices) {
      const o = document.createElement("option");
      o.value = d.name;
      o.textContent = `${d.name} — ${d.vendor} ${d.model}`;
      sel.appendChild(o);
    }
    if (devices.some((d) => d.name === remembered)) sel.value = remembered;
    $("devices-status").textContent = devices.length ? "" : T.no_scanners;
    fillSources();
  }

  function button(label, cls, onclick) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.className = cls;
    b.addEventListener("click", onclick);
    return b;
  }

  async function editPage(id, change) {
    try { render(await call("POST", `/scan/pages/${id}`, change)); } catch (e) { showError(e); }
  }

  function renderThumbs(b) {
    const editable = b.state !== "filed" && b.state !== "cancelled";
    const key = JSON.stringify([editable, b.pages]);  // filing or cancelling takes the tools away
    if (key === lastPages) return;
    lastPages = key;
    const list = $("thumbs");
    list.innerHTML = "";
    b.pages.forEach((p, i) => {
      const li = document.createElement("li");
      li.className = "thumb" + (p.kept ? "" : " left-out");
      li.dataset.page = p.id;
      const img = document.createElement("img");
      img.src = p.thumb_url;
      img.alt = `${T.page} ${p.position}`;
      img.loading = "lazy";
      const link = document.createElement("a");
      link.href = p.image_url;
      link.target = "_blank";
      link.appendChild(img);
      li.appendChild(link);
      const cap = document.createElement("div");
      cap.className = "caption";
      cap.textContent = `${p.position}` + (p.deleted ? ` · ${T.deleted}` : p.separator ? ` · ${T.separator}` : p.blank ? ` · ${T.blank}` : "");
      li.appendChild(cap);
      if (editable) {
        const tools = document.createElement("div");
        tools.className = "tools";
        tools.appendChild(button("◀", "move-left", () => editPage(p.id, {move_to: p.position - 1})));
        tools.appendChild(button("⟳", "rotate", () => editPage(p.id, {rotate: 90})));
        tools.appendChild(button("▶", "move-right", () => editPage(p.id, {move_to: p.position + 1})));
        if (p.blank || p.separator) tools.appendChild(button(T.keep, "keep", () => editPage(p.id, {keep: true})));
        tools.appendChild(p.deleted ? button(T.restore, "restore", () => editPage(p.id, {deleted: false}))
                                    : button(T.delete, "delete", () => editPage(p.id, {deleted: true})));
        tools.querySelector(".move-left").title = T.move_left;
        tools.querySelector(".rotate").title = T.rotate;
        tools.querySelector(".move-right").title = T.move_right;
        if (i === 0) tools.querySelector(".move-left").disabled = true;
        if (i === b.pages.length - 1) tools.querySelector(".move-right").disabled = true;
        li.appendChild(tools);
      }
      list.appendChild(li);
    });
  }

  function render(b) {
    batchId = b.id;
    location.hash = "batch=" + b.id;
    $("batch").hidden = false;
    $("batch").dataset.state = b.state;
    $("batch-title").textContent = T.batch.replace("{id}", b.id) + ` — ${b.device}, ${T.sources[b.source] || b.source}`;
    $("batch-state").textContent = `${T.states[b.state] || b.state} (${b.pages.length} ${T.page})`;
    $("batch-error").textContent = b.error_display || "";
    const idle = b.state === "open" || b.state === "interrupted";
    const kept = b.pages.some((p) => p.kept);
    $("continue-scan").hidden = !idle;
    $("file-batch").hidden = !(idle && kept);
    $("file-under-label").hidden = !(idle && kept);
    $("file-kind-label").hidden = !(idle && kept);
    $("cancel-batch").hidden = !idle;
    const docs = $("filed-documents");
    docs.innerHTML = "";
    for (const d of b.documents) {
      const a = document.createElement("a");
      a.href = d.url;
      a.textContent = `${T.filed_as} ${d.id}`;
      a.className = "filed-document";
      docs.appendChild(a);
      docs.appendChild(document.createTextNode(" "));
    }
    renderThumbs(b);
    clearTimeout(timer);
    if (b.state === "scanning" || b.state === "waiting" || b.pages.some((p) => !p.analysed && b.state !== "filed")) {
      timer = setTimeout(() => load(b.id), 600);
    }
  }

  async function load(id) {
    try { render(await call("GET", `/scan/batches/${id}.json`)); } catch (e) { showError(e); }
  }

  $("device").addEventListener("change", () => {
    localStorage.setItem("damrong-scanner", $("device").value);
    fillSources();
  });
  $("refresh-devices").addEventListener("click", () => loadDevices(true));
  $("start-scan").addEventListener("click", async () => {
    lastPages = "";
    $("batch-error").textContent = "";
    try {
      render(await call("POST", "/scan/batches", {
        device: $("device").value, source: $("source").value, resolution: $("resolution").value,
        mode: $("mode").value, options: $("options").value, station: T.station}));
    } catch (e) { showError(e); }
  });
  $("continue-scan").addEventListener("click", async () => {
    try {
      render(await call("POST", `/scan/batches/${batchId}/continue`,
                        {source: $("source").value, options: $("options").value}));
    } catch (e) { showError(e); }
  });
  $("file-batch").addEventListener("click", async () => {
    try {
      const b = await call("POST", `/scan/batches/${batchId}/file`, {
        tracking_no: $("file-under").value.trim(), kind: $("file-kind").value});
      render(b);
      if (b.complaint_url) location.href = b.complaint_url;
    } catch (e) { showError(e); }
  });
  $("cancel-batch").addEventListener("click", async () => {
    try { render(await call("POST", `/scan/batches/${batchId}/cancel`)); } catch (e) { showError(e); }
  });
  for (const a of document.querySelectorAll("#open-batches a[data-batch]")) {
    a.addEventListener("click", (ev) => { ev.preventDefault(); lastPages = ""; load(a.dataset.batch); });
  }

  loadDevices(false);
  const m = /batch=(\d+)/.exec(location.hash);
  if (m) load(m[1]);
})();

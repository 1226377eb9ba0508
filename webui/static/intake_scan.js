// Scanning on the new complaint's form: the clerk puts the paper in and presses scan; pages show
// as they arrive; "scan more" adds to the same batch; saving the form files the batch under the
// new complaint as the kind chosen. Save waits while the scanner runs. The scanner is the one
// last used on this PC (the scan page remembers the same one), or the counter station's own.
(function () {
  "use strict";
  const T = window.DAMRONG_INTAKE_SCAN;
  const $ = (id) => document.getElementById(id);
  if (!T || !$("scan-box")) return;
  const save = $("save-complaint");
  let devices = [], timer = null;

  const call = (method, url, body) => window.damrongCall(method, url, body, T.server_error);  // json_call.js

  function say(text, state) {
    $("scan-status").textContent = text;
    $("scan-status").dataset.state = state || "";
  }

  async function loadDevices() {
    const sel = $("scan-device");
    sel.innerHTML = "";
    if (T.station) {
      sel.add(new Option(T.station_scanner, T.station_device));
      return;
    }
    try { devices = (await call("GET", "/scan/devices.json")).devices; } catch (e) { devices = []; }
    for (const d of devices) sel.add(new Option(`${d.name} — ${d.vendor} ${d.model}`, d.name));
    const remembered = localStorage.getItem("damrong-scanner");
    if (devices.some((d) => d.name === remembered)) sel.value = remembered;
    $("scan-start").disabled = !devices.length;
    if (!devices.length) say(T.no_scanners, "none");
  }

  function source() {
    const d = devices.find((x) => x.name === $("scan-device").value);
    const offered = d && d.sources.length ? d.sources : ["flatbed"];
    return offered.includes("flatbed") ? "flatbed" : offered[0];
  }

  function render(b) {
    $("scan_batch_id").value = b.id;
    const busy = b.state === "scanning" || b.state === "waiting";
    const kept = b.pages.filter((p) => p.kept);
    save.disabled = busy;
    $("scan-start").disabled = busy;
    $("scan-start").textContent = b.pages.length ? T.more : T.scan;
    $("scan-discard").hidden = busy || !b.pages.length;
    $("scan-box").dataset.state = b.state;
    if (busy) say(`${T.states[b.state]} (${b.pages.length} ${T.page})`, "busy");
    else if (!b.pages.length) say(b.error_display || "", "error");
    else say(T.ready.replace("{pages}", kept.length) + (b.error_display ? ` — ${b.error_display}` : ""),
             b.error_display ? "error" : "ready");
    const list = $("scan-thumbs");
    if (list.childElementCount !== b.pages.length) {
      list.innerHTML = "";
      for (const p of b.pages) {
        const li = document.createElement("li");
        li.className = "thumb" + (p.kept ? "" : " left-out");
        const img = document.createElement("img");
        img.src = p.thumb_url;
        img.alt = `${T.page} ${p.position}`;
        li.appendChild(img);
        list.appendChild(li);
      }
    }
    clearTimeout(timer);
    if (busy || b.pages.some((p) => !p.analysed)) timer = setTimeout(() => load(b.id), 700);
  }

  async function load(id) {
    try { render(await call("GET", `/scan/batches/${id}.json`)); }
    catch (e) { say((e && e.error_display) || T.server_error, "error"); save.disabled = false; }
  }

  $("scan-device").addEventListener("change", () => localStorage.setItem("damrong-scanner", $("scan-device").value));
  $("scan-start").addEventListener("click", async () => {
    const id = $("scan_batch_id").value;
    try {
      save.disabled = true;
      render(id ? await call("POST", `/scan/batches/${id}/continue`, {source: source()})
                : await call("POST", "/scan/batches", {device: $("scan-device").value, source: source(), station: T.station}));
    } catch (e) { say((e && e.error_display) || T.server_error, "error"); save.disabled = false; }
  });
  $("scan-discard").addEventListener("click", async () => {
    const id = $("scan_batch_id").value;
    if (id) { try { await call("POST", `/scan/batches/${id}/cancel`); } catch (e) { /* already gone */ } }
    $("scan_batch_id").value = "";
    $("scan-thumbs").innerHTML = "";
    $("scan-discard").hidden = true;
    $("scan-start").textContent = T.scan;
    say("");
  });

  loadDevices();
  if ($("scan_batch_id").value) load($("scan_batch_id").value);
})();

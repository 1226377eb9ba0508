// The intake form's position picker: a small Leaflet map beside the typed latitude and longitude
// (#latitude, #longitude). A click on the map (or dragging the marker) fills them in; typing
// them (Thai digits too) moves the marker; "use this device's position" asks the browser
// (navigator.geolocation). Without JavaScript the box stays hidden and the inputs work alone.
(function () {
  "use strict";
  const box = document.getElementById("pick-map-box");
  const el = document.getElementById("pick-map");
  const lat = document.getElementById("latitude");
  const lon = document.getElementById("longitude");
  if (!box || !el || !lat || !lon || !window.L) return;
  const cfg = JSON.parse(el.dataset.config);
  const status = document.getElementById("position-status");
  const fill = (s, params) => s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? params[k] : m));
  const THAI_ZERO = 0x0e50;
  const number = (s) => {
    const v = String(s || "").trim().replace(/[\u0e50-\u0e59]/g, (d) => String(d.charCodeAt(0) - THAI_ZERO));
    return v && /^[-+]?\d+(\.\d+)?$/.test(v) ? parseFloat(v) : null;
  };
  const typed = () => {
    const a = number(lat.value), o = number(lon.value);
    return a !== null && o !== null && Math.abs(a) <= 90 && Math.abs(o) <= 180 ? [a, o] : null;
  };

  box.hidden = false;
  const start = typed();
  const map = L.map(el).setView(start || [13.0, 101.0], start ? 15 : 5); // else all of Thailand
  if (cfg.tiles.url) {
    L.tileLayer(cfg.tiles.url, { attribution: cfg.tiles.attribution, maxZoom: 19 })
      .on("tileerror", () => {
        if (!el.classList.contains("no-tiles")) status.textContent = cfg.text.no_tiles;
        el.classList.add("no-tiles");
      })
      .addTo(map);
  }
  let marker = null;
  function place(ll, zoom) {
    if (!marker) {
      marker = L.marker(ll, { draggable: true, autoPan: true }).addTo(map);
      marker.on("dragend", () => write(marker.getLatLng()));
    } else {
      marker.setLatLng(ll);
    }
    if (zoom) map.setView(ll, Math.max(map.getZoom(), zoom));
  }
  function write(ll) {
    lat.value = ll.lat.toFixed(6);
    lon.value = L.Util.wrapNum(ll.lng, [-180, 180], true).toFixed(6);
    [lat, lon].forEach((i) => {
      i.dispatchEvent(new Event("input", { bubbles: true }));
      i.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
  if (start) place(start);
  map.on("click", (e) => { place(e.latlng); write(e.latlng); status.textContent = ""; });
  [lat, lon].forEach((i) => i.addEventListener("input", (e) => {
    if (!e.isTrusted) return; // our own write: the marker is there already
    const ll = typed();
    if (ll) place(ll, 13);
  }));

  const mine = document.getElementById("use-my-position");
  mine.addEventListener("click", () => {
    if (!navigator.geolocation) { status.textContent = cfg.text.none; return; }
    status.textContent = cfg.text.locating;
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        const ll = L.latLng(pos.coords.latitude, pos.coords.longitude);
        place(ll, 16);
        write(ll);
        status.textContent = fill(cfg.text.set, { m: Math.round(pos.coords.accuracy || 0) });
      },
      (err) => { status.textContent = fill(cfg.text.failed, { reason: err.message || err.code }); },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });
  // a map drawn while its box was hidden has no size: measure again once the page has laid out
  setTimeout(() => map.invalidateSize(), 0);
})();

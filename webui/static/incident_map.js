// The incident map (/map): the complaints the user may see with a position, from
// /map/points.json (GeoJSON, the page's filters), as markers clustered (Leaflet.markercluster)
// and coloured by status, a heat layer (leaflet.heat) and circles per area sized by its
// complaints (/map/areas.json). A marker's popup links to the complaint. The background tiles
// are the map_tile_url setting; with none, or none reachable, the markers show on a plain
// background. Everything the page says comes from the page (the message catalogue).
(function () {
  "use strict";
  const el = document.getElementById("incident-map");
  if (!el || !window.L) return;
  const cfg = JSON.parse(el.dataset.config);
  const T = cfg.text;
  const fill = (s, params) => s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? params[k] : m));
  const notice = document.getElementById("map-notice");
  const say = (msg) => { notice.textContent = msg; notice.hidden = !msg; };

  const map = L.map(el, { zoomControl: true, worldCopyJump: false }).setView([13.0, 101.0], 6); // Thailand
  if (cfg.tiles.url) {
    const tiles = L.tileLayer(cfg.tiles.url, { attribution: cfg.tiles.attribution, maxZoom: 19 });
    let failed = 0;
    tiles.on("tileerror", () => {
      failed += 1;
      if (failed === 1) { el.classList.add("no-tiles"); say(T.map_tiles_failed); }
    });
    tiles.on("tileload", () => { if (failed === 0) say(""); });
    tiles.addTo(map);
  }

  const icons = {};
  const icon = (status) => icons[status] || (icons[status] = L.divIcon({
    className: "map-marker",
    html: '<span class="map-dot status-' + status + '"></span>',
    iconSize: [16, 16],
    iconAnchor: [8, 8],
    popupAnchor: [0, -8],
  }));

  // a cluster: its count inside a ring split by the statuses of the complaints in it
  const ORDER = Object.keys(cfg.status);
  function clusterIcon(cluster) {
    const n = {};
    cluster.getAllChildMarkers().forEach((m) => { n[m.options.status] = (n[m.options.status] || 0) + 1; });
    const total = cluster.getChildCount();
    let at = 0;
    const stops = ORDER.filter((st) => n[st]).map((st) => {
      const from = at;
      at += (360 * n[st]) / total;
      return "var(--st-" + st + ") " + from.toFixed(1) + "deg " + at.toFixed(1) + "deg";
    });
    const size = total < 10 ? 36 : total < 100 ? 42 : total < 1000 ? 48 : 56;
    return L.divIcon({
      className: "marker-cluster status-cluster",
      html: '<div class="cluster-ring" style="background:conic-gradient(' + stops.join(",") + ')"><span>' + total + "</span></div>",
      iconSize: L.point(size, size),
    });
  }

  function popup(p) {
    const box = document.createElement("div");
    box.className = "map-popup";
    const a = document.createElement("a");
    a.className = "tracking-no";
    a.href = cfg.complaint_url + p.id;
    a.textContent = p.tracking_no;
    const st = document.createElement("p");
    st.innerHTML = '<span class="map-dot status-' + p.status + '"></span> ';
    st.append(cfg.status[p.status] || p.status);
    const cat = document.createElement("p");
    cat.textContent = p.category;
    const open = document.createElement("a");
    open.className = "open-complaint";
    open.href = a.href;
    open.textContent = T.map_open_complaint + " →";
    box.append(a, st, cat, open);
    return box;
  }

  let drawn = () => {};
  const markers = L.markerClusterGroup({
    chunkedLoading: true, // thousands of markers added a slice at a time: the page stays responsive
    chunkProgress: (done, total) => { if (done === total) drawn(); },
    showCoverageOnHover: false,
    maxClusterRadius: 50,
    iconCreateFunction: clusterIcon,
  });
  let heat = null;
  const areaLayer = L.layerGroup();
  const toggles = { "layer-markers": () => markers, "layer-heat": () => heat, "layer-areas": () => areaLayer };

  function show(id) {
    const box = document.getElementById(id);
    const layer = toggles[id]();
    if (!box || !layer) return;
    if (box.checked) layer.addTo(map); else map.removeLayer(layer);
  }
  Object.keys(toggles).forEach((id) => {
    const box = document.getElementById(id);
    if (box) box.addEventListener("change", () => show(id));
  });

  const getJSON = (url) => fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then((r) => r.json().then((body) => { if (!r.ok) throw new Error(body.error_display || body.message_th || r.status); return body; }));

  getJSON(cfg.points_url).then((data) => {
    const count = document.getElementById("map-count");
    count.textContent = data.total ? fill(T.map_count, { shown: data.shown, total: data.total }) : T.map_no_points;
    if (data.not_shown > 0) say(fill(T.map_not_shown, { n: data.not_shown, limit: data.limit }));
    const latlngs = [];
    const list = data.features.map((f) => {
      const [lon, lat] = f.geometry.coordinates;
      latlngs.push([lat, lon]);
      const m = L.marker([lat, lon], {
        icon: icon(f.properties.status), title: f.properties.tracking_no, riseOnHover: true, status: f.properties.status,
      });
      m.bindPopup(() => popup(f.properties));
      return m;
    });
    // the view first, without animation, then the markers: they are clustered once, for it
    if (latlngs.length) map.fitBounds(L.latLngBounds(latlngs).pad(0.15), { maxZoom: 14, animate: false });
    drawn = () => { el.dataset.ready = "points"; };
    heat = L.heatLayer(latlngs, { radius: 25, blur: 18, maxZoom: 12, minOpacity: 0.35 });
    show("layer-markers");
    show("layer-heat");
    markers.addLayers(list);
    if (!list.length) drawn();
  }).catch((e) => { say(String(e.message || e)); el.dataset.ready = "error"; });

  getJSON(cfg.areas_url).then((data) => {
    const placed = data.areas.filter((a) => a.lat !== null && a.lon !== null);
    const most = Math.max(1, ...placed.map((a) => a.total));
    placed.forEach((a) => {
      const radius = 8 + 30 * Math.sqrt(a.total / most);
      const pct = a.closed_pct === null ? "—" : a.closed_pct.toFixed(1);
      const words = document.createElement("p");
      words.textContent = fill(T.map_area_tip, { name: a.name, total: a.total, pct });
      L.circleMarker([a.lat, a.lon], {
        radius, color: "#0b3d6e", weight: 2, fillColor: "#0b5cad", fillOpacity: 0.12, className: "area-circle",
      })
        // the count just above the circle, clear of the markers at its middle
        .bindTooltip(String(a.total), { permanent: true, direction: "top", offset: [0, -radius], className: "area-count" })
        .bindPopup(words)
        .addTo(areaLayer);
    });
    show("layer-areas");
    el.dataset.areas = String(placed.length);
  }).catch((e) => say(String(e.message || e)));
})();

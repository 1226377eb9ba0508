// Field team pages on the phone (/field/): the service worker that keeps the pages for when
// there is no signal, "nearest to me first", and the queue of reports. A report is written into
// the phone's IndexedDB first (with its own id, its photos made smaller) and only then sent;
// it leaves the queue when the server has it — a dropped signal, a closed tab or a sign-in that
// ran out keeps it, and the server records a report sent twice once (by that id).
(function () {
  "use strict";
  const page = document.querySelector(".field-page");
  if (!page) return;
  const me = Number(page.dataset.user);
  const swMeta = document.querySelector('meta[name="field-sw"]');
  const queueBox = document.getElementById("field-queue");
  const T = queueBox ? queueBox.dataset : {};
  const fill = (text, params) => String(text || "").replace(/\{(\w+)\}/g, (m, k) => (k in params ? params[k] : m));

  // --- the service worker and the pages kept for offline use --------------------------------
  if ("serviceWorker" in navigator && swMeta) {
    navigator.serviceWorker.register(swMeta.content, { scope: swMeta.dataset.scope }).catch(() => {});
  }
  function keepForOffline(urls) {
    if (!("caches" in window) || !navigator.onLine) return;
    navigator.serviceWorker && navigator.serviceWorker.ready.then(() => {
      urls.forEach((u) => caches.match(u).then((hit) => hit || fetch(u, {  // the worker keeps what it fetches
        credentials: "same-origin", headers: { "X-Damrong-Prefetch": "1" },
      })).catch(() => {}));
    });
  }
  const cards = [...document.querySelectorAll(".field-card a.field-open")].map((a) => a.href);
  if (cards.length) keepForOffline(cards);
  const signOut = document.querySelector("form.logout");
  if (signOut && "caches" in window) {
    signOut.addEventListener("submit", () => {  // the next person on this phone sees none of it
      caches.keys().then((keys) => keys.filter((k) => k.startsWith("field-")).forEach((k) => caches.delete(k)));
    });
  }

  // --- where the phone is ---------------------------------------------------------------------
  function position(timeoutMs) {
    return new Promise((resolve) => {
      if (!navigator.geolocation) return resolve({ error: "unsupported" });
      navigator.geolocation.getCurrentPosition(
        (p) => resolve({ lat: p.coords.latitude, lon: p.coords.longitude, accuracy: p.coords.accuracy }),
        (e) => resolve({ error: e.message || String(e.code) }),
        { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60000 }
      );
    });
  }
  const nearest = document.getElementById("nearest-first");
  if (nearest) {
    nearest.addEventListener("click", async () => {
      const status = document.getElementById("near-status");
      status.textContent = nearest.dataset.locating || "…";
      const p = await position(15000);
      if (p.error) { status.textContent = fill(nearest.dataset.noPosition, { reason: p.error }); return; }
      const url = new URL(location.href);
      url.searchParams.set("near", p.lat.toFixed(6) + "," + p.lon.toFixed(6));
      location.href = url.toString();
    });
  }

  // --- the queue (IndexedDB "damrong-field", store "reports") ---------------------------------
  function openDb() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open("damrong-field", 1);
      req.onupgradeneeded = () => req.result.createObjectStore("reports", { keyPath: "uid" });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  function store(mode, fn) {
    return openDb().then((db) => new Promise((resolve, reject) => {
      const tx = db.transaction("reports", mode);
      const out = fn(tx.objectStore("reports"));
      tx.oncomplete = () => { db.close(); resolve(out && "result" in out ? out.result : undefined); };
      tx.onerror = () => { db.close(); reject(tx.error); };
      tx.onabort = () => { db.close(); reject(tx.error || new Error("aborted")); };
    }));
  }
  const allQueued = () => store("readonly", (s) => s.getAll());
  const putQueued = (r) => store("readwrite", (s) => s.put(r));
  const dropQueued = (uid) => store("readwrite", (s) => s.delete(uid));

  function newUid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  }

  async function smaller(file) {  // at most 1600 px, as the server keeps it: less to send on 3G
    try {
      const bmp = await createImageBitmap(file, { imageOrientation: "from-image" });
      const scale = Math.min(1, 1600 / Math.max(bmp.width, bmp.height));
      if (scale === 1 && file.size < 1500000) return file;
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(bmp.width * scale);
      canvas.height = Math.round(bmp.height * scale);
      canvas.getContext("2d").drawImage(bmp, 0, 0, canvas.width, canvas.height);
      const blob = await new Promise((res) => canvas.toBlob(res, "image/jpeg", 0.85));
      return blob || file;
    } catch (e) {
      return file;  // not one the browser can draw: the server says what it is
    }
  }

  let sending = false;
  async function render() {
    if (!queueBox) return;
    const items = await allQueued().catch(() => []);
    const list = document.getElementById("queue-items");
    list.textContent = "";
    items.sort((a, b) => a.made_at.localeCompare(b.made_at));
    for (const r of items) {
      const li = document.createElement("li");
      li.className = "queued";
      li.dataset.uid = r.uid;
      const note = (r.fields.note || "").slice(0, 40);
      let text = r.tracking + (note ? " · " + note : "") + " · " + new Date(r.made_at).toLocaleString("th-TH-u-ca-buddhist", { dateStyle: "short", timeStyle: "short" });
      if (r.user !== me) text += " · " + T.tOtherUser;
      else if (r.refused) text += " · " + fill(T.tRefused, { reason: r.refused });
      li.append(text);
      if (r.refused && r.user === me) {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "discard";
        b.textContent = T.tDiscard;
        b.addEventListener("click", async () => {
          if (!confirm(T.tDiscardConfirm)) return;
          await dropQueued(r.uid);
          render();
        });
        li.append(" ", b);
      }
      list.append(li);
    }
    document.getElementById("queue-summary").textContent = fill(T.tWaiting, { n: items.length });
    queueBox.hidden = items.length === 0;
    document.getElementById("offline-banner").hidden = navigator.onLine;
  }

  function say(text) {
    const s = document.getElementById("queue-summary");
    if (s) s.textContent = text;
  }

  async function flush() {
    if (sending || !navigator.onLine) return render();
    sending = true;
    try {
      const mine = (await allQueued()).filter((r) => r.user === me && !r.refused)
        .sort((a, b) => a.made_at.localeCompare(b.made_at));  // in the order they were written
      if (!mine.length) return;
      let token;
      try {
        const resp = await fetch(swMeta.dataset.token, { cache: "no-store", credentials: "same-origin" });
        const body = resp.ok && !resp.redirected ? await resp.json() : null;
        if (!body || body.user !== me) { say(T.tSignIn); return; }
        token = body.csrf;
      } catch (e) { return; }  // no signal after all: later
      for (const r of mine) {
        const form = new FormData();
        for (const k of ["client_uid", "note", "to_status", "outcome", "latitude", "longitude", "accuracy", "made_at"]) {
          if (r.fields[k] !== undefined && r.fields[k] !== null) form.append(k, r.fields[k]);
        }
        r.photos.forEach((p, i) => form.append("photo_" + p.stage, p.blob, p.name || "photo-" + i + ".jpg"));
        let resp;
        try {
          resp = await fetch(r.url, {
            method: "POST", body: form, credentials: "same-origin",
            headers: { "X-CSRFToken": token, "Accept": "application/json" },
          });
        } catch (e) { break; }  // the signal went: the rest wait
        const json = (resp.headers.get("content-type") || "").includes("json") && !resp.redirected
          ? await resp.json().catch(() => null) : null;
        if (resp.ok && json) {
          await dropQueued(r.uid);
          say(T.tSent);
        } else if (json && resp.status >= 400 && resp.status < 500 && json.error !== "csrf_failed") {
          r.refused = json.error_display || json.message || String(resp.status);
          await putQueued(r);  // kept, with why: the member decides
        } else if (!json && resp.status < 500) {
          say(T.tSignIn);
          break;
        } else {
          break;  // the server is unwell: later
        }
      }
    } catch (e) {
      // IndexedDB refused (private mode, full): shown by render below
    } finally {
      sending = false;
      await render();
    }
  }

  window.addEventListener("online", flush);
  window.addEventListener("offline", render);
  setInterval(flush, 20000);
  const sendNow = document.getElementById("send-now");
  if (sendNow) sendNow.addEventListener("click", flush);
  flush();

  // --- the report form ------------------------------------------------------------------------
  const form = document.getElementById("field-report");
  if (!form) return;
  const outcomeBox = document.getElementById("outcome-box");
  const showOutcome = () => { outcomeBox.hidden = !document.getElementById("closing").checked; };
  form.querySelectorAll('input[name="to_status"]').forEach((r) => r.addEventListener("change", showOutcome));
  showOutcome();
  const problem = document.getElementById("report-error");

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    problem.hidden = true;
    const button = document.getElementById("send-report");
    const fields = {
      client_uid: newUid(),
      note: form.note.value.trim(),
      to_status: form.querySelector('input[name="to_status"]:checked').value,
      outcome: form.outcome.value,
      made_at: new Date().toISOString(),
    };
    const files = [];
    for (const [stage, input] of [["before", "photo-before"], ["after", "photo-after"]]) {
      for (const f of document.getElementById(input).files) files.push({ stage, file: f });
    }
    if (fields.to_status === "closed" && !fields.note) {
      problem.textContent = document.getElementById("note-hint").textContent;
      problem.hidden = false;
      form.note.focus();
      return;
    }
    button.disabled = true;
    try {
      if (document.getElementById("with-position").checked) {
        const p = await position(10000);
        if (!p.error) Object.assign(fields, { latitude: p.lat, longitude: p.lon, accuracy: Math.round(p.accuracy) });
      }
      const photos = [];
      for (const { stage, file } of files) {
        photos.push({ stage, name: file.name.replace(/\.[^.]*$/, "") + ".jpg", blob: await smaller(file) });
      }
      await putQueued({ uid: fields.client_uid, user: me, tracking: page.dataset.tracking, url: page.dataset.reportUrl, made_at: fields.made_at, fields, photos });
    } catch (e) {
      problem.textContent = String(e);
      problem.hidden = false;
      button.disabled = false;
      return;
    }
    form.reset();
    showOutcome();
    button.disabled = false;
    await render();
    const before = (await allQueued()).length;
    await flush();
    if (before && !(await allQueued()).some((r) => r.uid === fields.client_uid)) location.reload();  // sent: show it
  });
})();

// Damrong field team service worker (scope /field/): keeps the field pages, their files and
// the reports' photos so the team's list and complaints open without a signal. Reports written
// offline are not sent from here: the pages' queue (static/field.js) keeps and sends them.
const CACHE = {{ version|tojson }};
const SHELL = {{ shell|tojson }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("field-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

function networkFirst(request) {
  return fetch(request).then((resp) => {
    if (resp.ok && !resp.redirected) {
      const copy = resp.clone();
      caches.open(CACHE).then((c) => c.put(request, copy));
    }
    return resp;
  }).catch(() => caches.match(request).then((hit) => hit || caches.match(SHELL[0])));
}

function cacheFirst(request) {
  return caches.match(request).then((hit) => hit || fetch(request).then((resp) => {
    if (resp.ok) {
      const copy = resp.clone();
      caches.open(CACHE).then((c) => c.put(request, copy));
    }
    return resp;
  }));
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.endsWith("/token.json")) return;  // always asked of the server
  if (url.pathname.startsWith("/field/photos/") || url.pathname.startsWith("/static/")) {
    event.respondWith(cacheFirst(req));
  } else if (url.pathname.startsWith("/field/")) {
    event.respondWith(networkFirst(req));
  }
});

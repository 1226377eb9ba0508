// Zoom on a document's page images: fit the width, 100% (the screen image's own size) or 200%;
// a click on the image toggles between fit and 200% around the point clicked. Zoomed in, the
// page is fetched at full size (?size=full) so the letters stay sharp, and its frame scrolls.
(function () {
  function baseWidth(img) {
    // the screen image's own width, noted before the full-size one replaces it
    if (img.dataset.base) return Promise.resolve(Number(img.dataset.base));
    img.loading = 'eager';
    const ready = img.complete && img.naturalWidth ? Promise.resolve() : new Promise((ok) => {
      img.addEventListener('load', ok, {once: true});
      img.addEventListener('error', ok, {once: true});
    });
    return ready.then(() => {
      img.dataset.base = String(img.naturalWidth || img.clientWidth || 827);
      return Number(img.dataset.base);
    });
  }

  function setZoom(figure, zoom, at) {
    const img = figure.querySelector('img');
    const frame = figure.querySelector('.zoom-frame');
    return baseWidth(img).then((base) => {
      figure.dataset.zoom = zoom;
      figure.querySelectorAll('.zoom-tools button').forEach((b) => {
        b.setAttribute('aria-pressed', String(b.dataset.zoom === zoom));
      });
      if (zoom === 'fit') {
        img.style.width = '';
        img.style.maxWidth = '';
        return;
      }
      const before = img.getBoundingClientRect();
      const width = base * Number(zoom);
      if (Number(zoom) > 1 && img.dataset.full && !img.src.endsWith(img.dataset.full)) {
        img.src = img.dataset.full;  // sharper; shown at the same size in the page
      }
      img.style.maxWidth = 'none';
      img.style.width = width + 'px';
      if (at) {  // keep the point clicked under the pointer, as near as the frame allows
        const scale = width / before.width;
        const x = (at.clientX - before.left) * scale - (at.clientX - frame.getBoundingClientRect().left);
        const y = (at.clientY - before.top) * scale - (at.clientY - frame.getBoundingClientRect().top);
        frame.scrollTo(Math.max(0, x), Math.max(0, y));
      }
    });
  }

  document.querySelectorAll('figure.zoomable').forEach((figure) => {
    figure.querySelectorAll('.zoom-tools button').forEach((b) => {
      b.addEventListener('click', () => setZoom(figure, b.dataset.zoom));
    });
    figure.querySelector('img').addEventListener('click', (e) => {
      setZoom(figure, figure.dataset.zoom === 'fit' ? '2' : 'fit', figure.dataset.zoom === 'fit' ? e : null);
    });
  });
})();

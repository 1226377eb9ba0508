// The ID card box (the counter page and the new complaint's intake form): read the card into the
// form (button, or automatically when a card goes in, or a counter station's read), check a typed
// citizen ID's check digit as it is typed (Thai or Arabic digits). With no reader on this machine
// it says so and stays saying so (the clerk types the details) until a reader is plugged in.
(function () {
  const C = window.DAMRONG_CARD || {};
  const $ = (id) => document.getElementById(id);
  const status = $('card-status');
  if (!status || !$('citizen_id')) return;
  const set = (id, v) => { if ($(id)) $(id).value = v; };
  function say(state, text) {
    status.textContent = text;
    status.dataset.state = state;
  }
  const THAI = '๐๑๒๓๔๕๖๗๘๙';

  function fold(s) {
    return (s || '').replace(/[๐-๙]/g, (d) => String(THAI.indexOf(d))).replace(/[\s-]/g, '');
  }
  function checksumOk(d) {
    if (!/^\d{13}$/.test(d)) return false;
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += Number(d[i]) * (13 - i);
    return (11 - (sum % 11)) % 10 === Number(d[12]);
  }
  function formatted(d) {
    return d.length === 13 ? `${d[0]}-${d.slice(1, 5)}-${d.slice(5, 10)}-${d.slice(10, 12)}-${d[12]}` : d;
  }
  function beDate(iso) {
    if (!iso) return '';
    const [y, m, d] = iso.split('-');
    return `${d}/${m}/${Number(y) + 543}`;
  }
  function checkId() {
    const d = fold($('citizen_id').value);
    const err = $('citizen_id-error');
    if (!d) { err.textContent = ''; return true; }
    if (d.length !== 13) { err.textContent = C.length_bad; return false; }
    err.textContent = checksumOk(d) ? '' : C.checksum_bad;
    return checksumOk(d);
  }
  $('citizen_id').addEventListener('input', checkId);
  // the counter page stops a bad ID here; the intake form sends it, so the server names every
  // problem of the form at once (the ID's beside its field, as this check shows it)
  $('citizen_id').form.addEventListener('submit', (e) => { if (!checkId() && C.block_bad_id) e.preventDefault(); });

  function fill(card) {
    set('citizen_id', formatted(card.citizen_id || ''));
    set('prefix_th', card.prefix_th || '');
    set('first_name_th', card.first_name_th || '');
    set('last_name_th', card.last_name_th || '');
    set('first_name_en', card.first_name_en || '');
    set('last_name_en', card.last_name_en || '');
    set('birth_date', beDate(card.birth_date));
    set('address', (card.address && card.address.text) || '');
    set('gender', card.gender || '');
    set('expiry_date', card.expiry_date || '');
    set('source', 'card');
    if (card.photo_jpeg_b64) {
      $('photo').src = 'data:image/jpeg;base64,' + card.photo_jpeg_b64;
      $('photo').hidden = false;
      $('photo_jpeg_b64').value = card.photo_jpeg_b64;
    }
    const flags = [];
    if (card.expired) flags.push(C.expired);
    if (card.checksum_ok === false) flags.push(C.checksum_flag);
    $('card-flags').textContent = flags.join(' · ');
    checkId();
    say('read', C.read_ok);
    if ($('phone') && !$('phone').value) $('phone').focus();  // the one thing a card does not give
  }

  let busy = false;
  function readCard() {
    if (busy) return;
    busy = true;
    say('reading', C.reading);
    fetch('/api/v1/card/read', {method: 'POST'})
      .then((r) => r.json().then((body) => ({ok: r.ok, body})))
      .then(({ok, body}) => {
        if (ok) fill(body);
        else say('error', body.message || body.error);
      })
      .catch(() => say('error', C.server_error))
      .finally(() => { busy = false; });
  }
  $('read-card').addEventListener('click', readCard);

  // automatic reading: when a card appears in the local reader, or a station posts a read.
  // What the box says follows the reader: none plugged in (type the details; the read button is
  // no use), waiting for a card, read. A read or an error stays until the card comes out.
  let wasPresent = null;
  if (C.station) say('station', C.station_waiting);
  function poll() {
    if (!$('auto-read').checked) return setTimeout(poll, 1500);
    const url = C.station ? `/api/v1/stations/${encodeURIComponent(C.station)}/card` : '/api/v1/card/status';
    fetch(url).then((r) => (r.status === 204 ? null : r.json())).then((body) => {
      if (C.station) {
        if (body && body.citizen_id) fill(body);
      } else if (body) {
        const noReader = !(body.readers && body.readers.length);
        $('read-card').disabled = noReader;
        if (noReader) { if (!busy) say('no-reader', C.no_reader); }
        else if (body.present && wasPresent === false) readCard();
        else if (!body.present && !busy && (status.dataset.state !== 'read' || wasPresent)) say('insert', C.insert);
        wasPresent = noReader ? null : body.present;
      }
    }).catch(() => {}).finally(() => setTimeout(poll, 1500));
  }
  poll();
})();

// Counter page: read the ID card into the complainant form (button, or automatically when a
// card goes in), check a typed citizen ID's check digit as it is typed (Thai or Arabic digits).
(function () {
  const C = window.DAMRONG_COUNTER || {};
  const $ = (id) => document.getElementById(id);
  const status = $('card-status');
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
  $('complainant-form').addEventListener('submit', (e) => { if (!checkId()) e.preventDefault(); });

  function fill(card) {
    $('citizen_id').value = formatted(card.citizen_id || '');
    $('prefix_th').value = card.prefix_th || '';
    $('first_name_th').value = card.first_name_th || '';
    $('last_name_th').value = card.last_name_th || '';
    $('first_name_en').value = card.first_name_en || '';
    $('last_name_en').value = card.last_name_en || '';
    $('birth_date').value = beDate(card.birth_date);
    $('address').value = (card.address && card.address.text) || '';
    $('gender').value = card.gender || '';
    $('expiry_date').value = card.expiry_date || '';
    $('source').value = 'card';
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
    status.textContent = C.read_ok;
    status.dataset.state = 'read';
  }

  let busy = false;
  function readCard() {
    if (busy) return;
    busy = true;
    status.textContent = C.reading;
    status.dataset.state = 'reading';
    fetch('/api/v1/card/read', {method: 'POST'})
      .then((r) => r.json().then((body) => ({ok: r.ok, body})))
      .then(({ok, body}) => {
        if (ok) fill(body);
        else { status.textContent = body.message || body.error; status.dataset.state = 'error'; }
      })
      .catch(() => { status.textContent = C.server_error; status.dataset.state = 'error'; })
      .finally(() => { busy = false; });
  }
  $('read-card').addEventListener('click', readCard);

  // automatic reading: when a card appears in the local reader, or a station posts a read
  let wasPresent = null;
  function poll() {
    if (!$('auto-read').checked) return setTimeout(poll, 1500);
    const url = C.station ? `/api/v1/stations/${encodeURIComponent(C.station)}/card` : '/api/v1/card/status';
    fetch(url).then((r) => (r.status === 204 ? null : r.json())).then((body) => {
      if (C.station) {
        if (body && body.citizen_id) fill(body);
      } else if (body) {
        if (body.present && wasPresent === false) readCard();
        if (!body.present && !busy && status.dataset.state !== 'read') status.textContent = C.insert;
        wasPresent = body.present;
      }
    }).catch(() => {}).finally(() => setTimeout(poll, 1500));
  }
  poll();
})();

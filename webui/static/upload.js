// Drag-and-drop upload with a progress bar per file, then polls each document until OCR ends.
(function () {
  const T = window.DAMRONG_TEXT || {};
  const zone = document.getElementById('upload');
  const input = document.getElementById('file-input');
  const list = document.getElementById('upload-list');
  if (!zone) return;

  zone.addEventListener('click', (e) => { if (e.target !== input) input.click(); });
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault(); zone.classList.remove('over');
    for (const f of e.dataTransfer.files) send(f);
  });
  input.addEventListener('change', () => { for (const f of input.files) send(f); input.value = ''; });

  function row(name) {
    const li = document.createElement('li');
    li.className = 'upload-item';
    li.innerHTML = '<span class="name"></span> <progress max="100" value="0"></progress> <span class="status"></span>';
    li.querySelector('.name').textContent = name;
    li.querySelector('.status').textContent = T.uploading || 'Uploading';
    list.appendChild(li);
    return li;
  }

  function setStatus(li, state, doc) {
    const st = li.querySelector('.status');
    li.dataset.state = state;
    let text = T[state] || state;
    if (doc && doc.duplicate) text = T.duplicate + ' — ' + (T[state] || state);
    const why = doc && (doc.error_display || doc.error);
    if (why) text += ' — ' + why;
    st.textContent = text;
    if (doc && doc.document_id && (state === 'done' || doc.duplicate)) {
      const a = document.createElement('a');
      a.href = '/documents/' + doc.document_id;
      a.textContent = ' ' + (T.open || 'Open');
      st.appendChild(a);
    }
  }

  function poll(li, id) {
    fetch('/api/v1/documents/' + id).then((r) => r.json()).then((d) => {
      setStatus(li, d.state, {document_id: id, error: d.error, error_display: d.error_display});
      const bar = li.querySelector('progress');
      if (d.state === 'pending' || d.state === 'processing') {
        bar.removeAttribute('value');  // indeterminate while OCR runs
        setTimeout(() => poll(li, id), 1000);
      } else {
        bar.value = 100;
        refreshTable();
      }
    }).catch(() => setTimeout(() => poll(li, id), 2000));
  }

  // the document table below reloads when a document finishes, so it never shows a stale list
  function refreshTable() {
    const box = document.getElementById('doc-table');
    if (!box) return;
    fetch('/?partial=1').then((r) => r.text()).then((html) => { box.innerHTML = html; });
  }

  function send(file) {
    const li = row(file.name);
    const bar = li.querySelector('progress');
    const form = new FormData();
    form.append('files', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/upload');
    xhr.setRequestHeader('Accept', 'application/json');  // a refusal comes back in words, not a bare status
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total); };
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
      const doc = (body.documents || [])[0];
      if (!doc) { setStatus(li, 'failed', {error_display: body.error_display || T.server_error}); return; }
      if (xhr.status === 413) { setStatus(li, 'rejected', doc); bar.value = 100; return; }
      setStatus(li, doc.state, doc);
      if (doc.document_id && (doc.state === 'pending' || doc.state === 'processing')) poll(li, doc.document_id);
      else bar.value = 100;
    };
    xhr.onerror = () => setStatus(li, 'failed', {error_display: T.server_error});
    xhr.send(form);
  }
})();

"""A disk cache for the glyph templates the second readers render from the installed fonts
(`ingest.thai_digits`, `ingest.thai_marks`): rendering them takes seconds, and every `damrong`
process (one per document in a batch of `damrong ocr` calls) would pay that again.

The cache file is named by a hash of what the templates depend on — the reader's own source
and the font files (path, size, modification time) — so a change to either makes new templates.
It is written atomically (temporary file, rename), and a damaged or unreadable file is
rendered again."""
from __future__ import annotations

import hashlib
import inspect
import os
import tempfile
from pathlib import Path
from typing import Callable

import numpy as np


def _key(owner, fonts: list[Path]) -> str:
    h = hashlib.sha256(inspect.getsource(owner).encode())
    for f in fonts:
        try:
            st = f.stat()
        except OSError:
            continue
        h.update(f"{f}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:20]


def cached(name: str, owner, fonts: list[Path], render: Callable[[], tuple[np.ndarray, list[str]]]):
    """The templates `render` makes, from the cache when it holds them."""
    base = Path(os.environ.get("DAMRONG_CACHE_DIR") or tempfile.gettempdir())
    path = base / f"damrong-{name}-{_key(owner, fonts)}.npz"
    try:
        with np.load(path, allow_pickle=False) as z:
            return z["vecs"], [str(x) for x in z["labels"]]
    except (OSError, KeyError, ValueError):
        pass
    vecs, labels = render()
    try:
        base.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=base, suffix=".npz")
        with os.fdopen(fd, "wb") as f:
            np.savez(f, vecs=np.asarray(vecs, np.float32), labels=np.array(labels))
        os.replace(tmp, path)
    except OSError:
        pass  # no cache: render next time too
    return np.asarray(vecs, np.float32), labels

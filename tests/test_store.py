"""The object store: originals written once, atomically, by SHA-256, never modified."""

import hashlib
import os
import stat

import pytest

from records.object_store import ObjectStore, StoreError


def test_same_bytes_stored_once_read_only(tmp_path):
    store = ObjectStore(tmp_path / "objects")
    data = "คำร้องเรียน".encode() * 100
    a = store.put_bytes(data)
    b = store.put_bytes(data)
    assert a.sha256 == b.sha256 == hashlib.sha256(data).hexdigest()
    assert a.created and not b.created
    assert a.path.read_bytes() == data
    assert not (os.stat(a.path).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    assert list(store) == [a.sha256]
    assert list(store.tmp.iterdir()) == []  # no temp file left behind
    assert store.verify(a.sha256)


def test_over_limit_leaves_nothing(tmp_path):
    store = ObjectStore(tmp_path / "objects")
    import io

    with pytest.raises(StoreError, match="larger than"):
        store.put_stream(io.BytesIO(b"x" * (3 << 20)), max_bytes=1 << 20)
    assert list(store) == [] and list(store.tmp.iterdir()) == []


def test_interrupted_write_leaves_no_object(tmp_path):
    store = ObjectStore(tmp_path / "objects")

    class Broken:
        def __init__(self):
            self.n = 0

        def read(self, size):
            self.n += 1
            if self.n > 2:
                raise OSError("device unplugged")
            return b"a" * size

    with pytest.raises(OSError):
        store.put_stream(Broken())
    assert list(store) == [] and list(store.tmp.iterdir()) == []


def test_verify_detects_a_flipped_byte(tmp_path):
    store = ObjectStore(tmp_path / "objects")
    s = store.put_bytes(b"original bytes")
    os.chmod(s.path, 0o644)
    s.path.write_bytes(b"original bytez")
    assert not store.verify(s.sha256)


def test_staged_then_committed_and_recovery_after_a_crash(tmp_path):
    import io
    import time

    store = ObjectStore(tmp_path / "objects")
    a = store.stage_stream(io.BytesIO(b"row committed, rename lost"))
    b = store.stage_stream(io.BytesIO(b"never committed"))
    assert list(store) == []  # nothing is in the store until committed
    old = time.time() - 3600
    os.utime(b.path, (old, old))
    stored, removed = store.recover(referenced={a.sha256})
    assert (stored, removed) == (1, 1)
    assert list(store) == [a.sha256] and store.verify(a.sha256)
    assert list(store.tmp.iterdir()) == []
    # a young staged file that no row names may be another process's intake: it stays
    c = store.stage_stream(io.BytesIO(b"in flight elsewhere"))
    assert store.recover(referenced=set()) == (0, 0) and c.path.is_file()

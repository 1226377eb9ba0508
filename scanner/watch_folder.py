"""Scan-to-folder: a folder that network scanners write into, watched and emptied.

Owns the folder's life cycle: find the files a scanner has finished (their size and mtime
unchanged for `settle_s` seconds, and readable), ingest each one with the pipeline (intake →
process → index sync), then move it to `done/` or `failed/` inside the folder — never
overwriting, a failed file with `<name>.reason.txt` beside it (Thai and English).

Safe to kill at any moment: the file is moved only after the archive holds it, and the archive
deduplicates by SHA-256, so a file seen again after a crash is found already stored (and
finished if it was left pending) and then moved — never stored twice."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ingest.pipeline import IntakeResult, intake, process
from search.index import open_index
from thai import messages

log = logging.getLogger(__name__)

DONE, FAILED = "done", "failed"
IGNORED_SUFFIXES = (".tmp", ".part", ".crdownload", "~")  # files still being written, by convention
REASON_SUFFIX = ".reason.txt"

Signature = tuple[int, int]  # (size, mtime_ns)
OnResult = Callable[[Path, dict], None]


def candidates(folder: Path) -> dict[Path, Signature]:
    """The regular files at the top of `folder` that may be scans, with their signatures."""
    found: dict[Path, Signature] = {}
    with os.scandir(folder) as entries:
        for e in entries:
            if e.name.startswith(".") or e.name.lower().endswith(IGNORED_SUFFIXES):
                continue
            try:
                if e.is_file(follow_symlinks=False):
                    st = e.stat(follow_symlinks=False)
                    found[Path(e.path)] = (st.st_size, st.st_mtime_ns)
            except FileNotFoundError:  # removed while listing
                continue
    return found


def readable(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            f.read(1)
        return True
    except OSError:
        return False


class Settler:
    """Remembers when each file's signature last changed; a file is settled once it has been
    seen unchanged for `settle_s` seconds."""

    def __init__(self, settle_s: float):
        self.settle_s = settle_s
        self.seen: dict[Path, tuple[Signature, float]] = {}

    def next_settled(self, files: dict[Path, Signature], now: float) -> Path | None:
        """Update from a fresh listing; return the settled file seen first, if any."""
        seen: dict[Path, tuple[Signature, float]] = {}
        for path, sig in files.items():
            prev = self.seen.get(path)
            seen[path] = prev if prev is not None and prev[0] == sig else (sig, now)
        self.seen = seen
        for path, (_sig, since) in sorted(self.seen.items(), key=lambda kv: (kv[1][1], kv[0].name)):
            if now - since >= self.settle_s and readable(path):
                return path
        return None


def ingest_file(archive, path: Path) -> IntakeResult:
    """Store, process and index one file; the result carries the document's final state."""
    r = intake(archive, path)
    if r.document_id is None:
        return r
    if r.state in ("pending", "processing"):  # new, or left unfinished by a crash
        doc = process(archive, r.document_id)
        r.state, r.error, r.page_count = doc.state.value, doc.error, doc.page_count
        r.error_code, r.error_params = doc.error_code, doc.error_params
    open_index(archive).sync()
    return r


def reason_text(r: IntakeResult) -> str:
    lines = [messages.text(r.error_code, "th", r.error_params)] if r.error_code else []
    lines.append(r.error or f"state: {r.state}")
    if r.document_id is not None:
        lines.append(f"document {r.document_id} in the archive ({r.state})")
    return "\n".join(lines) + "\n"


def free_name(folder: Path, name: str, with_reason: bool) -> Path:
    """`folder/name`, or `name (2).ext`, `name (3).ext`, … — the first that clashes with nothing."""
    stem, suffix = os.path.splitext(name)
    n = 1
    while True:
        dest = folder / (name if n == 1 else f"{stem} ({n}){suffix}")
        reason = dest.with_name(dest.name + REASON_SUFFIX)
        if not dest.exists() and not (with_reason and reason.exists()):
            return dest
        n += 1


def file_away(path: Path, folder: Path, r: IntakeResult) -> Path:
    """Move an ingested file to done/ or failed/ (the reason written first, so a failed file is
    never without one)."""
    ok = r.state == "done"
    dest = free_name(folder / (DONE if ok else FAILED), path.name, with_reason=not ok)
    if not ok:
        dest.with_name(dest.name + REASON_SUFFIX).write_text(reason_text(r), encoding="utf-8")
    path.rename(dest)
    return dest


def handle(archive, folder: Path, path: Path) -> dict | None:
    """Ingest and file away one settled file; None when it vanished before it was read."""
    try:
        r = ingest_file(archive, path)
    except FileNotFoundError:
        log.info("%s: removed before it could be ingested", path.name)
        return None
    dest = file_away(path, folder, r)
    if r.state == "done":
        what = f"duplicate of document {r.document_id}" if r.duplicate else f"document {r.document_id}"
        log.info("%s: done (%s, %d pages) -> %s", path.name, what, r.page_count, dest)
    else:
        log.warning("%s: %s (%s) -> %s", path.name, r.state, r.error_code, dest)
    return {**r.as_json(), "file": path.name, "moved_to": str(dest)}


def watch(
    archive,
    folder: Path,
    *,
    settle_s: float = 2.0,
    poll_s: float = 1.0,
    once: bool = False,
    stop: threading.Event | None = None,
    on_result: OnResult | None = None,
) -> None:
    """Ingest every file that settles in `folder`, one at a time, until `stop` is set — or, with
    `once`, until the folder holds no more candidates. `on_result(path, result)` is called per
    file; the result is `IntakeResult.as_json()` (`filename` being the document's, the first
    name its bytes came in under) with the final state, `file` (the name in the folder) and
    `moved_to`."""
    stop = stop or threading.Event()
    for sub in (DONE, FAILED):
        (folder / sub).mkdir(exist_ok=True)
    settler = Settler(settle_s)
    stuck: dict[Path, Signature] = {}  # files that could not be filed away: skipped until they change
    log.info("watching %s (settle %.1f s)", folder, settle_s)
    while not stop.is_set():
        files = {p: sig for p, sig in candidates(folder).items() if stuck.get(p) != sig}
        if once and not files:
            return
        path = settler.next_settled(files, time.monotonic())
        if path is None:
            stop.wait(poll_s)
            continue
        try:
            result = handle(archive, folder, path)
        except OSError as e:
            log.error("%s: cannot be filed away (%s); left in place", path.name, e.strerror or e)
            stuck[path] = files[path]
            continue
        if result is not None and on_result is not None:
            on_result(path, result)

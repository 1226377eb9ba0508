"""The processing queue: documents waiting to be read are the jobs, held in the database itself.

A worker (a `damrong worker` process on any machine sharing the database and the object store,
or the web process's own threads in the embedded home) claims one document at a time: it writes
its name and a lease (`claimed_until`) on the row, in one statement that only one claimant can
win (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has one writer at a time). While it reads the
document it renews the lease; when it is done it clears it. A worker killed mid-job renews
nothing: its lease runs out and the next worker to look takes the document and reads it again
from the stored original (`process` is safe to run again; `max_attempts` ends a document that
kills every worker that reads it).

Why the database and not procrastinate or Celery: a document and its job are one row, written
in the intake's own transaction, so no document is ever stored without its job or queued
without its document (a separate queue needs both writes to succeed), and the embedded home
works the same with no queue server. Measured in the README (bench/worker_throughput.py)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable

from sqlalchemy import and_, or_, select, update

from ingest.pipeline import process
from records.db import retry_locked
from records.models import Document, DocumentState
from records.processes import pid_alive
from thai.dates import utcnow

log = logging.getLogger(__name__)
LEASE_S = 120.0  # a claim's lease unless told (setting job_lease_s); renewed every quarter of it


def worker_name() -> str:
    """This worker's name in claims: host, process, and a random part (threads of one process
    each have their own)."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _claimable(now: dt.datetime):
    """Documents waiting to be read: pending, or being read by a worker whose lease ran out (or
    by one from before claims existed)."""
    free = or_(Document.claimed_until.is_(None), Document.claimed_until < now)
    return and_(Document.state.in_([DocumentState.pending, DocumentState.processing]), free)


@retry_locked
def claim(archive, worker: str, document_id: int | None = None, lease_s: float = LEASE_S) -> int | None:
    """Claim the oldest waiting document (or `document_id`, if it is waiting); its id, or None
    when there is nothing to claim."""
    now = utcnow()
    with archive.db.session() as s, s.begin():
        q = select(Document.id).where(_claimable(now))
        if document_id is not None:
            q = q.where(Document.id == document_id)
        q = q.order_by(Document.id).limit(1).with_for_update(skip_locked=True)
        doc_id = s.scalar(q)
        if doc_id is None:
            return None
        won = s.execute(
            update(Document)
            .where(Document.id == doc_id, _claimable(now))
            .values(claimed_by=worker, claimed_until=now + dt.timedelta(seconds=lease_s))
        ).rowcount
        return doc_id if won else None


@retry_locked
def free_dead_claims(archive) -> int:
    """Clear the claims of workers of this machine that are no longer running (a process killed,
    or the machine restarted), so a restart or `damrong resume` takes their documents at once
    instead of after their leases; returns how many. Claims of other machines run out."""
    host = socket.gethostname()[:30]
    now = utcnow()
    with archive.db.session() as s, s.begin():
        held = s.execute(
            select(Document.id, Document.claimed_by).where(
                Document.claimed_by.like(f"{host}:%"), Document.claimed_until >= now
            )
        ).all()
        dead = [i for i, who in held if who.split(":")[1].isdigit() and not pid_alive(int(who.split(":")[1]))]
        if dead:
            s.execute(update(Document).where(Document.id.in_(dead)).values(claimed_by=None, claimed_until=None))
    return len(dead)


@retry_locked
def renew(archive, document_id: int, worker: str, lease_s: float = LEASE_S) -> bool:
    """Extend this worker's lease on a document; False if the claim is no longer its own."""
    with archive.db.session() as s, s.begin():
        return bool(
            s.execute(
                update(Document)
                .where(Document.id == document_id, Document.claimed_by == worker)
                .values(claimed_until=utcnow() + dt.timedelta(seconds=lease_s))
            ).rowcount
        )


@retry_locked
def release(archive, document_id: int, worker: str) -> None:
    with archive.db.session() as s, s.begin():
        s.execute(
            update(Document)
            .where(Document.id == document_id, Document.claimed_by == worker)
            .values(claimed_by=None, claimed_until=None)
        )


def run_claimed(archive, document_id: int, worker: str, lease_s: float = LEASE_S) -> Document:
    """Read a document this worker has claimed, renewing the lease meanwhile; released after."""
    stop = threading.Event()

    def keep_lease() -> None:
        while not stop.wait(lease_s / 4):
            try:
                if not renew(archive, document_id, worker, lease_s):
                    log.warning("document %s: claim lost while reading it", document_id)
                    return
            except Exception:  # the database away for a moment: try again at the next turn
                log.exception("document %s: lease not renewed", document_id)

    keeper = threading.Thread(target=keep_lease, name=f"lease-{document_id}", daemon=True)
    keeper.start()
    try:
        return process(archive, document_id)
    finally:
        stop.set()
        keeper.join(timeout=5)
        release(archive, document_id, worker)


def read_now(archive, document_id: int, worker: str, wait_s: float = 3600) -> Document:
    """Read this document now, in this process (`damrong ingest`): claimed like any job, so a
    worker does not read it at the same time; if a worker has it already, wait for its end."""
    deadline = time.monotonic() + wait_s
    while True:
        lease = archive.settings.job_lease_s
        if claim(archive, worker, document_id, lease) is not None:
            return run_claimed(archive, document_id, worker, lease)
        with archive.db.session() as s:
            doc = s.get(Document, document_id)
            if doc is None:
                raise KeyError(document_id)
            if doc.state in (DocumentState.done, DocumentState.failed) or time.monotonic() > deadline:
                return doc
        time.sleep(0.5)


def run_next(archive, worker: str, lease_s: float = LEASE_S) -> Document | None:
    """Claim and read the oldest waiting document; it, or None when none is waiting."""
    doc_id = claim(archive, worker, lease_s=lease_s)
    return None if doc_id is None else run_claimed(archive, doc_id, worker, lease_s)


def work(
    archive,
    worker: str,
    stop: threading.Event,
    wake: threading.Event | None = None,
    poll_s: float = 1.0,
    lease_s: float = LEASE_S,
    after: Callable[[int], None] | None = None,
) -> int:
    """Read documents until `stop` is set: claim, read, `after(id)`; when nothing waits, sleep
    `poll_s` or until `wake` is set. Returns how many it read."""
    done = 0
    while not stop.is_set():
        try:
            doc = run_next(archive, worker, lease_s)
        except Exception:
            log.exception("worker %s: a job failed outside the document's own handling", worker)
            stop.wait(poll_s)
            continue
        if doc is None:
            if wake is not None:
                wake.wait(poll_s)
                wake.clear()
            else:
                stop.wait(poll_s)
            continue
        done += 1
        if after is not None:
            after(doc.id)
        if doc.state == DocumentState.pending:  # left to wait (a full disk): not again at once
            stop.wait(poll_s * 5)
    return done

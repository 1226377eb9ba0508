"""Background processing: threads that take documents from the processing queue
(`ingest.jobs`) and read them, and one thread that keeps the search index up to date with the
database's index outbox. The web app runs one (`processing = "web"`, the embedded home); a
`damrong worker` process runs one on any machine sharing the database and the object store
(`processing = "workers"`: web processes then read nothing). Several of either may run at
once: a document is claimed by one of them, and taken again if its worker dies."""

from __future__ import annotations

import logging
import threading
import time

from ingest import jobs
from ingest.pipeline import recover_store
from records import category_model
from search.index import open_index

log = logging.getLogger(__name__)
INDEX_POLL_S = 2.0  # how often the indexer looks for outbox entries nobody announced
CATEGORY_CHECK_S = 300.0  # how often it asks whether the category model is due for training


class IngestWorker:
    def __init__(self, archive, threads: int | None = None, poll_s: float = 1.0):
        self.archive = archive
        self.threads = threads if threads is not None else archive.settings.ocr_workers
        self.poll_s, self.lease_s = poll_s, archive.settings.job_lease_s
        self.stop = threading.Event()
        self._wake = threading.Event()  # a document was just stored: look now
        self._index_wake = threading.Event()
        self._index_stop = threading.Event()  # set after the reading threads have finished
        self._running: list[threading.Thread] = []
        self._indexer: threading.Thread | None = None
        self.name = jobs.worker_name()

    def start(self) -> None:
        recover_store(self.archive)
        jobs.free_dead_claims(self.archive)
        for i in range(self.threads):
            t = threading.Thread(target=self._work, args=(f"{self.name}/{i}",), name=f"ingest-{i}", daemon=True)
            t.start()
            self._running.append(t)
        self._indexer = threading.Thread(target=self._index_loop, name="index-writer", daemon=True)
        self._indexer.start()

    def submit(self, document_id: int) -> None:
        """A document was stored: a thread of this process (or any worker) will claim it."""
        self._wake.set()

    def _work(self, name: str) -> None:
        jobs.work(self.archive, name, self.stop, self._wake, self.poll_s, self.lease_s, after=self._indexed)

    def _indexed(self, _document_id: int) -> None:
        self._index_wake.set()

    def _index_loop(self) -> None:
        next_training = 0.0
        while not self._index_stop.is_set():
            self._sync_index()
            if time.monotonic() >= next_training:  # the category model, as complaints are confirmed
                next_training = time.monotonic() + CATEGORY_CHECK_S
                try:
                    category_model.maybe_retrain(self.archive)
                except Exception:
                    log.exception("training the category model failed; will retry")
            self._index_wake.wait(INDEX_POLL_S)
            self._index_wake.clear()
        self._sync_index()  # drained on the way out: what the reading threads finished last is searchable

    def _sync_index(self) -> None:
        try:
            open_index(self.archive).sync()
        except Exception:
            log.exception("index sync failed; will retry")

    def shutdown(self, timeout_s: float = 30) -> None:
        """Stop: the reading threads finish the document in hand (a document still unfinished
        after `timeout_s` is left claimed, and taken again by any worker when its claim runs out),
        then the index is brought up to date with everything they finished, then it stops."""
        self.stop.set()
        self._wake.set()
        for t in self._running:
            t.join(timeout=timeout_s)
        self._running.clear()
        if self._indexer is not None:
            self._index_stop.set()
            self._index_wake.set()
            self._indexer.join(timeout=timeout_s)
            self._indexer = None

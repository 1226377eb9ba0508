"""Background processing for the web app: uploaded documents are OCR'd by a small pool of
threads (Tesseract itself runs in its own processes), and the search index is fed by one
writer thread. Documents left unfinished by a crash are picked up at start."""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import ThreadPoolExecutor

from ingest.pipeline import process, recover_store, unfinished
from search.index import open_index

log = logging.getLogger(__name__)


class IngestWorker:
    def __init__(self, archive):
        self.archive = archive
        self.pool = ThreadPoolExecutor(max_workers=archive.settings.ocr_workers, thread_name_prefix="ingest")
        self._index_q: queue.Queue = queue.Queue()
        self._indexer = threading.Thread(target=self._index_loop, name="index-writer", daemon=True)
        self._indexer.start()

    def start(self) -> None:
        recover_store(self.archive)
        for doc_id in unfinished(self.archive):
            self.submit(doc_id)
        self._index_q.put(True)

    def submit(self, document_id: int) -> None:
        self.pool.submit(self._run, document_id)

    def _run(self, document_id: int) -> None:
        try:
            process(self.archive, document_id)
        except Exception:
            log.exception("processing document %s", document_id)
        finally:
            self._index_q.put(True)

    def _index_loop(self) -> None:
        while True:
            item = self._index_q.get()
            if item is None:
                return
            while not self._index_q.empty():  # coalesce bursts into one sync
                if self._index_q.get_nowait() is None:
                    return
            try:
                open_index(self.archive).sync()
            except Exception:
                log.exception("index sync failed; will retry on the next change")

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True)
        self._index_q.put(None)
        self._indexer.join(timeout=30)

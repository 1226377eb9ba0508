"""One scan run into a batch: open the device with the batch's settings, store each page as it
arrives, analyse it (blank, separator, orientation) in the background while the next page is
scanned, and record how the run ended — finished, or the fault that stopped it.

Runs in a process of its own (`damrong scan-job BATCH`), started by the web server and by
`damrong scan`: a scanner driver can leave its process unusable. SANE's own `test` device, for
one, cancels its reader thread asynchronously when a scan ends in a fault; cancelled inside
malloc or the dynamic loader, that thread leaves a lock held, and the next thread start, library
call or exit handler in the process waits on it for good. So the scan process starts its
analysis thread before SANE, records the outcome before asking the driver anything more, and
then lets go of the driver under a watchdog (SIGALRM ends the process if the driver hangs).
That includes pyinsane2, which would call sane_cancel itself inside read() the moment the feeder
runs empty: `sane_device` puts that call off until the outcome is stored. (Under load, about one
empty-feeder scan in 40 hung there, before its outcome was written; none in 60 since.)"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait

from records.models import ScanBatch
from scanner import batches
from scanner.sane_device import Device, ScanFault, start, stop

log = logging.getLogger(__name__)
ANALYSIS_WAIT_S = 60  # pages still unanalysed after this are analysed when the batch is filed
RELEASE_WATCHDOG_S = 90


def _analyse(archive, page_id: int) -> None:
    try:
        batches.analyse_page(archive, page_id)
    except Exception:  # analysed again when the batch is filed
        log.exception("analysing scanned page %s", page_id)


def run(
    archive, batch_id: int, on_page: Callable[[Device, int], None] | None = None, watchdog: bool = False
) -> tuple[int, ScanFault | None]:
    """Scan into the batch until the feeder is empty (or the one flatbed page is in). Returns the
    pages added and the fault that ended the run, if any; every page before a fault is kept.
    `watchdog` (only in a scan process's main thread): SIGALRM ends the process when letting go
    of the driver hangs, once the outcome is recorded."""
    with archive.db.session() as s:
        b = s.get(ScanBatch, batch_id)
        if b is None:
            raise KeyError(batch_id)
        device, source, resolution, mode, options = b.device, b.source, b.resolution, b.mode, dict(b.options)
    batches.begin_scan(archive, batch_id, os.getpid())
    count, fault, dev = 0, None, None
    analyser = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scan-analyse")
    analyser.submit(lambda: None).result()  # its thread exists before any driver code runs
    pending = []
    start()
    try:
        dev = Device(device)
        dpi = dev.configure(source, resolution, mode, options)
        for image in dev.pages():
            page_id = batches.add_page(archive, batch_id, image, dpi)  # stored before the next page
            count += 1
            log.info("batch %s: page %d stored", batch_id, count)
            pending.append(analyser.submit(_analyse, archive, page_id))
            if on_page:
                on_page(dev, count)
    except ScanFault as e:
        fault = e
    except Exception as e:
        log.exception("scan of batch %s failed", batch_id)
        fault = ScanFault("scan_device_error", detail=f"{type(e).__name__}: {str(e)[:200]}")
    if watchdog:
        signal.alarm(RELEASE_WATCHDOG_S)
    wait(pending, timeout=ANALYSIS_WAIT_S)
    batches.end_scan(archive, batch_id, fault)  # recorded before the driver is asked anything more
    if fault:
        log.warning("batch %s: scan ended after %d pages: %s", batch_id, count, fault)
    if dev is not None:
        dev.cancel()
    stop()
    analyser.shutdown(wait=False)
    if watchdog:
        signal.alarm(0)
    return count, fault

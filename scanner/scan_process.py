"""Starting a scan process (`python -m cli scan-job BATCH`) for a batch: the one way the web
server and `damrong scan` scan, so that SANE is never loaded into either (see scanner.scan_job).
The process inherits the home's settings; its log goes to HOME/logs/scan.log."""

from __future__ import annotations

import os
import subprocess
import sys

from scanner import batches


def spawn(archive, batch_id: int) -> subprocess.Popen:
    """Check the batch may scan, start its scan process and mark the batch as scanning by it."""
    batches.ready_to_scan(archive, batch_id)
    logs = archive.settings.home / "logs"
    logs.mkdir(exist_ok=True)
    with open(logs / "scan.log", "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli", "scan-job", str(batch_id)],
            env={**os.environ, **archive.settings.as_env()},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    batches.begin_scan(archive, batch_id, proc.pid)
    return proc

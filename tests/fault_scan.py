"""A scan process whose paper jams: `python -m tests.fault_scan BATCH AFTER STATUS` scans the batch
(home from DAMRONG_HOME) and, once AFTER pages are in, has the SANE `test` device report STATUS
(e.g. SANE_STATUS_JAMMED) — the fault arriving mid-batch, from the real driver. Run as a process
of its own, as every scan is (see scanner.scan_job)."""

from __future__ import annotations

import sys

from cli.scan_commands import leave_at_once
from records.home import Archive
from scanner import scan_job


def main() -> None:
    batch_id, after, status = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]

    def fault(device, n: int) -> None:
        if n == after:
            device.set_option("read-return-value", status)

    _count, err = scan_job.run(Archive(), batch_id, on_page=fault, watchdog=True)
    leave_at_once(0 if err is None else 3)


if __name__ == "__main__":
    main()

"""A full disk told apart from other failures, wherever it shows: an OSError (no space, over
quota) from writing a file, or the database's own "disk is full". Callers turn it into the
catalogue's `disk_full` — a clear message, and nothing already stored touched."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

FULL = {errno.ENOSPC, errno.EDQUOT}
NEARLY_NOTHING = 1 << 20  # bytes free


def is_full(e: BaseException, home: Path | None = None) -> bool:
    """Whether `e` (or what caused it) says the disk is full. SQLite may say only "disk I/O
    error" when it cannot grow its files: that counts when the home's disk has nearly nothing
    free."""
    seen: set[int] = set()
    cur: BaseException | None = e
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, OSError) and cur.errno in FULL:
            return True
        text = str(cur)
        if "disk is full" in text or "No space left on device" in text:
            return True
        if "disk I/O error" in text and home is not None and _free(home) < NEARLY_NOTHING:
            return True
        cur = getattr(cur, "orig", None) or cur.__cause__ or cur.__context__
    return False


def _free(home: Path) -> int:
    try:
        return shutil.disk_usage(home).free
    except OSError:
        return NEARLY_NOTHING

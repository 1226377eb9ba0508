"""One archive home (DAMRONG_HOME): its settings, database and object store, opened together.
The CLI and the web app each open one; the search index over it is the search layer's
(`search.index.open_index`): disposable, rebuilt from the database at any time."""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path
from urllib.parse import unquote

from config import Settings, load_settings
from records.areas import seed
from records.db import Database
from records.object_store import ObjectStore
from thai.citizen_id import mask_in_text

WORK_KEPT_S = 3600  # work files older than this in HOME/tmp were left by a process that died


class Archive:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or load_settings()
        self.settings.home.mkdir(parents=True, exist_ok=True)
        self.db = Database(self.settings)
        self.store = ObjectStore(self.settings.objects_dir)
        self.work_dir = self.settings.home / "tmp"  # case files being made: never in the shared /tmp
        self.work_dir.mkdir(exist_ok=True, mode=0o700)
        _clear_stale(self.work_dir)
        with self.db.session() as s:
            seed(s)

    def close(self) -> None:
        self.db.dispose()


class MaskCitizenIds(logging.Filter):
    """Citizen IDs masked in every log line that passes — the access log's search URLs too
    (their query is percent-decoded first, so Thai digits are found as well)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_in_text(unquote(message))
        if masked != unquote(message):
            record.msg, record.args = masked, ()
        return True


def mask_logs(logger: logging.Logger | None = None) -> None:
    """Install the mask on a logger (the root's handlers when none is named); done once each."""
    targets: list[logging.Filterer] = [*logger.handlers, logger] if logger else [*logging.getLogger().handlers]
    for target in targets:
        if not any(isinstance(f, MaskCitizenIds) for f in target.filters):
            target.addFilter(MaskCitizenIds())


def _clear_stale(folder: Path) -> None:
    """Remove what a process that died left in the work folder (a half-made case file)."""
    now = time.time()
    for p in folder.iterdir():
        try:
            if now - p.lstat().st_mtime > WORK_KEPT_S:
                shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
        except OSError:
            continue


def setup_logging(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    mask_logs()

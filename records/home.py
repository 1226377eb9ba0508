"""One archive home (DAMRONG_HOME): its settings, database and object store, opened together.
The CLI and the web app each open one; the search index over it is the search layer's
(`search.index.open_index`): disposable, rebuilt from the database at any time."""

from __future__ import annotations

import logging

from config import Settings, load_settings
from records.areas import seed
from records.db import Database
from records.object_store import ObjectStore


class Archive:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or load_settings()
        self.settings.home.mkdir(parents=True, exist_ok=True)
        self.db = Database(self.settings)
        self.store = ObjectStore(self.settings.objects_dir)
        with self.db.session() as s:
            seed(s)

    def close(self) -> None:
        self.db.dispose()


def setup_logging(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

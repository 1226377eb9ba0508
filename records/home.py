"""One archive home (DAMRONG_HOME): its settings, database, object store and search index,
opened together. The CLI and the web app each open one."""
from __future__ import annotations

import logging
from functools import cached_property

from config import Settings, load_settings
from ingest.store import ObjectStore
from records.db import Database


class Archive:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or load_settings()
        self.settings.home.mkdir(parents=True, exist_ok=True)
        self.db = Database(self.settings)
        self.store = ObjectStore(self.settings.objects_dir)
        from records.areas import seed
        with self.db.session() as s:
            seed(s)

    @cached_property
    def index(self):
        from search.index import SearchIndex
        return SearchIndex(self.settings.index_dir, self.db)

    def close(self) -> None:
        self.db.dispose()


def setup_logging(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

"""Rate limits every web process shares: events counted in the database (`rate_events`) over a
sliding window per bucket and key (a client address), the key kept only as its SHA-256. The
sign-in form counts failed sign-ins per address with it, the public follow-up page lookups."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from records.db import Database, retry_locked
from records.models import RateEvent
from thai.dates import utcnow


class RateLimit:
    """At most `limit` events per key in any `window_s` seconds, counted in `db` under `bucket`."""

    def __init__(self, db: Database, bucket: str, limit: int, window_s: float):
        self.db, self.bucket, self.limit, self.window = db, bucket, limit, dt.timedelta(seconds=window_s)

    def _key(self, key: str) -> str:
        return hashlib.sha256(f"{self.bucket}\0{key}".encode()).hexdigest()

    def _count(self, s: Session, key_sha: str, now: dt.datetime) -> int:
        q = select(func.count()).where(
            RateEvent.bucket == self.bucket, RateEvent.key_sha256 == key_sha, RateEvent.at > now - self.window
        )
        return s.scalar(q) or 0

    def blocked(self, key: str) -> bool:
        """Whether `key` is at its limit now (nothing counted)."""
        with self.db.session() as s:
            return self._count(s, self._key(key), utcnow()) >= self.limit

    @retry_locked
    def allow(self, key: str) -> bool:
        """Count one event for `key` if it is under its limit; False (nothing counted) if not."""
        now, key_sha = utcnow(), self._key(key)
        with self.db.session() as s, s.begin():
            if self._count(s, key_sha, now) >= self.limit:
                return False
            s.add(RateEvent(bucket=self.bucket, key_sha256=key_sha, at=now))
            # what has left the window is forgotten: this bucket's old events, everyone's
            s.execute(delete(RateEvent).where(RateEvent.bucket == self.bucket, RateEvent.at <= now - self.window))
        return True

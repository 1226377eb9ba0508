"""Card reads a counter station posted, waiting for the counter page (`station_reads`): put
replaces the station's last read, take hands it out once and deletes it, and a read older
than READ_TTL_S is never handed out (and is deleted at the next put). In the database so that
whichever web process serves the counter page finds what another one received."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select

from records.db import Database, retry_locked
from records.models import StationRead
from thai.dates import utcnow

READ_TTL_S = 120


@retry_locked
def put(db: Database, station_key: str, payload: dict[str, Any]) -> None:
    now = utcnow()
    stale = now - dt.timedelta(seconds=READ_TTL_S)
    with db.session() as s, s.begin():
        s.execute(delete(StationRead).where((StationRead.station_key == station_key) | (StationRead.posted_at < stale)))
        s.add(StationRead(station_key=station_key, posted_at=now, payload=payload))


@retry_locked
def take(db: Database, station_key: str) -> dict[str, Any] | None:
    with db.session() as s, s.begin():
        row = s.scalar(select(StationRead).where(StationRead.station_key == station_key))
        if row is None:
            return None
        payload, posted = row.payload, row.posted_at
        s.delete(row)
    return payload if utcnow() - posted < dt.timedelta(seconds=READ_TTL_S) else None

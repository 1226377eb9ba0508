"""The dashboard's figures kept for a while (the stats_cache table): over millions of complaints
the central centre's figures take seconds to count, so with the `stats_cache_s` setting above
zero a dashboard counted less than that many seconds ago is served as it was counted (the page
says when), and `damrong stats warm` (deploy/damrong-stats.timer, every few minutes) counts the
central and every province's unnarrowed dashboard again so nobody waits. The area rules are
checked on every request, before the cache is read: a user only ever gets the figures of an area
within their own. With `stats_cache_s = 0` (the embedded home's default) every view is counted live."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from records import statistics
from records.db import Database
from records.models import Area, AreaKind, StatsCache, User
from records.statistics import Dashboard, Filters
from thai.dates import utcnow


def key_of(area: Area, f: Filters, target: float) -> str:
    narrowing = {k: v for k, v in f.args().items() if k != "area"}
    raw = json.dumps({"area": area.id, "filters": narrowing, "target": target}, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()


def _count(session: Session, area: Area, f: Filters, target: float) -> tuple[Dashboard, int]:
    t = time.perf_counter()
    d = statistics.count(session, area, f, target=target)
    return d, int((time.perf_counter() - t) * 1000)


def _store(session: Session, key: str, d: Dashboard, ms: int) -> None:
    row = session.get(StatsCache, key)
    figures: dict[str, Any] = statistics.to_json(d)
    if row is None:
        session.add(StatsCache(key=key, area_id=d.area.id, computed_at=utcnow(), compute_ms=ms, figures=figures))
    else:
        row.computed_at, row.compute_ms, row.figures = utcnow(), ms, figures
    try:
        session.commit()
    except IntegrityError:  # another process stored the same figures at the same moment: theirs stand
        session.rollback()


def dashboard(session: Session, user: User, f: Filters, target: float = 0.8, max_age_s: float = 0) -> Dashboard:
    """The dashboard as records.statistics.dashboard gives it, or as counted less than
    `max_age_s` seconds ago (then `computed_at` says when)."""
    area = statistics.area_of(session, user, f.area_code)  # the area rule, always live
    f = statistics.narrowed_for(user, area, f)
    if max_age_s <= 0:
        return statistics.count(session, area, f, target=target)
    key = key_of(area, f, target)
    row = session.get(StatsCache, key)
    if row is not None and row.computed_at > utcnow() - dt.timedelta(seconds=max_age_s):
        d = statistics.from_json(session, row.figures, row.computed_at)
        d.filters = f
        return d
    d, ms = _count(session, area, f, target)
    _store(session, key, d, ms)
    return d


def warm(db: Database, target: float = 0.8) -> list[dict[str, Any]]:
    """Count the central and every province's unnarrowed dashboard again and keep them."""
    out = []
    with db.session() as s:
        tops = list(
            s.scalars(select(Area).where(Area.kind.in_([AreaKind.central, AreaKind.province])).order_by(Area.code))
        )
        for area in tops:
            d, ms = _count(s, area, Filters(), target)
            _store(s, key_of(area, Filters(), target), d, ms)
            out.append({"area": area.code, "complaints": d.total, "ms": ms})
    return out

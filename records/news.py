"""Activity news (ข่าวกิจกรรม): a centre's staff report an activity — its name, who led it, who
took part, the date and time, the place — with photos, and the public site lists every centre's
news. Photos are prepared by records.photos (upright, resized, no metadata; where a phone
recorded the photo was taken is removed unless kept on purpose). Stored in the object store by SHA-256
(row first, object second, as everything else); adding an item is audited."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from records import audit
from records.models import NewsItem, NewsPhoto, Role
from records.photos import PhotoError, prepare_photo
from thai.dates import parse_date
from thai.digits import fold_digits
from thai.errors import CodedError

if TYPE_CHECKING:
    from records.home import Archive
    from records.models import User

MAX_PHOTOS = 12
CAN_POST = {Role.counter, Role.officer, Role.admin}


class NewsError(CodedError):
    """A news item refused: `code` (the catalogue) and the field."""


def _time(raw: str) -> str:
    """'9.30', '๙:๓๐ น.', '14' → '09:30', '09:30', '14:00'; '' for none; NewsError otherwise."""
    text = fold_digits(raw or "").strip().removesuffix("น.").strip()
    if not text:
        return ""
    m = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?", text)
    if not m or int(m.group(1)) > 23 or int(m.group(2) or 0) > 59:
        raise NewsError("bad_value", field="time")
    return f"{int(m.group(1)):02d}:{m.group(2) or '00'}"


def add(
    archive: Archive,
    user: User,
    title: str,
    held_on: str,
    place: str = "",
    leader: str = "",
    participants: str = "",
    held_at: str = "",
    body: str = "",
    photos: Sequence[bytes] = (),
    keep_location: bool = False,
) -> NewsItem:
    """Add a news item for the user's centre; returns it (photos loaded)."""
    if user.role not in CAN_POST:
        raise NewsError("forbidden")
    title, place = (title or "").strip(), (place or "").strip()
    if not title:
        raise NewsError("required", field="title")
    try:
        day = parse_date(held_on)
    except ValueError:
        day = None
    if day is None:
        raise NewsError("bad_date")
    time_text = _time(held_at)
    if len(photos) > MAX_PHOTOS:
        raise NewsError("bad_value", field="photo")
    try:
        prepared = [prepare_photo(p, keep_location) for p in photos]  # every photo checked before anything is stored
    except PhotoError as e:
        raise NewsError(e.code, **e.params) from None
    staged = [archive.store.stage_stream(io.BytesIO(p.jpeg)) for p in prepared]
    with archive.db.session() as s:
        item = NewsItem(
            area_id=user.area_id,
            title=title[:300],
            leader=(leader or "").strip()[:200],
            participants=(participants or "").strip()[:4000],
            held_on=day,
            held_at=time_text,
            place=place[:300],
            body=(body or "").strip()[:20000],
            created_by_id=user.id,
        )
        for i, (p, st) in enumerate(zip(prepared, staged, strict=True)):
            item.photos.append(
                NewsPhoto(position=i, sha256=st.sha256, width=p.width, height=p.height, location_kept=p.location_kept)
            )
        s.add(item)
        s.flush()
        after = {"title": item.title, "date": day.isoformat(), "photos": len(prepared), "location_kept": keep_location}
        audit.record(archive.db, "create", "news", item.id, user=user, after=after, session=s)
        s.commit()
        for st in staged:
            archive.store.commit(st)
        s.refresh(item)
        _ = item.photos, item.area
        s.expunge_all()
        return item


def latest(session: Session, limit: int = 30, offset: int = 0) -> list[NewsItem]:
    """Every centre's news, the latest activity first (public)."""
    q = (
        select(NewsItem)
        .options(selectinload(NewsItem.photos), selectinload(NewsItem.area))
        .order_by(NewsItem.held_on.desc(), NewsItem.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(q))


def photo(session: Session, photo_id: int) -> NewsPhoto | None:
    return session.get(NewsPhoto, photo_id)

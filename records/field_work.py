"""Field teams (ชุดปฏิบัติการตำบล): the district assigns a complaint to one of its sub-districts'
teams; a team member sees the complaints assigned to the team (nearest first when the phone
gives its position), and reports from the phone what was done — a note, photos before and
after, the phone's position — moving the complaint to "in progress" or closing it with the
result. A report carries the id the phone gave it when it was written (`client_uid`): a report
queued offline and sent twice is recorded once. Reports, assignments and the status they move
are audited in the same transaction; photos go through records.photos (no location metadata:
the report's own position says where)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from records import areas, audit, complaints
from records.complaints import ComplaintError
from records.db import retry_locked
from records.models import (
    MAX_ID,
    Area,
    AreaKind,
    Complaint,
    ComplaintStatus,
    FieldPhoto,
    FieldUpdate,
    Role,
    User,
)
from records.photos import Photo, PhotoError, prepare_photo
from thai.dates import utcnow
from thai.digits import fold_digits
from thai.errors import CodedError

if TYPE_CHECKING:
    from records.db import Database
    from records.home import Archive
    from records.object_store import Staged

STAGES = ("before", "after", "other")
TEAM_OUTCOMES = ("resolved", "not_within_jurisdiction", "withdrawn")
MAX_PHOTOS = 8
MAX_NOTE = 4000
MAX_LISTED = 200
UID = re.compile(r"[A-Za-z0-9_-]{8,64}")
CLOCK_SKEW = dt.timedelta(minutes=10)  # a phone's clock this far ahead is believed


class FieldError(CodedError):
    """A field report or an assignment refused: `code` from the catalogue."""


@dataclasses.dataclass
class Assigned:
    """A complaint on a team's list, and how far it is from the phone (None: not known)."""

    complaint: Complaint
    distance_m: float | None


def teams_for(session: Session, c: Complaint) -> list[Area]:
    """The sub-districts whose teams the complaint's centre may assign it to (its own)."""
    ids = areas.visible_area_ids(session, c.area)
    q = select(Area).where(Area.kind == AreaKind.subdistrict).order_by(Area.code)
    if ids is not None:
        q = q.where(Area.id.in_(ids))
    return list(session.scalars(q.limit(500)))


@retry_locked
def assign(db: Database, user: User, complaint_id: int, team_code: str) -> Area | None:
    """Give the complaint to the field team of sub-district `team_code` ('' takes it back).
    Only who works the complaint may, and only to a team within the complaint's centre."""
    if user.role not in complaints.CAN_WORK:
        raise FieldError("forbidden")
    with db.session() as s:
        c = complaints.get(s, user, complaint_id)
        if c is None:
            raise FieldError("not_found", field="complaint")
        team = None
        if (team_code or "").strip():
            team = areas.resolve(s, team_code)
            if team is None or team.kind != AreaKind.subdistrict or not areas.within(s, c.area, team.id):
                raise FieldError("bad_team", team=team_code.strip()[:40])
        before = c.team_area.code if c.team_area else None
        after = team.code if team else None
        if before == after:
            return team
        c.team_area_id = team.id if team else None
        audit.record(
            db,
            "assign",
            "complaint",
            c.tracking_no,
            user=user,
            before={"team": before},
            after={"team": after},
            session=s,
        )
        s.commit()
        if team is not None:
            s.expunge(team)
        return team


def _distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def assigned(session: Session, user: User, near: tuple[float, float] | None = None) -> list[Assigned]:
    """The open complaints assigned to the user's team: nearest first when `near` (the phone's
    latitude, longitude) is given, those without a place after them; else the most urgent first
    (due soonest, then oldest)."""
    if user.role != Role.field:
        return []
    rows = session.scalars(
        select(Complaint)
        .where(Complaint.team_area_id == user.area_id, Complaint.status != ComplaintStatus.closed)
        .options(selectinload(Complaint.category), selectinload(Complaint.area))
        .order_by(Complaint.due_date.is_(None), Complaint.due_date, Complaint.received_at)
        .limit(MAX_LISTED)
    ).all()
    out = [
        Assigned(
            c,
            _distance_m(near[0], near[1], c.latitude, c.longitude)
            if near is not None and c.latitude is not None and c.longitude is not None
            else None,
        )
        for c in rows
    ]
    if near is not None:
        out.sort(key=lambda a: (a.distance_m is None, a.distance_m or 0.0))
    return out


def recently_closed(session: Session, user: User, days: int = 14) -> list[Complaint]:
    """The team's complaints closed in the last `days` days, latest first."""
    if user.role != Role.field:
        return []
    since = utcnow() - dt.timedelta(days=days)
    q = (
        select(Complaint)
        .where(Complaint.team_area_id == user.area_id, Complaint.status == ComplaintStatus.closed)
        .where(Complaint.closed_at >= since)
        .order_by(Complaint.closed_at.desc())
        .limit(50)
    )
    return list(session.scalars(q))


def assigned_one(session: Session, user: User, tracking_no: str) -> Complaint | None:
    """The complaint when it is assigned to the user's team (None otherwise: never say which)."""
    if user.role != Role.field:
        return None
    return session.scalar(
        select(Complaint).where(
            Complaint.tracking_no == (tracking_no or "").strip().upper()[:32], Complaint.team_area_id == user.area_id
        )
    )


def _number(raw: object, lo: float, hi: float, field: str) -> float | None:
    text = fold_digits(str(raw if raw is not None else "")).strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise FieldError("bad_value", field=field) from None
    if not (lo <= value <= hi) or math.isnan(value):
        raise FieldError("bad_value", field=field)
    return value


def _made_at(raw: str) -> dt.datetime:
    """When the phone says the report was written (ISO 8601, any zone), as naive UTC; now when it
    says nothing usable or a time ahead of the server's clock."""
    now = utcnow()
    try:
        t = dt.datetime.fromisoformat((raw or "").strip().replace("Z", "+00:00"))
    except ValueError:
        return now
    if t.tzinfo is not None:
        t = t.astimezone(dt.UTC).replace(tzinfo=None)
    return now if t > now + CLOCK_SKEW or t < now - dt.timedelta(days=60) else t


@dataclasses.dataclass
class Report:
    """What the phone sent. `photos`: (stage, bytes) pairs."""

    client_uid: str
    note: str = ""
    to_status: str = ""
    outcome: str = ""
    latitude: object = None
    longitude: object = None
    accuracy_m: object = None
    made_at: str = ""
    photos: Sequence[tuple[str, bytes]] = ()


def report(archive: Archive, user: User, tracking_no: str, r: Report) -> tuple[FieldUpdate, bool]:
    """Record the team member's report on an assigned complaint; returns it and whether it is new
    (False: the phone had sent this one already; nothing is recorded twice). A closing report
    needs the result in the note and an outcome."""
    if user.role != Role.field:
        raise FieldError("forbidden")
    uid = (r.client_uid or "").strip()
    if not UID.fullmatch(uid):
        raise FieldError("bad_value", field="client_uid")
    with archive.db.session() as s:
        known = _known(s, user, uid)
        if known is not None:
            return known, False
    note = (r.note or "").strip()
    if len(note) > MAX_NOTE:
        raise FieldError("too_long", field="note", max=MAX_NOTE)
    status = (r.to_status or "").strip()
    if status not in ("", ComplaintStatus.in_progress.value, ComplaintStatus.closed.value):
        raise FieldError("bad_value", field="status")
    outcome = (r.outcome or "").strip() or None
    if status == ComplaintStatus.closed.value:
        if outcome not in TEAM_OUTCOMES:
            raise FieldError("outcome_required")
        if not note:
            raise FieldError("result_required")
    else:
        outcome = None
    lat = _number(r.latitude, -90, 90, "latitude")
    lon = _number(r.longitude, -180, 180, "longitude")
    if (lat is None) != (lon is None):
        raise FieldError("bad_value", field="latitude" if lat is None else "longitude")
    accuracy = _number(r.accuracy_m, 0, 1_000_000, "accuracy")
    if len(r.photos) > MAX_PHOTOS:
        raise FieldError("too_many_photos", max=MAX_PHOTOS)
    if any(stage not in STAGES for stage, _data in r.photos):
        raise FieldError("bad_value", field="stage")
    if not (note or status or r.photos):
        raise FieldError("empty_report")
    try:
        prepared = [(stage, prepare_photo(data)) for stage, data in r.photos]  # all checked before any is kept
    except PhotoError as e:
        raise FieldError(e.code, **e.params) from None
    staged = [archive.store.stage_stream(io.BytesIO(p.jpeg)) for _stage, p in prepared]
    return _record(
        archive, user, tracking_no, uid, note, status, outcome, (lat, lon, accuracy), r.made_at, prepared, staged
    )


@retry_locked
def _record(
    archive: Archive,
    user: User,
    tracking_no: str,
    uid: str,
    note: str,
    status: str,
    outcome: str | None,
    where: tuple[float | None, float | None, float | None],
    made_at: str,
    prepared: list[tuple[str, Photo]],
    staged: list[Staged],
) -> tuple[FieldUpdate, bool]:
    db = archive.db
    with db.session() as s:
        c = assigned_one(s, user, tracking_no)
        if c is None:
            raise FieldError("not_found", field="complaint")
        lat, lon, accuracy = where
        u = FieldUpdate(
            client_uid=uid,
            complaint_id=c.id,
            user_id=user.id,
            team_area_id=user.area_id,
            made_at=_made_at(made_at),
            note=note,
            to_status=None,
            outcome=None,
            latitude=lat,
            longitude=lon,
            accuracy_m=accuracy,
        )
        for i, ((stage, p), st) in enumerate(zip(prepared, staged, strict=True)):
            u.photos.append(FieldPhoto(position=i, stage=stage, sha256=st.sha256, width=p.width, height=p.height))
        s.add(u)
        # a report that reaches a closed complaint late (written offline before it was closed) is
        # kept, with its photos, but moves nothing: reopening is the district's decision
        moves = c.status != ComplaintStatus.closed and (
            status == ComplaintStatus.closed.value
            or (status == ComplaintStatus.in_progress.value and c.status != ComplaintStatus.in_progress)
        )
        try:
            s.flush()
            if moves:
                reason = f"{_team_name(user)}: {note}" if note else _team_name(user)
                complaints.move(db, s, user, c, status, reason, outcome)
                u.to_status, u.outcome = status, outcome
        except IntegrityError:  # the same report, sent twice at once: the other one is recorded
            s.rollback()
            known = _known(s, user, uid)
            if known is None:
                raise
            return known, False
        except ComplaintError as e:
            s.rollback()
            raise FieldError(e.code, **e.params) from None
        after = {
            "update": u.id,
            "status": u.to_status,
            "outcome": outcome if u.to_status else None,
            "photos": len(prepared),
            "position": lat is not None,
        }
        audit.record(db, "field_report", "complaint", c.tracking_no, user=user, after=after, session=s)
        s.commit()
        for st in staged:
            archive.store.commit(st)
        s.refresh(u)
        _ = u.photos, u.user
        s.expunge_all()
        return u, True


def _team_name(user: User) -> str:
    return f"ชุดปฏิบัติการตำบล{user.area.name_th}"


def _known(s: Session, user: User, uid: str) -> FieldUpdate | None:
    u = s.scalar(select(FieldUpdate).where(FieldUpdate.client_uid == uid).options(selectinload(FieldUpdate.photos)))
    if u is None:
        return None
    if u.user_id != user.id:  # another phone's id: refuse rather than say anything of it
        raise FieldError("bad_value", field="client_uid")
    s.expunge(u)
    return u


def updates_of(session: Session, complaint_id: int) -> list[FieldUpdate]:
    """A complaint's field reports, latest first, with their photos and who sent them."""
    q = (
        select(FieldUpdate)
        .where(FieldUpdate.complaint_id == complaint_id)
        .options(selectinload(FieldUpdate.photos), selectinload(FieldUpdate.user))
        .order_by(FieldUpdate.made_at.desc(), FieldUpdate.id.desc())
    )
    return list(session.scalars(q))


def photo(session: Session, user: User, photo_id: int) -> FieldPhoto | None:
    """The photo when the user may see its complaint (its centre's area, or its team)."""
    if not 0 < photo_id <= MAX_ID:
        return None
    p = session.get(FieldPhoto, photo_id)
    if p is None:
        return None
    u = session.get(FieldUpdate, p.update_id)
    assert u is not None  # a photo belongs to its report
    c = session.get(Complaint, u.complaint_id)
    assert c is not None
    if user.role == Role.field:
        return p if c.team_area_id == user.area_id else None
    return p if complaints.get(session, user, c.id) is not None else None

"""The incident map's data: the complaints a user may see that have coordinates, as points
(newest first, at most a cap, with the count of those left out), and the spatial statistics per
district or per province — each area under the user's own with its complaints total, with
coordinates, open, closed, % closed and the centroid of its points. Both take the complaint
list's filters (records.complaints.filters) and so its area rules; nothing here is drawn: the
web view turns points into GeoJSON and the page draws them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from records import areas, complaints
from records.complaints import ComplaintError
from records.models import MAX_ID, Area, AreaKind, Category, Complaint, ComplaintStatus, User

MAX_POINTS = 20_000  # a browser clusters this many at once without stalling
LEVELS = (AreaKind.province, AreaKind.district)  # what the statistics are counted by
_RANK = {AreaKind.central: 0, AreaKind.province: 1, AreaKind.district: 2, AreaKind.subdistrict: 3}


@dataclass(frozen=True)
class MapFilter:
    """The map's filters, as the complaint list takes them (dates are days in Thailand)."""

    status: str | None = None
    category_id: int | None = None
    area_code: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def __post_init__(self) -> None:
        if self.status and self.status not in ComplaintStatus.__members__:
            raise ComplaintError("bad_value", field="status")
        if self.category_id is not None and not 0 < self.category_id <= MAX_ID:
            raise ComplaintError("bad_value", field="category")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ComplaintError("bad_value", field="to")

    def conditions(self, session: Session, user: User) -> list[ColumnElement[bool]]:
        return complaints.filters(
            session, user, self.status, self.category_id, self.area_code, self.date_from, self.date_to
        )


@dataclass(frozen=True)
class Point:
    id: int
    tracking_no: str
    status: str
    category_th: str
    category_en: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Points:
    points: list[Point]
    total: int  # with coordinates, matching the filters

    @property
    def not_shown(self) -> int:
        return self.total - len(self.points)


def points(session: Session, user: User, f: MapFilter | None = None, limit: int = MAX_POINTS) -> Points:
    """The complaints with coordinates this user may see that match `f`, newest first, at most
    `limit` of them; `total` counts them all."""
    where = [
        *(f or MapFilter()).conditions(session, user),
        Complaint.latitude.is_not(None),
        Complaint.longitude.is_not(None),
    ]
    total = session.scalar(select(func.count(Complaint.id)).where(*where)) or 0
    rows = session.execute(
        select(
            Complaint.id,
            Complaint.tracking_no,
            Complaint.status,
            Category.name_th,
            Category.name_en,
            Complaint.latitude,
            Complaint.longitude,
        )
        .join(Category, Category.id == Complaint.category_id)
        .where(*where)
        .order_by(Complaint.received_at.desc(), Complaint.id.desc())
        .limit(max(0, limit))
    )
    out = [
        Point(i, no, st.value, th, en or th, float(lat), float(lon))
        for i, no, st, th, en, lat, lon in rows
        if lat is not None and lon is not None
    ]
    return Points(out, total)


@dataclass
class AreaStats:
    """One area's complaints: `area` None is the row of those held by no area of the level (a
    province's or the ministry's own centre, at the district level)."""

    area: Area | None
    total: int = 0
    with_place: int = 0
    closed: int = 0
    _lat_sum: float = field(default=0.0, repr=False)
    _lon_sum: float = field(default=0.0, repr=False)

    @property
    def open(self) -> int:
        return self.total - self.closed

    @property
    def closed_pct(self) -> float | None:
        return round(100 * self.closed / self.total, 1) if self.total else None

    @property
    def centroid(self) -> tuple[float, float] | None:
        """The mean position of the area's complaints that have one."""
        if not self.with_place:
            return None
        return (self._lat_sum / self.with_place, self._lon_sum / self.with_place)

    def add(self, total: int, with_place: int, closed: int, lat_sum: float, lon_sum: float) -> None:
        self.total += total
        self.with_place += with_place
        self.closed += closed
        self._lat_sum += lat_sum
        self._lon_sum += lon_sum


def levels_for(user: User) -> list[AreaKind]:
    """The levels this user's statistics may be counted by: a level no higher than the user's own
    area (a district's user sees its district, never a province only partly theirs)."""
    return [k for k in LEVELS if _RANK[k] >= _RANK[user.area.kind]]


def area_stats(session: Session, user: User, level: AreaKind, f: MapFilter | None = None) -> list[AreaStats]:
    """Every area of `level` the user may see with the counts of its complaints (those of its
    sub-districts too; a province's, those of its districts) that match `f`, most complaints
    first; then, when there are any, the row (area None) of the complaints held above the level.
    A level above the user's own area gives nothing."""
    if level not in levels_for(user):
        return []
    seen = areas.visible_area_ids(session, user.area)
    tree = session.execute(select(Area.id, Area.kind, Area.parent_id)).all()
    kinds = {i: k for i, k, _p in tree}
    parents = {i: p for i, _k, p in tree}

    def owner(area_id: int) -> int | None:
        """The area of `level` that `area_id` lies in (or is)."""
        a: int | None = area_id
        while a is not None and _RANK[kinds[a]] > _RANK[level]:
            a = parents[a]
        return a if a is not None and kinds[a] == level else None

    rows = {
        a.id: AreaStats(a)
        for a in session.scalars(
            select(Area).where(Area.kind == level, *([Area.id.in_(seen)] if seen is not None else []))
        )
    }
    above = AreaStats(None)
    placed = Complaint.latitude.is_not(None) & Complaint.longitude.is_not(None)
    counts = session.execute(
        select(
            Complaint.area_id,
            func.count(Complaint.id),
            func.count(case((placed, 1))),
            func.count(case((Complaint.status == ComplaintStatus.closed, 1))),
            func.coalesce(func.sum(case((placed, Complaint.latitude))), 0.0),
            func.coalesce(func.sum(case((placed, Complaint.longitude))), 0.0),
        )
        .where(*(f or MapFilter()).conditions(session, user))
        .group_by(Complaint.area_id)
    )
    for area_id, total, with_place, closed, lat_sum, lon_sum in counts:
        o = owner(area_id)
        (above if o is None else rows.get(o, above)).add(total, with_place, closed, float(lat_sum), float(lon_sum))
    out = sorted(rows.values(), key=lambda r: (-r.total, r.area.code if r.area else ""))
    return [*out, above] if above.total else out

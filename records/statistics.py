"""The dashboard's figures: the complaints a user may see counted by status, against the KPI
target of complaints closed (ยุติเรื่อง), overdue, days to close (median, 90th percentile), by
category, sub-category, channel, area below the one looked at and officer, the last twelve months,
and the data-completeness backlog (no category, no place, no documents, no update for 30 days,
closed without an outcome). Every figure comes with the complaint-list filters that list exactly
the complaints it counts (`args`), so a number on the page opens its complaints.

Everything is counted in the database (GROUP BY), never by loading complaints; days are
Thailand's days (UTC+7); area rules are those of the complaint list (records.complaints.visible)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal_column, not_, select, text, true, tuple_
from sqlalchemy.orm import Session

from records import areas
from records.models import Area, AreaKind, Category, Complaint, ComplaintDocument, User
from records.models import ComplaintStatus as S
from thai import messages
from thai.dates import be_numeric, day_start_utc, thai_today, utcnow

STALE_DAYS = 30  # open with no change for this long: the backlog the 2025 letter asks to clear
COMPLETENESS = ("no_category", "no_place", "no_documents", "stale", "no_outcome")
CHANNELS = ("walk_in", "hotline_1567", "letter", "online", "mobile_unit", "other", "open311")


class StatsError(ValueError):
    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code, self.params = code, params


@dataclasses.dataclass(frozen=True)
class Filters:
    """What the figures are narrowed to: an area within the user's, complaints received between
    two Thai days, one top category, one channel."""

    area_code: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    category_id: int | None = None
    channel: str = ""

    def args(self) -> dict[str, str]:
        """The same narrowing as the complaint list's query arguments."""
        out = {"area": self.area_code, "channel": self.channel}
        if self.date_from:
            out["from"] = be_numeric(self.date_from)
        if self.date_to:
            out["to"] = be_numeric(self.date_to)
        if self.category_id:
            out["category"] = str(self.category_id)
        return {k: v for k, v in out.items() if v}


@dataclasses.dataclass
class Line:
    """One row of a breakdown: what it is, its counts, and the list arguments that list them."""

    key: str
    label_th: str
    label_en: str
    total: int
    closed: int
    overdue: int
    args: dict[str, str]

    @property
    def open(self) -> int:
        return self.total - self.closed

    @property
    def closed_share(self) -> float | None:
        return self.closed / self.total if self.total else None


@dataclasses.dataclass
class Month:
    key: str  # YYYY-MM, Gregorian, Thailand's month
    first: dt.date
    received: int
    closed: int

    @property
    def last(self) -> dt.date:
        return next_month(self.first) - dt.timedelta(days=1)


@dataclasses.dataclass
class Dashboard:
    area: Area
    filters: Filters
    by_status: dict[str, int]
    overdue: int
    median_days: float | None
    p90_days: float | None
    target: float
    by_category: list[Line]
    by_subcategory: list[Line]
    by_channel: list[Line]
    by_area: list[Line]
    by_officer: list[Line]
    months: list[Month]
    completeness: dict[str, int]
    computed_at: dt.datetime | None = None  # when served from records.stats_cache: when it was counted

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def closed(self) -> int:
        return self.by_status.get(S.closed.value, 0)

    @property
    def open(self) -> int:
        return self.total - self.closed

    @property
    def closed_share(self) -> float | None:
        return self.closed / self.total if self.total else None

    @property
    def meets_target(self) -> bool:
        share = self.closed_share
        return share is not None and share >= self.target


# --- the pieces of SQL -------------------------------------------------------------------------


def _thai_month(session: Session, column: Any) -> Any:
    """A timestamp's month in Thailand, as YYYY-MM."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(column + literal_column("interval '7 hours'"), "YYYY-MM")
    return func.strftime("%Y-%m", column, "+7 hours")


def _days_to_close(session: Session) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", Complaint.closed_at - Complaint.received_at) / 86400.0
    return func.julianday(Complaint.closed_at) - func.julianday(Complaint.received_at)


def overdue() -> ColumnElement[bool]:
    """Open past its due date (Thailand's today)."""
    return and_(Complaint.status != S.closed, Complaint.due_date < thai_today())


def _counts() -> tuple[Any, Any, Any]:
    return (
        func.count(Complaint.id),
        func.coalesce(func.sum(case((Complaint.status == S.closed, 1), else_=0)), 0),
        func.coalesce(func.sum(case((overdue(), 1), else_=0)), 0),
    )


def uncategorised() -> ColumnElement[bool]:
    """Filed under "other" (the top category that takes free words instead of a category)."""
    other = select(Category.id).where(Category.needs_detail.is_(True), Category.parent_id.is_(None))
    return Complaint.category_id.in_(other)


def missing(flag: str) -> ColumnElement[bool]:
    """The complaints a data-completeness flag names (COMPLETENESS)."""
    if flag == "no_category":
        return uncategorised()
    if flag == "no_place":
        return and_(
            Complaint.incident_province == "",
            Complaint.incident_district == "",
            Complaint.latitude.is_(None),
        )
    if flag == "no_documents":
        return not_(Complaint.id.in_(select(ComplaintDocument.complaint_id)))
    if flag == "stale":
        return and_(Complaint.status != S.closed, Complaint.updated_at < utcnow() - dt.timedelta(days=STALE_DAYS))
    if flag == "no_outcome":
        return and_(Complaint.status == S.closed, Complaint.outcome.is_(None))
    raise StatsError("bad_value", field="missing")


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def month_before(day: dt.date) -> dt.date:
    """The first day of the month before `day`'s."""
    return dt.date(day.year - (day.month == 1), (day.month - 2) % 12 + 1, 1)


def area_of(session: Session, user: User, code: str) -> Area:
    """The area looked at: the user's own, or one within it by code (StatsError otherwise)."""
    if not code:
        return user.area
    area = areas.by_code(session, code.strip().upper())
    if area is None or not areas.within(session, user.area, area.id):
        raise StatsError("not_found", field="area")
    return area


def where(session: Session, area: Area, f: Filters, dates: bool = True) -> list[ColumnElement[bool]]:
    """The complaints of the area (and every area under it) with the filters."""
    ids = areas.visible_area_ids(session, area)
    out: list[ColumnElement[bool]] = [true() if ids is None else Complaint.area_id.in_(ids)]
    if dates and f.date_from:
        out.append(Complaint.received_at >= day_start_utc(f.date_from))
    if dates and f.date_to:
        out.append(Complaint.received_at < day_start_utc(f.date_to + dt.timedelta(days=1)))
    if f.category_id:
        out.append(Complaint.category_id == f.category_id)
    if f.channel:
        out.append(Complaint.channel == f.channel)
    return out


def percentile(values: list[float], q: float) -> float | None:
    """The q-quantile of sorted values, interpolated as PostgreSQL's percentile_cont does."""
    if not values:
        return None
    pos = (len(values) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (pos - lo)


def days_to_close(session: Session, conds: Iterable[ColumnElement[bool]]) -> tuple[float | None, float | None]:
    """Median and 90th percentile of the days from received to closed, of the closed ones."""
    days = _days_to_close(session)
    closed = [*conds, Complaint.status == S.closed, Complaint.closed_at.isnot(None)]
    if session.get_bind().dialect.name == "postgresql":
        row = session.execute(
            select(
                func.percentile_cont(0.5).within_group(days),
                func.percentile_cont(0.9).within_group(days),
            ).where(*closed)
        ).one()
        return (
            None if row[0] is None else float(row[0]),
            None if row[1] is None else float(row[1]),
        )
    values = [float(v) for v in session.scalars(select(days).where(*closed).order_by(days))]
    return percentile(values, 0.5), percentile(values, 0.9)


def _grouped(session: Session, conds: list[ColumnElement[bool]], key: Any) -> list[tuple[Any, int, int, int]]:
    rows = session.execute(select(key, *_counts()).where(*conds).group_by(key))
    return [(k, int(n), int(c), int(o)) for k, n, c, o in rows]


def _lines(rows: Iterable[tuple[Any, int, int, int]], label: Any, args: Any) -> list[Line]:
    out = []
    for k, n, c, o in rows:
        th, en = label(k)
        out.append(Line(str(k), th, en, n, c, o, args(k)))
    return sorted(out, key=lambda x: (-x.total, x.label_th))


# --- the breakdowns ----------------------------------------------------------------------------


Rows = list[tuple[Any, int, int, int]]  # key, complaints, closed, overdue


def _category_lines(session: Session, rows: Rows, arg: str) -> list[Line]:
    rows = [r for r in rows if r[0] is not None]
    names = {c.id: c for c in session.scalars(select(Category).where(Category.id.in_([r[0] for r in rows])))}

    def label(k: int) -> tuple[str, str]:
        c = names.get(k)
        return (c.name_th, c.name_en or c.name_th) if c else (str(k), str(k))

    return _lines(rows, label, lambda k: {arg: str(k)})


def _channel_lines(rows: Rows) -> list[Line]:
    def label(k: str) -> tuple[str, str]:
        code = "channel_" + k
        return (messages.text(code, "th"), messages.text(code, "en")) if messages.has(code) else (k, k)

    return _lines(rows, label, lambda k: {"channel": k})


def child_of(session: Session, area: Area) -> dict[int, Area]:
    """Every area under `area`, mapped to the area directly under `area` it lies in (a province's
    sub-district → its district; for central, a district → its province)."""
    parent = dict(session.execute(select(Area.id, Area.parent_id)).all())
    below = {a.id: a for a in session.scalars(select(Area).where(Area.parent_id == area.id))}
    out: dict[int, Area] = {}
    for aid in parent:
        up: int | None = aid
        for _ in range(4):
            if up is None:
                break
            if up in below:
                out[aid] = below[up]
                break
            up = parent.get(up)
    return out


def _area_lines(session: Session, area: Area, rows: Rows) -> list[Line]:
    """By the areas directly under the one looked at; complaints handled at the area itself (a
    province's own centre) are a line of their own."""
    under = child_of(session, area)
    sums: dict[int, list[int]] = {}
    for aid, n, c, o in rows:
        target = under.get(aid, area)
        s = sums.setdefault(target.id, [0, 0, 0])
        s[0] += n
        s[1] += c
        s[2] += o
    by_id = {a.id: a for a in under.values()} | {area.id: area}
    out = [
        Line(
            by_id[i].code,
            by_id[i].name_th,
            by_id[i].name_en or by_id[i].name_th,
            n,
            c,
            o,
            {"area": by_id[i].code},
        )
        for i, (n, c, o) in sums.items()
    ]
    return sorted(out, key=lambda x: (-x.total, x.key))


def _officer_lines(session: Session, rows: Rows) -> list[Line]:
    ids = [r[0] for r in rows if r[0]]
    names = dict(session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())

    def label(k: int | None) -> tuple[str, str]:
        if not k:
            return messages.text("stats_unassigned", "th"), messages.text("stats_unassigned", "en")
        return names.get(k, str(k)), names.get(k, str(k))

    return _lines(rows, label, lambda k: {"officer": str(k) if k else "none"})


def _window(last: dt.date, n: int) -> list[dt.date]:
    """The first days of the n months ending with `last`'s month."""
    first = dt.date(last.year, last.month, 1)
    for _ in range(n - 1):
        first = month_before(first)
    out = []
    for _ in range(n):
        out.append(first)
        first = next_month(first)
    return out


def months_from(counts: dict[str, tuple[int, int]], last: dt.date, n: int = 12) -> list[Month]:
    out = []
    for day in _window(last, n):
        key = f"{day.year:04d}-{day.month:02d}"
        got, shut = counts.get(key, (0, 0))
        out.append(Month(key, day, got, shut))
    return out


def months(session: Session, conds: list[ColumnElement[bool]], last: dt.date, n: int = 12) -> list[Month]:
    """Received and closed in each of the n Thai months ending with `last`'s month."""
    window = _window(last, n)
    start, end = day_start_utc(window[0]), day_start_utc(next_month(window[-1]))
    rec_key = _thai_month(session, Complaint.received_at)
    got: dict[str, int] = dict(
        session.execute(
            select(rec_key, func.count(Complaint.id))
            .where(*conds, Complaint.received_at >= start, Complaint.received_at < end)
            .group_by(rec_key)
        ).all()
    )
    closed_key = _thai_month(session, Complaint.closed_at)
    shut: dict[str, int] = dict(
        session.execute(
            select(closed_key, func.count(Complaint.id))
            .where(*conds, Complaint.closed_at >= start, Complaint.closed_at < end)
            .group_by(closed_key)
        ).all()
    )
    counts = {k: (int(got.get(k, 0)), int(shut.get(k, 0))) for k in set(got) | set(shut)}
    return months_from(counts, last, n)


def completeness(session: Session, conds: list[ColumnElement[bool]]) -> dict[str, int]:
    cols = [func.coalesce(func.sum(case((missing(flag), 1), else_=0)), 0) for flag in COMPLETENESS]
    row = session.execute(select(*cols).where(*conds)).one()
    return {flag: int(v) for flag, v in zip(COMPLETENESS, row, strict=True)}


DIMENSIONS = ("status", "category", "subcategory", "channel", "area", "officer")


@dataclasses.dataclass
class Counted:
    """What the dashboard is made from, however it was counted."""

    rows: dict[str, Rows]  # by DIMENSIONS
    median: float | None
    p90: float | None
    completeness: dict[str, int]
    months: dict[str, tuple[int, int]] | None  # YYYY-MM → received, closed (the one-pass count)


def _columns() -> dict[str, Any]:
    return {
        "status": Complaint.status,
        "category": Complaint.category_id,
        "subcategory": Complaint.subcategory_id,
        "channel": Complaint.channel,
        "area": Complaint.area_id,
        "officer": Complaint.officer_id,
    }


def _counted_apart(session: Session, conds: list[ColumnElement[bool]]) -> Counted:
    """A query for each breakdown (SQLite: a district's home, tens of thousands at most)."""
    rows = {name: _grouped(session, conds, col) for name, col in _columns().items()}
    median, p90 = days_to_close(session, conds)
    return Counted(rows, median, p90, completeness(session, conds), None)


def _counted_in_one_pass(session: Session, conds: list[ColumnElement[bool]]) -> Counted:
    """Every breakdown, the months and the days to close (to the hour) in one scan of the
    complaints (PostgreSQL's GROUPING SETS, read from ix_complaints_stats alone), and the
    completeness flags in a second, for millions of complaints."""
    hours = case((Complaint.status == S.closed, func.floor(_days_to_close(session) * 24)), else_=None)
    keys = {
        **_columns(),
        "received_month": _thai_month(session, Complaint.received_at),
        "closed_month": _thai_month(session, Complaint.closed_at),
        "hours": hours,
    }
    cols = list(keys.values())
    # the estimate of an area list is far too high and PostgreSQL would spend more compiling the
    # query (JIT) than running it
    session.execute(text("SET LOCAL jit = off"))
    sets = func.grouping_sets(*[tuple_(c) for c in cols])
    q = select(func.grouping(*cols), *cols, *_counts()).where(*conds).group_by(sets)
    names = list(keys)
    rows: dict[str, Rows] = {name: [] for name in names}
    for r in session.execute(q):
        mask, values = int(r[0]), r[1 : 1 + len(cols)]
        n, c, o = int(r[1 + len(cols)]), int(r[2 + len(cols)]), int(r[3 + len(cols)])
        i = next(i for i in range(len(cols)) if not mask & (1 << (len(cols) - 1 - i)))
        rows[names[i]].append((values[i], n, c, o))
    spread = sorted((float(h) / 24, n) for h, n, _c, _o in rows.pop("hours") if h is not None)
    received = {k: n for k, n, _c, _o in rows.pop("received_month") if k}
    closed = {k: n for k, n, _c, _o in rows.pop("closed_month") if k}
    months_ = {k: (received.get(k, 0), closed.get(k, 0)) for k in set(received) | set(closed)}
    median, p90 = _weighted_percentile(spread, 0.5), _weighted_percentile(spread, 0.9)
    return Counted(rows, median, p90, completeness(session, conds), months_)


def _weighted_percentile(values: list[tuple[float, int]], q: float) -> float | None:
    """percentile() of the sorted values each repeated its count of times."""
    total = sum(n for _, n in values)
    if not total:
        return None
    pos = (total - 1) * q
    lo_i, frac = int(pos), pos - int(pos)

    def nth(i: int) -> float:
        seen = 0
        for v, n in values:
            seen += n
            if i < seen:
                return v
        return values[-1][0]

    lo = nth(lo_i)
    return lo + (nth(min(lo_i + 1, total - 1)) - lo) * frac


def dashboard(session: Session, user: User, f: Filters, target: float = 0.8) -> Dashboard:
    """The figures of the area the filters name (the user's own by default) and all under it."""
    area = area_of(session, user, f.area_code)
    return count(session, area, narrowed_for(user, area, f), target)


def narrowed_for(user: User, area: Area, f: Filters) -> Filters:
    """The filters as the user's links carry them: no area code for the user's own area."""
    return dataclasses.replace(f, area_code=area.code if area.id != user.area_id else "")


def count(session: Session, area: Area, f: Filters, target: float = 0.8) -> Dashboard:
    """The dashboard of an area already allowed (area_of): the caller has checked who looks."""
    conds = where(session, area, f)
    # PostgreSQL, for an area's list of centres: one scan (GROUPING SETS); the whole country is
    # faster apart, each breakdown a parallel scan of its own
    one_pass = session.get_bind().dialect.name == "postgresql" and area.kind != AreaKind.central
    got = _counted_in_one_pass(session, conds) if one_pass else _counted_apart(session, conds)
    by_status = {s.value: 0 for s in S}
    for st, n, _c, _o in got.rows["status"]:
        by_status[S(st).value] = n
    overdue = sum(o for _k, _n, _c, o in got.rows["status"])
    if got.months is not None and not (f.date_from or f.date_to):
        trend = months_from(got.months, thai_today())
    else:
        trend = months(session, where(session, area, f, dates=False), thai_today())
    return Dashboard(
        area=area,
        filters=f,
        by_status=by_status,
        overdue=overdue,
        median_days=got.median,
        p90_days=got.p90,
        target=target,
        by_category=_category_lines(session, got.rows["category"], "category"),
        by_subcategory=_category_lines(session, got.rows["subcategory"], "subcategory"),
        by_channel=_channel_lines(got.rows["channel"]),
        by_area=_area_lines(session, area, got.rows["area"]) if area.kind != AreaKind.subdistrict else [],
        by_officer=_officer_lines(session, got.rows["officer"]),
        months=trend,
        completeness=got.completeness,
    )


LINE_LISTS = ("by_category", "by_subcategory", "by_channel", "by_area", "by_officer")


def to_json(d: Dashboard) -> dict[str, Any]:
    """The figures as JSON (records.stats_cache keeps them so); the area and filters by value."""
    out: dict[str, Any] = {
        "area_id": d.area.id,
        "filters": {
            "area_code": d.filters.area_code,
            "date_from": d.filters.date_from.isoformat() if d.filters.date_from else None,
            "date_to": d.filters.date_to.isoformat() if d.filters.date_to else None,
            "category_id": d.filters.category_id,
            "channel": d.filters.channel,
        },
        "by_status": d.by_status,
        "overdue": d.overdue,
        "median_days": d.median_days,
        "p90_days": d.p90_days,
        "target": d.target,
        "months": [
            {"key": m.key, "first": m.first.isoformat(), "received": m.received, "closed": m.closed} for m in d.months
        ],
        "completeness": d.completeness,
    }
    for name in LINE_LISTS:
        out[name] = [dataclasses.asdict(x) for x in getattr(d, name)]
    return out


def from_json(session: Session, data: dict[str, Any], computed_at: dt.datetime) -> Dashboard:
    f = data["filters"]
    area = session.get(Area, data["area_id"])
    assert area is not None  # the cache row's foreign key
    lines = {name: [Line(**x) for x in data[name]] for name in LINE_LISTS}
    return Dashboard(
        area=area,
        filters=Filters(
            area_code=f["area_code"],
            date_from=dt.date.fromisoformat(f["date_from"]) if f["date_from"] else None,
            date_to=dt.date.fromisoformat(f["date_to"]) if f["date_to"] else None,
            category_id=f["category_id"],
            channel=f["channel"],
        ),
        by_status=data["by_status"],
        overdue=data["overdue"],
        median_days=data["median_days"],
        p90_days=data["p90_days"],
        target=data["target"],
        months=[Month(m["key"], dt.date.fromisoformat(m["first"]), m["received"], m["closed"]) for m in data["months"]],
        completeness=data["completeness"],
        computed_at=computed_at,
        **lines,
    )

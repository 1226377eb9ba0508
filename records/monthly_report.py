"""Month-end reports (รายงานประจำเดือน): the figures the ministry measures a centre by, for one
Thai month, for an area and every level under it (nation → provinces → districts), frozen when
issued. Issuing stores a new numbered version with the figures and their SHA-256 and writes an
audit entry; nothing issued ever changes (a re-issue is a new version). The month must be over.

The figures are those at the month's end, read from the complaints' history (each complaint's
last status event before the end), so a report made on the 1st and one made a year later say the
same: received in the month, closed in the month, received in all up to the end, open and closed
at the end and their share, overdue at the end, days to close of those closed in the month
(median), each status at the end, and the month's categories. A complaint counts at the centre
that handles it now (forwarding moves it). Counted in the database by area; rolled up here."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from typing import Any

from sqlalchemy import and_, case, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from records import areas, audit, statistics
from records.db import Database
from records.models import Area, AreaKind, Category, Complaint, ComplaintEvent, MonthlyReport, Role, User
from records.models import ComplaintStatus as S
from thai.dates import day_start_utc, thai_today, utcnow
from thai.errors import CodedError

ISSUE_ROLES = {Role.officer, Role.admin}
READ_ROLES = {Role.officer, Role.admin, Role.auditor}
LEVELS = {AreaKind.central: "nation", AreaKind.province: "province", AreaKind.district: "district"}
STATUSES = [s.value for s in S]


class ReportError(CodedError):
    pass


def period_of(first: dt.date) -> str:
    return f"{first.year:04d}-{first.month:02d}"


def _row(area: Area) -> dict[str, Any]:
    return {
        "code": area.code,
        "name_th": area.name_th,
        "name_en": area.name_en or area.name_th,
        "parent": None,
        "received_month": 0,
        "closed_month": 0,
        "received_total": 0,
        "open_end": 0,
        "closed_end": 0,
        "overdue_end": 0,
        "by_status": dict.fromkeys(STATUSES, 0),
        "_days": [],
    }


def _finish(row: dict[str, Any]) -> dict[str, Any]:
    days = sorted(row.pop("_days"))
    row["closed_share"] = round(row["closed_end"] / row["received_total"], 4) if row["received_total"] else None
    median = statistics.percentile(days, 0.5)
    row["median_days"] = None if median is None else round(median, 2)
    return row


def figures(session: Session, area: Area, first: dt.date, target: float = 0.8) -> dict[str, Any]:
    """The month's figures for `area` and each level under it (see the module's text)."""
    start, end = day_start_utc(first), day_start_utc(statistics.next_month(first))
    end_day = statistics.next_month(first)
    ids = areas.visible_area_ids(session, area)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))  # an area list's estimate is far too high
    last = (
        select(ComplaintEvent.complaint_id.label("cid"), func.max(ComplaintEvent.id).label("eid"))
        .where(ComplaintEvent.at < end)
        .group_by(ComplaintEvent.complaint_id)
        .subquery()
    )
    ev = aliased(ComplaintEvent)
    scope = [Complaint.received_at < end]
    if ids is not None:
        scope.append(Complaint.area_id.in_(ids))
    closed_in_month = and_(ev.to_status == S.closed.value, ev.at >= start)
    one = (
        select(Complaint.area_id, ev.to_status, func.count(Complaint.id))
        .join(last, last.c.cid == Complaint.id)
        .join(ev, ev.id == last.c.eid)
        .where(*scope)
    )
    counts = one.add_columns(
        func.sum(case((Complaint.received_at >= start, 1), else_=0)),
        func.sum(case((closed_in_month, 1), else_=0)),
        func.sum(case((and_(ev.to_status != S.closed.value, Complaint.due_date < end_day), 1), else_=0)),
    ).group_by(Complaint.area_id, ev.to_status)

    # every area of the report, each with the area of the level above it
    tree: dict[int, Area] = {area.id: area}
    frontier = [area.id]
    while frontier:
        below = list(
            session.scalars(
                select(Area).where(Area.parent_id.in_(frontier), Area.kind.in_([AreaKind.province, AreaKind.district]))
            )
        )
        tree |= {a.id: a for a in below}
        frontier = [a.id for a in below]
    parent_of = dict(session.execute(select(Area.id, Area.parent_id)).all())
    rows = {aid: _row(a) for aid, a in tree.items()}
    for aid, a in tree.items():
        if aid != area.id and a.parent_id in tree:
            rows[aid]["parent"] = tree[a.parent_id].code

    def up_chain(aid: int) -> list[int]:
        """The report's areas this complaint's centre counts in (it, and those above it)."""
        out: list[int] = []
        cur: int | None = aid
        for _ in range(5):
            if cur is None:
                break
            if cur in tree:
                out.append(cur)
            if cur == area.id:
                break
            cur = parent_of.get(cur)
        return out

    for aid, status, n, got, shut, late in session.execute(counts):
        for target_id in up_chain(aid):
            r = rows[target_id]
            r["received_total"] += int(n)
            r["received_month"] += int(got or 0)
            r["closed_month"] += int(shut or 0)
            r["overdue_end"] += int(late or 0)
            r["by_status"][status] += int(n)
            if status == S.closed.value:
                r["closed_end"] += int(n)
            else:
                r["open_end"] += int(n)
    days = select(Complaint.area_id, ev.at, Complaint.received_at).join(last, last.c.cid == Complaint.id)
    days = days.join(ev, ev.id == last.c.eid).where(*scope, closed_in_month)
    for aid, closed_at, received_at in session.execute(days):
        for target_id in up_chain(aid):
            rows[target_id]["_days"].append((closed_at - received_at).total_seconds() / 86400)

    by_cat: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    cats = (
        select(
            Complaint.category_id,
            func.sum(case((Complaint.received_at >= start, 1), else_=0)),
            func.sum(case((closed_in_month, 1), else_=0)),
        )
        .join(last, last.c.cid == Complaint.id)
        .join(ev, ev.id == last.c.eid)
        .where(*scope)
        .group_by(Complaint.category_id)
    )
    for cid, got, shut in session.execute(cats):
        by_cat[cid][0] += int(got or 0)
        by_cat[cid][1] += int(shut or 0)
    names = {c.id: c for c in session.scalars(select(Category).where(Category.id.in_(list(by_cat))))}
    categories: list[dict[str, Any]] = [
        {
            "name_th": names[cid].name_th,
            "name_en": names[cid].name_en or names[cid].name_th,
            "received_month": got,
            "closed_month": shut,
        }
        for cid, (got, shut) in by_cat.items()
        if cid in names and (got or shut)
    ]
    categories.sort(key=lambda c: (-c["received_month"], c["name_th"]))

    levels: list[dict[str, Any]] = []
    for kind in (AreaKind.central, AreaKind.province, AreaKind.district):
        of_kind = sorted((a for a in tree.values() if a.kind == kind), key=lambda a: a.code)
        if of_kind:
            levels.append({"level": LEVELS[kind], "rows": [_finish(rows[a.id]) for a in of_kind]})
    total = next(r for lvl in levels for r in lvl["rows"] if r["code"] == area.code)
    return {
        "period": period_of(first),
        "area": {"code": area.code, "name_th": area.name_th, "name_en": area.name_en or area.name_th},
        "area_kind": area.kind.value,
        "target": target,
        "month_end": end_day.isoformat(),
        "total": total,
        "levels": levels,
        "categories": categories,
    }


def digest(figures_: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(figures_, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def issue(db: Database, user: User, first: dt.date, area_code: str = "", target: float = 0.8) -> MonthlyReport:
    """Issue the month's report of the user's area (or one within it): a new version each time."""
    if user.role not in ISSUE_ROLES:
        raise ReportError("forbidden")
    if statistics.next_month(first) > thai_today():
        raise ReportError("report_month_open", month=period_of(first))
    for _attempt in range(3):
        with db.session() as s:
            me = s.get(User, user.id)
            assert me is not None
            try:
                area = statistics.area_of(s, me, area_code)
            except statistics.StatsError as e:
                raise ReportError(e.code, **e.params) from None
            if area.kind == AreaKind.subdistrict:
                raise ReportError("bad_value", field="area")
            data = figures(s, area, first, target)
            period = period_of(first)
            latest = s.scalar(
                select(func.max(MonthlyReport.version)).where(
                    MonthlyReport.period == period, MonthlyReport.area_id == area.id
                )
            )
            report = MonthlyReport(
                period=period,
                area_id=area.id,
                version=(latest or 0) + 1,
                issued_at=utcnow(),
                issued_by_id=me.id,
                figures=data,
                sha256=digest(data),
            )
            s.add(report)
            try:
                s.flush()
            except IntegrityError:  # issued at the same moment elsewhere: take the next number
                s.rollback()
                continue
            after = {"period": period, "area": area.code, "version": report.version, "sha256": report.sha256}
            audit.record(
                db, "report_issue", "report", f"{area.code}/{period}/v{report.version}", user=me, after=after, session=s
            )
            s.commit()
            s.refresh(report)
            _ = report.area, report.issued_by
            s.expunge_all()
            return report
    raise ReportError("internal", detail="could not number the report")


def visible(session: Session, user: User) -> Any:
    ids = areas.visible_area_ids(session, user.area)
    return MonthlyReport.id.isnot(None) if ids is None else MonthlyReport.area_id.in_(ids)


def listed(session: Session, user: User, limit: int = 100) -> list[MonthlyReport]:
    """The reports of the user's area and those under it, newest month first."""
    q = select(MonthlyReport).where(visible(session, user))
    q = q.order_by(MonthlyReport.period.desc(), MonthlyReport.area_id, MonthlyReport.version.desc()).limit(limit)
    return list(session.scalars(q))


def get(session: Session, user: User, report_id: int) -> MonthlyReport | None:
    if user.role not in READ_ROLES:
        return None
    r = session.get(MonthlyReport, report_id)
    if r is None or not areas.within(session, user.area, r.area_id):
        return None
    return r


def latest(session: Session, user: User, first: dt.date, area: Area) -> MonthlyReport | None:
    r = session.scalar(
        select(MonthlyReport)
        .where(MonthlyReport.period == period_of(first), MonthlyReport.area_id == area.id)
        .order_by(MonthlyReport.version.desc())
        .limit(1)
    )
    return r if r is not None and get(session, user, r.id) else None


def previous_month(today: dt.date | None = None) -> dt.date:
    """The first day of the month before this one (Thailand's today)."""
    return statistics.month_before(today or thai_today())

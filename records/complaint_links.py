"""Complaints an officer links as related (one matter handled apart, often found by the duplicate
check), and what is known of one person's complaints across the country. A link is one row and
counts both ways; a linked complaint outside the user's area is shown by its metadata only
(tracking number, centre, status), never its content. Linking and unlinking are audited."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from records import areas, audit
from records.complaints import CAN_WORK, ComplaintError, _require, get
from records.models import Area, Complainant, Complaint, ComplaintLink

if TYPE_CHECKING:
    from records.db import Database
    from records.models import User


@dataclasses.dataclass
class Related:
    complaint: Complaint
    visible: bool  # within the user's area: it may be opened


def link(db: Database, user: User, complaint_id: int, tracking_no: str) -> Complaint:
    """Link the user's complaint with another (any centre's, by its tracking number); returns the
    other. Linking twice, or a complaint with itself, changes nothing / is refused."""
    _require(user, CAN_WORK)
    with db.session() as s:
        mine = get(s, user, complaint_id)
        if mine is None:
            raise ComplaintError("not_found", field="complaint")
        other = s.scalar(select(Complaint).where(Complaint.tracking_no == (tracking_no or "").strip().upper()))
        if other is None or other.id == mine.id:
            raise ComplaintError("not_found", field="related")
        a, b = sorted((mine.id, other.id))
        exists = s.scalar(
            select(ComplaintLink.id).where(ComplaintLink.complaint_id == a, ComplaintLink.related_id == b)
        )
        if exists is None:
            s.add(ComplaintLink(complaint_id=a, related_id=b, created_by_id=user.id))
            audit.record(
                db,
                "link_related",
                "complaint",
                mine.tracking_no,
                user=user,
                after={"related": other.tracking_no},
                session=s,
            )
            try:
                s.commit()
            except IntegrityError:  # linked at the same moment elsewhere: one link
                s.rollback()
        s.refresh(other)
        s.expunge(other)
        return other


def related(session: Session, user: User, complaint_id: int) -> list[Related]:
    """The complaints linked with this one, oldest link first."""
    rows = session.execute(
        select(ComplaintLink.complaint_id, ComplaintLink.related_id)
        .where(or_(ComplaintLink.complaint_id == complaint_id, ComplaintLink.related_id == complaint_id))
        .order_by(ComplaintLink.id)
    ).all()
    ids = [b if a == complaint_id else a for a, b in rows]
    if not ids:
        return []
    found = {c.id: c for c in session.scalars(select(Complaint).where(Complaint.id.in_(ids)))}
    visible = areas.visible_area_ids(session, user.area)
    return [Related(found[i], visible is None or found[i].area_id in visible) for i in ids if i in found]


@dataclasses.dataclass
class CentreCount:
    code: str
    name_th: str
    name_en: str
    complaints: int
    open: int


def across_country(session: Session, citizen_id: str) -> list[CentreCount]:
    """How many complaints this person made at each centre of the country (and how many are still
    open): counts only — who they were about and what they said stay with each centre."""
    from records.models import ComplaintStatus

    q = (
        select(
            Area.code,
            Area.name_th,
            Area.name_en,
            func.count(Complaint.id),
            func.sum(case((Complaint.status != ComplaintStatus.closed, 1), else_=0)),
        )
        .join(Complainant, Complainant.id == Complaint.complainant_id)
        .join(Area, Area.id == Complaint.area_id)
        .where(Complainant.citizen_id == citizen_id)
        .group_by(Area.code, Area.name_th, Area.name_en)
        .order_by(func.count(Complaint.id).desc(), Area.code)
    )
    return [CentreCount(code, th, en or th, n, int(o or 0)) for code, th, en, n, o in session.execute(q)]


@dataclasses.dataclass
class Repeat:
    """One person, or one respondent, with complaints at more than one centre of the area."""

    label: str  # the person's name (their ID masked) or the respondent as first written
    complaints: int
    centres: list[str]  # area codes
    person_id: int | None = None  # a record of the person the user may open


def repeats(session: Session, user: User, limit: int = 50) -> tuple[list[Repeat], list[Repeat]]:
    """The cross-district picture of the user's area (a province its districts, central the
    country): people and respondents with complaints at two or more centres, most first."""
    from thai.citizen_id import masked

    visible = areas.visible_area_ids(session, user.area)
    inside = Complaint.area_id.in_(visible) if visible is not None else Complaint.area_id.isnot(None)
    codes = func.count(func.distinct(Complaint.area_id))
    people_q = (
        select(Complainant.citizen_id, func.count(Complaint.id), func.min(Complainant.id))
        .join(Complainant, Complainant.id == Complaint.complainant_id)
        .where(inside)
        .group_by(Complainant.citizen_id)
        .having(codes >= 2)
        .order_by(func.count(Complaint.id).desc())
        .limit(limit)
    )
    people = []
    for cid, n, pid in session.execute(people_q):
        person = session.get(Complainant, pid)
        centres = _centres(
            session, inside, Complaint.complainant_id.in_(select(Complainant.id).where(Complainant.citizen_id == cid))
        )
        people.append(Repeat(f"{person.name_th if person else ''} ({masked(cid)})", n, centres, pid))
    resp_q = (
        select(Complaint.respondent_key, func.count(Complaint.id), func.min(Complaint.respondent_name))
        .where(inside, Complaint.respondent_key != "")
        .group_by(Complaint.respondent_key)
        .having(codes >= 2)
        .order_by(func.count(Complaint.id).desc())
        .limit(limit)
    )
    respondents = [
        Repeat(name, n, _centres(session, inside, Complaint.respondent_key == key))
        for key, n, name in session.execute(resp_q)
    ]
    return people, respondents


def _centres(session: Session, inside: ColumnElement[bool], which: ColumnElement[bool]) -> list[str]:
    q = select(Area.code).join(Complaint, Complaint.area_id == Area.id).where(inside, which).distinct()
    return sorted(session.scalars(q))

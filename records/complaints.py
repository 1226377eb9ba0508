"""Complaints: intake (tracking number, complainant, respondent, category, place), the lifecycle
as an explicit transition table, documents filed under a complaint, the area rules on every
read and write, and the public follow-up view. Every change is written to the audit log in the
same transaction as the change itself."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, false, func, or_, select, true
from sqlalchemy import update as sql_update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from records import areas, audit, complainants, duplicates, peer_outbox, statistics
from records.db import retry_locked
from records.models import (
    MAX_ID,
    Area,
    Category,
    Complainant,
    Complaint,
    ComplaintDocument,
    ComplaintEvent,
    ComplaintStatus,
    Document,
    IndexOutbox,
    Role,
    TrackingCounter,
    User,
)
from thai.citizen_id import masked
from thai.citizen_id import parse as parse_citizen_id
from thai.dates import BE_OFFSET, day_start_utc, parse_date, thai_time, utcnow
from thai.digits import digits_only, fold_digits, masked_phone
from thai.errors import CodedError

if TYPE_CHECKING:
    from records.db import Database

CHANNELS = ("walk_in", "hotline_1567", "letter", "online", "mobile_unit", "other", "open311")
# what a person picks on the intake form: "open311" is given by the Open311 interface (webui.open311_views)
FORM_CHANNELS = tuple(c for c in CHANNELS if c != "open311")
RESPONDENT_KINDS = ("", "person", "agency", "business")
DOCUMENT_KINDS = ("petition", "evidence", "official_letter", "reply", "report")
# a complaint document kind → the document's own kind (Document.kind), where it has one
DOCUMENT_KIND_OF = {"petition": "petition", "official_letter": "official_letter"}
OUTCOMES = ("resolved", "not_within_jurisdiction", "withdrawn", "duplicate")
S = ComplaintStatus
TRANSITIONS: dict[ComplaintStatus, set[ComplaintStatus]] = {
    S.received: {S.in_progress, S.forwarded, S.waiting_agency, S.closed},
    S.in_progress: {S.forwarded, S.waiting_agency, S.closed},
    S.forwarded: {S.in_progress, S.waiting_agency, S.closed},
    S.waiting_agency: {S.in_progress, S.closed},
    S.closed: {S.in_progress},  # reopened, with a reason
}
DEFAULT_DAYS = 15  # due date after receipt, unless given
CAN_CREATE = {Role.counter, Role.officer, Role.admin}
CAN_WORK = {Role.officer, Role.admin}


class ComplaintError(CodedError):
    """A complaint request refused; `code` says why in Thai and English. `problems` is every
    problem found when a whole form was checked at once (`validate`, `create`, `update`): the
    error itself is the first of them, so a caller that reads one code reads the same as ever."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, **params)
        self.problems: list[ComplaintError] = [self]

    @classmethod
    def of(cls, problems: list[ComplaintError]) -> ComplaintError:
        """One error carrying several: the first's code and parameters, all of them in `problems`."""
        first = problems[0]
        e = cls(first.code, **first.params)
        e.problems = list(problems)
        return e


class _Problems(list[ComplaintError]):
    """The problems of a form checked as a whole: each check's refusal is noted, not raised."""

    def check(self, fn: Any, *args: Any) -> Any:
        """fn(*args), or None when it refuses (its problems noted)."""
        try:
            return fn(*args)
        except ComplaintError as e:
            self.extend(e.problems)
            return None

    def raise_any(self) -> None:
        if self:
            raise ComplaintError.of(list(self))


def _require(user: User, roles: set[Role]) -> None:
    if user.role not in roles:
        raise ComplaintError("forbidden")


def visible(session: Session, user: User) -> ColumnElement[bool]:
    """A filter on Complaint for what this user may see."""
    ids = areas.visible_area_ids(session, user.area)
    return true() if ids is None else Complaint.area_id.in_(ids)


def get(session: Session, user: User, complaint_id: int) -> Complaint | None:
    """The complaint when it exists and the user may see it; None otherwise (never say which)."""
    if not isinstance(complaint_id, int) or not 0 < complaint_id <= MAX_ID:
        return None
    c = session.get(Complaint, complaint_id)
    if c is None or not areas.within(session, user.area, c.area_id):
        return None
    return c


def by_tracking_no(session: Session, user: User, tracking_no: str) -> Complaint | None:
    c = session.scalar(select(Complaint).where(Complaint.tracking_no == tracking_no.strip().upper()))
    return get(session, user, c.id) if c is not None else None


def snapshot(c: Complaint) -> dict[str, Any]:
    """The complaint's recorded values, as the audit log keeps them (the citizen ID masked)."""
    return {
        "tracking_no": c.tracking_no,
        "area_id": c.area_id,
        "channel": c.channel,
        "complainant": masked(c.complainant.citizen_id) if c.complainant else None,
        "phone": masked_phone(c.phone),
        "respondent_kind": c.respondent_kind,
        "respondent_name": c.respondent_name,
        "category_id": c.category_id,
        "subcategory_id": c.subcategory_id,
        "subcategory_text": c.subcategory_text,
        "incident": [c.incident_province, c.incident_district, c.incident_subdistrict],
        "latitude": c.latitude,
        "longitude": c.longitude,
        "summary": c.summary,
        "officer_id": c.officer_id,
        "due_date": c.due_date.isoformat() if c.due_date else None,
        "status": c.status.value,
        "outcome": c.outcome,
    }


def _category(session: Session, data: Mapping[str, Any]) -> tuple[Category, Category | None, str]:
    try:
        cat = session.get(Category, int(data.get("category_id") or 0))
    except (TypeError, ValueError):
        cat = None
    if cat is None or cat.parent_id is not None or not cat.active:
        raise ComplaintError("required", field="category")
    sub = None
    if data.get("subcategory_id"):
        try:
            sub = session.get(Category, int(data["subcategory_id"]))
        except (TypeError, ValueError):
            sub = None
        if sub is None or sub.parent_id != cat.id:
            raise ComplaintError("bad_value", field="subcategory")
    text = (data.get("subcategory_text") or "").strip()
    if cat.needs_detail and not text:
        raise ComplaintError("needs_detail", category=cat.name_th)
    return cat, sub, text


def _complainant(session: Session, user: User, area: Area, data: Mapping[str, Any]) -> Complainant | None:
    """The complaint's centre's own record of the complainant: picked from the saved ones (one
    the user may see; another centre's is copied into this centre's own), or found by citizen ID
    among this centre's records only — a person known only elsewhere is new here, named as typed."""
    if data.get("complainant_id"):
        picked = complainants.get_visible(session, user, data["complainant_id"])
        if picked is None:
            raise ComplaintError("not_found", field="complainant")
        if picked.area_id == area.id:
            return picked
        own = complainants.of_area(session, picked.citizen_id, area.id)
        if own is None:
            own = Complainant(citizen_id=picked.citizen_id, area_id=area.id, source=picked.source, address={})
            for f in (*complainants.NAME_FIELDS, "birth_date", "gender", "address", "phone", "photo_sha256"):
                setattr(own, f, getattr(picked, f))
            session.add(own)
        return own
    raw = data.get("citizen_id")
    if not raw:
        return None
    try:
        number = parse_citizen_id(str(raw))
    except ValueError:
        raise ComplaintError("bad_citizen_id") from None
    person = complainants.of_area(session, number, area.id)
    if person is None:
        if not (data.get("first_name_th") or "").strip() or not (data.get("last_name_th") or "").strip():
            raise ComplaintError("required", field="name")
        person = Complainant(citizen_id=number, source="typed", area_id=area.id, address={})
        session.add(person)
    for f in ("prefix_th", "first_name_th", "last_name_th"):
        if data.get(f):
            setattr(person, f, str(data[f]).strip())
    return person


def _place(data: Mapping[str, Any], c: Complaint) -> None:
    """The place and the words; a bad latitude and a bad longitude are both told."""
    for f in (
        "incident_province",
        "incident_district",
        "incident_subdistrict",
        "respondent_name",
        "summary",
        "address",
    ):
        if f in data:
            setattr(c, f, str(data.get(f) or "").strip()[:4000])
    problems = _Problems()
    for f, lo, hi in (("latitude", -90, 90), ("longitude", -180, 180)):
        if data.get(f) not in (None, ""):
            try:
                v = float(fold_digits(str(data[f])))
            except ValueError:
                v = None
            if v is None or not lo <= v <= hi:
                problems.append(ComplaintError("bad_value", field=f))
            else:
                setattr(c, f, v)
    problems.raise_any()


def _phone(raw: object) -> str:
    phone = digits_only(raw)
    if not 9 <= len(phone) <= 10:
        raise ComplaintError("bad_phone")
    return phone


def _officer(session: Session, area: Area, officer_id: str | int) -> User:
    """An active officer or administrator of the complaint's area (or above it)."""
    try:
        officer = session.get(User, int(officer_id))
    except (TypeError, ValueError, OverflowError):
        officer = None
    if (
        officer is None
        or not officer.active
        or officer.role not in CAN_WORK
        or not (areas.within(session, area, officer.area_id) or areas.within(session, officer.area, area.id))
    ):
        raise ComplaintError("bad_value", field="officer")
    return officer


def _due(data: Mapping[str, Any], received: dt.datetime) -> dt.date | None:
    if data.get("due_date"):
        try:
            return parse_date(str(data["due_date"]))
        except ValueError:
            raise ComplaintError("bad_value", field="due_date") from None
    return thai_time(received).date() + dt.timedelta(days=DEFAULT_DAYS)


def next_tracking_no(session: Session, area: Area, received: dt.datetime) -> str:
    """The next number of the province and year: the counter advanced and read in one statement
    (an upsert that takes the write lock, or the counter row's lock), in the transaction that
    stores the complaint — two centres, threads or processes never get the same one, and a
    complaint that is not stored gives its number back."""
    prov = areas.province_of(session, area)
    year_be = thai_time(received).year + BE_OFFSET  # the year in Thailand, not in UTC
    prefix = f"{prov.code if prov else areas.CENTRAL_CODE}-{year_be}-"
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = (
        insert(TrackingCounter)
        .values(prefix=prefix, last=1)
        .on_conflict_do_update(index_elements=["prefix"], set_={"last": TrackingCounter.last + 1})
        .returning(TrackingCounter.last)
    )
    n: int = session.execute(stmt).scalar_one()
    return f"{prefix}{n:06d}"


def _catch_up(session: Session, prefix: str) -> None:
    """Set the counter of `prefix` past the highest number complaints already hold."""
    taken = session.scalars(select(Complaint.tracking_no).where(Complaint.tracking_no.like(prefix + "%")))
    highest = max((int(no.rsplit("-", 1)[1]) for no in taken if no.rsplit("-", 1)[1].isdigit()), default=0)
    session.execute(
        sql_update(TrackingCounter)
        .where(TrackingCounter.prefix == prefix, TrackingCounter.last < highest)
        .values(last=highest)
    )
    session.commit()


def _intake(s: Session, user: User, data: Mapping[str, Any]) -> tuple[Complaint, _Problems]:
    """The complaint `data` describes (not added to the session) and every problem with it, in
    the order the intake form reads — the first is the one an API caller gets as its code."""
    problems = _Problems()
    channel = data.get("channel") or "walk_in"
    if channel not in CHANNELS:
        problems.append(ComplaintError("bad_value", field="channel"))
    kind = data.get("respondent_kind") or ""
    if kind not in RESPONDENT_KINDS:
        problems.append(ComplaintError("bad_value", field="respondent_kind"))
    phone = problems.check(_phone, data.get("phone"))
    area = s.get(Area, user.area_id)
    assert area is not None  # the user's own centre: users.area_id is a non-null foreign key
    if data.get("area_code"):
        chosen = areas.by_code(s, str(data["area_code"]))
        if chosen is None or not areas.within(s, area, chosen.id):
            problems.append(ComplaintError("bad_value", field="area"))
        else:
            area = chosen
    category = problems.check(_category, s, data)
    received = utcnow()
    c = Complaint(
        area_id=area.id,
        received_at=received,
        channel=channel,
        phone=phone or "",
        respondent_kind=kind,
        status=S.received,
        created_by_id=user.id,
    )
    if category is not None:
        cat, sub, text = category
        c.category_id, c.subcategory_id, c.subcategory_text = cat.id, sub.id if sub else None, text
    c.complainant = problems.check(_complainant, s, user, area, data)
    problems.check(_place, data, c)
    c.due_date = problems.check(_due, data, received)
    if data.get("officer_id"):
        officer = problems.check(_officer, s, area, data["officer_id"])
        c.officer_id = officer.id if officer else None
    return c, problems


def validate(db: Database, user: User, data: Mapping[str, Any]) -> list[ComplaintError]:
    """Every problem `create` would find with `data`, all at once (nothing is stored)."""
    _require(user, CAN_CREATE)
    with db.session() as s:
        _c, problems = _intake(s, user, data)
        s.rollback()
    return list(problems)


@retry_locked
def create(db: Database, user: User, data: Mapping[str, Any]) -> Complaint:
    """Open a complaint at the user's centre (a province or central user may name a centre within
    their area with `area_code`). Raises ComplaintError with what to fix: the first problem,
    and every one in its `problems`."""
    _require(user, CAN_CREATE)
    for _attempt in range(5):
        with db.session() as s:
            c, problems = _intake(s, user, data)
            problems.raise_any()
            received = c.received_at
            area = s.get(Area, c.area_id)
            assert area is not None  # _intake chose it among the areas
            c.tracking_no = next_tracking_no(s, area, received)
            s.add(c)
            try:
                s.flush()
                duplicates.remember(s, c)
                s.add(
                    ComplaintEvent(
                        complaint_id=c.id,
                        from_status=None,
                        to_status=S.received.value,
                        reason="",
                        user_id=user.id,
                        at=received,
                    )
                )
                audit.record(db, "create", "complaint", c.tracking_no, user=user, after=snapshot(c), session=s)
                s.commit()
            except IntegrityError:  # the same person saved at once elsewhere, or a number taken outside
                s.rollback()  # the counter (an import): look again, the counter past what is taken
                _catch_up(s, c.tracking_no.rsplit("-", 1)[0] + "-")
                continue
            s.refresh(c)
            s.expunge(c)
            return c
    raise ComplaintError("internal", detail="could not allocate a tracking number")


@retry_locked
def update(db: Database, user: User, complaint_id: int, data: Mapping[str, Any]) -> None:
    """Change the complaint's details (not its status): respondent, category, place, summary,
    officer, due date, phone. Before and after go to the audit log."""
    _require(user, CAN_WORK)
    with db.session() as s:
        c = get(s, user, complaint_id)
        if c is None:
            raise ComplaintError("not_found", field="complaint")
        before = snapshot(c)
        problems = _Problems()
        if "category_id" in data and (category := problems.check(_category, s, data)):
            cat, sub, text = category
            c.category_id, c.subcategory_id, c.subcategory_text = cat.id, sub.id if sub else None, text
        if "respondent_kind" in data:
            if data["respondent_kind"] not in RESPONDENT_KINDS:
                problems.append(ComplaintError("bad_value", field="respondent_kind"))
            else:
                c.respondent_kind = data["respondent_kind"]
        if "phone" in data and (phone := problems.check(_phone, data["phone"])):
            c.phone = phone
        if "due_date" in data and (due := problems.check(_due, data, c.received_at)):
            c.due_date = due
        if "officer_id" in data:
            officer = problems.check(_officer, s, c.area, data["officer_id"]) if data["officer_id"] else None
            c.officer_id = officer.id if officer else None
        problems.check(_place, data, c)
        if problems:
            s.rollback()
            problems.raise_any()
        after = snapshot(c)
        changed = {k: v for k, v in after.items() if before.get(k) != v}
        if {"respondent_name", "summary"} & set(changed):
            duplicates.remember(s, c)
        if changed:
            audit.record(
                db,
                "change",
                "complaint",
                c.tracking_no,
                user=user,
                before={k: before[k] for k in changed},
                after=changed,
                session=s,
            )
        s.commit()


@retry_locked
def transition(
    db: Database,
    user: User,
    complaint_id: int,
    to_status: str,
    reason: str = "",
    outcome: str | None = None,
    to_area_code: str | None = None,
    duplicate_of: str | None = None,
) -> None:
    """Move the complaint along the transition table, recording who, when and why."""
    _require(user, CAN_WORK)
    with db.session() as s:
        c = get(s, user, complaint_id)
        if c is None:
            raise ComplaintError("not_found", field="complaint")
        move(db, s, user, c, to_status, reason, outcome, to_area_code, duplicate_of)
        s.commit()


def move(
    db: Database,
    s: Session,
    user: User,
    c: Complaint,
    to_status: str,
    reason: str = "",
    outcome: str | None = None,
    to_area_code: str | None = None,
    duplicate_of: str | None = None,
    *,
    to_peer: str | None = None,
    told_by_peer: int | None = None,
) -> ComplaintEvent:
    """The transition itself, in the caller's session (not committed), for a complaint the caller
    has already checked the user may move: the event, the complaint's new state, the audit entry,
    and a status message to every peer the complaint is shared with (but the one that told us of
    it, `told_by_peer`). Forwarded `to_peer` (another installation) it stays in its centre here."""
    try:
        target = S(to_status)
    except ValueError:
        raise ComplaintError("bad_value", field="status") from None
    reason = str(reason or "").strip()
    if target not in TRANSITIONS[c.status]:
        raise ComplaintError("bad_transition", from_status=c.status.value, to_status=target.value)
    if not reason and (target in (S.closed, S.forwarded) or c.status == S.closed):
        raise ComplaintError("reason_required")
    before = snapshot(c)
    event = ComplaintEvent(
        complaint_id=c.id, from_status=c.status.value, to_status=target.value, reason=reason[:4000], user_id=user.id
    )
    if target == S.closed:
        if outcome not in OUTCOMES:
            raise ComplaintError("outcome_required")
        if outcome == "duplicate":
            other = by_tracking_no(s, user, str(duplicate_of or ""))
            if other is None or other.id == c.id:
                raise ComplaintError("not_found", field="duplicate_of")
            c.duplicate_of_id = other.id
        c.outcome, c.closed_at, event.outcome = outcome, utcnow(), outcome
    elif target == S.forwarded and to_peer:
        event.reason = event.reason or to_peer
    elif target == S.forwarded:
        dest = areas.resolve(s, str(to_area_code or ""))  # a code, or the list's "code name (province)"
        if dest is None or dest.id == c.area_id:
            raise ComplaintError("bad_value", field="to_area")
        c.area_id, event.to_area_id = dest.id, dest.id
        c.team_area_id = None  # the team was the old centre's
        for doc_id in s.scalars(select(ComplaintDocument.document_id).where(ComplaintDocument.complaint_id == c.id)):
            s.add(IndexOutbox(document_id=doc_id, op="upsert"))  # who may find them changed
    if c.status == S.closed:  # reopened
        c.outcome, c.closed_at, c.duplicate_of_id = None, None, None
    c.status = target
    s.add(event)
    s.flush()
    peer_outbox.tell_status(s, c, event, but=told_by_peer)
    audit.record(
        db,
        "status",
        "complaint",
        c.tracking_no,
        user=user,
        before={"status": before["status"], "outcome": before["outcome"], "area_id": before["area_id"]},
        after={"status": target.value, "outcome": c.outcome, "area_id": c.area_id, "reason": reason},
        session=s,
    )
    return event


@retry_locked
def file_document(
    db: Database,
    user: User,
    complaint_id: int,
    document_id: int,
    kind: str | None = "petition",
    *,
    change_kind: bool = True,
) -> str:
    """File a document under a complaint (after its last one); the complaint's area may then see
    it, in search too. A document filed already under the complaint gets the kind given (None:
    keeps its own; a new filing is a petition) — unless `change_kind` is False: a scan or an
    upload that turns out to be the same original (same bytes) keeps the filing it has. Returns
    what happened: "filed", "kind_changed" or "unchanged". The document's own kind follows the
    filing where it has none (or "other")."""
    _require(user, CAN_CREATE)
    if kind is not None and kind not in DOCUMENT_KINDS:
        raise ComplaintError("bad_value", field="kind")
    with db.session() as s:
        c = get(s, user, complaint_id)
        doc = s.get(Document, document_id)
        if c is None or doc is None:
            raise ComplaintError("not_found", field="complaint" if c is None else "document")
        if not document_visible(s, user, doc):
            raise ComplaintError("not_found", field="document")
        link = s.scalar(
            select(ComplaintDocument).where(
                ComplaintDocument.complaint_id == c.id, ComplaintDocument.document_id == doc.id
            )
        )
        doc_kind = doc.kind
        logged_before: dict[str, Any] | None = None
        if link is not None:  # filed already: under another kind, now that one
            if kind is None or kind == link.kind or not change_kind:
                return "unchanged"
            before, link.kind = link.kind, kind
            _follow_filing(doc, kind, before)
            outcome, action = "kind_changed", "document_kind"
            logged_before = {"document_id": doc.id, "kind": before}
            logged: dict[str, Any] = {"document_id": doc.id, "kind": kind, "position": link.position}
        else:
            kind = kind or "petition"
            position = (
                s.scalar(select(func.max(ComplaintDocument.position)).where(ComplaintDocument.complaint_id == c.id))
                or 0
            ) + 1
            s.add(
                ComplaintDocument(
                    complaint_id=c.id, document_id=doc.id, kind=kind, position=position, added_by_id=user.id
                )
            )
            if doc.area_id is None:
                doc.area_id = c.area_id
            _follow_filing(doc, kind)
            outcome, action = "filed", "file_document"
            logged = {"document_id": doc.id, "kind": kind, "position": position}
        if doc.kind != doc_kind:
            logged["document_kind"] = doc.kind
            if logged_before is not None:
                logged_before["document_kind"] = doc_kind
        s.add(IndexOutbox(document_id=doc.id, op="upsert"))  # who may find it changed, or its kind
        audit.record(db, action, "complaint", c.tracking_no, user=user, before=logged_before, after=logged, session=s)
        s.commit()
        return outcome


def _follow_filing(doc: Document, kind: str, before: str | None = None) -> None:
    """The document's own kind, as it was filed: set where the reader found none it knew ("other",
    or not read yet), or where it came from the earlier filing. A kind a person confirmed with
    the fields stays."""
    wanted = DOCUMENT_KIND_OF.get(kind)
    if wanted is None or doc.kind == wanted or doc.fields_confirmed_at is not None:
        return
    if doc.kind in (None, "other") or (before is not None and doc.kind == DOCUMENT_KIND_OF.get(before)):
        doc.kind = wanted


def filed_under(session: Session, user: User, document_id: int) -> list[Complaint]:
    """The complaints a document is filed under that this user may see (oldest filing first);
    another centre's filing of the same document is never shown."""
    q = (
        select(Complaint)
        .join(ComplaintDocument, ComplaintDocument.complaint_id == Complaint.id)
        .where(ComplaintDocument.document_id == document_id, visible(session, user))
        .order_by(ComplaintDocument.added_at, ComplaintDocument.id)
    )
    return list(session.scalars(q))


def document_area_ids(session: Session, document_id: int, own_area: int | None) -> set[int]:
    """Every area that may see a document: its own and those of the complaints it is filed under,
    each with the areas above it."""
    owners = {own_area} if own_area else set()
    owners |= set(
        session.scalars(
            select(Complaint.area_id).join(ComplaintDocument).where(ComplaintDocument.document_id == document_id)
        )
    )
    out: set[int] = set()
    for a in owners:
        out.update(areas.chain(session, a))
    return out


def document_visible(session: Session, user: User, doc: Document) -> bool:
    ids = areas.visible_area_ids(session, user.area)
    if ids is None:
        return True
    return bool(document_area_ids(session, doc.id, doc.area_id) & ids)


def visible_documents(session: Session, user: User) -> ColumnElement[bool]:
    """A filter on Document for what this user may see."""
    ids = areas.visible_area_ids(session, user.area)
    if ids is None:
        return true()
    linked = select(ComplaintDocument.document_id).join(Complaint).where(Complaint.area_id.in_(ids))
    return or_(Document.area_id.in_(ids), Document.id.in_(linked))


def _text_matches(text: str) -> ColumnElement[bool]:
    """A complaint found by what a caller may say of it: its tracking number or words of its
    summary; the complainant's name (first, last, or both as "first last"); the respondent's name;
    a number typed with dashes or spaces, Thai or Arabic digits — the complainant's citizen ID
    (all 13 digits) or phone (at least 4 digits, anywhere in it)."""
    folded = fold_digits(text.strip())
    t = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    like, spaced = f"%{t}%", "%" + re.sub(r"\s+", " ", t) + "%"
    full_name = Complainant.first_name_th + " " + Complainant.last_name_th
    named = select(Complainant.id).where(
        or_(
            Complainant.first_name_th.like(like, escape="\\"),
            Complainant.last_name_th.like(like, escape="\\"),
            full_name.like(spaced, escape="\\"),
        )
    )
    found = [
        Complaint.tracking_no.like(f"%{t.upper()}%", escape="\\"),
        Complaint.summary.like(like, escape="\\"),
        Complaint.respondent_name.like(like, escape="\\"),
        Complaint.complainant_id.in_(named),
    ]
    digits = digits_only(folded)
    if re.fullmatch(r"[\d\s\-]+", folded) and len(digits) == 13:
        found.append(Complaint.complainant_id.in_(select(Complainant.id).where(Complainant.citizen_id == digits)))
    elif re.fullmatch(r"[\d\s\-]+", folded) and len(digits) >= 4:
        found.append(Complaint.phone.like(f"%{digits}%"))
    return or_(*found)


def filters(
    session: Session,
    user: User,
    status: str | None = None,
    category_id: int | None = None,
    area_code: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[ColumnElement[bool]]:
    """The conditions on Complaint of the complaint list's filters, the area rules first: a
    status, a category, an area by code (it and the areas under it; an unknown code finds
    nothing) and the days received, in Thailand, from and to (both included)."""
    out = [visible(session, user)]
    if status:
        out.append(Complaint.status == S(status))
    if category_id:
        out.append(Complaint.category_id == category_id)
    if area_code:
        area = areas.by_code(session, area_code)
        out.append(Complaint.area_id.in_(areas.visible_area_ids(session, area) or {area.id}) if area else false())
    if date_from:  # days in Thailand
        out.append(Complaint.received_at >= day_start_utc(date_from))
    if date_to:
        out.append(Complaint.received_at < day_start_utc(date_to + dt.timedelta(days=1)))
    return out


def query(
    session: Session,
    user: User,
    status: str | None = None,
    category_id: int | None = None,
    area_code: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    overdue: bool = False,
    text: str | None = None,
    citizen_id: str | None = None,
    limit: int = 50,
    offset: int = 0,
    *,
    channel: str | None = None,
    subcategory_id: int | None = None,
    officer: str | None = None,
    open_only: bool = False,
    missing: str | None = None,
    closed_from: dt.date | None = None,
    closed_to: dt.date | None = None,
) -> tuple[int, list[Complaint]]:
    """The complaints this user may see, newest first, with the filters given; `text` finds a
    complaint by anything a caller may know of it (see _text_matches), `citizen_id` (13 digits)
    the complaints of one person at every centre the user may see. The dashboard's numbers open
    the list with the rest: a channel, a sub-category, an officer's id (or "none": nobody's), only
    the open ones, a data-completeness flag (records.statistics.COMPLETENESS), closed between two
    Thai days."""
    q = select(Complaint).where(*filters(session, user, status, category_id, area_code, date_from, date_to))
    if open_only:
        q = q.where(Complaint.status != S.closed)
    if subcategory_id:
        q = q.where(Complaint.subcategory_id == subcategory_id)
    if channel:
        q = q.where(Complaint.channel == channel)
    if officer == "none":
        q = q.where(Complaint.officer_id.is_(None))
    elif officer:
        q = q.where(Complaint.officer_id == int(officer) if officer.isdigit() else false())
    if missing:
        q = q.where(statistics.missing(missing))
    if closed_from:
        q = q.where(Complaint.closed_at >= day_start_utc(closed_from))
    if closed_to:
        q = q.where(Complaint.closed_at < day_start_utc(closed_to + dt.timedelta(days=1)))
    if overdue:
        q = q.where(statistics.overdue())
    if text:
        q = q.where(_text_matches(text))
    if citizen_id:
        q = q.where(Complaint.complainant_id.in_(select(Complainant.id).where(Complainant.citizen_id == citizen_id)))
    total = session.scalar(select(func.count()).select_from(q.subquery()))
    assert total is not None  # COUNT(*) gives one row, always
    rows = list(session.scalars(q.order_by(Complaint.received_at.desc()).limit(limit).offset(offset)))
    return total, rows


def public_timeline(db: Database, tracking_no: str, phone_last4: str) -> list[dict[str, str | None]] | None:
    """What a citizen may see with the tracking number and the last four digits of the phone
    given at intake: the status steps and their dates. No names, no ID numbers, no documents."""
    digits = digits_only(phone_last4)
    with db.session() as s:
        c = s.scalar(select(Complaint).where(Complaint.tracking_no == (tracking_no or "").strip().upper()))
        if c is None or len(digits) != 4 or not c.phone.endswith(digits):
            return None
        return [
            {"status": e.to_status, "at": e.at.isoformat(), "outcome": e.outcome}
            for e in s.scalars(
                select(ComplaintEvent).where(ComplaintEvent.complaint_id == c.id).order_by(ComplaintEvent.id)
            )
        ]

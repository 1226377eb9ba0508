"""What a peer tells this installation, taken in: a complaint forwarded or shared for co-handling
(opened here as a complaint of our own that keeps the sender's tracking number, its documents
taken from the originals the peer sent before, checked by SHA-256), and a status change of a
complaint shared with it (noted; a complaint we forwarded is closed here when the peer closes
it). Each message is taken once: the same message again gets the first answer and changes
nothing. A complaint whose route names this installation is refused (no loops)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ingest.pipeline import intake
from records import areas, audit, complainants, complaints, duplicates
from records.models import (
    Area,
    Category,
    Complainant,
    Complaint,
    ComplaintDocument,
    ComplaintEvent,
    ComplaintPeerLink,
    ComplaintStatus,
    IndexOutbox,
    Peer,
    PeerReceipt,
)
from records.peers import PeerActor, PeerError, instance_id
from thai.dates import parse_date, utcnow

MESSAGE_ID = re.compile(r"^[0-9a-fA-F-]{8,36}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
KINDS = ("forward", "cohandle", "status")


class MissingOriginals(PeerError):
    """The originals of the complaint's documents this installation does not hold yet: the
    sender sends them (PUT /peer/v1/objects/<sha256>) and the message again."""

    def __init__(self, missing: list[str]):
        super().__init__("peer_missing_object", sha256=", ".join(m[:12] for m in missing))
        self.missing = missing


def receive(archive, peer_id: int, message: Any) -> dict[str, Any]:
    """Take one message from the peer; the answer to send back (the same for the same message)."""
    if not isinstance(message, dict) or not MESSAGE_ID.match(str(message.get("message_id", ""))):
        raise PeerError("bad_value", field="message_id")
    if message.get("kind") not in KINDS:
        raise PeerError("bad_value", field="kind")
    first = _answered(archive, peer_id, message["message_id"])
    if first is not None:
        return first
    documents, area_id = [], None
    if message["kind"] != "status":
        area_id = _where(archive, peer_id, message)
        documents = _take_documents(archive, area_id, message)
    try:
        with archive.db.session() as s:
            peer = s.get(Peer, peer_id)
            assert peer is not None  # verified a moment ago; peers are never deleted
            if message["kind"] == "status":
                answer, complaint_id = _status(archive, s, peer, message)
            else:
                assert area_id is not None  # a forwarded or shared complaint: chosen above
                answer, complaint_id = _complaint(archive, s, peer, message, area_id, documents)
            s.add(
                PeerReceipt(
                    peer_id=peer.id,
                    message_id=message["message_id"],
                    kind=message["kind"],
                    complaint_id=complaint_id,
                    answer=answer,
                )
            )
            s.commit()
            return answer
    except IntegrityError:  # the same message, taken at the same moment by another process
        again = _answered(archive, peer_id, message["message_id"])
        if again is None:
            raise
        return again


def _answered(archive, peer_id: int, message_id: str) -> dict[str, Any] | None:
    with archive.db.session() as s:
        return s.scalar(
            select(PeerReceipt.answer).where(PeerReceipt.peer_id == peer_id, PeerReceipt.message_id == message_id)
        )


def _where(archive, peer_id: int, message: dict) -> int:
    """The id of the area a forwarded or shared complaint is filed at here (see _target_area)."""
    if not isinstance(message.get("complaint"), dict):
        raise PeerError("bad_value", field="complaint")
    with archive.db.session() as s:
        peer = s.get(Peer, peer_id)
        assert peer is not None  # verified a moment ago; peers are never deleted
        return _target_area(s, peer, message).id


def _take_documents(archive, area_id: int, message: dict) -> list[tuple[int, str, int]]:
    """The complaint's documents as documents of the centre it is filed at here: (document id,
    kind, position). Originals not held here yet are asked for (MissingOriginals): the sender
    sends them (PUT /peer/v1/objects/<sha256>) and the message again."""
    c = message["complaint"]
    listed = [d for d in c.get("documents") or [] if isinstance(d, dict)]
    if any(not SHA256.match(str(d.get("sha256", ""))) for d in listed):
        raise PeerError("bad_value", field="documents")
    missing = [d["sha256"] for d in listed if not archive.store.path_for(d["sha256"]).is_file()]
    if missing:  # asked for only once the complaint itself is one we take
        raise MissingOriginals(missing)
    out: list[tuple[int, str, int]] = []
    for d in listed:
        sha = d["sha256"]
        got = intake(archive, archive.store.path_for(sha), str(d.get("filename") or f"{sha[:12]}.bin"), area_id=area_id)
        if got.document_id is None:
            raise PeerError("bad_value", field=f"document {sha[:12]}: {got.error}")
        kind = str(d["kind"]) if d.get("kind") in complaints.DOCUMENT_KINDS else "evidence"
        out.append((got.document_id, kind, int(d.get("position") or len(out) + 1)))
    return out


def _target_area(s: Session, peer: Peer, message: dict) -> Area:
    """Where the complaint is filed here: the centre the sender named, if it is within what the
    peer may send to, or else the peer's own area here."""
    if instance_id(s) in (message.get("route") or []):
        raise PeerError("peer_loop", peer=peer.name)
    code = str(message.get("to_area") or "").strip()
    if not code:
        return peer.area
    dest = areas.by_code(s, code)
    if dest is None or not areas.within(s, peer.area, dest.id):
        raise PeerError("peer_area_refused", area=code)
    return dest


def _category(s: Session, c: dict) -> tuple[Category, Category | None, str]:
    """The sender's category by its Thai name; one we do not have is "other" with its name."""
    tops = s.scalars(select(Category).where(Category.parent_id.is_(None), Category.active.is_(True))).all()
    cat = next((t for t in tops if t.name_th == c.get("category")), None)
    text = str(c.get("subcategory_text") or "")
    if cat is None:
        cat = next(t for t in tops if t.needs_detail)
        text = " / ".join(x for x in (str(c.get("category") or ""), str(c.get("subcategory") or ""), text) if x)
    sub = s.scalar(select(Category).where(Category.parent_id == cat.id, Category.name_th == c.get("subcategory")))
    if cat.needs_detail and not text:
        text = str(c.get("category") or "-")
    return cat, sub, text[:256]


def _complainant(s: Session, area: Area, person: Any) -> Complainant | None:
    if not isinstance(person, dict) or not person.get("citizen_id"):
        return None
    number = str(person["citizen_id"])
    own = complainants.of_area(s, number, area.id)
    if own is not None:
        return own
    own = Complainant(citizen_id=number, area_id=area.id, source=str(person.get("source") or "typed")[:8])
    for f in (*complainants.NAME_FIELDS, "gender", "phone"):
        if f in person:
            setattr(own, f, str(person.get(f) or ""))
    address = person.get("address")
    own.address = address if isinstance(address, dict) else {}
    if person.get("birth_date"):
        try:
            own.birth_date = dt.date.fromisoformat(str(person["birth_date"]))
        except ValueError:
            own.birth_date = None
    s.add(own)
    return own


def _float(v: Any) -> float | None:
    try:
        return float(v) if v not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _complaint(archive, s: Session, peer: Peer, message: dict, area_id: int, documents: list) -> tuple[dict, int]:
    c = message["complaint"]
    sender_ref = str(c.get("tracking_no") or "")[:32]
    if not sender_ref:
        raise PeerError("bad_value", field="tracking_no")
    area = s.get(Area, area_id)
    assert area is not None  # chosen among the areas a moment ago
    cat, sub, text = _category(s, c)
    now = utcnow()
    try:
        due = parse_date(str(c["due_date"])) if c.get("due_date") else None
    except ValueError:
        due = None
    incident = [*(c.get("incident") or []), "", "", ""][:3]
    mine = Complaint(
        area_id=area.id,
        received_at=now,
        channel=c.get("channel") if c.get("channel") in complaints.CHANNELS else "other",
        phone=str(c.get("phone") or "")[:32],
        address=str(c.get("address") or ""),
        respondent_kind=c.get("respondent_kind") if c.get("respondent_kind") in complaints.RESPONDENT_KINDS else "",
        respondent_name=str(c.get("respondent_name") or "")[:256],
        category_id=cat.id,
        subcategory_id=sub.id if sub else None,
        subcategory_text=text,
        incident_province=str(incident[0] or ""),
        incident_district=str(incident[1] or ""),
        incident_subdistrict=str(incident[2] or ""),
        latitude=_float(c.get("latitude")),
        longitude=_float(c.get("longitude")),
        summary=str(c.get("summary") or ""),
        due_date=due if due and due >= now.date() else now.date() + dt.timedelta(days=complaints.DEFAULT_DAYS),
        status=ComplaintStatus.received,
        tracking_no=complaints.next_tracking_no(s, area, now),
    )
    mine.complainant = _complainant(s, area, c.get("complainant"))
    s.add(mine)
    s.flush()
    duplicates.remember(s, mine)
    mode = "forward" if message["kind"] == "forward" else "cohandle"
    verb = "ส่งต่อมาจาก" if mode == "forward" else "ขอให้ร่วมดำเนินการโดย"
    reason = str(message.get("reason") or "")
    s.add(
        ComplaintEvent(
            complaint_id=mine.id,
            from_status=None,
            to_status=ComplaintStatus.received.value,
            reason=f"{verb} {peer.name} ({sender_ref}): {reason}"[:4000],
            at=now,
        )
    )
    for document_id, kind, position in documents:
        s.add(ComplaintDocument(complaint_id=mine.id, document_id=document_id, kind=kind, position=position))
        s.add(IndexOutbox(document_id=document_id, op="upsert"))
    history = [e for e in (c.get("events") or []) if isinstance(e, dict)][:500]
    s.add(
        ComplaintPeerLink(
            complaint_id=mine.id,
            peer_id=peer.id,
            direction="received",
            mode=mode,
            remote_ref=sender_ref,
            remote_status=str(c.get("status") or "")[:16],
            remote_updated_at=now,
            route=[str(i) for i in (message.get("route") or [])][:20],
            history=history,
        )
    )
    audit.record(
        archive.db,
        "peer_receive",
        "complaint",
        mine.tracking_no,
        user=PeerActor.of(peer),
        after={
            "peer": peer.name,
            "mode": mode,
            "their_ref": sender_ref,
            "message_id": message["message_id"],
            "documents": len(documents),
        },
        session=s,
    )
    return {"ref": mine.tracking_no, "status": mine.status.value}, mine.id


def link_for(s: Session, peer: Peer, ref: str, sender_ref: str) -> ComplaintPeerLink | None:
    """Our link with the peer for the complaint it calls `sender_ref` and we call `ref`."""
    link = None
    if ref:
        link = s.scalar(
            select(ComplaintPeerLink)
            .join(Complaint, Complaint.id == ComplaintPeerLink.complaint_id)
            .where(ComplaintPeerLink.peer_id == peer.id, Complaint.tracking_no == ref)
        )
    if link is None and sender_ref:
        link = s.scalar(
            select(ComplaintPeerLink).where(
                ComplaintPeerLink.peer_id == peer.id, ComplaintPeerLink.remote_ref == sender_ref
            )
        )
    return link


def apply_status(archive, s: Session, peer: Peer, link: ComplaintPeerLink, news: dict) -> bool:
    """Note the peer's status of the shared complaint; a complaint we forwarded there is closed
    here when it closes it. True when anything changed."""
    status, outcome = str(news.get("status") or "")[:16], str(news.get("outcome") or "")[:32]
    reason = str(news.get("reason") or "")[:4000]
    if (link.remote_status, link.remote_outcome, link.remote_reason) == (status, outcome, reason):
        return False
    link.remote_status, link.remote_outcome, link.remote_reason = status, outcome, reason
    link.remote_updated_at = utcnow()
    c = s.get(Complaint, link.complaint_id)
    assert c is not None  # complaints are never deleted
    if (
        link.direction == "sent"
        and link.mode == "forward"
        and status == "closed"
        and c.status != ComplaintStatus.closed
    ):
        ours = outcome if outcome in complaints.OUTCOMES and outcome != "duplicate" else "resolved"
        complaints.move(
            archive.db,
            s,
            PeerActor.of(peer),
            c,
            "closed",
            f"ปิดเรื่องที่ {peer.name} ({link.remote_ref}): {reason}",
            outcome=ours,
            told_by_peer=peer.id,
        )
    audit.record(
        archive.db,
        "peer_status",
        "complaint",
        c.tracking_no,
        user=PeerActor.of(peer),
        after={"peer": peer.name, "status": status, "outcome": outcome, "their_ref": link.remote_ref},
        session=s,
    )
    return True


def _status(archive, s: Session, peer: Peer, message: dict) -> tuple[dict, int]:
    sender_ref = str(message.get("sender_ref") or "")
    link = link_for(s, peer, str(message.get("ref") or ""), sender_ref)
    if link is None:
        raise PeerError("not_found", field="complaint")
    if not link.remote_ref and sender_ref:
        link.remote_ref = sender_ref[:32]
    apply_status(archive, s, peer, link, message)
    return {"ok": True}, link.complaint_id


def status_of(s: Session, peer: Peer, tracking_no: str) -> dict[str, Any] | None:
    """A complaint shared with the peer, as the peer may poll it (None: not shared with it)."""
    link = s.scalar(
        select(ComplaintPeerLink)
        .join(Complaint, Complaint.id == ComplaintPeerLink.complaint_id)
        .where(ComplaintPeerLink.peer_id == peer.id, Complaint.tracking_no == tracking_no)
    )
    if link is None:
        return None
    c = s.get(Complaint, link.complaint_id)
    assert c is not None
    last = c.events[-1] if c.events else None
    return {
        "ref": c.tracking_no,
        "status": c.status.value,
        "outcome": c.outcome or "",
        "reason": last.reason if last else "",
        "updated_at": c.updated_at.isoformat() if c.updated_at else None,
    }

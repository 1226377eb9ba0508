"""What this installation tells its peers, written to the outbox (PeerMessage) in the same
transaction as the change: a complaint forwarded or shared for co-handling (the complaint, its
complainant, its history and its documents' list), and each later status change of a complaint
shared with a peer. exchange.courier sends them; nothing here speaks to the network.

A complaint never goes round in a loop: it is not sent back to the peer it came from, and each
message carries the route of installations it has been through (the receiver refuses one that
names itself)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from records import peers
from records.models import (
    Complaint,
    ComplaintEvent,
    ComplaintPeerLink,
    Peer,
    PeerMessage,
)


def _iso(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


def complaint_payload(s: Session, c: Complaint) -> dict[str, Any]:
    """Everything the receiver needs to open its own complaint: the details, the complainant,
    the history and the documents (by SHA-256; the originals go separately, once)."""
    person = c.complainant
    return {
        "tracking_no": c.tracking_no,
        "received_at": _iso(c.received_at),
        "channel": c.channel,
        "phone": c.phone,
        "address": c.address,
        "respondent_kind": c.respondent_kind,
        "respondent_name": c.respondent_name,
        "category": c.category.name_th,
        "subcategory": c.subcategory.name_th if c.subcategory else "",
        "subcategory_text": c.subcategory_text,
        "incident": [c.incident_province, c.incident_district, c.incident_subdistrict],
        "latitude": c.latitude,
        "longitude": c.longitude,
        "summary": c.summary,
        "due_date": _iso(c.due_date),
        "status": c.status.value,
        "complainant": None
        if person is None
        else {
            "citizen_id": person.citizen_id,
            "prefix_th": person.prefix_th,
            "first_name_th": person.first_name_th,
            "middle_name_th": person.middle_name_th,
            "last_name_th": person.last_name_th,
            "prefix_en": person.prefix_en,
            "first_name_en": person.first_name_en,
            "middle_name_en": person.middle_name_en,
            "last_name_en": person.last_name_en,
            "birth_date": _iso(person.birth_date),
            "gender": person.gender,
            "address": person.address,
            "phone": person.phone,
            "source": person.source,
        },
        "events": [
            {
                "at": _iso(e.at),
                "from": e.from_status,
                "to": e.to_status,
                "outcome": e.outcome,
                "reason": e.reason,
                "by": e.user.name if e.user else "",
            }
            for e in c.events
        ],
        "documents": [
            {
                "sha256": d.document.sha256,
                "filename": d.document.filename,
                "size": d.document.size_bytes,
                "kind": d.kind,
                "position": d.position,
            }
            for d in c.documents
        ],
    }


def enqueue(s: Session, peer: Peer, kind: str, c: Complaint, payload: dict[str, Any]) -> PeerMessage:
    message = PeerMessage(peer_id=peer.id, message_id=str(uuid.uuid4()), kind=kind, complaint_id=c.id, payload=payload)
    message.payload = {**payload, "message_id": message.message_id, "kind": kind}
    s.add(message)
    return message


def route_of(s: Session, c: Complaint) -> list[str]:
    """The installations the complaint has been through, this one last."""
    came = s.scalars(
        select(ComplaintPeerLink.route).where(
            ComplaintPeerLink.complaint_id == c.id, ComplaintPeerLink.direction == "received"
        )
    ).all()
    route: list[str] = [i for r in came for i in (r or [])]
    me = peers.instance_id(s)
    return [*dict.fromkeys(i for i in route if i != me), me]


def tell_status(s: Session, c: Complaint, event: ComplaintEvent, but: int | None = None) -> None:
    """A status message to each peer the complaint is shared with (but `but`, which told us)."""
    links = s.scalars(select(ComplaintPeerLink).where(ComplaintPeerLink.complaint_id == c.id)).all()
    for link in links:
        if link.peer_id == but or not link.peer.active:
            continue
        enqueue(
            s,
            link.peer,
            "status",
            c,
            {
                "sender_ref": c.tracking_no,
                "status": event.to_status,
                "outcome": event.outcome or "",
                "reason": event.reason,
                "at": _iso(event.at) if event.at else None,
            },
        )


def of_complaint(s: Session, complaint_id: int) -> tuple[list[ComplaintPeerLink], list[PeerMessage]]:
    """The complaint's links with peers and its messages to them (oldest first), for its page."""
    links = s.scalars(
        select(ComplaintPeerLink).where(ComplaintPeerLink.complaint_id == complaint_id).order_by(ComplaintPeerLink.id)
    ).all()
    messages = s.scalars(
        select(PeerMessage).where(PeerMessage.complaint_id == complaint_id).order_by(PeerMessage.id)
    ).all()
    return list(links), list(messages)

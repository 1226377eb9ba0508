"""Forwarding a complaint to another installation, or sharing it for co-handling: the checks
(who may, to which peer, never back where it came from), the complaint's own change and the
outbox message, in one transaction (records.peer_outbox holds what the message says)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from records import audit, complaints, peer_outbox, peers
from records.models import ComplaintPeerLink, ComplaintStatus, PeerMessage, Role, User
from thai.errors import CodedError

if TYPE_CHECKING:
    from records.db import Database

MODES = ("forward", "cohandle")


class ExchangeError(CodedError):
    """A forward or co-handling request refused; `code` says why."""


def forward(
    db: Database,
    user: User,
    complaint_id: int,
    peer_name: str,
    *,
    mode: str = "forward",
    reason: str = "",
    to_area: str = "",
) -> PeerMessage:
    """Send the complaint to the peer `peer_name`: handed over (`forward`: it is `forwarded`
    here, and closed here when the peer closes it) or handled by both (`cohandle`: it stays
    as it is). The message goes out with the next courier round; returns it (not sent yet)."""
    if user.role not in (Role.officer, Role.admin):
        raise ExchangeError("forbidden")
    if mode not in MODES:
        raise ExchangeError("bad_value", field="mode")
    reason = (reason or "").strip()
    if not reason:
        raise ExchangeError("reason_required")
    with db.session() as s:
        c = complaints.get(s, user, complaint_id)
        if c is None:
            raise ExchangeError("not_found", field="complaint")
        peer = peers.by_name(s, peer_name)
        if not peer.active or not peer.outbound_credential:
            raise ExchangeError("peer_no_credential")
        links = s.scalars(
            select(ComplaintPeerLink).where(
                ComplaintPeerLink.complaint_id == c.id, ComplaintPeerLink.peer_id == peer.id
            )
        ).all()
        if any(link.direction == "received" for link in links):
            raise ExchangeError("peer_loop", peer=peer.name)
        if any(link.direction == "sent" for link in links):
            raise ExchangeError("peer_sent_already", peer=peer.name)
        if c.status == ComplaintStatus.closed:
            raise ExchangeError("peer_closed")
        if mode == "forward":
            complaints.move(db, s, user, c, "forwarded", f"{reason} → {peer.name}", to_peer=peer.name)
        s.add(ComplaintPeerLink(complaint_id=c.id, peer_id=peer.id, direction="sent", mode=mode, route=[]))
        s.flush()
        s.refresh(c)
        payload = {
            "route": peer_outbox.route_of(s, c),
            "reason": reason,
            "to_area": to_area.strip().upper(),
            "complaint": peer_outbox.complaint_payload(s, c),
        }
        message = peer_outbox.enqueue(s, peer, mode, c, payload)
        audit.record(
            db,
            "peer_send",
            "complaint",
            c.tracking_no,
            user=user,
            after={"peer": peer.name, "mode": mode, "message_id": message.message_id, "reason": reason},
            session=s,
        )
        s.commit()
        s.refresh(message)
        s.expunge(message)
        return message

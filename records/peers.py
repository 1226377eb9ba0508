"""The peers this installation exchanges complaints with, and how their requests are signed.

A peer is another Damrong installation (a district's, a province's, the ministry's). Each side
makes a credential for the other — `dmr1.<key id>.<secret>` — shown once when the peer is added
and handed to the other side's administrator, who adds it with `--credential`. Every request
between them is signed with it: HMAC-SHA256 over the time, the method, the path and the body's
SHA-256, sent as `X-Damrong-Key`, `X-Damrong-Timestamp` and `X-Damrong-Signature`. A request
more than five minutes old or new, or signed with anything else, is refused; the receiver
answers each message once (records.peer_messages), so a replayed request changes nothing."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from records import areas, audit
from records.models import Area, AreaKind, Installation, Peer, User
from thai.errors import CodedError

if TYPE_CHECKING:
    from records.db import Database

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
CREDENTIAL = re.compile(r"^dmr1\.([0-9a-f]{16})\.([A-Za-z0-9_-]{32,86})$")
MAX_SKEW_S = 300
KEY_HEADER, TIME_HEADER, SIGNATURE_HEADER = "X-Damrong-Key", "X-Damrong-Timestamp", "X-Damrong-Signature"


class PeerError(CodedError):
    """A peer request refused, or a peer that cannot be added as asked; `code` says why."""


@dataclass(frozen=True)
class PeerActor:
    """Who a change a peer told us of is recorded as (the event's user, the audit's name)."""

    name: str
    id: None = None

    @staticmethod
    def of(peer: Peer) -> User:
        return cast(User, PeerActor(f"peer {peer.name}"))


def instance_id(s: Session) -> str:
    """This installation's id, made the first time it is asked for."""
    row = s.scalar(select(Installation).limit(1))
    if row is None:
        row = Installation(instance_id=str(uuid.uuid4()))
        s.add(row)
        s.flush()
    return row.instance_id


def new_credential() -> tuple[str, str, str]:
    """(credential, key id, secret) for a peer to sign its requests to us with."""
    key_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    return f"dmr1.{key_id}.{secret}", key_id, secret


def _check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PeerError("bad_value", field="url")
    return url.strip().rstrip("/")


def add(
    db: Database, name: str, url: str, *, area_code: str = "", credential: str = "", by: User | None = None
) -> tuple[Peer, str]:
    """Register the peer `name` at `url` (or change its address, area and the credential it gave
    us, when it is registered already). Returns the peer and the credential made for it to use
    (only when it is new: shown once, never again). Complaints it sends are filed within
    `area_code` (default: the whole country)."""
    if not NAME.match(name or ""):
        raise PeerError("bad_value", field="name")
    url = _check_url(url)
    if credential and not CREDENTIAL.match(credential.strip()):
        raise PeerError("bad_value", field="credential")
    with db.session() as s:
        area = areas.by_code(s, area_code) if area_code else s.scalar(select(Area).where(Area.kind == AreaKind.central))
        if area is None:
            raise PeerError("not_found", field="area")
        peer = s.scalar(select(Peer).where(Peer.name == name))
        made = ""
        if peer is None:
            made, key_id, secret = new_credential()
            peer = Peer(name=name, url=url, area_id=area.id, inbound_key_id=key_id, inbound_secret=secret)
            s.add(peer)
            action = "peer_add"
        else:
            peer.url, action = url, "peer_change"
            if area_code:
                peer.area_id = area.id
        if credential:
            peer.outbound_credential = credential.strip()
        peer.active = True
        instance_id(s)
        s.flush()
        audit.record(
            db,
            action,
            "peer",
            name,
            user=by,
            after={"url": url, "area": area.code, "credential_given": bool(credential)},
            session=s,
        )
        s.commit()
        s.refresh(peer)
        s.expunge(peer)
        return peer, made


def rekey(db: Database, name: str, by: User | None = None) -> str:
    """A new credential for the peer to sign with (the old one stops working at once)."""
    with db.session() as s:
        peer = by_name(s, name)
        made, peer.inbound_key_id, peer.inbound_secret = new_credential()
        audit.record(db, "peer_rekey", "peer", name, user=by, session=s)
        s.commit()
        return made


def remove(db: Database, name: str, by: User | None = None) -> None:
    """Stop exchanging with the peer: its requests are refused, nothing more is sent to it; what
    it sent and what was sent to it stays."""
    with db.session() as s:
        by_name(s, name).active = False
        audit.record(db, "peer_remove", "peer", name, user=by, session=s)
        s.commit()


def by_name(s: Session, name: str) -> Peer:
    peer = s.scalar(select(Peer).where(Peer.name == name))
    if peer is None:
        raise PeerError("not_found", field="peer")
    return peer


def as_json(p: Peer) -> dict[str, object]:
    """What `damrong peer list` shows of a peer (never a secret)."""
    return {
        "name": p.name,
        "url": p.url,
        "area": p.area.code if p.area else None,
        "active": p.active,
        "state": p.state,
        "last_error": p.last_error,
        "last_contact_at": p.last_contact_at.isoformat() if p.last_contact_at else None,
        "can_send": bool(p.outbound_credential),
        "key_id": p.inbound_key_id,
    }


def overview(s: Session) -> list[dict[str, object]]:
    """Every peer as `as_json` shows it, with its messages counted by state (waiting, sent,
    refused) and its last contact: the peers page and `damrong peer list`."""
    from sqlalchemy import func

    from records.models import PeerMessage

    counted = s.execute(
        select(PeerMessage.peer_id, PeerMessage.state, func.count()).group_by(PeerMessage.peer_id, PeerMessage.state)
    ).all()
    n = {(peer_id, state): k for peer_id, state, k in counted}
    return [
        {
            **as_json(p),
            "waiting": n.get((p.id, "pending"), 0),
            "sent": n.get((p.id, "sent"), 0),
            "refused": n.get((p.id, "refused"), 0),
            "last_contact": p.last_contact_at,
        }
        for p in s.scalars(select(Peer).order_by(Peer.name))
    ]


# --- signing -------------------------------------------------------------------------------


def _mac(secret: str, stamp: str, method: str, path: str, body_sha256: str) -> str:
    text = f"{stamp}\n{method.upper()}\n{path}\n{body_sha256}"
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


def signed_headers(
    credential: str, method: str, path: str, body: bytes = b"", body_sha256: str = "", now: float | None = None
) -> dict[str, str]:
    """The headers that sign a request to a peer with the credential it gave us (over the body,
    or over its SHA-256 when the body is a file sent as a stream)."""
    body_sha256 = body_sha256 or hashlib.sha256(body).hexdigest()
    m = CREDENTIAL.match(credential)
    if m is None:
        raise PeerError("peer_no_credential")
    stamp = str(int(now if now is not None else time.time()))
    return {
        KEY_HEADER: m.group(1),
        TIME_HEADER: stamp,
        SIGNATURE_HEADER: _mac(m.group(2), stamp, method, path, body_sha256),
    }


def verify(s: Session, headers: Mapping[str, str], method: str, path: str, body_sha256: str) -> Peer:
    """The active peer that signed this request (its body's SHA-256 given); PeerError
    ("peer_bad_signature") for anything unsigned, signed by an unknown or removed key, tampered
    with, or more than five minutes off."""
    key_id, stamp, signature = (headers.get(h, "") for h in (KEY_HEADER, TIME_HEADER, SIGNATURE_HEADER))
    peer = s.scalar(select(Peer).where(Peer.inbound_key_id == key_id)) if key_id else None
    if peer is None or not peer.active or not stamp.isdigit() or abs(time.time() - int(stamp)) > MAX_SKEW_S:
        raise PeerError("peer_bad_signature")
    if not hmac.compare_digest(_mac(peer.inbound_secret, stamp, method, path, body_sha256), signature):
        raise PeerError("peer_bad_signature")
    return peer

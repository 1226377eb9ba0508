"""The courier: sends the outbox (records.peer_outbox) to each peer, in order, signed; sends a
complaint's originals when the peer asks for them (the ones it does not hold, each once, checked
there by SHA-256), then the message again; keeps a
message until the peer has answered it, trying again later — 2, 4, 8 … seconds apart, at most
`peer_retry_max_s` — when the link is down, the peer times out or answers garbage; and asks
the peers, every `peer_poll_s`, how the complaints forwarded to them stand (the fallback for a
status push that never came). A peer is sent to by one courier at a time (a lease on its row),
whichever process runs it: the web process of an embedded home, or `damrong worker`."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from typing import Any

import requests
from sqlalchemy import or_, select, update

from exchange.inbox import apply_status
from records.models import ComplaintPeerLink, ComplaintStatus, Peer, PeerMessage
from records.peers import signed_headers
from thai.dates import utcnow

log = logging.getLogger(__name__)
LEASE_S = 120
REFUSED_FOR_GOOD = {409, 410, 413, 422}  # the peer will never take this message
JSON = "application/json"


class Undelivered(Exception):
    """The peer did not take the message: `state` is how the peer stands (unreachable,
    bad_answer, refused); `final` when it never will (the message is then refused here too)."""

    def __init__(self, state: str, detail: str, final: bool = False):
        super().__init__(detail)
        self.state, self.detail, self.final = state, detail, final


class Courier:
    def __init__(self, archive, poll_s: float = 1.0):
        self.archive = archive
        self.settings = archive.settings
        self.poll_s = poll_s
        self.stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_poll = 0.0

    # --- running ---------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="peer-courier", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def shutdown(self) -> None:
        self.stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        while not self.stop.is_set():
            try:
                self.run_once()
                if self.settings.peer_poll_s > 0 and time.time() - self._last_poll > self.settings.peer_poll_s:
                    self._last_poll = time.time()
                    self.poll()
            except Exception:  # the courier keeps going: the next round tries again
                log.exception("peer courier round failed")
            self._wake.wait(self.poll_s)
            self._wake.clear()

    def run_once(self, now: bool = False) -> dict[str, int]:
        """One round: every peer with messages due gets them, oldest first, until one is not
        taken. `now`: also the ones waiting to be tried again. Counts sent, waiting, refused."""
        counts = {"sent": 0, "waiting": 0, "refused": 0}
        with self.archive.db.session() as s:
            peer_ids = s.scalars(select(PeerMessage.peer_id).where(PeerMessage.state == "pending").distinct()).all()
        for peer_id in peer_ids:
            if not self._lease(peer_id):
                continue
            try:
                self._send_peer(peer_id, now, counts)
            finally:
                self._release(peer_id)
        return counts

    def _lease(self, peer_id: int) -> bool:
        at = utcnow()
        with self.archive.db.session() as s:
            taken = s.execute(
                update(Peer)
                .where(Peer.id == peer_id, Peer.active.is_(True), or_(Peer.busy_until.is_(None), Peer.busy_until < at))
                .values(busy_until=at + dt.timedelta(seconds=LEASE_S))
            ).rowcount
            s.commit()
            return bool(taken)

    def _release(self, peer_id: int) -> None:
        with self.archive.db.session() as s:
            s.execute(update(Peer).where(Peer.id == peer_id).values(busy_until=None))
            s.commit()

    def _send_peer(self, peer_id: int, now: bool, counts: dict[str, int]) -> None:
        while not self.stop.is_set():
            with self.archive.db.session() as s:
                peer = s.get(Peer, peer_id)
                message = s.scalar(
                    select(PeerMessage)
                    .where(PeerMessage.peer_id == peer_id, PeerMessage.state == "pending")
                    .order_by(PeerMessage.id)
                    .limit(1)
                )
                if peer is None or message is None or not peer.outbound_credential:
                    return
                if not now and message.next_attempt_at > utcnow():
                    counts["waiting"] += 1
                    return  # in order: nothing after it goes before it
                payload = self._filled(s, message)
                url, credential, message_pk = peer.url, peer.outbound_credential, message.id
            try:
                answer = self._deliver(url, credential, payload)
            except Undelivered as e:
                self._failed(peer_id, message_pk, e)
                counts["refused" if e.final else "waiting"] += 1
                if not e.final:
                    return
                continue
            self._delivered(peer_id, message_pk, answer)
            counts["sent"] += 1

    def _filled(self, s, message: PeerMessage) -> dict[str, Any]:
        """The message as sent: a status message names the peer's own number for the complaint
        (known only once the peer answered the forward)."""
        payload = dict(message.payload)
        if message.kind == "status" and not payload.get("ref"):
            payload["ref"] = (
                s.scalar(
                    select(ComplaintPeerLink.remote_ref).where(
                        ComplaintPeerLink.complaint_id == message.complaint_id,
                        ComplaintPeerLink.peer_id == message.peer_id,
                    )
                )
                or ""
            )
        return payload

    # --- the wire --------------------------------------------------------------------------

    def _request(self, method: str, url: str, path: str, credential: str, **kw) -> requests.Response:
        body = kw.pop("body", b"")
        headers = signed_headers(credential, method, path, body, kw.pop("body_sha256", ""))
        headers.update(kw.pop("headers", {}))
        try:
            return requests.request(
                method, url + path, data=kw.pop("data", body), headers=headers, timeout=self.settings.peer_timeout_s
            )
        except requests.Timeout:
            raise Undelivered("unreachable", f"no answer within {self.settings.peer_timeout_s:g} s") from None
        except requests.RequestException as e:
            raise Undelivered("unreachable", f"cannot connect: {type(e).__name__}") from None

    @staticmethod
    def _json(r: requests.Response) -> dict[str, Any]:
        try:
            got = r.json()
        except ValueError:
            got = None
        if not isinstance(got, dict):
            raise Undelivered("bad_answer", f"HTTP {r.status_code}, not a JSON object: {r.text[:120]!r}")
        return got

    def _refusal(self, r: requests.Response) -> Undelivered:
        if r.status_code >= 500 or r.status_code < 400:
            return Undelivered("bad_answer", f"HTTP {r.status_code}: {r.text[:120]!r}")
        try:
            body = r.json()
            code = body.get("error", "") if isinstance(body, dict) else ""
            said = f"{code}: {body.get('message', '')}" if code else r.text[:120]
        except ValueError:
            code, said = "", r.text[:120]
        # a bad signature is the credential's fault: fixed by the administrators, then sent
        final = r.status_code in REFUSED_FOR_GOOD or (r.status_code in (403, 404) and code != "peer_bad_signature")
        return Undelivered("refused", f"HTTP {r.status_code} {said}", final=final)

    def _send_originals(self, url: str, credential: str, payload: dict[str, Any], missing: Any) -> None:
        """The originals the peer asked for, each checked there by its SHA-256 (only ones the
        message lists: a peer cannot ask for anything else of ours)."""
        listed = {d["sha256"] for d in (payload.get("complaint") or {}).get("documents") or []}
        if not isinstance(missing, list) or not missing or not set(missing) <= listed:
            raise Undelivered("bad_answer", f"asked for originals the message does not list: {str(missing)[:120]}")
        for sha in missing:
            path = f"/peer/v1/objects/{sha}"
            with open(self.archive.store.path_for(sha), "rb") as f:
                r = self._request(
                    "PUT",
                    url,
                    path,
                    credential,
                    data=f,
                    body_sha256=sha,
                    headers={"Content-Type": "application/octet-stream"},
                )
            if r.status_code not in (200, 201):
                raise self._refusal(r)

    def _deliver(self, url: str, credential: str, payload: dict[str, Any]) -> dict[str, Any]:
        import json

        body = json.dumps(payload, ensure_ascii=False, default=str).encode()
        r = self._request("POST", url, "/peer/v1/messages", credential, body=body, headers={"Content-Type": JSON})
        if r.status_code == 409 and payload.get("kind") in ("forward", "cohandle"):
            asked = self._json(r)
            if asked.get("error") == "peer_missing_object":  # the complaint is taken: its originals, then again
                self._send_originals(url, credential, payload, asked.get("missing"))
                r = self._request(
                    "POST", url, "/peer/v1/messages", credential, body=body, headers={"Content-Type": JSON}
                )
        if r.status_code != 200:
            raise self._refusal(r)
        answer = self._json(r)
        if payload.get("kind") in ("forward", "cohandle") and not isinstance(answer.get("ref"), str):
            raise Undelivered("bad_answer", f"no tracking number in the answer: {str(answer)[:120]}")
        return answer

    def hello(self, url: str, credential: str) -> dict[str, Any]:
        """Ask the peer at `url` who it is, signed with `credential` (Undelivered otherwise)."""
        r = self._request("GET", url, "/peer/v1/hello", credential)
        if r.status_code != 200:
            raise self._refusal(r)
        return self._json(r)

    # --- the outcome -----------------------------------------------------------------------

    def _failed(self, peer_id: int, message_pk: int, e: Undelivered) -> None:
        at = utcnow()
        with self.archive.db.session() as s:
            m = s.get(PeerMessage, message_pk)
            peer = s.get(Peer, peer_id)
            assert m is not None and peer is not None
            m.attempts += 1
            m.last_error = e.detail[:2000]
            if e.final:
                m.state = "refused"
            wait = min(2.0**m.attempts, self.settings.peer_retry_max_s)
            m.next_attempt_at = at + dt.timedelta(seconds=wait)
            peer.state, peer.last_error = e.state, e.detail[:2000]
            s.commit()
        log.warning("peer %s: message %s not delivered (%s)", peer_id, message_pk, e.state)

    def _delivered(self, peer_id: int, message_pk: int, answer: dict[str, Any]) -> None:
        at = utcnow()
        with self.archive.db.session() as s:
            m = s.get(PeerMessage, message_pk)
            peer = s.get(Peer, peer_id)
            assert m is not None and peer is not None
            m.state, m.sent_at, m.answer, m.attempts = "sent", at, answer, m.attempts + 1
            m.last_error = ""
            peer.state, peer.last_error, peer.last_contact_at = "ok", "", at
            if m.kind in ("forward", "cohandle"):
                link = s.scalar(
                    select(ComplaintPeerLink).where(
                        ComplaintPeerLink.complaint_id == m.complaint_id,
                        ComplaintPeerLink.peer_id == peer_id,
                        ComplaintPeerLink.direction == "sent",
                    )
                )
                if link is not None:
                    link.remote_ref = str(answer["ref"])[:32]
                    link.remote_status = str(answer.get("status") or "received")[:16]
                    link.remote_updated_at = at
            s.commit()

    # --- polling ---------------------------------------------------------------------------

    def poll(self) -> int:
        """Ask each peer how the complaints we forwarded to it stand; the ones that changed are
        noted (and closed here when closed there). Returns how many changed."""
        changed = 0
        with self.archive.db.session() as s:
            rows = s.execute(
                select(ComplaintPeerLink.id, ComplaintPeerLink.remote_ref, Peer.url, Peer.outbound_credential)
                .join(Peer, Peer.id == ComplaintPeerLink.peer_id)
                .where(
                    ComplaintPeerLink.direction == "sent",
                    ComplaintPeerLink.remote_ref != "",
                    ComplaintPeerLink.remote_status != ComplaintStatus.closed.value,
                    Peer.active.is_(True),
                    Peer.outbound_credential != "",
                )
            ).all()
        for link_id, ref, url, credential in rows:
            try:
                r = self._request("GET", url, f"/peer/v1/complaints/{ref}", credential)
                if r.status_code != 200:
                    continue
                news = self._json(r)
            except Undelivered:
                continue
            with self.archive.db.session() as s:
                link = s.get(ComplaintPeerLink, link_id)
                assert link is not None
                if apply_status(self.archive, s, link.peer, link, news):
                    changed += 1
                s.commit()
        return changed

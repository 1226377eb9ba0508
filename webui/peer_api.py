"""The endpoints other Damrong installations call (/peer/v1), each request signed by the peer
(records.peers.verify): who we are (hello), the originals of a complaint's documents (the ones
a message's answer asked for, checked on arrival), the messages (a complaint forwarded or shared, a
status change), and the status of a complaint shared with the asking peer (its polling).
No session, no CSRF token: the signature is the credential. Errors are JSON like the API's."""

from __future__ import annotations

import hashlib
import re

from flask import Blueprint, current_app, jsonify, request

from exchange import inbox
from records.object_store import StoreError
from records.peers import KEY_HEADER, SIGNATURE_HEADER, TIME_HEADER, PeerError, instance_id, verify

bp = Blueprint("peer_api", __name__, url_prefix="/peer/v1")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
STATUS = {
    "peer_bad_signature": 401,
    "peer_area_refused": 403,
    "not_found": 404,
    "peer_loop": 409,
    "peer_missing_object": 409,
    "peer_object_mismatch": 422,
    "bad_value": 422,
}


def _archive():
    return current_app.extensions["archive"]


def _refused(e: PeerError):
    body: dict[str, object] = {"error": e.code, "message": e.message("en"), "message_th": e.message("th")}
    if isinstance(e, inbox.MissingOriginals):
        body["missing"] = e.missing
    return jsonify(body), STATUS.get(e.code, 400)


def _peer(s, body_sha256: str | None = None):
    """The peer that signed this request (PeerError otherwise)."""
    if body_sha256 is None:
        body_sha256 = hashlib.sha256(request.get_data(cache=True)).hexdigest()
    signed = {h: request.headers.get(h, "") for h in (KEY_HEADER, TIME_HEADER, SIGNATURE_HEADER)}
    return verify(s, signed, request.method, request.path, body_sha256)


@bp.errorhandler(PeerError)
def _peer_error(e: PeerError):
    return _refused(e)


@bp.get("/hello")
def hello():
    with _archive().db.session() as s:
        peer = _peer(s)
        me = instance_id(s)
        s.commit()
        return jsonify({"instance_id": me, "you": peer.name})


@bp.put("/objects/<sha256>")
def object_(sha256: str):
    """An original this installation asked for (a message's 409 peer_missing_object), stored
    only when its bytes hash to the name (a cut-off upload is never stored)."""
    if not SHA256.match(sha256):
        raise PeerError("bad_value", field="sha256")
    archive = _archive()
    with archive.db.session() as s:
        _peer(s, sha256)
    if archive.store.path_for(sha256).is_file():
        return jsonify({"sha256": sha256, "stored": False}), 200
    try:
        staged = archive.store.stage_stream(request.stream, max_bytes=archive.settings.max_file_mb << 20)
    except StoreError:
        raise PeerError("bad_value", field="size") from None
    if staged.sha256 != sha256:
        archive.store.discard(staged)
        raise PeerError("peer_object_mismatch", sha256=sha256[:12])
    archive.store.commit(staged)
    return jsonify({"sha256": sha256, "stored": True}), 201


@bp.post("/messages")
def message():
    archive = _archive()
    with archive.db.session() as s:
        peer = _peer(s)
        peer_id = peer.id
    answer = inbox.receive(archive, peer_id, request.get_json(silent=True))
    return jsonify(answer)


@bp.get("/complaints/<ref>")
def complaint(ref: str):
    with _archive().db.session() as s:
        peer = _peer(s)
        got = inbox.status_of(s, peer, ref[:32].upper())
    if got is None:
        raise PeerError("not_found", field="complaint")
    return jsonify(got)

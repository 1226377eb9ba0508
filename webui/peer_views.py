"""Exchange with other installations on the pages: a complaint sent to a peer (handed over or
co-handled) from its page, and the ministry administrator's list of peers with how each link
stands. The sending itself is records.peer_forward (the outbox) and exchange.courier."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from records import peer_forward, peers
from records.models import AreaKind, Peer
from webui.auth import roles
from webui.i18n import current_language, translate

bp = Blueprint("peers", __name__)
WORK_ROLES = ("officer", "admin")


def _archive():
    return current_app.extensions["archive"]


def sendable(s) -> list[Peer]:
    """The peers a complaint can be sent to (active, with the credential they gave us)."""
    return list(
        s.scalars(select(Peer).where(Peer.active.is_(True), Peer.outbound_credential != "").order_by(Peer.name))
    )


@bp.post("/complaints/<int:complaint_id>/peer")
@roles(*WORK_ROLES)
def send(complaint_id: int):
    f = request.form
    try:
        peer_forward.forward(
            _archive().db,
            g.user,
            complaint_id,
            f.get("peer", ""),
            mode="cohandle" if f.get("mode") == "cohandle" else "forward",
            reason=f.get("reason", ""),
            to_area=f.get("to_area", ""),
        )
    except (peer_forward.ExchangeError, peers.PeerError) as e:
        if e.code == "not_found" and e.params.get("field") == "complaint":
            abort(404)
        flash(e.message(current_language()), "error")
        return redirect(url_for("complaints.show", complaint_id=complaint_id) + "#peers")
    current_app.extensions["peer_courier"].wake()
    flash(translate("peer_queued", peer=f.get("peer", "")), "ok")
    return redirect(url_for("complaints.show", complaint_id=complaint_id) + "#peers")


@bp.get("/admin/peers")
@roles("admin")
def index():
    if g.user.area.kind != AreaKind.central:
        abort(403)
    with _archive().db.session() as s:
        rows = peers.overview(s)
        me = peers.instance_id(s)
        s.commit()
    return render_template("admin_peers.html", rows=rows, instance_id=me)

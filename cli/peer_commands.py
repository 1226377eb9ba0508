"""`damrong peer`: the other installations this one exchanges complaints with (add, list, rekey,
remove, check), and the courier by hand (send, poll); `damrong complaint forward` sends a
complaint to one of them. The registry and the outbox are records.peers and records.peer_forward;
the sending is exchange.courier."""

from __future__ import annotations

import time

import click

from cli.app import acting_user, emit, fail, main, open_archive
from cli.complaint_commands import complaint, complaint_id_of


@main.group()
def peer() -> None:
    """Other Damrong installations (district ↔ province ↔ central) to exchange complaints with."""


@peer.command("add")
@click.argument("name")
@click.argument("url")
@click.option("--credential", default="", help="the credential the peer made for us (dmr1.…): we sign with it")
@click.option("--area", "area_code", default="", help="complaints it sends are filed within this area (default: all)")
@click.option("--json", "as_json", is_flag=True)
def peer_add(name: str, url: str, credential: str, area_code: str, as_json: bool) -> None:
    """Register the peer NAME at URL, or change it. A new peer gets a credential to sign its
    requests to us with: shown once — give it to the peer's administrator (their
    `damrong peer add … --credential`)."""
    from records import peers

    a = open_archive()
    try:
        p, made = peers.add(a.db, name, url, area_code=area_code, credential=credential)
    except peers.PeerError as e:
        fail(e.code, e.params, as_json)
    with a.db.session() as s:
        out = peers.as_json(peers.by_name(s, p.name))
        out["instance_id"] = peers.instance_id(s)
        s.commit()
    out["credential_for_peer"] = made or None
    if as_json:
        emit(out)
        return
    click.echo(f"peer {out['name']} at {out['url']} (files within {out['area']})")
    if made:
        click.echo(f"give this credential to {name}'s administrator (shown once): {made}")
    if not out["can_send"]:
        click.echo(f"nothing can be sent to {name} until its credential is added: --credential", err=True)


@peer.command("list")
@click.option("--json", "as_json", is_flag=True)
def peer_list(as_json: bool) -> None:
    """The peers, how their link stands and how many messages wait for each."""
    from records import peers

    a = open_archive()
    with a.db.session() as s:
        rows = peers.overview(s)
    if as_json:
        emit({"peers": rows})
        return
    for r in rows:
        click.echo(f"{r['name']:16} {r['state']:12} waiting {r['waiting']:3}  {r['url']}  {r['last_error']}")


@peer.command("rekey")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True)
def peer_rekey(name: str, as_json: bool) -> None:
    """A new credential for NAME to sign with (the old one stops working)."""
    from records import peers

    a = open_archive()
    try:
        made = peers.rekey(a.db, name)
    except peers.PeerError as e:
        fail(e.code, e.params, as_json)
    emit({"name": name, "credential_for_peer": made}) if as_json else click.echo(made)


@peer.command("remove")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True)
def peer_remove(name: str, as_json: bool) -> None:
    """Stop exchanging with NAME (what was exchanged stays)."""
    from records import peers

    a = open_archive()
    try:
        peers.remove(a.db, name)
    except peers.PeerError as e:
        fail(e.code, e.params, as_json)
    emit({"name": name, "active": False}) if as_json else click.echo(f"{name} removed")


@peer.command("check")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True)
def peer_check(name: str, as_json: bool) -> None:
    """Ask NAME who it is, signed: the credentials work both ways when this answers."""
    from exchange.courier import Courier, Undelivered
    from records import peers

    a = open_archive()
    with a.db.session() as s:
        try:
            p = peers.by_name(s, name)
        except peers.PeerError as e:
            fail(e.code, e.params, as_json)
        url, credential = p.url, p.outbound_credential
    if not credential:
        fail("peer_no_credential", None, as_json)
    try:
        answer = Courier(a).hello(url, credential)
    except Undelivered as e:
        fail("peer_unreachable", {"peer": name, "detail": e.detail}, as_json)
    out = {"name": name, "ok": True, "instance_id": answer.get("instance_id"), "known_there_as": answer.get("you")}
    emit(out) if as_json else click.echo(f"{name}: ok ({out['instance_id']}, knows us as {out['known_there_as']})")


@peer.command("send")
@click.option("--json", "as_json", is_flag=True)
def peer_send(as_json: bool) -> None:
    """Send every waiting message now (also those waiting to be tried again)."""
    from exchange.courier import Courier

    a = open_archive()
    counts = Courier(a).run_once(now=True)
    emit(counts) if as_json else click.echo(", ".join(f"{k} {v}" for k, v in counts.items()))


@peer.command("poll")
@click.option("--json", "as_json", is_flag=True)
def peer_poll(as_json: bool) -> None:
    """Ask the peers how the complaints forwarded to them stand."""
    from exchange.courier import Courier

    a = open_archive()
    n = Courier(a).poll()
    emit({"changed": n}) if as_json else click.echo(f"{n} changed")


def _send_soon(a, message_id: int) -> None:
    """Send the message now; when the server's own courier is already sending to that peer (it
    holds the peer's lease), wait for it to be tried, at most the peer timeout and a little more.
    A message tried and still waiting (the link is down) is not waited for."""
    from exchange.courier import Courier
    from records.models import PeerMessage

    deadline = time.monotonic() + a.settings.peer_timeout_s + 5
    courier = Courier(a)
    while True:
        courier.run_once()
        with a.db.session() as s:
            m = s.get(PeerMessage, message_id)
            if m is None or m.state != "pending" or m.attempts > 0 or time.monotonic() > deadline:
                return
        time.sleep(0.2)


@complaint.command("forward")
@click.argument("tracking_no")
@click.option("--peer", "peer_name", required=True, help="the installation to send it to (`damrong peer list`)")
@click.option("--as", "as_cid", required=True, help="citizen ID of the acting officer")
@click.option("--reason", default="", help="why (default: forwarded to PEER)")
@click.option("--cohandle", is_flag=True, help="handled by both: it stays open here too")
@click.option("--to-area", default="", help="the centre there to file it at (an area code)")
@click.option("--json", "as_json", is_flag=True)
def complaint_forward(
    tracking_no: str, peer_name: str, as_cid: str, reason: str, cohandle: bool, to_area: str, as_json: bool
) -> None:
    """Send the complaint TRACKING_NO, with its complainant, history and documents, to another
    installation; it goes with the next courier round (at once when the link is up)."""
    from records import complaints, peer_forward, peers

    a = open_archive()
    actor = acting_user(a, as_cid, as_json)
    cid = complaint_id_of(a, actor, tracking_no, as_json)
    try:
        m = peer_forward.forward(
            a.db,
            actor,
            cid,
            peer_name,
            mode="cohandle" if cohandle else "forward",
            reason=reason or f"ส่งต่อไปยัง {peer_name}",
            to_area=to_area,
        )
    except (peer_forward.ExchangeError, peers.PeerError) as e:
        fail(e.code, e.params, as_json)
    _send_soon(a, m.id)
    with a.db.session() as s:
        from records.models import ComplaintPeerLink, PeerMessage

        sent = s.get(PeerMessage, m.id)
        link = s.query(ComplaintPeerLink).filter_by(complaint_id=cid, direction="sent").first()
        c = complaints.get(s, actor, cid)
        out = {
            "tracking_no": tracking_no.strip().upper(),
            "peer": peer_name,
            "mode": m.kind,
            "message_id": m.message_id,
            "state": sent.state if sent else "pending",
            "their_ref": (link.remote_ref or None) if link else None,
            "status": c.status.value if c else None,
            "last_error": sent.last_error if sent else "",
        }
    if as_json:
        emit(out)
    else:
        click.echo(
            f"{out['tracking_no']} → {peer_name}: {out['state']}"
            + (f" as {out['their_ref']}" if out["their_ref"] else "")
        )

"""Exchange between installations, each its own home and its own real server (gunicorn) on
loopback: a district forwards a complaint with its complainant, history and document to its
province; the province's closing flows back; a send retried is taken once; a link down, a
receiver killed, an upload cut off, garbage answers, loops and area rules on both sides."""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from records.models import AuditEntry, Peer
from tests.conftest import damrong, free_port, make_user, render_lines, start_server, wait_for

RETRY = {
    "DAMRONG_PEER_RETRY_MAX_S": "1",
    "DAMRONG_PEER_POLL_S": "0",
    "DAMRONG_PEER_TIMEOUT_S": "3",
    "DAMRONG_WORKERS": "1",
}


class Site:
    """One installation: its home, an Archive over it for the test to look in, its server."""

    def __init__(self, tmp: Path, name: str):
        from config import load_settings
        from records.home import Archive

        self.name, self.home = name, tmp / name
        self.home.mkdir()
        self.archive = Archive(load_settings(env={}, home=str(self.home), workers=1))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None
        self.env = {**os.environ, "DAMRONG_HOME": str(self.home), **RETRY}

    def cli(self, *args: str, check: bool = True):
        r = damrong(*args, home=self.home, check=check, env=RETRY)
        return r, (json.loads(r.stdout.strip().splitlines()[-1]) if r.stdout.strip() else None)

    def start(self) -> None:
        self.proc = start_server(self.env, self.port, log=self.home / "server.log")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
        self.archive.close()

    def complaint(self, ref: str):
        from sqlalchemy import select
        from sqlalchemy.orm import selectinload

        from records.models import Complaint, ComplaintDocument

        with self.archive.db.session() as s:
            return s.scalar(
                select(Complaint)
                .where(Complaint.tracking_no == ref)
                .options(
                    selectinload(Complaint.documents).selectinload(ComplaintDocument.document),
                    selectinload(Complaint.complainant),
                    selectinload(Complaint.area),
                    selectinload(Complaint.events),
                )
            )

    def messages(self):
        from sqlalchemy import select

        from records.models import PeerMessage

        with self.archive.db.session() as s:
            return s.scalars(select(PeerMessage).order_by(PeerMessage.id)).all()

    def links(self, ref: str):
        from sqlalchemy import select

        from records.models import Complaint, ComplaintPeerLink

        with self.archive.db.session() as s:
            return s.scalars(
                select(ComplaintPeerLink)
                .join(Complaint, Complaint.id == ComplaintPeerLink.complaint_id)
                .where(Complaint.tracking_no == ref)
            ).all()


def pair(a: Site, b: Site, a_files_in: str, b_files_in: str) -> None:
    """Register each with the other, each credential made on one side and given to the other."""
    _r, made = a.cli("peer", "add", b.name, b.url, "--area", a_files_in, "--json")
    _r, back = b.cli(
        "peer", "add", a.name, a.url, "--area", b_files_in, "--credential", made["credential_for_peer"], "--json"
    )
    _r, done = a.cli("peer", "add", b.name, b.url, "--credential", back["credential_for_peer"], "--json")
    assert done["can_send"] and done["credential_for_peer"] is None  # shown once, when made


def new_complaint(archive, officer, tmp: Path, seed: int = 1):
    """A complaint at the officer's district, with a complainant and one scanned page filed."""
    from ingest.pipeline import intake
    from records import complaints

    c = complaints.create(
        archive.db,
        officer,
        {
            "category_id": 1,
            "phone": "081-234-5678",
            "citizen_id": "3-1742-18096-79-5",
            "prefix_th": "นาย",
            "first_name_th": "สมศักดิ์",
            "last_name_th": "ทองประเสริฐ",
            "summary": f"ถนนชำรุดหน้าโรงเรียน {seed}",
            "incident_province": "ขอนแก่น",
        },
    )
    complaints.transition(archive.db, officer, c.id, "in_progress", "รับไว้พิจารณา")
    page = tmp / f"page-{seed}.png"
    render_lines(["เรื่อง ถนนชำรุด", f"หน้าโรงเรียนบ้านโนน {seed}"], px=28, width=700).save(page)
    doc = intake(archive, page, area_id=officer.area_id, user=officer)
    complaints.file_document(archive.db, officer, c.id, doc.document_id, "petition")
    return c, doc.sha256


@pytest.fixture
def sites(tmp_path):
    made: list[Site] = []

    def site(name: str) -> Site:
        made.append(Site(tmp_path, name))
        return made[-1]

    yield site
    for s in made:
        s.stop()


def test_forward_to_the_province_and_the_closing_flows_back(sites, tmp_path):
    district, province = sites("kkn-01"), sites("kkn")
    officer = make_user(district.archive, "officer", "KKN-01", seed=11)
    prov_officer = make_user(province.archive, "officer", "KKN", seed=12)
    pair(district, province, "KKN-01", "KKN")
    c, sha = new_complaint(district.archive, officer, tmp_path)
    district.start()
    province.start()

    r, out = district.cli("complaint", "forward", c.tracking_no, "--peer", "kkn", "--as", officer.citizen_id, "--json")
    assert out["state"] == "sent" and out["status"] == "forwarded", out
    theirs = province.complaint(out["their_ref"])
    assert theirs is not None and theirs.area.code == "KKN" and theirs.status.value == "received"
    assert theirs.complainant.citizen_id == "3174218096795" and theirs.complainant.first_name_th == "สมศักดิ์"
    assert theirs.phone == "0812345678" and "ถนนชำรุด" in theirs.summary
    assert [d.document.sha256 for d in theirs.documents] == [sha]  # the original, checked on arrival
    assert province.archive.store.verify(sha)
    (link,) = province.links(theirs.tracking_no)
    assert (link.direction, link.mode, link.remote_ref) == ("received", "forward", c.tracking_no)
    assert [e["to"] for e in link.history] == ["received", "in_progress", "forwarded"]  # the sender's, as sent

    # a send retried (the answer lost on the way) is answered the same and makes nothing new
    from records.peers import signed_headers

    (m,) = district.messages()
    with district.archive.db.session() as s:
        credential = s.scalar(select(Peer.outbound_credential))
    body = json.dumps(m.payload, ensure_ascii=False).encode()
    again = requests.post(
        province.url + "/peer/v1/messages",
        data=body,
        headers={**signed_headers(credential, "POST", "/peer/v1/messages", body), "Content-Type": "application/json"},
        timeout=30,
    )
    assert again.status_code == 200 and again.json()["ref"] == theirs.tracking_no
    _r, listed = province.cli("complaint", "list", "--as", prov_officer.citizen_id, "--json")
    assert sum(1 for x in listed["complaints"] if x["status"] == "received") == 1

    # unsigned, or signed with a made-up key: refused, nothing taken
    bare = requests.post(province.url + "/peer/v1/messages", data=body, timeout=10)
    assert bare.status_code == 401 and bare.json()["error"] == "peer_bad_signature"
    forged = signed_headers("dmr1.0123456789abcdef." + "x" * 43, "POST", "/peer/v1/messages", body)
    assert requests.post(province.url + "/peer/v1/messages", data=body, headers=forged, timeout=10).status_code == 401

    # it cannot go back where it came from
    r, refused = province.cli(
        "complaint",
        "forward",
        theirs.tracking_no,
        "--peer",
        "kkn-01",
        "--as",
        prov_officer.citizen_id,
        "--json",
        check=False,
    )
    assert r.returncode == 1 and refused["error"] == "peer_loop"

    # the province closes it: the district's complaint is closed with the same outcome
    province.cli(
        "complaint", "status", theirs.tracking_no, "closed", "--reason", "ซ่อมถนนแล้ว", "--outcome", "resolved",
        "--as", prov_officer.citizen_id, "--json",
    )  # fmt: skip
    back = wait_for(
        "the closing to reach the district",
        lambda: (x := district.complaint(c.tracking_no)).status.value == "closed" and x,
        timeout=30,
    )
    assert back.outcome == "resolved" and "ซ่อมถนนแล้ว" in back.events[-1].reason
    (sent,) = district.links(c.tracking_no)
    assert (sent.remote_ref, sent.remote_status, sent.remote_outcome) == (theirs.tracking_no, "closed", "resolved")
    # both sides audited; no citizen ID in either server's log
    for site, actions in ((district, {"peer_send", "peer_status"}), (province, {"peer_receive"})):
        with site.archive.db.session() as s:
            logged = set(s.scalars(select(AuditEntry.action)))
        assert actions <= logged, (site.name, logged)
        assert "3174218096795" not in (site.home / "server.log").read_text()


def _cut_off_upload(url: str, sha: str, credential: str) -> None:
    """A PUT of an original that stops half-way (the sender's link dropped, or it was killed)."""
    from urllib.parse import urlsplit

    from records.peers import signed_headers

    path = f"/peer/v1/objects/{sha}"
    head = signed_headers(credential, "PUT", path, body_sha256=sha)
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        lines = [f"PUT {path} HTTP/1.1", f"Host: {parts.netloc}", "Content-Length: 100000"]
        lines += [f"{k}: {v}" for k, v in head.items()]
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + b"\x89PNG" + b"\0" * 5000)


class Garbage(BaseHTTPRequestHandler):
    """A peer address that answers anything with a page that is not the exchange's JSON."""

    def _answer(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(b"<html>captive portal</html>")

    do_GET = do_POST = do_PUT = do_HEAD = _answer

    def log_message(self, *a):
        pass


def test_link_down_receiver_killed_garbage_and_area_rules(sites, tmp_path):
    district, province = sites("kkn-02"), sites("kkn")
    officer = make_user(district.archive, "officer", "KKN-02", seed=21)
    pair(district, province, "KKN-02", "KKN")
    first, sha1 = new_complaint(district.archive, officer, tmp_path, seed=1)
    second, sha2 = new_complaint(district.archive, officer, tmp_path, seed=2)
    district.start()

    # the province's server is down: the complaint waits in the outbox, the district says so
    _r, out = district.cli(
        "complaint", "forward", first.tracking_no, "--peer", "kkn", "--as", officer.citizen_id, "--json"
    )
    assert out["state"] == "pending" and out["status"] == "forwarded" and "connect" in out["last_error"]
    _r, listed = district.cli("peer", "list", "--json")
    (peer,) = listed["peers"]
    assert peer["state"] == "unreachable" and peer["waiting"] == 1

    # an upload cut off half-way stores nothing there
    with district.archive.db.session() as s:
        credential = s.scalar(select(Peer.outbound_credential))
    province.start()
    _cut_off_upload(province.url, sha2, credential)
    assert not province.archive.store.path_for(sha2).exists()
    # the link is back: the district's own server sends it, once
    wait_for("the outbox to be sent", lambda: all(m.state == "sent" for m in district.messages()), timeout=30)
    ref1 = district.links(first.tracking_no)[0].remote_ref
    assert province.complaint(ref1).documents[0].document.sha256 == sha1

    # the province's server killed, the second complaint sent meanwhile, the server back
    province.kill()
    district.cli("complaint", "forward", second.tracking_no, "--peer", "kkn", "--as", officer.citizen_id, "--json")
    province.start()
    wait_for("the second to arrive", lambda: all(m.state == "sent" for m in district.messages()), timeout=30)
    refs = {link.remote_ref for c in (first, second) for link in district.links(c.tracking_no)}
    with province.archive.db.session() as s:
        from records.models import Complaint, ComplaintPeerLink

        received = s.scalars(
            select(ComplaintPeerLink.remote_ref).where(ComplaintPeerLink.direction == "received")
        ).all()
        assert sorted(received) == sorted([first.tracking_no, second.tracking_no])  # each once
        assert set(s.scalars(select(Complaint.tracking_no))) == refs
    assert province.archive.store.verify(sha2)

    # a district may only file into what the province lets it: another province is refused there
    third, _sha = new_complaint(district.archive, officer, tmp_path, seed=3)
    _r, out = district.cli(
        "complaint",
        "forward",
        third.tracking_no,
        "--peer",
        "kkn",
        "--to-area",
        "BKK",
        "--as",
        officer.citizen_id,
        "--json",
    )
    assert out["state"] == "refused" and "peer_area_refused" in out["last_error"]
    # and an officer of another district cannot forward the district's complaint at all
    other = make_user(district.archive, "officer", "KKN-03", seed=22)
    r, no = district.cli(
        "complaint", "forward", third.tracking_no, "--peer", "kkn", "--as", other.citizen_id, "--json", check=False
    )
    assert r.returncode == 1 and no["error"] == "not_found"

    # an address that answers garbage: the message waits, the peer is marked so
    garbage = HTTPServer(("127.0.0.1", 0), Garbage)
    threading.Thread(target=garbage.serve_forever, daemon=True).start()
    try:
        district.cli("peer", "add", "kkn", f"http://127.0.0.1:{garbage.server_port}", "--json")
        fourth, _sha = new_complaint(district.archive, officer, tmp_path, seed=4)
        _r, out = district.cli(
            "complaint", "forward", fourth.tracking_no, "--peer", "kkn", "--as", officer.citizen_id, "--json"
        )
        assert out["state"] == "pending" and "not a JSON object" in out["last_error"]
        _r, listed = district.cli("peer", "list", "--json")
        assert listed["peers"][0]["state"] == "bad_answer"
    finally:
        garbage.shutdown()

    # an address that takes the connection and never answers: it times out, the message waits
    def timed_out():
        peer = district.cli("peer", "list", "--json")[1]["peers"][0]
        return peer["state"] == "unreachable" and "no answer within 3 s" in peer["last_error"] and peer

    with socket.create_server(("127.0.0.1", 0)) as silent:
        district.cli("peer", "add", "kkn", f"http://127.0.0.1:{silent.getsockname()[1]}", "--json")
        assert wait_for("the send to time out", timed_out, timeout=30)["waiting"] >= 1


def test_three_installations_closing_flows_back_down_the_chain_and_no_loop(sites, tmp_path):
    district, province, central = sites("kkn-04"), sites("kkn"), sites("moi")
    officer = make_user(district.archive, "officer", "KKN-04", seed=31)
    prov_officer = make_user(province.archive, "officer", "KKN", seed=32)
    moi_officer = make_user(central.archive, "officer", "MOI", seed=33)
    pair(district, province, "KKN-04", "KKN")
    pair(province, central, "KKN", "MOI")
    pair(central, district, "MOI", "KKN-04")  # central may also write to the district directly
    c, _sha = new_complaint(district.archive, officer, tmp_path)
    for site in (district, province, central):
        site.start()

    _r, out = district.cli("complaint", "forward", c.tracking_no, "--peer", "kkn", "--as", officer.citizen_id, "--json")
    at_province = out["their_ref"]
    _r, out = province.cli(
        "complaint",
        "forward",
        at_province,
        "--peer",
        "moi",
        "--reason",
        "เกินอำนาจจังหวัด",
        "--as",
        prov_officer.citizen_id,
        "--json",
    )
    at_central = out["their_ref"]
    assert out["state"] == "sent" and central.complaint(at_central).area.code == "MOI"
    # the district hears that the province forwarded it on
    wait_for(
        "the province's forward to be told",
        lambda: district.links(c.tracking_no)[0].remote_status == "forwarded",
        timeout=30,
    )

    # central sending it to the district it started from: refused there (its route names it)
    _r, out = central.cli(
        "complaint", "forward", at_central, "--peer", "kkn-04", "--cohandle", "--as", moi_officer.citizen_id, "--json"
    )
    assert out["state"] == "refused" and "peer_loop" in out["last_error"]
    with district.archive.db.session() as s:
        from records.models import Complaint

        assert s.scalar(select(func.count()).select_from(Complaint)) == 1

    # central closes it: the province's is closed, then the district's
    central.cli(
        "complaint", "status", at_central, "closed", "--reason", "ส่งหน่วยงานแก้ไขแล้ว", "--outcome", "resolved",
        "--as", moi_officer.citizen_id, "--json",
    )  # fmt: skip
    wait_for("the province to close", lambda: province.complaint(at_province).status.value == "closed", timeout=30)
    done = wait_for(
        "the district to close",
        lambda: (x := district.complaint(c.tracking_no)).status.value == "closed" and x,
        timeout=30,
    )
    assert done.outcome == "resolved"
    # and nothing echoes back and forth: each side sent a bounded number of messages
    for site in (district, province, central):
        assert len(site.messages()) <= 3, [(m.kind, m.payload.get("status")) for m in site.messages()]


def test_the_complaint_page_sends_to_a_peer_and_shows_how_it_stands(app, archive, tmp_path):
    from records import peers
    from tests.conftest import client_for

    officer = make_user(archive, "officer", "KKN-01", seed=41)
    counter = make_user(archive, "counter", "KKN-01", seed=42)
    admin = make_user(archive, "admin", "MOI", seed=43)
    dead = f"http://127.0.0.1:{free_port()}"  # nobody listens there
    peers.add(archive.db, "kkn", dead, credential="dmr1.0123456789abcdef." + "a" * 43)
    c, _sha = new_complaint(archive, officer, tmp_path)
    web = client_for(app, archive, officer)
    page = web.get(f"/complaints/{c.id}").get_data(as_text=True)
    assert 'id="peer-form"' in page and '<option value="kkn">' in page
    assert 'id="peer-form"' not in client_for(app, archive, counter).get(f"/complaints/{c.id}").get_data(as_text=True)

    # no reason: refused with the reason why, nothing queued
    r = web.post(f"/complaints/{c.id}/peer", data={"peer": "kkn", "mode": "forward", "reason": ""})
    assert r.status_code == 302
    assert "ต้องระบุเหตุผล" in web.get(r.headers["Location"]).get_data(as_text=True)
    r = web.post(f"/complaints/{c.id}/peer", data={"peer": "kkn", "mode": "cohandle", "reason": "ขอให้จังหวัดร่วม"})
    shown = web.get(r.headers["Location"]).get_data(as_text=True)
    assert "บันทึกการส่งไปยัง kkn แล้ว" in shown and 'data-state="pending"' in shown and "ขอให้ร่วมดำเนินการ" in shown
    assert 'id="peer-form"' in shown  # co-handled: it stays open here, it could go elsewhere too
    assert client_for(app, archive, counter).post(f"/complaints/{c.id}/peer", data={"peer": "kkn"}).status_code == 403

    app.extensions["peer_courier"].run_once(now=True)  # the dead address: it waits, the peer is marked
    listing = client_for(app, archive, admin).get("/admin/peers").get_data(as_text=True)
    assert 'data-state="unreachable"' in listing and dead in listing and "dmr1." not in listing
    assert client_for(app, archive, officer).get("/admin/peers").status_code == 403


def test_a_status_that_cannot_be_pushed_is_polled(sites, tmp_path):
    district, province = sites("kkn-05"), sites("kkn")
    officer = make_user(district.archive, "officer", "KKN-05", seed=51)
    prov_officer = make_user(province.archive, "officer", "KKN", seed=52)
    district.cli("peer", "add", "kkn", province.url, "--json")  # the district's credential never given
    _r, made = province.cli("peer", "add", "kkn-05", district.url, "--area", "KKN", "--json")
    district.cli("peer", "add", "kkn", province.url, "--credential", made["credential_for_peer"], "--json")
    c, _sha = new_complaint(district.archive, officer, tmp_path)
    district.start()
    province.start()
    _r, checked = district.cli("peer", "check", "kkn", "--json")
    assert checked["ok"] and checked["known_there_as"] == "kkn-05"
    _r, out = district.cli("complaint", "forward", c.tracking_no, "--peer", "kkn", "--as", officer.citizen_id, "--json")
    province.cli(
        "complaint", "status", out["their_ref"], "closed", "--reason", "ไม่อยู่ในอำนาจ", "--outcome",
        "not_within_jurisdiction", "--as", prov_officer.citizen_id, "--json",
    )  # fmt: skip
    (waiting,) = [m for m in province.messages() if m.kind == "status"]
    assert waiting.state == "pending"  # the province cannot sign to the district: not pushed
    assert district.complaint(c.tracking_no).status.value == "forwarded"
    _r, polled = district.cli("peer", "poll", "--json")
    assert polled == {"changed": 1}
    closed = district.complaint(c.tracking_no)
    assert (closed.status.value, closed.outcome) == ("closed", "not_within_jurisdiction")
    assert district.cli("peer", "poll", "--json")[1] == {"changed": 0}  # nothing new: nothing done twice


def test_bad_peer_input_is_refused_clearly_and_changes_nothing(app, archive):
    """A peer registered badly, and a signed peer sending what is not a message: each refused
    with its reason; the registry, the complaints and the store as they were."""
    from records import peers
    from records.models import Complaint, PeerReceipt
    from records.peers import PeerError, signed_headers

    for name, url, credential, field in (
        ("bad name!", "http://127.0.0.1:9", "", "name"),
        ("kkn", "ftp://127.0.0.1/", "", "url"),
        ("kkn", "http://127.0.0.1:9", "not-a-credential", "credential"),
    ):
        with pytest.raises(PeerError) as e:
            peers.add(archive.db, name, url, credential=credential)
        assert (e.value.code, e.value.params["field"]) == ("bad_value", field)
    with pytest.raises(PeerError) as e:
        peers.add(archive.db, "kkn", "http://127.0.0.1:9", area_code="NOWHERE")
    assert e.value.code == "not_found"
    with archive.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Peer)) == 0

    _peer, made = peers.add(archive.db, "kkn-01", "http://127.0.0.1:9", area_code="KKN")
    web = app.test_client()

    def post(body: bytes):
        headers = {**signed_headers(made, "POST", "/peer/v1/messages", body), "Content-Type": "application/json"}
        return web.post("/peer/v1/messages", data=body, headers=headers)

    for body, field in (
        (b"not json", "message_id"),
        (b'{"message_id": "x"}', "message_id"),
        (b'{"message_id": "0123456789ab", "kind": "delete"}', "kind"),
        (b'{"message_id": "0123456789ab", "kind": "forward", "complaint": []}', "complaint"),
    ):
        r = post(body)
        assert r.status_code == 422 and r.get_json()["error"] == "bad_value", (body, r.get_json())
        assert field in r.get_json()["message"]
    r = post(b'{"message_id": "0123456789ab", "kind": "status", "ref": "KKN-2569-999999"}')
    assert r.status_code == 404 and r.get_json()["error"] == "not_found"
    r = web.put(
        "/peer/v1/objects/" + "0" * 64,
        data=b"abc",
        headers=signed_headers(made, "PUT", "/peer/v1/objects/" + "0" * 64, body_sha256="0" * 64),
    )
    assert r.status_code == 422 and r.get_json()["error"] == "peer_object_mismatch"
    assert not archive.store.path_for("0" * 64).exists()
    with archive.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Complaint)) == 0
        assert s.scalar(select(func.count()).select_from(PeerReceipt)) == 0

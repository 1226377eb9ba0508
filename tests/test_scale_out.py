"""Several web processes and workers over one database: a session, a sign-in throttle and a
counter station's card read are the same whichever process answers; documents are read by
`damrong worker` processes (web processes read nothing when processing = "workers"), and a
worker killed in the middle of a document loses nothing: another takes it again."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ingest.pipeline import intake
from records.models import Document, DocumentState
from tests.conftest import PASSWORD, client_for, damrong_exe, free_port, make_user, start_server, valid_cid, wait_for

WORKERS_ENV = {"DAMRONG_PROCESSING": "workers", "DAMRONG_JOB_LEASE_S": "3", "DAMRONG_WORKERS": "1"}


@pytest.fixture(params=["sqlite", "postgres"])
def shared(request, home):
    """An archive on SQLite (the embedded home) or on a throwaway PostgreSQL with the postgres
    search backend (the national setup), and the environment its processes run with."""
    from config import load_settings
    from ingest.ocr import limit_processes
    from records.home import Archive

    env = {**WORKERS_ENV}
    if request.param == "postgres":
        env.update(DAMRONG_DATABASE_URL=request.getfixturevalue("postgres")(), DAMRONG_SEARCH_BACKEND="postgres")
    limit_processes(1)
    archive = Archive(load_settings(env=env, home=str(home)))
    yield archive, {**os.environ, "DAMRONG_HOME": str(home), **env}
    archive.close()


@contextmanager
def served(env: dict[str, str], processes: int = 1):
    """`damrong serve` (gunicorn) on a free port over the home of `env`, web processes reading nothing."""
    port = free_port()
    proc = start_server(env, port, processes, log=Path(env["DAMRONG_HOME"]) / f"serve-{port}.log")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def _csrf(resp: requests.Response) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', resp.text)
    assert m, resp.text[:500]
    return m.group(1)


def _sign_in(http: requests.Session, url: str, username: str, password: str) -> requests.Response:
    token = _csrf(http.get(f"{url}/login"))
    return http.post(
        f"{url}/login",
        data={"csrf_token": token, "username": username, "password": password, "next": ""},
        allow_redirects=False,
    )


def test_two_web_processes_share_sessions_sign_in_throttling_and_station_reads(shared):
    archive, env = shared
    clerk = make_user(archive, "counter", "KKN-01", seed=71)
    with served(env) as a, served(env) as b:
        # signed in on one process, known to the other
        http = requests.Session()
        assert _sign_in(http, a, clerk.citizen_id, PASSWORD).status_code == 302
        assert http.get(f"{b}/counter", allow_redirects=False).status_code == 200
        # signed out on the other: the session has ended for both
        http.post(f"{b}/logout", data={"csrf_token": _csrf(http.get(f"{b}/counter"))})
        assert http.get(f"{a}/counter", allow_redirects=False).status_code == 302

        # a card read posted by the station to one process is handed out by the other, once
        http = requests.Session()
        _sign_in(http, b, clerk.citizen_id, PASSWORD)
        read = {"citizen_id": valid_cid(72), "name_th": "นาง ทดสอบ ใจดี"}
        headers = {"X-CSRFToken": _csrf(http.get(f"{a}/counter"))}
        assert http.post(f"{a}/api/v1/stations/desk-1/card", json=read, headers=headers).status_code == 200
        taken = http.get(f"{b}/api/v1/stations/desk-1/card")
        assert taken.status_code == 200 and taken.json()["citizen_id"] == read["citizen_id"]
        assert http.get(f"{a}/api/v1/stations/desk-1/card").status_code == 204

        # failed sign-ins from one address, spread over both processes, are counted together
        # (a different username each time: the per-account lockout is not what is tested)
        codes = [
            _sign_in(requests.Session(), (a, b)[i % 2], valid_cid(800 + i), "wrong-password").status_code
            for i in range(20)
        ]
        assert set(codes) == {401}
        blocked = _sign_in(requests.Session(), a, clerk.citizen_id, PASSWORD)
        assert blocked.status_code == 401 and "login" in blocked.url
        assert _sign_in(requests.Session(), b, clerk.citizen_id, PASSWORD).status_code == 401


def _document(archive, doc_id: int) -> Document:
    with archive.db.session() as s:
        return s.get(Document, doc_id, options=[selectinload(Document.pages)])


def test_a_worker_killed_mid_document_loses_nothing_and_another_reads_it(shared, petition_png):
    archive, env = shared
    r = intake(archive, petition_png)
    assert r.state == "pending"
    first = subprocess.Popen([damrong_exe(), "worker", "--poll", "0.2"], env=env, stderr=subprocess.DEVNULL)
    try:
        reading = wait_for(
            "the first worker to start reading",
            lambda: (d := _document(archive, r.document_id)).state == DocumentState.processing and d,
            timeout=60,
            step=0.05,
        )
        claimed = reading.claimed_by
        assert claimed
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        first.kill()
    left = _document(archive, r.document_id)
    assert left.state == DocumentState.processing and left.claimed_by == claimed  # nothing finished it

    second = subprocess.Popen([damrong_exe(), "worker", "--poll", "0.2"], env=env, stderr=subprocess.DEVNULL)
    try:
        done = wait_for(  # done, and its claim released (a transaction of its own, just after)
            "the second worker",
            lambda: (d := _document(archive, r.document_id)).state == DocumentState.done and d.claimed_by is None and d,
            timeout=120,
            step=0.05,
        )
        # stopped at once: it brings the search index up to date before it exits
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=60) == 0
    finally:
        second.kill()
    assert done.claimed_by is None and done.attempts == 2 and done.page_count == 1
    assert "หนี้นอกระบบ" in done.text
    assert f'"document_id": {r.document_id}' in _found(env)


def _found(env: dict) -> str:
    """What `damrong search หนี้นอกระบบ --json` says."""
    return subprocess.run(
        [damrong_exe(), "search", "หนี้นอกระบบ", "--json"], env=env, capture_output=True, text=True, check=True
    ).stdout


def test_with_processing_by_workers_the_web_app_reads_nothing_and_a_worker_reads_it(settings, home, petition_png):
    import dataclasses

    from records.home import Archive
    from webui.app import create_app

    archive = Archive(dataclasses.replace(settings, processing="workers"))
    try:
        app = create_app(archive)
        assert not app.extensions["ingest_worker"]._running  # no reading thread in the web process
        c = client_for(app, archive, make_user(archive, "admin", "MOI", seed=73))
        with open(petition_png, "rb") as f:
            resp = c.post("/upload", data={"files": (f, "petition.png")}, content_type="multipart/form-data")
        assert resp.status_code == 200, resp.data[:300]
        doc_id = resp.get_json()["documents"][0]["document_id"]
        time.sleep(1.5)
        assert _document(archive, doc_id).state == DocumentState.pending
        env = {**os.environ, "DAMRONG_HOME": str(home), **WORKERS_ENV}
        out = subprocess.run([damrong_exe(), "worker", "--once"], env=env, capture_output=True, text=True, timeout=300)
        assert out.returncode == 0 and "read 1 documents" in out.stdout, out.stderr[-1000:]
        assert _document(archive, doc_id).state == DocumentState.done
        with archive.db.session() as s:
            assert s.scalar(select(Document.claimed_by).where(Document.id == doc_id)) is None
    finally:
        archive.close()


def test_a_claim_whose_lease_ran_out_is_taken_by_the_next_worker(archive, petition_png):
    """A worker on another machine that died: its claim cannot be checked, so it runs out."""
    import datetime as dt

    from ingest import jobs
    from thai.dates import utcnow

    first = intake(archive, petition_png).document_id
    with archive.db.session() as s:
        doc = s.get(Document, first)
        doc.state, doc.claimed_by = DocumentState.processing, "elsewhere:1:dead"
        doc.claimed_until = utcnow() + dt.timedelta(seconds=60)
        s.commit()
    assert jobs.claim(archive, "here:2:live") is None  # held, and its lease still runs
    assert jobs.free_dead_claims(archive) == 0  # not this machine's to judge
    with archive.db.session() as s:
        s.get(Document, first).claimed_until = utcnow() - dt.timedelta(seconds=1)
        s.commit()
    assert jobs.claim(archive, "here:2:live") == first
    assert jobs.claim(archive, "here:3:other") is None  # one claimant at a time
    assert jobs.renew(archive, first, "here:3:other") is False
    assert jobs.renew(archive, first, "here:2:live") is True


@pytest.mark.parametrize("value", ["threads", "redis"])
def test_a_wrong_processing_setting_is_a_clear_error(home, value):
    env = {**os.environ, "DAMRONG_HOME": str(home), "DAMRONG_PROCESSING": value}
    out = subprocess.run([damrong_exe(), "area", "list"], env=env, capture_output=True, text=True)
    assert out.returncode != 0 and "DAMRONG_PROCESSING must be one of web, workers" in out.stderr

"""Shared fixtures: a fresh archive home per test, and Thai test pages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from config import load_settings
from tests.thai_pages import render_lines

# no test's browser asks OpenStreetMap for map tiles (servers started by a test inherit this)
os.environ.setdefault("DAMRONG_MAP_TILE_URL", "none")
ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"
SAMPLES = ROOT / "samples"

PETITION_LINES = [
    "เรื่อง ขอความช่วยเหลือเรื่องหนี้นอกระบบ",
    "ข้าพเจ้า นายสมศักดิ์ ทองประเสริฐ เลขประจำตัวประชาชน",
    "3-1742-18096-79-5 โทรศัพท์ 081-234-5678",
]
LETTER_LINES = [
    "ที่ มท 0205.3/ว 4777",
    "เรื่อง การเร่งรัดการยุติเรื่องร้องเรียน",
    "วันที่ ๑๙ ธันวาคม ๒๕๖๓ จังหวัดสกลนคร",
]


def pytest_collection_modifyitems(items):
    """Tests marked `alone` run after the rest, one after another (`make test`: `pytest -n 2 -m
    "not alone"`, then `pytest -m alone`): those that use the one pcscd and its one virtual
    reader, and the worker tests of test_scale_out.py, which time processes being killed."""
    for item in items:
        if "pcscd" in getattr(item, "fixturenames", ()) or item.nodeid.startswith("tests/test_scale_out.py"):
            item.add_marker(pytest.mark.alone)


@pytest.fixture
def home(tmp_path) -> Path:
    h = tmp_path / "home"
    h.mkdir()
    return h


@pytest.fixture
def settings(home):
    return load_settings(env={}, home=str(home), workers=2, map_tile_url="none")


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory) -> Path:
    """A new home's SQLite database, made once: each test's archive starts from a copy of it
    (the migrations and the 8,441 areas take most of a second to write, the copy a hundredth)."""
    from records.home import Archive

    h = tmp_path_factory.mktemp("seeded")
    Archive(load_settings(env={}, home=str(h), workers=2)).close()
    return h / "damrong.sqlite3"


@pytest.fixture
def archive(settings, seeded_database):
    from ingest.ocr import limit_processes
    from records.home import Archive

    limit_processes(2)
    own = settings.home / "damrong.sqlite3"
    if not settings.database_url and not own.exists():
        shutil.copyfile(seeded_database, own)
    a = Archive(settings)
    yield a
    a.close()


@pytest.fixture
def petition_png(tmp_path) -> Path:
    p = tmp_path / "petition.png"
    render_lines(PETITION_LINES).save(p, dpi=(300, 300))
    return p


@pytest.fixture
def letter_png(tmp_path) -> Path:
    p = tmp_path / "letter.png"
    render_lines(LETTER_LINES, font="Loma").save(p, dpi=(300, 300))
    return p


def wait_for_ocr(home: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Until a document of the home is being read (OCR runs inside the damrong process)."""
    import sqlite3

    deadline = time.time() + timeout
    while True:
        assert time.time() < deadline and proc.poll() is None, "OCR never started"
        try:
            with sqlite3.connect(home / "damrong.sqlite3", timeout=1) as db:
                if db.execute("SELECT 1 FROM documents WHERE state = 'processing'").fetchone():
                    return
        except sqlite3.Error:
            pass
        time.sleep(0.02)


def damrong_exe() -> str:
    """The `damrong` command of this virtual environment."""
    return shutil.which("damrong", path=str(Path(sys.executable).parent)) or "damrong"


def damrong(
    *args: str, home: Path, check: bool = True, timeout: int = 300, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run the real `damrong` command line against a home (`env`: further variables)."""
    env = {**os.environ, "DAMRONG_HOME": str(home), "DAMRONG_WORKERS": "2", **(env or {})}
    r = subprocess.run([damrong_exe(), *args], env=env, capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError(f"damrong {' '.join(args)} exited {r.returncode}: {r.stderr[-2000:]}")
    return r


def wait_for(what: str, check, timeout: float = 120, step: float = 0.2):
    """`check()`'s first true value, asked every `step` seconds; fails after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(step)


# --- the web app served for real, and headless Chromium (browser tests) ----------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict[str, str], port: int, processes: int = 1, log: Path | None = None) -> subprocess.Popen:
    """`damrong serve` (gunicorn, its own processes) on `port` with `env`, once it answers; its
    messages go to `log` (else nowhere)."""
    import requests

    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115  (the server's, closed with it)
    proc = subprocess.Popen(
        [damrong_exe(), "serve", "--port", str(port), "--processes", str(processes), "--threads", "4"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=out,
    )

    def answers() -> bool:
        assert proc.poll() is None, f"the server ended: {log.read_text()[-2000:] if log else ''}"
        try:
            return requests.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200
        except requests.ConnectionError:
            return False

    wait_for("the server to start", answers, timeout=60)
    return proc


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def server(archive):
    """The real app over this test's archive, served by werkzeug on a free port."""
    import threading

    from werkzeug.serving import make_server

    from webui.app import create_app

    app = create_app(archive)
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, name="test-webui", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_port}"
    finally:
        srv.shutdown()
        thread.join(timeout=10)
        srv.server_close()
        app.extensions["ingest_worker"].shutdown()
        app.extensions["peer_courier"].shutdown()


def valid_cid(seed: int) -> str:
    """A 13-digit citizen ID with a correct check digit, different for each seed."""
    base = f"1{seed:011d}"
    total = sum(int(d) * (13 - i) for i, d in enumerate(base))
    return base + str((11 - total % 11) % 10)


PASSWORD = "test-password-123"


def make_user(archive, role: str = "admin", area_code: str = "MOI", seed: int | None = None, name: str = ""):
    """A user who has already replaced the first password with PASSWORD."""
    from records import users
    from records.models import User

    seed = seed if seed is not None else abs(hash((role, area_code, name))) % 10**9
    user, _first = users.add_user(
        archive.db, valid_cid(seed), name or f"{role} {area_code}", role, area_code, password=PASSWORD
    )
    with archive.db.session() as s:
        s.get(User, user.id).must_change_password = False
        s.commit()
    return users.get(archive.db, user.id)


def sign_in(pg, user, password: str = PASSWORD) -> None:
    pg.goto("/login")
    pg.fill("#username", user.citizen_id)
    pg.fill("#password", password)
    pg.click("#sign-in")
    pg.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture
def admin(archive):
    """A central administrator: sees and may do everything."""
    return make_user(archive, "admin", "MOI", seed=1)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def anon_page(browser, server):
    """A fresh browser profile (no cookies) pointed at this test's server; fails the test on any
    JavaScript error in the page."""
    context = browser.new_context(base_url=server, locale="th-TH", timezone_id="Asia/Bangkok")
    context.set_default_timeout(15_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.fixture
def page(browser, server, admin):
    """Like anon_page, signed in as the central administrator."""
    context = browser.new_context(base_url=server, locale="th-TH", timezone_id="Asia/Bangkok")
    context.set_default_timeout(15_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(pg, admin)
    yield pg
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


# --- a PostgreSQL server of the tests' own (PostgreSQL homes) ------------------------------------


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL cluster listening on a Unix socket only (bench/pg_cluster.py);
    yields a function that creates an empty database and returns its SQLAlchemy URL."""
    from bench.pg_cluster import cluster

    try:
        with cluster() as new_database:
            yield new_database
    except RuntimeError as e:
        pytest.fail(str(e))


# --- SANE's virtual scanners (scanning tests) ---------------------------------------------------


@pytest.fixture(scope="session")
def sane_config(tmp_path_factory):
    """SANE sees only its two virtual devices, `test` and `pnm` (no probing for hardware); scan
    processes started by the tests or by the server inherit this environment."""
    d = tmp_path_factory.mktemp("sane.d")
    (d / "dll.conf").write_text("test\npnm\n")
    old = os.environ.get("SANE_CONFIG_DIR")
    os.environ["SANE_CONFIG_DIR"] = str(d)
    yield d
    if old is None:
        os.environ.pop("SANE_CONFIG_DIR", None)
    else:
        os.environ["SANE_CONFIG_DIR"] = old


# --- the PC/SC stack with the vpcd virtual reader (ID-card tests) ----------------------------


@pytest.fixture(scope="session")
def pcscd():
    """pcscd with the vpcd virtual reader: started here when it is not already running."""
    import tempfile

    from scanner.card_reader import list_readers

    with tempfile.TemporaryFile() as log:

        def start() -> subprocess.Popen:
            return subprocess.Popen(["pcscd", "--foreground"], stdout=log, stderr=subprocess.STDOUT)

        started = None
        if subprocess.run(["pgrep", "-x", "pcscd"], capture_output=True).returncode != 0:
            started = start()
        try:
            deadline, restarts = time.time() + 30, 0
            while not any("Virtual PCD" in r for r in list_readers()):
                if started is not None and started.poll() is not None and restarts < 3:
                    # a pcscd that exited at once (its socket or the vpcd port not yet free after
                    # the last one): start it again rather than fail every card test of the run
                    time.sleep(1)
                    started, restarts = start(), restarts + 1
                if time.time() > deadline:
                    log.seek(0)
                    said = log.read()[-2000:].decode(errors="replace")
                    pytest.fail(f"pcscd did not show the vpcd virtual reader: {said}")
                time.sleep(0.2)
            yield
        finally:  # also when it never showed the reader: a pcscd left behind spoils the next run
            if started is not None:
                started.terminate()
                started.wait(timeout=10)


@pytest.fixture
def insert(pcscd):
    """Put an emulated card in "Virtual PCD 00 00" and wait until PC/SC reports it; at the end,
    pull it and wait until PC/SC has seen it go (so the next test never reads a stale card)."""
    from scanner.card_reader import card_present
    from tests.vicc import ThaiIdCard

    cards = []

    def wait_absent():
        deadline = time.time() + 5
        while card_present("Virtual PCD 00 00") and time.time() < deadline:
            time.sleep(0.05)

    def put(**kw):
        wait_absent()
        for _attempt in range(4):  # vpcd can take a moment to take a card after one was pulled
            card = ThaiIdCard(**kw).insert()
            cards.append(card)
            deadline = time.time() + 3
            while time.time() < deadline:
                if card_present("Virtual PCD 00 00"):
                    return card
                time.sleep(0.1)
            card.remove()
            wait_absent()
        pytest.fail("the virtual card never appeared in the reader")

    yield put
    for c in cards:
        c.remove()
    wait_absent()


# --- the app without a server, called as a user with a bearer token -----------------------------


@pytest.fixture
def app(archive):
    from webui.app import create_app

    application = create_app(archive, start_worker=False)
    yield application
    application.extensions["ingest_worker"].shutdown()


def client_for(app, archive, user):
    """A test client acting as `user` through a bearer token (no sign-in, no CSRF token needed)."""
    from records import users

    token = users.create_token(archive.db, user.citizen_id)
    c = app.test_client()
    c.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return c


def photo_b64() -> str:
    """A small JPEG, base64, as the card reader hands a photo to the counter form."""
    import base64
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 50), (200, 150, 120)).save(buf, "JPEG")
    return base64.b64encode(buf.getvalue()).decode()

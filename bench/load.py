"""A bounded load on the running server: `damrong serve` (gunicorn, its own processes) over a
home of synthetic documents, and CLIENTS clients for SECONDS seconds, each signed in with a token
as an officer of a district, doing a mix of reads and writes — search, the complaint list, a
complaint's page, document status, new complaints, status changes and page uploads (read by the
workers meanwhile). Prints one JSON object: requests, requests per second, latency p50/p95/max
(ms) overall and by kind, every error, and how many uploads the workers had read by the end.

  python bench/load.py [--clients 20] [--seconds 60] [--docs 500]
  python bench/load.py --postgres --workers 2 --clients 50 --seconds 120   # the national setup
      (a throwaway PostgreSQL cluster, the postgres search backend, processing = "workers" and
      two `damrong worker` processes)
  … --think 1   # users who read each page before the next click: a pause of 0.5–1.5 s (mean 1 s)

Without --think every client sends its next request the moment the last is answered: a stress
test whose latency is set by the machine's capacity (Little's law), not a model of people.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import requests  # noqa: E402
from search_scale import Maker, build  # noqa: E402

from records import users  # noqa: E402
from records.models import Category, User  # noqa: E402

MIX = [("search", 35), ("list", 25), ("view", 15), ("status_doc", 5), ("create", 12), ("move", 8), ("upload", 0)]
UPLOAD_SHARE = 3  # per cent of requests that upload a page, when --upload


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cid(r: random.Random) -> str:
    base = f"1{r.randrange(10**11):011d}"
    total = sum(int(d) * (13 - i) for i, d in enumerate(base))
    return base + str((11 - total % 11) % 10)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL and the postgres search backend")
    ap.add_argument("--workers", type=int, default=0, help="`damrong worker` processes (processing = workers)")
    ap.add_argument("--processes", type=int, default=None, help="web processes (default: the setting)")
    ap.add_argument("--upload", action="store_true", help="include page uploads in the mix")
    ap.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="a user's mean pause between requests, seconds (0: clients that never pause, a stress test)",
    )
    args = ap.parse_args()
    with ExitStack() as stack:
        env = {}
        if args.postgres:
            from pg_cluster import cluster

            new_db = stack.enter_context(cluster(("max_connections=300", "shared_buffers=512MB")))
            env = {"DAMRONG_DATABASE_URL": new_db(), "DAMRONG_SEARCH_BACKEND": "postgres"}
        if args.workers:
            env["DAMRONG_PROCESSING"] = "workers"
        run(args, env)


def run(args: argparse.Namespace, extra_env: dict[str, str]) -> None:
    mix = [(k, UPLOAD_SHARE if k == "upload" and args.upload else w) for k, w in MIX]
    home = Path(tempfile.mkdtemp(prefix="damrong-load-"))
    page = _page(home)
    try:
        a, facts, _ = build(home, args.docs, extra_env)
        r = random.Random(3)
        officers = [
            users.add_user(a.db, _cid(r), f"officer {i}", "officer", "KKN-01", password="load-test-pw-1")[0]
            for i in range(args.clients)
        ]
        with a.db.session() as s:  # as if each had replaced the first password
            for o in officers:
                s.get(User, o.id).must_change_password = False
            s.commit()
        tokens = [users.create_token(a.db, o.citizen_id, "load") for o in officers]
        with a.db.session() as s:
            cat = s.query(Category).filter(Category.parent_id.is_(None)).first().id
        words = [f["surname"] for f in facts[:200]] + [f["docno"] for f in facts[:50]]
        a.close()
        port = _port()
        env = {**os.environ, "DAMRONG_HOME": str(home), **extra_env}
        exe = str(Path(sys.executable).parent / "damrong")
        procs = ["--processes", str(args.processes)] if args.processes is not None else []
        server = subprocess.Popen(
            [exe, "serve", "--port", str(port), *procs], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        workers = [
            subprocess.Popen([exe, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(args.workers)
        ]
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                requests.get(f"{base}/login", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        times: dict[str, list[float]] = {k: [] for k, w in mix if w}
        uploaded: list[int] = []
        errors: list[str] = []
        made: list[int] = []
        lock = threading.Lock()
        stop = time.monotonic() + args.seconds

        def client(i: int) -> None:
            rnd = random.Random(i)
            h = {"Authorization": f"Bearer {tokens[i]}"}
            kinds, weights = zip(*[(k, w) for k, w in mix if w])
            while time.monotonic() < stop:
                if args.think:  # reading the page before the next click: 0.5–1.5 × the mean
                    time.sleep(args.think * rnd.uniform(0.5, 1.5))
                    if time.monotonic() >= stop:
                        break
                kind = rnd.choices(kinds, weights)[0]
                with lock:
                    mine = rnd.choice(made) if made else None
                if kind in ("view", "move") and mine is None:
                    kind = "create"
                t = time.perf_counter()
                try:
                    if kind == "search":
                        resp = requests.get(
                            f"{base}/api/v1/search", params={"q": rnd.choice(words)}, headers=h, timeout=60
                        )
                    elif kind == "list":
                        resp = requests.get(f"{base}/complaints", headers=h, timeout=60)
                    elif kind == "view":
                        resp = requests.get(f"{base}/complaints/{mine}", headers=h, timeout=60)
                    elif kind == "status_doc":
                        resp = requests.get(
                            f"{base}/api/v1/documents/{rnd.randint(1, args.docs)}", headers=h, timeout=60
                        )
                    elif kind == "create":
                        resp = requests.post(
                            f"{base}/api/v1/complaints",
                            json={"phone": "0812345678", "category_id": cat, "summary": rnd.choice(words)},
                            headers=h,
                            timeout=60,
                        )
                        if resp.status_code == 201:
                            with lock:
                                made.append(resp.json()["id"])
                    elif kind == "upload":
                        resp = requests.post(
                            f"{base}/upload",
                            files={"files": (f"load-{i}-{rnd.randrange(10**9)}.png", _unique(page, rnd))},
                            headers=h,
                            timeout=60,
                        )
                        if resp.status_code == 200:
                            with lock:
                                uploaded.append(resp.json()["documents"][0]["document_id"])
                    else:
                        to = rnd.choice(["in_progress", "waiting_agency"])
                        resp = requests.post(
                            f"{base}/api/v1/complaints/{mine}/status", json={"to_status": to}, headers=h, timeout=60
                        )
                    ok = resp.status_code < 500 and (resp.status_code != 409 or kind == "move")
                    if not ok or (kind != "move" and resp.status_code >= 400 and kind != "status_doc"):
                        with lock:
                            errors.append(f"{kind} {resp.status_code} {resp.text[:120]}")
                except requests.RequestException as e:
                    with lock:
                        errors.append(f"{kind} {type(e).__name__}")
                with lock:
                    times[kind].append((time.perf_counter() - t) * 1000)

        t0 = time.perf_counter()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        elapsed = time.perf_counter() - t0
        read = _read_count(home, extra_env, uploaded)
        for p in [server, *workers]:
            p.terminate()
        for p in [server, *workers]:
            p.wait(timeout=120)
        every = sorted(x for v in times.values() for x in v)

        def pct(xs: list[float], q: float) -> float:
            return round(xs[min(len(xs) - 1, int(q * len(xs)))], 1) if xs else 0.0

        print(
            json.dumps(
                {
                    "clients": args.clients,
                    "think_s": args.think,
                    "seconds": round(elapsed, 1),
                    "documents": args.docs,
                    "requests": len(every),
                    "per_second": round(len(every) / elapsed, 1),
                    "p50_ms": pct(every, 0.5),
                    "p95_ms": pct(every, 0.95),
                    "max_ms": round(max(every, default=0), 1),
                    "errors": len(errors),
                    "error_samples": errors[:10],
                    "by_kind": {
                        k: {"n": len(v), "p50_ms": pct(sorted(v), 0.5), "p95_ms": pct(sorted(v), 0.95)}
                        for k, v in times.items()
                    },
                    "complaints_created": len(made),
                    "setup": {
                        "database": "postgresql" if args.postgres else "sqlite",
                        "search_backend": extra_env.get("DAMRONG_SEARCH_BACKEND", "whoosh"),
                        "workers": args.workers or "beside the web (processing = web)",
                    },
                    "uploads": {"taken": len(uploaded), "read_by_the_end": read},
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _page(home: Path) -> bytes:
    """A small petition page (PNG) to upload; each upload changes a pixel so none is a duplicate."""
    from tests.thai_pages import render_lines

    path = home.parent / f"{home.name}-page.png"
    render_lines(["เรื่อง ขอความช่วยเหลือเรื่องหนี้นอกระบบ", "ข้าพเจ้า นายทดสอบ ระบบงาน"], px=36, width=900).save(path)
    data = path.read_bytes()
    path.unlink()
    return data


def _unique(page: bytes, rnd: random.Random) -> bytes:
    import io

    from PIL import Image

    im = Image.open(io.BytesIO(page)).convert("L")
    im.putpixel((rnd.randrange(im.width), rnd.randrange(8)), rnd.randrange(200, 255))
    out = io.BytesIO()
    im.save(out, format="PNG")
    return out.getvalue()


def _read_count(home: Path, extra_env: dict[str, str], ids: list[int]) -> int:
    """How many of the uploaded documents the workers had read when the clients stopped."""
    from config import load_settings
    from records.home import Archive
    from records.models import Document, DocumentState

    if not ids:
        return 0
    a = Archive(load_settings(env=extra_env, home=str(home)))
    try:
        with a.db.session() as s:
            return s.query(Document).filter(Document.id.in_(ids), Document.state == DocumentState.done).count()
    finally:
        a.close()


if __name__ == "__main__":
    assert Maker  # the synthetic documents' maker, shared with search_scale
    main()

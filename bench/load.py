"""A bounded load on the running server: `damrong serve` (its own process) over a home of
synthetic documents, and CLIENTS clients for SECONDS seconds, each signed in with a token as an
officer of a district, doing a mix of reads and writes — search, the complaint list, a complaint's
page, document status, new complaints and status changes. Prints one JSON object: requests,
requests per second, latency p50/p95/max (ms) overall and by kind, and every error.

  python bench/load.py [--clients 20] [--seconds 60] [--docs 500]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import requests  # noqa: E402
from search_scale import Maker, build  # noqa: E402

from records import users  # noqa: E402
from records.models import Category, User  # noqa: E402

MIX = [("search", 35), ("list", 25), ("view", 15), ("status_doc", 5), ("create", 12), ("move", 8)]


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
    args = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="damrong-load-"))
    try:
        a, facts, _ = build(home, args.docs)
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
        env = {**os.environ, "DAMRONG_HOME": str(home)}
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "damrong"), "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                requests.get(f"{base}/login", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        times: dict[str, list[float]] = {k: [] for k, _ in MIX}
        errors: list[str] = []
        made: list[int] = []
        lock = threading.Lock()
        stop = time.monotonic() + args.seconds

        def client(i: int) -> None:
            rnd = random.Random(i)
            h = {"Authorization": f"Bearer {tokens[i]}"}
            kinds, weights = zip(*MIX)
            while time.monotonic() < stop:
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
        server.terminate()
        server.wait(timeout=30)
        every = sorted(x for v in times.values() for x in v)

        def pct(xs: list[float], q: float) -> float:
            return round(xs[min(len(xs) - 1, int(q * len(xs)))], 1) if xs else 0.0

        print(
            json.dumps(
                {
                    "clients": args.clients,
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
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    assert Maker  # the synthetic documents' maker, shared with search_scale
    main()

"""Pages per minute of one `damrong worker` against two, over the same queue.

  python bench/worker_throughput.py [--pages 120] [--postgres]

A home gets PAGES small petition pages (PNG, two lines of Thai) stored and waiting (intake only);
then N worker processes (each one thread, one Tesseract at a time: DAMRONG_WORKERS=1) read the
queue until it is empty. Done for N = 1 and N = 2 on fresh homes; prints one JSON object with
the seconds, pages per minute and the speed-up. On a 2-core machine the ideal is 2×.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from config import load_settings  # noqa: E402
from ingest.pipeline import intake  # noqa: E402
from records.home import Archive  # noqa: E402
from records.models import Document, DocumentState  # noqa: E402
from tests.thai_pages import render_lines  # noqa: E402


def _home(pages: int, env: dict[str, str]) -> Path:
    home = Path(tempfile.mkdtemp(prefix="damrong-workers-"))
    a = Archive(load_settings(env=env, home=str(home)))
    for i in range(pages):
        p = home / f"page-{i}.png"
        render_lines([f"เรื่อง ขอความช่วยเหลือ ฉบับที่ {i}", "ข้าพเจ้า นายทดสอบ ระบบงาน ตำบลหนองบัว"], px=36, width=1000).save(
            p, dpi=(300, 300)
        )
        assert intake(a, p).state == "pending"
        p.unlink()
    a.close()
    return home


def _left(home: Path, env: dict[str, str]) -> int:
    a = Archive(load_settings(env=env, home=str(home)))
    try:
        with a.db.session() as s:
            return s.query(Document).filter(Document.state != DocumentState.done).count()
    finally:
        a.close()


def _run(n: int, pages: int, env: dict[str, str]) -> float:
    home = _home(pages, env)
    full = {**os.environ, **env, "DAMRONG_HOME": str(home), "DAMRONG_WORKERS": "1", "DAMRONG_PROCESSING": "workers"}
    exe = str(Path(sys.executable).parent / "damrong")
    t = time.perf_counter()
    procs = [
        subprocess.Popen([exe, "worker", "--threads", "1", "--poll", "0.2"], env=full, stderr=subprocess.DEVNULL)
        for _ in range(n)
    ]
    try:
        while _left(home, env):
            time.sleep(0.5)
        return time.perf_counter() - t
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=120)
        shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=120)
    ap.add_argument("--postgres", action="store_true")
    args = ap.parse_args()
    with ExitStack() as stack:
        env: dict[str, str] = {}
        if args.postgres:
            from pg_cluster import cluster

            new_db = stack.enter_context(cluster())
        out = {}
        for n in (1, 2):
            if args.postgres:
                env = {"DAMRONG_DATABASE_URL": new_db(), "DAMRONG_SEARCH_BACKEND": "postgres"}
            s = _run(n, args.pages, env)
            out[f"workers_{n}"] = {"seconds": round(s, 1), "pages_per_minute": round(args.pages * 60 / s, 1)}
        out["speed_up"] = round(out["workers_2"]["pages_per_minute"] / out["workers_1"]["pages_per_minute"], 2)
        out["pages"] = args.pages
        out["database"] = "postgresql" if args.postgres else "sqlite"
        print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()

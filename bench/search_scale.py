"""Search at scale: index N synthetic Thai documents (default 10,000) and time queries.

  python bench/search_scale.py [--docs 10000] [--queries 300] [--home DIR] [--backend whoosh|postgres]
                               [--bulk [--processes 2]]

With --backend postgres the documents go into a throwaway PostgreSQL cluster and the index is
the postgres search backend's (search.pg_index); with --bulk the rows are made in parallel and
COPYed straight into it (bench/pg_bulk_index.py: a million documents in minutes, not hours).

Documents are made from Thai Word frequencies (the TNC list shipped with PyThaiNLP), with
names, valid citizen ID numbers, official document numbers and dates mixed in, ~1,500
characters each — the size of a one-page petition. They go into a fresh home's database
directly (no OCR) and the index is built by `reindex`. Queries: common and rare words,
surnames, ID numbers (with dashes and Thai digits), document numbers, two-word phrases.
Reports index build time and size, and search latency p50/p95/max through search.query.search.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import load_settings
from records.home import Archive
from records.models import Document, DocumentState, Page
from search.index import open_index
from search.query import search
from thai.dates import MONTH_NAMES
from thai.words import pythainlp_corpus

THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
MONTHS = MONTH_NAMES


def citizen_id(rnd: random.Random) -> str:
    d = [rnd.randint(1, 8)] + [rnd.randint(0, 9) for _ in range(11)]
    check = (11 - sum(x * (13 - i) for i, x in enumerate(d)) % 11) % 10
    s = "".join(map(str, [*d, check]))
    return s


def dashed(cid: str) -> str:
    return f"{cid[0]}-{cid[1:5]}-{cid[5:10]}-{cid[10:12]}-{cid[12]}"


class Maker:
    def __init__(self, seed: int = 7):
        self.rnd = random.Random(seed)
        corpus = pythainlp_corpus()
        rows = [ln.split("\t") for ln in (corpus / "tnc_freq.txt").read_text(encoding="utf-8").splitlines()]
        rows = [(w, int(f)) for w, f in rows if w.strip() and f.isdigit()][:20000]
        self.words = [w for w, _ in rows]
        self.cum = list(itertools.accumulate(f for _, f in rows))
        self.surnames = (corpus / "family_names_th.txt").read_text(encoding="utf-8").split()
        self.firsts = (corpus / "person_names_male_th.txt").read_text(encoding="utf-8").split()
        self.agencies = ["มท", "สน", "มห", "รบ", "ชม", "ขก", "นม", "อบ"]

    def word(self) -> str:
        return self.words[bisect.bisect(self.cum, self.rnd.random() * self.cum[-1])]

    def line(self, n: int) -> str:
        return "".join(self.word() for _ in range(n))

    def doc(self) -> tuple[str, dict]:
        r = self.rnd
        cid = citizen_id(r)
        name = f"{r.choice(self.firsts)} {r.choice(self.surnames)}"
        docno = f"{r.choice(self.agencies)} {r.randint(1000, 9999)}.{r.randint(1, 9)}/ว {r.randint(100, 29999)}"
        thai_digits = r.random() < 0.5
        num = (lambda s: s.translate(THAI)) if thai_digits else (lambda s: s)
        y = r.randint(2558, 2569)
        day, month = r.randint(1, 28), r.choice(MONTHS)
        lines = [
            f"ที่ {num(docno)}",
            f"วันที่ {num(str(day))} {month} {num(str(y))}",
            f"เรื่อง {self.line(4)}",
            f"ข้าพเจ้า นาย{name} เลขประจำตัวประชาชน {num(dashed(cid))}",
        ]
        lines += [self.line(r.randint(8, 14)) for _ in range(16)]
        facts = {"cid": cid, "surname": name.split()[1], "docno": docno, "year": y - 543}
        facts["date"] = dt.date(y - 543, MONTHS.index(month) + 1, day)
        return "\n".join(lines), facts


def build(home: Path, n: int, env: dict[str, str] | None = None) -> tuple[Archive, list[dict], float]:
    a = Archive(load_settings(env=env or {}, home=str(home)))
    mk = Maker()
    facts = []
    t = time.perf_counter()
    with a.db.session() as s:
        for i in range(n):
            text, f = mk.doc()
            d = Document(
                sha256=f"{i:064x}",
                filename=f"synthetic-{i:05d}.pdf",
                media_type="application/pdf",
                size_bytes=len(text),
                state=DocumentState.done,
                fields={},
                page_count=1,
                text_source="ocr",
            )
            d.pages = [Page(number=1, text=text, source="ocr")]
            s.add(d)
            f["file"] = d.filename
            facts.append(f)
            if i % 1000 == 999:
                s.commit()
        s.commit()
    db_s = time.perf_counter() - t
    t = time.perf_counter()
    open_index(a).rebuild()
    return a, facts, (db_s, time.perf_counter() - t)


def queries(facts: list[dict], mk: Maker, n: int) -> list[tuple[str, str]]:
    r = random.Random(11)
    qs = []
    for _ in range(n):
        f = r.choice(facts)
        kind = r.choice(["word", "rare", "surname", "cid", "cid-dashed", "docno", "phrase"])
        if kind == "word":
            q = mk.words[r.randint(50, 2000)]
        elif kind == "rare":
            q = mk.words[r.randint(5000, 19000)]
        elif kind == "surname":
            q = f["surname"]
        elif kind == "cid":
            q = f["cid"]
        elif kind == "cid-dashed":
            q = dashed(f["cid"]).translate(THAI)
        elif kind == "docno":
            q = f["docno"]
        else:
            q = mk.words[r.randint(50, 3000)] + " " + mk.words[r.randint(50, 3000)]
        qs.append((kind, q))
    return qs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--home", type=Path)
    ap.add_argument("--backend", choices=["whoosh", "postgres"], default="whoosh")
    ap.add_argument(
        "--bulk",
        action="store_true",
        help="postgres only: COPY the analysed rows straight into search_docs (bench/pg_bulk_index.py), for a million",
    )
    ap.add_argument("--processes", type=int, default=2, help="with --bulk: processes making the rows")
    args = ap.parse_args()
    if args.bulk and args.backend != "postgres":
        ap.error("--bulk needs --backend postgres")
    if args.backend == "postgres":
        from pg_cluster import cluster

        with cluster(("shared_buffers=2GB", "work_mem=64MB", "maintenance_work_mem=1GB")) as new_db:
            run(args, {"DAMRONG_DATABASE_URL": new_db(), "DAMRONG_SEARCH_BACKEND": "postgres"})
    else:
        run(args, {})


def _index_bytes(a: Archive) -> int:
    if a.settings.search_backend == "postgres":
        from sqlalchemy import text

        with a.db.session() as s:
            return int(s.scalar(text("SELECT pg_total_relation_size('search_docs')")) or 0)
    return sum(p.stat().st_size for p in a.settings.index_dir.rglob("*") if p.is_file())


def run(args: argparse.Namespace, env: dict[str, str]) -> None:
    home = args.home or Path(tempfile.mkdtemp(prefix="damrong-scale-"))
    try:
        if args.bulk:
            from pg_bulk_index import fill

            a = Archive(load_settings(env=env, home=str(home)))
            facts, db_s, index_s = fill(a, args.docs, args.processes)
        else:
            a, facts, (db_s, index_s) = build(home, args.docs, env)
        qs = queries(facts, Maker(), args.queries)
        search(open_index(a), "ที่")  # warm the searcher
        lat: dict[str, list[float]] = {}
        found = {"cid": 0, "cid-dashed": 0, "docno": 0}
        tried = dict.fromkeys(found, 0)
        by_q = {f["cid"]: f["file"] for f in facts}
        by_doc = {f["docno"]: f["file"] for f in facts}
        for kind, q in qs:
            t = time.perf_counter()
            res = search(open_index(a), q, limit=20)
            lat.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
            if kind in found:
                tried[kind] += 1
                key = (
                    q
                    if kind != "cid-dashed"
                    else q.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")).replace("-", "")
                )
                want = by_q.get(key) if kind != "docno" else by_doc[q]
                found[kind] += want in [h.filename for h in res.hits]
        allv = sorted(v for vs in lat.values() for v in vs)
        size = _index_bytes(a)
        out = {
            "backend": args.backend,
            "docs": args.docs,
            "queries": len(allv),
            "db_load_s": round(db_s, 1),
            "index_build_s": round(index_s, 1),
            "index_mb": round(size / 1e6, 1),
            "p50_ms": round(statistics.median(allv), 1),
            "p95_ms": round(allv[int(len(allv) * 0.95)], 1),
            "max_ms": round(allv[-1], 1),
            "p95_ms_by_kind": {k: round(sorted(v)[int(len(v) * 0.95)], 1) for k, v in sorted(lat.items())},
            "exact_lookups_found": {k: f"{found[k]}/{tried[k]}" for k in found},
        }
        print(json.dumps(out, ensure_ascii=False, indent=1))
        a.close()
    finally:
        if not args.home:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()

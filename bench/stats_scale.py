"""Statistics at national scale: N synthetic complaints (default 3,300,000, the 2018 national count)
in a throwaway PostgreSQL cluster, then the KPI dashboard (records.statistics.dashboard) timed for
the central centre, a province and a district, and the month-end report's figures
(records.monthly_report.figures) for the nation with all 928 districts. Each dashboard is timed
counted live, and as a web process serves it with stats_cache_s = 300 after `damrong stats warm`
(records.stats_cache; the district's, which warm does not count, is counted on its first view).

  python bench/stats_scale.py [--complaints 3300000] [--repeat 10] [--months 36]

The complaints are spread over the last `--months` months across every district, uniformly, with
the six channels, the top categories, a 30-day due date, and statuses as a centre holds them
(about 78% closed, the rest open in one of the four open statuses); each has its history: the
intake event and, when it moved, the event of its present status. Rows are made inside
PostgreSQL (INSERT … SELECT over generate_series), so the load takes a minute or two rather than
hours. Prints one JSON object: load time, table sizes, and p50/p95/max per view."""

from __future__ import annotations

import argparse
import json
import statistics as stats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import text

from config import load_settings
from records import monthly_report, statistics, stats_cache, users
from records.home import Archive
from records.models import User

FILL = """
INSERT INTO complaints (tracking_no, area_id, received_at, channel, phone, address, respondent_kind,
    respondent_name, respondent_key, category_id, subcategory_text, incident_province, incident_district,
    incident_subdistrict, summary, due_date, status, outcome, closed_at, updated_at)
SELECT 'S-' || x.g,
       d.ids[1 + floor(x.r1 * array_length(d.ids, 1))::int],
       x.at,
       (ARRAY['walk_in','hotline_1567','letter','online','mobile_unit','other'])[1 + floor(x.r2 * 6)::int],
       '0800000000', '', '', '', '',
       c.ids[1 + floor(x.r3 * array_length(c.ids, 1))::int],
       '', CASE WHEN x.r5 < 0.9 THEN 'จังหวัด' ELSE '' END, '', '', '',
       (x.at + interval '30 days')::date,
       x.status,
       CASE WHEN x.status = 'closed' THEN 'resolved' END,
       CASE WHEN x.status = 'closed' THEN least(x.at + x.r5 * interval '60 days', now() at time zone 'utc') END,
       x.at
FROM (
    SELECT g, r1, r2, r3, r5,
           timestamp :start + r4 * (now() at time zone 'utc' - timestamp :start) AS at,
           CASE WHEN r6 < 0.78 THEN 'closed' WHEN r6 < 0.86 THEN 'in_progress'
                WHEN r6 < 0.92 THEN 'waiting_agency' WHEN r6 < 0.95 THEN 'forwarded' ELSE 'received' END AS status
    FROM (SELECT g, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6
          FROM generate_series(:first, :last) g) raw
) x,
(SELECT array_agg(id ORDER BY id) ids FROM areas WHERE kind = 'district') d,
(SELECT array_agg(id ORDER BY id) ids FROM categories WHERE parent_id IS NULL) c
"""
EVENTS = """
INSERT INTO complaint_events (complaint_id, at, from_status, to_status, outcome, reason)
SELECT id, received_at, NULL, 'received', NULL, '' FROM complaints WHERE id BETWEEN :lo AND :hi
UNION ALL
SELECT id, coalesce(closed_at, least(received_at + interval '1 day', now() at time zone 'utc')), 'received', status,
       outcome, ''
FROM complaints WHERE status <> 'received' AND id BETWEEN :lo AND :hi
"""


def load(a: Archive, n: int, months: int) -> dict:
    t = time.perf_counter()
    start = f"{time.gmtime().tm_year - (months // 12) - 1}-01-01"
    step = 500_000
    with a.db.engine.begin() as conn:
        conn.execute(text("SELECT 1"))
    done = 0
    while done < n:
        hi = min(n, done + step)
        with a.db.engine.begin() as conn:
            conn.execute(text(FILL.replace(":start", f"'{start}'")), {"first": done + 1, "last": hi})
        done = hi
        print(f"  {done:,} complaints", file=sys.stderr, flush=True)
    loaded = time.perf_counter() - t
    with a.db.engine.begin() as conn:
        top = conn.execute(text("SELECT max(id) FROM complaints")).scalar() or 0
        for lo in range(0, top + 1, step):
            conn.execute(text(EVENTS), {"lo": lo, "hi": lo + step - 1})
    events = time.perf_counter() - t - loaded
    with a.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE complaints"))
        conn.execute(text("VACUUM ANALYZE complaint_events"))
        sizes = {
            t: conn.execute(text(f"SELECT count(*), pg_total_relation_size('{t}') FROM {t}")).one()
            for t in ("complaints", "complaint_events")
        }
    return {
        "complaints_s": round(loaded, 1),
        "events_s": round(events, 1),
        "analyze_s": round(time.perf_counter() - t - loaded - events, 1),
        "rows": {k: v[0] for k, v in sizes.items()},
        "mb": {k: round(v[1] / 2**20) for k, v in sizes.items()},
    }


def timed(fn, repeat: int) -> dict:
    ms = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        ms.append((time.perf_counter() - t) * 1000)
    ms.sort()
    return {
        "first_ms": round(ms[0] if repeat == 1 else ms[-1], 1),
        "p50_ms": round(stats.median(ms), 1),
        "p95_ms": round(ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))], 1),
        "max_ms": round(ms[-1], 1),
        "runs": repeat,
    }


def user(a: Archive, area: str, seed: int) -> User:
    base = f"1{seed:011d}"
    cid = base + str((11 - sum(int(d) * (13 - i) for i, d in enumerate(base)) % 11) % 10)
    u, _ = users.add_user(a.db, cid, f"bench {area}", "officer", area, password="bench-password-123")
    return users.get(a.db, u.id)


def run(args: argparse.Namespace, url: str) -> dict:
    home = Path(tempfile.mkdtemp(prefix="damrong-stats-"))
    a = Archive(load_settings(env={"DAMRONG_DATABASE_URL": url}, home=str(home)))
    out: dict = {"complaints": args.complaints, "load": load(a, args.complaints, args.months)}
    people = {"central": user(a, "MOI", 1), "province": user(a, "KKN", 2), "district": user(a, "KKN-01", 3)}
    for level, u in people.items():  # counted live, every time
        with a.db.session() as s:
            d = statistics.dashboard(s, u, statistics.Filters())
            out[f"dashboard_{level}_complaints"] = d.total

            def live(s=s, u=u):
                statistics.dashboard(s, u, statistics.Filters())

            out[f"live_{level}"] = timed(live, args.repeat if level != "central" else max(3, args.repeat // 3))
    t = time.perf_counter()
    warmed = stats_cache.warm(a.db)
    out["warm_all_s"] = round(time.perf_counter() - t, 1)
    out["warm_central_ms"] = next(w["ms"] for w in warmed if w["area"] == "MOI")
    out["warm_provinces_max_ms"] = max(w["ms"] for w in warmed if w["area"] != "MOI")
    for level, u in people.items():  # as a web process serves them with stats_cache_s = 300
        with a.db.session() as s:

            def served(s=s, u=u):
                d = stats_cache.dashboard(s, u, statistics.Filters(), max_age_s=300)
                s.expire_all()
                return d

            served()
            out[f"served_{level}"] = timed(served, args.repeat * 3)
    month = monthly_report.previous_month()
    with a.db.session() as s:
        nation = people["central"].area

        def report(s=s):
            return monthly_report.figures(s, nation, month)

        t = time.perf_counter()
        fig = report()
        out["report_nation_s"] = round(time.perf_counter() - t, 1)
        out["report_districts"] = len(fig["levels"][2]["rows"])
        out["report_received_month"] = fig["total"]["received_month"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--complaints", type=int, default=3_300_000)
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--months", type=int, default=36)
    args = ap.parse_args()
    from pg_cluster import cluster

    pg = ("shared_buffers=1GB", "work_mem=64MB", "maintenance_work_mem=512MB", "max_parallel_workers_per_gather=2")
    with cluster(pg) as new_db:
        print(json.dumps(run(args, new_db()), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

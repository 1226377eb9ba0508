"""The duplicate check on a labelled set: how often its top 5 are right, and how fast it answers.

  python bench/duplicates.py [--complaints 20000] [--probes 400] [--postgres] [--home DIR]

A fresh home (SQLite, or with --postgres a throwaway PostgreSQL cluster) gets N synthetic
complaints across the country, inserted directly with what the check looks up (respondent key,
text sketch), each about one of ~N/4 respondents, by one of N people.

Probes, each with the complaints it truly duplicates (the labels). A story is a clause from
small pools (subject, real sub-district, problem, since when: complaints of one kind are
phrased alike), a detail only that matter has (6–10 everyday words, an amount) and a request:
- resubmit: the same person files the same matter again in another province, the respondent
  written another way (บริษัท … จำกัด → บ.… จก., อบต. spelt out), the story re-told (a clause
  dropped or moved, words changed);
- ocr: the same petition OCR'd: 4% of its characters dropped, doubled or swapped for a
  look-alike (ำ→ํา, ่→้, ข→ช …), the respondent the same;
- other_person: someone else reports the same matter about the same respondent in other words;
- look_alike: no duplicate — the same respondent and category with another story, or the same
  category and place with another person, respondent and story.
Precision: of the candidates returned in the top 5, the share that are labelled duplicates;
recall: of the labelled duplicates, the share in the top 5. Latency: p50/p95 of check() over
all probes, in milliseconds, after a warm-up."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select

from config import load_settings
from records import duplicates
from records.home import Archive
from records.models import Area, AreaKind, Category, Complainant, Complaint, ComplaintTextBand, User
from thai.respondents import respondent_key

SUBJECTS = [
    "ถนนในหมู่บ้าน",
    "ท่อระบายน้ำหน้าตลาด",
    "ไฟฟ้าส่องสว่างริมทาง",
    "น้ำประปา",
    "โรงงานแปรรูปยาง",
    "ฟาร์มสุกร",
    "ร้านคาราโอเกะ",
    "รถบรรทุกดิน",
    "บ่อขยะของเทศบาล",
    "สะพานไม้ข้ามคลอง",
    "ที่ดินสาธารณประโยชน์",
    "เจ้าหนี้นอกระบบ",
    "ลานจอดรถของห้าง",
    "เสาโทรศัพท์",
    "ต้นไม้ใหญ่ริมถนน",
]
PROBLEMS = [
    "ชำรุดเป็นหลุมบ่อมาหลายเดือน",
    "ส่งกลิ่นเหม็นรบกวนทั้งวันทั้งคืน",
    "ปล่อยน้ำเสียลงคลองสาธารณะ",
    "เปิดเสียงดังเกินเวลาที่กฎหมายกำหนด",
    "ไม่มีใช้ติดต่อกันหลายวัน",
    "ทำให้ฝุ่นละอองฟุ้งกระจายเข้าบ้านเรือน",
    "รุกล้ำเข้ามาในเขตที่ดินของข้าพเจ้า",
    "เรียกดอกเบี้ยเกินอัตราและข่มขู่ทวงหนี้",
    "ล้มขวางทางสัญจรของชาวบ้าน",
    "ไม่ได้รับการแก้ไขแม้จะแจ้งไปแล้ว",
    "ทำให้ปลาในบ่อเลี้ยงตายจำนวนมาก",
    "กีดขวางการจราจรในช่วงเช้า",
]
ASKS = [
    "ขอให้หน่วยงานที่เกี่ยวข้องเข้าตรวจสอบโดยด่วน",
    "ขอให้ซ่อมแซมให้ใช้การได้ตามปกติ",
    "ขอให้ระงับการกระทำดังกล่าว",
    "ขอความเป็นธรรมและให้ดำเนินการตามกฎหมาย",
    "ขอให้ชดใช้ค่าเสียหายแก่ชาวบ้าน",
    "ขอให้แจ้งผลการดำเนินการให้ทราบ",
]
PLACES = ["หมู่ที่ {n}", "บ้านหนองบัว หมู่ {n}", "ซอย {n}", "ชุมชนริมน้ำ หมู่ {n}", "ถนนสายหลัก กม. {n}"]
WHEN = ["ตั้งแต่เดือนที่แล้ว", "มาเป็นเวลา {n} วัน", "ทุกคืนหลังสองทุ่ม", "ตั้งแต่ต้นปี", "ในช่วงฤดูฝน"]
FIRSTS = ["สมชาย", "สมศรี", "มานะ", "มานี", "ปิติ", "ชูใจ", "วีระ", "บุญมี", "ประเสริฐ", "จันทร์เพ็ญ", "อำนาจ", "สุดา"]
LASTS = ["ใจดี", "มีสุข", "ทองประเสริฐ", "ศรีสุข", "บุญมา", "แสงทอง", "รุ่งเรือง", "พรหมมา", "สายบุญ", "ชัยมงคล"]
BUSINESS = ["ทรายทอง", "รุ่งเรืองการช่าง", "สยามเกษตร", "อุดมทรัพย์", "เจริญยนต์", "ศรีสยาม", "ไทยรุ่งโรจน์"]
LOCAL = ["บ้านเป็ด", "โนนทอง", "หนองบัว", "ดอนหัน", "ท่าพระ", "บ้านค้อ", "ศิลา", "พระลับ", "สำราญ"]
LOOKS = {"ำ": "ํา", "่": "้", "ข": "ช", "บ": "ป", "ด": "ค", "ร": "ธ", "ท": "ห", "อ": "ฮ", "ล": "ส", "ี": "ื"}


def citizen_id(r: random.Random) -> str:
    d = [r.randint(1, 8)] + [r.randint(0, 9) for _ in range(11)]
    return "".join(map(str, [*d, (11 - sum(x * (13 - i) for i, x in enumerate(d)) % 11) % 10]))


class World:
    def __init__(self, seed: int = 11):
        from thai.lexicon import subdistricts
        from thai.words import frequency

        self.r = random.Random(seed)
        self.villages = sorted(subdistricts())
        common = sorted(frequency().items(), key=lambda kv: -kv[1])[50:4000]
        self.words = [w for w, _ in common if len(w) > 1]

    def clause(self) -> str:
        r = self.r
        place = r.choice(PLACES).format(n=r.randint(1, 20))
        when = r.choice(WHEN).format(n=r.randint(2, 60))
        return f"{r.choice(SUBJECTS)}{place} ตำบล{r.choice(self.villages)} {r.choice(PROBLEMS)} {when}"

    def detail(self) -> str:
        """What only this matter has: who, what was said, an amount — words of everyday Thai."""
        r = self.r
        return "".join(r.choice(self.words) for _ in range(r.randint(6, 10))) + f" {r.randint(2, 900)} บาท"

    def story(self) -> list[str]:
        return [self.clause(), self.detail(), self.r.choice(ASKS)]

    def respondent(self) -> tuple[str, str]:
        """(as first written, as written another way)"""
        r, kind = self.r, self.r.random()
        if kind < 0.4:
            b = f"{r.choice(BUSINESS)}{r.randint(1, 999)}"
            return f"บริษัท {b} จำกัด", f"บ.{b} จก."
        if kind < 0.75:
            place = f"{r.choice(LOCAL)}{r.randint(1, 300)}"
            return f"อบต.{place}", f"องค์การบริหารส่วนตำบล{place}"
        name = f"{r.choice(FIRSTS)}{r.randint(1, 99)} {r.choice(LASTS)}"
        return f"นาย{name}", name

    def retold(self, story: list[str]) -> str:
        r = self.r
        parts = list(story)
        if r.random() < 0.5:
            parts.insert(0, parts.pop(1))  # told in another order
        words = " ".join(parts).split(" ")
        for _ in range(r.randint(1, 2)):
            words.pop(r.randrange(len(words)))  # a word left out
        return " ".join(words) + r.choice(["", " จึงเรียนมาเพื่อโปรดพิจารณา", " ขอบคุณครับ"])

    def ocr(self, text: str, rate: float = 0.04) -> str:
        out = []
        for ch in text:
            x = self.r.random()
            if x < rate / 3:
                continue
            if x < 2 * rate / 3:
                out.append(ch + ch)
            elif x < rate and ch in LOOKS:
                out.append(LOOKS[ch])
            else:
                out.append(ch)
        return "".join(out)


def build(a: Archive, n: int, w: World) -> list[dict]:
    """N complaints with what the check looks up; returns their facts."""
    with a.db.session() as s:
        districts = list(s.execute(select(Area.id, Area.code, Area.parent_id).where(Area.kind == AreaKind.district)))
        provinces = dict(list(s.execute(select(Area.id, Area.name_th).where(Area.kind == AreaKind.province))))
        cats = list(s.scalars(select(Category.id).where(Category.parent_id.is_(None))))
        user_id = s.scalar(select(User.id))
    respondents = [w.respondent() for _ in range(max(1, n // 4))]
    facts = []
    start = dt.datetime(2026, 6, 1)
    for chunk in range(0, n, 5000):
        people, rows, bands = [], [], []
        for i in range(chunk, min(n, chunk + 5000)):
            area_id, code, parent = w.r.choice(districts)
            story = w.story()
            resp = w.r.choice(respondents)
            f = {
                "id": i + 1,
                "cid": citizen_id(w.r),
                "area_id": area_id,
                "province": provinces.get(parent, ""),
                "district": code,
                "category_id": w.r.choice(cats),
                "respondent": resp,
                "story": story,
                "summary": " ".join(story),
                "at": start + dt.timedelta(minutes=i * 7 % 250000),
            }
            facts.append(f)
            people.append(
                {"id": i + 1, "citizen_id": f["cid"], "area_id": area_id, "first_name_th": "ผู้ร้อง", "address": {}}
            )
            rows.append(
                {
                    "id": i + 1,
                    "tracking_no": f"BNC-2569-{i + 1:07d}",
                    "area_id": area_id,
                    "received_at": f["at"],
                    "channel": "walk_in",
                    "complainant_id": i + 1,
                    "phone": "0812345678",
                    "respondent_name": resp[0],
                    "respondent_key": respondent_key(resp[0]),
                    "category_id": f["category_id"],
                    "incident_province": f["province"],
                    "incident_district": code,
                    "summary": f["summary"],
                    "status": "received",
                    "created_by_id": user_id,
                }
            )
            bands += [
                {"complaint_id": i + 1, "band": b, "band_key": k}
                for b, k in enumerate(duplicates.band_keys(f["summary"]))
            ]
        with a.db.session() as s:
            s.execute(insert(Complainant), people)
            s.execute(insert(Complaint), rows)
            s.execute(insert(ComplaintTextBand), bands)
            s.commit()
        print(f"  {min(n, chunk + 5000)} complaints", file=sys.stderr, flush=True)
    return facts


def probes(facts: list[dict], w: World, count: int) -> list[tuple[str, duplicates.Probe, set[int]]]:
    out = []
    kinds = ["resubmit", "ocr", "other_person", "look_alike"]
    for i in range(count):
        kind = kinds[i % 4]
        f = w.r.choice(facts)
        if kind == "resubmit":
            p = duplicates.Probe(citizen_id=f["cid"], respondent_name=f["respondent"][1], summary=w.retold(f["story"]))
            truth = {f["id"]}
        elif kind == "ocr":
            p = duplicates.Probe(citizen_id=f["cid"], respondent_name=f["respondent"][0], summary=w.ocr(f["summary"]))
            truth = {f["id"]}
        elif kind == "other_person":
            p = duplicates.Probe(
                citizen_id=citizen_id(w.r), respondent_name=f["respondent"][1], summary=w.retold(f["story"])
            )
            truth = {f["id"]}
        elif w.r.random() < 0.5:  # the same respondent and category, another matter
            p = duplicates.Probe(
                citizen_id=citizen_id(w.r),
                respondent_name=f["respondent"][1],
                summary=" ".join(w.story()),
                category_id=f["category_id"],
            )
            truth = set()
        else:  # the same category and place, another everything
            p = duplicates.Probe(
                citizen_id=citizen_id(w.r),
                respondent_name=w.respondent()[0],
                summary=" ".join(w.story()),
                category_id=f["category_id"],
                province=f["province"],
                district=f["district"],
                at=f["at"],
            )
            truth = set()
        out.append((kind, p, truth))
    return out


def run(args: argparse.Namespace, env: dict[str, str]) -> dict:
    home = args.home or Path(tempfile.mkdtemp(prefix="damrong-dup-"))
    a = Archive(load_settings(env={**env}, home=str(home)))
    with a.db.session() as s:
        if s.scalar(select(User.id)) is None:
            from records import users

            users.add_user(a.db, "1000000010179", "bench", "admin", "MOI", password="bench-password-123")
    w = World()
    t0 = time.perf_counter()
    facts = build(a, args.complaints, w)
    if a.db.engine.dialect.name == "postgresql":  # what autovacuum does after a bulk load
        with a.db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    build_s = time.perf_counter() - t0
    from records import users as users_mod

    with a.db.session() as s:
        admin = users_mod.get(a.db, s.scalar(select(User.id)))
    labelled = probes(facts, w, args.probes)
    by_kind: dict[str, dict[str, int]] = {}
    lat = []
    with a.db.session() as s:
        for _kind, p, _truth in labelled[:20]:
            duplicates.check(s, admin, p)  # warm-up
        for kind, p, truth in labelled:
            t = time.perf_counter()
            found = duplicates.check(s, admin, p, limit=5)
            lat.append((time.perf_counter() - t) * 1000)
            got = {c.complaint.id for c in found}
            k = by_kind.setdefault(kind, {"probes": 0, "returned": 0, "right": 0, "labelled": 0, "found": 0})
            k["probes"] += 1
            k["returned"] += len(got)
            k["right"] += len(got & truth)
            k["labelled"] += len(truth)
            k["found"] += len(got & truth)
    returned = sum(k["returned"] for k in by_kind.values())
    labelled_n = sum(k["labelled"] for k in by_kind.values())
    lat.sort()
    out = {
        "backend": "postgres" if env else "sqlite",
        "complaints": args.complaints,
        "probes": len(labelled),
        "build_s": round(build_s, 1),
        "precision_top5": round(sum(k["right"] for k in by_kind.values()) / max(1, returned), 4),
        "recall_top5": round(sum(k["found"] for k in by_kind.values()) / max(1, labelled_n), 4),
        "latency_ms": {
            "p50": round(statistics.median(lat), 1),
            "p95": round(lat[int(len(lat) * 0.95) - 1], 1),
            "max": round(lat[-1], 1),
        },
        "by_kind": by_kind,
    }
    a.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--complaints", type=int, default=20000)
    ap.add_argument("--probes", type=int, default=400)
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--home", type=Path)
    args = ap.parse_args()
    if args.postgres:
        from pg_cluster import cluster

        with cluster(("shared_buffers=1GB", "work_mem=32MB", "maintenance_work_mem=512MB")) as new_db:
            print(json.dumps(run(args, {"DAMRONG_DATABASE_URL": new_db()}), ensure_ascii=False, indent=2))
    else:
        print(json.dumps(run(args, {}), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

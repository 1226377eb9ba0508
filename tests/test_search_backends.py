"""The PostgreSQL search backend finds what the Whoosh one finds: the same documents, in the
same tiers, for names, ID numbers (dashes, Thai digits), document numbers, phrases, OCR-damaged
words and digits, with the same area and date filters; and the CLI works end to end on it."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from config import load_settings
from records.home import Archive
from records.models import Area, Document, DocumentState, Page
from search.index import open_index
from search.query import Visible, search
from tests.conftest import damrong, valid_cid

THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
SURNAMES = ["ทองประเสริฐ", "ศรีสุข", "บุญมา", "แก้วมณี", "สายทอง", "จันทร์หอม", "พรหมมา", "วงศ์ใหญ่"]
PLACES = ["ตำบลหนองบัว", "ตำบลบ้านเป็ด", "ตำบลในเมือง", "ตำบลศิลา"]
TOPICS = ["ขอความช่วยเหลือเรื่องหนี้นอกระบบ", "ร้องเรียนการบุกรุกที่ดินสาธารณประโยชน์", "ขอให้ซ่อมแซมถนนในหมู่บ้าน"]


def _corpus(n: int = 60) -> list[dict]:
    rnd = random.Random(3)
    out = []
    for i in range(n):
        cid = valid_cid(5000 + i)
        docno = f"มท {rnd.randint(1000, 9999)}.{rnd.randint(1, 9)}/ว {rnd.randint(100, 9999)}"
        dashed = f"{cid[0]}-{cid[1:5]}-{cid[5:10]}-{cid[10:12]}-{cid[12]}"
        text = "\n".join(
            [
                f"ที่ {docno.translate(THAI) if i % 2 else docno}",
                f"เรื่อง {rnd.choice(TOPICS)}",
                f"ข้าพเจ้า นายสมชาย {rnd.choice(SURNAMES)} เลขประจำตัวประชาชน {dashed}",
                f"ที่อยู่ {rnd.choice(PLACES)} โทร 08{rnd.randint(10000000, 99999999)}",
            ]
        )
        out.append({"text": text, "cid": cid, "docno": docno, "date": dt.date(2020 + i % 5, 1 + i % 12, 1 + i % 28)})
    return out


def _fill(archive: Archive, docs: list[dict]) -> None:
    with archive.db.session() as s:
        codes = ["KKN-01", "KKN-02", "CMI-01"]
        by_code = {a.code: a.id for a in s.query(Area).filter(Area.code.in_(codes))}
        for i, d in enumerate(docs):
            doc = Document(
                sha256=f"{i:064x}",
                filename=f"petition-{i:03d}.pdf",
                media_type="application/pdf",
                size_bytes=1,
                state=DocumentState.done,
                fields={},
                page_count=1,
                doc_date=d["date"],
                area_id=by_code[codes[i % 3]],
            )
            doc.pages = [Page(number=1, text=d["text"], source="ocr")]
            s.add(doc)
        s.commit()
    open_index(archive).rebuild()


@pytest.fixture(scope="module")
def both(tmp_path_factory, postgres):
    docs = _corpus()
    out = {}
    for backend in ("whoosh", "postgres"):
        home = tmp_path_factory.mktemp(backend)
        url = postgres() if backend == "postgres" else ""
        a = Archive(load_settings(env={}, home=str(home), database_url=url, search_backend=backend))
        _fill(a, docs)
        out[backend] = a
    yield out, docs
    for a in out.values():
        a.close()


def _queries(docs: list[dict]) -> list[str]:
    d = docs[7]
    cid = d["cid"]
    return [
        "ทองประเสริฐ",  # a surname in many
        "นายสมชาย ศรีสุข",  # two words: the exact tier, then both parts anywhere
        "หนองบัว หนี้นอกระบบ",
        cid,
        f"{cid[0]}-{cid[1:5]}-{cid[5:10]}-{cid[10:12]}-{cid[12]}".translate(THAI),
        d["docno"],
        d["docno"].translate(THAI),
        "สาธารณประโยชน",  # one letter short: still exact (a substring)
        "บุกรุกที่ดืนสาธารณ",  # a vowel misread: the near tier
        cid[:-3] + "000",  # three digits misread: the closest number
        "ถนน",
        "ไม่มีในเอกสารใดเลย",
    ]


def _ids(res) -> list[tuple[int, str]]:
    return [(h.document_id, h.tier) for h in res.hits]


def test_both_backends_find_the_same_documents_in_the_same_tiers(both):
    archives, docs = both
    for q in _queries(docs):
        w = search(open_index(archives["whoosh"]), q, limit=100)
        p = search(open_index(archives["postgres"]), q, limit=100)
        assert w.total == p.total, q
        assert sorted(_ids(w)) == sorted(_ids(p)), q
        if p.hits:
            assert "<mark>" in p.hits[0].snippet, q
    # documents are numbered alike in both homes (the same inserts), so ids compare directly
    assert search(open_index(archives["postgres"]), docs[7]["cid"]).hits[0].filename == "petition-007.pdf"


def test_both_backends_filter_by_area_and_date_and_sort_by_date(both):
    archives, _docs = both

    def area_id(backend: str, code: str) -> int:
        with archives[backend].db.session() as s:
            return s.query(Area).filter_by(code=code).one().id

    kkn01, province = area_id("postgres", "KKN-01"), area_id("postgres", "KKN")
    assert (kkn01, province) == (area_id("whoosh", "KKN-01"), area_id("whoosh", "KKN"))  # seeded alike
    for kwargs in (
        {"allowed": Visible(kkn01)},
        {"allowed": Visible(province)},
        {"date_from": dt.date(2022, 1, 1), "date_to": dt.date(2023, 6, 30)},
        {"order": "newest"},
        {"order": "newest", "offset": 5, "limit": 5},
    ):
        w = search(open_index(archives["whoosh"]), "นายสมชาย", **{"limit": 100, **kwargs})
        p = search(open_index(archives["postgres"]), "นายสมชาย", **{"limit": 100, **kwargs})
        assert w.total == p.total, kwargs
        if kwargs.get("order") == "newest":
            assert [h.date for h in w.hits] == [h.date for h in p.hits]
            assert [h.date for h in p.hits] == sorted((h.date for h in p.hits), reverse=True)
        else:
            assert sorted(_ids(w)) == sorted(_ids(p)), kwargs
    seen = search(open_index(archives["postgres"]), "นายสมชาย", limit=100, allowed=Visible(kkn01))
    assert 0 < seen.total < 60 and seen.total == len(seen.hits)
    assert search(open_index(archives["postgres"]), "นายสมชาย", limit=100, allowed=Visible(province)).total > seen.total


def test_the_cli_on_postgresql_with_the_postgres_backend(home, postgres, petition_png):
    env = {"DAMRONG_DATABASE_URL": postgres(), "DAMRONG_SEARCH_BACKEND": "postgres"}
    out = [
        json.loads(x) for x in damrong("ingest", str(petition_png), "--json", home=home, env=env).stdout.splitlines()
    ]
    assert out[0]["state"] == "done"
    hits = json.loads(damrong("search", "ทองประเสริฐ", "--json", "--limit", "5", home=home, env=env).stdout)
    assert hits["total"] == 1 and hits["hits"][0]["filename"] == "petition.png"
    assert "<mark>" in hits["hits"][0]["snippet"]
    assert not (home / "index").exists()  # no Whoosh folder: the index is in PostgreSQL
    damrong("reindex", home=home, env=env)
    again = json.loads(damrong("search", "3-1742-18096-79-5", "--json", home=home, env=env).stdout)
    assert [h["filename"] for h in again["hits"]] == ["petition.png"]
    v = json.loads(damrong("verify", "--json", home=home, env=env).stdout)
    assert v["problems"] == []


def test_the_postgres_backend_on_sqlite_is_refused_clearly(home):
    r = damrong("search", "x", home=home, env={"DAMRONG_SEARCH_BACKEND": "postgres"}, check=False)
    assert r.returncode != 0 and "needs DAMRONG_DATABASE_URL to name a PostgreSQL database" in r.stderr


def test_a_word_in_thousands_of_documents_on_postgres_is_shown_newest_first(home, postgres):
    """A common word's page comes from the newest documents (the trigram index holds their dates:
    an index made before that is replaced when the index is next opened)."""
    from sqlalchemy import text

    from search.pg_index import PgSearchIndex

    a = Archive(load_settings(env={}, home=str(home), database_url=postgres(), search_backend="postgres"))
    try:
        with a.db.engine.begin() as c:  # the trigram index as it was made before 2026-12-03
            PgSearchIndex(a.db)
            c.execute(text("DROP INDEX search_docs_grams_date"))
            c.execute(text("CREATE INDEX search_docs_grams ON search_docs USING gin (grams)"))
        PgSearchIndex(a.db)  # a process starts
        with a.db.engine.connect() as c:
            made = set(c.scalars(text("SELECT indexname FROM pg_indexes WHERE tablename = 'search_docs'")))
        assert "search_docs_grams_date" in made and "search_docs_grams" not in made

        docs = _corpus(1_200)
        _fill(a, docs)  # and ANALYZE: the newest 2% of dates are known
        res = search(open_index(a), "นายสมชาย", limit=20)
        with a.db.session() as s:
            newest = [d.id for d in s.query(Document).order_by(Document.doc_date.desc(), Document.id.desc()).limit(20)]
        assert res.total == 1_200 and not res.more
        assert [h.document_id for h in res.hits] == newest
    finally:
        a.close()

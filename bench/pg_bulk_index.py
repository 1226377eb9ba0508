"""Fill the PostgreSQL search index (search.pg_index's `search_docs`) with N synthetic documents
fast enough for a million: search_scale.py's documents, analysed by the index's own function
(search.pg_index.analysed: the same squashed text, trigrams and nlpo3 words a sync writes),
made in parallel processes and streamed in with COPY; the GIN indexes are dropped for the load
and built once at the end (as any bulk load into PostgreSQL does).

The rows go straight into `search_docs`, not through `documents` and `reindex`: search reads
that table alone, so what is timed afterwards is what a national archive's search would do.
Used by `search_scale.py --backend postgres --bulk`.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import random
import time
from collections.abc import Iterator

from sqlalchemy import text

from records.home import Archive
from search.pg_index import PgSearchIndex, _refresh_stats, analysed, create_index, indexes

CHUNK = 2_000  # documents one process makes at a time
SAMPLE_EVERY = 97  # one document in so many keeps its facts for the queries
COLUMNS = "doc_id, filename, kind, created, date, squashed, grams, words, body, areas"
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _field(value: str) -> str:
    return value.translate(COPY_ESCAPES)


def _array(items: list[str]) -> str:
    quoted = ('"' + w.replace("\\", "\\\\").replace('"', '\\"') + '"' for w in items)
    return _field("{" + ",".join(quoted) + "}")


def _chunk(start: int) -> tuple[bytes, list[dict]]:
    """Documents start … start + CHUNK - 1 as COPY text lines, and the sampled ones' facts."""
    from search_scale import Maker  # the bench's own documents (bench/ is on sys.path)

    mk = Maker(seed=start)
    created = dt.datetime(2026, 1, 1)
    lines, facts = [], []
    for doc_id in range(start, start + CHUNK):
        body, f = mk.doc()
        name = f"synthetic-{doc_id:07d}.pdf"
        a = analysed(name, body)
        row = [
            str(doc_id),
            name,
            "other",
            created.isoformat(sep=" "),
            f["date"].isoformat(),
            _field(a["squashed"]),
            _array(a["grams"]),
            _array(a["words"]),
            _field(body),
            "{}",
        ]
        lines.append("\t".join(row))
        if doc_id % SAMPLE_EVERY == 0:
            f["file"] = name
            facts.append(f)
    return ("\n".join(lines) + "\n").encode(), facts


def _starts(n: int) -> Iterator[int]:
    return iter(range(1, n + 1, CHUNK))


def fill(a: Archive, n: int, processes: int = 2, progress: bool = True) -> tuple[list[dict], float, float]:
    """N documents (rounded up to a whole CHUNK) into a's search_docs; returns the sampled
    documents' facts, the load's seconds and the index build's seconds."""
    PgSearchIndex(a.db)
    with a.db.engine.begin() as conn:
        conn.execute(text("TRUNCATE search_docs"))
        gin = [(name, d) for name, d in indexes(conn) if d.startswith("USING gin")]  # built after the load
        for name, _ in gin:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
    facts: list[dict] = []
    t = time.perf_counter()
    raw = a.db.engine.raw_connection()
    try:
        cur = raw.cursor()
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(processes) as pool, cur.copy(f"COPY search_docs ({COLUMNS}) FROM STDIN") as copy:
            for i, (payload, sample) in enumerate(pool.imap(_chunk, _starts(n))):
                copy.write(payload)
                facts += sample
                if progress and i % 50 == 49:
                    done = (i + 1) * CHUNK
                    rate = done / (time.perf_counter() - t)
                    print(f"  {done:,} documents, {rate:,.0f}/s", flush=True)
        raw.commit()
    finally:
        raw.close()
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    with a.db.engine.begin() as conn:
        for name, definition in gin:
            create_index(conn, name, definition)
    with a.db.session() as s:
        _refresh_stats(s)
        s.commit()
    with a.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE search_docs"))
    random.Random(3).shuffle(facts)
    return facts, load_s, time.perf_counter() - t

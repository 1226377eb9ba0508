"""Thailand's administrative areas as Damrong areas: the ministry, the 77 provinces, their 928
districts (Bangkok's khet included) and 7,436 sub-districts, with DOPA codes, from the
`geothai` package (MIT code, CC-BY data).

Area codes people already use keep working: a province is its three-letter code (KKN), a
district PROVINCE-NN with NN the last two digits of its DOPA code (KKN-01 is Mueang Khon Kaen,
DOPA 4001), a sub-district DISTRICT-NN (KKN-01-01, DOPA 400101). Every area also carries its
DOPA code, and `records.areas.by_code` takes either. `ensure_areas` adds what is missing and
matches what exists (by DOPA code, else by Thai name under the same parent, else a seeded
Mueang district by its -01 code), so it runs on a new database and on an old one alike;
written against a bare connection so that the migration that introduced it (0010) can run it."""

from __future__ import annotations

import functools
from typing import Any, cast

import geothai
from geothai._normalize import normalize
from sqlalchemy import Connection, text

CENTRAL_CODE = "MOI"
Row = dict[str, Any]  # an areas row: id, kind, code, name_th, parent_id, dopa_code
CENTRAL = ("ส่วนกลาง (กระทรวงมหาดไทย)", "Central (Ministry of Interior)")
_PREFIXES = ("อำเภอ", "เขต", "ตำบล", "แขวง", "กิ่งอำเภอ")


def name_key(name: str) -> str:
    """A place name as compared: geothai's normal form, without อำเภอ, เขต, ตำบล or แขวง."""
    key = normalize(name)
    for p in _PREFIXES:
        if key.startswith(p) and len(key) > len(p):
            key = key[len(p) :]
    return key


def _province_abbr() -> dict[str, str]:
    """Thai province name → the three-letter code (pythainlp's, the codes of the first seeds)."""
    from pythainlp.corpus.common import provinces

    details = cast("list[dict[str, str]]", provinces(details=True))
    return {p["name_th"]: p["abbr_en"] for p in details}


def complete(conn: Connection) -> bool:
    """Whether every sub-district is there already (the cheap check a home makes on opening)."""
    n = conn.execute(text("SELECT count(*) FROM areas WHERE kind = 'subdistrict'")).scalar() or 0
    return n >= _subdistrict_count()


@functools.cache
def _subdistrict_count() -> int:
    return sum(len(geothai.subdistricts(d.code)) for p in geothai.provinces() for d in geothai.districts(p.code))


class _Areas:
    """The areas table as rows read once, with inserts that keep the lookups current."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.rows = [
            dict(r._mapping)
            for r in conn.execute(text("SELECT id, kind, code, name_th, parent_id, dopa_code FROM areas"))
        ]
        self.codes = {r["code"] for r in self.rows}
        self.by_dopa = {r["dopa_code"]: r for r in self.rows if r["dopa_code"]}
        self._children: dict[tuple[int | None, str], list[Row]] = {}
        for r in self.rows:
            self._children.setdefault((r["parent_id"], r["kind"]), []).append(r)

    def children(self, parent_id: int | None, kind: str) -> list[Row]:
        return self._children.get((parent_id, kind), [])

    def free_code(self, wanted: str, dopa: str) -> str:
        return wanted if wanted not in self.codes else dopa

    def set_dopa(self, row: Row, dopa: str, name_en: str) -> None:
        """Mark an existing area as this DOPA area (its English name filled in when it had none)."""
        self.conn.execute(
            text(
                "UPDATE areas SET dopa_code = :d, name_en = CASE WHEN name_en = '' THEN :n ELSE name_en END"
                " WHERE id = :i"
            ),
            {"d": dopa, "n": name_en, "i": row["id"]},
        )
        row["dopa_code"] = dopa
        self.by_dopa[dopa] = row

    def add(self, rows: list[Row]) -> None:
        """Insert areas of one kind (one statement, the driver's own executemany: 7,436 rows in
        well under a second) and read them back with their ids."""
        if not rows:
            return
        cols = ("kind", "code", "name_th", "name_en", "parent_id", "dopa_code")
        mark = "?" if self.conn.dialect.paramstyle == "qmark" else "%s"
        self.conn.exec_driver_sql(
            f"INSERT INTO areas ({', '.join(cols)}) VALUES ({', '.join([mark] * len(cols))})",
            [tuple(r[c] for c in cols) for r in rows],
        )
        known = {r["id"] for r in self.rows}
        for r in self.conn.execute(
            text("SELECT id, kind, code, name_th, parent_id, dopa_code FROM areas WHERE kind = :k"),
            {"k": rows[0]["kind"]},
        ):
            if r.id in known:
                continue
            row = dict(r._mapping)
            self.rows.append(row)
            self._children.setdefault((row["parent_id"], row["kind"]), []).append(row)
            self.codes.add(row["code"])
            if row["dopa_code"]:
                self.by_dopa[row["dopa_code"]] = row

    def match(self, parent: Row, kind: str, dopa: str, name_th: str, code: str) -> Row | None:
        """The existing area that is this DOPA area, if any (see the module's rules)."""
        if dopa in self.by_dopa:
            return self.by_dopa[dopa]
        key = name_key(name_th)
        for r in self.children(parent["id"], kind):
            if r["dopa_code"]:
                continue
            if name_key(r["name_th"]) == key:
                return r
            if kind == "district" and r["code"] == code and dopa.endswith("01") and r["name_th"].startswith("เมือง"):
                return r  # the Mueang district the first seeds made, named เมือง + the province
        return None


def _row(kind: str, code: str, name_th: str, name_en: str, parent_id: int | None, dopa: str | None) -> Row:
    return {
        "kind": kind,
        "code": code,
        "name_th": name_th,
        "name_en": name_en,
        "parent_id": parent_id,
        "dopa_code": dopa,
    }


def _level(t: _Areas, kind: str, places: list[tuple[Row, str, str, str, str]]) -> None:
    """One level of the tree: each (parent row, wanted code, DOPA code, Thai name, English name)
    matched to an existing area or added (under its DOPA code if the wanted one is taken)."""
    new = []
    for parent, wanted, dopa, name_th, name_en in places:
        code = wanted or f"{parent['code']}-{dopa[-2:]}"
        row = t.match(parent, kind, dopa, name_th, code)
        if row is None:
            code = t.free_code(code, dopa)
            t.codes.add(code)
            new.append(_row(kind, code, name_th, name_en, parent["id"], dopa))
        elif not row["dopa_code"]:
            t.set_dopa(row, dopa, name_en)
    t.add(new)


def ensure_areas(conn: Connection) -> int:
    """Add every area geothai knows that the table lacks; returns how many were added."""
    t = _Areas(conn)
    before = len(t.rows)
    if not t.children(None, "central"):
        t.add([_row("central", CENTRAL_CODE, *CENTRAL, None, None)])
    central = t.children(None, "central")[0]
    abbr = _province_abbr()
    provinces = geothai.provinces()
    _level(t, "province", [(central, abbr[p.name_th], p.code, p.name_th, p.name_en) for p in provinces])
    districts = [d for p in provinces for d in geothai.districts(p.code)]
    _level(t, "district", [(t.by_dopa[d.province_code], "", d.code, d.name_th, d.name_en) for d in districts])
    _level(
        t,
        "subdistrict",
        [
            (t.by_dopa[d.code], "", sd.code, sd.name_th, sd.name_en)
            for d in districts
            for sd in geothai.subdistricts(d.code)
        ],
    )
    return len(t.rows) - before

"""Every province, district (Bangkok's khet too) and sub-district of Thailand is an area, with
its DOPA code; an archive made before they existed keeps its codes and the records filed under
them; who sees what follows the tree (a province sees its sub-districts, a sub-district only
itself)."""

from __future__ import annotations

import json
from collections import Counter

from alembic import command
from sqlalchemy import create_engine, select, text

from records import areas
from records.db import Database, alembic_config
from records.models import Area
from tests.conftest import damrong


def test_a_new_home_knows_every_province_district_and_sub_district_with_dopa_codes(home):
    out = json.loads(damrong("area", "list", "--json", home=home).stdout)["areas"]
    kinds = Counter(a["kind"] for a in out)
    assert kinds == {"central": 1, "province": 77, "district": 928, "subdistrict": 7436}
    by_code = {a["code"]: a for a in out}
    assert by_code["KKN-01"]["dopa_code"] == "4001" and by_code["KKN-01"]["name_th"] == "เมืองขอนแก่น"
    assert by_code["KKN-01-01"] == {
        "code": "KKN-01-01",
        "kind": "subdistrict",
        "dopa_code": "400101",
        "name_th": "ในเมือง",
        "name_en": "Nai Mueang",
        "parent": "KKN-01",
    }
    assert by_code["BKK-01"]["name_th"] == "เขตพระนคร" and by_code["BKK-01"]["parent"] == "BKK"
    assert len({a["code"] for a in out}) == len(out)

    # one district's sub-districts, the district named by its DOPA code in Thai digits
    subs = json.loads(
        damrong("area", "list", "--province", "๔๐๐๑", "--kind", "subdistrict", "--json", home=home).stdout
    )
    assert {a["parent"] for a in subs["areas"]} == {"KKN-01"} and len(subs["areas"]) == 18
    bad = damrong("area", "list", "--province", "XYZ", "--json", home=home, check=False)
    assert bad.returncode != 0 and "XYZ" in bad.stdout + bad.stderr


def test_an_archive_from_before_keeps_its_area_codes_and_its_records(settings):
    """A home at revision 0009 with the first seeds' Mueang district and districts an admin
    added: KKN-02 and KKN-03 (real districts) and KKN-04 (a name DOPA does not know)."""
    url = settings.db_url
    engine = create_engine(url)
    with engine.begin() as conn:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0009")
        conn.execute(
            text("INSERT INTO areas (id, kind, code, name_th, name_en) VALUES (1, 'central', 'MOI', 'ส่วนกลาง', '')")
        )
        conn.execute(text("INSERT INTO areas VALUES (2, 'province', 'KKN', 'ขอนแก่น', 'Khon Kaen', 1)"))
        for i, (code, name) in enumerate(
            [("KKN-01", "เมืองขอนแก่น"), ("KKN-02", "บ้านฝาง"), ("KKN-03", "อำเภอเขาสวนกวาง"), ("KKN-04", "ทดลอง")],
            start=3,
        ):
            conn.execute(
                text("INSERT INTO areas VALUES (:i, 'district', :c, :n, '', 2)"), {"i": i, "c": code, "n": name}
            )
    engine.dispose()

    db = Database(settings)
    try:
        with db.session() as s:
            got = {a.code: a for a in s.scalars(select(Area).where(Area.code.like("KKN%")))}
            assert got["KKN"].id == 2 and got["KKN"].dopa_code == "40"
            assert (got["KKN-01"].id, got["KKN-01"].dopa_code) == (3, "4001")
            assert (got["KKN-02"].id, got["KKN-02"].dopa_code, got["KKN-02"].name_en) == (4, "4002", "Ban Fang")
            assert (got["KKN-03"].id, got["KKN-03"].dopa_code) == (5, "4019")  # matched by its name
            assert (got["KKN-04"].id, got["KKN-04"].dopa_code) == (6, None)  # kept, as it was
            # the DOPA districts whose natural code was taken go by their DOPA code
            assert areas.by_code(s, "4003").name_th == "พระยืน" and areas.by_code(s, "4003").code == "4003"
            assert areas.by_code(s, "KKN-05").dopa_code == "4005"
            assert s.scalar(select(Area.id).where(Area.kind == "district").order_by(Area.id.desc()).limit(1)) > 6
            # no area twice: 77 provinces, one KKN; every DOPA district once
            assert s.scalar(text("SELECT count(*) FROM areas WHERE kind = 'province'")) == 77
            assert s.scalar(text("SELECT count(*) FROM areas WHERE kind = 'district'")) == 928 + 1
            # an admin's next district does not take a seeded code
            new = areas.add_district(s, "KKN", "อำเภอใหม่")
            assert new.code not in {a.code for a in got.values()} and areas.by_code(s, new.code).id == new.id
    finally:
        db.dispose()


def test_who_sees_what_follows_the_tree_down_to_the_sub_district(archive):
    with archive.db.session() as s:
        province, district, sub, other_sub = (areas.by_code(s, c) for c in ("KKN", "KKN-01", "KKN-01-01", "KKN-02-01"))
        seen_by_province = areas.visible_area_ids(s, province)
        assert {district.id, sub.id, other_sub.id} <= seen_by_province
        assert areas.by_code(s, "CMI-01-01").id not in seen_by_province
        seen_by_district = areas.visible_area_ids(s, district)
        assert (
            sub.id in seen_by_district and other_sub.id not in seen_by_district and province.id not in seen_by_district
        )
        assert areas.visible_area_ids(s, sub) == {sub.id}
        assert areas.province_of(s, sub).code == "KKN"
        assert areas.chain(s, sub.id) == [sub.id, district.id, province.id, areas.by_code(s, "MOI").id]

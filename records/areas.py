"""Areas and who sees what: the ministry sees everything, a province its own records and its
districts', a district its own. Seeds the areas (central, the 77 provinces, each province's
Mueang district; admins add more districts) and the complaint categories."""

from __future__ import annotations

from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from records.models import Area, AreaKind, Category

CENTRAL_CODE = "MOI"

CATEGORIES = [  # (Thai, English, needs free-text detail, sub categories)
    (
        "ขอความช่วยเหลือ",
        "Request for help",
        False,
        [("ที่อยู่อาศัย", "Housing"), ("การรักษาพยาบาล", "Medical care"), ("เงินช่วยเหลือ", "Financial aid")],
    ),
    ("ขอความเป็นธรรม", "Request for fairness", False, []),
    ("ที่ดิน", "Land", False, [("บุกรุกที่ดิน", "Encroachment"), ("เอกสารสิทธิ์", "Title deeds")]),
    ("หนี้สิน/หนี้นอกระบบ", "Debt / informal debt", False, [("หนี้นอกระบบ", "Informal debt"), ("หนี้ในระบบ", "Formal debt")]),
    (
        "ร้องเรียนเจ้าหน้าที่รัฐ",
        "Complaint against officials",
        False,
        [("ทุจริต/ประพฤติมิชอบ", "Corruption / misconduct"), ("ละเลยต่อหน้าที่", "Neglect of duty")],
    ),
    ("แจ้งเบาะแส", "Tip-off", False, [("ยาเสพติด", "Drugs"), ("การพนัน", "Gambling")]),
    ("ทรัพยากรธรรมชาติและสิ่งแวดล้อม", "Natural resources and environment", False, []),
    ("ความเดือดร้อนรำคาญ", "Nuisance", False, [("เสียงดัง", "Noise"), ("กลิ่น", "Smell")]),
    ("สาธารณูปโภค", "Public utilities", False, [("ถนน", "Roads"), ("ไฟฟ้า", "Electricity"), ("ประปา", "Water supply")]),
    ("คุ้มครองผู้บริโภค", "Consumer protection", False, []),
    ("เรื่องอื่นๆ", "Other", True, []),
]


def seed(session: Session) -> None:
    """Reference data for a new home (idempotent)."""
    if session.scalar(select(Area.id).limit(1)) is None:
        from pythainlp.corpus.common import provinces

        central = Area(
            kind=AreaKind.central,
            code=CENTRAL_CODE,
            name_th="ส่วนกลาง (กระทรวงมหาดไทย)",
            name_en="Central (Ministry of Interior)",
        )
        session.add(central)
        # details=True gives the list of dicts; pythainlp's return type (no overload) says either form
        details = cast("list[dict[str, str]]", provinces(details=True))
        for p in sorted(details, key=lambda p: p["name_th"]):
            prov = Area(
                kind=AreaKind.province, code=p["abbr_en"], name_th=p["name_th"], name_en=p["name_en"], parent=central
            )
            session.add(prov)
            if p["name_th"] != "กรุงเทพมหานคร":
                session.add(
                    Area(
                        kind=AreaKind.district,
                        code=f"{p['abbr_en']}-01",
                        name_th=f"เมือง{p['name_th']}",
                        name_en=f"Mueang {p['name_en']}",
                        parent=prov,
                    )
                )
    if session.scalar(select(Category.id).limit(1)) is None:
        for i, (th, en, detail, subs) in enumerate(CATEGORIES):
            cat = Category(name_th=th, name_en=en, needs_detail=detail, position=i)
            session.add(cat)
            session.flush()
            for j, (sth, sen) in enumerate(subs):
                session.add(Category(name_th=sth, name_en=sen, parent_id=cat.id, position=j))
    session.commit()


def by_code(session: Session, code: str) -> Area | None:
    return session.scalar(select(Area).where(Area.code == code.strip().upper()))


def visible_area_ids(session: Session, area: Area) -> set[int] | None:
    """The areas whose records a user of `area` may see; None means all (central)."""
    if area.kind == AreaKind.central:
        return None
    if area.kind == AreaKind.province:
        return {area.id, *session.scalars(select(Area.id).where(Area.parent_id == area.id))}
    return {area.id}


def within(session: Session, area: Area, other_id: int | None) -> bool:
    ids = visible_area_ids(session, area)
    return ids is None or other_id in ids


def chain(session: Session, area_id: int | None) -> list[int]:
    """The area and the areas above it (district → province → central): everyone who sees it."""
    out = []
    while area_id is not None:
        out.append(area_id)
        area_id = session.scalar(select(Area.parent_id).where(Area.id == area_id))
    return out


def province_of(session: Session, area: Area | None) -> Area | None:
    while area is not None and area.kind != AreaKind.province:
        area = area.parent
    return area


def add_district(session: Session, province_code: str, name_th: str, name_en: str = "") -> Area:
    prov = by_code(session, province_code)
    if prov is None or prov.kind != AreaKind.province:
        raise ValueError(f"no province with code {province_code}")
    n = len(list(session.scalars(select(Area.id).where(Area.parent_id == prov.id)))) + 1
    area = Area(kind=AreaKind.district, code=f"{prov.code}-{n:02d}", name_th=name_th, name_en=name_en, parent=prov)
    session.add(area)
    session.commit()
    return area

"""Areas and who sees what: the ministry sees everything, a province its own records and those
of its districts and sub-districts, a district its own and its sub-districts', a sub-district its
own. Seeds the areas (records.geography: every province, district and sub-district; admins may
add districts) and the complaint categories."""

from __future__ import annotations

from sqlalchemy import case, not_, or_, select
from sqlalchemy.orm import Session

from records import geography
from records.models import Area, AreaKind, Category
from thai.digits import fold_digits

CENTRAL_CODE = geography.CENTRAL_CODE
CENTRES = (AreaKind.central, AreaKind.province, AreaKind.district)  # kinds that run a centre
FORWARD_KINDS = (*CENTRES, AreaKind.subdistrict)  # where a complaint may be forwarded
_KIND_RANK = {AreaKind.central: 0, AreaKind.province: 1, AreaKind.district: 2, AreaKind.subdistrict: 3}

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
    """Reference data for a new home (idempotent): the areas (records.geography) and categories."""
    conn = session.connection()
    if not geography.complete(conn):
        geography.ensure_areas(conn)
    if session.scalar(select(Category.id).limit(1)) is None:
        for i, (th, en, detail, subs) in enumerate(CATEGORIES):
            cat = Category(name_th=th, name_en=en, needs_detail=detail, position=i)
            session.add(cat)
            session.flush()
            for j, (sth, sen) in enumerate(subs):
                session.add(Category(name_th=sth, name_en=sen, parent_id=cat.id, position=j))
    session.commit()


def by_code(session: Session, code: str) -> Area | None:
    """The area with this code (KKN, KKN-01, KKN-01-01) or DOPA code (40, 4001, 400101; Thai
    digits too)."""
    key = fold_digits(code).strip().upper()
    if not key:
        return None
    return session.scalar(select(Area).where(or_(Area.code == key, Area.dopa_code == key)).limit(1))


def _typed_name(text: str) -> str:
    """A typed place name without อำเภอ, เขต, ตำบล or แขวง in front (the areas hold bare names)."""
    for p in geography._PREFIXES:
        if text.startswith(p) and len(text) > len(p):
            return text[len(p) :].strip()
    return text


def find(session: Session, text: str, limit: int = 20) -> list[Area]:
    """The areas a complaint may be forwarded to (centres and sub-districts) that `text` names:
    a code or DOPA code (Thai digits too) or the start of one, or a Thai or English name or part
    of it. The exact code first, then codes and names that start so, centres before
    sub-districts, then names that hold the text."""
    key = _typed_name(fold_digits(text or "").strip())[:64]
    if not key:
        return []
    esc = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    code = esc.upper()
    starts = or_(
        Area.code.like(f"{code}%", escape="\\"),
        Area.dopa_code.like(f"{esc}%", escape="\\"),
        Area.name_th.like(f"{esc}%", escape="\\"),
        Area.name_en.ilike(f"{esc}%", escape="\\"),
    )
    holds = or_(Area.name_th.like(f"%{esc}%", escape="\\"), Area.name_en.ilike(f"%{esc}%", escape="\\"))
    order = (
        case((or_(Area.code == key.upper(), Area.dopa_code == key), 0), else_=1),
        case(*((Area.kind == k, r) for k, r in _KIND_RANK.items()), else_=9),
        Area.code,
    )
    base = select(Area).where(Area.kind.in_(FORWARD_KINDS))
    out = list(session.scalars(base.where(starts).order_by(*order).limit(limit)))
    if len(out) < limit:
        out += session.scalars(base.where(holds, not_(starts)).order_by(*order[1:]).limit(limit - len(out)))
    return out


def resolve(session: Session, text: str) -> Area | None:
    """The area a typed or picked forward target names: its first word as a code or DOPA code
    ("KKN-02", "๔๐๐๒", "KKN-02 บ้านฝาง (ขอนแก่น)" as the list shows it), else a Thai name only
    one area has."""
    words = (text or "").split()
    if not words:
        return None
    area = by_code(session, words[0])
    if area is not None:
        return area
    named = list(session.scalars(select(Area).where(Area.name_th == _typed_name(" ".join(words))).limit(2)))
    return named[0] if len(named) == 1 else None


def label(area: Area, lang: str = "th") -> str:
    """'KKN-02 บ้านฝาง (ขอนแก่น)': the code, the name and what it lies in (a sub-district's district
    and province), in Thai or, where the area has one, its English name."""

    def name(a: Area) -> str:
        return a.name_en if lang != "th" and a.name_en else a.name_th

    above, up = [], area.parent
    while up is not None and up.kind != AreaKind.central:
        above.append(name(up))
        up = up.parent
    return f"{area.code} {name(area)}" + (f" ({', '.join(above)})" if above else "")


def visible_area_ids(session: Session, area: Area) -> set[int] | None:
    """The areas whose records a user of `area` may see: it and every area under it (a
    province's districts and their sub-districts); None means all (central)."""
    if area.kind == AreaKind.central:
        return None
    ids = {area.id}
    below = {area.id}
    for _ in range(2):  # province → districts → sub-districts
        below = set(session.scalars(select(Area.id).where(Area.parent_id.in_(below)))) if below else set()
        ids |= below
    return ids


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


class AreaExists(ValueError):
    def __init__(self, area: Area):
        super().__init__(f"district {area.name_th} exists already as {area.code}")
        self.area = area


def add_district(session: Session, province_code: str, name_th: str, name_en: str = "") -> Area:
    """A district DOPA does not list yet (a new one), numbered after the province's last; a name
    the province has already is refused (AreaExists), as is a province that does not exist."""
    prov = by_code(session, province_code)
    if prov is None or prov.kind != AreaKind.province:
        raise ValueError(f"no province with code {province_code}")
    key = geography.name_key(name_th)
    for known in session.scalars(select(Area).where(Area.parent_id == prov.id, Area.kind == AreaKind.district)):
        if geography.name_key(known.name_th) == key:
            raise AreaExists(known)
    used = set(session.scalars(select(Area.code).where(Area.code.like(f"{prov.code}-%"))))
    n = 1 + max((int(c.split("-")[1]) for c in used if c.count("-") == 1 and c.split("-")[1].isdigit()), default=0)
    area = Area(kind=AreaKind.district, code=f"{prov.code}-{n:02d}", name_th=name_th, name_en=name_en, parent=prov)
    session.add(area)
    session.commit()
    return area


def centre_name(a: Area, lang: str = "th") -> str:
    """A centre as a citizen is told its name: อำเภอเมืองขอนแก่น, เขตจตุจักร, จังหวัดขอนแก่น (English:
    the area's English name)."""
    if lang != "th":
        return a.name_en or a.name_th
    if a.kind == AreaKind.province:
        return f"จังหวัด{a.name_th}"
    if a.kind == AreaKind.district and not a.name_th.startswith(("อำเภอ", "เขต")):
        return f"{'เขต' if a.code.startswith('BKK') else 'อำเภอ'}{a.name_th}"
    return a.name_th

"""A new complaint's form filled from a scanned petition: the complainant (citizen ID, name split
into title, first and last name, phone, the whole address: house number, หมู่, ตำบล, อำเภอ,
จังหวัด), what the complaint is about (the petition's subject as its summary, the suggested
category — a sub category with its parent), where it happened (the complainant's province,
district and sub-district) and the petition itself as the complaint's
first document. The values are the document's fields as confirmed by a person, or as the reader
suggested them; the clerk checks them on the form before anything is saved."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from records.models import Area, AreaKind, Category, Document
from thai.names import split_name


def _category(session: Session, name: str) -> tuple[str, str]:
    """Category and sub category ids (as form values) for a suggested category's name."""
    if not name:
        return "", ""
    cat = session.scalar(select(Category).where(Category.name_th == name, Category.active.is_(True)))
    if cat is None:
        return "", ""
    if cat.parent_id:
        return str(cat.parent_id), str(cat.id)
    return str(cat.id), ""


def complaint_values(session: Session, doc: Document) -> dict[str, str]:
    """The complaint form's values from a petition's fields (only what the petition gives)."""
    f = doc.fields or {}
    out: dict[str, str] = {"document_ids": str(doc.id)}
    if f.get("citizen_id"):
        out["citizen_id"] = str(f["citizen_id"])
    if f.get("name"):
        out["prefix_th"], out["first_name_th"], out["last_name_th"] = split_name(str(f["name"]))
    if f.get("phone"):
        out["phone"] = str(f["phone"])
    if f.get("subject"):
        out["summary"] = str(f["subject"])
    out["category_id"], out["subcategory_id"] = _category(session, str(f.get("category") or ""))
    province, district = str(f.get("province") or ""), str(f.get("district") or "")
    known = session.scalar(select(Area.id).where(Area.kind == AreaKind.province, Area.name_th == province))
    if province and known:
        out["incident_province"] = province
    if district:
        out["incident_district"] = district
    subdistrict = str(f.get("subdistrict") or "")
    if subdistrict:
        out["incident_subdistrict"] = subdistrict
    out["address"] = address_text(f)
    return {k: v for k, v in out.items() if v}


def address_text(f: Mapping[str, object]) -> str:
    """The complainant's address as one line, the way it is written on a Thai form:
    บ้านเลขที่ 8/9 หมู่ที่ 2 ตำบลสร้างค้อ อำเภอสว่างแดนดิน จังหวัดนนทบุรี (แขวง, เขต in Bangkok)."""
    province = str(f.get("province") or "")
    bangkok = province == "กรุงเทพมหานคร"
    parts = [
        f"บ้านเลขที่ {f['house_no']}" if f.get("house_no") else "",
        f"หมู่ที่ {f['moo']}" if f.get("moo") else "",
        f"{'แขวง' if bangkok else 'ตำบล'}{f['subdistrict']}" if f.get("subdistrict") else "",
        f"{'เขต' if bangkok else 'อำเภอ'}{f['district']}" if f.get("district") else "",
        (province if bangkok else f"จังหวัด{province}") if province else "",
    ]
    return " ".join(p for p in parts if p)

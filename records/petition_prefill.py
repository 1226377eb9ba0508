"""A new complaint's form filled from a scanned petition: the complainant (citizen ID, name split
into title, first and last name, phone, address), what the complaint is about (the petition's
subject as its summary, the suggested category — a sub category with its parent), where it
happened (the complainant's province and district) and the petition itself as the complaint's
first document. The values are the document's fields as confirmed by a person, or as the reader
suggested them; the clerk checks them on the form before anything is saved."""

from __future__ import annotations

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
    address = " ".join(p for p in (f"อำเภอ{district}" if district else "", f"จังหวัด{province}" if province else "") if p)
    if address:
        out["address"] = address
    return {k: v for k, v in out.items() if v}

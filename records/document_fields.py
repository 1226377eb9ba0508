"""A document's fields as a person confirms them: the values the reader suggested (`ingest.fields`)
checked, corrected where the clerk typed over them, and marked confirmed (who, when). Typed
values are read as people type them: dates BE or CE with Thai or Arabic digits, ID and phone
numbers with or without dashes; a citizen ID must pass its check digit. A bad value changes
nothing and names the field; a good confirmation is audited (ID numbers masked) and the
document re-indexed (its date may have changed)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from records import audit
from records.models import DOCUMENT_KINDS, Document, IndexOutbox, User
from thai.citizen_id import masked
from thai.citizen_id import parse as parse_citizen_id
from thai.dates import parse_date, utcnow
from thai.digits import digits_only

if TYPE_CHECKING:
    from records.db import Database

EDITABLE = (
    "doc_no",
    "date",
    "subject",
    "to",
    "urgency",
    "agency",
    "references",
    "receipt_no",
    "citizen_id",
    "name",
    "phone",
    "house_no",
    "moo",
    "subdistrict",
    "province",
    "district",
    "category",
)
LETTER = ("doc_no", "date", "subject", "to", "urgency", "agency", "references", "receipt_no")
PETITION = (
    "date",
    "subject",
    "name",
    "citizen_id",
    "phone",
    "house_no",
    "moo",
    "subdistrict",
    "district",
    "province",
    "category",
)
URGENCIES = ("", "ด่วน", "ด่วนมาก", "ด่วนที่สุด")


class FieldError(ValueError):
    """A typed value that cannot stand: `field` names it, `code` says why (webui.i18n)."""

    def __init__(self, field: str, code: str):
        super().__init__(f"{field}: {code}")
        self.field, self.code = field, code


def fields_for(kind: str | None) -> tuple[str, ...]:
    """The fields a document of this kind has, in the order the form shows them."""
    return LETTER if kind == "official_letter" else PETITION if kind == "petition" else ("date", "subject")


def _clean(name: str, raw: Any) -> object:
    value = (raw or "").strip() if isinstance(raw, str) else raw
    if value in ("", None):
        return [] if name == "references" else ""
    if name == "date":
        try:
            day = parse_date(str(value))
            assert day is not None  # parse_date gives None only for a blank value, and this one is not
            return day.isoformat()
        except ValueError:
            raise FieldError(name, "bad_date") from None
    if name == "citizen_id":
        try:
            return parse_citizen_id(str(value))
        except ValueError:
            raise FieldError(name, "bad_citizen_id") from None
    if name in ("phone", "receipt_no"):
        digits = digits_only(value)
        if not digits or (name == "phone" and not re.fullmatch(r"0\d{8,9}", digits)):
            raise FieldError(name, "bad_phone" if name == "phone" else "bad_number")
        return digits
    if name == "moo":
        digits = digits_only(value)
        if not digits or len(digits) > 3:
            raise FieldError(name, "bad_number")
        return str(int(digits))
    if name == "urgency":
        if value not in URGENCIES:
            raise FieldError(name, "bad_urgency")
        return value
    if name == "references":
        items = value if isinstance(value, list) else re.split(r"[,\n;]+", str(value))
        return [re.sub(r"\s+", " ", i).strip() for i in items if i.strip()]
    return re.sub(r"\s+", " ", str(value))


def _for_log(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (masked(v) if k == "citizen_id" and v else v) for k, v in values.items()}


def confirm(db: Database, document_id: int, typed: Mapping[str, Any], user: User, kind: str | None = None) -> Document:
    """Confirm a document's fields as typed (fields left out keep their value); returns the
    document. Raises FieldError (nothing stored) for a value that cannot stand."""
    if kind is not None and kind not in DOCUMENT_KINDS:
        raise FieldError("kind", "bad_kind")
    with db.session() as s:
        doc = s.get(Document, document_id)
        if doc is None:
            raise LookupError(document_id)
        before = dict(doc.fields or {})
        values = dict(before)
        for name in EDITABLE:
            if name in typed:
                values[name] = _clean(name, typed[name])
        values = {k: v for k, v in values.items() if v not in ("", [], None) or k == "urgency"}
        old_kind = doc.kind
        doc.kind = kind or doc.kind
        doc.fields = values
        doc.doc_date = dt.date.fromisoformat(values["date"]) if values.get("date") else None
        doc.fields_confirmed_at = utcnow()
        doc.fields_confirmed_by = user.id
        s.add(IndexOutbox(document_id=doc.id, op="upsert"))
        changed = {k: values.get(k) for k in set(before) | set(values) if before.get(k) != values.get(k)}
        audit.record(
            db,
            "confirm_fields",
            "document",
            doc.id,
            user=user,
            session=s,
            before=_for_log({k: before.get(k) for k in changed})
            | ({"kind": old_kind} if kind and kind != old_kind else {}),
            after=_for_log(changed) | ({"kind": doc.kind} if kind and kind != old_kind else {}),
        )
        s.commit()
        s.refresh(doc)
        _ = doc.pages  # loaded for the caller
        return doc

"""A document's suggested fields confirmed by a person, through the records layer: typed values
read as people type them, a bad value refused with nothing changed, the confirmation audited
with ID numbers masked, the document's date (and so its place in date searches) updated."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from records import document_fields
from records.audit import entries_for
from records.models import Document, DocumentState, IndexOutbox
from tests.conftest import make_user, valid_cid

SUGGESTED = {
    "date": "2025-08-15",
    "subject": "ขอให้ซ่อมแซมถนน",
    "citizen_id": "3174218096795",
    "phone": "0812345678",
    "province": "ขอนแก่น",
    "category": "สาธารณูปโภค",
}


@pytest.fixture
def doc_id(archive):
    with archive.db.session() as s:
        d = Document(
            sha256=hashlib.sha256(b"petition").hexdigest(),
            filename="petition.png",
            media_type="image/png",
            size_bytes=1,
            state=DocumentState.done,
            kind="petition",
            fields=dict(SUGGESTED),
            field_confidence=dict.fromkeys(SUGGESTED, 0.8),
            page_count=1,
        )
        s.add(d)
        s.commit()
        return d.id


def _doc(archive, doc_id) -> Document:
    with archive.db.session() as s:
        return s.get(Document, doc_id)


@pytest.mark.parametrize(
    "field,value,code",
    [
        ("citizen_id", "3-1742-18096-79-4", "bad_citizen_id"),  # check digit wrong
        ("date", "31/04/2568", "bad_date"),  # no such day
        ("phone", "12345", "bad_phone"),
        ("urgency", "รีบ", "bad_urgency"),
    ],
)
def test_bad_value_refused_and_nothing_changes(archive, doc_id, field, value, code):
    clerk = make_user(archive, "counter", "MOI", seed=7)
    with pytest.raises(document_fields.FieldError) as e:
        document_fields.confirm(archive.db, doc_id, {field: value, "subject": "แก้แล้ว"}, clerk)
    assert (e.value.field, e.value.code) == (field, code)
    d = _doc(archive, doc_id)
    assert d.fields == SUGGESTED and d.fields_confirmed_at is None
    assert not [x for x in entries_for(archive.db, "document", doc_id) if x.action == "confirm_fields"]


def test_confirmed_as_typed_audited_masked_and_reindexed(archive, doc_id):
    clerk = make_user(archive, "counter", "MOI", seed=8)
    other = valid_cid(99)
    thai = other.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    document_fields.confirm(
        archive.db,
        doc_id,
        {
            "citizen_id": f"{thai[0]}-{thai[1:5]}-{thai[5:10]}-{thai[10:12]}-{thai[12]}",
            "date": "๑๖/๐๘/๒๕๖๘",
            "phone": "๐๘๑-๒๓๔-๕๖๗๙",
        },
        clerk,
    )
    d = _doc(archive, doc_id)
    assert d.fields["citizen_id"] == other and d.fields["date"] == "2025-08-16" and d.fields["phone"] == "0812345679"
    assert d.fields["subject"] == SUGGESTED["subject"]  # what was not typed keeps its value
    assert str(d.doc_date) == "2025-08-16" and d.fields_confirmed_by == clerk.id
    [entry] = [x for x in entries_for(archive.db, "document", doc_id) if x.action == "confirm_fields"]
    assert set(entry.after) == {"citizen_id", "date", "phone"}
    assert other not in str(entry.after) and SUGGESTED["citizen_id"] not in str(entry.before)
    with archive.db.session() as s:
        assert s.scalar(select(IndexOutbox.id).where(IndexOutbox.document_id == doc_id)) is not None

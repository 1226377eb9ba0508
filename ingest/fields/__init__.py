"""Fields read from a document's text, and the one public face of field extraction: each field
with a confidence (0–1), as suggestions the counter clerk confirms. `read_fields` tells the
document's kind (official letter, petition, other), then reads the fields of its kind (`letter`,
`petition`; the numbers whose own structure says when a reading is wrong — citizen IDs, phones,
letter numbers — in `numbers`). Dates come back ISO Gregorian; digits are Arabic. Names as in
the CLI contract: doc_no, date, subject, to, urgency, agency, references, receipt_no (and
receipt_date, receipt_time), citizen_id, name, phone, province, district, category.

Text in, fields out: nothing here reads images (`ingest.ocr`) or the database."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.fields import evidence
from ingest.fields.letter import is_letter, letter_fields
from ingest.fields.numbers import repair_citizen_id
from ingest.fields.petition import is_petition, petition_fields, suggest_category
from records.models import DOCUMENT_KINDS as KINDS
from thai.digits import fold_digits

__all__ = ["KINDS", "Fields", "extract_fields", "read_fields", "repair_citizen_id", "suggest_category"]


@dataclass
class Fields:
    kind: str
    values: dict = field(default_factory=dict)
    confidence: dict = field(default_factory=dict)
    reading: dict = field(default_factory=dict)  # Tesseract's confidence in the pieces each came from


def read_fields(text: str, pieces: list[tuple[str, float]] | None = None) -> Fields:
    """The document's kind and fields. `pieces`: what the OCR read, each piece with Tesseract's
    confidence (None for a text layer): a field read from unsure pieces is shown unsure
    (`evidence`)."""
    t = fold_digits(text)
    if is_letter(t):
        kind, found = "official_letter", letter_fields(t)
    elif is_petition(t):
        kind, found = "petition", petition_fields(t)
    else:
        kind, found = "other", {}
        # a letter without its number line, or a note: still its subject and date
        found = {k: v for k, v in petition_fields(t).items() if k in ("subject", "date")}
    values = {k: v for k, (v, _) in found.items()}
    sure = {k: evidence.reading(k, v, pieces) for k, v in values.items()} if pieces is not None else {}
    confidence = {k: round(evidence.weigh(c, sure.get(k)), 2) for k, (_, c) in found.items()}
    return Fields(kind, values, confidence, {k: round(v, 1) for k, v in sure.items() if v is not None})


def extract_fields(text: str) -> dict:
    """The field values and the kind (key "kind"), as stored with a document."""
    f = read_fields(text)
    return {"kind": f.kind, **f.values}

"""Fields read from a document's text, each with a confidence (0–1), as suggestions the counter
clerk confirms: the document's kind (official letter, petition, other), then the fields of its
kind (`ingest.letter_fields`, `ingest.petition_fields`). Dates come back ISO Gregorian; digits
are Arabic. Names as in the CLI contract: doc_no, date, subject, to, urgency, agency,
references, receipt_no (and receipt_date, receipt_time), citizen_id, name, phone, province,
district, category."""
from __future__ import annotations

from dataclasses import dataclass, field

from ingest.id_numbers import repair_citizen_id  # noqa: F401  (re-exported)
from ingest.letter_fields import is_letter, letter_fields
from ingest.petition_fields import is_petition, petition_fields, suggest_category  # noqa: F401
from ingest.thai_dates import thai_date  # noqa: F401  (re-exported)
from ingest.thai_text import fold_digits

KINDS = ("official_letter", "petition", "other")


@dataclass
class Fields:
    kind: str
    values: dict = field(default_factory=dict)
    confidence: dict = field(default_factory=dict)


def read_fields(text: str) -> Fields:
    t = fold_digits(text)
    if is_letter(t):
        kind, found = "official_letter", letter_fields(t)
    elif is_petition(t):
        kind, found = "petition", petition_fields(t)
    else:
        kind, found = "other", {}
        # a letter without its number line, or a note: still its subject and date
        from ingest.petition_fields import petition_fields as pf
        found = {k: v for k, v in pf(t).items() if k in ("subject", "date")}
    return Fields(kind, {k: v for k, (v, _) in found.items()}, {k: round(c, 2) for k, (_, c) in found.items()})


def extract_fields(text: str) -> dict:
    """The field values and the kind (key "kind"), as stored with a document."""
    f = read_fields(text)
    return {"kind": f.kind, **f.values}

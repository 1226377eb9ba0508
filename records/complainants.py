"""Complainants, one record per person and centre: saving a person from an ID-card read or from
what the clerk typed (the citizen ID checked by its checksum either way; nothing stored erased by
an empty field; audited), and who may see a person: the centre that took them in and those above
it, or anyone who may see one of their complaints. The photo goes to the object store."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import io
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from records import audit
from records.models import MAX_ID, Complainant, User
from thai import citizen_id as cid
from thai.dates import parse_date
from thai.digits import digits_only, masked_phone

if TYPE_CHECKING:
    from records.home import Archive

log = logging.getLogger(__name__)

NAME_FIELDS = [
    "prefix_th",
    "first_name_th",
    "middle_name_th",
    "last_name_th",
    "prefix_en",
    "first_name_en",
    "middle_name_en",
    "last_name_en",
]


class InvalidComplainant(ValueError):
    """What the clerk must fix, as {field: message code}."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(", ".join(f"{k}: {v}" for k, v in problems.items()))


def of_area(session: Session, number: str, area_id: int | None) -> Complainant | None:
    """The centre's own record of the person with this citizen ID (None: the centre has none,
    whatever other centres hold — one centre never reads another's)."""
    area = Complainant.area_id.is_(None) if area_id is None else Complainant.area_id == area_id
    return session.scalar(select(Complainant).where(Complainant.citizen_id == number, area))


def _photo(raw: str | None, problems: dict[str, str]) -> bytes | None:
    """The card photo sent as base64: a JPEG, or a problem."""
    if not raw:
        return None
    try:
        data = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        problems["photo"] = "bad_photo"
        return None
    if not data.startswith(b"\xff\xd8\xff"):
        problems["photo"] = "bad_photo"
        return None
    return data


def _date(raw: object, key: str, problems: dict[str, str]) -> dt.date | None:
    if not raw:
        return None
    try:
        return parse_date(str(raw))
    except ValueError:
        problems[key] = "bad_date"
        return None


def save(
    archive: Archive,
    values: Mapping[str, Any],
    photo_jpeg_b64: str | None = None,
    source: str = "typed",
    area_id: int | None = None,
    user: User | None = None,
) -> Complainant:
    """Create or update this centre's record of the person with this citizen ID (`area_id`: the
    centre taking them in; another centre's record of the same person is never read or changed).
    `values` as the counter form sends them (citizen ID with Thai or Arabic digits, dashes; dates
    ISO, or BE as typed). A value left empty keeps what is stored: re-saving a known person never
    erases a birth date, an address or a phone silently. The save and its audit entry (what
    changed, before and after, the ID and phone masked) are one transaction. Raises
    InvalidComplainant, nothing stored, for a value that cannot stand."""
    problems: dict[str, str] = {}
    try:
        number = cid.parse(values.get("citizen_id", ""))
    except ValueError as e:
        number = ""
        problems["citizen_id"] = "citizen_id_length" if "13 digits" in str(e) else "citizen_id_checksum"
    if not (values.get("first_name_th") or "").strip():
        problems["first_name_th"] = "required"
    if not (values.get("last_name_th") or "").strip():
        problems["last_name_th"] = "required"
    birth = _date(values.get("birth_date"), "birth_date", problems)
    expiry = _date(values.get("expiry_date"), "expiry_date", problems)
    phone = digits_only(values.get("phone"))
    if phone and not 9 <= len(phone) <= 10:
        problems["phone"] = "bad_phone"
    photo = _photo(photo_jpeg_b64, problems)
    if problems:
        raise InvalidComplainant(problems)
    with archive.db.session() as s:
        person = of_area(s, number, area_id)
        created = person is None
        if person is None:
            person = Complainant(citizen_id=number, area_id=area_id, address={})
            s.add(person)
        before = _recorded(person)
        for f in NAME_FIELDS:
            value = (values.get(f) or "").strip()
            if value:
                setattr(person, f, value)
        if birth is not None:
            person.birth_date = birth
        if values.get("gender"):
            person.gender = str(values["gender"])
        address = values.get("address")
        if isinstance(address, dict) and any(str(v).strip() for v in address.values()):
            person.address = dict(address)
        elif isinstance(address, str) and address.strip():
            person.address = {"text": address.strip()}
        if phone:
            person.phone = phone
        person.source = source
        if expiry is not None:
            person.card_expiry = expiry
        staged = None
        if photo is not None:
            staged = archive.store.stage_stream(io.BytesIO(photo))
            person.photo_sha256 = staged.sha256
        s.flush()
        after = _recorded(person)
        changed = sorted(k for k in after if before.get(k) != after[k])
        audit.record(
            archive.db,
            "create" if created else "change",
            "complainant",
            person.id,
            user=user,
            before=None if created else {k: before.get(k) for k in changed},
            after={"citizen_id": cid.masked(number), "source": source, **{k: after[k] for k in changed}},
            session=s,
        )
        s.commit()
        if staged is not None:
            archive.store.commit(staged)
        log.info("complainant %s saved (%s, %s)", person.id, cid.masked(number), source)
        return person


def _recorded(person: Complainant) -> dict[str, Any]:
    """What the audit log keeps of a person's record: the values (the phone masked; the photo by
    its hash), never the citizen ID (masked in the entry itself)."""
    out: dict[str, Any] = {f: getattr(person, f) or "" for f in NAME_FIELDS}
    out.update(
        birth_date=person.birth_date.isoformat() if person.birth_date else None,
        gender=person.gender or "",
        address=(person.address or {}).get("text", ""),
        phone=masked_phone(person.phone or ""),
        card_expiry=person.card_expiry.isoformat() if person.card_expiry else None,
        photo_sha256=person.photo_sha256,
    )
    return out


def visible(session: Session, user: User) -> ColumnElement[bool]:
    """A filter on Complainant for the people this user may see: taken in by a centre within the
    user's area, or complainants of a complaint the user may see."""
    from sqlalchemy import or_

    from records.areas import visible_area_ids
    from records.models import Complaint

    ids = visible_area_ids(session, user.area)
    if ids is None:
        return true()
    through = select(Complaint.complainant_id).where(Complaint.area_id.in_(ids), Complaint.complainant_id.is_not(None))
    return or_(Complainant.area_id.in_(ids), Complainant.id.in_(through))


def get_visible(session: Session, user: User, person_id: str | int) -> Complainant | None:
    try:
        pid = int(person_id)
    except (TypeError, ValueError):
        return None
    if not 0 < pid <= MAX_ID:
        return None
    return session.scalar(select(Complainant).where(Complainant.id == pid, visible(session, user)))

"""Complainants: saving a person from an ID-card read or from what the clerk typed, with the
citizen ID checked (checksum) either way. The photo goes to the object store, not the database."""

from __future__ import annotations

import base64
import datetime as dt
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from records.models import MAX_ID, Complainant, User
from thai import citizen_id as cid
from thai.dates import parse_date
from thai.digits import digits_only

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


def save(
    archive: Archive,
    values: Mapping[str, Any],
    photo_jpeg_b64: str | None = None,
    source: str = "typed",
    area_id: int | None = None,
) -> Complainant:
    """Create or update the complainant with this citizen ID. `values` as the counter form sends
    them (citizen ID with Thai or Arabic digits, dashes; birth date ISO). `area_id`: the centre
    taking them in (a person first seen elsewhere becomes visible here too, through this centre's
    complaints)."""
    problems: dict[str, str] = {}
    try:
        number = cid.parse(values.get("citizen_id", ""))
    except ValueError as e:
        number = None
        problems["citizen_id"] = "citizen_id_length" if "13 digits" in str(e) else "citizen_id_checksum"
    if not (values.get("first_name_th") or "").strip():
        problems["first_name_th"] = "required"
    if not (values.get("last_name_th") or "").strip():
        problems["last_name_th"] = "required"
    birth = None
    if values.get("birth_date"):
        try:
            birth = parse_date(values["birth_date"])
        except ValueError:
            problems["birth_date"] = "bad_date"
    phone = digits_only(values.get("phone"))
    if phone and not 9 <= len(phone) <= 10:
        problems["phone"] = "bad_phone"
    if problems:
        raise InvalidComplainant(problems)
    with archive.db.session() as s:
        person = s.scalar(select(Complainant).where(Complainant.citizen_id == number))
        if person is None:
            person = Complainant(citizen_id=number, area_id=area_id)
            s.add(person)
        elif person.area_id is None:
            person.area_id = area_id
        for f in NAME_FIELDS:
            if f in values:
                setattr(person, f, (values.get(f) or "").strip())
        person.birth_date = birth
        person.gender = values.get("gender", "") or ""
        address = values.get("address")
        person.address = address if isinstance(address, dict) else {"text": (address or "").strip()}
        person.phone = phone
        person.source = source
        if values.get("expiry_date"):
            person.card_expiry = dt.date.fromisoformat(values["expiry_date"])
        staged = None
        if photo_jpeg_b64:
            import io

            staged = archive.store.stage_stream(io.BytesIO(base64.b64decode(photo_jpeg_b64)))
            person.photo_sha256 = staged.sha256
        s.commit()
        if staged is not None:
            archive.store.commit(staged)
        log.info("complainant %s saved (%s, %s)", person.id, cid.masked(number), source)
        return person


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

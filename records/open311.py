"""Open311 GeoReport v2 in our records' terms: a service is one of our active complaint categories
(a top category or a sub-category, `service_code` its id), a service request is a complaint
(`service_request_id` its tracking number, KKN-2569-000123), `open` every status but closed.
Reads a submitted request into the data records.complaints.create takes, finds the complaints a
key's user may see (records.complaints.filters: the area rules of the complaint list) and says a
complaint as Open311 does.

What the caller tells of the person (name, e-mail, its own account and device ids, a photo's
address) has no field of its own without a citizen ID: it is kept at the end of the summary,
after NOTE_MARK, for the officers, and left out of every answer. `status_notes` are the
catalogue's words for the status and outcome alone — never an officer's free text, which may
name people or hold their numbers. Times are Thailand's (+07:00)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from records import areas, complaints
from records.models import Area, Category, Complaint, ComplaintStatus, User
from thai import messages
from thai.dates import THAI_TIME, be_short, utcnow
from thai.digits import digits_only, fold_digits
from thai.errors import CodedError

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-03T00:00:00+07:00"  # when this interface last changed (the discovery document)
MAX_RESULTS = 1000
WINDOW_DAYS = 90
NOTE_MARK = "\n\n[Open311]\n"
_NOTE_LINES = (  # form field → its line in the summary's note (Thai: the officers read it)
    ("name", "ผู้ร้อง"),
    ("email", "อีเมล"),
    ("account_id", "account_id"),
    ("device_id", "device_id"),
    ("media_url", "media_url"),
)
_LIMITS = {
    "service_code": 16,
    "jurisdiction_id": 16,
    "lat": 32,
    "long": 32,
    "address_string": 4000,
    "description": 4000,
    "first_name": 128,
    "last_name": 128,
    "phone": 32,
    "email": 254,
    "device_id": 128,
    "account_id": 128,
    "media_url": 2000,
}
_MULTI_LINE = ("description", "address_string")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# our records' field names → Open311's, for the errors of complaints.create
FIELD_NAMES = {
    "latitude": "lat",
    "longitude": "long",
    "category": "service_code",
    "subcategory": "service_code",
    "area": "jurisdiction_id",
    "summary": "description",
    "address": "address_string",
    "name": "first_name",
}


class Open311Error(CodedError):
    """A request refused as Open311 says it: the catalogue's code, and the HTTP status the spec
    gives it (400 a missing or bad field, 403 the key, 404 nothing by that code or id)."""

    def __init__(self, status: int, code: str, **params: object) -> None:
        super().__init__(code, **params)
        self.status = status


def timestamp(value: dt.datetime | None) -> str | None:
    """A stored (naive UTC) time in ISO 8601 with Thailand's offset: 2026-12-03T15:04:05+07:00."""
    if value is None:
        return None
    return (value + THAI_TIME).replace(microsecond=0).isoformat() + "+07:00"


def parse_time(name: str, value: str) -> dt.datetime:
    """An ISO 8601 time as stored (naive UTC); one without an offset is Thailand's. A `+07:00`
    sent unencoded in a query string arrives as ` 07:00`: read as meant."""
    text = re.sub(r" (\d{2}(?::?\d{2})?)$", r"+\1", fold_digits(value.strip()))
    try:
        t = dt.datetime.fromisoformat(text)
    except ValueError:
        raise Open311Error(400, "bad_value", field=name) from None
    if t.tzinfo is None:
        return t - THAI_TIME
    return t.astimezone(dt.UTC).replace(tzinfo=None)


def window(start: dt.datetime | None, end: dt.datetime | None) -> tuple[dt.datetime, dt.datetime]:
    """The requested times searched (both included): the last 90 days unless given, one end
    given reaching 90 days from it; at most 90 days."""
    span = dt.timedelta(days=WINDOW_DAYS)
    if start is None and end is None:
        end = utcnow()
    if start is None:
        assert end is not None
        start = end - span
    if end is None:
        end = start + span
    if end < start:
        raise Open311Error(400, "bad_value", field="end_date")
    if end - start > span:
        raise Open311Error(400, "open311_range_too_long", days=WINDOW_DAYS)
    return start, end


# --- services ---------------------------------------------------------------------------------


def name(cat: Category, lang: str) -> str:
    return cat.name_en if lang != "th" and cat.name_en else cat.name_th


def services(session: Session, lang: str = "th") -> list[dict[str, Any]]:
    """Every active category, each top one followed by its sub-categories (their group: the top
    one's name)."""
    cats = list(session.scalars(select(Category).where(Category.active.is_(True)).order_by(Category.position)))
    tops = [c for c in cats if c.parent_id is None]
    subs: dict[int, list[Category]] = {}
    for c in cats:
        if c.parent_id is not None:
            subs.setdefault(c.parent_id, []).append(c)
    out = []
    for top in sorted(tops, key=lambda c: (c.position, c.id)):
        below = subs.get(top.id, [])
        out.append(_service(top, top, [top, *below], lang))
        out += [_service(sub, top, [sub, top], lang) for sub in below]
    return out


def _service(cat: Category, top: Category, words: list[Category], lang: str) -> dict[str, Any]:
    keywords = dict.fromkeys(w for c in words for w in (c.name_th, c.name_en) if w)
    return {
        "service_code": str(cat.id),
        "service_name": name(cat, lang),
        "description": name(cat, lang) if cat is top else f"{name(top, lang)} – {name(cat, lang)}",
        "metadata": False,
        "type": "realtime",
        "keywords": ", ".join(keywords),
        "group": name(top, lang),
    }


def service(session: Session, code: str) -> tuple[Category, Category | None] | None:
    """The category a service code names and its sub-category, when it names an active one."""
    digits = fold_digits(code or "").strip()
    if not digits.isdigit() or len(digits) > 9:
        return None
    cat = session.get(Category, int(digits))
    if cat is None or not cat.active:
        return None
    if cat.parent_id is None:
        return cat, None
    top = session.get(Category, cat.parent_id)
    return (top, cat) if top is not None and top.active else None


# --- jurisdictions ----------------------------------------------------------------------------


def jurisdiction(session: Session, user: User, code: str) -> Area:
    """The area a jurisdiction_id names (an area code or DOPA code), within the user's own."""
    area = areas.by_code(session, code)
    if area is None:
        raise Open311Error(404, "not_found", field="jurisdiction_id")
    if not areas.within(session, user.area, area.id):
        raise Open311Error(403, "open311_outside_area", area=area.code)
    return area


def agency(area: Area, lang: str = "th") -> str:
    """The Damrongdhama centre handling a complaint of `area` (a sub-district's: its district's)."""
    centre = area
    while centre.kind not in areas.CENTRES and centre.parent is not None:
        centre = centre.parent
    return messages.text("receipt_centre", lang, {"centre": areas.centre_name(centre, lang)})


# --- a submitted request ----------------------------------------------------------------------


def _text(form: Mapping[str, str], field: str) -> str:
    value = _CONTROL.sub("", str(form.get(field) or "")).strip()
    if field not in _MULTI_LINE:  # a name or an id is one line: none can add a line to the note
        value = " ".join(value.split())
    if len(value) > _LIMITS[field]:
        raise Open311Error(400, "too_long", field=field, max=_LIMITS[field])
    return value


def _phone(typed: str) -> str:
    """A Thai number as our records keep it: +66 81 234 5678 (as systems send it) is 0812345678;
    Thai or Arabic digits, dashes and spaces as typed (records.complaints checks the length)."""
    digits = digits_only(typed)
    if len(digits) in (10, 11) and digits.startswith("66") and (typed.startswith("+") or len(digits) == 11):
        return "0" + digits[2:]
    return typed


def intake_data(session: Session, user: User, form: Mapping[str, str]) -> dict[str, Any]:
    """The data records.complaints.create takes for a submitted request (form fields by their
    Open311 names); Open311Error for what the spec itself refuses."""
    v = {f: _text(form, f) for f in _LIMITS}
    if not v["service_code"]:
        raise Open311Error(400, "required", field="service_code")
    found = service(session, v["service_code"])
    if found is None:
        raise Open311Error(404, "not_found", field="service_code")
    cat, sub = found
    if bool(v["lat"]) != bool(v["long"]):
        raise Open311Error(400, "required", field="long" if v["lat"] else "lat")
    if not v["lat"] and not v["address_string"]:
        raise Open311Error(400, "open311_location_required")
    if not v["phone"]:
        raise Open311Error(400, "required", field="phone")  # the follow-up key of every complaint
    if v["media_url"] and not re.match(r"https?://[^\s/]", v["media_url"]):
        raise Open311Error(400, "bad_value", field="media_url")
    if v["email"] and not re.fullmatch(r"[^@\s]+@[^@\s]+", v["email"]):
        raise Open311Error(400, "bad_value", field="email")
    data: dict[str, Any] = {
        "channel": "open311",
        "category_id": cat.id,
        "subcategory_id": sub.id if sub else None,
        "phone": _phone(v["phone"]),
        "address": v["address_string"],
        "latitude": v["lat"] or None,
        "longitude": v["long"] or None,
    }
    if v["jurisdiction_id"]:
        data["area_code"] = jurisdiction(session, user, v["jurisdiction_id"]).code
    if cat.needs_detail:  # เรื่องอื่นๆ: what it is, in words — the description's first line
        data["subcategory_text"] = v["description"].split("\n", 1)[0][:256]
    v["name"] = " ".join(p for p in (v["first_name"], v["last_name"]) if p)
    note = "\n".join(f"{label}: {v[f]}" for f, label in _NOTE_LINES if v[f])
    note = NOTE_MARK + note if note else ""
    if len(v["description"]) + len(note) > 4000:  # the summary holds both
        raise Open311Error(400, "too_long", field="description", max=4000 - len(note))
    data["summary"] = v["description"] + note
    return data


def description(summary: str) -> str:
    """The summary as Open311 shows it: without the note of who sent it."""
    return summary.split(NOTE_MARK, 1)[0]


def media_url(summary: str) -> str | None:
    _, mark, note = summary.partition(NOTE_MARK)
    found = re.search(r"^media_url: (https?://\S+)$", note, re.MULTILINE) if mark else None
    return found.group(1) if found else None


# --- complaints as service requests -----------------------------------------------------------


def status_notes(c: Complaint, lang: str = "th") -> str:
    """The status, and a closed complaint's outcome, in the catalogue's words."""
    words = messages.text(f"status_{c.status.value}", lang)
    if c.status == ComplaintStatus.closed and c.outcome:
        words += f" ({messages.text(f'outcome_{c.outcome}', lang)})"
    return words


def as_request(c: Complaint, lang: str = "th") -> dict[str, Any]:
    """One complaint as an Open311 service request (no name, ID, phone or e-mail in it)."""
    shown = c.subcategory or c.category
    return {
        "service_request_id": c.tracking_no,
        "status": "closed" if c.status == ComplaintStatus.closed else "open",
        "status_notes": status_notes(c, lang),
        "service_name": name(shown, lang),
        "service_code": str(shown.id),
        "description": description(c.summary),
        "agency_responsible": agency(c.area, lang),
        "service_notice": None,
        "requested_datetime": timestamp(c.received_at),
        "updated_datetime": timestamp(c.closed_at or c.updated_at),  # a closed one's: when it was closed
        "expected_datetime": f"{c.due_date.isoformat()}T00:00:00+07:00" if c.due_date else None,
        "address": c.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": c.latitude,
        "long": c.longitude,
        "media_url": media_url(c.summary),
    }


def notice(c: Complaint, follow_up_url: str, lang: str = "th") -> str:
    """What the caller tells the citizen: the tracking number, the centre, the due date, where
    to follow it."""
    due = be_short(c.due_date, lang) if c.due_date else "-"
    return messages.text(
        "open311_notice",
        lang,
        {"tracking_no": c.tracking_no, "agency": agency(c.area, lang), "due": due, "url": follow_up_url},
    )


def find(
    session: Session,
    user: User,
    *,
    ids: list[str] | None = None,
    service_code: str = "",
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    status: str = "",
    area: Area | None = None,
) -> list[Complaint]:
    """The complaints the user may see, newest first, at most MAX_RESULTS: by tracking numbers
    (the rest is then ignored, as the spec says; one not seen is left out), or received in the
    window (window()) with services and statuses (open, closed; each comma-separated) and a
    jurisdiction."""
    if ids:
        found = (complaints.by_tracking_no(session, user, i) for i in dict.fromkeys(ids[:MAX_RESULTS]))
        return [c for c in found if c is not None]
    start, end = window(start, end)
    q = select(Complaint).where(
        *complaints.filters(session, user, area_code=area.code if area else None),
        Complaint.received_at >= start,
        Complaint.received_at <= end,
    )
    codes = [code.strip() for code in service_code.split(",") if code.strip()]
    if codes:
        kinds = []
        for code in codes:
            found_service = service(session, code)
            if found_service is None:
                raise Open311Error(404, "not_found", field="service_code")
            cat, sub = found_service
            kinds.append(Complaint.subcategory_id == sub.id if sub else Complaint.category_id == cat.id)
        q = q.where(or_(*kinds))
    wanted = {s.strip().lower() for s in status.split(",") if s.strip()}
    if wanted - {"open", "closed"}:
        raise Open311Error(400, "bad_value", field="status")
    if wanted == {"open"}:
        q = q.where(Complaint.status != ComplaintStatus.closed)
    elif wanted == {"closed"}:
        q = q.where(Complaint.status == ComplaintStatus.closed)
    return list(session.scalars(q.order_by(Complaint.received_at.desc(), Complaint.id.desc()).limit(MAX_RESULTS)))

"""Reading the audit log (records.audit writes it): the entries a user may see, filtered, newest
first — a page at a time for the screen, all of them in chunks for an export — and what each
entry changed, in one line.

Who sees what: central sees every entry; a province or a district sees the entries made by users
of its areas (records.areas.visible_area_ids) — the entries carry no area of their own, only the
user who made them. Entries made by no user (the system, a failed sign-in) are central's alone.

The entries hold citizen IDs masked already (records.audit); nothing here unmasks one. A full
ID typed as search text finds the entries holding it masked."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, cast, func, or_, select
from sqlalchemy.orm import Session

from records.areas import visible_area_ids
from records.models import AuditEntry, User
from thai.citizen_id import mask_in_text, masked
from thai.dates import day_start_utc
from thai.digits import fold_digits

# what the code records (records.audit.record callers), for the filter's choices
ACTIONS = (
    "view",
    "view_page",
    "download",
    "upload",
    "create",
    "change",
    "status",
    "file_document",
    "confirm_fields",
    "export_case_file",
    "card_read",
    "login",
    "login_failed",
    "logout",
    "change_password",
    "reset_password",
    "disable",
    "token_create",
    "token_revoke",
    "export",
    "report_issue",
)
OBJECT_TYPES = (
    "document",
    "complaint",
    "complainant",
    "citizen",
    "user",
    "category",
    "area",
    "api_token",
    "audit_log",
    "report",
)
CHUNK = 1000


@dataclass(frozen=True)
class AuditFilter:
    """What the reader asked for; empty values filter nothing. Dates are days in Thailand."""

    text: str = ""
    object_type: str = ""
    object_id: str = ""
    user: str = ""
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def as_record(self) -> dict[str, str]:
        """The filter as an audit entry of its own holds it (only what was given, IDs masked)."""
        return {k: mask_in_text(str(v)) for k, v in asdict(self).items() if v}


def _utc_start(day: dt.date) -> str:
    """The first moment of a day in Thailand, as the log's UTC times are written (ISO text, which
    sorts as the times do)."""
    return day_start_utc(day).isoformat()


def _citizen_id(value: str) -> str | None:
    digits = re.sub(r"[\s\-]", "", fold_digits(value))
    return digits if len(digits) == 13 and digits.isdigit() else None


def _text_terms(text: str) -> set[str]:
    """The typed text, its Arabic-digit form, a citizen ID's masked form, and each as the JSON of
    the before/after values spells it (non-ASCII as \\u escapes)."""
    terms = {text, fold_digits(text)}
    cid = _citizen_id(text)
    if cid:
        terms.add(masked(cid))
    return terms | {json.dumps(t)[1:-1] for t in terms}


def _conditions(s: Session, viewer: User, f: AuditFilter) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    visible = visible_area_ids(s, viewer.area)
    if visible is not None:
        out.append(AuditEntry.user_id.in_(select(User.id).where(User.area_id.in_(visible))))
    if f.action:
        out.append(AuditEntry.action == f.action)
    if f.object_type:
        out.append(AuditEntry.object_type == f.object_type)
    if f.object_id:
        oid = fold_digits(f.object_id.strip())
        out.append(AuditEntry.object_id.in_({oid, oid.upper()}))
    if f.user:
        cid = _citizen_id(f.user)
        if cid:
            out.append(AuditEntry.user_id.in_(select(User.id).where(User.citizen_id == cid)))
        else:
            out.append(AuditEntry.user_name.icontains(f.user.strip(), autoescape=True))
    if f.date_from:
        out.append(AuditEntry.at >= _utc_start(f.date_from))
    if f.date_to:
        out.append(AuditEntry.at < _utc_start(f.date_to + dt.timedelta(days=1)))
    if f.text.strip():
        columns = (
            AuditEntry.user_name,
            AuditEntry.action,
            AuditEntry.object_type,
            AuditEntry.object_id,
            cast(AuditEntry.before, String),
            cast(AuditEntry.after, String),
        )
        terms = _text_terms(f.text.strip())
        out.append(or_(*(c.icontains(t, autoescape=True) for c in columns for t in terms)))
    return out


def count(s: Session, viewer: User, f: AuditFilter) -> int:
    return s.scalar(select(func.count(AuditEntry.id)).where(*_conditions(s, viewer, f))) or 0


def page(s: Session, viewer: User, f: AuditFilter, limit: int, offset: int = 0) -> list[AuditEntry]:
    """One page of the entries, newest first."""
    q = select(AuditEntry).where(*_conditions(s, viewer, f)).order_by(AuditEntry.id.desc())
    return list(s.scalars(q.offset(offset).limit(limit)))


def every(s: Session, viewer: User, f: AuditFilter) -> Iterator[AuditEntry]:
    """All the entries, newest first, read from the database a chunk at a time."""
    q = select(AuditEntry).where(*_conditions(s, viewer, f)).order_by(AuditEntry.id.desc())
    yield from s.scalars(q.execution_options(yield_per=CHUNK))


def at_utc(entry: AuditEntry) -> dt.datetime:
    """The entry's time as the database keeps times: UTC, naive."""
    return dt.datetime.fromisoformat(entry.at).astimezone(dt.UTC).replace(tzinfo=None)


def _value(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False, sort_keys=True)
    return str(v)


def details(entry: AuditEntry) -> str:
    """What the entry recorded, one line: 'key: value' for a value given, 'key: before → after'
    for a change; IDs stay masked (any 13-digit run is masked again, never shown whole)."""
    before, after = entry.before or {}, entry.after or {}
    parts = []
    for k in dict.fromkeys([*before, *after]):
        if k in before:
            parts.append(f"{k}: {_value(before[k])} → {_value(after.get(k))}")
        else:
            parts.append(f"{k}: {_value(after[k])}")
    return mask_in_text("; ".join(parts))

"""Reading an API request: the archive, the JSON body checked field by field against a spec
(type, length, nullable: refused before anything is written), query arguments, the caller's role
and the complaints the caller may see."""

from __future__ import annotations

import datetime as dt
import re

from flask import current_app, g, request

from records import complaints
from records.models import MAX_ID, Role
from thai.dates import parse_date
from webui.api.errors import ApiError


def archive_of_app():
    return current_app.extensions["archive"]


def json_body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "bad_json")
    return data


def text_value(name: str, v, max_len: int) -> str:
    if not isinstance(v, str):
        raise ApiError(400, "bad_value", field=name)
    try:
        v.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: the database cannot store it
        raise ApiError(400, "bad_value", field=name) from None
    if len(v) > max_len:
        raise ApiError(400, "too_long", field=name, max=max_len)
    return v


def int_value(name: str, v) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not 0 < v <= MAX_ID:
        raise ApiError(400, "bad_value", field=name)
    return v


def number_value(name: str, v) -> float:
    try:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise TypeError
        return float(v)
    except (TypeError, OverflowError):  # an integer beyond any float, too
        raise ApiError(400, "bad_value", field=name) from None


def checked_body(data: dict, spec: dict[str, tuple], required: tuple[str, ...] = ()) -> dict:
    """The body checked against `spec` (name → (type, max length or None, nullable)): unknown
    fields, wrong types and over-long text are refused before anything is written."""
    for name in data:
        if name not in spec:
            raise ApiError(400, "unknown_field", field=name)
    for name in required:
        if data.get(name) in (None, ""):
            raise ApiError(400, "required", field=name)
    out: dict[str, object] = {}
    for name, v in data.items():
        kind, max_len, nullable = spec[name]
        if v is None:
            if not nullable:
                raise ApiError(400, "bad_value", field=name)
            out[name] = None
        elif kind == "string":
            out[name] = text_value(name, v, max_len)
        elif kind == "integer":
            out[name] = int_value(name, v)
        else:
            out[name] = number_value(name, v)
    return out


def arg_int(name: str, default: int, lo: int, hi: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"[0-9]{1,19}", raw) or not lo <= int(raw) <= hi:
        raise ApiError(400, "bad_value", field=name)
    return int(raw)


def arg_date(name: str) -> dt.date | None:
    try:
        return parse_date(request.args.get(name))
    except ValueError:
        raise ApiError(400, "bad_value", field=name) from None


def arg_bool(name: str) -> bool:
    raw = (request.args.get(name) or "").strip().lower()
    if raw in ("", "false", "0", "no"):
        return False
    if raw in ("true", "1", "yes"):
        return True
    raise ApiError(400, "bad_value", field=name)


def require_role(roles: set[Role]) -> None:
    if g.user.role not in roles:
        raise ApiError(403, "forbidden")


def visible_complaint(s, complaint_id: int):
    c = complaints.get(s, g.user, complaint_id) if complaint_id <= MAX_ID else None
    if c is None:
        raise ApiError(404, "not_found", field="complaint")
    return c

"""Which page of a list a URL asks for (`?page=`): a whole number from 1 on, whatever was typed —
Thai or Arabic digits; anything else, or a number too large to be a page, reads as the first
or the last page there could be, never as a server error."""

from __future__ import annotations

from flask import request

from thai.digits import fold_digits

MAX_PAGE = 1_000_000  # pages * 200 rows stays far inside SQLite's 64-bit OFFSET


def page_number(name: str = "page") -> int:
    raw = fold_digits((request.args.get(name) or "1").strip())
    if not raw.isdigit():
        return 1
    return max(1, min(int(raw[:12]), MAX_PAGE))

"""The reader's language for the web pages (Thai by default, English from the header link,
remembered in a cookie) and the page helpers that use it: the catalogue's messages
(`thai.messages`) and Buddhist Era dates."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from flask import g, request

from thai import messages
from thai.dates import be_short
from thai.messages import LANGUAGES


def current_language(default: str = "th") -> str:
    lang = getattr(g, "lang", None)
    if lang:
        return lang
    lang = request.args.get("lang") or request.cookies.get("lang") or default
    g.lang = lang if lang in LANGUAGES else default
    return g.lang


def translate(key: str, **kw) -> str:
    """A message of the catalogue in the reader's language (placeholders not given are kept, for
    scripts that fill them in); an unknown key comes back as it is."""
    if not messages.has(key):
        return key
    return messages.text(key, current_language(), kw)


def error_text(code: str | None, params: dict | None, fallback: str | None = None) -> str:
    """An error (a catalogue code and its parameters) in the reader's language, fields and
    statuses named in words; `fallback` when the code is not in the catalogue."""
    if code and messages.has(code):
        return messages.text(code, current_language(), params, in_words=True)
    return fallback or ""


def lang_url(lang: str) -> str:
    """This page in another language, keeping its query (search words, dates, page)."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [lang]
    return request.path + "?" + urlencode(args, doseq=True)


def format_date(value, with_time: bool = False) -> str:
    """Thai: '15 ส.ค. 2568' (Buddhist Era); English: '15 Aug 2025'."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    d = value.date() if isinstance(value, dt.datetime) else value
    s = be_short(d, current_language())
    if with_time and isinstance(value, dt.datetime):
        s += value.strftime(" %H:%M")
    return s

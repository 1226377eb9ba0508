"""The one catalogue of messages a user may read (messages.toml): each code with its Thai and its
English, and the parameters both take (the names in braces). Errors (`thai.errors.CodedError`),
the CLI, the JSON API and the web pages all say things through it, so a message is written once
and the same words reach the counter, the API and the logs.

`text(code, lang, params)` fills a message in Thai ("th") or English (anything else). A
parameter the caller did not give stays as its placeholder ({limit}); a code the catalogue does
not hold gives its `detail` parameter, or the code itself. With `in_words`, the parameters that
name a field or a status are put in words from the catalogue (`field_name_<field>`,
`status_<status>`): the web pages do this in both languages, the API in Thai only (its English
keeps the JSON names a program reads)."""

from __future__ import annotations

import functools
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

CATALOGUE = Path(__file__).with_name("messages.toml")
LANGUAGES = ("th", "en")
STATUS_PARAMS = ("from_status", "to_status", "status")


@dataclass(frozen=True)
class Message:
    code: str
    th: str
    en: str
    section: str

    @property
    def params(self) -> frozenset[str]:
        """The parameters the message takes (the Thai and the English take the same: a test checks)."""
        return placeholders(self.th) | placeholders(self.en)

    def in_language(self, lang: str) -> str:
        return self.th if lang == "th" else self.en


def placeholders(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


@functools.cache
def catalogue() -> dict[str, Message]:
    """Every message by its code, read once from messages.toml (a code twice is an error)."""
    raw = tomllib.loads(CATALOGUE.read_text(encoding="utf-8"))
    out: dict[str, Message] = {}
    for section, entries in raw.items():
        for code, entry in entries.items():
            if code in out:
                raise ValueError(f"{CATALOGUE.name}: {code!r} is in both [{out[code].section}] and [{section}]")
            out[code] = Message(code, entry["th"], entry["en"], section)
    return out


def has(code: str) -> bool:
    return code in catalogue()


class _KeepMissing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def text(code: str, lang: str = "en", params: Mapping[str, object] | None = None, *, in_words: bool = False) -> str:
    """The message `code` in `lang`, its parameters filled in."""
    message = catalogue().get(code)
    values = {k: str(v) for k, v in (params or {}).items()}
    if message is None:
        return values.get("detail") or code
    if in_words:
        values = _in_words(values, lang)
    return message.in_language(lang).format_map(_KeepMissing(values))


def _in_words(values: dict[str, str], lang: str) -> dict[str, str]:
    out = dict(values)
    if "field" in out and has(f"field_name_{out['field']}"):
        out["field"] = text(f"field_name_{out['field']}", lang)
    for key in STATUS_PARAMS:
        if key in out and has(f"status_{out[key]}"):
            out[key] = text(f"status_{out[key]}", lang)
    return out

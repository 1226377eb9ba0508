"""The one message catalogue (thai/messages.toml): every message says the same in Thai and
English (the same parameters), and every code the code and the templates name is in it, with the
parameters the caller passes — so no user ever reads a bare code or an unfilled {placeholder}."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from thai import messages
from thai.errors import CodedError

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "thai", "records", "ingest", "search", "scanner", "webui", "cli")
# calls whose first string argument (after the HTTP status for the API's) is a catalogue code
CODED = {
    "CodedError",
    "IntakeError",
    "UnsupportedFile",
    "OcrError",
    "UserError",
    "ComplaintError",
    "ScanFault",
    "BatchError",
    "CardError",
}
WITH_STATUS = {"ApiError", "error_response"}
WITH_PARAMS_DICT = {"fail", "error_text", "error_body"}


def _sources():
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _uses():
    """(where, code, params or None when they cannot be told) for every literal code in the code."""
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            args = node.args
            if name in WITH_STATUS:
                args = args[1:]
            elif name == "text" and isinstance(node.func, ast.Attribute) and _name(node.func.value) == "messages":
                args = args[:1]
            elif name not in CODED | WITH_PARAMS_DICT | {"translate"}:
                continue
            if not args or not (isinstance(args[0], ast.Constant) and isinstance(args[0].value, str)):
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            params: set[str] | None
            if name in CODED | WITH_STATUS:
                params = (
                    None
                    if any(k.arg is None for k in node.keywords)
                    else {k.arg for k in node.keywords if k.arg not in ("message",)}
                )
                if name == "CardError":
                    params = set()
            elif name in WITH_PARAMS_DICT:
                d = args[1] if len(args) > 1 else None
                params = (
                    {k.value for k in d.keys if isinstance(k, ast.Constant)}
                    if isinstance(d, ast.Dict)
                    else set()
                    if d is None or (isinstance(d, ast.Constant) and d.value is None)
                    else None
                )
            else:
                params = None  # translate(): placeholders may be left for a script to fill
            yield where, args[0].value, params


def test_thai_and_english_take_the_same_parameters():
    for m in messages.catalogue().values():
        assert messages.placeholders(m.th) == messages.placeholders(m.en), m.code
        assert m.th.strip() and m.en.strip(), m.code
        if m.code != "language":  # the link to the other language: "English" on the Thai page
            assert re.search("[\u0e00-\u0e7f]", m.th) or m.th == m.en, f"{m.code}: no Thai in its Thai"


def test_every_code_the_code_names_is_in_the_catalogue_with_its_parameters():
    uses = list(_uses())
    assert len(uses) > 150  # the scan finds the calls (a broken scan would pass everything)
    for where, code, params in uses:
        assert messages.has(code), f"{where}: {code!r} is not in thai/messages.toml"
        if params is not None:  # every placeholder filled; a `detail` beyond them is kept for the logs
            takes = set(messages.catalogue()[code].params)
            assert takes <= params and params - takes <= {"detail"}, (
                f"{where}: {code} takes {sorted(takes)}, given {sorted(params)}"
            )


def test_every_key_the_templates_name_is_in_the_catalogue():
    keys = set()
    for path in (ROOT / "webui" / "templates").glob("*.html"):
        keys |= set(re.findall(r"""\bt\(\s*['"]([a-z0-9_]+)['"]""", path.read_text(encoding="utf-8")))
    assert len(keys) > 100
    # t('status_' ~ c.status.value): a prefix the catalogue must hold keys for
    prefixes = {k for k in keys if k.endswith("_")}
    assert sorted(k for k in keys - prefixes if not messages.has(k)) == []
    assert sorted(p for p in prefixes if not any(c.startswith(p) for c in messages.catalogue())) == []


def test_a_coded_error_speaks_both_languages_and_keeps_missing_parameters_visible():
    e = CodedError("too_many_pages", pages=1200, limit=1000)
    assert str(e) == "the file has 1200 pages; the limit is 1000"
    assert e.message("th") == "ไฟล์มี 1200 หน้า เกินกำหนด 1000 หน้า"
    assert messages.text("too_many_pages", "th", {"pages": 3}) == "ไฟล์มี 3 หน้า เกินกำหนด {limit} หน้า"
    assert messages.text("no_such_code", "th", {"detail": "x"}) == "x"
    # fields and statuses named in words, in the reader's language
    assert messages.text("required", "th", {"field": "category"}, in_words=True) == "ต้องกรอกประเภทเรื่อง"
    assert messages.text("required", "en", {"field": "category"}, in_words=True) == "the category is required"
    assert messages.text("required", "en", {"field": "category"}) == "category is required"


def test_a_code_twice_in_the_catalogue_is_refused(tmp_path, monkeypatch):
    bad = tmp_path / "messages.toml"
    bad.write_text('[a]\nx = { th = "ก", en = "a" }\n[b]\nx = { th = "ข", en = "b" }\n', encoding="utf-8")
    monkeypatch.setattr(messages, "CATALOGUE", bad)
    messages.catalogue.cache_clear()
    try:
        with pytest.raises(ValueError, match="'x' is in both"):
            messages.catalogue()
    finally:
        monkeypatch.undo()
        messages.catalogue.cache_clear()

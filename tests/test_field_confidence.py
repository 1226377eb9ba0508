"""Field confidences that mean something: a field read from pieces Tesseract was unsure of is
shown unsure (outlined for the clerk), whatever its rule says; a check digit or the lexicon
still vouches for a value; a text layer keeps its rules' confidences."""

from __future__ import annotations

from pathlib import Path

from PIL import ImageFilter

from config import load_settings
from ingest.fields import read_fields
from ingest.reader import pieces_of, read_image
from tests.thai_pages import render_lines

PETITION = "ข้าพเจ้า นายสมศักดิ์ ทองประเสริฐ เลขประจำตัวประชาชน 3-1742-18096-79-5 โทรศัพท์ 081-234-5678 จังหวัดขอนแก่น"


def _pieces(phone_conf: float, id_conf: float) -> list[tuple[str, float]]:
    return [
        ("ข้าพเจ้า", 95.0),
        ("นายสมศักดิ์", 93.0),
        ("3-1742-18096-79-5", id_conf),
        ("โทรศัพท์", 96.0),
        ("081-234-5678", phone_conf),
        ("จังหวัดขอนแก่น", 40.0),
    ]


def test_a_field_read_from_unsure_pieces_is_outlined():
    sure = read_fields(PETITION, _pieces(phone_conf=96, id_conf=96))
    unsure = read_fields(PETITION, _pieces(phone_conf=45, id_conf=96))
    assert sure.values["phone"] == unsure.values["phone"] == "0812345678"
    assert sure.confidence["phone"] >= 0.9
    assert unsure.confidence["phone"] < 0.9 and unsure.reading["phone"] == 45.0
    middling = read_fields(PETITION, _pieces(phone_conf=75, id_conf=96))
    assert unsure.confidence["phone"] < middling.confidence["phone"] < 0.9


def test_a_check_digit_and_the_lexicon_vouch_for_a_value_however_unsure_the_reading():
    f = read_fields(PETITION, _pieces(phone_conf=96, id_conf=30))
    assert f.values["citizen_id"] == "3174218096795"
    assert f.confidence["citizen_id"] >= 0.9  # the check digit holds
    assert f.values["province"] == "ขอนแก่น" and f.confidence["province"] >= 0.9


def test_a_text_layer_keeps_its_rules_confidences():
    layer = read_fields(PETITION)  # no pieces: the text was not OCR'd
    assert layer.confidence["phone"] >= 0.9 and layer.reading == {}


def test_a_blurred_phone_number_is_outlined(tmp_path):
    """Real OCR of a blurred line: the number comes out one digit short, and is not shown sure."""
    im = render_lines(["ข้าพเจ้า นายสมชาย ใจดี", "โทรศัพท์ ๐๘๑-๒๓๔-๕๖๗๘"]).filter(ImageFilter.GaussianBlur(2.2))
    path = tmp_path / "blurred.png"
    im.save(path, dpi=(300, 300))
    pages = read_image(path, load_settings(), Path(tmp_path))
    f = read_fields("\n\n".join(p.text for p in pages), pieces_of(pages))
    assert f.values.get("phone") != "0812345678"  # misread …
    assert f.confidence["phone"] < 0.9  # … and outlined, not "sure"

"""Reading a page through real Tesseract: the marks above and below a line stay with it however
tight the lines, a tilted photograph is read line by line, a letter's number and its agency side
by side are read in order, a red stamp is read apart from the text it overlaps (and a dull one
with all its frame holds), a fax's dropped
scanlines and speckle are cleaned away, an e-mail address is read as Latin (inside a Thai sentence
too). Small pages, so each reads in a second or two."""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFont
from rapidfuzz.distance import Levenshtein

from config import load_settings
from ingest.fields import read_fields
from ingest.ocr import read_page
from tests.thai_pages import FONT_DIR

MARK_LINES = [
    "ที่ดินที่ข้าพเจ้าครอบครองทำประโยชน์มาตั้งแต่บิดามารดา",
    "ผู้ใหญ่บ้านได้แจ้งเรื่องนี้ต่อเจ้าหน้าที่แล้ว",
    "น้ำท่วมขังถนนในหมู่บ้านทุกปีเมื่อฝนตกหนัก",
]


def _page(
    rows: list[tuple[int, str]], width=2000, px=46, line_h=1.9, font="Garuda", colour=False, height=0
) -> Image.Image:
    """Rows of (x, text) drawn at 300 dpi; rows sharing a y are given as consecutive items with
    a negative x (right-aligned column at -x)."""
    f = ImageFont.truetype(str(FONT_DIR / f"{font}.ttf"), px)
    n = sum(1 for x, _ in rows if x >= 0)
    im = Image.new("RGB" if colour else "L", (width, max(height, int(80 + n * px * line_h))), "white")
    d = ImageDraw.Draw(im)
    y = 40
    for x, text in rows:
        if x < 0:  # same row as the one before, at column -x
            y -= int(px * line_h)
            x = -x
        d.text((x, y), text, font=f, fill="black")
        y += int(px * line_h)
    return im


def _read(im: Image.Image, tmp_path, name="page.png", **env) -> str:
    p = tmp_path / name
    im.save(p, dpi=(300, 300))
    return read_page(p, 300, load_settings(env={f"DAMRONG_{k.upper()}": v for k, v in env.items()})).text


def _lines(text: str) -> list[str]:
    return [re.sub(r"\s+", "", ln) for ln in text.splitlines() if ln.strip()]


def test_marks_stay_with_their_line_however_tight(tmp_path):
    # lines so close that a line's lower vowels nearly touch the tone marks of the next
    im = _page([(40, t) for t in MARK_LINES], px=46, line_h=1.55)
    assert _lines(_read(im, tmp_path)) == [re.sub(r"\s+", "", t) for t in MARK_LINES]


def test_tilted_photograph_read_line_by_line(tmp_path):
    im = np.asarray(_page([(40, t) for t in MARK_LINES], width=2100, line_h=2.2))
    h, w = im.shape
    # a phone held at an angle: the page's right edge nearer than its left, lines no longer parallel
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[0, 30], [w, 0], [w, h], [0, h - 45]])
    warped = cv2.warpPerspective(im, cv2.getPerspectiveTransform(src, dst), (w, h), borderValue=255)
    got = _lines(_read(Image.fromarray(warped), tmp_path))
    want = [re.sub(r"\s+", "", t) for t in MARK_LINES]
    assert len(got) == len(want)
    assert sum(Levenshtein.distance(g, t) for g, t in zip(got, want)) <= 2, got


def test_letter_number_and_agency_side_by_side(tmp_path):
    im = _page(
        [
            (40, "ด่วนที่สุด"),
            (40, "ที่ มท ๐๒๐๕.๓/ว ๔๗๗๗"),
            (-1150, "กรมการปกครอง"),
            (1150, "ถนนอัษฎางค์ กทม. ๑๐๒๐๐"),
            (700, "๑๙ ธันวาคม ๒๕๖๓"),
            (40, "เรื่อง การเร่งรัดการยุติเรื่องร้องเรียน"),
        ],
        width=2100,
        font="Laksaman",
    )
    text = _read(im, tmp_path)
    first = text.index("๐๒๐๕.๓/ว ๔๗๗๗")
    assert first < text.index("กรมการปกครอง") < text.index("ถนนอัษฎางค์")  # row by row, left to right
    v = read_fields(text).values
    assert v["doc_no"] == "มท 0205.3/ว 4777" and v["agency"] == "กรมการปกครอง"
    assert v["date"] == "2020-12-19" and v["urgency"] == "ด่วนที่สุด"


def test_red_stamp_read_apart_from_the_letter_it_overlaps(tmp_path):
    im = _page(
        [(40, "ที่ สน ๖๘๒๙.๕/ว ๓๐๔๐"), (40, "ศาลากลางจังหวัดสกลนคร"), (40, "เรื่อง การเร่งรัดการยุติเรื่องร้องเรียนคงค้าง")],
        width=2100,
        colour=True,
        font="Garuda",
        height=900,
    )
    # the receipt stamp pressed over the end of the letter's first lines: ink over ink darkens
    stamp = Image.new("RGB", im.size, "white")
    d = ImageDraw.Draw(stamp)
    f = ImageFont.truetype(str(FONT_DIR / "Garuda.ttf"), 38)
    d.rectangle((440, 20, 1190, 200), outline=(200, 30, 40), width=5)
    d.text((620, 45), "เลขรับ 1477", font=f, fill=(200, 30, 40))
    d.text((620, 120), "วันที่ 24 ธ.ค. 2563", font=f, fill=(200, 30, 40))
    im = ImageChops.multiply(im, stamp)
    text = _read(im, tmp_path)
    lines = _lines(text)
    assert lines[:2] == ["เลขรับ1477", "วันที่24ธ.ค.2563"]  # the stamp first, its own lines
    assert lines[2:4] == ["ที่สน๖๘๒๙.๕/ว๓๐๔๐", "ศาลากลางจังหวัดสกลนคร"]  # the letters under its frame kept
    v = read_fields(text).values
    assert v["receipt_no"] == "1477" and v["receipt_date"] == "2020-12-24"
    assert v["doc_no"] == "สน 6829.5/ว 3040"
    # without the step the frame takes the letters it crosses with it
    bare = _lines(_read(im, tmp_path, "again.png", ocr_stamps="false"))
    assert "ที่สน๖๘๒๙.๕/ว๓๐๔๐" not in bare and "ศาลากลางจังหวัดสกลนคร" not in bare


def test_a_stamps_dull_writing_inside_its_frame_read_with_the_stamp(tmp_path):
    # a photograph's dull blue: the frame and its labels clearly coloured, the clerk's number and
    # date, apart from them, only here and there — what the frame holds is the stamp's all the same
    rows = [(40, "ที่ สน ๖๘๒๙.๕/ว ๓๐๔๐"), (40, "ศาลากลางจังหวัดสกลนคร"), (40, "เรื่อง การเร่งรัดการยุติเรื่องร้องเรียนคงค้าง")]
    im = _page(rows, width=2100, colour=True, height=700)
    d = ImageDraw.Draw(im)
    f = ImageFont.truetype(str(FONT_DIR / "Garuda.ttf"), 38)
    d.rectangle((1300, 20, 2050, 260), outline=(28, 52, 170), width=5)
    d.text((1330, 45), "เลขรับ", font=f, fill=(28, 52, 170))
    d.text((1330, 140), "วันที่", font=f, fill=(28, 52, 170))
    d.text((1468, 45), "6797", font=f, fill=(96, 106, 158))
    d.text((1440, 140), "16 ก.ค. 64", font=f, fill=(96, 106, 158))
    noisy = np.asarray(im).astype(float) + np.random.default_rng(5).normal(0, 10, (im.height, im.width, 3))
    text = _read(Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)), tmp_path)
    assert _lines(text)[0] == "เลขรับ6797"  # with the stamp, first: not left in the letter's text
    assert "6797" not in "".join(_lines(text)[2:])
    assert read_fields(text).values["receipt_no"] == "6797"


def test_fax_dropped_scanlines_and_speckle_cleaned_away(tmp_path):
    page = np.asarray(_page([(40, t) for t in MARK_LINES], line_h=2.2)).copy()
    rng = np.random.default_rng(3)
    ys, _xs = np.nonzero(page < 128)
    for y in range(int(ys.min()) + 12, int(ys.max()), 23):  # a blank scanline every 23 rows
        page[y] = 255
    for _ in range(400):  # isolated specks of noise
        y, x = rng.integers(0, page.shape[0] - 3), rng.integers(0, page.shape[1] - 3)
        page[y : y + 2, x : x + 2] = 0
    im = Image.fromarray(page)
    want = [re.sub(r"\s+", "", t) for t in MARK_LINES]
    got = _lines(_read(im, tmp_path))
    assert sum(Levenshtein.distance(g, t) for g, t in zip(got, want)) <= 2 and len(got) == len(want), got
    bare = _lines(_read(im, tmp_path, "bare.png", ocr_scanlines="false", ocr_despeckle="false"))
    assert sum(Levenshtein.distance(g, t) for g, t in zip(bare, want)) + abs(len(bare) - len(want)) * 20 > sum(
        Levenshtein.distance(g, t) for g, t in zip(got, want)
    )


def test_email_and_web_address_in_a_thai_letter_read_as_latin(tmp_path):
    # Thai alone writes an address as Thai-looking junk; read again with English, the reading
    # whose Latin words Tesseract is sure of wins
    im = _page(
        [(40, "ไปรษณีย์อิเล็กทรอนิกส์ saraban@example.go.th"), (40, "โทรศัพท์ ๐ ๒๒๒๒ ๔๑๔๐ www.damrongdhama.moi.go.th")],
        width=2100,
    )
    assert _lines(_read(im, tmp_path)) == [
        "ไปรษณีย์อิเล็กทรอนิกส์saraban@example.go.th",
        "โทรศัพท์๐๒๒๒๒๔๑๔๐www.damrongdhama.moi.go.th",
    ]
    # the Thai lines beside them stay Thai: a code like ทส is never read as Latin
    im = _page([(40, "ที่ ทส ๐๓๗๘.๕/ว ๒๐๖๖๔"), (40, "เรียน นายอำเภอตากฟ้า")], width=2100)
    assert _lines(_read(im, tmp_path, "code.png")) == ["ที่ทส๐๓๗๘.๕/ว๒๐๖๖๔", "เรียนนายอำเภอตากฟ้า"]


def test_an_address_inside_a_thai_sentence_read_as_latin_in_a_thin_face(tmp_path):
    # in Norasi Thai alone reads the e-mail as Thai junk that looks sure of itself; junk of that
    # shape is read again with English whatever its doubt
    im = _page(
        [
            (40, "www.damrongdhama.moi.go.th แล้ว แต่ยังไม่พบความคืบหน้า"),
            (40, "ไปรษณีย์อิเล็กทรอนิกส์ saraban@example.go.th ได้ทุกวัน"),
        ],
        width=1900,
        px=50,
        font="Norasi",
    )
    got = _lines(_read(im, tmp_path))
    assert got[0].startswith("www.damrongdhama.moi.go.th")
    assert "saraban@example.go.th" in got[1] and got[1].startswith("ไปรษณีย์")


def test_domain_words_handed_to_tesseract_when_switched_on(tmp_path):
    from ingest.ocr import tesseract as ocr

    im = _page([(40, "ศาลากลางจังหวัดสกลนคร")])
    try:
        assert "ศาลากลางจังหวัดสกลนคร" in _lines(_read(im, tmp_path, ocr_user_words="true"))
        files = dict(ocr._words)
        words = Path(files["user_words_file"]).read_text(encoding="utf-8").split("\n")
        assert "สกลนคร" in words and "อำเภอเมือง" in words and "ธันวาคม" in words
        assert ocr._api("tha", 7).GetVariableAsString("user_words_file") == files["user_words_file"]
    finally:
        ocr.use_domain_words(False)
    assert ocr._api("tha", 7).GetVariableAsString("user_words_file") == ""


def test_a_speck_before_a_line_is_not_read_as_punctuation(tmp_path):
    # a fax's or photocopy's speck left of a line: Tesseract reads it as a lone ")" or "'"
    lines = ["ขอแสดงความนับถือ", "(นายสมชาย ใจดี)", "โทร. ๐ ๒๕๙๐ ๑๒๓๔"]
    im = _page([(40, t) for t in lines], width=1400, px=44)
    d = ImageDraw.Draw(im)
    for i in range(3):
        y = 40 + i * int(44 * 1.9) + 10
        d.rectangle((8, y, 11, y + 14), fill=0)
    got = [ln.strip() for ln in _read(im, tmp_path).splitlines() if ln.strip()]
    assert [re.sub(r"\s+", "", g) for g in got] == [re.sub(r"\s+", "", t) for t in lines]

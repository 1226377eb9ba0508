"""Thai digits: Tesseract misreads them (๔→๕, ๖→๒, ๗→๓, ๘→๕); the second reader gets them right."""

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from config import load_settings
from ingest.ocr import read_page
from ingest.ocr.digit_reader import THAI_DIGITS, classify
from ingest.ocr.line_glyphs import ink_threshold
from tests.thai_pages import FONT_DIR, render_lines


@pytest.mark.parametrize("font", ["Laksaman", "Garuda", "Loma"])
def test_every_digit_classified_in_office_fonts(font):
    for px in (40, 64):
        f = ImageFont.truetype(str(FONT_DIR / f"{font}.ttf"), px)
        for d in THAI_DIGITS:
            im = Image.new("L", (px * 2, px * 2), 255)
            ImageDraw.Draw(im).text((10, 5), d, font=f, fill=0)
            im = im.filter(ImageFilter.GaussianBlur(1.0))  # a soft scan
            a = np.asarray(im)
            assert classify(a < ink_threshold(a)) == d, (font, px, d)


def test_id_number_in_thai_digits_read_through_ocr(tmp_path):
    p = tmp_path / "id.png"
    render_lines(
        ["เลขประจำตัวประชาชน ๔-๖๗๙๑-๖๐๑๑๐-๘๔-๕", "โทร ๐๘๙-๖๐๒-๕๘๐๗", "ในวันที่ ๕ ของเดือน ที่ มท ๐๒๐๕.๓/ว ๔๗๗๗"],
        font="Laksaman",
        px=64,
        width=1800,
    ).save(p, dpi=(300, 300))
    text = read_page(p, 300, load_settings(env={})).text
    assert "๔-๖๗๙๑-๖๐๑๑๐-๘๔-๕" in text
    assert "๐๘๙-๖๐๒-๕๘๐๗" in text
    # the tone mark of ที่ just before a number is not read as a digit; the slash stays a slash
    assert "ที่ ๕" in text and "๐๒๐๕.๓/ว ๔๗๗๗" in text

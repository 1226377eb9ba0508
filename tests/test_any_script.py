"""Documents that are not in Thai, or not only: a born-digital PDF in German or English is taken
from its text layer (not OCR'd as Thai junk), a Thai–English layer is kept whole, a garbage layer
in any script is still refused, and a scanned page in Latin script is read in English."""

from __future__ import annotations

import re

import pytest
from fpdf import FPDF
from sqlalchemy import select

from ingest.pdf_text import quality
from records.models import Document
from search.index import open_index
from search.query import search
from tests.test_ingest_search import filenames, ingest_all
from tests.thai_pages import save_image
from thai.words import words

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
GARUDA = "/usr/share/fonts/truetype/tlwg/Garuda.ttf"
GERMAN = (
    "Die Würde des Menschen ist unantastbar. Sie zu achten und zu schützen ist Verpflichtung aller "
    "staatlichen Gewalt. Das Deutsche Volk bekennt sich darum zu unverletzlichen und unveräußerlichen "
    "Menschenrechten als Grundlage jeder menschlichen Gemeinschaft."
)
THAI_RUN = re.compile("[\u0e01-\u0e5b]")


def _pdf(path, pages: list[str], font: str = DEJAVU):
    pdf = FPDF()
    pdf.add_font("F", fname=font)
    pdf.set_font("F", size=12)
    if font == GARUDA:
        pdf.set_text_shaping(True)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    pdf.output(str(path))
    return path


def test_a_born_digital_pdf_in_german_is_read_from_its_text_layer(archive, tmp_path):
    src = _pdf(tmp_path / "grundgesetz.pdf", [f"Artikel {i}\n{GERMAN}" for i in range(1, 4)])
    ingest_all(archive, src)
    with archive.db.session() as s:
        doc = s.scalar(select(Document))
        assert doc.text_source == "text-layer"
        assert "Die Würde des Menschen ist unantastbar" in doc.text  # umlauts and all
        assert "Artikel 3" in doc.text
        assert not THAI_RUN.search(doc.text)
    assert filenames(search(open_index(archive), "unantastbar")) == ["grundgesetz.pdf"]


def test_a_thai_and_english_text_layer_is_kept_whole(archive, tmp_path):
    text = (
        "เรื่อง ขอแจ้งปัญหาสัญญาณ Wi-Fi ของโรงเรียนบ้านหนองบัวใช้งานไม่ได้ตั้งแต่เดือนมกราคม "
        "โปรดติดต่อ admin@school.ac.th หรือดูที่ www.school.ac.th (Internet service provider)"
    )
    ingest_all(archive, _pdf(tmp_path / "wifi.pdf", [text], font=GARUDA))
    with archive.db.session() as s:
        doc = s.scalar(select(Document))
        assert doc.text_source == "text-layer"
        assert "Wi-Fi" in doc.text and "admin@school.ac.th" in doc.text
        assert "โรงเรียนบ้านหนองบัว" in doc.text
    assert filenames(search(open_index(archive), "provider")) == ["wifi.pdf"]


@pytest.mark.parametrize(
    "layer, sound",
    [
        (GERMAN, True),
        ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.", True),
        ("Все люди рождаются свободными и равными в своем достоинстве и правах.", True),
        ("xq~" * 40, False),  # a font with no sound Unicode map
        ("Gtkxq bnvcx zxcvbnm qwrtp lkjhg fdsmn bvcxz qwrtplk mnbvc xzlkj", False),
        ("Die WÃ¼rde des Menschen ist unantastbar. Sie zu achten und zu schÃ¼tzen", False),  # mojibake
        ("!\"#$%&'()*+,-./0123456789:;<=>?@ABCD" * 3, False),
        ("short", False),
    ],
    ids=["german", "latin", "russian", "unmapped", "consonants", "mojibake", "symbols", "too_short"],
)
def test_text_layers_of_any_script_are_judged_sound_or_not(layer, sound):
    assert (quality(layer, words()) >= 0.9) is sound


def test_a_scanned_page_in_english_is_read_in_english(archive, tmp_path):
    from PIL import Image, ImageDraw, ImageFont

    lines = [
        "Lorem ipsum dolor sit amet, consectetur",
        "adipiscing elit, sed do eiusmod tempor",
        "incididunt ut labore et dolore magna",
        "aliqua. Ut enim ad minim veniam, quis",
    ]
    font = ImageFont.truetype(DEJAVU, 40)
    im = Image.new("L", (1100, 80 + 90 * len(lines)), 255)
    draw = ImageDraw.Draw(im)
    for i, line in enumerate(lines):
        draw.text((40, 40 + 90 * i), line, font=font, fill=0)
    ingest_all(archive, save_image(im, tmp_path / "letter.png"))
    with archive.db.session() as s:
        doc = s.scalar(select(Document))
        assert doc.text_source == "ocr"
        assert not THAI_RUN.search(doc.text), doc.text  # not Thai-looking junk
        assert "Lorem ipsum dolor sit amet" in doc.text
        assert "eiusmod tempor" in doc.text

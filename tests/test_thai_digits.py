"""Thai digits: Tesseract misreads them (๔→๕, ๖→๒, ๗→๓, ๘→๕); the second reader gets them right,
in the looped office faces and in the loopless ones (whose ๓ is ต without its notch)."""

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from config import load_settings
from ingest.ocr import read_page
from ingest.ocr.digit_reader import THAI_DIGITS, classify
from ingest.ocr.glyph_cache import VENDORED_DIR
from ingest.ocr.line_glyphs import ink_threshold
from tests.thai_pages import FONT_DIR, HELD_OUT_FONTS, render_in_face, render_lines


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


@pytest.mark.parametrize("face,px", [("kanit", 56), ("athiti", 40)])
def test_id_number_in_a_loopless_face_read_through_ocr(tmp_path, face, px):
    # a soft scan of a form printed in a loopless face: Tesseract writes most of the ID's digits
    # as letters (๖ as ว, ๖- as ฯงฯ); read glyph by glyph, every digit and dash comes back
    p = tmp_path / "loopless.png"
    lines = ["เลขประจำตัวประชาชน ๓-๐๘๘๙-๓๗๓๖๐-๖๒-๙", "โทรศัพท์ ๐๙๘-๓๗๕-๙๗๔๑ วันที่ ๑๓ มีนาคม ๒๕๖๖"]
    im = render_in_face(lines, VENDORED_DIR / f"{face}-thai-400-normal.woff", px=px, width=1700)
    im.filter(ImageFilter.GaussianBlur(1.0)).save(p, dpi=(300, 300))
    text = read_page(p, 300, load_settings(env={})).text
    assert "๓-๐๘๘๙-๓๗๓๖๐-๖๒-๙" in text
    assert "๐๙๘-๓๗๕-๙๗๔๑" in text


@pytest.mark.parametrize("px", [40, 60])
def test_a_square_zero_is_never_taken_for_a_slash(px):
    # the template faces' Thai subsets have no '/': drawn, it would be their empty box, and the
    # square ๐ of Chakra Petch (a face no template has seen) would match it
    f = ImageFont.truetype(str(HELD_OUT_FONTS / "chakra-petch-thai-400-normal.ttf"), px)
    im = Image.new("L", (px * 2, px * 2), 255)
    ImageDraw.Draw(im).text((px // 2, px + px // 2), "๐", font=f, fill=0, anchor="ls")
    a = np.asarray(im.filter(ImageFilter.GaussianBlur(0.8)))
    assert classify(a < ink_threshold(a), THAI_DIGITS + "/") == "๐"


@pytest.mark.parametrize("face", ["chakra-petch", "niramit"])
def test_a_lone_day_digit_read_as_a_digit(tmp_path, face):
    # faces no template was drawn from: Tesseract writes the day's ๗ as ฒ (a letter never alone
    # a word), and Niramit's wide ๗ is no ๓ with a slash touching it
    p = tmp_path / "day.png"
    lines = ["ที่ มท ๐๒๒๘.๗/๗๑๒๖ ลงวันที่ ๗ พฤศจิกายน ๒๕๖๖", "วันที่ ๗ เดือน สิงหาคม พ.ศ. ๒๕๖๑"]
    im = render_in_face(lines, HELD_OUT_FONTS / f"{face}-thai-400-normal.ttf", px=44, width=1800)
    im.filter(ImageFilter.GaussianBlur(0.8)).save(p, dpi=(300, 300))
    text = read_page(p, 300, load_settings(env={})).text
    assert "ลงวันที่ ๗ พฤศจิกายน" in text and "วันที่ ๗ เดือน สิงหาคม" in text


def test_an_id_whose_first_digit_tesseract_wrote_as_its_letter_twin(tmp_path):
    # Kanit, soft: the ID's first ๖ read ว, a letter and no digit before it — the twin opens
    # the number when a dash and digits follow it
    p = tmp_path / "twin.png"
    im = render_in_face(
        ["ประชาชน ๖-๖๗๖๘-๗๘๕๗๓-๑๑-๘ อยู่บ้านเลขที่ ๒๕"], VENDORED_DIR / "kanit-thai-400-normal.woff", px=46, width=1900
    )
    im.filter(ImageFilter.GaussianBlur(1.0)).save(p, dpi=(300, 300))
    assert "ประชาชน ๖-๖๗๖๘-๗๘๕๗๓-๑๑-๘ อยู่" in read_page(p, 300, load_settings(env={})).text


def _read_in_held_out_face(tmp_path, lines: list[str], face: str, px: int, blur: float) -> tuple[str, str]:
    """The page drawn in a face no template has seen, read with and without learning from it."""
    p = tmp_path / f"{face}.png"
    im = render_in_face(lines, HELD_OUT_FONTS / f"{face}-thai-400-normal.ttf", px=px, width=1900)
    im.filter(ImageFilter.GaussianBlur(blur)).save(p, dpi=(300, 300))
    learned = read_page(p, 300, load_settings(env={})).text
    return learned, read_page(p, 300, load_settings(env={"DAMRONG_OCR_PAGE_DIGITS": "false"})).text


def test_a_face_whose_one_the_templates_take_for_three_is_learned_from_the_page(tmp_path):
    # Chakra Petch (no template was drawn from it): its square ๑ is nearer the templates' ๓ than
    # their ๑, so every ๑ was read ๓ (๑๙๕๙๔๗๙๗๑๑๐๔๔ → ๓๙๕๙๔๗๙๗๓๓๐๔๔). On the page the ๑s and the
    # ๓s are two shapes, the ๑s matching ๓ badly and no glyph read ๑: the ๑s are learned as ๑
    lines = [
        "เลขประจำตัวประชาชน ๑-๙๕๙๔-๗๙๗๑๑-๐๔-๔",
        "โทรศัพท์ ๐๙๐-๓๙๘-๓๓๐๖ วันที่ ๑๒ ธันวาคม ๒๕๖๖",
        "บ้านเลขที่ ๑๕๓/๒ หมู่ที่ ๑๕",
    ]
    text, alone = _read_in_held_out_face(tmp_path, lines, "chakra-petch", px=44, blur=0.8)
    assert "๑-๙๕๙๔-๗๙๗๑๑-๐๔-๔" in text
    assert "๐๙๐-๓๙๘-๓๓๐๖" in text  # the ๓s stay ๓
    assert "วันที่ ๑๒ ธันวาคม" in text and "๑๕๓/๒" in text
    # without learning from the page, the templates alone read the ๑s as ๓
    assert "๑-๙๕๙๔-๗๙๗๑๑-๐๔-๔" not in alone


def test_a_face_whose_five_the_templates_take_for_four_is_learned_from_the_page(tmp_path):
    # Niramit (no template was drawn from it): its ๕ is its ๔ with a hook, and both are nearest
    # the templates' ๔ — at the templates' detail the page's ๔s and ๕s are one shape. Parted at
    # twice the detail, the part nearly as near ๕ (no glyph on the page read ๕) is ๕; every other
    # digit of the page becomes a template too, so the ๔s stay ๔
    lines = [
        "ที่ สห ๐๑๘๕.๙/ว ๑๔๔๗๑",
        "๒๕ เมษายน ๒๕๖๙",
        "อ้างถึง หนังสือ ที่ สห ๐๒๓๓.๗/ว ๓๔๔๕ ลงวันที่ ๔ มีนาคม ๒๕๖๙",
        "โทร ๐ ๔๔๕๕ ๕๔๔๔",
    ]
    text, alone = _read_in_held_out_face(tmp_path, lines, "niramit", px=40, blur=1.0)
    assert "๐๑๘๕.๙/ว ๑๔๔๗๑" in text and "๒๕ เมษายน ๒๕๖๙" in text
    assert "๓๔๔๕" in text and "๐ ๔๔๕๕ ๕๔๔๔" in text
    assert "๒๕ เมษายน" not in alone


def test_a_page_learns_no_digit_from_a_glyph_that_might_be_another(tmp_path):
    # a fax of a Niramit letter: its two ๙s and the ๘ of ๒๘ fall in one group read ๙, the ๘
    # apart from the ๙s and matching ๙ best of the three — but nearly as well ๘. The ๘ is no
    # sure ๙ to keep the digit, so the ๙s do not give way to ๘
    import cv2

    lines = ["ที่ อบ ๐๑๐๕.๒/ว ๑๙๓๗๒", "ถนนแจ้งสนิท อบ ๓๔๐๐๐", "๒๘ พฤศจิกายน ๒๕๖๙", "สายด่วน ๑๕๖๗ และโทร ๐ ๒๓๙๕ ๒๗๖๕"]
    face = HELD_OUT_FONTS / "niramit-thai-400-normal.ttf"
    page = np.asarray(render_in_face(lines, face, px=40, width=1900).convert("L"))
    size = (page.shape[1] * 2 // 3, page.shape[0] * 2 // 3)
    small = cv2.GaussianBlur(cv2.resize(page, size, interpolation=cv2.INTER_AREA), (0, 0), 0.6)
    black = (small < 160) & (np.random.default_rng(1).random(small.shape) > 0.03)  # 200 dpi, thresholded, dropout
    p = tmp_path / "fax.png"
    Image.fromarray(np.where(black, 0, 255).astype(np.uint8)).save(p, dpi=(200, 200))
    text = read_page(p, 200, load_settings(env={})).text
    assert "๑๙๓๗๒" in text and "๒๓๙" in text and "๒๘ พฤศจิกายน" in text


def test_a_page_whose_glyphs_giving_way_read_their_new_digit_already_learns_nothing():
    # a group read ๔ by its mean (one sure ๔ and two glyphs apart from it), the two giving way to
    # ๕ — which is what each was read as already: nothing changes, and nothing fails (this page
    # once stopped the whole document's OCR)
    from ingest.ocr.page_digits import PageDigits

    page = PageDigits()
    mask = np.ones((4, 3), bool)

    def costs(**by_digit: float) -> np.ndarray:
        c = np.full(10, 200.0)
        for d, v in by_digit.items():
            c[THAI_DIGITS.index(d)] = v
        return c

    page.note("๔", mask, np.array([0.0]), costs(**{"๔": 30, "๕": 45}), (0, 3))
    page.note("๕", mask, np.array([5.0]), costs(**{"๔": 40, "๕": 44}), (5, 8))
    page.note("๕", mask, np.array([5.2]), costs(**{"๔": 40, "๕": 44}), (10, 13))
    page.note("๑", mask, np.array([100.0]), costs(**{"๑": 10}), (15, 18))
    assert page.learn() is False
    assert page.reread == set() and page.learned is None

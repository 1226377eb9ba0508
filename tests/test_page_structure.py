"""Pages that are not a single column of dark print on light paper, read through the real OCR:
two columns are read one after the other (not line by line across the gutter), a headline at
twice the body size is read, not dropped, and light writing on a dark ground (a screenshot of a
dark viewer, a microfilm negative) is read as well as the same page printed normally. A letter
whose number stands beside its agency is still read row by row."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from config import load_settings
from ingest.reader import read_image

FONT = "/usr/share/fonts/truetype/tlwg/Laksaman.ttf"
LEFT = ["ศูนย์ดำรงธรรมอำเภอ", "รับเรื่องร้องเรียน", "จากประชาชนทุกวัน", "ในเวลาราชการ", "ณ ที่ว่าการอำเภอ", "ถึงสี่โมงเย็น"]
RIGHT = [
    "ผู้ร้องเรียนต้องนำ",
    "บัตรประจำตัวประชาชน",
    "มาแสดงต่อเจ้าหน้าที่",
    "พร้อมสำเนาเอกสาร",
    "ที่เกี่ยวข้องทุกฉบับ",
    "เพื่อประกอบการพิจารณา",
]
HEADLINE = "ประกาศศูนย์ดำรงธรรม"


def _two_columns(path: Path, px: int = 30, headline: bool = True) -> Path:
    body, big = ImageFont.truetype(FONT, px), ImageFont.truetype(FONT, px * 2)
    pitch, col_w = int(px * 1.7), int(max(body.getlength(t) for t in LEFT + RIGHT)) + 2 * px
    top = int(px * 3.5) if headline else px
    page = Image.new("L", (2 * col_w + 3 * px, top + pitch * len(LEFT) + 2 * px), 255)
    draw = ImageDraw.Draw(page)
    if headline:
        draw.text(((page.width - big.getlength(HEADLINE)) / 2, px // 2), HEADLINE, font=big, fill=0)
    for i, (a, b) in enumerate(zip(LEFT, RIGHT)):
        draw.text((px, top + i * pitch), a, font=body, fill=0)
        draw.text((px + col_w + px, top + i * pitch), b, font=body, fill=0)
    page.save(path, dpi=(300, 300))
    return path


def _read(path: Path, tmp_path: Path) -> str:
    return read_image(path, load_settings(), tmp_path)[0].text


def test_two_columns_are_read_one_after_the_other_under_their_headline(tmp_path):
    text = _read(_two_columns(tmp_path / "columns.png"), tmp_path)
    lines = [ln.replace(" ", "") for ln in text.splitlines() if ln.strip()]
    assert lines[0] == HEADLINE  # twice the body size: read, and first
    joined = "\n".join(lines)
    at = [joined.find(t.replace(" ", "")) for t in LEFT + RIGHT]
    assert all(i >= 0 for i in at), (at, text)
    assert at == sorted(at), text  # the whole left column, then the right


def test_light_writing_on_a_dark_ground_is_read_like_the_printed_page(tmp_path):
    printed = _two_columns(tmp_path / "printed.png", headline=False)
    negative = tmp_path / "negative.png"
    ImageOps.invert(Image.open(printed).convert("L")).save(negative, dpi=(300, 300))
    assert _read(negative, tmp_path) == _read(printed, tmp_path)
    assert "บัตรประจำตัวประชาชน" in _read(negative, tmp_path).replace(" ", "")


def test_a_letters_number_beside_its_agency_is_still_read_row_by_row(tmp_path):
    font = ImageFont.truetype(FONT, 30)
    page = Image.new("L", (1400, 260), 255)
    draw = ImageDraw.Draw(page)
    rows = [("ที่ มท ๐๒๐๕.๓/ว ๔๗๗๗", "ศาลากลางจังหวัดขอนแก่น"), ("", "ถนนหน้าเมือง ขก ๔๐๐๐๐")]
    for i, (left, right) in enumerate(rows):
        draw.text((40, 40 + i * 60), left, font=font, fill=0)
        draw.text((800, 40 + i * 60), right, font=font, fill=0)
    draw.text((40, 170), "เรื่อง ขอเชิญประชุมคณะกรรมการศูนย์ดำรงธรรม", font=font, fill=0)
    page.save(tmp_path / "letter.png", dpi=(300, 300))
    lines = [ln for ln in _read(tmp_path / "letter.png", tmp_path).splitlines() if ln.strip()]
    flat = [ln.replace(" ", "") for ln in lines]
    assert flat[0].startswith("ที่มท") and flat[1].startswith("ศาลากลาง")  # row by row, as before:
    assert flat[2].startswith("ถนน") and flat[3].startswith("เรื่อง")  # not the agency's block after

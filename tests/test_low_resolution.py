"""Small text read as well as large: a line cut from a 96 dpi scan, 20–40 pixels high, with a
sliver of the line above and below at its edges, is enlarged to the height the reader is tuned
for, the slivers are neither read nor taken for the line's marks."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from config import load_settings
from ingest.reader import read_image

FONT = "/usr/share/fonts/truetype/tlwg/Laksaman.ttf"
ABOVE = "ติดต่อสำนักการสอบสวนและนิติการ ส่วนอำนวยความเป็นธรรม ได้"
LINE = "เรียน นายอำเภอสว่างแดนดิน"
BELOW = "เรื่อง การประชุมชี้แจงแนวทางปฏิบัติงานศูนย์ดำรงธรรม"


def _crop(tmp_path: Path, px: int, sliver: float) -> Path:
    font = ImageFont.truetype(FONT, px)
    pitch = int(px * 1.6)
    page = Image.new("L", (int(font.getlength(BELOW)) + 20, pitch * 3 + 10), 255)
    draw = ImageDraw.Draw(page)
    for i, text in enumerate((ABOVE, LINE, BELOW)):
        draw.text((10, 5 + i * pitch), text, font=font, fill=0)
    top, bottom = int(5 + pitch - sliver * pitch), int(5 + 2 * pitch + sliver * pitch) + int(px * 0.3)
    path = tmp_path / f"line-{px}.png"
    page.crop((0, top, page.width, bottom)).save(path, dpi=(96, 96))
    return path


def test_a_small_line_cut_from_a_page_is_read_without_its_neighbours_slivers(tmp_path):
    path = _crop(tmp_path, 18, 0.3)
    assert Image.open(path).height <= 50  # as small as a 96 dpi crop
    pages = read_image(path, load_settings(), tmp_path)
    text = pages[0].text.strip()
    assert "\n" not in text  # one line: the slivers gave no line of their own …
    assert text.startswith("เรียน นาย") and text.endswith("สว่างแดนดิน")  # … nor marks to it


def test_tiny_text_alone_is_enlarged_and_read(tmp_path):
    path = _crop(tmp_path, 14, 0.0)  # no slivers, letters 6–7 px high
    pages = read_image(path, load_settings(), tmp_path)
    assert "นายอำเภอสว่างแดนดิน" in pages[0].text

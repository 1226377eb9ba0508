"""OCR of one page image, and its one public face: `read_page` (text, confidence, lines with
their words' boxes, the cleaned page), the Tesseract process limit and data folder, and the error
a page that cannot be read raises.

Inside, one module per step (`page` runs them in order): `cleanup` → `stamp` → `lines` (`layout`,
`tesseract`, `line_glyphs`, `digit_reader` with the digits learned from the page in
`page_digits`, `mark_reader`, their font templates in `glyph_cache`) → `correction` →
`page_letters`. Nothing outside this package imports those modules; field
extraction (`ingest.fields`) never imports OCR, nor OCR fields."""

from __future__ import annotations

from ingest.ocr.lines import LineRead, Steps
from ingest.ocr.page import PageRead, read_page
from ingest.ocr.tesseract import OcrError, limit_processes, tessdata_dir

__all__ = ["LineRead", "OcrError", "PageRead", "Steps", "limit_processes", "read_page", "tessdata_dir"]

"""The receipt stamp (ตรารับ: หน่วยงาน / เลขรับ / วันที่ / เวลา), red or blue, top right of an
official letter. `cleanup` takes its ink off the text layer into a layer of its own; here that
layer's lines are read alone (left in, a stamp pressed over the letter takes the letters its
frame crosses with it) and put first on the page, where a reader meets them."""

from __future__ import annotations

import numpy as np

from ingest.ocr.cleanup import binarise
from ingest.ocr.lines import LineRead, read_lines
from ingest.ocr.tesseract import Deadline


def read_stamp(layer: np.ndarray, langs: str, dpi: int, deadline: Deadline) -> list[LineRead]:
    ink = binarise(layer)
    return [ln for ln in read_lines(layer, ink, langs, dpi, deadline) if _is_text(ln.text)]


def _is_text(s: str) -> bool:
    letters = sum(ch.isalnum() for ch in s)
    return letters >= 2

"""Clean-up of scanned pages: blank-page detection (so the empty backs of single-sided sheets in a
duplex run disappear), separator sheets, orientation (Tesseract OSD: upside-down and sideways
pages), and the page as it is filed (turned upright). Each step is switched by a setting:
`scan_remove_blank`, `scan_separators`, `scan_auto_rotate`; deskew is `ocr_deskew`."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pytesseract
from PIL import Image

log = logging.getLogger(__name__)

WORK_DPI = 100  # blank detection looks at the page at this resolution
MARGIN = 0.04  # share of each edge ignored: scanner shadows and punched holes
INK_LEVEL = 200  # grey levels darker than this count as ink (after the reduction averages)
NEIGHBOURS = 4
MIN_OSD_CONFIDENCE = 2.0


@dataclass
class Analysis:
    blank: bool
    separator: bool
    rotation: int  # degrees clockwise that turn the page upright


def ink_share(page: Image.Image, dpi: int) -> float:
    """The share of the page (margins left out) covered by ink that clusters the way writing does:
    at WORK_DPI a dark pixel counts only with at least NEIGHBOURS dark neighbours, so dust specks
    and scanner noise count for nothing while two handwritten digits still do."""
    grey = page.convert("L")
    factor = max(1, round(dpi / WORK_DPI))
    small = grey.reduce(factor) if factor > 1 else grey
    w, h = small.size
    mx, my = int(w * MARGIN), int(h * MARGIN)
    ink = np.asarray(small.crop((mx, my, w - mx, h - my))) < INK_LEVEL
    if not ink.size:
        return 0.0
    p = np.pad(ink, 1)
    rows, cols = ink.shape
    neighbours = sum(
        p[1 + dy : 1 + dy + rows, 1 + dx : 1 + dx + cols].astype(np.uint8)
        for dy in (-1, 0, 1)
        for dx in (-1, 0, 1)
        if dy or dx
    )
    return float((ink & (neighbours >= NEIGHBOURS)).mean())


def orientation(page: Image.Image) -> int:
    """Degrees clockwise (0, 90, 180, 270) that turn the page upright, by Tesseract's orientation
    and script detection; 0 when it is unsure or the page has too little text."""
    grey = page.convert("L")
    if max(grey.size) > 2400:  # OSD needs no more than about 200 dpi
        grey = grey.reduce(2)
    try:
        osd = pytesseract.image_to_osd(
            grey, config="--psm 0 -c min_characters_to_try=10", output_type=pytesseract.Output.DICT, timeout=60
        )
    except (pytesseract.TesseractError, RuntimeError) as e:
        log.debug("no orientation found: %s", str(e)[-120:])
        return 0
    if float(osd.get("orientation_conf", 0)) < MIN_OSD_CONFIDENCE:
        return 0
    return int(osd.get("rotate", 0)) % 360


def analyse(page: Image.Image, dpi: int, settings) -> Analysis:
    from scanner.separator import is_separator

    if settings.scan_separators and is_separator(page):
        return Analysis(blank=False, separator=True, rotation=0)
    blank = settings.scan_remove_blank and ink_share(page, dpi) < settings.scan_blank_ink
    rotation = orientation(page) if settings.scan_auto_rotate and not blank else 0
    return Analysis(blank=blank, separator=False, rotation=rotation)


_TURN = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}


def upright(page: Image.Image, rotation: int) -> Image.Image:
    """The page turned `rotation` degrees clockwise (lossless). Deskewing is left to the OCR
    pipeline (`ocr_deskew`), which straightens every page, scanned or uploaded, for OCR and for
    the archival PDF, while the filed original stays exactly as scanned."""
    turn = _TURN.get(rotation % 360)
    return page.transpose(turn) if turn is not None else page

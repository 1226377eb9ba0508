"""Page clean-up before OCR, one small step each (every step has a setting and was measured on the
dev corpus; README, "Benchmarks"):

1. colour: a receipt stamp (red or blue ink in a compact patch) is taken off the text layer
   into a layer of its own (read separately by `stamp`): all its box holds that has colour at
   all, grey as the page shows it (a photograph's dull blue passes the margin only here and
   there); the rest becomes grey.
   Scanlines a fax dropped (blank rows that cut every letter of a line in two) are filled in
   from their neighbours.
2. resolution: an A4 page scanned at low resolution (200 dpi, whatever its file says) is
   enlarged to the OCR resolution: Tesseract misreads small Thai digits and marks.
3. deskew: a projection-profile search (±5°): Tesseract drops or garbles whole lines of a page
   scanned a few degrees off (poor scans: CER 15% → 5%).
4. background: the page divided by its own paper (a wide morphological closing), so grey or
   uneven paper and scanner shading become white and faint ink keeps its contrast.
   A page of light writing on a dark ground is turned round first.
5. binarisation: Otsu's threshold on the normalised page gives the ink mask the layout works on;
   specks too small to be writing are dropped there (`layout`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

cv2.setNumThreads(1)  # one thread per page: pages run in parallel already (ingest.reader)

INK_THRESHOLD = 128
MAX_ANGLE = 5.0
STEP = 0.2
MIN_GAIN = 1.05
A4_INCHES = (8.27, 11.69)
COLOUR_MARGIN = 60  # stamp ink: red (or blue) this much above the other channels
COLOUR_FAINT = 20  # … and, inside a stamp, this much
MAX_STAMP_SHARE = 0.2  # a coloured patch larger than this share of the page is no stamp
MIN_STAMP_PIXELS = 400
DARK_GROUND = 0.6  # a page this much of which is dark is light writing on a dark ground


@dataclass
class CleanPage:
    grey: np.ndarray  # text layer, grey, deskewed, at `dpi`, background normalised
    ink: np.ndarray  # boolean ink mask of `grey`
    stamp: np.ndarray | None  # the stamps' layer (dark on white, same geometry), if any
    view: Image.Image  # the page as scanned, deskewed and scaled: the archival image
    dpi: int
    angle: float


def _rotate_small(a: np.ndarray, angle: float) -> np.ndarray:
    h, w = a.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(a, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)


def skew_angle(grey: Image.Image) -> float:
    """The rotation (degrees, counter-clockwise) that makes the text lines level: the angle
    whose row profile of the ink has the greatest variance (lines sharpest), searched in 1°
    steps and then in 0.2° steps around the best, if it beats 0° clearly."""
    small = grey.reduce(4) if min(grey.size) > 800 else grey
    ink = ((np.asarray(small) < INK_THRESHOLD) * 255).astype(np.uint8)
    if not ink.any():
        return 0.0

    def score(angle: float) -> float:
        return float(np.var(_rotate_small(ink, angle).sum(axis=1, dtype=np.float32)))

    base = score(0.0)
    coarse = max(np.arange(-MAX_ANGLE, MAX_ANGLE + 0.5, 1.0), key=score)
    fine = np.arange(coarse - 0.8, coarse + 0.8 + STEP / 2, STEP)
    best_angle = float(max((a for a in fine if abs(a) <= MAX_ANGLE + 1e-9), key=score))
    if abs(best_angle) < STEP / 2:
        return 0.0
    return round(best_angle, 2) if score(best_angle) > base * MIN_GAIN else 0.0


BODY_PX = 28  # a consonant's body at 16 pt, 300 dpi (about what the dev corpus prints)
SMALL_BODY_PX = 16  # text whose median component is smaller than this is enlarged …
MAX_TEXT_SCALE = 4.0  # … at most this much


def resolution_scale(width: int, height: int, target_dpi: int) -> tuple[float, int]:
    """An A4 page scanned at low resolution (a 1654-pixel-wide page is 200 dpi, whatever its
    file says) is enlarged to the OCR resolution: Tesseract misreads small Thai digits. Returns
    the factor and the page's true resolution (0 when the page is not A4-shaped)."""
    portrait = (min(width, height), max(width, height))
    if not 1.38 <= portrait[1] / max(1, portrait[0]) <= 1.45:
        return 1.0, 0
    true_dpi = round(portrait[0] / A4_INCHES[0])
    if true_dpi < 0.85 * target_dpi:
        return min(2.0, target_dpi / true_dpi), true_dpi
    return 1.0, true_dpi


def text_height_scale(grey: np.ndarray) -> float:
    """Small text of any page — a fax, a screenshot, a PDF rendered small, a line cut from a
    96 dpi scan — enlarged so that its letters stand as tall as the pipeline is tuned for (a
    consonant's body BODY_PX high, as 16 pt at 300 dpi): Tesseract and the layout read tiny Thai
    badly, and the marks above a tiny line are specks. 1.0 when the text is tall enough."""
    ink = binarise(grey).astype(np.uint8)
    n, _lab, st, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    _x, top, w, h, area = st[1:n].T
    # what no edge cuts: the slivers of the lines above and below a cut-out line are short
    heights = h[(h >= 3) & (w >= 2) & (area >= 6) & (top > 0) & (top + h < grey.shape[0])]
    if len(heights) < 8:
        return 1.0
    body = float(np.median(heights))
    if body >= SMALL_BODY_PX:
        return 1.0
    return min(MAX_TEXT_SCALE, BODY_PX / body)


def split_stamps(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Grey text layer and the stamps' layer (None when no stamp ink is worth reading). A stamp is
    red or blue ink in a compact patch (a page written all in blue stays text). Its pixels become
    paper in the text layer: black ink over a stamp stays dark in every channel, so it stays."""
    r, g, b = (rgb[..., i].astype(np.int16) for i in range(3))
    colour = np.maximum(r - np.maximum(g, b), b - np.maximum(r, g))
    strong = (colour > COLOUR_MARGIN) & (np.maximum(r, b) > 110)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    if strong.sum() < MIN_STAMP_PIXELS:
        return grey, None
    # the stamp's area: around its clearly coloured ink; there even faint colour is the stamp's
    patches = cv2.dilate(strong.astype(np.uint8), np.ones((25, 25), np.uint8))
    n, lab, st, _ = cv2.connectedComponentsWithStats(patches, connectivity=8)
    page = rgb.shape[0] * rgb.shape[1]
    keep = [
        i
        for i in range(1, n)
        if st[i, 2] * st[i, 3] < MAX_STAMP_SHARE * page and strong[lab == i].sum() >= MIN_STAMP_PIXELS
    ]
    if not keep:
        return grey, None
    # a stamp is all its box holds, however little of its ink is clearly coloured (a photograph's
    # dull blue: only the frame and a few strokes of the writing pass the margin)
    region = np.zeros(strong.shape, bool)
    for i in keep:
        x, y, w, h = (int(v) for v in st[i, :4])
        region[y : y + h, x : x + w] = True
    ink = region & (colour > COLOUR_FAINT)
    text = np.where(ink, 255, grey).astype(np.uint8)
    # the stamp's layer: its ink as grey as the page shows it, on white (black ink over it left out)
    stamp = np.where(ink, grey, 255).astype(np.uint8)
    return text, stamp


def repair_dropouts(grey: np.ndarray) -> np.ndarray:
    """A fax or a worn scanner drops whole scanlines: a blank row (or two) cuts every letter of
    a line in two, and the halves read as nothing. Such a row — where most strokes inked just
    above and just below it are blank in it — is filled in from its neighbours."""
    out = grey
    for gap in (1, 2):
        ink = out < INK_THRESHOLD
        both = ink[: -gap - 1] & ink[gap + 1 :]  # row r and row r + gap + 1
        blank = np.ones_like(both)
        for k in range(1, gap + 1):
            blank &= ~ink[k : len(ink) - gap - 1 + k]  # rows between them
        ref = both.sum(axis=1)
        rows = np.flatnonzero((ref >= 20) & ((both & blank).sum(axis=1) > 0.6 * ref))
        if len(rows):
            out = out.copy() if out is grey else out
            for r in rows:
                fill = np.maximum(out[r], out[r + gap + 1])  # the lighter of the two inks
                for k in range(1, gap + 1):
                    out[r + k] = np.where(both[r], np.minimum(out[r + k], fill), out[r + k])
    return out


def light_on_dark(grey: np.ndarray) -> bool:
    """Light writing on a dark ground (a screenshot of a dark viewer, a microfilm negative): most
    of the page on the dark side of Otsu's threshold. Paper is most of any ordinary page, even
    a photograph with the table round it."""
    small = grey[:: max(1, grey.shape[0] // 400), :: max(1, grey.shape[1] // 400)]
    t, _ = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return bool((small <= t).mean() > DARK_GROUND)


def normalise_background(grey: np.ndarray, dpi: int = 300) -> np.ndarray:
    """The page divided by its paper: a closing wider than any stroke takes the ink out, leaving
    the paper's own shading, which the page is divided by."""
    k = max(15, int(41 * dpi / 300)) | 1
    paper = cv2.morphologyEx(grey, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    paper = cv2.GaussianBlur(paper, (0, 0), k / 4)
    out = grey.astype(np.float32) * 255.0 / np.maximum(paper.astype(np.float32), 1.0)
    return np.clip(out, 0, 255).astype(np.uint8)


def binarise(grey: np.ndarray) -> np.ndarray:
    """Ink mask by Otsu's threshold (the page is background-normalised first)."""
    t, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return grey <= min(t, 220)  # (Otsu puts the threshold on the ink side: 0 for a black-and-white page)


def _rotate(a: np.ndarray, angle: float) -> np.ndarray:
    """Turned by `angle` degrees counter-clockwise about the centre, grown to hold every corner,
    the new corners white."""
    h, w = a.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(round(h * sin + w * cos)), int(round(h * cos + w * sin))
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    fill = (255, 255, 255) if a.ndim == 3 else 255
    return cv2.warpAffine(a, m, (nw, nh), flags=cv2.INTER_CUBIC, borderValue=fill)


def _scale(a: np.ndarray, f: float) -> np.ndarray:
    return cv2.resize(a, (round(a.shape[1] * f), round(a.shape[0] * f)), interpolation=cv2.INTER_CUBIC)


def clean_page(
    path: Path,
    dpi: int,
    target_dpi: int,
    deskew: bool = True,
    background: bool = True,
    stamps: bool = True,
    scale: float = 1.0,
    scanlines: bool = True,
) -> CleanPage:
    """Every step above, in order; `dpi` is what the file says, `target_dpi` the OCR resolution."""
    with Image.open(path) as im:
        colour = im.mode not in ("L", "1", "I;16", "I", "F") and im.mode != "LA"
        src = np.asarray(im.convert("RGB" if colour else "L"))
    if colour and stamps:
        grey, stamp = split_stamps(src)
    else:
        grey, stamp = (cv2.cvtColor(src, cv2.COLOR_RGB2GRAY) if colour else src), None
    if light_on_dark(grey):
        grey = 255 - grey
    if scanlines:
        grey = repair_dropouts(grey)
    low_res, true_dpi = resolution_scale(grey.shape[1], grey.shape[0], target_dpi)
    if low_res == 1.0:
        low_res = text_height_scale(grey)
    f = scale * low_res
    out_dpi = round((true_dpi if low_res != 1.0 and true_dpi else dpi) * f)
    view = src
    if f != 1.0:
        grey, view = _scale(grey, f), _scale(view, f)
        stamp = _scale(stamp, f) if stamp is not None else None
    angle = skew_angle(Image.fromarray(grey)) if deskew else 0.0
    if angle:
        grey, view = _rotate(grey, angle), _rotate(view, angle)
        stamp = _rotate(stamp, angle) if stamp is not None else None
    text = normalise_background(grey, out_dpi) if background else grey
    return CleanPage(text, binarise(text), stamp, Image.fromarray(view), out_dpi, angle)

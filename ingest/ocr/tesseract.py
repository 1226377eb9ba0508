"""Tesseract, in process (tesserocr): LSTM engine, one API per thread and language set, one
thread per Tesseract (OMP_THREAD_LIMIT=1 — OpenMP makes it slower, not faster). Reads one image
— a text line cut out by `ingest.ocr.layout` (page segmentation mode 7) or a whole page — into words
with their boxes and confidences. With `use_domain_words`, Tesseract is given the lexicon's
names (provinces, districts, agencies, months) as user words and the shapes of letter numbers as
user patterns (measured: no gain with the LSTM engine, so off by default)."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

os.environ["OMP_THREAD_LIMIT"] = "1"

import numpy as np
import tesserocr
from PIL import Image

from ingest.errors import IntakeError


class OcrError(IntakeError):
    """Tesseract could not read a page (codes ocr_timeout, ocr_failed): the document fails with the reason."""


TESSDATA_DIRS = [
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
]
SINGLE_LINE = 7
SCRIPT_SURE = 10  # OSD's script confidence it is taken at (a printed page: 25–350)

# At most this many Tesseract recognitions at once in this process, however many documents and
# pages are in flight (set from the settings by `limit_processes`).
_slots = threading.BoundedSemaphore(os.cpu_count() or 1)
_local = threading.local()
_words: dict[str, str] = {}  # the user words and patterns files, when switched on

# letter numbers and ID numbers, as Tesseract's user patterns (\d: a digit of either set)
USER_PATTERNS = [r"\d\d\d\d.\d/ว", r"\d\d\d\d/\d\d\d\d", r"\d\d\d\d", r"\d" * 13]


def limit_processes(n: int) -> None:
    global _slots
    _slots = threading.BoundedSemaphore(max(1, n))


def tessdata_dir() -> str:
    env = os.environ.get("TESSDATA_PREFIX")
    for d in ([env] if env else []) + TESSDATA_DIRS:
        if d and (Path(d) / "tha.traineddata").is_file():
            return d
    raise OcrError("ocr_failed", detail="Thai Tesseract data (tha.traineddata) not found")


def use_domain_words(on: bool) -> None:
    """Give Tesseract the lexicon's names as user words (and letter numbers as patterns), or not."""
    global _words
    if not on:
        _words = {}
        return
    if _words:
        return
    from ingest.ocr.glyph_cache import cache_dir
    from thai.lexicon import domain_words

    text = "\n".join(domain_words()) + "\n"
    base = cache_dir() / "damrong-tesseract"
    base.mkdir(parents=True, exist_ok=True)
    files = {}
    for var, body in (("user_words_file", text), ("user_patterns_file", "\n".join(USER_PATTERNS) + "\n")):
        path = base / f"{var}-{hashlib.sha256(body.encode()).hexdigest()[:16]}.txt"
        if not path.is_file():
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(body, encoding="utf-8")
            os.replace(tmp, path)
        files[var] = str(path)
    _words = files


def _api(langs: str, psm: int) -> tesserocr.PyTessBaseAPI:
    apis = getattr(_local, "apis", None)
    if apis is None:
        apis = _local.apis = {}
    words = dict(_words)
    key = (langs, psm, tuple(sorted(words.items())))
    api = apis.get(key)
    if api is None:
        try:
            api = tesserocr.PyTessBaseAPI(
                path=tessdata_dir(), lang=langs, oem=tesserocr.OEM.LSTM_ONLY, psm=psm, variables=words
            )
        except RuntimeError as e:
            raise OcrError("ocr_failed", detail=str(e)[:200]) from e
        api.SetVariable("preserve_interword_spaces", "1")
        apis[key] = api
    return api


def script_of(image: np.ndarray) -> str:
    """The script Tesseract's orientation and script detection sees on a page image ("Thai",
    "Latin", "Cyrillic" …; "" when it cannot tell or its data, osd.traineddata, is missing). It
    looks at the page at half size: as sure of the script, in half the time (about 0.5 s)."""
    api = getattr(_local, "osd", None)
    if api is None:
        if not (Path(tessdata_dir()) / "osd.traineddata").is_file():
            return ""
        api = _local.osd = tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang="osd", psm=tesserocr.PSM.OSD_ONLY)
    im = Image.fromarray(image)
    with _slots:
        api.SetImage(im.resize((max(1, im.width // 2), max(1, im.height // 2))))
        found = api.DetectOrientationScript()
    return str(found["script_name"]) if found and found.get("script_conf", 0) >= SCRIPT_SURE else ""


@dataclass
class Word:
    text: str
    box: tuple[int, int, int, int]  # left, top, right, bottom in the image read
    conf: float  # 0..100
    space: bool = True  # a space before it (Thai words often touch: no space)
    symbols: list[tuple[str, tuple[int, int, int, int]]] = field(default_factory=list)


class Deadline:
    """The time left for one page: every recognition gets what remains."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left_ms(self) -> int:
        left = self.end - time.monotonic()
        if left <= 0:
            raise OcrError("ocr_timeout", seconds=int(self.seconds))
        return max(1, int(left * 1000))


def recognise(image: np.ndarray, langs: str, dpi: int, deadline: Deadline, psm: int = SINGLE_LINE) -> list[list[Word]]:
    """Words of an image, line by line (one line in mode 7)."""
    api = _api(langs, psm)
    with _slots:
        api.SetImage(Image.fromarray(image))
        api.SetSourceResolution(int(dpi))
        if not api.Recognize(deadline.left_ms()):
            deadline.left_ms()  # raises when the time ran out
            raise OcrError("ocr_failed", detail="Tesseract could not read the page")
        lines: list[list[Word]] = []
        it = api.GetIterator()
        if it is None or it.Empty(tesserocr.RIL.SYMBOL):
            return lines
        RIL = tesserocr.RIL
        word: Word | None = None
        while True:
            if it.IsAtBeginningOf(RIL.TEXTLINE) or not lines:
                lines.append([])
            if it.IsAtBeginningOf(RIL.WORD) or word is None:
                box = it.BoundingBox(RIL.WORD)
                word = Word(
                    "", tuple(box) if box else (0, 0, 0, 0), float(it.Confidence(RIL.WORD)), it.BlanksBeforeWord() > 0
                )
                lines[-1].append(word)
            sym, sbox = it.GetUTF8Text(RIL.SYMBOL) or "", it.BoundingBox(RIL.SYMBOL)
            if sym.strip():
                word.symbols.append((sym, tuple(sbox) if sbox else word.box))
                word.text += sym
            if not it.Next(RIL.SYMBOL):
                break
        return [[w for w in ln if w.text] for ln in lines if any(w.text for w in ln)]

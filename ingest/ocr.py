"""OCR of one page image with Tesseract (pytesseract): LSTM engine, Thai + English, one thread
per Tesseract process (OMP_THREAD_LIMIT=1 — OpenMP makes it slower, not faster). One pass gives
the text, the word confidences and a one-page PDF holding only the invisible text layer."""
from __future__ import annotations

import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pytesseract

from ingest.errors import IntakeError as OcrError  # codes ocr_timeout, ocr_failed
from ingest.thai_text import normalize_thai

os.environ["OMP_THREAD_LIMIT"] = "1"

# At most this many Tesseract processes at once in this process, however many documents and
# pages are in flight (set from the settings by `limit_processes`).
_slots = threading.BoundedSemaphore(os.cpu_count() or 1)


def limit_processes(n: int) -> None:
    global _slots
    _slots = threading.BoundedSemaphore(max(1, n))




@dataclass(frozen=True)
class OcrResult:
    text: str
    confidence: float | None  # mean word confidence, 0..100
    text_pdf: bytes  # one page: the invisible text layer alone, to lay over the page image


def tesseract_config(psm: int, dpi: int | None = None) -> str:
    cfg = f"--oem 1 --psm {psm} -c preserve_interword_spaces=1"
    if dpi:
        cfg += f" --dpi {dpi}"
    return cfg


def mean_confidence(tsv: str) -> float | None:
    confs = []
    for line in tsv.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) == 12 and cols[11].strip():
            try:
                c = float(cols[10])
            except ValueError:
                continue
            if c >= 0:
                confs.append(c)
    return round(sum(confs) / len(confs), 1) if confs else None


def ocr_page(image: Path, langs: str, psm: int, timeout_s: int, dpi: int | None = None) -> OcrResult:
    with _slots, tempfile.TemporaryDirectory(prefix="ocr-") as tmp:
        base = Path(tmp) / "out"
        try:
            # one Tesseract run writes out.txt, out.tsv and out.pdf
            pytesseract.pytesseract.run_tesseract(
                str(image), str(base), "txt pdf", langs,
                config=tesseract_config(psm, dpi) + " -c tessedit_create_tsv=1 -c textonly_pdf=1", timeout=timeout_s)
        except RuntimeError as e:  # pytesseract raises RuntimeError on timeout
            raise OcrError("ocr_timeout", seconds=timeout_s) from e
        except pytesseract.TesseractError as e:
            raise OcrError("ocr_failed", detail=str(e.message)[:200]) from e
        txt = base.with_suffix(".txt").read_text(encoding="utf-8", errors="replace")
        tsv = base.with_suffix(".tsv").read_text(encoding="utf-8", errors="replace")
        pdf = base.with_suffix(".pdf").read_bytes()
    return OcrResult(normalize_thai(txt), mean_confidence(tsv), pdf)

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
from ingest.line_repair import pair_with_text, parse_lines, split_pairs, thai_letters
from ingest.thai_digits import reread_page
from ingest.thai_text import join_split_words, normalize_thai

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
        txt = reread_page(image, txt, tsv)
        txt = repair_split_lines(image, txt, tsv, langs, timeout_s, dpi, Path(tmp))
    return OcrResult(join_split_words(normalize_thai(txt)), mean_confidence(tsv), pdf)


def _read_line(image: Path, box: tuple[int, int, int, int], langs: str, timeout_s: int, dpi: int | None,
               tmp: Path) -> str:
    from PIL import Image
    with Image.open(image) as im:
        pad = max(4, (box[3] - box[1]) // 6)
        crop = im.crop((max(0, box[0] - pad), max(0, box[1] - pad), min(im.width, box[2] + pad),
                        min(im.height, box[3] + pad)))
        out = tmp / f"line-{box[1]}.pgm"
        crop.convert("L").save(out, "PPM")
    base = tmp / f"line-{box[1]}"
    pytesseract.pytesseract.run_tesseract(str(out), str(base), "txt", langs,
                                          config=tesseract_config(7, dpi), timeout=timeout_s)
    return base.with_suffix(".txt").read_text(encoding="utf-8", errors="replace").strip()


def repair_split_lines(image: Path, txt: str, tsv: str, langs: str, timeout_s: int, dpi: int | None,
                       tmp: Path) -> str:
    """Re-read lines whose upper marks Tesseract split off (see ingest.line_repair)."""
    lines = parse_lines(tsv)
    pairs = split_pairs(lines)
    if not pairs:
        return txt
    replaced: dict[tuple, str] = {}
    dropped: set[tuple] = set()
    for marks, line in pairs:
        box = (min(marks.left, line.left), marks.top, max(marks.right, line.right), line.bottom)
        try:
            again = _read_line(image, box, langs, timeout_s, dpi, tmp)
        except (RuntimeError, pytesseract.TesseractError):
            continue
        if again and thai_letters(again) >= thai_letters(line.text):
            replaced[line.key] = again
            dropped.add(marks.key)
    if not replaced:
        return txt
    # keep Tesseract's own spacing for the lines not re-read, where the lines pair up
    txt_lines = txt.splitlines()
    texts = {ln.key: txt_lines[i] for i, ln in pair_with_text(txt, lines) or []}
    out: list[str] = []
    prev_block = None
    for ln in sorted(lines, key=lambda ln: ln.key):
        if ln.key in dropped:
            continue
        if prev_block is not None and ln.key[0] != prev_block:
            out.append("")
        out.append(replaced.get(ln.key) or texts.get(ln.key) or ln.text)
        prev_block = ln.key[0]
    return "\n".join(out)

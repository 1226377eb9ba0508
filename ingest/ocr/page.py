"""The text of one page image, step by step: clean-up (`cleanup`: stamp ink split off, fax
scanlines filled, low resolution enlarged, deskew, background, binarisation), the receipt stamp
read on its own layer (`stamp`) and put first, the page's lines read one by one (`lines`), then
Thai normalisation, the lexicon's corrections of what is no word (`correction`) and of the
look-alike the page's face confuses (`page_letters`). Every step
has an `ocr_*` setting (`Steps`). Returns the text, a confidence, the lines with their words'
boxes, and the cleaned page (its view is the archival image)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from config import Settings
from ingest.ocr.cleanup import CleanPage, clean_page
from ingest.ocr.correction import correct_text
from ingest.ocr.lines import LineRead, Steps, read_lines
from ingest.ocr.page_letters import correct_page
from ingest.ocr.stamp import read_stamp
from ingest.ocr.tesseract import Deadline, use_domain_words
from thai.text import join_split_words, normalize_thai


@dataclass
class PageRead:
    text: str
    confidence: float | None
    lines: list[LineRead]
    page: CleanPage  # cleaned: its `view` is the archival image

    @property
    def pieces(self) -> list[tuple[str, float]]:
        """Every space-separated piece read, with how sure Tesseract was of it (0–100): the
        evidence `ingest.fields` weighs a field's confidence by."""
        return [(p, c) for ln in self.lines for (p, _box), c in zip(ln.words, ln.word_confidence)]


def _confidence(lines: list[LineRead]) -> float | None:
    confs = [ln.confidence for ln in lines if ln.confidence is not None]
    return round(sum(confs) / len(confs), 1) if confs else None


def read_page(path: Path, dpi: int, settings: Settings) -> PageRead:
    page = clean_page(
        path,
        dpi,
        settings.ocr_dpi,
        deskew=settings.ocr_deskew,
        background=settings.ocr_background,
        stamps=settings.ocr_stamps,
        scale=settings.ocr_scale,
        scanlines=settings.ocr_scanlines,
    )
    deadline = Deadline(settings.ocr_timeout_s)
    steps = Steps.from_settings(settings)
    use_domain_words(settings.ocr_user_words)
    lines: list[LineRead] = []
    if page.stamp is not None:
        lines += read_stamp(page.stamp, settings.ocr_langs, page.dpi, deadline)
    lines += read_lines(page.grey, page.ink, settings.ocr_langs, page.dpi, deadline, steps, settings.ocr_latin_langs)
    text = join_split_words(normalize_thai("\n".join(ln.text for ln in lines)))
    if settings.ocr_correct:
        text = correct_text(text)
        if settings.ocr_page_letters:
            text = correct_page(text)
    return PageRead(text, _confidence(lines), lines, page)

"""Reads the text of every page of a file: the PDF text layer where it is sound (in any script),
otherwise the page rendered at the OCR resolution and OCR'd. Pages run in parallel, one
Tesseract process per worker. Used by both `damrong ocr` (nothing stored) and the ingest pipeline."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from config import Settings
from ingest import pages as pg
from ingest import pdf_text
from ingest.archive_pdf import LayerPage, OcrPage
from ingest.invisible_text import text_layer_pdf
from ingest.ocr import read_page
from ingest.sniff import UnsupportedFile
from thai.words import words


@dataclass
class PageText:
    number: int
    text: str
    confidence: float | None
    source: str  # "ocr" | "text-layer"
    width_px: int | None
    height_px: int | None
    archive: OcrPage | LayerPage
    pieces: list[tuple[str, float]] = field(default_factory=list)  # OCR'd pieces, Tesseract's confidence


def _ocr(image: pg.PageImage, settings: Settings) -> PageText:
    r = read_page(image.path, image.dpi, settings)
    view = image.path.with_name(image.path.stem + "-view" + image.path.suffix)
    r.page.view.save(view, "PPM")
    words = [w for ln in r.lines for w in ln.words]
    layer = text_layer_pdf(r.page.view.width, r.page.view.height, r.page.dpi, words)
    return PageText(
        image.number,
        r.text,
        r.confidence,
        "ocr",
        image.width,
        image.height,
        OcrPage(view, layer, r.page.dpi),
        r.pieces,
    )


def read_pdf(path: Path, settings: Settings, workdir: Path) -> list[PageText]:
    sizes = pg.pdf_page_sizes(path)
    pg.check_limits(len(sizes), settings.max_pages)
    # a text layer we cannot parse, or not within the limits, is no text layer: OCR every page
    layers = pdf_text.extract_limited(path, settings.parse_memory_mb, settings.parse_timeout_s) or [""] * len(sizes)
    known = words()
    results: dict[int, PageText] = {}
    to_ocr: list[int] = []
    for i, text in enumerate(layers[: len(sizes)], start=1):
        if text and pdf_text.quality(text, known) >= settings.text_layer_min_quality:
            results[i] = PageText(i, text, None, "text-layer", None, None, LayerPage(path, i - 1))
        else:
            to_ocr.append(i)
    to_ocr += list(range(len(layers) + 1, len(sizes) + 1))
    dpi = settings.ocr_dpi

    def work(n: int) -> PageText:
        image = pg.render_pdf_page(
            path, n, dpi, workdir, sizes[n - 1], settings.max_pixels, settings.parse_memory_mb, settings.parse_timeout_s
        )
        return _ocr(image, settings)

    with ThreadPoolExecutor(max_workers=settings.ocr_workers) as pool:
        for page in pool.map(work, to_ocr):
            results[page.number] = page
    return [results[n] for n in sorted(results)]


def read_image(path: Path, settings: Settings, workdir: Path) -> list[PageText]:
    n = pg.count_image_frames(path, settings.max_pixels)
    pg.check_limits(n, settings.max_pages)
    with ThreadPoolExecutor(max_workers=settings.ocr_workers) as pool:
        futures = [
            pool.submit(_ocr, image, settings)
            for image in pg.render_image_pages(path, workdir, settings.max_pixels, settings.ocr_dpi)
        ]
        return [f.result() for f in futures]


def pieces_of(pages: list[PageText]) -> list[tuple[str, float]] | None:
    """The OCR'd pieces of all pages, or None when no page was OCR'd (a text layer is exact)."""
    out = [piece for p in pages for piece in p.pieces]
    return out if any(p.source == "ocr" for p in pages) else None


def read_pages(path: Path, media_type: str, settings: Settings, workdir: Path) -> list[PageText]:
    if media_type == "application/pdf":
        return read_pdf(path, settings, workdir)
    if media_type.startswith("image/"):
        return read_image(path, settings, workdir)
    raise UnsupportedFile("not_supported")

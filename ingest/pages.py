"""Page images: every intake format becomes a list of greyscale page images at a known resolution.

PDF pages are rendered with poppler's pdftoppm; TIFF frames (G4, JPEG, LZW, …), JPEG, PNG and
PNM are read with Pillow. Limits guard memory: page count, and pixel count per page
(a decompression bomb is refused before it is decoded).
"""

from __future__ import annotations

import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image, ImageSequence, UnidentifiedImageError

from ingest.limits import run_limited
from ingest.sniff import UnsupportedFile


@dataclass(frozen=True)
class PageImage:
    number: int  # 1-based
    path: Path  # uncompressed PGM (grey) or PPM (colour): writing PNG costs more CPU than the render
    width: int
    height: int
    dpi: int


def open_pdf(path: Path) -> pikepdf.Pdf:
    try:
        return pikepdf.open(path)
    except pikepdf.PasswordError:
        raise UnsupportedFile("pdf_password") from None
    except pikepdf.PdfError as e:  # qpdf names the file it read: where it is stored is nobody's business
        raise UnsupportedFile("pdf_damaged", detail=str(e).replace(str(path), "").lstrip(": ")[:120]) from e


def pdf_page_sizes(path: Path) -> list[tuple[float, float]]:
    """Page sizes in inches, per page. Raises UnsupportedFile for encrypted or unreadable PDFs."""
    with open_pdf(path) as pdf:
        if pdf.is_encrypted:
            raise UnsupportedFile("pdf_password")
        sizes = []
        for page in pdf.pages:
            box = page.trimbox if "/TrimBox" in page.obj else page.mediabox
            w, h = abs(float(box[2]) - float(box[0])), abs(float(box[3]) - float(box[1]))
            sizes.append((w / 72.0, h / 72.0))
    if not sizes:
        raise UnsupportedFile("no_pages")
    return sizes


def check_limits(n_pages: int, max_pages: int) -> None:
    if n_pages > max_pages:
        raise UnsupportedFile("too_many_pages", pages=n_pages, limit=max_pages)


def render_pdf_page(
    path: Path,
    number: int,
    dpi: int,
    out_dir: Path,
    size_in: tuple[float, float],
    max_pixels: int,
    memory_mb: int = 1536,
    timeout_s: float = 300,
) -> PageImage:
    w_in, h_in = size_in
    if w_in * h_in * dpi * dpi > max_pixels:
        raise UnsupportedFile("page_too_large", page=number, limit=max_pixels // 1_000_000)
    stem = out_dir / f"page-{number:04d}"
    # in colour: the red receipt stamp is told from the text by its colour (ingest.ocr.cleanup)
    args = ["pdftoppm", "-r", str(dpi), "-singlefile", "-f", str(number), "-l", str(number), str(path), str(stem)]
    try:
        r = run_limited(args, memory_mb, timeout_s)
    except subprocess.TimeoutExpired:
        raise UnsupportedFile("page_unrenderable", page=number, detail=f"no page after {int(timeout_s)} s") from None
    out = stem.with_suffix(".ppm")
    if r.returncode != 0 or not out.is_file():
        raise UnsupportedFile(
            "page_unrenderable",
            page=number,
            detail=r.stderr.decode(errors="replace").strip()[:160] or "pdftoppm failed",
        )
    with Image.open(out) as im:
        return PageImage(number, out, im.width, im.height, dpi)


def _open_image(path: Path, max_pixels: int) -> Image.Image:
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(path)
            if im.width * im.height > max_pixels:
                raise UnsupportedFile("image_too_large", limit=max_pixels // 1_000_000)
            return im
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UnsupportedFile("image_too_large", limit=max_pixels // 1_000_000) from None
    except UnidentifiedImageError:
        raise UnsupportedFile("image_damaged") from None


def count_image_frames(path: Path, max_pixels: int) -> int:
    im = _open_image(path, max_pixels)
    with im:
        return getattr(im, "n_frames", 1)


def render_image_pages(path: Path, out_dir: Path, max_pixels: int, default_dpi: int):
    """Yield one PageImage per frame, saved as PGM (grey) or PPM (colour), with its resolution."""
    im = _open_image(path, max_pixels)
    with im:
        for i, frame in enumerate(ImageSequence.Iterator(im), start=1):
            if frame.width * frame.height > max_pixels:
                raise UnsupportedFile("page_too_large", page=i, limit=max_pixels // 1_000_000)
            dpi = frame.info.get("dpi") or (default_dpi, default_dpi)
            try:
                dpi = tuple(int(round(float(d))) or default_dpi for d in dpi)
            except (TypeError, ValueError):
                dpi = (default_dpi, default_dpi)
            colour = frame.mode not in ("1", "L", "LA", "I", "I;16", "F")
            try:
                page = frame.convert("RGB" if colour else "L")
            except OSError as e:
                raise UnsupportedFile("page_damaged", page=i, detail=e) from e
            out = out_dir / f"page-{i:04d}.{'ppm' if colour else 'pgm'}"
            page.save(out, "PPM")
            yield PageImage(i, out, page.width, page.height, dpi[0])

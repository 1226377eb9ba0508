"""The archival copy: one searchable PDF per document — each page image (JPEG) with Tesseract's
invisible text layer laid over it, or the original page where a sound text layer was used —
marked as PDF/A-2b (XMP identification and an sRGB output intent)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from PIL import Image, ImageCms

JPEG_QUALITY = 70


@dataclass(frozen=True)
class OcrPage:
    image: Path
    text_pdf: bytes
    dpi: int


@dataclass(frozen=True)
class LayerPage:
    pdf: Path
    index: int  # 0-based page index in the original


def _image_page_pdf(image: Path, dpi: int) -> pikepdf.Pdf:
    buf = io.BytesIO()
    with Image.open(image) as opened:
        im = opened.convert("L") if opened.mode not in ("L", "RGB") else opened
        im.save(buf, "PDF", resolution=float(dpi), quality=JPEG_QUALITY)
    return pikepdf.open(io.BytesIO(buf.getvalue()))


def _srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _mark_pdfa(pdf: pikepdf.Pdf, title: str) -> None:
    icc = pdf.make_stream(_srgb_icc())
    icc.N = 3
    pdf.Root.OutputIntents = pikepdf.Array(
        [
            pikepdf.Dictionary(
                Type=pikepdf.Name.OutputIntent,
                S=pikepdf.Name.GTS_PDFA1,
                OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
                Info=pikepdf.String("sRGB IEC61966-2.1"),
                DestOutputProfile=icc,
            )
        ]
    )
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
        meta["dc:title"] = title
        meta["xmp:CreatorTool"] = "Damrong Archive"
        meta["xmp:CreateDate"] = now
        meta["xmp:ModifyDate"] = now
    pdf.docinfo["/Title"] = title
    pdf.docinfo["/Producer"] = "Damrong Archive"


def build_archive(pages: list[OcrPage | LayerPage], title: str) -> bytes:
    out = pikepdf.new()
    originals: dict[Path, pikepdf.Pdf] = {}
    try:
        for page in pages:
            if isinstance(page, LayerPage):
                src = originals.get(page.pdf) or originals.setdefault(page.pdf, pikepdf.open(page.pdf))
                out.pages.append(src.pages[page.index])
                continue
            with _image_page_pdf(page.image, page.dpi) as img_pdf, pikepdf.open(io.BytesIO(page.text_pdf)) as text_pdf:
                out.pages.append(img_pdf.pages[0])
                target = out.pages[-1]
                target.add_overlay(
                    out.copy_foreign(text_pdf.pages[0].as_form_xobject()),
                    pikepdf.Rectangle(*map(float, target.mediabox)),
                )
        _mark_pdfa(out, title)
        buf = io.BytesIO()
        out.save(buf, linearize=False, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return buf.getvalue()
    finally:
        for src in originals.values():
            src.close()
        out.close()

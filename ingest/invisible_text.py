"""The invisible text layer laid over a page image in the archival PDF: every word OCR read, at its
box, in render mode 3 (invisible), so the PDF can be searched and its text selected and copied.

The font is Tesseract's own "glyphless" font (tessdata/pdf.ttf, one empty glyph): characters
are written as their Unicode values (Identity-H encoding, every CID mapped to that glyph, a
ToUnicode map that is the identity), so Thai needs no shaping and comes out of the PDF exactly
as it went in. Each word is stretched (Tz) to its box's width."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pikepdf

from ingest.ocr import tessdata_dir

_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""
ADVANCE = 500  # the glyph's width in thousandths of the font size


def _font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    ttf = (Path(tessdata_dir()) / "pdf.ttf").read_bytes()
    font_file = pdf.make_stream(ttf)
    font_file.Length1 = len(ttf)
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=pikepdf.Name.GlyphLessFont,
        Flags=5,
        FontBBox=[0, 0, ADVANCE, 1000],
        ItalicAngle=0,
        Ascent=1000,
        Descent=0,
        CapHeight=1000,
        StemV=80,
        FontFile2=font_file,
    )
    cid_to_gid = pdf.make_stream(zlib.compress(b"\x00\x01" * 65536), Filter=pikepdf.Name.FlateDecode)
    cid_font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.CIDFontType2,
        BaseFont=pikepdf.Name.GlyphLessFont,
        CIDSystemInfo=pikepdf.Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor),
        DW=ADVANCE,
        CIDToGIDMap=cid_to_gid,
    )
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type0,
            BaseFont=pikepdf.Name.GlyphLessFont,
            Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=[pdf.make_indirect(cid_font)],
            ToUnicode=pdf.make_stream(_TO_UNICODE),
        )
    )


def _hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def text_layer_pdf(
    width_px: int, height_px: int, dpi: int, words: list[tuple[str, tuple[int, int, int, int]]]
) -> bytes:
    """A one-page PDF the size of the image holding only the invisible words (text, pixel box)."""
    k = 72.0 / dpi
    w_pt, h_pt = width_px * k, height_px * k
    ops = ["BT", "3 Tr"]
    for text, (x0, y0, x1, y1) in words:
        text = text.strip()
        if not text:
            continue
        size = max(1.0, (y1 - y0) * k)
        natural = len(text.encode("utf-16-be")) // 2 * size * ADVANCE / 1000
        stretch = 100.0 * (x1 - x0) * k / natural if natural else 100.0
        ops.append(f"/F1 {size:.2f} Tf {stretch:.2f} Tz 1 0 0 1 {x0 * k:.2f} {h_pt - y1 * k:.2f} Tm <{_hex(text)}> Tj")
    ops.append("ET")
    pdf = pikepdf.new()
    try:
        page = pdf.add_blank_page(page_size=(w_pt, h_pt))
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=_font(pdf)))
        page.Contents = pdf.make_stream("\n".join(ops).encode("ascii"))
        buf = io.BytesIO()
        pdf.save(buf)
        return buf.getvalue()
    finally:
        pdf.close()

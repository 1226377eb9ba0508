"""A PDF page set up for Thai (fpdf2): the Garuda font (TLWG, Debian's fonts-tlwg-garuda) as
"Garuda", regular and bold (the regular one where no bold is installed), with text shaping so
vowels and tone marks sit where Thai puts them. The receipt slip, the case file's summary and the
month-end report all start from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

FONT = Path("/usr/share/fonts/truetype/tlwg/Garuda.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/tlwg/Garuda-Bold.ttf")


def new_pdf(**page: Any) -> Any:
    """An FPDF document (orientation, format as FPDF takes them) with Garuda and shaping on."""
    from fpdf import FPDF

    pdf = FPDF(**page)
    pdf.add_font("Garuda", "", str(FONT))
    pdf.add_font("Garuda", "B", str(FONT_BOLD if FONT_BOLD.exists() else FONT))
    pdf.set_text_shaping(True)
    return pdf

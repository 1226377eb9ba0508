"""Test documents made on the fly: Thai text rendered with the TLWG fonts at 300 dpi, small
crops so that real Tesseract runs in well under a second a page."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/tlwg")


def render_lines(
    lines: list[str], font: str = "Garuda", px: int = 44, width: int = 1400, margin: int = 40
) -> Image.Image:
    f = ImageFont.truetype(str(FONT_DIR / f"{font}.ttf"), px)
    line_h = int(px * 1.9)
    im = Image.new("L", (width, margin * 2 + line_h * len(lines)), 255)
    d = ImageDraw.Draw(im)
    for i, line in enumerate(lines):
        d.text((margin, margin + i * line_h), line, font=f, fill=0)
    return im


HELD_OUT_FONTS = Path(__file__).resolve().parents[1] / "bench" / "fonts"  # faces no OCR template has


def render_in_face(lines: list[str], face: Path, px: int = 44, width: int = 1400, margin: int = 40) -> Image.Image:
    """Lines drawn in a Thai subset face (no Latin, digits or '-'): what it lacks in Garuda."""
    from fontTools.ttLib import TTFont

    cmap = TTFont(str(face)).getBestCmap()
    thai = ImageFont.truetype(str(face), px, layout_engine=ImageFont.Layout.RAQM)
    latin = ImageFont.truetype(str(FONT_DIR / "Garuda.ttf"), px)
    line_h = int(px * 1.9)
    im = Image.new("L", (width, margin * 2 + line_h * len(lines)), 255)
    d = ImageDraw.Draw(im)
    for i, line in enumerate(lines):
        x, base = float(margin), margin + i * line_h + px
        runs: list[tuple[ImageFont.FreeTypeFont, str]] = []
        for ch in line:
            f = thai if ord(ch) in cmap else latin
            if runs and runs[-1][0] is f:
                runs[-1] = (f, runs[-1][1] + ch)
            else:
                runs.append((f, ch))
        for f, run in runs:
            d.text((x, base), run, font=f, fill=0, anchor="ls")
            x += f.getlength(run)
    return im


def save_image(im: Image.Image, path: Path, **kw) -> Path:
    kw.setdefault("dpi", (300, 300))
    im.save(path, **kw)
    return path


def save_pdf(images: list[Image.Image], path: Path) -> Path:
    # save copies: Pillow's PDF writer leaves encoder state on the images it saved
    images = [im.copy() for im in images]
    images[0].save(path, "PDF", resolution=300.0, save_all=True, append_images=images[1:])
    return path


def save_tiff(images: list[Image.Image], path: Path, compression: str) -> Path:
    frames = [im.convert("1") if compression == "group4" else im.copy() for im in images]
    frames[0].save(path, "TIFF", compression=compression, save_all=True, append_images=frames[1:], dpi=(300, 300))
    return path

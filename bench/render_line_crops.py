"""Render the low-resolution *line-crop* set: single lines of the dev corpus's true text, cut
out of a 96 dpi rendering the way a line is cut from a scanned government document — 20 to 40
pixels high, with a sliver of the line above and of the line below showing at the edges.

    python bench/render_line_crops.py OUT_DIR [--lines 24] [--seed 3]

Writes OUT_DIR/line_NN.png (96 dpi) and OUT_DIR/truth.json in the dev corpus format (the level
is the font size in pixels). Measured by the shared OCR bench (`ocr_bench.py OUT_DIR project …`
and `… baseline`). A bench helper, not part of the package.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "corpus" / "dev"
FONTS = [f"/usr/share/fonts/truetype/tlwg/{n}.ttf" for n in ("Laksaman", "Garuda", "Loma", "Norasi")]
SIZES = [14, 16, 18, 20, 22]  # font px at 96 dpi: lines 20–40 px high, marks included
SLIVERS = [0.1, 0.2, 0.3]  # how much of the neighbouring lines shows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--lines", type=int, default=24)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    truth = json.loads((DEV / "truth.json").read_text())
    lines = [ln for e in truth for page in e["pages"] for ln in page.split("\n") if 15 < len(ln) < 70]
    rnd.shuffle(lines)
    entries = []
    for i in range(args.lines):
        px = rnd.choice(SIZES)
        font = ImageFont.truetype(rnd.choice(FONTS), px)
        three = lines[3 * i : 3 * i + 3]
        pitch = int(px * 1.6)
        width = int(max(font.getlength(t) for t in three)) + 20
        page = Image.new("L", (width, pitch * 3 + 10), 255)
        draw = ImageDraw.Draw(page)
        for j, text in enumerate(three):
            draw.text((10, 5 + j * pitch), text, font=font, fill=0)
        sliver = rnd.choice(SLIVERS)
        top = int(5 + pitch - sliver * pitch)
        bottom = int(5 + 2 * pitch + sliver * pitch) + int(px * 0.3)
        name = f"line_{i:02d}.png"
        page.crop((0, top, width, bottom)).save(out_dir / name, dpi=(96, 96))
        entries.append(
            {
                "id": name[:-4],
                "kind": "other",
                "fields": {},
                "file": name,
                "source": "scan",
                "level": f"px{px}",
                "pages": [three[1]],
            }
        )
    (out_dir / "truth.json").write_text(json.dumps(entries, ensure_ascii=False))
    print(f"{len(entries)} line crops -> {out_dir}")


if __name__ == "__main__":
    main()

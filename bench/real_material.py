"""OCR on real material nobody on the team made: a folder of page images, each with its true text
beside it (same stem, .txt, UTF-8), read by `damrong ocr --json` and by raw Tesseract (`-l tha`,
the default page segmentation), scored by character error rate.

  python bench/real_material.py FOLDER [--damrong .venv/bin/damrong]

The set the README reports is the Digital Bangkok Recorder's (github.com/hmmbug/digitalbangkokrecorder,
Mark Hollow): real scans of Thai letterpress of 1845–1886 with proof-read transcriptions. It carries
no licence, so it is not in this repository; fetch it and lay it out as image + .txt pairs.

CER is computed twice: with every run of white space made one space (the old press spaced its
words, and the truth keeps those spaces), and with no white space at all (what a search index
sees). Spelling is scored as printed: the truth keeps the old forms (เปน, ฃ), and so must the OCR.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
IMAGES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


def _spaced(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _bare(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _errors(truth: str, read: str) -> tuple[int, int, int, int]:
    """(edits, length) with runs of space kept as one, and with no space."""
    t1, r1, t2, r2 = _spaced(truth), _spaced(read), _bare(truth), _bare(read)
    return Levenshtein.distance(t1, r1), len(t1), Levenshtein.distance(t2, r2), len(t2)


def _damrong(exe: str, image: Path) -> str:
    out = subprocess.run([exe, "ocr", str(image), "--json"], check=True, capture_output=True, text=True).stdout
    return "\n".join(p["text"] for p in json.loads(out)["pages"])


def _tesseract(image: Path) -> str:
    return subprocess.run(
        ["tesseract", str(image), "-", "-l", "tha"], check=True, capture_output=True, text=True
    ).stdout


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", type=Path)
    ap.add_argument("--damrong", default=str(ROOT / ".venv" / "bin" / "damrong"))
    args = ap.parse_args()
    pairs = sorted(p for p in args.folder.rglob("*") if p.suffix.lower() in IMAGES and p.with_suffix(".txt").exists())
    if not pairs:
        sys.exit(f"no image + .txt pairs under {args.folder}")
    totals = {k: [0, 0, 0, 0, 0.0] for k in ("damrong", "tesseract")}
    rows = []
    for image in pairs:
        truth = image.with_suffix(".txt").read_text(encoding="utf-8")
        row = {"file": str(image.relative_to(args.folder)), "truth_chars": len(_bare(truth))}
        for name, read in (("damrong", lambda p: _damrong(args.damrong, p)), ("tesseract", _tesseract)):
            t = time.perf_counter()
            text = read(image)
            secs = time.perf_counter() - t
            e = _errors(truth, text)
            for i, v in enumerate(e):
                totals[name][i] += v
            totals[name][4] += secs
            row[name] = {
                "cer": round(100 * e[0] / e[1], 2),
                "cer_no_space": round(100 * e[2] / e[3], 2),
                "s": round(secs, 1),
            }
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    out = {
        "images": len(pairs),
        "truth_chars": sum(r["truth_chars"] for r in rows),
        "total": {
            k: {
                "cer": round(100 * v[0] / v[1], 2),
                "cer_no_space": round(100 * v[2] / v[3], 2),
                "s_per_image": round(v[4] / len(pairs), 2),
            }
            for k, v in totals.items()
        },
        "files": rows,
    }
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

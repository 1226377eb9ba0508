"""Damrong's OCR beside OCRmyPDF on the same scanned pages, in one run on one machine: the
shared benches `ocr_bench.py … project` and `ocrmypdf_bench.py` (OCRmyPDF `-l tha`, 2 jobs each),
on a corpus cut down to its scanned documents (OCRmyPDF's bench reads only those), so the
seconds per page compare like with like.

  python bench/ocrmypdf_beside.py [CORPUS] [--ocrmypdf-venv .venv-ocrmypdf]

OCRmyPDF lives in a virtualenv of its own (`make bench` makes it: `pip install ocrmypdf` and
Debian's ghostscript), never in the project's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def _json(out: str) -> dict:
    return json.loads(out[out.find("{") :])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(SHARED / "corpus" / "dev"))
    ap.add_argument("--ocrmypdf-venv", default=str(ROOT / ".venv-ocrmypdf"))
    args = ap.parse_args()
    corpus = Path(args.corpus).resolve()
    scans = [e for e in json.loads((corpus / "truth.json").read_text()) if e["source"] == "scan"]
    with tempfile.TemporaryDirectory(prefix="damrong-beside-") as t:
        cut = Path(t)
        for e in scans:
            (cut / e["file"]).symlink_to(corpus / e["file"])
        (cut / "truth.json").write_text(json.dumps(scans, ensure_ascii=False))
        ours = subprocess.run(
            [
                sys.executable,
                str(SHARED / "bench" / "ocr_bench.py"),
                str(cut),
                "project",
                str(ROOT / ".venv/bin/damrong"),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        venv = Path(args.ocrmypdf_venv)
        theirs = subprocess.run(
            [str(venv / "bin" / "python"), str(SHARED / "bench" / "ocrmypdf_bench.py"), str(cut)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}"},
        )
    a, b = _json(ours.stdout), _json(theirs.stdout)
    print(
        json.dumps(
            {
                "scanned_docs": len(scans),
                "pages": a["pages"],
                "damrong": {
                    "cer": a["cer"],
                    "cer_by_level": a["cer_by_level"],
                    "s_per_page_2jobs": a["s_per_page_2jobs"],
                },
                "ocrmypdf": {
                    "cer": b["cer"],
                    "cer_by_level": b["cer_by_level"],
                    "s_per_page_2jobs": b["s_per_page_2jobs"],
                },
                "time_ratio": round(a["s_per_page_2jobs"] / b["s_per_page_2jobs"], 2),
            },
            ensure_ascii=False,
            indent=1,
        )
    )


if __name__ == "__main__":
    main()

"""Scan-to-searchable latency: ten pages of the dev corpus scanned one by one through SANE's `pnm`
device into one batch (as a counter scans a petition), then filed. Reports the time from the
last page leaving the scanner (stored) to the document being searchable, against the time the
OCR of those ten pages takes on its own (`read_pages` on the same filed document, same workers).

  python bench/scan_latency.py [--pages 10] [--corpus ../shared/corpus/dev]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from search.index import open_index

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def corpus_pages(corpus: Path, n: int, work: Path) -> list[Path]:
    """The first n pages of the corpus (images as they are, PDFs rendered at 300 dpi), as PGM."""
    from PIL import Image

    out: list[Path] = []
    for f in sorted(corpus.iterdir()):
        if len(out) >= n:
            break
        dest = work / f"page{len(out) + 1:02d}.pgm"
        if f.suffix.lower() in (".png", ".jpg", ".jpeg", ".tif", ".tiff"):
            with Image.open(f) as im:
                im.convert("L").save(dest, "PPM")
        elif f.suffix.lower() == ".pdf":
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "300",
                    "-gray",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(f),
                    str(dest.with_suffix("")),
                ],
                check=True,
            )
        else:
            continue
        out.append(dest)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=10)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="damrong-scan-bench-"))
    (work / "sane.d").mkdir()
    (work / "sane.d" / "dll.conf").write_text("pnm\n")
    os.environ["SANE_CONFIG_DIR"] = str(work / "sane.d")

    from config import load_settings
    from ingest.ocr import limit_processes
    from ingest.pipeline import process
    from ingest.reader import read_pages
    from records.home import Archive
    from records.models import ScanBatch
    from scanner import batches, scan_job
    from search.query import search

    pages = corpus_pages(args.corpus, args.pages, work)
    archive = Archive(load_settings(home=str(work / "home")))
    limit_processes(archive.settings.ocr_workers)
    batch_id = batches.create(archive, "pnm:0")
    stored_at: list[float] = []
    scan_started = time.perf_counter()
    for p in pages:
        with archive.db.session() as s:
            s.get(ScanBatch, batch_id).options = {"filename": str(p)}
            s.commit()
        count, fault = scan_job.run(archive, batch_id, on_page=lambda _d, _n: stored_at.append(time.perf_counter()))
        assert count == 1 and fault is None, fault
    scan_s = time.perf_counter() - scan_started
    last_page = stored_at[-1]

    [result] = batches.file(archive, batch_id)
    filed = time.perf_counter()
    doc = process(archive, result.document_id)
    processed = time.perf_counter()
    open_index(archive).sync()
    searchable = time.perf_counter()
    latency = searchable - last_page

    words = sorted(doc.pages[-1].text.split(), key=len, reverse=True)
    found = bool(words) and any(h.document_id == doc.id for h in search(open_index(archive), words[0], limit=20).hits)

    ocr_dir = work / "ocr"
    ocr_dir.mkdir()
    started = time.perf_counter()
    read_pages(archive.store.path_for(doc.sha256), doc.media_type, archive.settings, ocr_dir)
    ocr_s = time.perf_counter() - started

    print(
        json.dumps(
            {
                "pages": len(pages),
                "document_pages": doc.page_count,
                "state": doc.state.value,
                "scan_s": round(scan_s, 2),
                "last_page_to_searchable_s": round(latency, 2),
                "ocr_only_s": round(ocr_s, 2),
                "ratio": round(latency / ocr_s, 2),
                "steps_s": {
                    "file": round(filed - last_page, 2),
                    "process": round(processed - filed, 2),
                    "index": round(searchable - processed, 2),
                },
                "found_by_search": found,
                "workers": archive.settings.ocr_workers,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()

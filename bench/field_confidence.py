"""Whether the field confidences mean what they say: every document of a corpus read by
`damrong ocr FILE --json`, each field the truth gives compared with what was read (the shared
OCR bench's own comparison, `field_ok`), and the confidence it was shown with.

Reports, overall and per field: of the fields shown at or above the threshold (0.9: the form
shows them as sure), the share that is right (the issue asks ≥ 98%); of the wrong ones, the
share shown below it, i.e. outlined for the clerk to check (asked ≥ 80%); and a reliability
table (confidence bins: count and share right).

  python bench/field_confidence.py [CORPUS] [--reuse DUMP.json] [--dump DUMP.json]

`--dump` keeps the readings, `--reuse` scores a kept run again without reading (for tuning).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(SHARED / "bench"))
from ocr_bench import field_ok  # noqa: E402  (the shared bench's comparison, not a copy)

SURE = 0.9
BINS = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01)]


def read(entry: dict, corpus: Path, cmd: list[str]) -> dict:
    r = subprocess.run([*cmd, "ocr", str(corpus / entry["file"]), "--json"], capture_output=True, text=True)
    if r.returncode != 0:
        return {"fields": {}, "field_confidence": {}, "field_reading": {}}
    out = json.loads(r.stdout)
    return {
        "fields": out.get("fields", {}),
        "field_confidence": out.get("field_confidence", {}),
        "field_reading": out.get("field_reading", {}),
    }


def score(truth: list[dict], results: list[dict]) -> dict:
    rows = []  # (field, confidence, right)
    for e, r in zip(truth, results):
        for k, want in e["fields"].items():
            if k == "urgency" and not want:
                continue
            got = r["fields"].get(k)
            if got is None:
                continue  # not read at all: nothing was shown
            rows.append((k, float(r["field_confidence"].get(k, 0.0)), field_ok(k, want, got)))

    def summary(rs):
        sure = [ok for _k, c, ok in rs if c >= SURE]
        wrong = [c for _k, c, ok in rs if not ok]
        return {
            "shown": len(rs),
            "sure": len(sure),
            "sure_right": round(sum(sure) / len(sure), 4) if sure else None,
            "wrong": len(wrong),
            "wrong_outlined": round(sum(c < SURE for c in wrong) / len(wrong), 4) if wrong else None,
        }

    bins = []
    for lo, hi in BINS:
        inside = [ok for _k, c, ok in rows if lo <= c < hi]
        bins.append(
            {
                "confidence": f"{lo:.2f}–{min(hi, 1.0):.2f}",
                "n": len(inside),
                "right": round(sum(inside) / len(inside), 3) if inside else None,
            }
        )
    return {
        "all": summary(rows),
        "by_field": {k: summary([r for r in rows if r[0] == k]) for k in sorted({r[0] for r in rows})},
        "reliability": bins,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(SHARED / "corpus" / "dev"))
    ap.add_argument("--cmd", default=str(ROOT / ".venv" / "bin" / "damrong"))
    ap.add_argument("--dump")
    ap.add_argument("--reuse")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    truth = json.loads((corpus / "truth.json").read_text())
    if args.reuse:
        results = json.loads(Path(args.reuse).read_text())
    else:
        with ThreadPoolExecutor(max_workers=int(os.environ.get("BENCH_JOBS", "2"))) as ex:
            results = list(ex.map(lambda e: read(e, corpus, args.cmd.split()), truth))
    if args.dump:
        Path(args.dump).write_text(json.dumps(results, ensure_ascii=False))
    print(
        json.dumps({"corpus": corpus.name, "docs": len(truth), **score(truth, results)}, ensure_ascii=False, indent=1)
    )


if __name__ == "__main__":
    main()

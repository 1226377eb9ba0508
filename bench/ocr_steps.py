"""What each OCR step is worth: the shared OCR bench (`../shared/bench/ocr_bench.py`) run on a
corpus once per configuration, all in one run on one machine, and a Markdown table of the results.

Recognition steps are added one at a time (each row is the one above plus one step); the page
clean-up steps are taken out one at a time from the full pipeline; the raw-Tesseract baseline is
measured in the same run, for the timing ratio.

  python bench/ocr_steps.py [CORPUS] [--out bench/out/ocr_steps.json] [--only full,baseline]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
OFF = "false"
RECOGNITION_OFF = {
    "DAMRONG_OCR_DIGITS": OFF,
    "DAMRONG_OCR_MARKS": OFF,
    "DAMRONG_OCR_SECOND_PASS": OFF,
    "DAMRONG_OCR_CORRECT": OFF,
}

# (name, what it is, environment): cumulative first, then leave-one-out
CONFIGS: list[tuple[str, str, dict]] = [
    ("page", "clean-up, Tesseract's own page layout (psm 4)", {**RECOGNITION_OFF, "DAMRONG_OCR_LAYOUT": "page"}),
    ("lines", "+ lines found from the ink, each read alone", dict(RECOGNITION_OFF)),
    ("digits", "+ Thai digit reader", {k: v for k, v in RECOGNITION_OFF.items() if k != "DAMRONG_OCR_DIGITS"}),
    (
        "marks",
        "+ mark reader (vowels and tone marks above the line)",
        {"DAMRONG_OCR_SECOND_PASS": OFF, "DAMRONG_OCR_CORRECT": OFF},
    ),
    ("second", "+ second reading of doubtful lines", {"DAMRONG_OCR_CORRECT": OFF}),
    ("full", "+ lexicon post-correction (= the default pipeline)", {}),
    ("-page-letters", "full, no look-alike learned from the page's words", {"DAMRONG_OCR_PAGE_LETTERS": OFF}),
    ("-page-digits", "full, no digits learned from the page", {"DAMRONG_OCR_PAGE_DIGITS": OFF}),
    ("-deskew", "full, without deskew", {"DAMRONG_OCR_DESKEW": OFF}),
    ("-background", "full, without background normalisation", {"DAMRONG_OCR_BACKGROUND": OFF}),
    ("-despeckle", "full, without despeckling", {"DAMRONG_OCR_DESPECKLE": OFF}),
    ("-scanlines", "full, dropped scanlines not filled in", {"DAMRONG_OCR_SCANLINES": OFF}),
    ("-stamps", "full, stamps left in the text layer", {"DAMRONG_OCR_STAMPS": OFF}),
    ("+binarise", "full, Tesseract given the black-and-white page", {"DAMRONG_OCR_BINARISE": "true"}),
    ("+scale1.5", "full, every page enlarged 1.5×", {"DAMRONG_OCR_SCALE": "1.5"}),
    ("+eng", "full, Thai and English models together", {"DAMRONG_OCR_LANGS": "tha+eng"}),
    (
        "+words",
        "full, the lexicon's names as Tesseract user words, letter numbers as user patterns",
        {"DAMRONG_OCR_USER_WORDS": "true"},
    ),
]


def bench(corpus: Path, mode: str, env: dict, dump: Path | None = None) -> dict:
    args = [sys.executable, str(SHARED / "bench" / "ocr_bench.py"), str(corpus), mode]
    if mode == "project":
        args.append(str(Path(sys.executable).parent / "damrong"))
    t = time.time()
    env = {**os.environ, **env, **({"BENCH_DUMP": str(dump)} if dump else {})}
    r = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT)
    if r.returncode:
        raise SystemExit(f"{' '.join(args)} failed: {r.stderr[-2000:]}")
    out = json.loads(r.stdout[r.stdout.find("{") :])
    out["bench_s"] = round(time.time() - t, 1)
    return out


def table(results: dict) -> str:
    base = results.get("baseline", {})
    levels = sorted({k for r in results.values() for k in r.get("cer_by_level", {})})
    head = ["step", "CER", *levels, "fields", "s/page", "× baseline"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, r in results.items():
        ratio = f"{r['s_per_page_2jobs'] / base['s_per_page_2jobs']:.2f}" if base.get("s_per_page_2jobs") else ""
        cells = [
            name,
            f"{100 * r['cer']:.2f}%",
            *(f"{100 * r['cer_by_level'][k]:.2f}%" if k in r["cer_by_level"] else "" for k in levels),
            f"{100 * r['field_accuracy']:.1f}%" if r.get("mode") != "baseline" else "—",
            f"{r['s_per_page_2jobs']:.2f}",
            ratio,
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(SHARED / "corpus" / "dev"))
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "ocr_steps.json"))
    ap.add_argument("--only", help="comma-separated step names (and/or 'baseline')")
    args = ap.parse_args()
    wanted = set(args.only.split(",")) if args.only else None
    results: dict = {}
    dumps = Path(args.out).with_suffix("")  # the texts and fields of each run, for a closer look
    if wanted is None or "baseline" in wanted:
        print("baseline …", file=sys.stderr, flush=True)
        results["baseline"] = bench(Path(args.corpus), "baseline", {})
    for name, what, env in CONFIGS:
        if wanted is not None and name not in wanted:
            continue
        print(f"{name}: {what} …", file=sys.stderr, flush=True)
        dumps.mkdir(parents=True, exist_ok=True)
        results[name] = bench(Path(args.corpus), "project", env, dumps / f"{name}.json")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(table(results))
    print("\n" + "\n".join(f"- {name}: {what}" for name, what, _ in CONFIGS if name in results))


if __name__ == "__main__":
    main()

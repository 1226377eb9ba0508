"""`make bench`: the shared OCR bench on ../shared/corpus/dev once per OCR step (bench/ocr_steps.py:
raw Tesseract, each step added, each clean-up step taken out) and on a generalisation set rendered
with fonts, wording and degradations the dev corpus does not have (bench/render_corpus.py), the
shared search bench, the scan-to-searchable latency of a 10-page batch, and the 10,000-document
search-latency bench on both search backends, a bounded load on the running server (bench/load.py:
20 clients, 60 s, mixed reads and writes; and the national setup: PostgreSQL, 2 workers, uploads,
50 clients, 120 s), one worker against two (bench/worker_throughput.py), and the duplicate
check's precision, recall and latency on a labelled set (bench/duplicates.py). Results go to
bench/out/*.json and a summary to stdout.

  python bench/run_benches.py [--quick] [--scale-docs 10000] [--dup-complaints 100000]
  (--quick: only the full pipeline and the baseline in the step table)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
OUT = ROOT / "bench" / "out"


def run(args: list[str], out: Path, env: dict | None = None) -> dict:
    print("$", " ".join(args), file=sys.stderr, flush=True)
    r = subprocess.run(args, capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd=ROOT)
    out.write_text(r.stdout + ("\n--- stderr ---\n" + r.stderr if r.returncode else ""))
    # the benches print one JSON object (search_bench prints a status line before it)
    text = r.stdout
    start = text.rfind("\n{")
    return json.loads(text[start + 1 if start >= 0 else text.find("{") :])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--scale-docs", type=int, default=10000)
    ap.add_argument("--dup-complaints", type=int, default=100000)
    ap.add_argument(
        "--real-set",
        default=os.environ.get("DAMRONG_REAL_SET", ""),
        help="a folder of real scans with their true text (bench/real_material.py; not in the repository)",
    )
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    damrong = str(Path(py).parent / "damrong")
    results = {}
    corpus = SHARED / "corpus" / "dev"
    bench = SHARED / "bench"
    if corpus.is_dir():
        only = ["--only", "baseline,full"] if args.quick else []
        print("$ bench/ocr_steps.py", file=sys.stderr, flush=True)
        subprocess.run(
            [py, str(ROOT / "bench" / "ocr_steps.py"), str(corpus), "--out", str(OUT / "ocr_steps.json"), *only],
            check=True,
            cwd=ROOT,
        )
        results["ocr_steps"] = json.loads((OUT / "ocr_steps.json").read_text())
        gen = OUT / "gen-corpus"
        if not (gen / "truth.json").is_file():
            subprocess.run([py, str(ROOT / "bench" / "render_corpus.py"), str(gen)], check=True, cwd=ROOT)
        results["ocr_generalisation"] = run(
            [py, str(bench / "ocr_bench.py"), str(gen), "project", damrong], OUT / "ocr_generalisation.json"
        )
        results["ocr_generalisation_baseline"] = run(
            [py, str(bench / "ocr_bench.py"), str(gen), "baseline"], OUT / "ocr_generalisation_baseline.json"
        )
        crops = OUT / "line-crops"
        if not (crops / "truth.json").is_file():
            subprocess.run([py, str(ROOT / "bench" / "render_line_crops.py"), str(crops)], check=True, cwd=ROOT)
        for mode, args_ in (("project", [damrong]), ("baseline", [])):
            results[f"ocr_line_crops_{mode}"] = run(
                [py, str(bench / "ocr_bench.py"), str(crops), mode, *args_], OUT / f"ocr_line_crops_{mode}.json"
            )
        results["categories"] = run([py, str(ROOT / "bench" / "category_bench.py")], OUT / "categories.json")
        if args.real_set and Path(args.real_set).is_dir():  # issue 19 part 5: material nobody here made
            results["real_material"] = run(
                [py, str(ROOT / "bench" / "real_material.py"), args.real_set], OUT / "real_material.json"
            )
        results["ocrmypdf_beside"] = run(  # issue 19: our time a page against OCRmyPDF's, same pages
            [py, str(ROOT / "bench" / "ocrmypdf_beside.py"), str(corpus)], OUT / "ocrmypdf_beside.json"
        )
        for name, c in (("field_confidence", corpus), ("field_confidence_generalisation", gen)):
            results[name] = run([py, str(ROOT / "bench" / "field_confidence.py"), str(c)], OUT / f"{name}.json")
        results["scan_latency"] = run(
            [py, str(ROOT / "bench" / "scan_latency.py"), "--corpus", str(corpus)], OUT / "scan_latency.json"
        )
        results["search_project"] = run(
            [
                py,
                str(bench / "search_bench.py"),
                str(corpus),
                "project",
                str(SHARED / "corpus" / "dev_queries.json"),
                damrong,
            ],
            OUT / "search_project.json",
        )
    else:
        print("../shared/corpus/dev not found: skipping the corpus benches", file=sys.stderr)
    results["load"] = run(
        [py, str(ROOT / "bench" / "load.py"), "--clients", "20", "--seconds", "60"], OUT / "load.json"
    )
    # issue 14: PostgreSQL, the postgres search, 2 workers, uploads, 50 clients for 2 minutes
    national = [py, str(ROOT / "bench" / "load.py"), "--postgres", "--workers", "2", "--upload"]
    national += ["--clients", "50", "--seconds", "120"]
    results["load_national"] = run(national, OUT / "load_national.json")
    # the same, as people: a page read for 0.5–1.5 s before the next click
    results["load_national_users"] = run([*national, "--think", "1"], OUT / "load_national_users.json")
    results["search_scale"] = run(
        [py, str(ROOT / "bench" / "search_scale.py"), "--docs", str(args.scale_docs)], OUT / "search_scale.json"
    )
    results["search_scale_postgres"] = run(
        [py, str(ROOT / "bench" / "search_scale.py"), "--backend", "postgres", "--docs", str(args.scale_docs)],
        OUT / "search_scale_postgres.json",
    )
    results["worker_throughput"] = run(
        [py, str(ROOT / "bench" / "worker_throughput.py"), "--pages", "120", "--postgres"],
        OUT / "worker_throughput.json",
    )
    results["duplicates"] = run(  # issue 15: the labelled set; --dup-complaints 1000000 for the national figure
        [py, str(ROOT / "bench" / "duplicates.py"), "--complaints", str(args.dup_complaints), "--postgres"],
        OUT / "duplicates.json",
    )
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

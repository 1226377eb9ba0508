"""What the learned category suggestions are worth: a fresh home, complaints confirmed in
batches (the generated wording of `tests/test_category_model.py`: six categories, subjects
built from openers, subjects and complaints that the keyword rules mostly do not know), the model
trained after 25, 50, 100 and 200 of them, and top-1 on 120 held-out subjects — beside the
keyword rules alone on the same subjects.

  python bench/category_bench.py
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import load_settings
from ingest.fields.petition import suggest_category
from records import category_model, users
from records.home import Archive
from tests.test_category_model import _confirm, _subjects

STEPS = (25, 50, 100, 200)


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="damrong-cat-"))
    a = Archive(load_settings(home=str(home), category_min_train=20))
    officer, _ = users.add_user(a.db, "1000000010179", "bench", "officer", "KKN-01", password="bench-password-123")
    held_out = _subjects(random.Random(1234), 120)
    keywords = sum(suggest_category(s)[0] == name for s, name in held_out) / len(held_out)
    rng, done, rows = random.Random(5), 0, []
    for n in STEPS:
        _confirm(a, officer, _subjects(rng, n - done))
        done = n
        t0 = time.perf_counter()
        meta = category_model.train(a)
        took = time.perf_counter() - t0
        right = sum((sug := category_model.suggest(home, s)) is not None and sug.name == name for s, name in held_out)
        rows.append(
            {
                "confirmed": n,
                "top1": round(right / len(held_out), 3),
                "train_s": round(took, 2),
                "accuracy_cv": meta["accuracy_cv"] if meta else None,
            }
        )
    print(json.dumps({"held_out": len(held_out), "keywords_top1": round(keywords, 3), "learned": rows}, indent=1))


if __name__ == "__main__":
    main()

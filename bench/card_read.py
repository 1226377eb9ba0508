"""ID-card read time through the real PC/SC stack (pyscard → pcscd → vpcd) with the test card
emulator: all text fields, and all fields with the photo. Starts pcscd when it is not running.

  python bench/card_read.py [--reads 20]

The emulator answers at once, so this measures our code, pyscard and pcscd; a physical card
at ISO 7816 speeds adds its own transfer time (the photo is ~5 kB)."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scanner.card_reader import card_present, list_readers, read
from tests.test_id_card import memory
from tests.vicc import ThaiIdCard


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reads", type=int, default=20)
    args = ap.parse_args()
    started = None
    if subprocess.run(["pgrep", "-x", "pcscd"], capture_output=True).returncode != 0:
        started = subprocess.Popen(["pcscd", "--foreground"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while not list_readers():
            time.sleep(0.2)
    card = ThaiIdCard(memory()).insert()
    try:
        while not card_present("Virtual PCD 00 00"):
            time.sleep(0.1)
        out = {}
        for label, photo in (("text_fields_ms", False), ("with_photo_ms", True)):
            times = []
            before = card.apdus
            for _ in range(args.reads):
                t = time.perf_counter()
                read("Virtual PCD 00 00", with_photo=photo)
                times.append((time.perf_counter() - t) * 1000)
            out[label] = {
                "median": round(statistics.median(times), 1),
                "max": round(max(times), 1),
                "apdus_per_read": (card.apdus - before) // args.reads,
            }
        print(json.dumps(out, indent=1))
    finally:
        card.remove()
        if started:
            started.terminate()


if __name__ == "__main__":
    main()

"""`make lint`'s type gate: mypy over the whole code, strict on the layers everything rests on.

- config, thai, records and search: no error at all (mypy's --strict flags, pyproject.toml).
- the rest (ingest, scanner, webui, cli): no error that is not already in mypy-baseline.txt
  (mypy-baseline filter; line numbers are left out, so edits elsewhere in a file do not matter).
- the baseline only shrinks: once an error is fixed, `make lint` fails until the baseline is
  synced (`.venv/bin/mypy | .venv/bin/mypy-baseline sync`), and no commit may make it longer
  than the one before it (checked along the file's git history).

Exit code 0 when all three hold."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.txt"
STRICT = ("config/", "thai/", "records/", "search/")
BIN = Path(sys.executable).parent


def entries(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def history_counts() -> list[tuple[str, int]] | None:
    """(commit, number of entries) for every commit that changed the baseline, oldest first; None
    when there is no git history to read (a source tarball)."""
    log = subprocess.run(
        ["git", "log", "--reverse", "--format=%H", "--", BASELINE.name], cwd=ROOT, capture_output=True, text=True
    )
    if log.returncode != 0:
        return None
    out = []
    for commit in log.stdout.split():
        shown = subprocess.run(["git", "show", f"{commit}:{BASELINE.name}"], cwd=ROOT, capture_output=True, text=True)
        out.append((commit[:10], len(entries(shown.stdout)) if shown.returncode == 0 else 0))
    return out


def main() -> int:
    failed = False
    baseline = entries(BASELINE.read_text(encoding="utf-8")) if BASELINE.is_file() else []
    strict_in_baseline = [e for e in baseline if e.startswith(STRICT)]
    if strict_in_baseline:
        print(f"{BASELINE.name} holds errors of the strict packages ({', '.join(STRICT)}): fix them instead:")
        print("\n".join(strict_in_baseline))
        failed = True
    mypy = subprocess.run([str(BIN / "mypy")], cwd=ROOT, capture_output=True, text=True)
    gate = subprocess.run(
        [str(BIN / "mypy-baseline"), "filter", "--baseline-path", str(BASELINE), "--no-colors"],
        cwd=ROOT,
        input=mypy.stdout,
        capture_output=True,
        text=True,
    )
    if gate.returncode != 0:
        print(gate.stdout.rstrip())
        print(
            "type gate: new mypy errors above, or errors fixed and the baseline not yet synced "
            f"({BIN / 'mypy'} | {BIN / 'mypy-baseline'} sync)"
        )
        failed = True
    counts = history_counts()
    if counts is None:
        print("type gate: no git history here, so the baseline's shrinking is not checked")
    else:
        sizes = [*counts, ("working tree", len(baseline))]
        for (_, n_before), (after, n_after) in itertools.pairwise(sizes):
            if n_after > n_before:
                print(f"type gate: {BASELINE.name} grew from {n_before} to {n_after} in {after}: it may only shrink")
                failed = True
    if not failed:
        print(f"type gate: strict packages clean; {len(baseline)} known errors elsewhere, none new")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

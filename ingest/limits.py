"""Time and memory limits for the parsers that read what users send: a crafted file (a 583 KB
PDF with a 300 MB content stream) must cost a bounded amount, whoever parses it. Each runs in a
child process with an address-space limit (RLIMIT_AS) and a time limit, so the worst it can do is
fail — the server, the CLI and the worker never grow with it."""

from __future__ import annotations

import resource
import subprocess
from collections.abc import Callable, Sequence

MB = 1 << 20


def child_limits(memory_mb: int) -> Callable[[], None]:
    """For `preexec_fn`: the child's address space capped at `memory_mb`, no core dump."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * MB, memory_mb * MB))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def run_limited(args: Sequence[str], memory_mb: int, timeout_s: float) -> subprocess.CompletedProcess[bytes]:
    """Run a parser as a child with the limits; its output captured. Raises
    subprocess.TimeoutExpired when it runs out of time (the child is killed)."""
    return subprocess.run(
        list(args), capture_output=True, timeout=timeout_s, preexec_fn=child_limits(memory_mb), check=False
    )

"""A throwaway PostgreSQL cluster for benches and tests: initdb in a temporary folder, listening
on a Unix socket only (no TCP), stopped and removed afterwards. As root it runs as the
`postgres` user (PostgreSQL refuses root). `new_database()` gives an empty database's URL."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def pg_tool(name: str) -> str | None:
    return shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)


@contextmanager
def cluster(settings: tuple[str, ...] = ()) -> Iterator[Callable[[], str]]:
    """`settings`: extra server settings, e.g. ("shared_buffers=1GB",)."""
    import pwd
    import socket

    for tool in ("initdb", "pg_ctl"):
        if pg_tool(tool) is None:
            raise RuntimeError(
                f"PostgreSQL's {tool} is not installed (Debian package postgresql; `make test` installs it)"
            )
    root = Path(tempfile.mkdtemp(prefix="damrong-pg-"))  # outside pytest's root-only folders
    as_user: list[str] = []
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        os.chown(root, pw.pw_uid, pw.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = root / "data"
    subprocess.run(
        [*as_user, str(pg_tool("initdb")), "-D", str(data), "-A", "trust", "-U", "postgres"],
        check=True,
        capture_output=True,
    )
    options = " ".join([f"-k {root} -p {port} -c listen_addresses=''", *(f"-c {s}" for s in settings)])
    subprocess.run(
        [*as_user, str(pg_tool("pg_ctl")), "-D", str(data), "-w", "-l", str(root / "log"), "-o", options, "start"],
        check=True,
        capture_output=True,
    )
    names = iter(range(1, 10_000))

    def new_database() -> str:
        name = f"damrong{next(names)}"
        subprocess.run(
            ["psql", "-h", str(root), "-p", str(port), "-U", "postgres", "-qc", f"CREATE DATABASE {name}"],
            check=True,
            capture_output=True,
        )
        return f"postgresql+psycopg://postgres@/{name}?host={root}&port={port}"

    try:
        yield new_database
    finally:
        subprocess.run([*as_user, str(pg_tool("pg_ctl")), "-D", str(data), "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)

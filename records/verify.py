"""Whole-archive verification of the stored objects: every object the database names re-hashed
against the SHA-256 recorded at intake (or, with `fast`, checked for presence and size);
missing, corrupt and unreferenced objects reported. The search index is compared with the
database by the search layer (`search.index_check`); `damrong verify` runs both into one report."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from records.models import Document
from records.object_refs import object_refs

if TYPE_CHECKING:
    from records.home import Archive


@dataclass
class Report:
    objects_checked: int = 0
    bytes_checked: int = 0
    documents: int = 0
    seconds: float = 0.0
    problems: list[dict[str, Any]] = field(default_factory=list)
    repaired: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "objects_checked": self.objects_checked,
            "bytes_checked": self.bytes_checked,
            "documents": self.documents,
            "seconds": round(self.seconds, 2),
            "problems": self.problems,
            "repaired_index_entries": self.repaired,
        }


def verify_archive(
    archive: Archive, fast: bool = False, progress: Callable[[int, int], object] | None = None
) -> Report:
    started = time.perf_counter()
    rep = Report()
    with archive.db.session() as s:
        rep.documents = s.query(Document).count()
        refs = list(object_refs(s))
    referenced: set[str] = set()
    for n, ref in enumerate(refs, 1):
        if progress:
            progress(n, len(refs))
        referenced.add(ref.sha256)
        where = {"owner": ref.owner, "object": ref.kind, "sha256": ref.sha256}
        path = archive.store.path_for(ref.sha256)
        if not path.is_file():
            rep.problems.append({**where, "problem": "missing"})
            continue
        actual = path.stat().st_size
        rep.objects_checked += 1
        rep.bytes_checked += actual
        bad = (ref.size is not None and actual != ref.size) if fast else not archive.store.verify(ref.sha256)
        if bad:
            rep.problems.append({**where, "problem": "corrupt"})
    for digest in sorted(set(archive.store) - referenced):
        rep.problems.append({"object": "unreferenced", "sha256": digest, "problem": "not in the database"})
    rep.seconds = time.perf_counter() - started
    return rep

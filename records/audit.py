"""The audit log: append-only, hash-chained. Every create, change, status transition, download,
case-file view and ID-card read is recorded with who, when, what and the values before and
after. Each entry's hash covers its content and the previous entry's hash, so changing or
removing any entry breaks the chain from there on; `verify_chain` finds the first break.

Personal data stays out of the values recorded: citizen IDs are masked before they get here."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from records.models import AuditEntry, AuditHead, User

if TYPE_CHECKING:
    from records.db import Database

GENESIS = "0" * 64
HEAD_ID = 1


def _digest(
    prev_hash: str,
    at: str,
    user_id: int | None,
    user_name: str,
    action: str,
    object_type: str,
    object_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> str:
    body = json.dumps(
        [prev_hash, at, user_id, user_name, action, object_type, object_id, before, after],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    """Values as they are stored (JSON), so the hash recomputed from the row matches."""
    return None if value is None else json.loads(json.dumps(value, ensure_ascii=False, default=str))


def record(
    db: Database,
    action: str,
    object_type: str = "",
    object_id: Any = "",
    *,
    user: User | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    session: Session | None = None,
) -> None:
    """Append one entry. With `session` the entry joins that session's transaction (the caller
    commits it, with the change it records); otherwise it is written and committed on its own.

    The append starts by updating the head row (`audit_head`): that statement takes the write
    lock (SQLite) or the row's lock (PostgreSQL) and reads the last hash in one step, so no two
    appends — in any threads or processes — chain to the same entry, and nothing waits on a lock
    of this process while holding the database's."""
    user_id = getattr(user, "id", None)
    user_name = getattr(user, "name", "") or ("system" if user is None else "")
    before, after = _plain(before), _plain(after)
    own = session is None
    s = db.session() if session is None else session
    try:
        last = _take_head(s)
        at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
        h = _digest(last, at, user_id, user_name, action, object_type, str(object_id), before, after)
        entry = AuditEntry(
            at=at,
            user_id=user_id,
            user_name=user_name,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            before=before,
            after=after,
            prev_hash=last,
            hash=h,
        )
        s.add(entry)
        s.flush()
        s.execute(update(AuditHead).where(AuditHead.id == HEAD_ID).values(last_id=entry.id, last_hash=h))
        if own:
            s.commit()
    finally:
        if own:
            s.close()


def _take_head(s: Session) -> str:
    """The last entry's hash, the head row locked for this transaction (created from the log
    itself should it be missing)."""
    stmt = update(AuditHead).where(AuditHead.id == HEAD_ID).values(last_id=AuditHead.last_id)
    last: str | None = s.execute(stmt.returning(AuditHead.last_hash)).scalar_one_or_none()
    if last is None:
        newest = s.execute(select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()
        last = newest[1] if newest else GENESIS
        s.add(AuditHead(id=HEAD_ID, last_id=newest[0] if newest else 0, last_hash=last))
        s.flush()
    return last


@dataclass
class ChainReport:
    entries: int
    first_broken: int | None  # id of the first entry whose hash or link does not hold
    problem: str = ""
    head_id: int | None = None  # the newest entry: note "ID:HASH" somewhere else (an anchor)
    head_hash: str = ""

    @property
    def ok(self) -> bool:
        return self.first_broken is None

    @property
    def anchor(self) -> str:
        return f"{self.head_id}:{self.head_hash}" if self.head_id else ""


def verify_chain(db: Database, anchor: str | None = None) -> ChainReport:
    """Check every entry's hash and link. The chain alone cannot show that its newest entries were
    cut off (or the whole log rewritten): `anchor` — an "ID:HASH" noted from an earlier run, kept
    outside the database — must still be there, unchanged."""
    anchor_id, _, anchor_hash = (anchor or "").partition(":")
    anchor_seen = False
    n, prev, expected_id, head_id = 0, GENESIS, None, None
    with db.session() as s:
        for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(1000):
            n += 1
            if expected_id is not None and e.id != expected_id:
                return ChainReport(n, e.id, f"entries {expected_id}–{e.id - 1} are missing")
            if e.prev_hash != prev:
                return ChainReport(n, e.id, "does not follow the entry before it (one was removed or changed)")
            if (
                _digest(
                    e.prev_hash, e.at, e.user_id, e.user_name, e.action, e.object_type, e.object_id, e.before, e.after
                )
                != e.hash
            ):
                return ChainReport(n, e.id, "its content does not match its hash (it was changed)")
            if anchor_id and str(e.id) == anchor_id:
                if e.hash != anchor_hash:
                    return ChainReport(n, e.id, "differs from the anchor noted earlier (the log was rewritten)")
                anchor_seen = True
            prev, expected_id, head_id = e.hash, e.id + 1, e.id
    if anchor_id and not anchor_seen:
        return ChainReport(
            n,
            int(anchor_id) if anchor_id.isdigit() else -1,
            "the anchor's entry is gone: the newest entries were removed",
        )
    return ChainReport(n, None, head_id=head_id, head_hash=prev if head_id else "")


def entries_for(db: Database, object_type: str, object_id: object) -> list[AuditEntry]:
    with db.session() as s:
        return list(
            s.scalars(
                select(AuditEntry)
                .where(AuditEntry.object_type == object_type, AuditEntry.object_id == str(object_id))
                .order_by(AuditEntry.id)
            )
        )

"""Signed-in browser sessions, kept on the server. The browser's cookie holds a random token; the
database holds its SHA-256, the user, and when the session began, was last seen, expires and
ended. Signing out ends the session for good — a copy of the cookie replayed afterwards is
refused — and so does a password change for every other session of that user."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from records.models import WebSession
from thai.dates import utcnow

if TYPE_CHECKING:
    from records.db import Database

SEEN_NOTED = dt.timedelta(minutes=5)  # how stale `last_seen_at` may get: reading a session writes rarely


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(db: Database, user_id: int, lifetime: dt.timedelta) -> str:
    """A new session for the user; returns its token (for the cookie, never stored)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with db.session() as s:
        s.add(
            WebSession(
                token_sha256=_digest(token),
                user_id=user_id,
                created_at=now,
                last_seen_at=now,
                expires_at=now + lifetime,
            )
        )
        s.commit()
    return token


def user_id_of(db: Database, token: str) -> int | None:
    """The user of a live session (not ended, not expired); None otherwise."""
    now = utcnow()
    with db.session() as s:
        ws = s.scalar(select(WebSession).where(WebSession.token_sha256 == _digest(token)))
        if ws is None or ws.ended_at is not None or ws.expires_at <= now:
            return None
        if now - ws.last_seen_at > SEEN_NOTED:
            ws.last_seen_at = now
            s.commit()
        return ws.user_id


def end(db: Database, token: str) -> None:
    """Sign-out: the session ends now."""
    with db.session() as s:
        s.execute(
            update(WebSession)
            .where(WebSession.token_sha256 == _digest(token), WebSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
        s.commit()


def end_others(db: Database, user_id: int, keep: str | None = None) -> int:
    """End every live session of a user but `keep` (a password change); returns how many ended."""
    q = update(WebSession).where(WebSession.user_id == user_id, WebSession.ended_at.is_(None))
    if keep is not None:
        q = q.where(WebSession.token_sha256 != _digest(keep))
    with db.session() as s:
        ended = s.execute(q.values(ended_at=utcnow()).returning(WebSession.id)).all()
        s.commit()
    return len(ended)

"""Users, passwords and API tokens. The username is the person's 13-digit citizen ID (checksum
checked); passwords are hashed with argon2; a first password issued by an administrator must be
changed at first sign-in; repeated failures lock the account for a while. Tokens are random,
shown once, and kept only as their SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload

from records import areas, audit
from records.models import ApiToken, Area, AreaKind, Role, SignInFailures, User
from thai.citizen_id import checksum_ok, masked
from thai.dates import utcnow
from thai.digits import digits_only
from thai.errors import CodedError

if TYPE_CHECKING:
    from records.db import Database

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 10
USE_NOTED = 5  # minutes: how stale a token's or session's "last used" may get
_hasher = PasswordHasher()


class UserError(CodedError):
    """A sign-in or account change refused; `code` says why in Thai and English."""


def add_user(
    db: Database,
    citizen_id: str,
    name: str,
    role: str,
    area_code: str,
    password: str | None = None,
    *,
    audited: bool = False,
    by: User | None = None,
) -> tuple[User, str]:
    """Create a user with an administrator-issued first password (generated when not given),
    which must be changed at first sign-in. Returns the user and that password. With `audited`,
    the creation is in the audit log (`by` whom; none: the command line), in the same transaction."""
    cid = digits_only(citizen_id)
    if len(cid) != 13 or not checksum_ok(cid):
        raise UserError("bad_username")
    if role not in Role.__members__:
        raise UserError("bad_role", role=role)
    password = password or secrets.token_urlsafe(9)
    _check_strength(cid, password)
    with db.session() as s:
        area = areas.by_code(s, area_code)
        if area is None:
            raise UserError("bad_area", area=area_code)
        if (role == Role.field.value) != (area.kind == AreaKind.subdistrict):
            raise UserError("field_team_area", area=area.code)
        if s.scalar(select(User.id).where(User.citizen_id == cid)) is not None:
            raise UserError("user_exists")
        user = User(
            citizen_id=cid,
            name=name.strip(),
            role=Role(role),
            area_id=area.id,
            password_hash=_hasher.hash(password),
            must_change_password=True,
        )
        s.add(user)
        s.flush()
        if audited:
            after = {"citizen_id": masked(cid), "name": user.name, "role": role, "area": area.code}
            audit.record(db, "create", "user", user.id, user=by, after=after, session=s)
        s.commit()
        s.refresh(user)
        s.expunge(user)
        return user, password


def _check_strength(cid: str, password: str) -> None:
    if len(password) < MIN_PASSWORD or digits_only(password) == cid:
        raise UserError("weak_password", min=MIN_PASSWORD)


def _failures_key(username: str) -> str:
    """Failed sign-ins are counted per typed username — its digits, or the text when it has none —
    kept only as a SHA-256: also for IDs no account has, so a lockout says nothing about who exists."""
    return hashlib.sha256((digits_only(username) or username.strip()).encode()).hexdigest()


def authenticate(db: Database, citizen_id: str, password: str) -> User:
    """The user, when the password is right and the account usable; raises UserError otherwise.
    After MAX_FAILURES wrong passwords in a row for one username — an account's or not — that
    username is locked for LOCK_MINUTES, with the same message either way."""
    cid = digits_only(citizen_id)
    key = _failures_key(citizen_id)
    with db.session() as s:
        now = utcnow()
        failures = s.get(SignInFailures, key)
        if failures is not None and failures.locked_until and failures.locked_until > now:
            minutes = max(1, round((failures.locked_until - now).total_seconds() / 60))
            raise UserError("login_locked", minutes=minutes)
        user = s.scalar(select(User).where(User.citizen_id == cid)) if len(cid) == 13 else None
        if user is None:
            _hasher.hash(password)  # the same work whether or not the user exists
            _count_failure(s, key, failures, now)
            raise UserError("bad_login")
        try:
            _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            _count_failure(s, key, failures, now)
            raise UserError("bad_login") from None
        if not user.active:
            raise UserError("user_inactive")
        if failures is not None:
            s.delete(failures)
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        s.commit()
        s.refresh(user)
        s.expunge(user)
        return user


def _count_failure(s: Session, key: str, failures: SignInFailures | None, now: dt.datetime) -> None:
    if failures is None:
        failures = SignInFailures(username_sha256=key, failures=0)
        s.add(failures)
    failures.failures += 1
    failures.updated_at = now
    if failures.failures >= MAX_FAILURES:
        failures.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
        failures.failures = 0
    s.commit()


def change_password(db: Database, user_id: int, old: str, new: str) -> None:
    with db.session() as s:
        user = s.get(User, user_id)
        assert user is not None  # the signed-in user changes their own password
        try:
            _hasher.verify(user.password_hash, old)
        except (VerificationError, InvalidHashError):
            raise UserError("wrong_password") from None
        if old == new:
            raise UserError("same_password")
        _check_strength(user.citizen_id, new)
        user.password_hash = _hasher.hash(new)
        user.must_change_password = False
        s.commit()


def reset_password(db: Database, user_id: int, *, audited: bool = False, by: User | None = None) -> str:
    """An administrator issues a new first password (to be changed at next sign-in); with
    `audited`, logged in the same transaction."""
    password = secrets.token_urlsafe(9)
    with db.session() as s:
        user = s.get(User, user_id)
        if user is None:
            raise UserError("not_found", field="user")
        user.password_hash, user.must_change_password = _hasher.hash(password), True
        s.execute(delete(SignInFailures).where(SignInFailures.username_sha256 == _failures_key(user.citizen_id)))
        if audited:
            after = {"citizen_id": masked(user.citizen_id), "must_change_password": True}
            audit.record(db, "reset_password", "user", user.id, user=by, after=after, session=s)
        s.commit()
    return password


def get(db: Database, user_id: int) -> User | None:
    """The user with their area and its parent, loaded in one query for use after the session."""
    with db.session() as s:
        user: User | None = s.scalar(
            select(User).options(joinedload(User.area).joinedload(Area.parent)).where(User.id == user_id)
        )
        if user is not None:
            s.expunge_all()
        return user


def create_token(db: Database, citizen_id: str, name: str = "") -> str:
    token = "dmr_" + secrets.token_urlsafe(32)
    with db.session() as s:
        user = s.scalar(select(User).where(User.citizen_id == digits_only(citizen_id)))
        if user is None:
            raise UserError("not_found", field="user")
        s.add(ApiToken(user_id=user.id, token_sha256=hashlib.sha256(token.encode()).hexdigest(), name=name))
        s.commit()
    return token


def user_for_token(db: Database, token: str) -> User | None:
    """The user a bearer token acts as (None: unknown, revoked, or the user disabled). Reading a
    token writes nothing, but for noting when it was last used — at most every USE_NOTED minutes,
    so a busy station's requests are reads, not a queue of writes."""
    digest = hashlib.sha256(token.strip().encode()).hexdigest()
    with db.session() as s:
        t = s.scalar(
            select(ApiToken)
            .options(joinedload(ApiToken.user).joinedload(User.area).joinedload(Area.parent))
            .where(ApiToken.token_sha256 == digest, ApiToken.revoked.is_(False))
        )
        if t is None or not t.user.active:
            return None
        now = utcnow()
        if t.last_used_at is None or now - t.last_used_at > dt.timedelta(minutes=USE_NOTED):
            t.last_used_at = now
            s.commit()  # the user and their areas stay loaded (expire_on_commit is off)
        user = t.user
        s.expunge_all()
        return user

"""`damrong user`, `token`, `area` and `audit`: administration from the command line. Changes go
through records.* and are recorded here with records.audit (records.users does not)."""

from __future__ import annotations

import sys

import click

from cli.app import emit, fail, main, open_archive, user_by_cid

# --- users ----------------------------------------------------------------------------------


@main.group()
def user() -> None:
    """Users: add, list, reset a first password, disable."""


@user.command("add")
@click.argument("citizen_id")
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(["counter", "officer", "auditor", "admin", "field"]))
@click.option("--area", "area_code", required=True, help="area code: MOI, a province (KKN) or a district (KKN-01)")
@click.option("--json", "as_json", is_flag=True)
def user_add(citizen_id: str, name: str, role: str, area_code: str, as_json: bool) -> None:
    """Add a user; prints the first password once (it must be changed at first sign-in)."""
    from records import users
    from thai.citizen_id import masked

    a = open_archive()
    try:
        u, password = users.add_user(a.db, citizen_id, name, role, area_code, audited=True)
    except users.UserError as e:
        fail(e.code, e.params, as_json)
    if as_json:
        emit(
            {
                "id": u.id,
                "citizen_id": masked(u.citizen_id),
                "name": u.name,
                "role": role,
                "area": area_code.strip().upper(),
                "first_password": password,
            }
        )
    else:
        click.echo(f"user {masked(u.citizen_id)} ({u.name}, {role}, {area_code.strip().upper()}) added")
        click.echo(f"first password (shown once; to be changed at first sign-in): {password}")


@user.command("list")
@click.option("--json", "as_json", is_flag=True)
def user_list(as_json: bool) -> None:
    """List users (citizen IDs masked)."""
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload

    from records.models import User
    from thai.citizen_id import masked

    a = open_archive()
    with a.db.session() as s:
        rows = [
            {
                "id": u.id,
                "citizen_id": masked(u.citizen_id),
                "name": u.name,
                "role": u.role.value,
                "area": u.area.code,
                "active": u.active,
                "must_change_password": u.must_change_password,
            }
            for u in s.scalars(select(User).options(joinedload(User.area)).order_by(User.id))
        ]
    if as_json:
        emit({"users": rows})
        return
    for r in rows:
        flags = "" if r["active"] else "  (disabled)"
        click.echo(f"{r['citizen_id']}\t{r['name']}\t{r['role']}\t{r['area']}{flags}")
    if not rows:
        click.echo("no users")


@user.command("reset-password")
@click.argument("citizen_id")
@click.option("--json", "as_json", is_flag=True)
def user_reset_password(citizen_id: str, as_json: bool) -> None:
    """Issue a new first password (shown once; to be changed at next sign-in)."""
    from records import users
    from thai.citizen_id import masked

    a = open_archive()
    u = user_by_cid(a, citizen_id)
    if u is None:
        fail("not_found", {"field": "user"}, as_json)
    password = users.reset_password(a.db, u.id, audited=True)
    if as_json:
        emit({"id": u.id, "citizen_id": masked(u.citizen_id), "first_password": password})
    else:
        click.echo(f"new first password for {masked(u.citizen_id)} (shown once; to be changed at sign-in): {password}")


@user.command("disable")
@click.argument("citizen_id")
@click.option("--json", "as_json", is_flag=True)
def user_disable(citizen_id: str, as_json: bool) -> None:
    """Disable a user: no more sign-ins, tokens stop working."""
    from records import audit
    from records.models import User
    from thai.citizen_id import masked

    a = open_archive()
    u = user_by_cid(a, citizen_id)
    if u is None:
        fail("not_found", {"field": "user"}, as_json)
    with a.db.session() as s:  # records.users has no disable function yet
        row = s.get(User, u.id)
        before = row.active
        row.active = False
        audit.record(a.db, "disable", "user", u.id, before={"active": before}, after={"active": False}, session=s)
        s.commit()
    if as_json:
        emit({"id": u.id, "citizen_id": masked(u.citizen_id), "active": False})
    else:
        click.echo(f"user {masked(u.citizen_id)} disabled")


# --- API tokens -----------------------------------------------------------------------------


@main.group()
def token() -> None:
    """API tokens (for counter stations and scripts)."""


@token.command("create")
@click.argument("citizen_id")
@click.option("--name", default="", help="what the token is for, e.g. the counter station")
@click.option("--json", "as_json", is_flag=True)
def token_create(citizen_id: str, name: str, as_json: bool) -> None:
    """Create a token for a user; prints it once (only its SHA-256 is kept)."""
    import hashlib

    from sqlalchemy import select

    from records import audit, users
    from records.models import ApiToken

    a = open_archive()
    try:
        tok = users.create_token(a.db, citizen_id, name)
    except users.UserError as e:
        fail(e.code, e.params, as_json)
    with a.db.session() as s:
        t = s.scalar(select(ApiToken).where(ApiToken.token_sha256 == hashlib.sha256(tok.encode()).hexdigest()))
        token_id, user_id = t.id, t.user_id
    audit.record(a.db, "token_create", "api_token", token_id, after={"user_id": user_id, "name": name})
    if as_json:
        emit({"id": token_id, "token": tok, "name": name})
    else:
        click.echo(f"token {token_id} (shown once, keep it safe): {tok}")


@token.command("list")
@click.argument("citizen_id", required=False)
@click.option("--json", "as_json", is_flag=True)
def token_list(citizen_id, as_json: bool) -> None:
    """List tokens (never the tokens themselves), all or one user's."""
    from sqlalchemy import select

    from records.models import ApiToken
    from thai.citizen_id import masked

    a = open_archive()
    q = select(ApiToken).order_by(ApiToken.id)
    if citizen_id:
        u = user_by_cid(a, citizen_id)
        if u is None:
            fail("not_found", {"field": "user"}, as_json)
        q = q.where(ApiToken.user_id == u.id)
    with a.db.session() as s:
        rows = [
            {
                "id": t.id,
                "user": masked(t.user.citizen_id),
                "name": t.name,
                "revoked": t.revoked,
                "created_at": t.created_at,
                "last_used_at": t.last_used_at,
            }
            for t in s.scalars(q)
        ]
    if as_json:
        emit({"tokens": rows})
        return
    for r in rows:
        click.echo(f"{r['id']}\t{r['user']}\t{r['name']}\t{'revoked' if r['revoked'] else 'active'}")


@token.command("revoke")
@click.argument("token_ref")
@click.option("--json", "as_json", is_flag=True)
def token_revoke(token_ref: str, as_json: bool) -> None:
    """Revoke a token, named by its number (`token list`) or given whole."""
    import hashlib

    from sqlalchemy import select

    from records import audit
    from records.models import ApiToken

    a = open_archive()
    with a.db.session() as s:  # records.users has no revoke function yet
        if token_ref.strip().isdigit():
            t = s.get(ApiToken, int(token_ref))
        else:
            digest = hashlib.sha256(token_ref.strip().encode()).hexdigest()
            t = s.scalar(select(ApiToken).where(ApiToken.token_sha256 == digest))
        if t is None:
            fail("not_found", {"field": "token"}, as_json)
        if not t.revoked:
            t.revoked = True
            audit.record(
                a.db, "token_revoke", "api_token", t.id, before={"revoked": False}, after={"revoked": True}, session=s
            )
            s.commit()
        token_id = t.id
    if as_json:
        emit({"id": token_id, "revoked": True})
    else:
        click.echo(f"token {token_id} revoked")


# --- areas ----------------------------------------------------------------------------------


@main.group()
def area() -> None:
    """Areas: the ministry (MOI), provinces, their districts and sub-districts."""


@area.command("list")
@click.option("--province", default=None, help="only this province and the areas under it")
@click.option(
    "--kind",
    type=click.Choice(["central", "province", "district", "subdistrict"]),
    default=None,
    help="only areas of this kind",
)
@click.option("--json", "as_json", is_flag=True)
def area_list(province, kind, as_json: bool) -> None:
    """List the areas: the ministry, provinces, districts and sub-districts, with DOPA codes."""
    from sqlalchemy import select
    from sqlalchemy.orm import aliased

    from records import areas
    from records.models import Area

    a = open_archive()
    parent = aliased(Area)
    q = select(Area, parent.code).outerjoin(parent, Area.parent_id == parent.id).order_by(Area.id)
    with a.db.session() as s:
        if province:
            p = areas.by_code(s, province)
            if p is None:
                fail("bad_area", {"area": province}, as_json)
            q = q.where(Area.id.in_(areas.visible_area_ids(s, p) or {p.id}))
        if kind:
            q = q.where(Area.kind == kind)
        rows = [
            {
                "code": ar.code,
                "kind": ar.kind.value,
                "dopa_code": ar.dopa_code,
                "name_th": ar.name_th,
                "name_en": ar.name_en,
                "parent": pcode,
            }
            for ar, pcode in s.execute(q)
        ]
    if as_json:
        emit({"areas": rows})
        return
    for r in rows:
        click.echo(f"{r['code']}\t{r['kind']}\t{r['dopa_code'] or ''}\t{r['name_th']}\t{r['name_en']}")


@area.command("add-district")
@click.argument("province_code")
@click.argument("name_th")
@click.option("--name-en", default="")
@click.option("--json", "as_json", is_flag=True)
def area_add_district(province_code: str, name_th: str, name_en: str, as_json: bool) -> None:
    """Add a district to a province; its code is the next free PROVINCE-NN."""
    from records import areas, audit

    a = open_archive()
    if not name_th.strip():
        fail("required", {"field": "name_th"}, as_json)
    with a.db.session() as s:
        try:
            d = areas.add_district(s, province_code, name_th.strip(), name_en.strip())
        except areas.AreaExists as e:
            fail("area_exists", {"name": e.area.name_th, "area": e.area.code}, as_json)
        except ValueError:
            fail("bad_area", {"area": province_code}, as_json)
        out = {
            "id": d.id,
            "code": d.code,
            "name_th": d.name_th,
            "name_en": d.name_en,
            "province": province_code.strip().upper(),
        }
    audit.record(a.db, "create", "area", out["code"], after=out)
    if as_json:
        emit(out)
    else:
        click.echo(f"district {out['code']} {out['name_th']} added to {out['province']}")


# --- the audit log --------------------------------------------------------------------------


@main.group("audit")
def audit_group() -> None:
    """The append-only, hash-chained audit log."""


@audit_group.command("verify")
@click.option(
    "--anchor", default=None, metavar="ID:HASH", help="an entry noted from an earlier run that must still be there"
)
@click.option("--json", "as_json", is_flag=True)
def audit_verify(as_json: bool, anchor) -> None:
    """Check the hash chain; exits 1 at the first entry changed, removed or out of place. Prints
    the newest entry as ID:HASH: keep it outside the archive (the nightly job's journal does) and
    pass it back with --anchor to catch the newest entries being cut off."""
    from records.audit import verify_chain

    a = open_archive()
    rep = verify_chain(a.db, anchor)
    if as_json:
        emit(
            {
                "ok": rep.ok,
                "entries": rep.entries,
                "first_broken": rep.first_broken,
                "problem": rep.problem,
                "anchor": rep.anchor,
            }
        )
    elif rep.ok:
        click.echo(f"{rep.entries} entries checked: OK; anchor {rep.anchor or '-'}")
    else:
        click.echo(f"BROKEN at entry {rep.first_broken}: {rep.problem} ({rep.entries} entries read)")
    sys.exit(0 if rep.ok else 1)


@audit_group.command("list")
@click.option("--object", "obj", default=None, metavar="TYPE:ID", help="e.g. complaint:KKN-2569-000001")
@click.option("--action", default=None)
@click.option("--limit", default=50, show_default=True, help="the newest this many")
@click.option("--json", "as_json", is_flag=True)
def audit_list(obj, action, limit: int, as_json: bool) -> None:
    """The newest entries, of one object or all."""
    from sqlalchemy import select

    from records.models import AuditEntry

    a = open_archive()
    q = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if obj:
        kind, sep, ident = obj.partition(":")
        if not sep:
            raise click.BadParameter("expected TYPE:ID", param_hint="--object")
        q = q.where(AuditEntry.object_type == kind, AuditEntry.object_id == ident)
    if action:
        q = q.where(AuditEntry.action == action)
    with a.db.session() as s:
        rows = [
            {
                "id": e.id,
                "at": e.at,
                "user_id": e.user_id,
                "user": e.user_name,
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "before": e.before,
                "after": e.after,
            }
            for e in reversed(list(s.scalars(q)))
        ]
    if as_json:
        emit({"entries": rows})
        return
    for r in rows:
        click.echo(f"{r['id']}\t{r['at']}\t{r['user'] or '-'}\t{r['action']}\t{r['object_type']}:{r['object_id']}")

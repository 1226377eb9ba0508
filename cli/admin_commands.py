"""`damrong user`, `token`, `area`, `complaint` and `audit`: administration and complaint work from
the command line. Changes go through records.* (complaints write the audit log themselves; user,
token and area changes are recorded here with records.audit, as records.users does not)."""
from __future__ import annotations

import sys

import click

from cli.main import _archive, _emit, main


def _fail(code: str, params: dict | None, as_json: bool = False) -> None:
    """An error in Thai and English; exits 1."""
    from ingest.errors import render
    th, en = render(code, params, "th"), render(code, params, "en")
    if as_json:
        _emit({"error": code, "message": en, "message_th": th})
        sys.exit(1)
    click.echo(f"Error: {th} / {en}", err=True)
    sys.exit(1)


def _user_by_cid(a, citizen_id: str):
    """The user with this citizen ID (Thai or Arabic digits, dashes), area loaded; None if none."""
    from sqlalchemy import select
    from ingest.thai_text import digits_only
    from records import users
    from records.models import User
    digits = digits_only(citizen_id)
    with a.db.session() as s:
        uid = s.scalar(select(User.id).where(User.citizen_id == digits)) if len(digits) == 13 else None
    return users.get(a.db, uid) if uid is not None else None


def _actor(a, citizen_id: str, as_json: bool):
    """The user a complaint command acts as: must exist and be active."""
    user = _user_by_cid(a, citizen_id)
    if user is None:
        _fail("not_found", {"field": "user"}, as_json)
    if not user.active:
        _fail("user_inactive", None, as_json)
    return user


# --- users ----------------------------------------------------------------------------------

@main.group()
def user() -> None:
    """Users: add, list, reset a first password, disable."""


@user.command("add")
@click.argument("citizen_id")
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(["counter", "officer", "auditor", "admin"]))
@click.option("--area", "area_code", required=True, help="area code: MOI, a province (KKN) or a district (KKN-01)")
@click.option("--json", "as_json", is_flag=True)
def user_add(citizen_id: str, name: str, role: str, area_code: str, as_json: bool) -> None:
    """Add a user; prints the first password once (it must be changed at first sign-in)."""
    from records import audit, users
    from records.citizen_id import masked
    a = _archive()
    try:
        u, password = users.add_user(a.db, citizen_id, name, role, area_code)
    except users.UserError as e:
        _fail(e.code, e.params, as_json)
    audit.record(a.db, "user_add", "user", u.id, after={"citizen_id": masked(u.citizen_id), "name": u.name,
                                                        "role": role, "area": area_code.strip().upper()})
    if as_json:
        _emit({"id": u.id, "citizen_id": masked(u.citizen_id), "name": u.name, "role": role,
               "area": area_code.strip().upper(), "first_password": password})
    else:
        click.echo(f"user {masked(u.citizen_id)} ({u.name}, {role}, {area_code.strip().upper()}) added")
        click.echo(f"first password (shown once; to be changed at first sign-in): {password}")


@user.command("list")
@click.option("--json", "as_json", is_flag=True)
def user_list(as_json: bool) -> None:
    """List users (citizen IDs masked)."""
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload
    from records.citizen_id import masked
    from records.models import User
    a = _archive()
    with a.db.session() as s:
        rows = [{"id": u.id, "citizen_id": masked(u.citizen_id), "name": u.name, "role": u.role.value,
                 "area": u.area.code, "active": u.active, "must_change_password": u.must_change_password}
                for u in s.scalars(select(User).options(joinedload(User.area)).order_by(User.id))]
    if as_json:
        _emit({"users": rows})
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
    from records import audit, users
    from records.citizen_id import masked
    a = _archive()
    u = _user_by_cid(a, citizen_id)
    if u is None:
        _fail("not_found", {"field": "user"}, as_json)
    password = users.reset_password(a.db, u.id)
    audit.record(a.db, "reset_password", "user", u.id, after={"citizen_id": masked(u.citizen_id)})
    if as_json:
        _emit({"id": u.id, "citizen_id": masked(u.citizen_id), "first_password": password})
    else:
        click.echo(f"new first password for {masked(u.citizen_id)} (shown once; to be changed at sign-in): "
                   f"{password}")


@user.command("disable")
@click.argument("citizen_id")
@click.option("--json", "as_json", is_flag=True)
def user_disable(citizen_id: str, as_json: bool) -> None:
    """Disable a user: no more sign-ins, tokens stop working."""
    from records import audit
    from records.citizen_id import masked
    from records.models import User
    a = _archive()
    u = _user_by_cid(a, citizen_id)
    if u is None:
        _fail("not_found", {"field": "user"}, as_json)
    with a.db.session() as s:  # records.users has no disable function yet
        row = s.get(User, u.id)
        before = row.active
        row.active = False
        audit.record(a.db, "disable", "user", u.id, before={"active": before}, after={"active": False}, session=s)
        s.commit()
    if as_json:
        _emit({"id": u.id, "citizen_id": masked(u.citizen_id), "active": False})
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
    a = _archive()
    try:
        tok = users.create_token(a.db, citizen_id, name)
    except users.UserError as e:
        _fail(e.code, e.params, as_json)
    with a.db.session() as s:
        t = s.scalar(select(ApiToken).where(ApiToken.token_sha256 == hashlib.sha256(tok.encode()).hexdigest()))
        token_id, user_id = t.id, t.user_id
    audit.record(a.db, "token_create", "api_token", token_id, after={"user_id": user_id, "name": name})
    if as_json:
        _emit({"id": token_id, "token": tok, "name": name})
    else:
        click.echo(f"token {token_id} (shown once, keep it safe): {tok}")


@token.command("list")
@click.argument("citizen_id", required=False)
@click.option("--json", "as_json", is_flag=True)
def token_list(citizen_id, as_json: bool) -> None:
    """List tokens (never the tokens themselves), all or one user's."""
    from sqlalchemy import select
    from records.citizen_id import masked
    from records.models import ApiToken
    a = _archive()
    q = select(ApiToken).order_by(ApiToken.id)
    if citizen_id:
        u = _user_by_cid(a, citizen_id)
        if u is None:
            _fail("not_found", {"field": "user"}, as_json)
        q = q.where(ApiToken.user_id == u.id)
    with a.db.session() as s:
        rows = [{"id": t.id, "user": masked(t.user.citizen_id), "name": t.name, "revoked": t.revoked,
                 "created_at": t.created_at, "last_used_at": t.last_used_at} for t in s.scalars(q)]
    if as_json:
        _emit({"tokens": rows})
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
    a = _archive()
    with a.db.session() as s:  # records.users has no revoke function yet
        if token_ref.strip().isdigit():
            t = s.get(ApiToken, int(token_ref))
        else:
            digest = hashlib.sha256(token_ref.strip().encode()).hexdigest()
            t = s.scalar(select(ApiToken).where(ApiToken.token_sha256 == digest))
        if t is None:
            _fail("not_found", {"field": "token"}, as_json)
        if not t.revoked:
            t.revoked = True
            audit.record(a.db, "token_revoke", "api_token", t.id, before={"revoked": False},
                         after={"revoked": True}, session=s)
            s.commit()
        token_id = t.id
    if as_json:
        _emit({"id": token_id, "revoked": True})
    else:
        click.echo(f"token {token_id} revoked")


# --- areas ----------------------------------------------------------------------------------

@main.group()
def area() -> None:
    """Areas: the ministry (MOI), provinces and their districts."""


@area.command("list")
@click.option("--province", default=None, help="only this province and its districts")
@click.option("--json", "as_json", is_flag=True)
def area_list(province, as_json: bool) -> None:
    """List the areas."""
    from sqlalchemy import select
    from sqlalchemy.orm import aliased
    from records.models import Area
    a = _archive()
    parent = aliased(Area)
    q = select(Area, parent.code).outerjoin(parent, Area.parent_id == parent.id).order_by(Area.id)
    with a.db.session() as s:
        rows = [{"code": ar.code, "kind": ar.kind.value, "name_th": ar.name_th, "name_en": ar.name_en,
                 "parent": pcode} for ar, pcode in s.execute(q)]
    if province:
        p = province.strip().upper()
        rows = [r for r in rows if r["code"] == p or r["parent"] == p]
    if as_json:
        _emit({"areas": rows})
        return
    for r in rows:
        click.echo(f"{r['code']}\t{r['kind']}\t{r['name_th']}\t{r['name_en']}")


@area.command("add-district")
@click.argument("province_code")
@click.argument("name_th")
@click.option("--name-en", default="")
@click.option("--json", "as_json", is_flag=True)
def area_add_district(province_code: str, name_th: str, name_en: str, as_json: bool) -> None:
    """Add a district to a province; its code is the next free PROVINCE-NN."""
    from records import areas, audit
    a = _archive()
    if not name_th.strip():
        _fail("required", {"field": "name_th"}, as_json)
    with a.db.session() as s:
        try:
            d = areas.add_district(s, province_code, name_th.strip(), name_en.strip())
        except ValueError:
            _fail("bad_area", {"area": province_code}, as_json)
        out = {"id": d.id, "code": d.code, "name_th": d.name_th, "name_en": d.name_en,
               "province": province_code.strip().upper()}
    audit.record(a.db, "create", "area", out["code"], after=out)
    if as_json:
        _emit(out)
    else:
        click.echo(f"district {out['code']} {out['name_th']} added to {out['province']}")


# --- complaints -----------------------------------------------------------------------------

def _complaint_json(s, c, full: bool = False) -> dict:
    from records.citizen_id import masked
    out = {"id": c.id, "tracking_no": c.tracking_no, "status": c.status.value, "outcome": c.outcome,
           "area": c.area.code, "channel": c.channel, "category_id": c.category_id,
           "category": c.category.name_th, "received_at": c.received_at,
           "due_date": c.due_date, "overdue": c.overdue}
    if full:
        person = c.complainant
        out.update(subcategory_id=c.subcategory_id, subcategory_text=c.subcategory_text,
                   complainant={"citizen_id": masked(person.citizen_id), "name": person.name_th} if person else None,
                   phone=c.phone, respondent_kind=c.respondent_kind, respondent_name=c.respondent_name,
                   incident=[c.incident_province, c.incident_district, c.incident_subdistrict],
                   summary=c.summary, closed_at=c.closed_at,
                   duplicate_of=c.duplicate_of_id,
                   events=[{"from": e.from_status, "to": e.to_status, "at": e.at, "outcome": e.outcome,
                            "reason": e.reason, "user": e.user.name if e.user else None} for e in c.events],
                   documents=[{"document_id": d.document_id, "kind": d.kind, "position": d.position}
                              for d in c.documents])
    return out


@main.group()
def complaint() -> None:
    """Complaints: create, list, show, change status (acting as a user, with their area and role)."""


@complaint.command("create")
@click.option("--as", "as_cid", required=True, help="citizen ID of the acting user")
@click.option("--category-id", required=True, type=int)
@click.option("--subcategory-id", type=int, default=None)
@click.option("--subcategory-text", default="", help="the detail, required for เรื่องอื่นๆ")
@click.option("--phone", required=True, help="the complainant's phone (the follow-up key)")
@click.option("--citizen-id", default=None, help="the complainant's citizen ID")
@click.option("--prefix", default="", help="the complainant's title (นาย, นาง, ...)")
@click.option("--first-name", default="")
@click.option("--last-name", default="")
@click.option("--summary", default="")
@click.option("--channel", default="walk_in", show_default=True,
              type=click.Choice(["walk_in", "hotline_1567", "letter", "online", "mobile_unit", "other"]))
@click.option("--respondent-kind", default="", type=click.Choice(["", "person", "agency", "business"]))
@click.option("--respondent-name", default="")
@click.option("--province", "incident_province", default="", help="where it happened")
@click.option("--district", "incident_district", default="")
@click.option("--subdistrict", "incident_subdistrict", default="")
@click.option("--area", "area_code", default=None, help="the centre handling it (within the user's area)")
@click.option("--due", "due_date", default=None, help="due date (DD/MM/YYYY BE or YYYY-MM-DD)")
@click.option("--json", "as_json", is_flag=True)
def complaint_create(as_cid: str, as_json: bool, citizen_id, prefix: str, first_name: str, last_name: str,
                     **fields) -> None:
    """Open a complaint; prints its tracking number."""
    from records import complaints
    a = _archive()
    actor = _actor(a, as_cid, as_json)
    data = {k: v for k, v in fields.items() if v not in (None, "")}
    if citizen_id:
        data.update(citizen_id=citizen_id, prefix_th=prefix, first_name_th=first_name, last_name_th=last_name)
    try:
        c = complaints.create(a.db, actor, data)
    except complaints.ComplaintError as e:
        _fail(e.code, e.params, as_json)
    if as_json:
        _emit({"id": c.id, "tracking_no": c.tracking_no, "status": c.status.value, "due_date": c.due_date})
    else:
        click.echo(f"{c.tracking_no} received (due {c.due_date})")


@complaint.command("list")
@click.option("--as", "as_cid", required=True, help="citizen ID of the acting user")
@click.option("--status", default=None,
              type=click.Choice(["received", "in_progress", "forwarded", "waiting_agency", "closed"]))
@click.option("--area", "area_code", default=None)
@click.option("--overdue", is_flag=True)
@click.option("--text", default=None, help="in the tracking number or the summary")
@click.option("--limit", default=50, show_default=True)
@click.option("--offset", default=0)
@click.option("--json", "as_json", is_flag=True)
def complaint_list(as_cid: str, status, area_code, overdue: bool, text, limit: int, offset: int,
                   as_json: bool) -> None:
    """The complaints the user may see, newest first."""
    from records import complaints
    a = _archive()
    actor = _actor(a, as_cid, as_json)
    with a.db.session() as s:
        total, rows = complaints.query(s, actor, status=status, area_code=area_code, overdue=overdue, text=text,
                                       limit=limit, offset=offset)
        out = [_complaint_json(s, c) for c in rows]
    if as_json:
        _emit({"total": total, "complaints": out})
        return
    click.echo(f"{total} complaints")
    for r in out:
        flag = "  OVERDUE" if r["overdue"] else ""
        click.echo(f"{r['tracking_no']}\t{r['status']}\t{r['area']}\t{r['category']}\t"
                   f"{r['received_at']:%Y-%m-%d}{flag}")


@complaint.command("show")
@click.argument("tracking_no")
@click.option("--as", "as_cid", required=True, help="citizen ID of the acting user")
@click.option("--json", "as_json", is_flag=True)
def complaint_show(tracking_no: str, as_cid: str, as_json: bool) -> None:
    """One complaint with its timeline (the complainant's ID masked)."""
    from records import complaints
    a = _archive()
    actor = _actor(a, as_cid, as_json)
    with a.db.session() as s:
        c = complaints.by_tracking_no(s, actor, tracking_no)
        if c is None:
            _fail("not_found", {"field": "complaint"}, as_json)
        out = _complaint_json(s, c, full=True)
    if as_json:
        _emit(out)
        return
    click.echo(f"{out['tracking_no']}  {out['status']}" + (f" ({out['outcome']})" if out["outcome"] else ""))
    click.echo(f"area {out['area']}, category {out['category']}"
               + (f" — {out['subcategory_text']}" if out["subcategory_text"] else ""))
    if out["complainant"]:
        click.echo(f"complainant {out['complainant']['name']} {out['complainant']['citizen_id']}")
    click.echo(f"received {out['received_at']:%Y-%m-%d %H:%M} UTC, due {out['due_date']}")
    if out["summary"]:
        click.echo(f"summary: {out['summary']}")
    for e in out["events"]:
        line = f"  {e['at']:%Y-%m-%d %H:%M}  {e['from'] or '-'} → {e['to']}"
        if e["outcome"]:
            line += f" ({e['outcome']})"
        if e["reason"]:
            line += f": {e['reason']}"
        click.echo(line)


@complaint.command("status")
@click.argument("tracking_no")
@click.argument("to_status")
@click.option("--as", "as_cid", required=True, help="citizen ID of the acting user")
@click.option("--reason", default="")
@click.option("--outcome", default=None, help="when closing: resolved, not_within_jurisdiction, withdrawn, duplicate")
@click.option("--to-area", default=None, help="when forwarding: the centre's area code")
@click.option("--duplicate-of", default=None, help="when closing as duplicate: the other tracking number")
@click.option("--json", "as_json", is_flag=True)
def complaint_status(tracking_no: str, to_status: str, as_cid: str, reason: str, outcome, to_area, duplicate_of,
                     as_json: bool) -> None:
    """Move a complaint to TO_STATUS (in_progress, forwarded, waiting_agency, closed)."""
    from records import complaints
    a = _archive()
    actor = _actor(a, as_cid, as_json)
    with a.db.session() as s:
        c = complaints.by_tracking_no(s, actor, tracking_no)
        cid = c.id if c is not None else None
    if cid is None:
        _fail("not_found", {"field": "complaint"}, as_json)
    try:
        complaints.transition(a.db, actor, cid, to_status, reason=reason, outcome=outcome, to_area_code=to_area,
                              duplicate_of=duplicate_of)
    except complaints.ComplaintError as e:
        _fail(e.code, e.params, as_json)
    with a.db.session() as s:
        c = complaints.by_tracking_no(s, actor, tracking_no)
        out = {"tracking_no": tracking_no.strip().upper(), "status": to_status,
               "outcome": c.outcome if c is not None else outcome,
               "area": c.area.code if c is not None else to_area}
    if as_json:
        _emit(out)
    else:
        click.echo(f"{out['tracking_no']}: {out['status']}" + (f" ({out['outcome']})" if out["outcome"] else ""))


# --- the audit log --------------------------------------------------------------------------

@main.group("audit")
def audit_group() -> None:
    """The append-only, hash-chained audit log."""


@audit_group.command("verify")
@click.option("--anchor", default=None, metavar="ID:HASH", help="an entry noted from an earlier run that must still be there")
@click.option("--json", "as_json", is_flag=True)
def audit_verify(as_json: bool, anchor) -> None:
    """Check the hash chain; exits 1 at the first entry changed, removed or out of place. Prints
    the newest entry as ID:HASH: keep it outside the archive (the nightly job's journal does) and
    pass it back with --anchor to catch the newest entries being cut off."""
    from records.audit import verify_chain
    a = _archive()
    rep = verify_chain(a.db, anchor)
    if as_json:
        _emit({"ok": rep.ok, "entries": rep.entries, "first_broken": rep.first_broken, "problem": rep.problem,
               "anchor": rep.anchor})
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
    a = _archive()
    q = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if obj:
        kind, sep, ident = obj.partition(":")
        if not sep:
            raise click.BadParameter("expected TYPE:ID", param_hint="--object")
        q = q.where(AuditEntry.object_type == kind, AuditEntry.object_id == ident)
    if action:
        q = q.where(AuditEntry.action == action)
    with a.db.session() as s:
        rows = [{"id": e.id, "at": e.at, "user_id": e.user_id, "user": e.user_name, "action": e.action,
                 "object_type": e.object_type, "object_id": e.object_id, "before": e.before, "after": e.after}
                for e in reversed(list(s.scalars(q)))]
    if as_json:
        _emit({"entries": rows})
        return
    for r in rows:
        click.echo(f"{r['id']}\t{r['at']}\t{r['user'] or '-'}\t{r['action']}\t{r['object_type']}:{r['object_id']}")

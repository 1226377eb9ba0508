"""`damrong complaint`: create, list, show and move complaints along their lifecycle, acting as a
user (`--as`) with that user's role and area. Every change goes through records.complaints,
which writes the audit log in the same transaction."""

from __future__ import annotations

import click

from cli.app import acting_user, emit, fail, main, open_archive


def _complaint_json(s, c, full: bool = False) -> dict:
    from thai.citizen_id import masked

    out = {
        "id": c.id,
        "tracking_no": c.tracking_no,
        "status": c.status.value,
        "outcome": c.outcome,
        "area": c.area.code,
        "channel": c.channel,
        "category_id": c.category_id,
        "category": c.category.name_th,
        "received_at": c.received_at,
        "due_date": c.due_date,
        "overdue": c.overdue,
    }
    if full:
        person = c.complainant
        out.update(
            subcategory_id=c.subcategory_id,
            subcategory_text=c.subcategory_text,
            complainant={"citizen_id": masked(person.citizen_id), "name": person.name_th} if person else None,
            phone=c.phone,
            respondent_kind=c.respondent_kind,
            respondent_name=c.respondent_name,
            incident=[c.incident_province, c.incident_district, c.incident_subdistrict],
            summary=c.summary,
            closed_at=c.closed_at,
            duplicate_of=c.duplicate_of_id,
            events=[
                {
                    "from": e.from_status,
                    "to": e.to_status,
                    "at": e.at,
                    "outcome": e.outcome,
                    "reason": e.reason,
                    "user": e.user.name if e.user else None,
                }
                for e in c.events
            ],
            documents=[{"document_id": d.document_id, "kind": d.kind, "position": d.position} for d in c.documents],
        )
    return out


def complaint_id_of(a, actor, tracking_no: str, as_json: bool) -> int:
    """The id of the complaint TRACKING_NO, if the acting user may see it; else the command
    fails with not_found (a complaint outside the user's area answers like a missing one)."""
    from records import complaints

    with a.db.session() as s:
        c = complaints.by_tracking_no(s, actor, tracking_no)
        if c is None:
            fail("not_found", {"field": "complaint"}, as_json)
        return c.id


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
@click.option(
    "--channel",
    default="walk_in",
    show_default=True,
    type=click.Choice(["walk_in", "hotline_1567", "letter", "online", "mobile_unit", "other"]),
)
@click.option("--respondent-kind", default="", type=click.Choice(["", "person", "agency", "business"]))
@click.option("--respondent-name", default="")
@click.option("--province", "incident_province", default="", help="where it happened")
@click.option("--district", "incident_district", default="")
@click.option("--subdistrict", "incident_subdistrict", default="")
@click.option("--area", "area_code", default=None, help="the centre handling it (within the user's area)")
@click.option("--due", "due_date", default=None, help="due date (DD/MM/YYYY BE or YYYY-MM-DD)")
@click.option("--json", "as_json", is_flag=True)
def complaint_create(
    as_cid: str, as_json: bool, citizen_id, prefix: str, first_name: str, last_name: str, **fields
) -> None:
    """Open a complaint; prints its tracking number."""
    from records import complaints

    a = open_archive()
    actor = acting_user(a, as_cid, as_json)
    data = {k: v for k, v in fields.items() if v not in (None, "")}
    if citizen_id:
        data.update(citizen_id=citizen_id, prefix_th=prefix, first_name_th=first_name, last_name_th=last_name)
    try:
        c = complaints.create(a.db, actor, data)
    except complaints.ComplaintError as e:
        fail(e.code, e.params, as_json)
    if as_json:
        emit({"id": c.id, "tracking_no": c.tracking_no, "status": c.status.value, "due_date": c.due_date})
    else:
        click.echo(f"{c.tracking_no} received (due {c.due_date})")


@complaint.command("check")
@click.option("--as", "as_cid", required=True, help="citizen ID of the acting user")
@click.option("--of", "tracking_no", default=None, help="check a complaint already held (its tracking number)")
@click.option("--citizen-id", default="", help="the complainant's citizen ID")
@click.option("--respondent-name", default="", help="whom the complaint is about")
@click.option("--summary", default="", help="the complaint's summary or the petition's text")
@click.option("--category-id", type=int, default=None)
@click.option("--province", default="", help="where it happened")
@click.option("--district", default="")
@click.option("--subdistrict", default="")
@click.option("--lat", "latitude", type=float, default=None)
@click.option("--lon", "longitude", type=float, default=None)
@click.option("--limit", default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def complaint_check(as_cid: str, tracking_no: str | None, limit: int, as_json: bool, **probe) -> None:
    """Possible duplicates anywhere in the country, best first, with their score and reasons;
    another area's only by their metadata (audited)."""
    from records import complaints, duplicates

    a = open_archive()
    actor = acting_user(a, as_cid, as_json)
    if tracking_no:
        with a.db.session() as s:
            c = complaints.by_tracking_no(s, actor, tracking_no)
            if c is None:
                fail("not_found", {"field": "complaint"}, as_json)
            p = duplicates.Probe.of_complaint(c)
    else:
        p = duplicates.Probe(**{k: v for k, v in probe.items() if v not in (None, "")})
    found = duplicates.lookup(a.db, actor, p, limit=max(1, min(limit, 50)), about=tracking_no or "")
    if as_json:
        emit({"candidates": found})
        return
    for cand in found:
        reasons = ", ".join(cand["reasons"])
        click.echo(f"{cand['tracking_no']}  {cand['score']:.2f}  {cand['area']}  {cand['status']}  {reasons}")


@complaint.command("list")
@click.option("--as", "as_cid", required=True, help="citizen ID of the acting user")
@click.option(
    "--status", default=None, type=click.Choice(["received", "in_progress", "forwarded", "waiting_agency", "closed"])
)
@click.option("--area", "area_code", default=None)
@click.option("--overdue", is_flag=True)
@click.option("--text", default=None, help="in the tracking number or the summary")
@click.option("--limit", default=50, show_default=True)
@click.option("--offset", default=0)
@click.option("--json", "as_json", is_flag=True)
def complaint_list(as_cid: str, status, area_code, overdue: bool, text, limit: int, offset: int, as_json: bool) -> None:
    """The complaints the user may see, newest first."""
    from records import complaints

    a = open_archive()
    actor = acting_user(a, as_cid, as_json)
    with a.db.session() as s:
        total, rows = complaints.query(
            s, actor, status=status, area_code=area_code, overdue=overdue, text=text, limit=limit, offset=offset
        )
        out = [_complaint_json(s, c) for c in rows]
    if as_json:
        emit({"total": total, "complaints": out})
        return
    click.echo(f"{total} complaints")
    for r in out:
        flag = "  OVERDUE" if r["overdue"] else ""
        click.echo(
            f"{r['tracking_no']}\t{r['status']}\t{r['area']}\t{r['category']}\t{r['received_at']:%Y-%m-%d}{flag}"
        )


@complaint.command("show")
@click.argument("tracking_no")
@click.option("--as", "as_cid", required=True, help="citizen ID of the acting user")
@click.option("--json", "as_json", is_flag=True)
def complaint_show(tracking_no: str, as_cid: str, as_json: bool) -> None:
    """One complaint with its timeline (the complainant's ID masked)."""
    from records import complaints

    a = open_archive()
    actor = acting_user(a, as_cid, as_json)
    with a.db.session() as s:
        c = complaints.by_tracking_no(s, actor, tracking_no)
        if c is None:
            fail("not_found", {"field": "complaint"}, as_json)
        out = _complaint_json(s, c, full=True)
    if as_json:
        emit(out)
        return
    click.echo(f"{out['tracking_no']}  {out['status']}" + (f" ({out['outcome']})" if out["outcome"] else ""))
    click.echo(
        f"area {out['area']}, category {out['category']}"
        + (f" — {out['subcategory_text']}" if out["subcategory_text"] else "")
    )
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
def complaint_status(
    tracking_no: str, to_status: str, as_cid: str, reason: str, outcome, to_area, duplicate_of, as_json: bool
) -> None:
    """Move a complaint to TO_STATUS (in_progress, forwarded, waiting_agency, closed)."""
    from records import complaints

    a = open_archive()
    actor = acting_user(a, as_cid, as_json)
    cid = complaint_id_of(a, actor, tracking_no, as_json)
    try:
        complaints.transition(
            a.db, actor, cid, to_status, reason=reason, outcome=outcome, to_area_code=to_area, duplicate_of=duplicate_of
        )
    except complaints.ComplaintError as e:
        fail(e.code, e.params, as_json)
    with a.db.session() as s:
        c = complaints.by_tracking_no(s, actor, tracking_no)
        out = {
            "tracking_no": tracking_no.strip().upper(),
            "status": to_status,
            "outcome": c.outcome if c is not None else outcome,
            "area": c.area.code if c is not None else to_area,
        }
    if as_json:
        emit(out)
    else:
        click.echo(f"{out['tracking_no']}: {out['status']}" + (f" ({out['outcome']})" if out["outcome"] else ""))


@complaint.command("assign")
@click.argument("tracking_no")
@click.option("--team", required=True, help="the sub-district's area code (KKN-01-02), or '' to take it back")
@click.option("--as", "as_cid", required=True, help="citizen ID of the acting user")
@click.option("--json", "as_json", is_flag=True)
def complaint_assign(tracking_no: str, team: str, as_cid: str, as_json: bool) -> None:
    """Give a complaint to a sub-district's field team (ชุดปฏิบัติการตำบล)."""
    from records import field_work

    a = open_archive()
    actor = acting_user(a, as_cid, as_json)
    cid = complaint_id_of(a, actor, tracking_no, as_json)
    try:
        area = field_work.assign(a.db, actor, cid, team)
    except field_work.FieldError as e:
        fail(e.code, e.params, as_json)
    out = {"tracking_no": tracking_no.strip().upper(), "team": area.code if area else None}
    if as_json:
        emit(out)
    else:
        click.echo(f"{out['tracking_no']}: team {out['team'] or '-'}")

"""`damrong export-case`: a complaint's case file as a BagIt bag (folder or zip) for auditors."""
from __future__ import annotations

from pathlib import Path

import click

from cli.main import _archive, _emit, main


@main.command("export-case")
@click.argument("tracking_no")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="a folder to create, or FILE.zip")
@click.option("--as", "as_user", required=True, help="citizen ID of the user exporting (their area rules apply)")
@click.option("--json", "as_json", is_flag=True)
def export_case(tracking_no: str, out: Path, as_user: str, as_json: bool) -> None:
    """Export a complaint's case file: originals, archival PDFs, OCR text, record, audit trail,
    summary PDF, with SHA-256 manifests (validates with `bagit.py --validate`)."""
    from sqlalchemy import select

    from ingest.errors import render
    from records import users
    from records.case_file import export
    from records.complaints import ComplaintError
    from records.models import User
    a = _archive()
    with a.db.session() as s:
        uid = s.scalar(select(User.id).where(User.citizen_id == users._digits(as_user)))
    user = users.get(a.db, uid) if uid else None
    if user is None or not user.active:
        raise click.ClickException(f"no active user {as_user}")
    try:
        path = export(a, user, tracking_no, out)
    except ComplaintError as e:
        raise click.ClickException(f"{render(e.code, e.params, 'th')} / {e}")
    if as_json:
        _emit({"tracking_no": tracking_no.upper(), "path": str(path)})
    else:
        click.echo(f"case file of {tracking_no.upper()} written to {path}")

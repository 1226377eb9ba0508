"""`damrong export-case`: a complaint's case file as a BagIt bag (folder or zip) for auditors."""

from __future__ import annotations

from pathlib import Path

import click

from cli.app import acting_user, emit, fail, main, open_archive


@main.command("export-case")
@click.argument("tracking_no")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="a folder to create, or FILE.zip")
@click.option("--as", "as_user", required=True, help="citizen ID of the user exporting (their area rules apply)")
@click.option(
    "--lang", type=click.Choice(["th", "en"]), default=None, help="the summary PDF's language (default_language)"
)
@click.option("--json", "as_json", is_flag=True)
def export_case(tracking_no: str, out: Path, as_user: str, lang: str | None, as_json: bool) -> None:
    """Export a complaint's case file: originals, archival PDFs, OCR text, record, audit trail,
    summary PDF, with SHA-256 manifests (validates with `bagit.py --validate`)."""
    from records.case_file import export
    from records.complaints import ComplaintError

    a = open_archive()
    user = acting_user(a, as_user, as_json)
    try:
        path = export(a, user, tracking_no, out, lang=lang or a.settings.default_language)
    except ComplaintError as e:
        fail(e.code, e.params, as_json)
    if as_json:
        emit({"tracking_no": tracking_no.upper(), "path": str(path)})
    else:
        click.echo(f"case file of {tracking_no.upper()} written to {path}")

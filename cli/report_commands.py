"""`damrong report monthly`: a month-end report (records.monthly_report) issued and written as
PDF, XLSX or CSV (records.report_files), acting as a user; the month's report already issued is
written again as it was (the same version), `--reissue` makes a new version. `damrong stats warm`:
the central and provincial dashboards counted again for records.stats_cache."""

from __future__ import annotations

from pathlib import Path

import click

from cli.app import acting_user, emit, fail, main, open_archive


@main.group()
def report() -> None:
    """Month-end reports."""


@report.command("monthly")
@click.argument("period")
@click.option("--as", "as_cid", required=True, help="citizen ID of the officer or administrator issuing it")
@click.option("--area", "area_code", default="", help="the area (default: the user's own); every level under it")
@click.option("--format", "fmt", type=click.Choice(["pdf", "xlsx", "csv"]), default="pdf")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="the file, or a folder for it")
@click.option("--lang", type=click.Choice(["th", "en"]), default="th")
@click.option("--reissue", is_flag=True, help="issue a new version even when the month has one")
@click.option("--json", "as_json", is_flag=True)
def monthly(
    period: str, as_cid: str, area_code: str, fmt: str, out: Path, lang: str, reissue: bool, as_json: bool
) -> None:
    """The report of PERIOD (2569-11, 11/2569, 2026-11, or `previous`: last month)."""
    from records import monthly_report, report_files, statistics
    from thai.dates import parse_month

    a = open_archive()
    user = acting_user(a, as_cid, as_json)
    try:
        first = monthly_report.previous_month() if period == "previous" else parse_month(period)
    except ValueError:
        fail("bad_month", None, as_json)
    r, issued = None, False
    if not reissue:
        with a.db.session() as s:
            try:
                area = statistics.area_of(s, user, area_code)
            except statistics.StatsError as e:
                fail(e.code, e.params, as_json)
            r = monthly_report.latest(s, user, first, area)
            if r is not None:
                _ = r.area
                s.expunge(r)
    if r is None:
        try:
            r = monthly_report.issue(a.db, user, first, area_code, target=a.settings.kpi_closed_target)
        except monthly_report.ReportError as e:
            fail(e.code, e.params, as_json)
        issued = True
    target = out / report_files.file_name(r, fmt) if out.is_dir() else out
    tmp = target.with_name(target.name + ".part")
    tmp.write_bytes(report_files.render(r, fmt, lang))
    tmp.replace(target)
    total = r.figures["total"]
    if as_json:
        emit(
            {
                "id": r.id,
                "period": r.period,
                "area": r.figures["area"]["code"],
                "version": r.version,
                "issued": issued,
                "sha256": r.sha256,
                "format": fmt,
                "out": str(target),
                "total": {k: total[k] for k in (*report_files.COLUMNS, "by_status")},
            }
        )
    else:
        click.echo(f"report {r.figures['area']['code']} {r.period} version {r.version} written to {target}")


@main.group("stats")
def stats_group() -> None:
    """The dashboard's figures."""


@stats_group.command("warm")
@click.option("--json", "as_json", is_flag=True)
def stats_warm(as_json: bool) -> None:
    """Count the central and every province's dashboard again and keep them (stats_cache_s)."""
    from records import stats_cache

    a = open_archive()
    done = stats_cache.warm(a.db, a.settings.kpi_closed_target)
    if as_json:
        emit({"areas": done, "ms": sum(x["ms"] for x in done)})
    else:
        click.echo(f"{len(done)} dashboards counted in {sum(x['ms'] for x in done) / 1000:.1f} s")

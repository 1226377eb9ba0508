"""`damrong card` (the Thai national ID card through PC/SC) and `damrong station` (a counter PC
sending its card reads to a remote server)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.app import emit, main


@main.group()
def card() -> None:
    """The Thai national ID card reader (PC/SC)."""


@card.command("readers")
@click.option("--json", "as_json", is_flag=True)
def card_readers(as_json: bool) -> None:
    """List the card readers PC/SC knows."""
    from scanner.card_reader import list_readers

    names = list_readers()
    if as_json:
        emit({"readers": names})
    else:
        click.echo("\n".join(names) if names else "no card reader found")


@card.command("read")
@click.option("--reader", default=None, help="reader name (or part of it); default: the first holding a card")
@click.option("--no-photo", is_flag=True, help="skip the photo (faster)")
@click.option("--json", "as_json", is_flag=True)
def card_read(reader, no_photo: bool, as_json: bool) -> None:
    """Read the ID card. The full ID number is printed here for the operator, never logged."""
    from scanner.card_reader import read
    from scanner.thai_id import CardError
    from thai.citizen_id import formatted

    try:
        data = read(reader, with_photo=not no_photo)
    except CardError as e:
        if as_json:
            emit({"error": e.code, "message": e.message("en"), "message_th": e.message("th")})
            sys.exit(1)
        raise click.ClickException(f"{e.message('th')} / {e.message('en')}") from e
    if as_json:
        emit(data.as_json())
    else:
        click.echo(
            f"{formatted(data.citizen_id)}  {data.prefix_th}{data.first_name_th} {data.last_name_th}"
            f"  ({data.first_name_en} {data.last_name_en})"
        )
        if not data.checksum_ok:
            click.echo("WARNING: the ID number's check digit is wrong")
        if data.expired:
            click.echo(f"WARNING: the card expired on {data.expiry_date}")
    sys.exit(0 if data.checksum_ok else 2)


@main.command()
@click.option("--server", required=True, help="the web server, e.g. http://10.0.0.5:8080")
@click.option("--name", "station", required=True, help="this counter's name, as in /counter?station=NAME")
@click.option("--reader", default=None)
@click.option("--once", is_flag=True, help="wait for one card, send it, and stop")
@click.option(
    "--token",
    envvar="DAMRONG_TOKEN",
    required=True,
    help="API token of a counter user (`damrong token create`), or DAMRONG_TOKEN",
)
@click.option(
    "--scanner", "device", default=None, help="this PC's scanner (`damrong devices`): scan what /scan?station=NAME asks"
)
@click.option("--no-card", is_flag=True, help="no card reader at this counter (scanning only)")
@click.option(
    "--spool",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="where scanned pages wait until the server has them (default ~/.damrong-station/NAME)",
)
def station(server: str, station: str, reader, once: bool, token: str, device, no_card: bool, spool) -> None:
    """Counter station: send ID-card reads from this PC's reader to a remote server and, with
    --scanner, scan on this PC's scanner for the server's scan page, page by page; pages wait
    on this PC until the server has them (a dropped link loses nothing)."""
    from scanner.station import run
    from scanner.station_scan import ScanStation

    scan = None
    if device:
        folder = spool or Path.home() / ".damrong-station" / station
        scan = ScanStation(server, station, device, folder, token=token, echo=click.echo)
        click.echo(f"counter station {station}: scanning on {device} for {server} (pages wait in {folder})")
    if not no_card:
        click.echo(f"counter station {station}: watching the card reader, sending to {server}")
    try:
        run(server, station, reader=reader, once=once, token=token, echo=click.echo, scan=scan, cards=not no_card)
    except PermissionError as e:
        raise click.ClickException(str(e)) from e

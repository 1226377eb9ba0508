"""The counter station: for a web server that runs elsewhere (a provincial server), a small
process on the counter PC watches the local card reader and posts each card read to the
server (`POST /api/v1/stations/NAME/card`); the counter page opened with `?station=NAME`
picks it up. With a scanner (scanner.station_scan) it also scans what the scan page opened with
`?station=NAME` asks for and sends the pages. The embedded single-machine setup reads the card
and drives the scanner directly and needs no station."""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request

from scanner.card_reader import card_present, read
from scanner.thai_id import CardError
from thai.citizen_id import masked

log = logging.getLogger(__name__)


def call_server(
    server: str,
    method: str,
    path: str,
    token: str | None = None,
    body: bytes | None = None,
    ctype: str = "application/json",
    timeout: float = 10,
) -> bytes:
    """One request of a station to its server (bearer token); the answer's body. HTTP errors
    are raised as urllib's HTTPError."""
    headers = {"Content-Type": ctype, **({"Authorization": f"Bearer {token}"} if token else {})}
    req = urllib.request.Request(f"{server.rstrip('/')}{path}", data=body, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return bytes(r.read())


def token_refused(code: int) -> PermissionError:
    """What a station stops with when the server refuses its token."""
    return PermissionError(
        f"the server refused this station's token (HTTP {code}): "
        "create one for a counter user with `damrong token create`"
    )


def post_read(server: str, station: str, payload: dict, token: str | None = None, timeout: float = 10) -> None:
    call_server(
        server, "POST", f"/api/v1/stations/{station}/card", token, json.dumps(payload).encode(), timeout=timeout
    )


def run(
    server: str,
    station: str,
    reader: str | None = None,
    once: bool = False,
    interval: float = 1.0,
    token: str | None = None,
    echo=print,
    scan=None,
    cards: bool = True,
) -> None:
    """Watch the reader; on every card insertion read it and post it. `once`: one read, then stop.
    `scan` (a station_scan.ScanStation): its turn is taken every interval too. `cards=False`: no
    card reader at this counter."""
    was_present = False
    while True:
        if scan is not None:
            scan.turn()
        if not cards:
            time.sleep(interval)
            continue
        present = card_present(reader)
        if present and not was_present:
            try:
                data = read(reader)
                post_read(server, station, data.as_json(), token)
                echo(f"sent {masked(data.citizen_id)} to {server} ({station})")
            except CardError as e:
                echo(f"{e.message('th')} / {e.message('en')}")
            except urllib.error.HTTPError as e:
                if e.code in (401, 403):
                    raise token_refused(e.code) from None
                echo(f"server {server} answered HTTP {e.code}")
                present = False
            except (urllib.error.URLError, OSError) as e:
                echo(f"server {server} unreachable: {e}")
                present = False  # try again on the next turn
            if once:
                return
        was_present = present
        time.sleep(interval)

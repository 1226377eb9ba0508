"""The counter station's scanner: `damrong station --scanner DEVICE` asks the server what the
scan page (`/scan?station=NAME`) wants scanned, drives this PC's scanner through the same SANE
code as everywhere (scanner.sane_device), and sends the pages to the server one by one.

Nothing is lost on the way: each page is written to the spool folder on this PC (fsync'd, then
renamed into place) before it is sent, and deleted only when the server has answered that it
stored it. The sender and the scanner run side by side: a dropped link (district Wi-Fi) or a
server restart only delays the sending; the station tries again every turn, the server takes a
page sent twice once (pages carry their position), and a station restarted itself sends what its
spool still holds before anything else. The scan runs in a child process (a scanner driver can
leave its process unusable — scanner.scan_job); it writes `end.json` when the scan ends.

Spool layout: SPOOL/<batch id>/request.json, 0001.png, 0002.png, …, end.json."""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import os
import shutil
import urllib.error
from pathlib import Path
from typing import Any

from scanner.station import call_server, token_refused

log = logging.getLogger(__name__)


class ServerRefused(Exception):
    """The server said no for good (a 4xx other than a conflict): the token, the batch."""


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.part")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def scan_to_spool(folder: str, device: str, request: dict[str, Any]) -> None:
    """The child process: scan with the batch's settings into `folder`, a page file each, then
    `end.json` with the fault that stopped it (or none)."""
    import io

    from scanner.sane_device import Device, ScanFault, start, stop

    out = Path(folder)
    position = int(request.get("next_position", 1))
    end: dict[str, Any] = {"error_code": None, "error_params": {}}
    start()
    try:
        dev = Device(device)
        dpi = dev.configure(request["source"], request["resolution"], request["mode"], request.get("options") or {})
        for image in dev.pages():
            buf = io.BytesIO()
            image.save(buf, "PNG", dpi=(dpi, dpi), compress_level=1)
            _write_atomically(out / f"{position:04d}.png", buf.getvalue())
            position += 1
    except ScanFault as e:
        end = {"error_code": e.code, "error_params": e.params}
    except Exception as e:  # the driver failed in a way it does not name
        log.exception("station scan failed")
        end = {"error_code": "scan_stopped", "error_params": {}, "detail": f"{type(e).__name__}: {e}"[:200]}
    _write_atomically(out / "end.json", json.dumps(end).encode())
    try:
        stop()
    finally:
        os._exit(0)  # never wait on a driver that keeps its threads (scanner.scan_job)


class ScanStation:
    """One station's scanning: `turn()` sends what the spool holds, ends finished scans, and
    starts the next scan the server asks for. Call it every second or so."""

    def __init__(self, server: str, station: str, device: str, spool: Path, token: str | None = None, echo=print):
        self.server, self.station, self.device, self.token, self.echo = server.rstrip("/"), station, device, token, echo
        self.spool = spool
        self.spool.mkdir(parents=True, exist_ok=True)
        self._child: multiprocessing.process.BaseProcess | None = None
        self._child_batch: int | None = None

    # --- talking to the server
    def _call(self, method: str, path: str, body: bytes | None = None, ctype: str = "application/json") -> Any:
        try:
            raw = call_server(self.server, method, path, self.token, body, ctype, timeout=30)
            return json.loads(raw) if raw else None
        except urllib.error.HTTPError as e:
            if e.code in (401, 403):
                raise token_refused(e.code) from None
            if e.code in (404, 422):
                raise ServerRefused(f"HTTP {e.code}: {e.read()[:200]!r}") from None
            raise

    def _base(self, batch_id: int) -> str:
        return f"/api/v1/stations/{self.station}/scan/{batch_id}"

    # --- one turn
    def turn(self) -> None:
        for folder in sorted(
            (p for p in self.spool.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name)
        ):
            try:
                self._send(folder)
            except (urllib.error.URLError, OSError, TimeoutError) as e:
                self.echo(f"server {self.server} unreachable ({e}); the pages wait on this PC")
                return
            except ServerRefused as e:
                self.echo(f"the server refused batch {folder.name} ({e}); its pages are kept in {folder}")
                (folder / "refused").write_text(str(e))
        if self._child is not None and not self._child.is_alive():
            self._child.join()
            self._child = None
        if self._child is None and not self._pending():
            with contextlib.suppress(urllib.error.URLError, OSError, TimeoutError):
                self._start_next()  # no server now: asked again at the next turn

    def _pending(self) -> bool:
        return any(p.is_dir() and p.name.isdigit() and not (p / "refused").exists() for p in self.spool.iterdir())

    def _send(self, folder: Path) -> None:
        """Send the folder's pages in order; when its scan has ended and every page is in, tell the
        server and forget the folder."""
        if (folder / "refused").exists():
            return
        batch_id = int(folder.name)
        for page in sorted(folder.glob("[0-9][0-9][0-9][0-9].png")):
            try:
                self._call("PUT", f"{self._base(batch_id)}/pages/{int(page.stem)}", page.read_bytes(), "image/png")
            except urllib.error.HTTPError as e:
                if e.code != 409:  # a 5xx: try again next turn
                    raise
                raise ServerRefused(f"HTTP 409: {e.read()[:200]!r}") from None
            page.unlink()  # the server has it
            self.echo(f"batch {batch_id}: page {int(page.stem)} sent")
        running_here = self._child is not None and self._child_batch == batch_id and self._child.is_alive()
        end_file = folder / "end.json"
        if running_here:
            return
        if end_file.exists():
            end = json.loads(end_file.read_text())
        else:  # the station stopped mid-scan (a restart): the clerk continues or files the batch
            end = {"error_code": "scan_stopped", "error_params": {}}
        if any(folder.glob("[0-9][0-9][0-9][0-9].png")):
            return  # pages written after the listing above: sent next turn
        self._call("POST", f"{self._base(batch_id)}/end", json.dumps(end).encode())
        shutil.rmtree(folder)
        self.echo(f"batch {batch_id}: scan ended ({end.get('error_code') or 'finished'})")

    def _start_next(self) -> None:
        req = self._call("GET", f"/api/v1/stations/{self.station}/scan")
        if not req:
            return
        batch_id = int(req["batch_id"])
        folder = self.spool / str(batch_id)
        folder.mkdir(exist_ok=True)
        _write_atomically(folder / "request.json", json.dumps(req).encode())
        self._call("POST", f"{self._base(batch_id)}/begin", b"{}")
        ctx = multiprocessing.get_context("spawn")
        self._child = ctx.Process(target=scan_to_spool, args=(str(folder), self.device, req), daemon=False)
        self._child_batch = batch_id
        self._child.start()
        self.echo(f"batch {batch_id}: scanning on {self.device} ({req['source']}, {req['resolution']} dpi)")

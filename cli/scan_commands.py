"""`damrong devices`, `damrong scan` and the scan process the web server starts (`scan-job`)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time

import click

from cli.app import emit, main, open_archive, process_and_report
from thai import messages


def _option_pairs(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{pair!r}: expected KEY=VALUE", param_hint="--option")
        out[key.strip()] = value
    return out


@main.command()
@click.option("--json", "as_json", is_flag=True)
def devices(as_json: bool) -> None:
    """List the scanners SANE (or WIA) can drive."""
    from scanner import sane_device

    sane_device.start()
    try:
        found = sane_device.list_devices()
    finally:
        sane_device.stop()
    if as_json:
        emit({"devices": [d.as_json() for d in found]})
        return
    for d in found:
        click.echo(f"{d.name}\t{d.vendor} {d.model} ({d.kind})\tsources: {', '.join(d.sources)}")
    if not found:
        click.echo("no scanners found")


@main.command()
@click.option("--device", help="scanner name as `damrong devices` lists it, e.g. pnm:0")
@click.option("--source", type=click.Choice(["flatbed", "feeder", "duplex"]), default="flatbed", show_default=True)
@click.option("--resolution", type=int, default=None, help="dpi (default: the scan_resolution setting, 300)")
@click.option("--mode", type=click.Choice(["gray", "color"]), default=None)
@click.option("--option", "options", multiple=True, metavar="KEY=VALUE", help="any further SANE option")
@click.option("--batch", "batch_id", type=int, default=None, help="continue this batch (after a jam)")
@click.option("--json", "as_json", is_flag=True, help="one JSON object per document, as `ingest` prints")
def scan(device, source: str, resolution, mode, options: tuple[str, ...], batch_id, as_json: bool) -> None:
    """Scan one page (flatbed) or a feeder batch, and file it as a document (several, where
    separator sheets divide the stack)."""
    from records.models import ScanBatch
    from scanner import batches

    a = open_archive(ocr=True)
    extra = _option_pairs(options)
    try:
        if batch_id is None:
            if not device:
                raise click.UsageError("--device is required for a new scan")
            batch_id = batches.create(a, device, source, resolution, mode, extra)
        else:
            with a.db.session() as s:
                b = s.get(ScanBatch, batch_id)
                if b is None:
                    raise click.UsageError(f"no batch {batch_id}")
                b.options = {**b.options, **extra}
                s.commit()
        state = _scan_in_child(a, batch_id)
        if state["state"] != "open":
            code, params = state["error_code"] or "scan_stopped", state["error_params"]
            msg_en, msg_th = messages.text(code, "en", params), messages.text(code, "th", params)
            if as_json:
                emit(
                    {
                        "batch_id": batch_id,
                        "state": state["state"],
                        "pages": len(state["pages"]),
                        "error_code": code,
                        "error": msg_en,
                        "error_th": msg_th,
                    }
                )
                sys.exit(1)
            raise click.ClickException(
                f"{msg_th} / {msg_en} — batch {batch_id} keeps its pages; "
                f"continue with: damrong scan --batch {batch_id}"
            )
        results = batches.file(a, batch_id)
    except batches.BatchError as e:
        raise click.ClickException(f"{e.message('th')} / {e}") from e
    process_and_report(a, results, as_json)


def _scan_in_child(a, batch_id: int) -> dict:
    """Run the scan in its own process (see scanner.scan_job) and report pages as they arrive;
    returns the batch once the scan has ended."""
    from scanner import batches, scan_job
    from scanner.scan_process import spawn

    proc = spawn(a, batch_id)
    shown = 0
    while True:
        ended = proc.poll() is not None
        state = batches.status(a, batch_id)  # a process gone without a word reads as interrupted
        for n in range(shown + 1, len(state["pages"]) + 1):
            click.echo(f"page {n}", err=True)
        shown = len(state["pages"])
        if ended or state["state"] != "scanning":
            break
        time.sleep(0.2)
    try:
        proc.wait(timeout=scan_job.RELEASE_WATCHDOG_S + 10)
    except subprocess.TimeoutExpired:
        proc.kill()
    return batches.status(a, batch_id)


@main.command("scan-job", hidden=True)
@click.argument("batch_id", type=int)
def scan_job_cmd(batch_id: int) -> None:
    """Run one scan into a batch (the web server starts this, one process per scan)."""
    from records.home import setup_logging
    from scanner import scan_job

    setup_logging(logging.INFO)
    _count, fault = scan_job.run(open_archive(), batch_id, watchdog=True)
    leave_at_once(0 if fault is None else 3)


def leave_at_once(code: int) -> None:
    """Exit without running exit handlers, once everything is recorded: after a fault, a driver
    that was cancelled mid-call (a lock left held, see scanner.scan_job) can hang them for good."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)

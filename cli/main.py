"""`damrong` — one entry point: init, serve, ingest, ocr, search, reindex, resume, verify, watch."""
from __future__ import annotations

import json
import logging
import os
import signal
import sys
import tempfile
import threading
from pathlib import Path

import click

from cli.dates import parse_date


def _archive():
    from records.home import Archive
    from ingest.ocr import limit_processes
    a = Archive()
    limit_processes(a.settings.ocr_workers)
    return a


def _emit(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, default=str))


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="log progress to stderr")
def main(verbose: bool) -> None:
    """Damrong Archive: capture, OCR, archive and search Thai documents."""
    from records.home import setup_logging
    setup_logging(logging.INFO if verbose else logging.WARNING)


@main.command()
def init() -> None:
    """Create (or upgrade) the home: database, object store, search index."""
    a = _archive()
    a.index  # creates the index
    click.echo(f"home ready: {a.settings.home}")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="one JSON object per document on stdout")
def ingest(files: tuple[Path, ...], as_json: bool) -> None:
    """Store, OCR and index files (PDF, TIFF, JPEG, PNG)."""
    from ingest.pipeline import intake
    a = _archive()
    results = [intake(a, f) for f in files]  # every original stored before any processing
    _process_and_report(a, results, as_json)


def _process_and_report(a, results, as_json: bool) -> None:
    """OCR the stored documents of `results` in parallel, index them, print one line (or JSON
    object) per document as `ingest` does, and exit 1 if any failed. `scan` reports the same way."""
    from concurrent.futures import ThreadPoolExecutor
    from ingest.pipeline import process
    todo = [r for r in results if r.document_id and r.state in ("pending", "processing")]
    with ThreadPoolExecutor(max_workers=a.settings.ocr_workers) as pool:
        done = dict(zip([r.document_id for r in todo], pool.map(lambda r: process(a, r.document_id), todo)))
    a.index.sync()
    failed = 0
    for r in results:
        doc = done.get(r.document_id)
        if doc is not None:
            r.state, r.error, r.page_count, r.error_code = doc.state.value, doc.error, doc.page_count, doc.error_code
        failed += r.state in ("failed", "rejected")
        out = r.as_json()
        if doc is not None:
            out["fields"] = doc.fields
        if as_json:
            _emit(out)
        else:
            msg = f"{r.filename}: {r.state}"
            if r.duplicate:
                msg += f" (already in the archive as document {r.document_id})"
            elif r.document_id:
                msg += f" (document {r.document_id}, {r.page_count} pages)"
            if r.error:
                msg += f" — {r.error}"
            click.echo(msg)
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
def ocr(file: Path, as_json: bool) -> None:
    """Read a file's text and fields without storing it."""
    from config import load_settings
    from ingest.fields import read_fields
    from ingest.ocr import limit_processes
    from ingest.reader import read_pages
    from ingest.sniff import UnsupportedFile, sniff
    settings = load_settings()
    limit_processes(settings.ocr_workers)
    try:
        with tempfile.TemporaryDirectory(prefix="damrong-ocr-") as tmp:
            pages = read_pages(file, sniff(file), settings, Path(tmp))
    except UnsupportedFile as e:
        raise click.ClickException(str(e))
    found = read_fields("\n\n".join(p.text for p in pages))
    out = {"pages": [{"number": p.number, "text": p.text, "confidence": p.confidence, "source": p.source}
                     for p in pages], "kind": found.kind, "fields": found.values,
           "field_confidence": found.confidence}
    if as_json:
        _emit(out)
    else:
        for p in pages:
            click.echo(f"--- page {p.number} ({p.source}) ---\n{p.text}")


@main.command()
@click.argument("query")
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", default=20, show_default=True)
@click.option("--offset", default=0)
@click.option("--from", "date_from", help="documents dated on or after (YYYY-MM-DD, BE or CE)")
@click.option("--to", "date_to", help="documents dated on or before")
@click.option("--order", type=click.Choice(["relevance", "newest"]), default="relevance")
def search(query: str, as_json: bool, limit: int, offset: int, date_from, date_to, order: str) -> None:
    """Full-text search (Thai words, names, ID and document numbers)."""
    from search.query import search as run
    a = _archive()
    try:
        res = run(a.index, query, limit=limit, offset=offset, date_from=parse_date(date_from),
                  date_to=parse_date(date_to), order=order)
    except ValueError as e:
        raise click.ClickException(str(e))
    if as_json:
        _emit({"total": res.total, "hits": [
            {"document_id": h.document_id, "filename": h.filename, "score": h.score, "tier": h.tier,
             "date": h.date, "snippet": h.snippet} for h in res.hits]})
    else:
        click.echo(f"{res.total} documents")
        for h in res.hits:
            click.echo(f"[{h.document_id}] {h.filename} ({h.tier}, {h.score})\n    {h.snippet}")


@main.command()
def reindex() -> None:
    """Rebuild the search index from the database."""
    a = _archive()
    n = a.index.rebuild(progress=lambda i, t: click.echo(f"\r{i}/{t}", nl=False, err=True))
    click.echo(f"\nindexed {n} documents")


@main.command()
def resume() -> None:
    """Finish documents a crash or restart left unprocessed."""
    from ingest.pipeline import resume as run
    a = _archive()
    ids = run(a)
    a.index.sync()
    click.echo(f"resumed {len(ids)} documents")


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.option("--fast", is_flag=True, help="check presence and size only, no re-hashing")
@click.option("--repair-index", is_flag=True, help="re-index missing or stale documents, drop unfiled ones")
def verify(as_json: bool, fast: bool, repair_index: bool) -> None:
    """Re-hash every stored original and archival PDF against its recorded SHA-256 and compare the
    search index with the database. Exits 1 when anything is wrong (index problems repaired by
    --repair-index no longer count)."""
    from records.verify import verify_archive
    a = _archive()

    def progress(i: int, n: int) -> None:
        if not as_json and (i % 200 == 0 or i == n):
            click.echo(f"\r{i}/{n} objects", nl=False, err=True)

    rep = verify_archive(a, fast=fast, repair_index=repair_index, progress=progress)
    remaining = [p for p in rep.problems if not (repair_index and p["object"] == "index")]
    if as_json:
        _emit(rep.as_json())
    else:
        click.echo(f"\nchecked {rep.objects_checked} objects ({rep.bytes_checked / 1e6:.1f} MB) for "
                   f"{rep.documents} documents in {rep.seconds:.1f} s")
        for p in rep.problems:
            click.echo(f"PROBLEM: {p}")
        if rep.repaired:
            click.echo(f"repaired {rep.repaired} index entries")
        click.echo("OK" if not remaining else f"{len(remaining)} problems")
    sys.exit(1 if remaining else 0)


@main.command("backup")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
def backup_cmd(dest: Path) -> None:
    """Snapshot the database and copy new objects to DEST (incremental; manifest written last)."""
    from records.backup import BackupError, backup
    a = _archive()
    try:
        r = backup(a, dest)
    except BackupError as e:
        raise click.ClickException(str(e))
    click.echo(f"backup in {dest}: {r.objects} objects ({r.copied} new, {r.bytes_copied / 1e6:.1f} MB copied)")


@main.command("restore")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore_cmd(src: Path) -> None:
    """Restore a backup into an empty home (DAMRONG_HOME) and rebuild the search index."""
    from config import load_settings
    from records.backup import BackupError, restore
    from records.home import Archive
    settings = load_settings()
    try:
        n = restore(settings, src)
    except BackupError as e:
        raise click.ClickException(str(e))
    a = Archive(settings)
    docs = a.index.rebuild()
    click.echo(f"restored {n} objects and {docs} documents into {settings.home}; search index rebuilt")


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
        _emit({"readers": names})
    else:
        click.echo("\n".join(names) if names else "no card reader found")


@card.command("read")
@click.option("--reader", default=None, help="reader name (or part of it); default: the first holding a card")
@click.option("--no-photo", is_flag=True, help="skip the photo (faster)")
@click.option("--json", "as_json", is_flag=True)
def card_read(reader, no_photo: bool, as_json: bool) -> None:
    """Read the ID card. The full ID number is printed here for the operator, never logged."""
    from records.citizen_id import formatted
    from scanner.card_reader import read
    from scanner.thai_id import CardError
    try:
        data = read(reader, with_photo=not no_photo)
    except CardError as e:
        if as_json:
            _emit({"error": e.code, "message": e.message("en"), "message_th": e.message("th")})
            sys.exit(1)
        raise click.ClickException(f"{e.message('th')} / {e.message('en')}")
    if as_json:
        _emit(data.as_json())
    else:
        click.echo(f"{formatted(data.citizen_id)}  {data.prefix_th}{data.first_name_th} {data.last_name_th}"
                   f"  ({data.first_name_en} {data.last_name_en})")
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
@click.option("--token", envvar="DAMRONG_TOKEN", required=True,
              help="API token of a counter user (`damrong token create`), or DAMRONG_TOKEN")
def station(server: str, station: str, reader, once: bool, token: str) -> None:
    """Counter station: send ID-card reads from this PC's reader to a remote server."""
    from scanner.station import run
    click.echo(f"counter station {station}: watching the card reader, sending to {server}")
    try:
        run(server, station, reader=reader, once=once, token=token, echo=click.echo)
    except PermissionError as e:
        raise click.ClickException(str(e))


def _stop_on_signals() -> threading.Event:
    """An event set by the first Ctrl-C or SIGTERM; a second one quits at once (safe: a file
    taken in but not yet moved is finished on the next start). The signals are blocked, not
    caught, so the Tesseract processes started from here inherit the block and a Ctrl-C at the
    terminal cannot kill the OCR under way."""
    signals = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    stop = threading.Event()

    def wait() -> None:
        signal.sigwait(signals)
        stop.set()
        click.echo("stopping after the current file (again to quit now)", err=True)
        signal.sigwait(signals)
        os._exit(130)

    threading.Thread(target=wait, name="signals", daemon=True).start()
    return stop


def _describe(r: dict) -> str:
    msg = f"{r['file']}: {r['state']}"
    if r["duplicate"]:
        msg += f" (already in the archive as document {r['document_id']})"
    elif r["state"] == "done":
        msg += f" (document {r['document_id']}, {r['pages']} pages)"
    if r["error"]:
        msg += f" — {r['error']}"
    return f"{msg} → {r['moved_to']}"


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--settle", default=2.0, show_default=True, help="seconds a file must stay unchanged before it is taken in")
@click.option("--once", is_flag=True, help="take in what the folder holds now, then stop")
@click.option("--json", "as_json", is_flag=True, help="one JSON object per file on stdout")
def watch(folder: Path, settle: float, once: bool, as_json: bool) -> None:
    """Scan-to-folder: ingest each file scanners write into FOLDER, then move it to FOLDER/done,
    or to FOLDER/failed with a .reason.txt. Ctrl-C or SIGTERM finishes the current file, then stops."""
    stop = _stop_on_signals()  # first: threads started later (OpenBLAS, OCR workers) inherit the block
    from ingest.watch import watch as run
    a = _archive()
    failed = 0

    def report(_path: Path, r: dict) -> None:
        nonlocal failed
        failed += r["state"] != "done"
        if as_json:
            _emit(r)
        else:
            click.echo(_describe(r))

    run(a, folder, settle_s=settle, once=once, stop=stop, on_result=report)
    sys.exit(1 if once and failed else 0)


@main.command()
@click.option("--host", default=None)
@click.option("--port", default=None, type=int)
def serve(host, port) -> None:
    """Serve the web UI."""
    from webui.app import create_app
    a = _archive()
    app = create_app(a)
    app.run(host=host or a.settings.host, port=port or a.settings.port, threaded=True, use_reloader=False)


from cli import scan_commands  # noqa: E402,F401  (devices, scan, scan-job)
from cli import admin_commands  # noqa: E402,F401  (user, token, area, complaint, audit)
from cli import case_commands  # noqa: E402,F401  (export-case)

if __name__ == "__main__":
    main()

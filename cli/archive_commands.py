"""`damrong init`, `ingest`, `ocr`, `search`, `reindex`, `resume`, `verify`, `backup`, `restore`,
`watch` and `serve`: the archive home, its documents and its search index."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from cli.app import acting_user, emit, main, open_archive, process_and_report, stop_on_signals
from thai.dates import parse_date


@main.command()
def init() -> None:
    """Create (or upgrade) the home: database, object store, search index."""
    from search.index import open_index

    a = open_archive()
    open_index(a)  # creates the index
    click.echo(f"home ready: {a.settings.home}")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="one JSON object per document on stdout")
@click.option("--as", "as_cid", default=None, help="citizen ID of the user filing: the document is their centre's")
def ingest(files: tuple[Path, ...], as_json: bool, as_cid: str | None) -> None:
    """Store, OCR and index files (PDF, TIFF, JPEG, PNG). With --as, each is filed for that user's
    centre (its own record, seen and searched there; the same bytes another centre filed are read
    once and that centre's filing stays unknown); without, for the central archive."""
    from ingest.pipeline import intake

    a = open_archive(ocr=True)
    user = acting_user(a, as_cid, as_json) if as_cid else None
    area_id = user.area_id if user else None
    results = [intake(a, f, area_id=area_id, user=user) for f in files]  # every original stored first
    process_and_report(a, results, as_json)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True)
def ocr(file: Path, as_json: bool) -> None:
    """Read a file's text and fields without storing it."""
    from config import load_settings
    from ingest.fields import read_fields
    from ingest.ocr import limit_processes
    from ingest.reader import pieces_of, read_pages
    from ingest.sniff import UnsupportedFile, sniff
    from records import category_model

    settings = load_settings()
    limit_processes(settings.ocr_workers)
    try:
        with tempfile.TemporaryDirectory(prefix="damrong-ocr-") as tmp:
            pages = read_pages(file, sniff(file), settings, Path(tmp))
    except UnsupportedFile as e:
        raise click.ClickException(str(e)) from e
    found = read_fields("\n\n".join(p.text for p in pages), pieces_of(pages))
    category_model.apply(settings.home, found.values, found.confidence, settings.category_min_probability)
    out = {
        "pages": [{"number": p.number, "text": p.text, "confidence": p.confidence, "source": p.source} for p in pages],
        "kind": found.kind,
        "fields": found.values,
        "field_confidence": found.confidence,
        "field_reading": found.reading,
    }
    if as_json:
        emit(out)
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
    from search.index import open_index
    from search.query import search as run
    from search.titles import name_hits

    a = open_archive()
    try:
        res = run(
            open_index(a),
            query,
            limit=limit,
            offset=offset,
            date_from=parse_date(date_from),
            date_to=parse_date(date_to),
            order=order,
        )
    except ValueError as e:
        raise click.ClickException(str(e)) from e
    with a.db.session() as s:
        name_hits(s, res.hits)
    if as_json:
        emit(
            {
                "total": res.total,
                "hits": [
                    {
                        "document_id": h.document_id,
                        "filename": h.filename,
                        "title": h.title,
                        "score": h.score,
                        "tier": h.tier,
                        "date": h.date,
                        "snippet": h.snippet,
                    }
                    for h in res.hits
                ],
            }
        )
    else:
        click.echo(f"{res.total} documents")
        for h in res.hits:
            named = h.filename if h.title == h.filename else f"{h.title} ({h.filename})"
            click.echo(f"[{h.document_id}] {named} ({h.tier}, {h.score})\n    {h.snippet}")


@main.command()
def reindex() -> None:
    """Rebuild the search index from the database."""
    from search.index import open_index

    a = open_archive()
    n = open_index(a).rebuild(progress=lambda i, t: click.echo(f"\r{i}/{t}", nl=False, err=True))
    click.echo(f"\nindexed {n} documents")


@main.command()
def resume() -> None:
    """Finish documents a crash or restart left unprocessed."""
    from ingest import jobs
    from ingest.pipeline import recover_store
    from search.index import open_index

    a = open_archive(ocr=True)
    recover_store(a)
    jobs.free_dead_claims(a)
    me, n = jobs.worker_name(), 0
    while jobs.run_next(a, me, a.settings.job_lease_s) is not None:  # not what a live worker holds
        n += 1
    open_index(a).sync()
    click.echo(f"resumed {n} documents")


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.option("--fast", is_flag=True, help="check presence and size only, no re-hashing")
@click.option("--repair-index", is_flag=True, help="re-index missing or stale documents, drop unfiled ones")
def verify(as_json: bool, fast: bool, repair_index: bool) -> None:
    """Re-hash every stored original and archival PDF against its recorded SHA-256 and compare the
    search index with the database. Exits 1 when anything is wrong (index problems repaired by
    --repair-index no longer count)."""
    import time

    from records.verify import verify_archive
    from search.index import open_index
    from search.index_check import check_index

    a = open_archive()

    def progress(i: int, n: int) -> None:
        if not as_json and (i % 200 == 0 or i == n):
            click.echo(f"\r{i}/{n} objects", nl=False, err=True)

    started = time.perf_counter()
    rep = verify_archive(a, fast=fast, progress=progress)
    index_problems, rep.repaired = check_index(open_index(a), repair=repair_index)
    rep.problems += index_problems
    rep.seconds = time.perf_counter() - started
    remaining = [p for p in rep.problems if not (repair_index and p["object"] == "index")]
    if as_json:
        emit(rep.as_json())
    else:
        click.echo(
            f"\nchecked {rep.objects_checked} objects ({rep.bytes_checked / 1e6:.1f} MB) for "
            f"{rep.documents} documents in {rep.seconds:.1f} s"
        )
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

    a = open_archive()
    try:
        r = backup(a, dest)
    except BackupError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"backup in {dest}: {r.objects} objects ({r.copied} new, {r.bytes_copied / 1e6:.1f} MB copied)")


@main.command("restore")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore_cmd(src: Path) -> None:
    """Restore a backup into an empty home (DAMRONG_HOME) and rebuild the search index."""
    from config import load_settings
    from records.backup import BackupError, restore
    from records.home import Archive
    from search.index import open_index

    settings = load_settings()
    try:
        n = restore(settings, src)
    except BackupError as e:
        raise click.ClickException(str(e)) from e
    a = Archive(settings)
    docs = open_index(a).rebuild()
    click.echo(f"restored {n} objects and {docs} documents into {settings.home}; search index rebuilt")


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
@click.option(
    "--settle", default=2.0, show_default=True, help="seconds a file must stay unchanged before it is taken in"
)
@click.option("--once", is_flag=True, help="take in what the folder holds now, then stop")
@click.option("--json", "as_json", is_flag=True, help="one JSON object per file on stdout")
def watch(folder: Path, settle: float, once: bool, as_json: bool) -> None:
    """Scan-to-folder: ingest each file scanners write into FOLDER, then move it to FOLDER/done,
    or to FOLDER/failed with a .reason.txt. Ctrl-C or SIGTERM finishes the current file, then stops."""
    stop = stop_on_signals()  # first: threads started later (OpenBLAS, OCR workers) inherit the block
    from scanner.watch_folder import watch as run

    a = open_archive(ocr=True)
    failed = 0

    def report(_path: Path, r: dict) -> None:
        nonlocal failed
        failed += r["state"] != "done"
        if as_json:
            emit(r)
        else:
            click.echo(_describe(r))

    run(a, folder, settle_s=settle, once=once, stop=stop, on_result=report)
    sys.exit(1 if once and failed else 0)


@main.command()
@click.option("--host", default=None)
@click.option("--port", default=None, type=int)
@click.option("--processes", default=None, type=int, help="web processes (setting web_processes); 0: one, threads only")
@click.option("--threads", default=None, type=int, help="threads in each (setting web_threads)")
def serve(host, port, processes, threads) -> None:
    """Serve the web UI (gunicorn; waitress where gunicorn does not run). With processing =
    "web" a `damrong worker` process is started beside it to read what is uploaded and scanned;
    with processing = "workers" the workers run elsewhere."""
    import subprocess

    from webui.app import create_app
    from webui.serving import serve as run

    a = open_archive()
    settings = a.settings
    a.close()  # each web process opens its own, after the fork
    sidecar = None
    if settings.processing == "web":
        sidecar = subprocess.Popen([sys.executable, "-m", "cli", "worker"])
    try:
        run(
            lambda: create_app(open_archive(), start_worker=False),
            host or settings.host,
            port or settings.port,
            settings.web_processes if processes is None else processes,
            settings.web_threads if threads is None else threads,
        )
    finally:
        if sidecar is not None:
            sidecar.terminate()
            try:
                sidecar.wait(timeout=60)
            except subprocess.TimeoutExpired:
                sidecar.kill()


@main.command()
@click.option("--threads", default=None, type=int, help="documents read at once (setting workers: one per core)")
@click.option("--once", is_flag=True, help="read every document waiting now, then stop")
@click.option("--poll", default=1.0, show_default=True, help="seconds between looks at the queue when it is empty")
def worker(threads, once: bool, poll: float) -> None:
    """Read the documents waiting in the processing queue (OCR, fields, archival PDF) and keep
    the search index up to date, until Ctrl-C or SIGTERM. Runs on any machine that shares the
    database and the object store; as many as you like at once. A worker killed mid-document
    loses nothing: another takes the document again when the first one's claim runs out. It also
    sends the outbox to other installations (`damrong peer`), unless DAMRONG_PEER_COURIER=false."""
    stop = stop_on_signals()  # first: the OCR processes inherit the blocked signals
    import logging

    from ingest import jobs
    from records.home import mask_logs
    from search.index import open_index
    from webui.worker import IngestWorker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    mask_logs()
    a = open_archive(ocr=True)
    if once:
        jobs.free_dead_claims(a)
        me, n = jobs.worker_name(), 0
        while not stop.is_set() and jobs.run_next(a, me, a.settings.job_lease_s) is not None:
            n += 1
        open_index(a).sync()
        click.echo(f"read {n} documents")
        return
    w = IngestWorker(a, threads=threads, poll_s=poll)
    w.start()
    courier = None
    if a.settings.peer_courier:  # with the web processes reading nothing, the workers send the outbox
        from exchange.courier import Courier

        courier = Courier(a)
        courier.start()
    click.echo(f"worker {w.name}: {w.threads} threads reading documents (Ctrl-C to stop)", err=True)
    stop.wait()
    w.shutdown()
    if courier is not None:
        courier.shutdown()

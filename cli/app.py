"""The `damrong` command group and what every command shares: opening the archive home, JSON
output, errors in Thai and English (from the message catalogue), the acting user (`--as`), the
per-document report `ingest` and `scan` print, and stopping on Ctrl-C or SIGTERM.

The commands live in their own modules (`*_commands.py`), each importing this one; `cli.main`
imports them all, so `damrong`, `python -m cli` and `python -m cli.main` know every command."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING, NoReturn

import click

from thai import messages
from thai.digits import digits_only

if TYPE_CHECKING:
    from records.home import Archive

# Heavy modules (SQLAlchemy, Alembic, Tesseract, OpenCV) are imported inside the commands that
# need them: `damrong --help` and a search start in a fraction of the time.


class _Group(click.Group):
    """The group; a full disk, wherever a command meets it, ends the command with the catalogue's
    message in Thai and English (exit 1), not a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        from config import load_settings
        from records import disk

        try:
            return super().invoke(ctx)
        except Exception as e:
            if disk.is_full(e, load_settings().home):
                fail("disk_full")
            raise


@click.group(cls=_Group)
@click.option("-v", "--verbose", is_flag=True, help="log progress to stderr")
def main(verbose: bool) -> None:
    """Damrong Archive: capture, OCR, archive and search Thai documents."""
    from records.home import setup_logging

    setup_logging(logging.INFO if verbose else logging.WARNING)


def open_archive(ocr: bool = False) -> Archive:
    """The home DAMRONG_HOME names (created or upgraded). A command that reads pages (`ocr`)
    has Tesseract limited to the workers set; the others never load the OCR engine."""
    from records.home import Archive

    a = Archive()
    if ocr:
        from ingest.ocr import limit_processes

        limit_processes(a.settings.ocr_workers)
    return a


def emit(obj: object) -> None:
    """One JSON object on stdout (Thai as it is, dates as ISO strings)."""
    click.echo(json.dumps(obj, ensure_ascii=False, default=str))


def fail(code: str, params: dict | None = None, as_json: bool = False) -> NoReturn:
    """An error from the catalogue in Thai and English (or as JSON); exits 1."""
    th, en = messages.text(code, "th", params), messages.text(code, "en", params)
    if as_json:
        emit({"error": code, "message": en, "message_th": th})
        sys.exit(1)
    click.echo(f"Error: {th} / {en}", err=True)
    sys.exit(1)


def user_by_cid(a: Archive, citizen_id: str):
    """The user with this citizen ID (Thai or Arabic digits, dashes), area loaded; None if none."""
    from sqlalchemy import select

    from records import users
    from records.models import User

    digits = digits_only(citizen_id)
    with a.db.session() as s:
        uid = s.scalar(select(User.id).where(User.citizen_id == digits)) if len(digits) == 13 else None
    return users.get(a.db, uid) if uid is not None else None


def acting_user(a: Archive, citizen_id: str, as_json: bool):
    """The user a command acts as (`--as`): must exist and be active."""
    user = user_by_cid(a, citizen_id)
    if user is None:
        fail("not_found", {"field": "user"}, as_json)
    if not user.active:
        fail("user_inactive", None, as_json)
    return user


def process_and_report(a: Archive, results, as_json: bool) -> NoReturn:
    """OCR the stored documents of `results` in parallel, index them, print one line (or JSON
    object) per document as `ingest` does, and exit 1 if any failed. `scan` reports the same way."""
    from concurrent.futures import ThreadPoolExecutor

    from ingest import jobs
    from search.index import open_index

    todo = [r for r in results if r.document_id and r.state in ("pending", "processing")]
    me = jobs.worker_name()
    if todo:
        jobs.free_dead_claims(a)  # what a killed run of this command left is read now, not after its lease
    with ThreadPoolExecutor(max_workers=a.settings.ocr_workers) as pool:
        done = dict(zip([r.document_id for r in todo], pool.map(lambda r: jobs.read_now(a, r.document_id, me), todo)))
    open_index(a).sync()
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
            emit(out)
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


def stop_on_signals() -> threading.Event:
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

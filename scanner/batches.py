"""Scan batches: each page stored the moment it arrives (the PNG staged, its row committed, then
the object put in place — before the next page is asked of the scanner), the batch's state and
last fault, the user's edits (order, rotation, deletion), and filing: the kept pages, split at
separator sheets, become documents through the ordinary intake."""

from __future__ import annotations

import io
import logging
import tempfile
from pathlib import Path

from PIL import Image
from sqlalchemy import func, select, update

from ingest.pipeline import IntakeResult, intake
from records.models import ScanBatch, ScanPage, ScanState
from records.processes import pid_alive
from scanner import page_cleanup
from thai.dates import thai_time, utcnow
from thai.errors import CodedError

log = logging.getLogger(__name__)


class BatchError(CodedError):
    """The batch cannot do what was asked (still scanning, already filed, nothing to file)."""


def create(
    archive,
    device: str,
    source: str = "flatbed",
    resolution: int | None = None,
    mode: str | None = None,
    options: dict[str, str] | None = None,
    station: str = "",
    area_id: int | None = None,
) -> int:
    settings = archive.settings
    with archive.db.session() as s:
        _check_device_free(s, device)
        b = ScanBatch(
            device=device,
            source=source,
            resolution=resolution or settings.scan_resolution,
            mode=mode or settings.scan_mode,
            options=dict(options or {}),
            station=station,
            area_id=area_id,
            state=ScanState.open,
            document_ids=[],
        )
        s.add(b)
        s.commit()
        return b.id


def _check_device_free(s, device: str, batch_id: int | None = None) -> None:
    for busy in s.scalars(select(ScanBatch).where(ScanBatch.device == device, ScanBatch.state == ScanState.scanning)):
        if busy.id != batch_id and pid_alive(busy.scan_pid):
            raise BatchError("scan_device_in_use", device=device, batch=busy.id)


def ready_to_scan(archive, batch_id: int) -> None:
    """Raise unless a scan may start into this batch: open, not scanning, its device free."""
    mark_stopped(archive)
    with archive.db.session() as s:
        b = _open_batch(s, batch_id)
        if b.state == ScanState.scanning:
            raise BatchError("batch_scanning")
        _check_device_free(s, b.device, batch_id)


def begin_scan(archive, batch_id: int, pid: int) -> None:
    """Mark the batch as being scanned by process `pid`."""
    with archive.db.session() as s:
        b = _open_batch(s, batch_id)
        if b.state == ScanState.scanning and pid_alive(b.scan_pid) and b.scan_pid != pid:
            raise BatchError("batch_scanning")
        _check_device_free(s, b.device, batch_id)
        b.state, b.scan_pid, b.error_code, b.error_params = ScanState.scanning, pid, None, None
        s.commit()


def end_scan(archive, batch_id: int, fault: CodedError | None = None) -> None:
    with archive.db.session() as s:
        b = s.get(ScanBatch, batch_id)
        b.scan_pid = None
        if fault is None:
            b.state, b.error_code, b.error_params = ScanState.open, None, None
        else:
            b.state, b.error_code, b.error_params = ScanState.interrupted, fault.code, fault.params
        s.commit()


def add_page(archive, batch_id: int, image: Image.Image, dpi: int) -> int:
    """Store one scanned page (lossless PNG, exactly as scanned); returns its row id."""
    buf = io.BytesIO()
    image.save(buf, "PNG", dpi=(dpi, dpi), compress_level=1)  # fast: the next page waits
    buf.seek(0)
    staged = archive.store.stage_stream(buf)
    with archive.db.session() as s:
        last = s.scalar(select(func.max(ScanPage.position)).where(ScanPage.batch_id == batch_id)) or 0
        page = ScanPage(
            batch_id=batch_id,
            position=last + 1,
            sha256=staged.sha256,
            width_px=image.width,
            height_px=image.height,
            dpi=dpi,
        )
        s.add(page)
        s.commit()
        archive.store.commit(staged)
        return page.id


def analyse_page(archive, page_id: int) -> None:
    """Run the clean-up analysis (blank, separator, orientation) on one stored page."""
    with archive.db.session() as s:
        page = s.get(ScanPage, page_id)
        if page is None or page.analysed:
            return
        sha, dpi = page.sha256, page.dpi
    with Image.open(archive.store.path_for(sha)) as im:
        result = page_cleanup.analyse(im, dpi, archive.settings)
    with archive.db.session() as s:
        page = s.get(ScanPage, page_id)
        page.blank, page.separator, page.rotation = result.blank, result.separator, result.rotation
        page.analysed = True
        s.commit()


def analyse_batch(archive, batch_id: int) -> None:
    with archive.db.session() as s:
        ids = list(s.scalars(select(ScanPage.id).where(ScanPage.batch_id == batch_id, ScanPage.analysed.is_(False))))
    for page_id in ids:
        analyse_page(archive, page_id)


def _open_batch(s, batch_id: int) -> ScanBatch:
    b = s.get(ScanBatch, batch_id)
    if b is None:
        raise KeyError(batch_id)
    if b.state in (ScanState.filed, ScanState.cancelled):
        raise BatchError("batch_closed")
    return b


def _editable(s, page_id: int) -> ScanPage:
    page = s.get(ScanPage, page_id)
    if page is None:
        raise KeyError(page_id)
    _open_batch(s, page.batch_id)
    return page


def edit_page(
    archive,
    page_id: int,
    rotate: int | None = None,
    deleted: bool | None = None,
    keep: bool | None = None,
    move_to: int | None = None,
) -> None:
    """The user's edits: turn by `rotate` degrees clockwise, delete or restore, keep a page the
    clean-up took for blank, or move it to position `move_to` (1-based) in its batch."""
    with archive.db.session() as s:
        page = _editable(s, page_id)
        if rotate:
            page.rotation = (page.rotation + rotate) % 360
        if deleted is not None:
            page.deleted = deleted
        if keep:
            page.blank = page.separator = False
        if move_to is not None:
            pages = list(
                s.scalars(select(ScanPage).where(ScanPage.batch_id == page.batch_id).order_by(ScanPage.position))
            )
            pages.remove(page)
            pages.insert(max(0, min(len(pages), move_to - 1)), page)
            for i, p in enumerate(pages, 1):
                p.position = i
        s.commit()


def cancel(archive, batch_id: int) -> None:
    """Set a batch aside without filing it; its scanned pages stay in the store."""
    with archive.db.session() as s:
        b = _open_batch(s, batch_id)
        if b.state == ScanState.scanning and pid_alive(b.scan_pid):
            raise BatchError("batch_scanning")
        b.state = ScanState.cancelled
        s.commit()


def mark_stopped(archive) -> list[int]:
    """Batches whose scan process is gone without saying so (killed, crashed, server restarted)
    become `interrupted`: their pages are all there to continue or file. A counter station's
    batch has no process here: the station ends it itself, also after its own restart."""
    stopped = []
    with archive.db.session() as s:
        scanning = select(ScanBatch.id, ScanBatch.scan_pid).where(
            ScanBatch.state == ScanState.scanning, ScanBatch.device.not_like(f"{STATION_PREFIX}%")
        )
        for batch_id, pid in s.execute(scanning).all():
            if pid_alive(pid):
                continue
            # only if it still is as read: a process that ended its scan (`end_scan`) just
            # before it exited has said how it went, and that stands
            still = (ScanBatch.id == batch_id, ScanBatch.state == ScanState.scanning, ScanBatch.scan_pid == pid)
            ended = s.execute(
                update(ScanBatch)
                .where(*still)
                .values(state=ScanState.interrupted, scan_pid=None, error_code="scan_stopped", error_params={})
            )
            s.commit()
            if ended.rowcount:
                log.warning("scan batch %s: its scan process %s ended without saying how the scan went", batch_id, pid)
                stopped.append(batch_id)
    return stopped


def groups(pages: list[ScanPage]) -> list[list[ScanPage]]:
    """The kept pages in order, split into documents at separator sheets."""
    out: list[list[ScanPage]] = [[]]
    for p in pages:
        if p.deleted:
            continue
        if p.separator:
            out.append([])
        elif not p.blank:
            out[-1].append(p)
    return [g for g in out if g]


def file(archive, batch_id: int, area_id: int | None = None) -> list[IntakeResult]:
    """File the batch: each group of kept pages becomes one document (a lossless multi-page TIFF,
    pages turned upright) taken in by the ordinary intake — stored, not yet OCR'd. Filing
    again after a crash finds the documents already stored (same bytes) and does not repeat them."""
    mark_stopped(archive)
    with archive.db.session() as s:
        b = _open_batch(s, batch_id)
        if b.state == ScanState.scanning:
            raise BatchError("batch_scanning")
    analyse_batch(archive, batch_id)
    with archive.db.session() as s:
        b = s.get(ScanBatch, batch_id)
        parts = groups(list(b.pages))
        if not parts:
            raise BatchError("batch_empty")
        plan = [[(p.sha256, p.rotation, p.dpi) for p in g] for g in parts]
        stamp = thai_time(b.created_at).strftime("%Y%m%d-%H%M")
    results = []
    with tempfile.TemporaryDirectory(prefix=f"damrong-batch-{batch_id}-") as tmp:
        for n, pages in enumerate(plan, 1):
            name = f"scan-{stamp}-batch{batch_id}" + (f"-{n}" if len(plan) > 1 else "") + ".tiff"
            path = Path(tmp) / name
            _write_tiff(archive, pages, path)
            results.append(intake(archive, path, filename=name, area_id=area_id))
    with archive.db.session() as s:
        b = s.get(ScanBatch, batch_id)
        b.document_ids = [r.document_id for r in results if r.document_id]
        b.state, b.filed_at = ScanState.filed, utcnow()
        s.commit()
    log.info("batch %s filed as documents %s", batch_id, [r.document_id for r in results])
    return results


def _write_tiff(archive, pages: list[tuple[str, int, int]], path: Path) -> None:
    frames = []
    for sha, rotation, _dpi in pages:
        with Image.open(archive.store.path_for(sha)) as im:
            im.load()
            frames.append(page_cleanup.upright(im, rotation))
    dpi = pages[0][2]
    frames[0].save(path, "TIFF", compression="tiff_lzw", save_all=True, append_images=frames[1:], dpi=(dpi, dpi))


# --- batches a counter station scans (scanner.station_scan sends the pages) ----------------------

STATION_PREFIX = "station:"


def station_device(station: str) -> str:
    return f"{STATION_PREFIX}{station}"


def is_station(device: str) -> bool:
    return device.startswith(STATION_PREFIX)


def request_station_scan(archive, batch_id: int) -> None:
    """Ask the batch's counter station to scan (again) into it: `waiting` until it begins."""
    with archive.db.session() as s:
        b = _open_batch(s, batch_id)
        if b.state == ScanState.scanning:
            raise BatchError("batch_scanning")
        b.state, b.error_code, b.error_params = ScanState.waiting, None, None
        s.commit()


def next_station_request(archive, station: str, area_id: int | None) -> dict | None:
    """The oldest batch waiting for this station of this centre, with its scan settings."""
    with archive.db.session() as s:
        b = s.scalar(
            select(ScanBatch)
            .where(
                ScanBatch.device == station_device(station),
                ScanBatch.area_id == area_id,
                ScanBatch.state == ScanState.waiting,
            )
            .order_by(ScanBatch.id)
            .limit(1)
        )
        if b is None:
            return None
        last = s.scalar(select(func.max(ScanPage.position)).where(ScanPage.batch_id == b.id)) or 0
        return {
            "batch_id": b.id,
            "source": b.source,
            "resolution": b.resolution,
            "mode": b.mode,
            "options": dict(b.options or {}),
            "next_position": last + 1,
        }


def station_begin(archive, batch_id: int) -> None:
    with archive.db.session() as s:
        b = _open_batch(s, batch_id)
        if b.state == ScanState.scanning:  # the station asking again after a lost answer
            return
        if b.state != ScanState.waiting:
            raise BatchError("scan_not_waiting")
        b.state, b.error_code, b.error_params = ScanState.scanning, None, None
        s.commit()


def station_page(archive, batch_id: int, position: int, png: bytes) -> tuple[int, bool]:
    """Store the page a station sent as `position` of the batch; (page id, False) — or, if that
    position is stored already (the station sent it again: the answer was lost), (its id, True).
    A position after a missing one is refused: the station sends its pages in order."""
    with archive.db.session() as s:
        _open_batch(s, batch_id)
        known = s.scalar(select(ScanPage.id).where(ScanPage.batch_id == batch_id, ScanPage.position == position))
        if known is not None:
            return known, True
        last = s.scalar(select(func.max(ScanPage.position)).where(ScanPage.batch_id == batch_id)) or 0
        if position != last + 1:
            raise BatchError("scan_page_gap", position=position, expected=last + 1)
    try:
        image = Image.open(io.BytesIO(png))
        if image.format != "PNG" or image.width * image.height > archive.settings.max_pixels:
            raise BatchError("scan_bad_page")
        image.load()
    except (OSError, Image.DecompressionBombError) as e:
        raise BatchError("scan_bad_page") from e
    dpi = int(round(float((image.info.get("dpi") or (300, 300))[0]))) or 300
    page_id = add_page(archive, batch_id, image, dpi)
    analyse_page(archive, page_id)
    return page_id, False


def status(archive, batch_id: int) -> dict:
    """The batch as the counter page and `damrong scan` show it."""
    mark_stopped(archive)
    with archive.db.session() as s:
        b = s.get(ScanBatch, batch_id)
        if b is None:
            raise KeyError(batch_id)
        return {
            "id": b.id,
            "area_id": b.area_id,
            "device": b.device,
            "source": b.source,
            "resolution": b.resolution,
            "mode": b.mode,
            "station": b.station,
            "state": b.state.value,
            "error_code": b.error_code,
            "error_params": b.error_params or {},
            "document_ids": list(b.document_ids or []),
            "created_at": b.created_at.isoformat(),
            "pages": [
                {
                    "id": p.id,
                    "position": p.position,
                    "width": p.width_px,
                    "height": p.height_px,
                    "analysed": p.analysed,
                    "blank": p.blank,
                    "separator": p.separator,
                    "rotation": p.rotation,
                    "deleted": p.deleted,
                    "kept": p.kept,
                }
                for p in b.pages
            ],
        }


def unfinished(archive) -> list[int]:
    """Batches not yet filed or cancelled, newest first (to continue after a restart)."""
    mark_stopped(archive)
    with archive.db.session() as s:
        return list(
            s.scalars(
                select(ScanBatch.id)
                .where(ScanBatch.state.in_([ScanState.scanning, ScanState.interrupted, ScanState.open]))
                .order_by(ScanBatch.id.desc())
            )
        )

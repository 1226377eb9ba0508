"""The ID card reader through PC/SC (pyscard → pcscd on Linux, WinSCard on Windows).

Every fault becomes a CardError with a Thai and an English message: no reader (or no PC/SC
service), no card, the card pulled out mid-read, an unknown card, the reader unplugged, and a
reader or card that stops answering (each command runs under a time limit, so nothing hangs).
A read returns a complete CardData or raises: never half a record. Nothing here logs the ID
number or the photo."""

from __future__ import annotations

import contextlib
import logging
import threading
import time

from scanner.thai_id import CardData, CardError, read_card

log = logging.getLogger(__name__)
COMMAND_TIMEOUT_S = 5.0
# one read at a time in this process (two counter pages pressing "read" together)
_reader_lock = threading.RLock()


def list_readers() -> list[str]:
    try:
        from smartcard.System import readers

        return [str(r) for r in readers()]
    except Exception as e:  # no PC/SC service, no driver
        log.warning("PC/SC unavailable: %s", type(e).__name__)
        return []


def _pick(name: str | None):
    from smartcard.System import readers

    try:
        found = readers()
    except Exception as e:
        raise CardError("no_reader", type(e).__name__) from None
    if not found:
        raise CardError("no_reader")
    if name:
        chosen = [r for r in found if name == str(r)] or [r for r in found if name in str(r)]
        if not chosen:
            raise CardError("no_reader", f"no reader named {name!r}")
        return chosen
    return found


def _with_timeout(fn, timeout_s: float):
    box: dict = {}

    def run():
        try:
            box["value"] = fn()
        except BaseException as e:  # handed to the caller
            box["error"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(timeout_s)
    if t.is_alive():
        raise CardError("timeout")
    if "error" in box:
        raise box["error"]
    return box.get("value")


def _connect(reader_list):
    from smartcard.Exceptions import CardConnectionException, NoCardException

    last = None
    for r in reader_list:
        conn = r.createConnection()
        try:
            conn.connect()
            return r, conn
        except (NoCardException, CardConnectionException) as e:
            last = e
    raise CardError("no_card", type(last).__name__ if last else "")


def card_present(name: str | None = None) -> bool:
    """Whether a card sits in the reader (the first reader, or the one named), asked of PC/SC
    without connecting to the card: a check never disturbs a read in progress."""
    from smartcard import scard

    hr, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hr != scard.SCARD_S_SUCCESS:
        return False
    try:
        hr, names = scard.SCardListReaders(ctx, [])
        if hr != scard.SCARD_S_SUCCESS or not names:
            return False
        wanted = [n for n in names if name is None or n == name] or [n for n in names if name and name in n]
        if not wanted:
            return False
        hr, states = scard.SCardGetStatusChange(ctx, 0, [(n, scard.SCARD_STATE_UNAWARE) for n in wanted])
        return hr == scard.SCARD_S_SUCCESS and any(st[1] & scard.SCARD_STATE_PRESENT for st in states)
    finally:
        scard.SCardReleaseContext(ctx)


def read(name: str | None = None, with_photo: bool = True, timeout_s: float = COMMAND_TIMEOUT_S) -> CardData:
    """Read the card in the named reader (or the first reader holding a card)."""
    with _reader_lock:
        return _read(name, with_photo, timeout_s)


def _read(name: str | None, with_photo: bool, timeout_s: float) -> CardData:
    from smartcard.Exceptions import CardConnectionException

    reader, conn = _with_timeout(lambda: _connect(_pick(name)), timeout_s)
    try:
        atr = conn.getATR()
    except CardConnectionException as e:
        raise CardError("card_removed", type(e).__name__) from None

    def transmit(apdu):
        try:
            return _with_timeout(lambda: conn.transmit(apdu), timeout_s)
        except CardConnectionException as e:
            still_there = str(reader) in list_readers()
            raise CardError("card_removed" if still_there else "reader_gone", type(e).__name__) from None

    started = time.perf_counter()
    try:
        data = read_card(transmit, atr, with_photo=with_photo)
    finally:
        with contextlib.suppress(Exception):
            conn.disconnect()
    log.info(
        "ID card read in %.0f ms (checksum %s)",
        (time.perf_counter() - started) * 1000,
        "ok" if data.checksum_ok else "FAILED",
    )
    return data

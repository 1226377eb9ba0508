"""The ID card reader through PC/SC (pyscard → pcscd on Linux, WinSCard on Windows).

Every fault becomes a CardError with a Thai and an English message: no reader (or no PC/SC
service), no card, the card pulled out mid-read, an unknown card, the reader unplugged, and a
reader or card that stops answering (each command runs under a time limit, so nothing hangs).
A read returns a complete CardData or raises: never half a record. Nothing here logs the ID
number or the photo."""
from __future__ import annotations

import logging
import threading
import time

from scanner.thai_id import CardData, CardError, read_card

log = logging.getLogger(__name__)
COMMAND_TIMEOUT_S = 5.0
# one conversation with the reader at a time in this process: a presence check must not power
# the card down under a read in progress
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


def _connect(reader_list, leave_powered: bool = False):
    from smartcard.Exceptions import CardConnectionException, NoCardException
    from smartcard.scard import SCARD_LEAVE_CARD, SCARD_UNPOWER_CARD
    last = None
    for r in reader_list:
        conn = r.createConnection()
        try:
            # a presence check leaves the card powered, so it never resets the card under a read
            # by another program; a read powers it down when done, as readers expect
            conn.connect(disposition=SCARD_LEAVE_CARD if leave_powered else SCARD_UNPOWER_CARD)
            return r, conn
        except (NoCardException, CardConnectionException) as e:
            last = e
    raise CardError("no_card", type(last).__name__ if last else "")


def card_present(name: str | None = None) -> bool:
    if not _reader_lock.acquire(timeout=COMMAND_TIMEOUT_S):
        return True  # a read is in progress: there is a card
    try:
        _, conn = _with_timeout(lambda: _connect(_pick(name), leave_powered=True), COMMAND_TIMEOUT_S)
    except CardError:
        return False
    finally:
        _reader_lock.release()
    try:
        conn.disconnect()
    except Exception:
        pass
    return True


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
        try:
            conn.disconnect()
        except Exception:
            pass
    log.info("ID card read in %.0f ms (checksum %s)", (time.perf_counter() - started) * 1000,
             "ok" if data.checksum_ok else "FAILED")
    return data

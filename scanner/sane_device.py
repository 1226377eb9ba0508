"""Scanners through pyinsane2 (SANE on Linux, WIA on Windows): list the devices, open one with a
counter's settings (source, resolution, colour mode, the whole scan area, further options by
name) and read its pages one at a time, every device fault turned into a `ScanFault`.

pyinsane2 runs here in its in-process mode, and every scan runs in a process of its own
(`damrong scan-job`, started by the web server or run by `damrong scan`). That gives the
isolation pyinsane2's helper process is for — a driver that crashes ends that scan process, never
the server — without the helper's flaws: it keeps every page of a session in its memory and reads
each reply with one `os.read`, so a page larger than the pipe buffer breaks it. pyinsane2 keeps
one open device per process, so one process per scan is also what lets two counters scan on two
devices at once. Nothing here is imported by the web server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

os.environ["PYINSANE_SINGLE_THREAD"] = "1"  # must be set before pyinsane2 is imported

import contextlib

import pyinsane2
from PIL import Image

from thai.errors import CodedError

SOURCES = ("flatbed", "feeder", "duplex")
MODES = ("gray", "color")

# how devices name their paper sources and colour modes
_SOURCE_WORDS = {
    "flatbed": ("flatbed", "platen", "normal", "document table"),
    "feeder": ("feeder", "adf", "automatic document"),
    "duplex": ("duplex",),
}
_MODE_WORDS = {"gray": ("gray", "grey", "8bit", "true gray"), "color": ("color", "colour", "24bit", "rgb")}

# SANE status codes (sane.h) that a scan can end with, and our catalogue codes for them
_FAULTS = {
    3: "scan_device_busy",
    6: "scan_jammed",
    7: "scan_no_docs",
    8: "scan_cover_open",
    11: "scan_access_denied",
    12: "scan_warming_up",
    13: "scan_locked",
}


class ScanFault(CodedError):
    """A scan could not start or go on: jam, empty feeder, open cover, missing device, bad setting."""


@dataclass
class DeviceInfo:
    name: str
    vendor: str
    model: str
    kind: str
    sources: list[str] = field(default_factory=list)  # of SOURCES, what this device offers
    resolutions: list[int] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "vendor": self.vendor,
            "model": self.model,
            "kind": self.kind,
            "sources": self.sources,
            "resolutions": self.resolutions,
        }


def start() -> None:
    pyinsane2.init()


def stop() -> None:
    """Close the open device and leave SANE. (pyinsane2's own exit keeps a stale handle that the
    next scan in this process would reuse.)"""
    from pyinsane2.sane import abstract as sane

    _name, handle = sane.sane_dev_handle
    if handle is not None:
        try:
            sane.rawapi.sane_close(handle)
        finally:
            sane.sane_dev_handle = ("", None)
    pyinsane2.exit()


def list_devices() -> list[DeviceInfo]:
    out = []
    for d in pyinsane2.get_devices():
        info = DeviceInfo(d.name, d.vendor, d.model, d.dev_type)
        try:
            dev = Device(d.name, scanner=d)
            info.sources = dev.sources()
            info.resolutions = dev.resolutions()
        except Exception:  # a device that cannot be opened is still listed
            pass
        out.append(info)
    return out


def _fault(exc: Exception) -> ScanFault:
    status = getattr(exc, "status", None)
    try:
        code = int(status) if status is not None else None
    except (TypeError, ValueError):
        code = None
    if code in _FAULTS:
        return ScanFault(_FAULTS[code])
    return ScanFault("scan_device_error", detail=str(exc).split(" : ")[-1][:200])


def _matching(choices: list, words: tuple[str, ...], exclude: tuple[str, ...] = ()) -> str | None:
    for c in choices:
        low = str(c).lower()
        if any(w in low for w in words) and not any(x in low for x in exclude):
            return c
    return None


class Device:
    """One opened scanner. Use `configure`, then iterate `pages()`."""

    def __init__(self, name: str, scanner=None):
        self.name = name
        try:
            self.scanner = scanner or pyinsane2.Scanner(name=name)
            self.options = self.scanner.options  # opens the device
        except Exception as e:
            raise ScanFault("scan_no_device", device=name, detail=str(e)[:200]) from e
        self.source = "flatbed"

    def _active(self, name: str):
        opt = self.options.get(name)
        return opt if opt is not None and opt.capabilities.is_active() else None

    def sources(self) -> list[str]:
        opt = self._active("source")
        if opt is None or not isinstance(opt.constraint, list):
            return ["flatbed"]
        found = []
        for ours in SOURCES:
            exclude = ("duplex",) if ours == "feeder" else ()
            if _matching(opt.constraint, _SOURCE_WORDS[ours], exclude):
                found.append(ours)
        return found or ["flatbed"]

    def resolutions(self) -> list[int]:
        opt = self._active("resolution")
        if opt is None:
            return []
        scale = 65536 if int(opt.val_type) == 2 else 1  # SANE_TYPE_FIXED
        if isinstance(opt.constraint, list):
            return sorted({int(v / scale) for v in opt.constraint})
        if isinstance(opt.constraint, tuple):
            lo, hi = opt.constraint[0] / scale, opt.constraint[1] / scale
            return [r for r in (100, 150, 200, 300, 400, 600) if lo <= r <= hi]
        return []

    def configure(
        self, source: str = "flatbed", resolution: int = 300, mode: str = "gray", options: dict[str, str] | None = None
    ) -> int:
        """Set up the next scan; returns the resolution actually set (the nearest the device has)."""
        if source not in SOURCES:
            raise ScanFault("scan_bad_source", source=source, available=", ".join(SOURCES))
        opt = self._active("source")
        if opt is not None and isinstance(opt.constraint, list):
            value = _matching(opt.constraint, _SOURCE_WORDS[source], ("duplex",) if source == "feeder" else ())
            if value is None:
                raise ScanFault("scan_bad_source", source=source, available=", ".join(self.sources()))
            self._set("source", value)
        elif source != "flatbed":
            raise ScanFault("scan_bad_source", source=source, available="flatbed")
        self.source = source
        opt = self._active("mode")
        if opt is not None and isinstance(opt.constraint, list):
            value = _matching(opt.constraint, _MODE_WORDS.get(mode, (mode,)))
            if value is not None:
                self._set("mode", value)
        actual = resolution
        if choices := self.resolutions():
            actual = min(choices, key=lambda r: (abs(r - resolution), -r))
            opt = self._active("resolution")
            self._set("resolution", actual * 65536 if int(opt.val_type) == 2 else actual)
        with contextlib.suppress(Exception):  # devices without a settable area scan their whole bed anyway
            pyinsane2.maximize_scan_area(self.scanner)
        for key, raw in (options or {}).items():
            self.set_option(key, raw)
        return actual

    def _set(self, name: str, value) -> None:
        try:
            self.options[name].value = value
        except Exception as e:
            raise ScanFault("scan_bad_option", option=name, detail=str(e).split(" : ")[-1][:200]) from e

    def set_option(self, name: str, raw: str) -> None:
        """Set an option by its SANE name from text, converted to the option's type."""
        opt = self.options.get(name)
        if opt is None:
            raise ScanFault("scan_bad_option", option=name, detail="no such option")
        kind = int(opt.val_type)  # 0 bool, 1 int, 2 fixed, 3 string
        try:
            value = (
                int(raw.strip().lower() in ("1", "true", "yes", "on"))
                if kind == 0
                else int(raw)
                if kind == 1
                else round(float(raw) * 65536)
                if kind == 2
                else raw
            )
        except ValueError as e:
            raise ScanFault("scan_bad_option", option=name, detail=str(e)) from e
        self._set(name, value)

    @property
    def feeder(self) -> bool:
        return self.source in ("feeder", "duplex")

    def pages(self) -> Iterator[Image.Image]:
        """Scanned pages, one at a time: the next page is asked of the scanner only when the caller
        asks for it (after storing this one). Ends when the feeder is empty; raises `ScanFault` on a
        fault, or when a feeder run finds no paper at all."""
        try:
            session = self.scanner.scan(multiple=self.feeder)
        except StopIteration:  # sane_start: the feeder has no paper
            raise ScanFault("scan_no_docs") from None
        except Exception as e:
            raise _fault(e) from e
        # pyinsane2 calls sane_cancel itself, inside read(), the moment the feeder runs empty;
        # that call can hang (see scan_job) before the run's outcome is recorded. It is put off
        # until cancel(), which the scan process calls once the outcome is stored.
        session.scan._cancel = lambda: None
        self._session = session
        count = 0
        while True:
            try:
                session.scan.read()
            except EOFError:
                if not session.images:  # the feeder ran out between pages
                    break
                count += 1
                yield session.images.pop()
                if not self.feeder:
                    break
            except StopIteration:
                break
            except Exception as e:
                raise _fault(e) from e
        if count == 0 and self.feeder:
            raise ScanFault("scan_no_docs")

    def cancel(self) -> None:
        """End the scan session (sane_cancel); the caller does this once the run's outcome is
        recorded, since a driver can hang here (see scan_job.release)."""
        session, self._session = getattr(self, "_session", None), None
        if session is not None:
            from pyinsane2.sane import abstract as sane

            with contextlib.suppress(Exception):
                sane.rawapi.sane_cancel(sane.sane_dev_handle[1])

"""A Thai national ID card for tests: speaks the vpcd protocol to the virtual reader driver
(vsmartcard-vpcd) that pcscd loads, and answers like a real card.

vpcd protocol: every message is a 2-byte big-endian length and a payload. A 1-byte payload
is a control message (0 power off, 1 power on, 2 reset, 4 ask for the ATR, answered with the
ATR); anything longer is a command APDU, answered with a response APDU."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time

ATR_PLAIN = bytes.fromhex("3B7896000029051F0000000001")  # GET RESPONSE 00 C0 00 00
ATR_3B67 = bytes.fromhex("3B6700005A5A5A5A5A5A5A")  # GET RESPONSE 00 C0 00 01
AID = bytes.fromhex("A000000054480001")


def tis620(s: str, length: int) -> bytes:
    return s.encode("tis-620").ljust(length, b" ")[:length]


def card_memory(
    citizen_id: str,
    name_th: str,
    name_en: str,
    birth: str,
    gender: str,
    issuer: str,
    issued: str,
    expires: str,
    address: str,
    photo: bytes,
) -> bytearray:
    mem = bytearray(b"\x00" * 0x1700)
    for off, value in [
        (0x0004, citizen_id.encode()),
        (0x0011, tis620(name_th, 100)),
        (0x0075, tis620(name_en, 100)),
        (0x00D9, birth.encode()),
        (0x00E1, gender.encode()),
        (0x00F6, tis620(issuer, 100)),
        (0x0167, issued.encode()),
        (0x016F, expires.encode()),
        (0x1579, tis620(address, 100)),
    ]:
        mem[off : off + len(value)] = value
    assert len(photo) <= 20 * 255
    mem[0x017B : 0x017B + len(photo)] = photo
    return mem


class ThaiIdCard:
    """Insert with `insert()`, pull with `remove()`. `pull_after`: the card vanishes after that many
    APDUs (pulled out mid-read). `applet=False`: another kind of card (SELECT fails)."""

    def __init__(
        self,
        memory: bytearray,
        atr: bytes = ATR_PLAIN,
        port: int = 35963,
        pull_after: int | None = None,
        applet: bool = True,
    ):
        self.memory, self.atr, self.port = memory, atr, port
        self.pull_after, self.applet = pull_after, applet
        self.apdus = 0
        self.sock: socket.socket | None = None
        self._pending = b""
        self._thread: threading.Thread | None = None

    @property
    def get_response_p2(self) -> int:
        return 0x01 if self.atr[:2] == b"\x3b\x67" else 0x00

    def insert(self, timeout: float = 10.0) -> ThaiIdCard:
        deadline = time.time() + timeout
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=2)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        self.sock.settimeout(None)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # APDUs are tiny: no Nagle delay
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def remove(self) -> None:
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)
            self.sock.close()
            self.sock = None
        if self._thread is not None:
            self._thread.join(timeout=5)

    @staticmethod
    def _recv(sock: socket.socket, n: int) -> bytes:
        buf = b""
        while len(buf) < n:
            # vpcd writes the length and the APDU separately; answering ACKs at once keeps its
            # second write from waiting out our delayed ACK (~40 ms a command otherwise)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            chunk = sock.recv(n - len(buf))
            if not chunk:
                raise ConnectionError
            buf += chunk
        return buf

    def _serve(self) -> None:
        sock = self.sock
        try:
            while True:
                (n,) = struct.unpack(">H", self._recv(sock, 2))
                msg = self._recv(sock, n)
                if n == 1:
                    if msg[0] == 4:
                        sock.sendall(struct.pack(">H", len(self.atr)) + self.atr)
                    continue
                self.apdus += 1
                if self.pull_after is not None and self.apdus > self.pull_after:
                    sock.close()  # pulled out: the reader sees the card vanish mid-command
                    return
                reply = self.answer(msg)
                sock.sendall(struct.pack(">H", len(reply)) + reply)
        except (ConnectionError, OSError, struct.error):
            return

    def answer(self, apdu: bytes) -> bytes:
        cla, ins, p1, p2 = apdu[:4]
        if ins == 0xA4:
            if not self.applet or apdu[5 : 5 + apdu[4]] != AID:
                return b"\x6a\x82"
            return b"\x61\x0a"
        if cla == 0x80 and ins == 0xB0:
            off, le = (p1 << 8) | p2, apdu[6]
            self._pending = bytes(self.memory[off : off + le])
            return bytes([0x61, le])
        if ins == 0xC0:
            if p2 != self.get_response_p2:
                return b"\x6a\x86"  # wrong P1-P2 for this card
            data, self._pending = self._pending[: apdu[4]], b""
            return data + b"\x90\x00"
        return b"\x6d\x00"

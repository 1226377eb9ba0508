"""The Thai national ID card (Ministry of Interior applet): commands, field layout and decoding.

Pure protocol, no I/O: `read_card(transmit, atr)` drives any `transmit(apdu) -> (data, sw1, sw2)`
(pyscard's connection in production, anything in a test). Text on the card is TIS-620; names
are `prefix#first#middle#last`, the address `house#moo#trok#soi#road#tambon#amphoe#province`;
dates are Buddhist Era YYYYMMDD, with 00 for an unknown month or day, and 99999999 for a card
that never expires. Fields are split on '#' before anything else touches them."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from thai.citizen_id import checksum_ok
from thai.dates import BE_OFFSET
from thai.errors import CodedError

SELECT_APPLET = [0x00, 0xA4, 0x04, 0x00, 0x08, 0xA0, 0x00, 0x00, 0x00, 0x54, 0x48, 0x00, 0x01]

# offset, length
CID = (0x0004, 13)
NAME_TH = (0x0011, 100)
NAME_EN = (0x0075, 100)
BIRTH = (0x00D9, 8)
GENDER = (0x00E1, 1)
ISSUER = (0x00F6, 100)
ISSUED = (0x0167, 8)
EXPIRES = (0x016F, 8)
ADDRESS = (0x1579, 100)
PHOTO_START, PHOTO_CHUNK, PHOTO_CHUNKS = 0x017B, 255, 20

Transmit = Callable[[list[int]], tuple[list[int], int, int]]


class CardError(CodedError):
    """A card that cannot be read; `code` selects the Thai/English message (the catalogue's [card]
    section); `detail` (the card's status word, say) is added to the English for logs only."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.detail = detail
        if detail:
            self.args = (f"{self.message('en')} ({detail})",)


def get_response_cla_p2(atr: list[int]) -> int:
    """Cards whose ATR begins 3B 67 want GET RESPONSE as 00 C0 00 01 xx; others 00 C0 00 00 xx."""
    return 0x01 if atr[:2] == [0x3B, 0x67] else 0x00


def _command(transmit: Transmit, apdu: list[int], p2_get: int) -> list[int]:
    data, sw1, sw2 = transmit(apdu)
    if sw1 == 0x61:  # response waiting: fetch it
        data, sw1, sw2 = transmit([0x00, 0xC0, 0x00, p2_get, sw2])
    if (sw1, sw2) != (0x90, 0x00):
        raise CardError("bad_response", f"SW {sw1:02X}{sw2:02X}")
    return list(data)


def read_binary(transmit: Transmit, offset: int, length: int, p2_get: int) -> bytes:
    apdu = [0x80, 0xB0, (offset >> 8) & 0xFF, offset & 0xFF, 0x02, 0x00, length & 0xFF]
    return bytes(_command(transmit, apdu, p2_get))


def text(raw: bytes) -> str:
    return raw.decode("tis-620", errors="replace").replace("\x00", "").strip()


def be_date(raw: str) -> str | None:
    """'25200415' → '1977-04-15'; a zero month or day becomes the 1st; '99999999' (lifelong) → None."""
    raw = raw.strip()
    if not raw.isdigit() or len(raw) != 8 or raw in ("99999999", "00000000"):
        return None
    y, m, d = int(raw[:4]) - BE_OFFSET, int(raw[4:6]) or 1, int(raw[6:8]) or 1
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def split_name(raw: str) -> dict[str, str]:
    parts = ([*raw.split("#"), "", "", "", ""])[:4]
    prefix, first, middle, last = (p.strip() for p in parts)
    return {"prefix": prefix, "first": first, "middle": middle, "last": last}


ADDRESS_PARTS = ["house_no", "moo", "trok", "soi", "road", "tambon", "amphoe", "province"]


def split_address(raw: str) -> dict[str, str]:
    parts = [p.strip() for p in raw.split("#")]
    parts += [""] * (len(ADDRESS_PARTS) - len(parts))
    out = dict(zip(ADDRESS_PARTS, parts[: len(ADDRESS_PARTS)]))
    out["text"] = " ".join(p for p in parts if p)
    return out


@dataclass
class CardData:
    citizen_id: str
    prefix_th: str
    first_name_th: str
    middle_name_th: str
    last_name_th: str
    prefix_en: str
    first_name_en: str
    middle_name_en: str
    last_name_en: str
    birth_date: str | None
    gender: str  # "male" | "female" | ""
    issuer: str
    issue_date: str | None
    expiry_date: str | None  # None: lifelong
    address: dict = field(default_factory=dict)
    photo_jpeg: bytes | None = None
    checksum_ok: bool = True
    expired: bool = False

    def as_json(self) -> dict:
        d = asdict(self)
        photo = d.pop("photo_jpeg")
        d["photo_jpeg_b64"] = base64.b64encode(photo).decode() if photo else None
        return d


def read_card(transmit: Transmit, atr: list[int], with_photo: bool = True, today: dt.date | None = None) -> CardData:
    """Select the applet and read every field (the photo too unless `with_photo` is False)."""
    p2 = get_response_cla_p2(atr)
    try:
        _command(transmit, SELECT_APPLET, p2)
    except CardError as e:
        if e.code != "bad_response":  # the card went away, the reader did: say so
            raise
        raise CardError("unknown_card", e.detail) from None

    def field_(spec: tuple[int, int]) -> str:
        return text(read_binary(transmit, spec[0], spec[1], p2))

    cid = field_(CID)
    th = split_name(field_(NAME_TH))
    en = split_name(field_(NAME_EN))
    birth = be_date(field_(BIRTH))
    gender = {"1": "male", "2": "female"}.get(field_(GENDER), "")
    issuer = field_(ISSUER)
    issued = be_date(field_(ISSUED))
    expires = be_date(field_(EXPIRES))
    address = split_address(field_(ADDRESS))
    photo = None
    if with_photo:
        chunks = [read_binary(transmit, PHOTO_START + i * PHOTO_CHUNK, PHOTO_CHUNK, p2) for i in range(PHOTO_CHUNKS)]
        photo = b"".join(chunks)
        end = photo.rfind(b"\xff\xd9")  # JPEG end marker: the rest is padding
        photo = photo[: end + 2] if end >= 0 else photo.rstrip(b"\x00 ")
    today = today or dt.date.today()
    return CardData(
        citizen_id=cid,
        prefix_th=th["prefix"],
        first_name_th=th["first"],
        middle_name_th=th["middle"],
        last_name_th=th["last"],
        prefix_en=en["prefix"],
        first_name_en=en["first"],
        middle_name_en=en["middle"],
        last_name_en=en["last"],
        birth_date=birth,
        gender=gender,
        issuer=issuer,
        issue_date=issued,
        expiry_date=expires,
        address=address,
        photo_jpeg=photo,
        checksum_ok=checksum_ok(cid),
        expired=bool(expires and dt.date.fromisoformat(expires) < today),
    )

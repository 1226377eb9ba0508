"""Photos people publish or send from the field (news items, field teams' reports): turned
upright, resized (longest side PHOTO_PX) and saved as JPEG without their metadata — where a
phone recorded the photo was taken is removed unless kept on purpose (`keep_location`: then
only the GPS block is carried over)."""

from __future__ import annotations

import dataclasses
import io

from thai.errors import CodedError

PHOTO_PX = 1600
MAX_PHOTO_BYTES = 25 * 1024 * 1024
GPS_IFD = 0x8825


class PhotoError(CodedError):
    """What was sent is not a photo we take: `code` from the catalogue."""


@dataclasses.dataclass
class Photo:
    jpeg: bytes
    width: int
    height: int
    location_kept: bool


def prepare_photo(data: bytes, keep_location: bool = False) -> Photo:
    """The photo as kept: upright, at most PHOTO_PX on its longest side, JPEG, no metadata
    but (when asked) its GPS position. Raises PhotoError for what is not an image."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoError("too_big_file", limit=MAX_PHOTO_BYTES // (1024 * 1024))
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            gps = opened.getexif().get_ifd(GPS_IFD) if keep_location else None
            im = ImageOps.exif_transpose(opened).convert("RGB")
            im.thumbnail((PHOTO_PX, PHOTO_PX))
            out = io.BytesIO()
            exif = None
            if gps:
                exif = Image.Exif()
                exif[GPS_IFD] = gps
            im.save(out, "JPEG", quality=85, optimize=True, **({"exif": exif.tobytes()} if exif else {}))
            return Photo(out.getvalue(), im.width, im.height, bool(gps))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise PhotoError("image_damaged") from None

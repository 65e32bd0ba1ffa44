"""What Telegram checks of a photo uploaded with sendPhoto, before it stores it.

A photo is a real image (PNG or JPEG, read from its bytes, not from its file name or type),
at most 10 MB, its width plus height at most 10,000 pixels and neither side more than 20
times the other.  Its caption holds at most 1,024 UTF-16 units once its entities are parsed.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from typing import Any

from .html_entities import utf16_len
from .validation import APIError, bad_request, build_text

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_CAPTION_UTF16 = 1024
MAX_SIDES_SUM = 10_000
MAX_ASPECT = 20

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SIGNATURE = b"\xff\xd8\xff"
# JPEG markers that start a frame and carry its size (SOF0-SOF15 but DHT, JPG, DAC).
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}

_IMAGE_FAILED = "IMAGE_PROCESS_FAILED"


def photo_dimensions(data: bytes) -> tuple[int, int]:
    """(width, height) of an uploaded photo; APIError as Telegram answers when it is no image
    it can read, too large a file, or of sizes it refuses."""
    if not data:
        raise bad_request("file must be non-empty")
    if len(data) > MAX_PHOTO_BYTES:
        raise bad_request("PHOTO_SAVE_FILE_INVALID")  # a photo over 10 MB is refused, not resized
    if data.startswith(_PNG_SIGNATURE):
        width, height = _png_dimensions(data)
    elif data.startswith(_JPEG_SIGNATURE):
        width, height = _jpeg_dimensions(data)
    else:
        raise bad_request(_IMAGE_FAILED)
    if width < 1 or height < 1:
        raise bad_request(_IMAGE_FAILED)
    if width + height > MAX_SIDES_SUM or max(width, height) > MAX_ASPECT * min(width, height):
        raise bad_request("PHOTO_INVALID_DIMENSIONS")
    return width, height


def _png_dimensions(data: bytes) -> tuple[int, int]:
    """From the IHDR chunk, which must come first and pass its CRC; a PNG must end with IEND."""
    header = data[8:33]
    if len(header) < 25 or header[4:8] != b"IHDR" or struct.unpack(">I", header[:4])[0] != 13:
        raise bad_request(_IMAGE_FAILED)
    if zlib.crc32(header[4:21]) != struct.unpack(">I", header[21:25])[0]:
        raise bad_request(_IMAGE_FAILED)
    if not data.endswith(b"IEND\xaeB`\x82"):  # a cut-off upload
        raise bad_request(_IMAGE_FAILED)
    width, height = struct.unpack(">II", header[8:16])
    return width, height


def _jpeg_dimensions(data: bytes) -> tuple[int, int]:
    """From the first frame header, walking the segments after the start-of-image marker."""
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            break
        marker = data[at + 1]
        length = struct.unpack(">H", data[at + 2 : at + 4])[0]
        if marker in _JPEG_FRAMES and at + 9 <= len(data):
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + length
    raise bad_request(_IMAGE_FAILED)


def caption_of(params: dict) -> tuple[str, list[dict]]:
    """The photo's caption as stored (plain text, entities), checked as Telegram does."""
    caption = params.get("caption")
    if caption in (None, ""):
        return "", []
    try:
        plain, entities = build_text(caption, params.get("parse_mode"), params.get("caption_entities"), what="caption")
    except APIError as error:  # over a message's 4,096 units: over a caption's 1,024 all the more
        if "message is too long" in error.description:
            raise bad_request("message caption is too long") from None
        raise
    if utf16_len(plain) > MAX_CAPTION_UTF16:
        raise bad_request("message caption is too long")
    return plain, entities


def photo_sizes(data: bytes, width: int, height: int) -> list[dict[str, Any]]:
    """The PhotoSize list Telegram answers with: here the one size uploaded, its id from its bytes."""
    digest = hashlib.sha256(data).hexdigest()
    return [{"file_id": f"photo-{digest[:32]}", "file_unique_id": digest[:16], "width": width, "height": height,
             "file_size": len(data)}]


"""The emulator's sendPhoto, as strict as Telegram: a real image read from its bytes (PNG or
JPEG), at most 10 MB and of sizes Telegram takes, a caption of at most 1,024 UTF-16 units
after its entities; uploaded as python-telegram-bot uploads it (multipart), through our
aiohttp request class."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
import pytest_asyncio
import telegram
from matplotlib.figure import Figure
from telegram.error import BadRequest

from bot.aiohttp_request import AiohttpRequest
from emulator import BotAPIEmulator

TOKEN = "123456:TEST-token"
USER = 1001


def png(width: int = 40, height: int = 30) -> bytes:
    figure = Figure(figsize=(width / 10, height / 10), dpi=10)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG's signature and header chunk claiming these sizes (CRC right), then its end."""
    ihdr = b"IHDR" + struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    iend = b"IEND"
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + ihdr + struct.pack(">I", zlib.crc32(ihdr))
            + struct.pack(">I", 0) + iend + struct.pack(">I", zlib.crc32(iend)))


@pytest_asyncio.fixture
async def world():
    async with BotAPIEmulator(token=TOKEN, bot_username="akhbar_test_bot") as emu:
        emu.add_user(user_id=USER, first_name="Amina", language_code="ar")
        bot = telegram.Bot(TOKEN, base_url=f"{emu.api_url}/bot", request=AiohttpRequest())
        async with bot:
            yield emu, bot


async def test_a_png_is_stored_with_its_sizes_and_caption(world):
    emu, bot = world
    picture = png(40, 30)
    sent = await bot.send_photo(USER, picture, caption="<b>آخر</b> 30 يوما", parse_mode="HTML")
    assert (sent.photo[-1].width, sent.photo[-1].height, sent.photo[-1].file_size) == (40, 30, len(picture))
    assert sent.caption == "آخر 30 يوما" and sent.caption_entities[0].type == "bold" and sent.text is None
    (record,) = emu.messages(USER)
    assert record["photo_bytes"] == picture and record["caption"] == "آخر 30 يوما"
    again = await bot.send_photo(USER, sent.photo[-1].file_id)  # by file_id, as Telegram lets one
    assert again.photo[-1].file_unique_id == sent.photo[-1].file_unique_id
    with pytest.raises(BadRequest, match="no text in the message to edit"):
        await bot.edit_message_text("نص", chat_id=USER, message_id=sent.message_id)


async def test_a_jpeg_is_a_photo_too(world):
    _, bot = world
    out = io.BytesIO()
    Figure(figsize=(2, 1), dpi=50).savefig(out, format="jpg")
    sent = await bot.send_photo(USER, out.getvalue())
    assert (sent.photo[-1].width, sent.photo[-1].height) == (100, 50)


@pytest.mark.parametrize(("upload", "reason"), [
    (b"GIF89a not a photo Telegram takes here", "IMAGE_PROCESS_FAILED"),
    (b"picture.png", "IMAGE_PROCESS_FAILED"),  # a name is not an image
    (png()[:-20], "IMAGE_PROCESS_FAILED"),  # cut off on the way
    (png()[:19] + b"\x29" + png()[20:], "IMAGE_PROCESS_FAILED"),  # its width changed: the header's CRC fails
    (png_header(9_000, 1_001), "PHOTO_INVALID_DIMENSIONS"),  # width + height over 10,000
    (png_header(2_100, 100), "PHOTO_INVALID_DIMENSIONS"),  # 21 times wider than high
    (png_header(0, 10), "IMAGE_PROCESS_FAILED"),
    (png() + b"\x00" * (10 * 1024 * 1024), "PHOTO_SAVE_FILE_INVALID"),  # over 10 MB
])
async def test_what_telegram_would_refuse_is_refused(world, upload, reason):
    emu, bot = world
    with pytest.raises(BadRequest, match=f"(?i){reason}"):  # PTB capitalizes Telegram's words
        await bot.send_photo(USER, upload)
    assert emu.messages(USER) == [] and emu.violations[-1]["method"] == "sendphoto"


async def test_a_caption_holds_1024_utf16_units_after_its_entities(world):
    emu, bot = world
    sent = await bot.send_photo(USER, png(), caption="<b>" + "خ" * 1024 + "</b>", parse_mode="HTML")
    assert len(sent.caption) == 1024
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_photo(USER, png(), caption="😀" * 513)  # 1,026 UTF-16 units in 513 characters
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_photo(USER, png(), caption="خ" * 5000)  # past a message's limit too: the same answer
    with pytest.raises(BadRequest, match="(?i)wrong file identifier"):
        await bot.send_photo(USER, "no-such-file-id")
    assert len(emu.messages(USER)) == 1

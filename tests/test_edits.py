"""A message edited after it was sent: a command (or, in a private chat, words to search) is
answered again as it now reads, once per edit, in the order of the chat's updates; what the bot
never answers (a group's chatter, a channel's news post, a live location moving) stays silent
when edited, and is not counted against the reader's flood allowance."""

import re
from datetime import time

import pytest

from bot.handlers.flood import MAX_IN_WINDOW

from .conftest import SHARED_LOOP

pytestmark = SHARED_LOOP

READ_LINK = re.compile(r"/read_(\d+)")


@pytest.fixture(scope="module")
def shared_world(shared_world_on_each_engine):
    return shared_world_on_each_engine


@pytest.fixture
def reader(shared):
    return shared.fresh_id()


async def edit(world, chat_id: int, message: dict, text: str, replies: int = 1) -> list[dict]:
    """The author edits `message` to `text`; the bot's `replies` new messages."""
    before = len(world.emu.messages(chat_id))
    world.emu.edit_message(chat_id, message["message_id"], text)
    return (await world.emu.wait_for_messages(chat_id, before + replies))[before:]


def said_last(world, user_id: int) -> dict:
    """The user's own last message in their chat with the bot."""
    return [m for m in world.emu.chat_messages(user_id) if m["from"]["id"] == user_id][-1]


async def test_an_edited_search_is_answered_as_it_now_reads(shared, reader):
    (none,) = await shared.ask(reader, "/search وهرن")
    assert "لا نتائج" in none["text"]
    typo = said_last(shared, reader)
    (found,) = await edit(shared, reader, typo, "/search وهران")
    assert "وهران" in found["text"] and READ_LINK.search(found["text"])
    # Each edit is answered once: a second edit, a second answer; nothing else came.
    (again,) = await edit(shared, reader, typo, "/latest 2")
    assert len(READ_LINK.findall(again["text"])) == 2
    await shared.handled_everything()
    assert len(shared.emu.messages(reader)) == 3


async def test_words_searched_in_a_private_chat_are_searched_again_when_edited(shared, reader):
    (none,) = await shared.ask(reader, "وهرن")
    assert "لا نتائج" in none["text"]
    (found,) = await edit(shared, reader, said_last(shared, reader), "وهران")
    assert "وهران" in found["text"] and READ_LINK.search(found["text"])


async def test_a_command_and_its_quick_edit_are_answered_in_that_order(shared, reader):
    """Both updates in one batch (the reader fixed the typo at once): the edit's answer comes
    after the first one's, never before it."""
    sent = shared.emu.send_message(reader, reader, "/search وهرن")
    shared.emu.edit_message(reader, sent["message_id"], "/search وهران")
    first, second = await shared.emu.wait_for_messages(reader, 2)
    assert "لا نتائج" in first["text"]
    assert "وهران" in second["text"] and READ_LINK.search(second["text"])


async def test_a_live_location_moving_gets_no_answers_and_is_no_flood(shared, reader):
    """Telegram edits a live location's message every few seconds: the bot answered the
    location once (it has no words), and stays quiet as it moves — nor does it take the moves
    for a reader flooding it."""
    location = shared.emu.share_live_location(reader, reader, 36.7, 3.05)
    (hint,) = await shared.emu.wait_for_messages(reader, 1)
    assert "أفهم الأوامر" in hint["text"]
    for step in range(3 * MAX_IN_WINDOW):
        shared.emu.move_live_location(reader, location["message_id"], 36.7 + step / 1000, 3.05)
    (help_,) = await shared.ask(reader, "/help")
    assert "قائمة الأوامر" in help_["text"]  # the answer itself, not the flood notice
    await shared.handled_everything()
    assert len(shared.emu.messages(reader)) == 2


async def test_a_groups_edited_chatter_is_ignored_and_an_edited_command_answered(shared, reader):
    group = -shared.fresh_id()
    member = shared.fresh_id()
    shared.emu.add_group(chat_id=group, title="نادي القراءة", admins=[reader], members=[member])
    chatter = shared.emu.send_message(group, member, "صباح الخير للجميع")
    for n in range(3 * MAX_IN_WINDOW):  # a member fixing their own old message, again and again
        shared.emu.edit_message(group, chatter["message_id"], f"صباح الخير للجميع {n}")
    command = shared.emu.send_message(group, member, "/frobnicate")  # another bot's, say: silence
    shared.emu.edit_message(group, command["message_id"], "/frobnicate again")
    await shared.handled_everything()
    assert shared.emu.messages(group) == []
    # The same member, not slowed down by their edits, fixes the chatter into a command.
    (latest,) = await edit(shared, group, chatter, "/latest@akhbar_test_bot 2")
    assert len(READ_LINK.findall(latest["text"])) == 2
    (three,) = await edit(shared, group, chatter, "/latest 3")
    assert len(READ_LINK.findall(three["text"])) == 3


async def test_a_channels_edited_post_is_answered_only_if_it_is_a_command(shared):
    channel, editor = -1_000_000_000_000 - shared.fresh_id(), shared.fresh_id()
    shared.emu.add_user(user_id=editor, first_name="editor")
    shared.emu.add_channel(channel, title="أخبار الولاية", admins=[editor])
    news = shared.emu.post_in_channel(channel, "خبر عاجل من مراسلنا", author_id=editor)
    shared.emu.edit_message(channel, news["message_id"], "خبر عاجل من مراسلنا في وهران")
    await shared.handled_everything()
    assert shared.emu.messages(channel) == []  # the channel's own news, edited: none of the bot's business
    before = len(shared.emu.messages(channel))
    command = shared.emu.post_in_channel(channel, "/settime 07:00", author_id=editor)
    await shared.emu.wait_for_messages(channel, before + 1)
    # The admin meant half past eight: the channel's setting follows the edit.
    (moved,) = await edit(shared, channel, command, "/settime 08:30")
    assert "08:30" in moved["text"]
    assert (await shared.services.chats.get(channel)).digest_time == time(8, 30)

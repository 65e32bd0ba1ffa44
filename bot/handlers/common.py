"""Small helpers every handler shares: the parts of an update a handler is registered for,
the reader's language, the chat an update is about, sending replies, and who may change a
group's settings."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from telegram import CallbackQuery, Chat, ChatMember, InlineKeyboardMarkup, InputFile, LinkPreviewOptions, Message, Update
from telegram.ext import CommandHandler, filters

from bot import views
from bot.context import AkhbarContext, ChatData, Reader
from bot.i18n import supported, t
from news.services import ChatRef
from news.text import has_visible

# A coroutine function, as PTB's handlers take them.
Handler = Callable[[Update, AkhbarContext], Coroutine[Any, Any, None]]

_T = TypeVar("_T")

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


# Readers' commands come as messages (private chats, groups) or as posts in a channel the
# bot administers, new or edited (bot/handlers/edits.py); admin commands only as messages,
# where the sender is known.
_READER_COMMAND_UPDATES = filters.UpdateType.MESSAGES | filters.UpdateType.CHANNEL_POSTS


# --- what a handler's registration guarantees -------------------------------------------------
# PTB types every part of an update as optional; a handler knows which parts its registration
# guarantees (a command comes in a message, a CallbackQueryHandler's update has a callback
# query) and takes them here, with a clear error should one be missing after all.


def required(value: _T | None, what: str) -> _T:
    """`value`, which the handler's registration guarantees is there."""
    if value is None:
        raise RuntimeError(f"the update has no {what}, though its handler is registered for updates that do")
    return value


def effective_chat(update: Update) -> Chat:
    return required(update.effective_chat, "chat")


def chat_id(update: Update) -> int:
    return effective_chat(update).id


def effective_message(update: Update) -> Message:
    return required(update.effective_message, "message")


def message_text(update: Update) -> str:
    """The text of a command (or of a message a text filter let through)."""
    return required(effective_message(update).text, "message text")


def command_argument(update: Update) -> str:
    """What a reader typed after the command, whatever separates them — a space, several, a
    newline, a tab, a no-break space (the whitespace PTB splits `context.args` on) — with the
    whitespace around it dropped and the rest as typed; "" when nothing a reader would see
    follows (only zero-width spaces or direction marks: the command alone, whose usage line
    helps, where an echo of «» would not).  A message that is no command is its whole text."""
    text = effective_message(update).text or ""
    if not text.startswith("/"):
        return text.strip()
    parts = text.split(maxsplit=1)  # the command (with its @bot), then everything after it
    argument = parts[1].strip() if len(parts) > 1 else ""
    return argument if has_visible(argument) else ""


def callback(update: Update) -> CallbackQuery:
    """The button press of a CallbackQueryHandler's update."""
    return required(update.callback_query, "callback query")


def callback_data(update: Update) -> str:
    """The pressed button's data, which the handler's pattern matched."""
    return required(callback(update).data, "callback data")


def chat_data(context: AkhbarContext) -> ChatData:
    """What the bot remembers of the update's chat (PTB has it for every update with a chat)."""
    return required(context.chat_data, "chat data")


# --- commands, the reader, replies, permissions ------------------------------------------


def reader_command(names: str | list[str], callback: Handler) -> CommandHandler:
    """A command readers may give in a private chat, a group or a channel."""
    return CommandHandler(names, callback, filters=_READER_COMMAND_UPDATES)


async def reader_of(update: Update, context: AkhbarContext) -> Reader:
    """The stored chat's choices; for a chat we have not stored, the Telegram language of
    whoever is asking (in a group: the member's own, until the group has one — bot added, or
    an admin's /lang).

    Cached in chat_data so a command costs no extra query; `forget_reader` drops the cache
    whenever a handler changes the stored chat.  Not on PostgreSQL: there other processes may
    answer the chat too (receivers behind a proxy), and one of them may have changed it.
    """
    cache = context.chat_data if context.settings.database_url is None else None
    if cache is not None and cache.reader is not None:
        return cache.reader
    chat_id = update.effective_chat.id if update.effective_chat else None
    if chat_id is None and update.effective_user is not None:
        # No chat (inline mode): the reader as in their private chat with us, whose id is theirs.
        chat_id = update.effective_user.id
    chat = await context.services.subscriptions.get(chat_id) if chat_id is not None else None
    if chat:
        reader = Reader(chat.lang, chat.tz)
    else:
        user = update.effective_user
        reader = Reader(supported(user.language_code if user else None), context.settings.timezone)
    # Not a guess for a whole group from one member: the first one's language stayed the
    # group's for everybody (in this process, until it restarted).
    if cache is not None and (chat is not None or effective_chat(update).type == Chat.PRIVATE):
        cache.reader = reader
    return reader


async def reader_lang(update: Update, context: AkhbarContext) -> str:
    return (await reader_of(update, context)).lang


def forget_reader(context: AkhbarContext) -> None:
    if context.chat_data is not None:
        context.chat_data.reader = None


def chat_title(update: Update) -> str:
    chat = update.effective_chat
    return chat.title or chat.full_name or "" if chat else ""


def chat_ref(update: Update) -> ChatRef:
    """The chat this update comes from, as the services know chats."""
    chat = effective_chat(update)
    return ChatRef(chat.id, chat.type, chat_title(update))


def topic_of(update: Update) -> int | None:
    """The forum topic an update was written in, if any: replies and alerts go back there."""
    message = update.effective_message
    return message.message_thread_id if message is not None and message.is_topic_message else None


async def send(
    update: Update,
    context: AkhbarContext,
    messages: Sequence[str],
    keyboard: InlineKeyboardMarkup | None = None,
    preview: bool = False,
) -> list[Message]:
    """Send rendered messages to the update's chat in order (in a forum, to the topic the update
    came from); the keyboard goes on the last one."""
    sent = []
    thread_id = topic_of(update)
    for index, text in enumerate(messages):
        sent.append(
            await context.bot.send_message(
                chat_id=chat_id(update),
                text=text,
                message_thread_id=thread_id,
                parse_mode="HTML",
                reply_markup=keyboard if index == len(messages) - 1 else None,
                link_preview_options=None if preview else _NO_PREVIEW,
            )
        )
    return sent


async def send_photo(update: Update, context: AkhbarContext, png: bytes, caption: str) -> Message:
    """Send a picture to the update's chat (in a forum, to the topic the update came from),
    with a rendered caption (HTML, at most 1,024 characters)."""
    return await context.bot.send_photo(
        chat_id=chat_id(update),
        photo=InputFile(png, filename="chart.png"),
        caption=caption,
        message_thread_id=topic_of(update),
        parse_mode="HTML",
    )


_ADMIN_CACHE_SECONDS = 300


async def may_change_settings(update: Update, context: AkhbarContext) -> bool:
    """In a private chat, the reader; in a group or channel, only its admins (asked of
    Telegram, and remembered for a few minutes so a settings session costs one call).  A
    channel post has no sender, but only a channel's admins can post in it; likewise only a
    group's admins can write as the group itself (anonymously: the sender Telegram gives is
    then a placeholder, @GroupAnonymousBot, no admin of anything)."""
    chat, user = effective_chat(update), update.effective_user
    if chat.type == "private":
        return True
    message = update.effective_message
    if update.callback_query is None and message is not None and message.sender_chat is not None:
        return message.sender_chat.id == chat.id
    if user is None:
        return chat.type == "channel" and (update.channel_post or update.edited_channel_post) is not None
    cache = chat_data(context).admins
    now = datetime.now(UTC).timestamp()
    if user.id in cache and now - cache[user.id][0] < _ADMIN_CACHE_SECONDS:
        return cache[user.id][1]
    member = await context.bot.get_chat_member(chat.id, user.id)
    allowed = member.status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER)
    cache[user.id] = (now, allowed)
    return allowed


async def may_post_with_button(update: Update, context: AkhbarContext) -> bool:
    """Whether a button press may make the bot post into its chat.  In a channel everyone who
    reads it can press the buttons under the bot's posts, but only its admins post there: a
    reader's press is answered with a pop-up pointing to the bot, and nothing is posted."""
    if effective_chat(update).type != "channel" or await may_change_settings(update, context):
        return True
    lang = (await reader_of(update, context)).lang
    await callback(update).answer(t(lang, "channel_button_readers", bot=context.bot.username), show_alert=True)
    return False


async def allowed_to_change(update: Update, context: AkhbarContext) -> bool:
    """`may_change_settings`, and when not, the polite refusal: a pop-up alert as a button
    press's one answer, a message for a command."""
    if await may_change_settings(update, context):
        return True
    lang = (await reader_of(update, context)).lang
    if update.callback_query:
        await update.callback_query.answer(t(lang, "admins_only"), show_alert=True)
    else:
        await send(update, context, views.notice(lang, "admins_only"))
    return False

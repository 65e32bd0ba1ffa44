"""Small helpers every handler shares: the services, the reader's language, sending replies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from datetime import UTC, datetime

from telegram import ChatMember, InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.ext import CommandHandler, ContextTypes, filters

from bot import views
from bot.i18n import supported, t
from bot.services import Services
from news.model import Chat

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


# Readers' commands come as messages (private chats, groups) or as posts in a channel the
# bot administers; admin commands only as messages, where the sender is known.
_READER_COMMAND_UPDATES = filters.UpdateType.MESSAGES | filters.UpdateType.CHANNEL_POST


def reader_command(names: str | list[str], callback) -> CommandHandler:
    """A command readers may give in a private chat, a group or a channel."""
    return CommandHandler(names, callback, filters=_READER_COMMAND_UPDATES)


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.bot_data["services"]


@dataclass(frozen=True, slots=True)
class Reader:
    """How this chat reads: its interface language and its time zone."""

    lang: str
    tz: str


async def reader_of(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Reader:
    """The stored chat's choices; for a chat we have not stored, its Telegram language.

    Cached in chat_data so a command costs no extra query; `forget_reader` drops the cache
    whenever a handler changes the stored chat.
    """
    if context.chat_data is not None and (cached := context.chat_data.get("reader")):
        return cached
    svc = services(context)
    chat = await svc.chats.get(update.effective_chat.id) if update.effective_chat else None
    if chat:
        reader = Reader(chat.lang, chat.tz)
    else:
        user = update.effective_user
        reader = Reader(supported(user.language_code if user else None), svc.settings.timezone)
    if context.chat_data is not None:
        context.chat_data["reader"] = reader
    return reader


async def reader_lang(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    return (await reader_of(update, context)).lang


def forget_reader(context: ContextTypes.DEFAULT_TYPE) -> None:
    if context.chat_data is not None:
        context.chat_data.pop("reader", None)


def chat_title(update: Update) -> str:
    chat = update.effective_chat
    return chat.title or chat.full_name or "" if chat else ""


async def send(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    messages: Sequence[str],
    keyboard: InlineKeyboardMarkup | None = None,
    preview: bool = False,
) -> list[Message]:
    """Send rendered messages to the update's chat in order; the keyboard goes on the last one."""
    sent = []
    for index, text in enumerate(messages):
        sent.append(
            await context.bot.send_message(
                chat_id=update.effective_chat.id,
                text=text,
                parse_mode="HTML",
                reply_markup=keyboard if index == len(messages) - 1 else None,
                link_preview_options=None if preview else _NO_PREVIEW,
            )
        )
    return sent


_ADMIN_CACHE_SECONDS = 300


async def may_change_settings(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """In a private chat, the reader; in a group or channel, only its admins (asked of
    Telegram, and remembered for a few minutes so a settings session costs one call).  A
    channel post has no sender, but only a channel's admins can post in it."""
    chat, user = update.effective_chat, update.effective_user
    if chat.type == "private":
        return True
    if user is None:
        return chat.type == "channel" and update.channel_post is not None
    cache: dict[int, tuple[float, bool]] = context.chat_data.setdefault("admins", {})
    now = datetime.now(UTC).timestamp()
    if user.id in cache and now - cache[user.id][0] < _ADMIN_CACHE_SECONDS:
        return cache[user.id][1]
    member = await context.bot.get_chat_member(chat.id, user.id)
    allowed = member.status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER)
    cache[user.id] = (now, allowed)
    return allowed


async def allowed_to_change(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
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


async def stored_chat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Chat:
    """This chat's row, created with the defaults the first time."""
    svc = services(context)
    chat = update.effective_chat
    reader = await reader_of(update, context)
    return await svc.chats.ensure(
        chat.id, type=chat.type, title=chat_title(update), lang=reader.lang,
        tz=svc.settings.timezone, digest_time=svc.settings.digest_time,
    )


def first_due(chat: Chat, now: datetime) -> datetime:
    """The next digest instant from `now`, for a chat (re)starting its schedule."""
    return chat.next_due_after(now)

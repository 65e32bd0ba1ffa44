"""Small helpers every handler shares: the services, the reader's language, sending replies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.ext import ContextTypes

from bot.i18n import supported
from bot.services import Services

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


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

"""The last line of defence: log what broke (without the token) and answer the reader kindly."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import ChatMigrated, Forbidden
from telegram.ext import ContextTypes

from bot import views
from bot.handlers.common import reader_lang, send, services

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    error = context.error
    chat = update.effective_chat if isinstance(update, Update) else None
    if isinstance(error, Forbidden) and chat is not None:
        # We may not write there any more (blocked, kicked, deleted account): soft-disable.
        await services(context).chats.mark_inactive(chat.id, error.message[:200])
        log.info("chat %s is unreachable: %s", chat.id, error.message)
        return
    if isinstance(error, ChatMigrated) and chat is not None:
        # The group became a supergroup: its settings follow it to the new id.
        await services(context).chats.migrate(chat.id, error.new_chat_id)
        log.info("chat %s migrated to %s", chat.id, error.new_chat_id)
        return
    log.error("error while handling an update", exc_info=error)
    if chat is None:
        return
    try:
        await send(update, context, views.notice(await reader_lang(update, context), "error"))
    except Exception:  # the apology itself failed; the first error is already logged
        log.warning("could not tell chat %s about the error", chat.id)

"""What no feature claimed: an unknown command, plain text, a stale button.

In a group the bot stays quiet unless a command is addressed to it by name: other people's
conversation is none of its business.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot import views
from bot.context import AkhbarContext
from bot.handlers.common import callback, effective_chat, message_text, reader_lang, send
from bot.i18n import t


async def unknown_command(update: Update, context: AkhbarContext) -> None:
    if effective_chat(update).type != "private":
        command = message_text(update).split()[0]
        if "@" not in command or command.split("@", 1)[1].lower() != context.bot.username.lower():
            return
    await send(update, context, views.notice(await reader_lang(update, context), "unknown_command"))


async def plain_text(update: Update, context: AkhbarContext) -> None:
    await send(update, context, views.notice(await reader_lang(update, context), "plain_text"))


async def stale_button(update: Update, context: AkhbarContext) -> None:
    await callback(update).answer(t(await reader_lang(update, context), "button_expired"))


def register(app: Application) -> None:
    # Not in channels: their posts are the admins' news, and other bots' commands.
    app.add_handler(MessageHandler(filters.COMMAND & ~filters.UpdateType.CHANNEL_POSTS, unknown_command))
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & ~filters.COMMAND & ~filters.StatusUpdate.ALL, plain_text))
    app.add_handler(CallbackQueryHandler(stale_button))

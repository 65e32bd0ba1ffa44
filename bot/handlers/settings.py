"""/settings (what the bot knows of this chat) and /lang (the interface language)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler

from bot import views
from bot.context import AkhbarContext
from bot.handlers.common import (
    allowed_to_change,
    callback_data,
    chat_id,
    chat_ref,
    command_argument,
    forget_reader,
    reader_command,
    reader_of,
    send,
)
from bot.handlers.digest import settings_keyboard
from bot.i18n import LANGUAGE_NAMES, language_named


async def settings(update: Update, context: AkhbarContext) -> None:
    reader = await reader_of(update, context)
    chat = await context.services.subscriptions.get(chat_id(update))
    await send(
        update,
        context,
        views.settings_message(chat, reader.lang, reader.tz, context.settings.digest_time),
        settings_keyboard(chat, reader.lang),
    )


async def _set_lang(update: Update, context: AkhbarContext, lang: str) -> None:
    if not await allowed_to_change(update, context):
        return
    if update.callback_query:
        await update.callback_query.answer()
    await context.services.subscriptions.set_lang(chat_ref(update), lang)
    forget_reader(context)
    await send(update, context, views.notice(lang, "lang_set"))


async def lang(update: Update, context: AkhbarContext) -> None:
    reader = await reader_of(update, context)
    typed = command_argument(update)
    if typed:
        choice = language_named(typed) or language_named(typed.split()[0])
        if choice is not None:
            await _set_lang(update, context, choice)
        else:
            await send(update, context, views.notice(reader.lang, "lang_unknown"))
        return
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(name, callback_data=f"lang:{code}") for code, name in LANGUAGE_NAMES.items()]]
    )
    await send(update, context, views.notice(reader.lang, "lang_choose"), keyboard)


async def lang_button(update: Update, context: AkhbarContext) -> None:
    await _set_lang(update, context, callback_data(update).removeprefix("lang:"))


def register(app: Application) -> None:
    app.add_handler(reader_command("settings", settings))
    # /language and /langue: what readers guess before they read /help.
    app.add_handler(reader_command(["lang", "language", "langue"], lang))
    app.add_handler(CallbackQueryHandler(lang_button, pattern=r"^lang:(ar|fr|en)$"))

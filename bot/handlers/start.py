"""/start and /help: the welcome, and every command with one line each."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application

from bot import views
from bot.context import AkhbarContext
from bot.handlers.common import chat_ref, chat_title, reader_command, reader_lang, send
from bot.i18n import t
from bot.render import escape


async def start(update: Update, context: AkhbarContext) -> None:
    lang = await reader_lang(update, context)
    greeting = await context.services.subscriptions.greet(chat_ref(update), lang)
    name = escape(update.effective_user.first_name if update.effective_user else chat_title(update))
    if greeting.returning:
        # A reader coming back (after blocking us, or just again): everything is still here.
        await send(update, context, views.notice(lang, "welcome_back", name=name))
        return
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(t(lang, "button_subscribe"), callback_data="subscribe")],
            [InlineKeyboardButton(t(lang, "button_latest"), callback_data="latest")],
        ]
    )
    await send(update, context, views.notice(lang, "welcome", name=name), keyboard)


async def help_command(update: Update, context: AkhbarContext) -> None:
    await send(update, context, views.help_message(await reader_lang(update, context)))


def register(app: Application) -> None:
    app.add_handler(reader_command("start", start))
    app.add_handler(reader_command("help", help_command))

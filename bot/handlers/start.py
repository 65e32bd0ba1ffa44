"""/start and /help: the welcome, and every command with one line each."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, ContextTypes

from bot import views
from bot.handlers.common import chat_title, reader_command, reader_lang, send, services
from bot.handlers.subscription import reactivate
from bot.i18n import t
from bot.render import escape


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    lang = await reader_lang(update, context)
    chat = update.effective_chat
    known = await svc.chats.get(chat.id)
    stored = known or await svc.chats.ensure(
        chat.id,
        type=chat.type,
        title=chat_title(update),
        lang=lang,
        tz=svc.settings.timezone,
        digest_time=svc.settings.digest_time,
    )
    name = escape(update.effective_user.first_name if update.effective_user else chat_title(update))
    if not stored.active:
        await reactivate(svc, chat.id)
    if known and known.subscribed:
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


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, context, views.help_message(await reader_lang(update, context)))


def register(app: Application) -> None:
    app.add_handler(reader_command("start", start))
    app.add_handler(reader_command("help", help_command))

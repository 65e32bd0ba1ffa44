"""/start and /help: the welcome, and every command with one line each."""

from __future__ import annotations

import base64

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application

from bot import views
from bot.context import AkhbarContext
from bot.handlers.common import chat_ref, chat_title, effective_chat, reader_command, reader_lang, send
from bot.handlers.follow import offer_follow
from bot.handlers.news import show_article
from bot.i18n import t
from bot.render import quoted_name


def deep_link_text(payload: str) -> str:
    """The text of a `follow_…` deep link: base64url of UTF-8 (what a link to Arabic text must
    be, since a start parameter holds only A-Z a-z 0-9 _ -), or plain words joined by _."""
    try:
        decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        decoded = ""
    if decoded and decoded.isprintable():
        return decoded
    return payload.replace("_", " ")


async def start(update: Update, context: AkhbarContext) -> None:
    # Deep links: t.me/<bot>?start=read_12 opens that article, ?start=follow_… offers to follow,
    # ?start=help (the button above an inline answer) lists the commands.
    payload = context.args[0] if context.args else ""
    if payload == "help":
        await help_command(update, context)
        return
    if payload.startswith("read_"):
        await show_article(update, context, payload.removeprefix("read_"))
        return
    if payload.startswith("follow_"):
        await offer_follow(update, context, deep_link_text(payload.removeprefix("follow_")))
        return
    lang = await reader_lang(update, context)
    greeting = await context.services.subscriptions.greet(chat_ref(update), lang)
    name = quoted_name(update.effective_user.first_name if update.effective_user else chat_title(update))
    if greeting.returning:
        # A reader coming back (after blocking us, or just again): everything is still here.
        # In a group the subscription is the group's, not the member's who typed /start (who
        # may never have used the bot): the group is welcomed back.
        if effective_chat(update).type != "private":
            name = quoted_name(chat_title(update))
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

"""What no feature claimed: an unknown command, plain text, a stale button.

Words typed without a command in a private chat are a search (`سوناطراك`, `قايد صالح`), with a
line saying that /search exists; a greeting, thanks, or too little to search gets the hint of
what the bot understands.  In a group the bot stays quiet unless a command is addressed to it
by name: other people's conversation is none of its business.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot import views
from bot.context import AkhbarContext
from bot.handlers.common import callback, effective_chat, effective_message, message_text, reader_lang, send
from bot.handlers.search import show_results
from bot.i18n import GREETINGS, t
from news.search import STOPWORDS
from news.text import words

# Each greeting as the words it normalizes to, longest first (so "السلام عليكم ورحمة الله"
# is taken whole before "السلام عليكم").
_GREETINGS = sorted({tuple(words(greeting)) for greeting in GREETINGS}, key=len, reverse=True)
_LEAST_LETTERS = 2


def small_talk(text: str) -> bool:
    """Whether plain text is said to the bot rather than searched for: what is left once
    greetings and thanks (in any of our languages) are set aside is only stopwords, or fewer
    than two letters or digits."""
    said, left, at = words(text), [], 0
    while at < len(said):
        greeting = next((g for g in _GREETINGS if tuple(said[at : at + len(g)]) == g), None)
        if greeting is None:
            left.append(said[at])
        at += len(greeting) if greeting else 1
    meaningful = [word for word in left if word not in STOPWORDS]
    return sum(char.isalnum() for word in meaningful for char in word) < _LEAST_LETTERS


async def unknown_command(update: Update, context: AkhbarContext) -> None:
    if effective_chat(update).type != "private":
        command = message_text(update).split()[0]
        if "@" not in command or command.split("@", 1)[1].lower() != context.bot.username.lower():
            return
    await send(update, context, views.notice(await reader_lang(update, context), "unknown_command"))


async def plain_text(update: Update, context: AkhbarContext) -> None:
    text = (effective_message(update).text or "").strip()  # a photo or a sticker has none
    if small_talk(text):
        await send(update, context, views.notice(await reader_lang(update, context), "plain_text"))
        return
    await show_results(update, context, text, hint=True)


async def stale_button(update: Update, context: AkhbarContext) -> None:
    await callback(update).answer(t(await reader_lang(update, context), "button_expired"))


def register(app: Application) -> None:
    # Not in channels: their posts are the admins' news, and other bots' commands.
    app.add_handler(MessageHandler(filters.COMMAND & ~filters.UpdateType.CHANNEL_POSTS, unknown_command))
    # A message sent via a bot is a shared headline (inline mode), not words to search.
    said = filters.ChatType.PRIVATE & ~filters.COMMAND & ~filters.StatusUpdate.ALL & ~filters.VIA_BOT
    app.add_handler(MessageHandler(said, plain_text))
    app.add_handler(CallbackQueryHandler(stale_button))

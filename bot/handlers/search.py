"""/search QUERY: the archive, best matches first, matched words in bold, a button for more.

The query itself cannot ride in a button (callback data holds 64 bytes), so the chat keeps its
recent queries under short keys; a button from before a restart politely says it expired.
"""

from __future__ import annotations

import itertools

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler

from bot import views
from bot.context import AkhbarContext
from bot.handlers.common import callback, callback_data, chat_data, message_text, reader_command, reader_of, send
from bot.i18n import t

_KEPT_QUERIES = 20
_keys = itertools.count(1)


async def show_results(update: Update, context: AkhbarContext, text: str, offset: int = 0, hint: bool = False) -> None:
    """A page of results for `text`; `hint` (words typed without /search) adds a line saying
    /search exists."""
    reader = await reader_of(update, context)
    page = await context.services.reading.search(text, offset)
    if page is None:
        await send(update, context, views.search_none(text, reader.lang, hint))
        return
    keyboard = None
    if page.has_more:
        searches = chat_data(context).searches
        key = next(_keys)
        searches[key] = text
        for old in list(searches)[:-_KEPT_QUERIES]:
            del searches[old]
        button = InlineKeyboardButton(t(reader.lang, "search_more"), callback_data=f"search:{key}:{page.next_offset}")
        keyboard = InlineKeyboardMarkup([[button]])
    results = views.search_results(text, page.query, list(page.hits), reader.lang, reader.tz, hint)
    await send(update, context, results, keyboard)


async def search(update: Update, context: AkhbarContext) -> None:
    text = message_text(update).partition(" ")[2].strip()
    if not text:
        await send(update, context, views.notice((await reader_of(update, context)).lang, "search_usage"))
        return
    await show_results(update, context, text)


async def more(update: Update, context: AkhbarContext) -> None:
    query = callback(update)
    _, key, offset = callback_data(update).split(":")
    text = chat_data(context).searches.get(int(key))
    if text is None:
        await query.answer(t((await reader_of(update, context)).lang, "button_expired"))
        return
    await query.answer()
    await show_results(update, context, text, int(offset))


def register(app: Application) -> None:
    app.add_handler(reader_command("search", search))
    app.add_handler(CallbackQueryHandler(more, pattern=r"^search:\d{1,9}:\d{1,6}$"))

"""/search QUERY: the archive, best matches first, matched words in bold, a button for more.

The query itself cannot ride in a button (callback data holds 64 bytes), so it is kept in the
database under a short key (news.services.buttons): any process of the bot can answer the
press, before or after a restart; a chat's older queries are forgotten, and their buttons
politely say they expired.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler

from bot import views
from bot.context import AkhbarContext
from bot.handlers.common import (
    callback,
    callback_data,
    command_argument,
    effective_chat,
    may_post_with_button,
    reader_command,
    reader_of,
    send,
)
from bot.i18n import t


async def show_results(update: Update, context: AkhbarContext, text: str, offset: int = 0, hint: bool = False) -> None:
    """A page of results for `text`; `hint` (words typed without /search) adds a line saying
    /search exists."""
    reader = await reader_of(update, context)
    page = await context.services.reading.search(text, offset, lang=reader.lang, offer_arabic=True)
    if not page.hits:
        await send(update, context, views.search_none(text, page.query, reader.lang, hint))
        return
    chat = effective_chat(update).id
    buttons = []
    key = await context.services.buttons.remember(chat, "search", text) if page.has_more else None
    if key is not None:
        buttons.append(InlineKeyboardButton(t(reader.lang, "search_more"), callback_data=f"search:{key}:{page.next_offset}"))
    # Found as typed in French or English: the same search in Arabic, where most stories are
    # told, a press away (kept apart from the «more» buttons' texts, which it would push out).
    if (offer := page.also_in_arabic) is not None:
        arabic = await context.services.buttons.remember(chat, "search_ar", offer.search)
        if arabic is not None:
            label = t(reader.lang, "search_also_in_arabic", what=offer.said[:40])
            buttons.append(InlineKeyboardButton(label, callback_data=f"sa:{arabic}"))
    keyboard = InlineKeyboardMarkup([[button] for button in buttons]) if buttons else None
    number = (page.number, page.pages) if page.pages is not None else None
    results = views.search_results(
        text, page.query, list(page.hits), reader.lang, reader.tz, hint, page.read_in_arabic, number
    )
    await send(update, context, results, keyboard)


async def search(update: Update, context: AkhbarContext) -> None:
    text = command_argument(update)
    if not text:
        await send(update, context, views.notice((await reader_of(update, context)).lang, "search_usage"))
        return
    await show_results(update, context, text)


async def more(update: Update, context: AkhbarContext) -> None:
    """«More» (`search:KEY:OFFSET`), or the same search in Arabic (`sa:KEY`, its first page)."""
    query = callback(update)
    kind, key, *rest = callback_data(update).split(":")
    offset = rest[0] if rest else "0"
    text = await context.services.buttons.recall(
        effective_chat(update).id, "search" if kind == "search" else "search_ar", int(key)
    )
    if text is None:
        await query.answer(t((await reader_of(update, context)).lang, "button_expired"))
        return
    if not await may_post_with_button(update, context):
        return
    await query.answer()
    await show_results(update, context, text, int(offset))


def register(app: Application) -> None:
    app.add_handler(reader_command("search", search))
    app.add_handler(CallbackQueryHandler(more, pattern=r"^(search:\d{1,15}:\d{1,6}|sa:\d{1,15})$"))

"""Inline mode: a reader types `@bot سوناطراك` in any chat and picks one of up to 20 headlines
to send there — the headline, a link to its source and one that opens it in the bot.  Nothing
typed offers the latest; `read_<id>` (what /read's share button puts there) that one article.

The offers come from the sharing service (the search of /search, kept a few seconds per
query); the flood guard of bot/handlers/flood.py sees these queries as it sees commands.
There is no chat in inline mode: the reader is read as in their private chat with the bot
(its language and time zone; and the latest leaves out what they muted there, as /latest
does; a search is not filtered, as /search is not).  Whatever they type, the answer is a
list, never an error; when nothing matches, above the empty list a line says so (a button
that opens the bot's help): an empty list alone shows the reader nothing at all.
"""

from __future__ import annotations

from telegram import (
    InlineQuery,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.ext import Application, InlineQueryHandler

from bot import views
from bot.context import AkhbarContext
from bot.handlers.common import reader_of, required

# Telegram keeps an answer this long for the same reader and query (is_personal: the
# descriptions are in the reader's language and time zone).
ANSWER_CACHE_SECONDS = 30
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def inline_query(update: Update) -> InlineQuery:
    return required(update.inline_query, "inline query")


async def offer(update: Update, context: AkhbarContext) -> None:
    query = inline_query(update)
    if query.offset:
        # Every offer fits one answer (no next_offset is ever given): nothing comes after it.
        await query.answer([], cache_time=ANSWER_CACHE_SECONDS, is_personal=True)
        return
    reader = await reader_of(update, context)
    articles = await context.services.sharing.offer(query.query, chat_id=query.from_user.id, lang=reader.lang)
    headlines = [views.shared_headline(a, reader.lang, reader.tz, context.bot.username) for a in articles]
    results = [
        InlineQueryResultArticle(
            id=headline.id,
            title=headline.title,
            description=headline.description,
            input_message_content=InputTextMessageContent(
                headline.message, parse_mode="HTML", link_preview_options=_NO_PREVIEW
            ),
        )
        for headline in headlines
    ]
    nothing_found = None
    if not results:
        label = views.inline_nothing_found(query.query, reader.lang)
        nothing_found = InlineQueryResultsButton(label, start_parameter="help")
    await query.answer(results, cache_time=ANSWER_CACHE_SECONDS, is_personal=True, button=nothing_found)


def register(app: Application) -> None:
    app.add_handler(InlineQueryHandler(offer))

"""Reading the news: /latest [N], /read ID (and the tappable /read_ID), /topics, /topic NAME,
/wilaya NAME.  Listings show each story once, with how many sources tell it."""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot import views
from bot.context import AkhbarContext
from bot.handlers.common import (
    callback,
    callback_data,
    chat_id,
    command_argument,
    may_post_with_button,
    message_text,
    reader_command,
    reader_lang,
    reader_of,
    required,
    send,
)
from bot.handlers.fallback import unknown_command
from bot.i18n import t
from bot.render import escape
from news.regions import find_wilaya
from news.services import DEFAULT_LATEST, MAX_LATEST
from news.services.sharing import reference
from news.text import normalize
from news.topics import TOPIC_BY_SLUG, TOPICS, find_topic

# Case-insensitive as Telegram's commands are: a phone capitalizing the first letter sends /Read_12.
_READ_SHORTCUT = re.compile(r"^/read_(\d+)(?:@(\w+))?$", re.IGNORECASE)


async def _show_latest(update: Update, context: AkhbarContext, count: int) -> None:
    reader = await reader_of(update, context)
    articles = await context.services.reading.latest(count, chat_id=chat_id(update), lang=reader.lang)
    if not articles:
        await send(update, context, views.notice(reader.lang, "latest_empty"))
        return
    header = t(reader.lang, "latest_header")
    await send(update, context, views.headline_list(header, articles, reader.lang, reader.tz))


async def latest(update: Update, context: AkhbarContext) -> None:
    count = DEFAULT_LATEST
    if context.args:
        # Arabic-Indic digits are digits too: /latest ٢٠ means 20.
        raw = normalize(context.args[0])
        if not raw.isdecimal() or not 1 <= int(raw) <= MAX_LATEST:
            lang = await reader_lang(update, context)
            await send(update, context, views.notice(lang, "latest_bad_count", max=MAX_LATEST))
            return
        count = int(raw)
    await _show_latest(update, context, count)


async def show_article(update: Update, context: AkhbarContext, raw_id: str) -> None:
    reader = await reader_of(update, context)
    raw_id = normalize(raw_id).lstrip("#")
    if not raw_id.isdecimal() or len(raw_id) > 18:
        await send(update, context, views.notice(reader.lang, "read_usage"))
        return
    found = await context.services.reading.article(int(raw_id))
    if found is None:
        # A number seen in a digest or a listing before the editors hid it: it did exist.
        withdrawn = await context.services.reading.withdrawn(int(raw_id))
        if withdrawn is not None:
            await send(update, context, views.withdrawn_messages(withdrawn.article_id, withdrawn.others, reader.lang))
        else:
            await send(update, context, views.notice(reader.lang, "read_not_found", id=escape(raw_id)))
        return
    keyboard = None
    if context.bot.supports_inline_queries:
        # Share: the reader picks a chat, and the article's reference is typed there after
        # the bot's name — inline mode (bot/handlers/inline.py) offers exactly that article.
        share = InlineKeyboardButton(t(reader.lang, "share_button"), switch_inline_query=reference(found.article.id))
        keyboard = InlineKeyboardMarkup([[share]])
    messages = views.article_messages(found.article, reader.lang, reader.tz, list(found.others))
    await send(update, context, messages, keyboard)


async def read(update: Update, context: AkhbarContext) -> None:
    if not context.args:
        await send(update, context, views.notice(await reader_lang(update, context), "read_usage"))
        return
    await show_article(update, context, context.args[0])


async def read_shortcut(update: Update, context: AkhbarContext) -> None:
    # The handler's filter is this very pattern.
    match = required(_READ_SHORTCUT.match(message_text(update).strip()), "/read_ID command")
    mention = match.group(2)
    if mention and mention.lower() != context.bot.username.lower():
        # /read_5@other_bot is another bot's command: silence in a group, as for any command.
        await unknown_command(update, context)
        return
    await show_article(update, context, match.group(1))


async def topics(update: Update, context: AkhbarContext) -> None:
    lang = await reader_lang(update, context)
    counts = await context.services.reading.topic_counts()
    buttons = [
        InlineKeyboardButton(
            views.topic_button_label(topic.slug, counts.get(topic.slug, 0), lang), callback_data=f"topic:{topic.slug}"
        )
        for topic in TOPICS
    ]
    keyboard = InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])
    await send(update, context, views.topics_message(lang), keyboard)


async def _show_topic(update: Update, context: AkhbarContext, slug: str) -> None:
    reader = await reader_of(update, context)
    topic = TOPIC_BY_SLUG[slug]
    name = escape(topic.name(reader.lang))
    articles = await context.services.reading.topic(slug, chat_id=chat_id(update), lang=reader.lang)
    if not articles:
        await send(update, context, views.notice(reader.lang, "topic_empty", name=name))
        return
    header = t(reader.lang, "topic_header", emoji=topic.emoji, name=name)
    await send(update, context, views.headline_list(header, articles, reader.lang, reader.tz))


async def topic(update: Update, context: AkhbarContext) -> None:
    lang = await reader_lang(update, context)
    name = command_argument(update)
    if not name:
        await send(update, context, views.notice(lang, "topic_usage"))
        return
    found = find_topic(name)
    if found is None:
        await send(update, context, views.topic_unknown(lang, name))
        return
    await _show_topic(update, context, found.slug)


async def wilaya(update: Update, context: AkhbarContext) -> None:
    reader = await reader_of(update, context)
    name = command_argument(update)
    if not name:
        await send(update, context, views.notice(reader.lang, "wilaya_usage"))
        return
    found = find_wilaya(name)
    if found is None:
        await send(update, context, views.notice(reader.lang, "wilaya_unknown", name=escape(name[:60])))
        return
    label = escape(found.name(reader.lang))
    articles = await context.services.reading.wilaya(found.code, chat_id=chat_id(update), lang=reader.lang)
    if not articles:
        await send(update, context, views.notice(reader.lang, "wilaya_empty", name=label))
        return
    header = t(reader.lang, "wilaya_header", name=label)
    await send(update, context, views.headline_list(header, articles, reader.lang, reader.tz))


async def on_button(update: Update, context: AkhbarContext) -> None:
    query, data = callback(update), callback_data(update)
    slug = data.removeprefix("topic:")
    if data != "latest" and slug not in TOPIC_BY_SLUG:
        await query.answer(t(await reader_lang(update, context), "button_expired"))
        return
    if not await may_post_with_button(update, context):
        return
    await query.answer()
    if data == "latest":
        await _show_latest(update, context, DEFAULT_LATEST)
    else:
        await _show_topic(update, context, slug)


def register(app: Application) -> None:
    app.add_handler(reader_command("latest", latest))
    app.add_handler(reader_command("read", read))
    app.add_handler(MessageHandler(filters.Regex(_READ_SHORTCUT) & filters.COMMAND, read_shortcut))
    app.add_handler(reader_command("topics", topics))
    app.add_handler(reader_command("topic", topic))
    app.add_handler(reader_command("wilaya", wilaya))
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^(latest|topic:[a-z]+)$"))

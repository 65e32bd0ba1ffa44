"""Curation and sources, for the admins listed in AKHBAR_ADMINS only; anyone else is told so.

/addsource URL [topic] · /sources · /removesource ID · /pausesource ID · /resumesource ID
/post (title, text, optional link in one message) · /hide ID · /unhide ID · /settopic ID topic
/pin ID · /stats
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot import views
from bot.handlers.common import reader_of, send, services
from bot.render import escape
from news.articles import MAX_URL_CHARS, InvalidArticle, UrlTooLong, check_url, make_article
from news.model import first_poll
from news.topics import TOPIC_BY_SLUG, find_topic

Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]
PIN_HOURS = 36  # long enough to open tomorrow's digests wherever the reader lives


def admins_only(handler: Handler) -> Handler:
    @functools.wraps(handler)
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        if user is None or user.id not in services(context).settings.admins:
            await send(update, context, views.notice((await reader_of(update, context)).lang, "admin_only"))
            return
        await handler(update, context)

    return guarded


async def _lang(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    return (await reader_of(update, context)).lang


def _parse_id(text: str) -> int | None:
    """An id as an admin types it; None unless it is a number SQLite can hold (ids are far
    below 10**12: a longer one is a typo, and 20 digits overflow an INTEGER)."""
    return int(text) if text.isdecimal() and len(text) < 12 else None


async def _id_argument(update: Update, context: ContextTypes.DEFAULT_TYPE, example: str) -> int | None:
    if context.args and (item_id := _parse_id(context.args[0])) is not None:
        return item_id
    await send(update, context, views.notice(await _lang(update, context), "id_usage", example=escape(example)))
    return None


def _topic_names(slugs, lang: str) -> str:
    return escape(", ".join(TOPIC_BY_SLUG[s].name(lang) for s in slugs if s in TOPIC_BY_SLUG))


# --- sources --------------------------------------------------------------------------------


@admins_only
async def addsource(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc, lang = services(context), await _lang(update, context)
    if not context.args:
        await send(update, context, views.notice(lang, "addsource_usage"))
        return
    try:
        url = check_url(context.args[0])
    except UrlTooLong:
        await send(update, context, views.notice(lang, "addsource_too_long", max=MAX_URL_CHARS))
        return
    except InvalidArticle:
        await send(update, context, views.notice(lang, "addsource_bad_url"))
        return
    topic = find_topic(" ".join(context.args[1:])) if len(context.args) > 1 else None
    source = await svc.sources.add(
        url, default_topic=topic.slug if topic else None, first_poll=first_poll(svc.clock(), 900)
    )
    if source is None:
        await send(update, context, views.notice(lang, "addsource_exists"))
        return
    await send(update, context, views.notice(lang, "addsource_done", id=source.id, url=escape(url)))


@admins_only
async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc, reader = services(context), await reader_of(update, context)
    await send(update, context, views.sources_messages(await svc.sources.all(), reader.lang, reader.tz))


async def _act_on_id(update, context, example: str, not_found: str, done: str, action) -> None:
    """Parse the ID argument, run `action(services, id)` and say `done` — or `not_found` when
    it finds nothing to act on."""
    lang = await _lang(update, context)
    item_id = await _id_argument(update, context, example)
    if item_id is not None:
        found = await action(services(context), item_id)
        await send(update, context, views.notice(lang, done if found else not_found, id=item_id))


@admins_only
async def removesource(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _act_on_id(update, context, "/removesource 3", "source_not_found", "source_removed",
                     lambda svc, i: svc.sources.remove(i))


@admins_only
async def pausesource(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _act_on_id(update, context, "/pausesource 3", "source_not_found", "source_paused_done",
                     lambda svc, i: svc.sources.set_paused(i, True))


@admins_only
async def resumesource(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _act_on_id(update, context, "/resumesource 3", "source_not_found", "source_resumed_done",
                     lambda svc, i: svc.sources.set_paused(i, False))


# --- curation -------------------------------------------------------------------------------


@admins_only
async def post(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc, lang = services(context), await _lang(update, context)
    lines = [line.strip() for line in update.effective_message.text.split("\n")]
    lines[0] = lines[0].partition(" ")[2].strip()  # what follows /post on its line
    lines = [line for line in lines if line]
    url = None
    if len(lines) > 1 and lines[-1].startswith(("http://", "https://")):
        url = lines.pop()
    if not lines:
        await send(update, context, views.notice(lang, "post_usage"))
        return
    try:
        article = make_article(title=lines[0], body="\n\n".join(lines[1:]), url=url, source=svc.settings.post_source)
    except InvalidArticle:
        await send(update, context, views.notice(lang, "post_usage"))
        return
    (article_id,) = await svc.ingestor.add_many([article])
    if article_id is None:
        await send(update, context, views.notice(lang, "post_duplicate"))
        return
    await send(update, context, views.notice(lang, "post_done", id=article_id, topics=_topic_names(article.topics, lang)))


@admins_only
async def hide(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _act_on_id(update, context, "/hide 12", "article_not_found", "hide_done",
                     lambda svc, i: svc.articles.set_hidden(i, True))


@admins_only
async def unhide(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _act_on_id(update, context, "/unhide 12", "article_not_found", "unhide_done",
                     lambda svc, i: svc.articles.set_hidden(i, False))


@admins_only
async def pin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _act_on_id(update, context, "/pin 12", "article_not_found", "pin_done",
                     lambda svc, i: svc.articles.pin(i, svc.clock() + timedelta(hours=PIN_HOURS)))


@admins_only
async def settopic(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc, lang = services(context), await _lang(update, context)
    topic = find_topic(" ".join(context.args[1:])) if len(context.args or []) > 1 else None
    article_id = _parse_id(context.args[0]) if context.args else None
    if article_id is None or topic is None:
        await send(update, context, views.notice(lang, "settopic_usage"))
        return
    if not await svc.articles.set_topics(article_id, [topic.slug]):
        await send(update, context, views.notice(lang, "article_not_found", id=article_id))
        return
    await send(update, context, views.notice(lang, "settopic_done", id=article_id, topics=_topic_names([topic.slug], lang)))


@admins_only
async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc, lang = services(context), await _lang(update, context)
    now = svc.clock()
    chats = await svc.chats.counts()
    per_day = await svc.articles.per_day(7, now)
    per_source = await svc.articles.per_source(now - timedelta(hours=24))
    failing = [s for s in await svc.sources.all() if s.errors or s.disabled_reason]
    yesterday = (now - timedelta(days=1)).strftime("%Y-%m-%d")
    text = views.notice(
        lang,
        "stats",
        active=chats["subscribed_active"],
        inactive=chats["inactive"],
        per_day=escape(" · ".join(f"{day[5:]}: {n}" for day, n in per_day) or "—"),
        per_source=escape(" · ".join(f"{source or '—'}: {n}" for source, n in per_source[:8]) or "—"),
        failing=escape(", ".join(f"#{s.id}" for s in failing) or "—"),
        digests=await svc.chats.sent_on(yesterday),
        floods=await svc.chats.counter("429", now.strftime("%Y-%m-%d")),
    )
    await send(update, context, text)


def register(app: Application) -> None:
    for name, callback in (
        ("addsource", addsource), ("sources", sources), ("removesource", removesource),
        ("pausesource", pausesource), ("resumesource", resumesource), ("post", post), ("hide", hide),
        ("unhide", unhide), ("settopic", settopic), ("pin", pin), ("stats", stats),
    ):
        app.add_handler(CommandHandler(name, callback))

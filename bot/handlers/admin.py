"""Curation and sources, for the admins listed in AKHBAR_ADMINS only; anyone else is told so.

/addsource URL [topic] · /sources · /removesource ID · /pausesource ID · /resumesource ID
/post (title, text, optional link in one message) · /hide ID · /unhide ID · /settopic ID topic
/pin ID · /stats (its figures, then a chart of the last 30 days: bot/charts.py)
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Iterable

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot import views
from bot.charts import labels_for
from bot.context import AkhbarContext
from bot.handlers.common import Handler, command_argument, reader_of, send, send_photo
from bot.render import escape
from news.articles import MAX_URL_CHARS, InvalidArticle, UrlTooLong, check_url
from news.services import CurationService
from news.topics import TOPIC_BY_SLUG, find_topic

log = logging.getLogger(__name__)


def admins_only(handler: Handler) -> Handler:
    @functools.wraps(handler)
    async def guarded(update: Update, context: AkhbarContext) -> None:
        user = update.effective_user
        if user is None or user.id not in context.settings.admins:
            await send(update, context, views.notice((await reader_of(update, context)).lang, "admin_only"))
            return
        await handler(update, context)

    return guarded


async def _lang(update: Update, context: AkhbarContext) -> str:
    return (await reader_of(update, context)).lang


def _parse_id(text: str) -> int | None:
    """An id as an admin types it; None unless it is a number SQLite can hold (ids are far
    below 10**12: a longer one is a typo, and 20 digits overflow an INTEGER)."""
    return int(text) if text.isdecimal() and len(text) < 12 else None


async def _id_argument(update: Update, context: AkhbarContext, example: str) -> int | None:
    if context.args and (item_id := _parse_id(context.args[0])) is not None:
        return item_id
    await send(update, context, views.notice(await _lang(update, context), "id_usage", example=escape(example)))
    return None


def _topic_names(slugs: Iterable[str], lang: str) -> str:
    return escape(views.listed((TOPIC_BY_SLUG[s].name(lang) for s in slugs if s in TOPIC_BY_SLUG), lang))


# --- sources --------------------------------------------------------------------------------


@admins_only
async def addsource(update: Update, context: AkhbarContext) -> None:
    lang = await _lang(update, context)
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
    topic = None
    if len(context.args) > 1:
        name = " ".join(context.args[1:])
        if (topic := find_topic(name)) is None:  # a typo is said, not dropped: the feed waits for a right one
            await send(update, context, views.topic_unknown(lang, name))
            return
    source = await context.services.curation.add_source(url, topic=topic.slug if topic else None)
    if source is None:
        await send(update, context, views.notice(lang, "addsource_exists"))
        return
    await send(update, context, views.notice(lang, "addsource_done", id=source.id, url=escape(url)))


@admins_only
async def sources(update: Update, context: AkhbarContext) -> None:
    reader = await reader_of(update, context)
    await send(update, context, views.sources_messages(await context.services.curation.sources(), reader.lang, reader.tz))


async def _act_on_id(
    update: Update, context: AkhbarContext, example: str, not_found: str, done: str,
    action: Callable[[CurationService, int], Awaitable[bool]],
) -> None:
    """Parse the ID argument, run `action(curation, id)` and say `done` — or `not_found` when
    it finds nothing to act on."""
    lang = await _lang(update, context)
    item_id = await _id_argument(update, context, example)
    if item_id is not None:
        found = await action(context.services.curation, item_id)
        await send(update, context, views.notice(lang, done if found else not_found, id=item_id))


@admins_only
async def removesource(update: Update, context: AkhbarContext) -> None:
    await _act_on_id(update, context, "/removesource 3", "source_not_found", "source_removed",
                     lambda c, i: c.remove_source(i))


@admins_only
async def pausesource(update: Update, context: AkhbarContext) -> None:
    await _act_on_id(update, context, "/pausesource 3", "source_not_found", "source_paused_done",
                     lambda c, i: c.pause_source(i))


@admins_only
async def resumesource(update: Update, context: AkhbarContext) -> None:
    await _act_on_id(update, context, "/resumesource 3", "source_not_found", "source_resumed_done",
                     lambda c, i: c.resume_source(i))


# --- curation -------------------------------------------------------------------------------


@admins_only
async def post(update: Update, context: AkhbarContext) -> None:
    lang = await _lang(update, context)
    lines = [line.strip() for line in command_argument(update).split("\n")]
    lines = [line for line in lines if line]
    url = None
    if len(lines) > 1 and lines[-1].startswith(("http://", "https://")):
        url = lines.pop()
    if not lines:
        await send(update, context, views.notice(lang, "post_usage"))
        return
    try:
        posted = await context.services.curation.post(lines[0], "\n\n".join(lines[1:]), url)
    except InvalidArticle:
        await send(update, context, views.notice(lang, "post_usage"))
        return
    if posted.article_id is None:
        await send(update, context, views.notice(lang, "post_duplicate"))
        return
    await send(update, context, views.notice(lang, "post_done", id=posted.article_id, topics=_topic_names(posted.topics, lang)))


@admins_only
async def hide(update: Update, context: AkhbarContext) -> None:
    await _act_on_id(update, context, "/hide 12", "article_not_found", "hide_done",
                     lambda c, i: c.hide(i))


@admins_only
async def unhide(update: Update, context: AkhbarContext) -> None:
    await _act_on_id(update, context, "/unhide 12", "article_not_found", "unhide_done",
                     lambda c, i: c.unhide(i))


@admins_only
async def pin(update: Update, context: AkhbarContext) -> None:
    await _act_on_id(update, context, "/pin 12", "article_not_found", "pin_done",
                     lambda c, i: c.pin(i))


@admins_only
async def settopic(update: Update, context: AkhbarContext) -> None:
    lang = await _lang(update, context)
    args = context.args or []
    article_id = _parse_id(args[0]) if args else None
    if article_id is None or len(args) < 2:
        await send(update, context, views.notice(lang, "settopic_usage"))
        return
    name = " ".join(args[1:])
    if (topic := find_topic(name)) is None:  # a typo is said, with the names to pick from, as /addsource says it
        await send(update, context, views.topic_unknown(lang, name))
        return
    if not await context.services.curation.set_topic(article_id, topic.slug):
        await send(update, context, views.notice(lang, "article_not_found", id=article_id))
        return
    await send(update, context, views.notice(lang, "settopic_done", id=article_id, topics=_topic_names([topic.slug], lang)))


@admins_only
async def stats(update: Update, context: AkhbarContext) -> None:
    lang = await _lang(update, context)
    stats = await context.services.curation.stats()
    text = views.notice(
        lang,
        "stats",
        active=stats.subscribed_active,
        inactive=stats.inactive,
        per_day=escape(" · ".join(f"{day[5:]}: {n}" for day, n in stats.per_day) or "—"),
        per_source=escape(" · ".join(f"{source or '—'}: {n}" for source, n in stats.per_source[:8]) or "—"),
        failing=escape(", ".join(f"#{s.id}" for s in stats.failing) or "—"),
        digests=stats.digests_yesterday,
        floods=stats.floods_today,
    )
    await send(update, context, text)
    activity = await context.services.activity.last_days()
    drawer = context.bot_data.charts
    try:
        if drawer is None:
            raise RuntimeError("the chart drawer is opened in post_init")
        png = await drawer.png(activity, labels_for(lang))
    except Exception:  # a chart that cannot be drawn costs the admins the picture, not the figures
        log.exception("the /stats chart could not be drawn")
        await send(update, context, views.notice(lang, "stats_chart_failed"))
        return
    caption = views.stats_chart_caption(sum(activity.articles), sum(activity.deliveries), activity.readers[-1], lang)
    await send_photo(update, context, png, caption)


def register(app: Application) -> None:
    for name, callback in (
        ("addsource", addsource), ("sources", sources), ("removesource", removesource),
        ("pausesource", pausesource), ("resumesource", resumesource), ("post", post), ("hide", hide),
        ("unhide", unhide), ("settopic", settopic), ("pin", pin), ("stats", stats),
    ):
        app.add_handler(CommandHandler(name, callback))

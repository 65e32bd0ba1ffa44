"""A reader's digest: /settime, /timezone, /mytopics, /digest (mine, now), and the empty-day
choice.  In a group only its admins change these."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import time, timedelta

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler

from bot import views
from bot.context import AkhbarContext
from bot.handlers.common import (
    allowed_to_change,
    callback,
    callback_data,
    chat_data,
    chat_id,
    chat_ref,
    command_argument,
    effective_chat,
    forget_reader,
    may_change_settings,
    reader_command,
    reader_of,
    required,
    send,
)
from bot.i18n import ZONE_CITIES, t
from bot.render import escape
from news.digest import FIRST_WINDOW
from news.model import Chat
from news.schedule import OffsetOutOfRange, find_zone, local_date_of, parse_local_times, utc_offset_zone
from news.services.subscriptions import MAX_DIGESTS_A_DAY
from news.topics import TOPIC_BY_SLUG, TOPICS, read_topic_choice

# What /settime and /timezone typed alone offer as buttons; any other is typed.
COMMON_TIMES = ("06:00", "07:00", "08:00", "12:00", "18:00", "21:00")
COMMON_ZONES = ("Africa/Algiers", "Europe/Paris", "Africa/Tunis", "Africa/Casablanca", "Africa/Cairo", "Asia/Riyadh")
_OTHER_ZONE = "tz:other"


def _next(chat: Chat) -> str:
    return escape(views.when(chat.next_due_utc, chat.tz)) if chat.next_due_utc else "—"


def _rows(buttons: list[InlineKeyboardButton], width: int = 3) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([buttons[i : i + width] for i in range(0, len(buttons), width)])


async def settime(update: Update, context: AkhbarContext) -> None:
    reader = await reader_of(update, context)
    typed = command_argument(update)
    if not typed:
        # Typed alone: the common times as buttons (one digest a day); typing still works.
        if await allowed_to_change(update, context):
            keyboard = _rows([InlineKeyboardButton(at, callback_data=f"st:{at}") for at in COMMON_TIMES])
            await send(update, context, views.notice(reader.lang, "settime_choose"), keyboard)
        return
    times = parse_local_times(typed)
    if times is None:
        await send(update, context, views.notice(reader.lang, "settime_usage"))
        return
    if len(set(times)) > MAX_DIGESTS_A_DAY:
        await send(update, context, views.notice(reader.lang, "settime_too_many", max=MAX_DIGESTS_A_DAY))
        return
    if not await allowed_to_change(update, context):
        return
    await _set_times(update, context, times)


async def _set_times(update: Update, context: AkhbarContext, times: Sequence[time]) -> None:
    reader = await reader_of(update, context)
    chat = await context.services.subscriptions.set_digest_times(chat_ref(update), reader.lang, times)
    forget_reader(context)
    when, zone = views.clocks(chat.digest_times, reader.lang), views.zone_name(chat.tz, reader.lang)
    if not chat.receives_digests:  # saved for when they subscribe: no digest is due meanwhile
        await send(update, context, views.notice(reader.lang, "settime_done_unsubscribed", time=when, tz=zone))
        return
    await send(update, context, views.notice(reader.lang, "settime_done", time=when, tz=zone, next=_next(chat)))


async def settime_button(update: Update, context: AkhbarContext) -> None:
    """A time pressed under /settime: that one time, one digest a day."""
    times = parse_local_times(callback_data(update).removeprefix("st:"))
    # allowed_to_change's refusal is the press's one answer (see timezone_button).
    if times is None or not await allowed_to_change(update, context):
        if times is None:
            await callback(update).answer()
        return
    await callback(update).answer()
    await _set_times(update, context, times)


async def timezone(update: Update, context: AkhbarContext) -> None:
    reader = await reader_of(update, context)
    typed = command_argument(update)
    if not typed:
        if await allowed_to_change(update, context):
            cities = ZONE_CITIES[reader.lang]
            buttons = [InlineKeyboardButton(cities[zone], callback_data=f"tz:{zone}") for zone in COMMON_ZONES]
            buttons.append(InlineKeyboardButton(t(reader.lang, "timezone_other_button"), callback_data=_OTHER_ZONE))
            await send(update, context, views.notice(reader.lang, "timezone_choose"), _rows(buttons))
        return
    try:
        zone = utc_offset_zone(typed) or find_zone(typed)
    except OffsetOutOfRange:  # UTC+15: an offset no zone has
        await send(update, context, views.notice(reader.lang, "timezone_offset_unknown", name=escape(typed[:60])))
        return
    if zone is None:
        await send(update, context, views.notice(reader.lang, "timezone_unknown", name=escape(typed[:60])))
        return
    await _set_zone(update, context, zone)


async def _set_zone(update: Update, context: AkhbarContext, zone: str) -> None:
    if not await allowed_to_change(update, context):
        return
    reader = await reader_of(update, context)
    chat = await context.services.subscriptions.set_zone(chat_ref(update), reader.lang, zone)
    forget_reader(context)
    named = views.zone_name(zone, reader.lang)
    if not chat.receives_digests:
        when = views.clocks(chat.digest_times, reader.lang)
        await send(update, context, views.notice(reader.lang, "timezone_done_unsubscribed", tz=named, time=when))
        return
    await send(update, context, views.notice(reader.lang, "timezone_done", tz=named, next=_next(chat)))


async def timezone_button(update: Update, context: AkhbarContext) -> None:
    query = callback(update)
    if callback_data(update) == _OTHER_ZONE:
        # "Other…": how to type one.
        await query.answer()
        await send(update, context, views.notice((await reader_of(update, context)).lang, "timezone_other"))
        return
    zone = find_zone(callback_data(update).removeprefix("tz:"))
    # Whoever may not change the zone gets allowed_to_change's alert as the press's one answer: answering
    # first as well made that a second answer, which Telegram refuses (query too old).
    if zone is None or not await allowed_to_change(update, context):
        if zone is None:
            await query.answer()
        return
    await query.answer()
    await _set_zone(update, context, zone)


_CHOSEN = "✅ "
# A topic's button says what a tap does: mt:+sports puts sports in, mt:-sports takes it out, so
# that a tap repeated, or made on an older message, asks for what holds already.  mt:sports (no
# sign) is a button sent before they said so: it turns the topic over, as it always did.
_TOPIC_BUTTON = re.compile(r"^mt:(?:all|([+-]?)([a-z]+))$")


def _topics_keyboard(chosen: tuple[str, ...], lang: str) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            (_CHOSEN if topic.slug in chosen else "") + f"{topic.emoji} {topic.name(lang)}",
            callback_data=f"mt:{'-' if topic.slug in chosen else '+'}{topic.slug}",
        )
        for topic in TOPICS
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([InlineKeyboardButton((_CHOSEN if not chosen else "") + t(lang, "button_all_topics"), callback_data="mt:all")])
    return InlineKeyboardMarkup(rows)


def _topics_text(chosen: tuple[str, ...], lang: str, key: str = "mytopics_header") -> list[str]:
    label = views.listed((TOPIC_BY_SLUG[s].name(lang) for s in chosen), lang) if chosen else t(lang, "mytopics_all")
    return views.notice(lang, key, chosen=escape(label))


async def mytopics(update: Update, context: AkhbarContext) -> None:
    """The digest's topics as buttons; typed after the command (/mytopics sport économie,
    /mytopics all), chosen at once, then shown the same way."""
    reader = await reader_of(update, context)
    typed = command_argument(update)
    if typed:
        choice = read_topic_choice(typed)
        if choice.unknown or not (choice.slugs or choice.every):
            await send(update, context, views.topic_unknown(reader.lang, (choice.unknown or (typed,))[0]))
            return
        if not await allowed_to_change(update, context):
            return
        chosen = await context.services.subscriptions.set_topics(chat_ref(update), reader.lang, choice.slugs)
    else:
        chat = await context.services.subscriptions.get(chat_id(update))
        chosen = chat.topics if chat else ()
        if not await may_change_settings(update, context):
            # A group's member: the topics, and who chooses them, not buttons every press of
            # which they would have refused.
            await send(update, context, _topics_text(chosen, reader.lang, "mytopics_admins_choose"))
            return
    await send(update, context, _topics_text(chosen, reader.lang), _topics_keyboard(chosen, reader.lang))


def _shown_topics(query: CallbackQuery, context: AkhbarContext, before: tuple[str, ...]) -> tuple[str, ...]:
    """The topics the pressed /mytopics message shows now: as this process last redrew it, else
    as its ticked buttons say (`before` when the press carries no message to read)."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return before
    drawn = chat_data(context).topics_drawn
    if drawn is not None and drawn[0] == message.message_id:
        return drawn[1]
    ticked = {
        match.group(2)
        for row in message.reply_markup.inline_keyboard
        for button in row
        if (button.text or "").startswith(_CHOSEN)
        and (match := _TOPIC_BUTTON.match(str(button.callback_data))) is not None
        and match.group(2)
    }
    return tuple(slug for slug in TOPIC_BY_SLUG if slug in ticked)


async def mytopics_button(update: Update, context: AkhbarContext) -> None:
    query = callback(update)
    if not await allowed_to_change(update, context):
        return
    reader = await reader_of(update, context)
    pressed = required(_TOPIC_BUTTON.match(callback_data(update)), "topic button")
    sign, slug = pressed.groups()
    before, chosen = await context.services.subscriptions.choose_topic(
        chat_ref(update), reader.lang, slug, {"+": True, "-": False}.get(sign)
    )
    await query.answer()
    if chosen != _shown_topics(query, context, before):
        # Edit the message in place: the reader sees the ticks move (or, on a message older
        # than the last change, the topics as they are).
        await query.edit_message_text(
            _topics_text(chosen, reader.lang)[0], parse_mode="HTML", reply_markup=_topics_keyboard(chosen, reader.lang)
        )
        if isinstance(query.message, Message):
            chat_data(context).topics_drawn = (query.message.message_id, chosen)


async def digest_now(update: Update, context: AkhbarContext) -> None:
    """My digest now: what came since my last digest, not recorded as one; a reader who never
    had one gets the last day's, told so."""
    reader = await reader_of(update, context)
    chat = await context.services.subscriptions.get(chat_id(update))
    now = await context.services.digests.digest_now(chat, reader.lang)
    hours = FIRST_WINDOW // timedelta(hours=1)
    if now.digest.empty:
        key = "digest_none_first" if now.first else "digest_none_now"
        await send(update, context, views.notice(reader.lang, key, hours=hours))
        return
    channel_bot = context.bot.username if effective_chat(update).type == "channel" else None
    day = local_date_of(now.at, reader.tz)
    await send(update, context, views.digest_messages(now.digest, reader.lang, day, now.first, channel_bot))


async def empty_note_button(update: Update, context: AkhbarContext) -> None:
    if not await allowed_to_change(update, context):
        return
    reader = await reader_of(update, context)
    query = callback(update)
    wanted = callback_data(update) == "empty:on"
    before = await context.services.subscriptions.get(chat_id(update))
    chat = await context.services.subscriptions.set_empty_note(chat_ref(update), reader.lang, wanted)
    await query.answer()
    if before is not None and before.empty_note == wanted:
        return  # a second tap (a double tap, handled after the first): the message says so already
    await query.edit_message_text(
        views.settings_message(chat, reader.lang, reader.tz, chat.digest_time)[0],
        parse_mode="HTML",
        reply_markup=settings_keyboard(chat, reader.lang),
    )


def settings_keyboard(chat: Chat | None, lang: str) -> InlineKeyboardMarkup | None:
    if chat is None:
        return None
    label, data = ("empty_note_on", "empty:off") if chat.empty_note else ("empty_note_off", "empty:on")
    return InlineKeyboardMarkup([[InlineKeyboardButton(t(lang, label), callback_data=data)]])


def register(app: Application) -> None:
    app.add_handler(reader_command("settime", settime))
    app.add_handler(reader_command("timezone", timezone))
    app.add_handler(reader_command("mytopics", mytopics))
    app.add_handler(reader_command("digest", digest_now))
    app.add_handler(CallbackQueryHandler(settime_button, pattern=r"^st:\d\d:\d\d$"))
    app.add_handler(CallbackQueryHandler(timezone_button, pattern=r"^tz:[A-Za-z_/\-+0-9]{1,40}$"))
    app.add_handler(CallbackQueryHandler(mytopics_button, pattern=_TOPIC_BUTTON))
    app.add_handler(CallbackQueryHandler(empty_note_button, pattern=r"^empty:(on|off)$"))

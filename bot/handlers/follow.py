"""/follow, /following, /unfollow, /mute, /unmute, /quiet: what a chat wants pushed to it as it
breaks, and what never.  In a group or channel only its admins change these; inside a forum
topic, alerts go to that topic."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler

from bot import views
from bot.context import AkhbarContext
from bot.handlers.common import (
    allowed_to_change,
    callback,
    callback_data,
    chat_id,
    chat_ref,
    command_argument,
    effective_chat,
    reader_command,
    reader_of,
    send,
    topic_of,
)
from bot.i18n import t
from bot.render import embedded, escape, paginate
from news.follows import FollowRefused, listed
from news.model import Follow, QuietHours
from news.services.follows import MAX_FOLLOWS

_QUIET_OFF = {"off", "stop", "0", "لا", "إيقاف", "ايقاف", "non", "no"}


def _refusal(lang: str, refused: FollowRefused) -> list[str]:
    if refused.reason == "limit":
        return views.notice(lang, "follow_limit", max=MAX_FOLLOWS)
    if refused.reason == "either":
        return views.either_refused(lang, refused.alternatives, refused.more)
    if refused.named:
        return views.notice(lang, f"follow_{refused.reason}", what=embedded(refused.named, views.is_rtl(lang)))
    return views.notice(lang, f"follow_{refused.reason}")


async def _follow_one(
    update: Update, context: AkhbarContext, lang: str, text: str, *, mute: bool
) -> tuple[list[str], bool]:
    """Follow (or mute) `text` for this chat; the reply saying how it was understood, and
    whether a follow was made now."""
    follows = context.services.follows
    try:
        if mute:
            muted = await follows.mute(chat_ref(update), lang, text)
            key = "mute_done" if muted.created else "mute_already"
            return views.follow_reply(lang, key, muted.follow, muted.replaced, "mute_unfollowed"), muted.created
        followed = await follows.follow(chat_ref(update), lang, text, topic_of(update))
    except FollowRefused as refused:
        return _refusal(lang, refused), False
    if followed.earlier is not None:
        return views.leaving_out_changed(lang, followed.follow), False
    key = f"follow_done_{followed.follow.kind}" if followed.created else "follow_already"
    return views.follow_reply(lang, key, followed.follow, followed.replaced, "follow_unmuted"), followed.created


async def _follow_each(update: Update, context: AkhbarContext, text: str, *, mute: bool) -> None:
    reader = await reader_of(update, context)
    if not await allowed_to_change(update, context):
        return
    parts = listed(text, mute=mute)
    replies: list[str] = []
    for part in parts:
        lines, made = await _follow_one(update, context, reader.lang, part, mute=mute)
        replies += lines
    keyboard = None
    # One follow (or mute) made of words typed in French or English: their Arabic words are
    # offered too.
    offer = context.services.follows.in_arabic
    if len(parts) == 1 and made and (arabic := await offer(chat_id(update), parts[0], reader.lang, mute=mute)):
        kind = "mute" if mute else "follow"
        key = await context.services.buttons.remember(effective_chat(update).id, kind, arabic)
        if key is not None:
            label = t(reader.lang, f"button_{kind}_in_arabic", what=arabic[:40])
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=f"{kind[0]}o:{key}")]])
            replies += views.notice(reader.lang, f"{kind}_in_arabic_offer", what=embedded(arabic, views.is_rtl(reader.lang)))
    await send(update, context, paginate(replies), keyboard)


async def follow_text(update: Update, context: AkhbarContext, text: str) -> None:
    """Follow `text` for this chat and say how it was understood (a word, a topic, a wilaya)."""
    await _follow_each(update, context, text, mute=False)


async def follow(update: Update, context: AkhbarContext) -> None:
    await follow_text(update, context, command_argument(update))


async def mute(update: Update, context: AkhbarContext) -> None:
    text = command_argument(update)
    if not text:
        await send(update, context, views.notice((await reader_of(update, context)).lang, "mute_usage"))
        return
    await _follow_each(update, context, text, mute=True)


def _following_keyboard(follows: list[Follow], lang: str) -> InlineKeyboardMarkup | None:
    buttons = [
        InlineKeyboardButton(t(lang, "button_remove", n=n, what=views.follow_label(f, lang)[:40]), callback_data=f"unf:{f.id}")
        for n, f in enumerate(follows, start=1)
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)]) if buttons else None


async def following(update: Update, context: AkhbarContext) -> None:
    reader = await reader_of(update, context)
    follows = await context.services.follows.following(chat_id(update))
    chat = await context.services.subscriptions.get(chat_id(update))
    await send(update, context, views.following_message(follows, chat, reader.lang), _following_keyboard(follows, reader.lang))


async def _unfollow(update: Update, context: AkhbarContext, *, mute: bool) -> None:
    reader = await reader_of(update, context)
    text = command_argument(update)
    if not text:
        await send(update, context, views.notice(reader.lang, "unmute_usage" if mute else "unfollow_usage"))
        return
    if not await allowed_to_change(update, context):
        return
    unfollowed = await context.services.follows.unfollow(chat_id(update), text, mute=mute)
    removed = unfollowed.removed
    if removed is None and unfollowed.number is not None:
        await send(update, context, views.notice(reader.lang, "unfollow_no_number", n=unfollowed.number))
    elif removed is None:
        key = "unmute_unknown" if mute else "unfollow_unknown"
        await send(update, context, views.notice(reader.lang, key, what=escape(text[:100])))
    else:  # by its number, a mute for /unfollow or a follow for /unmute: said as what it was
        key = "unmute_done" if removed.mute else "unfollow_done"
        await send(update, context, views.notice(reader.lang, key, what=escape(views.follow_label(removed, reader.lang))))


async def unfollow(update: Update, context: AkhbarContext) -> None:
    await _unfollow(update, context, mute=False)


async def unmute(update: Update, context: AkhbarContext) -> None:
    await _unfollow(update, context, mute=True)


async def remove_button(update: Update, context: AkhbarContext) -> None:
    """A button under /following: that follow or mute goes, and the list is shown again."""
    query = callback(update)
    if not await allowed_to_change(update, context):
        return
    reader = await reader_of(update, context)
    removed = await context.services.follows.remove(chat_id(update), int(callback_data(update).removeprefix("unf:")))
    if removed is None:
        await query.answer(t(reader.lang, "button_expired"))
        return
    await query.answer()
    follows = await context.services.follows.following(chat_id(update))
    chat = await context.services.subscriptions.get(chat_id(update))
    await query.edit_message_text(
        views.following_message(follows, chat, reader.lang)[0], parse_mode="HTML",
        reply_markup=_following_keyboard(follows, reader.lang),
    )


async def quiet(update: Update, context: AkhbarContext) -> None:
    reader = await reader_of(update, context)
    text = command_argument(update)
    off = text.casefold() in _QUIET_OFF
    hours = None if off else QuietHours.parse(text)
    if not off and hours is None:
        times = QuietHours.times(text)
        key = "quiet_same_times" if times is not None and times[0] == times[1] else "quiet_usage"
        await send(update, context, views.notice(reader.lang, key))
        return
    if not await allowed_to_change(update, context):
        return
    chat = await context.services.follows.set_quiet(chat_ref(update), reader.lang, hours)
    if hours is None:
        await send(update, context, views.notice(reader.lang, "quiet_off"))
        return
    start, end = views.clock(hours.start), views.clock(hours.end)
    await send(update, context, views.notice(
        reader.lang, "quiet_done", start=start, end=end, tz=views.zone_name(chat.tz, reader.lang)
    ))


async def offer_follow(update: Update, context: AkhbarContext, text: str) -> None:
    """A deep link `/start follow_…`: a button to follow it (nothing stored until pressed)."""
    reader = await reader_of(update, context)
    text = text.strip()
    try:
        spec = context.services.follows.check(text)  # never offer what /follow would refuse
    except FollowRefused as refused:
        await send(update, context, _refusal(reader.lang, refused))
        return
    key = await context.services.buttons.remember(effective_chat(update).id, "follow", text)
    if key is None:  # the database refuses writes now: the follow could not be stored either
        await send(update, context, views.notice(reader.lang, "storage_readonly"))
        return
    label = views.follow_label(spec, reader.lang)  # a wilaya or topic by its name in the reader's language
    button = InlineKeyboardButton(t(reader.lang, "button_follow", what=label[:40]), callback_data=f"fo:{key}")
    offer = views.notice(reader.lang, "start_follow_offer", what=escape(label))
    await send(update, context, offer, InlineKeyboardMarkup([[button]]))


async def offer_button(update: Update, context: AkhbarContext) -> None:
    """A button offering a follow (`fo:`: a deep link's, or a French follow's Arabic words) or
    a mute (`mo:`: a French mute's Arabic words)."""
    query = callback(update)
    prefix, key = callback_data(update).split(":")
    mute = prefix == "mo"
    text = await context.services.buttons.recall(effective_chat(update).id, "mute" if mute else "follow", int(key))
    if text is None:
        await query.answer(t((await reader_of(update, context)).lang, "button_expired"))
        return
    if not await allowed_to_change(update, context):
        return
    await query.answer()
    await _follow_each(update, context, text, mute=mute)


def register(app: Application) -> None:
    app.add_handler(reader_command("follow", follow))
    app.add_handler(reader_command("following", following))
    app.add_handler(reader_command("unfollow", unfollow))
    app.add_handler(reader_command("mute", mute))
    app.add_handler(reader_command("unmute", unmute))
    app.add_handler(reader_command("quiet", quiet))
    app.add_handler(CallbackQueryHandler(remove_button, pattern=r"^unf:\d{1,12}$"))
    app.add_handler(CallbackQueryHandler(offer_button, pattern=r"^[fm]o:\d{1,15}$"))

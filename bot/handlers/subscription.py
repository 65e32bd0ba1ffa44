"""Subscribing to the daily digest, and noticing when a reader blocks or unblocks the bot.

A chat is never deleted: unsubscribing clears a flag, blocking marks it inactive with the
reason, and every setting is waiting when the reader comes back.
"""

from __future__ import annotations

import logging

from telegram import Chat, ChatMember, ChatMemberUpdated, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    MessageHandler,
    filters,
)

from bot import views
from bot.context import AkhbarContext
from bot.handlers.common import (
    allowed_to_change,
    chat_id,
    chat_ref,
    effective_chat,
    effective_message,
    forget_reader,
    reader_command,
    reader_of,
    required,
    send,
    topic_of,
)
from bot.i18n import supported
from news.model import Chat as StoredChat

log = logging.getLogger(__name__)

_GONE = {ChatMember.BANNED: "blocked", ChatMember.LEFT: "left"}


async def _subscribe(update: Update, context: AkhbarContext) -> None:
    reader = await reader_of(update, context)
    if not await allowed_to_change(update, context):
        return
    if update.callback_query:
        await update.callback_query.answer()
    subscription = await context.services.subscriptions.subscribe(chat_ref(update), reader.lang, topic_of(update))
    chat = subscription.chat
    key = "already_subscribed" if subscription.already else "subscribed"
    when = views.clocks(chat.digest_times, reader.lang)
    await send(update, context, views.notice(reader.lang, key, time=when, tz=views.zone_name(chat.tz, reader.lang)))


async def subscribe(update: Update, context: AkhbarContext) -> None:
    await _subscribe(update, context)


async def subscribe_button(update: Update, context: AkhbarContext) -> None:
    await _subscribe(update, context)


async def unsubscribe(update: Update, context: AkhbarContext) -> None:
    reader = await reader_of(update, context)
    if not await allowed_to_change(update, context):
        return
    done = await context.services.subscriptions.unsubscribe(chat_id(update))
    await send(update, context, views.notice(reader.lang, "unsubscribed" if done else "not_subscribed"))


def _may_post(member: ChatMember) -> bool:
    """Whether the bot, as `member` of a channel, can post there: only as its admin, and only
    with the right to post messages (an admin may add it, or leave it, without: Telegram then
    refuses its posts as a member's)."""
    if member.status != ChatMember.ADMINISTRATOR:
        return False
    return getattr(member, "can_post_messages", None) is not False


# Why a channel publishes no more, as the admin who did it is told (bot/i18n: channel_stopped_*).
_STOPPED = {"blocked": "removed", "left": "removed", "not_admin": "demoted", "no_post_right": "no_post_right"}


async def membership_changed(update: Update, context: AkhbarContext) -> None:
    """The bot was blocked, kicked or removed — or welcomed back — in a chat."""
    change: ChatMemberUpdated = required(update.my_chat_member, "my_chat_member")
    status = change.new_chat_member.status
    subscriptions = context.services.subscriptions
    channel = change.chat.type == Chat.CHANNEL
    added = change.chat.type != Chat.PRIVATE and change.old_chat_member.status in _GONE and status not in _GONE
    before = await subscriptions.get(change.chat.id)
    if status in _GONE or (channel and not _may_post(change.new_chat_member)):
        reason = _GONE.get(status) or ("not_admin" if status == ChatMember.MEMBER else "no_post_right")
        if added and before is None:  # its language is still the choice of whoever added the bot
            await subscriptions.joined(chat_ref(update), supported(change.from_user.language_code))
        await subscriptions.unreachable(change.chat.id, reason)
        if channel and added:
            key = "channel_added_no_post_right"
            await _tell_channel_admin(change, context, key, following_nothing=key)
        elif channel and (reason != "no_post_right" or _may_post(change.old_chat_member)):
            # (an admin without the right to post whose other rights changed was told already)
            await _tell_channel_admin(change, context, f"channel_stopped_{_STOPPED[reason]}")
    elif status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER):
        if added:
            # Added to a group or channel: whoever added the bot chose it for that group.
            chat = await subscriptions.joined(chat_ref(update), supported(change.from_user.language_code))
            if not channel:
                await _greet_group(update, context, chat)
        else:
            # Promoted or demoted where it already was, or unblocked: nothing to introduce.
            await subscriptions.welcome_back(change.chat.id)
        if channel and (before is None or not before.active):
            # Following nothing, it shows nothing until its admins post a command: they are told which.
            await _tell_channel_admin(change, context, "channel_resumed", following_nothing="channel_added")
    forget_reader(context)


async def _greet_group(update: Update, context: AkhbarContext, chat: StoredChat) -> None:
    """Just added to a group: a few lines there, in the group's language (whoever added the
    bot's, or the one its admins chose before it was removed), on what it does and the
    commands that start it — members otherwise see a bot that says nothing until asked.  (Not
    in a channel: a post there goes to every subscriber, who never asked for a bot's manual;
    its admin is told in private, by _tell_channel_admin.)"""
    try:
        await send(update, context, views.group_greeting(chat.lang, effective_chat(update).title or ""))
    except (Forbidden, BadRequest) as error:  # added where it may not write, or removed at once
        log.info("could not greet group %s: %s", chat.id, error.message)


async def _tell_channel_admin(
    change: ChatMemberUpdated, context: AkhbarContext, key: str, following_nothing: str | None = None
) -> None:
    """A channel that publishes itself (it follows something, or gets the daily digest)
    stopped or resumed publishing (`key` says which): the admin who changed the bot's place
    there is told in private — and of a channel publishing nothing, only what
    `following_nothing` says, if anything (how to make it publish, now that the bot can).
    Only they can be: a channel's posts name no author.  One who never started the bot
    cannot be written to."""
    follows = [f for f in await context.services.follows.following(change.chat.id) if not f.mute]
    admin = change.from_user
    if not follows:
        channel = await context.services.subscriptions.get(change.chat.id)
        if channel is not None and channel.subscribed:
            # Its digest alone stopped: what the message says is kept is that digest.
            key = key.replace("channel_stopped_", "channel_digest_stopped_")
        elif following_nothing is None:
            return
        else:
            key = following_nothing
    if admin.is_bot:
        return
    known = await context.services.subscriptions.get(admin.id)
    lang = known.lang if known is not None else supported(admin.language_code)
    for text in views.channel_publishing(lang, key, change.chat.title or "", follows):
        try:
            await context.bot.send_message(admin.id, text, parse_mode="HTML")
        except (Forbidden, BadRequest) as error:
            log.info("could not tell the admin of channel %s that %s: %s", change.chat.id, key, error.message)
            return


async def group_migrated(update: Update, context: AkhbarContext) -> None:
    """A group became a supergroup: its settings and subscription move to the new id."""
    message = effective_message(update)
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    else:  # the filter (StatusUpdate.MIGRATE) lets through only these two
        old, new = required(message.migrate_from_chat_id, "migrate_from_chat_id"), message.chat.id
    await context.services.subscriptions.migrate(old, new)


def register(app: Application) -> None:
    app.add_handler(reader_command("subscribe", subscribe))
    app.add_handler(reader_command(["unsubscribe", "stop"], unsubscribe))
    app.add_handler(CallbackQueryHandler(subscribe_button, pattern=r"^subscribe$"))
    app.add_handler(ChatMemberHandler(membership_changed, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, group_migrated))

"""Subscribing to the daily digest, and noticing when a reader blocks or unblocks the bot.

A chat is never deleted: unsubscribing clears a flag, blocking marks it inactive with the
reason, and every setting is waiting when the reader comes back.
"""

from __future__ import annotations

from telegram import ChatMember, ChatMemberUpdated, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import views
from bot.handlers.common import (
    allowed_to_change,
    first_due,
    forget_reader,
    reader_command,
    reader_of,
    send,
    services,
    stored_chat,
)
from bot.render import escape

_GONE = {ChatMember.BANNED: "blocked", ChatMember.LEFT: "left"}


async def _subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    reader = await reader_of(update, context)
    if not await allowed_to_change(update, context):
        return
    if update.callback_query:
        await update.callback_query.answer()
    stored = await stored_chat(update, context)
    already = stored.subscribed and stored.active
    if not already:
        await svc.chats.set_subscribed(stored.id, True, next_due=first_due(stored, svc.clock()))
    if not stored.active:
        await svc.chats.reactivate(stored.id)
    key = "already_subscribed" if already else "subscribed"
    await send(update, context, views.notice(reader.lang, key, time=views.clock(stored.digest_time), tz=escape(stored.tz)))


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _subscribe(update, context)


async def subscribe_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _subscribe(update, context)


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    reader = await reader_of(update, context)
    if not await allowed_to_change(update, context):
        return
    stored = await svc.chats.get(update.effective_chat.id)
    if stored is None or not stored.subscribed:
        await send(update, context, views.notice(reader.lang, "not_subscribed"))
        return
    await svc.chats.set_subscribed(stored.id, False)
    await send(update, context, views.notice(reader.lang, "unsubscribed"))


async def membership_changed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bot was blocked, kicked or removed — or welcomed back — in a chat."""
    change: ChatMemberUpdated = update.my_chat_member
    status = change.new_chat_member.status
    svc = services(context)
    if status in _GONE:
        await svc.chats.mark_inactive(change.chat.id, _GONE[status])
    elif status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER):
        await reactivate(svc, change.chat.id)
    forget_reader(context)


async def reactivate(svc, chat_id: int) -> None:
    """Back after blocking us: active again, and the schedule restarts from today, with no
    backlog of the digests missed meanwhile."""
    chat = await svc.chats.get(chat_id)
    if chat is None or chat.active:
        return
    await svc.chats.reactivate(chat_id)
    if chat.subscribed:
        await svc.chats.set_next_due(chat_id, first_due(chat, svc.clock()))


async def group_migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup: its settings and subscription move to the new id."""
    message = update.effective_message
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    else:
        old, new = message.migrate_from_chat_id, message.chat.id
    await services(context).chats.migrate(old, new)


def register(app: Application) -> None:
    app.add_handler(reader_command("subscribe", subscribe))
    app.add_handler(reader_command(["unsubscribe", "stop"], unsubscribe))
    app.add_handler(CallbackQueryHandler(subscribe_button, pattern=r"^subscribe$"))
    app.add_handler(ChatMemberHandler(membership_changed, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, group_migrated))

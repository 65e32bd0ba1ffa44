"""Flood control per reader: one person sending commands by the dozen is slowed down — a
polite notice, then silence for a while — and nobody else notices.

It runs before every other handler (group -1) and only looks at that reader's own recent
requests (not the bot's being blocked or unblocked), kept in their user_data.  Inline queries
(`@bot words`, sent as the reader types) count half a command each; a reader paused gets an
empty list of them with a line saying why.
"""

from __future__ import annotations

import time
from collections import deque

from telegram import InlineQueryResultsButton, Update
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler, filters

from bot import views
from bot.context import AkhbarContext
from bot.handlers.common import reader_lang, send
from bot.i18n import t

WINDOW_SECONDS = 10.0
# A person reading sends far fewer.  The answers, and the notice, go at the pace Telegram
# allows one chat (news.ratelimit: a short burst, then about one a second), so the flooder
# hears all of them within a few seconds and nobody else waits for them.
MAX_IN_WINDOW = 8
SILENCE_SECONDS = 30.0
# A client sends an inline query at each pause in the reader's typing: a word typed slowly is
# several of them.
INLINE_QUERY_WEIGHT = 0.5


async def guard(update: Update, context: AkhbarContext) -> None:
    user = update.effective_user
    # A block, an unblock, a removal from a group is no request, and must never be dropped: a
    # reader who unblocked the bot during a pause stayed switched off.
    if user is None or context.user_data is None or update.my_chat_member is not None:
        return
    # A group's conversation, and commands for the group's other bots, are no request to this
    # one: counted, nine messages of a lively chat in ten seconds drew a notice into the group.
    if _said_to_others(update, context.bot.username):
        return
    now = time.monotonic()
    state = context.user_data.setdefault("flood", {"times": deque(), "quiet_until": 0.0})
    if now < state["quiet_until"]:
        # Still in their pause: ignored, nothing sent — but a button press is answered (with
        # nothing), or its spinner would turn until Telegram gives up on it; an inline query
        # gets an empty list saying why.
        if update.callback_query is not None:
            await update.callback_query.answer()
        await _pause_inline(update, context)
        raise ApplicationHandlerStop
    times: deque[tuple[float, float]] = state["times"]  # (when, weight)
    times.append((now, INLINE_QUERY_WEIGHT if update.inline_query is not None else 1.0))
    while times and times[0][0] <= now - WINDOW_SECONDS:
        times.popleft()
    if sum(weight for _, weight in times) > MAX_IN_WINDOW:
        state["quiet_until"] = now + SILENCE_SECONDS
        times.clear()
        if update.effective_chat is not None:
            await send(update, context, views.notice(await reader_lang(update, context), "flood_notice"))
        await _pause_inline(update, context)
        raise ApplicationHandlerStop


def _said_to_others(update: Update, bot_username: str) -> bool:
    """Whether a message in a group or channel is not addressed to the bot: anything but a
    command, or a command named for another bot (/start@other_bot)."""
    message, chat = update.message or update.edited_message, update.effective_chat
    if message is None or chat is None or chat.type == chat.PRIVATE:
        return False
    if not filters.COMMAND.check_update(update):
        return True
    command = (message.text or "").split(maxsplit=1)[0]
    return "@" in command and command.split("@", 1)[1].lower() != bot_username.lower()


async def _pause_inline(update: Update, context: AkhbarContext) -> None:
    """An inline query while its reader is paused: no results, and above them the reason, as
    a button that opens the bot (inline mode has no chat to send a notice to)."""
    if update.inline_query is None:
        return
    button = InlineQueryResultsButton(t(await reader_lang(update, context), "inline_slow_down"), start_parameter="help")
    await update.inline_query.answer([], cache_time=0, is_personal=True, button=button)


def register(app: Application) -> None:
    app.add_handler(TypeHandler(Update, guard), group=-1)

"""Flood control per reader: one person sending commands by the dozen is slowed down — a
polite notice, then silence for a while — and nobody else notices.

It runs before every other handler (group -1) and only looks at that reader's own recent
updates, kept in their user_data.
"""

from __future__ import annotations

import time
from collections import deque

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot import views
from bot.context import AkhbarContext
from bot.handlers.common import reader_lang, send

WINDOW_SECONDS = 10.0
# A person reading sends far fewer.  The answers, and the notice, go at the pace Telegram
# allows one chat (news.ratelimit: a short burst, then about one a second), so the flooder
# hears all of them within a few seconds and nobody else waits for them.
MAX_IN_WINDOW = 8
SILENCE_SECONDS = 30.0


async def guard(update: Update, context: AkhbarContext) -> None:
    user = update.effective_user
    if user is None or context.user_data is None:
        return
    now = time.monotonic()
    state = context.user_data.setdefault("flood", {"times": deque(), "quiet_until": 0.0})
    if now < state["quiet_until"]:
        # Still in their pause: ignored, nothing sent — but a button press is answered (with
        # nothing), or its spinner would turn until Telegram gives up on it.
        if update.callback_query is not None:
            await update.callback_query.answer()
        raise ApplicationHandlerStop
    times: deque = state["times"]
    times.append(now)
    while times and times[0] <= now - WINDOW_SECONDS:
        times.popleft()
    if len(times) > MAX_IN_WINDOW:
        state["quiet_until"] = now + SILENCE_SECONDS
        times.clear()
        if update.effective_chat is not None:
            await send(update, context, views.notice(await reader_lang(update, context), "flood_notice"))
        raise ApplicationHandlerStop


def register(app: Application) -> None:
    app.add_handler(TypeHandler(Update, guard), group=-1)

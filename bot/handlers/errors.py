"""The last line of defence: log what broke (without the token) and answer the reader kindly."""

from __future__ import annotations

import logging

from telegram import InlineQuery, InlineQueryResultsButton, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, TelegramError

from bot import views
from bot.context import AkhbarContext
from bot.handlers.common import reader_lang, send
from bot.i18n import supported, t
from news.repositories import StorageError, StorageUnavailable

log = logging.getLogger(__name__)
_STORAGE_NOTICES = {"locked": "storage_busy", "unreachable": "storage_unreachable"}


async def on_error(update: object, context: AkhbarContext) -> None:
    error = context.error
    # PTB passes what it was processing: an Update, or None for its own failures (getUpdates).
    received = update if isinstance(update, Update) else None
    chat = received.effective_chat if received is not None else None
    if isinstance(error, Forbidden) and chat is not None:
        # We may not write there any more (blocked, kicked, deleted account): soft-disable.
        await context.services.subscriptions.unreachable(chat.id, error.message[:200])
        log.info("chat %s is unreachable: %s", chat.id, error.message)
        return
    if isinstance(error, ChatMigrated) and chat is not None:
        # The group became a supergroup: its settings follow it to the new id.
        await context.services.subscriptions.migrate(chat.id, error.new_chat_id)
        log.info("chat %s migrated to %s", chat.id, error.new_chat_id)
        return
    if update is None and isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        # getUpdates failed (5xx, timeout, dropped connection); PTB polls again by itself.
        log.warning("Telegram could not be reached while polling (%s); trying again", error.message)
        return
    if isinstance(error, StorageUnavailable):
        # Disk full, read-only file, a lock held too long: the change was refused and undone,
        # reads go on working; or the database server is out of reach for now.  One clear
        # line for the operator (the database's label carries no password), no traceback.
        label = context.services.db.label
        where = "" if label in str(error) else f" ({label})"  # PostgreSQL's errors name it already
        if error.reason == "unreachable":  # a read as well as a change: the reader is told to try again
            log.warning("an update asked the database, which is out of reach: %s%s", error, where)
        else:
            log.error("could not save a change: %s%s", error, where)
        notice = _STORAGE_NOTICES.get(error.reason, "storage_readonly")
    elif isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        # A reply still failing past the limiter's retries: Telegram out of reach, its 5xx, a
        # send timed out.  Expected (README, "When things fail"): one line, no traceback.
        where = f"chat {chat.id}" if chat is not None else "an update"
        log.warning("could not answer %s: Telegram did not take the reply (%s)", where, error.message[:200])
        if not context.application.running:  # stopping: no retry, and no apology to the same deaf end
            return
        notice = "error"
    else:
        log.error("error while handling an update", exc_info=error)
        notice = "error"
    if received is None or (chat is None and received.inline_query is None):
        return
    try:
        lang = await reader_lang(received, context)
    except StorageError:  # the stored choice cannot be read now: the reader's Telegram language
        user = received.effective_user
        lang = supported(user.language_code if user else None)
    if received.inline_query is not None:
        await _apologise_inline(received.inline_query, lang)
        return
    assert chat is not None  # every update but an inline query's that gets this far has one
    try:
        if received.callback_query is not None:
            try:  # a press: the apology is its answer, so its spinner stops too
                await received.callback_query.answer(t(lang, notice), show_alert=True)
                return
            except TelegramError:  # already answered by the handler: say it in the chat
                pass
        await send(received, context, views.notice(lang, notice))
    except Exception:  # the apology itself failed; the first error is already logged
        log.warning("could not tell chat %s about the error", chat.id)


async def _apologise_inline(query: InlineQuery, lang: str) -> None:
    """Inline mode has no chat to send the apology to: it is the answer's button, above an
    empty list (an unanswered query shows the reader nothing, as if the bot were not there);
    not kept, so that the next keystroke asks again."""
    button = InlineQueryResultsButton(t(lang, "inline_unavailable"), start_parameter="help")
    try:
        await query.answer([], cache_time=0, is_personal=True, button=button)
    except TelegramError as error:  # too late (10 s), or answered before the handler failed
        log.warning("could not answer an inline query with the apology: %s", error)

"""PTB's rate limiter hook, backed by news.ratelimit.SendLimiter.

Every Bot API call goes through `process_request`.  Calls that send something wait for the
limiter (broadcast sends pass `rate_limit_args={"bulk": True}` and yield to readers'
replies).  A 429 is waited out and retried — up to a ceiling, so that one absurd
retry_after cannot freeze the bot for hours: past it, the RetryAfter goes up to the caller
(the digest engine postpones that chat and goes on).  The wait counts from the moment the
answer arrived, with a margin (news.ratelimit.flood_resume), and holds every send to that
chat, not only the one retried.

Transient failures — a 5xx answer, a refused or dropped connection — are retried here too,
with a growing pause, for every call: a reader's reply is not lost to one bad gateway.  A
send that timed out waiting for its answer is not retried: Telegram most likely has it
already, and a second copy is what a retry would add.  What is still failing after the last
pause goes up to the caller.

A reader's reply during a paid broadcast is paid too.  Above 30 sends a second Telegram
refuses every unpaid send — and a reply is unpaid unless it says otherwise — so with
`paid_replies` (the bot is configured for paid broadcasts, AKHBAR_PAID_BROADCAST) a reply
that finds the last second crowded (news.ratelimit.SendLimiter.acquire) goes with
allow_paid_broadcast, 0.1 Star: a reader waiting for an answer is worth more than that.  A
reply Telegram cannot take paid (an edit, a deletion) waits instead for the last second to
have room, holding the broadcast back meanwhile (at most about a second).  Another process's
broadcast is not seen here: a reply refused 429 there is sent again at once, paid.

A send for claimed work that may wait long for its turn (an alert's edit) carries a
`claimed` callable: when its turn comes, it goes only if the claim is still surely its
process's, else ClaimLost (the others may have taken the work over meanwhile).

It also counts (news.metrics) each send's outcome and the time to a reader's first reply
(bot.metrics.reply_elapsed); whether Telegram answers at all is the request layer's to say
(bot/aiohttp_request.py: getUpdates does not come through here).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import BaseRateLimiter

from bot.metrics import reply_elapsed
from news.metrics import NO_METRICS, Metrics
from news.ratelimit import SendLimiter, flood_resume

log = logging.getLogger(__name__)

# Methods that post, edit or delete messages: what Telegram's flood limits count.
_SENDING_PREFIXES = ("send", "edit", "delete", "copy", "forward", "stop")
# The bot's own set-up, named like a send but no message to any chat (start-up's deleteWebhook).
_SET_UP = frozenset({"deletewebhook", "deletemycommands"})
# Replies that are not sends: a button's answer stops its spinner, the reader's first sign.
_REPLYING = ("answercallbackquery", "answerinlinequery")
# Methods that take allow_paid_broadcast (the Bot API's send* of messages, copyMessage).
_PAYABLE = frozenset({
    "sendmessage", "sendphoto", "sendvideo", "sendanimation", "sendaudio", "senddocument", "sendsticker",
    "sendvideonote", "sendvoice", "sendlocation", "sendvenue", "sendcontact", "sendpoll", "senddice",
    "sendinvoice", "sendgame", "sendmediagroup", "sendpaidmedia", "copymessage",
})
# Pauses before each retry of a transient failure (about 7.5 s in all).
TRANSIENT_PAUSES = (0.5, 1.0, 2.0, 4.0)


class ClaimLost(Exception):
    """A send for work its process claimed (news.claims) whose turn came when the process could
    no longer be sure the claim was its own (its heartbeat failing: the others may have taken
    the work over): not sent.  Asked for with rate_limit_args={"claimed": callable}, the
    callable saying whether the claim still holds; the caller leaves the work to the next claim."""


def retry_seconds(error: RetryAfter) -> float:
    value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class AkhbarRateLimiter(BaseRateLimiter[dict]):
    def __init__(
        self,
        limiter: SendLimiter,
        max_retry_wait: float = 60.0,
        max_retries: int = 3,
        on_flood: Callable[[float], Awaitable[None]] | None = None,
        metrics: Metrics = NO_METRICS,
        paid_replies: bool = False,
    ) -> None:
        self.limiter = limiter
        self.paid_replies = paid_replies  # replies paid while the bot broadcasts above 30/s
        self.max_retry_wait = max_retry_wait
        self.max_retries = max_retries
        self.on_flood = on_flood  # told of every 429 (for /stats)
        self.metrics = metrics
        # Whether a call that is not a digest's or an alert's is tried again after a transient
        # failure.  Not while start-up's loop tries getMe again itself (bot.app.reach_telegram:
        # one line a try), nor once the bot stops (Telegram out of reach, every update still
        # queued would wait out its own 7.5 s of pauses before the exit).
        self.retrying = True

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict | None,
    ) -> Any:
        method = endpoint.lower()
        sending = method.startswith(_SENDING_PREFIXES) and method not in _SET_UP
        bulk = bool(rate_limit_args and rate_limit_args.get("bulk"))
        # After everything else, within a share of the rate (news.ratelimit): edits of alerts.
        background = bool(rate_limit_args and rate_limit_args.get("background"))
        chat_id = data.get("chat_id")
        if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
            chat_id = int(chat_id)
        # A reply of the kind Telegram lets pay for, when the bot pays for its broadcasts.
        may_pay = self.paid_replies and sending and not bulk and not background
        payable = may_pay and method in _PAYABLE
        # Claimed work (an alert's edit): its turn can come long after it was claimed, behind a
        # broadcast or a flood wait, and it goes only if the claim is still surely this process's.
        claimed: Callable[[], bool] | None = rate_limit_args.get("claimed") if rate_limit_args else None
        attempt = 0
        transient = iter(TRANSIENT_PAUSES)
        while True:
            if sending:
                crowded = await self.limiter.acquire(
                    chat_id, bulk=bulk, unpaid=may_pay and not payable, background=background
                )
                if crowded and payable:
                    data["allow_paid_broadcast"] = True  # `data` is what the callback sends
            if claimed is not None and not claimed():
                raise ClaimLost(f"{endpoint} to {chat_id} not sent: its claim may be another process's now")
            try:
                result = await callback(*args, **kwargs)
            except RetryAfter as error:
                answered = self.limiter.now()  # retry_after counts from here
                wait = retry_seconds(error)
                self._count(sending, "429")
                if self.on_flood:
                    await self.on_flood(wait)
                if payable and not data.get("allow_paid_broadcast"):
                    # Most likely another process's paid broadcast filling the second: at once, paid.
                    data["allow_paid_broadcast"] = True
                    self._count(sending, "retried")
                    continue
                attempt += 1
                if wait > self.max_retry_wait or attempt > self.max_retries:
                    log.warning("flood control: %s to %s asked to wait %.0f s; not retrying", endpoint, chat_id, wait)
                    self._count(sending, "failed")
                    raise
                log.info("flood control: waiting %.1f s before retrying %s", wait, endpoint)
                self._count(sending, "retried")
                resume = flood_resume(answered, wait)
                if sending and chat_id is not None:
                    self.limiter.hold(chat_id, resume)  # the retry waits in acquire, as does any other send there
                else:
                    await self.limiter.sleep_until(resume)
            except BadRequest:
                # Telegram refused the request itself (a NetworkError subclass in PTB).
                self._count(sending, "failed")
                raise
            except NetworkError as error:  # 5xx, timeouts, dropped connections
                # A digest's or an alert's send is tried again even while the bot stops, until the
                # stop's grace cancels it (bot.digests): cancelled, it stays due for the next start.
                given_up = not self.retrying and not (bulk or background)
                if given_up or (sending and isinstance(error, TimedOut)) or (pause := next(transient, None)) is None:
                    self._count(sending, "failed")
                    raise
                log.info("%s failed (%s); retrying in %.1f s", endpoint, error.message, pause)
                self._count(sending, "retried")
                await asyncio.sleep(pause)
            except Forbidden:  # blocked, kicked: the caller marks the chat
                self._count(sending, "403")
                raise
            except TelegramError:  # a migrated group, a revoked token…
                self._count(sending, "failed")
                raise
            else:
                self._count(sending, "sent")
                if (sending or method in _REPLYING) and (elapsed := reply_elapsed()) is not None:
                    self.metrics.replied(elapsed)
                return result

    def _count(self, sending: bool, outcome: str) -> None:
        """akhbar_sends_total counts the calls that send something (news.metrics.SEND_OUTCOMES)."""
        if sending:
            self.metrics.send_ended(outcome)

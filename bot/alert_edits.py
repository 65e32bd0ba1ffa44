"""Alerts edited as their story grows: "(+2 sources)" on the message already sent, never a
second alert (news.services.alerts says which are due, and when).

Edits are background traffic (news.ratelimit): they go only when no reader's reply, alert or
digest is waiting for a slot, never above a fifth of the send rate nor in a second already
holding the unpaid limit (Telegram takes no paid edit).  So an alert storm to 50,000 chats
whose story grows is followed by at most rate/5 edits a second (100/s at a paid 500/s, and
then only where the second has room: ~25/s), after the storm, not on top of it.

Telegram's answers: "message is not modified" means the message says it already (recorded as
edited); a message the reader deleted, or that can no longer be edited, is left alone for
good, as is a chat that blocked the bot (soft-disabled, as everywhere).  A flood wait or a
network failure leaves the edit for the next tick.

An edit is claimed by this process (news.services.alerts) and stays its own while the process
lives, however long it waits behind other traffic; one edit run at a time in a process, which
first lets go of what an earlier run left claimed (its release refused).  A process whose
heartbeat fails stops taking edits, and an edit whose turn in the limiter comes after that is
not made (bot.limiter.ClaimLost), before the others may take them over.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import LinkPreviewOptions
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.ext import ExtBot

from bot.alerts import render_alert
from bot.batching import BatchedWrites
from bot.limiter import ClaimLost
from bot.processes import Membership
from bot.refusals import cannot_post_there
from bot.services import Services
from bot.single_run import SingleRun
from news.plurals import counted
from news.repositories import StorageUnavailable
from news.services.alerts import AlertEdit

log = logging.getLogger(__name__)

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
# Edits go one at a time per sender, a few senders: more than the background share of the
# rate needs (about 25/s at most, answered in ~50 ms).
EDIT_SENDERS = 4
_STOP_GRACE_SECONDS = 2.0
# What Telegram says when the message already reads so: nothing to do.
_NOT_MODIFIED = "message is not modified"


class AlertEditEngine:
    # An ExtBot: its edits carry rate_limit_args, so that everything else goes first.
    def __init__(self, bot: ExtBot[Any], services: Services, membership: Membership) -> None:
        self.bot, self.services, self.membership = bot, services, membership
        self._run = SingleRun(self.edit_due, "alert-edits")
        # One edit run at a time, whoever starts it (the tick, or a caller of edit_due):
        # what this process claimed and did not record is then an earlier run's, free to release.
        self._one_run = asyncio.Lock()
        self._stopping = False
        # Edits made whose record the database refused (read-only, out of reach): still this
        # process's claims, recorded first thing next run — not made again; any another process
        # took over meanwhile (this one out of reach for a lease) is left to it, not recorded here.
        self._unrecorded: list[AlertEdit] = []

    async def tick(self, _context: object = None) -> None:
        """The JobQueue callback: start editing unless an edit run is still going."""
        self._run.start()

    async def stop(self) -> None:
        self._stopping = True
        await self._run.stop(grace=_STOP_GRACE_SECONDS)

    async def edit_due(self) -> int:
        """Edit what is due now, batch after batch; how many messages were brought up to date."""
        async with self._one_run:
            if not self.membership.fresh:
                return 0  # unregistered, or its heartbeat failing: it claims nothing now
            if self._unrecorded:
                edits, self._unrecorded = self._unrecorded, []
                await self._record(edits)
                if self._unrecorded:
                    return 0  # still unrecordable: nothing more is claimed meanwhile
            try:  # left claimed by an earlier run whose release was refused
                await self.services.alerts.release_edits(self.membership)
            except StorageUnavailable as error:  # they return once this process's lease runs out
                log.warning("alert edits left claimed not released (%s)", error)
            return await self._edit_claimed()

    async def _edit_claimed(self) -> int:
        done = 0
        alerts = self.services.alerts
        while not self._stopping and self.membership.fresh:
            edits = await alerts.edits_due(self.membership)
            if not edits:
                break
            queue: asyncio.Queue[AlertEdit] = asyncio.Queue()
            for edit in edits:
                queue.put_nowait(edit)
            recorder: BatchedWrites[AlertEdit] = BatchedWrites(self._record)
            postponed: list[AlertEdit] = []
            try:
                results = await asyncio.gather(
                    *(self._worker(queue, recorder, postponed) for _ in range(min(EDIT_SENDERS, len(edits))))
                )
            finally:
                await recorder.flush()
                while not queue.empty():  # stopping, or no longer fresh: what was claimed and not tried
                    postponed.append(queue.get_nowait())
                await alerts.edits_postponed(self.membership, postponed)
            done += sum(results)
            if postponed or self._unrecorded:  # Telegram or the network said wait, or the database: the next tick
                break
        return done

    async def _record(self, edits: list[AlertEdit]) -> None:
        try:
            recorded = await self.services.alerts.edited(self.membership, edits)
        except StorageUnavailable as error:
            log.warning("%s not recorded (%s); recorded next time", counted(len(edits), "alert edit"), error)
            self._unrecorded += edits
            return
        if recorded < len(edits):  # dropped: their new holder makes and records them
            log.info(
                "%s made here: taken over by another process, recorded there", counted(len(edits) - recorded, "alert edit")
            )

    async def _worker(
        self, queue: asyncio.Queue[AlertEdit], recorder: BatchedWrites[AlertEdit], postponed: list[AlertEdit]
    ) -> int:
        done = 0
        # Its heartbeat failing, this process stops: its claims are soon the others'.
        while not self._stopping and self.membership.fresh and not queue.empty():
            edit = queue.get_nowait()
            try:
                done += await self._edit(edit, recorder, postponed)
            except Exception:  # one chat's trouble never stops the others
                log.exception("alert edit for chat %s failed", edit.message.chat.id)
                postponed.append(edit)
        return done

    async def _edit(self, edit: AlertEdit, recorder: BatchedWrites[AlertEdit], postponed: list[AlertEdit]) -> int:
        chat_id, message_id = edit.message.chat.id, edit.alert.message_id
        (text,) = render_alert(edit.message, self.bot.username, more_sources=edit.sources)
        try:
            # The alert had no buttons, and gets none (an edit without reply_markup drops any).
            await self.bot.edit_message_text(
                text, chat_id=chat_id, message_id=message_id, parse_mode="HTML",
                link_preview_options=_NO_PREVIEW, rate_limit_args={"background": True, "claimed": self._claim_holds},
            )
        except (Forbidden, BadRequest, ChatMigrated) as error:
            reason = error.message[:200]
            lowered = reason.lower()
            if isinstance(error, BadRequest) and _NOT_MODIFIED in lowered:
                await recorder.add(edit)  # it says so already
                return 1
            if isinstance(error, ChatMigrated):
                reason = "migrated"  # the message stayed in the old group: the alerts follow the new one
            elif cannot_post_there(error):
                await self.services.subscriptions.unreachable(chat_id, reason)
            elif "message to edit not found" not in lowered and "message can't be edited" not in lowered:
                log.warning("Telegram refused to edit the alert in chat %s: %s", chat_id, reason)
            await self.services.alerts.edit_failed(self.membership, edit, reason)
            return 0
        except (RetryAfter, NetworkError, ClaimLost) as error:
            log.info("alert edit for chat %s postponed: %s", chat_id, error)
            postponed.append(edit)
            return 0
        await recorder.add(edit)
        return 1

    def _claim_holds(self) -> bool:
        """Whether this process's claims are still surely its own (its heartbeat fresh): an
        edit whose turn comes after that is not made."""
        return self.membership.fresh

"""The bot's side of polling: a repeating tick that polls the due sources, and telling the
admins, once, about a source that was disabled after repeated failures."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import TelegramError

from bot import views
from bot.processes import Membership
from bot.render import escape
from bot.services import Services
from bot.single_run import SingleRun
from news.model import Source
from news.plurals import counted
from news.polling import Poller

log = logging.getLogger(__name__)

POLLING_LEASE = "feed-polling"


class SourcePolling:
    def __init__(self, bot: Bot, services: Services, poller: Poller, membership: Membership | None = None) -> None:
        self.bot, self.services, self.poller = bot, services, poller
        self.membership = membership  # None: polls whatever other processes do (`akhbar fetch`)
        self._run = SingleRun(self.poll_once, "source-polling")

    async def tick(self, _context: object = None) -> None:
        self._run.start()

    async def poll_once(self) -> None:
        # One process polls the feeds at a time: the one holding the lease, while it lives.
        if self.membership is not None and not await self.membership.hold(POLLING_LEASE):
            return
        report = await self.poller.poll_due()
        if report.added:
            log.info(
                "polling: %s from %s", counted(report.added, "new article"), counted(len(report.sources), "source")
            )
        for source in report.newly_disabled:
            await self.tell_admins(source)

    async def tell_admins(self, source: Source) -> None:
        if source.disabled_notified:
            return
        for admin in self.services.settings.admins:
            chat = await self.services.subscriptions.get(admin)
            lang = chat.lang if chat else "ar"
            text = views.notice(lang, "source_disabled_alert", id=source.id, url=escape(source.url),
                                reason=escape(source.disabled_reason or ""))[0]
            try:
                await self.bot.send_message(admin, text, parse_mode="HTML")
            except TelegramError as error:  # an admin who never started the bot, say
                log.warning("could not tell admin %s about source %s: %s", admin, source.id, error.message)
        await self.services.curation.admins_told(source.id)

    async def stop(self) -> None:
        await self._run.stop()

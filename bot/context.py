"""Typed context for every handler and job (PTB's ContextTypes): `context.services`,
`context.bot_data.settings` and a typed `context.chat_data`, instead of string-keyed dicts.

See python-telegram-bot's examples/contexttypesbot.py for the pattern.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, JobQueue

from bot.config import Settings
from news.metrics import NO_METRICS, Metrics

if TYPE_CHECKING:
    from bot.alert_edits import AlertEditEngine
    from bot.alerts import AlertEngine
    from bot.charts import ChartDrawer
    from bot.digests import DigestEngine
    from bot.monitoring import Monitor
    from bot.polling import SourcePolling
    from bot.processes import Membership
    from bot.search_reindex import SearchReindex
    from bot.services import Services


@dataclass(frozen=True, slots=True)
class Reader:
    """How this chat reads: its interface language and its time zone."""

    lang: str
    tz: str


class BotData:
    """What the whole bot shares: its settings (from build time) and, between post_init and
    post_shutdown, the services and the repeating jobs."""

    def __init__(self) -> None:
        self.settings: Settings = Settings()
        self._services: Services | None = None
        self.digests: DigestEngine | None = None
        self.polling: SourcePolling | None = None
        self.alerts: AlertEngine | None = None
        self.alert_edits: AlertEditEngine | None = None
        self.search_reindex: SearchReindex | None = None
        # This process among those sharing the database (bot/processes.py), once started.
        self.membership: Membership | None = None
        # Draws /stats's charts in a worker process of its own (bot/charts.py).
        self.charts: ChartDrawer | None = None
        # What the bot counts (bot/metrics.py) and the listener serving it (bot/monitoring.py),
        # with AKHBAR_METRICS_LISTEN; otherwise nothing is counted.
        self.metrics: Metrics = NO_METRICS
        self.monitor: Monitor | None = None

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("the services are opened in post_init: the application is not running")
        return self._services

    @services.setter
    def services(self, services: Services | None) -> None:
        self._services = services

    @property
    def opened(self) -> bool:
        return self._services is not None


@dataclass(slots=True)
class ChatData:
    """What this process remembers of one chat between updates (in memory only): caches that
    another process need not share.  What a reply needs lives in the database."""

    # The stored chat's language and zone, so that a command costs no extra query;
    # dropped whenever a handler changes the stored chat.
    reader: Reader | None = None
    # In a group: user id -> (when asked, may change the settings), for a few minutes.
    admins: dict[int, tuple[float, bool]] = field(default_factory=dict)
    # The /mytopics message this process last redrew and the topics it shows now: a tap made
    # before that redraw carries the message as it was (a double tap's second half).
    topics_drawn: tuple[int, tuple[str, ...]] | None = None


# The application's bot: an ExtBot with the rate limiter of bot/limiter.py, whose
# rate_limit_args are a dict ({"bulk": True} on a broadcast's sends).
AkhbarBot = ExtBot[dict]


class AkhbarContext(CallbackContext[AkhbarBot, dict, ChatData, BotData]):
    @property
    def services(self) -> Services:
        return self.bot_data.services

    @property
    def settings(self) -> Settings:
        return self.bot_data.settings


CONTEXT_TYPES = ContextTypes(context=AkhbarContext, bot_data=BotData, chat_data=ChatData)

# What bot.app.build_application's ApplicationBuilder chain builds.  The last argument is
# the builder's job queue type, which `context_types` leaves at PTB's default context;
# `app.job_queue` is typed from the context type all the same (JobQueue[AkhbarContext]).
AkhbarApp = Application[AkhbarBot, AkhbarContext, dict, ChatData, BotData, JobQueue[ContextTypes.DEFAULT_TYPE]]

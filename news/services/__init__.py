"""The service layer: what the bot does, apart from Telegram and apart from SQL.

Every entry point — the bot's handlers and jobs, the CLI, the demo — calls these services,
built once per process (bot/services.py) over the repositories of news/repositories.py.
"""

from news.services.activity import ActivityService
from news.services.clock import Clock, utcnow
from news.services.curation import CurationService, Posted, Stats
from news.services.digests import DigestPlan, DigestService
from news.services.reading import DEFAULT_LATEST, MAX_LATEST, ReadingService, SearchPage
from news.services.subscriptions import ChatDefaults, ChatRef, Greeting, Subscription, SubscriptionService

__all__ = [
    "ActivityService",
    "DEFAULT_LATEST", "MAX_LATEST", "ChatDefaults", "ChatRef", "Clock", "CurationService", "DigestPlan", "DigestService",
    "Greeting", "Posted", "ReadingService", "SearchPage", "Stats", "Subscription", "SubscriptionService", "utcnow",
]

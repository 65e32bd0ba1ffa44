"""news.metrics.Metrics with prometheus-client: the counters /metrics serves.

Each application has a registry of its own (not prometheus-client's global one), so that
several bots in one process (the tests) count apart.  Every metric carries the process's
`role` label ("all" when one process does everything), so that the processes of one bot can
be told apart and summed.  Label children are made once, here, so a count on the send path
is one locked add.

Also here: how long a reply takes.  The application's update queue (`ArrivalQueue`) notes
when each update arrived, by polling or webhook; the first handler of every update
(`take_update`, before flood control) carries that instant in a context variable; the rate
limiter (bot/limiter.py), which every call to Telegram goes through in the same task, observes
the time at the first reply that goes out (a message sent or edited, a button's or an inline
query's answer).  The wait for a free handler (16 updates are handled at once) is counted.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from telegram import Update

from bot.context import AkhbarContext
from news.metrics import FEED_OUTCOMES, SEND_OUTCOMES, Metrics
from news.model import DigestBacklog

# akhbar_updates_total's kinds; anything else is "other" (a label's values stay few).
UPDATE_KINDS = ("command", "message", "callback_query", "channel_post", "my_chat_member", "inline_query", "other")
# A reader's reply is expected within a second or two; a reply paced behind a flood, or a
# slow search, shows in the upper buckets.
REPLY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


def update_kind(update: Update) -> str:
    if update.callback_query is not None:
        return "callback_query"
    message = update.message or update.edited_message  # an edit is answered as a new message is
    if message is not None:
        text = message.text or ""
        return "command" if text.startswith("/") else "message"
    if (update.channel_post or update.edited_channel_post) is not None:
        return "channel_post"
    if update.my_chat_member is not None:
        return "my_chat_member"
    if update.inline_query is not None:
        return "inline_query"
    return "other"


@dataclass(slots=True)
class _Awaiting:
    """An update being handled whose first reply has not gone out yet."""

    arrived: float  # time.perf_counter() when the update arrived
    answered: bool = False


_AWAITING: ContextVar[_Awaiting | None] = ContextVar("akhbar_awaiting_reply", default=None)


def reply_elapsed() -> float | None:
    """Seconds since the update this task handles arrived, the first time its reply goes
    out; None afterwards, and outside an update (a digest, an alert)."""
    awaiting = _AWAITING.get()
    if awaiting is None or awaiting.answered:
        return None
    awaiting.answered = True
    return time.perf_counter() - awaiting.arrived


class ArrivalQueue(asyncio.Queue[object]):
    """The application's update queue, noting when each update arrived (the Updater puts
    them here, from getUpdates or from the webhook's POSTs); `take_update` takes the note."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: dict[int, float] = {}  # update_id -> time.perf_counter()

    def put_nowait(self, item: object) -> None:  # `put` comes here too
        if isinstance(item, Update):
            self.arrived[item.update_id] = time.perf_counter()
        super().put_nowait(item)


async def take_update(update: Update, context: AkhbarContext) -> None:
    """The first handler of every update (group -2): counted, and its reply clock started
    from its arrival."""
    queue = context.application.update_queue
    arrived = queue.arrived.pop(update.update_id, None) if isinstance(queue, ArrivalQueue) else None
    _AWAITING.set(_Awaiting(time.perf_counter() if arrived is None else arrived))
    context.bot_data.metrics.update_received(update_kind(update))


class _WithRole(Collector):
    """Another collector's metrics with the role label added (the process collector's)."""

    def __init__(self, inner: Collector, role: str) -> None:
        self._inner, self._role = inner, role

    def collect(self) -> Iterable[Metric]:
        for family in self._inner.collect():
            labelled = Metric(family.name, family.documentation, family.type, family.unit)
            for sample in family.samples:
                labelled.add_sample(sample.name, {**sample.labels, "role": self._role}, sample.value, sample.timestamp)
            yield labelled


class _DatabaseReadings(Collector):
    """What the last reading of the database (at a scrape of /metrics or /healthz) found: the
    digest backlog, and whether the database answered.  A backlog that could not be read is not
    exported at all (Prometheus's rule: no value rather than a stale one shown as current; a
    panel shows a gap, `absent()` can alert), and akhbar_database_up says why."""

    def __init__(self, role: str) -> None:
        self.role = role
        self.database_up: bool | None = None  # None: not read yet
        self.backlog: tuple[int, float] | None = None  # (chats due, seconds the earliest has waited)

    def collect(self) -> Iterable[Metric]:
        if self.database_up is None:
            return
        up = GaugeMetricFamily(
            "akhbar_database_up", "Whether the database answered the last reading of the digest backlog (1) or not (0)",
            labels=["role"],
        )
        up.add_metric([self.role], 1.0 if self.database_up else 0.0)
        yield up
        if self.backlog is None:
            return
        due, age = self.backlog
        for name, documentation, figure in (
            ("akhbar_digest_backlog", "Chats whose digest is due and not yet sent (read at each scrape)", due),
            ("akhbar_digest_backlog_age_seconds", "How long the earliest due digest has been due (0: none due)", age),
        ):
            family = GaugeMetricFamily(name, documentation, labels=["role"])
            family.add_metric([self.role], float(figure))
            yield family


class PrometheusMetrics(Metrics):
    def __init__(self, role: str = "all") -> None:
        # No `*_created` series beside every counter: they doubled /metrics and no rule or
        # panel reads them (the switch is process-wide in prometheus-client).
        disable_created_metrics()
        self.role = role
        self.registry = registry = CollectorRegistry()
        both = ("role",)

        updates = Counter("akhbar_updates", "Updates handled, by kind", [*both, "kind"], registry=registry)
        self._updates = {kind: updates.labels(role, kind) for kind in UPDATE_KINDS}
        sends = Counter(
            "akhbar_sends",
            "Sends to Telegram by outcome: sent, retried (each retry), 403, 429 (each answer), failed (given up)",
            [*both, "outcome"], registry=registry,
        )
        self._sends = {outcome: sends.labels(role, outcome) for outcome in SEND_OUTCOMES}
        self._reply = Histogram(
            "akhbar_reply_seconds", "From an update's arrival to its first reply sent", both,
            buckets=REPLY_BUCKETS, registry=registry,
        ).labels(role)
        fetches = Counter("akhbar_feed_fetches", "Feed polls by outcome", [*both, "outcome"], registry=registry)
        self._fetches = {outcome: fetches.labels(role, outcome) for outcome in FEED_OUTCOMES}
        self._articles = Counter("akhbar_articles", "New articles stored", both, registry=registry).labels(role)
        self._digests = Counter(
            "akhbar_digests_recorded", "Digest outcomes recorded (sent, failed, skipped, empty)", both, registry=registry
        ).labels(role)
        self._readings = _DatabaseReadings(role)
        registry.register(self._readings)
        Gauge(
            "akhbar_telegram_last_success_timestamp_seconds", "When Telegram last answered a call (Unix time; 0: never)",
            both, registry=registry,
        ).labels(role).set_function(lambda: self.telegram_last_ok)
        registry.register(_WithRole(ProcessCollector(registry=None), role))

        # For /healthz (bot/monitoring.py): Telegram's state, digests' progress.
        self.telegram_last_ok = 0.0  # Unix time of the last call Telegram answered
        self.telegram_failing_since: float | None = None  # time.monotonic() of the first failure in a row
        self.digests_progress_at = time.monotonic()  # a digest outcome last recorded (or the start)

    # --- the events (news.metrics.Metrics) ----------------------------------------------------

    def update_received(self, kind: str) -> None:
        self._updates.get(kind, self._updates["other"]).inc()

    def send_ended(self, outcome: str) -> None:
        self._sends[outcome].inc()

    def replied(self, seconds: float) -> None:
        self._reply.observe(seconds)

    def telegram_answered(self, ok: bool) -> None:
        if ok:
            self.telegram_last_ok = time.time()
            self.telegram_failing_since = None
        elif self.telegram_failing_since is None:
            self.telegram_failing_since = time.monotonic()

    def feed_fetched(self, outcome: str) -> None:
        self._fetches[outcome].inc()

    def articles_stored(self, count: int) -> None:
        if count:
            self._articles.inc(count)

    def digests_recorded(self, count: int) -> None:
        if count:
            self._digests.inc(count)
            self.digests_progress_at = time.monotonic()

    # --- at scrape time -----------------------------------------------------------------------

    def telegram_failing_for(self) -> float:
        """Seconds Telegram has failed every call in a row; 0 when its last answer came."""
        since = self.telegram_failing_since
        return 0.0 if since is None else time.monotonic() - since

    def digests_idle_for(self) -> float:
        """Seconds since a digest outcome was last recorded (or since the start)."""
        return time.monotonic() - self.digests_progress_at

    def set_backlog(self, backlog: DigestBacklog, age_seconds: float) -> None:
        self._readings.database_up, self._readings.backlog = True, (backlog.due, age_seconds)

    def backlog_unreadable(self) -> None:
        """The database did not answer: no backlog is shown rather than the last one, as if current."""
        self._readings.database_up, self._readings.backlog = False, None

    def exposition(self) -> bytes:
        """The registry in Prometheus's text format."""
        return generate_latest(self.registry)

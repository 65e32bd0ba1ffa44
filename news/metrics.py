"""What the bot counts for its operator, as events the code reports: the interface, and its
no-op default.

The core (polling, ingestion) and the bot (updates, sends, replies, digests) call a `Metrics`;
by default it is `NO_METRICS`, which does nothing, so that counting costs nothing unless the
operator asks for it (AKHBAR_METRICS_LISTEN).  bot/metrics.py implements it with
prometheus-client: the core never imports a metrics library.
"""

from __future__ import annotations

# How a call to Telegram that sends something ended (akhbar_sends_total's outcome label).
SEND_OUTCOMES = ("sent", "retried", "403", "429", "failed")
# How a feed's poll ended (news.polling's SourceReport.status).
FEED_OUTCOMES = ("ok", "not_modified", "error")


class Metrics:
    """Every event the bot reports; each method does nothing here (the default)."""

    __slots__ = ()

    def update_received(self, kind: str) -> None:
        """An update was taken up: "command", "message", "callback_query", "channel_post"…"""

    def send_ended(self, outcome: str) -> None:
        """A send to Telegram ended one of the SEND_OUTCOMES ways."""

    def replied(self, seconds: float) -> None:
        """The first reply to an update went out, `seconds` after the update was taken up."""

    def telegram_answered(self, ok: bool) -> None:
        """A call reached Telegram and was answered (`ok`), or did not (5xx, timeout, no
        connection: not `ok`)."""

    def feed_fetched(self, outcome: str) -> None:
        """A feed was polled, ending one of the FEED_OUTCOMES ways."""

    def articles_stored(self, count: int) -> None:
        """`count` new articles were stored (duplicates not counted)."""

    def digests_recorded(self, count: int) -> None:
        """`count` digest outcomes (sent, failed, skipped, empty) were recorded."""


NO_METRICS = Metrics()

"""Telegram handlers, one module per feature; `register_all` wires them into the Application."""

from __future__ import annotations

from telegram.ext import Application

from bot.handlers import (
    admin,
    digest,
    edits,
    errors,
    fallback,
    flood,
    follow,
    inline,
    news,
    search,
    settings,
    start,
    subscription,
)


def register_all(app: Application) -> None:
    edits.register(app)  # first: edits the bot does not answer are not even counted as requests
    flood.register(app)  # then: a flood never reaches the features
    for feature in (start, news, search, inline, subscription, settings, digest, follow, admin):
        feature.register(app)
    # Last: what no feature claimed (unknown commands, plain text).
    fallback.register(app)
    app.add_error_handler(errors.on_error)

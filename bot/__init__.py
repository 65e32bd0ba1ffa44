"""The Telegram bot: python-telegram-bot 22 around the news core."""

import os

# PTB 22.2 deprecates reading time periods (RetryAfter.retry_after above all) as whole seconds
# and warns on every one, even on building the error; the supported path is to opt in to
# datetime.timedelta, which the next major version makes the only one.  bot.limiter reads both.
os.environ.setdefault("PTB_TIMEDELTA", "true")

"""Messages edited after they were sent: a reader who fixes a typo in «/search وهرن» expects
the answer to «/search وهران», as most bots give it.  Telegram sends each edit as an update of
its own (edited_message, edited_channel_post) carrying the whole message as it now reads, and
the features' handlers take it as they take a new message, once per edit.

Here, ahead of flood control, go the edits the bot has nothing to say to: a live location
moving (Telegram edits its message every few seconds, with no text), a group's chatter or a
channel's news post corrected.  They are dropped before flood control counts them, so a
member correcting their own messages in a group, or a reader sharing their location, is never
taken for a flood.  What is left is answered as a new message would be: a command anywhere,
words to search in a private chat.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, MessageHandler, filters

from bot.context import AkhbarContext

# What a new message would be answered for: a command, or words in a private chat (the
# fallback's search; a message sent via a bot is a shared headline, not words).
_ANSWERED = filters.COMMAND | (filters.ChatType.PRIVATE & filters.TEXT & ~filters.VIA_BOT)


async def _ignore(_update: Update, _context: AkhbarContext) -> None:
    raise ApplicationHandlerStop


def register(app: Application) -> None:
    # In flood control's group, before it: the first handler that takes an update there is the
    # only one, and this one ends the update's handling altogether.
    app.add_handler(MessageHandler(filters.UpdateType.EDITED & ~_ANSWERED, _ignore), group=-1)

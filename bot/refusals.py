"""What Telegram's refusal of a send says: that the bot can no longer post in that chat at all
(blocked, removed, demoted in a channel, the chat gone) — the chat is then soft-disabled, and
what it is owed waits for it to be back — or that it refused this message (our bug)."""

from __future__ import annotations

from telegram.error import BadRequest, Forbidden

# Telegram's 400s that are about the chat, not the message: gone, or the bot without the
# right to post there (a channel's admin took the bot's admin rights, a group muted it).
_CHAT_CLOSED = (
    "chat not found",
    "need administrator rights",
    "not enough rights to send",
    "have no rights to send",
    "chat_write_forbidden",
)


def cannot_post_there(error: Forbidden | BadRequest) -> bool:
    """Whether `error` means the bot cannot post in that chat, whatever it sends."""
    if isinstance(error, Forbidden):
        return True
    lowered = error.message.lower()
    return any(words in lowered for words in _CHAT_CLOSED)

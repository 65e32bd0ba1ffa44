"""A chat of the emulated world and its messages, as the server and the methods keep them."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Chat"]


@dataclass
class Chat:
    id: int
    type: str  # "private" | "group" | "supergroup" | "channel"
    title: str | None = None
    username: str | None = None
    user_id: int | None = None  # the other party of a private chat
    creator: int | None = None
    admins: set[int] = field(default_factory=set)
    members: set[int] = field(default_factory=set)
    removed: bool = False
    # The bot's own status in a channel or group: "administrator" (in a channel, it may post),
    # "member" (in a channel, demoted by an admin), "left" (removed) or "kicked" (banned):
    # BotAPIEmulator.set_bot_status.
    bot_status: str = "administrator"
    # Whether the bot, an administrator there, holds the right to post messages (an admin may
    # add it, or leave it, without): without, its sends fail as a member's do.
    bot_can_post: bool = True
    migrated_to: int | None = None
    next_message_id: int = 1
    # Every message of the chat (user and bot) as the API dict, by id.
    messages: dict[int, dict] = field(default_factory=dict)
    # The bot's messages as inspection records (see BotAPIEmulator.messages).
    bot_records: dict[int, dict] = field(default_factory=dict)
    deleted: set[int] = field(default_factory=set)
    # Those of `deleted` a user deleted (BotAPIEmulator.delete_by_user): the bot could not know.
    deleted_by_user: set[int] = field(default_factory=set)

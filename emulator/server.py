"""A local Telegram Bot API server that is as strict as Telegram.

It speaks the real wire protocol (``/bot<token>/<method>``, form/multipart/
JSON/query parameters, ``{"ok": ...}`` envelopes, real status codes), so a
real python-telegram-bot Application can run against it. Tests play the
users' side (``send_message``, ``press_button``, ``block`` ...) and then
inspect what the bot did (``messages``, ``requests``, ``violations``).
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from aiohttp import web

from .chat import Chat
from .faults import FaultPlan
from .html_entities import utf16_len
from .inline import CHAT_TYPES, MAX_QUERY_CHARS, InlineQueryState, message_fields
from .methods import CONFLICT_OTHER_POLL, BotAPIMethods
from .ratelimit import Limits, RateLimiter
from .validation import APIError, bad_request, int_param
from .webhook import WebhookDelivery

__all__ = ["BotAPIEmulator"]

# Fields the real server reads as plain strings. Form-encoded bodies carry
# every value as a string and PTB JSON-encodes only non-strings, so decoding
# "123" or "true" in these would corrupt a text; every other field is
# JSON-decoded when possible (chat_id "42" -> 42, reply_markup "{..}" -> dict).
_STRING_FIELDS = frozenset({
    "text", "caption", "parse_mode", "callback_query_id", "url", "description",
    "short_description", "language_code", "secret_token", "action", "inline_message_id",
    "business_connection_id", "message_effect_id", "ip_address", "name", "title", "query",
    "emoji", "custom_title", "inline_query_id", "certificate", "photo", "document", "video", "audio", "voice",
    "animation", "sticker", "file_id", "question", "address",
})

_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")

_SUPERGROUP_MIN_ID = -1000000000000
# What Telegram puts in `from` of a message an admin sent anonymously, as the group itself.
GROUP_ANONYMOUS_BOT = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class BotAPIEmulator(BotAPIMethods):
    """An in-process Telegram Bot API server on 127.0.0.1 (see module doc)."""

    def __init__(
        self,
        token: str = "123456:TEST-token",
        bot_username: str = "akhbar_test_bot",
        limits: Limits | None = None,
        *,
        port: int = 0,
        host: str = "127.0.0.1",
        bot_first_name: str = "Akhbar",
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        first_update_id: int = 1,
        inline_placeholder: str | None = None,
    ) -> None:
        m = re.fullmatch(r"(\d+):[A-Za-z0-9_-]+", token)
        if m is None:
            raise ValueError(f"not a Bot API token: {token!r} (expected '<digits>:<secret>')")
        self.token = token
        self.host = host
        self.port = port
        self.limits = limits if limits is not None else Limits()
        self.limiter = RateLimiter(self.limits, clock)
        self._wall_clock = wall_clock
        self.bot_user: dict = {
            "id": int(m.group(1)),
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }

        # --- what tests inspect
        self.requests: list[tuple[str, dict]] = []
        self.request_times: list[float] = []  # when each of `requests` arrived (the clock's time)
        self.violations: list[dict] = []
        self.errors: list[dict] = []  # every non-ok response, violations included
        self.rate_limited: int = 0
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.callback_answers: list[dict] = []
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.webhook_url: str = ""
        # Inline mode, as @BotFather's /setinline turns it on (None: off, as for a new bot),
        # and every answerInlineQuery accepted, in order.
        self.inline_placeholder = inline_placeholder
        self.inline_answers: list[dict] = []
        # Injected faults (see faults.py), and the requests they hit: (method, kind).
        self.faults = FaultPlan(clock)
        self.faulted: list[tuple[str, str]] = []
        # Called with (method, params, result) after every successful request: a benchmark
        # timing replies needs to know the moment the bot's message arrives.
        self.observers: list[Callable[[str, dict, Any], None]] = []
        # Updates POSTed to the bot while a webhook is set (see webhook.py); tests point
        # `webhook.target` at the bot's plain-http listener, as a reverse proxy would.
        self.webhook = WebhookDelivery(self._first_pending_update, self._confirm_updates, lambda: self._changed)

        # --- world state
        self._users: dict[int, dict] = {}
        self._chats: dict[int, Chat] = {}
        self._blocked: set[int] = set()
        self._deactivated: set[int] = set()
        self._updates: list[dict] = []
        self._next_update_id = first_update_id
        self._allowed_updates: list[str] = []
        self._callback_queries: dict[str, dict] = {}
        self._callback_ids = itertools.count(1)
        self._inline_queries: dict[str, InlineQueryState] = {}
        self._inline_ids = itertools.count(1)
        # Messages sent via the bot into chats it is not in (a user's chat with a friend),
        # by the pair of users, in order.
        self._conversations: dict[frozenset[int], list[dict]] = {}
        self._menu_buttons: dict[int | None, dict] = {}
        self._photo_ids: dict[str, list[dict]] = {}

        # --- async machinery
        # One event, replaced on every change, wakes every waiter (long polls,
        # wait_for_*); each re-checks its own condition.
        self._changed = asyncio.Event()
        self._poll_generation = 0
        self._poll_cancel_reason = CONFLICT_OTHER_POLL
        self._stopping = False
        self._runner: web.AppRunner | None = None
        self._methods: dict[str, Callable[[dict], Any]] = {
            name[len("_api_"):]: getattr(self, name)
            for name in dir(self)
            if name.startswith("_api_")
        }

    # ================================================================ lifecycle

    @property
    def api_url(self) -> str:
        if self._runner is None:
            raise RuntimeError("the emulator is not started; await emu.start() first")
        return f"http://{self.host}:{self.port}"

    @property
    def bot_id(self) -> int:
        return self.bot_user["id"]

    async def start(self) -> None:
        if self._runner is not None:
            return
        self._stopping = False
        # Uploads up to Telegram's 50 MB, so that the methods themselves refuse what is too big
        # for them (a 10 MB photo) as Telegram does, with its answer, not aiohttp's 1 MB limit.
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        # A short shutdown_timeout: AppRunner otherwise waits up to 60 s for
        # open requests (e.g. a long poll) when stopping.
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.25)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self.port = runner.addresses[0][1]
        self._runner = runner

    async def stop(self) -> None:
        if self._runner is None:
            return
        # Answer open long polls (empty result) before the server goes away.
        self._stopping = True
        self._notify()
        await self.webhook.stop()
        await asyncio.sleep(0.01)
        runner, self._runner = self._runner, None
        await runner.cleanup()

    async def __aenter__(self) -> BotAPIEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def _now(self) -> int:
        return int(self._wall_clock())

    def _clock(self) -> float:
        return self.limiter.clock()

    # ================================================================ world setup

    def add_user(
        self,
        user_id: int,
        first_name: str | None = None,
        language_code: str | None = None,
        *,
        last_name: str | None = None,
        username: str | None = None,
        is_bot: bool = False,
    ) -> dict:
        """Create (or update) a user and the private chat with them (chat id == user id)."""
        if user_id <= 0:
            raise ValueError("user ids are positive")
        if user_id == self.bot_id:
            raise ValueError("that is the bot's own id")
        user: dict[str, Any] = {
            "id": user_id,
            "is_bot": is_bot,
            "first_name": first_name or f"User {user_id}",
        }
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self._users[user_id] = user
        chat = self._chats.get(user_id)
        if chat is None:
            self._chats[user_id] = Chat(id=user_id, type="private", user_id=user_id)
        return copy.deepcopy(user)

    def add_group(
        self,
        chat_id: int,
        title: str = "Test group",
        admins: Iterable[int] = (),
        *,
        creator: int | None = None,
        members: Iterable[int] = (),
        username: str | None = None,
        added_by: int | None = None,
    ) -> dict:
        """Create a group (supergroup if id <= -10**12) the bot is a member of.

        ``admins`` are reported as "administrator", ``creator`` as "creator".
        Unknown user ids are created on the fly.  With ``added_by``, that member has just
        added the bot: a my_chat_member update (left -> member, from them) is queued, as
        Telegram sends it; without, the bot was there before the test began.  Returns the
        Chat dict.
        """
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        kind = "supergroup" if chat_id <= _SUPERGROUP_MIN_ID else "group"
        chat = Chat(id=chat_id, type=kind, title=title, username=username, creator=creator)
        for uid in [*admins, *members, *([creator] if creator else [])]:
            if uid != self.bot_id:  # the bot may be listed as an admin
                self._ensure_user(uid)
        chat.admins = set(admins)
        chat.members = set(members) | chat.admins | ({creator} if creator else set())
        chat.bot_status = "administrator" if self.bot_id in chat.admins else "member"
        self._chats[chat_id] = chat
        if added_by is not None:
            if added_by not in chat.members:
                raise ValueError(f"user {added_by} is not a member of group {chat_id}: they cannot add the bot")
            self._enqueue_my_chat_member(chat, added_by, "left", "member")
        return self._chat_dict(chat)

    def add_channel(self, chat_id: int, title: str = "Test channel", admins: Iterable[int] = (),
                    *, username: str | None = None, added_by: int | None = None, can_post: bool = True) -> dict:
        """Create a channel the bot is an administrator of; ``admins`` may post in it.

        Channel ids are like supergroups' (-100…).  With ``added_by``, that admin has just
        made the bot an administrator there: a my_chat_member update (left -> administrator,
        from them) is queued, as Telegram sends it; without, the bot was there before the test
        began.  ``can_post`` False: an administrator without the right to post messages.
        Returns the Chat dict.
        """
        if chat_id > _SUPERGROUP_MIN_ID:
            raise ValueError("channel ids are -100… like supergroups'")
        for uid in admins:
            self._ensure_user(uid)
        chat = Chat(id=chat_id, type="channel", title=title, username=username, bot_can_post=can_post)
        chat.admins = set(admins)
        chat.members = set(chat.admins)
        self._chats[chat_id] = chat
        if added_by is not None:
            if added_by not in chat.admins:
                raise ValueError(f"user {added_by} is not an admin of channel {chat_id}: they cannot add the bot")
            self._enqueue_my_chat_member(chat, added_by, "left", "administrator", new_can_post=can_post)
        return self._chat_dict(chat)

    def post_in_channel(self, chat_id: int, text: str, author_id: int | None = None) -> dict:
        """An admin of the channel posts ``text``: queue a channel_post Update.

        As in Telegram, the post is the channel's own (``sender_chat``), with no ``from``;
        ``author_id`` only checks that the author may post there.
        """
        chat = self._chats.get(chat_id)
        if chat is None or chat.type != "channel":
            raise ValueError(f"unknown channel {chat_id}; add it with add_channel() first")
        if author_id is not None and author_id not in chat.admins:
            raise ValueError(f"user {author_id} is not an admin of channel {chat_id} and cannot post")
        if not isinstance(text, str) or not text:
            raise ValueError("text must be a non-empty string")
        post: dict[str, Any] = {"sender_chat": self._chat_dict(chat), "text": text}
        if (m := _COMMAND_RE.match(text)) is not None:
            post["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(m.group(0))}]
        message = self._new_message(chat, post)
        self._enqueue("channel_post", message)
        return copy.deepcopy(message)

    def set_bot_status(self, chat_id: int, status: str, by: int, can_post: bool = True) -> None:
        """User `by` changes the bot's place in a channel or group, as Telegram tells it (a
        my_chat_member update from them): "member" (in a channel, demoted: sends then fail with
        400 "need administrator rights in the channel chat"), "left" (removed) or "kicked"
        (banned: sends fail with 403 "bot is not a member of the … chat"), "administrator"
        (back, or promoted; in a channel with `can_post` False, without the right to post
        messages: sends fail as a member's).  A channel's admins do it all; in a group any
        member may add the bot back (from "left" or "kicked"), and only its admins promote,
        demote or remove it."""
        chat = self._chats.get(chat_id)
        if chat is None or chat.type not in ("channel", "group", "supergroup"):
            raise ValueError(f"unknown channel or group {chat_id}; add it with add_channel() or add_group() first")
        if status not in ("administrator", "member", "left", "kicked"):
            raise ValueError(f"no such status of the bot in a {chat.type}: {status}")
        adding = chat.type != "channel" and chat.bot_status in ("left", "kicked") and status == "member"
        if by not in (chat.members if adding else chat.admins | ({chat.creator} if chat.creator else set())):
            raise ValueError(f"user {by} may not change the bot's place in {chat.type} {chat_id}")
        old, old_can_post = chat.bot_status, chat.bot_can_post
        chat.bot_status, chat.bot_can_post = status, can_post
        if (old, old_can_post) != (status, can_post):
            self._enqueue_my_chat_member(chat, by, old, status, old_can_post=old_can_post, new_can_post=can_post)

    def _ensure_user(self, user_id: int) -> dict:
        if user_id not in self._users:
            self.add_user(user_id)
        return self._users[user_id]

    def block(self, user_id: int, tell_bot: bool = True) -> None:
        """The user blocks the bot: sends now fail with 403; a my_chat_member update is queued
        (not with `tell_bot` False: an update the bot never got, its webhook down past
        Telegram's 24 hours, say — it learns of the block from a send's 403 alone)."""
        self._ensure_user(user_id)
        if user_id in self._blocked:
            return
        self._blocked.add(user_id)
        if tell_bot:
            self._enqueue_my_chat_member(self._chats[user_id], user_id, "member", "kicked")

    def unblock(self, user_id: int, tell_bot: bool = True) -> None:
        """The user unblocks the bot (`tell_bot` False: the update is lost, as in `block`)."""
        self._ensure_user(user_id)
        if user_id not in self._blocked:
            return
        self._blocked.discard(user_id)
        if tell_bot:
            self._enqueue_my_chat_member(self._chats[user_id], user_id, "kicked", "member")

    def delete_by_user(self, chat_id: int, message_id: int) -> None:
        """The user of a private chat deletes one of its messages, the bot's included (for both
        sides, as Telegram lets them): the bot is not told, and editing it then fails with
        400 "message to edit not found"."""
        chat = self._chats.get(chat_id)
        if chat is None or chat.type != "private" or message_id not in chat.messages:
            raise ValueError(f"no message {message_id} in private chat {chat_id}")
        chat.deleted.add(message_id)
        chat.deleted_by_user.add(message_id)
        self._notify()

    def deactivate(self, user_id: int) -> None:
        """The user deletes their account: sends now fail with 403 "user is deactivated"."""
        self._ensure_user(user_id)
        self._deactivated.add(user_id)

    def migrate_group(self, old_chat_id: int, new_chat_id: int) -> dict:
        """Upgrade a group to a supergroup, as Telegram does.

        Sends to the old id then fail with 400 and parameters.migrate_to_chat_id.
        Like Telegram, the service messages (migrate_to_chat_id in the old chat,
        migrate_from_chat_id in the new one) are queued as message updates.
        Returns the new Chat dict.
        """
        old = self._chats.get(old_chat_id)
        if old is None or old.type != "group":
            raise ValueError(f"{old_chat_id} is not a (basic) group")
        if new_chat_id > _SUPERGROUP_MIN_ID:
            raise ValueError("a supergroup id must be <= -1000000000000")
        new = Chat(
            id=new_chat_id, type="supergroup", title=old.title, username=old.username,
            creator=old.creator, admins=set(old.admins), members=set(old.members),
        )
        self._chats[new_chat_id] = new
        old.migrated_to = new_chat_id
        actor = old.creator or (min(old.admins) if old.admins else None)
        sender = {"from": copy.deepcopy(self._users[actor])} if actor else {}
        self._store_and_enqueue(old, {**sender, "migrate_to_chat_id": new_chat_id})
        self._store_and_enqueue(new, {**sender, "migrate_from_chat_id": old_chat_id})
        return self._chat_dict(new)

    def remove_chat(self, chat_id: int) -> None:
        """The chat disappears for the bot: every call on it gives "chat not found"."""
        chat = self._chats.get(chat_id)
        if chat is None:
            raise ValueError(f"unknown chat {chat_id}")
        chat.removed = True

    # ================================================================ user-side actions

    def send_message(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        reply_to_message_id: int | None = None,
        thread_id: int | None = None,
        anonymous: bool = False,
    ) -> dict:
        """A user writes ``text`` in a chat: queue the Update, return the Message dict.

        A leading "/command" (or "/command@botname") gets a bot_command entity.
        Unknown positive chat ids become private chats with a new user.  With ``thread_id``,
        the message is written in that topic of a forum supergroup.  With ``anonymous``, an
        admin of a group writes as the group itself, as Telegram shows it: ``sender_chat`` the
        group, ``from`` the placeholder user @GroupAnonymousBot.
        """
        user = self._ensure_user(user_id)
        chat = self._chats.get(chat_id)
        if chat is None and chat_id > 0:
            self._ensure_user(chat_id)
            chat = self._chats[chat_id]
        if chat is None:
            raise ValueError(f"unknown chat {chat_id}; add it with add_group() first")
        if chat.removed or chat.migrated_to is not None:
            raise ValueError(f"chat {chat_id} was removed or migrated; users cannot write there")
        if chat.type == "private" and chat.user_id != user_id:
            raise ValueError(f"only user {chat.user_id} can write in private chat {chat_id}")
        if not isinstance(text, str) or not text:
            raise ValueError("text must be a non-empty string")
        chat.members.add(user_id)
        message: dict[str, Any] = {"from": copy.deepcopy(user), "text": text}
        if anonymous:
            if chat.type not in ("group", "supergroup") or user_id not in chat.admins | {chat.creator}:
                raise ValueError(f"only an admin of a group writes anonymously; {user_id} is not one of {chat_id}'s")
            message = {"from": dict(GROUP_ANONYMOUS_BOT), "sender_chat": self._chat_dict(chat), "text": text}
        if thread_id is not None:
            if chat.type != "supergroup":
                raise ValueError("topics exist only in forum supergroups")
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        m = _COMMAND_RE.match(text)
        if m is not None:
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(m.group(0))}
            ]
        if reply_to_message_id is not None:
            target = self._live_message(chat, reply_to_message_id)
            if target is None:
                raise ValueError(f"no message {reply_to_message_id} in chat {chat_id}")
            message["reply_to_message"] = self._without_reply(target)
        return self._store_and_enqueue(chat, message)

    def edit_message(self, chat_id: int, message_id: int, text: str) -> dict:
        """The author of a user's message (or a channel's admin, of a post) edits its text:
        queue an edited_message Update (edited_channel_post in a channel) carrying the whole
        message as it now reads, with its edit_date.  Return the Message dict."""
        chat = self._chats.get(chat_id)
        message = self._live_message(chat, message_id) if chat is not None else None
        if chat is None or message is None or message_id in chat.bot_records:
            raise ValueError(f"no user message {message_id} in chat {chat_id}")
        if "text" not in message:
            raise ValueError(f"message {message_id} in chat {chat_id} has no text to edit")
        if not isinstance(text, str) or not text:
            raise ValueError("text must be a non-empty string")
        message["text"] = text
        message.pop("entities", None)
        if (m := _COMMAND_RE.match(text)) is not None:
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(m.group(0))}]
        message["edit_date"] = self._now()
        self._enqueue("edited_channel_post" if chat.type == "channel" else "edited_message", message)
        return copy.deepcopy(message)

    def share_live_location(self, chat_id: int, user_id: int, latitude: float, longitude: float) -> dict:
        """A user shares their live location in a chat (for an hour): queue the message Update."""
        user = self._ensure_user(user_id)
        chat = self._chats.get(chat_id)
        if chat is None or (chat.type == "private" and chat.user_id != user_id):
            raise ValueError(f"user {user_id} cannot write in chat {chat_id}")
        location = {"latitude": latitude, "longitude": longitude, "live_period": 3600}
        return self._store_and_enqueue(chat, {"from": copy.deepcopy(user), "location": location})

    def move_live_location(self, chat_id: int, message_id: int, latitude: float, longitude: float) -> dict:
        """The sharer's phone reports where it is now: as Telegram does every few seconds, the
        location message is edited (an edited_message Update, no text in it)."""
        chat = self._chats.get(chat_id)
        message = self._live_message(chat, message_id) if chat is not None else None
        if chat is None or message is None or "location" not in message:
            raise ValueError(f"no live location {message_id} in chat {chat_id}")
        message["location"] = {**message["location"], "latitude": latitude, "longitude": longitude}
        message["edit_date"] = self._now()
        self._enqueue("edited_message", message)
        return copy.deepcopy(message)

    def press_button(
        self, chat_id: int, user_id: int, message_id: int, data: str, *, strict: bool = True
    ) -> str:
        """A user presses an inline button of a bot message: queue a callback_query Update.

        With ``strict`` (default) the message must currently carry a button
        with this callback_data, as a real user can only press what they see.
        Returns the callback query id.
        """
        user = self._ensure_user(user_id)
        chat = self._chats.get(chat_id)
        if chat is None:
            raise ValueError(f"unknown chat {chat_id}")
        if chat.type == "private" and chat.user_id != user_id:
            raise ValueError(f"only user {chat.user_id} sees private chat {chat_id}")
        record = chat.bot_records.get(message_id)
        if record is None or message_id in chat.deleted:
            raise ValueError(f"no bot message {message_id} in chat {chat_id}")
        if strict:
            markup = record.get("reply_markup") or {}
            available = [
                b.get("callback_data")
                for row in markup.get("inline_keyboard", [])
                for b in row
                if "callback_data" in b
            ]
            if data not in available:
                raise ValueError(
                    f"message {message_id} in chat {chat_id} has no button with callback_data "
                    f"{data!r}; its buttons: {available!r}"
                )
        query_id = str(4_000_000_000_000_000 + next(self._callback_ids))
        query = {
            "id": query_id,
            "from": copy.deepcopy(user),
            "message": copy.deepcopy(chat.messages[message_id]),
            # Stable per chat, like Telegram's (a signed 64-bit number as text).
            "chat_instance": str((chat_id * 6364136223846793005 + self.bot_id) % 2**63),
            "data": data,
        }
        self._callback_queries[query_id] = {"answered": False, "user_id": user_id}
        self._enqueue("callback_query", query)
        return query_id

    def send_inline_query(
        self, user_id: int, query: str, *, chat_type: str = "sender", offset: str = ""
    ) -> str:
        """A user types ``@bot query`` in some chat: queue an inline_query Update.

        Only when inline mode is on (``inline_placeholder``), and no longer than a client lets
        a user type (256 characters). ``chat_type`` is where it was typed: "sender" (their
        chat with the bot), "private", "group", "supergroup" or "channel". Returns the
        query id, to choose a result with once the bot answered.
        """
        if self.inline_placeholder is None:
            raise ValueError("inline mode is off for this bot (set inline_placeholder, as /setinline does)")
        if not isinstance(query, str) or len(query) > MAX_QUERY_CHARS:
            raise ValueError(f"an inline query is a string of at most {MAX_QUERY_CHARS} characters")
        if chat_type not in CHAT_TYPES:
            raise ValueError(f"chat_type is one of {sorted(CHAT_TYPES)}")
        user = self._ensure_user(user_id)
        query_id = str(5_000_000_000_000_000 + next(self._inline_ids))
        self._inline_queries[query_id] = InlineQueryState(user_id, query, self._clock())
        self._enqueue("inline_query", {
            "id": query_id, "from": copy.deepcopy(user), "query": query, "offset": offset,
            "chat_type": chat_type,
        })
        return query_id

    def inline_answer(self, query_id: str) -> dict | None:
        """The bot's answer to an inline query (results checked, cache_time…), None before."""
        query = self._inline_queries.get(query_id)
        return copy.deepcopy(query.answer) if query is not None and query.answered else None

    async def wait_for_inline_answer(self, query_id: str, timeout: float = 10.0) -> dict:
        """Until the bot answered this inline query; its answer."""

        def explain() -> str:
            return (f"timed out after {timeout}s waiting for the answer to inline query {query_id}; "
                    f"violations: {self.violations!r}")

        await self._wait(lambda: self.inline_answer(query_id) is not None, timeout, explain)
        answer = self.inline_answer(query_id)
        assert answer is not None  # just waited for it
        return answer

    def choose_inline_result(
        self, query_id: str, result_id: str, *, chat_id: int | None = None, to_user: int | None = None
    ) -> dict:
        """The user taps one of the bot's results: it is sent, from the user "via" the bot,
        into the chat where they typed the query. Returns the Message as that chat sees it.

        ``chat_id``: a chat the emulator knows (a group the user is in, or the user's own chat
        with the bot); the bot gets the message as an update there, as Telegram delivers
        messages sent via a bot. ``to_user``: the user's private chat with another user,
        which the bot is not part of (read it with ``conversation``).
        """
        query = self._inline_queries.get(query_id)
        if query is None or not query.answered:
            raise ValueError(f"inline query {query_id} was not answered: there is nothing to choose")
        result = query.results.get(result_id)
        if result is None:
            raise ValueError(f"the answer to inline query {query_id} has no result {result_id!r}; "
                             f"its results: {list(query.results)!r}")
        if (chat_id is None) == (to_user is None):
            raise ValueError("give either chat_id or to_user")
        user = self._users[query.user_id]
        fields = {"from": copy.deepcopy(user), "via_bot": dict(self.bot_user), **message_fields(result)}
        if to_user is not None:
            self._ensure_user(to_user)
            pair = frozenset({query.user_id, to_user})
            messages = self._conversations.setdefault(pair, [])
            # The chat as the sender sees it: their private chat with that user.
            message = {"message_id": len(messages) + 1, "from": fields.pop("from"),
                       "chat": self._chat_dict(self._chats[to_user]), "date": self._now(), **fields}
            messages.append(message)
            self._notify()
            return copy.deepcopy(message)
        chat = self._chats.get(chat_id) if chat_id is not None else None
        if chat is None or chat.removed or chat.migrated_to is not None:
            raise ValueError(f"unknown chat {chat_id}")
        if chat.type == "private" and chat.user_id != query.user_id:
            raise ValueError(f"user {query.user_id} cannot write in private chat {chat_id}")
        if chat.type in ("group", "supergroup") and query.user_id not in chat.members:
            raise ValueError(f"user {query.user_id} is not a member of chat {chat_id}")
        if chat.type == "channel" and query.user_id not in chat.admins:
            raise ValueError(f"user {query.user_id} cannot post in channel {chat_id}")
        if chat.type == "channel":
            fields.pop("from")
            fields["sender_chat"] = self._chat_dict(chat)
            message = self._new_message(chat, fields)
            self._enqueue("channel_post", message)
            return copy.deepcopy(message)
        return self._store_and_enqueue(chat, fields)

    def conversation(self, user_id: int, other_user_id: int) -> list[dict]:
        """Messages sent via the bot between two users, in order (see choose_inline_result)."""
        return copy.deepcopy(self._conversations.get(frozenset({user_id, other_user_id}), []))

    # ================================================================ inspection

    def messages(self, chat_id: int) -> list[dict]:
        """The bot's (non-deleted) messages in a chat, in order, edits applied.

        Keys: message_id, date, chat, from, text (plain), entities (UTF-16),
        html (raw text as sent), reply_markup (dict or None), edited (bool),
        plus parse_mode, reply_to_message_id, disable_notification,
        protect_content, link_preview_options, edit_count.  A photo has text ""
        and photo (its PhotoSize list), photo_bytes (what was uploaded), caption,
        caption_entities and caption_html.
        """
        chat = self._chats.get(chat_id)
        if chat is None:
            return []
        return [
            copy.deepcopy(rec)
            for mid, rec in chat.bot_records.items()
            if mid not in chat.deleted
        ]

    def chat_messages(self, chat_id: int) -> list[dict]:
        """Every live message of the chat (users' and bot's) as API Message dicts."""
        chat = self._chats.get(chat_id)
        if chat is None:
            return []
        return [copy.deepcopy(m) for mid, m in chat.messages.items() if mid not in chat.deleted]

    def _first_pending_update(self) -> dict | None:
        self._drop_unwanted_updates()
        return copy.deepcopy(self._updates[0]) if self._updates else None

    def _confirm_updates(self, up_to: int) -> None:
        self._updates = [u for u in self._updates if u["update_id"] > up_to]
        self._notify()

    @property
    def pending_updates(self) -> list[dict]:
        """Updates queued and not yet confirmed by a getUpdates offset."""
        return copy.deepcopy(self._updates)

    async def _wait(
        self, predicate: Callable[[], bool], timeout: float, explain: Callable[[], str]
    ) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(explain())
            event = self._changed
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                pass

    async def wait_for_messages(
        self, chat_id: int, count: int, timeout: float = 10.0
    ) -> list[dict]:
        """Wait until the bot has at least ``count`` messages in the chat; return them all."""

        def explain() -> str:
            got = self.messages(chat_id)
            texts = [m["text"][:80] for m in got]
            recent = [
                (m, p.get("chat_id")) for m, p in self.requests[-10:] if m != "getupdates"
            ]
            return (
                f"timed out after {timeout}s waiting for {count} bot message(s) in chat "
                f"{chat_id}; it has {len(got)}: {texts!r}; violations: {self.violations!r}; "
                f"last requests: {recent!r}"
            )

        await self._wait(lambda: len(self.messages(chat_id)) >= count, timeout, explain)
        return self.messages(chat_id)

    async def wait_for_requests(
        self, method: str, count: int, timeout: float = 10.0
    ) -> list[dict]:
        """Wait until ``method`` was called at least ``count`` times; return those calls' params."""
        name = method.lower()

        def calls() -> list[dict]:
            return [p for m, p in self.requests if m == name]

        def explain() -> str:
            seen = sorted({m for m, _ in self.requests})
            return (
                f"timed out after {timeout}s waiting for {count} {method} request(s); got "
                f"{len(calls())}; methods seen: {seen!r}; violations: {self.violations!r}"
            )

        await self._wait(lambda: len(calls()) >= count, timeout, explain)
        return copy.deepcopy(calls())

    # ================================================================ HTTP layer

    async def _not_found(self, request: web.Request) -> web.Response:
        return web.json_response(APIError(404, "Not Found").envelope(), status=404)

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(APIError(401, "Unauthorized").envelope(), status=401)
        method = request.match_info["method"].lower()  # method names are case-insensitive
        error: APIError | None
        try:
            params = await self._read_params(request)
        except APIError as exc:
            params, error = {}, exc
        else:
            error = None
        if (fault := self.faults.next_fault(method)) is not None:
            self.faulted.append((method, fault))
            if fault == "slow":  # served, but late
                await asyncio.sleep(self.faults.slow_seconds)
            else:
                return self._fail(request, method, params, fault)
        self.requests.append((method, params))
        self.request_times.append(self.limiter.clock())
        self._notify()
        result: Any = None
        if error is None:
            handler = self._methods.get(method)
            if handler is None:
                error = APIError(404, "Not Found")
            else:
                try:
                    result = await handler(params)
                except APIError as exc:
                    error = exc
        if error is None:
            for observe in self.observers:
                observe(method, params, result)
            return web.json_response({"ok": True, "result": result})
        self._record_error(method, params, error)
        return web.json_response(error.envelope(), status=error.error_code)

    def _fail(self, request: web.Request, method: str, params: dict, fault: str) -> web.Response:
        """Answer with an injected fault; the request has no effect."""
        if fault == "drop":
            # Cut the connection with no answer, as a proxy or a flaky network does.
            if request.transport is not None:  # None when the client is already gone
                request.transport.abort()
            raise asyncio.CancelledError
        if fault == "429":
            error = APIError(429, f"Too Many Requests: retry after {self.faults.retry_after}",
                             parameters={"retry_after": self.faults.retry_after})
        else:
            error = APIError(int(fault), "Internal Server Error" if fault == "500" else "Bad Gateway")
        self._record_error(method, params, error)
        return web.json_response(error.envelope(), status=error.error_code)

    def _record_error(self, method: str, params: dict, error: APIError) -> None:
        entry = {
            "method": method,
            "params": params,
            "error_code": error.error_code,
            "description": error.description,
            "at": self.limiter.clock(),  # when it was answered
        }
        self.errors.append(entry)
        if error.error_code == 429:
            self.rate_limited += 1
        elif error.error_code in (400, 404) and not error.world_event:
            self.violations.append(entry)

    async def _read_params(self, request: web.Request) -> dict:
        raw: dict[str, Any] = dict(request.query)
        if request.body_exists:
            ctype = request.content_type
            if ctype == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise bad_request("can't parse JSON object") from None
                if not isinstance(body, dict):
                    raise bad_request("can't parse JSON object")
                raw.update(body)
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):  # an uploaded file: sendPhoto reads its bytes
                        raw[key] = {"file_name": value.filename, "content_type": value.content_type,
                                    "content": value.file.read()}
                    else:
                        raw[key] = value if isinstance(value, str) else bytes(value).decode("utf-8", "replace")
        return {key: self._decode_value(key, value) for key, value in raw.items()}

    @staticmethod
    def _decode_value(key: str, value: Any) -> Any:
        if not isinstance(value, str) or key in _STRING_FIELDS:
            return value
        try:
            return json.loads(value)
        except ValueError:
            return value

    # ================================================================ chats and limits

    def _resolve_chat(self, params: dict, *, for_sending: bool = True) -> Chat:
        value = params.get("chat_id")
        if value is None or value == "":
            raise bad_request("chat_id is empty")
        if isinstance(value, str) and value.startswith("@"):
            name = value[1:].lower()
            chat = next(
                (c for c in self._chats.values()
                 if c.username and c.username.lower() == name and c.type != "private"),
                None,
            )
        else:
            chat_id = int_param(params, "chat_id", required=True)  # not empty: checked above
            if chat_id == self.bot_id or (
                chat_id in self._users and self._users[chat_id]["is_bot"]
            ):
                raise APIError(403, "Forbidden: bot can't send messages to bots")
            chat = self._chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        if chat.removed:
            raise bad_request("chat not found", world_event=True)
        if chat.migrated_to is not None:
            raise bad_request(
                "group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
                world_event=True,
            )
        if for_sending and chat.type == "channel" and not (chat.bot_status == "administrator" and chat.bot_can_post):
            if chat.bot_status in ("member", "administrator"):  # Telegram says the same to an admin without the right
                raise bad_request("need administrator rights in the channel chat", world_event=True)
            raise APIError(403, "Forbidden: bot is not a member of the channel chat")
        if for_sending and chat.type in ("group", "supergroup") and chat.bot_status in ("left", "kicked"):
            if chat.bot_status == "kicked":
                raise APIError(403, f"Forbidden: bot was kicked from the {chat.type} chat")
            raise APIError(403, f"Forbidden: bot is not a member of the {chat.type} chat")
        if for_sending and chat.type == "private":
            if chat.user_id in self._deactivated:
                raise APIError(403, "Forbidden: user is deactivated")
            if chat.user_id in self._blocked:
                raise APIError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _rate_limit(self, chat: Chat, paid: bool = False) -> None:
        retry = self.limiter.acquire(chat.id, chat.type == "private", paid)
        if retry is not None:
            raise APIError(
                429, f"Too Many Requests: retry after {retry}", {"retry_after": retry}
            )

    # ================================================================ message store

    def _chat_dict(self, chat: Chat) -> dict:
        if chat.type == "private":
            assert chat.user_id is not None  # a private chat is made with its user (add_user)
            user = self._users[chat.user_id]
            result = {"id": chat.id, "first_name": user["first_name"]}
            for key in ("last_name", "username"):
                if key in user:
                    result[key] = user[key]
            result["type"] = "private"
            return result
        result = {"id": chat.id, "title": chat.title, "type": chat.type}
        if chat.username:
            result["username"] = chat.username
        return result

    def _live_message(self, chat: Chat, message_id: int) -> dict | None:
        if message_id in chat.deleted:
            return None
        return chat.messages.get(message_id)

    @staticmethod
    def _without_reply(message: dict) -> dict:
        # Telegram nests reply_to_message only one level deep.
        return {k: copy.deepcopy(v) for k, v in message.items() if k != "reply_to_message"}

    def _new_message(self, chat: Chat, fields: dict) -> dict:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        message: dict[str, Any] = {"message_id": message_id}
        if "from" in fields:
            message["from"] = fields["from"]
        message["chat"] = self._chat_dict(chat)
        message["date"] = self._now()
        message.update({k: v for k, v in fields.items() if k != "from"})
        chat.messages[message_id] = message
        return message

    def _store_and_enqueue(self, chat: Chat, fields: dict) -> dict:
        message = self._new_message(chat, fields)
        self._enqueue("message", message)
        return copy.deepcopy(message)

    def _enqueue(self, kind: str, payload: dict) -> None:
        self._updates.append({"update_id": self._next_update_id, kind: copy.deepcopy(payload)})
        self._next_update_id += 1
        self._notify()

    def _enqueue_my_chat_member(
        self, chat: Chat, user_id: int, old: str, new: str, old_can_post: bool = True, new_can_post: bool = True
    ) -> None:
        """The bot's membership of `chat` changed from `old` to `new`, by user `user_id` (a
        channel's administrator with or without the right to post: `old_can_post`, `new_can_post`)."""
        def member(status: str, can_post: bool) -> dict:
            result: dict[str, Any] = {"status": status, "user": dict(self.bot_user)}
            if status == "kicked":
                result["until_date"] = 0
            if status == "administrator":  # a channel's: it may edit there, and post if given the right
                result.update(
                    can_be_edited=False, is_anonymous=False, can_manage_chat=True, can_delete_messages=True,
                    can_manage_video_chats=True, can_restrict_members=True, can_promote_members=False,
                    can_change_info=True, can_invite_users=True, can_post_stories=False, can_edit_stories=False,
                    can_delete_stories=False, can_post_messages=can_post, can_edit_messages=True,
                )
            return result

        self._enqueue("my_chat_member", {
            "chat": self._chat_dict(chat),
            "from": copy.deepcopy(self._users[user_id]),
            "date": self._now(),
            "old_chat_member": member(old, old_can_post),
            "new_chat_member": member(new, new_can_post),
        })

    def _api_message(self, chat: Chat, record: dict) -> dict:
        """The Message object the Bot API returns for a bot message record."""
        message: dict[str, Any] = {
            "message_id": record["message_id"],
            "from": dict(self.bot_user),
            "chat": self._chat_dict(chat),
            "date": record["date"],
        }
        if record["edited"]:
            message["edit_date"] = record["edit_date"]
        if record.get("reply_to_message_id") is not None:
            target = chat.messages.get(record["reply_to_message_id"])
            if target is not None:
                message["reply_to_message"] = self._without_reply(target)
        if "photo" in record:  # a photo, with its caption if any
            message["photo"] = copy.deepcopy(record["photo"])
            if record["caption"]:
                message["caption"] = record["caption"]
            if record["caption_entities"]:
                message["caption_entities"] = copy.deepcopy(record["caption_entities"])
        else:
            message["text"] = record["text"]
            if record["entities"]:
                message["entities"] = copy.deepcopy(record["entities"])
        if record.get("protect_content"):
            message["has_protected_content"] = True
        markup = record["reply_markup"]
        # Only inline keyboards are part of a Message; reply keyboards are not echoed.
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = copy.deepcopy(markup)
        return message

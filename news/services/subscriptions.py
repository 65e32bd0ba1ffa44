"""A chat's subscription and settings: the digest on or off, its time, zone, topics and
language, and what happens when a reader blocks the bot and comes back.

A chat is never deleted: unsubscribing clears a flag, blocking marks it inactive with the
reason, and every setting is waiting when the reader returns.  Each change that moves the
schedule computes the next digest instant here (Chat.next_due_after), in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time

from news.model import Chat
from news.repositories import ChatStore
from news.services.clock import Clock
from news.topics import TOPIC_BY_SLUG

MAX_DIGESTS_A_DAY = 3


@dataclass(frozen=True, slots=True)
class ChatRef:
    """The chat an update comes from, as Telegram describes it."""

    id: int
    type: str  # private, group, supergroup, channel
    title: str


@dataclass(frozen=True, slots=True)
class ChatDefaults:
    """What a chat the bot has just met starts with (AKHBAR_TIMEZONE, AKHBAR_DIGEST_TIME)."""

    zone: str
    digest_time: time


@dataclass(frozen=True, slots=True)
class Subscription:
    chat: Chat
    already: bool  # it was subscribed before this request


@dataclass(frozen=True, slots=True)
class Greeting:
    chat: Chat
    returning: bool  # a subscriber coming back: everything is still here


class SubscriptionService:
    def __init__(self, chats: ChatStore, clock: Clock, defaults: ChatDefaults) -> None:
        self._chats, self._clock, self.defaults = chats, clock, defaults

    async def get(self, chat_id: int) -> Chat | None:
        return await self._chats.get(chat_id)

    async def ensure(self, ref: ChatRef, lang: str) -> Chat:
        """The stored chat, created with the defaults and `lang` the first time."""
        return await self._chats.ensure(
            ref.id, type=ref.type, title=ref.title, lang=lang, tz=self.defaults.zone, digest_time=self.defaults.digest_time
        )

    async def greet(self, ref: ChatRef, lang: str) -> Greeting:
        """/start: the chat is stored, and active again if it had blocked the bot."""
        known = await self._chats.get(ref.id)
        chat = known or await self.ensure(ref, lang)
        if not chat.active:
            await self.welcome_back(ref.id)
        return Greeting(chat, returning=bool(known and known.subscribed))

    async def subscribe(self, ref: ChatRef, lang: str, thread_id: int | None = None) -> Subscription:
        """The daily digest on; from a forum's topic (`thread_id`), the digest goes there."""
        chat = await self.ensure(ref, lang)
        already = chat.receives_digests and chat.thread_id == thread_id
        if not already:
            next_due = chat.next_due_utc if chat.receives_digests else await self._next_due(chat)
            await self._chats.set_subscribed(chat.id, True, next_due=next_due, thread_id=thread_id)
        if not chat.active:
            await self._reactivate(chat)
        return Subscription(chat, already)

    async def unsubscribe(self, chat_id: int) -> bool:
        """False when the chat was not subscribed; its settings are kept either way."""
        chat = await self._chats.get(chat_id)
        if chat is None or not chat.subscribed:
            return False
        await self._chats.set_subscribed(chat_id, False)
        return True

    async def set_digest_times(self, ref: ChatRef, lang: str, times: Sequence[time]) -> Chat:
        """The digest at these local times, every day (1 to MAX_DIGESTS_A_DAY of them)."""
        if not 1 <= len(set(times)) <= MAX_DIGESTS_A_DAY:
            raise ValueError(f"from 1 to {MAX_DIGESTS_A_DAY} digest times a day")
        return await self._reschedule(ref, lang, digest_times=tuple(sorted(set(times))))

    async def set_zone(self, ref: ChatRef, lang: str, zone: str) -> Chat:
        return await self._reschedule(ref, lang, tz=zone)

    async def _reschedule(
        self, ref: ChatRef, lang: str, *, digest_times: tuple[time, ...] | None = None, tz: str | None = None
    ) -> Chat:
        """Store a new digest time or zone and the next due instant that follows from it.

        Moving the time never brings a second digest on one day: the next due instant is past
        the days delivered (`_next_due`), and the day's delivery record stops it all the same
        (the digest service)."""
        chat = await self.ensure(ref, lang)
        chat = replace(chat, digest_times=digest_times or chat.digest_times, tz=tz or chat.tz)
        next_due = await self._next_due(chat) if chat.receives_digests else None
        await self._chats.set_schedule(chat.id, digest_times=chat.digest_times, tz=chat.tz, next_due=next_due)
        return replace(chat, next_due_utc=next_due)

    async def choose_topic(
        self, ref: ChatRef, lang: str, slug: str | None, wanted: bool | None
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """A topic in (`wanted`) or out (not `wanted`) of the digest, `slug` None: all topics
        again; (before, after), the topics in the order of news.topics.  Asking for what holds
        already (a double tap, a button of an older message) changes nothing.  `wanted` None,
        from buttons sent before they said which way: in if it was out, out if it was in."""
        chat = await self.ensure(ref, lang)
        if slug is None:
            chosen: tuple[str, ...] = ()
        else:
            keep = slug not in chat.topics if wanted is None else wanted
            chosen = tuple(s for s in TOPIC_BY_SLUG if (s == slug and keep) or (s != slug and s in chat.topics))
        await self._chats.set_topics(chat.id, chosen)
        return chat.topics, chosen

    async def set_topics(self, ref: ChatRef, lang: str, slugs: tuple[str, ...]) -> tuple[str, ...]:
        """The digest's topics, all at once (none: every topic), in the order of news.topics."""
        chat = await self.ensure(ref, lang)
        chosen = tuple(s for s in TOPIC_BY_SLUG if s in slugs)
        await self._chats.set_topics(chat.id, chosen)
        return chosen

    async def set_empty_note(self, ref: ChatRef, lang: str, wanted: bool) -> Chat:
        chat = await self.ensure(ref, lang)
        await self._chats.set_empty_note(chat.id, wanted)
        return replace(chat, empty_note=wanted)

    async def set_lang(self, ref: ChatRef, lang: str) -> Chat:
        chat = await self.ensure(ref, lang)
        await self._chats.set_lang(chat.id, lang)
        return replace(chat, lang=lang)

    async def joined(self, ref: ChatRef, lang: str) -> Chat:
        """The bot added to a group or channel by someone speaking `lang`: a chat met for the
        first time is stored in that language — the group's until its admins change it (a
        member's own language is no choice for the whole group); one known from before keeps
        its settings, and is active again.  Returns the chat as stored (its language, settings and
        subscription; `active` as it was before this)."""
        known = await self._chats.get(ref.id)
        if known is None:
            return await self.ensure(ref, lang)
        await self.welcome_back(ref.id)
        return known

    async def unreachable(self, chat_id: int, reason: str) -> None:
        """Blocked, kicked, deleted: soft-disable, with the reason; nothing is deleted."""
        await self._chats.mark_inactive(chat_id, reason)

    async def welcome_back(self, chat_id: int) -> None:
        """Back after blocking us: active again, and the schedule restarts from today, with no
        backlog of the digests missed meanwhile."""
        chat = await self._chats.get(chat_id)
        if chat is None or chat.active:
            return
        await self._reactivate(chat)
        if chat.subscribed:
            await self._chats.set_next_due(chat_id, await self._next_due(chat))

    async def _next_due(self, chat: Chat) -> datetime:
        """The chat's next digest from now, past those whose day (or slot) already had its
        digest: a reader who moves the time or zone after the day's went out is told of the one
        that comes, tomorrow's, not of one later today that is never sent."""
        due = chat.next_due_after(self._clock())
        for _ in range(2 * MAX_DIGESTS_A_DAY):  # (the days delivered are today's, in some zone)
            slot = chat.slot_of(due)
            record = (await self._chats.day_records([(chat.id, slot)])).get((chat.id, slot))
            if record is None or not record.delivered:
                break
            due = chat.next_due_after(due)
        return due

    async def _reactivate(self, chat: Chat) -> None:
        """Active again.  What its follows brought while it was away (the last day's: older
        alerts are dropped, news.services.alerts.STALE_AFTER) comes as one bundle, not one
        alert after another — but in a channel, which publishes each story it follows as a
        post of its own."""
        await self._chats.reactivate(chat.id, gather_missed=chat.type != "channel")

    async def migrate(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup: its settings, subscription and history move along."""
        await self._chats.migrate(old_id, new_id)

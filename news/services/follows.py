"""Follows, mutes and quiet hours: what a chat wants pushed to it, and what never.

Every change goes to the database and to the process's percolator (news.percolator) together,
so that the next story stored is matched against what the chat follows now.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from news.follows import FollowRefused, FollowSpec, parse_follow, parse_mute, same_target
from news.model import Chat, Follow, QuietHours
from news.percolator import Percolator
from news.repositories import ChatStore, FollowStore
from news.search import parse_query, read_typed
from news.search_across import read_in_arabic
from news.services.subscriptions import ChatRef, SubscriptionService
from news.text import normalize

MAX_FOLLOWS = 50  # follows and mutes of one chat, together


@dataclass(frozen=True, slots=True)
class Followed:
    follow: Follow
    created: bool  # False: the chat already had it
    # What it replaced: following what the chat muted lifts that mute, muting what it
    # follows ends that follow (news.follows.same_target), in the same transaction.
    replaced: tuple[Follow, ...] = ()
    # The chat already followed it, leaving out other things: `follow` now leaves out what
    # the newer /follow says (nothing, if it says nothing), and this is how it was.
    earlier: Follow | None = None


@dataclass(frozen=True, slots=True)
class Unfollowed:
    removed: Follow | None  # None: the chat has no such follow or mute
    number: int | None  # the reader typed this number of /following's list (None: a text)


class FollowService:
    def __init__(
        self, follows: FollowStore, chats: ChatStore, subscriptions: SubscriptionService, percolator: Percolator,
        before_new_follow: Callable[[], Awaitable[None]] | None = None, version: int | None = None,
    ) -> None:
        self._follows, self._chats, self._subscriptions = follows, chats, subscriptions
        self.percolator = percolator
        # The alert service's matching of the stories already stored: done before a follow
        # joins the percolator, so that it only ever alerts about news that came after it.
        self._before_new_follow = before_new_follow
        # The follows' version the percolator holds (None: unknown, the first `sync` checks all).
        self.version = version

    async def follow(self, ref: ChatRef, lang: str, text: str, thread_id: int | None = None) -> Followed:
        """Follow what `text` means (raises FollowRefused with the reason, storing nothing);
        a mute of the same thing is lifted (`Followed.replaced`)."""
        return await self._add(ref, lang, parse_follow(text), mute=False, thread_id=thread_id)

    async def in_arabic(self, chat_id: int, text: str, lang: str | None, *, mute: bool = False) -> str | None:
        """A follow (or mute) of words typed in French or English (`séisme`), read in Arabic
        (`زلزال`: news.search_across, by the words of `lang`), for the chat to be offered: most
        stories are told in Arabic only, and a follow finds (a mute hides) the words it is
        given.  None when `text` names no words, is Arabic already, has an OR or a word no table
        reads, or only names (found in either script); and when pressing would change nothing:
        the chat has that follow (or mute) already, or as many as it may."""
        parse = parse_mute if mute else parse_follow
        try:
            if parse(text).kind not in ("words", "phrase"):
                return None
            reading = read_in_arabic(parse_query(text), lang)
            if reading is None or reading.follow is None:
                return None
            offered = parse(reading.follow)  # (never offer what /follow or /mute would refuse)
        except FollowRefused:
            return None
        existing = await self._follows.of_chat(chat_id)
        if len(existing) >= MAX_FOLLOWS or any(
            f.mute == mute and f.kind == offered.kind and f.terms == offered.terms for f in existing
        ):
            return None
        return reading.follow

    def check(self, text: str) -> FollowSpec:
        """What following `text` would follow, storing nothing (raises FollowRefused as
        `follow` would): for offering a follow before the reader asks for it."""
        return parse_follow(text)

    async def mute(self, ref: ChatRef, lang: str, text: str) -> Followed:
        """Mute what `text` says; a follow of the same thing ends (`Followed.replaced`)."""
        return await self._add(ref, lang, parse_mute(text), mute=True, thread_id=None)

    async def _add(self, ref: ChatRef, lang: str, spec: FollowSpec, *, mute: bool, thread_id: int | None) -> Followed:
        existing = await self._follows.of_chat(ref.id)
        known = next((f for f in existing if f.mute == mute and f.kind == spec.kind and f.terms == spec.terms), None)
        # A mute and a follow of the same thing cannot both hold: the mute would silence the
        # follow's every alert.  The newer word wins.
        opposite = [
            f for f in existing
            if f.mute != mute and (same_target(spec, f) if mute else same_target(f, spec))
        ]
        if known is not None and not opposite:
            if known.excluded == spec.excluded:
                return Followed(known, created=False)
            # The same words with other exclusions: the newer word wins, as the reader is told.
            changed = await self._follows.leave_out(ref.id, known.id, text=spec.text, excluded=spec.excluded)
            if changed is None:  # removed meanwhile by another update of the same chat
                return Followed(known, created=False)
            self.percolator.add(changed)
            return Followed(changed, created=False, earlier=known)
        if known is None and not opposite and len(existing) >= MAX_FOLLOWS:
            raise FollowRefused("limit")
        await self._subscriptions.ensure(ref, lang)
        if not mute and known is None and self._before_new_follow is not None:
            # The stories stored so far are matched before the follow exists anywhere (with
            # what other processes' readers follow too), so that it never alerts about them.
            await self.sync()
            await self._before_new_follow()
        follow, removed = await self._follows.add_instead(
            ref.id, [f.id for f in opposite], kind=spec.kind, text=spec.text, terms=spec.terms, mute=mute,
            thread_id=thread_id, excluded=spec.excluded,
        )
        for gone in removed:
            self.percolator.remove(gone.id)
        if follow is None:  # made before, or meanwhile by another update of the same chat
            again = [
                f for f in await self._follows.of_chat(ref.id)
                if f.mute == mute and f.kind == spec.kind and f.terms == spec.terms
            ]
            # (as the reader asked it, should another update have removed it since)
            return Followed(again[0] if again else spec.follow(0, ref.id), created=False, replaced=tuple(removed))
        self.percolator.add(follow)
        return Followed(follow, created=True, replaced=tuple(removed))

    async def following(self, chat_id: int) -> list[Follow]:
        """The chat's follows, then its mutes: the numbered list /following shows."""
        return await self._follows.of_chat(chat_id)

    async def unfollow(self, chat_id: int, what: str, *, mute: bool = False) -> Unfollowed:
        """Remove a follow or a mute by its number in /following (whichever it is: /unfollow 2
        and /unmute 2 both remove the second of the list), or a follow (with `mute`, a mute)
        by what it says.  A number the list does not reach is taken for what it says (a
        wilaya's code), and else said to be no number of the list."""
        listed = await self._follows.of_chat(chat_id)
        number = what.strip()
        numbered = int(number) if number.isdecimal() and len(number) < 4 else None
        if numbered is not None and 0 < numbered <= len(listed):
            return Unfollowed(await self.remove(chat_id, listed[numbered - 1].id), numbered)
        try:
            spec = parse_mute(what) if mute else parse_follow(what)
        except FollowRefused:
            return Unfollowed(None, numbered)
        target = next((f for f in listed if f.mute == mute and f.kind == spec.kind and f.terms == spec.terms), None)
        if target is None:
            # A phrase named without its quotes (/unfollow protection civile for "protection
            # civile"), or words with them: the same text is the same follow to the reader.
            said = _unquoted(what)
            target = next((f for f in listed if f.mute == mute and _unquoted(f.text) == said), None)
        return Unfollowed(await self.remove(chat_id, target.id) if target else None, None if target else numbered)

    async def remove(self, chat_id: int, follow_id: int) -> Follow | None:
        """Remove one of this chat's follows or mutes (a button under /following)."""
        removed = await self._follows.remove(chat_id, follow_id)
        if removed is not None:
            self.percolator.remove(removed.id)
        return removed

    async def set_quiet(self, ref: ChatRef, lang: str, quiet: QuietHours | None) -> Chat:
        """Quiet hours on (alerts held, then one bundle) or off (what was held comes at once)."""
        chat = await self._subscriptions.ensure(ref, lang)
        await self._chats.set_quiet(chat.id, quiet)
        return replace(chat, quiet=quiet)


    async def sync(self) -> None:
        """Take in the follows and mutes other processes added, changed (what a follow leaves
        out) or removed since this one's matcher was last in step (each process matches
        stories itself): one query while nothing changed; otherwise every follow read, and
        only the difference applied."""
        version = await self._follows.version()  # read first: a change meanwhile shows next time
        if version == self.version:
            return
        stored = {follow.id: follow for follow in await every_follow(self._follows)}
        for gone in self.percolator.ids() - stored.keys():
            self.percolator.remove(gone)
        for follow_id, follow in stored.items():
            if self.percolator.held(follow_id) != follow:
                self.percolator.add(follow)
        self.version = version


async def every_follow(follows: FollowStore) -> list[Follow]:
    found: list[Follow] = []
    after = 0
    while batch := await follows.every(after):
        found += batch
        after = batch[-1].id
    return found


async def load_percolator(follows: FollowStore) -> tuple[Percolator, int]:
    """Every chat's follows and mutes, indexed, and the version they are at: once at start-up."""
    version = await follows.version()
    return Percolator(await every_follow(follows)), version


def _unquoted(text: str) -> str:
    """A follow's text as compared for /unfollow: what it follows (without what it leaves
    out), folded, without the quotes around a phrase."""
    return normalize(read_typed(text).kept).strip(' "“”«»')

"""An alert sent is edited, never sent again, when other sources tell its story, through the
real bot and the emulator: one edit a few minutes after the alert for every source that came
meanwhile, at most one more an hour later, none for a message the reader deleted.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest

from bot import views
from bot.alert_edits import EDIT_SENDERS, AlertEditEngine
from bot.processes import LEASE_SECONDS, Membership
from bot.render import visible_length
from emulator.validation import build_text
from news.articles import make_article
from news.model import Article
from news.repositories import StorageUnavailable
from news.services.alerts import EDIT_DELAY, EDIT_INTERVAL
from storage.alerts import AlertRepository

from .conftest import FakeClock, until


@pytest.fixture
def world(engine_world):
    """Each test's bot, on each engine in turn."""
    return engine_world


READER = 7301
STORY = "اتفاق جديد لسوناطراك مع شريك إيطالي"
# The same event told by other sources: the story matcher joins them to the first.
RETOLD = (f"{STORY} اليوم", f"{STORY} في الجزائر", f"{STORY} هذا الأسبوع")
EDIT_WAIT = 15  # seconds: the edit tick runs every 5 s


def alerts(world, chat_id):
    """The alert messages in a chat (each says what of the reader's it matched)."""
    return [m for m in world.emu.messages(chat_id) if "تتابع: " in m["text"]]


def sends_to(world, chat_id):
    return [p for m, p in world.emu.requests if m == "sendmessage" and int(p.get("chat_id", 0)) == chat_id]


async def store(world, title, source):
    (stored,) = await world.services.ingestor.add_many([make_article(title=title, source=source)])
    assert stored is not None
    return stored


async def alerted(world, clock, chat_id=READER, follow="/follow سوناطراك"):
    """A reader who follows Sonatrach, and the one alert the first source's story brought."""
    await world.ask(chat_id, follow)
    first = await store(world, STORY, "وكالة الأنباء")
    await world.emu.wait_for_messages(chat_id, 2, timeout=15)
    (alert,) = alerts(world, chat_id)
    assert STORY in alert["text"] and "مصادر" not in alert["text"]
    # Recorded sent a moment later, with the message it was: what an edit will need.
    row = await recorded(world, lambda row: row.state == "sent", "the alert sent", chat_id)
    assert row.message_id == alert["message_id"]
    return first, alert


async def recorded(world, holds, what, chat_id=READER):
    """The chat's alert once its row `holds`: what Telegram answered is stored a moment after
    the emulator saw it.  A test waits for this before it asserts on the row, or moves the
    clock on to a later edit (the next one counts from the last recorded)."""
    deadline = asyncio.get_running_loop().time() + 5
    while not holds(row := (await world.services.alerts.of_chat(chat_id))[0]):
        assert asyncio.get_running_loop().time() < deadline, f"{what} was never recorded"
        await asyncio.sleep(0.02)
    return row


async def retold(world, *titles):
    """Other sources' versions, stored; each joins the first's story."""
    story = (await world.services.articles.get(await world.article_id(STORY))).story_id
    for n, title in enumerate(titles):
        stored = await store(world, title, f"جريدة {n}")
        assert (await world.services.articles.get(stored)).story_id == story


def the_alert(world, chat_id=READER):
    (alert,) = alerts(world, chat_id)
    return alert


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_an_edited_alert_or_post_of_the_longest_parts_is_valid_html_within_telegram_s_length(lang):
    article = Article(
        id=10**9, title="<عنوان> & " * 500, body="", summary="", url="https://example.com/" + "a" * 3000,
        source="مصدر <ب>" * 50, published_at=datetime(2026, 12, 5, 23, 59, tzinfo=UTC),
        fetched_at=datetime(2026, 12, 6, tzinfo=UTC), lang="ar", topics=("sports",), regions=(31,),
    )
    for text in (
        views.alert_message(article, ["كلمة طويلة جدا " * 20] * 50, lang, "Africa/Algiers", more_sources=999),
        views.channel_post(article, lang, "Africa/Algiers", "akhbar_bot", more_sources=999),
    ):
        plain, _ = build_text(text, "HTML", None)  # raises as Telegram refuses, if it would
        assert len(plain.encode("utf-16-le")) // 2 <= 4096 and "+999" in plain
        assert visible_length(text) <= 4096


async def test_two_more_sources_within_minutes_make_one_edit_and_no_second_alert(world):
    clock = world.services.clock = FakeClock(datetime.now(UTC))
    _, sent = await alerted(world, clock)
    await retold(world, RETOLD[0])
    clock.now += timedelta(minutes=2)
    await retold(world, RETOLD[1])
    # Within the first minutes nothing is edited yet: more sources may come.
    assert await world.app.bot_data.alert_edits.edit_due() == 0
    assert the_alert(world)["edit_count"] == 0
    clock.now += EDIT_DELAY
    await until(lambda: the_alert(world)["edit_count"] == 1, EDIT_WAIT, "the alert's edit")
    edited = the_alert(world)
    assert edited["message_id"] == sent["message_id"]
    assert "(+2 مصدران)" in edited["text"] and STORY in edited["text"] and "تتابع: سوناطراك" in edited["text"]
    # As sent, but for the sources: right-to-left lines, valid HTML, within Telegram's length.
    assert edited["text"].replace(" (+2 مصدران)", "") == sent["text"]
    assert edited["reply_markup"] == sent["reply_markup"] is None
    assert all(line.startswith("\u200f") for line in edited["text"].split("\n"))
    assert visible_length(edited["html"]) <= 4096
    # Nothing sent twice: one alert, one edit, and the edit tick finds nothing more to do.
    assert len(sends_to(world, READER)) == 2  # the reply to /follow, the alert
    assert await world.app.bot_data.alert_edits.edit_due() == 0
    assert len([p for m, p in world.emu.requests if m == "editmessagetext"]) == 1
    assert world.emu.violations == []


async def test_a_french_reader_s_alert_is_edited_into_the_french_telling_when_one_joins(world):
    # Sent with the only telling there was, El Khabar's Arabic one; El Watan's French one joins
    # the story minutes later: the French reader's alert now shows it, the Arabic reader's not.
    clock = world.services.clock = FakeClock(datetime.now(UTC))
    karim, amine = 7311, 7312
    world.emu.add_user(karim, first_name="Karim", language_code="fr")
    for reader in (karim, amine):
        await world.ask(reader, "/follow سوناطراك")
    await store(world, STORY, "الخبر")
    for reader in (karim, amine):
        await world.emu.wait_for_messages(reader, 2, timeout=15)
        await recorded(world, lambda row: row.state == "sent", "the alert sent", reader)
    french = "Sonatrach signe un nouvel accord avec l'italien Eni"
    await retold_in_french(world, french)
    clock.now += EDIT_DELAY
    await until(lambda: all(world.emu.messages(r)[1]["edit_count"] == 1 for r in (karim, amine)), EDIT_WAIT, "edits")
    edited_fr, edited_ar = world.emu.messages(karim)[1]["text"], world.emu.messages(amine)[1]["text"]
    assert french in edited_fr and STORY not in edited_fr and "+1" in edited_fr
    assert STORY in edited_ar and french not in edited_ar and "+1" in edited_ar
    assert world.emu.violations == []


async def retold_in_french(world, title):
    story = (await world.services.articles.get(await world.article_id(STORY))).story_id
    (stored,) = await world.services.ingestor.add_many([make_article(title=title, source="El Watan", lang="fr")])
    assert (await world.services.articles.get(stored)).story_id == story


async def test_a_later_source_edits_again_no_sooner_than_an_hour_after_the_last_edit(world):
    clock = world.services.clock = FakeClock(datetime.now(UTC))
    await alerted(world, clock)
    await retold(world, RETOLD[0])
    clock.now += EDIT_DELAY + timedelta(seconds=1)
    await until(lambda: the_alert(world)["edit_count"] == 1, EDIT_WAIT, "the first edit")
    assert "(+1 مصدر)" in the_alert(world)["text"]
    await recorded(world, lambda row: row.shown_sources == 1, "the first edit")
    await retold(world, RETOLD[1])
    clock.now += timedelta(minutes=30)
    assert await world.app.bot_data.alert_edits.edit_due() == 0  # the last edit is too recent
    clock.now += EDIT_INTERVAL
    await until(lambda: the_alert(world)["edit_count"] == 2, EDIT_WAIT, "the second edit")
    assert "(+2 مصدران)" in the_alert(world)["text"] and len(alerts(world, READER)) == 1
    assert world.emu.violations == []


async def test_a_deleted_alert_is_not_edited_nor_tried_again_and_the_reader_hears_nothing(world):
    clock = world.services.clock = FakeClock(datetime.now(UTC))
    _, sent = await alerted(world, clock)
    world.emu.delete_by_user(READER, sent["message_id"])
    await retold(world, RETOLD[0])
    clock.now += EDIT_DELAY + timedelta(seconds=1)
    await until(
        lambda: any(e["method"] == "editmessagetext" for e in world.emu.errors), EDIT_WAIT, "the edit's refusal"
    )
    (refused,) = [e for e in world.emu.errors if e["method"] == "editmessagetext"]
    assert "message to edit not found" in refused["description"]
    row = await recorded(world, lambda row: row.edit_error is not None, "the edit's refusal")
    assert "message to edit not found" in row.edit_error.lower()
    clock.now += EDIT_INTERVAL * 2
    assert await world.app.bot_data.alert_edits.edit_due() == 0  # never tried again
    assert [e for e in world.emu.errors if e["method"] == "editmessagetext"] == [refused]
    assert len(sends_to(world, READER)) == 2  # nothing said about it
    (chat,) = (await world.services.chats.get_many([READER])).values()
    assert chat.active


async def test_a_chat_gone_since_its_alert_is_soft_disabled_when_the_alert_is_edited(world):
    clock = world.services.clock = FakeClock(datetime.now(UTC))
    await alerted(world, clock)
    world.emu.deactivate(READER)  # the account deleted: Telegram answers 403, and tells the bot nothing else
    await retold(world, RETOLD[0])
    clock.now += EDIT_DELAY + timedelta(seconds=1)
    deadline = asyncio.get_running_loop().time() + EDIT_WAIT
    while (await world.services.chats.get_many([READER]))[READER].active:
        assert asyncio.get_running_loop().time() < deadline, "the chat was never disabled"
        await asyncio.sleep(0.05)
    (refused,) = [e for e in world.emu.errors if e["method"] == "editmessagetext"]
    assert refused["error_code"] == 403
    assert the_alert(world)["edit_count"] == 0
    clock.now += EDIT_INTERVAL * 2
    assert await world.app.bot_data.alert_edits.edit_due() == 0  # never tried again


async def test_a_channel_post_is_edited_to_say_its_sources_keeping_its_link(world):
    clock = world.services.clock = FakeClock(datetime.now(UTC))
    channel, editor = -1_000_000_777_301, 8301
    world.emu.add_user(user_id=editor, first_name="editor")
    world.emu.add_channel(channel, title="أخبار الطاقة", admins=[editor])
    world.emu.post_in_channel(channel, "/follow سوناطراك", author_id=editor)
    await world.emu.wait_for_messages(channel, 1)
    await store(world, STORY, "وكالة الأنباء")
    post = (await world.emu.wait_for_messages(channel, 2, timeout=15))[-1]
    await retold(world, RETOLD[0])
    clock.now += EDIT_DELAY + timedelta(seconds=1)
    await until(lambda: world.emu.messages(channel)[-1]["edit_count"] == 1, EDIT_WAIT, "the post's edit")
    edited = world.emu.messages(channel)[-1]
    assert edited["message_id"] == post["message_id"] and "(+1 مصدر)" in edited["text"]
    assert edited["text"].replace(" (+1 مصدر)", "") == post["text"]
    assert [e.get("url") for e in edited["entities"]] == [e.get("url") for e in post["entities"]]
    assert len(world.emu.messages(channel)) == 2 and world.emu.violations == []


# --- several processes: an edit is made by the one process that claimed it, while it lives --


class HeldBot:
    """A process's bot whose alert edits wait until `go` is set: behind a big broadcast, a
    long flood wait, a slow Telegram.  `held`: how many are waiting."""

    def __init__(self, bot):
        self._bot, self.go, self.held = bot, asyncio.Event(), 0

    @property
    def username(self):
        return self._bot.username

    async def edit_message_text(self, *args, **kwargs):
        self.held += 1
        await self.go.wait()
        return await self._bot.edit_message_text(*args, **kwargs)


class SettableClock:
    """Seconds since the epoch, `behind` the real ones: a heartbeat written now reads as one
    that many seconds old."""

    def __init__(self):
        self.behind = 0.0

    def __call__(self):
        return time.time() - self.behind


async def lease_old(world, membership, its_clock):
    """`membership`'s heartbeats written from now on one second more than a lease old (its
    clock set back): returns once the processes table shows it so — dead, to the others."""
    its_clock.behind = LEASE_SECONDS + 1
    live = world.services.processes.live
    deadline = asyncio.get_running_loop().time() + EDIT_WAIT
    while membership.process_id in await live(time.time() - LEASE_SECONDS):
        assert asyncio.get_running_loop().time() < deadline, "the process's heartbeat never aged"
        await asyncio.sleep(0.05)


async def edits_due_in_two_processes(world, readers=1):
    """The alert of each of `readers` readers, due for an edit now (one more source), with no
    edit tick of the bot's own: the test's processes make the edits.  The first reader's alert."""
    for job in world.app.job_queue.get_jobs_by_name("alert-edits"):
        job.schedule_removal()
    clock = world.services.clock = FakeClock(datetime.now(UTC))
    for chat_id in range(READER + 1, READER + readers):  # each followed before the story came
        await world.ask(chat_id, "/follow سوناطراك")
    _, sent = await alerted(world, clock)
    for chat_id in range(READER + 1, READER + readers):
        await world.emu.wait_for_messages(chat_id, 2, timeout=15)
        await recorded(world, lambda row: row.state == "sent", "the alert sent", chat_id)
    await retold(world, RETOLD[0])
    clock.now += EDIT_DELAY + timedelta(seconds=1)
    return clock, sent


def edit_requests(world):
    return [p for m, p in world.emu.requests if m == "editmessagetext"]


async def test_an_edit_held_up_past_ten_minutes_is_still_its_process_s_and_made_once(world):
    clock, sent = await edits_due_in_two_processes(world)
    other = Membership(world.services.processes, "worker")
    await other.join()
    try:
        held = HeldBot(world.app.bot)
        stalled = asyncio.create_task(AlertEditEngine(held, world.services, world.app.bot_data.membership).edit_due())
        await until(lambda: held.held == 1, EDIT_WAIT, "the first process's edit, claimed and held up")
        # Held up for eleven minutes (the process alive, beating): the edit is still its own.
        clock.now += timedelta(minutes=11)
        assert await AlertEditEngine(world.app.bot, world.services, other).edit_due() == 0
        assert edit_requests(world) == []
        held.go.set()
        assert await stalled == 1
    finally:
        await other.leave()
    (edit,) = edit_requests(world)  # once: no "message is not modified" from a second try
    assert int(edit["message_id"]) == sent["message_id"] and "(+1 مصدر)" in the_alert(world)["text"]
    assert the_alert(world)["edit_count"] == 1
    assert [e for e in world.emu.errors if e["method"] == "editmessagetext"] == []
    await recorded(world, lambda row: row.shown_sources == 1, "the edit")


async def test_the_edit_a_dead_process_claimed_is_made_by_another_once_its_heartbeat_is_a_lease_old(world):
    clock, sent = await edits_due_in_two_processes(world)
    its_clock = SettableClock()
    dying = Membership(world.services.processes, "worker", clock=its_clock)
    await dying.join()
    held = HeldBot(world.app.bot)  # never let go: a dead process sends nothing more
    stalled = asyncio.create_task(AlertEditEngine(held, world.services, dying).edit_due())
    survivor = AlertEditEngine(world.app.bot, world.services, world.app.bot_data.membership)
    try:
        await until(lambda: held.held == 1, EDIT_WAIT, "the dying process's edit, claimed")
        assert await survivor.edit_due() == 0  # its process lives: its own
        # It dies: its heartbeat, from now on, is one more second than a lease old.
        await lease_old(world, dying, its_clock)
        assert await survivor.edit_due() == 1  # taken over, well before ten minutes
    finally:
        stalled.cancel()
        await asyncio.gather(stalled, return_exceptions=True)
        await dying.leave()
    (edit,) = edit_requests(world)
    assert int(edit["message_id"]) == sent["message_id"] and "(+1 مصدر)" in the_alert(world)["text"]
    await recorded(world, lambda row: row.shown_sources == 1, "the edit")


async def test_an_edit_whose_record_was_refused_is_recorded_by_its_process_s_next_run(world, monkeypatch):
    """Its process alive, an edit made but not recorded (the database refused) stays its
    claim: its next run records it, not another process after some minutes, and it is not
    made again ("message is not modified")."""
    _, sent = await edits_due_in_two_processes(world)
    edits = AlertEditEngine(world.app.bot, world.services, world.app.bot_data.membership)

    async def refused(*_):
        raise StorageUnavailable("read-only", "the database is read-only")

    with monkeypatch.context() as database:
        database.setattr(AlertRepository, "record_edits", refused)
        assert await edits.edit_due() == 1  # made, its record refused
    assert the_alert(world)["edit_count"] == 1 and "(+1 مصدر)" in the_alert(world)["text"]
    assert (await world.services.alerts.of_chat(READER))[0].shown_sources == 0
    await edits.edit_due()
    await recorded(world, lambda row: row.shown_sources == 1, "the edit")
    assert len(edit_requests(world)) == 1 and the_alert(world)["edit_count"] == 1
    assert [e for e in world.emu.errors if e["method"] == "editmessagetext"] == []


class FailingBeats:
    """A process's heartbeats, written until `failing` is set: the database out of its reach
    (its other reads and writes, in this test, still go through)."""

    def __init__(self, processes):
        self._processes, self.failing = processes, False

    def __getattr__(self, name):
        return getattr(self._processes, name)

    async def beat(self, *args):
        if self.failing:
            raise StorageUnavailable("unreachable", "the database cannot be reached")
        return await self._processes.beat(*args)


async def test_a_process_whose_heartbeat_fails_makes_none_of_its_claimed_edits_and_another_makes_each_once(world):
    readers = EDIT_SENDERS + 2  # more than its senders: some wait in its queue, the others for their turn
    await edits_due_in_two_processes(world, readers)
    beats, its_clock = FailingBeats(world.services.processes), SettableClock()
    failing = Membership(beats, "worker", clock=its_clock)
    await failing.join()
    try:
        held = HeldBot(world.app.bot)
        run = asyncio.create_task(AlertEditEngine(held, world.services, failing).edit_due())
        await until(lambda: held.held == EDIT_SENDERS, EDIT_WAIT, "its edits, claimed and waiting for their turn")
        # Its heartbeat fails for over half a lease: the others may soon take its claims over.
        beats.failing = True
        its_clock.behind = -(LEASE_SECONDS / 2 + 1)
        assert not failing.fresh
        held.go.set()  # their turn comes: not one is made, nor taken from the queue
        assert await run == 0
        assert edit_requests(world) == []
    finally:
        await failing.leave()
    survivor = AlertEditEngine(world.app.bot, world.services, world.app.bot_data.membership)
    assert await survivor.edit_due() == readers
    assert sorted(int(p["chat_id"]) for p in edit_requests(world)) == list(range(READER, READER + readers))
    assert all(the_alert(world, chat_id)["edit_count"] == 1 for chat_id in range(READER, READER + readers))


async def test_an_edit_recorded_late_by_the_process_it_was_taken_from_stays_as_its_new_holder_made_it(world, monkeypatch):
    """A process made an edit ("+1 source") whose record the database refused, then its
    heartbeat aged past the lease: another process took the edit over and made it with the
    sources it counted by then ("+2").  The first, back, records what it held back: the alert's
    stored edit stays the second's (set back to "+1", the alert would be due for an edit
    again), and the first drops it."""
    clock, sent = await edits_due_in_two_processes(world)
    its_clock = SettableClock()
    late = Membership(world.services.processes, "worker", clock=its_clock)
    await late.join()
    try:
        edits = AlertEditEngine(world.app.bot, world.services, late)

        async def refused(*_):
            raise StorageUnavailable("unreachable", "the database cannot be reached")

        with monkeypatch.context() as database:
            database.setattr(AlertRepository, "record_edits", refused)
            assert await edits.edit_due() == 1  # made, its record refused: held back
        assert "(+1 مصدر)" in the_alert(world)["text"]
        # Its heartbeat, from now on, a lease old: its claim is anyone's.
        await lease_old(world, late, its_clock)
        await retold(world, RETOLD[1])
        survivor = AlertEditEngine(world.app.bot, world.services, world.app.bot_data.membership)
        assert await survivor.edit_due() == 1
        assert "(+2 مصدران)" in the_alert(world)["text"]
        await recorded(world, lambda row: row.shown_sources == 2, "the second process's edit")
        # The first is back: its next run records what it held back — too late, it changes nothing.
        its_clock.behind = 0
        await until(lambda: late.fresh, EDIT_WAIT, "the process's heartbeat, fresh again")
        assert await edits.edit_due() == 0
        assert await edits.edit_due() == 0
    finally:
        await late.leave()
    row = (await world.services.alerts.of_chat(READER))[0]
    assert (row.shown_sources, row.edit_error) == (2, None)
    clock.now += EDIT_INTERVAL + timedelta(minutes=1)  # nothing more to say: no edit due an hour later
    assert await AlertEditEngine(world.app.bot, world.services, world.app.bot_data.membership).edit_due() == 0
    assert len(edit_requests(world)) == 2 and the_alert(world)["edit_count"] == 2
    assert [e for e in world.emu.errors if e["method"] == "editmessagetext"] == []

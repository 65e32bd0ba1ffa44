"""Several processes storing articles into one database: the feed poller (one worker at a
time, and another after a failover), an admin's /post answered by a receiver, `akhbar fetch`
or `akhbar import` run beside a running bot.  A headline retelling a story another process
stored joins that story: its followers are alerted once, not once per process."""


import pytest

from bot.services import Services
from news.articles import make_article
from news.services.subscriptions import ChatRef

from .conftest import ENGINES, open_engine_world

pytestmark = pytest.mark.parametrize("engine", ENGINES)


def alerts_of(world, chat_id) -> list[dict]:
    return [m for m in world.emu.messages(chat_id) if "تتابع: " in m["text"]]


async def test_a_retelling_of_a_story_another_process_stored_alerts_its_followers_once(engine, tmp_path):
    async with open_engine_world(engine, tmp_path) as world:
        for name in ("alerts", "alert-edits"):  # the test ticks itself
            for job in world.app.job_queue.get_jobs_by_name(name):
                job.schedule_removal()
        follower = world.fresh_id()
        world.emu.add_user(follower, language_code="ar")
        await world.services.follows.follow(ChatRef(follower, "private", ""), "ar", "سوناطراك")
        # Another process on the same database (the poller before a failover, `akhbar fetch`)
        # stores the story first; this one learns of it only from the database.
        async with await Services.open(world.settings) as other:
            (first,) = await other.ingestor.add_many(
                [make_article(title="اتفاق جديد لسوناطراك مع شريك إيطالي", source="وكالة")]
            )
        await world.services.alerts.expand_all()
        await world.app.bot_data.alerts.deliver_due()
        assert len(alerts_of(world, follower)) == 1
        # The same story from a second source, stored by this process.
        (second,) = await world.services.ingestor.add_many(
            [make_article(title="اتفاق جديد لسوناطراك مع شريك إيطالي اليوم", source="جريدة")]
        )
        await world.services.alerts.expand_all()
        await world.app.bot_data.alerts.deliver_due()
        assert len(alerts_of(world, follower)) == 1
        stored = await world.services.articles.get(second)
        assert stored is not None and stored.story_id == first

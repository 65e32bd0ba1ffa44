"""/stats through the real bot: the admins' figures, then the chart of the last 30 days as a
photo (drawn in a worker process, off the event loop); refused to readers."""

import asyncio
import multiprocessing

import pytest

from bot.charts import draw_png, labels_for

from .conftest import ADMIN_ID, FIRST_CHART_SECONDS, open_world

READER = 6001


@pytest.fixture
def admin(engine_world):
    engine_world.emu.add_user(user_id=ADMIN_ID, first_name="Admin", language_code="ar")
    engine_world.emu.add_user(user_id=READER, first_name="Reader", language_code="fr")
    return ADMIN_ID


async def test_stats_sends_its_figures_then_the_chart(engine_world, admin):
    world = engine_world
    await world.ask(READER, "/subscribe")
    text, photo = await world.ask_stats(admin)
    assert "المشتركون النشطون: 1" in text["text"]
    assert photo["photo"][0]["width"] == 1000 and photo["photo"][0]["height"] == 750
    activity = await world.services.activity.last_days()
    assert f"{sum(activity.articles):,} خبرا" in photo["caption"] and photo["caption"].startswith("\u200f")
    # The picture is the one `akhbar stats --png` draws of the same figures.
    assert photo["photo_bytes"] == draw_png(activity, labels_for("ar"))
    # A reader is refused, and no picture is drawn or sent for them.
    (refused,) = await world.ask(READER, "/stats")
    assert "administrateurs" in refused["text"]
    await world.handled_everything()
    assert [p["chat_id"] for m, p in world.emu.requests if m == "sendphoto"] == [ADMIN_ID]


@pytest.mark.slow
async def test_a_flood_of_stats_draws_the_chart_once(world):
    world.emu.add_user(user_id=ADMIN_ID, first_name="Admin", language_code="en")
    for _ in range(3):
        world.emu.send_message(ADMIN_ID, ADMIN_ID, "/stats")
    photos = [m for m in await world.emu.wait_for_messages(ADMIN_ID, 6, timeout=FIRST_CHART_SECONDS) if "photo" in m]
    assert len(photos) == 3 and len({p["photo"][0]["file_unique_id"] for p in photos}) == 1
    assert world.app.bot_data.charts.drawn == 1
    assert photos[0]["caption"].startswith("📊 The last 30 days")


async def test_a_chart_that_cannot_be_drawn_leaves_the_figures_and_says_so(world):
    world.emu.add_user(user_id=ADMIN_ID, first_name="Admin", language_code="ar")
    await world.app.bot_data.charts.close()  # its worker gone, as after a crash it could not recover from
    text, note = await world.ask_stats(ADMIN_ID)
    assert "المشتركون النشطون" in text["text"] and "تعذّر رسم المخطط" in note["text"]
    assert not any(m == "sendphoto" for m, _ in world.emu.requests)


@pytest.mark.slow
async def test_the_drawing_process_ends_with_the_bot(tmp_path):
    # (the processes this test process had before — an earlier test file's, in the same
    # pytest-xdist worker, still ending — are not this bot's)
    before = set(multiprocessing.active_children())
    async with open_world(tmp_path) as world:
        world.emu.add_user(user_id=ADMIN_ID, first_name="Admin", language_code="ar")
        await world.ask_stats(ADMIN_ID)
        assert set(multiprocessing.active_children()) - before  # the chart's worker, at least
    await asyncio.sleep(0)
    assert set(multiprocessing.active_children()) - before == set()


@pytest.mark.parametrize(
    ("lang", "articles", "messages", "said"),
    [
        ("en", 1, 1, "1 article · 1 message sent"), ("en", 1234, 2, "1,234 articles · 2 messages sent"),
        ("fr", 1, 1, "1 article · 1 message envoyé"), ("fr", 2, 0, "2 articles · 0 message envoyé"),
        ("ar", 1, 1, "خبر واحد · رسالة واحدة أُرسلت"), ("ar", 2, 2, "خبران · رسالتان أُرسلتا"),
        ("ar", 5, 7, "5 أخبار · 7 رسائل أُرسلت"), ("ar", 30, 11, "30 خبرا · 11 رسالة أُرسلت"),
        ("ar", 1200, 100, "1,200 خبر · 100 رسالة أُرسلت"),
    ],
)
def test_the_chart_s_caption_counts_in_each_language_s_grammar(lang, articles, messages, said):
    # Before: «1 articles · 1 messages sent», «2 خبرا · 2 رسالة أُرسلت», «5 خبرا», «1200 خبرا».
    from bot import views

    caption = views.stats_chart_caption(articles, messages, readers=3, lang=lang)
    assert said in caption.replace("\u200f", "").replace("\u200e", "")

"""next_due_utc on an injectable clock: one digest per local day, DST or not."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from news.digest import compose, window_start
from news.model import Article
from news.schedule import (
    OffsetOutOfRange,
    decide,
    fixed_offset,
    local_date_of,
    next_due_utc,
    parse_local_time,
    utc_offset_zone,
)

PARIS = "Europe/Paris"


def run(at, tz, start, days):
    dues, moment = [], start
    for _ in range(days):
        moment = next_due_utc(at, tz, moment)
        dues.append(moment)
    return dues


def test_spring_forward_gap_time_moves_just_after_the_gap_and_is_sent_once():
    dues = run(time(2, 30), PARIS, datetime(2026, 3, 27, 12, tzinfo=UTC), 4)
    local = [d.astimezone(ZoneInfo(PARIS)) for d in dues]
    assert [moment.date().day for moment in local] == [28, 29, 30, 31]  # one per local day, none skipped
    assert local[1].strftime("%H:%M %z") == "03:30 +0200"  # 02:30 does not exist on the 29th
    assert [moment.strftime("%H:%M") for moment in (local[0], local[2], local[3])] == ["02:30"] * 3


def test_fall_back_ambiguous_time_is_sent_once_at_its_first_occurrence():
    dues = run(time(2, 30), PARIS, datetime(2026, 10, 23, 12, tzinfo=UTC), 4)
    local = [d.astimezone(ZoneInfo(PARIS)) for d in dues]
    assert [moment.date().day for moment in local] == [24, 25, 26, 27]
    assert local[1].strftime("%H:%M %z") == "02:30 +0200"  # not again an hour later at +0100
    assert dues[2] - dues[1] == timedelta(hours=25)


def test_seven_oclock_across_the_year_in_algiers_is_always_six_utc():
    dues = run(time(7, 0), "Africa/Algiers", datetime(2026, 1, 1, tzinfo=UTC), 365)
    assert {d.strftime("%H:%M") for d in dues} == {"06:00"}
    assert len({d.date() for d in dues}) == 365


def test_seven_oclock_local_for_readers_in_three_zones():
    now = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
    dues = {tz: next_due_utc(time(7, 0), tz, now) for tz in ("Africa/Algiers", "Europe/Paris", "America/Montreal")}
    assert dues["Africa/Algiers"] == datetime(2026, 11, 29, 6, 0, tzinfo=UTC)
    assert dues["Europe/Paris"] == datetime(2026, 11, 29, 6, 0, tzinfo=UTC)
    assert dues["America/Montreal"] == datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    assert all(d.astimezone(ZoneInfo(tz)).strftime("%H:%M") == "07:00" for tz, d in dues.items())


def test_catch_up_after_downtime_and_the_staleness_cutoff():
    due = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)
    late = decide(due, time(7, 0), "Africa/Algiers", due + timedelta(hours=5))
    assert late.send and late.next_due == due + timedelta(days=1)
    stale = decide(due, time(7, 0), "Africa/Algiers", due + timedelta(hours=7))
    assert not stale.send and stale.next_due == due + timedelta(days=1)
    # Down three days, back an hour after the day's time: that day's digest goes, an hour late.
    very_stale = decide(due, time(7, 0), "Africa/Algiers", due + timedelta(days=3, hours=1))
    assert very_stale.send and very_stale.due == due + timedelta(days=3)
    assert very_stale.next_due == due + timedelta(days=4)
    days_stale = decide(due, time(7, 0), "Africa/Algiers", due + timedelta(days=3, hours=7))
    assert not days_stale.send and days_stale.next_due == due + timedelta(days=4)


@pytest.mark.parametrize(("typed", "expected"), [("07:30", time(7, 30)), ("7:30", time(7, 30)), ("٠٧:٣٠", time(7, 30)), ("7h30", time(7, 30)), ("18", time(18, 0)), ("7h", time(7, 0)), ("22H", time(22, 0)), ("0730", time(7, 30)), ("730", time(7, 30)), ("1930", time(19, 30)), ("٠٧٣٠", time(7, 30))])
def test_times_as_readers_type_them(typed, expected):
    assert parse_local_time(typed) == expected


@pytest.mark.parametrize("typed", ["25:00", "07:60", "noon", "", "7:3", "25h", "h", "7hh", "7h3", "123h", "2400", "0760", "12345", "7 30"])
def test_times_that_are_not(typed):
    assert parse_local_time(typed) is None


def test_local_date_of_a_due_instant():
    assert str(local_date_of(datetime(2026, 11, 29, 23, 30, tzinfo=UTC), "Asia/Dubai")) == "2026-11-30"


def story(i, topics, size=1):
    t = datetime(2026, 11, 29, 5, tzinfo=UTC)
    return Article(i, f"خبر {i}", "", "", None, "مصدر", t, t, "ar", tuple(topics), story_id=i, story_size=size)


def test_compose_filters_by_topics_groups_in_topic_order_and_caps():
    start, end = datetime(2026, 11, 28, 6, tzinfo=UTC), datetime(2026, 11, 29, 6, tzinfo=UTC)
    stories = [story(1, ["sports"]), story(2, ["economy", "world"], size=3), story(3, ["weather"]), story(4, ["sports"])]
    everything = compose(stories, frozenset(), start, end)
    assert [s.topic for s in everything.sections] == ["economy", "sports", "weather"]
    assert [a.id for a in everything.sections[1].stories] == [1, 4]
    only = compose(stories, frozenset({"world", "weather"}), start, end)
    assert [(s.topic, [a.id for a in s.stories]) for s in only.sections] == [("world", [2]), ("weather", [3])]
    capped = compose(stories, frozenset(), start, end, cap=2)
    assert capped.story_count == 2 and capped.more == 2
    assert compose([], frozenset(), start, end).empty


def test_first_digest_looks_back_a_day_then_since_the_previous_one():
    due = datetime(2026, 11, 29, 6, tzinfo=UTC)
    assert window_start(None, due) == due - timedelta(hours=24)
    assert window_start(due - timedelta(hours=30), due) == due - timedelta(hours=30)


@pytest.mark.parametrize(
    ("typed", "zone"),
    [("UTC+1", "UTC+01:00"), ("GMT+1", "UTC+01:00"), ("+1", "UTC+01:00"), ("UTC-3", "UTC-03:00"), ("UTC−3", "UTC-03:00"),
     ("UTC+5:30", "UTC+05:30"), ("UTC+0530", "UTC+05:30"), ("UTC+١", "UTC+01:00"), ("+12:45", "UTC+12:45"),
     ("-12", "UTC-12:00"), ("+14", "UTC+14:00"), ("UTC+0", "UTC"), ("Paris", None), ("UTC", None), ("+-1", None)],
)
def test_fixed_offsets_as_readers_write_them(typed, zone):
    assert utc_offset_zone(typed) == zone


@pytest.mark.parametrize("typed", ["UTC+15", "UTC-13", "UTC+1:20", "+14:30", "UTC+99"])
def test_offsets_no_zone_has_are_refused(typed):
    with pytest.raises(OffsetOutOfRange):
        utc_offset_zone(typed)


def test_a_fixed_offset_zone_is_used_as_any_zone_and_etc_gmt_reads_with_its_sign_inverted():
    now = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
    assert next_due_utc(time(7, 0), "UTC+05:30", now) == datetime(2026, 11, 30, 1, 30, tzinfo=UTC)
    assert next_due_utc(time(7, 0), "UTC-03:00", now) == datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
    assert str(local_date_of(datetime(2026, 11, 29, 23, 30, tzinfo=UTC), "UTC+01:00")) == "2026-11-30"
    assert fixed_offset("Etc/GMT-1") == fixed_offset("UTC+01:00") == timedelta(hours=1)
    assert fixed_offset("Etc/GMT+3") == timedelta(hours=-3)
    assert fixed_offset("Africa/Algiers") is None and fixed_offset("UTC") is None


def test_the_zone_list_is_read_once_when_the_program_loads():
    # Before: news.schedule asked zoneinfo for every zone's name again for each city, 540
    # walks of the zone files: 2.9 s of CPU at every start of the bot and of each akhbar command.
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import zoneinfo; read = zoneinfo.available_timezones; calls = []\n"
        "zoneinfo.available_timezones = lambda: calls.append(1) or read()\n"
        "import news.schedule; print(len(calls), news.schedule.find_zone('algiers'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=Path(__file__).parent.parent, capture_output=True, text=True, check=True
    )
    assert done.stdout == "1 Africa/Algiers\n"

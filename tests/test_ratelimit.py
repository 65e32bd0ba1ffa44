"""The send limiter, on a fake clock: no window ever holds more than its limit."""

import asyncio

from news.ratelimit import Limits, SendLimiter


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    async def sleep(self, seconds):
        self.now += seconds
        await asyncio.sleep(0)


def max_in_window(times, span):
    times = sorted(times)
    return max(sum(1 for t in times if start <= t < start + span) for start in times)


async def test_overall_rate_never_exceeds_the_limit_in_any_sliding_second():
    clock = FakeClock()
    limiter = SendLimiter(Limits(per_second=25, bulk_share=1.0), clock, clock.sleep)
    sent = []
    for chat in range(200):
        await limiter.acquire(chat, bulk=True)
        sent.append(clock.now)
    assert max_in_window(sent, 1.0) == 25
    assert clock.now < 8.1  # and it does go at the full rate: 200 sends in ~8 s


async def test_a_reply_overtakes_broadcast_sends_waiting_for_the_same_slot():
    limiter = SendLimiter(Limits(per_second=10))  # real time: the waiters must truly wait together
    order = []

    async def send(name, bulk):
        await limiter.acquire(name, bulk=bulk)
        order.append(name)

    for chat in range(10):  # the window is full
        await limiter.acquire(chat, bulk=True)
    broadcast = [asyncio.create_task(send(f"digest{i}", True)) for i in range(5)]
    await asyncio.sleep(0)
    reply = asyncio.create_task(send("reply", False))
    await asyncio.gather(reply, *broadcast)
    assert order[0] == "reply"


async def test_bulk_share_holds_part_of_the_rate_back():
    clock = FakeClock()
    limiter = SendLimiter(Limits(per_second=25, bulk_share=0.8), clock, clock.sleep)
    for chat in range(20):
        await limiter.acquire(chat, bulk=True)
    start = clock.now
    await limiter.acquire(999)  # a reader's reply right after a burst of 20 digests
    assert clock.now == start


async def test_group_gets_at_most_twenty_a_minute_and_a_chat_its_burst():
    clock = FakeClock()
    limiter = SendLimiter(Limits(per_second=1000, chat_burst=10, chat_window=10), clock, clock.sleep)
    group_times = []
    for _ in range(45):
        await limiter.acquire(-100123)
        group_times.append(clock.now)
    assert max_in_window(group_times, 60.0) == 20
    clock.now = 0.0
    chat_times = []
    for _ in range(25):
        await limiter.acquire(42)
        chat_times.append(clock.now)
    assert chat_times[9] == chat_times[0]  # a burst of ten goes at once
    assert max_in_window(chat_times, 10.0) == 10


async def test_windows_of_chats_no_longer_written_to_are_forgotten():
    clock = FakeClock()
    limiter = SendLimiter(Limits(per_second=1000, chat_window=10), clock, clock.sleep)
    for chat in range(3000):
        await limiter.acquire(chat, bulk=True)
        clock.now += 0.01  # 30 s in all: early chats' windows have emptied
    assert len(limiter._chats) < 2000

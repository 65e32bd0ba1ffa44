"""The send limiter, on a fake clock: no window ever holds more than its limit."""

import asyncio

from news.ratelimit import Limits, SendLimiter, flood_resume


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    async def sleep(self, seconds):
        self.now += seconds
        await asyncio.sleep(0)


class VirtualTime:
    """A fake clock for tasks that wait together: time jumps to the next deadline only when
    every task is waiting (`run` drives it)."""

    def __init__(self):
        self.now = 0.0
        self._sleepers = []

    def __call__(self):
        return self.now

    async def sleep(self, seconds):
        future = asyncio.get_running_loop().create_future()
        self._sleepers.append((self.now + max(0.0, seconds), future))
        await future

    async def run(self, *coroutines):
        tasks = [asyncio.ensure_future(c) for c in coroutines]
        while not all(task.done() for task in tasks):
            for _ in range(50):  # let every task run until it waits
                await asyncio.sleep(0)
            if self._sleepers:
                self.now = max(self.now, min(deadline for deadline, _ in self._sleepers))
                due = [s for s in self._sleepers if s[0] <= self.now]
                self._sleepers = [s for s in self._sleepers if s[0] > self.now]
                for _, future in due:
                    future.set_result(None)
        return [task.result() for task in tasks]


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


async def test_group_gets_at_most_twenty_a_minute_and_a_chat_a_burst_then_one_a_second():
    clock = FakeClock()
    limiter = SendLimiter(Limits(per_second=1000, chat_burst=4, chat_per_second=1.0), clock, clock.sleep)
    group_times = []
    for _ in range(45):
        await limiter.acquire(-100123)
        group_times.append(clock.now)
    assert max_in_window(group_times, 61.0) == 20  # Telegram's minute, and a second of margin
    clock.now = 0.0
    chat_times = []
    for _ in range(25):
        await limiter.acquire(42)
        chat_times.append(clock.now)
    assert chat_times[:4] == [0.0] * 4  # a short burst goes at once
    assert chat_times[4:] == [float(n) for n in range(1, 22)]  # then one a second
    # What Telegram lets a private chat have (the emulator's bucket: a burst of 5, 1/s) is kept
    # with a token to spare, for the messages' travel time.
    for start in chat_times:
        for end in chat_times:
            if end >= start:
                assert sum(start <= t <= end for t in chat_times) <= 4 + (end - start)


async def test_a_flooded_chat_waits_alone_and_other_chats_go_at_once():
    clock = VirtualTime()
    limiter = SendLimiter(Limits(per_second=30), clock, clock.sleep)
    order = []

    async def send(chat, bulk=False):
        await limiter.acquire(chat, bulk=bulk)
        order.append((chat, clock.now))

    flood = [send(7) for _ in range(9)]  # eight answers and a notice, all at once
    others = [send(chat, bulk=chat % 2 == 0) for chat in range(100, 120)]  # replies and digests
    await clock.run(*flood, *others)
    flooded = [t for chat, t in order if chat == 7]
    assert flooded == [0.0] * 4 + [1.0, 2.0, 3.0, 4.0, 5.0]
    # The other chats were not held behind the flooded one: the readers answered at once,
    # the digests evenly spaced within the same second.
    assert [t for chat, t in order if chat % 2 and chat != 7] == [0.0] * 10
    assert max(t for chat, t in order if chat % 2 == 0) < 1.0
    assert max_in_window([t for _, t in order], 1.0) <= 30


async def test_a_429_holds_its_chat_from_the_answer_plus_a_margin_and_only_that_chat():
    assert flood_resume(0.0, 1) == 1.1 and flood_resume(0.0, 30) == 33.0  # 10 %, at least 100 ms
    clock = VirtualTime()
    limiter = SendLimiter(Limits(per_second=30), clock, clock.sleep)
    sent = {}

    async def send(chat, bulk):
        await limiter.acquire(chat, bulk=bulk)
        sent.setdefault(chat, []).append(clock.now)

    await clock.run(send(42, False))
    clock.now = 5.0  # the 429 answer arrives
    limiter.hold(42, flood_resume(clock.now, 1))
    # The retry and a digest for that chat wait; digests to other chats do not wait behind them.
    await clock.run(send(42, False), send(42, True), *(send(chat, True) for chat in range(43, 53)))
    assert sent[42] == [0.0, 6.1, 6.1]
    assert all(sent[chat][0] < 5.5 for chat in range(43, 53))


async def test_paces_of_chats_no_longer_written_to_are_forgotten():
    clock = FakeClock()
    limiter = SendLimiter(Limits(per_second=1000), clock, clock.sleep)
    for chat in range(3000):
        await limiter.acquire(chat, bulk=True)
        await limiter.acquire(-chat - 1, bulk=True)
        clock.now += 0.01  # 30 s in all
    # A private chat is idle again a second after one message, a group after its window.
    assert len(limiter._chats) <= 101
    assert len(limiter._groups) == 3000
    clock.now += 61.0
    await limiter.acquire(-1)
    await limiter.acquire(1)
    assert len(limiter._groups) == 1 and len(limiter._chats) == 1


async def test_a_send_is_told_when_the_last_second_is_too_crowded_for_an_unpaid_one():
    clock = FakeClock()
    limiter = SendLimiter(Limits(per_second=1000, unpaid_per_second=25), clock, clock.sleep)
    told = [await limiter.acquire(chat, bulk=True) for chat in range(30)]
    assert told == [False] * 25 + [True] * 5  # the 26th finds 25 sends in the last second
    assert await limiter.acquire(999) is True  # a reader's reply then: it must be paid
    clock.now += 1.0  # the second has passed
    assert await limiter.acquire(998) is False


async def test_an_unpaid_reply_waits_for_room_in_the_last_second_and_broadcasts_wait_behind_it():
    clock = VirtualTime()
    limiter = SendLimiter(Limits(per_second=1000, unpaid_per_second=25), clock, clock.sleep)
    # A paid broadcast at full speed: 100 sends in 0.1 s.
    await clock.run(*(limiter.acquire(chat, bulk=True) for chat in range(100)))
    order = []

    async def send(name, bulk, unpaid=False):
        crowded = await limiter.acquire(name, bulk=bulk, unpaid=unpaid)
        order.append((name, clock.now, crowded))

    await clock.run(send("edit", False, unpaid=True), *(send(f"digest{i}", True) for i in range(50)))
    # First, once the second held fewer than 25 (the 76th send of the 100 a second old).
    assert order[0][0] == "edit" and order[0][2] is False
    assert 1.0 < order[0][1] < 1.2


async def test_a_background_send_waits_for_replies_and_broadcasts_and_never_holds_them_back():
    clock = VirtualTime()
    limiter = SendLimiter(Limits(per_second=100, unpaid_per_second=25), clock, clock.sleep)
    order = []

    async def send(name, bulk=False, background=False):
        await limiter.acquire(name, bulk=bulk, background=background)
        order.append((name, clock.now))

    await clock.run(
        *(send(f"digest{i}", bulk=True) for i in range(150)), send("reply"), send("edit", background=True)
    )
    names = [name for name, _ in order]
    # The reply before every digest but the one that took the first slot, every digest at the
    # broadcast's own pace, the edit only once they are all out and the last second holds
    # fewer than 25 sends (an edit cannot be paid).
    assert names.index("reply") <= 1 and names[-1] == "edit"
    digests = [at for name, at in order if name.startswith("digest")]
    assert digests[-1] < 1.6
    edit_at = order[-1][1]
    assert sum(1 for _, at in order[:-1] if edit_at - 1.0 < at <= edit_at) < 25


async def test_background_sends_take_at_most_their_share_of_the_rate():
    clock = FakeClock()
    limiter = SendLimiter(Limits(per_second=25, background_share=0.2), clock, clock.sleep)
    sent = []
    for chat in range(50):
        await limiter.acquire(chat, background=True)
        sent.append(round(clock.now, 6))  # the sum of 0.2 s steps, without its rounding errors
    assert max_in_window(sent, 1.0) == 5  # a fifth of 25/s
    assert clock.now < 10.1  # and that share is used: 50 in ~10 s


async def test_a_broadcast_starting_just_after_a_background_send_lets_it_reach_telegram_first():
    clock = FakeClock()
    limiter = SendLimiter(Limits(per_second=500, unpaid_per_second=25), clock, clock.sleep)
    await limiter.acquire("edit", background=True)
    edited = clock.now
    await limiter.acquire("digest", bulk=True)
    # Not a paid burst of 30 on the edit's heels, before it got there: refused if it did.
    assert clock.now - edited >= 0.1

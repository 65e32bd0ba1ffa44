"""A long import keeps the collector off what it holds, without keeping garbage for good."""

import gc
import weakref

from news.heap import FrozenHeap


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector frees it


def test_cyclic_garbage_frozen_with_a_batch_is_freed_within_every_batches_and_nothing_stays_frozen():
    with FrozenHeap(every=3) as heap:
        node = _Node()
        gone = weakref.ref(node)
        del node
        heap.batch_done()  # frozen with the rest: no collection reads it now
        assert gc.get_freeze_count() > 0
        gc.collect()
        assert gone() is not None
        heap.batch_done()
        heap.batch_done()  # the third batch: a full collection first
        assert gone() is None
    assert gc.get_freeze_count() == 0


def test_the_collector_runs_by_itself_neither_while_a_heap_is_held_nor_during_a_batch_and_again_after():
    """An import's young collections read every article it holds until stored: none run while
    its FrozenHeap is held (the full one every `every` batches still does), and the process
    collects as before once the import is over; a worker's batch alike."""
    assert gc.isenabled()
    with FrozenHeap(every=2) as heap:
        assert not gc.isenabled()
        node = _Node()
        gone = weakref.ref(node)
        del node
        heap.batch_done()
        heap.batch_done()  # the full collection still frees the cyclic garbage
        assert gone() is None and not gc.isenabled()
    assert gc.isenabled()
    with FrozenHeap().batch():
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() > 0
    gc.unfreeze()


async def test_a_worker_preparing_an_import_keeps_its_caches_from_the_collector():
    """The worker processes hold their own caches (stems, lexicon entries): after a batch of
    an import, what it holds is frozen there too; the importing process's own heap is left to
    its FrozenHeap."""
    from news.importers import parse_jsonl_lines
    from news.workers import CpuWorkers

    lines = ['{"title": "ارتفاع أسعار الإسمنت في السوق المحلية"}', '{"title": "افتتاح مكتبة بلدية جديدة"}']
    async with CpuWorkers(1) as workers:
        assert await workers.run(gc.get_freeze_count) == 0
        parsed = await workers.run(parse_jsonl_lines, lines, 1)
        assert [number for number, _ in parsed] == [1, 2]
        assert await workers.run(gc.get_freeze_count) > 0
        assert await workers.run(gc.isenabled)  # a worker parses feeds too: it collects between batches
    parse_jsonl_lines(lines, 1)
    assert gc.get_freeze_count() == 0

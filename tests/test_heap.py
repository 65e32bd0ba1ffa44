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
    parse_jsonl_lines(lines, 1)
    assert gc.get_freeze_count() == 0

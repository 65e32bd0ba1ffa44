"""A long import keeps the collector off what it holds, without keeping garbage for good."""

import gc
import weakref

from bot.heap import FrozenHeap


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

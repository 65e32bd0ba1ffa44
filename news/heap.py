"""The cyclic garbage collector kept from reading, again and again, what a long job holds.

Python's collector reads every container object it tracks at each full collection, and it runs
one each time the objects that survived younger collections grow by a quarter.  An import
keeps many of those alive on purpose (the story matcher's 36 hours of headlines' keys and
postings, the lexicons, the caches of stems), so its full collections kept reading them: a
quarter of the import process's CPU at 30,000 items.  `FrozenHeap` moves what is alive after
each batch out of the collector's sight (`gc.freeze`); reference counting still frees those
objects when they go (none of them is in a cycle), and a full collection every `every`
batches frees whatever cyclic garbage was frozen with them, so memory stays bounded.  The
worker processes that prepare an import's articles hold their own caches (stems, lexicon
entries, story keys' words: some 110,000 objects) and keep them out of sight the same way
(news.importers), which saves them 11 µs of collections per article (16 → 5).

While it is held, and while a worker prepares a batch (`FrozenHeap.batch`), the collector
does not run by itself at all: an import makes no cyclic garbage batch after batch (none found
by a full collection after each of the 15 transactions of 30,000 items, the 846 objects of its
start-up aside), yet its young collections kept reading every object a batch makes until the
batch was stored — 18 µs per article in the importing process (741 young collections and 62
middle ones at 30,000 items) and 5 µs in a worker.  The full collection every `every` batches
still frees whatever cyclic garbage there is.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType


class FrozenHeap:
    def __init__(self, every: int = 100) -> None:
        self._every = every
        self._batches = 0
        self._collecting = False

    def __enter__(self) -> FrozenHeap:
        self._collecting = gc.isenabled()
        gc.disable()
        gc.freeze()
        return self

    def batch_done(self) -> None:
        self._batches += 1
        if self._batches % self._every == 0:
            gc.unfreeze()
            gc.collect()
        gc.freeze()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        gc.unfreeze()
        if self._collecting:
            gc.enable()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One batch's work without the collector running by itself, then `batch_done` (for a
        process that does other work between batches, such as a worker that parses feeds too)."""
        collecting = gc.isenabled()
        gc.disable()
        try:
            yield
            self.batch_done()
        finally:
            if collecting:
                gc.enable()

"""Which chats a new story concerns: every chat's follows and mutes matched at once.

A search engine matches one query against many documents; alerts need the reverse, one new
document against many stored queries — a percolator.  Looping over chats would cost the
number of follows for every story; instead each follow is indexed by a term the story must
contain, and a story looks up only its own terms:

- a "words" or "phrase" follow is indexed under ONE of its words, its anchor, by each of
  that word's candidate stems (news.text.stems; the story must hold one of them among its
  stems for the word to match).  A story then looks up each of its distinct stems (a few
  hundred) and gets the few follows whose anchor it holds — the candidates — and checks the
  rest of each (its other words, or the words standing together).  The anchor is the word
  whose shortest stem is longest (then: the one with the fewest stems): in Arabic and French
  alike short forms are the common ones (عمل، قال، يوم، les), long ones are names and
  specific nouns (سوناطراك، الاستثمار), and the shortest stem is the one most stories hold —
  so this is the best guess at the rarest word, the one that keeps candidates few, without
  knowing any word's frequency;
- a "topic" follow is indexed under its slug, a "wilaya" one under its code, and matches
  every story filed under it (NewArticle.topics, NewArticle.regions): no check needed;
- mutes are not indexed by term at all but kept by chat: a mute only ever suppresses, so it
  only matters for a chat that a follow has already matched, and that chat's few mutes are
  checked then.  `muted` checks them for a chat's listings (digest, /latest).

So matching costs the story's distinct stems, its topics and wilayas, plus the candidates and
the matches — not the number of follows held.  benchmarks/percolator_benchmark.py measures it.

A word matches as /search matches it — the same normalized word, or by light stemming, the
two sharing a stem (news.text.same_word, /search's highlighting: Query.matches):
الحمايه ↔ الحماية، سوناطراك ↔ لسوناطراك، برنامج ↔ البرنامج, but مطار is not أمطار
(tests/data/word-pairs.tsv).  A phrase's words must stand consecutively in the title or in
the body, each matching that way.

(The FTS5 expression /search sends looks a term up by its shortest stems only, a shortcut
that loses a few pairs of that list — `برنامج` does not find البرنامج, `فلسطين` not
الفلسطيني; alerts do not take it: the percolator checks sets in memory, where the full set
costs nothing.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from news.model import FOLLOW_KINDS, Article, Follow, NewArticle, SearchText
from news.search import index_text
from news.text import stems


@dataclass(frozen=True, slots=True)
class StoryTerms:
    """What follows are matched against in one story, computed once for all of them."""

    words: frozenset[str]  # its normalized words, title and body
    stems: frozenset[str]  # every stem of every word (the words themselves among them)
    title: tuple[str, ...]  # the title's words in order, for phrases
    body: tuple[str, ...]  # the body's words in order
    topics: frozenset[str]  # topic slugs
    regions: frozenset[int]  # wilaya codes


def story_terms(article: NewArticle | Article) -> StoryTerms:
    """The terms of a story, from the search text already computed for the index when the
    article carries it (a NewArticle from news.articles.make_article), else computed the same
    way (news.search.index_text) — a stored Article, to filter a listing by mutes."""
    search = article.search if isinstance(article, NewArticle) else _EMPTY
    if search == _EMPTY:
        search = index_text(article.title, article.body)
    title, body = tuple(search.title_words.split()), tuple(search.body_words.split())
    all_stems = set(search.title_stems.split())
    all_stems.update(search.body_stems.split())
    return StoryTerms(
        words=frozenset(title).union(body),
        stems=frozenset(all_stems),
        title=title,
        body=body,
        topics=frozenset(article.topics),
        regions=frozenset(article.regions),
    )


_EMPTY = SearchText()


@dataclass(frozen=True, slots=True)
class ChatMatch:
    """A chat to alert about a story: its follows that match it (at least one), by id."""

    chat_id: int
    follows: tuple[Follow, ...]


_Bucket = dict[int, Follow]  # follow id → follow


class Percolator:
    """Every chat's follows and mutes, indexed to match a new story in time independent of
    how many there are (see the module's docstring).  Not thread-safe; add and remove as
    storage changes, match each new story."""

    def __init__(self, follows: Iterable[Follow] = ()) -> None:
        self._all: dict[int, Follow] = {}
        self._by_form: dict[str, _Bucket] = {}  # words and phrase follows, under their anchor's forms
        self._by_topic: dict[str, _Bucket] = {}
        self._by_region: dict[int, _Bucket] = {}
        self._mutes: dict[int, _Bucket] = {}  # chat id → its mutes
        for follow in follows:
            self.add(follow)

    def __len__(self) -> int:
        """How many follows and mutes it holds."""
        return len(self._all)

    def add(self, follow: Follow) -> None:
        """Hold `follow` (a mute when follow.mute); one with the same id is replaced.
        ValueError for a follow that could never match (no terms, an unknown kind)."""
        _check(follow)
        self.remove(follow.id)
        self._all[follow.id] = follow
        if follow.mute:
            self._mutes.setdefault(follow.chat_id, {})[follow.id] = follow
        elif follow.kind == "topic":
            self._by_topic.setdefault(follow.terms[0], {})[follow.id] = follow
        elif follow.kind == "wilaya":
            self._by_region.setdefault(int(follow.terms[0]), {})[follow.id] = follow
        else:
            for form in _anchor_forms(follow.terms):
                self._by_form.setdefault(form, {})[follow.id] = follow

    def remove(self, follow_id: int) -> Follow | None:
        """Forget a follow or mute; the one forgotten, or None if it was not held."""
        follow = self._all.pop(follow_id, None)
        if follow is None:
            return None
        if follow.mute:
            _drop(self._mutes, follow.chat_id, follow_id)
        elif follow.kind == "topic":
            _drop(self._by_topic, follow.terms[0], follow_id)
        elif follow.kind == "wilaya":
            _drop(self._by_region, int(follow.terms[0]), follow_id)
        else:
            for form in _anchor_forms(follow.terms):
                _drop(self._by_form, form, follow_id)
        return follow

    def match(self, terms: StoryTerms) -> list[ChatMatch]:
        """One ChatMatch per chat with a follow that matches the story and no mute that does,
        by chat id; each with its matching follows by id."""
        found: dict[int, _Bucket] = {}
        by_form = self._by_form
        for form in terms.stems:
            candidates = by_form.get(form)
            if candidates is not None:
                for follow in candidates.values():
                    if _matches(follow, terms):
                        found.setdefault(follow.chat_id, {})[follow.id] = follow
        # A topic or wilaya follow matches whatever is filed under it: nothing to check.
        for bucket in [*map(self._by_topic.get, terms.topics), *map(self._by_region.get, terms.regions)]:
            for follow in (bucket or {}).values():
                found.setdefault(follow.chat_id, {})[follow.id] = follow
        matches = []
        for chat_id in sorted(found):
            if chat_id in self._mutes and self.muted(chat_id, terms):
                continue
            follows = found[chat_id]
            matches.append(ChatMatch(chat_id, tuple(follows[i] for i in sorted(follows))))
        return matches

    def has_mutes(self, chat_id: int) -> bool:
        """Whether the chat muted anything (most did not: their listings cost nothing more)."""
        return chat_id in self._mutes

    def muted(self, chat_id: int, terms: StoryTerms) -> bool:
        """Whether one of the chat's mutes matches the story: keep it out of its listings."""
        mutes = self._mutes.get(chat_id)
        return mutes is not None and any(_matches(mute, terms) for mute in mutes.values())


_Key = TypeVar("_Key", str, int)


def _drop(index: dict[_Key, _Bucket], key: _Key, follow_id: int) -> None:
    bucket = index[key]
    del bucket[follow_id]
    if not bucket:
        del index[key]


def _check(follow: Follow) -> None:
    if follow.kind not in FOLLOW_KINDS:
        raise ValueError(f"follow {follow.id}: unknown kind {follow.kind!r}")
    if not follow.terms or not all(follow.terms):
        raise ValueError(f"follow {follow.id}: no terms to match")
    if follow.kind in ("topic", "wilaya") and len(follow.terms) != 1:
        raise ValueError(f"follow {follow.id}: a {follow.kind} follow has one term, not {follow.terms!r}")
    if follow.kind == "wilaya" and not (follow.terms[0].isascii() and follow.terms[0].isdigit()):
        raise ValueError(f"follow {follow.id}: a wilaya's code, not {follow.terms[0]!r}")


@lru_cache(maxsize=1 << 18)
def _forms(term: str) -> tuple[str, ...]:
    """The forms a word is looked up by among a story's stems: all its candidate stems (the
    word itself among them).  A story word matches when its stems meet these, which is
    news.text.same_word and /search's highlighting (Query.matches)."""
    return tuple(sorted(stems(term)))


def _anchor_forms(terms: tuple[str, ...]) -> tuple[str, ...]:
    """The forms of the word a follow is indexed under: the likely rarest, i.e. the one whose
    shortest form is longest, then the one with the fewest forms (fewer keys to file under);
    the first such word on a tie, so that add and remove agree."""
    return max(map(_forms, terms), key=lambda forms: (min(map(len, forms)), -len(forms)))


def _holds(story_stems: frozenset[str], term: str) -> bool:
    return any(form in story_stems for form in _forms(term))


def _matches(follow: Follow, terms: StoryTerms) -> bool:
    kind = follow.kind
    if kind == "words":
        return all(_holds(terms.stems, term) for term in follow.terms)
    if kind == "phrase":
        return _phrase_in(follow.terms, terms)
    if kind == "topic":
        return follow.terms[0] in terms.topics
    return int(follow.terms[0]) in terms.regions


def _phrase_in(phrase: tuple[str, ...], terms: StoryTerms) -> bool:
    """Whether the phrase's words stand together, in order, in the title or the body."""
    if not all(_holds(terms.stems, word) for word in phrase):
        return False  # a word missing anywhere: no need to walk the text
    forms = [_forms(word) for word in phrase]
    size = len(forms)
    for sequence in (terms.title, terms.body):
        for start in range(len(sequence) - size + 1):
            if all(_is(sequence[start + offset], forms[offset]) for offset in range(size)):
                return True
    return False


def _is(word: str, forms: tuple[str, ...]) -> bool:
    """Whether a story's word is the follow's word, as /search would match it."""
    word_stems = stems(word)
    return any(form in word_stems for form in forms)

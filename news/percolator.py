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

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple, TypeVar

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
    # For phrases, made on first need: the title, a gap and the body as one sequence, and
    # where the words that have each form stand in it.
    _sequence: list[str] = field(default_factory=list, init=False, compare=False, repr=False)
    _places: dict[str, list[int]] = field(default_factory=dict, init=False, compare=False, repr=False)

    @property
    def sequence(self) -> list[str]:
        """The title's words, an empty word that no phrase matches, then the body's words."""
        if not self._sequence:
            self._sequence.extend((*self.title, "", *self.body))
        return self._sequence

    def places_of(self, form: str) -> list[int]:
        """Where the words that have `form` among their stems stand in `sequence`."""
        if not self._places:
            at: dict[str, list[int]] = {}
            for index, word in enumerate(self.sequence):
                at.setdefault(word, []).append(index)
            for word, indexes in at.items():
                for stem in stems(word):
                    self._places.setdefault(stem, []).extend(indexes)
        return self._places.get(form, [])


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
_Key = TypeVar("_Key", str, int)
_Value = TypeVar("_Value")


class ChatMatch(NamedTuple):
    """A chat to alert about a story: its follows that match it (at least one), by id.
    (A named tuple: a story can alert thousands of chats, and it is made fastest.)"""

    chat_id: int
    follows: tuple[Follow, ...]


class _Candidate(NamedTuple):
    """A follow of several words or a phrase, as filed under its anchor: what is left to
    check once the anchor is found, worked out when it is added."""

    alone: ChatMatch  # its chat's match, if this follow is the only one of it that matches
    others: tuple[tuple[str, ...], ...]  # the forms of each of its other words: each must meet the story's stems
    phrase: tuple[tuple[str, ...], ...] | None  # for a phrase, the forms of its words in order


class _Mute(NamedTuple):
    follow: Follow
    forms: tuple[tuple[str, ...], ...]  # of each word, for a words or phrase mute
    phrase: bool


# A key's follows by chat: the ChatMatch each chat would get from that key alone, made when
# follows are added so that matching only gathers them.
_ByChat = dict[int, ChatMatch]


class Percolator:
    """Every chat's follows and mutes, indexed to match a new story in time independent of
    how many there are (see the module's docstring).  Not thread-safe; add and remove as
    storage changes, match each new story.

    `frequencies`, optional: how many stories of a sample hold each stem (stem_frequencies
    counts them from recent stories).  With it, a follow is filed under its word that the
    fewest stories hold; without it (or for words it has never seen), under the likely rarest
    by length.  It is fixed for the percolator's life: to take newer counts, build another.
    """

    def __init__(self, follows: Iterable[Follow] = (), *, frequencies: Mapping[str, int] | None = None) -> None:
        self._frequencies: Mapping[str, int] = frequencies or {}
        self._all: dict[int, Follow] = {}
        # Topic and wilaya follows, and follows of one word under each form of it: whatever
        # their key finds matches, nothing to check.
        self._by_topic: dict[str, _ByChat] = {}
        self._by_region: dict[int, _ByChat] = {}
        self._one_word: dict[str, _ByChat] = {}
        # Follows of several words and phrases under each form of their anchor, by follow id.
        self._by_anchor: dict[str, dict[int, _Candidate]] = {}
        self._mutes: dict[int, dict[int, _Mute]] = {}  # chat id → its mutes, by follow id
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
        alone = ChatMatch(follow.chat_id, (follow,))
        if follow.mute:
            forms = tuple(map(_forms, follow.terms)) if follow.kind in ("words", "phrase") else ()
            self._mutes.setdefault(follow.chat_id, {})[follow.id] = _Mute(follow, forms, follow.kind == "phrase")
        elif follow.kind == "topic":
            _file(self._by_topic, follow.terms[0], alone)
        elif follow.kind == "wilaya":
            _file(self._by_region, int(follow.terms[0]), alone)
        elif _one_word(follow):
            for form in _forms(follow.terms[0]):
                _file(self._one_word, form, alone)
        else:
            anchor = self._anchor(follow.terms)
            forms = tuple(map(_forms, follow.terms))
            candidate = _Candidate(alone, forms[:anchor] + forms[anchor + 1 :], forms if follow.kind == "phrase" else None)
            for form in forms[anchor]:
                self._by_anchor.setdefault(form, {})[follow.id] = candidate

    def remove(self, follow_id: int) -> Follow | None:
        """Forget a follow or mute; the one forgotten, or None if it was not held."""
        follow = self._all.pop(follow_id, None)
        if follow is None:
            return None
        if follow.mute:
            _drop(self._mutes, follow.chat_id, follow_id)
        elif follow.kind == "topic":
            _unfile(self._by_topic, follow.terms[0], follow)
        elif follow.kind == "wilaya":
            _unfile(self._by_region, int(follow.terms[0]), follow)
        elif _one_word(follow):
            for form in _forms(follow.terms[0]):
                _unfile(self._one_word, form, follow)
        else:
            for form in _forms(follow.terms[self._anchor(follow.terms)]):
                _drop(self._by_anchor, form, follow_id)
        return follow

    def match(self, terms: StoryTerms) -> list[ChatMatch]:
        """One ChatMatch per chat with a follow that matches the story and no mute that does,
        in no particular order; each with its matching follows by id."""
        # The story's stems that are keys, found by a set intersection (in C, over the
        # story's few hundred stems); then topic, wilaya and one-word follows: whatever their
        # key finds matches.
        one_word, by_anchor = self._one_word, self._by_anchor
        sure = [*map(self._by_topic.get, terms.topics), *map(self._by_region.get, terms.regions)]
        sure += map(one_word.__getitem__, one_word.keys() & terms.stems)
        checked: list[ChatMatch] = []
        disjoint = terms.stems.isdisjoint
        for form in by_anchor.keys() & terms.stems:
            for alone, others, phrase in by_anchor[form].values():
                for forms in others:
                    if disjoint(forms):
                        break
                else:
                    if phrase is None or _phrase_in(phrase, terms):
                        checked.append(alone)
        found: _ByChat = {}
        held_by = found.setdefault
        for bucket in sure:
            if bucket:
                if not found:
                    found.update(bucket)
                    continue
                for chat_id, alone in bucket.items():
                    held = held_by(chat_id, alone)
                    if held is not alone:  # a chat matched by more than one key
                        found[chat_id] = _merged(held, alone)
        for alone in checked:
            held = held_by(alone.chat_id, alone)
            if held is not alone:
                found[alone.chat_id] = _merged(held, alone)
        for chat_id in found.keys() & self._mutes.keys():
            if self.muted(chat_id, terms):
                del found[chat_id]
        return list(found.values())

    def muted(self, chat_id: int, terms: StoryTerms) -> bool:
        """Whether one of the chat's mutes matches the story: keep it out of its listings."""
        mutes = self._mutes.get(chat_id)
        return mutes is not None and any(_silences(mute, terms) for mute in mutes.values())

    def _anchor(self, terms: tuple[str, ...]) -> int:
        """Which word a follow is filed under: the one the fewest stories hold, by
        `frequencies` (a word never seen counts as held by none); between equals, the one
        whose shortest form is longest, then the one with the fewest forms (fewer keys); the
        first on a tie, so that add and remove agree."""
        frequencies = self._frequencies

        def cost(offset: int) -> tuple[int, int, int]:
            forms = _forms(terms[offset])
            held = sum(frequencies.get(form, 0) for form in forms) if frequencies else 0
            return held, -min(map(len, forms)), len(forms)

        return min(range(len(terms)), key=cost)


def _merged(held: ChatMatch, more: ChatMatch) -> ChatMatch:
    """One chat's match with the follows of both, each once, by id."""
    follows = {follow.id: follow for follow in held.follows}
    follows.update((follow.id, follow) for follow in more.follows)
    if len(follows) == len(held.follows):
        return held  # the same follow found again, under another form of its word
    return ChatMatch(held.chat_id, tuple(follows[key] for key in sorted(follows)))


def _file(index: dict[_Key, _ByChat], key: _Key, alone: ChatMatch) -> None:
    bucket = index.setdefault(key, {})
    held = bucket.get(alone.chat_id)
    bucket[alone.chat_id] = alone if held is None else _merged(held, alone)


def _unfile(index: dict[_Key, _ByChat], key: _Key, follow: Follow) -> None:
    bucket = index[key]
    rest = tuple(other for other in bucket[follow.chat_id].follows if other.id != follow.id)
    if rest:
        bucket[follow.chat_id] = ChatMatch(follow.chat_id, rest)
    else:
        del bucket[follow.chat_id]
        if not bucket:
            del index[key]


def stem_frequencies(stories: Iterable[StoryTerms]) -> Counter[str]:
    """How many of `stories` hold each stem: a Percolator's `frequencies`, from a sample of
    recent stories (a few thousand are plenty: what matters is telling الجزائر from
    سوناطراك, not a precise count)."""
    counts: Counter[str] = Counter()
    for terms in stories:
        counts.update(terms.stems)
    return counts


def _drop(index: dict[_Key, dict[int, _Value]], key: _Key, follow_id: int) -> None:
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


def _one_word(follow: Follow) -> bool:
    return follow.kind == "words" and len(follow.terms) == 1


def _silences(mute: _Mute, terms: StoryTerms) -> bool:
    """Whether a mute matches the story (as a follow would)."""
    if not mute.forms:  # a topic or a wilaya: news.follows never makes such a mute
        kept = mute.follow.terms[0]
        return kept in terms.topics if mute.follow.kind == "topic" else int(kept) in terms.regions
    disjoint = terms.stems.isdisjoint
    if any(disjoint(forms) for forms in mute.forms):
        return False
    return not mute.phrase or _phrase_in(mute.forms, terms)


def _phrase_in(phrase: tuple[tuple[str, ...], ...], terms: StoryTerms) -> bool:
    """Whether words of these forms stand together, in this order, in the title or the body
    (each already known to be in the story): found from where its first word stands, the
    others checked after it."""
    sequence, size = terms.sequence, len(phrase)
    last = len(sequence) - size
    for form in phrase[0]:
        for start in terms.places_of(form):
            if start <= last and all(_is(sequence[start + offset], phrase[offset]) for offset in range(1, size)):
                return True
    return False


def _is(word: str, forms: tuple[str, ...]) -> bool:
    """Whether a story's word is the follow's word, as /search would match it."""
    return not stems(word).isdisjoint(forms)

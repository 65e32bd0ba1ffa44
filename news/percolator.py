"""Which chats a new story concerns: every chat's follows and mutes matched at once.

A search engine matches one query against many documents; alerts need the reverse, one new
document against many stored queries — a percolator.  Looping over chats would cost the
number of follows for every story; instead each follow is filed under a key the story must
hold for it to match, and a story looks up only its own keys:

- follows and mutes are grouped by what they are (the 500 chats following سوناطراك are one
  group; the chats muting it, another), and each group is checked once for all its chats:
  a group that matches gives them all at once, their ChatMatch made when they were added;
- a "words" group is filed under ONE of its words, its anchor, by each of that word's
  candidate stems (news.text.stems: the story must hold one of them among its stems for the
  word to match); one of several words, again under each stem of its second word.  A story
  intersects its distinct stems (a few hundred) with those keys: a group of one word found
  matches; one of several found under two of the story's stems is left to check its other
  words (a handful a story).  The anchor is the word the fewest stories hold, when the
  percolator is given stem counts of recent stories (`frequencies`, from stem_frequencies):
  الجزائر is long and in every other story.  Without counts, the word whose shortest stem is
  longest (then: with the fewest stems): short forms are the common ones (عمل، قال، يوم،
  les), long ones names and specific nouns (سوناطراك، الاستثمار), and the shortest stem is
  the one most stories hold;
- a "phrase" group is filed under each pair of stems of its first two words, and a story
  looks up the pairs of such stems held by two words standing together in it (the words of
  a story that hold a stem some phrase has are learned once, not stemmed again for every
  story: _PhraseWords): a phrase of two words found stands there; a longer one is checked
  further;
- a "topic" group is filed under its slug, a "wilaya" one under its code, and matches every
  story filed under it (NewArticle.topics, NewArticle.regions): no check;
- mutes share the index (a story's stems are looked up once for both): the chats of the
  mute groups a story matches are taken out of those it alerts (a mute only ever
  suppresses).  They are also kept by chat, for `muted`, one chat's listings (digest, /latest).

So matching costs the story's distinct stems and words, its topics and wilayas, the groups
found — not the number of follows held — and gathering one ChatMatch per chat alerted costs
the chats alerted (`Percolator.matches` stops before it: the groups; `Matches.chats` gathers).
benchmarks/percolator_benchmark.py measures both.

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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, product
from typing import NamedTuple, TypeVar, cast

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
    # The title's words and the body's, each between spaces, apart: a phrase typed as the
    # story has it is found there by one substring search (in C).
    text: str = ""


def story_terms(article: NewArticle | Article) -> StoryTerms:
    """The terms of a story, from the search text already computed for the index when the
    article carries it (a NewArticle from news.articles.make_article), else computed the same
    way (news.search.index_text) — a stored Article, to filter a listing by mutes."""
    search = article.search if isinstance(article, NewArticle) else _EMPTY
    if search == _EMPTY:
        search = index_text(article.title, article.body)
    title, body = search.title_words.split(), search.body_words.split()
    return StoryTerms(
        words=frozenset(title + body),
        stems=frozenset(f"{search.title_stems} {search.body_stems}".split()),
        title=tuple(title),
        body=tuple(body),
        topics=frozenset(article.topics),
        regions=frozenset(article.regions),
        text=f" {search.title_words} \n {search.body_words} ",
    )


_EMPTY = SearchText()
_Key = TypeVar("_Key", str, int)


class ChatMatch(NamedTuple):
    """A chat to alert about a story: its follows that match it (at least one), by id.
    (A named tuple: a story can alert thousands of chats, and it is made fastest.)"""

    chat_id: int
    follows: tuple[Follow, ...]


# A key's follows by chat: the ChatMatch each chat would get from that key alone, made when
# follows are added so that matching only gathers them.
_ByChat = dict[int, ChatMatch]


class _Group:
    """The follows of the same words (or the same phrase, topic, wilaya), of every chat that
    has one, or the mutes of them: what is left to check once its anchor (and second word) is
    found is checked once for all of them."""

    __slots__ = ("anchor", "chats", "mute", "others", "phrase", "second", "text")

    def __init__(
        self, mute: bool, anchor: tuple[str, ...] = (), second: tuple[str, ...] = (),
        others: tuple[tuple[str, ...], ...] = (), phrase: tuple[tuple[str, ...], ...] | None = None, text: str = "",
    ) -> None:
        self.mute = mute  # mutes: the chats it holds are the ones a match silences
        self.anchor = anchor  # the forms of its anchor word, which it is filed under
        self.second = second  # the forms of its second word (none for one word): filed under them too
        self.chats: _ByChat = {}
        self.others = others  # the forms of each of its other words: each must meet the story's stems
        self.phrase = phrase  # for a phrase, the forms of all its words in order
        self.text = text  # for a phrase, its words as typed, between spaces: found as such, no more to check


_GroupKey = tuple[bool, str, tuple[str, ...]]  # mute or not, kind, terms


class _Index:
    """Follows and mutes filed under the keys a story must hold for them to match: one
    index for both, so that a story's stems are looked up once for the chats it alerts and
    the chats it silences."""

    def __init__(self, frequencies: Mapping[str, int], phrase_words: _PhraseWords) -> None:
        self.frequencies = frequencies
        self.phrase_words = phrase_words  # the forms phrases have, and the story words holding them
        # Topic and wilaya groups by their slug and code: whatever these find matches.
        self.by_topic: dict[str, list[_Group]] = {}
        self.by_region: dict[int, list[_Group]] = {}
        # Words and phrase groups, each filed under every form of its anchor: those of one
        # word, which that finds, apart from those of several, filed again under every form
        # of their second word (the next rarest), so that a story finds only the groups
        # holding two of its words by two set intersections in C.
        self.groups: dict[_GroupKey, _Group] = {}
        self.one_word: dict[str, list[_Group]] = {}
        self.by_anchor: dict[str, dict[str, list[_Group]]] = {}
        # Phrases, filed under every pair of forms of their first two words: a story finds
        # those whose first two words stand together among the pairs of forms standing
        # together in it (_Places.pairs_of_forms), by one set intersection in C; a phrase of
        # two words needs no more checking.
        self.by_pair: dict[str, list[_Group]] = {}  # "first second" (a string: its hash is kept)

    def add(self, follow: Follow) -> None:
        key = (follow.mute, follow.kind, follow.terms)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = self._group(follow)
        _file(group.chats, ChatMatch(follow.chat_id, (follow,)))

    def _group(self, follow: Follow) -> _Group:
        if follow.kind == "topic":
            group = _Group(follow.mute)
            self.by_topic.setdefault(follow.terms[0], []).append(group)
            return group
        if follow.kind == "wilaya":
            group = _Group(follow.mute)
            self.by_region.setdefault(int(follow.terms[0]), []).append(group)
            return group
        order = self.rarest_first(follow.terms)
        forms = tuple(map(_forms, follow.terms))
        phrase = forms if follow.kind == "phrase" and len(forms) > 1 else None
        text = f" {' '.join(follow.terms)} " if phrase else ""
        anchor, second = forms[order[0]], forms[order[1]] if len(order) > 1 else ()
        others = tuple(forms[offset] for offset in order[2:])
        group = _Group(follow.mute, anchor, second, others, phrase, text)
        if phrase:
            self.phrase_words.want(phrase)
            for pair in map(" ".join, product(phrase[0], phrase[1])):
                self.by_pair.setdefault(pair, []).append(group)
            return group
        for form in group.anchor:
            if group.second:
                by_second = self.by_anchor.setdefault(form, {})
                for other in group.second:
                    by_second.setdefault(other, []).append(group)
            else:
                self.one_word.setdefault(form, []).append(group)
        return group

    def remove(self, follow: Follow) -> None:
        key = (follow.mute, follow.kind, follow.terms)
        group = self.groups[key]
        _unfile_chat(group.chats, follow)
        if group.chats:
            return
        del self.groups[key]
        if follow.kind == "topic":
            _unfile_group(self.by_topic, follow.terms[0], group)
        elif follow.kind == "wilaya":
            _unfile_group(self.by_region, int(follow.terms[0]), group)
        elif group.phrase:
            self.phrase_words.unwant(group.phrase)
            for pair in map(" ".join, product(group.phrase[0], group.phrase[1])):
                _unfile_group(self.by_pair, pair, group)
        else:
            for form in group.anchor:
                if group.second:
                    by_second = self.by_anchor[form]
                    for other in group.second:
                        _unfile_group(by_second, other, group)
                    if not by_second:
                        del self.by_anchor[form]
                else:
                    _unfile_group(self.one_word, form, group)

    def found(self, terms: StoryTerms, places: _Places) -> list[_Group]:
        """The groups, of follows and of mutes, that match the story, each once."""
        # The story's stems that are keys, by a set intersection (in C, over its few hundred
        # stems), and the groups filed there, each once (a group is filed under each form of
        # its anchor word, and a story may hold several): in C too, for it is the bulk.
        stems, one_word, by_anchor = terms.stems, self.one_word, self.by_anchor
        found = [
            *chain.from_iterable(filter(None, map(self.by_topic.get, terms.topics))),
            *chain.from_iterable(filter(None, map(self.by_region.get, terms.regions))),
            *dict.fromkeys(chain.from_iterable(map(one_word.__getitem__, one_word.keys() & stems))),
        ]
        # Groups of several words: their anchor's forms among the story's stems, then their
        # second word's, met with the stems by iterating the smaller of the two (a popular
        # name is the anchor of thousands of groups, a story holds a few hundred stems).
        pairs: list[list[_Group]] = []
        size = len(stems)
        for by_second in map(by_anchor.__getitem__, by_anchor.keys() & stems):
            seconds = stems.intersection(by_second) if len(by_second) <= size else by_second.keys() & stems
            pairs += map(by_second.__getitem__, seconds)
        disjoint = stems.isdisjoint
        found += (group for group in dict.fromkeys(chain.from_iterable(pairs))
                  if not group.others or not any(map(disjoint, group.others)))
        # Phrases whose first two words stand together; those of more words checked further.
        by_pair = self.by_pair
        if by_pair:
            for group in dict.fromkeys(chain.from_iterable(map(by_pair.__getitem__, by_pair.keys() & places.pairs_of_forms()))):
                phrase = group.phrase
                assert phrase is not None  # only phrases are filed there
                if len(phrase) == 2 or group.text in places.text or _phrase_in(phrase, places):
                    found.append(group)
        return found

    def anchor(self, terms: tuple[str, ...]) -> int:
        """The offset of the word a follow is filed under (see rarest_first)."""
        return self.rarest_first(terms)[0]

    def rarest_first(self, terms: tuple[str, ...]) -> list[int]:
        """The offsets of a follow's words, the one it is filed under first (its anchor), then
        its second: the one the fewest stories hold, by `frequencies` (a word never seen counts
        as held by none); between equals, the one whose shortest form is longest, then the one
        with the fewest forms (fewer keys); the first on a tie."""
        frequencies = self.frequencies

        def cost(offset: int) -> tuple[int, int, int]:
            forms = _forms(terms[offset])
            held = sum(frequencies.get(form, 0) for form in forms) if frequencies else 0
            return held, -min(map(len, forms)), len(forms)

        return sorted(range(len(terms)), key=cost)


class Matches:
    """What one story matched: the chats of each group of follows it matches, and of each
    group of mutes, not yet gathered by chat.  `chats()` gathers them: one ChatMatch per chat
    alerted (its cost is the chats alerted; matching's alone is the groups)."""

    __slots__ = ("follows", "mutes")

    def __init__(self, follows: list[_ByChat], mutes: list[_ByChat]) -> None:
        self.follows, self.mutes = follows, mutes

    def chats(self) -> list[ChatMatch]:
        """One ChatMatch per chat with a follow that matches the story and no mute that does,
        in no particular order; each with its matching follows by id."""
        found = _gathered(self.follows)
        if found:
            # Mutes matter only for the chats found: each group's muting chats met with them
            # (in C, over the smaller of the two), none of the others gathered.
            for muting in self.mutes:
                for chat_id in found.keys() & muting.keys():
                    del found[chat_id]
        return list(found.values())


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
        self._all: dict[int, Follow] = {}
        self._phrase_words = _PhraseWords()
        self._phrase_forms = self._phrase_words.wanted  # where words stand is only wanted for these
        # Follows and mutes in one index (`_mutes` is the same: a story looks its stems up
        # once); mutes are also kept by chat, for one chat's listings.
        self._follows = self._mutes = _Index(frequencies or {}, self._phrase_words)
        self._mutes_of: dict[int, dict[int, Follow]] = {}
        for follow in follows:
            self.add(follow)

    def __len__(self) -> int:
        """How many follows and mutes it holds."""
        return len(self._all)

    def ids(self) -> set[int]:
        """The ids of the follows and mutes it holds."""
        return set(self._all)

    def add(self, follow: Follow) -> None:
        """Hold `follow` (a mute when follow.mute); one with the same id is replaced.
        ValueError for a follow that could never match (no terms, an unknown kind)."""
        _check(follow)
        self.remove(follow.id)
        self._all[follow.id] = follow
        self._follows.add(follow)
        if follow.mute:
            self._mutes_of.setdefault(follow.chat_id, {})[follow.id] = follow

    def remove(self, follow_id: int) -> Follow | None:
        """Forget a follow or mute; the one forgotten, or None if it was not held."""
        follow = self._all.pop(follow_id, None)
        if follow is None:
            return None
        self._follows.remove(follow)
        if follow.mute:
            mutes = self._mutes_of[follow.chat_id]
            del mutes[follow_id]
            if not mutes:
                del self._mutes_of[follow.chat_id]
        return follow

    def matches(self, terms: StoryTerms) -> Matches:
        """The groups of follows and of mutes the story matches (see Matches): the matching
        proper, whose cost does not grow with the chats alerted."""
        found = self._follows.found(terms, _Places(terms, self._phrase_words))
        follows = [group.chats for group in found if not group.mute]
        return Matches(follows, [group.chats for group in found if group.mute] if follows else [])

    def match(self, terms: StoryTerms) -> list[ChatMatch]:
        """One ChatMatch per chat with a follow that matches the story and no mute that does,
        in no particular order; each with its matching follows by id."""
        return self.matches(terms).chats()

    def has_mutes(self, chat_id: int) -> bool:
        """Whether the chat muted anything (most did not: their listings cost nothing more)."""
        return chat_id in self._mutes_of

    def muted(self, chat_id: int, terms: StoryTerms) -> bool:
        """Whether one of the chat's mutes matches the story: keep it out of its listings."""
        mutes = self._mutes_of.get(chat_id)
        if mutes is None:
            return False
        places = _Places(terms, self._phrase_words)
        return any(_matches(mute, terms, places) for mute in mutes.values())


def stem_frequencies(stories: Iterable[StoryTerms]) -> Counter[str]:
    """How many of `stories` hold each stem: a Percolator's `frequencies`, from a sample of
    recent stories (a few thousand are plenty: what matters is telling الجزائر from
    سوناطراك, not a precise count)."""
    counts: Counter[str] = Counter()
    for terms in stories:
        counts.update(terms.stems)
    return counts


def _gathered(sources: Iterable[_ByChat]) -> _ByChat:
    """The chats of all these keys, each once, with the follows it has under all of them.
    Keys are gathered a whole dict at a time (in C); only the chats found under several,
    which the dicts' intersection tells (in C, over the smaller), are merged one by one."""
    found: _ByChat = {}
    earlier: dict[int, list[ChatMatch]] = {}  # chats found by several keys: what the others found
    for chats in sources:
        if found:
            for chat_id in found.keys() & chats.keys():
                earlier.setdefault(chat_id, []).append(found[chat_id])
        found.update(chats)
    for chat_id, matches in earlier.items():
        found[chat_id] = _merged(found[chat_id], matches)
    return found


def _merged(held: ChatMatch, more: Iterable[ChatMatch]) -> ChatMatch:
    """One chat's match with the follows of all, each once, by id."""
    follows = {follow.id: follow for follow in held.follows}
    for match in more:
        follows.update((follow.id, follow) for follow in match.follows)
    if len(follows) == len(held.follows):
        return held  # the same follows found again, under other forms of their words
    return ChatMatch(held.chat_id, tuple(follows[key] for key in sorted(follows)))


def _file(chats: _ByChat, alone: ChatMatch) -> None:
    held = chats.get(alone.chat_id)
    chats[alone.chat_id] = alone if held is None else _merged(held, (alone,))


def _unfile_chat(chats: _ByChat, follow: Follow) -> None:
    rest = tuple(other for other in chats[follow.chat_id].follows if other.id != follow.id)
    if rest:
        chats[follow.chat_id] = ChatMatch(follow.chat_id, rest)
    else:
        del chats[follow.chat_id]


def _unfile_group(index: dict[_Key, list[_Group]], form: _Key, group: _Group) -> None:
    index[form].remove(group)
    if not index[form]:
        del index[form]


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


def _matches(follow: Follow, terms: StoryTerms, places: _Places) -> bool:
    """Whether one follow (or mute) matches the story, checked alone: for one chat's mutes."""
    if follow.kind == "topic":
        return follow.terms[0] in terms.topics
    if follow.kind == "wilaya":
        return int(follow.terms[0]) in terms.regions
    forms = tuple(map(_forms, follow.terms))
    if any(map(terms.stems.isdisjoint, forms)):
        return False
    return follow.kind != "phrase" or _phrase_in(forms, places)


class _PhraseWords:
    """The forms phrases have, and which words seen in stories hold them, learned once per
    word rather than once per story (after a while, a story brings a handful of new words):

    - `wanted`: how many phrase groups have each form; `firsts`, `seconds`: the forms of their
      first and second words;
    - `variants`: the words seen holding each wanted form, so that a story's words standing in
      a phrase are found by set intersections (in C) rather than by stemming them again;
    - `as_first`, `as_second`: the first-word and second-word forms of each seen word holding
      some, to pair the words standing together in a story (_Places.pairs_of_forms).

    A form newly wanted may be held by words seen before it was: then all is forgotten and
    learned again from the next stories; so too past SEEN_AT_MOST words, to bound the memory."""

    SEEN_AT_MOST = 1 << 17

    def __init__(self) -> None:
        self.wanted: Counter[str] = Counter()
        self.firsts: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()
        self.seen: set[str] = set()
        self.variants: dict[str, set[str]] = {}
        self.as_first: dict[str, tuple[str, ...]] = {}
        self.as_second: dict[str, tuple[str, ...]] = {}

    def want(self, phrase: tuple[tuple[str, ...], ...]) -> None:
        for counts, forms in ((self.wanted, chain.from_iterable(phrase)), (self.firsts, phrase[0]), (self.seconds, phrase[1])):
            for form in forms:
                if not counts[form]:
                    self.forget()
                counts[form] += 1

    def unwant(self, phrase: tuple[tuple[str, ...], ...]) -> None:
        # What was learned of a form no longer wanted stays true: no need to forget it.
        for counts, forms in ((self.wanted, chain.from_iterable(phrase)), (self.firsts, phrase[0]), (self.seconds, phrase[1])):
            for form in forms:
                counts[form] -= 1
                if not counts[form]:
                    del counts[form]

    def forget(self) -> None:
        for learned in (self.seen, self.variants, self.as_first, self.as_second):
            learned.clear()

    def learn(self, words: frozenset[str]) -> None:
        """Note which wanted forms the story's words not seen before hold."""
        new = words - self.seen
        if not new:
            return
        if len(self.seen) + len(new) > self.SEEN_AT_MOST:
            self.forget()
            new = words
        wanted, firsts, seconds, variants = self.wanted, self.firsts, self.seconds, self.variants
        for word in new:
            forms = tuple(filter(wanted.__contains__, stems(word)))  # cached: met already by index_text
            if not forms:
                continue
            for form in forms:
                held = variants.get(form)
                if held is None:
                    variants[form] = {word}
                else:
                    held.add(word)
            if first := tuple(filter(firsts.__contains__, forms)):
                self.as_first[word] = first
            if second := tuple(filter(seconds.__contains__, forms)):
                self.as_second[word] = second
        self.seen |= new


class _Places:
    """Where the words of one story stand, for phrases, made on first need: the story's words
    that hold each form of a phrase, and the pairs of words that stand next to each other."""

    def __init__(self, terms: StoryTerms, phrase_words: _PhraseWords) -> None:
        self.terms, self.phrase_words = terms, phrase_words
        self.text = terms.text
        self.learned = False
        self._pairs: frozenset[tuple[str, str]] | None = None
        self._pairs_of_forms: set[str] | None = None
        self.cached: dict[tuple[str, ...], set[str]] = {}

    def words(self, forms: tuple[str, ...]) -> set[str]:
        """The story's words with one of `forms` (a phrase's word's) among their stems."""
        found = self.cached.get(forms)
        if found is None:
            self._learn()
            variants, words = self.phrase_words.variants, self.terms.words
            found = self.cached[forms] = set()
            for form in forms:
                held = variants.get(form)
                if held:
                    found |= words.intersection(held) if len(held) < len(words) else held.intersection(words)
        return found

    def _learn(self) -> None:
        if not self.learned:
            self.phrase_words.learn(self.terms.words)
            self.learned = True

    def pairs_of_forms(self) -> set[str]:
        """Every form of a phrase's first word and form of a phrase's second held by two words
        standing one after the other in the title or in the body, as "first second": the keys
        phrases are filed under (_Index.by_pair)."""
        if self._pairs_of_forms is None:
            self._learn()
            # Most words hold no such form (None): only the pairs of two that do are paired.
            sequence = (*self.terms.title, "", *self.terms.body)
            firsts = map(self.phrase_words.as_first.get, sequence)
            seconds = map(self.phrase_words.as_second.get, sequence[1:])
            pairs: set[str] = set()
            # filter(all, …) keeps the two words that both hold one, in C (None is false).
            both = cast("Iterator[tuple[tuple[str, ...], tuple[str, ...]]]", filter(all, zip(firsts, seconds, strict=False)))
            for first, second in both:
                pairs.update(map(" ".join, product(first, second)))
            self._pairs_of_forms = pairs
        return self._pairs_of_forms

    def pairs(self) -> frozenset[tuple[str, str]]:
        """Every two words standing one after the other, in the title or in the body (a
        place no word stands in between: a phrase never runs from the title into the body)."""
        if self._pairs is None:
            sequence = (*self.terms.title, "", *self.terms.body)
            self._pairs = frozenset(zip(sequence, sequence[1:], strict=False))
        return self._pairs


def _phrase_in(phrase: tuple[tuple[str, ...], ...], places: _Places) -> bool:
    """Whether words of these forms stand together, in this order, in the title or the body:
    the story's words that can stand in each place of the phrase (usually one or two), then
    the runs of them where each stands just before the next (a set lookup per two), and, for
    a phrase of three words or more, such a run found as a whole in the text (in C)."""
    runs: list[tuple[str, ...]] = [(word,) for word in places.words(phrase[0])]
    for forms in phrase[1:]:
        if not runs:
            return False
        nexts, pairs = places.words(forms), places.pairs()
        runs = [(*run, word) for run in runs for word in nexts if (run[-1], word) in pairs]
    if len(phrase) == 2 or not runs:
        return bool(runs)
    text = places.text
    return any(f" {' '.join(run)} " in text for run in runs)

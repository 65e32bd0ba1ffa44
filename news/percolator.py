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
  looks up the pairs of such stems held by two words standing together in it (what stems
  of phrases the words of stories hold is learned once per word, not stemmed again for
  every story: _PhraseWords; the places where two such words stand together are found in
  C): a phrase of two words found stands there; a longer one is checked further, its other
  words among the story's stems, then word by word where the first two stand;
- a "topic" group is filed under its slug, a "wilaya" one under its code, and matches every
  story filed under it (NewArticle.topics, NewArticle.regions): no check;
- follows that leave something out (`/follow الجزائر -كرة`: Follow.excluded) are groups of
  their own, and once found a group checks what it leaves out, once for all its chats (a word
  among the story's stems, a phrase where it stands).  A group of one word is then filed as
  one of several is, under its word's form again as its second, so that it comes out among the
  groups to check: the chats of the groups of one word that leave nothing out, most of them,
  are still gathered with no check at all (and while no group leaves anything out, the groups
  found are not checked either);
- mutes share the index (a story's stems are looked up once for both): the chats a story
  alerts are the union of the chats of the follow groups it matches less those of the mute
  groups it matches (a mute only ever suppresses), set operations in C over the groups'
  chats, not a check per chat.  Mutes are also kept by chat, for `muted`, one chat's
  listings (digest, /latest).

So matching (`Percolator.match`: which chats a story alerts, each with the ChatMatch of a
group it was found in, a Matches) costs the story's distinct stems and words, its topics and
wilayas, the groups found and their chats — not the number of follows held.  Expanding that
into one ChatMatch per chat alerted (`Matches.chats`, what the alert job does as it writes
one alert per chat) costs the list, and merging the follows of the few chats found in several
groups.  benchmarks/percolator_benchmark.py measures both, apart.

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
from collections.abc import Callable, Iterable, Iterator, KeysView, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import chain, compress, count, islice, product, repeat
from operator import attrgetter, itemgetter, not_
from typing import Any, NamedTuple, TypeVar, cast

from news.model import FOLLOW_KINDS, Article, Follow, NewArticle, SearchText
from news.names import spellings_named
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
    title, body = search.title_words.split(), search.body_words.split()
    story_words = frozenset(title + body)
    story_stems = f"{search.title_stems} {search.body_stems}".split()
    # A name the story holds in one script stands in it in the other too: `/follow Sonatrach`
    # alerts on «سوناطراك». The other spellings come after the body, so that a phrase can match
    # them (مولودية الجزائر for MCA) but none runs from the title into them.
    named = spellings_named(story_words, (title, body))
    if named:
        also = [word for spelling in named for word in spelling]
        story_words = story_words.union(also)
        story_stems += chain.from_iterable(map(stems, also))
        body += also
    return StoryTerms(
        words=story_words,
        stems=frozenset(story_stems),
        title=tuple(title),
        body=tuple(body),
        topics=frozenset(article.topics),
        regions=frozenset(article.regions),
    )


_EMPTY = SearchText()
_Key = TypeVar("_Key", str, int, tuple[str, str])


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

    __slots__ = ("anchor", "chats", "mute", "others", "phrase", "second")

    def __init__(
        self, mute: bool, anchor: tuple[str, ...] = (), second: tuple[str, ...] = (),
        others: tuple[tuple[str, ...], ...] = (), phrase: tuple[tuple[str, ...], ...] | None = None,
    ) -> None:
        self.mute = mute  # mutes: the chats it holds are the ones a match silences
        self.anchor = anchor  # the forms of its anchor word, which it is filed under
        self.second = second  # the forms of its second word (none for one word): filed under them too
        self.chats: _ByChat = {}
        self.others = others  # the forms of each of its other words: each must meet the story's stems
        self.phrase = phrase  # for a phrase, the forms of all its words in order

    def filed_second(self, form: str) -> tuple[str, ...]:
        """The forms it is filed under among the groups of several words, where its anchor's
        `form` files it: its second word's (none for one word)."""
        return self.second


class _GroupLeavingOut(_Group):
    """A group whose follows leave something out.  A class of its own, so that the groups
    of follows that leave nothing out, nearly all, keep their size (matching is bound by
    the cache lines it touches) and are told apart by their type, which costs no read."""

    __slots__ = ("leaving",)

    def __init__(self, leaving: _Leaving, mute: bool, *args: Any, **kwargs: Any) -> None:
        super().__init__(mute, *args, **kwargs)
        self.leaving = leaving

    def filed_second(self, form: str) -> tuple[str, ...]:
        """One word that leaves something out is filed under `form` again, as its second (the
        story holds it): its group is found among the groups to check."""
        return self.second or (form,)


class _Leaving:
    """What the follows of a group leave out: a story holding any of it matches none of them."""

    __slots__ = ("phrases", "words")

    def __init__(self, excluded: tuple[tuple[str, ...], ...]) -> None:
        self.words = tuple(_forms(item[0]) for item in excluded if len(item) == 1)
        self.phrases = tuple(tuple(map(_forms, item)) for item in excluded if len(item) > 1)

    def holds(self, terms: StoryTerms) -> bool:
        """Whether the story holds one of the words (by stem, as a followed word matches) or
        of the phrases (standing together, as a followed phrase does)."""
        disjoint = terms.stems.isdisjoint
        return not all(map(disjoint, self.words)) or any(
            not any(map(disjoint, phrase)) and _phrase_in(phrase, terms) for phrase in self.phrases
        )


# Mute or not, kind, terms, and what it leaves out when it does: the key of a follow that
# leaves nothing out is the three-tuple it was before exclusions (built for every follow held
# at start, its size decides where the groups made beside it lie: matching is memory-bound).
_GroupKey = tuple[bool, str, tuple[str, ...]] | tuple[bool, str, tuple[str, ...], tuple[tuple[str, ...], ...]]


def _group_key(follow: Follow) -> _GroupKey:
    if follow.excluded:
        return (follow.mute, follow.kind, follow.terms, follow.excluded)
    return (follow.mute, follow.kind, follow.terms)


# What is filed under one form of an anchor word, in one tuple (a story's stems find it with
# a cache miss or two, where an object holding a container for each would take one more
# miss each): the groups of several words, by each form of their second word (None when
# none); the chats of the groups of one word of mutes (chats only: all a story that holds the
# form needs of them); then those of the groups of one word of follows, each its own item.
_Filed = tuple[Any, ...]
_BY_SECOND, _MUTING, _ALONE = itemgetter(0), itemgetter(1), itemgetter(slice(2, None))
_NOTHING_FILED: _Filed = (None, ())


def _filing(filed: _Filed | None, group: _Group, form: str) -> _Filed:
    """What `form` files (`filed`, or None for nothing yet) with `group` filed there too."""
    filed = filed or _NOTHING_FILED
    seconds = group.filed_second(form)
    if seconds:
        by_second = filed[0]
        if by_second is None:
            by_second = {}
            filed = (by_second, *filed[1:])
        for other in seconds:
            by_second.setdefault(other, []).append(group)
        return filed
    if group.mute:
        return (filed[0], (*filed[1], group.chats), *filed[2:])
    return (*filed, group.chats)


def _unfiling(filed: _Filed, group: _Group, form: str) -> _Filed | None:
    """What `form` files without `group`; None when that is nothing."""
    seconds = group.filed_second(form)
    if seconds:
        for other in seconds:
            _unfile_group(filed[0], other, group)
        if not filed[0]:
            filed = (None, *filed[1:])
    elif group.mute:
        filed = (filed[0], _without(filed[1], group.chats), *filed[2:])
    else:
        filed = (*filed[:2], *_without(filed[2:], group.chats))
    return None if filed == _NOTHING_FILED else filed


def _without(held: tuple[_ByChat, ...], chats: _ByChat) -> tuple[_ByChat, ...]:
    # By identity: the chats of two groups may be equal (as one emptied).
    offset = next(offset for offset, other in enumerate(held) if other is chats)
    return held[:offset] + held[offset + 1 :]


_KEYS_DISJOINT = cast("Callable[[KeysView[str], AbstractSet[str]], bool]", type({}.keys()).isdisjoint)


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
        # Words groups, each filed under every form of its anchor (one entry a form, so that a
        # story's stems are looked up once): those of one word, which that finds, apart from
        # those of several, filed again under every form of their second word (the next
        # rarest), so that a story finds only the groups holding two of its words.
        self.groups: dict[_GroupKey, _Group] = {}
        self.by_form: dict[str, _Filed] = {}
        # Phrases, filed under every pair of forms of their first two words: a story finds
        # those whose first two words stand together among the pairs of forms standing
        # together in it (_Places.pairs_of_forms), by one set intersection in C; a phrase of
        # two words needs no more checking.
        self.by_pair: dict[tuple[str, str], list[_Group]] = {}
        # How many groups leave something out: while none does, groups found are not checked.
        self.leaving_out = 0

    def add(self, follow: Follow) -> None:
        key = _group_key(follow)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = self._group(follow)
        _file(group.chats, ChatMatch(follow.chat_id, (follow,)))

    def add_all(self, follows: Iterable[Follow]) -> None:
        """`add` each of many follows (those held at start), laid out in memory group by
        group: a story touches the ChatMatch of every chat of every group it matches, and
        their chat ids, a cache miss each where they lie scattered over the heap as follows
        come in any order.  Here each group's are made one group after the other, fresh
        objects (a chat id too: an int of its own beside them), so that those of one group
        lie side by side and gathering a group reads a few neighbouring cache lines.  Until
        then a group's dict holds its follows by id (nothing else made meanwhile).  On an
        empty index only."""
        groups = self.groups
        assert not groups
        waiting: list[_ByChat] = []
        for follow in follows:
            key = _group_key(follow)
            group = groups.get(key)
            if group is None:
                group = groups[key] = self._group(follow)
                waiting.append(group.chats)
            cast("dict[int, Follow]", group.chats)[follow.id] = follow
        for chats in waiting:
            held = cast("dict[int, Follow]", chats.copy())
            chats.clear()
            for follow in held.values():
                _file(chats, ChatMatch(_fresh(follow.chat_id), (follow,)))

    def _group(self, follow: Follow) -> _Group:
        made: Callable[..., _Group] = _Group
        if follow.excluded:
            made = partial(_GroupLeavingOut, _Leaving(follow.excluded))
            self.leaving_out += 1
        if follow.kind == "topic":
            group = made(follow.mute)
            self.by_topic.setdefault(follow.terms[0], []).append(group)
            return group
        if follow.kind == "wilaya":
            group = made(follow.mute)
            self.by_region.setdefault(int(follow.terms[0]), []).append(group)
            return group
        forms = tuple(map(_forms, follow.terms))
        if follow.kind == "phrase" and len(forms) > 1:
            # Filed under its first two words; the others are checked among the story's
            # stems before where they stand.
            group = made(follow.mute, others=forms[2:], phrase=forms)
            self.phrase_words.want(forms)
            for pair in product(forms[0], forms[1]):
                self.by_pair.setdefault(pair, []).append(group)
            return group
        order = self.rarest_first(follow.terms)
        anchor, second = forms[order[0]], forms[order[1]] if len(order) > 1 else ()
        group = made(follow.mute, anchor, second, tuple(forms[offset] for offset in order[2:]))
        for form in group.anchor:
            self.by_form[form] = _filing(self.by_form.get(form), group, form)
        return group

    def remove(self, follow: Follow) -> None:
        key = _group_key(follow)
        group = self.groups[key]
        _unfile_chat(group.chats, follow)
        if group.chats:
            return
        del self.groups[key]
        self.leaving_out -= bool(follow.excluded)
        if follow.kind == "topic":
            _unfile_group(self.by_topic, follow.terms[0], group)
        elif follow.kind == "wilaya":
            _unfile_group(self.by_region, int(follow.terms[0]), group)
        elif group.phrase:
            self.phrase_words.unwant(group.phrase)
            for pair in product(group.phrase[0], group.phrase[1]):
                _unfile_group(self.by_pair, pair, group)
        else:
            for form in group.anchor:
                left = _unfiling(self.by_form[form], group, form)
                if left is None:
                    del self.by_form[form]
                else:
                    self.by_form[form] = left

    def found(self, terms: StoryTerms, places: _Places) -> tuple[list[_ByChat], list[_ByChat]]:
        """The chats of each group of follows, and of each group of mutes, that match the
        story, each group once."""
        # The story's stems looked up once each among the forms groups are filed under (in C,
        # over its few hundred stems), and the groups of one word filed there, each once (a
        # group is filed under each form of its anchor word, and a story may hold several).
        stems = terms.stems
        filed = [*filter(None, map(self.by_form.get, stems))]
        follows, mutes = _distinct(chain.from_iterable(map(_ALONE, filed))), _distinct(chain.from_iterable(map(_MUTING, filed)))
        found = [
            *chain.from_iterable(filter(None, map(self.by_topic.get, terms.topics))),
            *chain.from_iterable(filter(None, map(self.by_region.get, terms.regions))),
        ]
        # Groups of several words: their anchor's forms among the story's stems, then their
        # second word's, met with the stems by iterating the smaller of the two (a popular
        # name is the anchor of thousands of groups, a story holds a few hundred stems).
        pairs: list[list[_Group]] = []
        size = len(stems)
        # Most meet none: that is told in C, each over the smaller of the two.
        by_seconds = [*filter(None, map(_BY_SECOND, filed))]
        apart = map(_KEYS_DISJOINT, map(dict.keys, by_seconds), repeat(stems))
        for by_second in compress(by_seconds, map(not_, apart)):
            seconds = stems.intersection(by_second) if len(by_second) <= size else by_second.keys() & stems
            pairs += map(by_second.__getitem__, seconds)
        disjoint = stems.isdisjoint
        found += (group for group in dict.fromkeys(chain.from_iterable(pairs))
                  if not group.others or not any(map(disjoint, group.others)))
        # Phrases whose first two words stand together; those of more words checked further:
        # their other words' forms among the story's stems, then word by word from the places
        # where phrases' first two words stand.
        by_pair = self.by_pair
        if by_pair:
            phrases = set(chain.from_iterable(map(by_pair.__getitem__, by_pair.keys() & places.pairs_of_forms())))
            found += (group for group in phrases if not group.others or (
                not any(map(disjoint, group.others)) and places.stands(cast("tuple[tuple[str, ...], ...]", group.phrase))))
        if self.leaving_out:
            found = [group for group in found
                     if type(group) is _Group or not cast("_GroupLeavingOut", group).leaving.holds(terms)]
        for group in found:  # a few: of several words, phrases, topics, wilayas
            (mutes if group.mute else follows).append(group.chats)
        return follows, mutes

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
    """What one story matched: the chats it alerts (those with a follow that matches it and no
    mute that does), each with the ChatMatch of the group of follows it was found in, and
    those found in several groups with the others' (merged by `chats`).  Iterating gives one
    ChatMatch per chat alerted, its follows from all the groups it is in (`chats()`): the
    alert job's expansion into one alert per chat."""

    __slots__ = ("found", "several")

    def __init__(self, found: _ByChat, several: dict[int, list[ChatMatch]]) -> None:
        self.found = found  # each chat alerted, with the ChatMatch of the last group it was found in
        self.several = several  # the chats found in several groups: the ChatMatch of the others

    def __len__(self) -> int:
        return len(self.found)

    def __iter__(self) -> Iterator[ChatMatch]:
        return iter(self.chats())

    def chats(self) -> list[ChatMatch]:
        """One ChatMatch per chat alerted, in no particular order; each with its matching
        follows by id."""
        found = self.found
        if self.several:
            for chat_id, more in self.several.items():
                held = found.get(chat_id)
                if held is not None:  # else muted
                    found[chat_id] = _merged(held, more)
            self.several = {}
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
        # Follows and mutes in one index (`_mutes` is the same: a story looks its stems up
        # once); mutes are also kept by chat, for one chat's listings.
        self._follows = self._mutes = _Index(frequencies or {}, self._phrase_words)
        self._mutes_of: dict[int, dict[int, Follow]] = {}
        # Those held at start all at once (the index laid out group by group: _Index.add_all);
        # a later one with the same id replaces an earlier, as add does.
        held = self._all = {follow.id: follow for follow in follows}
        for follow in held.values():
            _check(follow)
            if follow.mute:
                self._mutes_of.setdefault(follow.chat_id, {})[follow.id] = follow
        self._follows.add_all(held.values())

    def __len__(self) -> int:
        """How many follows and mutes it holds."""
        return len(self._all)

    def ids(self) -> set[int]:
        """The ids of the follows and mutes it holds."""
        return set(self._all)

    def held(self, follow_id: int) -> Follow | None:
        """The follow or mute of this id as it holds it (None: it holds none)."""
        return self._all.get(follow_id)

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

    def match(self, terms: StoryTerms) -> Matches:
        """The chats with a follow that matches the story and no mute that does, and the
        groups of follows it matches (see Matches: iterate it for one ChatMatch per chat)."""
        follows, mutes = self._follows.found(terms, _Places(terms, self._phrase_words))
        if not follows:
            return Matches({}, {})
        # The chats of the groups found, each once: gathered a whole group at a time (in C),
        # the biggest first (copied); only the chats found in several groups, which the
        # dicts' intersection tells (in C, over the smaller), are noted for merging.  Then
        # those of the mutes found are taken out (a mute only ever suppresses).
        follows.sort(key=len, reverse=True)
        found = follows[0].copy()
        alerted = found.keys()
        several: dict[int, list[ChatMatch]] = {}
        for chats in islice(follows, 1, None):
            if not alerted.isdisjoint(chats):  # told without making a set, as most are
                for chat_id in alerted & chats.keys():
                    several.setdefault(chat_id, []).append(found[chat_id])
            found.update(chats)
        for chats in mutes:
            if not alerted.isdisjoint(chats):
                for chat_id in alerted & chats.keys():
                    del found[chat_id]
        return Matches(found, several)

    def has_mutes(self, chat_id: int) -> bool:
        """Whether the chat muted anything (most did not: their listings cost nothing more)."""
        return chat_id in self._mutes_of

    def muted(self, chat_id: int, terms: StoryTerms) -> bool:
        """Whether one of the chat's mutes matches the story: keep it out of its listings."""
        mutes = self._mutes_of.get(chat_id)
        if mutes is None:
            return False
        return any(_matches(mute, terms) for mute in mutes.values())


def stem_frequencies(stories: Iterable[StoryTerms]) -> Counter[str]:
    """How many of `stories` hold each stem: a Percolator's `frequencies`, from a sample of
    recent stories (a few thousand are plenty: what matters is telling الجزائر from
    سوناطراك, not a precise count)."""
    counts: Counter[str] = Counter()
    for terms in stories:
        counts.update(terms.stems)
    return counts


def _merged(held: ChatMatch, more: Iterable[ChatMatch]) -> ChatMatch:
    """One chat's match with the follows of all, by id (a follow is in one group only: those
    merged are distinct)."""
    follows = [*held.follows]
    for match in more:
        follows += match.follows
    follows.sort(key=_BY_ID)
    return ChatMatch(held.chat_id, tuple(follows))


_BY_ID = attrgetter("id")


def _fresh(number: int) -> int:
    """An int object of its own equal to `number`, made now (beside what is made with it:
    ints past 256 are not shared)."""
    return number + 0


def _file(chats: _ByChat, alone: ChatMatch) -> None:
    held = chats.get(alone.chat_id)
    chats[alone.chat_id] = alone if held is None else _merged(held, (alone,))


def _unfile_chat(chats: _ByChat, follow: Follow) -> None:
    rest = tuple(other for other in chats[follow.chat_id].follows if other.id != follow.id)
    if rest:
        chats[follow.chat_id] = ChatMatch(follow.chat_id, rest)
    else:
        del chats[follow.chat_id]


def _distinct(chats: Iterable[_ByChat]) -> list[_ByChat]:
    """Each group's chats once, told apart by identity (id(), in C: neither the dicts nor
    their groups are read, which on a big heap is a cache miss each)."""
    held = list(chats)
    return list(dict(zip(map(id, held), held, strict=True)).values())


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
    if follow.excluded and (follow.mute or not all(item and all(item) for item in follow.excluded)):
        raise ValueError(f"follow {follow.id}: nothing to leave out in {follow.excluded!r}, or a mute")


@lru_cache(maxsize=1 << 18)
def _forms(term: str) -> tuple[str, ...]:
    """The forms a word is looked up by among a story's stems: all its candidate stems (the
    word itself among them).  A story word matches when its stems meet these, which is
    news.text.same_word and /search's highlighting (Query.matches)."""
    return tuple(sorted(stems(term)))


def _matches(follow: Follow, terms: StoryTerms) -> bool:
    """Whether one follow (or mute) matches the story, checked alone: for one chat's mutes."""
    if follow.kind == "topic":
        return follow.terms[0] in terms.topics
    if follow.kind == "wilaya":
        return int(follow.terms[0]) in terms.regions
    forms = tuple(map(_forms, follow.terms))
    if any(map(terms.stems.isdisjoint, forms)):
        return False
    return follow.kind != "phrase" or _phrase_in(forms, terms)


class _PhraseWords:
    """The forms phrases' first and second words have, and which words seen in stories hold
    them, learned once per word rather than once per story (after a while, a story brings a
    handful of new words):

    - `nexts`: for each form of a phrase's first word, the forms of the second words that
      follow it in phrases (counted, one per phrase); `seconds`: every second word's forms;
    - `as_first`, `as_second`: the first-word and second-word forms of each seen word holding
      some, and `as_next`: the second-word forms that may follow it in a phrase, so that
      the places where two words of a phrase may stand together in a story are found in C
      (_Places.pairs_of_forms).

    A pair of forms newly wanted may be held by words seen before it was: then all is
    forgotten and learned again from the next stories; so too past SEEN_AT_MOST words, to
    bound the memory."""

    SEEN_AT_MOST = 1 << 17

    def __init__(self) -> None:
        self.nexts: dict[str, Counter[str]] = {}
        self.seconds: Counter[str] = Counter()
        self.seen: set[str] = set()
        self.as_first: dict[str, AbstractSet[str]] = {}
        self.as_next: dict[str, frozenset[str]] = {}
        self.as_second: dict[str, AbstractSet[str]] = {}

    def want(self, phrase: tuple[tuple[str, ...], ...]) -> None:
        for first, second in product(phrase[0], phrase[1]):
            nexts = self.nexts.setdefault(first, Counter())
            if not nexts[second]:
                self.forget()
            nexts[second] += 1
            self.seconds[second] += 1

    def unwant(self, phrase: tuple[tuple[str, ...], ...]) -> None:
        # What was learned of a pair no longer wanted stays true (a place found for it finds
        # no phrase filed there): no need to forget it.
        for first, second in product(phrase[0], phrase[1]):
            nexts = self.nexts[first]
            for counts, form in ((nexts, second), (self.seconds, second)):
                counts[form] -= 1
                if not counts[form]:
                    del counts[form]
            if not nexts:
                del self.nexts[first]

    def forget(self) -> None:
        for learned in (self.seen, self.as_first, self.as_next, self.as_second):
            learned.clear()

    def learn(self, words: frozenset[str]) -> None:
        """Note which wanted forms the story's words not seen before hold (the words' stems
        met with the forms wanted, in C), and what may follow those holding a first word's."""
        new: AbstractSet[str] = words.difference(self.seen)
        if not new:
            return
        if len(self.seen) + len(new) > self.SEEN_AT_MOST:
            self.forget()
            new = words
        held = list(map(stems, new))  # cached: met already by index_text
        # Most words hold no wanted form: told in C without making a set for each.
        firsts, seconds = self.nexts.keys(), self.seconds.keys()
        for word, forms in compress(zip(new, held, strict=True), map(not_, map(firsts.isdisjoint, held))):
            self.as_first[word] = held_firsts = firsts & forms
            self.as_next[word] = frozenset().union(*map(self.nexts.__getitem__, held_firsts))
        for word, forms in compress(zip(new, held, strict=True), map(not_, map(seconds.isdisjoint, held))):
            self.as_second[word] = seconds & forms
        self.seen |= new


_NONE: frozenset[str] = frozenset()


class _Places:
    """Where the words of one story stand, for phrases: the pairs of forms of a phrase's
    first and second word held by two words standing together, and the places they stand
    (pairs_of_forms, made when the index holds phrases)."""

    def __init__(self, terms: StoryTerms, phrase_words: _PhraseWords) -> None:
        self.terms, self.phrase_words = terms, phrase_words
        self.sequence: tuple[str, ...] = ()
        self.places: list[bool] = []  # whether each place begins such a pair

    def pairs_of_forms(self) -> set[tuple[str, str]]:
        """Every form of a phrase's first word and form of its second held by two words
        standing one after the other in the title or in the body: the keys phrases are
        filed under (_Index.by_pair).  All in C: the places where a word holding a form that
        may follow this one in a phrase follows it (most words hold none: _NONE), then the
        forms of the two words at each of those few places, paired."""
        words = self.phrase_words
        words.learn(self.terms.words)
        as_first, as_second = words.as_first, words.as_second
        # The title's words, an empty place, the body's (a phrase never runs from one into
        # the other: no word holds the forms of a phrase's word there).
        sequence = self.sequence = _sequence(self.terms)
        nexts = sequence[1:]
        holding = map(words.as_next.get, sequence, repeat(_NONE)), map(as_second.get, nexts, repeat(_NONE))
        apart = map(frozenset.isdisjoint, *holding)
        self.places = places = list(map(not_, apart))
        firsts = map(as_first.__getitem__, compress(sequence, places))
        seconds = map(as_second.__getitem__, compress(nexts, places))
        return set(chain.from_iterable(map(product, firsts, seconds)))

    def stands(self, phrase: tuple[tuple[str, ...], ...]) -> bool:
        """Whether the phrase's words stand together, in order, at one of the places where
        two words holding forms of phrases' first and second words stand (its first two
        words met with the forms learned of the two words there, the others' with their
        stems)."""
        sequence, first, second = self.sequence, phrase[0], phrase[1]
        as_first, as_second = self.phrase_words.as_first, self.phrase_words.as_second
        return any(
            not as_first[sequence[place]].isdisjoint(first) and not as_second[sequence[place + 1]].isdisjoint(second)
            and _stands_at(phrase, sequence, place + 2, 2)
            for place in compress(count(), self.places)
        )


def _sequence(terms: StoryTerms) -> tuple[str, ...]:
    return (*terms.title, "", *terms.body)


def _stands_at(phrase: tuple[tuple[str, ...], ...], sequence: tuple[str, ...], place: int, start: int) -> bool:
    """Whether the words of `sequence` from `place` on hold the forms of the phrase's words
    from its `start`-th on, one word each, in turn (the empty place between title and body
    holds none)."""
    rest = phrase[start:]
    words = sequence[place : place + len(rest)]
    return len(words) == len(rest) and not any(map(_disjoint, map(stems, words), rest))


_disjoint = frozenset.isdisjoint


def _phrase_in(phrase: tuple[tuple[str, ...], ...], terms: StoryTerms) -> bool:
    """Whether words of these forms stand together, in this order, in the title or the body
    (one phrase checked alone: one chat's mutes)."""
    firsts = {word for word in terms.words if not stems(word).isdisjoint(phrase[0])}
    if not firsts:
        return False
    sequence = _sequence(terms)
    return any(_stands_at(phrase, sequence, place + 1, 1) for place, word in enumerate(sequence) if word in firsts)

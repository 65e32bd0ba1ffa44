"""Which chats a new story concerns: every chat's follows and mutes matched at once.

A search engine matches one query against many documents; alerts need the reverse, one new
document against many stored queries — a percolator.  Looping over chats would cost the
number of follows for every story; instead each follow is filed under a key the story must
hold for it to match, and a story looks up only its own keys:

- "words" and "phrase" follows are grouped by their terms (the 500 chats following سوناطراك
  are one group), and a group is filed under ONE of its words, its anchor, by each of that
  word's candidate stems (news.text.stems: the story must hold one of them among its stems
  for the word to match).  A story intersects its distinct stems (a few hundred) with those
  keys, and checks each group found — the candidates — once: its other words, each among
  the story's stems; a phrase's words, standing together.  A group that passes gives all its
  chats at once, their ChatMatch made when they were added.
  The anchor is the word the fewest stories hold, when the percolator is given stem counts
  of recent stories (`frequencies`, from stem_frequencies): الجزائر is long and in every
  other story.  Without counts, the word whose shortest stem is longest (then: with the
  fewest stems): short forms are the common ones (عمل، قال، يوم، les), long ones names and
  specific nouns (سوناطراك، الاستثمار), and the shortest stem is the one most stories hold;
- a "topic" follow is filed under its slug, a "wilaya" one under its code, and matches every
  story filed under it (NewArticle.topics, NewArticle.regions): no check;
- mutes are filed the same way in an index of their own: the chats a story silences are
  found like the chats it alerts, and taken out of them (a mute only ever suppresses).  They
  are also kept by chat, for `muted`, one chat's listings (digest, /latest).

So matching costs the story's distinct stems, its topics and wilayas, the candidates and the
chats alerted — not the number of follows held.  benchmarks/percolator_benchmark.py measures
it: an index 300 times bigger that alerts the same chats costs about twice as much (a bigger
hash table is slower to probe), while every chat alerted and every candidate checked costs
a few tenths of a microsecond to a microsecond.

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
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import attrgetter
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
    """The follows of the same words (or the same phrase), of every chat that has one: what
    is left to check once its anchor (and second word) is found is checked once for all of them."""

    __slots__ = ("anchor", "chats", "others", "phrase", "second", "text")

    def __init__(
        self, anchor: tuple[str, ...], second: tuple[str, ...], others: tuple[tuple[str, ...], ...],
        phrase: tuple[tuple[str, ...], ...] | None, text: str,
    ) -> None:
        self.anchor = anchor  # the forms of its anchor word, which it is filed under
        self.second = second  # the forms of its second word (none for one word): filed under them too
        self.chats: _ByChat = {}
        self.others = others  # the forms of each of its other words: each must meet the story's stems
        self.phrase = phrase  # for a phrase, the forms of all its words in order
        self.text = text  # for a phrase, its words as typed, between spaces: found as such, no more to check


_chats_of = attrgetter("chats")


class _Index:
    """Follows (or mutes) filed under the keys a story must hold for them to match."""

    def __init__(self, frequencies: Mapping[str, int], phrase_forms: Counter[str]) -> None:
        self.frequencies = frequencies
        self.phrase_forms = phrase_forms  # how many phrase groups have each form (shared)
        # Topic and wilaya follows by their slug and code: whatever these find matches.
        self.by_topic: dict[str, _ByChat] = {}
        self.by_region: dict[int, _ByChat] = {}
        # Words and phrase follows, grouped by what they are, each group filed under every
        # form of its anchor: those of one word, which that finds, apart from those of several,
        # filed again under every form of their second word (the next rarest), so that a
        # story finds only the groups holding two of its words by two set intersections in C.
        self.groups: dict[tuple[str, tuple[str, ...]], _Group] = {}
        self.one_word: dict[str, list[_Group]] = {}
        self.by_anchor: dict[str, dict[str, list[_Group]]] = {}

    def add(self, follow: Follow) -> None:
        alone = ChatMatch(follow.chat_id, (follow,))
        if follow.kind == "topic":
            _file(self.by_topic.setdefault(follow.terms[0], {}), alone)
        elif follow.kind == "wilaya":
            _file(self.by_region.setdefault(int(follow.terms[0]), {}), alone)
        else:
            key = (follow.kind, follow.terms)
            group = self.groups.get(key)
            if group is None:
                order = self.rarest_first(follow.terms)
                forms = tuple(map(_forms, follow.terms))
                phrase = forms if follow.kind == "phrase" and len(forms) > 1 else None
                text = f" {' '.join(follow.terms)} " if phrase else ""
                anchor, second = forms[order[0]], forms[order[1]] if len(order) > 1 else ()
                others = tuple(forms[offset] for offset in order[2:])
                group = self.groups[key] = _Group(anchor, second, others, phrase, text)
                if phrase:
                    self.phrase_forms.update(form for word in phrase for form in word)
                for form in group.anchor:
                    if group.second:
                        by_second = self.by_anchor.setdefault(form, {})
                        for other in group.second:
                            by_second.setdefault(other, []).append(group)
                    else:
                        self.one_word.setdefault(form, []).append(group)
            _file(group.chats, alone)

    def remove(self, follow: Follow) -> None:
        if follow.kind == "topic":
            _unfile(self.by_topic, follow.terms[0], follow)
        elif follow.kind == "wilaya":
            _unfile(self.by_region, int(follow.terms[0]), follow)
        else:
            key = (follow.kind, follow.terms)
            group = self.groups[key]
            _unfile_chat(group.chats, follow)
            if not group.chats:
                del self.groups[key]
                if group.phrase:
                    for form in (form for word in group.phrase for form in word):
                        self.phrase_forms[form] -= 1
                        if not self.phrase_forms[form]:
                            del self.phrase_forms[form]
                for form in group.anchor:
                    if group.second:
                        by_second = self.by_anchor[form]
                        for other in group.second:
                            _unfile_group(by_second, other, group)
                        if not by_second:
                            del self.by_anchor[form]
                    else:
                        _unfile_group(self.one_word, form, group)

    def found(self, terms: StoryTerms, places: _Places) -> list[_ByChat]:
        """The chats of each key here that matches the story (a chat may be in several),
        with their follows filed there."""
        # The story's stems that are keys, by a set intersection (in C, over its few hundred
        # stems), and the groups filed there, each once (a group is filed under each form of
        # its anchor word, and a story may hold several): in C too, for it is the bulk.
        stems, one_word, by_anchor = terms.stems, self.one_word, self.by_anchor
        sure = [*map(self.by_topic.get, terms.topics), *map(self.by_region.get, terms.regions)]
        sure += map(_chats_of, dict.fromkeys(chain.from_iterable(map(one_word.__getitem__, one_word.keys() & stems))))
        # Groups of several words: their anchor's forms among the story's stems, then their
        # second word's (a small dict met with the stems: stems.intersection iterates the dict).
        pairs = chain.from_iterable(
            map(by_second.__getitem__, stems.intersection(by_second))
            for by_second in map(by_anchor.__getitem__, by_anchor.keys() & stems)
        )
        disjoint = stems.isdisjoint
        for group in dict.fromkeys(chain.from_iterable(pairs)):
            if group.others and any(map(disjoint, group.others)):
                continue
            if group.phrase is None or group.text in places.text or _phrase_in(group.phrase, places):
                sure.append(group.chats)
        return [chats for chats in sure if chats]

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
        self._phrase_forms: Counter[str] = Counter()  # where words stand is only wanted for these
        self._follows = _Index(frequencies or {}, self._phrase_forms)
        # Mutes are filed the same way, to find the chats a story silences; and by chat, for
        # one chat's listings.
        self._mutes = _Index(frequencies or {}, self._phrase_forms)
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
        if follow.mute:
            self._mutes.add(follow)
            self._mutes_of.setdefault(follow.chat_id, {})[follow.id] = follow
        else:
            self._follows.add(follow)

    def remove(self, follow_id: int) -> Follow | None:
        """Forget a follow or mute; the one forgotten, or None if it was not held."""
        follow = self._all.pop(follow_id, None)
        if follow is None:
            return None
        if follow.mute:
            self._mutes.remove(follow)
            mutes = self._mutes_of[follow.chat_id]
            del mutes[follow_id]
            if not mutes:
                del self._mutes_of[follow.chat_id]
        else:
            self._follows.remove(follow)
        return follow

    def match(self, terms: StoryTerms) -> list[ChatMatch]:
        """One ChatMatch per chat with a follow that matches the story and no mute that does,
        in no particular order; each with its matching follows by id."""
        places = _Places(terms, self._phrase_forms)
        found = _gathered(self._follows.found(terms, places))
        if found and self._mutes_of:
            # Mutes matter only for the chats found: each key's muting chats met with them
            # (in C, over the smaller of the two), none of the others gathered.
            for muting in self._mutes.found(terms, places):
                for chat_id in found.keys() & muting.keys():
                    del found[chat_id]
        return list(found.values())

    def has_mutes(self, chat_id: int) -> bool:
        """Whether the chat muted anything (most did not: their listings cost nothing more)."""
        return chat_id in self._mutes_of

    def muted(self, chat_id: int, terms: StoryTerms) -> bool:
        """Whether one of the chat's mutes matches the story: keep it out of its listings."""
        mutes = self._mutes_of.get(chat_id)
        if mutes is None:
            return False
        places = _Places(terms, self._phrase_forms)
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


def _unfile_group(index: dict[str, list[_Group]], form: str, group: _Group) -> None:
    index[form].remove(group)
    if not index[form]:
        del index[form]


def _unfile(index: dict[_Key, _ByChat], key: _Key, follow: Follow) -> None:
    _unfile_chat(index[key], follow)
    if not index[key]:
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


class _Places:
    """Where the words of one story stand, for phrases: the title's words from 0, then, after
    a place no word stands in, the body's.  Made on first need, and only for the forms some
    phrase has (`wanted`): most of a story's stems no phrase asks for."""

    def __init__(self, terms: StoryTerms, wanted: Container[str]) -> None:
        self.terms, self.wanted = terms, wanted
        self.text = terms.text
        self.by_form: dict[str, list[int]] | None = None
        self.cached: dict[tuple[str, ...], set[int]] = {}

    def of(self, forms: tuple[str, ...]) -> set[int]:
        """Where the words with one of `forms` among their stems stand."""
        at = self.cached.get(forms)
        if at is None:
            if self.by_form is None:
                self.by_form = self._by_form()
            at = self.cached[forms] = {index for form in forms for index in self.by_form.get(form, ())}
        return at

    def _by_form(self) -> dict[str, list[int]]:
        where: dict[str, list[int]] = {}
        for index, word in enumerate((*self.terms.title, "", *self.terms.body)):
            where.setdefault(word, []).append(index)
        del where[""]
        by_form: dict[str, list[int]] = {}
        wanted = self.wanted
        for word, indexes in where.items():
            for stem in _forms(word):  # cached: a story repeats the words of others
                if stem in wanted:
                    by_form.setdefault(stem, []).extend(indexes)
        return by_form


_NEXT = (1).__add__


def _phrase_in(phrase: tuple[tuple[str, ...], ...], places: _Places) -> bool:
    """Whether words of these forms stand together, in this order, in the title or the body:
    the places of its first word, kept where the next word stands just after, and so on (in
    C, on sets kept for the story, so that phrases sharing a word share the work)."""
    at = places.of(phrase[0])
    for forms in phrase[1:]:
        at = places.of(forms).intersection(map(_NEXT, at))
        if not at:
            return False
    return bool(at)

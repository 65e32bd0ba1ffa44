"""One story, many sources: which stored headline's story a new one tells.

Two headlines tell one event when, read through their keys (news.story_key: paraphrases
folded to one concept, numbers read alike in digits and words, outlets' prefixes dropped):

- no fact sets them apart: a different place (wilaya, town, country), a different number, a
  different person (a surname alone matches its full name) or a different organisation, law or
  post of the same kind (وزير الداخلية / وزير الصحة) is a different event, however alike the
  rest of the wording («وفاة شخصين في حادث مرور بالأغواط» / «…بالبيض»);
- and two fifths of the shorter one's words are in the longer one (at least two: outlets
  word one event very differently, and the facts above tell the look-alikes apart), or, when
  both have a body, most of their first sentences' words are shared;
- and they are close in time: the bar rises with the time between them, and after WINDOW a
  retelling is a new story.

`StoryMatcher` holds the recent headlines' keys, indexed by token, and finds a new one's
story among the few that share its rarer tokens.  It is the one place where stories are
decided: ingestion files each new article with it, and /latest, digests, search and alerts
read the stories it decided (articles.story_id).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain

from news.story_key import ENTITY_CONCEPTS, GIVEN, GUESSED, OPPOSITE_CONCEPTS, ROLES, StoryKey, story_key

__all__ = ["WINDOW", "StoryKey", "StoryMatcher", "same_event", "story_key"]

WINDOW = timedelta(hours=36)
# Up to this gap the bar is at its lowest; it then rises linearly until WINDOW.
_CLOSE = timedelta(hours=6)
TITLE_BAR = 0.6  # share of the shorter headline's tokens found in the other
# Added to the bar at WINDOW: past about 30 hours even the same words are a new event (the
# next day's hail, the same bulletin reissued).
TITLE_BAR_RISE = 0.5
MIN_SHARED = 2
# Headlines that tell no act the other does not (the same people or places doing two things:
# تعيين بلخلفة… / بلخلفة يزور…), no fact setting them apart, a few hours apart at most, need a
# lower share: outlets word one event their own way and add their own details (a beach, a
# town, a figure).  Lower still when they share this many tokens.
TITLE_BAR_PARAPHRASE = 0.4
WELL_SHARED = 3
TITLE_BAR_WELL_SHARED = 0.34
# A headline whose words, this many at least and this share of them, are found in the other's
# first sentences (a lead holds many words: the bar is a headline's own, never lowered).
CROSS_MIN_SHARED = 3
CROSS_BAR = 0.6
LEAD_BAR = 0.45  # share of the shorter lead's tokens found in the other
LEAD_MIN_SHARED = 5
# Two headlines alike enough whose bodies' first sentences, each of this many tokens at least,
# share less than LEAD_VETO of the shorter's are two events told in one template («قرار جديد
# لوزارة التجارة»: a price cap, a ban on imports).  The same event's leads share over half.
LEAD_VETO = 0.3
LEAD_VETO_TOKENS = 8
# A token found in this many recent headlines (or leads) says nothing about which story a
# headline tells (الجزائر, وزير…); skipping it keeps matching fast when thousands arrive at once.
_COMMON = 400
_LEAD_COMMON = 50
# Candidates are looked up by this many of a headline's (or lead's) rarest tokens; a lead's
# candidate shares at least _LEAD_MIN_RARE of them.
_RAREST = 10
_LEAD_MIN_RARE = 3
# Of the candidates sharing tokens, only the ones sharing the most are judged.
_JUDGED = 6


def _differ(one: frozenset[str], other: frozenset[str]) -> bool:
    """Two sets of facts of one kind disagree: each names something the other does not
    («بوهران» / «بعنابة»).  One naming more (the town and its wilaya) is no disagreement."""
    return bool(one) and bool(other) and not one <= other and not other <= one


def _same_name(one: str, other: str) -> bool:
    """Two names of an organisation or post name the same one: equal, or the shorter begins the
    longer (بنك الفلاحة / بنك الفلاحة والتنمية الريفية; not بنك الجزائر / البنك الوطني الجزائري)."""
    if len(one) > len(other):
        one, other = other, one
    return other.startswith(one) and (len(one) == len(other) or other[len(one)] == " ")


def _named_among(names: Iterable[str], others: frozenset[str]) -> bool:
    return all(any(_same_name(name, other) for other in others) for name in names)


def _entities_differ(one: frozenset[tuple[str, str]], other: frozenset[tuple[str, str]]) -> bool:
    """Two headlines name different organisations, posts or laws of one class: each names one
    the other does not (وزير الداخلية / وزير الصحة)."""
    if not one or not other:
        return False
    for kind in {kind for kind, _ in one} & {kind for kind, _ in other}:
        mine = frozenset(name for k, name in one if k == kind)
        theirs = frozenset(name for k, name in other if k == kind)
        if not _named_among(mine, theirs) and not _named_among(theirs, mine):
            return True
    return False


_OPPOSED = frozenset(chain.from_iterable(OPPOSITE_CONCEPTS))


def _opposite_acts(new: frozenset[str], old: frozenset[str]) -> bool:
    """One headline tells an act, the other its opposite (تعيين / إنهاء مهام, فوز / خسارة)."""
    for one, other in OPPOSITE_CONCEPTS:
        if one in new and other in old and other not in new and one not in old:
            return True
        if other in new and one in old and one not in new and other not in old:
            return True
    return False


def _other_acts(new: StoryKey, old: StoryKey) -> bool:
    """Each headline tells an act of the lexicon the other does not (تعيين … / … يزور): the
    same people or places doing two things.  (When it is said, المقبل، منذ, is no act: loose.)"""
    return any(token[0] == "@" for token in new.tokens - old.tokens - new.loose) and any(
        token[0] == "@" for token in old.tokens - new.tokens - old.loose
    )


_ALGERIA_TOKEN = "=country:dz"


def _specific(shared: frozenset[str]) -> int:
    """How many of the shared tokens (up to 3) say which event, not what kind: a name, a place,
    a number, an organisation or a word no table knows — not acts of the lexicon nor Algeria
    (انفجار قارورة غاز يخلف جرحى بالوادي / 15 إصابة بالحصبة في الوادي share an act and a place:
    two events)."""
    found = 0
    for token in shared:
        if (token[0] != "@" or token in ENTITY_CONCEPTS) and token != _ALGERIA_TOKEN:
            found += 1
            if found == 3:
                break
    return found


def _persons_differ(new: StoryKey, old: StoryKey) -> bool:
    """Each headline names someone the other does not name at all — not as a person, nor among
    its words (تعيين لطفي حداد / تعيين حداد: لطفي read as a family name, حداد said in both) —
    and one of them at least is told as a person (a first name, a title, بن, initials), not
    only guessed from where a word stands (شاب ينقذ… / صورة مؤثرة…: two common nouns)."""
    mine, theirs = _unnamed(new.persons, old), _unnamed(old.persons, new)
    if mine is None or theirs is None:
        return False
    if mine and theirs:
        # Two guessed names are two people where they stand in one template (إصابة محرز… /
        # إصابة عوار…): the rest of the two headlines alike but for a word each.
        return len(new.tokens - old.tokens) <= _GUESSED_APART and len(old.tokens - new.tokens) <= _GUESSED_APART
    return True


# Words of each headline the other lacks, its guessed name among them, up to which two guessed
# names tell two people.
_GUESSED_APART = 2


def _unnamed(persons: frozenset[str], other: StoryKey) -> bool | None:
    """Whether someone of `persons` the other headline does not name is only a guessed name
    (True), or told as one (False); None when the other names them all.  Not named: not as a
    person, and no word of the name among its words (ramy_bensebaini is named by
    «Bensebaini»); a person of the other whose family name folds alike but is written
    otherwise (زروقي / زروق), whose first name is another, or whose first name is the same with
    another family name, is someone else."""
    found = None
    theirs: dict[str, set[str]] = {}  # family name → the first names said with it
    for their in other.persons:
        family, _, given = their.lstrip(GUESSED).partition(GIVEN)
        theirs.setdefault(family, set()).add(given)
    for person in persons:
        family, _, given = person.lstrip(GUESSED).partition(GIVEN)
        if family in theirs:
            givens = theirs[family] - {""}
            if not given or not givens or given in givens:
                continue
        elif not (given and any(given in givens for givens in theirs.values())):
            # (one first name with two family names: Nassim Bensaci / Nassim Bensalah)
            name = family.split("|")[0]
            if not other.tokens.isdisjoint((*name.split("_"), *given.split("_"))) and not any(
                their.split("|")[0] == name for their in theirs
            ):
                continue
        if person[0] != GUESSED:
            return False
        found = True
    return found


def conflict(new: StoryKey, old: StoryKey) -> bool:
    """Whether a fact of the two headlines tells them apart: a place, a number, a person, an
    organisation, or opposite acts.

    The places are the headlines', or their first sentences' when a headline names none
    («حادث مأساوي على الطريق الوطني»: at Laghouat, or at Djelfa); when both have a body, one's
    places all said in the other's headline or first sentences are no disagreement (تربص الخضر
    بسيدي موسى / الخضر يستعدون لمواجهة غينيا, both bodies saying both).  (Called for most
    candidates that share enough words: the cheap tests first, inline.)"""
    mine, theirs = new.places or new.lead_places, old.places or old.lead_places
    if (
        mine and theirs and not (mine <= theirs or theirs <= mine)
        and not (
            new.lead_places and old.lead_places
            and (mine <= old.places | old.lead_places or theirs <= new.places | new.lead_places)
        )
    ):
        return True
    if _differ(new.numbers, old.numbers) or (_differ(new.persons, old.persons) and _persons_differ(new, old)):
        return True
    if new.entities and old.entities and _entities_differ(new.entities, old.entities):
        return True
    if (mine := new.tokens & ROLES) and (theirs := old.tokens & ROLES) and not (mine <= theirs or theirs <= mine):
        return True  # وزير الفلاحة… / والي سطيف…: two people's acts
    return not _OPPOSED.isdisjoint(new.tokens) and _opposite_acts(new.tokens, old.tokens)


def similarity(new: StoryKey, old: StoryKey, gap: timedelta) -> float:
    """How far above its bar the pair stands (≥ 0: the same event): the share of the shorter
    headline's tokens found in the other or, when both have one, of the shorter lead's; -1
    when they share too little, a fact tells them apart or they are too far apart in time.
    (Called for every candidate: written out rather than split into smaller functions.)"""
    gap = abs(gap)
    if gap > WINDOW or new.french is not old.french:
        # An Arabic and a French headline share no words but concepts and numbers: joining
        # them is not measured, so they stay two stories.
        return -1.0
    rise = 0.0 if gap <= _CLOSE else TITLE_BAR_RISE * (gap - _CLOSE) / (WINDOW - _CLOSE)
    shared = len(new.tokens & old.tokens)
    if shared < MIN_SHARED:
        score = -1.0
    else:
        # A verb no table knows, said by one outlet only, counts neither way (يعتزم / تستعد).
        sizes = len(new.tokens), len(old.tokens)
        if new.loose or old.loose:
            sizes = len(new.tokens) - len(new.loose - old.tokens), len(old.tokens) - len(old.loose - new.tokens)
        score = shared / max(min(sizes), shared) - TITLE_BAR - rise
        if score < 0 and gap <= _CLOSE:
            lower = TITLE_BAR - (TITLE_BAR_WELL_SHARED if shared >= WELL_SHARED else TITLE_BAR_PARAPHRASE)
            if score + lower >= 0 and _specific(new.tokens & old.tokens) >= 2 and not _other_acts(new, old):
                score += lower
    if score < 0 and (new.lead or old.lead):
        # A teaser's event told only in its first sentences (بيان هام من وزارة التربية): the
        # other headline's words found there.
        for title, lead in ((new.tokens, old.lead), (old.tokens, new.lead)):
            if lead and len(title) >= CROSS_MIN_SHARED and (shared := len(title & lead)) >= CROSS_MIN_SHARED:
                score = max(score, shared / len(title) - CROSS_BAR - rise)
    if new.lead and old.lead:
        shorter = min(len(new.lead), len(old.lead))
        shared = len(new.lead & old.lead)
        if score < 0:
            if shared >= LEAD_MIN_SHARED:
                score = shared / shorter - LEAD_BAR - rise
        elif shorter >= LEAD_VETO_TOKENS and shared < LEAD_VETO * shorter:
            return -1.0
    # The facts are checked last: most candidates share too few words to need it.
    if score < 0 or conflict(new, old):
        return -1.0
    return score


def same_event(new: StoryKey, old: StoryKey, gap: timedelta) -> bool:
    return similarity(new, old, gap) >= 0


_NONE: set[int] = set()  # an empty posting, only ever read


@dataclass(slots=True)
class _Entry:
    article_id: int
    story_id: int
    at: datetime
    key: StoryKey


class StoryMatcher:
    """Recent headlines in memory, indexed by token, to find the story a new one belongs to."""

    def __init__(self, window: timedelta = WINDOW) -> None:
        self._window = window
        self._entries: deque[_Entry] = deque()
        self._by_token: dict[str, set[int]] = defaultdict(set)
        self._by_lead: dict[str, set[int]] = defaultdict(set)
        self._by_number: dict[str, set[int]] = defaultdict(set)
        # The postings again, of the headlines that name no number only: a headline naming a
        # number keeps of each posting these and the ones naming one of its numbers, read
        # here rather than by taking every numbered headline out of the posting (when most
        # headlines name a number, as dated bulletins do, that was most of matching's time).
        self._unnumbered_by_token: dict[str, set[int]] = defaultdict(set)
        self._unnumbered_by_lead: dict[str, set[int]] = defaultdict(set)
        self._by_id: dict[int, _Entry] = {}

    def __len__(self) -> int:
        return len(self._by_id)

    def find(self, key: StoryKey, at: datetime) -> int | None:
        """The story id a headline published at `at` belongs to, or None for a new story."""
        # A headline naming numbers, none of them this one's, is another event whatever its
        # words (similarity's facts): those are left out before the search, not judged.
        same_numbers: set[int] | None = None
        if key.numbers:
            by_number = self._by_number
            if len(key.numbers) == 1:  # (read only: no copy of the posting)
                (number,) = key.numbers
                same_numbers = by_number.get(number, _NONE)
            else:
                same_numbers = set().union(*(by_number.get(n, ()) for n in key.numbers))
        candidates = self._candidates(
            self._by_token, key.tokens, MIN_SHARED, _COMMON, self._unnumbered_by_token, same_numbers
        )
        if key.lead:
            candidates += self._candidates(
                self._by_lead, key.lead, _LEAD_MIN_RARE, _LEAD_COMMON, self._unnumbered_by_lead, same_numbers
            )
            # a headline (stored) whose words this one's first sentences tell
            candidates += self._candidates(
                self._by_token, key.lead, CROSS_MIN_SHARED, _COMMON, self._unnumbered_by_token, same_numbers
            )
        # a stored lead that tells this headline's words
        candidates += self._candidates(
            self._by_lead, key.tokens, CROSS_MIN_SHARED, _LEAD_COMMON, self._unnumbered_by_lead, same_numbers
        )
        best, best_score = None, -1.0
        for article_id in dict.fromkeys(candidates):
            entry = self._by_id[article_id]
            score = similarity(key, entry.key, at - entry.at)
            if score >= 0 and score > best_score:
                best, best_score = entry, score
        return best.story_id if best is not None else None

    @staticmethod
    def _candidates(
        index: dict[str, set[int]], tokens: frozenset[str], least: int, common: int,
        unnumbered: dict[str, set[int]], same_numbers: set[int] | None,
    ) -> list[int]:
        """The remembered headlines that share at least `least` (≥ 2) of `tokens`, those sharing
        the most first (the newest first among equals), at most _JUDGED; with `same_numbers`,
        only those that name no number (`unnumbered`: `index` for those alone) or one of these.

        Only the _RAREST tokens held by fewer than `common` headlines are looked up: a story's
        versions share their rare words (names, places, numbers), and a word in hundreds of
        recent headlines tells no story.  So at most _RAREST × `common` ids are touched,
        however many headlines the window holds, and only by set operations in C: `found[k]`
        holds the headlines in at least k + 1 of the postings read so far, each posting
        deepening the levels from the deepest up.  Nothing is counted or sorted one headline
        at a time but the few judged.
        """
        # Of postings of one length, which are read must not depend on the set's order (string
        # hashes: another process's, for a key made in a worker): ties go by token.
        rarest = [
            (size, token, posting) for token in tokens
            if (posting := index.get(token)) and (size := len(posting)) < common
        ]
        if len(rarest) > _RAREST:
            # By length, then by token (distinct: the postings are never compared).  Which
            # postings are read matters, not their order: the levels below end the same
            # whatever it is, so fewer than _RAREST are not sorted at all.
            rarest.sort()
            del rarest[_RAREST:]
        if len(rarest) < least:
            return []
        if same_numbers is None:
            postings = [posting for _, _, posting in rarest]
        else:
            # Of each posting, its headlines naming no number and those naming one of these
            # (a posting only read from here on: either part alone is not copied).
            postings = []
            left = len(rarest)
            for _, token, posting in rarest:
                named = posting & same_numbers
                plain = unnumbered.get(token)
                if named:
                    postings.append(plain | named if plain else named)
                elif plain:
                    postings.append(plain)
                left -= 1
                if len(postings) + left < least:  # too few left to make up `least`
                    return []
        found: list[set[int]] = [set(postings[0])]
        last = len(postings) - 1
        for count, posting in enumerate(postings[1:], 1):
            for depth in range(len(found) - 1, -1, -1):
                if deeper := found[depth] & posting:
                    if depth + 1 == len(found):
                        found.append(deeper)
                    else:
                        found[depth + 1] |= deeper
            if count < last:  # the union of all is never read
                found[0] |= posting
        judged: list[int] = []
        for depth in range(len(found) - 1, least - 2, -1):
            exactly = found[depth] - found[depth + 1] if depth + 1 < len(found) else found[depth]
            judged += sorted(exactly, reverse=True)[: _JUDGED - len(judged)]
            if len(judged) == _JUDGED:
                break
        return judged

    def add(self, article_id: int, story_id: int, key: StoryKey, at: datetime) -> None:
        """Remember a stored headline already filed under `story_id`."""
        entry = _Entry(article_id, story_id, at, key)
        self._entries.append(entry)
        self._by_id[article_id] = entry
        by_token, by_lead = self._by_token, self._by_lead
        for token in key.tokens:
            by_token[token].add(article_id)
        for token in key.lead:
            by_lead[token].add(article_id)
        if key.numbers:
            for number in key.numbers:
                self._by_number[number].add(article_id)
        else:
            by_token, by_lead = self._unnumbered_by_token, self._unnumbered_by_lead
            for token in key.tokens:
                by_token[token].add(article_id)
            for token in key.lead:
                by_lead[token].add(article_id)
        self._forget_before(at - self._window)

    def assign(self, article_id: int, key: StoryKey, at: datetime) -> int:
        """Remember a stored headline and return its story: an older one's, or its own id."""
        story_id = self.find(key, at) or article_id
        self.add(article_id, story_id, key, at)
        return story_id

    def forget(self, article_ids: Iterable[int]) -> None:
        """Drop these headlines again: their batch was not stored after all."""
        gone = set(article_ids)
        for article_id in gone:
            if (entry := self._by_id.get(article_id)) is not None:
                self._unindex(entry)
        self._entries = deque(entry for entry in self._entries if entry.article_id not in gone)

    def _forget_before(self, cutoff: datetime) -> None:
        # Entries arrive roughly in time order; an old one that arrives late simply stays a
        # little longer, which costs memory, not correctness.
        while self._entries and self._entries[0].at < cutoff:
            self._unindex(self._entries.popleft())

    def _unindex(self, entry: _Entry) -> None:
        self._by_id.pop(entry.article_id, None)
        indexes = [
            (self._by_token, entry.key.tokens), (self._by_lead, entry.key.lead), (self._by_number, entry.key.numbers)
        ]
        if not entry.key.numbers:
            indexes += [(self._unnumbered_by_token, entry.key.tokens), (self._unnumbered_by_lead, entry.key.lead)]
        article_id = entry.article_id
        for index, tokens in indexes:
            for token in tokens:
                posting = index.get(token)
                if posting is not None:
                    posting.discard(article_id)
                    if not posting:
                        del index[token]

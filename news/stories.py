"""One story, many sources: which stored headline's story a new one tells.

Two headlines are read through their keys (news.story_key: paraphrases folded to one concept,
numbers read alike in digits and words, outlets' prefixes dropped), and the facts of the pair
(`pair_features`: words shared each way, names, places, numbers, organisations, persons, posts
and acts shared or told by one side only, opposite steps of one thread, their bodies' first
sentences, character trigrams) are weighed by trees learnt from the labelled pairs of
tests/data/stories (news.story_trees, written by `akhbar stories-train`: news.story_learning).
A pair is judged only when the two share enough words to be compared, name no numbers that all
differ and are close in time: past six hours the bar rises, and after WINDOW a retelling is a
new story.  A copy (COPY_LEAD: the same headline, an outlet's «عاجل» aside, over the same
text) is one story whatever the trees say.  A French headline and an Arabic one are judged by
bars of their own (`bilingual_similarity`, news.story_bilingual): the trees learnt from pairs
in one language.  The hand-written rules the trees replaced stay as `rules_similarity`, to
compare the two (`akhbar stories-eval --rules`, `akhbar stories-train
--cv`); their facts are the trees' features.

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
from typing import Any

from news import story_bilingual as bilingual
from news.story_key import ENTITY_CONCEPTS, GIVEN, GUESSED, OPPOSITE_CONCEPTS, ROLES, StoryKey, story_key
from news.story_trees import HIGHEST, learnt_bound, learnt_score

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
# A copy — one article run by two outlets, as APS's dispatches are all day: the same folded
# headline (an outlet's «عاجل» or «اليوم» is no word of the key), COPY_MIN_TOKENS words of it at
# least, and the same text — its first BODY_DIGEST_WORDS words alike (StoryKey.body_digest), a
# lead of COPY_LEAD tokens at least — no fact of the headlines telling them apart, is one story
# whatever the trees say: they learnt from labelled pairs mostly without bodies, and two leads
# alike push their score down (an identical title and body: -0.82).  Scored COPY_SCORE, then
# lowered for lateness as any pair, so that past 30 hours a copy is a new event as the same
# words are to the rules (TITLE_BAR_RISE: the same bulletin reissued the next day).  Narrow on
# purpose: the whole text, not its lead, for an outlet's standing opening over two events, a
# template whose figures (a bulletin's, a match's score) come past the lead, and a headline
# saying little («ملخص وأهداف مباراة اليوم») are no copy; a headline that says nothing («عاجل»
# alone) is none either; a retold headline is left to the trees.
COPY_LEAD = 12
COPY_MIN_TOKENS = 3
COPY_SCORE = HIGHEST * (timedelta(hours=30) - _CLOSE) / (WINDOW - _CLOSE)
# A token found in this many recent headlines (or leads) says nothing about which story a
# headline tells (الجزائر, وزير…); skipping it keeps matching fast when thousands arrive at once.
_COMMON = 400
_LEAD_COMMON = 50
# Candidates are looked up by this many of a headline's (or lead's) rarest tokens; a lead's
# candidate shares at least _LEAD_MIN_RARE of them.
_RAREST = 10
# Among the French headlines (looked up from an Arabic one), a token held by this share of them
# (as _COMMON is of 10,000), or this many when they are few, tells no story.
_COMMON_SHARE = _COMMON / 10_000
_COMMON_FRENCH_LEAST = 20
_LEAD_MIN_RARE = 3
# Of the candidates sharing tokens, only the ones sharing the most are judged; of the other
# language's, the stories of the fewer sharing the most (one telling each).
_JUDGED = 6
_JUDGED_ACROSS = 3
# The bound (StoryMatcher.find) costs about a third of the facts it spares (4.4 against 13 µs
# a pair): it is read while it spares at least this share of the pairs it is read for, counted
# over this many pairs, and otherwise for one pair in _PROBE only, to notice when it pays again.
_BOUND_PAYS = 0.2
_BOUND_WINDOW = 64
_PROBE = 16


def _differ(one: frozenset[Any], other: frozenset[Any]) -> bool:
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
# Each concept of OPPOSITE_CONCEPTS → its opposites, either side of the pair.
_OPPOSITES: dict[str, frozenset[str]] = {
    concept: frozenset(other if one == concept else one for one, other in OPPOSITE_CONCEPTS if concept in (one, other))
    for concept in _OPPOSED
}


def _opposite_acts(new: frozenset[str], old: frozenset[str]) -> bool:
    """One headline tells an act, the other its opposite (تعيين / إنهاء مهام, فوز / خسارة), and
    neither tells both.  (Read from the few opposed concepts the two tell rather than by trying
    each of the 47 pairs: 0.5 against 0.9 µs a pair.)"""
    mine, theirs = new & _OPPOSED, old & _OPPOSED
    if not mine or not theirs:
        return False
    theirs_only = theirs - mine
    return any(not _OPPOSITES[concept].isdisjoint(theirs_only) for concept in mine - theirs)


def _other_acts(new: StoryKey, old: StoryKey) -> bool:
    """Each headline tells an act of the lexicon the other does not (تعيين … / … يزور): the
    same people or places doing two things.  (When it is said, المقبل، منذ, is no act: loose.)"""
    return any(token[0] == "@" for token in new.tokens - old.tokens - new.loose) and any(
        token[0] == "@" for token in old.tokens - new.tokens - old.loose
    )


_ALGERIA_TOKEN = "=country:dz"
_ALGERIA_PLACE = "country:dz"


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


def judged(new: StoryKey, old: StoryKey) -> bool:
    """Whether StoryMatcher.find could judge the pair at all: their headlines share
    MIN_SHARED words, or their leads _LEAD_MIN_RARE, or a headline and the other's lead
    CROSS_MIN_SHARED (the rarest of them, there).  The trees learnt only such pairs: of two
    headlines sharing nothing they know nothing."""
    return (
        len(new.tokens & old.tokens) >= MIN_SHARED
        or len(new.lead & old.lead) >= _LEAD_MIN_RARE
        or len(new.lead & old.tokens) >= CROSS_MIN_SHARED
        or len(new.tokens & old.lead) >= CROSS_MIN_SHARED
    )


def similarity(new: StoryKey, old: StoryKey, gap: timedelta) -> float:
    """How sure the learnt decision is that two headlines tell one event (≥ 0: the same event;
    news.story_trees weighs pair_features by trees learnt from the labelled pairs, lower as the
    hours between them grow past six); -1 when they are too far apart in time, they name
    numbers and none alike, or share too little to be judged.  A French headline and an
    Arabic one: `bilingual_similarity`."""
    gap = abs(gap)
    if new.french is not old.french:
        return bilingual_similarity(new, old, gap)
    return _learnt(new, old, gap) if _judgeable(new, old, gap) else -1.0


# A French headline and an Arabic one (news.story_bilingual) are one story when no fact tells
# them apart and most of the shorter one's words are said in the other (BILINGUAL_BAR), two at
# least and one of them saying which event (a place, a number, a name, a word no table folds
# into an act); or when their first sentences are (BILINGUAL_LEAD_BAR), which say enough of
# the event (BILINGUAL_LEAD_SPECIFIC), under headlines sharing a little (BILINGUAL_LEAD_TITLE);
# or when one's headline is said in the other's first sentences (BILINGUAL_CROSS_BAR).  The
# trees learnt from pairs in one language: these bars were set on pairs of the two
# (tests/data/stories/xl_dev.jsonl) and measured on others (xl_holdout.jsonl: README).
BILINGUAL_BAR = 0.6
BILINGUAL_LEAD_BAR = 0.5
BILINGUAL_LEAD_SPECIFIC = 2
BILINGUAL_LEAD_TITLE = 0.2
BILINGUAL_CROSS_BAR = 0.5


def bilingual_similarity(new: StoryKey, old: StoryKey, gap: timedelta) -> float:
    """similarity's for a French headline and an Arabic one (`gap` not negative), on the same
    scale: ≥ 0 the same event, -1 when a fact tells them apart or they are too far apart."""
    if gap > WINDOW:
        return -1.0
    french, arabic = bilingual.french_and_arabic(new, old)
    fewer = min(len(french.tokens), len(arabic.tokens)) or 1
    if not (french.lead or arabic.lead):
        # Without a body only the headlines' words can join them: most pairs the search offers
        # share too few of them for the bar, whatever the names' letters add (read first).
        reading = bilingual.translated(french.tokens)
        alike = arabic.tokens & reading.every
        unread = min(len(reading.unknown_letters), len(arabic.tokens) - len(alike))
        if min(len(alike), len(reading.known)) + unread < max(MIN_SHARED, BILINGUAL_BAR * fewer) or not (
            unread or _specific(alike)
        ):
            return -1.0
    said = bilingual.shared(french.tokens, arabic.tokens)
    title_share = min(said.french, said.arabic) / fewer
    shares = [-1.0]
    if min(said.french, said.arabic) >= MIN_SHARED and said.specific:
        shares.append(title_share - BILINGUAL_BAR)
    if french.lead and arabic.lead and title_share >= BILINGUAL_LEAD_TITLE:
        lead = bilingual.shared(french.lead, arabic.lead)
        if lead.specific >= BILINGUAL_LEAD_SPECIFIC:
            lead_share = min(lead.french, lead.arabic) / (min(len(french.lead), len(arabic.lead)) or 1)
            shares.append(lead_share - BILINGUAL_LEAD_BAR)
    if said.french and said.specific:
        crossed = []
        if arabic.lead:
            crossed.append(bilingual.shared(french.tokens, arabic.lead).french / (len(french.tokens) or 1))
        if french.lead:
            crossed.append(bilingual.shared(french.lead, arabic.tokens).arabic / (len(arabic.tokens) or 1))
        if crossed:
            shares.append(max(crossed) - BILINGUAL_CROSS_BAR)
    best = max(shares)
    if best < 0 or _bilingual_apart(french, arabic):  # (the facts read last: most pairs fail the bars)
        return -1.0
    # on the trees' scale: the bar at 0, as sure as HIGHEST when every word is said
    return best * HIGHEST / (1 - BILINGUAL_LEAD_BAR) - _lateness(gap)


def _bilingual_apart(french: StoryKey, arabic: StoryKey) -> bool:
    """conflict's facts for a French headline and an Arabic one: places, numbers, opposite
    acts, organisations, posts and laws, persons — each read across the two scripts."""
    if _differ(french.numbers, arabic.numbers):
        return True
    headline, lead = bilingual.arabic_places(french.places, french.tokens), bilingual.arabic_places(
        french.lead_places, french.lead
    )
    mine = (headline or lead) - _ALGERIA
    theirs = (arabic.places or arabic.lead_places) - _ALGERIA
    if mine and theirs and not (mine <= theirs or theirs <= mine) and not (
        lead and arabic.lead_places and (mine <= arabic.places | arabic.lead_places or theirs <= headline | lead)
    ):
        return True
    if _opposite_acts(bilingual.translated(french.tokens).every, arabic.tokens):
        return True
    concepts = frozenset(entity for entity in french.entities if entity[1][0] == "@")
    if _entities_differ(concepts, frozenset(entity for entity in arabic.entities if entity[1][0] == "@")):
        return True
    return bilingual.entities_differ(french, arabic) or bilingual.persons_differ(french, arabic, GUESSED, GIVEN)


_ALGERIA = frozenset((_ALGERIA_PLACE,))


def _judgeable(new: StoryKey, old: StoryKey, gap: timedelta) -> bool:
    """Whether the learnt decision weighs the pair at all (`gap` not negative)."""
    return (
        gap <= WINDOW and new.french is old.french
        # as StoryMatcher.find: never judged, nor learnt
        and not (new.numbers and old.numbers and new.numbers.isdisjoint(old.numbers))
        and judged(new, old)
    )


def _learnt(new: StoryKey, old: StoryKey, gap: timedelta) -> float:
    """The trees' score of a judgeable pair (at least COPY_SCORE for a copy), lowered past _CLOSE."""
    features = pair_features(new, old)
    score = learnt_score(features)
    if score < COPY_SCORE and _copy(new, old) and not _told_apart(features):
        score = COPY_SCORE
    return score - _lateness(gap)


def _copyable(key: StoryKey) -> bool:
    """Whether a key could be an article's copy's (COPY_LEAD): a headline saying something and
    a body of a long lead."""
    return len(key.lead) >= COPY_LEAD and len(key.tokens) >= COPY_MIN_TOKENS


def _copy(new: StoryKey, old: StoryKey) -> bool:
    """Whether two keys are an article's and its copy's (COPY_LEAD): the same headline tokens
    and the same body (StoryMatcher.find tests the same inline)."""
    return _copyable(new) and new.body_digest == old.body_digest and new.tokens == old.tokens


def _told_apart(features: list[float]) -> bool:
    """Whether a fact of pair_features tells the two headlines apart (as `conflict`): numbers,
    places, persons, organisations, posts differing, or opposite acts."""
    return any(features[at] for at in _APART)


def _lateness(gap: timedelta) -> float:
    """How much a pair's score is lowered for the time between its headlines.  Time is no
    feature (the labelled pairs are all a few hours apart at most): past _CLOSE the bar rises,
    until at WINDOW no pair reaches it (the next day's hail, a bulletin reissued: a new event)."""
    return HIGHEST * (gap - _CLOSE) / (WINDOW - _CLOSE) if gap > _CLOSE else 0.0


def rules_similarity(new: StoryKey, old: StoryKey, gap: timedelta) -> float:
    """The hand-written rules' decision, before the learnt one (kept to compare the two:
    `akhbar stories-train --cv`, `akhbar stories-eval --rules`).

    How far above its bar the pair stands (≥ 0: the same event): the share of the shorter
    headline's tokens found in the other or, when both have one, of the shorter lead's; -1
    when they share too little, a fact tells them apart or they are too far apart in time.
    (Called for every candidate: written out rather than split into smaller functions.)"""
    gap = abs(gap)
    if gap > WINDOW or new.french is not old.french:
        # An Arabic and a French headline share no words but concepts and numbers: the rules
        # were never written for the two (`bilingual_similarity` judges them, for the matcher
        # and the trees alike), so here they stay two stories.
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


# What the learnt decision (news.story_trees) reads of a pair: the facts above, each a number,
# none of them a veto by itself.  Names in the order of pair_features' values.
FEATURES = (
    "share of the shorter",  # shared tokens / the shorter headline's (loose verbs aside)
    "share of the longer",
    "shared tokens",  # up to 6, over 6
    "specific shared",  # names, places, numbers, organisations shared, up to 4, over 4
    "acts shared",  # acts of the lexicon both tell, up to 3, over 3
    "tokens apart",  # tokens said by one side only, up to 10, over 10
    "fewest apart",  # the fewer of each side's own tokens, up to 3, over 3 (one for one: a template)
    "specific apart",  # the fewer of each side's own names, places, numbers…, up to 2, over 2
    "acts apart",  # the fewer of each side's own acts, up to 2, over 2
    "shorter length",  # tokens of the shorter headline, up to 10, over 10
    "trigrams of the fewer",  # shared character trigrams / the fewer's (news.story_key.title_grams)
    "trigrams of all",  # shared character trigrams / all of both
    "a number shared",
    "a number on one side only",
    "numbers differ",
    "a place shared",  # a place other than Algeria, in the headlines or their leads
    "places differ",
    "a person shared",
    "persons differ",
    "each names a person",  # each names someone the other's persons do not
    "organisations differ",
    "each names an organisation",  # each an organisation, post or law the other does not
    "posts differ",
    "opposite acts",
    "other acts",  # each tells an act the other does not
    "both have a lead",
    "leads' share",  # shared lead tokens / the shorter lead's
    "leads' shared tokens",  # up to 10, over 10
    "leads' numbers differ",  # each lead names a number the other's does not
    "leads apart",  # long leads sharing little (the rules' lead veto)
    "headline in the other's lead",  # share of a headline's tokens found in the other's lead
    "french",
)


def _specific_and_acts(tokens: frozenset[str], loose: frozenset[str] = frozenset()) -> tuple[int, int, bool]:
    """How many of these tokens say which event (as _specific), how many are acts, and whether
    one of them is a concept of the lexicon and no loose verb (as _other_acts)."""
    specific = acts = 0
    told = False
    for token in tokens:
        if token[0] != "@":
            if token != _ALGERIA_TOKEN:
                specific += 1
            continue
        told = told or token not in loose
        if token in ENTITY_CONCEPTS:
            specific += 1
        else:
            acts += 1
    return specific, acts, told


def _lead_numbers(lead: frozenset[str]) -> frozenset[str]:
    """A lead's numbers: read once per lead (a remembered headline's is judged against each new
    one that finds it), not once per pair."""
    numbers = _LEAD_NUMBERS.get(lead)
    if numbers is None:
        if len(_LEAD_NUMBERS) >= _LEADS_KEPT:
            _LEAD_NUMBERS.clear()
        numbers = _LEAD_NUMBERS[lead] = frozenset(token for token in lead if token[0] == "#")
    return numbers


# Each lead's numbers, by the frozenset of its tokens (which keeps its hash: a lookup hashes no
# token); emptied when it holds this many.
_LEAD_NUMBERS: dict[frozenset[str], frozenset[str]] = {}
_LEADS_KEPT = 50_000


def pair_features(new: StoryKey, old: StoryKey) -> list[float]:
    """The facts of a pair of headlines, as numbers in the order of FEATURES (a yes is 1)."""
    return _features(new, old, cheap_features(new, old))


def _features(new: StoryKey, old: StoryKey, cheap: tuple[float, ...]) -> list[float]:
    """pair_features, given the pair's cheap_features (StoryMatcher.find reads those first, for
    learnt_bound, and does not compute them twice).  (Called for every candidate: written out,
    each fact computed once, no call where a test in place does.)"""
    (
        share_of_shorter, share_of_longer, shared_up_to_6, apart_up_to_10, fewest_apart, shorter_up_to_10,
        grams_of_fewer, grams_of_all, number_shared, number_one_side, both_leads, lead_share, lead_shared_up_to_10,
        cross, french,
    ) = cheap
    tokens, old_tokens = new.tokens, old.tokens
    shared_tokens = tokens & old_tokens
    specific, acts, _ = _specific_and_acts(shared_tokens)
    mine_only, theirs_only = tokens - old_tokens, old_tokens - tokens
    my_specific, my_acts, my_act = _specific_and_acts(mine_only, new.loose)
    their_specific, their_acts, their_act = _specific_and_acts(theirs_only, old.loose)
    numbers, old_numbers = new.numbers, old.numbers
    places, old_places, lead_places, old_lead_places = new.places, old.places, new.lead_places, old.lead_places
    mine, theirs = places or lead_places, old_places or old_lead_places
    places_differ = not (
        not mine or not theirs or mine <= theirs or theirs <= mine
        or (
            lead_places and old_lead_places
            and (mine <= old_places | old_lead_places or theirs <= places | lead_places)
        )
    )
    both_places = (places | lead_places if lead_places else places) & (
        old_places | old_lead_places if old_lead_places else old_places
    )
    persons, old_persons = new.persons, old.persons
    persons_apart = persons_differ = person_shared = False
    if persons and old_persons:
        persons_apart = not persons <= old_persons and not old_persons <= persons
        mine_unnamed = _unnamed(persons, old)
        person_shared = mine_unnamed is None
        if persons_apart:
            # as _persons_differ
            theirs_unnamed = _unnamed(old_persons, new)
            if mine_unnamed is not None and theirs_unnamed is not None:
                persons_differ = not (mine_unnamed and theirs_unnamed) or (
                    len(mine_only) <= _GUESSED_APART and len(theirs_only) <= _GUESSED_APART
                )
        person_shared = person_shared and not persons_differ
    entities, old_entities = new.entities, old.entities
    entities_apart = entities_differ = False
    if entities and old_entities:
        entities_apart = not entities <= old_entities and not old_entities <= entities
        # (one's names all among the other's: none of a kind the other lacks)
        entities_differ = entities_apart and _entities_differ(entities, old_entities)
    roles, old_roles = tokens & ROLES, old_tokens & ROLES
    lead, old_lead = new.lead, old.lead
    leads_apart = 0.0
    lead_numbers_differ = False
    if lead and old_lead:
        lead_numbers_differ = not _lead_numbers(lead) <= old_lead and not _lead_numbers(old_lead) <= lead
        leads_apart = min(len(lead), len(old_lead)) >= LEAD_VETO_TOKENS and lead_share < LEAD_VETO
    return [
        share_of_shorter,
        share_of_longer,
        shared_up_to_6,
        (specific if specific < 4 else 4) / 4,
        (acts if acts < 3 else 3) / 3,
        apart_up_to_10,
        fewest_apart,
        min(my_specific, their_specific, 2) / 2,
        min(my_acts, their_acts, 2) / 2,
        shorter_up_to_10,
        grams_of_fewer,
        grams_of_all,
        number_shared,
        number_one_side,
        not (not numbers or not old_numbers or numbers <= old_numbers or old_numbers <= numbers),  # as _differ
        len(both_places) > (_ALGERIA_PLACE in both_places),
        places_differ,
        person_shared,
        persons_differ,
        persons_apart,
        entities_differ,
        entities_apart,
        not (not roles or not old_roles or roles <= old_roles or old_roles <= roles),
        not _OPPOSED.isdisjoint(tokens) and not _OPPOSED.isdisjoint(old_tokens) and _opposite_acts(tokens, old_tokens),
        my_act and their_act,  # as _other_acts
        both_leads,
        lead_share,
        lead_shared_up_to_10,
        lead_numbers_differ,
        leads_apart,
        cross,
        french,
    ]


# The facts of pair_features telling two headlines apart (_told_apart).
_APART = tuple(
    FEATURES.index(name)
    for name in ("numbers differ", "places differ", "persons differ", "organisations differ", "posts differ", "opposite acts")
)


# The facts of a pair read from sizes alone (set operations in C, no token looked at one by
# one), in this order: news.story_trees.learnt_bound weighs them first.  Most pairs an import
# judges score below 0 whatever their other facts are, and those are not computed (find).
CHEAP_FEATURES = (
    "share of the shorter",
    "share of the longer",
    "shared tokens",
    "tokens apart",
    "fewest apart",
    "shorter length",
    "trigrams of the fewer",
    "trigrams of all",
    "a number shared",
    "a number on one side only",
    "both have a lead",
    "leads' share",
    "leads' shared tokens",
    "headline in the other's lead",
    "french",
)


def cheap_features(new: StoryKey, old: StoryKey) -> tuple[float, ...]:
    """The pair's values of CHEAP_FEATURES, in that order: pair_features takes them from here."""
    tokens, old_tokens = new.tokens, old.tokens
    shared = len(tokens & old_tokens)
    size, old_size = len(tokens), len(old_tokens)
    mine_only, theirs_only = size - shared, old_size - shared
    if new.loose or old.loose:
        size, old_size = size - len(new.loose - old_tokens), old_size - len(old.loose - tokens)
    shorter, longer = (size, old_size) if size < old_size else (old_size, size)
    grams = (new.grams & old.grams).bit_count()
    new_grams, old_grams = new.grams.bit_count(), old.grams.bit_count()
    numbers, old_numbers = new.numbers, old.numbers
    lead, old_lead = new.lead, old.lead
    lead_share = cross = 0.0
    lead_shared = 0
    if lead and old_lead:
        lead_shared = len(lead & old_lead)
        lead_share = lead_shared / min(len(lead), len(old_lead))
    if old_lead and tokens:
        cross = len(tokens & old_lead) / len(tokens)
    if lead and old_tokens:
        cross = max(cross, len(old_tokens & lead) / len(old_tokens))
    return (
        shared / (shorter if shorter > shared else shared or 1),
        shared / (longer if longer > shared else shared or 1),
        (shared if shared < 6 else 6) / 6,
        min(mine_only + theirs_only, 10) / 10,
        min(mine_only, theirs_only, 3) / 3,
        (shorter if shorter < 10 else 10) / 10,
        grams / (min(new_grams, old_grams) or 1),
        grams / ((new_grams + old_grams - grams) or 1),
        not numbers.isdisjoint(old_numbers),
        (not numbers) is not (not old_numbers),
        not (not lead or not old_lead),
        lead_share,
        (lead_shared if lead_shared < 10 else 10) / 10,
        cross,
        new.french,
    )


def same_event(new: StoryKey, old: StoryKey, gap: timedelta) -> bool:
    return similarity(new, old, gap) >= 0


def rules_same_event(new: StoryKey, old: StoryKey, gap: timedelta) -> bool:
    return rules_similarity(new, old, gap) >= 0


def _searched_across(french_key: StoryKey) -> frozenset[str]:
    """A French headline's tokens read in Arabic by which the two languages look each other up
    (StoryMatcher._in_the_other_language): not the acts of the lexicon nor Algeria, which
    hundreds of headlines say — a pair sharing those is found by the headline's own tokens,
    which both languages write alike (StoryMatcher._in_its_language)."""
    return frozenset(
        token for token in bilingual.translated(french_key.tokens).every
        if (token[0] != "@" or token in ENTITY_CONCEPTS) and token != _ALGERIA_TOKEN
    )


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
        # The French headlines by their tokens read in Arabic (news.story_bilingual), for an
        # Arabic one to find them.
        self._french_by_token: dict[str, set[int]] = defaultdict(set)
        self._french = 0  # French headlines remembered
        # Whether find reads learnt_bound first: decided anew after each _BOUND_WINDOW pairs it
        # was read for, by how many it spared.
        self._bounding = True
        self._pairs = self._bounded = self._spared = 0

    def __len__(self) -> int:
        return len(self._by_id)

    def find(self, key: StoryKey, at: datetime) -> int | None:
        """The story id a headline published at `at` belongs to, or None for a new story."""
        best, best_score = None, -1.0
        tokens = key.tokens
        copyable, digest = _copyable(key), key.body_digest  # (as _copy, read once)
        across: list[int] = []  # the other language's headlines its own words found
        for article_id in self._in_its_language(key):
            entry = self._by_id[article_id]
            old, gap = entry.key, abs(at - entry.at)
            if old.french is not key.french:
                across.append(article_id)
                continue
            if not _judgeable(key, old, gap):
                continue
            # similarity's, but a pair whose facts read from sizes alone keep its score below 0
            # or at most the best one's (learnt_bound: at least the trees' score; lowered for
            # lateness alike) is weighed no further, while that spares enough pairs to repay
            # reading the bound (most of an import's; nearly half of stories_benchmark's, hours
            # apart): else one pair in _PROBE.
            cheap, lateness = cheap_features(key, old), _lateness(gap)
            self._pairs += 1
            # (a copy scores COPY_SCORE whatever the bound: never spared)
            copy = copyable and digest == old.body_digest and tokens == old.tokens
            if (self._bounding or not self._pairs % _PROBE) and not copy:
                self._bounded += 1
                bound = learnt_bound(cheap) - lateness
                spared = bound < 0 or bound <= best_score
                self._spared += spared
                if self._bounded == _BOUND_WINDOW:
                    self._bounding = self._spared >= _BOUND_WINDOW * _BOUND_PAYS
                    self._bounded = self._spared = 0
                if spared:
                    continue
            if copy:
                features = _features(key, old, cheap)
                score = learnt_score(features)
                if score < COPY_SCORE and not _told_apart(features):
                    score = COPY_SCORE
                score -= lateness
            else:
                score = learnt_score(_features(key, old, cheap)) - lateness
            if score >= 0 and score > best_score:
                best, best_score = entry, score
        if best is None:
            # The other language's tellings are looked for only when its own has none (both
            # found: two stories already told apart): most headlines are spared the search.
            stories: set[int] = set()
            for article_id in chain(across, self._in_the_other_language(key)):
                entry = self._by_id[article_id]
                if entry.story_id in stories:
                    continue  # (a story's other tellings in that language are no other story)
                stories.add(entry.story_id)
                if len(stories) > _JUDGED_ACROSS:
                    break
                score = bilingual_similarity(key, entry.key, abs(at - entry.at))
                if score >= 0 and score > best_score:
                    best, best_score = entry, score
        return best.story_id if best is not None else None

    def candidates(self, key: StoryKey) -> Iterable[int]:
        """The remembered headlines worth judging against this one: those sharing its rarer
        words, its first sentences' or telling them, each once; then the other language's
        saying its words (news.story_bilingual)."""
        return dict.fromkeys(chain(self._in_its_language(key), self._in_the_other_language(key)))

    def _in_its_language(self, key: StoryKey) -> Iterable[int]:
        """candidates' in the headline's own language (the French index aside: the Arabic
        headlines' words are the same in either)."""
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
        return dict.fromkeys(candidates)

    def _in_the_other_language(self, key: StoryKey) -> list[int]:
        """The headlines of the other language (French for an Arabic one, and the other way)
        sharing at least MIN_SHARED of its tokens read in Arabic (news.story_bilingual), those
        saying which event (`_searched_across`)."""
        if key.french:
            # (the index holds both languages' headlines: the French ones found are left out)
            by_id = self._by_id
            found = self._candidates(self._by_token, _searched_across(key), MIN_SHARED, _COMMON, {}, None)
            return [article_id for article_id in found if not by_id[article_id].key.french]
        if not self._french_by_token:
            return []
        # A token held by this share of the French headlines tells no story among them.
        common = max(_COMMON_FRENCH_LEAST, int(self._french * _COMMON_SHARE))
        return self._candidates(self._french_by_token, key.tokens, MIN_SHARED, common, {}, None)


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
                named = posting & same_numbers if same_numbers else None  # (none: no set made)
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
        if key.french:
            self._french += 1
            for token in _searched_across(key):
                self._french_by_token[token].add(article_id)
        if key.numbers:
            for number in key.numbers:
                self._by_number[number].add(article_id)
        else:
            by_token, by_lead = self._unnumbered_by_token, self._unnumbered_by_lead
            for token in key.tokens:
                by_token[token].add(article_id)
            for token in key.lead:
                by_lead[token].add(article_id)
        try:
            cutoff = at - self._window
        except OverflowError:  # dated within the window of year 1 (make_article refuses such a date)
            return  # nothing is older, nothing to forget
        self._forget_before(cutoff)

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
        if entry.key.french:
            self._french -= 1
            indexes.append((self._french_by_token, _searched_across(entry.key)))
        article_id = entry.article_id
        for index, tokens in indexes:
            for token in tokens:
                posting = index.get(token)
                if posting is not None:
                    posting.discard(article_id)
                    if not posting:
                        del index[token]

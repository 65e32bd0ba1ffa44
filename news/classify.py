"""Which topics an article is about: a weighted lexicon over light stems, plus what we're told.

Three sources of topics, strongest first:
1. topics given explicitly (an admin, or the imported data) — final, nothing is added;
2. the source's own category (an RSS <category>, a URL section like /sport/);
3. the lexicon (news.lexicon) scored over the title (counted double) and the lead of the body.
An article always ends with at least one topic: if nothing speaks for any, the lexicon's best
guess with any score, else "society", the broadest desk.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from news.boilerplate import article_lines
from news.lexicon import ALGERIAN_OFFICES, LEXICON, NOT_EVIDENCE
from news.model import FiledVersion, Refiling
from news.text import light_stems, word_memo, words
from news.topics import find_topic

TITLE_WEIGHT = 2.0
LEAD_CHARS = 600
MIN_SCORE = 2.0  # below this, a topic is only a hint
SECOND_RATIO = 0.6  # a second topic must score at least this share of the first
MAX_TOPICS = 2
FALLBACK = "society"

_URL_SECTION = re.compile(r"/([a-z\-]{3,20})/")


@dataclass(frozen=True, slots=True)
class Filing:
    """An article's topics, most certain first, and by how much the lexicon's score of the first
    leads the next one's: None when the topics are not the lexicon's guess (given by a person,
    or the source's own section), 0 when nothing spoke for any topic."""

    topics: tuple[str, ...]
    margin: float | None = None


# Compared by identity (hashed in C, not by a generated __hash__ over its fields): _compile
# makes one object per distinct entry, so identity is equality.
@dataclass(frozen=True, slots=True, eq=False)
class _Key:
    topic: str
    weight: float
    words: tuple[frozenset[str], ...]  # each word's accepted forms; one entry for a single word


def _key_forms(word: str, as_written: bool = False) -> frozenset[str]:
    """A lexicon word as written, and without its article — never cut shorter.

    An article's words are stemmed, the lexicon's are not: the lexicon author already wrote
    the form that means the topic, and cutting it further makes الرياضة meet الرياض (Riyadh).
    """
    forms = {word}
    if word.startswith("ال") and len(word) > 4 and not as_written:
        forms.add(word[2:])
    return frozenset(forms)


def _compile() -> tuple[dict[str, list[_Key]], dict[str, list[_Key]], dict[_Key, tuple[str, ...]]]:
    """Single words by form, and phrases by the forms of their first word, so that matching
    an article looks each of its words up instead of trying every phrase everywhere; and the
    entries that name Algeria's own offices (ALGERIAN_OFFICES), with their words as written."""
    singles: dict[str, list[_Key]] = defaultdict(list)
    phrases: dict[str, list[_Key]] = defaultdict(list)
    made: dict[tuple[str, float, tuple[frozenset[str], ...]], _Key] = {}
    algerian: dict[_Key, tuple[str, ...]] = {}
    for topic, entries in LEXICON.items():
        for text, weight in entries.items():
            as_written = text.startswith("=")
            value = (topic, float(weight), tuple(_key_forms(word, as_written) for word in words(text)))
            if value in made:  # two spellings of one entry: counted once, as before
                key = made[value]
            else:
                key = made[value] = _Key(*value)
                table = singles if len(key.words) == 1 else phrases
                for form in key.words[0]:
                    table[form].append(key)
            if text in ALGERIAN_OFFICES:
                algerian[key] = tuple(words(text))
    if missing := ALGERIAN_OFFICES - {text for entries in LEXICON.values() for text in entries}:
        raise ValueError(f"ALGERIAN_OFFICES not in the lexicon: {sorted(missing)}")
    return dict(singles), dict(phrases), algerian


_SINGLES, _PHRASES, _ALGERIAN_KEYS = _compile()


@word_memo()
def _ordered_stems(word: str) -> tuple[str, ...]:
    """A word's stems in a fixed order (not the set's, which changes with each process's string
    hashes), looked up once per distinct word."""
    return tuple(sorted(light_stems(word)))


@word_memo()
def _entries(word: str) -> tuple[tuple[_Key, ...], dict[str, tuple[_Key, ...]]] | None:
    """The lexicon entries a word may be evidence of: single-word entries, the heaviest of each
    topic only (التضامن and تضامن both meet التضامن: one word, one piece of evidence), and the
    phrases it may begin, by the forms of their second word (most of a common word's phrases
    are ruled out by the next word's stems, without trying them one by one); None for the many
    words that are neither.

    A word that is negative evidence for a topic (news.lexicon.NOT_EVIDENCE) is neither for
    that topic.
    """
    word_stems = light_stems(word)
    # In a fixed order, not the set's (which changes with each process's string hashes): of
    # two entries of a topic that weigh the same, which one a word is evidence of must not
    # depend on the process that files the article.
    ordered = sorted(word_stems)
    singles = [key for stem in ordered for key in _SINGLES.get(stem, ())]
    phrases = [key for stem in ordered for key in _PHRASES.get(stem, ())]
    if not singles and not phrases:
        return None
    if excluded := {topic for topic, forms in NOT_EVIDENCE.items() if word_stems & forms}:
        singles = [key for key in singles if key.topic not in excluded]
        phrases = [key for key in phrases if key.topic not in excluded]
    heaviest: dict[str, _Key] = {}
    for key in sorted(singles, key=lambda key: -key.weight):
        heaviest.setdefault(key.topic, key)
    by_second: dict[str, list[_Key]] = defaultdict(list)
    for key in dict.fromkeys(phrases):
        for form in key.words[1]:
            by_second[form].append(key)
    return tuple(heaviest.values()), {form: tuple(keys) for form, keys in by_second.items()}


def _matched_keys(text_words: list[str]) -> dict[_Key, int]:
    """The entries that count as evidence in a text, each with the position it was first found
    at: each entry once; each word for one entry of a topic only, the longest and heaviest
    (الجيش inside «الجيش الوطني الشعبي» is not a second piece of evidence, nor is التضامن for both
    تضامن and التضامن); and a word inside a phrase found is that phrase's, not a single-word
    hint of another topic (الشعبي in «المجلس الشعبي الوطني» says nothing of popular music)."""
    phrases: list[tuple[_Key, int]] = []
    singles: list[tuple[int, tuple[_Key, ...]]] = []
    last = len(text_words) - 1
    # Most words are evidence of nothing: they are passed over in one comprehension (the
    # lookups of `_entries` are cached) rather than one turn of the loop below each.
    found = [(i, entries) for i, entries in enumerate(map(_entries, text_words)) if entries is not None]
    for i, entries in found:
        if entries[0]:
            singles.append((i, entries[0]))
        if entries[1] and i < last:
            candidates = [key for form in _ordered_stems(text_words[i + 1]) for key in entries[1].get(form, ())]
            for key in dict.fromkeys(candidates) if len(candidates) > 1 else candidates:
                rest = key.words[2:]
                if i + 1 + len(rest) <= last and all(light_stems(text_words[i + 2 + j]) & w for j, w in enumerate(rest)):
                    phrases.append((key, i))
    counted: dict[_Key, int] = {}
    in_phrase: set[int] = set()
    if phrases:
        phrases.sort(key=lambda match: (-len(match[0].words), -match[0].weight, match[1]))
        taken: set[tuple[str, int]] = set()  # (topic, position) counted for that topic
        for key, start in phrases:
            span = range(start, start + len(key.words))
            if key in counted or any((key.topic, place) in taken for place in span):
                continue
            counted[key] = start
            taken.update((key.topic, place) for place in span)
            in_phrase.update(span)
    for i, keys in singles:
        if i in in_phrase:
            continue
        for key in keys:
            if key not in counted:
                counted[key] = i
    return counted


def lead_words(body: str, body_words: list[str] | None = None) -> list[str]:
    """The words of the article's first LEAD_CHARS characters: its body without what the page
    keeps around it (news.boilerplate.article_lines).  `body_words`, the whole body's words if
    known, are reused when the body is short and all of it is the article."""
    lines = article_lines(body, stop_after=LEAD_CHARS)
    if body_words is not None and len(body) <= LEAD_CHARS and sum(map(len, lines)) == len(body.replace("\n", "")):
        return body_words
    return words("\n".join(lines)[:LEAD_CHARS])


def lexicon_scores(title: str, body: str = "") -> dict[str, float]:
    """Each topic's score: the weights of its words found, title matches counting double."""
    return _scores(words(title), lead_words(body))


def _scores(title_words: list[str], lead: list[str]) -> dict[str, float]:
    return _ranked_evidence(title_words, lead)[0]


def _ranked_evidence(
    title_words: list[str], lead: list[str]
) -> tuple[dict[str, float], dict[str, int], dict[_Key, int]]:
    """Each topic's score (the weights of its entries found, the title's counting double),
    where its first evidence is (title positions before the lead's): a headline names its
    subject first, so of two topics with equal scores the one named first leads (file_words);
    and the title's entries."""
    in_title = _matched_keys(title_words)
    scores: dict[str, float] = defaultdict(float)
    first: dict[str, int] = {}
    for key, start in in_title.items():
        scores[key.topic] += key.weight * TITLE_WEIGHT
        first[key.topic] = min(first.get(key.topic, start), start)
    offset = len(title_words)
    for key, start in _matched_keys(lead).items():
        if key not in in_title:
            scores[key.topic] += key.weight
            first[key.topic] = min(first.get(key.topic, offset + start), offset + start)
    return dict(scores), first, in_title


def topic_from_category(category: str | None) -> str | None:
    """A source's own section name (“Sport”, “الاقتصاد”, a URL's /economie/) as a topic."""
    if not category:
        return None
    topic = find_topic(category)
    if topic is None and "/" in category:
        for section in _URL_SECTION.findall(category.lower() + "/"):
            if (topic := find_topic(section)) is not None:
                break
    return topic.slug if topic else None


def classify(
    title: str, body: str = "", given: Iterable[str] = (), categories: Iterable[str | None] = ()
) -> tuple[str, ...]:
    """The article's topics, most certain first, at least one."""
    return file_words(words(title), lead_words(body), given, categories).topics


def classify_words(
    title_words: list[str], lead: list[str], given: Iterable[str] = (), categories: Iterable[str | None] = ()
) -> tuple[str, ...]:
    """`classify` for a text already split into words: the title's, and the lead's (`lead_words`)."""
    return file_words(title_words, lead, given, categories).topics


def file_words(
    title_words: list[str], lead: list[str], given: Iterable[str] = (), categories: Iterable[str | None] = ()
) -> Filing:
    """The article's topics and how sure the lexicon is of the first (see Filing)."""
    if given := tuple(dict.fromkeys(given)):
        return Filing(given)  # said by a person (an admin, the import file): final
    chosen: list[str] = []
    for category in categories:
        slug = topic_from_category(category)
        if slug and slug not in chosen:
            chosen.append(slug)
    if chosen:
        # The source's own section: the lexicon may add one more topic it is sure about.
        ranked = sorted(_scores(title_words, lead).items(), key=lambda item: -item[1])
        extra = [topic for topic, score in ranked[:1] if score >= 2 * MIN_SCORE and topic not in chosen]
        return Filing(tuple(chosen + extra)[: max(MAX_TOPICS, len(chosen))])
    scores, first, in_title = _ranked_evidence(title_words, lead)
    # Equal scores: a domain before a place (an agreement signed with Tunisia is politics, in
    # Tunisia), then the topic the headline names first.
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0] == "world", first[item[0]], item[0]))
    if not ranked:
        return Filing((FALLBACK,), 0.0)
    top_score = ranked[0][1]
    margin = top_score - (ranked[1][1] if len(ranked) > 1 else 0.0)
    picked = [ranked[0][0]]
    for topic, score in ranked[1:MAX_TOPICS]:
        if score >= MIN_SCORE and score >= SECOND_RATIO * top_score:
            picked.append(topic)
    # Another country's politics, war or disaster is world news first: an election in France
    # is not Algerian politics.  Unless Algeria is in the headline (a visit, a treaty).
    if picked[0] in _ABROAD_FIRST and scores.get("world", 0) >= MIN_SCORE:
        if not _mentions_algeria(title_words, in_title):
            picked = ["world", picked[0]]
    # And the other way round: what Algeria says or does abroad (condemns a strike, chairs a
    # meeting of the African Union) is Algerian politics first.
    elif picked[0] == "world" and _mentions_algeria(title_words, in_title):
        picked = ["politics", "world"]
    return Filing(tuple(picked), margin)


# --- The story's other versions --------------------------------------------------------------

# A filing whose first topic leads the next by less than this is weak: less than one strong word
# of the headline (weight 2, counted double) ahead.  «نسبة البذر فاقت 96 بالمائة» alone has no
# evidence at all; another outlet's «حملة الحرث والبذر: 96 بالمائة من المساحات المبرمجة» has plenty.
WEAK_MARGIN = 4.0


class StoryRefiling:
    """What to file again in one story, given its surest version (topics given by a person or
    the source's section first, then the largest margin) and its weakly filed versions: each of
    those takes the surest version's topics when that one is sure, and counts from then on as
    sure as it is — so it is not looked at again, and a later version of another opinion leaves
    it, as it leaves the sure ones.  Versions filed before margins were kept (None) are final."""

    weak_below = WEAK_MARGIN

    def __call__(self, surest: FiledVersion, unsure: Sequence[FiledVersion]) -> Refiling | None:
        unsure_ids = tuple(v.article_id for v in unsure if v.article_id != surest.article_id)
        if not unsure_ids or (surest.margin is not None and surest.margin < WEAK_MARGIN):
            return None
        return Refiling(surest.article_id, unsure_ids, WEAK_MARGIN if surest.margin is None else surest.margin)


refiling = StoryRefiling()


# An earthquake or a flood abroad is world news first too, as are another country's politics
# and wars.
_ABROAD_FIRST = {"politics", "security", "weather"}
# Algeria named, or its president and its minister of foreign affairs (a visit, a treaty).
_ALGERIA = frozenset(
    ("الجزاير", "جزاير", "جزايري", "algerie", "alger", "algerien", "algerienne", "تبون", "tebboune", "عطاف", "attaf")
)


def _mentions_algeria(title_words: list[str], title_keys: dict[_Key, int] | None = None) -> bool:
    """Whether the headline names Algeria, its officials or its offices (رئيس الجمهورية, the
    APN…: news.lexicon.ALGERIAN_OFFICES).  An office is named as written, its article and all,
    clitics aside: «انتخاب رئيس للجمهورية» in Lebanon is a president for a republic, not ours."""
    for key, start in (title_keys or {}).items():
        if key in _ALGERIAN_KEYS and all(
            word.endswith(written) for word, written in zip(title_words[start:], _ALGERIAN_KEYS[key], strict=False)
        ):
            return True
    return any(light_stems(word) & _ALGERIA for word in title_words)

"""What a headline says about its event, read once per article: the story matcher's key.

`story_key(title, body)` gives:
- `tokens`: the content words, each folded to one form (normalized, stemmed to its shortest
  stem) and then to its concept when it is a known paraphrase (تعيين/تنصيب → one token;
  «وحدة سكنية» → the token of مسكن), numbers as "#N"; outlets' prefixes (عاجل، بالفيديو) and
  padding (مرتقبة، مروع) left out.
- `numbers`: every number, read the same in digits and in words (عشرين ألف = 20 ألف = 20000).
- `places`: wilayas (news.regions), towns, countries and their capitals and adjectives
  (التونسي → Tunisia), and parts of the country (ولايات الجنوب).
- `persons`: family names — the word after a first name (سليم حداد → حداد, أنطونيو غوتيريش),
  after بن (بن ناصر), or a headline's first word when a verb follows it (محرز يقود…): a
  surname alone and the full name give the same person.
- `entities`: organisations, posts and laws named by the word after their noun, by class
  (وزير الداخلية → (ministry, داخل); قانون الصحة → (law, صح)).
- `lead`: the tokens of the body's first sentences, when there is a body, and `lead_places`
  the places they name (a dull headline's place may be said in its body only).

Everything is computed from precompiled tables; the per-word work is cached, since news
repeats its words endlessly.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain
from typing import Any, NamedTuple

from algeria_wilayas_communes import get_communes

from news import story_lexicon as lexicon
from news import story_lexicon_fr as french
from news.regions import WILAYAS, may_name_a_wilaya, wilayas_in
from news.search import STOPWORDS
from news.text import has_arabic, light_stems, normalize, strip_accents, word_memo, words

# A token of a folded headline: a number (with its decimal part) or a run of letters.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+")
# Algiers (الجزائر العاصمة، Alger) names Algeria too, as every capital names its country.
_CAPITAL = "wilaya:16"
_ALGERIA = "country:dz"
# A person named by initials, as courts' reports name the accused (رجل الأعمال م. ب.): two or
# more single letters, each with its full stop.
_INITIALS = re.compile(r"(?<!\w)((?:[^\W\d_]\. ?){2,})")
# A family name after its first name's initial (رجل الأعمال ك. بوعزيز، le wali A. Benali).
_INITIALLED = re.compile(r"(?<!\w)(?:[^\W\d_]\. ?)+([^\W\d_]{3,})")
# The body's first words stand for its first sentences (a lead is rarely longer).
LEAD_WORDS = 30
LEAD_CHARACTERS = 400
_CLITICS = ("وب", "ول", "فب", "فل", "و", "ب", "ل", "ف", "ك")


_NOTHING: frozenset[Any] = frozenset()


class StoryKey(NamedTuple):
    # A tuple rather than a frozen dataclass: one is made for every article (and pickled from
    # the worker that made it), and a frozen dataclass costs several times more to build.
    tokens: frozenset[str]
    numbers: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    persons: frozenset[str] = frozenset()
    entities: frozenset[tuple[str, str]] = frozenset()
    lead: frozenset[str] = frozenset()
    lead_places: frozenset[str] = frozenset()
    french: bool = False  # a headline in Latin letters (French), read with the French tables
    # Tokens of verbs no table knows (يعتزم، تشهد): outlets pick their verbs freely, so one of
    # these the other headline lacks does not count against the pair (news.stories.similarity).
    loose: frozenset[str] = frozenset()
    # The headline's character trigrams (normalized, spaces at both ends), each hashed to one of
    # GRAM_BITS bits: how alike two headlines are written, beyond the words the tables fold
    # (news.stories.pair_features: shared bits over the fewer's).  An int: cheap to keep and to
    # pickle, and its bits are shared with one `&`.
    grams: int = 0
    # The body's first BODY_DIGEST_WORDS words (normalized), hashed: two articles with the same
    # one run one text (news.stories: a copy), however they are headed.  0: no body.
    body_digest: int = 0


GRAM_BITS = 1024
# A body's words this far tell which text it is: an outlet's standing opening, a template's
# figures or a match's teams and score come before, an outlet's own footer mostly after.
BODY_DIGEST_WORDS = 120


def body_digest(body_words: Sequence[str]) -> int:
    """A stable hash (the same in every process) of a body's first BODY_DIGEST_WORDS words."""
    text = " ".join(body_words[:BODY_DIGEST_WORDS]).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


def _gram_bit(gram: str) -> int:
    bit = _GRAM_BITS.get(gram)
    if bit is None:
        first, second, third = map(ord, gram)
        bit = 1 << (((first * 0x9E3779B1 + second * 0x85EBCA77 + third * 0xC2B2AE3D) >> 7) & (GRAM_BITS - 1))
        if len(_GRAM_BITS) < 200_000:
            _GRAM_BITS[gram] = bit
    return bit


def _text_grams(text: str) -> int:
    mask = 0
    for at in range(len(text) - 2):
        mask |= _gram_bit(text[at : at + 3])
    return mask


def title_grams(normalized: str) -> int:
    """The bits of a normalized headline's character trigrams (a hash of their code points, the
    same in every process, unlike hash()).

    Read word by word (news repeats its words): a headline's trigrams are those of each word
    between spaces (« word »), remembered per word, and the ones across each space (the last
    letter of a word, the space, the first of the next).  A text with spaces at its ends or
    two in a row (never a normalized one) is read trigram by trigram."""
    if not normalized or "  " in normalized or normalized[0] == " " or normalized[-1] == " ":
        return _text_grams(f" {normalized} ")
    words_get, grams_get = _WORD_GRAMS.get, _GRAM_BITS.get
    mask = 0
    last = ""
    for part in normalized.split(" "):
        word_mask = words_get(part)
        if word_mask is None:
            word_mask = _text_grams(f" {part} ")
            if len(_WORD_GRAMS) < 200_000:
                _WORD_GRAMS[part] = word_mask
        if last:
            across = f"{last} {part[0]}"
            mask |= word_mask | (grams_get(across) or _gram_bit(across))
        else:
            mask = word_mask
        last = part[-1]
    return mask


_GRAM_BITS: dict[str, int] = {}  # each trigram's bit, as it is met (bounded)
_WORD_GRAMS: dict[str, int] = {}  # the bits of each word's trigrams, spaces around it (bounded)


def _french_stem(word: str) -> str:
    """A light stemmer for French headlines' words (normalized: lower case, no accents): the
    plural, the feminine and the verb's endings peeled so that every form of a word reaches
    one stem (signent, signé, signée → sign; algériennes → algerien; nationaux → national)."""
    if len(word) > 5 and word.endswith("aux"):
        word = word[:-3] + "al"
    # The plural, then the feminine (é, ée), then what is left of a feminine adjective's
    # plural (française → françai like français).
    if len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    for _ in range(2):
        if len(word) > 4 and word[-1] == "e":
            word = word[:-1]
    if len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    if len(word) >= 7 and word.endswith("ent"):
        word = word[:-3]  # renforcent → renforc
    if len(word) > 4 and word[-2:] in ("nn", "ll", "tt"):
        word = word[:-1]  # algérienne → algerien
    if len(word) > 5 and word.endswith("er"):
        word = word[:-2]  # signer → sign
    return word


@word_memo()
def _shortest_stem(word: str) -> str:
    """A normalized word's shortest stem, of its stems and of theirs (غازيا → غازي → غاز), so
    that every spelling of a word reaches the same one; a French word's, its light stem."""
    if word.isascii():
        return _french_stem(word) if word.isalpha() else word
    seen = {word}
    todo = [word]
    while todo:
        for stem in light_stems(todo.pop()):
            if stem not in seen:
                seen.add(stem)
                todo.append(stem)
    # A stem that still begins with ال is a suffix stripped from the article's word, not its
    # root (الصين → الص, like الصهيوني): the shortest without it comes first.
    return min(seen, key=lambda stem: (stem.startswith("ال") and len(seen) > 1, len(stem), stem))


def _fold_phrase(text: str) -> tuple[str, ...]:
    return tuple(_shortest_stem(word) for word in _TOKEN.findall(normalize(text)))


def _without_clitic(word: str) -> str:
    """A normalized word without a leading و ب ل ف ك, when what is left is still a word."""
    for clitic in _CLITICS:
        if word.startswith(clitic) and len(word) - len(clitic) >= 3:
            return word[len(clitic) :]
    return word


# --- the tables, folded once ----------------------------------------------------------

def _concepts() -> dict[tuple[str, ...], str]:
    table: dict[tuple[str, ...], str] = {}
    for group in lexicon.PARAPHRASES:
        concept = "@" + "_".join(_fold_phrase(group[0]))
        for phrase in chain(group, french.PARAPHRASES.get(group[0], ())):
            table.setdefault(_fold_phrase(phrase), concept)
    for group in french.OWN_PARAPHRASES:
        concept = "@" + "_".join(_fold_phrase(group[0]))
        for phrase in group:
            table.setdefault(_fold_phrase(phrase), concept)
    # A present-tense verb of one word says the same act whoever does it: يفوز, تفوز, يفوزون.
    # (Written forms come first; these only fill gaps.)
    for group in lexicon.PARAPHRASES:
        concept = "@" + "_".join(_fold_phrase(group[0]))
        for phrase in group:
            verb = normalize(phrase)
            if " " in verb or len(verb) < 4 or verb[0] not in "يت" or verb.startswith("تم"):
                continue
            for form in ("ي" + verb[1:], "ت" + verb[1:], "ي" + verb[1:] + "ون", "ت" + verb[1:] + "ان"):
                table.setdefault(_fold_phrase(form), concept)
    return table


_CONCEPTS = _concepts()
# Concepts that tell two events apart (lexicon.OPPOSITES): the judgement's.
OPPOSITE_CONCEPTS = tuple(
    (_CONCEPTS[_fold_phrase(one)], _CONCEPTS[_fold_phrase(other)]) for one, other in lexicon.OPPOSITES
)
# When an act is, against now (المقبل، منذ أمس): a fact that tells two events apart
# (OPPOSITES), not a word the other outlet must say.
_WHEN = frozenset(_CONCEPTS[_fold_phrase(word)] for word in lexicon.WHEN)
# The posts of lexicon.ROLES, as tokens (news.stories.conflict).
ROLES = frozenset(_CONCEPTS.get(phrase := _fold_phrase(role), "_".join(phrase)) for role in lexicon.ROLES)
_LONGEST_PHRASE = max(len(phrase) for phrase in _CONCEPTS)
_FILLERS = frozenset(_shortest_stem(word) for filler in lexicon.FILLERS for word in _fold_phrase(filler))
_STOP = frozenset(STOPWORDS) | frozenset(map(normalize, french.STOPWORDS))
# Prepositions end an organisation's or a post's name (لوزير سابق أمام محكمة).
_NAME_ENDS = _STOP | frozenset(normalize(word) for word in lexicon.PREPOSITIONS)


def _number_words(table: dict[str, int]) -> dict[str, int]:
    """Each number word's normalized forms, with and without a clitic or the article."""
    forms: dict[str, int] = {}
    for word, value in table.items():
        base = normalize(word)
        for prefix in ("", "ال", "و", "ب", "ل", "وال", "بال"):
            forms.setdefault(prefix + base, value)
    return forms


_UNITS = _number_words(lexicon.UNITS)
# "بالمائة", "في المائة": per cent, the end of a number (56 بالمائة is 56), not a hundred.
_PERCENT = frozenset(normalize(word) for word in lexicon.PERCENT)
_TENS = {form: value for form, value in _number_words(lexicon.TENS).items() if form not in _PERCENT}
_MULTIPLIERS = _number_words(lexicon.MULTIPLIERS)
_TEN = frozenset(form for form, value in _UNITS.items() if value == 10)
# A half or a quarter of a multiplier (نصف مليون، مليار ونصف، ربع مليون).
_ORDINAL_NOUNS = frozenset(map(normalize, lexicon.ORDINAL_NOUNS))
_FIRST_SECOND = {normalize(word): str(value) for word, value in lexicon.FIRST_SECOND.items()}
_FRACTIONS = {"نصف": 0.5, "ونصف": 0.5, "ربع": 0.25, "وربع": 0.25}
# A hundred said after its unit in two words (ست مئة، ثلاث مائة): the unit's hundreds, not
# the unit plus a hundred.  Only the bare word: with و, ب or ل it is a number of its own (سبعة
# ومئة: 107).  ست (six; also "lady") counts only there, also after و within a number (ألف وست
# مئة: 1,600, as ألف وستمائة).
_HUNDRED = frozenset(normalize(word) for word, value in lexicon.TENS.items() if value == 100)
_SIX = normalize("ست")
# A multiplier in the dual's construct form, before what it counts (ألفا أسرة: two thousand
# families); after a number, or alone, it is the accusative (862 ألفا، يستقبل مليونا: ×1), and
# so before a preposition (تخصص مليارا لإصلاح الطرق، مليونا لكل بلدية، ألفا خلال يومين، ألفا من
# الزوار), an adverb (ألفا تقريبا، مليونا سنويا) or the end of a sentence.  What it counts is
# a plain noun: one that begins with ل، ب، ك or و (a preposition's or the conjunction's letter:
# ألفا و300، ألفا وثلاثمائة) counts only when it is one of lexicon.COUNTED_NOUNS (ألفا وحدة سكنية،
# مليونا برميل).
_DUAL_CONSTRUCTS = frozenset(normalize(word) for word in ("ألفا", "مليونا", "مليارا"))
_NOT_COUNTED = _STOP | frozenset(normalize(word) for word in chain(lexicon.PREPOSITIONS, lexicon.NOT_COUNTED))
_COUNTED_NOUNS = frozenset(normalize(word) for word in lexicon.COUNTED_NOUNS)
# Electric power after a number (lexicon.POWER_UNITS), in megawatts: the figure in megawatts is
# a number of the headline too (3 غيغاواط: 3 and 3000), so that one capacity said in two units
# names one number.  Megawatts add nothing; a unit of two words (ميغا واط) by its first.
_POWER_UNITS: dict[str, dict[str, float]] = {}
for _unit, _megawatts in chain(lexicon.POWER_UNITS.items(), french.POWER_UNITS.items()):
    _first, _, _second = normalize(_unit).partition(" ")
    _POWER_UNITS.setdefault(_first, {})[_second] = _megawatts
# (Not العامين: "general", as in الأطباء العامين.)
_DUALS = frozenset(_number_words(dict.fromkeys(lexicon.DUALS, 2))) - {"العامين", "والعامين", "بالعامين"}


def _places() -> dict[tuple[str, ...], tuple[str, ...]]:
    table: dict[tuple[str, ...], tuple[str, ...]] = {}
    for country, (names, adjectives) in lexicon.COUNTRIES.items():
        for name in names + adjectives:
            table.setdefault(_fold_phrase(name), ("country:" + country,))
    for country, (names, adjectives) in french.COUNTRIES.items():
        for name in names + adjectives:
            table.setdefault(_fold_phrase(name), ("country:" + country,))
    for town, wilaya in lexicon.TOWNS.items():
        table.setdefault(_fold_phrase(town), ("town:" + "_".join(_fold_phrase(town)), f"wilaya:{wilaya}"))
    return table


def _communes() -> tuple[dict[tuple[str, ...], tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The communes (news.regions reads the wilayas): those named by several words, read as
    phrases wherever they stand (عين الترك، بئر العاتر، Bir El Ater), and those named by one
    word, read only where a place is said (بمغنية، في الرمشي، à Maghnia, or a dateline), so
    that a word that is also a commune's name elsewhere is not read as a place.  A name shared
    by two wilayas' communes, a wilaya's own, a person's (بن مهيدي), a common word
    (lexicon.NOT_PLACES: الرابطة the league) or one a table knows as another word is left out."""
    wilayas_of: dict[str, set[int]] = {}
    for row in get_communes():
        for key in ("nom_ar", "nom_fr"):
            name = " ".join(_TOKEN.findall(normalize(str(row.get(key) or ""))))
            if name:
                wilayas_of.setdefault(name, set()).add(int(row["wilaya_num"]))
    people = frozenset(map(normalize, chain(lexicon.FIRST_NAMES, ("بن", "ابن", "الامير", "emir", "ben"))))
    wilaya_names = [" ".join(_TOKEN.findall(normalize(name))) for wilaya in WILAYAS for name in (wilaya.name_ar, wilaya.name_fr)]
    wilaya_words = frozenset(chain.from_iterable(name.split() for name in wilaya_names))
    not_places = frozenset(map(normalize, lexicon.NOT_PLACES))
    heads = frozenset(
        normalize(head) for heads in chain(lexicon.NAMED_BY_NEXT_WORD.values(), french.NAMED_BY_NEXT_WORD.values())
        for head in heads
    )
    phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
    words_: dict[str, tuple[str, ...]] = {}
    for name, wilayas in wilayas_of.items():
        parts = name.split()
        if len(wilayas) != 1 or people.intersection(parts) or name in wilaya_names:
            continue
        folded = tuple(map(_shortest_stem, parts))
        place = ("town:" + "_".join(folded), f"wilaya:{next(iter(wilayas))}")
        if len(parts) > 1:
            phrases.setdefault(folded, place)
        elif (
            len(name) >= (5 if name.isascii() else 4) and name not in not_places and name not in wilaya_words
            and name not in heads and name not in _STOP and (folded[0],) not in _CONCEPTS
        ):
            words_[name] = place
    return phrases, words_


_PLACES = _places()
_COMMUNE_PHRASES, _COMMUNE_WORDS = _communes()
for _phrase, _place in _COMMUNE_PHRASES.items():
    _PLACES.setdefault(_phrase, _place)
# Where a one-word commune is said: after في, à, بلدية (or ب attached to it).
_PLACE_CUES = frozenset(map(normalize, lexicon.PLACE_CUES))
# Common words that a country's name folds alike (سيول floods / Seoul, تسوية settlement / Botswana).
_NOT_COUNTRIES = frozenset(
    clitic + word for word in map(normalize, lexicon.NOT_COUNTRIES) for clitic in ("", "و", "ب", "ال", "بال", "وال", "لل")
)
_CITY = frozenset(normalize(clitic + "مدينة") for clitic in ("", "ب", "ل", "و"))


def _commune_at(raw: Sequence[str], i: int, normalized: str = "") -> tuple[str, ...]:
    """The commune a word names where a place is said (بمغنية، في مغنية، à Maghnia, or as the
    headline's dateline «مغنية:»), or nothing."""
    word = raw[i]
    if word[0] == "ب" and word[1:] in _COMMUNE_WORDS:
        return _COMMUNE_WORDS[word[1:]]
    if word[0] == "و" and word[1:] in _COMMUNE_WORDS and i > 0 and _names_a_place(raw[i - 1]):
        return _COMMUNE_WORDS[word[1:]]  # بين الجزائر والثنية: a place joined to a place
    if word in _COMMUNE_WORDS and (
        (i > 0 and raw[i - 1] in _PLACE_CUES) or (i == 0 and normalized[len(word) :].lstrip().startswith(":"))
    ):
        return _COMMUNE_WORDS[word]
    return ()


def _adjective_places() -> dict[str, tuple[str, ...]]:
    """Each country adjective's written forms (العماني، التونسية، الجزائريين), read as written
    before folding: folded, an adjective may fall on another country's name (العماني → عمان,
    Amman, the capital of Jordan)."""
    table: dict[str, tuple[str, ...]] = {}
    exact = ((country, forms) for country, forms in lexicon.EXACT_COUNTRY_FORMS.items())
    for country, adjectives in chain(((country, adjectives) for country, (_, adjectives) in lexicon.COUNTRIES.items()), exact):
        for adjective in map(normalize, adjectives):
            for prefix in ("", "ال", "و", "وال", "بال", "لل", "ب", "ل"):
                for suffix in ("", "ه", "ين", "ون", "ان"):
                    table.setdefault(prefix + adjective + suffix, ("country:" + country,))
    return table


_ADJECTIVE_PLACES = _adjective_places()
# "مالي" bare is the country; "المالي" is Malian only after one of these (else "financial").
_MALI = frozenset({"مالي"})
_MALI_ADJECTIVES = frozenset({"المالي", "الماليه"})
_MALI_CUES = frozenset(normalize(word) for word in lexicon.MALI_CUES)
_DIRECTIONS = {_shortest_stem(normalize(word)): part for word, part in lexicon.DIRECTIONS.items()}
_FIRST_NAMES = frozenset(_shortest_stem(normalize(name)) for name in lexicon.FIRST_NAMES)
_PLAIN_FIRST_NAMES = frozenset(map(normalize, lexicon.FIRST_NAMES))
# A first name is read as written, not stemmed (بلمهدي is no مهدي): alone or after و.
_FIRST_NAME_FORMS = frozenset(chain.from_iterable((form, "و" + form) for form in map(normalize, lexicon.FIRST_NAMES)))
_COMPOUND_ENDS = frozenset(normalize(end) for end in lexicon.COMPOUND_NAME_ENDS)
# Marks a family name guessed from where a word stands (a bare word before a verb or after an
# act: محرز يقود، إصابة محرز), not told by a first name, a title, بن or initials: such a word is
# as often a common noun (شاب ينقذ، خروج قطار).  See news.stories._persons_differ.
GUESSED = "~"
# Joins the first name, when one is said, to the family name (بلعيدي^يوسف): one said by both
# headlines and written otherwise is someone else (يوسف بلعيدي / يونس بلعيدي).
GIVEN = "^"
_NAME_LINKS = frozenset({"بن", "ابن", "بو", "ايت", "اولاد"})
_HEADS = {
    _shortest_stem(normalize(head)): kind
    for kind, heads in chain(lexicon.NAMED_BY_NEXT_WORD.items(), french.NAMED_BY_NEXT_WORD.items()) for head in heads
    if " " not in head
}
_GENERIC = frozenset(word for qualifier in lexicon.GENERIC_QUALIFIERS for word in _fold_phrase(qualifier))
# A concept whose first phrase begins with such a noun names one of its class (رئيس الجمهورية،
# تبون: the chair (رئيس) of the republic).
_HEAD_KINDS = {
    concept: _HEADS[phrase[0]] for phrase, concept in _CONCEPTS.items() if phrase[0] in _HEADS
    and concept == "@" + "_".join(phrase)
}
# An organisation of lexicon.ORGANISATIONS is also one of its noun's class (_HEAD_KINDS: الديوان
# الجزائري المهني للحبوب is a body, and an office like الديوان الوطني المهني للحليب).
_CONCEPT_KINDS = _HEAD_KINDS | {_CONCEPTS[_fold_phrase(sport)]: "sport" for sport in lexicon.SPORTS} | {
    _CONCEPTS[_fold_phrase(name)]: kind for kind, names in lexicon.ORGANISATIONS.items() for name in names
} | {
    _CONCEPTS[_fold_phrase(team)]: "team" for team in lexicon.TEAMS
}
# The country an organisation's name says (الخطوط الجوية الجزائرية, not التركية): a fact of its own.
# (Not Mali: المالية, financial, folds like مالي.)
_ORGANISATIONS = frozenset(_CONCEPTS[_fold_phrase(name)] for names in lexicon.ORGANISATIONS.values() for name in names)
_NAME_PLACES = {
    phrase: places for phrase, concept in _CONCEPTS.items() if len(phrase) > 1 and concept in _ORGANISATIONS
    and (places := tuple(
        place for word in phrase for place in _PLACES.get((word,), ())
        if place.startswith("country:") and place != "country:ml"
    ))
}
# Concepts that name something (an organisation, a post, a club, a sport), not an act.
ENTITY_CONCEPTS = frozenset(_CONCEPT_KINDS)
_OTHER_KINDS = {concept: kind for concept, kind in _HEAD_KINDS.items() if _CONCEPT_KINDS[concept] != kind}
# The words of a name after its noun's first one carry the article or ل (بنك الفلاحة والتنمية
# الريفية، الاتحادية الجزائرية لكرة القدم).
_DEFINITE = ("ال", "ل", "وال", "بال", "فال", "كال", "ول")
_NAME_WORDS = 4
# In a name, the capital is Algiers (ميناء العاصمة = ميناء الجزائر).
_THE_CAPITAL, _CAPITAL_NAME = _shortest_stem(normalize("العاصمة")), _shortest_stem(normalize("الجزائر"))
# "Of" in a name's construct, which a definite word follows (ذوي الاحتياجات الخاصة).
_OF_THOSE = frozenset(normalize(word) for word in ("ذوي", "ذات", "ذو"))
# "Concerning": a law's name follows it after ب (القانون المتعلق بالجمعيات = قانون الجمعيات).
# So do a decree's (المرسوم المحدد لكيفيات…، مشروع قانون يتعلق بالصحة العقلية), after ل too.
_ABOUT = frozenset(
    normalize(word) for word in (
        "المتعلق", "المتعلقة", "الخاص", "الخاصة", "المتضمن", "يتعلق", "تتعلق", "المحدد", "المحددة", "المنظم",
        "المنظمة", "يحدد", "ينظم",
    )
)
_ADJECTIVE = ("ال", "لل", "وال")
# Titles before a name, as normalized words (الفريق أول): the longest first.
# A title as written after a preposition too (للمدافع، بالوزير، والمدرب).
_TITLES = {
    (clitic + words_[0][len("ال") :] if clitic else words_[0], *words_[1:])
    for words_ in (tuple(normalize(title).split()) for title in lexicon.TITLES)
    for clitic in ("", "لل", "بال", "وال")
    if not clitic or words_[0].startswith("ال")
}
_TITLE_OPENERS = frozenset(title[0] for title in _TITLES)


# Every word the tables know, folded: a word of a headline that only reaches one of them once a
# clitic the stemmer leaves on short words is dropped (لبنك → بنك) or the accusative alef of a
# short word (عاما → عام) is dropped, is read as that word.
_KNOWN = frozenset(
    chain(
        chain.from_iterable(_CONCEPTS), _FILLERS, _HEADS, _GENERIC, _FIRST_NAMES, _DIRECTIONS,
        chain.from_iterable(_PLACES),
    )
)


@word_memo()
def fold(word: str) -> str:
    """A normalized word's one form for matching (see `_shortest_stem` and `_KNOWN`)."""
    shortest = _shortest_stem(word)
    if shortest in _KNOWN or len(word) < 4:
        return shortest
    if word[0] in "وبلفك" and (bare := _shortest_stem(word[1:])) in _KNOWN:
        return bare
    if word.endswith("ا") and (bare := _shortest_stem(word[:-1])) in _KNOWN:
        return bare
    return shortest


# The wilayas' seats by the names the press gives them (lexicon.WILAYA_NICKNAMES), read as the
# wilaya; added after _KNOWN, so that their common words (مدينة، عاصمة) fold elsewhere as before.
# Their first word after ب، ل or و as it folds (بمدينة → بمد, not مدين) opens them too.
_NICKNAMES: set[tuple[str, ...]] = set()
for _nickname, _wilaya in lexicon.WILAYA_NICKNAMES.items():
    _first, *_rest = _TOKEN.findall(normalize(_nickname))
    for _clitic in ("", "ب", "ل", "و", "وب", "ول"):
        _phrase = (_shortest_stem(_first) if not _clitic else fold(_clitic + _first), *_fold_phrase(" ".join(_rest)))
        _PLACES.setdefault(_phrase, (f"wilaya:{_wilaya}",))
        _NICKNAMES.add(_phrase)
# What makes a nickname another place's (lexicon.NICKNAMES_ELSEWHERE): its folded words -> the
# normalized words said before it and after it.
_ELSEWHERE: dict[tuple[str, ...], list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
for _name in lexicon.NICKNAMES_ELSEWHERE:
    _words = _TOKEN.findall(normalize(_name))
    _start, _size = max(
        (start, size) for start in (0, 1) for size in range(2, len(_words) - start + 1)
        if size < len(_words) and _fold_phrase(" ".join(_words[start : start + size])) in _NICKNAMES
    )
    _ELSEWHERE.setdefault(_fold_phrase(" ".join(_words[_start : _start + _size])), []).append(
        (tuple(_words[:_start]), tuple(_words[_start + _size :]))
    )
_FRENCH_LINKS = frozenset(("de", "du", "des", "d", "l", "la", "le"))


def _said_elsewhere(raw: list[str], info: list[_Word], i: int, size: int) -> bool:
    """Whether the nickname of a wilaya at raw[i : i + size] names another place here: a word
    more makes it another's (lexicon.NICKNAMES_ELSEWHERE), or the word after it names another
    country (بنغازي عاصمة الشرق الليبي، Benghazi, capitale de l'Est libyen)."""
    words = tuple(this.folded for this in info[i : i + size])
    if words not in _NICKNAMES:
        return False
    for before, after in _ELSEWHERE.get(words, ()):
        if (
            tuple(raw[i - len(before) : i]) == before and len(before) <= i
            and tuple(raw[i + size : i + size + len(after)]) == after
        ):
            return True
    j = i + size
    while j < len(raw) and raw[j] in _FRENCH_LINKS:
        j += 1
    return j < len(raw) and any(place.startswith("country:") and place != _ALGERIA for place in info[j].places)


def _number_value(text: str) -> float:
    whole, _, fraction = text.replace(",", ".").partition(".")
    if len(fraction) == 3:  # 1.500 مسكن: a thousands separator, not a decimal point
        return float(whole + fraction)
    return float(text.replace(",", "."))


def _number_text(value: float) -> str:
    if math.isinf(value):  # digits past a float's range (a feed's garbage): one "number", not a crash
        return "inf"
    return str(int(value)) if value == int(value) else f"{value:g}"


class _Word(NamedTuple):
    """What the reader needs to know of one normalized word, worked out once per word."""

    folded: str
    token: str | None  # what it adds to the tokens alone: its concept, its folded form, or nothing
    number: bool  # digits, or a number word
    opens_phrase: bool  # the first word of a paraphrase or place of several words
    places: tuple[str, ...]  # the places it names alone
    fact: bool  # may tell a fact: a first name, بن, an organisation's noun, a part of the country, Mali
    subject: bool  # may be a headline's subject named by itself (محرز يقود…): a word of no table
    verb: bool  # looks like a present-tense verb (يقود، تفوز)
    wilaya: bool  # may be part of a wilaya's name
    title: bool  # may begin a title said before a name (السيد، الفريق أول)
    first_name: bool
    dual: bool  # a noun in the dual: the number 2 too
    commune: bool  # a commune's one-word name, or ب and one (see _commune_at)
    # Read alone in a lead (read_lead): no number, nor a phrase's first word, nor a place or a
    # commune, so that all it adds is its token.
    plain: bool = False


_PHRASE_OPENERS = frozenset(phrase[0] for phrase in chain(_CONCEPTS, _PLACES) if len(phrase) > 1)
# The longest paraphrase or place (of at most _LONGEST_PHRASE words) that each pair of words
# begins: _phrase_at tries no longer one, and none at a pair that begins none.
_PHRASE_LENGTHS: dict[tuple[str, ...], int] = {}
for _phrase in chain(_CONCEPTS, _PLACES):
    if len(_phrase) > 1:
        _PHRASE_LENGTHS[_phrase[:2]] = min(_LONGEST_PHRASE, max(len(_phrase), _PHRASE_LENGTHS.get(_phrase[:2], 0)))
_FACT_WORDS = _HEADS.keys() | _DIRECTIONS.keys()


def _looks_like_a_verb(word: str) -> bool:
    """A present-tense verb (يقود، تفوز), also after و or ف (ويعتلي)."""
    if word[0] in "وف" and len(word) >= 5:
        word = word[1:]
    return len(word) >= 4 and word[0] in "يت" and not word.startswith("تم")


@word_memo()
def _word(word: str) -> _Word:
    if word[0].isdigit():
        return _Word(word, None, True, False, (), False, False, False, False, False, False, False, False)
    folded = fold(word)
    concept = _CONCEPTS.get((folded,))
    content = word not in _STOP and folded not in _FILLERS and len(folded) >= 3
    places = _ADJECTIVE_PLACES.get(word) or _PLACES.get((folded,), ())
    if places and (
        word in _NOT_COUNTRIES
        or (places[0] != _ALGERIA and places[0].startswith("country:") and may_name_a_wilaya(word))
    ):
        places = ()  # إليزي (Illizi) folds like الإليزيه; سيول (floods) is Seoul
    elif places == ("country:ml",) and _without_clitic(word) not in _MALI:
        places = ()  # والمالي، للمالية: financial (Mali is read by _read_facts, after its cues)
    number = word in _NUMBER_WORDS or word in _FRACTIONS or (word.startswith("و") and (word[1:] in _UNITS or word[1:] in _TENS))
    latin = word.isascii()
    opens_phrase = folded in _PHRASE_OPENERS
    commune = not places and (word in _COMMUNE_WORDS or (word[0] in "بو" and word[1:] in _COMMUNE_WORDS))
    return _Word(
        folded,
        concept or (folded if content else None),
        number,
        opens_phrase,
        places,
        folded in _FACT_WORDS or word in _FIRST_NAME_FORMS or word in _NAME_LINKS
        or _without_clitic(word) in _MALI or word in _MALI_ADJECTIVES,
        # A French headline's names are told by their capitals (see _capitalized), not by place.
        content and concept is None and not places and not word.startswith("ال") and not latin,
        _looks_like_a_verb(word),
        may_name_a_wilaya(word),
        word in _TITLE_OPENERS,
        word in _FIRST_NAME_FORMS,
        word in _DUALS,
        commune,
        not (number or opens_phrase or places or commune),
    )


@lru_cache(maxsize=4_096)
def _place_tokens(places: tuple[str, ...], latin: bool) -> tuple[str, ...]:
    """The tokens that stand for places a word or a phrase names, in place of its own: a
    country's (a capital, the country and its adjective: واشنطن، الولايات المتحدة، الأمريكي),
    and for a town its wilaya's name as a headline writes it (مغنية → تلمسان; a town of Algiers
    → Algeria, as the capital stands for the country)."""
    stand_ins: list[str] = []
    for place in places:
        if place.startswith("country:"):
            stand_ins.append("=" + place)
        elif place.startswith("wilaya:"):
            stand_ins += _wilaya_tokens(int(place[7:]), latin)
    return tuple(stand_ins)


@lru_cache(maxsize=128)
def _wilaya_tokens(code: int, latin: bool) -> tuple[str, ...]:
    if f"wilaya:{code}" == _CAPITAL:
        return ("=" + _ALGERIA,)
    wilaya = next((wilaya for wilaya in WILAYAS if wilaya.code == code), None)
    if wilaya is None:
        return ()
    name = normalize(wilaya.name_fr if latin else wilaya.name_ar)
    return tuple(token for word in _TOKEN.findall(name) if (token := _word(word).token) is not None)


_FRENCH_UNITS = {normalize(word): value for word, value in french.UNITS.items()}
_FRENCH_MULTIPLIERS = {normalize(word): value for word, value in french.MULTIPLIERS.items()}
_FRENCH_HUNDREDS = frozenset(french.HUNDREDS)
_FRENCH_ONE = frozenset(french.ONE)
_NUMBER_WORDS = (
    frozenset(_UNITS) | frozenset(_TENS) | frozenset(_MULTIPLIERS)
    | frozenset(_FRENCH_UNITS) | frozenset(_FRENCH_MULTIPLIERS) | _FRENCH_HUNDREDS | {_SIX}
)


def _read_french_number(raw: list[str], i: int, text: str = "") -> tuple[float, int] | None:
    """The number that starts at raw[i] in a French headline (12 millions, douze millions,
    quatre-vingt-dix, deux cent mille) and the index after it; None when none does."""
    total = 0.0
    current = 0.0
    j = i
    while j < len(raw):
        word = raw[j]
        if word[0].isdigit():
            if j > i and not (len(word) == 3 and word.isdigit() and raw[j - 1][0].isdigit()):
                break
            # 200 000: a group of three digits after a number is its thousands' part
            current = current * 1000 + _number_value(word) if j > i else _number_value(word)
        elif word in _FRENCH_UNITS:
            value = _FRENCH_UNITS[word]
            # quatre-vingt(s): four twenties
            current = current * value if value == 20 and j > i and raw[j - 1] == "quatre" else current + value
        elif word in _FRENCH_HUNDREDS:
            current = (current or 1) * 100
        elif word in _FRENCH_MULTIPLIERS:
            total += (current or 1) * _FRENCH_MULTIPLIERS[word]
            current = 0
        elif word in _FRENCH_ONE and j == i and j + 1 < len(raw) and raw[j + 1] in _FRENCH_MULTIPLIERS:
            current = 1  # un million; "un" alone is "a"
        else:
            break
        j += 1
    if j == i:
        return None
    return total + current, j


def _counts_next(raw: list[str], i: int, text: str) -> bool:
    """Whether the dual's construct at raw[i] (ألفا، مليونا، مليارا) is followed by what it
    counts (see _DUAL_CONSTRUCTS): a plain noun, in the same sentence of `text` (the normalized
    headline raw was read from; "" when unknown, as in a body's words)."""
    if i + 1 >= len(raw):
        return False
    noun = raw[i + 1]
    if (
        noun[0].isdigit() or noun in _NUMBER_WORDS or noun in _NOT_COUNTED or noun.endswith("ا")
        or (noun[0] in "لبكو" and noun not in _COUNTED_NOUNS)
    ):
        return False
    if text:
        # (المعرض استقبل ألفا. الوزير يشيد: no punctuation between the two)
        spans = [match.span() for _, match in zip(range(i + 2), _TOKEN.finditer(text), strict=False)]
        if len(spans) == i + 2 and text[spans[i][1] : spans[i + 1][0]].strip():
            return False
    return True


def _read_number(raw: list[str], i: int, text: str = "") -> tuple[float, int] | None:
    """The number that starts at raw[i] (digits or words, with its multipliers) and the index
    after it; None when none does, or only a lone small number word (أحد is also "someone").
    `text`: the normalized headline raw was read from (see _counts_next)."""
    total = 0.0
    current = 0.0
    multiplier = 1
    j = i
    while j < len(raw):
        word = raw[j]
        if word[0].isdigit():
            if j > i and current:
                break
            current += _number_value(word)
        elif (
            value := _UNITS.get(word) or (j > i and word[0] == "و" and _UNITS.get(word[1:]))
            or ((word == _SIX or (j > i and word == "و" + _SIX)) and j + 1 < len(raw) and raw[j + 1] in _HUNDRED and 6)
        ):
            # "خمسة عشر": a unit then ten is a teen.
            if j + 1 < len(raw) and raw[j + 1] in _TEN and value < 10:
                value += 10
                j += 1
            elif j + 1 < len(raw) and raw[j + 1] in _HUNDRED and value < 10:
                value *= 100  # "ست مئة": six hundred
                j += 1
            current += value
        elif (tens := _TENS.get(word) or (j > i and word[0] == "و" and _TENS.get(word[1:]))):
            current += tens
        elif word in _MULTIPLIERS:
            if j == i and word in _DUAL_CONSTRUCTS and _counts_next(raw, j, text):
                current = 2  # "ألفا أسرة": two thousand
            total += (current or 1) * _MULTIPLIERS[word]
            current = 0
            multiplier = 10 ** (len(str(_MULTIPLIERS[word])) - 1)  # مليونان: of a million
        elif (
            word == "و" and total and not current and j + 1 < len(raw)
            and (raw[j + 1][0].isdigit() or raw[j + 1] in _UNITS or raw[j + 1] in _TENS)
        ):
            pass  # "مليون و200 ألف": the number goes on after و (1,200,000)
        elif word in _FRACTIONS and not current and (j > i or (j + 1 < len(raw) and raw[j + 1] in _MULTIPLIERS)):
            # "مليونان ونصف": half of the last multiplier; "مليونان ونصف مليون": half of the next.
            if j + 1 < len(raw) and raw[j + 1] in _MULTIPLIERS:
                current = _FRACTIONS[word]
            else:
                total += _FRACTIONS[word] * multiplier
        elif word in _FRACTIONS and current and not total and j > i and current == int(current):
            current += _FRACTIONS[word]  # "أربعة ونصف": four and a half
        else:
            break
        j += 1
    if j == i or (j == i + 1 and raw[i] in _UNITS and current < 3):
        # A lone واحد, أحد or اثنين is "one", "someone", Monday more often than a count.
        return None
    return total + current, j


def _surname(word: str) -> str:
    """A family name as the matcher keeps it: folded (بمحرز is محرز) and marked with the last
    letter written, so that two names folding alike stay two (زروقي / زروق، حمداني / حمدان)."""
    return fold(word) if word.isascii() else fold(word) + "|" + word[-1]


def _person_after(raw: list[str], j: int) -> str | None:
    """The family name that starts at raw[j] (بن ناصر as one), if there is a word there."""
    if j < len(raw) and raw[j] in _COMPOUND_ENDS:
        j += 1
    if j >= len(raw) or raw[j] in _STOP or raw[j][0].isdigit():
        return None
    if raw[j] in _NAME_LINKS and j + 1 < len(raw):
        return raw[j] + "_" + _surname(raw[j + 1])
    return _surname(raw[j])


@word_memo(20_000)
def _names_a_place(word: str) -> bool:
    return may_name_a_wilaya(word) or (fold(word),) in _PLACES


def _complement(
    raw: list[str], info: list[_Word], j: int, definite: bool = True, after_about: bool = False
) -> list[str]:
    """The words that name what a head noun at raw[j - 1] is: the word after it and the definite
    words that follow (بنك الفلاحة والتنمية الريفية → فلاح تنم ريف), each folded to its concept,
    generic words (عام، جديد) skipped.  After a `definite` noun only its adjectives and what ل
    joins name it (البنك الوطني الجزائري، المدير العام للجمارك): a bare word there is a person's
    name (الوزيرة كريكو), not the noun's complement.  `after_about`: the first word's ب or ل is
    the preposition of المتعلق، المنظم… (لنشاط سيارات الأجرة), and a bare word may follow it."""
    name: list[str] = []
    first_word = j
    bare = True  # the words so far are bare: a bare one may follow (رئيس حركة مجتمع السلم)
    generic = False  # the last word read was a generic one (العام)
    while j < len(raw) and len(name) < _NAME_WORDS:
        word = raw[j]
        if word in _OF_THOSE and j + 1 < len(raw) and name:
            name.append(info[j].folded)  # حماية الأشخاص ذوي الاحتياجات الخاصة: the name goes on
            j += 1
            continue
        if word in _NAME_ENDS or info[j].number or (name and not (bare or word.startswith(_DEFINITE))):
            break  # a number (وزيرا سابقا بعشر سنوات) names no organisation
        if word in _ABOUT and j + 1 < len(raw) and raw[j + 1][0] in "بل":
            # القانون المتعلق بحماية المستهلك: what follows ب is the law's name.
            name += _complement(raw, info, j + 1, definite=False, after_about=True)
            break
        if word[0] == "ب" and (info[j].wilaya or info[j].places) and _names_a_place(word[1:]):
            break  # رئيس بلدية سابق بتيبازة: where, not which (but بني مسوس is a name)
        if info[j].wilaya and not word.startswith("ال") and not info[j].opens_phrase and _names_a_place(word):
            break  # مستشفى باتنة: the place is a fact of its own (the places), not the name
        if name and bare and info[j].verb:  # مدير سونلغاز يعلن
            break
        if definite and not name and not word.startswith(_ADJECTIVE) and not (generic and word[0] == "ل"):
            break  # (but الأمين العام لبلدية…: ل after a generic word joins the name)
        if info[j].opens_phrase and (phrase := _phrase_at(info, j)) is not None and phrase[1] is not None:
            name.append(phrase[1])  # رئيس المجلس الشعبي الوطني = رئيس البرلمان
            j += phrase[0]
            continue
        folded = _CAPITAL_NAME if info[j].folded == _THE_CAPITAL else info[j].folded  # ميناء العاصمة
        generic = folded in _GENERIC
        if not generic:
            if not name and word[0] == "ي":  # a verb (الوزير يدشن), not a name
                break
            name.append(_CONCEPTS.get((folded,), folded))
            bare = bare and (not word.startswith(_DEFINITE) or (after_about and j == first_word))
        j += 1
    return name


_FRENCH_LINKS = frozenset(french.NAME_LINKS)
_FRENCH_ADJECTIVE_ENDINGS = tuple(french.ADJECTIVE_ENDINGS)


def _french_complement(raw: list[str], info: list[_Word], j: int) -> list[str]:
    """The words that name what a French head noun at raw[j - 1] is: its adjectives and what
    de, du, sur… join (la Caisse nationale d'épargne et de prévoyance → national epargn
    prevoyanc; la loi sur les hydrocarbures → hydrocarbur), each folded to its concept.  A
    word right after the noun or after another name word that is not an adjective is the
    headline's verb (la Caisse nationale… ouvre), and ends the name."""
    name: list[str] = []
    joined = False  # the last word read was a link: a noun may come
    while j < len(raw) and len(name) < _NAME_WORDS:
        word = raw[j]
        if word in _FRENCH_LINKS:
            joined = True
        elif info[j].places:
            pass  # le ministre saoudien des Affaires étrangères: the place is a fact of its own
        elif info[j].opens_phrase and (phrase := _phrase_at(info, j)) is not None and phrase[1] is not None:
            name.append(phrase[1])  # des Affaires étrangères = de la Diplomatie
            j += phrase[0]
            joined = False
            continue
        elif info[j].number or word in _STOP or not (joined or word.endswith(_FRENCH_ADJECTIVE_ENDINGS)):
            break
        else:
            name.append(info[j].token or info[j].folded)
            joined = False
        j += 1
    return name


def _capitalized(title: str, count: int) -> list[bool] | None:
    """Which of a French headline's `count` words are written with a capital, or None when
    that tells nothing: the words do not line up, or every longer word is capitalized (a
    headline in capitals or in title case)."""
    written = _TOKEN.findall(strip_accents(title))
    if len(written) != count:
        return None
    # An acronym in capitals (PDG, APN, FMI) names no person.
    capitals = [word[0].isupper() and not (len(word) > 1 and word.isupper()) for word in written]
    longer = [capital for word, capital in zip(written[1:], capitals[1:], strict=True) if len(word) >= 4]
    return None if len(longer) >= 2 and all(longer) else capitals


def _titled_person(raw: list[str], info: list[_Word], i: int) -> tuple[int, str | None]:
    """After a title at raw[i] (الفريق أول، الدكتور): the index past the title, and the family
    name of the person it names — the last word of the name that follows (adjectives such as
    الجزائري skipped: النجم الجزائري رياض محرز → محرز), or None when no name follows."""
    for size in (2, 1):
        if tuple(raw[i : i + size]) in _TITLES:
            break
    else:
        return i, None
    j = end = i + size
    while j < len(raw) and raw[j].startswith("ال") and raw[j] not in _STOP:
        j += 1
    person = None
    for _ in range(3):
        if j >= len(raw):
            break
        word = raw[j]
        if word in _NAME_LINKS and j + 1 < len(raw):
            return end, word + "_" + _surname(raw[j + 1])
        this = info[j]
        if not (this.subject or this.first_name or word in _COMPOUND_ENDS) or (this.verb and not this.first_name):
            break
        if word not in _COMPOUND_ENDS and not this.first_name:
            person = _surname(word)
        j += 1
    return end, person


def _add_algeria(places: set[str]) -> None:
    """A wilaya, a town or a part of the country is in Algeria: a headline naming Tizi Ouzou
    and one naming Algeria do not disagree (only the capital's name stands for the country
    among the tokens, as باريس for France)."""
    if places and _ALGERIA not in places and any(place.startswith(_IN_ALGERIA) for place in places):
        places.add(_ALGERIA)


_IN_ALGERIA = ("wilaya:", "town:", "part:")


def _read_title(
    title: str,
    normalized: str,
    lead: frozenset[str],
    lead_places: frozenset[str],
    wilayas: Sequence[int] | None,
    digest: int = 0,
) -> StoryKey:
    raw = _TOKEN.findall(normalized)
    info = list(map(_word, raw))
    latin = not has_arabic(normalized)
    read_number = _read_french_number if latin else _read_number
    # A French headline's names: capitalized words no table knows (Mahrez, Bensebaini, Sonatrach).
    capitals = _capitalized(title, len(raw)) if latin else None
    named_at: list[int] = []
    tokens: set[str] = set()
    numbers: set[str] = set()
    places: set[str] = set()
    persons: set[str] = set()
    entities: set[tuple[str, str]] = set()
    # The tokens of the words that name a country or a town (تونس، التونسي، بمغنية), and the
    # tokens that stand in their stead (see _place_tokens).
    place_words: set[str | None] = set()
    place_tokens: set[str] = set()
    loose: set[str] = set()
    first = True  # no content word read yet: a name here followed by a verb is the subject
    i = 0
    while i < len(raw):
        this = info[i]
        if this.number and (number := read_number(raw, i, normalized)) is not None:
            value, i = number
            text = _number_text(value)
            tokens.add("#" + text)
            numbers.add(text)
            if i < len(raw) and (units := _POWER_UNITS.get(raw[i])) is not None:
                megawatts = units.get("") or (i + 1 < len(raw) and units.get(raw[i + 1]))
                if megawatts and megawatts != 1:
                    text = _number_text(round(value * megawatts, 6))  # 3 غيغاواط: 3000 megawatts
                    tokens.add("#" + text)
                    numbers.add(text)
            first = False
            continue
        if raw[i] == "مع" and not latin:
            # Whom an act is with (توقع عقدا مع شركة آسيوية / تبرم اتفاقا مع إيطاليا): two
            # counterparts, each unnamed by the other, are two events.
            entities.update(("with", name) for name in _counterpart(raw, info, i + 1))
        if i and raw[i] in _FIRST_SECOND and raw[i - 1] in _ORDINAL_NOUNS:
            text = _FIRST_SECOND[raw[i]]  # الدور الأول, الشطر الثاني: a count of their own
            tokens.add("#" + text)
            numbers.add(text)
            i += 1
            continue
        if this.title:
            after, person = _titled_person(raw, info, i)
            if person is not None:
                persons.add(person)
                i = after
                continue
        if (
            this.opens_phrase and (phrase := _phrase_at(info, i)) is not None
            and not (phrase[1] is None and phrase[2] and _said_elsewhere(raw, info, i, phrase[0]))
        ):
            size, concept, named = phrase
            places.update(named)
            if named and concept is None and (stand_ins := _place_tokens(named, latin)):
                place_words.update(this.token for this in info[i : i + size])
                place_tokens.update(stand_ins)
                if any(this.places for this in info[i : i + size]):
                    # غينيا بيساو is not also غينيا: the phrase's words name nothing more
                    tokens.update(this.token for this in info[i : i + size] if this.token is not None)
                    i += size
                    first = False
                    continue
            if concept is not None:
                tokens.add(concept)
                if concept in _CONCEPT_KINDS:
                    # After a bare noun the name may be bare too (رئيس بلدية بئر العاتر).
                    name = (
                        _french_complement(raw, info, i + size) if latin
                        else _complement(raw, info, i + size, "ال" in raw[i + size - 1][:4])
                    )
                    entities.add((_CONCEPT_KINDS[concept], " ".join([concept, *name])))
                    if concept in _OTHER_KINDS:
                        entities.add((_OTHER_KINDS[concept], concept))
                    if _CONCEPT_KINDS[concept] == "club" and this.token is not None:
                        tokens.add(this.token)  # مولودية الجزائر is also «المولودية»
                i += size
                first = False
                continue
        if this.places:
            places.update(this.places)
            if stand_ins := _place_tokens(this.places, latin):
                place_words.add(this.token)
                place_tokens.update(stand_ins)
        elif this.commune and (commune := _commune_at(raw, i, normalized)):
            places.update(commune)
            place_words.add(this.token)
            place_tokens.update(_place_tokens(commune, latin))
        if this.wilaya and i and raw[i - 1] in _CITY and may_name_a_wilaya(raw[i]):
            # بمدينة المسيلة: the wilaya's town itself, not another of its towns (بوسعادة)
            places.add("town:" + this.folded)
        if this.dual:
            numbers.add("2")
        if i + 2 < len(raw) and raw[i + 1] == "الدين" and not this.first_name:
            # نصر الدين بوزيد، عز الدين ميهوبي: a compound first name, the family name after it
            if (person := _person_after(raw, i + 1)) is not None:
                persons.add(person + GIVEN + raw[i] + "_الدين")
        if this.fact:
            _read_facts(raw, info, i, places, persons, entities)
        elif first and this.subject and not this.wilaya and i + 1 < len(raw) and info[i + 1].verb:
            persons.add(GUESSED + _surname(raw[i]))
        if this.token is not None:
            tokens.add(this.token)
            if this.verb and this.token[0] != "@" and not latin:
                loose.add(this.token)
            if capitals is not None and capitals[i] and this.token[0] != "@" and not (this.fact or this.wilaya or this.places):
                named_at.append(i)
            if this.token in _CONCEPT_KINDS:
                entities.add((_CONCEPT_KINDS[this.token], this.token))
                if this.token in _OTHER_KINDS:
                    entities.add((_OTHER_KINDS[this.token], this.token))
            elif (
                first and this.token[0] == "@" and i + 1 < len(raw) and info[i + 1].subject
                and not info[i + 1].verb and not info[i + 1].fact
                # (not a phrase's first word: الصادرات خارج المحروقات)
                and not (info[i + 1].opens_phrase and _phrase_at(info, i + 1) is not None)
            ):
                # An act then a bare word no table knows opens the headline: whose act it is
                # (إصابة محرز، وفاة آيت منقلات، تتويج بلايلي).
                persons.add(GUESSED + (person if (person := _person_after(raw, i + 1)) is not None else _surname(raw[i + 1])))
            first = False
        i += 1
    if named_at:
        persons.update(_runs(raw, info, named_at))
    if "«" in title:
        persons.update(_surname(quoted[-1]) for quoted in _quoted(title))
    if "." in normalized:
        persons.update("initials:" + initials.replace(".", "").replace(" ", "") for initials in _INITIALS.findall(normalized))
        persons.update(_surname(name) for name in _INITIALLED.findall(normalized) if name not in _STOP)
    if wilayas is None and any(this.wilaya for this in info):
        wilayas = wilayas_in(title)
    if wilayas:
        places.update(f"wilaya:{code}" for code in wilayas)
    _add_algeria(places)
    if place_tokens:
        tokens.difference_update(place_words)
        tokens.update(place_tokens)
    if len(persons) > 1:
        # a name told by a title and guessed from where it stands is told
        persons.difference_update([person for person in persons if person[0] == GUESSED and person[1:] in persons])
    if not _WHEN.isdisjoint(tokens):
        loose.update(_WHEN & tokens)  # said by one outlet only, when counts neither way
    return StoryKey(
        frozenset(tokens),
        frozenset(numbers) if numbers else _NOTHING,
        frozenset(places) if places else _NOTHING,
        frozenset(persons) if persons else _NOTHING,
        frozenset(entities) if entities else _NOTHING,
        lead,
        lead_places,
        latin,
        frozenset(loose) if loose else _NOTHING,
        title_grams(normalized),
        digest,
    )


def _quoted(title: str) -> list[list[str]]:
    """The words of a headline said between « » when they are one or two: a nickname, a
    stage name (مغني الراب «ديدين»), told as a name."""
    return [
        found for quoted in _QUOTED.findall(title)
        if 1 <= len(found := _TOKEN.findall(normalize(quoted))) <= 2 and not found[-1][0].isdigit()
    ]


_QUOTED = re.compile(r"«([^»]{1,40})»")


def _counterpart(raw: list[str], info: list[_Word], j: int) -> list[str]:
    """Whom the words after مع name, of the next three up to a preposition: countries (also by
    their adjective: مع شركة صينية) and words no table knows (a company's or a person's name:
    مع بوروسيا دورتموند), the generic nouns skipped (شركة، نظيره، وفد).  One naming more than
    the other is no disagreement (مع دورتموند)."""
    names: list[str] = []
    for word, this in zip(raw[j : j + _COUNTERPART_WORDS], info[j : j + _COUNTERPART_WORDS], strict=True):
        if word in _STOP:
            break
        if this.places:
            names += (place for place in this.places if place.startswith("country:"))
        elif this.subject and not this.fact and this.folded not in _COUNTERPART_NOUNS:
            names.append(this.folded)
    return names


_COUNTERPART_WORDS = 3
# Nouns after مع that say what kind of counterpart, not which (مع نظيره الإيطالي).
_COUNTERPART_NOUNS = frozenset(_shortest_stem(normalize(word)) for word in lexicon.COUNTERPART_NOUNS)


def _runs(raw: list[str], info: list[_Word], named_at: list[int]) -> list[str]:
    """The names that capitalized words next to each other make (Ramy Bensebaini →
    ramy_bensebaini): a person matches another whose name shares a word."""
    runs: list[list[int]] = []
    for i in named_at:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    # A headline's first word is capitalized whatever it is (Réserves de change…): a name of
    # that word alone is only guessed.
    return [
        info[run[-1]].folded + GIVEN + "_".join(info[i].folded for i in run[:-1]) if len(run) > 1
        else ("" if run[0] else GUESSED) + info[run[0]].folded
        for run in runs
    ]


def _phrase_at(info: list[_Word], i: int) -> tuple[int, str | None, tuple[str, ...]] | None:
    """The longest paraphrase or place of several words at info[i]: (its size, its concept,
    the places it names); None when there is none."""
    if i + 1 >= len(info) or not (longest := _PHRASE_LENGTHS.get((info[i].folded, info[i + 1].folded))):
        return None
    words = tuple(this.folded for this in info[i : i + longest])
    for size in range(len(words), 1, -1):
        phrase = words[:size]
        concept, named = _CONCEPTS.get(phrase), _PLACES.get(phrase) or _NAME_PLACES.get(phrase, ())
        if concept is not None or named:
            return size, concept, named
    return None


def _read_facts(
    raw: list[str], info: list[_Word], i: int,
    places: set[str], persons: set[str], entities: set[tuple[str, str]],
) -> None:
    word, folded = raw[i], info[i].folded
    if _without_clitic(word) in _MALI or (
        word in _MALI_ADJECTIVES and i > 0 and (raw[i - 1] in _MALI_CUES or _without_clitic(raw[i - 1]) in _MALI_CUES)
    ):
        places.add("country:ml")
    if folded in _DIRECTIONS and "ال" in word[:4]:
        places.add("part:" + _DIRECTIONS[folded])
    if info[i].first_name and not (info[i].verb and i + 1 < len(raw) and raw[i + 1].startswith("ال")):
        # (يزيد الحد الأقصى: a verb, not Yazid)
        if (person := _person_after(raw, i + 1)) is not None:
            given = word[1:] if word not in _PLAIN_FIRST_NAMES else word  # (وعلي)
            if i + 1 < len(raw) and raw[i + 1] in _COMPOUND_ENDS:
                given += "_" + raw[i + 1]  # عبد الحكيم
            persons.add(person + GIVEN + given)
    elif word in _NAME_LINKS and i + 1 < len(raw) and (i == 0 or not info[i - 1].first_name):
        persons.add(word + "_" + _surname(raw[i + 1]))
    if folded in _HEADS and (
        name := _french_complement(raw, info, i + 1) if word.isascii() else _complement(raw, info, i + 1, "ال" in word[:4])
    ):
        entities.add((_HEADS[folded], " ".join(name)))


@word_memo()
def _lead_tokens(word: str) -> tuple[tuple[str, ...], tuple[_Word, ...]]:
    """A lead's word split as a headline is (1er → 1, er: a number is digits alone), and what
    each of its tokens is: once per distinct word, as news repeats its words."""
    tokens = tuple(_TOKEN.findall(word))
    return tokens, tuple(map(_word, tokens))


def read_lead(body_words: Sequence[str], wilayas: Sequence[int] | None = None) -> tuple[frozenset[str], frozenset[str]]:
    """The tokens of a body's first words (normalized, as news.text.words gives them), its
    paraphrases of several words folded as a headline's are (المنتخب الوطني = الخضر), and the
    places they name (`wilayas`: the ones the body's first LEAD_CHARACTERS name, when known):
    what the versions of one story share when their headlines say little."""
    raw: list[str] = []
    info: list[_Word] = []
    for word in body_words[:LEAD_WORDS]:
        tokens_of_word, words_of_word = _lead_tokens(word)
        raw += tokens_of_word
        info += words_of_word
    latin = bool(raw) and raw[0].isascii()
    read_number = _read_french_number if latin else _read_number
    tokens: set[str] = set()
    places: set[str] = set()
    i = 0
    while i < len(raw):
        this = info[i]
        if this.plain:  # most words: its token, if any, is all it adds
            if this.token is not None:
                tokens.add(this.token)
            i += 1
            continue
        if this.number and (number := read_number(raw, i)) is not None:
            # as a headline reads them, for a headline to be found in another's lead
            value, i = number
            tokens.add("#" + _number_text(value))
            continue
        if (
            this.opens_phrase and (phrase := _phrase_at(info, i)) is not None
            and not (phrase[1] is None and phrase[2] and _said_elsewhere(raw, info, i, phrase[0]))
        ):
            size, concept, named = phrase
            places.update(named)
            if concept is not None:
                tokens.add(concept)
                i += size
                continue
        if this.places:
            tokens.update(_place_tokens(this.places, latin))
        places.update(this.places)
        if this.commune:
            places.update(_commune_at(raw, i))
        if this.token is not None:
            tokens.add(this.token)
        i += 1
    if wilayas is None and any(this.wilaya for this in info):
        wilayas = wilayas_in(" ".join(raw))
    if wilayas:
        places.update(f"wilaya:{code}" for code in wilayas)
    _add_algeria(places)
    return frozenset(tokens), frozenset(places) if places else _NOTHING


def story_key(
    title: str,
    body: str = "",
    *,
    normalized_title: str | None = None,
    body_words: Sequence[str] | None = None,
    title_wilayas: Sequence[int] | None = None,
    lead_wilayas: Sequence[int] | None = None,
) -> StoryKey:
    """The key of a headline, and of its body's first words when there is a body.

    Where they were computed anyway (news.articles.make_article), `normalized_title` is
    news.text.normalize(title), `body_words` is news.text.words(body) and `title_wilayas` the
    wilayas the title names and `lead_wilayas` the ones the body's first LEAD_CHARACTERS
    name (news.regions.wilayas_in_article).
    """
    if body_words is None and body:
        body_words = words(body)
    if body_words:
        lead, lead_places = read_lead(body_words, lead_wilayas)
        digest = body_digest(body_words)
    else:
        lead, lead_places, digest = _NOTHING, _NOTHING, 0
    normalized = normalize(title) if normalized_title is None else normalized_title
    return _read_title(title, normalized, lead, lead_places, title_wilayas, digest)

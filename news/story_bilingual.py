"""A French headline read in the Arabic key's words, to tell whether it and an Arabic one say
the same event.

Algerian outlets tell the same news in both languages (APS, El Watan and El Khabar, TSA and
Echorouk), and a reader following Bouira or Sonatrach wants one alert for one quake, not one
per language.  A French key (news.story_key) already shares with an Arabic one what its tables
fold to one concept — acts, posts, teams, organisations (@…), numbers (#…), countries
(=country:…) and wilayas (StoryKey.places) — but its other words stay French.  Here each of
them is given the Arabic tokens it may stand for: the words of news.story_lexicon_fr.ARABIC_WORDS,
the wilayas' and communes' names, the countries of story_lexicon_fr.MORE_COUNTRIES, the names
of news.names; a word none of them knows stays as it is, and may still be a name written in the
other script with the same consonants (`skeleton`: Attaf / عطاف).  `shared` counts what a French
headline (or lead) and an Arabic one say alike; `entities_differ` and `persons_differ` tell
their organisations, posts and people apart; news.stories.bilingual_similarity decides.

Built once per process (about 0.3 s), from the same folding as the keys (so «hôpitaux» and
«مستشفيات» reach the tokens their own keys hold): by `prepare` when ingestion opens, else at the
first French comparison.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from itertools import chain
from typing import NamedTuple

from algeria_wilayas_communes import get_communes

from news import names
from news import story_lexicon_fr as french
from news.regions import WILAYAS
from news.story_key import ENTITY_CONCEPTS, StoryKey, story_key
from news.text import has_arabic

__all__ = [
    "Shared", "Translated", "arabic_places", "entities_differ", "french_and_arabic", "persons_differ", "prepare",
    "shared", "skeleton", "translated",
]


# Algeria, as a key's token: named in hundreds of headlines, it says which event none is.
_ALGERIA_TOKEN = "=country:dz"


class Translated(NamedTuple):
    """A French key's tokens (a headline's or a lead's) in the Arabic key's words."""

    # For each token that has an Arabic reading: the tokens it may be in an Arabic key (a
    # concept, number or country stands for itself).
    known: tuple[frozenset[str], ...]
    # The tokens no table reads (a name in Latin letters, a word outside the tables).
    unknown: frozenset[str]
    # Every token `known` may be, to look Arabic headlines up by.
    every: frozenset[str]
    # The letters of each of `unknown` (`skeleton`), two at least: a name in the other script.
    unknown_letters: frozenset[str]


def _tokens(text: str) -> frozenset[str]:
    """The tokens a key gives a word or phrase (numbers aside)."""
    return frozenset(token for token in story_key(text).tokens if token[0] != "#")


def _shared_space(token: str) -> bool:
    """A token both languages' keys write alike: a concept, a number, a place's id."""
    return token[0] in "@#="


# The French tokens of the wilayas' and communes' names (filled with _arabic_of): a place is no
# organisation's name (le CHU de Constantine is no other hospital than «المستشفى الجامعي بقسنطينة»).
_PLACE_WORDS: set[str] = set()


@lru_cache(maxsize=1)
def _arabic_of() -> dict[str, frozenset[str]]:
    """Each French token → the Arabic tokens it may be."""
    table: dict[str, set[str]] = {}

    def add(french_text: str, arabic_texts: Iterable[str], leaving_out: str = "") -> None:
        arabic = frozenset(chain.from_iterable(map(_tokens, arabic_texts))) - {leaving_out}
        if not arabic:
            return
        for token in _tokens(french_text):
            if not _shared_space(token):
                table.setdefault(token, set()).update(arabic)

    def add_place(french_name: str, arabic_name: str) -> None:
        add_name(french_name, arabic_name)
        _PLACE_WORDS.update(_tokens(french_name))

    def add_name(french_name: str, arabic_name: str) -> None:
        # A name of several words is read word by word when both scripts write as many
        # (Tizi Ouzou / تيزي وزو); else only a one-word French name is read (Ain Oussera /
        # عين وسارة are two and two; Sidi Bel Abbès / سيدي بلعباس are left out).
        mine, theirs = french_name.replace("-", " ").split(), arabic_name.split()
        if len(mine) == len(theirs):
            for french_word, arabic_word in zip(mine, theirs, strict=True):
                add(french_word, (arabic_word,))
        elif len(mine) == 1:
            add(french_name, (arabic_name,))

    for word, arabic_words in french.ARABIC_WORDS.items():
        add(word, arabic_words)
    for wilaya in WILAYAS:
        add_place(wilaya.name_fr, wilaya.name_ar)
        add_place(wilaya.name("fr"), wilaya.name_ar)
    for row in get_communes():
        if row.get("nom_fr") and row.get("nom_ar"):
            add_place(str(row["nom_fr"]), str(row["nom_ar"]))
    for token, country in _more_countries().items():
        table.setdefault(token, set()).add("=country:" + country)
    for spellings in names.NAMES:
        # Each word of a Latin spelling may be any of the Arabic ones' words: a name's words
        # come in another order in the other script (Algérie Poste / بريد الجزائر), and
        # Algeria, named in hundreds of headlines, is none of them.  (By script, not by ASCII:
        # «Algérie Poste» is Latin.)
        arabic = [spelling for spelling in spellings if has_arabic(spelling)]
        for spelling in spellings:
            if not has_arabic(spelling):
                add(spelling, arabic, leaving_out=_ALGERIA_TOKEN)
    return {token: frozenset(arabic) for token, arabic in table.items()}


@lru_cache(maxsize=1)
def _more_countries() -> dict[str, str]:
    """french.MORE_COUNTRIES's one-word names and adjectives, as French keys fold them → the
    country's id."""
    found: dict[str, str] = {}
    for country, (country_names, adjectives) in french.MORE_COUNTRIES.items():
        for name in (*country_names, *adjectives):
            if len(tokens := _tokens(name)) == 1 and " " not in name and "-" not in name:
                (token,) = tokens
                found[token] = country
    return found


@lru_cache(maxsize=1)
def _arabic_towns() -> dict[str, str]:
    """A commune's place id as a French key writes it → as an Arabic key does."""
    towns: dict[str, str] = {}
    for row in get_communes():
        fr, ar = str(row.get("nom_fr") or ""), str(row.get("nom_ar") or "")
        if not fr or not ar:
            continue
        mine = [place for place in story_key(f"à {fr}").places if place.startswith("town:")]
        theirs = [place for place in story_key(f"في {ar}").places if place.startswith("town:")]
        if len(mine) == 1 and len(theirs) == 1:
            towns[mine[0]] = theirs[0]
    return towns


def prepare() -> None:
    """Build the tables now rather than at the first French headline compared, which ingestion
    does inside the transaction storing it (holding SQLite's one writer about 0.3 s longer)."""
    _arabic_of()
    _arabic_towns()


# A French headline's tokens are read again as long as it is in the window (each match, and
# when it leaves); an entry holds about 2 KB: 4,096 of them, about 9 MB, cover the French
# headlines of a busy window (1,500 in 10,000 in stories_benchmark), and a miss costs ~10 µs.
@lru_cache(maxsize=4_096)
def translated(tokens: frozenset[str]) -> Translated:
    """A French key's tokens (or lead) in the Arabic key's words."""
    arabic_of = _arabic_of()
    known: list[frozenset[str]] = []
    unknown: set[str] = set()
    for token in tokens:
        if _shared_space(token):
            known.append(frozenset((token,)))
        elif (arabic := arabic_of.get(token)) is not None:
            known.append(arabic)
        else:
            unknown.add(token)
    letters = frozenset(letters for token in unknown if len(letters := skeleton(token)) >= 2)
    return Translated(tuple(known), frozenset(unknown), frozenset(chain.from_iterable(known)), letters)


def arabic_places(places: frozenset[str], tokens: frozenset[str] = frozenset()) -> frozenset[str]:
    """A French key's places (with the countries of french.MORE_COUNTRIES its `tokens` name)
    as an Arabic key's: its communes by their Arabic ids; a commune no table names in both
    scripts is left out (it cannot be told from another)."""
    towns, more = _arabic_towns(), _more_countries()
    found = frozenset(
        towns[place] if place in towns else place
        for place in places
        if not place.startswith("town:") or place in towns
    )
    if not tokens.isdisjoint(more):
        found |= frozenset("country:" + more[token] for token in tokens if token in more)
    return found


def french_and_arabic(new: StoryKey, old: StoryKey) -> tuple[StoryKey, StoryKey]:
    """The pair's French key, then its Arabic one."""
    return (new, old) if new.french else (old, new)


# How a name in Latin letters and the same name in Arabic ones are written: each letter (or
# group of letters) as the class of sounds both scripts give it, vowels and the letters that
# stand for them (ou, w, y / و، ي، ا، ع) left out, doubled letters once — Attaf and عطاف are
# both "TF", Hadjadj and حجاج "HJ", Chengriha and شنقريحة "SNKRH"; Slovaquie (SLFK) is not
# سلوفينيا (SLFN).  Tells the names no table holds apart, or alike.
_LATIN_GROUPS = (
    ("tch", "S"), ("dj", "J"), ("ch", "S"), ("sh", "S"), ("kh", "H"), ("gh", "K"), ("ph", "F"), ("th", "T"),
    ("qu", "K"), ("ck", "K"), ("x", "KS"),
)
_LATIN_LETTERS = dict(zip("bptdjgkcqhszfvlmnr", "BBTDJKKKKHSSFFLMNR", strict=True))
_ARABIC_LETTERS = dict(zip("بتطثجحهخدذضظرزسصشغفڤقكلمن", "BTTTJHHHDDDDRSSSSKFKKKLMN", strict=True))


def _once(skeleton: str) -> str:
    return "".join(letter for at, letter in enumerate(skeleton) if not at or skeleton[at - 1] != letter)


@lru_cache(maxsize=20_000)
def skeleton(token: str) -> str:
    """A word's letters as news.story_bilingual reads names in either script (above)."""
    if token.isascii():
        word = token.lower()
        for group, sound in _LATIN_GROUPS:
            word = word.replace(group, sound)
        return _once("".join(_LATIN_LETTERS.get(letter, letter if letter.isupper() else "") for letter in word))
    return _once("".join(_ARABIC_LETTERS.get(letter, "") for letter in token))


class Shared(NamedTuple):
    """What a French key's tokens (a headline's or a lead's) and an Arabic key's have in common."""

    french: int  # French tokens said in the Arabic ones
    arabic: int  # Arabic tokens said in the French ones
    specific: int  # of those, the ones that say which event (not an act of the lexicon, not Algeria)


def shared(french_tokens: frozenset[str], arabic_tokens: frozenset[str]) -> Shared:
    """The tokens the two say alike: by the tables (`translated`), or, for a French word no
    table reads, an Arabic word left unread written with the same letters (`skeleton`)."""
    reading = translated(french_tokens)
    arabic_said = arabic_tokens & reading.every
    french_said = specific = 0
    for alternatives in reading.known:
        if not alternatives.isdisjoint(arabic_tokens):
            french_said += 1
            said = alternatives & arabic_tokens
            specific += any(
                (token[0] != "@" or token in ENTITY_CONCEPTS) and token != _ALGERIA_TOKEN for token in said
            )
    if reading.unknown_letters and (unread := arabic_tokens - arabic_said):
        # (each French name counted once, however many Arabic words share its letters)
        theirs = {letters: token for token in unread if (letters := skeleton(token)) in reading.unknown_letters}
        french_said += len(theirs)
        specific += len(theirs)
        arabic_said = arabic_said | frozenset(theirs.values())
    return Shared(french_said, len(arabic_said), specific)


def _reading(word: str) -> frozenset[str]:
    """The Arabic tokens a French token may be (itself when it is a concept), else nothing."""
    if word[:1] == "@":
        return frozenset((word,))
    return _arabic_of().get(word, frozenset())


def _named_alike(french_name: str, arabic_names: frozenset[str]) -> bool | None:
    """Whether a French name of an organisation, post or law (its first word) is one of the
    Arabic ones; None when no table reads it nor its letters match."""
    first = french_name.split("_")[0].split(" ")[0]
    firsts = frozenset(name.split("_")[0].split(" ")[0] for name in arabic_names)
    if reading := _reading(first):
        return not reading.isdisjoint(firsts)
    if first[:1] == "@":
        return None
    letters = skeleton(first)
    if len(letters) >= 2 and any(skeleton(other) == letters for other in firsts):
        return True
    return None


def entities_differ(french_key: StoryKey, arabic_key: StoryKey) -> bool:
    """The two name different organisations, posts or laws of one class (le ministre de
    l'Industrie / وزير الفلاحة): a French name read as none of the Arabic ones of its class."""
    theirs: dict[str, set[str]] = {}
    for kind, name in arabic_key.entities:
        theirs.setdefault(kind, set()).add(name)
    _arabic_of()  # (fills _PLACE_WORDS)
    for kind, name in french_key.entities:
        if kind in theirs and name.split("_")[0] not in _PLACE_WORDS and _named_alike(name, frozenset(theirs[kind])) is False:
            return True
    return False


def persons_differ(french_key: StoryKey, arabic_key: StoryKey, guessed: str, given: str) -> bool:
    """Each names someone (told as a person, not guessed from where a word stands) whose family
    name the other does not write: no letters alike (`skeleton`), in its persons or its words."""
    posts = {name for _, name in french_key.entities}  # (le ministre de la Santé: no one's name)
    mine = [
        family for person in french_key.persons
        if not person.startswith(guessed) and (family := person.partition(given)[0]) not in posts
    ]
    theirs = [person.partition(given)[0].split("|")[0] for person in arabic_key.persons if not person.startswith(guessed)]
    if not mine or not theirs:
        return False
    their_letters = {skeleton(word) for word in chain(theirs, arabic_key.tokens)}
    my_letters = {skeleton(word) for word in chain(mine, french_key.tokens)}
    return all(skeleton(name) not in their_letters for name in mine) and all(
        skeleton(name) not in my_letters for name in theirs
    )

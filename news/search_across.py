"""A search typed in French or English (or a place's Latin name) read in Arabic words, for when
it finds nothing as typed; and a follow typed so, for its Arabic words to be offered.

Most of the archive is Arabic: a reader of the French interface searching «séisme» or «séisme
Bouira» found nothing though the quake was told in Arabic, and was told to try other words.
The words come from the tables the story matcher already reads both languages by — the same
act said in either (story_lexicon.PARAPHRASES with story_lexicon_fr.PARAPHRASES), the news
words of story_lexicon_fr.ARABIC_WORDS, the wilayas' and the countries' names; a name in
news.names is already looked for in either script (news.search.parse_query).  A word none of
them reads leaves the search as it was: a reading that dropped it would find what the reader
did not ask for.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from itertools import chain
from typing import NamedTuple

from news import names as name_table
from news import story_lexicon as arabic_lexicon
from news import story_lexicon_fr as french_lexicon
from news.names import other_spellings
from news.regions import WILAYAS
from news.search import MAX_TERMS, Item, Query, parse_query, stopword
from news.text import has_arabic, words

__all__ = ["ArabicReading", "prepare", "read_in_arabic"]

# The Arabic words a French one is looked for by, at most: the lexicon's groups hold every
# form of an act (زلزال، هزة أرضية، هزة، زلزالا، هزة ارتدادية…), the first of them say it.
_ALTERNATIVES = 4
# The most words typed without quotes read as one name (Bordj Bou Arreridj, Tizi Ouzou).
_LONGEST = 4


# Words readers search by that the story tables, written to tell events apart, do not hold.
_SEARCH_WORDS: dict[str, tuple[str, ...]] = {
    "pluie": ("أمطار", "مطر"), "pluies": ("أمطار", "مطر"), "matchs": ("مباريات", "مباراة"),
    "pénurie": ("ندرة", "نقص"), "pénuries": ("ندرة", "نقص"), "taxe": ("ضريبة", "رسوم"), "taxes": ("ضرائب", "رسوم"),
    "terrorisme": ("إرهاب",), "terroriste": ("إرهابي",), "terroristes": ("إرهابيين", "إرهابي"),
    "visa": ("تأشيرة",), "visas": ("تأشيرات", "تأشيرة"), "parlement": ("البرلمان", "المجلس الشعبي الوطني"),
}


# The same for readers of the English interface: the story tables are French and Arabic.
_ENGLISH_WORDS: dict[str, tuple[str, ...]] = {
    "earthquake": ("زلزال", "هزة أرضية"), "earthquakes": ("زلازل", "زلزال"), "quake": ("زلزال", "هزة أرضية"),
    "aftershock": ("هزة ارتدادية",), "fire": ("حريق", "نيران"), "fires": ("حرائق", "حريق"),
    "wildfire": ("حريق", "حرائق الغابات"), "wildfires": ("حرائق", "حرائق الغابات"), "flood": ("فيضان", "سيول"),
    "floods": ("فيضانات", "فيضان", "سيول"), "flooding": ("فيضانات", "سيول"), "rain": ("أمطار", "مطر"),
    "rains": ("أمطار",), "snow": ("ثلوج", "ثلج"), "storm": ("عاصفة", "أمطار رعدية"), "storms": ("عواصف", "عاصفة"),
    "heat": ("حرارة",), "heatwave": ("موجة حر", "موجة الحر"), "wind": ("رياح",), "winds": ("رياح",),
    "weather": ("الطقس", "الأحوال الجوية"),
    "drought": ("جفاف",), "dam": ("سد",), "dams": ("سدود", "سد"), "water": ("المياه", "ماء"),
    "accident": ("حادث",), "accidents": ("حوادث", "حادث"), "crash": ("حادث", "اصطدام"),
    "killed": ("مقتل", "وفاة"), "dead": ("وفاة", "قتلى"), "death": ("وفاة",), "deaths": ("وفيات", "وفاة"),
    "injured": ("جرحى", "جريح", "مصابين"), "wounded": ("جرحى", "جريح"),
    "president": ("رئيس الجمهورية", "رئيس"), "minister": ("وزير",), "ministers": ("وزراء", "وزير"),
    "ministry": ("وزارة",), "government": ("حكومة",), "parliament": ("البرلمان", "المجلس الشعبي الوطني"),
    "election": ("انتخابات",), "elections": ("انتخابات",), "vote": ("تصويت", "اقتراع"),
    "law": ("قانون",), "decree": ("مرسوم",), "budget": ("ميزانية",), "embassy": ("سفارة",),
    "ambassador": ("سفير",), "agreement": ("اتفاق", "اتفاقية"), "contract": ("صفقة", "اتفاقية"), "deal": ("اتفاق", "صفقة"),
    "summit": ("قمة",), "visit": ("زيارة",), "talks": ("محادثات",), "meeting": ("اجتماع", "لقاء"),
    "investment": ("استثمار",), "investments": ("استثمارات", "استثمار"), "bank": ("بنك", "مصرف"),
    "inflation": ("تضخم",), "strike": ("إضراب",), "protest": ("احتجاج", "وقفة احتجاجية"), "protests": ("احتجاجات", "احتجاج"),
    "oil": ("نفط", "بترول", "زيت"), "gas": ("غاز",), "price": ("سعر", "أسعار"), "prices": ("أسعار", "سعر"),
    "petrol": ("وقود", "بنزين"), "fuel": ("وقود",), "electricity": ("كهرباء",), "wheat": ("قمح",), "cereals": ("حبوب",),
    "milk": ("حليب",), "bread": ("خبز",), "tax": ("ضريبة",), "taxes": ("ضرائب", "ضريبة"), "dinar": ("دينار",),
    "imports": ("استيراد", "واردات"), "import": ("استيراد",), "exports": ("تصدير", "صادرات"), "export": ("تصدير",),
    "housing": ("سكن", "مساكن"), "homes": ("مساكن", "سكنات"), "jobs": ("مناصب شغل", "توظيف"), "unemployment": ("بطالة",),
    "salary": ("أجر", "راتب"), "salaries": ("أجور", "رواتب"), "pension": ("منحة التقاعد", "تقاعد"),
    "pensions": ("معاشات", "تقاعد"),
    "school": ("مدرسة",), "schools": ("مدارس", "مدرسة"), "pupils": ("تلاميذ",), "students": ("طلبة", "طلاب"),
    "university": ("جامعة",), "exam": ("امتحان", "امتحانات"), "exams": ("امتحانات",), "baccalaureate": ("بكالوريا",),
    "hospital": ("مستشفى",), "hospitals": ("مستشفيات", "مستشفى"), "health": ("صحة",), "doctor": ("طبيب",),
    "doctors": ("أطباء", "طبيب"), "vaccine": ("لقاح",), "vaccination": ("تلقيح",), "epidemic": ("وباء",),
    "football": ("كرة القدم",), "match": ("مباراة",), "team": ("فريق", "منتخب"), "coach": ("مدرب",),
    "player": ("لاعب",), "players": ("لاعبين", "لاعب"), "win": ("فوز",),
    "defeat": ("هزيمة", "خسارة"), "cup": ("كأس",), "league": ("بطولة", "رابطة"), "championship": ("بطولة",),
    "airport": ("مطار",), "port": ("ميناء",), "train": ("قطار",), "railway": ("السكة الحديدية", "قطار"), "tram": ("ترامواي",),
    "metro": ("ميترو",), "highway": ("الطريق السيار", "طريق سيار"), "drugs": ("مخدرات",), "cocaine": ("كوكايين",),
    "corruption": ("فساد",), "trial": ("محاكمة",), "court": ("محكمة",), "prison": ("سجن", "حبس"), "arrest": ("توقيف",),
    "arrested": ("توقيف",), "police": ("شرطة", "أمن"), "army": ("جيش",), "terrorism": ("إرهاب",), "terrorist": ("إرهابي",),
    "migrants": ("مهاجرين", "حراقة"), "visa": ("تأشيرة",), "visas": ("تأشيرات", "تأشيرة"), "forest": ("غابة",),
    "forests": ("غابات", "غابة"),
}


# Words a reader puts between the things looked for (earthquake at Tindouf, incendie près de
# Béjaïa) that are no stopwords of the index: left out of a reading rather than making it fail.
_LINKS = frozenset(words(
    "près dans avec contre sans chez vers après avant entre sous depuis "
    "at near with after before from into over against between by on for"
))


class ArabicReading(NamedTuple):
    query: Query  # what is looked for in Arabic: `search` as the search reads it
    said: str  # each thing looked for by its likeliest Arabic word, as written (for the reply)
    # The same as a search's text: each thing by any of its Arabic words (OR), what is left out
    # likewise — for a button to search, its query the same as `query`.
    search: str
    # The same as a follow's text, each thing by its likeliest word (a follow takes no OR);
    # None when the reader typed an OR.
    follow: str | None


def prepare() -> None:
    """Build the tables now (about 0.3 s each), not at a reader's first Latin search."""
    for which in ("fr", "en", "all"):
        _arabic_of(which)


@cache
def _arabic_of(which: str) -> tuple[dict[Item, tuple[Item, ...]], dict[Item, str], frozenset[Item]]:
    """Each French (`which` "fr"), English ("en") or either's ("all") word or phrase, as the
    search normalizes it → the Arabic items it may be, the likeliest first; and each Arabic item
    as the lexicon writes it (normalized, البويرة is «البويره»); and the keys that are places
    (a wilaya's or a country's name).  Apart by language: a word of both is another word in
    each (report, but, change: postponement, a goal, exchange)."""
    table: dict[Item, list[Item]] = {}
    written: dict[Item, str] = {}
    places: set[Item] = set()

    def add(latin: str, arabic_texts: tuple[str, ...]) -> None:
        key = tuple(words(latin))
        if not key or all(map(stopword, key)):
            return
        found = table.setdefault(key, [])
        for text in arabic_texts:
            # (never a stopword: «CAN» is the Cup of Nations, not كان "was")
            if (item := tuple(words(text))) and not all(map(stopword, item)) and item not in found:
                found.append(item)
                written.setdefault(item, text)

    if which != "fr":
        for word, arabic in _ENGLISH_WORDS.items():
            add(word, arabic)
    # The French words, after the English ones for an English reader (who may type séisme),
    # but for those English says otherwise.
    french_words = chain(
        ((phrase, group) for group in arabic_lexicon.PARAPHRASES for phrase in french_lexicon.PARAPHRASES.get(group[0], ())),
        french_lexicon.ARABIC_WORDS.items(), _SEARCH_WORDS.items(),
    )
    for word, arabic in french_words:
        if which != "en" or tuple(words(word)) not in _ENGLISH_OTHERWISE:
            add(word, arabic)
    words_read = set(table)
    for wilaya in WILAYAS:
        for latin in {wilaya.name_fr, wilaya.name("fr"), wilaya.name("en")}:
            add(latin, (wilaya.name_ar,))
    for country, (country_names, adjectives) in french_lexicon.COUNTRIES.items():
        if country not in arabic_lexicon.COUNTRIES:
            continue
        # The country's own name and adjective only: its other names (a capital, Gaza) are
        # not the country's first Arabic name.
        arabic_names, arabic_adjectives = arabic_lexicon.COUNTRIES[country]
        add(country_names[0], arabic_names[:1])
        for adjective in adjectives:
            add(adjective, (*arabic_adjectives, *arabic_names[:1]))
    places.update(key for key in table if key not in words_read)
    for entry in name_table.NAMES:  # a name's Arabic spellings as the table writes them
        for spelling in entry:
            if has_arabic(spelling):
                written.setdefault(tuple(words(spelling)), spelling)
    return {key: tuple(items[:_ALTERNATIVES]) for key, items in table.items()}, written, frozenset(places)


def _table(lang: str | None) -> str:
    return lang if lang in ("fr", "en") else "all"


# French words of the tables that are English words too, of another meaning: not read so for
# an English reader (report: a postponement; but: a goal; change: exchange; bond: a jump).
_ENGLISH_OTHERWISE = frozenset(
    tuple(words(word)) for word in (
        "report", "but", "change", "bond", "bat", "tour", "general", "or", "can", "sort", "place", "point",
        "part", "fin", "pays", "rail", "front", "grave", "coup", "chef", "sage", "plus", "dire",
    )
)


def read_in_arabic(query: Query, lang: str | None = None) -> ArabicReading | None:
    """`query` with each thing looked for read in Arabic (any of its readings found), each
    thing left out too, by the words of the reader's language (`lang`: "fr", "en"; else
    either's); None when the reader typed Arabic already, something to look for that no table
    reads, or only names and places (news.names: looked for in either script already; a
    place alone is what /wilaya shows)."""
    if any(has_arabic(group[0][0]) for group in query.groups):  # (a group's first item: as typed)
        return None
    table, written, places = _arabic_of(_table(lang))
    groups: list[list[Item]] = []  # each group's Arabic items, the likeliest first
    heads: list[list[Item]] = []  # each group's typed things, each by its likeliest Arabic item
    by_table = False
    for group in _phrases_joined(query.groups, table):
        read: list[Item] = []
        firsts: list[Item] = []
        for item in group:
            if has_arabic(item[0]):
                continue  # a name's spelling parse_query added: read with the name below
            spelled = [other for other in other_spellings(item) if has_arabic(other[0]) and other in written]
            found = spelled or list(table.get(item, ()))  # a name by its own spellings, not a word's
            # (a word read: places alone are what /wilaya shows, and «Algiers» alone, الجزائر,
            # is every article about Algeria)
            by_table = by_table or (bool(found) and not spelled and item not in places)
            if found:
                read += found
                firsts.append(found[0])
        if not read:
            if all(len(item) == 1 and item[0] in _LINKS for item in group):
                continue  # (at, près: a word between the things looked for)
            return None
        groups.append(list(dict.fromkeys(read)))
        heads.append(list(dict.fromkeys(firsts)))
    if not by_table or not groups:
        return None
    left_out: list[Item] = []
    for item in query.excluded:
        if has_arabic(item[0]):
            continue  # (a name's spelling parse_query added)
        spelled = [other for other in other_spellings(item) if has_arabic(other[0]) and other in written]
        left_out += spelled or list(table.get(item, ()))[:1] or [item]

    def typed(item: Item) -> str:
        text = written.get(item, " ".join(item))
        return f'"{text}"' if " " in text else text

    # As many of each thing's Arabic words as the search looks for in all (MAX_TERMS).
    each = max(1, min(_ALTERNATIVES, MAX_TERMS // len(groups)))
    excluded = [f"-{typed(item)}" for item in dict.fromkeys(left_out)]
    searched = [" OR ".join(map(typed, list(dict.fromkeys(first + group))[: max(each, len(first))]))
                for first, group in zip(heads, groups, strict=True)]
    search = " ".join([*searched, *excluded])
    said = " ".join(" OR ".join(written.get(item, " ".join(item)) for item in first) for first in heads)
    follow = None
    if all(len(first) == 1 for first in heads):
        follow = " ".join([*(typed(first[0]) for first in heads), *(e for e in excluded if has_arabic(e))])
    reading = parse_query(search)
    return ArabicReading(replace(reading, dangling=query.dangling, not_left_out=query.not_left_out), said, search, follow)


def _phrases_joined(groups: tuple[tuple[Item, ...], ...], table: dict[Item, tuple[Item, ...]]) -> list[tuple[Item, ...]]:
    """The groups, with runs of single words that the table reads as one name or phrase («tizi»
    «ouzou», typed without quotes) made one group."""
    joined: list[tuple[Item, ...]] = []
    at = 0
    while at < len(groups):
        for size in range(min(_LONGEST, len(groups) - at), 1, -1):
            run = groups[at : at + size]
            if all(len(group) == 1 and len(group[0]) == 1 for group in run):
                phrase = tuple(group[0][0] for group in run)
                if phrase in table:
                    joined.append((phrase,))
                    at += size
                    break
        else:
            joined.append(groups[at])
            at += 1
    return joined

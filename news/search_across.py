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

from news import story_lexicon as arabic_lexicon
from news import story_lexicon_fr as french_lexicon
from news.regions import WILAYAS
from news.search import Item, Query, stopword
from news.text import has_arabic, words

__all__ = ["ArabicReading", "read_in_arabic"]

# The Arabic words a French one is looked for by, at most: the lexicon's groups hold every
# form of an act (زلزال، هزة أرضية، هزة، زلزالا، هزة ارتدادية…), the first of them say it.
_ALTERNATIVES = 4
# The most words typed without quotes read as one name (Bordj Bou Arreridj, Tizi Ouzou).
_LONGEST = 4


# Words readers search by that the story tables, written to tell events apart, do not hold.
_SEARCH_WORDS: dict[str, tuple[str, ...]] = {
    "pluie": ("أمطار", "مطر"), "pluies": ("أمطار", "مطر"), "matchs": ("مباريات", "مباراة"),
    "pénurie": ("ندرة", "نقص"), "pénuries": ("ندرة", "نقص"), "taxe": ("رسم", "ضريبة"), "taxes": ("رسوم", "ضرائب"),
    "terrorisme": ("إرهاب",), "terroriste": ("إرهابي",), "terroristes": ("إرهابيين", "إرهابي"),
    "visa": ("تأشيرة",), "visas": ("تأشيرات", "تأشيرة"), "parlement": ("البرلمان", "المجلس الشعبي الوطني"),
}


class ArabicReading(NamedTuple):
    query: Query  # what is looked for in Arabic
    said: str  # each thing looked for by its likeliest Arabic word, as written (for the reply)
    # The same as a follow's text, each thing by that one word (a follow takes no OR) and each
    # left out likewise; None when only names were read: a follow finds them in either script.
    follow: str | None
    # The same as a search's text, each thing by any of its words (OR), for a button to search:
    # None likewise.
    search: str | None


# The same for readers of the English interface: the story tables are French and Arabic.
_ENGLISH_WORDS: dict[str, tuple[str, ...]] = {
    "earthquake": ("زلزال", "هزة أرضية"), "earthquakes": ("زلازل", "زلزال"), "quake": ("زلزال", "هزة أرضية"),
    "aftershock": ("هزة ارتدادية",), "fire": ("حريق", "نيران"), "fires": ("حرائق", "حريق"),
    "wildfire": ("حريق", "حرائق الغابات"), "wildfires": ("حرائق", "حرائق الغابات"), "flood": ("فيضان", "سيول"),
    "floods": ("فيضانات", "فيضان", "سيول"), "flooding": ("فيضانات", "سيول"), "rain": ("أمطار", "مطر"),
    "rains": ("أمطار",), "snow": ("ثلوج", "ثلج"), "storm": ("عاصفة", "أمطار رعدية"), "storms": ("عواصف", "عاصفة"),
    "heat": ("حرارة",), "heatwave": ("موجة حر",), "wind": ("رياح",), "winds": ("رياح",), "weather": ("طقس", "أحوال جوية"),
    "drought": ("جفاف",), "dam": ("سد",), "dams": ("سدود", "سد"), "water": ("مياه", "ماء"),
    "accident": ("حادث",), "accidents": ("حوادث", "حادث"), "crash": ("حادث", "اصطدام"), "road": ("طريق", "مرور"),
    "killed": ("مقتل", "وفاة"), "dead": ("وفاة", "قتلى"), "death": ("وفاة",), "deaths": ("وفيات", "وفاة"),
    "injured": ("جرحى", "جريح", "مصابين"), "wounded": ("جرحى", "جريح"),
    "president": ("رئيس الجمهورية", "رئيس"), "minister": ("وزير",), "ministers": ("وزراء", "وزير"),
    "ministry": ("وزارة",), "government": ("حكومة",), "parliament": ("البرلمان", "المجلس الشعبي الوطني"),
    "election": ("انتخابات",), "elections": ("انتخابات",), "vote": ("تصويت", "اقتراع"),
    "law": ("قانون",), "decree": ("مرسوم",), "budget": ("ميزانية",), "embassy": ("سفارة",),
    "ambassador": ("سفير",), "agreement": ("اتفاق", "اتفاقية"), "contract": ("عقد", "اتفاق"), "deal": ("اتفاق", "صفقة"),
    "summit": ("قمة",), "visit": ("زيارة",), "talks": ("محادثات",), "meeting": ("اجتماع", "لقاء"),
    "investment": ("استثمار",), "investments": ("استثمارات", "استثمار"), "bank": ("بنك", "مصرف"),
    "inflation": ("تضخم",), "strike": ("إضراب",), "protest": ("احتجاج", "وقفة احتجاجية"), "protests": ("احتجاجات", "احتجاج"),
    "oil": ("نفط", "بترول"), "gas": ("غاز",), "price": ("سعر", "أسعار"), "prices": ("أسعار", "سعر"),
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
    "player": ("لاعب",), "players": ("لاعبين", "لاعب"), "goal": ("هدف",), "goals": ("أهداف", "هدف"), "win": ("فوز",),
    "defeat": ("هزيمة", "خسارة"), "cup": ("كأس",), "league": ("بطولة", "رابطة"), "championship": ("بطولة",),
    "airport": ("مطار",), "port": ("ميناء",), "train": ("قطار",), "railway": ("سكة حديدية", "قطار"), "tram": ("ترامواي",),
    "metro": ("ميترو",), "highway": ("طريق سيار",), "drugs": ("مخدرات",), "cocaine": ("كوكايين",),
    "corruption": ("فساد",), "trial": ("محاكمة",), "court": ("محكمة",), "prison": ("سجن", "حبس"), "arrest": ("توقيف",),
    "arrested": ("توقيف",), "police": ("شرطة", "أمن"), "army": ("جيش",), "terrorism": ("إرهاب",), "terrorist": ("إرهابي",),
    "migrants": ("مهاجرين", "حراقة"), "visa": ("تأشيرة",), "visas": ("تأشيرات", "تأشيرة"), "forest": ("غابة",),
    "forests": ("غابات", "غابة"),
}


@cache
def _arabic_of() -> tuple[dict[Item, tuple[Item, ...]], dict[Item, str]]:
    """Each French (or Latin) word or phrase, as the search normalizes it → the Arabic items
    it may be, the likeliest first; and each Arabic item as the lexicon writes it (normalized,
    البويرة is «البويره»)."""
    table: dict[Item, list[Item]] = {}
    written: dict[Item, str] = {}

    def add(latin: str, arabic_texts: tuple[str, ...]) -> None:
        key = tuple(words(latin))
        if not key or all(map(stopword, key)):
            return
        found = table.setdefault(key, [])
        for text in arabic_texts:
            if (item := tuple(words(text))) and item not in found:
                found.append(item)
                written.setdefault(item, text)

    for group in arabic_lexicon.PARAPHRASES:
        for phrase in french_lexicon.PARAPHRASES.get(group[0], ()):
            add(phrase, group)
    for word, arabic in chain(french_lexicon.ARABIC_WORDS.items(), _SEARCH_WORDS.items()):
        add(word, arabic)
    for word, arabic in _ENGLISH_WORDS.items():  # (after the French: «port», «visa» are both)
        add(word, arabic)
    for wilaya in WILAYAS:
        for latin in {wilaya.name_fr, wilaya.name("fr"), wilaya.name("en")}:
            add(latin, (wilaya.name_ar,))
    for country, (names, adjectives) in french_lexicon.COUNTRIES.items():
        if country not in arabic_lexicon.COUNTRIES:
            continue
        arabic_names, arabic_adjectives = arabic_lexicon.COUNTRIES[country]
        for name in names:
            add(name, arabic_names[:1])
        for adjective in adjectives:
            add(adjective, (*arabic_adjectives, *arabic_names[:1]))
    return {key: tuple(items[:_ALTERNATIVES]) for key, items in table.items()}, written


def read_in_arabic(query: Query) -> ArabicReading | None:
    """`query` with each thing looked for read in Arabic (any of its readings found), and each
    thing left out too (as typed when no table reads it); None when the reader typed Arabic
    already, or something to look for that no table reads."""
    if any(has_arabic(group[0][0]) for group in query.groups):  # (a group's first item: as typed)
        return None
    table, written = _arabic_of()
    groups: list[tuple[Item, ...]] = []
    by_table = False
    for group in _phrases_joined(query.groups, table):
        read = list(chain.from_iterable(table.get(item, ()) for item in group))
        by_table = by_table or bool(read)
        read += [item for item in group if has_arabic(item[0])]  # a name's Arabic spelling (news.names)
        if not read:
            return None
        groups.append(tuple(dict.fromkeys(read)))
    excluded = tuple(dict.fromkeys(chain.from_iterable(table.get(item, (item,)) for item in query.excluded)))

    def typed(item: Item) -> str:
        text = written.get(item, " ".join(item))
        return f'"{text}"' if " " in text else text

    said = " ".join(written.get(group[0], " ".join(group[0])) for group in groups)
    left_out = [f"-{typed(item)}" for item in query.excluded and excluded if has_arabic(item[0])]
    follow = search = None
    if by_table:
        follow = " ".join([*(typed(group[0]) for group in groups), *left_out])
        search = " ".join([*(" OR ".join(map(typed, group)) for group in groups), *left_out])
    return ArabicReading(replace(query, groups=tuple(groups), excluded=excluded), said, follow, search)


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

"""The 69 wilayas of Algeria, and which of them an article mentions.

The table comes from the `algeria-wilayas-communes` package (the 2025/2026 reform: codes 1-58
as before, 59-69 for the wilayas created in 2025) and is built at import time; only a few
common spelling variants are written here by hand (`_VARIANTS`), and what readers type but
articles do not say (`_LOOKUP_ONLY`: Wahran, BBA, Mosta…), which only `find_wilaya` knows.

`find_wilaya` is for a reader typing /wilaya NAME: loose, any language, ال or not, a code.

`wilayas_in` tags an article (title, a newline, then the body).  It works on the normalized
text (`news.text.normalize`, plus the Maghrebi letters ڨ ڤ پ گ folded) with one precompiled
regex of every spelling, at word boundaries, allowing the attached proclitics و ف then ب ل ك
(بوهران، لقسنطينة، وبالبيض، للبيض = ل + البيض).  Multi-word names match as phrases, with a
space or a hyphen between the words (تيزي وزو، Tizi-Ouzou).  French is case- and
accent-insensitive, and "Alger" never matches inside "Algérie".

Most names are unambiguous and count wherever they appear.  Some are also common words or
people's names (`_AMBIGUOUS`: البيض eggs, معسكر camp, الوادي the valley, النعامة ostrich,
سعيدة happy, المدية knife, بشار and مسعد first names, المنيعة, المغير, الطارف, القنطرة,
French Mascara and Saïda); a bare mention of one of those counts only with a cue:

  A. decisive: the word just before it is ولاية/ولايات/ولايتي/والي/بلدية/دائرة (with any
     proclitic: بولاية، لوالي) or wilaya/wali/commune/daïra (French "de"/"d'" skipped:
     "wilaya de Mascara").  Nothing vetoes that.
  B. suggestive, each cancelled by the vetoes below:
     - the word just before it is مدينة or ville;
     - a dateline: the name opens a line, without proclitic, followed by ":", "..", "…",
       a dash, "|" or "(واج)" / "(APS)"  ("معسكر..الشهيد", "Mascara - ");
     - a locative proclitic attached to it (بمعسكر، لمعسكر; only ب for البيض, سعيدة and
       مسعد, where ل is too often "for eggs"/"to Saida (a person)"), or French "à";
     - a list: it follows a counted wilaya, joined by و or a comma ("وهران ومعسكر").
     Vetoes: the text contains a word of the common meaning (for البيض: سعر، دجاج، حليب ...;
     for معسكر: تدريبي، منتخب، لاجئين ...; for بشار: الأسد ...), or, for the proclitic and
     list cues, the next word is definite, i.e. the name is a noun in construct
     ("بمعسكر اللاجئين", "بالبيض المسلوق").

Two names get their own rule:
  - الجزائر nearly always means the country.  It counts for wilaya 16 (Algiers) only with a
    decisive cue or مدينة (ولاية الجزائر، مدينة الجزائر); "الجزائر العاصمة", "الجزائر
    الوسطى", French "Alger" and English "Algiers" always count.
  - العاصمة standing alone counts as Algiers, unless it is qualified as another capital
    (العاصمة الفرنسية، العاصمة باريس، تونس العاصمة: a definite word or a foreign capital
    after it, تونس/الكويت before it) - and once one occurrence in a text is qualified that
    way, no bare العاصمة in the same text counts (it refers to that capital).

A few unambiguous names have collocations that are not the place: المسيلة للدموع (tear
gas), إدرار البول/الحليب (spelled like أدرار once hamza is folded), أبدى ميله (his
inclination, spelled like ميلة once ة is folded); those are skipped unless a decisive cue
precedes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeAlias

from algeria_wilayas_communes import get_wilayas

from news.text import normalize

__all__ = ["WILAYAS", "WILAYA_BY_CODE", "Wilaya", "find_wilaya", "may_name_a_wilaya", "wilayas_in", "wilayas_in_article"]


@dataclass(frozen=True, slots=True)
class Wilaya:
    code: int  # 1..69
    name_ar: str
    name_fr: str

    def name(self, lang: str) -> str:
        if lang == "ar":
            return self.name_ar
        spellings = _FRENCH_SPELLINGS if lang == "fr" else _ENGLISH_SPELLINGS
        return spellings.get(self.code, self.name_fr)


# The French names as the French press writes them; the list holds them without accents (as
# English writes them: Setif, Bejaia).
_FRENCH_SPELLINGS = {
    6: "Béjaïa", 8: "Béchar", 12: "Tébessa", 19: "Sétif", 20: "Saïda", 22: "Sidi Bel Abbès", 26: "Médéa",
    35: "Boumerdès", 44: "Aïn Defla", 45: "Naâma", 46: "Aïn Témouchent", 47: "Ghardaïa", 52: "Béni Abbès",
    64: "Bou Saâda", 68: "Aïn Oussara",
}
# English keeps the list's unaccented names, but for the capital, whose English name is its own.
_ENGLISH_SPELLINGS = {16: "Algiers"}


_ROWS = sorted(get_wilayas(), key=lambda row: int(row["wilaya_num"]))
WILAYAS: tuple[Wilaya, ...] = tuple(
    Wilaya(int(row["wilaya_num"]), row["nom_ar"].strip(), row["nom_fr"].strip()) for row in _ROWS
)
WILAYA_BY_CODE: dict[int, Wilaya] = {wilaya.code: wilaya for wilaya in WILAYAS}

# Spellings the package does not carry (accents and case need no entry: they are folded).
_VARIANTS: dict[int, tuple[str, ...]] = {
    6: ("Bgayet",),
    11: ("تمنغست", "تامنغست", "Tamanghasset"),
    16: ("الجزائر العاصمة", "الجزائر الوسطى", "Algiers"),
    22: ("سيدي بل عباس", "سيدي بالعباس", "Sidi Belabbes", "Sidi Bel Abbès"),
    34: ("برج بو عريريج",),
    39: ("وادي سوف", "Oued Souf"),
    42: ("Tipasa",),
    44: ("عين الدفلة",),
    46: ("عين تيموشنت", "Aïn Témouchent"),
    53: ("Ain Salah",),
    54: ("Ain Guezzam",),
    55: ("توقرت",),
    57: ("El Meghaier", "El Mghaier"),
    58: ("El Menia", "El Golea"),
    60: ("El Abiod Sidi Cheikh",),
    64: ("بو سعادة", "Boussaada", "Bousaada"),
    68: ("Ain Oussera",),
    69: ("Messad",),
}
# Only for a reader typing a name (/wilaya, /follow), never for tagging: "bougie" is a candle,
# "العاصمة" has its own rule in `wilayas_in`; and what Algerians type for a wilaya — the Latin
# spelling of its Arabic or Darja name (Wahran, Qsentina, Dzayer), a short form or an
# abbreviation (BBA, SBA, Mosta, Tizi) — is a word or a piece of a name in an article's text
# (Tizi n'Tleta, "la SBA", "mosta" in a surname) and would tag it with the wrong wilaya.
_LOOKUP_ONLY: dict[int, tuple[str, ...]] = {
    3: ("Lagouat", "Leghouat"),
    6: ("Bougie", "Vgayet", "Bejaya"),
    12: ("Tbessa",),
    13: ("Tlemsen", "Tilimsen"),
    14: ("Tihert", "Tihart"),
    15: ("Tizi", "تيزي", "Tizi Wezzu"),
    16: ("العاصمة", "Dzayer", "Dzair", "دزاير", "El Djazair", "El Jazair"),
    17: ("Jelfa",),
    18: ("Djidjel",),
    19: ("Stif",),
    22: ("SBA", "Bel Abbes", "Sidi Bel Abes", "بلعباس"),
    23: ("Bouna", "بونة"),
    25: ("Qacentina", "Qsentina", "Ksentina", "Qsantina", "Qasentina", "Constantina", "قسمطينة"),
    27: ("Mosta", "Mestghanem", "Mostaghanem"),
    30: ("Wargla", "Warqla"),
    31: ("Wahran", "Ouahran", "Wehran"),
    34: ("BBA", "Bordj Bou Areridj", "Bordj Bou Arririj", "Bordj Bou Arerij"),
    39: ("Souf",),
    40: ("Khenchla",),
    47: ("Ghardaya",),
    48: ("Ghilizane", "Ighil Izane"),
}

# Maghrebi letters and apostrophes, on top of `normalize`.  (str.translate costs ~60 ns a
# character, so it only runs on the rare text that has one of these.)
_EXTRA_FOLDS = str.maketrans(
    {"ڨ": "ق", "ڤ": "ف", "پ": "ب", "گ": "ك", "ک": "ك", "ی": "ي", "’": "'", "‘": "'", "ʼ": "'"}
)
_EXTRA = re.compile("[" + "".join(map(chr, _EXTRA_FOLDS)) + "]")
# `normalize` folds line breaks into spaces; a private-use character carries them through.
# (A class and then its repetition, not "[...]+": a pattern that begins with a class is
# searched for in C, character by character, where a repetition is tried at every position.)
_LINE_BREAK = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029][\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]*")
_HYPHEN = re.compile(" ?[-\u2010\u2011\u2013] ?")


def _prepare(text: str) -> str:
    """Normalized text, one line per original line (`normalize` would join them)."""
    text = normalize(_LINE_BREAK.sub("\ue000", text))
    if _EXTRA.search(text):
        text = text.translate(_EXTRA_FOLDS)
    if "\ue000" in text:
        # A line break takes the place of each mark and of the spaces beside it: three replaces,
        # several times faster than a regex (`normalize` leaves single spaces, never two in a row).
        text = text.replace(" \ue000", "\ue000").replace("\ue000 ", "\ue000").replace("\ue000", "\n").strip("\n")
    return text


def _form(name: str) -> str:
    """The matching form of a name: prepared, words joined by single spaces."""
    return _HYPHEN.sub(" ", _prepare(name)).strip()


@lru_cache(maxsize=4_096)  # a text's mentions are of a few hundred spellings
def _key(matched: str) -> str:
    return _HYPHEN.sub(" ", matched).replace("'", "")


def _normal_set(words: Iterable[str]) -> frozenset[str]:
    return frozenset(_form(word) for word in words)


def _words_pattern(words: Iterable[str]) -> str:
    """Any of `words` (given without ال), with ال and up to two proclitics (وبالـ، للـ)."""
    stems = sorted({_form(word).removeprefix("ال") for word in words}, key=len, reverse=True)
    return "[وفبلك]{0,2}(?:ال)?(?:" + "|".join(map(re.escape, stems)) + ")"


def _vocabulary(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + _words_pattern(words) + r"(?!\w)")


@dataclass(frozen=True, slots=True)
class _Sense:
    """How one spelling is read: which wilaya, and what it takes to count."""

    code: int
    needs_cue: bool = False  # ambiguous: a bare mention does not count
    dateline: bool = True  # a dateline is a cue
    locative: str = ""  # attached proclitics that are a cue
    after_a: bool = False  # French "à NAME" is a cue
    listable: bool = True  # following another wilaya in a list is a cue
    next_veto: frozenset[str] = frozenset()
    prev_veto: frozenset[str] = frozenset()
    common: re.Pattern[str] | None = None  # words of the common meaning: they veto cues B


def _ambiguous(code: int, *, locative: str = "بل", common: Iterable[str] = (), **rules: Any) -> _Sense:
    words = tuple(common)
    return _Sense(code, needs_cue=True, locative=locative, common=_vocabulary(words) if words else None, **rules)


# Spelled as the package spells them; `_form` folds them like the text.
_AMBIGUOUS: dict[str, _Sense] = {
    "الجزائر": _ambiguous(16, locative="", dateline=False, listable=False),
    "البيض": _ambiguous(
        32,
        locative="ب",
        common=(
            "سعر", "أسعار", "بيضة", "بيضات", "صفيحة", "دجاج", "دواجن", "حليب", "لحوم", "مستهلك",
            "مستهلكين", "استهلاك", "أسواق", "غذائي", "غذائية", "تغذية", "كوليسترول", "بروتين",
            "طبق", "وصفة", "فطور", "مطبخ", "طهي",
        ),
    ),
    "معسكر": _ambiguous(
        29,
        common=(
            "تدريبي", "تدريبيا", "تدريب", "إعدادي", "إعداديا", "تحضيري", "تحضيريا", "مغلق",
            "مغلقا", "تربص", "منتخب", "مدرب", "ناخب", "لاعبين", "ودية", "لاجئين", "نازحين",
            "اعتقال", "أسرى", "كشافة", "كشفي", "صيفي",
        ),
    ),
    "الوادي": _ambiguous(
        39,
        common=(
            "مياه", "غرق", "غريق", "غرقا", "جرف", "جرفت", "جرفته", "جرفتها", "جرفتهم", "سيول",
            "فيضان", "فيضانات", "ضفاف", "ضفة", "مجرى", "منسوب",
        ),
    ),
    "المدية": _ambiguous(26, common=("طعن", "طعنة", "طعنات", "سكين", "خنجر")),
    "الطارف": _ambiguous(36, common=("تليد",)),
    "النعامة": _ambiguous(45, common=("ريش", "رمال", "رأسها", "سياسة", "طائر", "طيور", "نعام")),
    "سعيدة": _ambiguous(20, locative="ب"),
    "المغير": _ambiguous(57),
    "المنيعة": _ambiguous(58),
    "بشار": _ambiguous(8, common=("الأسد", "جعفري", "سوريا", "سوري", "سورية", "دمشق")),
    "مسعد": _ambiguous(69, locative="ب", common=("بولس",)),
    "القنطرة": _ambiguous(
        62,
        next_veto=_normal_set(("شرق", "غرب")),
        common=("مصر", "مصري", "مصرية", "السويس", "الإسماعيلية", "سيناء", "قبرص"),
    ),
    "Mascara": _ambiguous(
        29,
        locative="",
        after_a=True,
        common=("maquillage", "cils", "cosmetique", "cosmetiques", "beaute", "mascaras", "levres", "yeux"),
    ),
    "Saida": _ambiguous(
        20,
        locative="",
        common=("liban", "libanais", "libanaise", "libanaises", "sidon", "beyrouth", "hezbollah", "israel", "israelien"),
    ),
}
# Unambiguous names with a collocation that is not the place.
_COLLOCATIONS: dict[str, _Sense] = {
    "المسيلة": _Sense(28, next_veto=_normal_set(("للدموع",))),
    "أدرار": _Sense(1, next_veto=_normal_set(("البول", "الحليب", "اللبن"))),
    "ميلة": _Sense(43, prev_veto=_normal_set(("أبدى", "يبدي", "أبدت", "تبدي", "أظهر", "يظهر"))),
}
_CAPITAL = _Sense(16)  # العاصمة: see `_foreign_capital`
_CAPITAL_FORM = _form("العاصمة")


def _all_forms() -> dict[str, tuple[str, _Sense]]:
    """matching key → (form as written in the regex, sense), for every spelling."""
    special = {_form(name): sense for name, sense in {**_AMBIGUOUS, **_COLLOCATIONS}.items()}
    forms: dict[str, tuple[str, _Sense]] = {}
    for row in _ROWS:
        code = int(row["wilaya_num"])
        names = (row.get("nom_ar", ""), row.get("nom_fr", ""), row.get("nom_en", ""), *_VARIANTS.get(code, ()))
        for name in names:
            form = _form(name or "")
            if not form:
                continue
            sense = special.get(form)
            if sense is None or sense.code != code:
                sense = _Sense(code)
            forms.setdefault(_key(form), (form, sense))
    forms[_CAPITAL_FORM] = (_CAPITAL_FORM, _CAPITAL)
    return forms


_FORMS = _all_forms()
_SENSES: dict[str, _Sense] = {key: sense for key, (_, sense) in _FORMS.items()}


# A prefix tree of characters; the key "" marks the end of a word.
_Trie: TypeAlias = dict[str, "_Trie"]


def _trie_pattern(words: Iterable[str]) -> str:
    """One regex alternation of `words`, factored by prefix so that matching stays fast.

    A space matches a space or a hyphen (Tizi-Ouzou); an apostrophe is optional (M'Sila).
    """
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def atom(char: str) -> str:
        if char == " ":
            return "(?: ?[-\u2010\u2011\u2013] ?| )"
        if char == "'":
            return "'?"
        return re.escape(char)

    def emit(node: _Trie) -> str:
        branches = [atom(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        group = "(?:" + "|".join(branches) + ")"
        return group + "?" if "" in node else group

    return emit(trie)


_MATCH_FORMS = [form for form, _ in _FORMS.values()]
_LETTERS = re.compile(r"[^\W\d_]+")
# Every run of letters of every spelling the tagger looks for.
_SPELLING_WORDS = frozenset(word for form in _MATCH_FORMS for word in _LETTERS.findall(form))


def may_name_a_wilaya(word: str) -> bool:
    """Whether a normalized word may be part of a wilaya's name as `wilayas_in` reads it (its
    proclitics allowed): a text with no such word names no wilaya, and need not be searched."""
    if word in _SPELLING_WORDS:
        return True
    for prefix in ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك"):
        if word.startswith(prefix) and word[len(prefix) :] in _SPELLING_WORDS:
            return True
    # للبيض: ل + البيض, the alef of ال dropped.
    return word.startswith(("لل", "ولل", "فلل")) and "ال" + word.split("لل", 1)[1] in _SPELLING_WORDS
# "للبيض" is ل + البيض with the alef of ال dropped: the first branch handles that spelling.
_NAMES = re.compile(
    r"(?<!\w)(?:(?P<lp>[وف]?ل)ل(?P<ln>"
    + _trie_pattern(form[2:] for form in _MATCH_FORMS if form.startswith("ال"))
    + r")|(?P<p>[وف]?[بلك]?)(?P<n>"
    + _trie_pattern(_MATCH_FORMS)
    + r"))(?!\w)"
)

_WORD = re.compile(r"\w+")
_NEXT_WORD = re.compile(r" (\w+)")
_DATELINE = re.compile(r" ?(?::|\.\.|…|[-\u2013\u2014|]|\((?:واج|و ا ج|aps|afp|ا ف ب)\))")
_LINE_OPENING = re.compile(r"[^\w\n]*")
_LIST_GAP = re.compile(r" ?[،,]? ?")
_ADMIN_CUE = re.compile(
    r"[وف]?[بلك]?(?:ولايه|ولايات|ولايتي|والي|بلديه|دايره)|wilaya|wilayas|willaya|wali|commune|daira"
)
_CITY_CUE = re.compile(r"[وف]?[بلك]?مدينه|ville")
_FRENCH_LINKS = frozenset({"de", "d"})
# Definite words that may follow a place name without making it a noun in construct.
_NEUTRAL_NEXT = _normal_set(
    ("الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "اليوم", "الليلة")
)
_CAPITAL_OK_NEXT = _NEUTRAL_NEXT | _normal_set(
    ("الجزائرية", "الجزائر", "الأسبوع", "الشهر", "العام", "السنة", "الماضي", "المقبل", "الوسطى")
)
_FOREIGN_CAPITAL = re.compile(
    _words_pattern(
        (
            "باريس", "تونس", "طرابلس", "القاهرة", "الرباط", "نواكشوط", "الخرطوم", "مدريد", "لندن",
            "واشنطن", "موسكو", "بيروت", "دمشق", "بغداد", "عمان", "الرياض", "الدوحة", "أبوظبي",
            "أنقرة", "طهران", "كييف", "برلين", "روما", "بكين", "طوكيو", "بروكسل", "نيامي", "باماكو",
            "داكار", "صنعاء", "القدس", "مسقط", "المنامة", "الكويت", "كابول", "نيودلهي", "أبوجا",
            "لشبونة", "أثينا", "وارسو", "فيينا", "جنيف", "بيروت", "أديس",
        )
    )
)
_CAPITAL_FOREIGN_PREV = re.compile(_words_pattern(("تونس", "الكويت")))


def _previous_word(text: str, start: int) -> str:
    """The word before `start`; for French, the one before a linking "de"/"d'"."""
    words: list[str] = _WORD.findall(text, max(0, start - 40), start)
    if len(words) >= 2 and words[-1] in _FRENCH_LINKS:
        return words[-2]
    return words[-1] if words else ""


def _next_word(text: str, end: int) -> str:
    match = _NEXT_WORD.match(text, end)
    return match.group(1) if match else ""


def _foreign_capital(text: str, start: int, end: int) -> bool:
    """Whether this العاصمة is qualified as some other capital than Algiers."""
    after = _next_word(text, end)
    if after and (
        (after.startswith("ال") and after not in _CAPITAL_OK_NEXT) or _FOREIGN_CAPITAL.fullmatch(after)
    ):
        return True
    before = _previous_word(text, start)
    return bool(before) and _CAPITAL_FOREIGN_PREV.fullmatch(before) is not None


def _counts(
    text: str, match: re.Match[str], proclitics: str, sense: _Sense, last_end: int, common_seen: dict[int, bool]
) -> bool:
    """Whether a mention that is not plainly a place still counts (rules in the docstring)."""
    start, end = match.start(), match.end()
    before = _previous_word(text, start)
    if before and _ADMIN_CUE.fullmatch(before):
        return True
    after = _next_word(text, end)
    if after in sense.next_veto or before in sense.prev_veto:
        return False
    if not sense.needs_cue:
        return True
    if before and _CITY_CUE.fullmatch(before):
        construct_matters = False
    elif (
        sense.dateline
        and not proclitics
        and _LINE_OPENING.fullmatch(text, text.rfind("\n", 0, start) + 1, start)
        and _DATELINE.match(text, end)
    ):
        construct_matters = False
    elif (sense.locative and any(letter in sense.locative for letter in proclitics)) or (
        sense.after_a and before == "a"
    ):
        construct_matters = True
    elif (
        sense.listable
        and last_end >= 0
        and proclitics in ("", "و")
        and (gap := _LIST_GAP.fullmatch(text, last_end, start)) is not None
        and (proclitics == "و" or gap.group().strip())
    ):
        construct_matters = True
    else:
        return False
    if construct_matters and after.startswith("ال") and after not in _NEUTRAL_NEXT:
        return False
    if sense.common is not None:
        seen = common_seen.get(id(sense))
        if seen is None:
            seen = common_seen[id(sense)] = sense.common.search(text) is not None
        if seen:
            return False
    return True


def wilayas_in(text: str) -> tuple[int, ...]:
    """Codes of the wilayas `text` mentions, in order of first mention, each once.

    `text` is an article's title and body, best joined by a newline (datelines open a line).
    """
    if not text:
        return ()
    first = _first_mentions(_prepare(text))
    return tuple(sorted(first, key=first.__getitem__))


def wilayas_in_article(
    title: str, body: str, lead_characters: int = 400
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """`wilayas_in` of the title and body joined by a newline, and, of those, the ones the
    title itself names and the ones the body's first `lead_characters` name (read with the
    rest around them, in one pass: the story matcher's)."""
    text = _prepare(f"{title}\n{body}")
    first = _first_mentions(text)
    title_end = text.find("\n") if "\n" in text else len(text)
    lead_end = title_end + 1 + lead_characters
    codes = tuple(sorted(first, key=first.__getitem__))
    return (
        codes,
        tuple(code for code in codes if first[code] < title_end),
        tuple(code for code in codes if title_end < first[code] < lead_end),
    )


def _first_mentions(text: str) -> dict[int, int]:
    """Each wilaya a prepared text mentions → where it is first counted."""
    first: dict[int, int] = {}  # code → position of its first counted mention
    last_end = -1  # end of the last counted mention, for lists
    capitals: list[int] = []
    foreign_capital = False
    common_seen: dict[int, bool] = {}  # id(sense) → the text has words of its common meaning
    for match in _NAMES.finditer(text):
        if match.group("lp") is not None:
            proclitics, key = match.group("lp"), "ال" + _key(match.group("ln"))
        else:
            proclitics, key = match.group("p"), _key(match.group("n"))
        sense = _SENSES.get(key)
        if sense is None:  # cannot happen: every spelling the regex knows has a sense
            continue
        if sense is _CAPITAL:
            if _foreign_capital(text, match.start(), match.end()):
                foreign_capital = True
            else:
                capitals.append(match.start())
            continue
        plain = not (sense.needs_cue or sense.next_veto or sense.prev_veto)
        if plain or _counts(text, match, proclitics, sense, last_end, common_seen):
            first.setdefault(sense.code, match.start())
            last_end = match.end()
    if capitals and not foreign_capital:
        first[16] = min(first.get(16, capitals[0]), capitals[0])
    return first


# --- A reader typing a name ---------------------------------------------------------------

_TYPED_PREFIX = re.compile(r"^(?:[وف]?[بلك]?ولايه|la wilaya|wilaya|willaya)\b ?(?:de |d'|d |of )?")
_TYPED_JUNK = re.compile(r"[^\w' ]+")


def _lookup_key(name: str) -> str:
    """One key per wilaya however typed: no ال/el/al, no spaces, hyphens or apostrophes."""
    words = _key(_TYPED_JUNK.sub(" ", _form(name))).split()
    kept = [word.removeprefix("ال") if word.startswith("ال") and len(word) > 3 else word for word in words]
    return "".join(word for word in kept if word not in ("el", "al"))


def _typed_keys() -> dict[str, int]:
    keys: dict[str, int] = {}
    for row in _ROWS:
        code = int(row["wilaya_num"])
        names = (row.get("nom_ar", ""), row.get("nom_fr", ""), row.get("nom_en", ""))
        for name in (*names, *_VARIANTS.get(code, ()), *_LOOKUP_ONLY.get(code, ())):
            if key := _lookup_key(name or ""):
                keys.setdefault(key, code)
    return keys


_TYPED = _typed_keys()


def find_wilaya(name: str, *, exact: bool = False) -> Wilaya | None:
    """The wilaya a reader means by `name` (وهران، ولاية وهران، Oran, "31", "٣١"), or None.

    With `exact`, `name` must be the wilaya's name or code and nothing else (ولاية/wilaya de
    before it allowed): a longer phrase that mentions one ("مدينة وهران", "مولودية وهران") is
    not a wilaya then — what /follow needs, where "مولودية وهران" is a club, not Oran."""
    typed = _TYPED_PREFIX.sub("", _form(name or "")).strip(" .,:;،؛!?-")
    if not typed:
        return None
    digits = typed.lstrip("0") if typed.isascii() and typed.isdigit() else None
    if digits is not None:
        return WILAYA_BY_CODE.get(int(digits)) if digits else None
    code = _TYPED.get(_lookup_key(typed))
    if code is None and not exact:
        # A longer phrase naming exactly one wilaya: "مدينة وهران", "Oran, Algérie".
        codes = {_SENSES[_key(m.group("n") or "ال" + m.group("ln"))].code for m in _NAMES.finditer(typed)}
        code = codes.pop() if len(codes) == 1 else None
    return WILAYA_BY_CODE.get(code) if code is not None else None

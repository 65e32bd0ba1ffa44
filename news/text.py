"""Arabic (and French) text for matching: tokenize, normalize, light-stem.

Readers and sources spell the same Arabic word many ways: with or without harakat, hamza on
the alef or not, ة or ه at the end, tatweel stretching a word, Arabic-Indic digits.  `normalize`
folds all of those to one form so that two spellings of a headline compare equal.  It is
deliberately lossy: it is used for keys and matching, never for display.

`tokenize` finds words in the ORIGINAL text (a word stays whole across its harakat and
tatweel, so يقيّمون is one word, not two), keeping their positions so that search can
highlight the very characters the reader sees.  `stems` gives the light-stemmed forms of a
normalized word: the article and the clitics و ب ل ف ك peeled off, a common suffix dropped,
never below three letters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import TypeVar

# Harakat, shadda, sukun, dagger alef and Quranic marks: they change nothing a reader searches for.
_HARAKAT_CHARS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_TATWEEL = "\u0640"
# Bidi controls and zero-width characters that sources sprinkle into titles.
_INVISIBLE_CHARS = "\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u061c"
# Everything `normalize` deletes (invisible characters, harakat, tatweel), in one pass: deleting
# one of them never makes another appear, so the order of the deletions does not matter.
_DROPPED = re.compile(f"[{_INVISIBLE_CHARS}{_HARAKAT_CHARS}{_TATWEEL}]")
_LETTER_FOLDS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        # Arabic-Indic and Persian digits → ASCII digits.
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)
# A word: letters and digits, with the marks and tatweel that may sit inside an Arabic word.
_WORD = re.compile(r"[^\W_][\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d]*")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")


_ACCENTED = re.compile("[\u00c0-\u024f\u0300-\u036f\u1e00-\u1eff]")
# The combining marks below the Arabic block: what folding accents removes after decomposing.
_NON_ARABIC_MARKS = re.compile(
    "[" + "".join(re.escape(chr(code)) for code in range(0x0600) if unicodedata.combining(chr(code))) + "]"
)
# The folds as (letter, replacement) pairs.  str.translate looks every character up in a dict
# (about 60 ns each); `str.replace` of the few folded letters is several times faster, and
# gives the same text because no replacement is itself a folded letter.
_FOLD_PAIRS = tuple((chr(code), folded) for code, folded in _LETTER_FOLDS.items() if not chr(code).isdigit())
# The twenty Arabic-Indic and Persian digits are rare in news: one search tells whether any
# must be folded, instead of a scan of the text for each.
_DIGIT_PAIRS = tuple((chr(code), folded) for code, folded in _LETTER_FOLDS.items() if chr(code).isdigit())
_INDIC_DIGIT = re.compile("[" + "".join(letter for letter, _ in _DIGIT_PAIRS) + "]")


def strip_accents(text: str) -> str:
    """Fold Latin accents (é → e) without touching Arabic letters."""
    if not _ACCENTED.search(text):
        return text  # the usual Arabic text: nothing to decompose
    if " " not in text:
        return _without_accents(text)
    # Word by word, each distinct word once: the same text, as neither decomposing nor
    # composing ever joins a character to a space (a starter that composes with nothing), and
    # the marks are dropped one by one; a whole article decomposed and composed again took
    # some 20 µs.
    return " ".join(map(_word_without_accents, text.split(" ")))


def _without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _NON_ARABIC_MARKS.sub("", decomposed))


def normalize(text: str) -> str:
    """The matching form of `text`: one spelling per word, single spaces, lower case."""
    text = unicodedata.normalize("NFKC", text)
    text = _DROPPED.sub("", text)
    for letter, folded in _FOLD_PAIRS:
        if letter in text:
            text = text.replace(letter, folded)
    if _INDIC_DIGIT.search(text):
        for letter, folded in _DIGIT_PAIRS:
            if letter in text:
                text = text.replace(letter, folded)
    text = strip_accents(text).casefold()
    return " ".join(text.split())  # str.split() splits on exactly the characters \s matches


# Markup left in a plain-text field (a title): a tag, balanced by its end tag or not; a comment;
# the brackets of a CDATA section wrapped once too often.  A tag name is ASCII letters, so an
# Arabic word after "<" is never taken for one.  Tags that break a line leave a space.
_TAG = re.compile(
    r"<!--.*?(?:-->|$)|<!\[CDATA\[|\]\]>"
    r"|</?([A-Za-z][A-Za-z0-9:-]*)(?:\s[^<>]*)?/?>"
    # A tag cut off at the end of the text, known by its attribute ("x<y" is no tag).
    r"|<([A-Za-z][A-Za-z0-9:-]*)\s+[A-Za-z:-]+\s*=[\x20-\x7e]*$",
    re.DOTALL,
)
_SPACING_TAGS = frozenset({"br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "hr"})


def strip_markup(text: str) -> str:
    """`text` without the HTML tags left in it, entities untouched: for a field that is plain
    text already (its entities were decoded once, by whoever read it), where "<b>" is markup
    someone forgot, never words."""
    if "<" not in text and "]]>" not in text:
        return text
    return _TAG.sub(lambda m: " " if (m.group(1) or m.group(2) or "").lower() in _SPACING_TAGS else "", text)


# What shows nothing: format characters (bidi marks and isolates, zero-width space and joiners,
# the BOM, the soft hyphen, tag characters), control characters, spaces, combining marks with
# nothing to combine with; and the few letters and symbols drawn blank (Hangul fillers, the
# braille blank, Khmer's inherent vowels, the combining grapheme joiner, variation selectors).
_UNSEEN_CATEGORIES = frozenset({"Cf", "Cc", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
_BLANK_CHARACTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5\u034f")


def has_visible(text: str) -> bool:
    """Whether `text` holds a character a reader would see (not only bidi marks, zero-width
    joiners and other invisible characters)."""
    return any(
        ch not in _BLANK_CHARACTERS and unicodedata.category(ch) not in _UNSEEN_CATEGORIES for ch in text
    )


def has_arabic(text: str) -> bool:
    return _ARABIC_LETTER.search(text) is not None


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


_T = TypeVar("_T")


# Longer "words" are computed each time, not remembered: a body whose lines are joined without a
# space is one run of 100 KB, and 300 such articles held 55 MB until 200,000 entries piled up.
MAX_REMEMBERED_CHARS = 64


class _WordMemo(dict[str, _T]):
    """A function's value for each word it was given, remembered: a word met before is one
    dict look-up in C (about 30 ns, where functools.lru_cache's bounded wrapper takes about 55,
    relinking its list on every hit).  At most `size` words of at most MAX_REMEMBERED_CHARS:
    once full, it is emptied and fills again with the words in use."""

    __slots__ = ("_function", "_size")

    def __init__(self, function: Callable[[str], _T], size: int) -> None:
        super().__init__()
        self._function, self._size = function, size

    def __missing__(self, word: str) -> _T:
        value = self._function(word)
        if len(word) <= MAX_REMEMBERED_CHARS:
            if len(self) >= self._size:
                self.clear()
            self[word] = value
        return value


def word_memo(size: int = 200_000) -> Callable[[Callable[[str], _T]], Callable[[str], _T]]:
    """Remember a pure function of one word per word (news repeats its words endlessly): the
    function returned is the memo's own look-up, so a hit runs no Python at all."""
    return lambda function: _WordMemo(function, size).__getitem__


_word_without_accents = word_memo()(_without_accents)


@word_memo()
def _normalize_word(word: str) -> str:
    # News repeats its words endlessly: normalizing each distinct one once pays for itself.
    return normalize(word)


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normalized word) for each word of `text`, positions in the original."""
    words = []
    for match in _WORD.finditer(text):
        word = _normalize_word(match.group())
        if word:
            words.append((match.start(), match.end(), word))
    return words


def words(text: str) -> list[str]:
    """The normalized words of `text`, in order."""
    return [word for word in map(_normalize_word, _WORD.findall(text)) if word]


# Light stemming.  Every way of peeling is kept (a set of candidate stems), not one guess:
# two spellings of a word match when their candidate sets meet, which is both more forgiving
# of the stemmer's ignorance and easy to check with a list of word pairs (tests/test_stemming).
ARTICLES = ("وال", "بال", "كال", "فال", "ولل", "لل", "ال")
CLITICS = ("وب", "ول", "فب", "فل", "و", "ب", "ل", "ف", "ك")
_SUFFIXES = ("هما", "كما", "ات", "ان", "ون", "ين", "يه", "ها", "هم", "كم", "نا", "ه", "ي")  # longest first
_MIN_STEM = 3
# No word of Arabic or French is longer (أفاستسقيناكموها has 15 letters, anticonstitutionnellement
# 25): a longer run of letters is a feed's or an import's accident, kept whole — peeling it one
# letter at a time, stems of stems, would cost the square of its length (a 40,000-letter title
# took 4 s to file).
MAX_STEMMED_CHARS = 40
# A bare one-letter clitic is peeled only from longer words: و in وزير is part of the word.
_MIN_AFTER_CLITIC = 4
# ...and from these four-letter words, a clitic and a three-letter noun that news writes
# often, each checked to be nothing else: لكرة is «ل + كرة», while فكرة (idea), بكرة
# (tomorrow, a reel), لقاء, لعين (cursed), والي, وادي, وفاة, وحدة, لجنة, باول (Powell), كبير
# are words of their own and stay out.  Taken from the project's labelled texts
# (tests/data/topics and stories: 25 files, 92,749 words), each form seen there three times
# or more with its noun also seen on its own (or after ال): لكرة 37 times against كرة 16 (with الكرة); بعين 62,
# لنقل 37, لمدة 29, بقصر 22, بغاز 18, لبحث 17, ببرج 16, لسنة 16, بمقر 15, بسوق 15...  Plus
# وكرة, not in those texts, of «وكرة اليد» (its one other reading, وَكْرِه "its den", is rare
# in news).  tests/data/word-pairs.tsv holds a "match" pair for each, and the "differ" pairs
# of the words left out.
PEELED_SHORT = frozenset(
    (
        "لكره", "وكره", "لكاس", "بكاس", "بغاز", "لسنه", "لشهر", "بعين", "وعين", "لامن", "لنقل", "ونقل",
        "لبحث", "لطفل", "بسوق", "بقصر", "لمده", "لدعم", "بدعم", "لبنك", "وحجز", "لحجز", "بفوز", "بسعر",
        "ببرج", "بمقر", "بحوض", "بباب", "بقتل", "بفتح", "وفتح", "لحفظ", "بطلب", "بعرض", "لعرض", "لرجل",
        "لبيع", "بهدف", "بوسط", "لمنح", "ومنح", "لحزب",
    )
)


def _without_prefixes(word: str) -> set[str]:
    forms = {word}
    for article in ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= _MIN_STEM:
            forms.add(word[len(article) :])
    for clitic in CLITICS:
        if word.startswith(clitic) and len(word) - len(clitic) >= _MIN_AFTER_CLITIC:
            forms.add(word[len(clitic) :])
    return forms


def stems(word: str) -> frozenset[str]:
    """Candidate stems of a normalized word (the word itself included), as search, follows,
    what they leave out and mutes compare words: light_stems, and the noun of a four-letter
    word of PEELED_SHORT (لكرة → كرة; ولكرة past its و too).  Not remembered apart: its one
    hot caller, the index's words (news.search), remembers its own, and light_stems is."""
    found = light_stems(word)
    short = PEELED_SHORT.intersection(found)
    return found.union(form[1:] for form in short) if short else found


@word_memo()
def light_stems(word: str) -> frozenset[str]:
    """Candidate stems of a normalized word (the word itself included), by rule alone, without
    PEELED_SHORT: what the story matcher's keys and the topic lexicon were trained and
    weighed on (news.story_key, news.classify), kept for them as they are."""
    if len(word) > MAX_STEMMED_CHARS:
        return frozenset((word,))
    if not has_arabic(word):
        # French and English: a plural s or x is the only ending worth folding.
        if len(word) > 3 and word[-1] in "sx":
            return frozenset((word, word[:-1]))
        return frozenset((word,))
    forms = set()
    for base in _without_prefixes(word):
        forms.add(base)
        # Only the longest ending that fits: fewer stems, and no doubt about which one.
        suffix = next((s for s in _SUFFIXES if base.endswith(s) and len(base) - len(s) >= _MIN_STEM), None)
        if suffix:
            forms.add(base[: -len(suffix)])
        # Tanween alef of the accusative (مديرا): only on longer words, دنيا keeps its alef.
        if base.endswith("ا") and len(base) - 1 >= _MIN_AFTER_CLITIC:
            forms.add(base[:-1])
    return frozenset(forms)


def same_word(a: str, b: str) -> bool:
    """Whether two written words count as one for search (their stems meet)."""
    return bool(stems(normalize(a)) & stems(normalize(b)))

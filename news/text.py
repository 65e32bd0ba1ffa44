"""Text normalization shared by de-duplication, topic lookup and (later) search.

Readers and sources spell the same Arabic word many ways: with or without harakat, hamza on
the alef or not, ة or ه at the end, tatweel stretching a word, Arabic-Indic digits.  `normalize`
folds all of those to one form so that two spellings of a headline compare equal.  It is
deliberately lossy: it is used for keys and matching, never for display.
"""

from __future__ import annotations

import re
import unicodedata

# Harakat, shadda, sukun, dagger alef and Quranic marks: they change nothing a reader searches for.
_HARAKAT = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
# Bidi controls and zero-width characters that sources sprinkle into titles.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u061c]")
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
_SPACES = re.compile(r"\s+")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")


def strip_accents(text: str) -> str:
    """Fold Latin accents (é → e) without touching Arabic letters."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = (ch for ch in decomposed if not (unicodedata.combining(ch) and ord(ch) < 0x0600))
    return unicodedata.normalize("NFC", "".join(kept))


def normalize(text: str) -> str:
    """The matching form of `text`: one spelling per word, single spaces, lower case."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _HARAKAT.sub("", text).replace(_TATWEEL, "")
    text = text.translate(_LETTER_FOLDS)
    text = strip_accents(text).casefold()
    return _SPACES.sub(" ", text).strip()


def has_arabic(text: str) -> bool:
    return _ARABIC_LETTER.search(text) is not None


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2

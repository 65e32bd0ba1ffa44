"""Every sentence the bot says, in Arabic (the default), French and English.

Each language is one module holding one dict, with the same keys in all three (tests/test_render.py
checks that), but for the grammatical numbers a language has of its own (`more_sources_two`:
Arabic's dual); handlers never hold user-facing text.  Values are HTML templates: `{placeholders}` are
filled with text that the caller has already escaped.
"""

from __future__ import annotations

import re

from bot.i18n import ar, en, fr
from news.text import normalize

DEFAULT_LANGUAGE = "ar"
STRINGS: dict[str, dict[str, str]] = {"ar": ar.STRINGS, "fr": fr.STRINGS, "en": en.STRINGS}
COMMANDS: dict[str, dict[str, str]] = {"ar": ar.COMMANDS, "fr": fr.COMMANDS, "en": en.COMMANDS}
LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français", "en": "English"}
# What readers type after /lang besides the code: each language's name in the three (folded as
# news.text.normalize folds them: hamza forms, accents, case).
_LANGUAGE_WORDS = {
    "ar": ("ar", "العربية", "عربية", "عربي", "arabe", "arabic", "ara"),
    "fr": ("fr", "الفرنسية", "فرنسية", "فرنسي", "français", "francais", "french", "fra"),
    "en": ("en", "الإنجليزية", "إنجليزية", "إنجليزي", "الإنكليزية", "anglais", "english", "eng"),
}
_LANGUAGE_BY_WORD = {normalize(word): code for code, words in _LANGUAGE_WORDS.items() for word in words}
WEEKDAYS: dict[str, tuple[str, ...]] = {"ar": ar.WEEKDAYS, "fr": fr.WEEKDAYS, "en": en.WEEKDAYS}
MONTHS: dict[str, tuple[str, ...]] = {"ar": ar.MONTHS, "fr": fr.MONTHS, "en": en.MONTHS}
HIJRI_MONTHS: dict[str, tuple[str, ...]] = {"ar": ar.HIJRI_MONTHS, "fr": fr.HIJRI_MONTHS, "en": en.HIJRI_MONTHS}
ZONE_CITIES: dict[str, dict[str, str]] = {"ar": ar.ZONE_CITIES, "fr": fr.ZONE_CITIES, "en": en.ZONE_CITIES}
# Every language's greetings, whatever the reader's language: a French reader may say مرحبا.
GREETINGS: tuple[str, ...] = ar.GREETINGS + fr.GREETINGS + en.GREETINGS


def language_named(typed: str) -> str | None:
    """The interface language a reader named after /lang (ar, French, العربية…), or None."""
    return _LANGUAGE_BY_WORD.get(normalize(typed))


def supported(lang: str | None) -> str:
    """Our interface language for a Telegram `language_code` like "fr-FR": Arabic otherwise."""
    code = (lang or "").split("-")[0].lower()
    return code if code in STRINGS else DEFAULT_LANGUAGE


def t(lang: str, key: str, **values: object) -> str:
    template = STRINGS.get(lang, STRINGS[DEFAULT_LANGUAGE]).get(key) or STRINGS[DEFAULT_LANGUAGE][key]
    if not values:
        return template
    if lang == "fr" and "de " in template:
        template = _elided(template, values)
    return template.format(**values)


# French «de» before a placeholder: «d'» when the value begins with a vowel (la wilaya d'Oran,
# d'Aïn Defla, d'El Bayadh; de Tlemcen).
_DE_BEFORE_VALUE = re.compile(r"\bde (?=(?:<b>)?\{(\w+)\})")
_FRENCH_VOWEL = re.compile(r"[AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜaeiouyàâäéèêëîïôöùûü]")


def _elided(template: str, values: dict[str, object]) -> str:
    def elide(match: re.Match[str]) -> str:
        value = str(values.get(match.group(1), ""))
        return "d'" if _FRENCH_VOWEL.match(value) else "de "

    return _DE_BEFORE_VALUE.sub(elide, template)


def plural_form(lang: str, n: int) -> str:
    """The grammatical number a count takes (CLDR's cardinal categories): Arabic has a dual,
    a "few" (3-10: ثلاثة مصادر) and a "many" (11-99: أحد عشر مصدرا); French counts 0 and 1 as
    one; English only 1."""
    if lang == "ar":
        rest = n % 100
        if n in (0, 1, 2):
            return ("zero", "one", "two")[n]
        return "few" if 3 <= rest <= 10 else "many" if 11 <= rest <= 99 else "other"
    if lang == "fr":
        return "one" if n in (0, 1) else "other"
    return "one" if n == 1 else "other"


def t_count(lang: str, key: str, n: int, **values: object) -> str:
    """`t` for a sentence about `n` things: the key `KEY_<form>` where the language has that
    form (`more_sources_one`), else `KEY` itself."""
    strings = STRINGS.get(lang, STRINGS[DEFAULT_LANGUAGE])
    form_key = f"{key}_{plural_form(lang, n)}"
    return t(lang, form_key if form_key in strings else key, n=n, **values)

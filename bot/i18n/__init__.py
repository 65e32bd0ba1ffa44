"""Every sentence the bot says, in Arabic (the default), French and English.

Each language is one module holding one dict, with the same keys in all three (a test checks
that); handlers never hold user-facing text.  Values are HTML templates: `{placeholders}` are
filled with text that the caller has already escaped.
"""

from __future__ import annotations

from bot.i18n import ar, en, fr

DEFAULT_LANGUAGE = "ar"
STRINGS: dict[str, dict[str, str]] = {"ar": ar.STRINGS, "fr": fr.STRINGS, "en": en.STRINGS}
COMMANDS: dict[str, dict[str, str]] = {"ar": ar.COMMANDS, "fr": fr.COMMANDS, "en": en.COMMANDS}
LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français", "en": "English"}
WEEKDAYS: dict[str, tuple[str, ...]] = {"ar": ar.WEEKDAYS, "fr": fr.WEEKDAYS, "en": en.WEEKDAYS}
MONTHS: dict[str, tuple[str, ...]] = {"ar": ar.MONTHS, "fr": fr.MONTHS, "en": en.MONTHS}
# Every language's greetings, whatever the reader's language: a French reader may say مرحبا.
GREETINGS: tuple[str, ...] = ar.GREETINGS + fr.GREETINGS + en.GREETINGS


def supported(lang: str | None) -> str:
    """Our interface language for a Telegram `language_code` like "fr-FR": Arabic otherwise."""
    code = (lang or "").split("-")[0].lower()
    return code if code in STRINGS else DEFAULT_LANGUAGE


def t(lang: str, key: str, **values: object) -> str:
    template = STRINGS.get(lang, STRINGS[DEFAULT_LANGUAGE]).get(key) or STRINGS[DEFAULT_LANGUAGE][key]
    return template.format(**values) if values else template

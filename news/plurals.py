"""Number agreement in the operator's English lines (the command line, the log): "1 article",
"2 articles", never "1 processes live".  Readers' messages have their own plural forms
(bot.i18n.plural_form)."""

from __future__ import annotations


def counted(count: int, singular: str, plural: str | None = None, grouped: bool = False) -> str:
    """`count` and the noun that agrees with it: counted(1, "new source") is "1 new source",
    counted(3, "process", "processes") "3 processes"; `grouped` writes 1,234."""
    noun = singular if count == 1 else plural or singular + "s"
    return f"{count:,} {noun}" if grouped else f"{count} {noun}"

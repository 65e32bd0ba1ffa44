"""What makes a message valid for Telegram, in one place every reply goes through.

- Text from articles and readers is HTML-escaped before it meets a tag (`escape`).
- Telegram gives each line the direction of its first strong character, so an Arabic line that
  starts with a digit, Latin text or an emoji would render left-to-right: `directed` starts such
  lines with U+200F RIGHT-TO-LEFT MARK (in a French or English message, the lines mostly in
  Arabic: a sentence of theirs quoting an Arabic word stays left-to-right).
- Telegram counts a message's length after entity parsing, in UTF-16 code units, up to 4096:
  `paginate` packs items into as few messages as fit, never cutting an item, and `split_text`
  cuts an over-long plain text at paragraph, then sentence, then word boundaries.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from news.text import has_arabic, utf16_len

MESSAGE_LIMIT = 4096
RLM = "\u200f"
LRM = "\u200e"
_TAG = re.compile(r"<[^>]*>")
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_ARABIC_LETTER = re.compile(r"[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff]")
_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff]")
_COMMAND = re.compile(r"/\w+")
# The slash of a /command typed in running text (not inside a link, a date, «و/أو»).
_COMMAND_SLASH = re.compile(r"(?<![\w/:;.\u200e])/(?=[A-Za-z])")  # not «&lt;/b&gt;» either
# Where a long text may be cut, gentlest first, with what joins the pieces back together.
_BOUNDARIES = (
    (re.compile(r"\n\s*\n"), "\n\n"),  # paragraphs
    (re.compile(r"\n"), "\n"),  # lines
    (re.compile(r"(?<=[.!?؟…۔])\s+"), " "),  # sentences
    (re.compile(r"\s+"), " "),  # words
)


def escape(text: str) -> str:
    """Text as HTML that Telegram shows literally (`<script>` stays text)."""
    return html.escape(text, quote=False)


# Direction overrides, embeddings and isolates in a name (a U+202E «right-to-left override»
# left open) would turn the rest of the line quoting it around.
_DIRECTION_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def quoted_name(name: str) -> str:
    """A person's or chat's name as a sentence quotes it: escaped, without direction controls."""
    return escape(name.translate(_DIRECTION_CONTROLS))


def escape_attr(text: str) -> str:
    return html.escape(text, quote=True)


def visible_length(fragment: str) -> int:
    """Length Telegram counts for an HTML fragment we built: tags dropped, entities decoded."""
    return utf16_len(html.unescape(_TAG.sub("", fragment)))


def directed(fragment: str, rtl: bool) -> str:
    """Each line of `fragment` that should read right-to-left, starting with U+200F.

    That is every line with Arabic in it, and in an Arabic message (`rtl`) also the lines that
    hold no letters at all (a number, an emoji, a /command).
    """
    return "\n".join(_directed_line(line, rtl) for line in fragment.split("\n"))


def in_reader_language(fragment: str, rtl: bool) -> str:
    """Each line of `fragment`, a sentence of the reader's language that may quote Arabic
    («You follow: الحماية المدنية»), in that language's direction: as `directed` for an Arabic
    reader; left-to-right for the others however much Arabic it quotes — with U+200E where
    the quote comes first, which would otherwise turn the sentence around."""
    if rtl:
        return directed(fragment, rtl)
    return "\n".join(LRM + line if _starts_in_arabic(line) else line for line in fragment.split("\n"))


def _starts_in_arabic(line: str) -> bool:
    first = _LETTER.search(_COMMAND.sub("", _TAG.sub("", line)))
    return first is not None and _ARABIC_LETTER.match(first.group()) is not None


def left_to_right(fragment: str) -> str:
    """A left-to-right run inside a right-to-left line, kept in its own order: between two U+200E
    LEFT-TO-RIGHT MARKs, the neutral characters at its ends («UTC+1)», «Etc/GMT-3») stay with it,
    not with the Arabic around it.  (Marks, not the isolates U+2066-U+2069, which older Telegram
    clients draw as boxes.)"""
    return f"{LRM}{fragment}{LRM}"


def embedded(text: str, rtl: bool) -> str:
    """A reader's word or phrase (plain text) as HTML inside a sentence of their language,
    shown in its own direction and in the sentence's order (a list «كرة، football» in an Arabic
    line, «foot, كرة» in a French one): a word of the other direction between marks of its own,
    inside marks of the sentence's, so that the neutral characters at its ends (quotes, a
    comma after it) stay with it or with the sentence, never with the next word.  Marks, as
    `left_to_right`, not the isolates U+2066-U+2069, which older Telegram clients draw as boxes."""
    first = _LETTER.search(text)
    sentence = RLM if rtl else LRM
    if first is None:
        return escape(text)
    own = RLM if _ARABIC_LETTER.match(first.group()) else LRM
    return escape(text) if own == sentence else f"{sentence}{own}{escape(text)}{own}{sentence}"


def _directed_line(line: str, rtl: bool) -> str:
    if line.startswith(RLM):
        return _commands_left_to_right(line)
    if not line.strip():
        return line
    visible = _COMMAND.sub("", _TAG.sub("", line))
    # A French headline inside an Arabic message keeps its own left-to-right direction; in a
    # French or English message, a sentence quoting an Arabic word («No results for “سوناطراك”»)
    # keeps its own too: only a line that begins in Arabic («عاجل: Ooredoo Algérie تطلق 5G»)
    # or is mostly Arabic («BAC 2026: نتائج …») reads right-to-left there.
    if rtl:
        arabic = has_arabic(line) or not _LATIN_LETTER.search(visible)
    else:
        arabic = has_arabic(line) and _mostly_or_first_arabic(visible)
    return RLM + _commands_left_to_right(line) if arabic else line


def _commands_left_to_right(line: str) -> str:
    """A right-to-left line's /commands with U+200E before their slash: the slash is a neutral
    character, and between Arabic (or a number after it) and the command's Latin letters it
    takes the line's direction — «/read_12» showed as «read_12/», «/latest 20» as «latest 20/».
    Telegram still sees the command there (a mark is no letter before its slash).  Tags are
    left as they are (a link's address is no text), and so is a <code> to copy: its mark goes
    before it, or the copy, sent, would be no command."""
    pieces = _TAG_OR_TEXT.split(line)
    in_code = False
    for at, piece in enumerate(pieces):
        if piece.startswith("<"):
            in_code = piece.startswith("<code") or (in_code and not piece.startswith("</code"))
            following = pieces[at + 1] if at + 1 < len(pieces) else ""
            before = pieces[at - 1] if at else ""
            if piece.startswith("<code") and _COMMAND_SLASH.match(following) and not before.endswith(LRM):
                pieces[at] = LRM + piece
        elif not in_code:
            pieces[at] = _COMMAND_SLASH.sub(LRM + "/", piece)
    return "".join(pieces)


def _mostly_or_first_arabic(visible: str) -> bool:
    first = _LETTER.search(visible)
    if first is not None and _ARABIC_LETTER.match(first.group()):
        return True
    return len(_ARABIC_LETTER.findall(visible)) > len(_LATIN_LETTER.findall(visible))


def split_text(text: str, limit: int) -> list[str]:
    """Plain text cut into pieces of at most `limit` UTF-16 units, at the gentlest boundary."""
    if utf16_len(text) <= limit:
        return [text]
    for boundary, joiner in _BOUNDARIES:
        units = [unit for unit in boundary.split(text) if unit.strip()]
        if len(units) > 1:
            return _pack([piece for unit in units for piece in split_text(unit, limit)], joiner, limit)
    # One unbroken run (no spaces at all): cut it, taking care not to split a surrogate pair.
    pieces, current, size = [], "", 0
    for char in text:
        width = 2 if ord(char) > 0xFFFF else 1
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    return [*pieces, current] if current else pieces


def _pack(units: list[str], joiner: str, limit: int) -> list[str]:
    pieces: list[str] = []
    for unit in units:
        if pieces and utf16_len(pieces[-1] + joiner + unit) <= limit:
            pieces[-1] += joiner + unit
        else:
            pieces.append(unit)
    return pieces


def paginate(items: Iterable[str], separator: str = "\n", limit: int = MESSAGE_LIMIT) -> list[str]:
    """HTML items packed into messages of at most `limit` visible units, split between items.

    An item longer than `limit` by itself is a caller's bug (callers cut long text with
    `split_text` before rendering it), so it raises instead of sending an invalid message.
    """
    return [message for message, _ in paginate_counted(items, separator, limit)]


def paginate_counted(items: Iterable[str], separator: str = "\n", limit: int = MESSAGE_LIMIT) -> list[tuple[str, int]]:
    """As `paginate`, each message with how many of the items it holds."""
    messages: list[str] = []
    sizes: list[int] = []
    counts: list[int] = []
    sep_size = visible_length(separator)
    for item in items:
        size = visible_length(item)
        if size > limit:
            raise ValueError(f"an item of {size} units cannot fit in one message of {limit}")
        if messages and sizes[-1] + sep_size + size <= limit:
            messages[-1] += separator + item
            sizes[-1] += sep_size + size
            counts[-1] += 1
        else:
            messages.append(item)
            sizes.append(size)
            counts.append(1)
    return list(zip(messages, counts, strict=True))

"""Parser for Telegram's HTML parse mode, modelled on tdlib's ``parse_html``.

It turns the HTML a bot sends into the plain text Telegram stores plus
MessageEntity dicts whose offsets/lengths are in UTF-16 code units, and it
rejects the same inputs Telegram rejects, with Telegram's reasons.

It is deliberately *stricter* than Telegram in one respect: Telegram keeps an
``&`` that does not start an entity as a literal character (and accepts
``&lt`` without ``;``), but its documentation says every ``&`` must be
escaped. A bot that forgets to escape user-provided text only works by luck,
so here any ``&`` that is not one of ``&lt; &gt; &amp; &quot; &#N; &#xH;``
(semicolon included) is a parse error, in text and in attribute values.
"""

from __future__ import annotations

import re

__all__ = ["HTMLParseError", "parse_html", "utf16_len"]

# Tag name -> Bot API entity type. "span" is only valid with class="tg-spoiler",
# "a" becomes text_link and "tg-emoji" custom_emoji (they carry an argument).
_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
}

# tdlib's is_space(): these (and the end of the text) terminate tag names.
_SPACES = " \t\r\n\v\0"

_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,8})|#x([0-9a-fA-F]{1,7}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class HTMLParseError(ValueError):
    """The text is not valid Telegram HTML; ``reason`` is Telegram's wording."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def description(self) -> str:
        return f"Bad Request: can't parse entities: {self.reason}"


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: Telegram's unit for lengths and offsets."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _byte_offset(text: str, index: int) -> int:
    # Telegram reports positions as byte offsets into the UTF-8 request text.
    return len(text[:index].encode("utf-8", "surrogatepass"))


def _decode_entity(text: str, i: int) -> tuple[str, int]:
    """Decode the character reference starting at text[i] == '&'.

    Returns (character, index after the reference) or raises HTMLParseError.
    """
    m = _ENTITY_RE.match(text, i)
    if m is not None:
        name, dec, hexa = m.groups()
        if name is not None:
            return _NAMED[name], m.end()
        code = int(dec) if dec is not None else int(hexa, 16)
        # 0, surrogates and values beyond Unicode cannot be encoded in UTF-8
        # text; tdlib refuses them too (and would leave the '&' literal).
        if 0 < code < 0x110000 and not 0xD800 <= code <= 0xDFFF:
            return chr(code), m.end()
    raise HTMLParseError(
        f'Unsupported HTML entity or unescaped "&" at byte offset {_byte_offset(text, i)}; '
        "use &amp; for a literal \"&\""
    )


class _Open:
    __slots__ = ("tag", "argument", "utf16_start", "start", "byte_pos")

    def __init__(self, tag: str, argument: str, utf16_start: int, start: int, byte_pos: int):
        self.tag = tag
        self.argument = argument
        self.utf16_start = utf16_start  # offset in the plain text, UTF-16 units
        self.start = start  # index in the plain text (code points)
        self.byte_pos = byte_pos


def parse_html(text: str) -> tuple[str, list[dict]]:
    """Parse Telegram HTML into ``(plain_text, entities)``.

    Entities are sorted like the Bot API returns them (offset ascending, the
    outer entity first). ``text_link`` URLs are returned as written; checking
    the protocol is the caller's job (it applies to explicit entities too).
    """
    out: list[str] = []
    utf16 = 0  # UTF-16 length of "".join(out)
    plain_len = 0  # code-point length of "".join(out)
    stack: list[_Open] = []
    entities: list[dict] = []
    n = len(text)
    i = 0

    def emit(chunk: str) -> None:
        nonlocal utf16, plain_len
        out.append(chunk)
        utf16 += utf16_len(chunk)
        plain_len += len(chunk)

    while i < n:
        c = text[i]
        if c == "&":
            ch, i = _decode_entity(text, i)
            emit(ch)
            continue
        if c != "<":
            # Copy the run of ordinary characters in one go. A bare ">" is
            # accepted by Telegram, so it is ordinary text here as well.
            j = i
            while j < n and text[j] not in "<&":
                j += 1
            emit(text[i:j])
            i = j
            continue

        begin = i
        i += 1
        if i < n and text[i] == "/":
            i = _parse_end_tag(text, begin, i + 1, stack, entities, utf16, out, plain_len)
            continue

        # Start tag: the name runs up to a space or ">" (so "<b/>" is the
        # unsupported tag "b/", and "a < b" is the unsupported tag "").
        j = i
        while j < n and text[j] not in _SPACES and text[j] != ">":
            j += 1
        tag = text[i:j].lower()
        if tag not in _TAG_TYPES:
            raise HTMLParseError(
                f'Unsupported start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
            )
        argument = ""
        expandable = False
        i = j
        while True:
            while i < n and text[i] in _SPACES:
                i += 1
            if i >= n:
                raise HTMLParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                )
            if text[i] == ">":
                i += 1
                break
            attr_begin = i
            while i < n and text[i] not in _SPACES and text[i] not in "=>":
                i += 1
            attr_name = text[attr_begin:i].lower()
            if not attr_name:
                raise HTMLParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset '
                    f"{_byte_offset(text, begin)}"
                )
            while i < n and text[i] in _SPACES:
                i += 1
            if i >= n or text[i] != "=":
                # Value-less attribute; only <blockquote expandable> means something.
                if tag == "blockquote" and attr_name == "expandable":
                    expandable = True
                continue
            i += 1
            while i < n and text[i] in _SPACES:
                i += 1
            if i >= n:
                raise HTMLParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                )
            if text[i] in "\"'":
                quote = text[i]
                i += 1
                value_chars: list[str] = []
                while i < n and text[i] != quote:
                    if text[i] == "&":
                        ch, i = _decode_entity(text, i)
                        value_chars.append(ch)
                    else:
                        value_chars.append(text[i])
                        i += 1
                if i >= n:
                    raise HTMLParseError(
                        f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                    )
                i += 1
                value = "".join(value_chars)
            else:
                # Unquoted values are HTML "name tokens": letters, digits, '.', '-'.
                token_begin = i
                while i < n and (text[i].isascii() and text[i].isalnum() or text[i] in ".-"):
                    i += 1
                if i < n and text[i] not in _SPACES and text[i] != ">":
                    raise HTMLParseError(
                        "Unexpected end of name token at byte offset "
                        f"{_byte_offset(text, token_begin)}"
                    )
                value = text[token_begin:i].lower()
            # Unknown attributes are ignored, as Telegram does.
            if tag == "a" and attr_name == "href":
                argument = value
            elif tag == "code" and attr_name == "class" and value.startswith("language-"):
                argument = value[len("language-"):]
            elif tag == "span" and attr_name == "class" and value.startswith("tg-"):
                argument = value[len("tg-"):]
            elif tag == "tg-emoji" and attr_name == "emoji-id":
                argument = value
        if tag == "span" and argument != "spoiler":
            raise HTMLParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset '
                f"{_byte_offset(text, begin)}"
            )
        if tag == "blockquote" and expandable:
            argument = "expandable"
        stack.append(_Open(tag, argument, utf16, plain_len, _byte_offset(text, begin)))

    if stack:
        raise HTMLParseError(
            f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"'
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _parse_end_tag(
    text: str,
    begin: int,
    i: int,
    stack: list[_Open],
    entities: list[dict],
    utf16: int,
    out: list[str],
    plain_len: int,
) -> int:
    """Handle ``</name>`` starting at ``begin``; return the index after it."""
    n = len(text)
    if not stack:
        raise HTMLParseError(f"Unexpected end tag at byte offset {_byte_offset(text, begin)}")
    j = i
    while j < n and text[j] not in _SPACES and text[j] != ">":
        j += 1
    end_name = text[i:j].lower()
    while j < n and text[j] in _SPACES:
        j += 1
    if j >= n or text[j] != ">":
        raise HTMLParseError(f"Unclosed end tag at byte offset {_byte_offset(text, begin)}")
    top = stack.pop()
    # tdlib accepts the anonymous "</>" as closing the innermost tag.
    if end_name and end_name != top.tag:
        raise HTMLParseError(
            f"Unmatched end tag at byte offset {_byte_offset(text, begin)}, "
            f'expected "</{top.tag}>", found "</{end_name}>"'
        )
    length = utf16 - top.utf16_start
    if length > 0:  # Telegram silently drops empty entities such as <b></b>
        entity: dict = {"type": _TAG_TYPES[top.tag], "offset": top.utf16_start, "length": length}
        if top.tag == "a":
            # <a> without href links to its own text, as in tdlib.
            entity["url"] = top.argument or "".join(out)[top.start:]
        elif top.tag == "tg-emoji":
            if not re.fullmatch(r"[0-9]{1,19}", top.argument):
                raise HTMLParseError("Invalid custom emoji identifier specified")
            entity["custom_emoji_id"] = top.argument
        elif top.tag == "blockquote" and top.argument == "expandable":
            entity["type"] = "expandable_blockquote"
        elif top.tag == "code" and top.argument and stack and stack[-1].tag == "pre":
            # A language only means something on a code block inside <pre>.
            entity["language"] = top.argument
        elif top.tag == "pre":
            # <pre><code class="language-x">…</code></pre>: one pre entity with
            # a language (the inner code entity is absorbed, as in the Bot API).
            # Code entities inside a pre mean nothing and are absorbed too.
            end = top.utf16_start + length
            inner = [
                e
                for e in entities
                if e["type"] == "code"
                and e["offset"] >= top.utf16_start
                and e["offset"] + e["length"] <= end
            ]
            for e in inner:
                entities.remove(e)
                if e.get("language") and e["offset"] == top.utf16_start and e["length"] == length:
                    entity["language"] = e["language"]
        entities.append(entity)
    return j + 1

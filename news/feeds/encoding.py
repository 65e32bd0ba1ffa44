"""Feed bytes to text, for the encodings the Arabic web actually serves.

Algerian and Middle-Eastern sites still publish windows-1256, and they often say so wrongly:
the XML prolog or the HTTP header claims UTF-8 or ISO-8859-1 while the bytes are cp1256.
Decoding by the label alone then gives either an error or Latin mojibake ("ÇáÌÒÇÆÑ" for
"الجزائر"), and feedparser, left to guess, does the same.  So the bytes are decoded here,
checking the label against what the bytes look like, and feedparser gets clean UTF-8.

The rules, in order:
1. A byte order mark is the truth.  Without one, UTF-16 and UTF-32 are known by where the NULs
   of their ASCII fall (XML 1.0, appendix F): "<?xml" is 3C 00 3F 00 in UTF-16LE, and so on.
2. Bytes that are valid UTF-8 are UTF-8, whatever the label says: no other encoding of real
   text (Arabic in cp1256 above all) happens to form valid multi-byte sequences.
3. Otherwise the label (the document's own, else the HTTP charset) is used, unless it says
   UTF-8 or nothing: then cp1256 if that reads as mostly Arabic letters, else cp1252.
4. Whatever came out, Latin mojibake of cp1256 (many letters in U+00C0–U+00FF, whole words of
   them, and no Arabic) is re-decoded as cp1256 when that gives Arabic; and UTF-8 Arabic that
   went through cp1256 once too often ("ط§ظ„ط¬ط²ط§ط¦ط±") is turned back.
"""

from __future__ import annotations

import codecs
import re

from news.text import has_arabic

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_XML_PROLOG_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_HTML_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_CONTENT_TYPE_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_PROLOG_ENCODING_TEXT = re.compile(r"""^(\s*<\?xml[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2""")
_LATIN = frozenset({"latin_1", "iso8859_1", "cp1252", "iso8859_15"})
_UNICODE_WIDE = frozenset({"utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be"})
_UTF8_OR_NOTHING = frozenset({None, "utf_8", "ascii", "utf_8_sig"})
_LETTERS = re.compile(r"[^\W\d_]+")
# Where the letters of cp1256 Arabic land when the bytes are read as Latin-1 / cp1252.
_HIGH_LATIN = re.compile("[\u00c0-\u00ff]")


# Which of the first four bytes are NUL, for a document starting with an ASCII character
# ("<", "{" or a space) in each wide encoding.
_NUL_PATTERNS: dict[tuple[bool, ...], str] = {
    (True, True, True, False): "utf-32-be",
    (False, True, True, True): "utf-32-le",
    (True, False, True, False): "utf-16-be",
    (False, True, False, True): "utf-16-le",
}


def wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte order mark, from the NUL pattern of the first bytes,
    confirmed by what they read as in that encoding: the XML declaration (`<?xml version="1.0"
    encoding="UTF-16"?>`), or at least a markup or JSON start.  None for anything else: UTF-8
    and single-byte text have no NUL there."""
    codec = _NUL_PATTERNS.get(tuple(byte == 0 for byte in data[:4]))
    if codec is None or len(data) < 4:
        return None
    head = data[:256].decode(codec, errors="replace").lstrip(" \t\r\n")
    return codec if head.startswith(("<", "{")) else None


def codec_name(label: str | None) -> str | None:
    """Python's name for an encoding label ("Windows-1256" → "cp1256"), None if unknown."""
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().strip("\"'")).name.replace("-", "_")
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    match = _CONTENT_TYPE_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def declared_in_document(data: bytes) -> str | None:
    """The encoding the document names itself: the XML prolog, else an HTML <meta charset>."""
    head = data[:4096]
    match = _XML_PROLOG_ENCODING.search(head) or _HTML_META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _is_mostly_arabic(text: str) -> bool:
    # ASCII letters are left out: in a feed they are mostly the markup's tag names.
    letters = [ch for ch in text if ord(ch) > 0x7F and ch.isalpha()]
    arabic = sum(1 for ch in letters if "\u0600" <= ch <= "\u06ff")
    return arabic > 0 and arabic * 2 >= len(letters)


def looks_like_latin_mojibake(text: str) -> bool:
    """Many words made only of U+00C0–U+00FF letters and no Arabic: cp1256 read as Latin.

    French has accented letters too, but one or two inside a word of plain ones ("été",
    "déjà"); in mojibake every letter of an Arabic word is one ("ÇáÌÒÇÆÑ").
    """
    if has_arabic(text) or not _HIGH_LATIN.search(text):
        return False
    accented = garbled = 0
    for word in _LETTERS.findall(text):
        high = len(_HIGH_LATIN.findall(word))
        if high:
            accented += 1
            if high == len(word) and len(word) >= 2:
                garbled += 1
    return garbled > 0 and garbled * 2 >= accented


def _as_single_bytes(text: str) -> bytes | None:
    # Undo a Latin-1 / cp1252 decoding character by character (cp1252 for € ‚ … and friends).
    out = bytearray()
    for ch in text:
        if ord(ch) < 0x100:
            out.append(ord(ch))
        else:
            try:
                out += ch.encode("cp1252")
            except UnicodeEncodeError:
                return None
    return bytes(out)


def _decode_latin(data: bytes) -> str:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D are unassigned in cp1252
        return data.decode("latin-1")


def _repair(text: str, raw: bytes | None = None) -> str:
    """Rule 4: the two mojibakes of Arabic, turned back into Arabic; anything else unchanged."""
    if looks_like_latin_mojibake(text):
        raw = raw if raw is not None else _as_single_bytes(text)
        if raw is not None:
            arabic = raw.decode("cp1256", errors="replace")
            if _is_mostly_arabic(arabic):
                return arabic
    elif "ظ„" in text:  # ل (D9 84 in UTF-8) read as cp1256: the mark of every such text
        try:
            # Only mojibake survives this round trip: real Arabic in cp1256 is never valid UTF-8.
            return text.encode("cp1256").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return text


def decode_feed_bytes(data: bytes, declared: str | None) -> str:
    """The text of a feed (or web page), `declared` being the HTTP charset if any."""
    if not data:
        return ""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            if codec != "utf-8":
                return data[len(bom) :].decode(codec, errors="replace")
            data = data[len(bom) :]
            break
    else:
        if wide := wide_encoding(data):
            return data.decode(wide, errors="replace")
    label = codec_name(declared_in_document(data)) or codec_name(declared)
    if label in _UNICODE_WIDE:
        return data.decode(label, errors="replace")
    try:
        return _repair(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    if label is not None and label not in _UTF8_OR_NOTHING:
        text = _decode_latin(data) if label in _LATIN else data.decode(label, errors="replace")
        return _repair(text, data) if label in _LATIN else text
    # Said to be UTF-8 (or nothing) and is not.  A few bad bytes in real UTF-8 (a truncated
    # character) must not turn the whole feed into cp1256 mojibake: count them first.
    as_utf8 = data.decode("utf-8", errors="replace")
    bad = as_utf8.count("\ufffd")
    if sum(1 for ch in as_utf8 if ord(ch) > 0x7F) - bad > 10 * bad:
        return as_utf8
    as_arabic = data.decode("cp1256", errors="replace")
    if _is_mostly_arabic(as_arabic):
        return as_arabic
    return _decode_latin(data)


def as_utf8_document(text: str) -> bytes:
    """The decoded XML as UTF-8 bytes whose prolog says so, for a parser that would re-guess."""
    text = text.lstrip("\ufeff")
    text = _PROLOG_ENCODING_TEXT.sub(r'\1"utf-8"', text, count=1)
    return text.encode("utf-8", errors="replace")

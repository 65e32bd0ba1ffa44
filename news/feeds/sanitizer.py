"""HTML fragments from feeds turned into the plain text the bot shows.

Feeds put HTML everywhere: in descriptions, in CDATA, escaped twice in titles.  The bot only
ever shows text, so instead of sanitizing HTML we throw the markup away and keep the words,
with the paragraph structure the blocks gave them.  The standard library's HTMLParser does
the reading: it never raises on unbalanced or truncated markup and decodes every entity
(&amp; &nbsp; &#1575;), which no regular expression does reliably.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from news.text import strip_markup

# Their content is code or invisible, never words for a reader.  Skipping lasts until the
# matching end tag: an unclosed <script> hides the rest, the safe side.
_SKIPPED = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg", "math", "head", "title"})
# Tags that start a new paragraph ("\n\n") or a new line ("\n").
_PARAGRAPHS = frozenset(
    {
        "p", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table",
        "section", "article", "header", "footer", "aside", "figure", "figcaption", "pre", "hr",
        "address", "details", "summary", "main", "nav", "form", "fieldset",
    }
)  # fmt: skip
_LINES = frozenset({"br", "li", "dt", "dd", "tr"})
# SVG and MathML elements really are closed by a trailing slash.
_FOREIGN = frozenset({"svg", "math"})

_INLINE_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# Markers no text contains, so that the breaks the tags make survive the spacing clean-up;
# a run of them is one break, a paragraph if any of them is one (</li><li> is one line break).
_PARAGRAPH_BREAK = "\x00"
_LINE_BREAK = "\x01"
_BREAKS = re.compile(r"[\x00\x01\s]*[\x00\x01][\x00\x01\s]*")
_MARKER_RUN = re.compile(r"[\x00\x01][\x00\x01\s]*")  # a run of _BREAKS from its first marker on
# Control characters and the replacement character (from &#0; or a broken byte) are noise.
_JUNK = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_NEWLINES = re.compile(r"[\r\n]+")
# What makes _INLINE_SPACE.sub(" ", line) change a line: another space than " ", or two of them.
_ODD_SPACE = re.compile("[\t\r\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]| {2}")
_PARAGRAPH_SPLIT = re.compile(r"\n\s*\n")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def _break(self, kind: str) -> None:
        self.parts.append(kind)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping.append(tag)
        elif tag in _PARAGRAPHS:
            self._break(_PARAGRAPH_BREAK)
        elif tag in _LINES:
            self._break(_LINE_BREAK)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <hr/>, <img/>: a break at most.  But browsers ignore the slash on an HTML
        # element: <script/>alert(1)</script> runs, so its text must not show.
        if tag in _SKIPPED and tag not in _FOREIGN:
            self.skipping.append(tag)
        elif tag in _PARAGRAPHS:
            self._break(_PARAGRAPH_BREAK)
        elif tag in _LINES:
            self._break(_LINE_BREAK)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag in self.skipping:
                # Close up to the matching tag, forgiving a missing end tag inside.
                while self.skipping and self.skipping.pop() != tag:
                    pass
            return
        if tag in _PARAGRAPHS:
            self._break(_PARAGRAPH_BREAK)
        elif tag in _LINES and tag != "br":
            self._break(_LINE_BREAK)

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            # A newline in the source is only a space in HTML: the breaks are the tags' own.
            self.parts.append(_clean(data))

    def unknown_decl(self, data: str) -> None:
        # A CDATA section left inside the HTML (a feed that wrapped it twice): its content is HTML.
        if data.startswith("CDATA[") and not self.skipping:
            self._break(_PARAGRAPH_BREAK)
            inner = html_to_text(data[len("CDATA[") :])
            self.parts.append(inner.replace("\n\n", _PARAGRAPH_BREAK).replace("\n", _LINE_BREAK))
            self._break(_PARAGRAPH_BREAK)


def _clean(data: str) -> str:
    # Junk removed and newlines made spaces; a printable string has neither (nor "\r", "\n").
    if data.isprintable() and "\ufffd" not in data:
        return data
    return _NEWLINES.sub(" ", _JUNK.sub("", data))


def tidy_text(text: str) -> str:
    """Spaces collapsed in each line, lines trimmed, paragraphs separated by one blank line."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isprintable() or "\ufffd" in text:
        text = _JUNK.sub("", text)
    return _tidy(text)


def _collapse(line: str) -> str:
    # _INLINE_SPACE.sub(" ", line), skipped when it would change nothing (the regular
    # expressions cost more than the rest of the clean-up on long Arabic text).
    if line.isprintable() and "  " not in line:  # then " " is its only space
        return line
    return _INLINE_SPACE.sub(" ", line) if _ODD_SPACE.search(line) else line


def _tidy(text: str) -> str:
    # tidy_text for a text already without "\r" and junk.
    if "\n" not in text:  # one line (a title, most descriptions)
        return _collapse(text).strip()
    paragraphs = []
    for block in _PARAGRAPH_SPLIT.split(text):
        lines = (_collapse(line).strip() for line in block.split("\n"))
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def html_to_text(html: str) -> str:
    """The words of an HTML fragment, blocks as paragraphs, markup and scripts gone."""
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        # No tag and no reference: HTMLParser would hand the whole string to handle_data once,
        # so this is the same result without the parser (most feed descriptions are like this).
        return _tidy(_clean(html))
    collector = _TextCollector()
    try:
        collector.feed(html)
        collector.close()
    except Exception:  # noqa: BLE001 - hostile markup: keep what was read before it
        pass
    # The parts are clean (no junk, no "\r"): tidy_text's first steps would change nothing.
    return _tidy(_join_breaks("".join(collector.parts)))


def _join_breaks(text: str) -> str:
    """_BREAKS.sub: each run of spaces and markers holding a marker becomes one break.

    Found from the markers rather than with _BREAKS itself, which tries a match at every space.
    """
    if _PARAGRAPH_BREAK not in text and _LINE_BREAK not in text:
        return text
    out = []
    last = 0
    for match in _MARKER_RUN.finditer(text):
        start = match.start()
        while start > last and text[start - 1].isspace():  # the spaces before it, as \s would
            start -= 1
        out.append(text[last:start])
        out.append("\n\n" if _PARAGRAPH_BREAK in match.group() else "\n")
        last = match.end()
    out.append(text[last:])
    return "".join(out)


# What feedparser also takes as the sign of HTML in a field that does not say: a tag or an entity.
_LOOKS_LIKE_HTML = re.compile(r"</?[A-Za-z][^<>]*>|&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")


def looks_like_html(text: str) -> bool:
    return bool(_LOOKS_LIKE_HTML.search(text))


def to_text(value: str | None, is_html: bool | None = None) -> str:
    """A field's plain text; `is_html` None means "guess" (a plain field may still be HTML)."""
    if not value:
        return ""
    if is_html is None:
        is_html = looks_like_html(value)
    return html_to_text(value) if is_html else tidy_text(value)


def one_line(text: str) -> str:
    """A title: all the text on one line, single spaces."""
    return " ".join(text.split())


def title_text(value: str | None, is_html: bool | None = None) -> str:
    """A title's plain text on one line: to_text's, then whatever tag is still in it removed.

    A title typed as text keeps the markup its entities spelled ("خبر &lt;b&gt;" is read as
    "خبر <b>"): that is a tag the publisher forgot, not words, and entities are decoded once only.
    """
    return one_line(strip_markup(to_text(value, is_html)))

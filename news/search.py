"""Search: what gets indexed, what a reader's query means, and where to highlight.

The index sees only what this module gives it: for each article, its normalized words and
their light stems, title and body apart (see migration 0002 of each engine).  A reader's query
is taken apart the same way and turned into the index's own expression — an FTS5 one for
SQLite, a tsquery for PostgreSQL — in which every term is a quoted string, so nothing a reader
types — quotes, `*`, `NEAR(`, `AND`, `-`, `:`, `&`, `<->` — is ever read as syntax.
Highlighting works on the original text, word by word, so a reader sees their
match with its harakat and hamza as the source wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from news.model import SearchText
from news.text import stems, tokenize, word_memo, words

MAX_QUERY_CHARS = 500
MAX_TERMS = 12
# Words too common to search by; dropped from a query unless nothing else is left.
STOPWORDS = frozenset(
    words(
        "في من على الى إلى عن مع ان أن إن او أو ثم هذا هذه ذلك تلك التي الذي الذين اللذين اللتين اللواتي "
        "ما لا لم لن قد كل بين بعد قبل حول عند منذ حتى هو هي هم هن انه انها كان كانت يكون تكون "
        "عليه عليها عليهم فيه فيها فيهم منه منها منهم له لها لهم به بها بهم عنه عنها اي ايضا حيث كما "
        "و ب ل ف ك "
        "le la les de des du un une et en au aux pour par sur the of and to in a"
    )
)
_QUOTED = re.compile(r"[\"“”«»]([^\"“”«»]*)[\"“”«»]")


# PostgreSQL keeps words and stems in one tsvector: a stem's lexeme carries this mark, so that
# an exact word and a stem never meet (مطار the word is not مطار the stem).
STEM_MARK = "~"
# A tsvector counts positions up to this one; later words all stand there.
_MAX_POSITION = 16383


@word_memo()
def _word_stems(word: str) -> str:
    # An article repeats the words of every other: each distinct word is stemmed and sorted once.
    return " ".join(sorted(stems(word)))


def index_text(title: str, body: str) -> SearchText:
    return search_text(words(title), words(body))


def search_text(title_words: list[str], body_words: list[str]) -> SearchText:
    """`index_text` for a title and body already split into words."""
    return SearchText(
        " ".join(title_words), " ".join(map(_word_stems, title_words)),
        " ".join(body_words), " ".join(map(_word_stems, body_words)),
    )


def _lexeme(form: str) -> str:
    """A quoted tsvector / tsquery lexeme (normalized forms hold only letters and digits;
    quoting and doubling is for safety's sake)."""
    return "'" + form.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_text(text: SearchText) -> str:
    """PostgreSQL's tsvector of an article, as text, without its parser or any dictionary
    (they would split or fold words the core already normalized): the title's words (weight
    A), its stems (B), the body's words (C) and stems (D), each word at its position so that
    phrases match; stems after them, marked with STEM_MARK."""
    parts: list[str] = []
    position = 0
    for forms, weight, marked in (
        (text.title_words, "A", False), (text.title_stems, "B", True),
        (text.body_words, "C", False), (text.body_stems, "D", True),
    ):
        position += 1  # a gap: a phrase never runs from the title into the body
        for form in forms.split():
            position += 1
            lexeme = _lexeme(STEM_MARK + form if marked else form)
            parts.append(f"{lexeme}:{min(position, _MAX_POSITION)}{weight}")
    return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Query:
    terms: tuple[str, ...] = ()  # normalized words, each matched exactly or by stem
    phrases: tuple[tuple[str, ...], ...] = ()  # normalized words that must stand together

    def __bool__(self) -> bool:
        return bool(self.terms or self.phrases)

    @property
    def only_stopwords(self) -> bool:
        """Whether every word is one nearly every article has (parse_query keeps them only
        when nothing else is left)."""
        return not self.phrases and all(term in STOPWORDS for term in self.terms)

    def fts_expression(self) -> str:
        """The FTS5 MATCH expression: every term AND every phrase, each quoted."""
        parts = [
            f'({{title_words body_words}} : "{term}" OR {{title_stems body_stems}} : ({_any_of(_shortest(stems(term)))}))'
            for term in self.terms
        ]
        parts += ['{title_words body_words} : "' + " ".join(phrase) + '"' for phrase in self.phrases]
        return " AND ".join(parts)

    def tsquery(self) -> str:
        """The same query as a PostgreSQL tsquery over `tsvector_text`: every term (as a word,
        or by one of its stems) AND every phrase."""
        parts = [
            "(" + " | ".join([_lexeme(term), *(_lexeme(STEM_MARK + form) for form in sorted(_shortest(stems(term))))]) + ")"
            for term in self.terms
        ]
        parts += ["(" + " <-> ".join(_lexeme(word) for word in phrase) + ")" for phrase in self.phrases]
        return " & ".join(parts)

    def matches(self, word: str) -> bool:
        """Whether a normalized word of an article is one the reader asked for."""
        if any(word in phrase for phrase in self.phrases):
            return True
        word_stems = stems(word)
        return any(word == term or word_stems & stems(term) for term in self.terms)


def _shortest(forms: frozenset[str]) -> frozenset[str]:
    """The stems no other stem of the set is part of: جديد stands for جديده and الجديد too.

    An article's stems column holds every peeled form of its words, so a document with the
    longer form has the shorter one as well; asking for the longer ones too only makes FTS5
    merge more posting lists (measured: p95 10.3 → 8.7 ms on a million articles)."""
    return frozenset(f for f in forms if not any(o != f and len(o) < len(f) and o in f for o in forms))


def _any_of(forms: frozenset[str]) -> str:
    # Normalized words hold only letters and digits, so quoting each one is enough.
    return " OR ".join(f'"{form}"' for form in sorted(forms))


def parse_query(raw: str) -> Query:
    """A reader's text as a query; an empty Query when nothing searchable is left."""
    raw = raw[:MAX_QUERY_CHARS]
    phrases = []
    for quoted in _QUOTED.findall(raw):
        phrase = tuple(words(quoted))
        if len(phrase) > 1:
            phrases.append(phrase)
    loose = _QUOTED.sub(lambda m: m.group(1) if len(words(m.group(1))) == 1 else " ", raw)
    terms = list(dict.fromkeys(words(loose)))
    meaningful = [term for term in terms if term not in STOPWORDS]
    terms = meaningful or terms
    return Query(tuple(terms[:MAX_TERMS]), tuple(phrases[:MAX_TERMS]))


Segment = tuple[str, bool]  # (original text, is it a match)


def highlight(text: str, query: Query) -> list[Segment]:
    """`text` cut into plain and matched pieces, the matched ones being whole original words."""
    segments: list[Segment] = []
    position = 0
    for start, end, word in tokenize(text):
        if query.matches(word):
            if start > position:
                segments.append((text[position:start], False))
            segments.append((text[start:end], True))
            position = end
    if position < len(text):
        segments.append((text[position:], False))
    return segments


def snippet(text: str, query: Query, width: int = 160) -> list[Segment] | None:
    """About `width` characters of `text` around its first match, cut at spaces; None if no match."""
    first = next((start for start, _, word in tokenize(text) if query.matches(word)), None)
    if first is None:
        return None
    begin = max(0, first - width // 3)
    if begin:
        space = text.rfind(" ", 0, begin)
        begin = space + 1 if space != -1 and first - space < width else begin
    end = min(len(text), begin + width)
    if end < len(text):
        space = text.rfind(" ", first, end)
        end = space if space > first else end
    piece = " ".join(text[begin:end].split())
    segments = highlight(piece, query)
    if begin > 0:
        segments.insert(0, ("… ", False))
    if end < len(text):
        segments.append((" …", False))
    return segments

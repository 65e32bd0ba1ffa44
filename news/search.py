"""Search: what gets indexed, what a reader's query means, and where to highlight.

The index sees only what this module gives it: for each article, its normalized words and
their light stems, title and body apart (see migration 0002 of each engine).  A reader's query
is taken apart the same way (parse_query: words and "phrases", all needed; `OR` between two,
either; `-` before one, none of it) and turned into the index's own expression — an FTS5 one
for SQLite, a tsquery for PostgreSQL — in which every term is a quoted string and every
operator one this module wrote, so nothing a reader types — quotes, `*`, `NEAR(`, `AND`, `:`,
`&`, `!`, `<->` — is ever read as the index's syntax.
Highlighting works on the original text, word by word, so a reader sees their
match with its harakat and hamza as the source wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import chain

from news.model import SearchText
from news.names import other_spellings, written_forms
from news.text import has_arabic, normalize, stems, tokenize, word_memo, words

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
_CLITICS = "وبلفك"


def stopword(word: str) -> bool:
    """Whether a normalized word is too common to look for, follow or leave out: a stopword,
    one of its stems is (إليه → إلى), or it is one after a clitic letter (ولا، بما، فقد)."""
    return (
        word in STOPWORDS
        or not STOPWORDS.isdisjoint(stems(word))
        or (word[0] in _CLITICS and word[1:] in STOPWORDS)
    )


def too_common(item: tuple[str, ...]) -> bool:
    """Whether a word or phrase left out is nothing but stopwords (-في, -the, -"de la"):
    nearly every article of its language holds it, so leaving it out would leave out nearly
    everything.  A follow refuses it; a search does without it and says so."""
    return all(map(stopword, item))


# The quotes readers put around a phrase (straight, curly, Arabic and French guillemets):
# any of them opens and any closes.
_QUOTES = "\"“”«»"
# A reader's query, piece by piece: a quoted phrase, a `|`, or a run of anything else up to a
# space, `|` or quote; a `-` at the start of either leaves it out (one inside a run, as in
# Aujourd-hui, does not).
_PIECE = re.compile(rf"(-?)[{_QUOTES}]([^{_QUOTES}]*)[{_QUOTES}]|(\|)|(-?)([^\s|{_QUOTES}]+)")


# PostgreSQL keeps words and stems in one tsvector: a stem's lexeme carries this mark, so that
# an exact word and a stem never meet (مطار the word is not مطار the stem).
STEM_MARK = "~"
# A tsvector counts positions up to this one; later words all stand there.
_MAX_POSITION = 16383


# The version of what index_text makes of a text.  Raise it with any change that gives an
# article another index (what news.text's normalize, words or stems make of it): a bot running
# the new code indexes every stored article again, in the background (news.ingest.reindex_search).
# 1: stems by rule alone; 2: with news.text.PEELED_SHORT (4e6f84e).
ANALYSER_VERSION = 2


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


# One thing a reader looks for: a single normalized word (found as written or by one of its
# stems), or several that must stand together as written (a quoted phrase).
Item = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Query:
    """What a reader asked for: every group (one of its items) and none of `excluded`."""

    groups: tuple[tuple[Item, ...], ...] = ()
    excluded: tuple[Item, ...] = ()
    # What was typed and left out of the search, as typed, for the reply to say so: an OR
    # joining nothing (`Oran OR`: «or» is not looked for) — a follow refuses it instead.
    dangling: tuple[str, ...] = ()
    # and what was to be left out but is too common to (`-في`, `-the`: too_common), as typed.
    not_left_out: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        """Whether there is anything to look for (what is left out alone finds nothing)."""
        return bool(self.groups)

    @property
    def only_exclusions(self) -> bool:
        """Whether the reader said only what to leave out (`-كرة`), nothing to look for."""
        return not self.groups and bool(self.excluded)

    @property
    def terms(self) -> tuple[str, ...]:
        """The single words looked for, in any group."""
        return tuple(item[0] for group in self.groups for item in group if len(item) == 1)

    @property
    def phrases(self) -> tuple[Item, ...]:
        """The phrases looked for, in any group."""
        return tuple(item for group in self.groups for item in group if len(item) > 1)

    @property
    def only_stopwords(self) -> bool:
        """Whether every word is one nearly every article has (parse_query keeps them only
        when nothing else is left)."""
        return all(_common(group) for group in self.groups)

    def fts_expression(self) -> str:
        """The FTS5 MATCH expression: every group (any of its items) and, when something is
        left out, NOT any of that; every word quoted."""
        looked_for = " AND ".join(_either(list(map(_fts_item, group)), " OR ") for group in self.groups)
        if not self.excluded:
            return looked_for
        return f"({looked_for}) NOT {_either(list(map(_fts_item, self.excluded)), ' OR ')}"

    def tsquery(self) -> str:
        """The same query as a PostgreSQL tsquery over `tsvector_text`."""
        parts = [_either(list(map(_ts_item, group)), " | ") for group in self.groups]
        if self.excluded:
            parts.append("!" + _either(list(map(_ts_item, self.excluded)), " | ", always=True))
        return " & ".join(parts)

    def matches(self, word: str) -> bool:
        """Whether a normalized word of an article is one the reader asked for (what they left
        out is never shown: an article holding it is not found)."""
        if any(word in phrase for phrase in self.phrases):
            return True
        word_stems = stems(word)
        return any(word == term or word_stems & stems(term) for term in self.terms)


def _fts_item(item: Item) -> str:
    if len(item) > 1:
        return '{title_words body_words} : "' + " ".join(item) + '"'
    (term,) = item
    return f'({{title_words body_words}} : "{term}" OR {{title_stems body_stems}} : ({_any_of(_shortest(stems(term)))}))'


def _ts_item(item: Item) -> str:
    """A word, or one of its stems (marked); or a phrase's words one after the other."""
    if len(item) > 1:
        return "(" + " <-> ".join(map(_lexeme, item)) + ")"
    (term,) = item
    return "(" + " | ".join([_lexeme(term), *(_lexeme(STEM_MARK + form) for form in sorted(_shortest(stems(term))))]) + ")"


def _either(parts: list[str], operator: str, always: bool = False) -> str:
    """The parts joined by `operator`, in parentheses when there are several (or `always`)."""
    joined = operator.join(parts)
    return f"({joined})" if always or len(parts) > 1 else joined


def _common(group: tuple[Item, ...]) -> bool:
    """Whether every item of a group is a stopword."""
    return all(len(item) == 1 and item[0] in STOPWORDS for item in group)


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
    """A reader's text as a query: words and quoted phrases, all needed; `OR` between two of
    them, either; `-` before one, none of it.  An empty Query when nothing searchable is left.
    An OR joining nothing is not looked for, nor a stopword left out (`-في`: too_common), and
    the Query says they were typed (`dangling`, `not_left_out`)."""
    raw = raw[:MAX_QUERY_CHARS]
    pieces = _pieces(raw)
    joining = _joining(pieces)
    groups, excluded = _grouped(joining)
    distinct = list(dict.fromkeys(tuple(dict.fromkeys(piece.item for piece in group)) for group in groups))
    meaningful = [group for group in distinct if not _common(group)]
    common = [piece for piece in excluded if too_common(piece.item)]
    left_out = [piece.item for piece in excluded if piece not in common]
    query = _bounded(meaningful or distinct, list(dict.fromkeys(left_out)))
    dangling = (raw[slice(*piece.span)] for piece in pieces if piece not in joining)
    not_left_out = (raw[piece.span[0] + 1 : piece.span[1]].strip(_QUOTES) for piece in common)
    return replace(query, dangling=tuple(dict.fromkeys(dangling)), not_left_out=tuple(dict.fromkeys(not_left_out)))


@dataclass(frozen=True, slots=True)
class Typed:
    """A reader's text read as parse_query reads its operators, in the reader's own spelling:
    for a follow, which keeps what was typed and shows it back (news.follows)."""

    kept: str  # the text without what it leaves out, spaces made single
    left_out: tuple[str, ...]  # each thing left out as typed, without its `-` (a phrase in its quotes)
    excluded: tuple[Item, ...]  # the same, normalized, each once: what parse_query leaves out
    either: tuple[tuple[str, ...], ...]  # what is looked for as typed, those joined by OR in one tuple
    # An OR (`OR`, `|`, «أو», «ou») joining nothing on one side: `Oran OR`, `OR` alone.  It is
    # not in `either` (parse_query leaves it out too, and says so: Query.dangling).
    dangling: bool = False


def read_typed(raw: str) -> Typed:
    """`raw` as parse_query reads it (its operators: `-` before a word or a quoted phrase, OR
    between two), each part as the reader typed it."""
    pieces = _pieces(raw)
    # A run of several words (l'été) is several pieces: one thing typed.
    typed = [piece for at, piece in enumerate(pieces) if not at or piece.span != pieces[at - 1].span]
    joining = _joining(typed)
    groups, excluded = _grouped(joining)
    kept, at = [], 0
    for piece in excluded:
        kept.append(raw[at : piece.span[0]])
        at = piece.span[1]
    kept.append(raw[at:])
    return Typed(
        " ".join("".join(kept).split()),
        tuple(raw[piece.span[0] + 1 : piece.span[1]] for piece in excluded),
        tuple(dict.fromkeys(piece.item for piece in excluded)),
        tuple(tuple(raw[slice(*piece.span)] for piece in group) for group in groups),
        len(joining) < len(typed),
    )


@dataclass(frozen=True, slots=True)
class _Piece:
    item: Item  # () for `|`, and for what holds no word (punctuation, emoji)
    span: tuple[int, int]  # where it was typed: the whole quoted phrase, or the whole run of a word
    excluded: bool = False
    operator: bool = False  # `|`, or a word that means OR between two things looked for


def _pieces(raw: str) -> list[_Piece]:
    """The pieces of a reader's text that hold something to look for or leave out, or an operator."""
    pieces = []
    for found in _PIECE.finditer(raw):
        quoted_minus, quoted, bar, minus, run = found.groups()
        span = found.span()
        if bar:
            pieces.append(_Piece((), span, operator=True))
        elif quoted is not None:
            pieces.append(_Piece(tuple(words(quoted)), span, excluded=bool(quoted_minus)))
        elif minus:
            # A run of words left out is left out as written, as a phrase: -l'équipe leaves
            # out «l'équipe», not every article with an «l».
            pieces.append(_Piece(tuple(words(run)), span, excluded=True))
        else:
            operator = _is_or(run)
            pieces += [_Piece((word,), span, operator=operator) for word in words(run)]
    return [piece for piece in pieces if piece.item or piece.operator]


def _joining(pieces: list[_Piece]) -> list[_Piece]:
    """The pieces less the operators that join nothing (`Oran OR`, `OR` alone, `| Oran`): the
    one rule by which a follow refuses an OR (Typed.dangling) and a search does without it
    (Query.dangling).  A search box reader who ends with OR, or starts with it, asks for
    what they typed beside it, never for the word «or»."""
    return [piece for at, piece in enumerate(pieces) if not piece.operator or _joins(pieces, at)]


def _grouped(pieces: list[_Piece]) -> tuple[list[list[_Piece]], list[_Piece]]:
    """The pieces looked for, in groups (every group needed; any piece of one, joined by OR,
    will do), and those left out."""
    groups: list[list[_Piece]] = []
    excluded: list[_Piece] = []
    joining = False
    for at, piece in enumerate(pieces):
        if piece.operator and _joins(pieces, at):
            joining = True
        elif piece.excluded:
            excluded.append(piece)
        elif piece.item and joining:
            groups[-1].append(piece)
            joining = False
        elif piece.item:
            groups.append([piece])
    return groups, excluded


def _is_or(run: str) -> bool:
    """Whether a word the reader typed is OR.  `OR` in capitals, as every search box has it
    (not `or`: in French it is gold).  And «أو» and «ou», spelt any way but «où»: a reader
    who types «وهران أو قسنطينة» or «Oran ou Alger» into a search box asks for either, and
    «أو» as a mere word would be a stopword, dropped (both words then needed: the opposite).
    Only between two things looked for (see _joins); in quotes it is the phrase's word."""
    letters = "".join(filter(str.isalpha, run))
    return letters == "OR" or letters.lower() == "ou" or normalize(letters) == "او"


def _joins(pieces: list[_Piece], at: int) -> bool:
    """Whether the operator at `at` stands between two things looked for (not left out, not
    another operator); elsewhere `|` is punctuation and OR, أو, ou are words."""
    if at == 0 or at + 1 == len(pieces):
        return False
    before, after = pieces[at - 1], pieces[at + 1]
    return bool(before.item) and not before.excluded and bool(after.item) and not (after.excluded or after.operator)


def _bounded(groups: list[tuple[Item, ...]], excluded: list[Item]) -> Query:
    """At most MAX_TERMS words and MAX_TERMS phrases in all: the first ones looked for, then
    the first ones left out."""
    left = {False: MAX_TERMS, True: MAX_TERMS}  # by whether it is a phrase

    def kept(item: Item) -> bool:
        phrase = len(item) > 1
        left[phrase] -= 1
        return left[phrase] >= 0

    bounded = [group for group in (tuple(filter(kept, group)) for group in groups) if group]
    return Query(tuple(map(_named_alike, bounded)), _named_alike(tuple(filter(kept, excluded))))


def _named_alike(items: tuple[Item, ...]) -> tuple[Item, ...]:
    """`items` and, after each name the table knows, its spellings in other scripts: either
    one found (news.names: Sonatrach finds سوناطراك).  Not counted against MAX_TERMS: the
    reader typed one word."""
    return tuple(dict.fromkeys(chain.from_iterable((item, *_as_written(other_spellings(item))) for item in items)))


def _as_written(spellings: tuple[Item, ...]) -> Iterator[Item]:
    """Each spelling as the index may hold it: a name of several words is a phrase, whose
    words the index keeps as written — «لمولودية الجزائر» is not the phrase «مولودية الجزائر»,
    so its first word is also looked for with a clitic or an article before it."""
    for spelling in spellings:
        yield spelling
        first, *rest = spelling
        if rest and has_arabic(first):
            yield from ((form, *rest) for form in sorted(written_forms(first) - {first}))


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

"""What a reader types after /follow or /mute, understood as something to match stories by.

`parse_follow` tries, in this order, and the first that fits wins:

1. a topic: the whole text is a name /topic accepts (news.topics.find_topic): رياضة،
   الرياضة، Sport, sports, اقتصاد, "احوال جوية".  So `/follow اقتصاد` follows the topic
   economy (every story filed under it), not the word اقتصاد;
2. a wilaya: the whole text is a name or code /wilaya accepts, and nothing else
   (news.regions.find_wilaya with `exact`): وهران، ولاية وهران، Oran, 31, تيزي وزو.  A longer
   text that merely mentions one — "مولودية وهران" (a club), "مطار وهران" — is words, not the
   wilaya.  Note that الجزائر and العاصمة are wilaya 16 (Algiers), as for /wilaya;
3. a quoted phrase: the whole text between one pair of quotes ("…", “…”, «…») with two words
   or more: they must stand together, in that order.  Quoting is also how a reader asks for
   the word itself rather than the topic or the wilaya: `/follow "اقتصاد"` follows the word;
4. words: everything else, e.g. `/follow سوناطراك` or `/follow الحماية المدنية`: every word
   must appear in the story, anywhere, exactly or by stem as /search matches.  Stopwords
   and one-letter words are dropped, repeats too, the order kept.  A stopword is one of
   news.search.STOPWORDS, or such a word with a pronoun or a clitic attached — إليه (إلى + ه),
   ولا (و + لا), وفي: matched by stem, إليه would alert on every story that says إلى.
   Quotes inside a longer text are punctuation: `«الكاف» تحدد` is two words.

`parse_mute` knows only 3 and 4: a mute is words or a phrase, so `/mute رياضة` mutes the
word رياضة (and its forms), not the topic.

A follow (not a mute) reads /search's operators (news.search.read_typed) before all that:

- `-word` and `-"a phrase"` leave out the stories holding them (`Follow.excluded`): a word by
  its normalized form and stems, as a followed word matches, a phrase as a followed phrase
  does.  What is left (`/follow رياضة -كرة`: the topic sport) is understood as above; `text`
  keeps all the reader typed, and `shown` tells the two apart again for /following;
- OR (`OR`, `|`, «أو», «ou» between two things) is refused, with the follows to make instead
  (`FollowRefused.alternatives`): two follows alert exactly as one of either would — one alert
  a story, naming each that matched — and each can then be removed on its own.  An OR with
  nothing on one side (`/follow Oran OR`) is refused the same way, not followed as a word.

The terms are normalized words exactly as news.text.words gives them (letters and digits
only), so storage can keep them as text, and news.percolator matches by them.

Refused, with `FollowRefused.reason`, checked in this order (nothing is stored):

- "usage": nothing after the command;
- "mute_leaves_out": a mute with `-word` or `-"a phrase"` (`/mute -كرة`): a mute hides what it
  names, and leaving out belongs to a follow;
- "only_excluded": a follow of nothing but what to leave out: `/follow -كرة`;
- "either": OR between two things to follow, with `alternatives`; or an OR joining nothing
  (`/follow Oran OR`, `/follow OR`: the follow without it, or none, as `alternatives`);
- "excludes_common": leaving out a stopword (`-في`, `-the`, `-de`, or a phrase of them),
  which nearly every story of its language holds: `named` says which;
- "excludes_itself": a word or phrase both followed and left out (nothing would ever come);
- "too_long": more than 100 characters;
- "too_many_words": checked last, more than 8 words once stopwords are dropped, however
  short they are (a follow needing nine words at once would never match anything);
- "unbalanced_quote": an odd number of quote characters: `"الحماية المدنية`;
- "search_syntax": what a search engine would read as an operator, which /follow would
  silently take as a word: a field `title:x` (ASCII letters glued to a colon and a
  non-space), OR / AND / NOT / NEAR in capitals between words, `*` or `~` glued to a word
  (`sonatrach*`), a parenthesis glued after a letter (`NEAR(`), `-word` or `+word` at the
  start of a word, `||` and `&&`.  Ordinary punctuation is not syntax: «الكاف», a dash inside
  a word (تيزي-وزو) or between spaces, "كأس إفريقيا: القرعة", "(واج)", "l'été", 10:30;
- "too_short": no word of two letters or more: `/follow ب`, `/follow x`;
- "stopwords": nothing but stopwords: `/follow في من`, `/follow "de la"`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from itertools import islice, product
from math import prod

from news.model import Follow
from news.names import other_spellings
from news.regions import find_wilaya
from news.search import Typed, read_typed, stopword, too_common
from news.text import words
from news.topics import find_topic

MAX_CHARS = 100
MAX_WORDS = 8
REFUSAL_REASONS = (
    "usage", "too_short", "stopwords", "too_long", "too_many_words", "unbalanced_quote", "search_syntax",
    "only_excluded", "either", "excludes_itself", "excludes_common", "mute_leaves_out",
)
# A refusal of OR offers the follows to make instead, up to this many.
MAX_ALTERNATIVES = 4

# The quote characters readers type; any of them opens and any closes (as for /search).
_QUOTES = "\"“”«»"
_QUOTED_WHOLE = re.compile(f"[{_QUOTES}]([^{_QUOTES}]*)[{_QUOTES}]")
_SEARCH_SYNTAX = re.compile(
    r"(?<![^\W_])[A-Za-z]+:[^\s:]"  # a field: title:x, site:aps.dz (but not 10:30, nor "x: y")
    r"|(?<=\S)\s+(?:OR|AND|NOT|NEAR)(?=\s+\S)"  # an operator between two words
    r"|^(?:NOT|NEAR)\s+\S"  # or opening the text
    r"|[^\W_][*~]|\*[^\W_]"  # a wildcard or fuzziness glued to a word: sonatrach*, *trach, word~
    r"|[^\W\d_]\("  # a parenthesis glued after a letter: NEAR(…)
    r"|(?<!\S)[-+][^\W\d_]"  # -word, +word: exclusion, requirement
    r"|\|\||&&"
)
# Where a topic's or a wilaya's name may end with a reader's punctuation: "رياضة!", "Oran.".
_TRAILING = " .,:;،؛!?…-"


class FollowRefused(ValueError):
    """The text cannot be followed or muted; `reason` is one of REFUSAL_REASONS.  For
    "either", `alternatives` are the texts to follow one by one instead, the first
    MAX_ALTERNATIVES of them, and `more` how many others there are; for "excludes_common",
    `named` is the word left out as typed."""

    def __init__(self, reason: str, alternatives: tuple[str, ...] = (), more: int = 0, named: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.alternatives = alternatives
        self.more = more
        self.named = named  # what the refusal is about, as typed ("excludes_common": the word)


@dataclass(frozen=True, slots=True)
class FollowSpec:
    """A follow or a mute as understood, before it is stored.

    `kind` is one of news.model.FOLLOW_KINDS; `text` is the reader's text (trimmed, spaces
    made single), shown back by /following; `terms` and `excluded` are what matching compares
    (see Follow); `mute` is set by parse_mute.
    """

    kind: str
    text: str
    terms: tuple[str, ...]
    mute: bool = False
    excluded: tuple[tuple[str, ...], ...] = ()

    def follow(self, id: int, chat_id: int, *, thread_id: int | None = None, created_at: datetime | None = None) -> Follow:
        """The Follow (or mute) this spec becomes, once storage has given it an id."""
        return Follow(id, chat_id, self.kind, self.text, self.terms, self.mute, thread_id, created_at, self.excluded)


def parse_follow(text: str) -> FollowSpec:
    """What `/follow TEXT` follows: a topic, a wilaya, a quoted phrase or words, in that order
    (see the module's docstring); FollowRefused if TEXT cannot be followed.

    >>> parse_follow("اقتصاد")
    FollowSpec(kind='topic', text='اقتصاد', terms=('economy',), mute=False)
    >>> parse_follow("Oran")
    FollowSpec(kind='wilaya', text='Oran', terms=('31',), mute=False)
    >>> parse_follow("سوناطراك")
    FollowSpec(kind='words', text='سوناطراك', terms=('سوناطراك',), mute=False)
    """
    return _parse(text, mute=False)


def parse_mute(text: str) -> FollowSpec:
    """What `/mute TEXT` mutes: a quoted phrase or words, never a topic or a wilaya
    (`/mute رياضة` is the word رياضة); FollowRefused as for parse_follow."""
    return _parse(text, mute=True)


def shown(follow: Follow | FollowSpec) -> tuple[str, tuple[str, ...]]:
    """What a follow's text follows and what it leaves out, each as the reader typed it:
    («الجزائر», («كرة», '"كأس العالم"')) for `الجزائر -كرة -"كأس العالم"`."""
    if not follow.excluded:
        return follow.text, ()
    typed = read_typed(follow.text)
    return typed.kept, typed.left_out


# A list typed with commas is several follows (or mutes): «Sonatrach, Sonelgaz» is each of
# them, not a story holding both.  Not inside quotes (a phrase is as typed), and not past a
# handful, where it is no list (the one text is then refused as too long, as before).  A comma
# between two digits is a number's (1,5 milliard; 20,000), not the list's.
_LIST_SEPARATOR = re.compile(r"\s*(?:[،;؛]|(?<!\d),|,(?!\d))\s*")
_QUOTED = re.compile(f"[{_QUOTES}][^{_QUOTES}]*[{_QUOTES}]")
_MOST_IN_A_LIST = 10


def listed(text: str, *, mute: bool = False) -> list[str]:
    """Each follow (or mute) a text typed as a list asks for, as it would be typed alone:
    «سوناطراك، سونلغاز» is سوناطراك and سونلغاز; a text that is no list is itself.

    What the list's last part leaves out, when no other part leaves out anything of its own,
    is left out of every follow of the list: a reader who writes `سوناطراك، سونلغاز -كرة`
    wants neither with football (a last part that only leaves out, `سوناطراك، سونلغاز، -كرة`,
    likewise).  Parts that leave out things of their own keep them, each its own.  A mute
    takes no exclusions: its parts are as typed (and refused as such)."""
    if sum(text.count(quote) for quote in _QUOTES) % 2:
        return [text]  # a quote left open: refused as it is
    quoted = [found.span() for found in _QUOTED.finditer(text)]
    cuts = [
        found.span() for found in _LIST_SEPARATOR.finditer(text)
        if not any(start <= found.start() < end for start, end in quoted)
    ]
    starts, ends = [0, *(end for _, end in cuts)], [*(start for start, _ in cuts), len(text)]
    parts = [part for part in (text[start:end] for start, end in zip(starts, ends, strict=True)) if part.strip()]
    if not 1 < len(parts) <= _MOST_IN_A_LIST:
        return [text]
    *first, last = parts
    if mute or any(read_typed(part).left_out for part in first):
        return parts
    typed = read_typed(last)
    left_out = "".join(f" -{item}" for item in typed.left_out)
    if not left_out:
        return parts
    return [part + left_out for part in first] + ([last] if typed.kept else [])


def _parse(raw: str, *, mute: bool) -> FollowSpec:
    text = " ".join(raw.split())
    if not text:
        raise FollowRefused("usage")
    if len(text) > MAX_CHARS:
        raise FollowRefused("too_long")
    if sum(text.count(quote) for quote in _QUOTES) % 2:
        raise FollowRefused("unbalanced_quote")
    if mute:
        if read_typed(text).excluded:  # `/mute -كرة`: /mute hides what it names, as it is
            raise FollowRefused("mute_leaves_out")
        return _parse_kept(text, mute=True)
    typed = read_typed(text)
    # (`a || b` is two bars joining nothing, but it is another engine's syntax: said so below.)
    dangling = typed.dangling and not _SEARCH_SYNTAX.search(typed.kept)
    if dangling or any(len(either) > 1 for either in typed.either):
        alternatives = _alternatives(typed)
        for alternative in alternatives:
            parse_follow(alternative)  # the reason one of them would be refused, if any, is this one's
        ways = prod(map(len, typed.either)) if alternatives else 0
        raise FollowRefused("either", alternatives, ways - len(alternatives))
    if not typed.excluded:
        return _parse_kept(text, mute=False)
    if not typed.kept:
        raise FollowRefused("only_excluded")
    spec = _parse_kept(typed.kept, mute=False)
    if len(typed.excluded) > MAX_WORDS:
        raise FollowRefused("too_many_words")
    # في, the, de: nearly every story of its language holds one, so leaving it out would
    # silence the follow there, when the reader thought it did nothing.
    common = next((item for item in typed.left_out if too_common(tuple(words(item)))), None)
    if common is not None:
        raise FollowRefused("excludes_common", named=common.strip(_QUOTES))
    if any(_holds(spec, item) for item in typed.excluded):
        raise FollowRefused("excludes_itself")
    return FollowSpec(spec.kind, text, spec.terms, excluded=typed.excluded)


def _alternatives(typed: Typed) -> tuple[str, ...]:
    """The follows that together alert as the OR of `typed` would: one for each way of
    taking one thing of each group, each leaving out what `typed` leaves out.  None when
    nothing is looked for (`/follow OR`); the follow without it for an OR joining nothing."""
    if not typed.either:
        return ()
    left_out = "".join(f" -{item}" for item in typed.left_out)
    ways = islice(product(*typed.either), MAX_ALTERNATIVES)
    return tuple(" ".join(way) + left_out for way in ways)


def _holds(spec: FollowSpec, item: tuple[str, ...]) -> bool:
    """Whether every story the follow matches holds `item`: the very word followed, or words
    standing together in the followed phrase, or another spelling of a name followed
    (news.names: a story holding سوناطراك holds Sonatrach too)."""
    followed = (spec.terms,) if spec.kind == "phrase" else tuple((term,) for term in spec.terms)
    if spec.kind in ("words", "phrase") and any(item in other_spellings(name) for name in followed):
        return True
    if spec.kind == "words":
        return len(item) == 1 and item[0] in spec.terms
    if spec.kind == "phrase":
        width = len(item)
        return any(spec.terms[at : at + width] == item for at in range(len(spec.terms) - width + 1))
    return False


def _parse_kept(text: str, *, mute: bool) -> FollowSpec:
    """A topic, a wilaya, a phrase or words (see the module's docstring): `text` without
    what it leaves out."""
    if _SEARCH_SYNTAX.search(text):
        raise FollowRefused("search_syntax")
    quoted = _QUOTED_WHOLE.fullmatch(text)
    if quoted:
        phrase = words(quoted.group(1))
        if len(phrase) > 1:
            return FollowSpec("phrase", text, _phrase_terms(phrase), mute)
        return FollowSpec("words", text, _word_terms(phrase), mute)
    if not mute:  # a mute is never a topic nor a wilaya
        name = text.strip(_TRAILING)
        topic = find_topic(name) if name else None
        if topic is not None:
            return FollowSpec("topic", text, (topic.slug,))
        wilaya = find_wilaya(name, exact=True) if name else None
        if wilaya is not None:
            return FollowSpec("wilaya", text, (str(wilaya.code),))
    return FollowSpec("words", text, _word_terms(words(text)), mute)


def same_target(mute: Follow | FollowSpec, follow: Follow | FollowSpec) -> bool:
    """Whether a mute and a follow of one chat are about the same thing, so that they cannot
    both hold (the mute would silence every alert of the follow): the same words or phrase,
    or the topic or wilaya the mute's text names when followed — `/mute وهران` is the wilaya
    Oran of `/follow Oran`, `/mute رياضة` the topic of `/follow Sport`.  Only the same thing:
    muting كرة is not about a follow of كرة القدم."""
    if (mute.kind, mute.terms) == (follow.kind, follow.terms):
        return True
    if follow.kind not in ("topic", "wilaya"):
        return False
    try:
        named = parse_follow(mute.text)
    except FollowRefused:
        return False
    return (named.kind, named.terms) == (follow.kind, follow.terms)


def _meaningful(word: str) -> bool:
    return len(word) > 1 and not stopword(word)


def _check_some_meaning(found: list[str]) -> None:
    if not any(len(word) > 1 for word in found):
        raise FollowRefused("too_short")
    if not any(map(_meaningful, found)):
        raise FollowRefused("stopwords")


def _word_terms(found: list[str]) -> tuple[str, ...]:
    """Each meaningful word once, in the reader's order."""
    _check_some_meaning(found)
    terms = tuple(dict.fromkeys(filter(_meaningful, found)))
    if len(terms) > MAX_WORDS:
        raise FollowRefused("too_many_words")
    return terms


def _phrase_terms(found: list[str]) -> tuple[str, ...]:
    """Every word of the phrase, stopwords too: they stand in it, in that order."""
    _check_some_meaning(found)
    if sum(map(_meaningful, found)) > MAX_WORDS:
        raise FollowRefused("too_many_words")
    return tuple(found)

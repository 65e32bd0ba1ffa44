"""Lines that news sites wrap around an article and that are never part of it.

Matched on the normalized text of a whole line, at its start, so that a trailing dot, harakat
or a different hamza do not let one through.

Two uses.  The aggregator's own lines (AGGREGATOR_BOILERPLATE) are dropped from what is stored.
For the topic classifier, `article_lines` also sets aside what a page keeps beside the article
without being it — «اقرأ أيضا» links to other stories, "follow us / get our app / share"
lines, bylines and datelines, and the «أخبار ذات صلة» block of other headlines at the end —
so that a weather story's page does not file it under sports because its sidebar mentions a
match.  The stored body keeps all of it: readers may want the byline.
"""

from __future__ import annotations

from news.text import normalize

AGGREGATOR_BOILERPLATE: tuple[str, ...] = (
    "انقر هنا لقراءة الخبر من مصدره",
    "شكرا على الإبلاغ!",
    "سيتم حجب هذه الصورة تلقائيا عندما يتم الإبلاغ عنها",
)

_NORMALIZED = tuple(normalize(line) for line in AGGREGATOR_BOILERPLATE)


def is_boilerplate(line: str, patterns: tuple[str, ...] = _NORMALIZED) -> bool:
    text = normalize(line)
    return bool(text) and any(text.startswith(pattern) for pattern in patterns)


# A line beginning so points to another story, whatever its length.
_OTHER_STORY = tuple(
    normalize(prefix)
    for prefix in (
        "اقرأ أيضا", "إقرأ أيضا", "اقرأ ايضا", "طالع أيضا", "شاهد أيضا", "اقرأ كذلك",
        "lire aussi", "a lire aussi", "voir aussi", "read also", "see also",
    )
)
# The site speaking, not the article: dropped when the line is short (a sentence of the
# article may well begin «نشر في الجريدة الرسمية…»).
_SITE_LINE = tuple(
    normalize(prefix)
    for prefix in (
        "تابعونا", "تابعوا", "تابعنا", "حمل تطبيق", "حملوا تطبيق", "حمّلوا تطبيق", "حمل التطبيق", "لتحميل تطبيق",
        "شارك", "شاركوا", "جميع الحقوق محفوظة", "كل الحقوق محفوظة", "حقوق النشر", "المصدر", "إعلان", "اعلان",
        "أضف تعليق", "أضف تعليقك", "أضف تعليقا", "التعليقات", "اشترك", "نشر في", "نشر يوم", "آخر تحديث",
        "تاريخ النشر", "بقلم", "الكاتب", "suivez-nous", "suivez nous", "partager", "partagez",
        "tous droits reserves", "publicite", "source", "publie le", "mis a jour", "abonnez-vous", "commentaires",
        "follow us", "share",
    )
)
_SITE_LINE_WORDS = 14
# A heading after which a page lists other stories: the article has ended.
_OTHER_STORIES_HEADING = frozenset(
    normalize(heading)
    for heading in (
        "أخبار ذات صلة", "مواضيع ذات صلة", "مقالات ذات صلة", "ذات صلة", "الأكثر قراءة", "الأكثر مشاهدة",
        "الأكثر تداولا", "اقرأ المزيد", "المزيد من الأخبار", "أخبار أخرى", "آخر الأخبار", "قد يهمك أيضا",
        "قد يعجبك أيضا", "اخترنا لك", "sur le meme sujet", "les plus lus", "a lire aussi", "dans la meme rubrique",
        "articles similaires", "related", "most read",
    )
)


def _begins_with(text: str, prefixes: tuple[str, ...]) -> bool:
    """`text` begins with one of `prefixes`; a one-word prefix as a whole word (شارك, not شاركت;
    par, not paris), a longer one as it begins (حملوا تطبيق, and so حملوا تطبيقنا)."""
    if not text.startswith(prefixes):  # the usual line: one test in C
        return False
    for prefix in prefixes:
        if text.startswith(prefix) and (
            " " in prefix or len(text) == len(prefix) or not text[len(prefix)].isalnum()
        ):
            return True
    return False


# Every pattern above is shorter than this: a line is told apart by its beginning, normalized.
_HEAD_CHARS = 60


def article_lines(body: str, stop_after: int | None = None) -> list[str]:
    """The lines of `body` that tell the article: without boilerplate, links to other stories
    and what follows a heading of other stories; with `stop_after`, once that many characters
    are kept."""
    kept: list[str] = []
    size = 0
    for line in body.split("\n"):
        if stop_after is not None and size >= stop_after:
            break
        if not (line := line.strip()):
            continue
        head = normalize(line[:_HEAD_CHARS]).strip(" :-–—.•|")
        if len(line) < _HEAD_CHARS and head in _OTHER_STORIES_HEADING:
            break
        if (
            _begins_with(head, _OTHER_STORY)
            or head.startswith(_NORMALIZED)
            or (_begins_with(head, _SITE_LINE) and line.count(" ") < _SITE_LINE_WORDS)
        ):
            continue
        kept.append(line)
        size += len(line) + 1
    return kept

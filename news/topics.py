"""The eleven topics every article is filed under, with their names in each interface language.

A reader may type a topic as its slug or its name in any language, loosely (رياضة, الرياضة,
رياضه, sport, Sports): `find_topic` folds all of those to the same topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from news.text import normalize, word_memo


@dataclass(frozen=True, slots=True)
class Topic:
    slug: str
    emoji: str
    names: dict[str, str]  # language code → display name
    aliases: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["ar"]


TOPICS: tuple[Topic, ...] = (
    Topic("politics", "🏛", {"ar": "سياسة", "fr": "Politique", "en": "Politics"}, ("سياسي", "politique", "national")),
    Topic("security", "🛡", {"ar": "أمن", "fr": "Sécurité", "en": "Security"}, ("امني", "defense")),
    Topic("economy", "💹", {"ar": "اقتصاد", "fr": "Économie", "en": "Economy"}, ("اقتصادي", "eco", "business")),
    Topic("sports", "⚽", {"ar": "رياضة", "fr": "Sport", "en": "Sports"}, ("رياضي", "sport")),
    Topic("world", "🌍", {"ar": "دولي", "fr": "Monde", "en": "World"}, ("عالم", "العالم", "international")),
    Topic("weather", "🌦", {"ar": "طقس", "fr": "Météo", "en": "Weather"}, ("احوال جويه", "meteo")),
    Topic("health", "🩺", {"ar": "صحة", "fr": "Santé", "en": "Health"}, ("صحي",)),
    Topic("religion", "🕌", {"ar": "دين", "fr": "Religion", "en": "Religion"}, ("ديني", "اسلاميات")),
    Topic("culture", "🎭", {"ar": "ثقافة", "fr": "Culture", "en": "Culture"}, ("ثقافي", "فن")),
    Topic("society", "👥", {"ar": "مجتمع", "fr": "Société", "en": "Society"}, ("اجتماعي", "societe")),
    Topic("technology", "💻", {"ar": "تكنولوجيا", "fr": "Technologie", "en": "Technology"}, ("تقنيه", "tech")),
)

TOPIC_BY_SLUG: dict[str, Topic] = {topic.slug: topic for topic in TOPICS}


# The French and English articles: «la politique», «l'économie», «the weather» name topics too.
_LATIN_ARTICLE = re.compile(r"^(?:(?:le|la|les|the)\s+|l['’])")


def _lookup_key(name: str) -> str:
    key = _LATIN_ARTICLE.sub("", normalize(name)).replace(" ", "")
    # The Arabic article: الرياضة and رياضة name the same topic.
    if key.startswith("ال") and len(key) > 4:
        key = key[2:]
    return key


_BY_KEY: dict[str, Topic] = {}
for _topic in TOPICS:
    for _name in (_topic.slug, *_topic.names.values(), *_topic.aliases):
        _BY_KEY.setdefault(_lookup_key(_name), _topic)
        # English plurals and their absence: "sport" / "sports".
        if _name.isascii():
            _BY_KEY.setdefault(_lookup_key(_name).removesuffix("s"), _topic)


@word_memo(4_096)  # an import names a few topics, on a third of its lines
def find_topic(name: str) -> Topic | None:
    """The topic a reader or an import file means by `name`, or None."""
    key = _lookup_key(name)
    return _BY_KEY.get(key) or _BY_KEY.get(key.removesuffix("s"))


@dataclass(frozen=True, slots=True)
class TopicChoice:
    """Topics a reader named after a command (/mytopics sport économie): those found, in the
    order of TOPICS, and what named none, as typed; `every` when they asked for all of them."""

    slugs: tuple[str, ...]
    unknown: tuple[str, ...]
    every: bool = False


# Between the names: commas, semicolons, spaces; «and», and an article standing alone, name
# no topic.
_CHOICE_SEPARATOR = re.compile(r"[\s,،;؛]+")
_NOT_NAMES = frozenset({"et", "and", "و", "la", "le", "les", "the"})
_EVERY = frozenset(normalize(word) for word in ("all", "every", "tout", "toutes", "tous", "كل", "الكل", "الجميع"))


def read_topic_choice(typed: str) -> TopicChoice:
    """The topics named in `typed`: the whole of it as one name first (أحوال جوية), else each
    word (an Arabic «و» stuck to one, وثقافة, is «and»); «all», «toutes», «كل»: every topic."""
    first_word = normalize(typed).split()[:1]
    if first_word and first_word[0] in _EVERY:  # «toutes les rubriques», «كل المواضيع»
        return TopicChoice((), (), every=True)
    whole = find_topic(typed)
    if whole is not None:
        return TopicChoice((whole.slug,), ())
    found: set[str] = set()
    unknown: list[str] = []
    for word in filter(None, _CHOICE_SEPARATOR.split(typed)):
        if normalize(word) in _NOT_NAMES:
            continue
        topic = find_topic(word) or (find_topic(word[1:]) if word.startswith("و") and len(word) > 2 else None)
        if topic is None:
            unknown.append(word)
        else:
            found.add(topic.slug)
    return TopicChoice(tuple(slug for slug in TOPIC_BY_SLUG if slug in found), tuple(unknown))

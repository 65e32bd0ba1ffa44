"""What each reply looks like: article text in, Telegram-valid HTML messages out.

Every function returns a list of messages that `paginate` has already sized, with article
text escaped and Arabic lines marked right-to-left (see bot.render).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import COMMANDS, LANGUAGE_NAMES, t
from bot.render import MESSAGE_LIMIT, directed, escape, escape_attr, paginate, split_text
from news.topics import TOPIC_BY_SLUG, TOPICS
from storage.records import Article, Chat

# Room kept in each part of a long article for its "part 2 of 5" line and direction marks.
_PART_RESERVE = 200
_TITLE_LIMIT = 400


def is_rtl(lang: str) -> bool:
    return lang == "ar"


def when(moment: datetime, tz: str) -> str:
    return moment.astimezone(ZoneInfo(tz)).strftime("%d-%m-%Y %H:%M")


def _title(article: Article) -> str:
    title = article.title
    return title if len(title) <= _TITLE_LIMIT else title[: _TITLE_LIMIT - 1] + "…"


def headline(article: Article, lang: str, tz: str) -> str:
    source = article.source or t(lang, "source_unknown")
    return directed(
        f"📰 <b>{escape(_title(article))}</b>\n"
        f"{escape(source)} · {when(article.shown_at, tz)} · /read_{article.id}",
        is_rtl(lang),
    )


def headline_list(header: str, articles: Sequence[Article], lang: str, tz: str) -> list[str]:
    items = [directed(header, is_rtl(lang))] + [headline(a, lang, tz) for a in articles]
    return paginate(items, separator="\n\n")


def article_messages(article: Article, lang: str, tz: str) -> list[str]:
    """The full article: header, body in as many parts as it needs, link to the source."""
    rtl = is_rtl(lang) or article.lang == "ar"
    source = article.source or t(lang, "source_unknown")
    topics = " ".join(
        f"#{TOPIC_BY_SLUG[s].name(lang).replace(' ', '_')}" for s in article.topics if s in TOPIC_BY_SLUG
    )
    header = f"<b>{escape(article.title)}</b>\n<i>{escape(source)} · {when(article.shown_at, tz)}</i>"
    if topics:
        header += f"\n{escape(topics)}"
    items = [directed(header, rtl)]
    text = article.body or article.summary
    if text:
        pieces = split_text(directed(text, rtl), MESSAGE_LIMIT - _PART_RESERVE)
        items += [directed(escape(piece), rtl) for piece in pieces]
    else:
        items.append(directed(f"<i>{escape(t(lang, 'read_headline_only'))}</i>", is_rtl(lang)))
    if article.url:
        items.append(directed(f'🔗 <a href="{escape_attr(article.url)}">{escape(t(lang, "read_source_link"))}</a>', is_rtl(lang)))
    parts = paginate(items, separator="\n\n", limit=MESSAGE_LIMIT - _PART_RESERVE)
    if len(parts) == 1:
        return parts
    return [
        part + "\n\n" + directed(f"<i>({escape(t(lang, 'read_part', part=i, total=len(parts)))})</i>", is_rtl(lang))
        for i, part in enumerate(parts, start=1)
    ]


def help_message(lang: str) -> list[str]:
    lines = [t(lang, "help_header")]
    lines += [f"/{command} — {escape(description)}" for command, description in COMMANDS[lang].items()]
    lines.append(t(lang, "help_footer"))
    return paginate([directed("\n".join(lines), is_rtl(lang))])


def topics_message(lang: str) -> list[str]:
    return [directed(t(lang, "topics_header"), is_rtl(lang))]


def topic_button_label(slug: str, count: int, lang: str) -> str:
    topic = TOPIC_BY_SLUG[slug]
    return f"{topic.emoji} {topic.name(lang)} ({count})"


def topic_names(lang: str) -> str:
    return "، ".join(topic.name(lang) for topic in TOPICS) if lang == "ar" else ", ".join(
        topic.name(lang) for topic in TOPICS
    )


def settings_message(chat: Chat | None, lang: str, tz: str, digest_time: str) -> list[str]:
    subscribed = bool(chat and chat.subscribed and chat.active)
    text = t(
        lang,
        "settings",
        subscribed=t(lang, "yes" if subscribed else "no"),
        language=LANGUAGE_NAMES[lang],
        tz=escape(chat.tz if chat else tz),
        time=escape(chat.digest_time if chat else digest_time),
        topics=t(lang, "all_topics"),
    )
    return [directed(text, is_rtl(lang))]


def notice(lang: str, key: str, **values: object) -> list[str]:
    """A one-line answer from the language files, as a message."""
    return [directed(t(lang, key, **values), is_rtl(lang))]

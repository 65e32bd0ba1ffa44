"""What each reply looks like: article text in, Telegram-valid HTML messages out.

Every function returns a list of messages that `paginate` has already sized, with article
text escaped and Arabic lines marked right-to-left (see bot.render).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from hijridate import Gregorian

from bot.i18n import COMMANDS, HIJRI_MONTHS, LANGUAGE_NAMES, MONTHS, WEEKDAYS, ZONE_CITIES, t, t_count
from bot.render import (
    MESSAGE_LIMIT,
    directed,
    embedded,
    escape,
    escape_attr,
    in_reader_language,
    left_to_right,
    paginate,
    paginate_counted,
    quoted_name,
    split_text,
    visible_length,
)
from news.digest import FIRST_WINDOW, Digest
from news.follows import FollowRefused, FollowSpec, parse_follow, shown
from news.model import Article, Chat, Follow, Source
from news.regions import WILAYA_BY_CODE, find_wilaya
from news.schedule import fixed_offset, zone_of
from news.search import Query, Segment, highlight, parse_query, snippet
from news.text import normalize, utf16_len
from news.topics import TOPIC_BY_SLUG, TOPICS, find_topic

# Room kept in each part of a long article for its "part 2 of 5" line and direction marks.
_PART_RESERVE = 200
_TITLE_LIMIT = 400
# An article's own page shows more of its title, but not all of a 4,000-character one: the
# header must fit in one message with the source and date.
_FULL_TITLE_LIMIT = 1000
_SOURCE_LIMIT = 100


def is_rtl(lang: str) -> bool:
    return lang == "ar"


def clock(at: time) -> str:
    """A time of day as readers see it everywhere: 07:30."""
    return at.strftime("%H:%M")


def listed(names: Iterable[str], lang: str) -> str:
    """Names one after the other, with the comma of the reader's language (Arabic's ،)."""
    return ("، " if lang == "ar" else ", ").join(names)


def clocks(times: Sequence[time], lang: str) -> str:
    """Several times of day: 07:00، 13:00 و19:00, 07:00 et 19:00, 07:00 and 19:00."""
    joiner = {"ar": " و", "fr": " et ", "en": " and "}.get(lang, ", ")
    shown = [clock(at) for at in times]
    return listed(shown[:-1], lang) + joiner + shown[-1] if len(shown) > 1 else shown[0]


def zone_name(tz: str, lang: str) -> str:
    """A time zone as readers know it, as HTML: its city in their language (الجزائر, Alger,
    Algiers), a fixed offset as they write it (UTC+1, UTC+5:30, also for IANA's Etc/GMT-1),
    else its international name; the last two kept left-to-right inside an Arabic sentence."""
    city = ZONE_CITIES[lang].get(tz)
    if city is not None:
        return escape(city)
    offset = fixed_offset(tz)
    shown = escape(tz if offset is None else _utc_offset(offset))
    return left_to_right(shown) if is_rtl(lang) else shown


def _utc_offset(offset: timedelta) -> str:
    """UTC+1, UTC-3, UTC+5:30."""
    minutes = int(offset.total_seconds()) // 60
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'-' if minutes < 0 else '+'}{hours}" + (f":{rest:02d}" if rest else "")


def when(moment: datetime, tz: str) -> str:
    return moment.astimezone(zone_of(tz)).strftime("%d-%m-%Y %H:%M")


def _clip(text: str, limit: int = _TITLE_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _title(article: Article) -> str:
    return _clip(article.title)


def _source(article: Article, lang: str) -> str:
    return _clip(article.source, _SOURCE_LIMIT) if article.source else t(lang, "source_unknown")


def highlighted(segments: Sequence[Segment]) -> str:
    """Search matches in bold, everything escaped."""
    return "".join(f"<b>{escape(text)}</b>" if match else escape(text) for text, match in segments)


def _more_sources(lang: str, more: int) -> str:
    """" (+2 sources)" after a source's name, when others tell the story too; else nothing."""
    return f" {t_count(lang, 'more_sources', more)}" if more > 0 else ""


def headline(article: Article, lang: str, tz: str, title_html: str | None = None) -> str:
    """One story in a listing: its title, source, time, how many sources, and /read_ID."""
    source = _source(article, lang)
    more = _more_sources(lang, article.story_size - 1)
    title = title_html if title_html is not None else f"<b>{escape(_title(article))}</b>"
    return directed(
        f"📰 {title}\n{escape(source)}{more} · {when(article.shown_at, tz)} · /read_{article.id}",
        is_rtl(lang),
    )


def headline_list(header: str, articles: Sequence[Article], lang: str, tz: str) -> list[str]:
    items = [directed(header, is_rtl(lang))] + [headline(a, lang, tz) for a in articles]
    return paginate(items, separator="\n\n")


def _echo(query_text: str, limit: int = 80) -> str:
    """The query as a reply repeats it: on one line, and where it is long, clipped after a
    whole word with «…»."""
    shown = " ".join(query_text.split())
    if len(shown) <= limit:
        return shown
    cut = shown[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def search_results(
    query_text: str,
    query: Query,
    hits: Sequence[Article],
    lang: str,
    tz: str,
    hint: bool = False,
    read_in_arabic: str | None = None,
    page: tuple[int, int] | None = None,
) -> list[str]:
    """Best matches first: the title with the reader's words in bold, and a snippet if the
    match is in the body; `hint`, for words typed without /search, ends it with a line saying
    that /search exists.  `read_in_arabic`: these are the hits of that reading of what was
    typed, which found nothing as typed (news.search_across); the header says so.  `page`,
    (number, pages), says which page this is after the header."""
    if read_in_arabic is None:
        said = t(lang, "search_header", query=escape(_echo(query_text)))
    else:
        arabic = embedded(read_in_arabic, is_rtl(lang))
        said = t(lang, "search_header_in_arabic", query=escape(_echo(query_text)), arabic=arabic)
    if page is not None:
        said += " · " + t(lang, "search_page", page=page[0], pages=page[1])
    header = "\n".join([said, *_left_out_of_search(query, lang)])
    items = [directed(header, is_rtl(lang))]
    for article in hits:
        title = highlighted(highlight(_title(article), query))
        item = headline(article, lang, tz, title_html=title if "<b>" in title else f"<b>{title}</b>")
        body_match = snippet(article.body or article.summary, query) if "<b>" not in title else None
        if body_match:
            item += "\n" + directed(f"<i>{highlighted(body_match)}</i>", article.lang == "ar" or is_rtl(lang))
        items.append(item)
    if hint:
        items.append(directed(t(lang, "search_hint"), is_rtl(lang)))
    return paginate(items, separator="\n\n")


def search_none(query_text: str, query: Query, lang: str, hint: bool = False) -> list[str]:
    """Nothing found, and what to try: how to search when no word was typed (only quotes,
    operators or punctuation); a word to look for when the reader only said what to leave out;
    fewer words when several were all needed.  For words typed without /search,
    the line saying that it exists."""
    if query.only_exclusions or (not query.groups and query.not_left_out):
        lines = [t(lang, "search_only_exclusions"), *_left_out_of_search(query, lang)]
    elif not query.excluded and not query.groups:  # «""», «-», «OR»: not one word was typed
        lines = [t(lang, "search_usage")]
    else:
        if query.groups and query.only_stopwords:  # «the», «و»: found everywhere, so looked for nowhere
            return [directed(t(lang, "search_too_common", query=escape(_echo(query_text))), is_rtl(lang))]
        lines = [t(lang, "search_none", query=escape(_echo(query_text))), *_left_out_of_search(query, lang)]
        browse = _browse_instead(query_text, lang)  # a wilaya's name is no words to drop
        lines += browse or ([t(lang, "search_none_fewer")] if len(query.groups) > 1 else [])
    lines += [t(lang, "search_hint")] if hint else []
    return [directed("\n".join(lines), is_rtl(lang))]


def _left_out_of_search(query: Query, lang: str) -> list[str]:
    """What the reader typed that the search did without, and why: an OR joining nothing, a
    word too common to leave out (the first of each: a line each, however many were typed)."""
    rtl = is_rtl(lang)
    return [
        t(lang, key, what=embedded(typed[0], rtl))
        for key, typed in (("search_or_dangling", query.dangling), ("search_excludes_common", query.not_left_out))
        if typed
    ]


def _browse_instead(query_text: str, lang: str) -> list[str]:
    """For a search that named a wilaya or a topic and found nothing (Oran, in French, over
    stories that say وهران): the command that lists its news whatever their language."""
    # The whole query, and a name: «مولودية وهران» is a club, «16» a number.
    wilaya = None if normalize(query_text).isdigit() else find_wilaya(query_text, exact=True)
    if wilaya is not None:
        return [t(lang, "search_none_wilaya", name=escape(wilaya.name(lang)), code=wilaya.code)]
    topic = find_topic(query_text)
    if topic is not None:
        return [t(lang, "search_none_topic", name=escape(topic.name(lang)))]
    return []


def _other_versions(others: Sequence[Article], lang: str, rtl: bool) -> list[str]:
    """«The same story from other sources», one line each with its /read_ID: as many items as
    it takes (many versions with long titles may not fit one message: split between lines)."""
    versions = [t(lang, "also_told_by")] + [
        f"• {escape(_source(other, lang))}: {escape(_title(other))} — /read_{other.id}" for other in others
    ]
    # Each line directed before it is measured: its marks count towards the limit.
    return paginate([directed(line, rtl) for line in versions], limit=MESSAGE_LIMIT - _PART_RESERVE)


def withdrawn_messages(article_id: int, others: Sequence[Article], lang: str) -> list[str]:
    """/read of an article the editors hid: said so (nothing of it shown), and its story as
    other sources told it, when they did."""
    items = notice(lang, "read_withdrawn", id=article_id)
    if others:
        items += _other_versions(others, lang, is_rtl(lang) or others[0].lang == "ar")
    return paginate(items, separator="\n\n")


def article_messages(
    article: Article, lang: str, tz: str, other_versions: Sequence[Article] = ()
) -> list[str]:
    """The full article: header, body in as many parts as it needs, link to the source, and
    the same story as other sources told it."""
    rtl = is_rtl(lang) or article.lang == "ar"
    source = _source(article, lang)
    topics = " ".join(_hashtag(TOPIC_BY_SLUG[s].name(lang)) for s in article.topics if s in TOPIC_BY_SLUG)
    dated = when(article.shown_at, tz)
    if article.claimed_published_at is not None:  # a wrong clock's date, said as the source's
        dated += " · " + t(lang, "read_claimed_date", when=when(article.claimed_published_at, tz))
    header = f"<b>{escape(_clip(article.title, _FULL_TITLE_LIMIT))}</b>\n<i>{escape(source)} · {escape(dated)}</i>"
    if topics:
        header += f"\n{escape(topics)}"
    items = [directed(header, rtl)]
    text = article.body or article.summary
    if text:
        # One unit spare: a piece cut mid-line may start without its line's RLM and gets one.
        limit = MESSAGE_LIMIT - _PART_RESERVE - 1
        pieces = split_text(directed(text, rtl), limit)
        beside_header = limit - visible_length(items[0]) - 2
        if pieces and utf16_len(pieces[0]) > beside_header:
            # A first piece too long to go with the header (one long paragraph, as many feeds
            # give it) would leave the header alone in a message: cut the pieces smaller.
            pieces = split_text(directed(text, rtl), beside_header)
        items += [directed(escape(piece), rtl) for piece in pieces]
    else:
        items.append(directed(f"<i>{escape(t(lang, 'read_headline_only'))}</i>", is_rtl(lang)))
    if article.url:
        items.append(directed(f'🔗 <a href="{escape_attr(article.url)}">{escape(t(lang, "read_source_link"))}</a>', is_rtl(lang)))
    if other_versions:
        items.extend(_other_versions(other_versions, lang, rtl))
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
    lines += [t(lang, "help_search"), t(lang, "help_footer")]
    return paginate([directed("\n".join(lines), is_rtl(lang))])


def topics_message(lang: str) -> list[str]:
    return [directed(t(lang, "topics_header"), is_rtl(lang))]


def topic_button_label(slug: str, count: int, lang: str) -> str:
    topic = TOPIC_BY_SLUG[slug]
    return f"{topic.emoji} {topic.name(lang)} ({count})"


def topic_names(lang: str) -> str:
    return listed((topic.name(lang) for topic in TOPICS), lang)


def topic_unknown(lang: str, name: str) -> list[str]:
    """A topic name no topic answers to, said back with the names there are."""
    return notice(lang, "topic_unknown", name=escape(name[:60]), names=escape(topic_names(lang)))


def settings_message(chat: Chat | None, lang: str, tz: str, digest_time: time) -> list[str]:
    subscribed = bool(chat and chat.subscribed and chat.active)
    topics = listed((TOPIC_BY_SLUG[s].name(lang) for s in chat.topics), lang) if chat and chat.topics else ""
    text = t(
        lang,
        "settings",
        subscribed=t(lang, "yes" if subscribed else "no"),
        language=LANGUAGE_NAMES[lang],
        tz=zone_name(chat.tz if chat else tz, lang),
        time=clocks(chat.digest_times, lang) if chat else clock(digest_time),
        topics=escape(topics) or t(lang, "all_topics"),
    )
    if chat is not None and chat.quiet is not None:
        text += "\n" + t(lang, "settings_quiet", start=clock(chat.quiet.start), end=clock(chat.quiet.end))
    if chat is not None and subscribed and chat.next_due_utc:
        text += "\n" + t(lang, "settings_next", next=escape(when(chat.next_due_utc, chat.tz)))
    return [directed(text, is_rtl(lang))]


def notice(lang: str, key: str, **values: object) -> list[str]:
    """A one-line answer from the language files, as a message: a sentence of the reader's
    language, in its direction whatever it quotes."""
    return [in_reader_language(t(lang, key, **values), is_rtl(lang))]


def stats_chart_caption(articles: int, messages: int, readers: int, lang: str) -> str:
    """/stats's chart caption: the last 30 days' articles and messages sent, each counted in
    the language's grammar (1 article, خبران, 5 أخبار, 30 خبرا), and today's readers."""
    return in_reader_language(
        t(
            lang, "stats_chart", articles=t_count(lang, "stats_chart_articles", articles),
            deliveries=t_count(lang, "stats_chart_messages", messages), readers=f"{readers:,}",
        ),
        is_rtl(lang),
    )


def long_date(day: date, lang: str) -> str:
    """The day as a newspaper dates it: weekday, Gregorian date, and the Hijri date."""
    hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    month = HIJRI_MONTHS[lang][hijri.month - 1]
    gregorian = f"{WEEKDAYS[lang][day.weekday()]} {_day_of_month(day.day, lang)} {MONTHS[lang][day.month - 1]} {day.year}"
    return f"{gregorian} · {_day_of_month(hijri.day, lang)} {month} {hijri.year}"


def _day_of_month(number: int, lang: str) -> str:
    """A date's day as the language writes it: French the first as an ordinal, «1er décembre»."""
    return "1er" if number == 1 and lang == "fr" else str(number)


def _digest_line(story: Article, lang: str, channel_bot: str | None) -> str:
    more = _more_sources(lang, story.story_size - 1)
    if channel_bot is None:
        return f"• {escape(_title(story))}{more} /read_{story.id}"
    # In a channel a /read command is nothing its subscribers can send: the headline opens it in the bot.
    return f'• <a href="{escape_attr(read_link(channel_bot, story))}">{escape(_title(story))}</a>{more}'


def digest_messages(digest: Digest, lang: str, day: date, first: bool = False, channel_bot: str | None = None) -> list[str]:
    """A digest: dated header, then each topic's stories, one line each with /read_ID — in a
    channel (`channel_bot`: the bot's username) each headline a link that opens it in the bot.
    A reader's `first` digest (none before it: it covers the last FIRST_WINDOW) says so under
    the header, and when empty says nothing came in that window, not since a previous one."""
    rtl = is_rtl(lang)
    hours = FIRST_WINDOW // timedelta(hours=1)
    intro = f"\n{t(lang, 'digest_first', hours=hours)}" if first and not digest.empty else ""
    header = f"{t(lang, 'digest_title')}\n<i>{escape(long_date(day, lang))}</i>{intro}"
    items = [directed(header, rtl)]
    if digest.empty:
        items.append(directed(t(lang, "digest_empty_first", hours=hours) if first else t(lang, "digest_empty"), rtl))
        return paginate(items, separator="\n\n")
    if digest.pinned:
        lines = [t(lang, "digest_pinned")] + [_digest_line(story, lang, channel_bot) for story in digest.pinned]
        items.append(directed("\n".join(lines), rtl))
    for section in digest.sections:
        topic = TOPIC_BY_SLUG[section.topic]
        lines = [f"{topic.emoji} <b>{escape(topic.name(lang))}</b>"]
        lines.extend(_digest_line(story, lang, channel_bot) for story in section.stories)
        # A long section may itself need more than one message: split between its lines.
        items.extend(paginate([directed(line, rtl) for line in lines], separator="\n", limit=MESSAGE_LIMIT - 100))
    if digest.more:
        items.append(directed(_more_stories(digest.more, lang, channel_bot), rtl))
    return paginate(items, separator="\n\n")


def _more_stories(count: int, lang: str, channel_bot: str | None) -> str:
    """The last line of a list cut short: how many more stories, in the language's grammar, and
    where they are — /latest, a command a reader sends and a channel's subscribers cannot."""
    more = t_count(lang, "digest_more", count)
    return more + " — /latest" if channel_bot is None else more


def sources_messages(sources: Sequence[Source], lang: str, tz: str) -> list[str]:
    """/sources: each source with its state, as an admin needs to see it."""
    if not sources:
        return notice(lang, "sources_empty")
    items = [directed(t(lang, "sources_header"), is_rtl(lang))]
    for source in sources:
        if source.paused:
            state = t(lang, "source_paused")
        elif source.disabled_reason:
            state = t(lang, "source_disabled", reason=escape(_clip(source.disabled_reason)))
        elif source.errors:
            state = t_count(lang, "source_failing", source.errors, reason=escape(_clip(source.last_error or "")))
        elif source.last_ok_at and source.last_error:  # read, but not well-formed: the publisher's to fix
            state = t(lang, "source_ok_malformed", when=when(source.last_ok_at, tz), reason=escape(_clip(source.last_error)))
        elif source.last_ok_at:
            state = t(lang, "source_ok", when=when(source.last_ok_at, tz))
        else:
            state = t(lang, "source_new")
        topic = f" · {TOPIC_BY_SLUG[source.default_topic].emoji}" if source.default_topic in TOPIC_BY_SLUG else ""
        # A feed names itself (until it is read, its host does), and an old link may be long:
        # each is cut to fit in a listing.
        title, url = escape(_clip(source.name)), escape(_clip(source.url))
        items.append(directed(f"<b>#{source.id}</b> {title}{topic}\n{url}\n{state}", is_rtl(lang)))
    return paginate(items, separator="\n\n")


# --- follows and alerts -------------------------------------------------------------------


def follow_label(follow: Follow | FollowSpec, lang: str) -> str:
    """What a follow means, as the reader reads it back: a topic or wilaya by its name in their
    language, words and phrases as they typed them (without what they leave out:
    `leaving_out`).  Plain text: escape it."""
    if follow.kind == "topic" and follow.terms and follow.terms[0] in TOPIC_BY_SLUG:
        return TOPIC_BY_SLUG[follow.terms[0]].name(lang)
    if follow.kind == "wilaya" and follow.terms and follow.terms[0].isdecimal():
        wilaya = WILAYA_BY_CODE.get(int(follow.terms[0]))
        if wilaya is not None:
            return wilaya.name(lang)
    return _clip(shown(follow)[0], 100)


def leaving_out(follow: Follow | FollowSpec, lang: str) -> str:
    """What a follow leaves out, as the reader typed it, listed in their language (HTML): each
    in its own direction, in the line's order (bot.render.embedded)."""
    return listed((embedded(_clip(item, 60), is_rtl(lang)) for item in shown(follow)[1]), lang)


def _with_leaving_out(line: str, follow: Follow, key: str, lang: str) -> str:
    """`line` about `follow`, and below it, when it leaves something out, `key` saying what."""
    return f"{line}\n{t(lang, key, what=leaving_out(follow, lang))}" if follow.excluded else line


def leaving_out_changed(lang: str, follow: Follow) -> list[str]:
    """The answer to /follow of what the chat followed already, leaving out other things."""
    what = escape(follow_label(follow, lang))
    if follow.excluded:
        return notice(lang, "follow_leaving_out_changed", what=what, excluded=leaving_out(follow, lang))
    return notice(lang, "follow_leaving_out_none", what=what)


def either_refused(lang: str, alternatives: Sequence[str], more: int = 0) -> list[str]:
    """/follow with OR: the follows to make instead, one a line, each ready to copy, and how
    many `more` there would be (an OR joining nothing: the follow without it, or, with
    nothing else typed, an example)."""
    if not alternatives:
        return notice(lang, "follow_either_none")
    commands = "\n".join(f"<code>/follow {escape(alternative)}</code>" for alternative in alternatives)
    if more:
        commands += "\n" + t_count(lang, "follow_either_more", more)
    return notice(lang, "follow_either" if len(alternatives) > 1 else "follow_either_one", commands=commands)


def _matched_labels(matched: Sequence[str], lang: str) -> str:
    """What an alert matched (the follows' texts as typed: oran, 31, economie), as /following
    names them in the chat's language (وهران, Oran, Économie)."""
    labels = []
    for text in matched:
        try:
            labels.append(follow_label(parse_follow(text), lang))
        except FollowRefused:
            labels.append(text)
    return listed(dict.fromkeys(labels), lang)


def follow_reply(lang: str, key: str, follow: Follow, replaced: Sequence[Follow], replaced_key: str) -> list[str]:
    """The answer to /follow or /mute: `key` about `follow`, then, when it replaced the chat's
    mutes or follows of the same thing, `replaced_key` naming them."""
    text = _with_leaving_out(t(lang, key, what=escape(follow_label(follow, lang))), follow, "follow_leaving_out", lang)
    if replaced:
        names = listed((escape(follow_label(f, lang)) for f in replaced), lang)
        text += "\n" + t(lang, replaced_key, what=names)
    return [in_reader_language(text, is_rtl(lang))]


def channel_publishing(lang: str, key: str, title: str, follows: Sequence[Follow]) -> list[str]:
    """To the admin who changed the bot's place in a channel that publishes itself: it stopped
    publishing there (`key` says why) with what it follows, or it publishes again."""
    # Clipped before it is escaped: a cut through «&amp;» would be HTML Telegram refuses.
    what = escape(_clip(listed((follow_label(f, lang) for f in follows), lang), 300))
    return notice(lang, key, title=quoted_name(_clip(title, 100)), what=what)


def group_greeting(lang: str, title: str) -> list[str]:
    """What the bot says in a group it was just added to: what it does there and the commands
    that start it."""
    return notice(lang, "group_greeting", title=embedded(_clip(" ".join(title.split()), 100), is_rtl(lang)))


def following_message(follows: Sequence[Follow], chat: Chat | None, lang: str) -> list[str]:
    """/following: numbered follows, then mutes (the numbers /unfollow takes), quiet hours."""
    rtl = is_rtl(lang)
    if not follows and not (chat and chat.quiet):
        return notice(lang, "following_empty")
    items: list[str] = []
    followed = [(n, f) for n, f in enumerate(follows, start=1) if not f.mute]
    muted = [(n, f) for n, f in enumerate(follows, start=1) if f.mute]
    # A section is split between its follows when it is longer than a message (50 follows of
    # 100 characters, with what they leave out, are): never a follow cut in two.
    if followed:
        lines = [t(lang, "following_header")] + [
            _with_leaving_out(f"{n}. {escape(follow_label(f, lang))}", f, "following_except", lang) for n, f in followed
        ]
        items += paginate([directed(line, rtl) for line in lines])
    if muted:
        lines = [t(lang, "following_mutes")] + [f"{n}. {escape(follow_label(f, lang))}" for n, f in muted]
        items += paginate([directed(line, rtl) for line in lines])
    if not follows:  # quiet hours alone: the list is still said to be empty
        items.append(directed(t(lang, "following_empty"), rtl))
    if chat and chat.quiet:
        items.append(directed(
            t(lang, "following_quiet", start=clock(chat.quiet.start), end=clock(chat.quiet.end), tz=zone_name(chat.tz, lang)), rtl
        ))
    if follows:
        items.append(directed(t(lang, "following_footer"), rtl))
    return paginate(items, separator="\n\n")


# A hashtag is letters, digits and _: Telegram ends it at anything else, so «#M'Sila» tagged
# #M.  An apostrophe joins its two sides (as M'Sila is also written Msila); anything else
# between words becomes _.
_APOSTROPHES = str.maketrans("", "", "'’ʼ")
_NOT_IN_A_HASHTAG = re.compile(r"\W+")


def _hashtag(name: str) -> str:
    """`#name` as Telegram reads a hashtag whole: «#M'Sila» is #MSila, «#Bordj Bou Arréridj» #Bordj_Bou_Arréridj."""
    return "#" + _NOT_IN_A_HASHTAG.sub("_", name.translate(_APOSTROPHES)).strip("_")


def alert_message(article: Article, matched: Sequence[str], lang: str, tz: str, more_sources: int = 0) -> str:
    """One new story for a reader or a group: headline, source (and how many more told it
    since: the alert edited), time, /read_ID, and what of theirs it matched."""
    rtl = is_rtl(lang)
    what = _matched_labels(matched, lang)
    source = escape(_source(article, lang)) + _more_sources(lang, more_sources)
    story = f"🔔 <b>{escape(_title(article))}</b>\n{source} · {when(article.shown_at, tz)} · /read_{article.id}"
    # Why it came is said in the reader's language, in its direction, whatever the story's.
    why = in_reader_language(f"<i>{escape(t(lang, 'alert_matched', what=_clip(what, 300)))}</i>", rtl)
    return directed(story, rtl or article.lang == "ar") + "\n" + why


def channel_post(article: Article, lang: str, tz: str, bot_username: str, more_sources: int = 0) -> str:
    """A story as a channel publishes it: headline, source (and how many more told it since:
    the post edited), time, a link that opens the full text in the bot, and hashtags of its
    topics and wilayas."""
    rtl = is_rtl(lang) or article.lang == "ar"
    tags = [_hashtag(TOPIC_BY_SLUG[s].name(lang)) for s in article.topics if s in TOPIC_BY_SLUG]
    tags += [_hashtag(WILAYA_BY_CODE[c].name(lang)) for c in article.regions if c in WILAYA_BY_CODE]
    link = read_link(bot_username, article)
    text = (
        f"<b>{escape(_title(article))}</b>\n{escape(_source(article, lang))}{_more_sources(lang, more_sources)}"
        f" · {when(article.shown_at, tz)}\n"
        f'<a href="{escape_attr(link)}">{escape(t(lang, "alert_read_more"))}</a>'
    )
    if tags:
        text += "\n" + escape(" ".join(dict.fromkeys(tags)))
    return directed(text, rtl)


def bundle_pages(
    articles: Sequence[Article], lang: str, tz: str, channel_bot: str | None = None, header: str | None = "bundle_header",
    more: int = 0,
) -> list[tuple[str, int]]:
    """What came during quiet hours (or while the reader was away: `header` "away_header"), as
    one message (more only if it cannot fit, split between stories), each with how many of
    `articles` it holds.  In a channel (`channel_bot`: the bot's username) each story as the
    channel publishes it, with a link that opens it in the bot: a /read command is nothing its
    subscribers can send.  `header` None: the rest of a bundle whose first messages went
    (news.services.alerts), its pages as they were then.  `more` stories not shown are
    counted on the last line, in the language's grammar, with where to read them (/latest);
    the last page holds them (they are done when it is sent)."""
    rtl = is_rtl(lang)
    items = [directed(t(lang, header, n=len(articles) + more), rtl)] if header is not None else []
    if channel_bot is None:
        items += [headline(article, lang, tz) for article in articles]
    else:
        items += [channel_post(article, lang, tz, channel_bot) for article in articles]
    if more:
        items.append(directed(_more_stories(more, lang, channel_bot), rtl))
    pages = paginate_counted(items, separator="\n\n")
    if header is not None:  # the first page holds the header too
        pages[0] = (pages[0][0], pages[0][1] - 1)
    if more:  # its last line stands for the stories it counts
        pages[-1] = (pages[-1][0], pages[-1][1] - 1 + more)
    return pages


def summary_message(count: int, matched: Sequence[str], lang: str) -> str:
    """The alerts over an hour's cap, summed up when the hour ends."""
    what = _matched_labels(matched, lang)
    return in_reader_language(t_count(lang, "summary", count, what=escape(_clip(what, 300))), is_rtl(lang))


# --- inline mode ---------------------------------------------------------------------------

# What a result shows in the list of inline results: a headline on a line or two.
_INLINE_TITLE_LIMIT = 200


@dataclass(frozen=True, slots=True)
class SharedHeadline:
    """One inline result: its id, what the list shows (plain text) and the message it sends
    (HTML)."""

    id: str
    title: str
    description: str
    message: str


def inline_nothing_found(query_text: str, lang: str) -> str:
    """The line above an empty inline answer (plain text: a button's), the query clipped to
    what a button shows.  Words nearly every article holds («في», «the») were not looked
    for, not found missing: the line says so, as /search does."""
    shown = " ".join(query_text.split())
    if not shown:
        return t(lang, "inline_nothing_new")
    query = parse_query(query_text)
    key = "inline_too_common" if query and query.only_stopwords else "inline_nothing_found"
    return t(lang, key, query=_clip(shown, 30))


def read_link(bot_username: str, article: Article) -> str:
    """The deep link that opens an article in the bot."""
    return f"https://t.me/{bot_username}?start=read_{article.id}"


def shared_headline(article: Article, lang: str, tz: str, bot_username: str) -> SharedHeadline:
    """A story offered in inline mode: the headline, "source · time" under it, and as the
    message sent into the chat, the headline, a link to the source and one to read it in the
    bot."""
    source = _source(article, lang)
    source_html = (
        f'<a href="{escape_attr(article.url)}">{escape(source)}</a>' if article.url else escape(source)
    )
    message = (
        f"📰 <b>{escape(_title(article))}</b>\n{source_html} · {when(article.shown_at, tz)}\n"
        f'<a href="{escape_attr(read_link(bot_username, article))}">{escape(t(lang, "alert_read_more"))}</a>'
    )
    return SharedHeadline(
        id=str(article.id),
        title=_clip(article.title, _INLINE_TITLE_LIMIT),
        description=f"{source} · {when(article.shown_at, tz)}",
        message=directed(message, is_rtl(lang) or article.lang == "ar"),
    )

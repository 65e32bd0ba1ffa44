"""When a reader's next digest is due: one per local day, at their local time, in their zone.

All arithmetic is on local dates: take the next local date whose HH:MM, in the reader's zone,
falls after the given instant.  On the spring-forward day a time inside the gap (02:30 in
Europe/Paris) moves to the first instant after it; on the fall-back day an ambiguous time is
taken once, at its first occurrence — never twice, never skipped (a cron trigger fires twice).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from news.text import normalize

DEFAULT_STALENESS = timedelta(hours=6)


# A chat's zone is an IANA name (Africa/Algiers) or a fixed offset from UTC as stored here:
# UTC+01:00, UTC-03:00, UTC+05:30 (never zero: that is UTC).  Not IANA's Etc/GMT-1, which means
# UTC+1 (its sign is inverted) and has no half hours.
_STORED_OFFSET = re.compile(r"^UTC([+-])(\d\d):(\d\d)$")
# The offsets there are, UTC-12 (Baker Island) to UTC+14 (Kiribati), on the quarter hours some
# zones use (Nepal's +5:45, Chatham's +12:45).
_LOWEST_OFFSET, _HIGHEST_OFFSET = timedelta(hours=-12), timedelta(hours=14)
_OFFSET_MINUTES = (0, 30, 45)
# IANA's own fixed zones, their sign inverted: Etc/GMT-1 is UTC+1.
_ETC_OFFSET = re.compile(r"^Etc/GMT([+-])(\d{1,2})$")


@lru_cache(maxsize=512)
def zone_of(tz: str) -> tzinfo:
    """The tzinfo of a chat's zone: an IANA zone, or a fixed offset stored as UTC+01:00."""
    offset = _stored_offset(tz)
    return ZoneInfo(tz) if offset is None else timezone(offset)


def _stored_offset(tz: str) -> timedelta | None:
    match = _STORED_OFFSET.match(tz)
    if match is None:
        return None
    sign = -1 if match.group(1) == "-" else 1
    return sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))


def fixed_offset(tz: str) -> timedelta | None:
    """The offset from UTC of a zone that has no other name than it, a stored UTC+01:00 or
    IANA's Etc/GMT-1 (both UTC+1); None for a zone with a place's name, or UTC itself."""
    etc = _ETC_OFFSET.match(tz)
    if etc is not None:
        hours = int(etc.group(2)) * (1 if etc.group(1) == "-" else -1)
        return timedelta(hours=hours) if hours else None
    return _stored_offset(tz)


class OffsetOutOfRange(ValueError):
    """An offset from UTC as readers write one, but no zone has it (UTC+15, UTC+1:20)."""


# UTC+1, GMT+1, UTC+01:00, UTC +1, +1, UTC-3, UTC+5:30, UTC+0530, UTC−3 (the minus sign), after
# news.text.normalize (Arabic digits folded: UTC+١).
_TYPED_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+\-−])\s*(\d{1,2})(?:[:.h]?(\d{2}))?$")


def utc_offset_zone(text: str) -> str | None:
    """The zone of an offset from UTC as a reader writes it (UTC+1 is "UTC+01:00", UTC+0
    "UTC"), or None if `text` is no offset; raises OffsetOutOfRange for one no zone has."""
    match = _TYPED_OFFSET.match(normalize(text).strip())
    if match is None:
        return None
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    offset = (-1 if match.group(1) in "-−" else 1) * timedelta(hours=hours, minutes=minutes)
    if minutes not in _OFFSET_MINUTES or not _LOWEST_OFFSET <= offset <= _HIGHEST_OFFSET:
        raise OffsetOutOfRange(text)
    if not offset:
        return "UTC"
    return f"UTC{match.group(1).replace('−', '-')}{hours:02d}:{minutes:02d}"


def local_due(day: date, at: time, tz: str) -> datetime:
    """The UTC instant of `at` on local `day` in zone `tz`."""
    # fold=0: an ambiguous time (fall-back day) is its first occurrence.  A time inside the
    # spring-forward gap does not exist; zoneinfo reads it with the offset from before the
    # gap, which lands just after the gap: 02:30 becomes 03:30.
    return datetime.combine(day, at).replace(tzinfo=zone_of(tz), fold=0).astimezone(UTC)


def next_due_utc(at: time, tz: str, after: datetime) -> datetime:
    """The first digest instant strictly after `after` (an aware datetime)."""
    zone = zone_of(tz)
    day = after.astimezone(zone).date() - timedelta(days=1)
    while True:
        due = local_due(day, at, tz)
        if due > after:
            return due
        day += timedelta(days=1)


def local_date_of(due: datetime, tz: str) -> date:
    return due.astimezone(zone_of(tz)).date()


@dataclass(frozen=True, slots=True)
class DueDecision:
    send: bool  # deliver this digest now
    next_due: datetime  # the instant after this one
    due: datetime  # the digest's own instant: the latest of the chat's due by now


def next_due_of(times: Sequence[time], tz: str, after: datetime) -> datetime:
    """The first instant strictly after `after` of a digest at any of these local times."""
    return min(next_due_utc(at, tz, after) for at in times)


def decide(
    due: datetime, at: time | Sequence[time], tz: str, now: datetime, staleness: timedelta = DEFAULT_STALENESS
) -> DueDecision:
    """For a digest that fell due at `due` (a chat's digests at `at`, one time or several): send
    the latest of the chat's digests due by `now` (late, after a restart, is fine) — one that
    came due while an earlier one waited covers what that one would have (its window starts at
    the last digest sent): one message, not two in a row — or skip it when it is more than
    `staleness` old: a morning digest at night helps nobody; and the instant after it."""
    times = (at,) if isinstance(at, time) else tuple(at)
    # The candidates: `due` (a schedule's instant, or a retry's), unless stale, and the
    # chat's instants after it up to `now` — a few: those of `staleness` at most.
    latest = due if now - due <= staleness else None
    following = next_due_of(times, tz, max(due, now - staleness))
    while following <= now:
        latest, following = following, next_due_of(times, tz, following)
    return DueDecision(False, following, due) if latest is None else DueDecision(True, following, latest)


# An hour alone may carry French "h": 7h, 22h (and 7h30, 22h00).
_LOCAL_TIME = re.compile(r"^(\d{1,2})(?:[:.hH](\d{2})|[hH])?$")
# Or three or four digits with nothing between hour and minute, as a digital clock or a timetable
# writes them: 0730, 730, 1930 (the last two digits are always the minutes, so none is ambiguous).
_CLOCK_DIGITS = re.compile(r"^(\d{1,2})(\d{2})$")
# A twelve-hour clock's half of the day, as readers write it after the hour (folded as
# news.text.normalize folds: مساءً is مساء, après-midi apres-midi): 7pm, 7:30 p.m., ٧ مساءً, 7h du soir.
_MORNING = ("am", "a.m.", "a.m", "صباحا", "صباح", "ص", "du matin", "matin")
_AFTERNOON = ("pm", "p.m.", "p.m", "مساء", "م", "ظهرا", "du soir", "soir", "de l'apres-midi", "apres-midi")
_HALF_OF_DAY = re.compile(
    r"^(.*?)\s*(" + "|".join(re.escape(word) for word in sorted(_MORNING + _AFTERNOON, key=len, reverse=True)) + r")$"
)


def parse_local_time(text: str) -> time | None:
    """A reader's time of day: 07:30, 7:30, ٠٧:٣٠, 7h30, 7h, 7, 0730, 730, and on a twelve-hour clock
    7pm, 7:30 a.m., ٧ مساء — or None."""
    folded = normalize(text)
    half = _HALF_OF_DAY.match(folded)
    if half is not None:
        folded = half.group(1)
    # (Digits split by a space are not one clock time: «7 19» is two times, 07:00 and 19:00.)
    match = _LOCAL_TIME.match(folded.replace(" ", "")) or _CLOCK_DIGITS.match(folded.strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if half is not None:
        if not 1 <= hour <= 12:
            return None  # 19 pm, 0 am: not a twelve-hour clock
        hour = hour % 12 + (12 if half.group(2) in _AFTERNOON else 0)
    return time(hour, minute) if hour < 24 and minute < 60 else None


_AND = frozenset({"و", "et", "and", "&"})
_AND_BEFORE_DIGIT = re.compile(r"^و(?=\d)")


def parse_local_times(text: str) -> list[time] | None:
    """One or several times of day: "07:30", "7:30 19:00", "07:00، 13:00 و19:00", "7h et 19h",
    "7 am and 7 pm";
    None unless every one of them reads as a time."""
    whole = parse_local_time(text)
    if whole is not None:
        return [whole]
    parts: list[str] = []
    for part in re.split(r"[\s,،;]+", normalize(text)):
        # "and" between the last two, as the bot itself writes them: 07:00 و19:00, 7h et 19h.
        part = _AND_BEFORE_DIGIT.sub("", part)
        if part in _AND:
            continue
        if parts and part in _MORNING + _AFTERNOON:
            parts[-1] += f" {part}"  # "7 pm": the half of the day goes with the hour before it
        elif part:
            parts.append(part)
    times = [parse_local_time(part) for part in parts]
    return [at for at in times if at is not None] if parts and None not in times else None


def find_zone(name: str) -> str | None:
    """The IANA zone a reader means, or None: its name in any case (africa/algiers), its city
    alone (Algiers, paris, new york), or a city or country as readers here write it (الجزائر،
    Alger, باريس، Montréal)."""
    wanted = " ".join(name.split()).casefold()
    found = _ZONES.get(wanted.replace(" ", "_")) or _CITIES.get(wanted) or _NAMED.get(normalize(wanted))
    said = _TIME_OF.sub("", wanted)  # «توقيت الجزائر», «heure de Paris», «Paris time»: the place
    return found or (find_zone(said) if said and said != wanted else None)


# The words around a place that make it a time zone: توقيت الجزائر, بتوقيت باريس, heure de
# Paris, l'heure d'Alger, Paris time, time in London.
_TIME_OF = re.compile(r"^(?:ب?توقيت|(?:l'|l’)?heure\s+(?:de\s+|d'|d’)|time\s+in)\s*|\s+time$")


# The zone list read once: each available_timezones() walks the zone files, and asking it again
# for each city (540 times) cost 2.9 s of CPU at every start of the bot and of each akhbar
# command.
_SORTED_ZONES = sorted(available_timezones())
_ZONES = {zone.casefold(): zone for zone in _SORTED_ZONES}


def zone_named(name: str) -> str | None:
    """The IANA zone `name` spells in any case ("africa/algiers" is Africa/Algiers), as the zone
    list spells it; None if it names none."""
    return _ZONES.get(name.casefold())


def _city_of(zone: str) -> str:
    return zone.split("/")[-1].replace("_", " ").casefold()


_ZONES_OF_CITY: dict[str, list[str]] = {}
for _zone in _SORTED_ZONES:
    _ZONES_OF_CITY.setdefault(_city_of(_zone), []).append(_zone)
# Each zone's city (its last part), where only one zone has it: «Algiers» → Africa/Algiers.
_CITIES = {
    _city_of(zone): zone
    for zone in _SORTED_ZONES
    if "/" in zone and len(_ZONES_OF_CITY[_city_of(zone)]) == 1 and not zone.startswith("Etc/")
}
# What readers of an Algerian bot type for the zones they live in (Algeria, the Maghreb, the
# Gulf, the diaspora's cities), in Arabic and French.
# (folded as news.text.normalize folds: hamza forms, accents — الامارات, Emirats, Montreal)
_NAMED = {
    normalize(name): zone
    for zone, names in {
        "Africa/Algiers": ("الجزائر", "الجزائر العاصمة", "Alger", "Algérie", "Algerie", "Algeria", "DZ"),
        "Africa/Tunis": ("تونس", "Tunisie", "Tunisia"),
        "Africa/Casablanca": ("المغرب", "الرباط", "الدار البيضاء", "Maroc", "Morocco", "Rabat"),
        "Africa/Cairo": ("مصر", "القاهرة", "Le Caire", "Égypte", "Egypte", "Egypt"),
        "Africa/Tripoli": ("ليبيا", "طرابلس", "Libye", "Libya"),
        "Africa/Nouakchott": ("موريتانيا", "نواكشوط", "Mauritanie", "Mauritania"),
        "Asia/Riyadh": ("السعودية", "الرياض", "Arabie saoudite", "Saudi Arabia"),
        "Asia/Dubai": ("الإمارات", "دبي", "أبوظبي", "Émirats", "UAE"),
        "Asia/Qatar": ("قطر", "الدوحة", "Doha"),
        "Europe/Istanbul": ("تركيا", "إسطنبول", "Turquie", "Turkey"),
        "Europe/Paris": ("فرنسا", "باريس", "France", "Marseille", "Lyon"),
        "Europe/Brussels": ("بلجيكا", "بروكسل", "Belgique", "Bruxelles"),
        "Europe/Madrid": ("إسبانيا", "مدريد", "Espagne", "Spain"),
        "Europe/Rome": ("إيطاليا", "روما", "Italie", "Italy"),
        "Europe/Berlin": ("ألمانيا", "برلين", "Allemagne", "Germany"),
        "Europe/London": ("بريطانيا", "لندن", "Londres", "Royaume-Uni", "UK"),
        "Europe/Zurich": ("سويسرا", "Suisse", "Genève", "Geneva"),
        "America/Toronto": ("مونتريال", "Montréal"),  # (Canada has six zones: no guess for the country)
    }.items()
    for name in names
}

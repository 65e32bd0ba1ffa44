"""Settings from the environment and `.env`, checked once at start-up.

A missing or malformed setting raises `ConfigError` whose message is one line naming the
setting; the CLI prints it and exits, with no traceback.  The token is never part of a message.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from news.schedule import parse_local_time, zone_named
from storage.pg_url import url_problem

DEFAULT_API_URL = "https://api.telegram.org"
_TOKEN = re.compile(r"^\d{3,15}:[A-Za-z0-9_-]{20,}$")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# What Telegram accepts as secret_token, and at least 16 of them: a guessable secret is none,
# and a short one would be scrubbed out of every log line where it happens to appear.
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,256}$")
_LISTEN = re.compile(r"^(?P<host>[^\s:]+|\[[0-9a-fA-F:]+\]):(?P<port>\d{1,5})$")


# What a process does (Settings.role): everything (`akhbar run`, the default), take updates
# only (`akhbar run --no-jobs`: a receiver behind a proxy), or run the jobs only (`akhbar worker`).
ALL, RECEIVER, WORKER = "all", "receiver", "worker"


class ConfigError(Exception):
    """One setting is missing or malformed; str() is the line the operator reads."""


@dataclass(frozen=True, slots=True)
class Settings:
    token: str | None = field(default=None, repr=False)  # never printed
    api_url: str = DEFAULT_API_URL
    db_path: str = "akhbar.db"
    # postgresql://USER[:PASS]@HOST:PORT/DB: the bot runs on PostgreSQL (db_path unused); None:
    # on the SQLite file db_path.  It may hold a password: never printed.
    database_url: str | None = field(default=None, repr=False)
    admins: frozenset[int] = frozenset()
    timezone: str = "Africa/Algiers"
    digest_time: time = time(7, 0)
    log_level: str = "INFO"
    send_rate: float = 25.0  # messages per second overall
    paid_broadcast: bool = False  # allow_paid_broadcast: up to 1000/s, paid in Telegram Stars
    digest_stale_hours: float = 6.0  # a digest later than this after its time is skipped
    digest_cap: int = 30  # stories per digest
    alerts_per_hour: int = 10  # instant alerts a chat gets in an hour; the rest are summed up
    alert_retention_days: int = 30  # alerts done are deleted once this old (news.services.alerts)
    post_source: str = "أخبار"  # the source name of articles admins post by hand
    # Webhook mode (`akhbar run --webhook URL`): Telegram POSTs updates to the public https
    # URL, a reverse proxy forwards them to `webhook_listen`; each must carry the secret.
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1:8080"
    webhook_secret: str | None = field(default=None, repr=False)  # never printed
    # Monitoring (bot/monitoring.py): where GET /metrics and GET /healthz are served, as
    # HOST:PORT; None: not served, and nothing is counted.
    metrics_listen: str | None = None
    # What this process does, as its metrics are labelled: "all" (one process does everything).
    role: str = ALL
    # Worker processes for parsing feeds and preparing articles (news.workers); None: one per
    # core but the bot's own, 0: a thread in the bot process instead.
    workers: int | None = None

    def require_token(self) -> str:
        if not self.token:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather, put "
                "TELEGRAM_BOT_TOKEN=... in .env (see .env.example), or try `akhbar demo`, "
                "which needs no token and no network"
            )
        return self.token


def check_webhook_url(url: str, setting: str = "AKHBAR_WEBHOOK_URL") -> str:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise ConfigError(
            f"{setting} must be the public https URL Telegram posts to, such as https://bot.example.org/akhbar, got {url!r}"
        )
    return url


def check_database_url(url: str, setting: str = "AKHBAR_DATABASE_URL") -> str:
    """A PostgreSQL URL whose form can be read one way only; the URL is never echoed (it may
    hold a password).  Whether the server answers is found out when the database is opened."""
    if (problem := url_problem(url, setting)) is not None:
        raise ConfigError(problem)
    return url


def listen_address(value: str, setting: str = "AKHBAR_WEBHOOK_LISTEN", lowest_port: int = 1) -> tuple[str, int]:
    """("127.0.0.1", 8080) from "127.0.0.1:8080"; the address a server binds (webhook, metrics).
    A test may allow port 0 (`lowest_port`): any free port."""
    match = _LISTEN.match(value.strip())
    if not match or not lowest_port <= int(match.group("port")) < 65536:
        raise ConfigError(f"{setting} must be HOST:PORT such as 127.0.0.1:8080, got {value!r}")
    return match.group("host").strip("[]"), int(match.group("port"))


def _zone(name: str) -> str:
    """AKHBAR_TIMEZONE's zone as the zone list spells it, whatever the case it was typed in
    ("africa/algiers" was refused, and a case-insensitive disk would have kept it so, unlike
    the zone names readers pick); one read by ZoneInfo but left out of that list
    (posix/Europe/Paris) as it is."""
    if (zone := zone_named(name)) is not None:
        return zone
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Africa" is a folder, a name too long
        raise ConfigError(f"AKHBAR_TIMEZONE is not a known IANA time zone: {name!r} (e.g. Africa/Algiers)") from None
    return name


def load_settings(environ: Mapping[str, str] | None = None, env_file: str | None = ".env") -> Settings:
    """Settings from `environ` (default: the process environment, after reading `.env`)."""
    if environ is None:
        if env_file and os.path.exists(env_file):
            _load_env_file(env_file)
        environ = os.environ

    def get_optional(name: str) -> str | None:
        """The setting, stripped; None when it is unset or blank."""
        value = environ.get(name)
        return value.strip() if value and value.strip() else None

    def get(name: str, default: str) -> str:
        """The setting, stripped; `default` when it is unset or blank."""
        value = get_optional(name)
        return default if value is None else value

    token = get_optional("TELEGRAM_BOT_TOKEN")
    if token is not None and not _TOKEN.match(token):
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is malformed: it should look like 123456789:AAE…, as @BotFather gives it"
        )

    api_url = get("TELEGRAM_API_URL", DEFAULT_API_URL).rstrip("/")
    parts = urlsplit(api_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"TELEGRAM_API_URL must be an http(s) URL such as {DEFAULT_API_URL}, got {api_url!r}")

    admins: set[int] = set()
    for item in get("AKHBAR_ADMINS", "").split(","):
        if item.strip():
            try:
                admins.add(int(item.strip()))
            except ValueError:
                raise ConfigError(
                    f"AKHBAR_ADMINS must be comma-separated Telegram user ids, got {item.strip()!r}"
                ) from None

    timezone = _zone(get("AKHBAR_TIMEZONE", "Africa/Algiers"))

    raw_digest_time = get("AKHBAR_DIGEST_TIME", "07:00")
    digest_time = parse_local_time(raw_digest_time)
    if digest_time is None:
        raise ConfigError(f"AKHBAR_DIGEST_TIME must be a time HH:MM such as 07:00, got {raw_digest_time!r}")

    log_level = get("AKHBAR_LOG_LEVEL", "INFO").upper()
    if log_level not in _LOG_LEVELS:
        raise ConfigError(f"AKHBAR_LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)}, got {log_level!r}")

    paid_broadcast = get("AKHBAR_PAID_BROADCAST", "false").lower()
    if paid_broadcast not in ("true", "false", "1", "0", "yes", "no"):
        raise ConfigError(f"AKHBAR_PAID_BROADCAST must be true or false, got {paid_broadcast!r}")
    paid = paid_broadcast in ("true", "1", "yes")
    send_rate = _number(get, "AKHBAR_SEND_RATE", "25", low=1, high=1000 if paid else 30,
                        hint="messages per second: at most 30, or 1000 with AKHBAR_PAID_BROADCAST=true")
    stale = _number(get, "AKHBAR_DIGEST_STALE_HOURS", "6", low=0, high=24, hint="hours, from 0 to 24")
    cap = int(_number(get, "AKHBAR_DIGEST_CAP", "30", low=1, high=100, hint="stories, from 1 to 100"))
    alerts_per_hour = int(_number(get, "AKHBAR_ALERTS_PER_HOUR", "10", low=1, high=100, hint="alerts, from 1 to 100"))
    # Past a story's window (36 h) and an alert's edits (a day): nothing could read them then.
    retention = int(_number(get, "AKHBAR_ALERT_RETENTION_DAYS", "30", low=3, high=3650, hint="days, from 3 to 3650"))

    webhook_url = get_optional("AKHBAR_WEBHOOK_URL")
    if webhook_url is not None:
        check_webhook_url(webhook_url)
    webhook_listen = get("AKHBAR_WEBHOOK_LISTEN", "127.0.0.1:8080")
    listen_address(webhook_listen)
    webhook_secret = get_optional("AKHBAR_WEBHOOK_SECRET")
    if webhook_secret is not None and not _SECRET_TOKEN.match(webhook_secret):
        raise ConfigError("AKHBAR_WEBHOOK_SECRET must be 16 to 256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)")

    metrics_listen = get_optional("AKHBAR_METRICS_LISTEN")
    if metrics_listen is not None:
        listen_address(metrics_listen, "AKHBAR_METRICS_LISTEN")

    database_url = get_optional("AKHBAR_DATABASE_URL")
    if database_url is not None:
        check_database_url(database_url)

    workers = get("AKHBAR_WORKERS", "auto")
    if workers.lower() == "auto":
        worker_count = None
    elif re.fullmatch(r"[0-9]{1,2}", workers) and int(workers) <= 16:
        worker_count = int(workers)
    else:
        raise ConfigError(f"AKHBAR_WORKERS must be auto or a number of processes from 0 to 16, got {workers!r}")

    return Settings(
        token=token,
        api_url=api_url,
        db_path=get("AKHBAR_DB", "akhbar.db"),
        database_url=database_url,
        admins=frozenset(admins),
        timezone=timezone,
        digest_time=digest_time,
        log_level=log_level,
        send_rate=send_rate,
        paid_broadcast=paid,
        digest_stale_hours=stale,
        digest_cap=cap,
        alerts_per_hour=alerts_per_hour,
        alert_retention_days=retention,
        webhook_url=webhook_url,
        webhook_listen=webhook_listen,
        webhook_secret=webhook_secret,
        metrics_listen=metrics_listen,
        workers=worker_count,
    )


def _load_env_file(env_file: str) -> None:
    """The settings of `.env` into the environment, the real environment winning over them."""
    from dotenv import load_dotenv

    # Its word on a line it cannot read names neither the file nor Akhbar: malformed_env_lines says it.
    dotenv_log = logging.getLogger("dotenv.main")
    level = dotenv_log.level
    dotenv_log.setLevel(logging.ERROR)
    try:
        load_dotenv(env_file, override=False)
    except UnicodeDecodeError:  # UTF-16 ("Unicode" in some editors), or Latin-1 bytes
        raise ConfigError(f"{os.path.abspath(env_file)} is not UTF-8 text: save it as UTF-8") from None
    except OSError as exc:  # a file we may not read
        raise ConfigError(f"cannot read {os.path.abspath(env_file)}: {exc.strerror}") from None
    finally:
        dotenv_log.setLevel(level)


def malformed_env_lines(env_file: str = ".env") -> list[str]:
    """A line for each line of `.env` that is not NAME=value (a quote left open, a value pasted
    alone), which python-dotenv skips: by its number, never its text (it may hold the token)."""
    from dotenv.parser import parse_stream

    try:
        with open(env_file, encoding="utf-8") as stream:
            numbers = [binding.original.line for binding in parse_stream(stream) if binding.error]
    except (OSError, UnicodeDecodeError):  # none there; or unreadable, which _load_env_file says
        return []
    return [f"{os.path.abspath(env_file)}, line {number}: not NAME=value; ignored" for number in numbers]


def _number(get: Callable[[str, str], str], name: str, default: str, *, low: float, high: float, hint: str) -> float:
    raw = get(name, default)
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:  # also false for nan
        raise ConfigError(f"{name} must be a number of {hint}, got {raw!r}")
    return value


# Every AKHBAR_ variable something reads: the settings above, the host name the processes know
# each other by (bot/processes.py), and the development ones (tests, benchmarks, CI).
KNOWN_VARIABLES = frozenset({
    "AKHBAR_ADMINS", "AKHBAR_ALERT_RETENTION_DAYS", "AKHBAR_ALERTS_PER_HOUR", "AKHBAR_DATABASE_URL", "AKHBAR_DB",
    "AKHBAR_DIGEST_CAP", "AKHBAR_DIGEST_STALE_HOURS", "AKHBAR_DIGEST_TIME", "AKHBAR_LOG_LEVEL", "AKHBAR_METRICS_LISTEN",
    "AKHBAR_PAID_BROADCAST", "AKHBAR_SEND_RATE", "AKHBAR_TIMEZONE", "AKHBAR_WEBHOOK_LISTEN", "AKHBAR_WEBHOOK_SECRET",
    "AKHBAR_WEBHOOK_URL", "AKHBAR_WORKERS", "AKHBAR_PROCESS_HOST",
    "AKHBAR_TEST_DATABASE_URL", "AKHBAR_BENCH_DATABASE_URL", "AKHBAR_FUZZ_SCALE", "AKHBAR_CI_VENV",
})


def unknown_variables(environ: Mapping[str, str]) -> list[str]:
    """A line for each AKHBAR_ variable set that Akhbar does not read — a misspelt setting
    (AKHBAR_SENDRATE) was silently left at its default — with the likeliest one meant."""
    import difflib

    lines = []
    for name in sorted(n for n in environ if n.startswith("AKHBAR_") and n not in KNOWN_VARIABLES):
        close = difflib.get_close_matches(name, sorted(KNOWN_VARIABLES), n=1, cutoff=0.75)
        meant = f"; did you mean {close[0]}?" if close else ""
        lines.append(f"{name} is not a setting of Akhbar and is ignored{meant}")
    return lines

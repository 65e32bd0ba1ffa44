"""A PostgreSQL URL checked before it is used, and shown without its passwords.

A password holding / # ? or @ unencoded makes a URL that parsers cut in different places:
urllib and asyncpg end the host part at the first / # ?, asyncpg ends the user part at the
first @.  Where asyncpg connects then differs from what a message would show, and a parser's
own error ("Port could not be cast to integer value as 's3cr3t'") quotes the piece it choked
on, a piece of the password.  Such a URL is refused in words that quote none of it.

No asyncpg here: bot/config.py checks AKHBAR_DATABASE_URL with it at start-up.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, unquote, unquote_plus, urlsplit

FORM = "postgresql://USER[:PASS]@HOST:PORT/DB"
_UNREADABLE = (
    f"does not parse as {FORM} (a password with / # ? or @ in it must be percent-encoded: %2F %23 %3F %40)"
)
# Query parameters asyncpg takes a password from (…/akhbar?password=…).
_PASSWORD_FIELDS = frozenset({"password", "sslpassword"})
MASK = "***"
SCHEMES = ("postgresql", "postgres")


def url_problem(url: str, setting: str) -> str | None:
    """The line that says what is wrong with `url`, named by `setting`, quoting nothing that
    could be part of a password; None when it is a PostgreSQL URL that reads one way only."""
    scheme = url.partition(":")[0].lower() if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", url) else ""
    if scheme not in SCHEMES:
        shown = repr(scheme) if scheme else "none"
        return f"{setting}: unknown scheme {shown}; expected {FORM}"
    problem = malformed(url)
    return None if problem is None else f"{setting} {problem}"


def malformed(url: str) -> str | None:
    """What is wrong with `url`, to follow the setting's name in a message, quoting nothing
    that could be part of a password; None when it reads one way only."""
    try:
        parts = urlsplit(url)
    except ValueError:  # a bracket left open, say
        return f"is malformed: it {_UNREADABLE}"
    if _cut_by_a_password(parts):
        return f"is malformed: it {_UNREADABLE}"
    try:
        parts.port  # noqa: B018 - reading it checks it
    except ValueError:
        if "@" not in parts.netloc:  # "akhbar:s3cr3t" may be what reads as a host and its port
            return f"is malformed: what follows its host is no port number, and it {_UNREADABLE}"
        # After the one @ come the host and port: no password's.
        port = parts.netloc.rpartition("@")[2].rpartition(":")[2]
        return f"is malformed: its port {port!r} is not a number from 0 to 65535; expected {FORM}"
    return None


def _cut_by_a_password(parts: SplitResult) -> bool:
    """Whether an unencoded / # ? or @ in a password cut the URL elsewhere than meant: its @
    then comes after the host part (in the database's name, the query or a fragment) or is
    one of two in it.  A query's @ is a value's when the host part has its own."""
    return (
        parts.netloc.count("@") > 1 or "@" in parts.path or bool(parts.fragment)
        or ("@" in parts.query and "@" not in parts.netloc) or not _query_fields_readable(parts.query)
    )


def _query_fields_readable(query: str) -> bool:
    """asyncpg reads the query strictly: a field without `=` ("s3cr3t?Part@host": the rest of
    a password) stops it with an error quoting that field."""
    return not query or all("=" in field for field in query.split("&"))


def redacted(url: str) -> str:
    """The URL as messages and logs show it: its passwords (user part, `password=` and
    `sslpassword=`) masked; of a malformed URL, only its scheme and user."""
    scheme, _, rest = url.partition("://")
    if malformed(url) is not None:  # where its password ends is not known: nothing after the user
        return f"{scheme}://{rest.split(':', 1)[0].split('@', 1)[0]}:{MASK}@…"
    parts = urlsplit(url)
    userinfo, _, hostport = parts.netloc.rpartition("@")
    netloc = f"{userinfo.split(':', 1)[0]}:{MASK}@{hostport}" if ":" in userinfo else parts.netloc
    query = "&".join(f"{field.partition('=')[0]}={MASK}" if _is_password(field) else field
                     for field in parts.query.split("&"))
    return f"{scheme}://{netloc}{parts.path}" + (f"?{query}" if parts.query else "")


def _is_password(field: str) -> bool:
    """Whether a query field (NAME=VALUE) gives a password: its name decoded, as asyncpg reads
    it, and in any case (masking more is harmless)."""
    return unquote_plus(field.partition("=")[0]).strip().lower() in _PASSWORD_FIELDS


def passwords_of(url: str | None) -> tuple[str, ...]:
    """Every password `url` holds, in every form it may be written (as given, decoded), for the
    log filter that scrubs them: the user part's and the query's.  None without one."""
    if not url:
        return ()
    rest = url.partition("://")[2]
    if malformed(url) is None:
        userinfo = urlsplit(url).netloc.rpartition("@")[0]
    else:  # where its password ends is not known: all between the user's ':' and the last '@'
        userinfo = rest.rpartition("@")[0]
    given = [userinfo.partition(":")[2]]
    given += [field.partition("=")[2] for field in rest.partition("?")[2].split("&") if _is_password(field)]
    forms = (form for raw in given for form in (raw, unquote(raw), unquote_plus(raw)))
    return tuple(form for form in dict.fromkeys(forms) if form)

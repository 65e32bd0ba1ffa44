"""Item links made comparable: absolute, web-only, without the tracking parameters.

The same article reaches us as `…?utm_source=facebook`, `…?utm_source=rss#comments` and
plain `…`: left as they are, they would be three links to de-duplicate and three ways to leak
where a reader came from.  Only the query parameters known to be trackers are dropped; the
others (an article id, a page number) are kept in their order and their original spelling,
since the site may need them and re-encoding them could change what they point to.
"""

from __future__ import annotations

from urllib.parse import unquote_plus, urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_ga",
        "ref",
        "ref_src",
        "spm",
        "at_medium",
        "at_campaign",
        "xtor",
        "cmpid",
    }
)
WEB_SCHEMES = ("http", "https")


def is_tracking_param(name: str) -> bool:
    name = name.lower()
    return name.startswith("utm_") or name in TRACKING_PARAMS


def _clean_query(query: str) -> str:
    # Work on the raw `name=value` pieces so the kept ones come back byte for byte.
    kept = [
        piece
        for piece in query.split("&")
        if piece and not is_tracking_param(unquote_plus(piece.split("=", 1)[0]).strip())
    ]
    return "&".join(kept)


def _lower_host(netloc: str) -> str:
    # Host names are case-insensitive; a user name or password before "@" is not.
    userinfo, at, hostport = netloc.rpartition("@")
    return f"{userinfo}{at}{hostport.lower()}"


def normalize_url(url: str | None, base: str | None = None) -> str | None:
    """The absolute http(s) form of `url` without fragment or trackers; None if it is not a web link."""
    if not url or not url.strip():
        return None
    url = url.strip()
    try:
        if base:
            url = urljoin(base.strip(), url)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in WEB_SCHEMES or not parts.hostname:
            return None
        return urlunsplit((scheme, _lower_host(parts.netloc), parts.path, _clean_query(parts.query), ""))
    except ValueError:  # an invalid port or IPv6 literal: not a link we can use
        return None

"""Inline mode as Telegram checks it: the answer to an inline query (answerInlineQuery) and
the message a chosen result becomes.

The server keeps each inline query it handed out (who asked, when, whether it was answered);
this module holds only Telegram's rules for the answer, as pure checks raising APIError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .validation import (
    TEXT_LINK_SCHEMES,
    bad_request,
    build_text,
    decode_json_field,
    is_valid_url,
    normalize_reply_markup,
)

__all__ = [
    "ANSWER_TIMEOUT_SECONDS",
    "CHAT_TYPES",
    "MAX_QUERY_CHARS",
    "InlineQueryState",
    "check_answer",
    "message_fields",
]

MAX_RESULTS = 50
MAX_RESULT_ID_BYTES = 64
MAX_OFFSET_BYTES = 64
# What a client lets a user type after the bot's name.
MAX_QUERY_CHARS = 256
# Telegram drops an inline query nobody answered within about ten seconds: a later answer is
# refused, like a second one.
ANSWER_TIMEOUT_SECONDS = 10.0
# Where the user typed the query (InlineQuery.chat_type).
CHAT_TYPES = frozenset({"sender", "private", "group", "supergroup", "channel"})

_START_PARAMETER = re.compile(r"[A-Za-z0-9_-]{1,64}")
# The result types this emulator checks field by field; others are refused rather than
# accepted unchecked (the bot sends articles only).
_ARTICLE_FIELDS = frozenset({
    "type", "id", "title", "input_message_content", "reply_markup", "url", "hide_url",
    "description", "thumbnail_url", "thumbnail_width", "thumbnail_height",
})


@dataclass
class InlineQueryState:
    """An inline query as the server handed it out, and its answer once given."""

    user_id: int
    query: str
    asked_at: float
    answered: bool = False
    # Result id -> the result (checked), in the order the bot gave them.
    results: dict[str, dict] = field(default_factory=dict)
    answer: dict = field(default_factory=dict)


def _int_field(value: Any, name: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise bad_request(f"can't parse {name}: expected an Integer >= {minimum}")
    return value


def _check_input_message_content(content: Any) -> dict:
    """An InputTextMessageContent: its text within Telegram's limits once its entities are
    parsed (what build_text checks for a sendMessage)."""
    if not isinstance(content, dict):
        raise bad_request("can't parse InputMessageContent: expected an Object")
    if "message_text" not in content:
        # Locations, venues, contacts and invoices are other contents: not emulated.
        raise bad_request("can't parse InputMessageContent: only InputTextMessageContent is emulated")
    plain, entities = build_text(content.get("message_text"), content.get("parse_mode"), content.get("entities"))
    preview = content.get("link_preview_options")
    if preview is not None:
        if not isinstance(preview, dict):
            raise bad_request("can't parse link preview options JSON object")
        if preview.get("url") is not None and not is_valid_url(preview["url"]):
            raise bad_request("wrong HTTP URL specified")
    return {"text": plain, "entities": entities, "link_preview_options": preview}


def _check_article(result: dict) -> dict:
    unknown = sorted(set(result) - _ARTICLE_FIELDS)
    if unknown:
        raise bad_request(f"can't parse InlineQueryResultArticle: unknown field {unknown[0]!r}")
    title = result.get("title")
    if not isinstance(title, str) or not title.strip():
        raise bad_request("RESULT_TITLE_EMPTY")
    description = result.get("description")
    if description is not None and not isinstance(description, str):
        raise bad_request('can\'t parse InlineQueryResultArticle: Field "description" must be of type String')
    for key in ("url", "thumbnail_url"):
        if result.get(key) not in (None, "") and not is_valid_url(result[key], schemes=TEXT_LINK_SCHEMES):
            raise bad_request("RESULT_URL_INVALID" if key == "url" else "THUMBNAIL_URL_INVALID")
    for key in ("thumbnail_width", "thumbnail_height"):
        if result.get(key) is not None:
            _int_field(result[key], key)
    checked = dict(result)
    checked["message"] = _check_input_message_content(result.get("input_message_content"))
    checked["reply_markup"] = normalize_reply_markup(result.get("reply_markup"), inline_only=True)
    return checked


def _check_button(button: Any) -> None:
    """InlineQueryResultsButton: a text, and a start parameter (a web app is not emulated)."""
    button = decode_json_field(button, "button", "inline query results button")
    if not isinstance(button, dict):
        raise bad_request("can't parse inline query results button JSON object")
    text = button.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    parameter = button.get("start_parameter")
    if not isinstance(parameter, str) or not _START_PARAMETER.fullmatch(parameter):
        raise bad_request("START_PARAM_INVALID")


def check_answer(params: dict) -> tuple[list[dict], dict]:
    """answerInlineQuery's results, checked as Telegram checks them, and the answer's other
    fields (cache_time, is_personal, next_offset, button)."""
    raw = params.get("results")
    if raw in (None, ""):
        raise bad_request("results is empty")  # an empty list is a valid "nothing found"
    results = decode_json_field(raw, "results", "inline query results")
    if not isinstance(results, list):
        raise bad_request("can't parse inline query results JSON object")
    if len(results) > MAX_RESULTS:
        raise bad_request("RESULTS_TOO_MUCH")
    checked, seen = [], set()
    for result in results:
        if not isinstance(result, dict):
            raise bad_request("can't parse InlineQueryResult: expected an Object")
        result_id = result.get("id")
        if not isinstance(result_id, str) or not 1 <= len(result_id.encode("utf-8")) <= MAX_RESULT_ID_BYTES:
            raise bad_request("RESULT_ID_INVALID")
        if result_id in seen:
            raise bad_request("RESULT_ID_DUPLICATE")
        seen.add(result_id)
        if result.get("type") != "article":
            raise bad_request(f"unsupported inline query result type {result.get('type')!r}")
        checked.append(_check_article(result))
    extra: dict[str, Any] = {}
    cache_time = params.get("cache_time")
    extra["cache_time"] = 300 if cache_time in (None, "") else _int_field(cache_time, "cache_time")
    personal = params.get("is_personal")
    extra["is_personal"] = personal in (True, "true", "True", 1, "1")
    offset = params.get("next_offset")
    if offset not in (None, ""):
        if not isinstance(offset, (str, int)) or len(str(offset).encode("utf-8")) > MAX_OFFSET_BYTES:
            raise bad_request("NEXT_OFFSET_INVALID")
        extra["next_offset"] = str(offset)
    if params.get("button") not in (None, ""):
        _check_button(params["button"])
        extra["button"] = decode_json_field(params["button"], "button", "inline query results button")
    return checked, extra


def message_fields(result: dict) -> dict:
    """What a chosen result's message carries in the chat it is sent to (without its id,
    chat, sender and date)."""
    message = result["message"]
    fields: dict[str, Any] = {"text": message["text"]}
    if message["entities"]:
        fields["entities"] = message["entities"]
    if message["link_preview_options"] is not None:
        fields["link_preview_options"] = message["link_preview_options"]
    if result["reply_markup"]:
        fields["reply_markup"] = result["reply_markup"]
    return fields

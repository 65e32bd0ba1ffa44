"""Parameter checks shared by the emulated Bot API methods.

Each check raises :class:`APIError` with the error code and description the
real Bot API uses (where known; otherwise a Telegram-style wording), so the
server can turn it straight into an ``{"ok": false, ...}`` response.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal, overload
from urllib.parse import urlsplit

from .html_entities import HTMLParseError, parse_html, utf16_len

__all__ = [
    "APIError",
    "MAX_TEXT_UTF16",
    "bad_request",
    "bool_param",
    "build_text",
    "int_param",
    "is_valid_url",
    "normalize_reply_markup",
    "str_param",
    "validate_commands",
    "validate_language_code",
]

MAX_TEXT_UTF16 = 4096
MAX_CALLBACK_DATA_BYTES = 64
MAX_KEYBOARD_BUTTONS = 100


class APIError(Exception):
    """A Bot API error response: HTTP status == error_code."""

    def __init__(
        self,
        error_code: int,
        description: str,
        parameters: dict | None = None,
        *,
        world_event: bool = False,
    ):
        super().__init__(description)
        # True when the error stems from a test-made world change (removed or
        # migrated chat) rather than from an invalid request by the bot.
        self.world_event = world_event
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def envelope(self) -> dict:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(
    reason: str, parameters: dict | None = None, *, world_event: bool = False
) -> APIError:
    return APIError(400, f"Bad Request: {reason}", parameters, world_event=world_event)


# ---------------------------------------------------------------- parameters
# A decoded request parameter as the real server reads it: form values come as strings,
# JSON bodies with their own types.


@overload
def int_param(params: dict, name: str, *, required: Literal[True]) -> int: ...


@overload
def int_param(params: dict, name: str, *, required: bool = False) -> int | None: ...


def int_param(params: dict, name: str, *, required: bool = False) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise bad_request(f"{name} is empty")
        return None
    if isinstance(value, bool):
        raise bad_request(f"invalid {name} specified")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise bad_request(f"invalid {name} specified")


def bool_param(params: dict, name: str) -> bool:
    value = params.get(name)
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1")
    return bool(value)


def str_param(params: dict, name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise bad_request(f"can't parse {name}: expected a String")


# ---------------------------------------------------------------- URLs

_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_HOST_RE = re.compile(r"^[^\s/?#@:]+$")


def _valid_host(host: str, *, need_dot: bool) -> bool:
    if not host or not _HOST_RE.match(host) or host.startswith(".") or ".." in host:
        return False
    return "." in host or not need_dot or host == "localhost"


def is_valid_url(url: Any, *, schemes: tuple[str, ...] = ("http", "https", "tg")) -> bool:
    """Whether Telegram would accept ``url`` for a link with these protocols.

    Like Telegram, a URL without a protocol ("example.com/x") is taken as
    http; anything else (javascript:, data:, file:, ...) is refused.
    """
    if not isinstance(url, str) or not url or url != url.strip():
        return False
    if any(ord(c) < 0x20 or c.isspace() for c in url):
        return False
    m = _SCHEME_RE.match(url)
    if m is not None and "." in m.group(1) and not url[m.end():].startswith("//"):
        m = None  # "example.com:8080/x" is a host and port, not a protocol
    if m is None:
        # No protocol: "example.com/path" is taken as http.
        try:
            parts = urlsplit("http://" + url)
            parts.port  # noqa: B018 - raises ValueError for a bad port
        except ValueError:
            return False
        return _valid_host(parts.hostname or "", need_dot=True)
    scheme = m.group(1).lower()
    if scheme not in schemes:
        return False
    if scheme in ("http", "https"):
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError for a bad port
        except ValueError:
            return False
        return url[m.end():].startswith("//") and _valid_host(parts.hostname or "", need_dot=False)
    # tg://resolve?domain=x, mailto:a@b.c, ton://...: just require something after it.
    return len(url) > m.end() and url[m.end():].strip("/") != ""


# Protocols Telegram keeps for a text_link / <a href>.
TEXT_LINK_SCHEMES = ("http", "https", "tg", "ton", "mailto")
# Protocols allowed on inline keyboard url buttons.
BUTTON_URL_SCHEMES = ("http", "https", "tg")


# ---------------------------------------------------------------- text

ENTITY_TYPES = {
    "mention", "hashtag", "cashtag", "bot_command", "url", "email", "phone_number",
    "bold", "italic", "underline", "strikethrough", "spoiler", "blockquote",
    "expandable_blockquote", "code", "pre", "text_link", "text_mention", "custom_emoji",
    "date_time",
}

# tdlib trims these from both ends of a message (and shifts the entities).
_TRIM_CHARS = "".join(chr(c) for c in range(0x21))


def _check_explicit_entities(entities: Any, text: str) -> list[dict]:
    if not isinstance(entities, list):
        raise bad_request("can't parse entities JSON object")
    total = utf16_len(text)
    result = []
    for e in entities:
        if not isinstance(e, dict):
            raise bad_request("can't parse MessageEntity: expected an Object")
        etype = e.get("type")
        offset, length = e.get("offset"), e.get("length")
        if etype not in ENTITY_TYPES:
            raise bad_request(f'can\'t parse MessageEntity: Unsupported type "{etype}"')
        if (not isinstance(offset, int) or not isinstance(length, int)
                or isinstance(offset, bool) or isinstance(length, bool)):
            raise bad_request("can't parse MessageEntity: Field \"offset\" and \"length\" "
                              "must be of type Number")
        # Telegram clips such entities silently; a bot producing them has an
        # off-by-something bug (usually code points vs UTF-16), so refuse.
        if offset < 0 or length <= 0 or offset + length > total:
            raise bad_request(
                f"can't parse MessageEntity: entity {etype} at offset {offset} with length "
                f"{length} is outside of the text of UTF-16 length {total}"
            )
        if etype == "text_link" and not isinstance(e.get("url"), str):
            raise bad_request('can\'t parse MessageEntity: Field "url" must be of type String')
        if etype == "text_mention" and not isinstance(e.get("user"), dict):
            raise bad_request('can\'t parse MessageEntity: Field "user" must be of type Object')
        if etype == "custom_emoji" and not isinstance(e.get("custom_emoji_id"), str):
            raise bad_request(
                'can\'t parse MessageEntity: Field "custom_emoji_id" must be of type String'
            )
        result.append({k: v for k, v in e.items() if v is not None})
    result.sort(key=lambda x: (x["offset"], -x["length"]))
    return result


def _trim(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    stripped = text.strip(_TRIM_CHARS)
    if stripped == text:
        return text, entities
    lead = utf16_len(text[: len(text) - len(text.lstrip(_TRIM_CHARS))])
    total = utf16_len(stripped)
    kept = []
    for e in entities:
        start = max(0, e["offset"] - lead)
        end = min(total, e["offset"] + e["length"] - lead)
        if end > start:
            kept.append({**e, "offset": start, "length": end - start})
    return stripped, kept


def build_text(
    text: Any, parse_mode: Any, entities: Any, *, what: str = "message text"
) -> tuple[str, list[dict]]:
    """Turn sendMessage-style (text, parse_mode, entities) into Telegram's
    stored (plain text, entities), enforcing Telegram's rules."""
    if text is None or text == "":
        raise bad_request(f"{what} is empty")
    if not isinstance(text, str):
        if isinstance(text, (int, float)) and not isinstance(text, bool):
            text = str(text)  # the real server reads every field as a string
        else:
            raise bad_request(f"can't parse {what}: expected a String")
    mode = parse_mode.lower() if isinstance(parse_mode, str) else ""
    if entities not in (None, [], ""):
        # Explicit entities win over parse_mode, as in the Bot API.
        plain, ents = text, _check_explicit_entities(entities, text)
    elif mode == "":
        plain, ents = text, []
    elif mode == "html":
        try:
            plain, ents = parse_html(text)
        except HTMLParseError as exc:
            raise APIError(400, exc.description) from None
    elif mode in ("markdownv2", "markdown"):
        # Not emulated: accepted leniently, the text is kept as is.
        plain, ents = text, []
    else:
        raise bad_request("unsupported parse_mode")
    for e in ents:
        if e["type"] == "text_link" and not is_valid_url(e.get("url"), schemes=TEXT_LINK_SCHEMES):
            # Telegram itself silently drops such links; the bot almost
            # certainly did not mean that, so this is refused here.
            raise bad_request("wrong HTTP URL specified")
    plain, ents = _trim(plain, ents)
    if not plain.strip():
        raise bad_request(f"{what} is empty")
    if utf16_len(plain) > MAX_TEXT_UTF16:
        raise bad_request("message is too long")
    return plain, ents


# ---------------------------------------------------------------- keyboards

_INLINE_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)


def decode_json_field(value: Any, name: str, what: str) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {what} JSON object") from None
    return value


def _compact(obj: Any) -> Any:
    # Drop null fields so a markup sent with and without explicit nulls compares equal.
    if isinstance(obj, dict):
        return {k: _compact(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, list):
        return [_compact(v) for v in obj]
    return obj


def _check_inline_keyboard(rows: Any) -> dict | None:
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
        )
    count = 0
    for row in rows:
        for button in row:
            count += 1
            if not isinstance(button, dict):
                raise bad_request("can't parse inline keyboard button: InlineKeyboardButton "
                                  "must be an Object")
            text = button.get("text")
            if not isinstance(text, str) or not text.strip():
                raise bad_request("can't parse inline keyboard button: Text must be non-empty")
            actions = [a for a in _INLINE_ACTIONS if button.get(a) is not None]
            if not actions:
                raise bad_request("can't parse inline keyboard button: Text buttons are "
                                  "unallowed in the inline keyboard")
            if len(actions) > 1:
                raise bad_request("can't parse inline keyboard button: exactly one of the "
                                  f"optional fields must be used, found {', '.join(actions)}")
            if "callback_data" in actions:
                data = button["callback_data"]
                if not isinstance(data, str):
                    raise bad_request('can\'t parse inline keyboard button: Field '
                                      '"callback_data" must be of type String')
                if not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
                    raise bad_request("BUTTON_DATA_INVALID")
            if "url" in actions and not is_valid_url(button["url"], schemes=BUTTON_URL_SCHEMES):
                raise bad_request("BUTTON_URL_INVALID")
            for switch in ("switch_inline_query", "switch_inline_query_current_chat"):
                # The query put in the user's input field: what they could type (256 characters).
                if switch in actions and not (isinstance(button[switch], str) and len(button[switch]) <= 256):
                    raise bad_request("BUTTON_TYPE_INVALID")
    if count > MAX_KEYBOARD_BUTTONS:
        raise bad_request("reply markup is too long")
    rows = [r for r in rows if r]
    if not rows:
        return None  # an empty inline keyboard removes the keyboard
    return {"inline_keyboard": _compact(rows)}


def _check_placeholder(markup: dict) -> None:
    placeholder = markup.get("input_field_placeholder")
    if placeholder is not None and not (isinstance(placeholder, str) and len(placeholder) <= 64):
        raise bad_request("input field placeholder is too long")


def _check_reply_keyboard(markup: dict) -> dict:
    rows = markup.get("keyboard")
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request('field "keyboard" of the ReplyKeyboardMarkup should be an Array of '
                          "Arrays")
    if not any(rows):
        raise bad_request("keyboard must be non-empty")
    count = 0
    for row in rows:
        for button in row:
            count += 1
            text = button.get("text") if isinstance(button, dict) else button
            if not isinstance(text, str) or not text.strip():
                raise bad_request("can't parse keyboard button: Text must be non-empty")
    if count > 300:
        raise bad_request("reply markup is too long")
    _check_placeholder(markup)
    return _compact(markup)


def normalize_reply_markup(value: Any, *, inline_only: bool = False) -> dict | None:
    """Validate a reply_markup parameter; return its normalized dict (None if absent)."""
    if value is None or value == "":
        return None
    markup = decode_json_field(value, "reply_markup", "reply keyboard markup")
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        return _check_inline_keyboard(markup["inline_keyboard"])
    if inline_only:
        # Edits can only carry inline keyboards.
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        return _check_reply_keyboard(markup)
    if markup.get("remove_keyboard") is True:
        return _compact(markup)
    if markup.get("force_reply") is True:
        _check_placeholder(markup)
        return _compact(markup)
    raise bad_request("can't parse reply keyboard markup JSON object")


# ---------------------------------------------------------------- commands

_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_LANGUAGE_RE = re.compile(r"^[a-z]{2}$")


def validate_language_code(value: Any) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or not _LANGUAGE_RE.match(value):
        raise bad_request("invalid language code specified")
    return value


def validate_commands(value: Any) -> list[dict]:
    commands = decode_json_field(value, "commands", "commands")
    if value is None:
        raise bad_request("commands is empty")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise bad_request("too many commands specified")
    result = []
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand: expected an Object")
        command, description = item.get("command"), item.get("description")
        if not isinstance(command, str) or not _COMMAND_RE.match(command):
            # 1-32 chars, lowercase English letters, digits and underscores.
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256 \
                or len(description) > 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        result.append({"command": command, "description": description})
    if len({c["command"] for c in result}) != len(result):
        raise bad_request("BOT_COMMAND_DUPLICATE")
    return result

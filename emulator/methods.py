"""The emulated Bot API methods, as a mixin of :class:`BotAPIEmulator`.

Each ``_api_<lowercase method name>`` takes the decoded request parameters and
returns the ``result`` or raises :class:`APIError`. World state and the message
store live in ``server.py``, a chat's record in ``chat.py``, the parameter
readers and checks in ``validation.py``; this module holds only Telegram's
per-method semantics and imports nothing of the server.
"""

from __future__ import annotations

import asyncio
import copy
import re
from typing import TYPE_CHECKING, Any

from .chat import Chat
from .inline import ANSWER_TIMEOUT_SECONDS, InlineQueryState, check_answer
from .photos import caption_of, photo_dimensions, photo_sizes
from .validation import (
    APIError,
    bad_request,
    bool_param,
    build_text,
    decode_json_field,
    int_param,
    is_valid_url,
    normalize_reply_markup,
    str_param,
    validate_commands,
    validate_language_code,
)
from .webhook import WebhookDelivery

# Update types delivered when allowed_updates is empty/unspecified (Bot API default).
_DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

_CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
})

_SCOPE_TYPES = frozenset({
    "default", "all_private_chats", "all_group_chats", "all_chat_administrators", "chat",
    "chat_administrators", "chat_member",
})

# Why an open getUpdates is cut off by the next one (also the server's initial reason).
CONFLICT_OTHER_POLL = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)

_CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
    "delete the webhook first"
)

_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")

_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)

_QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


class BotAPIMethods:
    """Mixin: needs the state and helpers that BotAPIEmulator defines.

    What it uses of them is declared here, for the type checker: the annotations make no
    attributes and the methods under TYPE_CHECKING do not exist at run time, so the
    emulator's own definitions are the ones that run (and mypy checks that they match).
    """

    # The bot and what it was told (set by the emulator's __init__).
    bot_user: dict
    commands: dict[tuple[str, str], list[dict]]
    callback_answers: list[dict]
    descriptions: dict[str, str]
    short_descriptions: dict[str, str]
    names: dict[str, str]
    webhook_url: str
    webhook: WebhookDelivery
    # The world and its pending updates.
    _users: dict[int, dict]
    _updates: list[dict]
    _allowed_updates: list[str]
    _callback_queries: dict[str, dict]
    _inline_queries: dict[str, InlineQueryState]
    # The inline placeholder set with @BotFather's /setinline; None: inline mode is off.
    inline_placeholder: str | None
    inline_answers: list[dict]
    _menu_buttons: dict[int | None, dict]
    _photo_ids: dict[str, list[dict]]  # photos sent, by file_id: what sending one again by id finds
    # Long polls: the event every waiter waits on, and who cut the last one off.
    _changed: asyncio.Event
    _poll_generation: int
    _poll_cancel_reason: str
    _stopping: bool

    if TYPE_CHECKING:

        @property
        def bot_id(self) -> int: ...

        def _notify(self) -> None: ...

        def _now(self) -> int: ...

        def _clock(self) -> float: ...

        def _resolve_chat(self, params: dict, *, for_sending: bool = True) -> Chat: ...

        def _rate_limit(self, chat: Chat, paid: bool = False) -> None: ...

        def _chat_dict(self, chat: Chat) -> dict: ...

        def _live_message(self, chat: Chat, message_id: int) -> dict | None: ...

        def _api_message(self, chat: Chat, record: dict) -> dict: ...

    async def _api_getme(self, params: dict) -> dict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": self.inline_placeholder is not None,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _api_logout(self, params: dict) -> bool:
        return True

    async def _api_close(self, params: dict) -> bool:
        return True

    # ---------------------------------------------------------------- updates

    async def _api_getupdates(self, params: dict) -> list[dict]:
        if self.webhook_url:
            raise APIError(409, _CONFLICT_WEBHOOK)
        offset = int_param(params, "offset")
        limit = int_param(params, "limit")
        limit = 100 if limit is None else max(1, min(100, limit))
        timeout = params.get("timeout")
        try:
            timeout = max(0.0, float(timeout)) if timeout not in (None, "") else 0.0
        except (TypeError, ValueError):
            raise bad_request("invalid timeout specified") from None
        allowed = params.get("allowed_updates")
        if allowed is not None and allowed != "":
            allowed = decode_json_field(allowed, "allowed_updates", "allowed updates")
            if not isinstance(allowed, list):
                raise bad_request("can't parse allowed updates JSON object")
            self._allowed_updates = [str(a) for a in allowed]  # persists, as in Telegram

        # Only one getUpdates at a time: a new request terminates the previous one.
        self._poll_generation += 1
        generation = self._poll_generation
        self._poll_cancel_reason = CONFLICT_OTHER_POLL
        self._notify()

        if offset is not None:
            if offset < 0:  # -N: only the last N updates survive
                self._updates = self._updates[offset:]
            else:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            self._drop_unwanted_updates()
            if self._updates:
                return copy.deepcopy(self._updates[:limit])
            remaining = deadline - loop.time()
            if self._stopping or remaining <= 0:
                return []
            event = self._changed
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                pass
            if self._poll_generation != generation:
                raise APIError(409, self._poll_cancel_reason)

    def _drop_unwanted_updates(self) -> None:
        allowed = set(self._allowed_updates)

        def wanted(update: dict) -> bool:
            kind = next(k for k in update if k != "update_id")
            return kind in allowed if allowed else kind not in _DEFAULT_EXCLUDED_UPDATES

        self._updates = [u for u in self._updates if wanted(u)]

    async def _api_setwebhook(self, params: dict) -> bool:
        url = str_param(params, "url") or ""
        if url and not (url.lower().startswith("https://") and is_valid_url(url)):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = str_param(params, "secret_token")
        if secret is not None and not _SECRET_TOKEN.fullmatch(secret):
            raise bad_request("bad webhook: secret token contains unallowed characters")
        if bool_param(params, "drop_pending_updates"):
            self._updates.clear()
        if url:
            # An open long poll is cut off by the webhook being set.
            self._poll_generation += 1
            self._poll_cancel_reason = "Conflict: terminated by setWebhook request"
            self._notify()
            self.webhook.start(url, secret)
        else:
            await self.webhook.stop()
        self.webhook_url = url
        return True

    async def _api_deletewebhook(self, params: dict) -> bool:
        if bool_param(params, "drop_pending_updates"):
            self._updates.clear()
        await self.webhook.stop()
        self.webhook_url = ""
        return True

    async def _api_getwebhookinfo(self, params: dict) -> dict:
        info: dict[str, Any] = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook.last_error:
            info["last_error_message"] = self.webhook.last_error
        if self._allowed_updates:
            info["allowed_updates"] = list(self._allowed_updates)
        return info

    # ---------------------------------------------------------------- messages

    def _reply_target(self, chat: Chat, params: dict) -> int | None:
        reply = params.get("reply_parameters")
        allow_missing = bool_param(params, "allow_sending_without_reply")
        if reply not in (None, ""):
            reply = decode_json_field(reply, "reply_parameters", "reply parameters")
            if not isinstance(reply, dict):
                raise bad_request("can't parse reply parameters JSON object")
            message_id = int_param(reply, "message_id", required=True)
            allow_missing = allow_missing or bool(reply.get("allow_sending_without_reply"))
            target_chat = chat
            if reply.get("chat_id") not in (None, "", chat.id):
                target_chat = self._resolve_chat({"chat_id": reply["chat_id"]}, for_sending=False)
        else:
            reply_to = int_param(params, "reply_to_message_id")
            target_chat = chat
            if reply_to is None:
                return None
            message_id = reply_to
        if self._live_message(target_chat, message_id) is None:
            if allow_missing:
                return None
            raise bad_request("message to be replied not found")
        return message_id if target_chat is chat else None

    async def _api_sendmessage(self, params: dict) -> dict:
        html = params.get("text")
        plain, entities = build_text(html, params.get("parse_mode"), params.get("entities"))
        markup = normalize_reply_markup(params.get("reply_markup"))
        preview = params.get("link_preview_options")
        if preview not in (None, ""):
            preview = decode_json_field(preview, "link_preview_options", "link preview options")
            if not isinstance(preview, dict):
                raise bad_request("can't parse link preview options JSON object")
            if preview.get("url") is not None and not is_valid_url(preview["url"]):
                raise bad_request("wrong HTTP URL specified")
        else:
            preview = None
        chat = self._resolve_chat(params)
        reply_to = self._reply_target(chat, params)
        self._rate_limit(chat, paid=bool_param(params, "allow_paid_broadcast"))

        return self._store_bot_message(chat, params, {
            "text": plain,
            "entities": entities,
            "html": html if isinstance(html, str) else str(html),
            "reply_markup": markup,
            "reply_to_message_id": reply_to,
            "link_preview_options": preview,
            "disable_web_page_preview": bool_param(params, "disable_web_page_preview"),
        })

    async def _api_sendphoto(self, params: dict) -> dict:
        photo = params.get("photo")
        if isinstance(photo, dict) and "content" in photo:  # uploaded (multipart)
            data = photo["content"]
            width, height = photo_dimensions(data)
            sizes = photo_sizes(data, width, height)
        elif isinstance(photo, str) and photo:  # a file_id of a photo sent before (URLs are not fetched here)
            if photo not in self._photo_ids:
                raise bad_request("wrong file identifier/HTTP URL specified")
            sizes, data = self._photo_ids[photo], None
        else:
            raise bad_request("there is no photo in the request")
        caption, caption_entities = caption_of(params)
        markup = normalize_reply_markup(params.get("reply_markup"))
        chat = self._resolve_chat(params)
        reply_to = self._reply_target(chat, params)
        self._rate_limit(chat, paid=bool_param(params, "allow_paid_broadcast"))
        self._photo_ids[sizes[0]["file_id"]] = sizes
        return self._store_bot_message(chat, params, {
            "text": "",  # a photo has no text: `caption` is what it says
            "entities": [],
            "html": "",
            "photo": sizes,
            "photo_bytes": data,
            "caption": caption,
            "caption_entities": caption_entities,
            "caption_html": params.get("caption") or "",
            "reply_markup": markup,
            "reply_to_message_id": reply_to,
        })

    def _store_bot_message(self, chat: Chat, params: dict, fields: dict) -> dict:
        """A message the bot sent, stored with what every kind of message has, and its own
        `fields`; the Message object Telegram answers with."""
        message_id = chat.next_message_id
        chat.next_message_id += 1
        record = {
            "message_id": message_id,
            "date": self._now(),
            "chat": self._chat_dict(chat),
            "from": dict(self.bot_user),
            "edited": False,
            "edit_date": None,
            "edit_count": 0,
            "parse_mode": params.get("parse_mode"),
            "message_thread_id": int_param(params, "message_thread_id"),
            "disable_notification": bool_param(params, "disable_notification"),
            "protect_content": bool_param(params, "protect_content"),
            **fields,
        }
        chat.bot_records[message_id] = record
        message = self._api_message(chat, record)
        chat.messages[message_id] = message
        self._notify()
        return message

    def _editable_record(self, chat: Chat, params: dict) -> dict:
        message_id = int_param(params, "message_id", required=True)
        record = chat.bot_records.get(message_id)
        if record is None or message_id in chat.deleted:
            if self._live_message(chat, message_id) is not None:
                raise bad_request("message can't be edited")
            raise bad_request("message to edit not found", world_event=message_id in chat.deleted_by_user)
        return record

    def _apply_edit(self, chat: Chat, record: dict, **changes: Any) -> dict:
        record.update(changes)
        record["edited"] = True
        record["edit_date"] = self._now()
        record["edit_count"] += 1
        message = self._api_message(chat, record)
        chat.messages[record["message_id"]] = message
        self._notify()
        return message

    async def _api_editmessagetext(self, params: dict) -> dict:
        if params.get("inline_message_id") not in (None, ""):
            raise bad_request("MESSAGE_ID_INVALID")  # no inline messages are emulated
        html = params.get("text")
        plain, entities = build_text(html, params.get("parse_mode"), params.get("entities"))
        # As in Telegram, omitting reply_markup removes the inline keyboard.
        markup = normalize_reply_markup(params.get("reply_markup"), inline_only=True)
        chat = self._resolve_chat(params)
        record = self._editable_record(chat, params)
        if "photo" in record:
            raise bad_request("there is no text in the message to edit")
        if (plain, entities, markup) == (record["text"], record["entities"],
                                          record["reply_markup"]):
            raise bad_request(_NOT_MODIFIED)
        self._rate_limit(chat)
        return self._apply_edit(
            chat, record, text=plain, entities=entities, reply_markup=markup,
            html=html if isinstance(html, str) else str(html),
            parse_mode=params.get("parse_mode"),
        )

    async def _api_editmessagereplymarkup(self, params: dict) -> dict:
        if params.get("inline_message_id") not in (None, ""):
            raise bad_request("MESSAGE_ID_INVALID")
        markup = normalize_reply_markup(params.get("reply_markup"), inline_only=True)
        chat = self._resolve_chat(params)
        record = self._editable_record(chat, params)
        if markup == record["reply_markup"]:
            raise bad_request(_NOT_MODIFIED)
        self._rate_limit(chat)
        return self._apply_edit(chat, record, reply_markup=markup)

    async def _api_deletemessage(self, params: dict) -> bool:
        chat = self._resolve_chat(params, for_sending=False)
        message_id = int_param(params, "message_id", required=True)
        message = self._live_message(chat, message_id)
        if message is None:
            raise bad_request("message to delete not found")
        from_bot = message_id in chat.bot_records
        if chat.type != "private" and not from_bot and self.bot_id not in chat.admins:
            raise bad_request("message can't be deleted")
        self._rate_limit(chat)
        chat.deleted.add(message_id)
        self._notify()
        return True

    async def _api_sendchataction(self, params: dict) -> bool:
        action = str_param(params, "action")
        if not action:
            raise bad_request("action is empty")
        if action not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self._resolve_chat(params)
        # Not counted by the rate limiter: chat actions are not messages.
        return True

    # ---------------------------------------------------------------- callbacks

    async def _api_answercallbackquery(self, params: dict) -> bool:
        query_id = str_param(params, "callback_query_id")
        if not query_id:
            raise bad_request("callback_query_id is empty")
        text = str_param(params, "text")
        if text is not None and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        url = str_param(params, "url")
        if url and not is_valid_url(url):
            raise bad_request("URL_INVALID")
        query = self._callback_queries.get(query_id)
        if query is None or query["answered"]:
            raise bad_request(_QUERY_TOO_OLD)
        query["answered"] = True
        self.callback_answers.append(copy.deepcopy(params))
        self._notify()
        return True

    # ---------------------------------------------------------------- inline mode

    async def _api_answerinlinequery(self, params: dict) -> bool:
        query_id = str_param(params, "inline_query_id")
        if not query_id:
            raise bad_request("inline_query_id is empty")
        results, extra = check_answer(params)
        query = self._inline_queries.get(query_id)
        if (query is None or query.answered
                or self._clock() - query.asked_at > ANSWER_TIMEOUT_SECONDS):
            raise bad_request(_QUERY_TOO_OLD)
        query.answered = True
        query.results = {result["id"]: result for result in results}
        query.answer = {"inline_query_id": query_id, "results": results, **extra}
        self.inline_answers.append(copy.deepcopy(query.answer))
        self._notify()
        return True

    # ---------------------------------------------------------------- commands

    def _scope_key(self, params: dict) -> str:
        scope = params.get("scope")
        if scope in (None, ""):
            return "default"
        scope = decode_json_field(scope, "scope", "bot command scope")
        if not isinstance(scope, dict) or scope.get("type") not in _SCOPE_TYPES:
            raise bad_request("unsupported bot command scope type")
        kind = scope["type"]
        if kind in ("chat", "chat_administrators", "chat_member"):
            chat = self._resolve_chat({"chat_id": scope.get("chat_id")}, for_sending=False)
            if kind == "chat_member":
                user_id = int_param(scope, "user_id", required=True)
                return f"chat_member:{chat.id}:{user_id}"
            return f"{kind}:{chat.id}"
        return kind

    async def _api_setmycommands(self, params: dict) -> bool:
        commands = validate_commands(params.get("commands"))
        key = (self._scope_key(params), validate_language_code(params.get("language_code")))
        if commands:
            self.commands[key] = commands
        else:
            self.commands.pop(key, None)  # an empty list deletes, as in Telegram
        return True

    async def _api_getmycommands(self, params: dict) -> list[dict]:
        key = (self._scope_key(params), validate_language_code(params.get("language_code")))
        return copy.deepcopy(self.commands.get(key, []))

    async def _api_deletemycommands(self, params: dict) -> bool:
        key = (self._scope_key(params), validate_language_code(params.get("language_code")))
        self.commands.pop(key, None)
        return True

    # ---------------------------------------------------------------- bot profile

    def _set_profile_text(self, params: dict, name: str, store: dict, limit: int) -> bool:
        value = str_param(params, name) or ""
        if len(value) > limit:
            raise bad_request(f"{name.replace('_', ' ')} is too long")
        lang = validate_language_code(params.get("language_code"))
        if value:
            store[lang] = value
        else:
            store.pop(lang, None)
        return True

    async def _api_setmydescription(self, params: dict) -> bool:
        return self._set_profile_text(params, "description", self.descriptions, 512)

    async def _api_getmydescription(self, params: dict) -> dict:
        lang = validate_language_code(params.get("language_code"))
        return {"description": self.descriptions.get(lang, "")}

    async def _api_setmyshortdescription(self, params: dict) -> bool:
        return self._set_profile_text(params, "short_description", self.short_descriptions, 120)

    async def _api_getmyshortdescription(self, params: dict) -> dict:
        lang = validate_language_code(params.get("language_code"))
        return {"short_description": self.short_descriptions.get(lang, "")}

    async def _api_setmyname(self, params: dict) -> bool:
        return self._set_profile_text(params, "name", self.names, 64)

    async def _api_getmyname(self, params: dict) -> dict:
        lang = validate_language_code(params.get("language_code"))
        return {"name": self.names.get(lang, self.bot_user["first_name"])}

    async def _api_setchatmenubutton(self, params: dict) -> bool:
        chat_id = None
        if params.get("chat_id") not in (None, ""):
            chat = self._resolve_chat(params, for_sending=False)
            if chat.type != "private":
                raise bad_request("chat_id must be a private chat")
            chat_id = chat.id
        button = params.get("menu_button")
        if button in (None, ""):
            button = {"type": "default"}
        button = decode_json_field(button, "menu_button", "menu button")
        if not isinstance(button, dict) or button.get("type") not in ("commands", "web_app",
                                                                       "default"):
            raise bad_request("can't parse menu button JSON object")
        self._menu_buttons[chat_id] = button
        return True

    async def _api_getchatmenubutton(self, params: dict) -> dict:
        chat_id = None
        if params.get("chat_id") not in (None, ""):
            chat_id = self._resolve_chat(params, for_sending=False).id
        button = self._menu_buttons.get(chat_id) or self._menu_buttons.get(None)
        if button is None or button.get("type") == "default":
            return {"type": "commands"}
        return copy.deepcopy(button)

    # ---------------------------------------------------------------- chats

    async def _api_getchat(self, params: dict) -> dict:
        chat = self._resolve_chat(params, for_sending=False)
        info = self._chat_dict(chat)
        info.update({
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        })
        return info

    def _member(self, chat: Chat, user_id: int) -> dict:
        if user_id == self.bot_id:
            user = dict(self.bot_user)
        else:
            known = self._users.get(user_id)
            user = copy.deepcopy(known) if known else {
                "id": user_id, "is_bot": False, "first_name": f"User {user_id}",
            }
        if chat.type == "private":
            status = "member" if user_id in (chat.user_id, self.bot_id) else "left"
        elif user_id == chat.creator:
            return {"status": "creator", "user": user, "is_anonymous": False}
        elif user_id in chat.admins:
            return {
                "status": "administrator",
                "user": user,
                "can_be_edited": False,
                "is_anonymous": False,
                "can_manage_chat": True,
                "can_delete_messages": True,
                "can_manage_video_chats": True,
                "can_restrict_members": True,
                "can_promote_members": False,
                "can_change_info": True,
                "can_invite_users": True,
                "can_post_stories": False,
                "can_edit_stories": False,
                "can_delete_stories": False,
                "can_pin_messages": True,
            }
        elif user_id in chat.members or user_id == self.bot_id:
            status = "member"
        else:
            status = "left"
        return {"status": status, "user": user}

    async def _api_getchatmember(self, params: dict) -> dict:
        chat = self._resolve_chat(params, for_sending=False)
        user_id = int_param(params, "user_id", required=True)
        return self._member(chat, user_id)

    async def _api_getchatadministrators(self, params: dict) -> list[dict]:
        chat = self._resolve_chat(params, for_sending=False)
        if chat.type == "private":
            raise bad_request("there are no administrators in the private chat")
        ids = ([chat.creator] if chat.creator else []) + sorted(chat.admins - {chat.creator})
        return [self._member(chat, uid) for uid in ids]

    async def _api_getchatmembercount(self, params: dict) -> int:
        chat = self._resolve_chat(params, for_sending=False)
        if chat.type == "private":
            return 2
        return len(chat.members | {self.bot_id})

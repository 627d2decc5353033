"""A loopback fake of the Slack Web API for the *real* ``slack_sdk.WebClient``.

Point a client at it with ``WebClient(token=fake_token, base_url=fake.api_url)``. The fake keeps
state the way Slack does (messages with ``chat.update`` applied, threads, DMs, uploaded files, views),
so tests can assert on what a user would end up seeing rather than on the exact calls made. Every
request is also recorded in :attr:`SlackFake.calls`, injected failures included.

Only what Booker uses is modelled; any other method answers ``{"ok": true}`` and is recorded.
"""
from __future__ import annotations

import copy
import email.parser
import email.policy
import itertools
import json
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable
from urllib.parse import parse_qs, quote, unquote
from zoneinfo import ZoneInfo

from replicas.server import LoopbackServer, Request, Response

# Params that slack_sdk (or a hand-written form post) may send as JSON strings.
JSON_STRING_PARAMS = ("blocks", "attachments", "files", "view", "metadata")
# The first ts handed out; matches the default ``message_ts`` of replicas.slack_requests.block_actions.
FIRST_TS_MICROS = 1_700_000_000_000_100
TS_STEP_MICROS = 100
APP_TOKEN_PREFIX = "xapp-"
# Methods answered without a bot token: they are not Web API calls.
UNAUTHENTICATED = ("response_url", "upload")


@dataclass
class SlackCall:
    """One request the fake received, in the shape tests want to assert on."""

    method: str  # "chat.postMessage", or "response_url", or "upload"
    params: dict[str, Any]  # merged query + form/JSON body, JSON-string blocks etc. decoded
    headers: dict[str, str]
    at: float  # time.monotonic()


@dataclass
class _Failure:
    status: int
    error: str
    retry_after: int | None
    remaining: int


@dataclass
class _User:
    user_id: str
    real_name: str
    email: str
    tz: str
    is_bot: bool
    display_name: str
    phone: str = ""


@dataclass
class _ResponseUrl:
    name: str
    user: str | None
    channel: str | None


@dataclass
class _State:
    """Everything Slack would remember; ``reset()`` swaps in a fresh one."""

    calls: list[SlackCall] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)  # every channel, replies included
    ephemerals: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    views: list[dict[str, Any]] = field(default_factory=list)
    home_view_ids: dict[str, str] = field(default_factory=dict)
    failures: dict[str, list[_Failure]] = field(default_factory=dict)


class _MethodError(Exception):
    """Raised inside a handler to answer ``{"ok": false, "error": ...}`` like Slack does."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


class SlackFake(LoopbackServer):
    """Slack Web API on 127.0.0.1 with Slack-like state, failure injection and call recording."""

    def __init__(
        self, bot_token: str = "xoxb-test-token", team_id: str = "T0001", bot_user_id: str = "UBOT"
    ) -> None:
        super().__init__()
        self.bot_token = bot_token
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = "B0001"
        # What Slack says in every answer's x-oauth-scopes header (the scopes the install granted)
        self.granted_scopes: tuple[str, ...] = ()
        self._users: dict[str, _User] = {}
        self._non_member_channels: set[str] = set()
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._ts_counter = itertools.count(FIRST_TS_MICROS, TS_STEP_MICROS)
        self._id_counter = itertools.count(1)
        self._state = _State()
        self._methods: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.delete": self._chat_delete,
            "chat.getPermalink": self._chat_get_permalink,
            "conversations.open": self._conversations_open,
            "users.info": self._users_info,
            "users.lookupByEmail": self._users_lookup_by_email,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
            "files.info": self._files_info,
            "views.open": lambda p: self._record_view("views.open", p),
            "views.push": lambda p: self._record_view("views.push", p),
            "views.update": lambda p: self._record_view("views.update", p),
            "views.publish": lambda p: self._record_view("views.publish", p),
            "apps.connections.open": self._apps_connections_open,
        }
        for verb in ("GET", "POST"):
            self.add_route(verb, r"/api/(?P<method>[A-Za-z0-9_.]+)", self._handle_api)
        self.add_route("POST", r"/upload/(?P<file_id>[A-Za-z0-9]+)", self._handle_upload)
        self.add_route("POST", r"/hooks/(?P<name>[^/]+)", self._handle_response_url)

    # -- test-facing API --------------------------------------------------------------------------
    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    @property
    def calls(self) -> list[SlackCall]:
        with self.lock:
            return list(self._state.calls)

    def calls_to(self, method: str) -> list[SlackCall]:
        with self.lock:
            return [call for call in self._state.calls if call.method == method]

    @property
    def files(self) -> dict[str, dict[str, Any]]:
        """file_id → {"filename","title","content","channel","thread_ts","initial_comment",...}."""
        with self.lock:
            return copy.deepcopy(self._state.files)

    @property
    def views(self) -> list[dict[str, Any]]:
        """views.open/push/update/publish calls as {"method","trigger_id"?,"user_id"?,"view_id","view"}."""
        with self.lock:
            return copy.deepcopy(self._state.views)

    def add_user(
        self,
        user_id: str,
        real_name: str,
        email: str,
        tz: str = "Europe/Helsinki",
        is_bot: bool = False,
        *,
        display_name: str | None = None,
        phone: str = "",
    ) -> None:
        """Make a user known to users.info and users.lookupByEmail (``phone``: the profile's phone field)."""
        with self.lock:
            self._users[user_id] = _User(
                user_id, real_name, email, tz, is_bot, real_name if display_name is None else display_name, phone
            )

    def set_channel_membership(self, channel_id: str, member: bool) -> None:
        """The bot is in every channel unless told otherwise; posting elsewhere gives not_in_channel."""
        with self.lock:
            if member:
                self._non_member_channels.discard(channel_id)
            else:
                self._non_member_channels.add(channel_id)

    def fail(
        self,
        method: str,
        *,
        status: int = 500,
        times: int = 1,
        error: str = "internal_error",
        retry_after: int | None = None,
    ) -> None:
        """Make the next ``times`` calls to ``method`` fail (a 429 is a rate limit with Retry-After)."""
        with self.lock:
            self._state.failures.setdefault(method, []).append(_Failure(status, error, retry_after, times))

    def response_url(self, name: str = "resp", *, user: str | None = None, channel: str | None = None) -> str:
        """A response_url on this fake; ``user``/``channel`` say whom Slack would show the reply to."""
        with self.lock:
            self._response_urls[name] = _ResponseUrl(name, user, channel)
        return f"{self.url}/hooks/{quote(name, safe='')}"

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Top-level messages of a channel in posting order, edits applied."""
        with self.lock:
            return copy.deepcopy(
                [m for m in self._state.messages if m["channel"] == channel and not _is_reply(m)]
            )

    def message(self, channel: str, ts: str) -> dict[str, Any]:
        with self.lock:
            return copy.deepcopy(self._find_message(channel, ts))

    def thread(self, channel: str, ts: str) -> list[dict[str, Any]]:
        """Replies to the message ``ts`` (posts and file shares), in order, without the parent."""
        with self.lock:
            return copy.deepcopy(
                [
                    m
                    for m in self._state.messages
                    if m["channel"] == channel and _is_reply(m) and m["thread_ts"] == ts
                ]
            )

    def ephemerals(self, user: str | None = None) -> list[dict[str, Any]]:
        """chat.postEphemeral calls and ephemeral response_url posts, optionally for one user."""
        with self.lock:
            return copy.deepcopy(
                [e for e in self._state.ephemerals if user is None or e.get("user") == user]
            )

    def dms(self, user_id: str) -> list[dict[str, Any]]:
        """Everything posted in the bot's DM with ``user_id`` (thread replies included), in order."""
        with self.lock:
            dm_channel = _dm_channel_id(user_id)
            return copy.deepcopy([m for m in self._state.messages if m["channel"] == dm_channel])

    def reset(self) -> None:
        """Back to as-constructed (the server keeps running), so one fake can serve many tests."""
        with self.lock:
            self._state = _State()
            self._users.clear()
            self._non_member_channels.clear()
            self._response_urls.clear()

    # -- HTTP plumbing ----------------------------------------------------------------------------
    def _handle_api(self, request: Request, method: str) -> Response:
        params = _request_params(request)
        with self.lock:
            self._record(method, params, request)
            injected = self._take_failure(method)
            if injected is not None:
                return injected
            auth_error = self._auth_error(method, request, params)
            if auth_error is not None:
                return Response.json({"ok": False, "error": auth_error})
            handler = self._methods.get(method, lambda _params: {})
            try:
                result = handler(params)
            except _MethodError as exc:
                return Response.json({"ok": False, "error": exc.error, **exc.extra})
        scopes = {"x-oauth-scopes": ",".join(self.granted_scopes)} if self.granted_scopes else None
        return Response.json({"ok": True, **result}, headers=scopes)

    def _handle_upload(self, request: Request, file_id: str) -> Response:
        """The upload_url step: slack_sdk POSTs the raw bytes (multipart is accepted too)."""
        content = _uploaded_bytes(request)
        with self.lock:
            pending = self._state.files.get(file_id)
            self._record(
                "upload",
                {"file_id": file_id, "filename": (pending or {}).get("filename"), "content": content},
                request,
            )
            injected = self._take_failure("upload")
            if injected is not None:
                return injected
            if pending is None:
                return Response.text("file not found", 404)
            pending["content"] = content
            pending["size"] = len(content)
        return Response.text(f"OK - {len(content)}")

    def _handle_response_url(self, request: Request, name: str) -> Response:
        name = unquote(name)
        try:
            body = request.json() or {}
        except ValueError:
            body = request.form()
        body = _decode_json_strings(dict(body))
        with self.lock:
            self._record("response_url", {**body, "_name": name}, request)
            injected = self._take_failure("response_url")
            if injected is not None:
                return injected
            target = self._response_urls.get(name, _ResponseUrl(name, None, None))
            if body.get("response_type") == "in_channel":
                if target.channel:
                    self._store_message(target.channel, body, thread_ts=body.get("thread_ts"))
            elif not body.get("delete_original"):
                self._state.ephemerals.append(
                    {"source": "response_url", "name": name, "user": target.user,
                     "channel": target.channel, **body}
                )
        return Response.json({"ok": True})

    def _record(self, method: str, params: dict[str, Any], request: Request) -> None:
        self._state.calls.append(SlackCall(method, params, dict(request.headers), time.monotonic()))

    def _take_failure(self, method: str) -> Response | None:
        queue = self._state.failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.remaining -= 1
        if failure.remaining <= 0:
            queue.pop(0)
        if failure.status == 429:
            retry_after = 1 if failure.retry_after is None else failure.retry_after
            return Response.json(
                {"ok": False, "error": "ratelimited"}, 429, {"Retry-After": str(retry_after)}
            )
        return Response.json({"ok": False, "error": failure.error}, failure.status)

    def _auth_error(self, method: str, request: Request, params: dict[str, Any]) -> str | None:
        header = request.header("authorization", "") or ""
        token = header[len("Bearer "):] if header.startswith("Bearer ") else params.get("token")
        if method == "apps.connections.open":
            if token and token.startswith(APP_TOKEN_PREFIX):
                return None
            return "not_allowed_token_type" if token == self.bot_token else "invalid_auth"
        if not token:
            return "not_authed"
        return None if token == self.bot_token else "invalid_auth"

    # -- state helpers ----------------------------------------------------------------------------
    def _next_ts(self) -> str:
        micros = next(self._ts_counter)
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._id_counter):08d}"

    def _find_message(self, channel: str, ts: str) -> dict[str, Any]:
        for stored in self._state.messages:
            if stored["channel"] == channel and stored["ts"] == ts:
                return stored
        raise KeyError(f"no message {ts} in {channel}")

    def _resolve_channel(self, channel: Any) -> str:
        """Slack lets a bot post to a user id; the message lands in the DM channel."""
        if not channel:
            raise _MethodError("channel_not_found")
        channel = str(channel)
        if channel[:1] in ("U", "W"):
            return _dm_channel_id(channel)
        return channel

    def _require_membership(self, channel: str) -> None:
        if channel in self._non_member_channels:
            raise _MethodError("not_in_channel")

    def _store_message(
        self,
        channel: str,
        params: dict[str, Any],
        *,
        thread_ts: str | None = None,
        files: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        stored: dict[str, Any] = {
            "ts": self._next_ts(),
            "channel": channel,
            "text": params.get("text") or "",
            "blocks": params.get("blocks") or [],
            "user": self.bot_user_id,
            "files": files or [],
        }
        if params.get("attachments"):
            stored["attachments"] = params["attachments"]
        if thread_ts:
            stored["thread_ts"] = str(thread_ts)
            for parent in self._state.messages:
                if parent["channel"] == channel and parent["ts"] == stored["thread_ts"]:
                    parent["reply_count"] = parent.get("reply_count", 0) + 1
        self._state.messages.append(stored)
        return stored

    def _as_api_message(self, stored: dict[str, Any]) -> dict[str, Any]:
        message = {"type": "message", "bot_id": self.bot_id, **copy.deepcopy(stored)}
        message.pop("channel", None)
        return message

    # -- Web API methods --------------------------------------------------------------------------
    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://booker-test.slack.com/",
            "team": "Booker Test",
            "user": "booker",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _chat_post_message(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(params.get("channel"))
        if not (params.get("text") or params.get("blocks") or params.get("attachments")):
            raise _MethodError("no_text")
        self._require_membership(channel)
        stored = self._store_message(channel, params, thread_ts=params.get("thread_ts"))
        return {"channel": channel, "ts": stored["ts"], "message": self._as_api_message(stored)}

    def _chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(params.get("channel"))
        try:
            stored = self._find_message(channel, str(params.get("ts")))
        except KeyError:
            raise _MethodError("message_not_found") from None
        if stored["user"] != self.bot_user_id:
            raise _MethodError("cant_update_message")
        # Like Slack: fields left out keep their old value; an empty blocks list clears them.
        for key in ("text", "blocks", "attachments"):
            if key in params and params[key] is not None:
                stored[key] = params[key]
        stored["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        return {
            "channel": channel,
            "ts": stored["ts"],
            "text": stored["text"],
            "message": self._as_api_message(stored),
        }

    def _chat_post_ephemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(params.get("channel"))
        if not params.get("user"):
            raise _MethodError("user_not_found")
        if not (params.get("text") or params.get("blocks") or params.get("attachments")):
            raise _MethodError("no_text")
        self._require_membership(channel)
        message_ts = self._next_ts()
        self._state.ephemerals.append(
            {
                "source": "chat.postEphemeral",
                "channel": channel,
                "user": params["user"],
                "text": params.get("text") or "",
                "blocks": params.get("blocks") or [],
                "message_ts": message_ts,
                **({"thread_ts": params["thread_ts"]} if params.get("thread_ts") else {}),
            }
        )
        return {"message_ts": message_ts}

    def _chat_delete(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(params.get("channel"))
        try:
            stored = self._find_message(channel, str(params.get("ts")))
        except KeyError:
            raise _MethodError("message_not_found") from None
        self._state.messages.remove(stored)
        return {"channel": channel, "ts": stored["ts"]}

    def _chat_get_permalink(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._resolve_channel(params.get("channel"))
        ts = str(params.get("message_ts") or "")
        try:
            self._find_message(channel, ts)
        except KeyError:
            raise _MethodError("message_not_found") from None
        return {"channel": channel,
                "permalink": f"https://booker-test.slack.com/archives/{channel}/p{ts.replace('.', '')}"}

    def _conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("channel"):
            return {"channel": {"id": params["channel"]}}
        users = [u for u in str(params.get("users") or "").split(",") if u]
        if not users:
            raise _MethodError("users_list_not_supplied")
        if len(users) == 1:
            return {"channel": {"id": _dm_channel_id(users[0]), "is_im": True, "user": users[0]}}
        return {"channel": {"id": "G" + "".join(sorted(users)), "is_mpim": True}}

    def _users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self._users.get(str(params.get("user")))
        if user is None:
            raise _MethodError("user_not_found")
        return {"user": self._user_json(user)}

    def _users_lookup_by_email(self, params: dict[str, Any]) -> dict[str, Any]:
        wanted = str(params.get("email") or "").lower()
        for user in self._users.values():
            if user.email.lower() == wanted:
                return {"user": self._user_json(user)}
        raise _MethodError("users_not_found")

    def _user_json(self, user: _User) -> dict[str, Any]:
        offset = datetime.now(ZoneInfo(user.tz)).utcoffset()
        return {
            "id": user.user_id,
            "team_id": self.team_id,
            "name": user.email.split("@")[0],
            "deleted": False,
            "real_name": user.real_name,
            "tz": user.tz,
            "tz_label": user.tz,
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "is_bot": user.is_bot,
            "profile": {
                "real_name": user.real_name,
                "real_name_normalized": user.real_name,
                "display_name": user.display_name,
                "display_name_normalized": user.display_name,
                "email": user.email,
                "phone": user.phone,
            },
        }

    def _files_get_upload_url(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("filename") or params.get("length") in (None, ""):
            raise _MethodError("invalid_arguments")
        file_id = self._next_id("F")
        self._state.files[file_id] = {
            "id": file_id,
            "filename": params["filename"],
            "title": params["filename"],
            "length": int(params["length"]),
            "content": None,
            "channel": None,
            "thread_ts": None,
            "initial_comment": None,
        }
        return {"upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, params: dict[str, Any]) -> dict[str, Any]:
        requested = params.get("files")
        if not isinstance(requested, list) or not requested:
            raise _MethodError("invalid_arguments")
        channel_param = params.get("channel_id") or (str(params.get("channels") or "").split(",")[0] or None)
        channel = self._resolve_channel(channel_param) if channel_param else None
        if channel is not None:
            self._require_membership(channel)
        thread_ts = params.get("thread_ts") or None
        completed = []
        for item in requested:
            record = self._state.files.get(str(item.get("id")))
            if record is None or record["content"] is None:
                raise _MethodError("file_not_found")
            completed.append((record, item))
        shared = []
        for record, item in completed:
            record.update(
                title=item.get("title") or record["filename"],
                channel=channel,
                thread_ts=thread_ts,
                initial_comment=params.get("initial_comment"),
            )
            shared.append(_file_json(record))
        if channel is not None:
            self._store_message(
                channel, {"text": params.get("initial_comment") or ""}, thread_ts=thread_ts, files=shared
            )
        return {"files": copy.deepcopy(shared)}

    def _files_info(self, params: dict[str, Any]) -> dict[str, Any]:
        record = self._state.files.get(str(params.get("file")))
        if record is None:
            raise _MethodError("file_not_found")
        return {"file": _file_json(record)}

    def _record_view(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        view = params.get("view")
        if not isinstance(view, dict):
            raise _MethodError("invalid_arguments")
        entry: dict[str, Any] = {"method": method}
        if method in ("views.open", "views.push"):
            if not params.get("trigger_id"):
                raise _MethodError("invalid_trigger_id")
            entry["trigger_id"] = params["trigger_id"]
            view_id = self._next_id("V")
        elif method == "views.publish":
            if not params.get("user_id"):
                raise _MethodError("invalid_arguments")
            entry["user_id"] = params["user_id"]
            view_id = self._state.home_view_ids.setdefault(params["user_id"], self._next_id("V"))
        else:  # views.update addresses an existing view by id or external_id
            view_id = params.get("view_id") or params.get("external_id")
            if not view_id:
                raise _MethodError("invalid_arguments")
        entry.update(view_id=view_id, view=view)
        self._state.views.append(entry)
        return {"view": {"id": view_id, "team_id": self.team_id, "app_id": "A0BOOKER", **view}}

    def _apps_connections_open(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": "ws://127.0.0.1:1/link"}


# -- module helpers -------------------------------------------------------------------------------
def _dm_channel_id(user_id: str) -> str:
    return "D" + user_id


def _is_reply(message: dict[str, Any]) -> bool:
    thread_ts = message.get("thread_ts")
    return bool(thread_ts) and thread_ts != message["ts"]


def _file_json(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": record["id"],
        "name": record["filename"],
        "title": record["title"],
        "size": len(record["content"] or b""),
    }


def _decode_json_strings(params: dict[str, Any]) -> dict[str, Any]:
    """Form posts carry blocks/attachments/files/view as JSON text; tests want Python objects."""
    for key in JSON_STRING_PARAMS:
        value = params.get(key)
        if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
            try:
                params[key] = json.loads(value)
            except ValueError:
                pass
    return params


def _request_params(request: Request) -> dict[str, Any]:
    """Merge query string and body, whatever encoding slack_sdk chose for this method."""
    params: dict[str, Any] = {k: v[0] for k, v in request.query.items()}
    content_type = (request.header("content-type") or "").lower()
    if request.body:
        if content_type.startswith("application/json"):
            body = request.json()
            if isinstance(body, dict):
                params.update(body)
        elif content_type.startswith("multipart/form-data"):
            params.update(_multipart_fields(request))
        else:
            parsed = parse_qs(request.body.decode("utf-8"), keep_blank_values=True)
            params.update({k: v[0] for k, v in parsed.items()})
    return _decode_json_strings(params)


def _multipart_fields(request: Request) -> dict[str, Any]:
    """Text parts as str, file parts as bytes (legacy files.upload sends multipart)."""
    head = f"Content-Type: {request.header('content-type')}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.body)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        payload = part.get_payload(decode=True) or b""
        fields[name] = payload if part.get_filename() else payload.decode("utf-8")
    return fields


def _uploaded_bytes(request: Request) -> bytes:
    if (request.header("content-type") or "").lower().startswith("multipart/form-data"):
        for value in _multipart_fields(request).values():
            if isinstance(value, bytes):
                return value
    return request.body

"""A thin Gmail client: list, get, history and attachments, answered as plain dataclasses.

It reads; deciding what a mail means (a confirmation, a decline, an invite) belongs to the caller.
Incremental sync: keep the ``history_id`` of :meth:`GmailClient.profile` or of the last
:meth:`GmailClient.changes_since`; when Google says that id is too old (:class:`HistoryTooOld`),
fall back to :meth:`GmailClient.list_messages` with a query.
"""
from __future__ import annotations

import base64
import email
import email.policy
import html
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from typing import Any, Callable, Iterator, Sequence

from calendar_sync.errors import HistoryTooOld, NotFound
from calendar_sync.transport import ApiSession

ME = "me"
MAX_PAGES = 50
CALENDAR_TYPES = frozenset({"text/calendar", "application/ics"})
_TAG = re.compile(r"<[^>]+>")


def b64url_decode(data: str) -> bytes:
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


@dataclass(frozen=True)
class MessagePart:
    """One node of a message's MIME tree. ``data`` is the decoded inline body, if Gmail sent one;
    otherwise ``attachment_id`` says where to fetch it (:meth:`GmailClient.part_bytes`)."""

    part_id: str
    mime_type: str
    filename: str
    headers: tuple[tuple[str, str], ...]
    data: bytes | None
    attachment_id: str | None
    size: int
    parts: tuple["MessagePart", ...] = ()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "MessagePart":
        body = data.get("body") or {}
        return cls(
            part_id=str(data.get("partId", "")),
            mime_type=str(data.get("mimeType", "")).lower(),
            filename=str(data.get("filename", "")),
            headers=tuple((str(h.get("name", "")), str(h.get("value", ""))) for h in data.get("headers") or []),
            data=b64url_decode(body["data"]) if body.get("data") else None,
            attachment_id=body.get("attachmentId"),
            size=int(body.get("size") or 0),
            parts=tuple(cls.from_json(p) for p in data.get("parts") or []),
        )

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)

    def walk(self) -> Iterator["MessagePart"]:
        yield self
        for part in self.parts:
            yield from part.walk()

    @property
    def is_calendar(self) -> bool:
        return self.mime_type in CALENDAR_TYPES or self.filename.lower().endswith(".ics")

    @property
    def is_attachment(self) -> bool:
        return bool(self.filename) or (self.header("Content-Disposition") or "").lower().startswith("attachment")


@dataclass(frozen=True)
class GmailMessage:
    id: str
    thread_id: str
    history_id: int
    internal_date: datetime | None
    label_ids: tuple[str, ...]
    snippet: str
    payload: MessagePart | None = None  # format full / metadata
    raw: bytes | None = None  # format raw: the RFC 822 bytes

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "GmailMessage":
        internal = data.get("internalDate")
        return cls(
            id=str(data.get("id", "")),
            thread_id=str(data.get("threadId", "")),
            history_id=int(data.get("historyId") or 0),
            internal_date=datetime.fromtimestamp(int(internal) / 1000, timezone.utc) if internal else None,
            label_ids=tuple(data.get("labelIds") or ()),
            snippet=html.unescape(str(data.get("snippet", ""))),
            payload=MessagePart.from_json(data["payload"]) if data.get("payload") else None,
            raw=b64url_decode(data["raw"]) if data.get("raw") else None,
        )

    def header(self, name: str) -> str | None:
        if self.payload is not None:
            return self.payload.header(name)
        if self.raw is not None:
            value = self.email_message().get(name)
            return str(value) if value is not None else None
        return None

    @property
    def subject(self) -> str:
        return self.header("Subject") or ""

    @property
    def sender(self) -> str:
        return self.header("From") or ""

    def email_message(self) -> EmailMessage:
        """The raw message parsed by the standard library (format raw only)."""
        if self.raw is None:
            raise ValueError("fetch the message with format='raw' to parse it")
        return email.message_from_bytes(self.raw, policy=email.policy.default)  # type: ignore[return-value]

    def parts(self) -> list[MessagePart]:
        return list(self.payload.walk()) if self.payload else []

    def text(self) -> str:
        """The readable body: inline text/plain parts, else text/html without tags."""
        plain = [p.data.decode("utf-8", "replace") for p in self.parts()
                 if p.mime_type == "text/plain" and p.data is not None and not p.is_attachment]
        if any(text.strip() for text in plain):
            return "\n".join(plain)
        rich = [p.data.decode("utf-8", "replace") for p in self.parts()
                if p.mime_type == "text/html" and p.data is not None and not p.is_attachment]
        return html.unescape(_TAG.sub(" ", "\n".join(rich)))

    def calendar_parts(self) -> list[MessagePart]:
        """Invite parts: ``text/calendar`` inline, or an ``.ics`` / ``application/ics`` attachment."""
        return [p for p in self.parts() if p.is_calendar]


@dataclass(frozen=True)
class MessagePage:
    ids: list[str]
    next_page_token: str | None
    result_size_estimate: int


@dataclass(frozen=True)
class HistoryPage:
    """Messages added since a history id (oldest first, no repeats) and the id to continue from."""

    added: list[str]
    history_id: int
    next_page_token: str | None = None


@dataclass(frozen=True)
class GmailProfile:
    email: str
    history_id: int
    messages_total: int


class GmailClient:
    """One teammate's mailbox (``userId="me"``: with delegation, "me" is the impersonated user)."""

    def __init__(self, session: ApiSession) -> None:
        self.session = session
        # googleapiclient builds every method of a resource each time it is asked for one; a
        # confirmation cycle reads dozens of messages per teammate, so they are built once here.
        self._resources: dict[tuple[int, str], tuple[Any, Any]] = {}

    @property
    def user_email(self) -> str:
        return self.session.user_email

    def _users(self, service: Any) -> Any:
        return self._resource(service, "users", lambda: service.users())

    def _messages(self, service: Any) -> Any:
        return self._resource(service, "messages", lambda: self._users(service).messages())

    def _resource(self, service: Any, name: str, build: Callable[[], Any]) -> Any:
        key = (id(service), name)
        cached = self._resources.get(key)
        if cached is None or cached[0] is not service:
            cached = self._resources[key] = (service, build())
        return cached[1]

    def profile(self) -> GmailProfile:
        answer = self.session.execute(lambda s: self._users(s).getProfile(userId=ME), "users.getProfile")
        return GmailProfile(str(answer.get("emailAddress", "")), int(answer.get("historyId") or 0),
                            int(answer.get("messagesTotal") or 0))

    def list_messages(self, query: str = "", *, label_ids: Sequence[str] = (), max_results: int = 100,
                      page_token: str | None = None) -> MessagePage:
        """One page of message ids matching a Gmail search (``from:x subject:"y" newer_than:2d``)."""
        params: dict[str, Any] = {"userId": ME, "maxResults": max_results}
        if query:
            params["q"] = query
        if label_ids:
            params["labelIds"] = list(label_ids)
        if page_token:
            params["pageToken"] = page_token
        answer = self.session.execute(lambda s: self._messages(s).list(**params), "messages.list")
        return MessagePage([str(m["id"]) for m in answer.get("messages") or []], answer.get("nextPageToken"),
                           int(answer.get("resultSizeEstimate") or 0))

    def iter_message_ids(self, query: str = "", limit: int = 500) -> Iterator[str]:
        """Every id matching ``query``, newest first, following pages up to ``limit``."""
        token: str | None = None
        seen = 0
        for _ in range(MAX_PAGES):
            page = self.list_messages(query, max_results=min(500, limit - seen), page_token=token)
            for message_id in page.ids:
                yield message_id
                seen += 1
                if seen >= limit:
                    return
            token = page.next_page_token
            if not token:
                return

    def latest(self, query: str) -> GmailMessage | None:
        """The newest message matching ``query`` in full, or None (e.g. a code e-mailed to the teammate)."""
        page = self.list_messages(query, max_results=1)
        return self.get_message(page.ids[0]) if page.ids else None

    def get_message(self, message_id: str, format: str = "full", metadata_headers: Sequence[str] = ()) -> GmailMessage:
        params: dict[str, Any] = {"userId": ME, "id": message_id, "format": format}
        if metadata_headers:
            params["metadataHeaders"] = list(metadata_headers)
        answer = self.session.execute(lambda s: self._messages(s).get(**params), "messages.get")
        return GmailMessage.from_json(answer)

    def history(self, start_history_id: int, *, history_types: Sequence[str] = ("messageAdded",),
                page_token: str | None = None, max_results: int = 500) -> HistoryPage:
        """One page of changes after ``start_history_id``; :class:`HistoryTooOld` when Google forgot it."""
        params: dict[str, Any] = {"userId": ME, "startHistoryId": str(start_history_id),
                                  "historyTypes": list(history_types), "maxResults": max_results}
        if page_token:
            params["pageToken"] = page_token
        try:
            answer = self.session.execute(lambda s: self._users(s).history().list(**params), "history.list")
        except NotFound as exc:
            raise HistoryTooOld(
                f"Gmail no longer has history from id {start_history_id} for {self.user_email}; do a full sync",
                status=exc.status, reason=exc.reason,
            ) from None
        added: list[str] = []
        for record in answer.get("history") or []:
            for item in record.get("messagesAdded") or []:
                message_id = str((item.get("message") or {}).get("id", ""))
                if message_id and message_id not in added:
                    added.append(message_id)
        return HistoryPage(added, int(answer.get("historyId") or start_history_id), answer.get("nextPageToken"))

    def changes_since(self, start_history_id: int) -> HistoryPage:
        """Every message added after ``start_history_id`` (all pages) and the newest history id."""
        added: list[str] = []
        token: str | None = None
        latest = start_history_id
        for _ in range(MAX_PAGES):
            page = self.history(start_history_id, page_token=token)
            added.extend(m for m in page.added if m not in added)
            latest = max(latest, page.history_id)
            token = page.next_page_token
            if not token:
                break
        return HistoryPage(added, latest)

    def attachment(self, message_id: str, attachment_id: str) -> bytes:
        answer = self.session.execute(
            lambda s: self._messages(s).attachments().get(userId=ME, messageId=message_id, id=attachment_id),
            "messages.attachments.get",
        )
        return b64url_decode(str(answer.get("data") or ""))

    def part_bytes(self, message: GmailMessage, part: MessagePart) -> bytes:
        """A part's content, inline or fetched as an attachment."""
        if part.data is not None:
            return part.data
        if part.attachment_id:
            return self.attachment(message.id, part.attachment_id)
        return b""

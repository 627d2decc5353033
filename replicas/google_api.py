"""A loopback fake of Google Calendar v3, Gmail v1 and Google's OAuth token endpoint.

The *real* google-api-python-client talks to it: build the client with
``client_options={"api_endpoint": fake.calendar_endpoint}`` (``…/calendar/v3/``) or
``fake.gmail_endpoint`` (the root), and credentials whose token endpoint is ``fake.token_uri``.

Every request is checked against the discovery document shipped with the client
(:mod:`replicas.google_discovery`: method and path, required and known parameters, body field
names); a request that breaks the contract gets a 400 and is listed in :attr:`GoogleFake.problems`,
so a test fails even if our code swallowed the error. Every request is recorded in
:attr:`GoogleFake.calls`.

Modelled: ``freeBusy.query``; ``events.insert/get/patch/delete/list/import`` (client ids in
base32hex, 409 on a repeated id, private extended properties, iCalUID); Gmail
``users.getProfile``, ``messages.list`` (a ``q`` subset, see :mod:`replicas.gmail_search`),
``messages.get`` (full/raw/metadata/minimal), ``history.list`` (404 once the start id is too
old) and ``messages.attachments.get``; the token endpoint for service-account JWTs (signature,
audience, domain-wide delegation and its scopes checked) and for refresh tokens.

Test-facing API: users and their busy blocks (:meth:`set_busy`), key and token files
(:meth:`service_account_key`, :meth:`oauth_token_info`), mail delivery (:meth:`deliver`), faults
(:meth:`fail`: 429 with Retry-After, 500, 409, 404…), and the state to assert on.
"""
from __future__ import annotations

import base64
import copy
import email
import email.policy
import email.utils
import functools
import hashlib
import itertools
import json
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.message import EmailMessage
from typing import Any, Callable, Iterable, Sequence
from urllib.parse import unquote_plus, urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from replicas.gmail_search import MailFacts, UnsupportedQuery, compile_query
from replicas.google_discovery import DiscoveryApi, DiscoveryMethod, load_api
from replicas.server import LoopbackServer, Request, Response

UTC = timezone.utc
GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
CALENDAR_SCOPE_ROOT = "https://www.googleapis.com/auth/"
ALL_TEST_SCOPES = (
    "https://www.googleapis.com/auth/calendar.events",
    "https://www.googleapis.com/auth/calendar.freebusy",
    "https://www.googleapis.com/auth/gmail.readonly",
)
EVENT_ID = re.compile(r"[a-v0-9]{5,1024}")
STATUS_NAMES = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
                409: "ALREADY_EXISTS", 410: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL",
                501: "UNIMPLEMENTED", 503: "UNAVAILABLE"}
DEFAULT_REASONS = {400: "invalid", 401: "authError", 403: "forbidden", 404: "notFound", 409: "duplicate",
                   410: "deleted", 429: "rateLimitExceeded", 500: "backendError", 503: "backendError"}


@dataclass
class GoogleCall:
    """One request the fake received."""

    api: str  # "calendar" | "gmail" | "oauth2"
    method: str  # discovery id, e.g. "calendar.events.insert", or "oauth2.token"
    http_method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    user: str | None  # whose token it carried
    status: int = 0


@dataclass
class _Failure:
    status: int
    remaining: int
    retry_after: str | None
    reason: str | None
    message: str | None
    after: bool = False  # the request is carried out, then its answer is lost behind the error


@dataclass
class _Mail:
    id: str
    thread_id: str
    history_id: int
    received: datetime
    labels: list[str]
    raw: bytes
    message: EmailMessage


@dataclass
class _User:
    email: str
    time_zone: str
    busy: list[tuple[datetime, datetime]] = field(default_factory=list)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    mail: list[_Mail] = field(default_factory=list)
    history_id: int = 4100
    oldest_history_id: int = 4100


@dataclass
class _ServiceAccount:
    client_email: str
    client_id: str
    public_key: Any
    delegated_scopes: set[str]
    revoked: bool = False


@dataclass
class _Grant:
    user: str
    scopes: frozenset[str]


class _ApiError(Exception):
    def __init__(self, status: int, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.reason = reason or DEFAULT_REASONS.get(status, "invalid")


@functools.lru_cache(maxsize=1)
def _test_private_key() -> Any:
    """One RSA key per process: generating one costs ~0.1 s and the fake only needs it to verify JWTs."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def google_error(status: int, message: str, reason: str | None = None,
                 headers: dict[str, str] | None = None) -> Response:
    """An error body shaped like Google's JSON APIs answer."""
    reason = reason or DEFAULT_REASONS.get(status, "invalid")
    body = {"error": {"code": status, "message": message,
                      "errors": [{"message": message, "domain": "global", "reason": reason}],
                      "status": STATUS_NAMES.get(status, "UNKNOWN")}}
    return Response.json(body, status, headers)


class GoogleFake(LoopbackServer):
    """Google Calendar, Gmail and OAuth on 127.0.0.1. All state is guarded by ``self.lock``."""

    def __init__(self, now: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self._now_fn = now or (lambda: datetime.now(UTC))
        self.calendar_api = load_api("calendar", "v3")
        self.gmail_api = load_api("gmail", "v1")
        self._users: dict[str, _User] = {}
        self._service_accounts: dict[str, _ServiceAccount] = {}
        self._oauth_clients: dict[str, str] = {}
        self._refresh_tokens: dict[str, _Grant] = {}
        self._access_tokens: dict[str, _Grant] = {}
        self._codes: dict[str, dict[str, Any]] = {}
        self._consenting_user: str | None = None
        self._failures: dict[str, list[_Failure]] = {}
        self._calls: list[GoogleCall] = []
        self._problems: list[str] = []
        self._ids = itertools.count(1)
        self._calendar_handlers: dict[str, Callable[..., Any]] = {
            "calendar.freebusy.query": self._freebusy_query,
            "calendar.events.insert": self._events_insert,
            "calendar.events.get": self._events_get,
            "calendar.events.patch": self._events_patch,
            "calendar.events.delete": self._events_delete,
            "calendar.events.list": self._events_list,
            "calendar.events.import": self._events_import,
        }
        self._gmail_handlers: dict[str, Callable[..., Any]] = {
            "gmail.users.getProfile": self._gmail_profile,
            "gmail.users.messages.list": self._messages_list,
            "gmail.users.messages.get": self._messages_get,
            "gmail.users.history.list": self._history_list,
            "gmail.users.messages.attachments.get": self._attachments_get,
        }
        self.add_route("POST", r"/token", self._token)
        self.add_route("GET", r"/o/oauth2/auth", self._consent)
        for verb in ("GET", "POST", "PATCH", "PUT", "DELETE"):
            self.add_route(verb, r"/calendar/v3/(?P<rest>.*)", self._handle_calendar)
            self.add_route(verb, r"/(?P<rest>gmail/v1/.*)", self._handle_gmail)

    # -- addresses ----------------------------------------------------------------------------------
    @property
    def calendar_endpoint(self) -> str:
        return f"{self.url}/calendar/v3/"

    @property
    def gmail_endpoint(self) -> str:
        return f"{self.url}/"

    @property
    def token_uri(self) -> str:
        return f"{self.url}/token"

    def now(self) -> datetime:
        return self._now_fn().astimezone(UTC)

    # -- test-facing: people, calendars, credentials ------------------------------------------------
    def add_user(self, email: str, time_zone: str = "Europe/Helsinki") -> None:
        """A Workspace user the token endpoint can impersonate, with a primary calendar and a mailbox."""
        ZoneInfo(time_zone)
        with self.lock:
            user = self._users.get(email.casefold())
            if user is None:
                self._users[email.casefold()] = _User(email, time_zone)
            else:
                user.time_zone = time_zone

    def _user(self, email: str) -> _User:
        user = self._users.get(email.casefold())
        if user is None:
            raise KeyError(f"{email} is not a user of the fake; add_user() first")
        return user

    def set_busy(self, email: str, blocks: Iterable[tuple[datetime, datetime]]) -> None:
        """Replace the user's busy blocks (other meetings that are not events we created)."""
        checked = []
        for start, end in blocks:
            if start.tzinfo is None or end.tzinfo is None or end <= start:
                raise ValueError(f"busy block {start}–{end} must be aware and non-empty")
            checked.append((start.astimezone(UTC), end.astimezone(UTC)))
        with self.lock:
            if email.casefold() not in self._users:
                self.add_user(email)
            self._user(email).busy = checked

    def add_busy(self, email: str, start: datetime, end: datetime) -> None:
        with self.lock:
            if email.casefold() not in self._users:
                self.add_user(email)
            self.set_busy(email, [*self._user(email).busy, (start, end)])

    def events(self, email: str, include_cancelled: bool = False) -> list[dict[str, Any]]:
        """The user's primary-calendar events as Google stores them, ordered by start."""
        with self.lock:
            items = [e for e in self._user(email).events.values() if include_cancelled or e["status"] != "cancelled"]
            return copy.deepcopy(sorted(items, key=lambda e: self._event_bounds(e)[0]))

    def service_account_key(self, client_email: str = "booker@axa-booker.iam.gserviceaccount.com", *,
                            client_id: str = "104857600000000000001",
                            delegated_scopes: Sequence[str] | None = ALL_TEST_SCOPES) -> dict[str, Any]:
        """A service-account JSON key whose ``token_uri`` is this fake; ``delegated_scopes`` is what a
        Workspace admin granted its client ID (None: no domain-wide delegation at all)."""
        from cryptography.hazmat.primitives import serialization

        key = _test_private_key()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode("ascii")
        with self.lock:
            self._service_accounts[client_email] = _ServiceAccount(
                client_email, client_id, key.public_key(), set(delegated_scopes or ()))
        return {
            "type": "service_account", "project_id": "axa-booker", "private_key_id": secrets.token_hex(20),
            "private_key": pem, "client_email": client_email, "client_id": client_id,
            "auth_uri": f"{self.url}/o/oauth2/auth", "token_uri": self.token_uri,
            "auth_provider_x509_cert_url": f"{self.url}/oauth2/v1/certs",
            "client_x509_cert_url": f"{self.url}/robot/v1/metadata/x509/{client_email}",
            "universe_domain": "googleapis.com",
        }

    def delegate(self, client_email: str, scopes: Sequence[str]) -> None:
        """Change what the admin granted a service account under domain-wide delegation."""
        with self.lock:
            self._service_accounts[client_email].delegated_scopes = set(scopes)

    def revoke_key(self, client_email: str) -> None:
        with self.lock:
            self._service_accounts[client_email].revoked = True

    def oauth_token_info(self, email: str, scopes: Sequence[str] = ALL_TEST_SCOPES, *,
                         client_id: str = "booker-desktop.apps.googleusercontent.com",
                         client_secret: str = "booker-desktop-secret") -> dict[str, Any]:
        """An installed-app ``token.json`` (type authorized_user) for ``email``, refreshable here."""
        refresh_token = "1//fake-refresh-" + secrets.token_urlsafe(12)
        with self.lock:
            if email.casefold() not in self._users:
                self.add_user(email)
            self._oauth_clients[client_id] = client_secret
            self._refresh_tokens[refresh_token] = _Grant(email, frozenset(scopes))
        return {"type": "authorized_user", "client_id": client_id, "client_secret": client_secret,
                "refresh_token": refresh_token, "token_uri": self.token_uri, "scopes": list(scopes),
                "universe_domain": "googleapis.com", "account": ""}

    def oauth_client_secrets(self, client_id: str = "booker-desktop.apps.googleusercontent.com",
                             client_secret: str = "booker-desktop-secret") -> dict[str, Any]:
        """A Desktop-app OAuth client JSON (what Cloud console downloads) whose endpoints are this fake."""
        with self.lock:
            self._oauth_clients[client_id] = client_secret
        return {"installed": {"client_id": client_id, "client_secret": client_secret, "project_id": "axa-booker",
                              "auth_uri": f"{self.url}/o/oauth2/auth", "token_uri": self.token_uri,
                              "redirect_uris": ["http://localhost"]}}

    def authorize_as(self, email: str) -> None:
        """Who is signed in to the consent page: they approve every consent request."""
        with self.lock:
            if email.casefold() not in self._users:
                self.add_user(email)
            self._consenting_user = email

    def revoke_refresh_token(self, refresh_token: str) -> None:
        with self.lock:
            self._refresh_tokens.pop(refresh_token, None)

    def issue_token(self, email: str, scopes: Sequence[str] = ALL_TEST_SCOPES) -> str:
        """A bearer token straight away (for tests that don't exercise the token endpoint)."""
        token = "ya29.fake-" + secrets.token_urlsafe(16)
        with self.lock:
            if email.casefold() not in self._users:
                self.add_user(email)
            self._access_tokens[token] = _Grant(email, frozenset(scopes))
        return token

    # -- test-facing: faults and records -------------------------------------------------------------
    def fail(self, method: str, *, status: int = 500, times: int = 1, retry_after: int | str | None = None,
             reason: str | None = None, message: str | None = None, after_success: bool = False) -> None:
        """Make the next ``times`` calls to ``method`` (e.g. "calendar.events.insert", "oauth2.token") fail.

        ``after_success``: Google does the work (the event exists) but the client gets the error, as
        when a 500 or a dropped connection hides a request that went through.
        """
        with self.lock:
            self._failures.setdefault(method, []).append(
                _Failure(status, times, None if retry_after is None else str(retry_after), reason, message,
                         after_success))

    @property
    def calls(self) -> list[GoogleCall]:
        with self.lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[GoogleCall]:
        with self.lock:
            return [c for c in self._calls if c.method == method]

    @property
    def issued_tokens(self) -> list[str]:
        """Every access and refresh token handed out so far (for tests that grep logs for secrets)."""
        with self.lock:
            return [*self._access_tokens, *self._refresh_tokens]

    @property
    def problems(self) -> list[str]:
        """Requests that broke the discovery contract (each also got a 400)."""
        with self.lock:
            return list(self._problems)

    def reset(self) -> None:
        with self.lock:
            self._users.clear()
            self._failures.clear()
            self._calls.clear()
            self._problems.clear()
            self._access_tokens.clear()
            self._refresh_tokens.clear()

    # -- test-facing: mail -----------------------------------------------------------------------------
    def deliver(self, to: str, *, sender: str, subject: str, text: str | None = None, html: str | None = None,
                ics: str | None = None, ics_method: str = "REQUEST", ics_as_attachment: bool = False,
                attachments: Sequence[tuple[str, str, bytes]] = (), at: datetime | None = None,
                headers: dict[str, str] | None = None, thread_of: str | None = None) -> str:
        """Put a mail in ``to``'s inbox and bump their history id; returns the Gmail message id.

        ``ics`` is an iCalendar text: inline as a ``text/calendar; method=…`` alternative (as Google
        and Outlook send invites), or with ``ics_as_attachment`` an ``invite.ics`` attachment.
        ``attachments`` are (filename, mime type, bytes).
        """
        message = EmailMessage(policy=email.policy.SMTP)
        message["From"] = sender
        message["To"] = to
        message["Subject"] = subject
        moment = (at or self.now()).astimezone(UTC)
        message["Date"] = email.utils.format_datetime(moment)
        message["Message-ID"] = email.utils.make_msgid(domain="fake.mail.example")
        for key, value in (headers or {}).items():
            message[key] = value
        if text is None and html is not None:
            message.set_content(html, subtype="html")
        else:
            message.set_content(text or "")
            if html is not None:
                message.add_alternative(html, subtype="html")
        if ics is not None and not ics_as_attachment:
            message.add_alternative(ics, subtype="calendar", params={"method": ics_method})
        if ics is not None and ics_as_attachment:
            message.add_attachment(ics.encode("utf-8"), maintype="application", subtype="ics", filename="invite.ics")
        for filename, mime, content in attachments:
            maintype, _, subtype = mime.partition("/")
            message.add_attachment(content, maintype=maintype, subtype=subtype or "octet-stream", filename=filename)
        return self.deliver_raw(to, message.as_bytes(), at=moment, thread_of=thread_of)

    def deliver_raw(self, to: str, raw: bytes, *, at: datetime | None = None, thread_of: str | None = None) -> str:
        """Put an RFC 822 message in ``to``'s inbox as is."""
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        with self.lock:
            if to.casefold() not in self._users:
                self.add_user(to)
            user = self._user(to)
            message_id = f"{0x19a0000000000000 + next(self._ids):016x}"
            thread = next((m.thread_id for m in user.mail if m.id == thread_of), message_id)
            user.history_id += 7  # real history ids grow with gaps
            user.mail.append(_Mail(message_id, thread, user.history_id, (at or self.now()).astimezone(UTC),
                                   ["INBOX", "UNREAD"], raw, parsed))  # type: ignore[arg-type]
        return message_id

    def history_id(self, email_address: str) -> int:
        with self.lock:
            return self._user(email_address).history_id

    def expire_history(self, email_address: str) -> None:
        """Forget history: a history.list from any older id now answers 404 (do a full sync)."""
        with self.lock:
            user = self._user(email_address)
            user.oldest_history_id = user.history_id

    # -- HTTP: the token endpoint ------------------------------------------------------------------------
    def _token(self, request: Request) -> Response:
        form = request.form()
        basic = request.header("authorization") or ""
        if basic.startswith("Basic "):  # client authentication as HTTP Basic, as requests-oauthlib sends it
            client_id, _, client_secret = base64.b64decode(basic[6:]).decode().partition(":")
            form.setdefault("client_id", unquote_plus(client_id))
            form.setdefault("client_secret", unquote_plus(client_secret))
        call = GoogleCall("oauth2", "oauth2.token", "POST", request.path, {}, {k: v for k, v in form.items()
                                                                              if k not in {"client_secret"}}, None)
        with self.lock:
            self._calls.append(call)
            injected = self._take_failure("oauth2.token")
            if injected is not None:
                call.status = injected.status
                return Response.json({"error": injected.reason or "internal_failure",
                                      "error_description": injected.message or "Injected failure"},
                                     injected.status, self._retry_headers(injected))
            grant_type = form.get("grant_type", "")
            if grant_type == JWT_BEARER:
                status, body = self._jwt_grant(form.get("assertion", ""))
            elif grant_type == "refresh_token":
                status, body = self._refresh_grant(form)
            elif grant_type == "authorization_code":
                status, body = self._code_grant(form)
            else:
                status, body = 400, {"error": "unsupported_grant_type", "error_description": f"Invalid grant_type: {grant_type}"}
            if status == 200:
                call.user = self._access_tokens[body["access_token"]].user
            call.status = status
        return Response.json(body, status)

    def _issue(self, grant: _Grant) -> dict[str, Any]:
        token = "ya29.fake-" + secrets.token_urlsafe(16)
        self._access_tokens[token] = grant
        return {"access_token": token, "expires_in": 3599, "token_type": "Bearer", "scope": " ".join(sorted(grant.scopes))}

    def _jwt_grant(self, assertion: str) -> tuple[int, dict[str, Any]]:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        invalid = lambda text: (400, {"error": "invalid_grant", "error_description": text})  # noqa: E731
        try:
            head, payload_text, signature = assertion.split(".")
            header = json.loads(_unb64url(head))
            claims = json.loads(_unb64url(payload_text))
        except ValueError:
            return invalid("Invalid JWT: malformed assertion.")
        if header.get("alg") != "RS256":
            return invalid("Invalid JWT: unsupported algorithm.")
        account = self._service_accounts.get(str(claims.get("iss")))
        if account is None or account.revoked:
            return invalid("Invalid JWT Signature.")
        try:
            account.public_key.verify(_unb64url(signature), f"{head}.{payload_text}".encode("ascii"),
                                      padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            return invalid("Invalid JWT Signature.")
        if claims.get("aud") not in {GOOGLE_TOKEN_AUDIENCE, self.token_uri}:
            return invalid("Invalid JWT: Failed audience check.")
        issued, expires = int(claims.get("iat", 0)), int(claims.get("exp", 0))
        if not 0 < expires - issued <= 3600 or expires < time.time() - 300:
            return invalid("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.")
        scopes = frozenset(str(claims.get("scope", "")).split())
        subject = claims.get("sub")
        if not scopes:
            return invalid("Invalid JWT: no scope requested.")
        if not subject:
            return 200, self._issue(_Grant(account.client_email, scopes))
        if not scopes <= account.delegated_scopes:
            return 401, {"error": "unauthorized_client",
                         "error_description": "Client is unauthorized to retrieve access tokens using this method, "
                                              "or client not authorized for any of the scopes requested."}
        if str(subject).casefold() not in self._users:
            return invalid("Invalid email or User ID")
        return 200, self._issue(_Grant(self._users[str(subject).casefold()].email, scopes))

    def _consent(self, request: Request) -> Response:
        """The consent page, approved at once by the signed-in user: redirect back with a code."""
        client_id, redirect_uri = request.arg("client_id", ""), request.arg("redirect_uri", "")
        with self.lock:
            self._calls.append(GoogleCall("oauth2", "oauth2.auth", "GET", request.path, dict(request.query), None,
                                          self._consenting_user, 302))
            if client_id not in self._oauth_clients or not redirect_uri.startswith("http://localhost"):
                return Response.text("Error 400: invalid_request", 400)
            if self._consenting_user is None or request.arg("response_type") != "code":
                return Response.text("Error 400: invalid_request (nobody is signed in)", 400)
            code = "4/fake-" + secrets.token_urlsafe(12)
            self._codes[code] = {"client_id": client_id, "redirect_uri": redirect_uri,
                                 "scopes": frozenset((request.arg("scope") or "").split()),
                                 "user": self._consenting_user, "challenge": request.arg("code_challenge")}
        query = urlencode({"state": request.arg("state", ""), "code": code, "scope": request.arg("scope", "")})
        return Response.redirect(f"{redirect_uri}?{query}", 302)

    def _code_grant(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        grant = self._codes.pop(form.get("code", ""), None)
        if self._oauth_clients.get(form.get("client_id", "")) != form.get("client_secret"):
            return 401, {"error": "invalid_client", "error_description": "Unauthorized"}
        if grant is None or grant["client_id"] != form.get("client_id") or grant["redirect_uri"] != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant", "error_description": "Malformed auth code."}
        if grant["challenge"]:
            digest = _b64url(hashlib.sha256(form.get("code_verifier", "").encode("ascii")).digest())
            if digest != grant["challenge"]:
                return 400, {"error": "invalid_grant", "error_description": "Invalid code verifier."}
        refresh_token = "1//fake-refresh-" + secrets.token_urlsafe(12)
        self._refresh_tokens[refresh_token] = _Grant(grant["user"], grant["scopes"])
        return 200, {**self._issue(_Grant(grant["user"], grant["scopes"])), "refresh_token": refresh_token}

    def _refresh_grant(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        client_id = form.get("client_id", "")
        if self._oauth_clients.get(client_id) != form.get("client_secret"):
            return 401, {"error": "invalid_client", "error_description": "Unauthorized"}
        grant = self._refresh_tokens.get(form.get("refresh_token", ""))
        if grant is None:
            return 400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
        wanted = frozenset(form.get("scope", "").split()) or grant.scopes
        if not wanted <= grant.scopes:
            return 400, {"error": "invalid_scope", "error_description": "Bad Request"}
        return 200, self._issue(_Grant(grant.user, wanted))

    # -- HTTP: the APIs --------------------------------------------------------------------------------
    def _handle_calendar(self, request: Request, rest: str) -> Response:
        return self._handle_api(request, rest, self.calendar_api, self._calendar_handlers, "calendar")

    def _handle_gmail(self, request: Request, rest: str) -> Response:
        return self._handle_api(request, rest, self.gmail_api, self._gmail_handlers, "gmail")

    def _handle_api(self, request: Request, rest: str, api: DiscoveryApi,
                    handlers: dict[str, Callable[..., Any]], api_name: str) -> Response:
        body: Any = None
        body_error = None
        if request.body:
            try:
                body = request.json()
            except ValueError:
                body_error = "the request body is not JSON"
        matched = api.match(request.method, rest)
        call = GoogleCall(api_name, matched[0].id if matched else f"{api_name}:{request.method} {rest}",
                          request.method, request.path, dict(request.query), body, None)
        with self.lock:
            self._calls.append(call)
            response = self._respond(request, rest, matched, api, handlers, body, body_error, call)
            call.status = response.status
        return response

    def _respond(self, request: Request, rest: str, matched: tuple[DiscoveryMethod, dict[str, str]] | None, api: DiscoveryApi,
                 handlers: dict[str, Callable[..., Any]], body: Any, body_error: str | None,
                 call: GoogleCall) -> Response:
        if matched is None:
            problem = f"{request.method} {request.path}: no such method in the {api.name} discovery document"
            self._problems.append(problem)
            return google_error(405 if api.path_exists(rest) else 404, problem)
        method, path_params = matched
        grant = self._grant(request)
        if isinstance(grant, Response):
            return grant
        call.user = grant.user
        if not grant.scopes & set(method.scopes):
            return google_error(403, "Request had insufficient authentication scopes.", "insufficientPermissions")
        injected = self._take_failure(method.id)
        if injected is not None and not injected.after:
            return self._injected(injected)
        problems = [body_error] if body_error else api.check(method, path_params, request.query, body)
        if problems:
            self._problems.extend(problems)
            return google_error(400, problems[0], "invalid")
        handler = handlers.get(method.id)
        if handler is None:
            problem = f"{method.id} is a real method the fake does not model"
            self._problems.append(problem)
            return google_error(501, problem, "notImplemented")
        query = {k: v if method.parameters.get(k, {}).get("repeated") else v[0] for k, v in request.query.items()}
        try:
            status, answer = handler(grant, path_params, query, body)
        except _ApiError as exc:
            return google_error(exc.status, exc.message, exc.reason)
        except UnsupportedQuery as exc:
            self._problems.append(str(exc))
            return google_error(400, f"[fake] {exc}", "invalid")
        if injected is not None:  # done, but the answer is lost
            return self._injected(injected)
        if status == 204:
            return Response(204)
        return Response.json(answer, status)

    def _injected(self, failure: _Failure) -> Response:
        return google_error(failure.status, failure.message or f"Injected failure ({failure.status})",
                            failure.reason, self._retry_headers(failure))

    def _grant(self, request: Request) -> _Grant | Response:
        header = request.header("authorization") or ""
        if not header.startswith("Bearer "):
            return google_error(401, "Request is missing required authentication credential.", "required")
        grant = self._access_tokens.get(header[len("Bearer "):])
        if grant is None:
            return google_error(401, "Invalid Credentials", "authError")
        return grant

    def _take_failure(self, method: str) -> _Failure | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.remaining -= 1
        if failure.remaining <= 0:
            queue.pop(0)
        return failure

    @staticmethod
    def _retry_headers(failure: _Failure) -> dict[str, str]:
        return {"Retry-After": failure.retry_after} if failure.retry_after is not None else {}

    # -- Calendar ---------------------------------------------------------------------------------------
    def _calendar_of(self, grant: _Grant, calendar_id: str) -> _User:
        """Our fake lets a user reach only their own calendar (``primary`` or their e-mail)."""
        if calendar_id == "primary" or calendar_id.casefold() == grant.user.casefold():
            return self._user(grant.user)
        raise _ApiError(404, "Not Found", "notFound")

    def _event_bounds(self, event: dict[str, Any]) -> tuple[datetime, datetime]:
        return self._moment(event["start"], "start"), self._moment(event["end"], "end")

    @staticmethod
    def _moment(value: Any, which: str) -> datetime:
        if not isinstance(value, dict):
            raise _ApiError(400, f"Missing {which} time.", "required")
        zone_name = value.get("timeZone")
        try:
            zone = ZoneInfo(zone_name) if zone_name else None
        except (ZoneInfoNotFoundError, ValueError):
            raise _ApiError(400, f"Invalid time zone definition for {which} time.", "timeRangeEmpty") from None
        if value.get("dateTime"):
            moment = _parse_time(value["dateTime"])
            if moment.tzinfo is None:
                if zone is None:
                    raise _ApiError(400, f"Missing time zone definition for {which} time.", "required")
                moment = moment.replace(tzinfo=zone)
            return moment.astimezone(UTC)
        if value.get("date"):
            day = datetime.fromisoformat(value["date"])
            return day.replace(tzinfo=zone or UTC).astimezone(UTC)
        raise _ApiError(400, f"Missing {which} time.", "required")

    def _freebusy_query(self, grant: _Grant, path: dict[str, str], query: dict[str, Any], body: Any):
        start, end = _parse_time(body["timeMin"]), _parse_time(body["timeMax"])
        if start.tzinfo is None or end.tzinfo is None:
            raise _ApiError(400, "Bad Request: timeMin and timeMax need a time zone offset", "badRequest")
        if end <= start:
            raise _ApiError(400, "The specified time range is empty.", "timeRangeEmpty")
        calendars: dict[str, Any] = {}
        for item in body.get("items") or []:
            calendar_id = str(item.get("id", ""))
            owner = grant.user if calendar_id == "primary" else calendar_id
            user = self._users.get(owner.casefold())
            if user is None:
                calendars[calendar_id] = {"errors": [{"domain": "global", "reason": "notFound"}], "busy": []}
                continue
            blocks = list(user.busy)
            for event in user.events.values():
                if event["status"] != "cancelled" and event.get("transparency") != "transparent":
                    blocks.append(self._event_bounds(event))
            calendars[calendar_id] = {"busy": [{"start": _rfc3339(a), "end": _rfc3339(b)}
                                               for a, b in _merge(blocks, start, end)]}
        return 200, {"kind": "calendar#freeBusy", "timeMin": _rfc3339(start), "timeMax": _rfc3339(end),
                     "calendars": calendars}

    def _store_event(self, user: _User, body: dict[str, Any], event_id: str) -> dict[str, Any]:
        start, end = self._event_bounds(body)
        if end < start:
            raise _ApiError(400, "The specified time range is empty.", "timeRangeEmpty")
        stamp = _rfc3339(self.now())
        event = copy.deepcopy(body)
        event.update(
            kind="calendar#event", id=event_id, status=body.get("status") or "confirmed",
            htmlLink="https://www.google.com/calendar/event?eid=" + _b64url(f"{event_id} {user.email}".encode()),
            created=stamp, updated=stamp, etag=f'"{next(self._ids)}"', sequence=0, eventType="default",
            creator={"email": user.email, "self": True}, organizer={"email": user.email, "self": True},
            reminders=body.get("reminders") or {"useDefault": True},
        )
        event.setdefault("iCalUID", f"{event_id}@google.com")
        for attendee in event.get("attendees") or []:
            attendee.setdefault("responseStatus", "needsAction")
        user.events[event_id] = event
        return event

    def _events_insert(self, grant: _Grant, path: dict[str, str], query: dict[str, Any], body: Any):
        user = self._calendar_of(grant, path["calendarId"])
        if body.get("iCalUID") and body.get("id"):
            raise _ApiError(400, "Cannot set both id and iCalUID.", "invalid")
        event_id = body.get("id") or secrets.token_hex(13)
        if not EVENT_ID.fullmatch(event_id):
            raise _ApiError(400, "Invalid resource id value.", "invalid")
        if event_id in user.events:
            raise _ApiError(409, "The requested identifier already exists.", "duplicate")
        return 200, copy.deepcopy(self._store_event(user, body, event_id))

    def _find_event(self, grant: _Grant, path: dict[str, str]) -> tuple[_User, dict[str, Any]]:
        user = self._calendar_of(grant, path["calendarId"])
        event = user.events.get(path["eventId"])
        if event is None:
            raise _ApiError(404, "Not Found", "notFound")
        return user, event

    def _events_get(self, grant: _Grant, path: dict[str, str], query: dict[str, Any], body: Any):
        _, event = self._find_event(grant, path)
        return 200, copy.deepcopy(event)

    def _events_patch(self, grant: _Grant, path: dict[str, str], query: dict[str, Any], body: Any):
        _, event = self._find_event(grant, path)
        if body.get("id") not in (None, event["id"]):
            raise _ApiError(400, "The event id can't be changed.", "invalid")
        merged = _deep_merge(event, body)
        self._event_bounds(merged)
        if merged.get("start") != event.get("start") or merged.get("end") != event.get("end"):
            merged["sequence"] = int(event.get("sequence", 0)) + 1
        merged["updated"] = _rfc3339(self.now())
        event.clear()
        event.update(merged)
        return 200, copy.deepcopy(event)

    def _events_delete(self, grant: _Grant, path: dict[str, str], query: dict[str, Any], body: Any):
        _, event = self._find_event(grant, path)
        if event["status"] == "cancelled":
            raise _ApiError(410, "Resource has been deleted", "deleted")
        event["status"] = "cancelled"  # the id stays reserved: inserting it again is a 409
        event["updated"] = _rfc3339(self.now())
        return 204, None

    def _events_list(self, grant: _Grant, path: dict[str, str], query: dict[str, Any], body: Any):
        user = self._calendar_of(grant, path["calendarId"])
        wanted_private = [p.split("=", 1) for p in query.get("privateExtendedProperty", [])]
        if any(len(p) != 2 for p in wanted_private):
            raise _ApiError(400, "Invalid privateExtendedProperty; use propertyName=value", "invalid")
        show_deleted = str(query.get("showDeleted", "false")).lower() == "true"
        time_min = _parse_time(query["timeMin"]) if query.get("timeMin") else None
        time_max = _parse_time(query["timeMax"]) if query.get("timeMax") else None
        items = []
        for event in user.events.values():
            if event["status"] == "cancelled" and not show_deleted:
                continue
            private = (event.get("extendedProperties") or {}).get("private") or {}
            if any(private.get(k) != v for k, v in wanted_private):
                continue
            if query.get("iCalUID") and event.get("iCalUID") != query["iCalUID"]:
                continue
            start, end = self._event_bounds(event)
            if (time_min and end <= time_min) or (time_max and start >= time_max):
                continue
            items.append(event)
        items.sort(key=lambda e: self._event_bounds(e)[0])
        size = min(int(query.get("maxResults") or 250), 2500)
        offset = int(query.get("pageToken") or 0)
        page = items[offset:offset + size]
        answer: dict[str, Any] = {"kind": "calendar#events", "summary": user.email, "timeZone": user.time_zone,
                                  "updated": _rfc3339(self.now()), "items": copy.deepcopy(page)}
        if offset + size < len(items):
            answer["nextPageToken"] = str(offset + size)
        return 200, answer

    def _events_import(self, grant: _Grant, path: dict[str, str], query: dict[str, Any], body: Any):
        user = self._calendar_of(grant, path["calendarId"])
        uid = body.get("iCalUID")
        if not uid:
            raise _ApiError(400, "Missing iCalUID.", "required")
        if body.get("id"):
            raise _ApiError(400, "Cannot set an id on events.import.", "invalid")
        existing = next((e for e in user.events.values() if e.get("iCalUID") == uid), None)
        if existing is not None:  # [U] invented detail: importing a known iCalUID updates that event
            merged = _deep_merge(existing, body)
            merged["updated"] = _rfc3339(self.now())
            merged["status"] = body.get("status") or "confirmed"
            existing.clear()
            existing.update(merged)
            return 200, copy.deepcopy(existing)
        event_id = f"{next(self._ids):05d}" + secrets.token_hex(8)
        return 200, copy.deepcopy(self._store_event(user, body, event_id))

    # -- Gmail -------------------------------------------------------------------------------------------
    def _mailbox(self, grant: _Grant, path: dict[str, str]) -> _User:
        wanted = path["userId"]
        if wanted != "me" and wanted.casefold() != grant.user.casefold():
            raise _ApiError(403, f"Delegation denied for {grant.user}", "forbidden")
        return self._user(grant.user)

    def _gmail_profile(self, grant: _Grant, path: dict[str, str], query: dict[str, Any], body: Any):
        user = self._mailbox(grant, path)
        return 200, {"emailAddress": user.email, "messagesTotal": len(user.mail),
                     "threadsTotal": len({m.thread_id for m in user.mail}), "historyId": str(user.history_id)}

    def _facts(self, mail: _Mail) -> MailFacts:
        names = tuple(part.get_filename() or "" for part in mail.message.walk() if part.get_filename())
        return MailFacts(sender=str(mail.message.get("From", "")), recipients=str(mail.message.get("To", "")),
                         subject=str(mail.message.get("Subject", "")), body=_body_text(mail.message),
                         received=mail.received, attachment_names=names)

    def _messages_list(self, grant: _Grant, path: dict[str, str], query: dict[str, Any], body: Any):
        user = self._mailbox(grant, path)
        matches = compile_query(str(query.get("q") or ""), self.now())
        labels = set(query.get("labelIds") or [])
        found = [m for m in sorted(user.mail, key=lambda m: (m.received, m.history_id), reverse=True)
                 if labels <= set(m.labels) and matches(self._facts(m))]
        size = max(1, min(int(query.get("maxResults") or 100), 500))
        offset = int(query.get("pageToken") or 0)
        page = found[offset:offset + size]
        answer: dict[str, Any] = {"resultSizeEstimate": len(found)}
        if page:
            answer["messages"] = [{"id": m.id, "threadId": m.thread_id} for m in page]
        if offset + size < len(found):
            answer["nextPageToken"] = str(offset + size)
        return 200, answer

    def _mail(self, user: _User, message_id: str) -> _Mail:
        found = next((m for m in user.mail if m.id == message_id), None)
        if found is None:
            raise _ApiError(404, "Requested entity was not found.", "notFound")
        return found

    def _messages_get(self, grant: _Grant, path: dict[str, str], query: dict[str, Any], body: Any):
        user = self._mailbox(grant, path)
        mail = self._mail(user, path["id"])
        fmt = query.get("format") or "full"
        answer: dict[str, Any] = {"id": mail.id, "threadId": mail.thread_id, "labelIds": list(mail.labels),
                                  "snippet": _body_text(mail.message)[:100], "historyId": str(mail.history_id),
                                  "internalDate": str(int(mail.received.timestamp() * 1000)),
                                  "sizeEstimate": len(mail.raw)}
        if fmt == "raw":
            answer["raw"] = _b64url(mail.raw)
        elif fmt == "full":
            answer["payload"] = _part_json(mail.message, "", mail.id)
        elif fmt == "metadata":
            wanted = {h.casefold() for h in query.get("metadataHeaders") or []}
            headers = [{"name": k, "value": str(v)} for k, v in mail.message.items()
                       if not wanted or k.casefold() in wanted]
            answer["payload"] = {"partId": "", "mimeType": mail.message.get_content_type(), "filename": "",
                                 "headers": headers, "body": {"size": 0}}
        return 200, answer

    def _history_list(self, grant: _Grant, path: dict[str, str], query: dict[str, Any], body: Any):
        user = self._mailbox(grant, path)
        if not query.get("startHistoryId"):
            raise _ApiError(400, "Missing startHistoryId", "invalidArgument")
        start = int(query["startHistoryId"])
        if start < user.oldest_history_id:
            raise _ApiError(404, "Requested entity was not found.", "notFound")
        types = set(query.get("historyTypes") or ["messageAdded"])
        records = []
        if "messageAdded" in types:
            for mail in user.mail:
                if mail.history_id > start and (not query.get("labelId") or query["labelId"] in mail.labels):
                    short = {"id": mail.id, "threadId": mail.thread_id}
                    records.append({"id": str(mail.history_id), "messages": [short],
                                    "messagesAdded": [{"message": {**short, "labelIds": list(mail.labels)}}]})
        size = max(1, min(int(query.get("maxResults") or 100), 500))
        offset = int(query.get("pageToken") or 0)
        answer: dict[str, Any] = {"historyId": str(user.history_id)}
        if records[offset:offset + size]:
            answer["history"] = records[offset:offset + size]
        if offset + size < len(records):
            answer["nextPageToken"] = str(offset + size)
        return 200, answer

    def _attachments_get(self, grant: _Grant, path: dict[str, str], query: dict[str, Any], body: Any):
        user = self._mailbox(grant, path)
        mail = self._mail(user, path["messageId"])
        for part_id, part in _leaf_parts(mail.message, ""):
            if _attachment_id(mail.id, part_id) == path["id"]:
                data = part.get_payload(decode=True) or b""
                return 200, {"attachmentId": path["id"], "size": len(data), "data": _b64url(data)}
        raise _ApiError(404, "Requested entity was not found.", "notFound")


# -- helpers ------------------------------------------------------------------------------------------
def _merge(blocks: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Busy blocks clipped to [start, end) and merged where they touch, as freeBusy answers."""
    clipped = sorted((max(a, start), min(b, end)) for a, b in blocks if a < end and b > start)
    merged: list[tuple[datetime, datetime]] = []
    for a, b in clipped:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _deep_merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Patch semantics: objects merge field by field, everything else (arrays too) is replaced."""
    merged = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _attachment_id(message_id: str, part_id: str) -> str:
    return "ANGjdJ" + _b64url(f"{message_id}/{part_id}".encode())


def _is_attachment(part: Any) -> bool:
    return bool(part.get_filename()) or str(part.get("Content-Disposition", "")).lower().startswith("attachment")


def _leaf_parts(part: Any, part_id: str):  # type: ignore[no-untyped-def]
    if part.is_multipart():
        for index, child in enumerate(part.iter_parts()):
            yield from _leaf_parts(child, f"{part_id}.{index}" if part_id else str(index))
    else:
        yield part_id, part


def _part_json(part: Any, part_id: str, message_id: str) -> dict[str, Any]:
    """A MIME part as Gmail's ``format=full`` MessagePart: inline data, or an attachmentId."""
    node: dict[str, Any] = {"partId": part_id, "mimeType": part.get_content_type(),
                            "filename": part.get_filename() or "",
                            "headers": [{"name": k, "value": str(v)} for k, v in part.items()]}
    if part.is_multipart():
        node["body"] = {"size": 0}
        node["parts"] = [_part_json(child, f"{part_id}.{i}" if part_id else str(i), message_id)
                         for i, child in enumerate(part.iter_parts())]
        return node
    data = part.get_payload(decode=True) or b""
    if _is_attachment(part):
        node["body"] = {"size": len(data), "attachmentId": _attachment_id(message_id, part_id)}
    else:
        node["body"] = {"size": len(data), "data": _b64url(data)}
    return node


def _body_text(message: Any) -> str:
    texts = []
    for part in message.walk():
        if part.get_content_type() in ("text/plain", "text/html") and not _is_attachment(part):
            content = part.get_content() if hasattr(part, "get_content") else ""
            texts.append(re.sub(r"<[^>]+>", " ", str(content)) if part.get_content_type() == "text/html" else str(content))
    return " ".join(" ".join(texts).split())

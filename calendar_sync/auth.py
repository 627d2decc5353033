"""Google credentials, both ways real deployments use.

- **Service account with domain-wide delegation** (a Workspace deployment): one JSON key; for each
  teammate we impersonate their e-mail (``subject``), so their own calendar and mailbox are used.
  A Workspace admin must grant the key's client ID our scopes (Admin console → Security → API
  controls → Domain-wide delegation).
- **Installed-app OAuth token** (one person running Booker for themselves): an ``authorized_user``
  JSON (``token.json``) with a refresh token, made once by ``python -m calendar_sync authorize``.

Every problem with the file, or Google refusing it, becomes a one-line :class:`GoogleAuthError`
that names the setting or the grant to fix.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from google.auth.credentials import Credentials
from google.auth.exceptions import RefreshError

from calendar_sync.errors import GoogleAuthError, one_line

SERVICE_ACCOUNT = "service_account"
OAUTH_TOKEN = "oauth_token"
MODES = (SERVICE_ACCOUNT, OAUTH_TOKEN)
# What the JSON file's "type" says, per mode.
_FILE_TYPES = {"service_account": SERVICE_ACCOUNT, "authorized_user": OAUTH_TOKEN}

CALENDAR_SCOPES = (
    "https://www.googleapis.com/auth/calendar.events",
    "https://www.googleapis.com/auth/calendar.freebusy",
)
GMAIL_SCOPES = ("https://www.googleapis.com/auth/gmail.readonly",)
ALL_SCOPES = CALENDAR_SCOPES + GMAIL_SCOPES

FILE_SETTING = "GOOGLE_CREDENTIALS_FILE"
AUTHORIZE_HINT = "run `python -m calendar_sync authorize` to make a new token file"


@dataclass(frozen=True)
class GoogleAuthConfig:
    """Where the credentials are and how to use them (built from settings by the caller)."""

    credentials_file: Path
    mode: str | None = None  # None: read it from the file's "type"
    token_uri: str | None = None  # another token endpoint (tests, proxies)
    oauth_account: str | None = None  # OAuth mode: the one teammate whose token this is


def _short_scope(scope: str) -> str:
    return scope.rsplit("/", 1)[-1]


class CredentialSource:
    """Reads the file once, validates it, and hands out credentials per teammate and scope set.

    Credentials are cached per (teammate, scopes) so tokens are reused across calls and threads.
    """

    def __init__(self, config: GoogleAuthConfig) -> None:
        self.config = config
        self.path = Path(config.credentials_file).expanduser()
        self.info = self._read()
        self.mode = self._mode()
        self._cache: dict[tuple[str, tuple[str, ...]], Credentials] = {}
        self._lock = threading.Lock()
        if self.mode == SERVICE_ACCOUNT:
            self._base = self._service_account_base()
            self.client_id = str(self.info.get("client_id") or "")
            self.account = str(self.info["client_email"])
        else:
            self._check_authorized_user()
            self.account = config.oauth_account or ""

    # -- loading ----------------------------------------------------------------------------------
    def _fail(self, problem: str) -> GoogleAuthError:
        return GoogleAuthError(f"{FILE_SETTING} {self.path}: {problem}")

    def _read(self) -> dict[str, Any]:
        if not self.path.is_file():
            raise self._fail(
                "does not exist; save the service account's JSON key there (Cloud console → IAM → Service "
                f"accounts → Keys) or {AUTHORIZE_HINT}"
            )
        try:
            info = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise self._fail(f"is not a readable JSON key or token file ({one_line(exc, 120)})") from None
        if not isinstance(info, dict):
            raise self._fail("is not a JSON key or token file (expected a JSON object)")
        return info

    def _mode(self) -> str:
        file_type = str(self.info.get("type") or "")
        if not file_type and "refresh_token" in self.info and "client_id" in self.info:
            file_type = "authorized_user"  # the Google quickstart's token.json has no "type"
        from_file = _FILE_TYPES.get(file_type)
        wanted = self.config.mode
        if wanted is not None and wanted not in MODES:
            raise GoogleAuthError(f"GOOGLE_AUTH_MODE must be {' or '.join(MODES)}, got {wanted!r}")
        if from_file is None:
            raise self._fail(
                f"has type {file_type or 'none'!r}; expected a service account key (type service_account) "
                f"or an OAuth token file (type authorized_user)"
            )
        if wanted is not None and wanted != from_file:
            raise self._fail(f"holds {file_type} credentials but GOOGLE_AUTH_MODE is {wanted}")
        return from_file

    def _service_account_base(self) -> Credentials:
        from google.oauth2 import service_account

        missing = [k for k in ("client_email", "private_key", "token_uri") if not self.info.get(k)]
        if missing:
            raise self._fail(f"the service account key lacks {', '.join(missing)}; download a new JSON key")
        try:
            credentials = service_account.Credentials.from_service_account_info(self.info)
        except (ValueError, TypeError) as exc:
            raise self._fail(f"the private key can't be read ({one_line(exc, 120)}); download a new JSON key") from None
        if self.config.token_uri:
            credentials = credentials.with_token_uri(self.config.token_uri)
        return credentials

    def _check_authorized_user(self) -> None:
        missing = [k for k in ("client_id", "client_secret", "refresh_token") if not self.info.get(k)]
        if missing:
            raise self._fail(f"the OAuth token file lacks {', '.join(missing)}; {AUTHORIZE_HINT}")
        granted = self.info.get("scopes")
        if isinstance(granted, str):
            granted = granted.split()
        if granted:
            lacking = [s for s in CALENDAR_SCOPES if s not in granted and "https://www.googleapis.com/auth/calendar" not in granted]
            if lacking:
                raise self._fail(
                    f"the token was authorized without {', '.join(_short_scope(s) for s in lacking)}; {AUTHORIZE_HINT}"
                )

    # -- handing out ------------------------------------------------------------------------------
    def serves(self, user_email: str) -> bool:
        """Whether this source may act for ``user_email`` (an OAuth token belongs to one person)."""
        if self.mode == SERVICE_ACCOUNT or not self.config.oauth_account:
            return True
        return user_email.casefold() == self.config.oauth_account.casefold()

    def credentials_for(self, user_email: str, scopes: Sequence[str]) -> Credentials:
        key = (user_email.casefold(), tuple(scopes))
        with self._lock:
            cached = self._cache.get(key)
            if cached is None:
                cached = self._cache[key] = self._make(user_email, tuple(scopes))
            return cached

    def _make(self, user_email: str, scopes: tuple[str, ...]) -> Credentials:
        if self.mode == SERVICE_ACCOUNT:
            return self._base.with_scopes(list(scopes)).with_subject(user_email)  # type: ignore[attr-defined]
        if not self.serves(user_email):
            raise GoogleAuthError(
                f"The Google token in {self.path} belongs to {self.config.oauth_account}, not {user_email}; "
                "use a service account with domain-wide delegation to reach every teammate's calendar"
            )
        from google.oauth2.credentials import Credentials as UserCredentials

        credentials = UserCredentials.from_authorized_user_info(self.info, scopes=list(scopes))
        if self.config.token_uri:
            credentials = credentials.with_token_uri(self.config.token_uri)
        return credentials

    # -- explaining refusals ----------------------------------------------------------------------
    def explain(self, error: RefreshError, user_email: str, scopes: Sequence[str]) -> GoogleAuthError:
        """Turn Google's token-endpoint refusal into what to fix."""
        data = error.args[1] if len(error.args) > 1 and isinstance(error.args[1], dict) else {}
        code = str(data.get("error") or "")
        said = one_line(error.args[0] if error.args else error, 160)
        scope_list = ", ".join(scopes)
        if self.mode == SERVICE_ACCOUNT:
            if code in {"unauthorized_client", "access_denied"}:
                return GoogleAuthError(
                    f"Google refused to let the service account {self.account} act as {user_email} ({said}); "
                    f"in the Admin console → Security → API controls → Domain-wide delegation, grant client ID "
                    f"{self.client_id or '(see the key file)'} these scopes: {scope_list}"
                )
            if code == "invalid_grant":
                return GoogleAuthError(
                    f"Google refused the service account key of {self.account} for {user_email} ({said}); check "
                    f"that {user_email} is a user of your Workspace and that the key in {self.path} is still active"
                )
            return GoogleAuthError(f"Google refused the service account key in {self.path} for {user_email} ({said})")
        if code == "invalid_grant":
            return GoogleAuthError(f"Google refused the OAuth token in {self.path} ({said}); {AUTHORIZE_HINT}")
        if code == "invalid_scope":
            return GoogleAuthError(
                f"The OAuth token in {self.path} was not authorized for {scope_list} ({said}); {AUTHORIZE_HINT}")
        if code in {"invalid_client", "unauthorized_client"}:
            return GoogleAuthError(
                f"Google refused the OAuth client in {self.path} ({said}); check the OAuth client in the Cloud "
                f"console, then {AUTHORIZE_HINT}"
            )
        return GoogleAuthError(f"Google refused the OAuth token in {self.path} ({said})")

"""Building Google API clients and running their requests safely.

- Clients come from the discovery documents shipped inside google-api-python-client (static
  discovery: no network at build time), pointed at a configurable endpoint
  (``client_options={"api_endpoint": ...}``), so tests and proxies can stand in for Google.
- ``httplib2.Http`` is not thread-safe: every thread gets its own ``AuthorizedHttp`` per teammate
  and API, passed to ``request.execute(http=...)``; the parsed service object is shared.
- Every call goes through :class:`~calendar_sync.retry.RetryPolicy` and comes out either as the
  JSON answer or as a :mod:`calendar_sync.errors` exception with a one-line message.
"""
from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass
from typing import Any, Callable

import httplib2
from google.auth.exceptions import RefreshError, TransportError
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from calendar_sync.auth import CredentialSource
from calendar_sync.errors import GoogleApiError, GoogleAuthError, GoogleError, NotFound, one_line
from calendar_sync.retry import RATE_LIMIT_REASONS, RETRYABLE_STATUSES, Attempt, RetryPolicy

SCOPE_REASONS = frozenset({"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"})


@dataclass(frozen=True)
class ApiSpec:
    """One Google API as we use it."""

    name: str  # discovery name: "calendar", "gmail"
    version: str
    label: str  # what people read: "Google Calendar"
    scopes: tuple[str, ...]


def build_service(spec: ApiSpec, endpoint: str | None) -> Any:
    """A discovery-built service from the shipped document; requests are executed with our own http."""
    options = {"api_endpoint": endpoint} if endpoint else None
    return build(
        spec.name, spec.version, http=httplib2.Http(), static_discovery=True, cache_discovery=False,
        client_options=options,
    )


@dataclass
class GoogleResponseError:
    """The useful parts of an HttpError."""

    status: int
    reason: str
    message: str
    retry_after: str | None


def read_http_error(error: HttpError) -> GoogleResponseError:
    status = int(getattr(error.resp, "status", 0) or 0)
    reason, message = "", ""
    try:
        body = json.loads(error.content.decode("utf-8") if isinstance(error.content, bytes) else error.content)
        detail = body.get("error", {}) if isinstance(body, dict) else {}
        if isinstance(detail, dict):
            message = str(detail.get("message") or "")
            errors = detail.get("errors") or []
            if errors and isinstance(errors[0], dict):
                reason = str(errors[0].get("reason") or "")
            reason = reason or str(detail.get("status") or "")
        elif isinstance(detail, str):
            reason = detail
    except (ValueError, AttributeError, UnicodeDecodeError):
        message = ""
    retry_after = error.resp.get("retry-after") if hasattr(error.resp, "get") else None
    return GoogleResponseError(status, reason, message or error.reason or f"HTTP {status}", retry_after)


class ApiSession:
    """One teammate's access to one API: shared service object, one authorized http per thread."""

    def __init__(self, spec: ApiSpec, service: Any, source: CredentialSource, user_email: str,
                 retry: RetryPolicy, timeout: float) -> None:
        self.spec = spec
        self.service = service
        self.source = source
        self.user_email = user_email
        self.retry = retry
        self.timeout = timeout
        self._local = threading.local()

    def http(self) -> AuthorizedHttp:
        http = getattr(self._local, "http", None)
        if http is None:
            credentials = self.source.credentials_for(self.user_email, self.spec.scopes)
            http = self._local.http = AuthorizedHttp(credentials, http=httplib2.Http(timeout=self.timeout))
        return http

    def execute(self, make_request: Callable[[Any], Any], what: str) -> dict[str, Any]:
        """Build the request from the service and run it with retries; errors come out translated."""
        label = f"{self.spec.label} {what} for {self.user_email}"
        try:
            result = self.retry.run(
                lambda: make_request(self.service).execute(http=self.http(), num_retries=0),
                lambda exc: self._classify(exc), label,
            )
        except GoogleError:
            raise
        except HttpError as exc:
            raise self._translate(read_http_error(exc), what) from None
        except RefreshError as exc:
            raise self.source.explain(exc, self.user_email, self.spec.scopes) from None
        except (TransportError, httplib2.HttpLib2Error, OSError, socket.timeout) as exc:
            raise GoogleApiError(
                f"Couldn't reach {self.spec.label} for {what} ({one_line(exc, 160)}); will try again later",
                retryable=True,
            ) from None
        return result if isinstance(result, dict) else {}

    def _classify(self, exc: BaseException) -> Attempt | None:
        if isinstance(exc, HttpError):
            detail = read_http_error(exc)
            retryable = detail.status in RETRYABLE_STATUSES or (
                detail.status == 403 and detail.reason in RATE_LIMIT_REASONS)
            return Attempt(retryable, self.retry.parse_retry_after(detail.retry_after))
        if isinstance(exc, RefreshError):
            return Attempt(bool(getattr(exc, "retryable", False)))
        if isinstance(exc, (TransportError, httplib2.HttpLib2Error, OSError, socket.timeout)):
            return Attempt(True)
        return None

    def _translate(self, detail: GoogleResponseError, what: str) -> GoogleError:
        said = f"{detail.status} {detail.reason}: {detail.message}".replace(" : ", ": ")
        if detail.status == 401:
            return GoogleAuthError(
                f"{self.spec.label} rejected the credentials for {self.user_email} ({said}); check GOOGLE_CREDENTIALS_FILE")
        if detail.status == 403 and detail.reason in SCOPE_REASONS:
            return GoogleAuthError(
                f"{self.spec.label} refused {what} for {self.user_email} ({said}); the credentials need the scopes "
                f"{', '.join(self.spec.scopes)}")
        if detail.status in (404, 410):
            return NotFound(f"{self.spec.label} found nothing for {what} ({said})", status=detail.status,
                            reason=detail.reason)
        retryable = detail.status in RETRYABLE_STATUSES or detail.reason in RATE_LIMIT_REASONS
        if retryable:
            return GoogleApiError(f"{self.spec.label} is unavailable for {what} ({said}); will try again later",
                                  status=detail.status, reason=detail.reason, retryable=True)
        return GoogleApiError(f"{self.spec.label} refused {what} ({said})", status=detail.status,
                              reason=detail.reason, retryable=False)


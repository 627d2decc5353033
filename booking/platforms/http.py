"""A small JSON-over-HTTP client for platforms' public APIs (Cal.com's v2 endpoints).

Platform modules and the confirmation monitor take an :class:`HttpClient` as a parameter, so tests
can count or fail calls; :class:`UrllibHttp` is the real one (standard library, no new dependency).
"""
from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Mapping, Protocol


@dataclass(frozen=True)
class HttpResponse:
    status: int
    data: Any  # the parsed JSON body, or None when it wasn't JSON

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class HttpError(Exception):
    """The request got no answer. ``maybe_delivered``: it may have reached the server (a read timeout)."""

    def __init__(self, message: str, *, maybe_delivered: bool) -> None:
        super().__init__(message)
        self.maybe_delivered = maybe_delivered


class HttpClient(Protocol):
    def request(self, method: str, url: str, *, json_body: Any = None,
                headers: Mapping[str, str] | None = None) -> HttpResponse:
        """Send one request; any HTTP status is a response, no answer at all is :class:`HttpError`."""


class UrllibHttp:
    """:class:`HttpClient` on urllib with a timeout; proxies come from the environment as usual."""

    def __init__(self, timeout: float = 15.0) -> None:
        self.timeout = timeout

    def request(self, method: str, url: str, *, json_body: Any = None,
                headers: Mapping[str, str] | None = None) -> HttpResponse:
        body = None if json_body is None else json.dumps(json_body).encode("utf-8")
        all_headers = {"Accept": "application/json", **(headers or {})}
        if body is not None:
            all_headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=body, method=method.upper(), headers=all_headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return HttpResponse(response.status, _parse(response.read()))
        except urllib.error.HTTPError as exc:
            return HttpResponse(exc.code, _parse(exc.read()))
        except (socket.timeout, TimeoutError) as exc:
            raise HttpError(f"{method} {url} timed out", maybe_delivered=True) from exc
        except urllib.error.URLError as exc:
            timed_out = isinstance(exc.reason, (socket.timeout, TimeoutError))
            raise HttpError(f"{method} {url} failed: {exc.reason}", maybe_delivered=timed_out) from exc
        except (ConnectionError, OSError) as exc:
            raise HttpError(f"{method} {url} failed: {exc}", maybe_delivered=True) from exc


def _parse(raw: bytes) -> Any:
    try:
        return json.loads(raw or b"null")
    except ValueError:
        return None

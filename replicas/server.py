"""A tiny threaded HTTP server with regex routes, shared by every replica and fake.

Each replica subclasses :class:`LoopbackServer`, registers routes in ``__init__`` and is started
with ``with Replica() as site:`` (or ``start()``/``stop()``). It binds 127.0.0.1 on a free port.
"""
from __future__ import annotations

import json
import re
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

Handler = Callable[..., "Response"]


@dataclass
class Request:
    """One incoming request, already read off the socket."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode("utf-8"), keep_blank_values=True).items()}

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)


@dataclass
class Response:
    """What a route returns; helpers below build the common kinds."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def html(cls, text: str, status: int = 200) -> "Response":
        return cls(status, text.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> "Response":
        merged = {"Content-Type": "application/json"}
        merged.update(headers or {})
        return cls(status, json.dumps(data, default=str).encode("utf-8"), merged)

    @classmethod
    def text(cls, text: str, status: int = 200, content_type: str = "text/plain") -> "Response":
        return cls(status, text.encode("utf-8"), {"Content-Type": f"{content_type}; charset=utf-8"})

    @classmethod
    def redirect(cls, location: str, status: int = 303) -> "Response":
        return cls(status, b"", {"Location": location})


class LoopbackServer:
    """Threaded HTTP server on 127.0.0.1:<free port> dispatching to regex routes."""

    def __init__(self) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.lock = threading.RLock()
        self._hanging: re.Pattern[str] | None = None
        self._released = threading.Event()

    # -- faults --------------------------------------------------------------------------------
    def hang(self, path_pattern: str | None) -> None:
        """GET requests whose path full-matches ``path_pattern`` never get an answer (a page that
        never finishes loading) until ``hang(None)`` or ``stop()``; None clears the fault."""
        self._hanging = re.compile(path_pattern) if path_pattern is not None else None

    def _held(self, request: "Request") -> bool:
        """Hold a request the hang fault covers; True if the server stopped meanwhile."""
        while True:
            pattern = self._hanging
            if request.method != "GET" or pattern is None or not pattern.fullmatch(request.path):
                return False
            if self._released.wait(0.05):
                return True

    # -- routing -------------------------------------------------------------------------------
    def add_route(self, method: str, pattern: str, handler: Handler) -> None:
        """Register ``handler(request, **groups)`` for ``method`` and a full-match path regex."""
        self._routes.append((method.upper(), re.compile(pattern), handler))

    def dispatch(self, request: Request) -> Response:
        allowed: list[str] = []
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(request.path)
            if not match:
                continue
            if method != request.method:
                allowed.append(method)
                continue
            return handler(request, **match.groupdict())
        if allowed:
            return Response.text("method not allowed", 405)
        return self.not_found(request)

    def not_found(self, request: Request) -> Response:
        return Response.html("<h1>Page not found</h1>", 404)

    # -- lifecycle ------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self, port: int = 0) -> "LoopbackServer":
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out as separate writes: no 40 ms delayed-ACK stalls

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query, keep_blank_values=True),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
                try:
                    if server._held(request):
                        response = Response.text("server stopped", 503)
                    else:
                        response = server.dispatch(request)
                except Exception as exc:  # a replica bug must show up, not hang the client
                    response = Response.text(f"replica error: {exc!r}", 500)
                self.send_response(response.status)
                for key, value in response.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(response.body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(response.body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve

            def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
                return

        self._released.clear()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self._httpd.daemon_threads = True
        default_handle_error = self._httpd.handle_error

        def handle_error(request: Any, client_address: Any) -> None:
            # A client that gave up on a hung page closed its socket; writing the late answer fails.
            if not isinstance(sys.exc_info()[1], ConnectionError):
                default_handle_error(request, client_address)

        self._httpd.handle_error = handle_error  # type: ignore[method-assign]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
            name=type(self).__name__, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._released.set()  # answers requests held by hang()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> "LoopbackServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

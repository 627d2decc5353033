"""Booking-URL safety: only http(s) pages on public hosts, unless a host is allow-listed.

A booking URL comes from a config or a teammate, and the browser will open it from inside our
network, so ``file:``, ``javascript:``, loopback, link-local and private addresses are refused.
Tests and the demo allow-list their loopback replicas through ``BOOKER_ALLOWED_HOSTS``.
"""
from __future__ import annotations

import ipaddress
import socket
from typing import Callable, Iterable
from urllib.parse import urlsplit

from booking.domain.errors import UnsafeUrl

Resolver = Callable[[str], list[str]]
MAX_URL_LENGTH = 2000


def resolve_host(host: str) -> list[str]:
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, None)})
    except (OSError, UnicodeError):  # unresolvable here = unreachable for the browser too
        return []


def _is_allowed(host: str, port: int | None, allowed_hosts: Iterable[str]) -> bool:
    candidates = {host, f"{host}:{port}" if port else host}
    return any(entry.lower() in candidates for entry in allowed_hosts)


def check_booking_url(
    url: str, allowed_hosts: Iterable[str] = (), resolver: Resolver = resolve_host
) -> str:
    """Return the URL if the browser may open it, else raise :class:`UnsafeUrl` saying why."""
    text = (url or "").strip()
    if not text:
        raise UnsafeUrl("The booking URL is empty")
    if len(text) > MAX_URL_LENGTH:
        raise UnsafeUrl(f"The booking URL is longer than {MAX_URL_LENGTH} characters")
    if any(ord(ch) < 33 for ch in text):
        raise UnsafeUrl("The booking URL contains spaces or control characters")
    parts = urlsplit(text)
    if parts.scheme.lower() not in {"http", "https"}:
        raise UnsafeUrl(f"Only http(s) booking pages can be opened, not {parts.scheme or 'a bare path'}:")
    host = (parts.hostname or "").lower()
    if not host:
        raise UnsafeUrl("The booking URL has no host")
    if parts.username or parts.password:
        raise UnsafeUrl("The booking URL must not carry a user name or password")
    try:
        port = parts.port
    except ValueError:
        raise UnsafeUrl("The booking URL has an invalid port") from None
    allowed = list(allowed_hosts)
    if _is_allowed(host, port, allowed):
        return text
    addresses = [host] if _is_ip(host) else resolver(host)
    if host == "localhost" or host.endswith(".localhost"):
        addresses = addresses or ["127.0.0.1"]
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            raise UnsafeUrl(
                f"The booking URL points at a private or local address ({host}); "
                "an admin can allow it with BOOKER_ALLOWED_HOSTS"
            )
    return text


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True

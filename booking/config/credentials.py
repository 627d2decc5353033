"""Sign-in secrets for pages that need the teammate's own account (the event matchmaking app).

Two sources, the first that has an entry wins:

1. ``BOOKER_CREDENTIALS_FILE``: a YAML (or JSON) file only its owner can read, per platform and
   teammate e-mail::

       slush_platform:
         eduardo.paz@axa-innovation.example: {login: eduardo.paz@axa.example, password: "…"}

2. One shared account for the team, in the settings the platform names (its
   ``shared_login_settings``; the matchmaking app's are ``BOOKER_SLUSH_LOGIN`` /
   ``BOOKER_SLUSH_PASSWORD``). The caller passes those names: which platform has one is the
   platform's knowledge, not this module's.

A :class:`Credentials` never shows its password (``repr``), and errors show the login masked.
"""
from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from booking.config.settings import Settings
from booking.domain.errors import BookingError


class CredentialsError(BookingError):
    """The credentials file is unreadable, too open or malformed; says which and how to fix it."""


@dataclass(frozen=True)
class Credentials:
    login: str
    password: str = field(repr=False)

    @property
    def masked_login(self) -> str:
        return mask(self.login)

    def __str__(self) -> str:
        return f"Credentials({self.masked_login})"


def mask(login: str) -> str:
    """``eduardo.paz@axa.example`` → ``ed***@axa.example``: enough to recognise, not to reuse."""
    name, at, domain = login.partition("@")
    return f"{name[:2]}***{at}{domain}" if at else f"{login[:2]}***"


class CredentialStore:
    """Looks up a teammate's sign-in for a platform; reads the file on each lookup (it may change)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def for_teammate(self, platform: str, email: str, shared: tuple[str, str] | None = None) -> Credentials | None:
        """The teammate's own sign-in from the file, else the shared account in the settings named by
        ``shared`` (login, password: the platform's ``shared_login_settings``), else None."""
        entry = self._from_file(platform, email)
        if entry is not None:
            return entry
        login, password = (getattr(self.settings, name) for name in shared) if shared else (None, None)
        if login and password:
            return Credentials(login, password)
        return None

    def _from_file(self, platform: str, email: str) -> Credentials | None:
        path = self.settings.credentials_file
        if path is None:
            return None
        data = _read_private_file(path)
        section = data.get(platform) or {}
        if not isinstance(section, dict):
            raise CredentialsError(f"BOOKER_CREDENTIALS_FILE: the {platform!r} section must map e-mails to sign-ins")
        wanted = email.casefold()
        for key, value in section.items():
            if str(key).casefold() != wanted:
                continue
            if not isinstance(value, dict) or not value.get("login") or not value.get("password"):
                raise CredentialsError(
                    f"BOOKER_CREDENTIALS_FILE: the {platform!r} entry for {mask(email)} needs a login and a password"
                )
            return Credentials(str(value["login"]), str(value["password"]))
        return None


def _read_private_file(path: Path) -> dict[str, Any]:
    try:
        info = path.stat()
    except OSError:
        raise CredentialsError(f"BOOKER_CREDENTIALS_FILE {path} can't be read") from None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CredentialsError(f"BOOKER_CREDENTIALS_FILE {path} is readable by others; run chmod 600 on it")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        raise CredentialsError(f"BOOKER_CREDENTIALS_FILE {path} is not valid YAML or JSON") from None
    if not isinstance(data, dict):
        raise CredentialsError(f"BOOKER_CREDENTIALS_FILE {path} must map platforms to sign-ins")
    return data

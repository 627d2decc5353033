"""The platform plugin base: what every booking-site module must define.

A subclass of :class:`Platform` (one module per site under ``booking/platforms/``) defines:

- ``name`` (registry key, stored on bookings), ``label`` (what the teammate reads),
- ``url_patterns``: regexes full-matched against ``host + path`` of a booking URL; the registry
  uses them to detect the platform, so they must reject look-alikes,
- ``confirms_on_submit``: whether the page's success screen means the meeting is confirmed
  (Calendly) or only requested (a matchmaking request, an opt-in event type),

and implements the steps the :class:`~booking.agent.BookingAgent` drives, in this order:
``open`` → ``people``/``choose_person`` → ``iter_slots`` → ``choose_slot`` → ``fill_details`` →
``submit``. Each step waits explicitly and raises :mod:`booking.errors` (never raw Selenium
errors) with a sentence a teammate can act on. One instance serves one job and holds its page.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar, Iterator
from urllib.parse import urlsplit

from booking.browser import Page
from booking.slots import Interval, OfferedSlot


@dataclass(frozen=True)
class Person:
    """Someone at the startup the teammate may meet (from the startup's config)."""

    name: str
    email: str | None = None
    role: str | None = None

    @classmethod
    def from_config(cls, data: dict[str, str]) -> "Person":
        return cls(name=str(data.get("name", "")).strip(), email=data.get("email"), role=data.get("role"))


@dataclass(frozen=True)
class Invitee:
    """The teammate as the booking form needs them."""

    name: str
    email: str
    company: str
    role: str
    timezone: str
    phone: str | None = None

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.name

    @property
    def last_name(self) -> str:
        parts = self.name.split()
        return " ".join(parts[1:]) if len(parts) > 1 else ""

    def answer_for(self, label: str) -> str | None:
        """A value for a custom form field, guessed from its label; None when we don't know."""
        text = label.lower()
        if "company" in text or "organization" in text or "organisation" in text:
            return self.company
        if "role" in text or "title" in text or "position" in text:
            return self.role
        if "phone" in text or "mobile" in text:
            return self.phone
        if "e-mail" in text or "email" in text:
            return self.email
        if "first name" in text:
            return self.first_name
        if "last name" in text or "surname" in text:
            return self.last_name or None
        if "name" in text:
            return self.name
        return None


@dataclass
class SubmitResult:
    """What the page said after submit."""

    confirmed: bool
    external_booking_id: str | None = None
    host_name: str | None = None
    summary: str = ""
    status_url: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


class Platform(ABC):
    """Base for one booking site. See the module docstring for what a subclass defines."""

    name: ClassVar[str]
    label: ClassVar[str]
    url_patterns: ClassVar[tuple[str, ...]] = ()
    confirms_on_submit: ClassVar[bool] = True
    #: Whether :meth:`check_status` can read a submitted booking's state back from the site ("Check now").
    can_check_status: ClassVar[bool] = False

    def __init__(self, page: Page) -> None:
        self.page = page
        page.label = self.label

    @classmethod
    def matches_url(cls, url: str) -> bool:
        parts = urlsplit(url.strip())
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            return False
        target = f"{parts.hostname.lower()}{parts.path or '/'}"
        return any(re.fullmatch(pattern, target) for pattern in cls.url_patterns)

    # -- steps ------------------------------------------------------------------------------------
    @abstractmethod
    def open(self, url: str) -> None:
        """Load the booking page, dismiss cookie banners, wait until it is usable."""

    def people(self) -> list[str]:
        """Names the page lets the invitee choose between (team pages); [] when it assigns a host."""
        return []

    def choose_person(self, person: Person) -> bool:
        """Pick ``person`` on a team page; False if the page does not offer them."""
        return False

    @abstractmethod
    def iter_slots(self, window: Interval) -> Iterator[OfferedSlot]:
        """Offered slots inside ``window``, earliest first, produced lazily (scanning costs clicks)."""

    @abstractmethod
    def choose_slot(self, slot: OfferedSlot) -> None:
        """Select ``slot`` (one yielded by :meth:`iter_slots`) and move on to the details form."""

    @abstractmethod
    def fill_details(self, invitee: Invitee, message: str) -> None:
        """Fill name, e-mail, the message and any required field we can answer."""

    @abstractmethod
    def submit(self) -> SubmitResult:
        """Send the form; raise SlotTaken if the page says the time is gone."""

    # -- after submit (optional) -------------------------------------------------------------------
    def check_status(self, booking_url: str, external_booking_id: str | None) -> bool | None:
        """Open the site's own view of a submitted booking: True confirmed, False declined or
        cancelled, None still waiting. Only called when ``can_check_status`` is true."""
        raise NotImplementedError(f"{self.label} can't check a booking's status")

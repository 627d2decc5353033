"""What the four blind pages share: a clock-driven diary of free slots and a list of bookings.

Only the server-side bookkeeping is shared; each page picks its own zone, hours, slot length and
fully booked days, and writes its own markup, so no two pages look alike to a browser.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from typing import Callable
from zoneinfo import ZoneInfo

from replicas.server import LoopbackServer

UTC = timezone.utc
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def slug(name: str) -> str:
    """A person's name as it travels in URLs and form values."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


class Diary(LoopbackServer):
    """A booking site whose availability follows an injected clock.

    Subclasses set the class attributes and register routes; ``PATH`` is the shared booking link.
    Weekends are closed; days ``FULL_DAYS`` after today are fully booked; within a day every
    ``TAKEN_EVERY``-th slot is already taken (shifted per person, so people differ).
    """

    ZONE = "UTC"
    OPENS = time(9, 0)
    CLOSES = time(17, 0)
    STEP = timedelta(minutes=30)
    LENGTH = timedelta(minutes=30)
    FULL_DAYS: frozenset[int] = frozenset({1})
    TAKEN_EVERY = 3
    HORIZON_DAYS = 14
    LEAD = timedelta(hours=2)
    PATH = "/"

    def __init__(self, now: Callable[[], datetime], people: list[str]) -> None:
        super().__init__()
        if not people:
            raise ValueError("a booking page needs at least one person")
        self.now = now
        self.people = list(people)
        self.zone = ZoneInfo(self.ZONE)
        self.bookings: list[dict] = []

    @property
    def booking_url(self) -> str:
        return self.url + self.PATH

    # -- time -----------------------------------------------------------------------------------
    def today(self) -> date:
        return self.now().astimezone(self.zone).date()

    def window(self) -> list[date]:
        """The days a visitor may book: today and the next HORIZON_DAYS - 1."""
        first = self.today()
        return [first + timedelta(days=n) for n in range(self.HORIZON_DAYS)]

    def person(self, key: str | None) -> str | None:
        """The configured person a form value (slug or name) names, if any."""
        for name in self.people:
            if key in (name, slug(name)):
                return name
        return None

    def _all_slots(self, day: date) -> list[datetime]:
        start = datetime.combine(day, self.OPENS, self.zone)
        end = datetime.combine(day, self.CLOSES, self.zone)
        slots = []
        while start + self.LENGTH <= end:
            slots.append(start)
            start += self.STEP
        return slots

    def free_slots(self, person: str, day: date) -> list[datetime]:
        """Free starts (aware, the page's zone) for one person on one day."""
        offset = (day - self.today()).days
        if not 0 <= offset < self.HORIZON_DAYS or offset in self.FULL_DAYS or day.weekday() >= 5:
            return []
        shift = self.people.index(person)
        earliest = self.now() + self.LEAD
        with self.lock:
            taken = {b["start"] for b in self.bookings if b["person"] == person}
        return [
            slot for index, slot in enumerate(self._all_slots(day))
            if (index + offset + shift) % self.TAKEN_EVERY != 0
            and slot >= earliest
            and iso_utc(slot) not in taken
        ]

    def open_days(self, person: str) -> list[date]:
        return [day for day in self.window() if self.free_slots(person, day)]

    def anyone_free(self, start: datetime) -> str | None:
        """The first person free at ``start`` (for pages that offer "anyone")."""
        for name in self.people:
            if start in self.free_slots(name, start.astimezone(self.zone).date()):
                return name
        return None

    # -- booking ---------------------------------------------------------------------------------
    def record(self, person: str, start: datetime, fields: dict) -> str | None:
        """Record a booking if the slot is still free; the one-line error otherwise."""
        with self.lock:
            if start not in self.free_slots(person, start.astimezone(self.zone).date()):
                return "Sorry, that time is no longer available. Please pick another one."
            self.bookings.append({"person": person, "start": iso_utc(start), **fields})
        return None


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def parse_start(value: str | None) -> datetime | None:
    """A slot value from a form (ISO with an offset); None when it isn't one."""
    try:
        moment = datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def missing(fields: dict[str, str], required: dict[str, str]) -> list[str]:
    """One message per empty required field (``required`` maps field → its label), e-mail checked."""
    problems = [f"{label} is required." for key, label in required.items() if not fields.get(key, "").strip()]
    email = fields.get("email", "").strip()
    if email and not EMAIL.match(email):
        problems.append("Please enter a valid e-mail address.")
    return problems

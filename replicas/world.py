"""The demo world: a Calendly replica with a few startups, and the directory entries pointing at it.

Used by ``python -m booking demo`` and by the tests, so both book against the same pages.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Callable, Iterable
from zoneinfo import ZoneInfo

from replicas.calendly import CalendlyEventType, CalendlyHost, CalendlyReplica, CalendlyTeam

STARTUP_ZONE = "Europe/Helsinki"

DEMO_TEAMMATE = {"name": "Eduardo Paz", "email": "eduardo.paz@axa-innovation.example", "timezone": "Europe/Helsinki"}


def working_slots(now: datetime, days: int = 5, zone: str = STARTUP_ZONE, start_hour: int = 9, end_hour: int = 17,
                  step_minutes: int = 30, skip: Iterable[tuple[int, int]] = ()) -> list[datetime]:
    """Half-hourly slots on the next ``days`` weekdays after ``now``, in ``zone``'s office hours."""
    tz = ZoneInfo(zone)
    skipped = set(skip)
    slots: list[datetime] = []
    day = now.astimezone(tz).date() + timedelta(days=1)
    while len({s.date() for s in slots}) < days:
        if day.weekday() < 5:
            moment = datetime.combine(day, time(start_hour), tz)
            while moment.hour < end_hour:
                if (moment.hour, moment.minute) not in skipped:
                    slots.append(moment)
                moment += timedelta(minutes=step_minutes)
        day += timedelta(days=1)
    return slots


def build_calendly(now: Callable[[], datetime] | None = None, **replica_options: Any) -> CalendlyReplica:
    """Acme Robotics (a team page: Alice, then Bob) and Beta Health (one host, split names)."""
    clock = now or (lambda: datetime.now(timezone.utc))
    today = clock()
    intro = lambda: CalendlyEventType(slug="intro", title="Intro with the Acme team", duration_minutes=30)  # noqa: E731
    hosts = [
        CalendlyHost("alice-acme", "Alice Smith", "alice@acme.example", [intro()], working_slots(today)),
        CalendlyHost("bob-acme", "Bob Jones", "bob@acme.example", [intro()], working_slots(today, start_hour=13)),
        CalendlyHost(
            "carla-beta", "Carla Diaz", "carla@beta.example",
            [CalendlyEventType(slug="30min", title="30 Minute Meeting", split_name=True)],
            working_slots(today, days=3),
        ),
    ]
    teams = [CalendlyTeam("acme", "Acme Robotics", ["alice-acme", "bob-acme"])]
    return CalendlyReplica(hosts, teams, now=clock, **replica_options)


def directory_entries(calendly: CalendlyReplica) -> list[dict[str, Any]]:
    """The bundled startup directory, pointing at the running replica."""
    return [
        {
            "name": "Acme Robotics", "aliases": ["acme"], "platform": "calendly",
            "booking_url": calendly.team_url("acme"),
            "people": [
                {"name": "Alice Smith", "role": "CEO", "email": "alice@acme.example"},
                {"name": "Bob Jones", "role": "CTO", "email": "bob@acme.example"},
            ],
        },
        {
            "name": "Beta Health", "aliases": ["beta"], "platform": "calendly",
            "booking_url": calendly.event_url("carla-beta", "30min"),
            "people": [{"name": "Carla Diaz", "role": "CEO", "email": "carla@beta.example"}],
        },
    ]


def seed_directory(db: Any, entries: list[dict[str, Any]]) -> None:
    from booking.directory import upsert_startup

    with db.transaction() as session:
        for entry in entries:
            upsert_startup(
                session, name=entry["name"], booking_url=entry["booking_url"], platform=entry["platform"],
                people=entry.get("people", []), aliases=entry.get("aliases", []),
            )


def demo_busy_blocks(calendly: CalendlyReplica, zone: str = STARTUP_ZONE) -> list[tuple[datetime, datetime]]:
    """The demo teammate's other Slush meetings: 09:00–10:30 and 12:00–13:00 on Acme's first day."""
    first_day = min(calendly.hosts["alice-acme"].slots).astimezone(ZoneInfo(zone)).date()
    at = lambda hour, minute=0: datetime.combine(first_day, time(hour, minute), ZoneInfo(zone))  # noqa: E731
    return [(at(9), at(10, 30)), (at(12), at(13))]

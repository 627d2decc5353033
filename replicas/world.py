"""The demo world: replica booking sites with a few startups, and the directory entries pointing at them.

Used by ``python -m booking demo`` (Calendly only, to stay fast) and by the tests, so both book
against the same pages. Every site shares the startups' office hours in Helsinki. The fault suite's
worlds of Calendly, Cal.com, HubSpot and Chili Piper live here, next to the sites they start.
"""
from __future__ import annotations

from contextlib import ExitStack
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Callable, Iterable
from zoneinfo import ZoneInfo

from booking.store.directory import upsert_startup
from replicas.calcom import CalComEventType, CalComField, CalComReplica, CalComTeam, CalComUser
from replicas.calendly import CalendlyEventType, CalendlyHost, CalendlyReplica, CalendlyTeam
from replicas.chilipiper import ChiliPiperField, ChiliPiperLink, ChiliPiperReplica, ChiliPiperUser
from replicas.hubspot import HubSpotLink, HubSpotReplica, HubSpotUser
from replicas.builds import replica_class
from replicas.fault_world import PlatformWorld, counter, mine, switch
from replicas.mail import MailSink

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


def build_calendly(now: Callable[[], datetime] | None = None, build: str = "first", **replica_options: Any) -> CalendlyReplica:
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
    return replica_class("calendly", build, CalendlyReplica)(hosts, teams, now=clock, **replica_options)


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


def build_calcom(now: Callable[[], datetime] | None = None, build: str = "first", **replica_options: Any) -> CalComReplica:
    """Gamma AI (Dana, instant), Delta Energy (Erik, the host confirms each booking) and the Epsilon
    team (Finn then Gia: "Book a team member", plus a round-robin intro)."""
    clock = now or (lambda: datetime.now(timezone.utc))
    today = clock()
    users = [
        CalComUser("dana-gamma", "Dana Berg", "dana@gamma.example",
                   [CalComEventType("intro", "Intro call", 30)], working_slots(today)),
        CalComUser("erik-delta", "Erik Lund", "erik@delta.example",
                   [CalComEventType("meet", "Meet Delta Energy", 30, requires_confirmation=True,
                                    fields=[CalComField("company", "Company", required=True)])],
                   working_slots(today, start_hour=10)),
        CalComUser("finn-epsilon", "Finn Koski", "finn@epsilon.example",
                   [CalComEventType("intro", "Intro with Finn", 30)], working_slots(today, start_hour=14)),
        CalComUser("gia-epsilon", "Gia Rossi", "gia@epsilon.example",
                   [CalComEventType("intro", "Intro with Gia", 30)], working_slots(today, start_hour=11)),
    ]
    teams = [CalComTeam("epsilon", "Epsilon Health", ["finn-epsilon", "gia-epsilon"],
                        [CalComEventType("meet-epsilon", "Meet Epsilon Health", 30)])]
    return replica_class("calcom", build, CalComReplica)(users, teams, now=clock, **replica_options)


def calcom_entries(calcom: CalComReplica) -> list[dict[str, Any]]:
    return [
        {"name": "Gamma AI", "aliases": ["gamma"], "platform": "calcom",
         "booking_url": calcom.event_url("dana-gamma", "intro"),
         "people": [{"name": "Dana Berg", "role": "CEO", "email": "dana@gamma.example"}]},
        {"name": "Delta Energy", "aliases": ["delta"], "platform": "calcom",
         "booking_url": calcom.event_url("erik-delta", "meet"),
         "people": [{"name": "Erik Lund", "role": "CEO", "email": "erik@delta.example"}]},
        {"name": "Epsilon Health", "aliases": ["epsilon"], "platform": "calcom",
         "booking_url": calcom.team_url("epsilon"),
         "people": [{"name": "Gia Rossi", "role": "CEO", "email": "gia@epsilon.example"},
                    {"name": "Finn Koski", "role": "CTO", "email": "finn@epsilon.example"}]},
    ]


def build_hubspot(now: Callable[[], datetime] | None = None, build: str = "first", **replica_options: Any) -> HubSpotReplica:
    """Zeta Robotics (Lena's personal link), Eta Foods (a round-robin link: Mikko, then Nina) and
    Theta Bio (Olli, whose calendar isn't connected: offline mode)."""
    clock = now or (lambda: datetime.now(timezone.utc))
    today = clock()
    users = [
        HubSpotUser("lena-zeta", "Lena Virta", "lena@zeta.example", working_slots(today)),
        HubSpotUser("mikko-eta", "Mikko Laine", "mikko@eta.example", working_slots(today, start_hour=13)),
        HubSpotUser("nina-eta", "Nina Aho", "nina@eta.example", working_slots(today, start_hour=10)),
        HubSpotUser("olli-theta", "Olli Salo", "olli@theta.example", working_slots(today, start_hour=12)),
    ]
    links = [
        HubSpotLink("lena-zeta/intro", "Intro Chat with Zeta Robotics", ["lena-zeta"], durations=[30, 60]),
        HubSpotLink("eta-foods/intro", "Meet Eta Foods", ["mikko-eta", "nina-eta"], company_name="Eta Foods"),
        HubSpotLink("olli-theta", "Coffee with Theta Bio", ["olli-theta"], offline=True),
    ]
    return replica_class("hubspot", build, HubSpotReplica)(users, links, now=clock, **replica_options)


def hubspot_entries(hubspot: HubSpotReplica) -> list[dict[str, Any]]:
    return [
        {"name": "Zeta Robotics", "aliases": ["zeta"], "platform": "hubspot",
         "booking_url": hubspot.link_url("lena-zeta/intro"),
         "people": [{"name": "Lena Virta", "role": "CEO", "email": "lena@zeta.example"}]},
        {"name": "Eta Foods", "aliases": ["eta"], "platform": "hubspot",
         "booking_url": hubspot.link_url("eta-foods/intro"),
         "people": [{"name": "Mikko Laine", "role": "CEO"}, {"name": "Nina Aho", "role": "CTO"}]},
        {"name": "Theta Bio", "aliases": ["theta"], "platform": "hubspot",
         "booking_url": hubspot.link_url("olli-theta"),
         "people": [{"name": "Olli Salo", "role": "CEO", "email": "olli@theta.example"}]},
    ]


def build_chilipiper(now: Callable[[], datetime] | None = None, build: str = "first", **replica_options: Any) -> ChiliPiperReplica:
    """Iota Security (a round-robin booking link: Pia, then Quentin) and Kappa Cloud (a concierge
    router that offers "Call now" first; Rasmus takes the meetings)."""
    clock = now or (lambda: datetime.now(timezone.utc))
    today = clock()
    users = [
        ChiliPiperUser("pia-iota", "Pia Nurmi", "pia@iota.example", working_slots(today, start_hour=14)),
        ChiliPiperUser("quentin-iota", "Quentin Moreau", "quentin@iota.example", working_slots(today, start_hour=9)),
        ChiliPiperUser("rasmus-kappa", "Rasmus Holm", "rasmus@kappa.example", working_slots(today, days=8, start_hour=15)),
    ]
    links = [
        ChiliPiperLink("book/iota-intro", "Intro with Iota Security", ["pia-iota", "quentin-iota"]),
        ChiliPiperLink("concierge-router/kappa-inbound", "Talk to Kappa Cloud", ["rasmus-kappa"], live_choice=True,
                       fields=[ChiliPiperField("Company", required=True),
                               ChiliPiperField("What would you like to discuss?", "textarea")]),
    ]
    return replica_class("chilipiper", build, ChiliPiperReplica)(users, links, now=clock, **replica_options)


def chilipiper_entries(chilipiper: ChiliPiperReplica) -> list[dict[str, Any]]:
    return [
        {"name": "Iota Security", "aliases": ["iota"], "platform": "chilipiper",
         "booking_url": chilipiper.link_url("book/iota-intro"),
         "people": [{"name": "Pia Nurmi", "role": "CEO"}, {"name": "Quentin Moreau", "role": "CTO"}]},
        {"name": "Kappa Cloud", "aliases": ["kappa"], "platform": "chilipiper",
         "booking_url": chilipiper.link_url("concierge-router/kappa-inbound"),
         "people": [{"name": "Rasmus Holm", "role": "CEO", "email": "rasmus@kappa.example"}]},
    ]


def seed_directory(db: Any, entries: list[dict[str, Any]]) -> None:
    """Add the entries to Booker's directory (an entry's ``recipe``, when it has one, with it)."""
    with db.transaction() as session:
        for entry in entries:
            upsert_startup(
                session, name=entry["name"], booking_url=entry["booking_url"], platform=entry["platform"],
                people=entry.get("people", []), aliases=entry.get("aliases", []), recipe=entry.get("recipe"),
            )


def demo_busy_blocks(calendly: CalendlyReplica, zone: str = STARTUP_ZONE) -> list[tuple[datetime, datetime]]:
    """The demo teammate's other Slush meetings: 09:00–10:30 and 12:00–13:00 on Acme's first day."""
    first_day = min(calendly.hosts["alice-acme"].slots).astimezone(ZoneInfo(zone)).date()
    at = lambda hour, minute=0: datetime.combine(first_day, time(hour, minute), ZoneInfo(zone))  # noqa: E731
    return [(at(9), at(10, 30)), (at(12), at(13))]


# -- the fault suite's worlds (replicas/fault_world.py) of the four platforms whose sites are built here --
def calendly_fault_world(stack: ExitStack, clock: Callable[[], datetime], build: str, email: str,
                         mail_sink: MailSink) -> PlatformWorld:
    """Beta Health: one host, one event type."""
    site = stack.enter_context(build_calendly(now=clock, build=build))
    return PlatformWorld(site, "Beta Health", (site, "/carla-beta/30min"), "the details form",
                         switch(site.faults, "details_form_never_renders"),
                         counter(site.faults, "take_slot_before_submit"), mine(lambda: site.bookings, email),
                         confirms=True, directory=directory_entries(site)[1:])


def calcom_fault_world(stack: ExitStack, clock: Callable[[], datetime], build: str, email: str,
                       mail_sink: MailSink) -> PlatformWorld:
    """Gamma AI: Dana's instant intro call."""
    site = stack.enter_context(build_calcom(now=clock, build=build))
    return PlatformWorld(site, "Gamma AI", (site, "/dana-gamma/intro"), "the booking form",
                         switch(site.faults, "form_never_renders"),
                         counter(site.faults, "take_slot_before_submit"), mine(lambda: site.bookings, email),
                         confirms=True, directory=calcom_entries(site)[:1])


def hubspot_fault_world(stack: ExitStack, clock: Callable[[], datetime], build: str, email: str,
                        mail_sink: MailSink) -> PlatformWorld:
    """Zeta Robotics: Lena's personal link."""
    site = stack.enter_context(build_hubspot(now=clock, build=build))
    return PlatformWorld(site, "Zeta Robotics", (site, "/lena-zeta/intro"), "the 'Your information' form",
                         switch(site.faults, "info_step_never_renders"),
                         counter(site.faults, "take_slot_before_submit"), mine(lambda: site.bookings, email),
                         confirms=True, directory=hubspot_entries(site)[:1])


def chilipiper_fault_world(stack: ExitStack, clock: Callable[[], datetime], build: str, email: str,
                           mail_sink: MailSink) -> PlatformWorld:
    """Iota Security: a round-robin booking link."""
    site = stack.enter_context(build_chilipiper(now=clock, build=build))
    # "calendar": after the guest form, or first: the page decides the order. The first build asks
    # the guest form first, the blind one after the time.
    return PlatformWorld(site, "Iota Security", (site, "/book/iota-intro"), "calendar",
                         switch(site.faults, "calendar_never_renders"),
                         counter(site.faults, "take_slot_before_submit"), mine(lambda: site.bookings, email),
                         confirms=True, directory=chilipiper_entries(site)[:1],
                         extra={"details_first": build == "first"})

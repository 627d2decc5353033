"""What a browser job is given: the people to try, the invitee, the slot rules (the teammate's hours,
their calendar, the slots their other bookings hold) and the configured platform on a browser page.

Apart from the ``BookingService`` facade; it gets the settings, the clock, the booking store and the
outside services a platform uses (browsers, calendar, mailbox, credentials), not the service.
"""
from __future__ import annotations

from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, time, timedelta
from typing import Any, Iterator, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from booking.browser.chrome import BrowserFactory
from booking.browser.page import Page
from booking.config.credentials import CredentialStore
from booking.config.settings import Settings
from booking.domain.hours import TeammatePreferences, parse_preferences
from booking.domain.slots import Interval, SlotRules, parse_iso
from booking.domain.urls import check_booking_url
from booking.mail.mailbox import Mailbox
from booking.platforms.agent import BookingJob
from booking.platforms.base import Invitee, Person, PlatformContext, PlatformOptions
from booking.platforms.http import UrllibHttp
from booking.platforms.registry import get_platform
from booking.store.bookings import BookingStore
from booking.store.db import Database
from booking.store.models import MeetingBookingRequest, SlackUser, Startup
from booking.workflow import review
from booking.workflow.contexts import build_context
from booking.workflow.ports import Clock
from booking.workflow.views import booking_view


class JobMaker:
    """Assembles a booking's browser job and opens its platform, configured as for the booking."""

    def __init__(self, db: Database, settings: Settings, clock: Clock, store: BookingStore, browsers: BrowserFactory,
                 *, availability: Any = None, mailbox: Mailbox | None = None,
                 credentials: CredentialStore | None = None) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.store = store
        self.browsers = browsers
        self.availability = availability
        self.mailbox = mailbox
        self.credentials = credentials

    def slot_rules(self, booking: MeetingBookingRequest, busy: Sequence[Interval] = (),
                   preferences: TeammatePreferences | None = None, held: Sequence[Interval] = ()) -> SlotRules:
        settings = self.settings
        prefs = preferences or TeammatePreferences()
        buffer = settings.buffer_minutes if prefs.buffer_minutes is None else prefs.buffer_minutes
        zone = ZoneInfo(booking.user_timezone)
        now = self.clock()
        earliest = now + timedelta(minutes=settings.lead_time_minutes)
        latest = now + timedelta(days=settings.search_days)
        if settings.window_start:
            earliest = max(earliest, datetime.combine(settings.window_start, time(0), zone))
        if settings.window_end:
            latest = min(latest, datetime.combine(settings.window_end + timedelta(days=1), time(0), zone))
        preferred = tuple(Interval(parse_iso(a), parse_iso(b)) for a, b in booking.preferred_times or [])
        return SlotRules(timezone=booking.user_timezone, earliest=earliest, latest=latest,
                         busy=tuple(busy), preferred=preferred, held=tuple(held),
                         working_hours=prefs.working_hours or settings.working_hours,
                         working_days=prefs.working_days or settings.working_days,
                         buffer=timedelta(minutes=buffer))

    def preferences_for(self, session: Session, booking: MeetingBookingRequest) -> TeammatePreferences:
        """The teammate's own working hours, days and buffer (PreferencesError if unreadable)."""
        user = session.get(SlackUser, booking.user_id) if booking.user_id else None
        return parse_preferences(user.preferences if user else None)

    def build_job(self, session: Session, booking: MeetingBookingRequest) -> BookingJob:
        people: list[Person] = []
        person_urls: dict[str, str] = {}
        if booking.startup_id:
            startup = session.get(Startup, booking.startup_id)
            if startup and startup.config:
                for entry in startup.config.available_people or []:
                    person = Person.from_config(entry)
                    if person.name:
                        people.append(person)
                        if entry.get("booking_url"):
                            person_urls[person.name] = check_booking_url(entry["booking_url"], self.settings.allowed_hosts)
        if booking.preferred_person:  # the teammate's choice goes first; the others stay as fallbacks
            wanted = booking.preferred_person.casefold()
            people.sort(key=lambda p: p.name.casefold() != wanted)
            if not any(p.name.casefold() == wanted for p in people):
                people.insert(0, Person(booking.preferred_person))
        invitee = Invitee(
            name=booking.user_name, email=booking.user_email, company=booking.user_company,
            role=booking.user_role, timezone=booking.user_timezone, phone=booking.user_phone,
        )
        job = BookingJob(
            booking_id=booking.id, url=booking.booking_url, startup_name=booking.startup_name,
            people=people, invitee=invitee,
            message_template=booking.message_template or self.settings.message_template,
            rules=self.slot_rules(booking, preferences=self.preferences_for(session, booking),
                                  held=self.store.held_intervals(session, booking)),
            person_urls=person_urls,
        )
        review.prepare_job(booking, job)
        return job

    def context(self, session: Session, booking: MeetingBookingRequest, invitee: Invitee) -> PlatformContext:
        """What the booking's platform is configured with (its recipe, sign-in, mailbox, answers)."""
        return build_context(session, booking, invitee, self.settings, self.clock, self.mailbox, self.credentials)

    def page(self, booking_id: int, label: str, timezone_name: str) -> AbstractContextManager[Page]:
        """A browser page for the booking's job, closed (and its browser with it) on leaving."""
        return self.browsers.session(booking_id, label, timezone_name)

    @contextmanager
    def platform_session(self, booking_id: int) -> Iterator[Any]:
        """A browser with the booking's platform, configured as for the booking (sign-in, mailbox)."""
        with self.db.session() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            invitee = self.build_job(session, booking).invitee
            platform_cls = get_platform(booking.booking_platform)
            context = self.context(session, booking, invitee)
        with self.page(booking_id, platform_cls.label, invitee.timezone) as page:
            platform = platform_cls(page, self.platform_options(invitee.timezone))
            platform.configure(context)
            yield platform

    def platform_options(self, timezone_name: str) -> PlatformOptions:
        """What a platform module may use besides the page: the teammate's zone, a public API."""
        return PlatformOptions(timezone=timezone_name, api_fast_path=self.settings.api_fast_path,
                               http=UrllibHttp(self.settings.step_timeout))

    def with_busy(self, rules: SlotRules, booking_id: int) -> SlotRules:
        """Add the teammate's calendar (when a calendar is configured) to the slot rules."""
        if self.availability is None:
            return rules
        with self.db.session() as session:
            view = booking_view(session.get_one(MeetingBookingRequest, booking_id))
        reaches = getattr(self.availability, "reaches", None)
        if reaches is not None and not reaches(view.user_email):
            return rules
        busy = self.availability.busy(view, rules.earliest, rules.latest)
        return SlotRules(**{**rules.__dict__, "busy": rules.busy + tuple(busy), "calendar_checked": True})

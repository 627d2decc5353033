"""A new booking request: who asks (:class:`Teammate`), for what (:class:`BookingRequestInput`), and the
checks it passes before anything is stored (:class:`BookingInputError` otherwise, nothing stored).

Apart from the ``BookingService`` facade so that validation, the directory look-up and the new row
live in one place the front-ends' inputs can be read against.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Sequence
from zoneinfo import ZoneInfo

from booking.config.settings import EMAIL_RE, Settings
from booking.domain.errors import BookingError
from booking.domain.messages import TemplateError, validate_template
from booking.domain.states import BookingStatus
from booking.domain.urls import check_booking_url
from booking.notify.notifier import DRY_RUN, BookingView
from booking.platforms.registry import detect_platform, fallback_platform, get_platform
from booking.store.bookings import BookingStore, upsert_user
from booking.store.db import Database
from booking.store.directory import find_startup
from booking.store.models import MeetingBookingRequest, Startup
from booking.workflow import questions
from booking.workflow.contexts import check_config_urls, platform_for_config
from booking.workflow.coordination import startup_key
from booking.workflow.ports import Clock
from booking.workflow.views import booking_view

S = BookingStatus


class BookingInputError(BookingError):
    """The request itself is unusable; nothing was stored. ``suggestions`` for unknown startups."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.suggestions = list(suggestions)


@dataclass(frozen=True)
class Teammate:
    """Who the booking is for (a Slack user, or the CLI's configured user)."""

    name: str
    email: str
    timezone: str
    user_id: str | None = None
    company: str | None = None
    role: str | None = None
    phone: str | None = None


@dataclass
class BookingRequestInput:
    """What a front-end asks for: a startup from the directory, or a raw URL."""

    teammate: Teammate
    startup: str | None = None
    url: str | None = None
    platform: str | None = None
    message_template: str | None = None
    preferred_times: list[tuple[datetime, datetime]] = field(default_factory=list)
    requested_via: str = "cli"
    thread_ref: dict[str, Any] = field(default_factory=dict)
    preferred_person: str | None = None  # tried first among the startup's people
    review_before_submit: bool = False  # fill the form, then wait for the teammate's Approve
    batch_id: int | None = None
    # Answers to the form's own questions (label → value): remembered for the startup, or kept on
    # the booking for a page outside the directory (booking/questions.py).
    answers: dict[str, str] = field(default_factory=dict)


def insert_booking(db: Database, store: BookingStore, settings: Settings, clock: Clock,
                   request: BookingRequestInput) -> BookingView:
    """Validate and store a new booking in ``pending``; BookingInputError, storing nothing."""
    teammate = validate_teammate(request.teammate, settings)
    template = request.message_template or settings.message_template
    try:
        validate_template(template)
    except TemplateError as exc:
        raise BookingInputError(f"Your message can't be used: {exc}") from None
    with db.transaction() as session:
        startup: Startup | None = None
        if request.startup:
            lookup = find_startup(session, request.startup)
            if lookup.startup is None:
                raise BookingInputError(f"I don't know a startup called {request.startup[:80]!r}", lookup.suggestions)
            startup = lookup.startup
            if startup.config is None:
                raise BookingInputError(f"{startup.display_name} has no booking page configured yet")
            url = startup.config.booking_url
            try:
                platform_name = platform_for_config(startup.config)
                check_config_urls(startup.config, settings.allowed_hosts)
            except BookingError as exc:
                raise BookingInputError(f"{startup.display_name}: {exc}") from None
            name = startup.display_name
        elif request.url:
            url = request.url
            detected = detect_platform(url, settings)
            platform_name = request.platform or (detected.name if detected else "")
            name = request.url
        else:
            raise BookingInputError("Tell me which startup to book (a name from the directory or a URL)")
        try:
            check_booking_url(url, settings.allowed_hosts)
            platform = get_platform(platform_name) if platform_name else None
        except BookingError as exc:
            raise BookingInputError(str(exc)) from None
        if platform is None:  # no module knows the page: read it the way a person does
            platform = fallback_platform()
        if teammate.user_id:
            upsert_user(session, teammate.user_id, teammate.name, teammate.email, teammate.timezone)
            session.flush()  # the booking row refers to the user row
        booking = MeetingBookingRequest(
            user_id=teammate.user_id,
            startup_id=startup.id if startup else None,
            startup_name=name[:200],
            status=S.PENDING.value,
            booking_platform=platform.name,
            booking_url=url,
            message_template=request.message_template,
            user_name=teammate.name,
            user_email=teammate.email,
            user_company=teammate.company or settings.company,
            user_role=teammate.role or settings.role,
            user_timezone=teammate.timezone,
            user_phone=(teammate.phone or "")[:50] or None,
            preferred_times=[[a.isoformat(), b.isoformat()] for a, b in request.preferred_times],
            requested_via=request.requested_via,
            thread_ref=dict(request.thread_ref),
            created_at=clock(),
            updated_at=clock(),
            startup_key=None if request.requested_via == DRY_RUN else startup_key(startup.id if startup else None, url),
            preferred_person=(request.preferred_person or "").strip()[:200] or None,
            review_before_submit=request.review_before_submit,
            batch_id=request.batch_id,
        )
        if request.answers:
            if startup is not None and startup.config is not None:
                questions.remember(startup.config, request.answers)
            else:
                booking.review_state = {"answers": questions.merged(request.answers)}
        session.add(booking)
        session.flush()
        store.log(session, booking, "status", None, S.PENDING, f"Requested via {request.requested_via}")
        return booking_view(booking)

def validate_teammate(teammate: Teammate, settings: Settings) -> Teammate:
    if not teammate.name.strip():
        raise BookingInputError("Your name is missing (set it in your Slack profile)")
    if not EMAIL_RE.fullmatch(teammate.email or ""):
        raise BookingInputError("Your e-mail address is missing or invalid (Booker needs users:read.email)")
    try:
        ZoneInfo(teammate.timezone)
    except Exception:
        teammate = Teammate(**{**teammate.__dict__, "timezone": settings.default_timezone})
    return teammate

"""The booking service: the one place that creates bookings, runs them and changes their state.

Both front-ends (the Slack bot and the CLI) call it. It validates a request before anything is
stored, runs the browser job on the bounded :class:`~booking.runtime.runner.JobRunner`, records every
status change in the audit trail, and reports progress through a :class:`~booking.notify.notifier.Notifier`.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from typing import Any, Callable, Iterator, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from booking.workflow import asking, questions, review
from booking.platforms.agent import BookingJob
from booking.workflow.batches import load_batch
from booking.browser.chrome import BrowserFactory
from booking.workflow.calendar_followup import CalendarFollowUp
from booking.workflow.contexts import build_context, check_config_urls, platform_for_config
from booking.workflow.coordination import Coordination, DuplicateBooking, startup_key
from booking.config.credentials import CredentialStore
from booking.store.db import Database
from booking.store.directory import find_startup
from booking.domain.errors import BookingError, UnknownPlatform
from booking.store.holds import ensure_lock_row, lock_teammate
from booking.workflow.job_run import claim_booking, run_job
from booking.store.liveness import CLAIM_DURATION, guard_write
from booking.mail.mailbox import Mailbox
from booking.domain.messages import TemplateError, validate_template
from booking.store.models import BookingEvent, MeetingBookingRequest, SlackUser, Startup
from booking.notify.notifier import DRY_RUN, BatchTracking, BookingView, NotifierFactory, NullNotifier, SafeNotifier
from booking.platforms.registry import detect_platform, get_platform
from booking.platforms.http import UrllibHttp
from booking.platforms.base import Invitee, Person, PlatformOptions
from booking.domain.hours import TeammatePreferences, parse_preferences
from booking.runtime.runner import JobRunner
from booking.config.settings import EMAIL_RE, Settings
from booking.domain.slots import Interval, OfferedSlot, SlotRules, parse_iso
from booking.domain.states import BookingStatus, check_transition
from booking.domain.urls import check_booking_url

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
S = BookingStatus
IN_FLIGHT = (S.PENDING, S.BOOKING_IN_PROGRESS, S.AWAITING_REVIEW, S.PENDING_CONFIRMATION, S.CONFIRMED,
             S.ADDED_TO_CALENDAR)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


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


class BookingService:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        browsers: BrowserFactory,
        runner: JobRunner,
        *,
        clock: Clock = utc_now,
        notifiers: NotifierFactory | None = None,
        availability: Any = None,
        mailbox: Mailbox | None = None,
        credentials: CredentialStore | None = None,
        claim_duration: timedelta = CLAIM_DURATION,
    ) -> None:
        self.db = db
        self.settings = settings
        self.browsers = browsers
        self.runner = runner
        self.clock = clock
        # Every notifier also refreshes its booking's batch summary (if it belongs to a batch).
        self.notifiers: NotifierFactory = BatchTracking(notifiers or (lambda view: NullNotifier()),
                                                        lambda batch_id: load_batch(self, batch_id))
        self.availability = availability
        self.mailbox = mailbox  # reads e-mailed codes for recipes (Gmail in production)
        self.credentials = credentials or CredentialStore(settings)
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}"
        self.claim_duration = claim_duration  # a running job renews its claim every third of this
        self._hold_locks: dict[str, threading.Lock] = {}
        self._hold_locks_guard = threading.Lock()

    # -- creating ---------------------------------------------------------------------------------
    def request_booking(self, request: BookingRequestInput) -> BookingView:
        """Validate and store a new booking in ``pending``; raises BookingInputError, storing nothing.

        A teammate has at most one live booking per startup (a unique index, so double clicks and
        re-sent commands can't race past it): a second one raises DuplicateBooking naming the first.
        """
        try:
            return self._insert_booking(request)
        except IntegrityError:
            existing = self._live_duplicate(request)
            if existing is None:
                raise
            raise DuplicateBooking(existing) from None

    def _live_duplicate(self, request: BookingRequestInput) -> BookingView | None:
        coordination = Coordination(self)
        key = coordination.key_for(request)
        return coordination.own_live_booking(request.teammate.email, key) if key else None

    def _insert_booking(self, request: BookingRequestInput) -> BookingView:
        teammate = self._validate_teammate(request.teammate)
        template = request.message_template or self.settings.message_template
        try:
            validate_template(template)
        except TemplateError as exc:
            raise BookingInputError(f"Your message can't be used: {exc}") from None
        with self.db.transaction() as session:
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
                    check_config_urls(startup.config, self.settings.allowed_hosts)
                except BookingError as exc:
                    raise BookingInputError(f"{startup.display_name}: {exc}") from None
                name = startup.display_name
            elif request.url:
                url = request.url
                detected = detect_platform(url, self.settings)
                platform_name = request.platform or (detected.name if detected else "")
                name = request.url
            else:
                raise BookingInputError("Tell me which startup to book (a name from the directory or a URL)")
            try:
                check_booking_url(url, self.settings.allowed_hosts)
                platform = get_platform(platform_name) if platform_name else None
            except BookingError as exc:
                raise BookingInputError(str(exc)) from None
            if platform is None:
                raise BookingInputError(
                    f"Booker doesn't recognise the booking page {url[:200]}; it needs a platform or a recipe"
                )
            if teammate.user_id:
                self._upsert_user(session, teammate)
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
                user_company=teammate.company or self.settings.company,
                user_role=teammate.role or self.settings.role,
                user_timezone=teammate.timezone,
                user_phone=(teammate.phone or "")[:50] or None,
                preferred_times=[[a.isoformat(), b.isoformat()] for a, b in request.preferred_times],
                requested_via=request.requested_via,
                thread_ref=dict(request.thread_ref),
                created_at=self.clock(),
                updated_at=self.clock(),
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
            self._log(session, booking, "status", None, S.PENDING, f"Requested via {request.requested_via}")
            return self.view(booking)

    def _validate_teammate(self, teammate: Teammate) -> Teammate:
        if not teammate.name.strip():
            raise BookingInputError("Your name is missing (set it in your Slack profile)")
        if not EMAIL_RE.fullmatch(teammate.email or ""):
            raise BookingInputError("Your e-mail address is missing or invalid (Booker needs users:read.email)")
        try:
            ZoneInfo(teammate.timezone)
        except Exception:
            teammate = Teammate(**{**teammate.__dict__, "timezone": self.settings.default_timezone})
        return teammate

    def _upsert_user(self, session: Session, teammate: Teammate) -> None:
        user = session.get(SlackUser, teammate.user_id)
        if user is None:
            user = SlackUser(id=teammate.user_id, name=teammate.name)
            session.add(user)
        user.name, user.email, user.tz = teammate.name, teammate.email, teammate.timezone

    def start(self, booking_id: int) -> BookingView:
        """Announce the booking (parent message), remember where, and queue the browser job."""
        view = self.get(booking_id)
        ref = SafeNotifier(self.notifiers(view)).queued(view)
        if ref:
            with self.db.transaction() as session:
                booking = session.get_one(MeetingBookingRequest, booking_id)
                booking.thread_ref = ref
                view = self.view(booking)
        self.runner.submit(self.run_booking, booking_id)
        return view

    # -- reading ----------------------------------------------------------------------------------
    def get(self, booking_id: int) -> BookingView:
        with self.db.session() as session:
            return self.view(session.get_one(MeetingBookingRequest, booking_id))

    def events(self, booking_id: int) -> list[BookingEvent]:
        with self.db.session() as session:
            return list(session.scalars(select(BookingEvent).where(BookingEvent.booking_id == booking_id).order_by(BookingEvent.id)))

    def view(self, booking: MeetingBookingRequest) -> BookingView:
        slots = tuple(s for s in (booking.proposed_slot_1_datetime, booking.proposed_slot_2_datetime) if s)
        try:
            label = get_platform(booking.booking_platform).label
        except UnknownPlatform:
            label = booking.booking_platform
        return BookingView(
            id=booking.id,
            status=booking.status,
            startup_name=booking.startup_name,
            platform=booking.booking_platform,
            platform_label=label,
            booking_url=booking.booking_url,
            user_id=booking.user_id,
            user_name=booking.user_name,
            user_email=booking.user_email,
            user_timezone=booking.user_timezone,
            person_name=booking.selected_person_name,
            proposed_slots=slots,
            confirmed_slot=booking.confirmed_slot_datetime,
            slot_duration_minutes=booking.slot_duration_minutes,
            external_booking_id=booking.external_booking_id,
            calendar_event_id=booking.calendar_event_id,
            message_sent=booking.message_sent,
            error_message=booking.error_message,
            confirmation_check_count=booking.confirmation_check_count,
            last_confirmation_check=booking.last_confirmation_check,
            confirmation_method=booking.confirmation_method,
            screenshots=tuple(booking.selenium_screenshots or ()),
            thread_ref=dict(booking.thread_ref or {}),
            retry_count=booking.retry_count,
            max_retries=booking.max_retries,
            created_at=booking.created_at,
            reschedule_to=booking.reschedule_proposed_at,
            startup_id=booking.startup_id,
            requested_via=booking.requested_via,
            preferred_person=booking.preferred_person,
            preferred_times=tuple((parse_iso(a), parse_iso(b)) for a, b in booking.preferred_times or []),
            message_template=booking.message_template,
            review_before_submit=bool(booking.review_before_submit),
            review_expires_at=booking.review_expires_at,
            batch_id=booking.batch_id,
            questions=tuple(questions.pending(booking.review_state)),
        )

    # -- state changes ----------------------------------------------------------------------------
    def _log(self, session: Session, booking: MeetingBookingRequest, kind: str, old: BookingStatus | None,
             new: BookingStatus | None, detail: str, data: dict[str, Any] | None = None) -> None:
        session.add(BookingEvent(
            booking_id=booking.id, at=self.clock(), kind=kind,
            from_status=old.value if old else None, to_status=new.value if new else None,
            detail=detail[:4000], data=data or {},
        ))

    def transition(self, session: Session, booking: MeetingBookingRequest, target: BookingStatus, detail: str) -> None:
        """Change status if the machine allows it (else InvalidTransition, nothing changed) and log it.

        A job that lost its claim may not change its booking: LostClaim, nothing changed.
        """
        guard_write(booking)
        current = booking.booking_status
        check_transition(booking.id, current, target)
        booking.status = target.value
        booking.updated_at = self.clock()
        self._log(session, booking, "status", current, target, detail)

    # -- running ----------------------------------------------------------------------------------
    def _claim(self, booking_id: int) -> MeetingBookingRequest | None:
        """pending → booking_in_progress under a new claim of this process; None if not pending (or raced)."""
        return claim_booking(self, booking_id)

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
                                  held=self.held_intervals(session, booking)),
            person_urls=person_urls,
        )
        review.prepare_job(booking, job)
        return job

    def run_booking(self, booking_id: int) -> BookingView:
        """The background job (booking/job_run.py): claim, drive the page, record the outcome. Never raises."""
        return run_job(self, booking_id, _DbSlotGuard(self, booking_id))

    def answer_questions(self, booking_id: int, user_id: str | None, answers: dict[str, str]) -> BookingView:
        """The teammate's answers to the questions the booking stopped on (label → value).

        Only the booking's teammate or an admin (NotAllowed otherwise); AnswerError for an unusable
        answer. The answers are remembered for the startup, and once every question has one the
        booking starts again from the beginning (as Retry does). See :mod:`booking.workflow.questions`.
        """
        return asking.answer(self, booking_id, user_id, answers)[0]

    @contextmanager
    def platform_session(self, booking_id: int) -> Iterator[Any]:
        """A browser with the booking's platform, configured as for the booking (sign-in, mailbox)."""
        with self.db.session() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            invitee = self.build_job(session, booking).invitee
            platform_cls = get_platform(booking.booking_platform)
            context = build_context(session, booking, invitee, self.settings, self.clock, self.mailbox, self.credentials)
        with self.browsers.session(booking_id, platform_cls.label, invitee.timezone) as page:
            platform = platform_cls(page, self.platform_options(invitee.timezone))
            platform.configure(context)
            yield platform

    def offer_reschedule(self, booking_id: int, new_start: datetime, how: str) -> BookingView:
        """The startup proposed another time: the booking keeps waiting and the teammate is asked."""
        with self.db.transaction() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            if booking.booking_status is not S.PENDING_CONFIRMATION or booking.reschedule_proposed_at == new_start:
                return self.view(booking)
            booking.reschedule_proposed_at = new_start
            self._log(session, booking, "note", None, None, f"{booking.startup_name} proposed a new time ({how})",
                      {"reschedule_to": new_start.isoformat()})
            view = self.view(booking)
        local = new_start.astimezone(ZoneInfo(view.user_timezone))
        when = f"{local:%a} {local.day} {local:%b} {local:%H:%M} ({view.user_timezone})"
        notifier = SafeNotifier(self.notifiers(view))
        notifier.updated(view)
        notifier.direct(view, f"{view.startup_name} proposed a new time for your meeting: {when}. "
                              "Accept or decline it with the buttons on the booking message.")
        return view

    def answer_reschedule(self, booking_id: int, accept: bool) -> BookingView:
        """Background job: accept or decline the proposed time on the platform, then act on its answer."""
        view = self.get(booking_id)
        if view.status != S.PENDING_CONFIRMATION or view.reschedule_to is None:
            return view
        notifier = SafeNotifier(self.notifiers(view))
        try:
            with self.platform_session(booking_id) as platform:
                answer = platform.respond_to_reschedule(view.booking_url, view.external_booking_id, accept)
        except BookingError as exc:
            notifier.step(view, f"Couldn't answer the new time on {view.platform_label}: {exc}")
            return view
        with self.db.transaction() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            booking.reschedule_proposed_at = None
            if answer.location:
                booking.meeting_location = answer.location
        if answer.state == "accepted":
            detail = f"You accepted {view.startup_name}'s new time on {view.platform_label}" + (
                f", {answer.location}" if answer.location else "")
            notifier.step(view, detail)
            return self.confirm(booking_id, "teammate", detail, answer.start)
        if not accept:
            notifier.step(view, f"You declined {view.startup_name}'s new time on {view.platform_label}")
        if not accept or answer.state in {"declined", "cancelled"}:
            return self.decline(booking_id, f"you declined {view.startup_name}'s new time" if not accept
                                else f"{answer.state} by {view.startup_name}")
        return self.get(booking_id)

    def platform_options(self, timezone_name: str) -> PlatformOptions:
        """What a platform module may use besides the page: the teammate's zone, a public API."""
        return PlatformOptions(timezone=timezone_name, api_fast_path=self.settings.api_fast_path,
                               http=UrllibHttp(self.settings.step_timeout))

    def _with_busy(self, rules: SlotRules, booking_id: int) -> SlotRules:
        """Add the teammate's calendar (when a calendar is configured) to the slot rules."""
        if self.availability is None:
            return rules
        view = self.get(booking_id)
        reaches = getattr(self.availability, "reaches", None)
        if reaches is not None and not reaches(view.user_email):
            return rules
        busy = self.availability.busy(view, rules.earliest, rules.latest)
        return SlotRules(**{**rules.__dict__, "busy": rules.busy + tuple(busy), "calendar_checked": True})

    def _record_success(self, booking_id: int, confirms_on_submit: bool, result: Any, notifier: SafeNotifier) -> BookingView:
        with self.db.transaction() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            person = result.person
            host = result.submit.host_name
            booking.selected_person_name = host or (person.name if person else None)
            if person and (not host or host.casefold() == person.name.casefold()):
                booking.selected_person_email = person.email
                booking.selected_person_role = person.role
            # Slot 1 is what was submitted; slot 2 the alternative offered in the message.
            others = [s for s in result.slots if s.start != result.booked.start]
            booking.proposed_slot_1_datetime = result.booked.start
            booking.proposed_slot_2_datetime = others[0].start if others else None
            booking.slot_duration_minutes = int(result.booked.duration.total_seconds() // 60)
            booking.message_sent = result.message
            booking.external_booking_id = result.submit.external_booking_id
            booking.status_url = result.submit.status_url
            if result.submit.platform:  # a widget on the startup's page: record whose it was
                booking.booking_platform = result.submit.platform
            booking.booking_completed_at = self.clock()
            booking.claimed_by = None
            booking.claim_expires_at = None
            self.transition(session, booking, S.PENDING_CONFIRMATION, f"Submitted on {booking.booking_platform}")
            if review.cancel_requested(session, booking_id):  # the cancel came after the form had gone
                self.transition(session, booking, S.CANCELLED, "Cancelled by the teammate after the form was sent")
            view = self.view(booking)
        notifier.updated(view)
        if view.status == S.CANCELLED:
            notifier.step(view, f"Your cancel arrived after the form was sent, so the booking on {view.platform_label} "
                                f"exists: cancel it with the link in the e-mail it sent to {view.user_email}.")
            return view
        if confirms_on_submit and result.submit.confirmed:
            return self.confirm(booking_id, "page", f"Confirmed by the booking page: {result.submit.summary}")
        return view

    def confirm(self, booking_id: int, method: str, detail: str, slot: datetime | None = None) -> BookingView:
        """pending_confirmation → confirmed (by the page, an e-mail, the API, the teammate), then follow-up.

        Idempotent: confirming a booking that is already confirmed or in the calendar changes nothing.
        """
        with self.db.transaction() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            if booking.booking_status in (S.CONFIRMED, S.ADDED_TO_CALENDAR):
                return self.view(booking)
            self.transition(session, booking, S.CONFIRMED, detail)
            booking.confirmation_method = method
            booking.confirmation_received_at = self.clock()
            booking.confirmed_slot_datetime = slot or booking.proposed_slot_1_datetime
            view = self.view(booking)
        SafeNotifier(self.notifiers(view)).updated(view)
        return self.after_confirmed(booking_id)

    def after_confirmed(self, booking_id: int) -> BookingView:
        """What follows a confirmation: the calendar event (once), added_to_calendar, and the teammate's DM."""
        return CalendarFollowUp(self).after_confirmed(booking_id)

    def retry_calendar(self, booking_id: int) -> BookingView:
        """Try again to add a confirmed booking to the teammate's calendar (the scheduler calls this)."""
        return CalendarFollowUp(self).retry(booking_id)

    def calendar_retries_due(self, now: datetime | None = None) -> list[int]:
        """Confirmed bookings still missing their calendar event whose retry time has come."""
        return CalendarFollowUp(self).due(now)

    def decline(self, booking_id: int, reason: str) -> BookingView:
        """The startup declined or cancelled: failed, with the reason, and the teammate is told."""
        with self.db.transaction() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            if booking.booking_status in (S.FAILED, S.CANCELLED):
                return self.view(booking)
            self.transition(session, booking, S.FAILED, reason)
            booking.error_message = reason
            view = self.view(booking)
        notifier = SafeNotifier(self.notifiers(view))
        notifier.updated(view)
        notifier.direct(view, f"Your meeting request with {view.startup_name} failed: {reason}")
        return view

    def fail_or_retry(self, booking_id: int, reason: str, retry: bool, notifier: SafeNotifier | None = None,
                      maybe_submitted: bool = False, dead_claim: str | None = None) -> BookingView:
        """A browser job stopped: queue a retry (bounded by max_retries, with backoff) or fail it.

        ``dead_claim`` (crash recovery): act only if the booking is still held by that claim, so a
        job that renewed or finished meanwhile is left alone.
        """
        if maybe_submitted:
            reason += " — the form may already have been sent; check the startup's page before retrying"
        with self.db.transaction() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            if dead_claim is not None and ((booking.claimed_by or "") != dead_claim
                                           or booking.booking_status is not S.BOOKING_IN_PROGRESS):
                return self.view(booking)
            booking.error_message = reason
            booking.booking_completed_at = self.clock()
            booking.claimed_by = None
            booking.claim_expires_at = None
            booking.proposed_slot_1_datetime = None
            booking.proposed_slot_2_datetime = None
            retrying = retry and booking.retry_count < booking.max_retries
            if review.cancel_requested(session, booking_id):  # the teammate asked to stop: stop, quietly
                retrying = False
                reason = ("Cancelled by the teammate; the form may already have been sent, check the startup's page"
                          if maybe_submitted else "Cancelled by the teammate before the form was sent; nothing was sent")
                booking.error_message = None
                self.transition(session, booking, S.CANCELLED, reason)
            elif retrying:
                booking.retry_count += 1
                self.transition(session, booking, S.PENDING, f"Retrying ({booking.retry_count}/{booking.max_retries}): {reason}")
            else:
                self.transition(session, booking, S.FAILED, reason)
            view = self.view(booking)
        notifier = notifier or SafeNotifier(self.notifiers(view))
        if retrying:
            notifier.step(view, f"Hit a problem, retrying ({view.retry_count}/{view.max_retries}): {reason}")
            delay = self.settings.retry_backoff_seconds * 2 ** (view.retry_count - 1)
            try:
                self.runner.submit_after(delay, self.run_booking, booking_id)
            except RuntimeError:  # shutting down: the pending booking is resumed at the next start
                log.warning("booking %s left pending for the next start (runner stopped)", booking_id)
        else:
            notifier.updated(view)
        return view

    # -- slot holds -------------------------------------------------------------------------------
    def _hold_lock(self, email: str) -> threading.Lock:
        with self._hold_locks_guard:
            return self._hold_locks.setdefault(email.casefold(), threading.Lock())

    def held_intervals(self, session: Session, booking: MeetingBookingRequest) -> list[Interval]:
        """Slots held or booked by the teammate's other live bookings."""
        others = session.scalars(
            select(MeetingBookingRequest).where(
                MeetingBookingRequest.id != booking.id,
                MeetingBookingRequest.user_email == booking.user_email,
                MeetingBookingRequest.status.in_([s.value for s in IN_FLIGHT]),
                or_(MeetingBookingRequest.proposed_slot_1_datetime.is_not(None),
                    MeetingBookingRequest.confirmed_slot_datetime.is_not(None)),
            )
        )
        intervals = []
        for other in others:
            length = timedelta(minutes=other.slot_duration_minutes or 30)
            if other.confirmed_slot_datetime and other.booking_status in (S.CONFIRMED, S.ADDED_TO_CALENDAR):
                starts = {other.confirmed_slot_datetime}  # the alternative is free again once confirmed
            else:
                starts = {other.proposed_slot_1_datetime, other.proposed_slot_2_datetime, other.confirmed_slot_datetime}
            for start in starts:
                if start:
                    intervals.append(Interval(start, start + length))
        return intervals


class _DbSlotGuard:
    """Holds slots on the booking row (proposed_slot_1/2), checked against the teammate's other bookings.

    The teammate's lock row serialises holds across threads and processes (``booking/holds.py``);
    the in-process lock just keeps this process's own jobs from queueing on the database lock.
    """

    def __init__(self, service: BookingService, booking_id: int) -> None:
        self.service = service
        self.booking_id = booking_id

    def hold(self, slots: Sequence[OfferedSlot]) -> list[OfferedSlot]:
        with self.service.db.session() as session:
            email = session.get_one(MeetingBookingRequest, self.booking_id).user_email
        ensure_lock_row(self.service.db, email)
        with self.service._hold_lock(email), self.service.db.transaction() as session:
            lock_teammate(session, email, f"{self.service.worker_id}#{self.booking_id}", self.service.clock())
            booking = session.get_one(MeetingBookingRequest, self.booking_id)
            guard_write(booking)  # a job that lost its claim holds nothing
            taken = self.service.held_intervals(session, booking)
            free = [s for s in slots if not any(s.interval.overlaps(t) for t in taken)]
            if free:
                booking.proposed_slot_1_datetime = free[0].start
                booking.proposed_slot_2_datetime = free[1].start if len(free) > 1 else None
                booking.slot_duration_minutes = int(free[0].duration.total_seconds() // 60)
            return free

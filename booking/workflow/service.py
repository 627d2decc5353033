"""The booking service: the facade both front-ends (the Slack bot and the CLI) call to create bookings,
run them and change their state.

It owns what lives as long as the process (the database, the booking store, the runner, the hold
locks) and hands each concern only what it needs: requests (validation, the new row), jobs (the
browser job's inputs and platform), holding (slot holds), outcomes (submitted, confirmed, declined,
failed or retried), reschedule, the calendar follow-up. The collaborators are built on each call
from the service's current settings, notifiers and browsers, so replacing one (as tests do) takes
effect at once. The runner is any :class:`~booking.workflow.ports.Runner` (the runtime's JobRunner);
booking jobs go through ``queue`` (a :class:`~booking.workflow.ports.JobQueue`): this process's runner
unless the runtime hands a database queue that any worker process takes jobs from.
"""
from __future__ import annotations

import os
import socket
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any, Callable, Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from booking.browser.chrome import BrowserFactory
from booking.config.credentials import CredentialStore
from booking.config.settings import Settings
from booking.domain.hours import TeammatePreferences
from booking.domain.slots import Interval, SlotRules
from booking.domain.states import BookingStatus
from booking.mail.mailbox import Mailbox
from booking.notify.notifier import BatchTracking, BookingView, NotifierFactory, NullNotifier, SafeNotifier
from booking.platforms.agent import BookingJob
from booking.platforms.base import PlatformOptions
from booking.store.bookings import BookingStore
from booking.store.db import Database
from booking.store.liveness import CLAIM_DURATION
from booking.store.models import BookingEvent, MeetingBookingRequest
from booking.workflow import asking
from booking.workflow.asking import QuestionPause
from booking.workflow.batches import load_batch
from booking.workflow.calendar_followup import CalendarFollowUp
from booking.workflow.coordination import Coordination, DuplicateBooking
from booking.workflow.holding import DbSlotGuard, HoldLocks
from booking.workflow.job_run import ClaimTerms, JobRun
from booking.workflow.jobs import JobMaker
from booking.workflow.outcomes import Outcomes
from booking.workflow.ports import Clock, JobQueue, Runner, utc_now
from booking.workflow.queueing import InProcessQueue
from booking.workflow.requests import BookingRequestInput, insert_booking
from booking.workflow.reschedule import Reschedules
from booking.workflow.review import Reviews
from booking.workflow.status_check import PageChecks
from booking.workflow.views import booking_view


class BookingService:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        browsers: BrowserFactory,
        runner: Runner,
        *,
        clock: Clock = utc_now,
        notifiers: NotifierFactory | None = None,
        availability: Any = None,
        mailbox: Mailbox | None = None,
        credentials: CredentialStore | None = None,
        claim_duration: timedelta = CLAIM_DURATION,
        queue: JobQueue | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.browsers = browsers
        self.runner = runner
        self.clock = clock
        self.store = BookingStore(db, clock)
        # Every notifier also refreshes its booking's batch summary (if it belongs to a batch).
        self.notifiers: NotifierFactory = BatchTracking(notifiers or (lambda view: NullNotifier()),
                                                        lambda batch_id: load_batch(self, batch_id))
        self.availability = availability
        self.mailbox = mailbox  # reads e-mailed codes for recipes (Gmail in production)
        self.credentials = credentials or CredentialStore(settings)
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}"
        self.claim_duration = claim_duration  # a running job renews its claim every third of this
        self.hold_locks = HoldLocks()
        self.job_queue = queue  # None: this process's runner (read on each call, as tests replace it)

    @property
    def queue(self) -> JobQueue:
        """Where booking jobs go to run: the database queue if the runtime gave one, else this process."""
        return self.job_queue or InProcessQueue(self.runner, self.job_kinds())

    def job_kinds(self) -> dict[str, Callable[[int], Any]]:
        """Every browser job by the kind a queued row names: what this process, or a worker taking the
        row, runs for it (read on each call, as tests replace ``run_booking``)."""
        return {
            "book": self.run_booking,
            "check_status": self.check_status,  # Check now: counted, always answers in the thread
            "recheck": lambda booking_id: self.check_status(booking_id, False),  # the monitor's page re-check
            "read_new_time": self.read_new_time,
            "reschedule:accept": lambda booking_id: self.answer_reschedule(booking_id, True),
            "reschedule:decline": lambda booking_id: self.answer_reschedule(booking_id, False),
        }

    # -- the collaborators, from the service's current settings -----------------------------------
    @property
    def jobs(self) -> JobMaker:
        return JobMaker(self.db, self.settings, self.clock, self.store, self.browsers,
                        availability=self.availability, mailbox=self.mailbox, credentials=self.credentials)

    @property
    def outcomes(self) -> Outcomes:
        return Outcomes(self.db, self.store, self.settings, self.clock, self.notifiers, self.queue,
                        self.after_confirmed)

    @property
    def reviews(self) -> Reviews:
        return Reviews(self.db, self.store, self.clock, self.notifiers, self.settings.review_timeout_minutes)

    @property
    def followup(self) -> CalendarFollowUp:
        return CalendarFollowUp(self.db, self.store, self.clock, self.notifiers, self.availability)

    def slot_guard(self, booking_id: int) -> DbSlotGuard:
        """What the agent holds its chosen slots with while this booking's job runs."""
        return DbSlotGuard(self.db, self.store, self.hold_locks, self.clock, self.worker_id, booking_id)

    # -- creating ---------------------------------------------------------------------------------
    def request_booking(self, request: BookingRequestInput) -> BookingView:
        """Validate and store a new booking in ``pending``; raises BookingInputError, storing nothing.

        A teammate has at most one live booking per startup (a unique index, so double clicks and
        re-sent commands can't race past it): a second one raises DuplicateBooking naming the first.
        """
        try:
            return insert_booking(self.db, self.store, self.settings, self.clock, request)
        except IntegrityError:
            coordination = Coordination(self)
            key = coordination.key_for(request)
            existing = coordination.own_live_booking(request.teammate.email, key) if key else None
            if existing is None:
                raise
            raise DuplicateBooking(existing) from None

    def start(self, booking_id: int) -> BookingView:
        """Announce the booking (parent message), remember where (on the row: any worker posts there), queue the job."""
        view = self.get(booking_id)
        ref = SafeNotifier(self.notifiers(view)).queued(view)
        if ref:
            with self.db.transaction() as session:
                booking = session.get_one(MeetingBookingRequest, booking_id)
                booking.thread_ref = ref
                view = self.view(booking)
        self.queue.enqueue(booking_id)
        return view

    # -- reading ----------------------------------------------------------------------------------
    def get(self, booking_id: int) -> BookingView:
        with self.db.session() as session:
            return self.view(session.get_one(MeetingBookingRequest, booking_id))

    def events(self, booking_id: int) -> list[BookingEvent]:
        return self.store.events(booking_id)

    def view(self, booking: MeetingBookingRequest) -> BookingView:
        return booking_view(booking)

    # -- state changes ----------------------------------------------------------------------------
    def transition(self, session: Session, booking: MeetingBookingRequest, target: BookingStatus, detail: str) -> None:
        """Change status if the machine allows it (else InvalidTransition) and log it; see BookingStore."""
        self.store.transition(session, booking, target, detail)

    # -- running ----------------------------------------------------------------------------------
    def _claim(self, booking_id: int) -> MeetingBookingRequest | None:
        """pending → booking_in_progress under a new claim of this process; None if not pending (or raced)."""
        return self.store.claim(booking_id, self.worker_id, self.claim_duration)

    def slot_rules(self, booking: MeetingBookingRequest, busy: Sequence[Interval] = (),
                   preferences: TeammatePreferences | None = None, held: Sequence[Interval] = ()) -> SlotRules:
        return self.jobs.slot_rules(booking, busy, preferences, held)

    def preferences_for(self, session: Session, booking: MeetingBookingRequest) -> TeammatePreferences:
        """The teammate's own working hours, days and buffer (PreferencesError if unreadable)."""
        return self.jobs.preferences_for(session, booking)

    def build_job(self, session: Session, booking: MeetingBookingRequest) -> BookingJob:
        return self.jobs.build_job(session, booking)

    def run_booking(self, booking_id: int) -> BookingView:
        """The background job (booking/workflow/job_run.py): claim, drive the page, record the outcome. Never raises."""
        terms = ClaimTerms(self.worker_id, self.claim_duration, timedelta(seconds=self.settings.job_budget_seconds))
        pause = QuestionPause(self.db, self.store, self.clock, self.settings.review_timeout_minutes, self.fail_or_retry)
        run = JobRun(self.db, self.store, self.jobs, self.outcomes, self.reviews, pause, self.notifiers, self.clock,
                     terms)
        return run.run(booking_id, self.slot_guard(booking_id))

    def answer_questions(self, booking_id: int, user_id: str | None, answers: dict[str, str]) -> BookingView:
        """The teammate's answers to the questions the booking stopped on (label → value).

        Only the booking's teammate or an admin (NotAllowed otherwise); AnswerError for an unusable
        answer. The answers are remembered for the startup, and once every question has one the
        booking starts again from the beginning (as Retry does). See :mod:`booking.workflow.asking`.
        """
        return asking.answer(self, booking_id, user_id, answers)[0]

    def platform_session(self, booking_id: int) -> AbstractContextManager[Any]:
        """A browser with the booking's platform, configured as for the booking (sign-in, mailbox)."""
        return self.jobs.platform_session(booking_id)

    def platform_options(self, timezone_name: str) -> PlatformOptions:
        """What a platform module may use besides the page: the teammate's zone, a public API."""
        return self.jobs.platform_options(timezone_name)

    # -- reschedules --------------------------------------------------------------------------------
    def offer_reschedule(self, booking_id: int, new_start: datetime, how: str) -> BookingView:
        """The startup proposed another time: the booking keeps waiting and the teammate is asked."""
        return Reschedules(self.db, self.store, self.notifiers, self.platform_session,
                           self.outcomes).offer_reschedule(booking_id, new_start, how)

    def answer_reschedule(self, booking_id: int, accept: bool) -> BookingView:
        """Background job: accept or decline the proposed time on the platform, then act on its answer."""
        return Reschedules(self.db, self.store, self.notifiers, self.platform_session,
                           self.outcomes).answer_reschedule(booking_id, accept)

    # -- a sent booking's page --------------------------------------------------------------------------
    @property
    def status_check(self) -> PageChecks:
        return PageChecks(self.db, self.clock, self.notifiers, self.platform_session, self.outcomes,
                           self.offer_reschedule)

    def check_status(self, booking_id: int, count: bool = True) -> BookingView:
        """Background job: read the request's status on the platform's page and act on it (see PageChecks)."""
        return self.status_check.check_status(booking_id, count)

    def read_new_time(self, booking_id: int) -> BookingView:
        """Background job: read the new time a "new time proposed" mail didn't say, and offer it."""
        return self.status_check.read_new_time(booking_id)

    # -- outcomes -----------------------------------------------------------------------------------
    def confirm(self, booking_id: int, method: str, detail: str, slot: datetime | None = None) -> BookingView:
        """pending_confirmation → confirmed (by the page, an e-mail, the API, the teammate), then follow-up.

        Idempotent: confirming a booking that is already confirmed or in the calendar changes nothing.
        """
        return self.outcomes.confirm(booking_id, method, detail, slot)

    def after_confirmed(self, booking_id: int) -> BookingView:
        """What follows a confirmation: the calendar event (once), added_to_calendar, and the teammate's DM."""
        return self.followup.after_confirmed(booking_id)

    def retry_calendar(self, booking_id: int) -> BookingView:
        """Try again to add a confirmed booking to the teammate's calendar (the scheduler calls this)."""
        return self.followup.retry(booking_id)

    def calendar_retries_due(self, now: datetime | None = None) -> list[int]:
        """Confirmed bookings still missing their calendar event whose retry time has come."""
        return self.followup.due(now)

    def decline(self, booking_id: int, reason: str) -> BookingView:
        """The startup declined or cancelled: failed, with the reason, and the teammate is told."""
        return self.outcomes.decline(booking_id, reason)

    def fail_or_retry(self, booking_id: int, reason: str, retry: bool, notifier: SafeNotifier | None = None,
                      maybe_submitted: bool = False, dead_claim: str | None = None) -> BookingView:
        """A browser job stopped: queue a retry (bounded by max_retries, with backoff) or fail it.

        ``dead_claim`` (crash recovery): act only if the booking is still held by that claim, so a
        job that renewed or finished meanwhile is left alone.
        """
        return self.outcomes.fail_or_retry(booking_id, reason, retry, notifier, maybe_submitted, dead_claim)

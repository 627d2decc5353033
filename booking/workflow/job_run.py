"""One browser job from claim to outcome, under a claim that renews itself.

Moved out of ``booking/service.py`` (past its size limit) when the job got a life of its own: the
claim (``booking/store/liveness.py``) heartbeats on its own timer while the job drives the page, the job
stops between steps when its claim was taken or its time budget is spent, and a job that lost its
claim writes no outcome (one warning line, the booking left to whoever holds it now).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm.exc import StaleDataError

from booking.domain.errors import BookingError, Cancelled, QuestionsUnanswered, SlotTaken
from booking.domain.states import BookingStatus
from booking.notify.notifier import BookingView, NotifierFactory, SafeNotifier
from booking.platforms.agent import BookingAgent, Phase, SlotGuard
from booking.platforms.registry import get_platform
from booking.store.bookings import BookingStore
from booking.store.db import Database
from booking.store.liveness import JobClaim, LostClaim
from booking.store.models import MeetingBookingRequest
from booking.workflow.asking import QuestionPause
from booking.workflow.jobs import JobMaker
from booking.workflow.outcomes import Outcomes
from booking.workflow.ports import Clock
from booking.workflow.review import Reviews
from booking.workflow.step_reporter import StepReporter
from booking.workflow.views import booking_view

log = logging.getLogger("booking.workflow.service")  # the job's lines read as the service's, as before the move
S = BookingStatus


@dataclass(frozen=True)
class ClaimTerms:
    """Under what claim a job runs: this process's worker id, how long a claim lasts, the job's time budget."""

    worker_id: str
    duration: timedelta
    budget: timedelta


class JobRun:
    """Runs one booking's browser job. Gets the database, the booking store, the job maker, where a
    job ends (outcomes, the review pause, the questions pause), the notifier factory, the clock and the
    claim's terms, not the service."""

    def __init__(self, db: Database, store: BookingStore, jobs: JobMaker, outcomes: Outcomes, reviews: Reviews,
                 questions: QuestionPause, notifiers: NotifierFactory, clock: Clock, terms: ClaimTerms) -> None:
        self.db = db
        self.store = store
        self.jobs = jobs
        self.outcomes = outcomes
        self.reviews = reviews
        self.questions = questions
        self.notifiers = notifiers
        self.clock = clock
        self.terms = terms

    def _get(self, booking_id: int) -> BookingView:
        with self.db.session() as session:
            return booking_view(session.get_one(MeetingBookingRequest, booking_id))

    def run(self, booking_id: int, slots: SlotGuard) -> BookingView:
        """The background job: claim, drive the page, record the outcome. Never raises.

        The claim renews itself while the job runs, so a slow step can't make the job look dead; a
        job whose claim passed to another worker stops and writes nothing.
        """
        claimed = self.store.claim(booking_id, self.terms.worker_id, self.terms.duration)
        if claimed is None:
            return self._get(booking_id)
        claim = JobClaim(self.db, booking_id, claimed.claimed_by or "", clock=self.clock,
                         duration=self.terms.duration, budget=self.terms.budget)
        try:
            with claim:
                return self._run_claimed(booking_id, booking_view(claimed), claim, slots)
        except LostClaim:
            log.warning("booking %s: this job lost its claim to another worker; it stopped and left the booking as "
                        "it is", booking_id)
            return self._get(booking_id)

    def _run_claimed(self, booking_id: int, view: BookingView, claim: JobClaim, slots: SlotGuard) -> BookingView:
        notifier = SafeNotifier(self.notifiers(view))
        notifier.updated(view)
        agent: BookingAgent | None = None
        fail_or_retry = self.outcomes.fail_or_retry
        try:
            with self.db.session() as session:
                booking = session.get_one(MeetingBookingRequest, booking_id)
                job = self.jobs.build_job(session, booking)
                platform_cls = get_platform(booking.booking_platform)
                context = self.jobs.context(session, booking, job.invitee)
            job.rules = self.jobs.with_busy(job.rules, booking_id)
            with self.jobs.page(booking_id, platform_cls.label, job.invitee.timezone) as page:
                reporter = StepReporter(self.db, self.store, booking_id, page, notifier, claim)
                platform = platform_cls(page, self.jobs.platform_options(job.invitee.timezone))
                platform.configure(context)
                agent = BookingAgent(platform, reporter, slots)
                try:
                    result = agent.run(job)
                except Cancelled:
                    raise
                except QuestionsUnanswered:
                    reporter("questions", "The form asks something only you can answer; nothing was sent")
                    raise
                except BookingError:
                    reporter("failure", "Screenshot of the page when the booking stopped")
                    raise
            if result.stopped_before_submit:  # review before submit, or a dry run
                return self.reviews.record_pause(booking_id, result, notifier)
            return self.outcomes.record_success(booking_id, platform_cls.confirms_on_submit, result, notifier)
        except Cancelled as exc:
            return fail_or_retry(booking_id, str(exc), False, notifier)
        except QuestionsUnanswered as exc:  # nothing was sent: ask the teammate (or fail, where nobody can be asked)
            return self.questions.stop(booking_id, exc, notifier)
        except BookingError as exc:
            # SlotTaken is the page's own "no" to the submit: nothing was booked, so don't say it may have been.
            submitted = agent is not None and agent.phase >= Phase.SUBMITTING and not isinstance(exc, SlotTaken)
            if claim.over_budget():  # out of time: say so, and don't spend another budget on a retry
                return fail_or_retry(booking_id, claim.stop_reason(exc), False, notifier, submitted)
            return fail_or_retry(booking_id, str(exc), exc.retryable and not submitted, notifier, submitted)
        except LostClaim:
            raise
        except StaleDataError:  # someone wrote the row meanwhile: if it was a new claim, this job is stale
            if not claim.released and not claim.renew():
                raise LostClaim(claim.owner) from None
            return self._unexpected(booking_id, agent, notifier)
        except Exception:
            return self._unexpected(booking_id, agent, notifier)

    def _unexpected(self, booking_id: int, agent: BookingAgent | None, notifier: SafeNotifier) -> BookingView:
        log.exception("booking %s failed unexpectedly", booking_id)
        submitted = agent is not None and agent.phase >= Phase.SUBMITTING
        return self.outcomes.fail_or_retry(
            booking_id, f"Something went wrong on our side (booking #{booking_id}); the team has the details",
            not submitted, notifier, submitted,
        )

"""One browser job from claim to outcome, under a claim that renews itself.

Moved out of ``booking/service.py`` (past its size limit) when the job got a life of its own: the
claim (``booking/liveness.py``) heartbeats on its own timer while the job drives the page, the job
stops between steps when its claim was taken or its time budget is spent, and a job that lost its
claim writes no outcome (one warning line, the booking left to whoever holds it now).
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm.exc import StaleDataError

from booking.workflow import asking, review
from booking.platforms.agent import BookingAgent, Phase, SlotGuard
from booking.workflow.contexts import build_context
from booking.domain.errors import BookingError, Cancelled, QuestionsUnanswered, SlotTaken
from booking.store.liveness import JobClaim, LostClaim
from booking.store.models import MeetingBookingRequest
from booking.notify.notifier import BookingView, SafeNotifier
from booking.platforms.registry import get_platform
from booking.domain.states import BookingStatus
from booking.workflow.step_reporter import StepReporter

if TYPE_CHECKING:
    from booking.workflow.service import BookingService

log = logging.getLogger("booking.workflow.service")  # the job's lines read as the service's, as before the move
S = BookingStatus


def run_job(service: "BookingService", booking_id: int, slots: SlotGuard) -> BookingView:
    """The background job: claim, drive the page, record the outcome. Never raises.

    The claim renews itself while the job runs, so a slow step can't make the job look dead; a
    job whose claim passed to another worker stops and writes nothing.
    """
    claimed = service.store.claim(booking_id, service.worker_id, service.claim_duration)
    if claimed is None:
        return service.get(booking_id)
    claim = JobClaim(service.db, booking_id, claimed.claimed_by or "", clock=service.clock,
                     duration=service.claim_duration, budget=timedelta(seconds=service.settings.job_budget_seconds))
    try:
        with claim:
            return _run_claimed(service, booking_id, service.view(claimed), claim, slots)
    except LostClaim:
        log.warning("booking %s: this job lost its claim to another worker; it stopped and left the booking as it is",
                    booking_id)
        return service.get(booking_id)


def _run_claimed(service: "BookingService", booking_id: int, view: BookingView, claim: JobClaim,
                 slots: SlotGuard) -> BookingView:
    notifier = SafeNotifier(service.notifiers(view))
    notifier.updated(view)
    agent: BookingAgent | None = None
    try:
        with service.db.session() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            job = service.build_job(session, booking)
            platform_cls = get_platform(booking.booking_platform)
            context = build_context(session, booking, job.invitee, service.settings, service.clock, service.mailbox,
                                    service.credentials)
        job.rules = service.jobs.with_busy(job.rules, booking_id)
        with service.browsers.session(booking_id, platform_cls.label, job.invitee.timezone) as page:
            reporter = StepReporter(service.db, service.store, booking_id, page, notifier, claim)
            platform = platform_cls(page, service.platform_options(job.invitee.timezone))
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
            return review.record_pause(service, booking_id, result, notifier)
        return service.outcomes.record_success(booking_id, platform_cls.confirms_on_submit, result, notifier)
    except Cancelled as exc:
        return service.fail_or_retry(booking_id, str(exc), False, notifier)
    except QuestionsUnanswered as exc:  # nothing was sent: ask the teammate (or fail, where nobody can be asked)
        return asking.stop_on_questions(service, booking_id, exc, notifier)
    except BookingError as exc:
        # SlotTaken is the page's own "no" to the submit: nothing was booked, so don't say it may have been.
        submitted = agent is not None and agent.phase >= Phase.SUBMITTING and not isinstance(exc, SlotTaken)
        if claim.over_budget():  # out of time: say so, and don't spend another budget on a retry
            return service.fail_or_retry(booking_id, claim.stop_reason(exc), False, notifier, submitted)
        return service.fail_or_retry(booking_id, str(exc), exc.retryable and not submitted, notifier, submitted)
    except LostClaim:
        raise
    except StaleDataError:  # someone wrote the row meanwhile: if it was a new claim, this job is stale
        if not claim.released and not claim.renew():
            raise LostClaim(claim.owner) from None
        return _unexpected(service, booking_id, agent, notifier)
    except Exception:
        return _unexpected(service, booking_id, agent, notifier)


def _unexpected(service: "BookingService", booking_id: int, agent: BookingAgent | None,
                notifier: SafeNotifier) -> BookingView:
    log.exception("booking %s failed unexpectedly", booking_id)
    submitted = agent is not None and agent.phase >= Phase.SUBMITTING
    return service.fail_or_retry(
        booking_id, f"Something went wrong on our side (booking #{booking_id}); the team has the details",
        not submitted, notifier, submitted,
    )

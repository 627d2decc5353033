"""Liveness that can't lie: a running browser job holds its booking by a claim it keeps alive itself.

Why: a claim renewed only between steps lapsed while one slow step (a page that takes minutes to
show its form) still ran, so the monitor judged a live job dead and ran the booking a second time.

- :class:`JobClaim` renews the claim on a timer of its own (a daemon thread, every third of the
  claim's duration) with a conditional UPDATE (``WHERE id = ? AND claimed_by = <this claim>``).
  When the row names another claim, the job is told to stop (:attr:`JobClaim.lost`), which it
  checks between steps; every status change the job then attempts is refused (:func:`guard_write`)
  without touching the booking.
- A claim names its holder: ``<host>:<pid>#<nonce>`` (the nonce tells two attempts of one process
  apart). :func:`claim_is_dead` judges it dead only when its holder is gone: no heartbeat for the
  claim's whole duration (three missed beats), or a process on this host that no longer runs.
- Every job has a time budget; a recipe's waits are cut to what is left of it (:func:`within_budget`)
  and the job stops itself, with the reason, once it is spent (:class:`BudgetExceeded`).
"""
from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Callable

import psutil
from sqlalchemy import event, update

from booking.domain.errors import BookingError, PageChanged
from booking.store.db import Database
from booking.store.models import MeetingBookingRequest

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
CLAIM_DURATION = timedelta(minutes=3)
BEATS_PER_CLAIM = 3  # a claim lapses only after this many heartbeats in a row were missed
LOADED_CLAIM = "_claim_at_load"  # the row's claimed_by as this session read it (flushes don't change it)
_CURRENT: ContextVar["JobClaim | None"] = ContextVar("booker_job_claim", default=None)


class LostClaim(Exception):
    """This job's claim passed to another worker: it stops and writes nothing more to the booking."""


class BudgetExceeded(BookingError):
    """The job ran out of its time budget; retrying the same page would only spend another one."""

    retryable = False


def new_owner(worker_id: str) -> str:
    """A claim's holder: this process (``host:pid``) and a nonce for this one attempt."""
    return f"{worker_id}#{secrets.token_hex(4)}"


def holder_process(owner: str | None) -> tuple[str, int | None]:
    """(host, pid) named by a claim; pid None when the claim doesn't name one."""
    process = (owner or "").split("#", 1)[0]
    host, _, pid = process.rpartition(":")
    return host, int(pid) if pid.isdigit() else None


def claim_is_dead(owner: str | None, expires: datetime | None, now: datetime) -> bool:
    """Dead when its holder is gone: no heartbeat for the claim's duration, or its process on this host ended."""
    if expires is None or expires < now:
        return True
    host, pid = holder_process(owner)
    if host == socket.gethostname() and pid is not None and pid != os.getpid():
        return not psutil.pid_exists(pid)
    return False


def describe_duration(seconds: float) -> str:
    """'15 minutes', '90 seconds': how long a budget was, for the teammate."""
    if seconds >= 120 and seconds % 60 == 0:
        return f"{int(seconds // 60)} minutes"
    return f"{seconds:g} seconds"


class JobClaim:
    """One browser job's hold on its booking: heartbeat, lost flag and time budget.

    Use as a context manager around the job: it starts the heartbeat thread, makes itself the
    claim of the calling thread (for :func:`guard_write` and :func:`within_budget`), and
    stops the heartbeat in ``__exit__`` whatever happened.
    """

    def __init__(self, db: Database, booking_id: int, owner: str, *, clock: Clock,
                 duration: timedelta = CLAIM_DURATION, budget: timedelta = timedelta(minutes=15)) -> None:
        self.db = db
        self.booking_id = booking_id
        self.owner = owner
        self.clock = clock
        self.duration = duration
        self.budget = budget
        self.deadline = clock() + budget
        self.lost = threading.Event()
        self.released = False  # the job wrote its outcome (the claim was cleared): nothing left to guard
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._token: object = None

    # -- the heartbeat ----------------------------------------------------------------------------
    def renew(self) -> bool:
        """Push the claim's expiry forward if the row still names this claim; False (and lost) if not."""
        with self.db.transaction() as session:
            renewed = session.execute(
                update(MeetingBookingRequest)
                .where(MeetingBookingRequest.id == self.booking_id, MeetingBookingRequest.claimed_by == self.owner)
                .values(claim_expires_at=self.clock() + self.duration)
                .execution_options(synchronize_session=False)
            ).rowcount
        if not renewed and not self.released:
            self.lost.set()
        return bool(renewed)

    def _beat(self) -> None:
        interval = self.duration.total_seconds() / BEATS_PER_CLAIM
        while not self._stop.wait(interval):
            if self.released:
                return
            try:
                if not self.renew():
                    return
            except Exception:  # a database hiccup: the next beat tries again, the claim has slack for two
                log.warning("booking %s: couldn't renew the job's claim this time", self.booking_id, exc_info=True)

    def __enter__(self) -> "JobClaim":
        self._token = _CURRENT.set(self)
        self._thread = threading.Thread(target=self._beat, name=f"claim-{self.booking_id}", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.duration.total_seconds())
        _CURRENT.reset(self._token)  # type: ignore[arg-type]

    # -- what the job checks ----------------------------------------------------------------------
    def remaining(self) -> float:
        """Seconds left of the job's budget (never negative)."""
        return max(0.0, (self.deadline - self.clock()).total_seconds())

    def over_budget(self) -> bool:
        return self.clock() >= self.deadline

    def budget_reason(self, what: str) -> str:
        return f"Stopped after {describe_duration(self.budget.total_seconds())} (the time one booking may take): {what}"

    def stop_reason(self, exc: BookingError) -> str:
        """The teammate's sentence for an error that ended a job over its budget."""
        if isinstance(exc, BudgetExceeded):
            return str(exc)
        if isinstance(exc, PageChanged):
            return self.budget_reason(f"the page never showed {exc.what}")
        return self.budget_reason(str(exc))

    def between_steps(self, step_text: str) -> None:
        """Stop here if the claim was lost (LostClaim) or the budget is spent (BudgetExceeded)."""
        if self.lost.is_set():
            raise LostClaim(self.owner)
        if self.over_budget():
            raise BudgetExceeded(self.budget_reason(f"the booking had not finished (last step: {step_text})"))

    def guard(self, booking: MeetingBookingRequest) -> None:
        """Refuse (LostClaim) a write to ``booking`` unless it was loaded still claimed by this job."""
        if self.released:
            return
        loaded = getattr(booking, LOADED_CLAIM, booking.claimed_by)
        if self.lost.is_set() or loaded != self.owner:
            self.lost.set()
            raise LostClaim(self.owner)
        if booking.claimed_by is None:  # this write is the job's outcome: the claim ends with it
            self.released = True


@event.listens_for(MeetingBookingRequest, "load")
def _remember_claim(booking: MeetingBookingRequest, _context: object) -> None:
    """Keep the claim as read: with the row's version check at flush, guard() is a compare-and-set."""
    setattr(booking, LOADED_CLAIM, booking.claimed_by)


@event.listens_for(MeetingBookingRequest, "refresh")
def _remember_refreshed_claim(booking: MeetingBookingRequest, _context: object, attrs: object) -> None:
    if attrs is None or "claimed_by" in attrs:  # type: ignore[operator]
        setattr(booking, LOADED_CLAIM, booking.claimed_by)


def guard_write(booking: MeetingBookingRequest) -> None:
    """Called before a job's writes (status changes, slot holds): one that lost its claim may not write."""
    claim = _CURRENT.get()
    if claim is not None and claim.booking_id == booking.id:
        claim.guard(booking)


def within_budget(seconds: float) -> float:
    """A wait of ``seconds`` cut to what is left of the running job's budget (0: one look, no wait).

    A wait cut short fails as usual, naming what never came; the job then reports it as over budget.
    """
    claim = _CURRENT.get()
    return seconds if claim is None else min(seconds, claim.remaining())

"""What a running browser job does between two steps: record and announce the step, then decide
whether to go on.

Moved out of ``booking/service.py`` (which was near its size limit) when steps stopped being the
claim's heartbeat: the claim now renews itself (``booking/store/liveness.py``), and a step only checks
whether the job may go on — not cancelled, its claim still its own, its time budget not spent.
"""
from __future__ import annotations

from pathlib import Path

from booking.browser.page import Page
from booking.domain.errors import Cancelled
from booking.notify.notifier import SafeNotifier
from booking.store.bookings import BookingStore
from booking.store.db import Database
from booking.store.liveness import JobClaim, LostClaim
from booking.store.models import MeetingBookingRequest
from booking.workflow import review
from booking.workflow.views import booking_view

# Reported after the point of no return: the job must get to record what happened.
FINAL_STEPS = ("submitted", "failure")


class StepReporter:
    """Screenshot, audit-log and announce one step of a browser job; stop it between steps if it must."""

    def __init__(self, db: Database, store: BookingStore, booking_id: int, page: Page, notifier: SafeNotifier,
                 claim: JobClaim) -> None:
        self.db = db
        self.store = store
        self.booking_id = booking_id
        self.page = page
        self.notifier = notifier
        self.claim = claim

    def __call__(self, step: str, text: str) -> None:
        final = step in FINAL_STEPS
        if not final:
            self.claim.between_steps(text)
        path: Path | None = self.page.screenshot(step, with_tree=step == "failure")
        with self.db.transaction() as session:
            booking = session.get_one(MeetingBookingRequest, self.booking_id)
            if booking.claimed_by != self.claim.owner:  # another worker runs this booking now: write nothing
                self.claim.lost.set()
                raise LostClaim(self.claim.owner)
            if path:
                booking.selenium_screenshots = [*(booking.selenium_screenshots or []), str(path)]
            self.store.log(session, booking, "step", None, None, text, {"step": step, "screenshot": str(path) if path else None})
            view = booking_view(booking)
            # Stop at the next step when the teammate pressed Cancel; once submitted there is no going back.
            stop = not final and review.cancel_requested(session, self.booking_id)
        self.notifier.step(view, text, path)
        if stop:
            raise Cancelled("Cancelled by the teammate before the form was sent; nothing was sent")

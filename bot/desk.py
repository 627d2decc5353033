"""Asking for bookings from Slack, shared by ``/book``, the booking form, "Book anyway" and batches.

The desk turns what a teammate asked for into a core request, asks the core about clashes (their
own live booking with that startup: point them to it; a colleague's: ask "Book anyway?"), and
starts the booking. It returns what happened; the listener decides how to say it.
"""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Callable

from slack_sdk import WebClient

from booking.notify.notifier import BatchTracking, BookingView
from booking.workflow.batches import attach_summary, create_batch, record_skipped
from booking.workflow.coordination import Coordination, DuplicateBooking
from booking.workflow.preferences import review_by_default, saved_timezone
from booking.workflow.requests import BookingInputError, BookingRequestInput, Teammate
from booking.workflow.service import BookingService
from bot.blocks.lists import batch_placeholder
from bot.notifier import post_with_dm_fallback
from bot.users import teammate_from_slack

log = logging.getLogger(__name__)


@dataclass
class Ask:
    """One startup a teammate asked for, with the form's options."""

    startup: str | None = None
    url: str | None = None
    preferred_person: str | None = None
    preferred_times: list[tuple[datetime, datetime]] = field(default_factory=list)
    message_template: str | None = None
    review: bool | None = None  # None: the teammate's default
    batch_id: int | None = None

    @property
    def label(self) -> str:
        return self.startup or self.url or "?"


@dataclass(frozen=True)
class Asked:
    """What came of an Ask: started, theirs already, a colleague's (ask first), or unusable."""

    kind: str  # "started" | "yours" | "colleagues" | "invalid"
    view: BookingView | None = None
    colleagues: tuple[BookingView, ...] = ()
    message: str = ""


class BookingDesk:
    # Threads for a command's work after its ack (looking up the teammate, the clash check, the row,
    # the parent message): a few, since it is short and mostly waits on Slack and the database.
    ERRAND_THREADS = 4

    def __init__(self, service: BookingService, client: WebClient) -> None:
        self.service = service
        self.client = client
        self.coordination = Coordination(service)
        self.errands = ThreadPoolExecutor(max_workers=self.ERRAND_THREADS, thread_name_prefix="booker-desk")

    def hand_off(self, errand: Callable[[], None], what: str) -> None:
        """Run ``errand`` (which tells the teammate how it went) on the desk's own threads.

        Bolt acks a request only when one of its listener threads reaches ``ack()``; if those
        threads also did the work after the ack, a burst of commands would queue every later ack
        behind the earlier ones' work (3 s of it for 200 at once), past Slack's 3-second limit.
        """
        def run() -> None:
            try:
                errand()
            except Exception:  # the errand answers the teammate itself; this is the last net
                log.exception("%s failed after its ack", what)

        self.errands.submit(run)

    def teammate(self, user_id: str) -> Teammate:
        """From Slack's profile; the zone chosen on the Home tab's working-hours form wins."""
        found = teammate_from_slack(self.client, user_id, self.service.settings.default_timezone)
        zone = saved_timezone(self.service, user_id)
        return replace(found, timezone=zone) if zone else found

    def request_for(self, teammate: Teammate, ask: Ask, channel: str | None) -> BookingRequestInput:
        review = ask.review if ask.review is not None else review_by_default(self.service, teammate.user_id)
        template = ask.message_template
        if template is not None and template.strip() == self.service.settings.message_template.strip():
            template = None  # unchanged from the team's template: follow later changes to it
        return BookingRequestInput(
            teammate=teammate, startup=ask.startup, url=ask.url, message_template=template,
            preferred_times=list(ask.preferred_times), requested_via="slack",
            thread_ref={"channel": channel} if channel else {}, preferred_person=ask.preferred_person,
            review_before_submit=review, batch_id=ask.batch_id,
        )

    def ask(self, teammate: Teammate, ask: Ask, channel: str | None, *, book_anyway: bool = False) -> Asked:
        request = self.request_for(teammate, ask, channel)
        with self.coordination.deciding(request) as clash:
            if clash.own is not None:
                return Asked("yours", clash.own)
            if clash.colleagues and not book_anyway:
                return Asked("colleagues", colleagues=clash.colleagues)
            try:
                view = self.service.request_booking(request)
            except DuplicateBooking as exc:  # a double click in another process that raced past the check
                return Asked("yours", exc.existing)
            except BookingInputError as exc:
                hint = f" Did you mean: {', '.join(exc.suggestions)}?" if exc.suggestions else ""
                return Asked("invalid", message=f"{exc}.{hint}")
        return Asked("started", self.service.start(view.id))

    def ask_batch(self, teammate: Teammate, asks: list[Ask], channel: str | None,
                  request_text: str) -> tuple[int, list[tuple[Ask, Asked]]]:
        """Queue each startup (one thread each) under one summary; returns the clashes to ask about."""
        batch_id = create_batch(self.service, teammate.user_id, request_text)
        text, blocks = batch_placeholder([a.label for a in asks], teammate.user_id)
        ref = post_with_dm_fallback(self.client, channel, teammate.user_id, text, blocks)
        attach_summary(self.service, batch_id, ref)
        clashes = []
        for ask in asks:
            ask.batch_id = batch_id
            asked = self.ask(teammate, ask, channel)
            if asked.kind == "started":
                continue
            if asked.kind == "yours" and asked.view is not None:
                record_skipped(self.service, batch_id, ask.label, "you already have a booking with them",
                               link=asked.view.link or "")
            elif asked.kind == "colleagues":
                names = ", ".join(sorted({c.user_name for c in asked.colleagues}))
                record_skipped(self.service, batch_id, ask.label,
                               f"{names} already has a booking with them (Book anyway? is in your private reply)",
                               link=asked.colleagues[0].link or "")
                clashes.append((ask, asked))
            else:
                record_skipped(self.service, batch_id, ask.label, asked.message)
        refresh_batch(self.service, batch_id)
        return batch_id, clashes


def refresh_batch(service: BookingService, batch_id: int) -> None:
    tracking: Any = service.notifiers
    if isinstance(tracking, BatchTracking):
        tracking.refresh(batch_id)

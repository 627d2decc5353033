"""Asking for bookings from Slack, shared by ``/book``, the booking form, "Book anyway" and batches.

The desk turns what a teammate asked for into a core request, asks the core about clashes (their
own live booking with that startup: point them to it; a colleague's: ask "Book anyway?"), and
starts the booking. It returns what happened; the listener decides how to say it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk import WebClient

from bot.blocks import batch_placeholder
from bot.notifier import post_with_dm_fallback
from bot.users import teammate_from_slack
from booking.batches import attach_summary, create_batch, record_skipped
from booking.coordination import Coordination, DuplicateBooking
from booking.notify import BatchTracking, BookingView
from booking.preferences import review_by_default
from booking.service import BookingInputError, BookingRequestInput, BookingService, Teammate

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
    def __init__(self, service: BookingService, client: WebClient) -> None:
        self.service = service
        self.client = client
        self.coordination = Coordination(service)

    def teammate(self, user_id: str) -> Teammate:
        return teammate_from_slack(self.client, user_id, self.service.settings.default_timezone)

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
        clash = self.coordination.clash(request)
        if clash.own is not None:
            return Asked("yours", clash.own)
        if clash.colleagues and not book_anyway:
            return Asked("colleagues", colleagues=clash.colleagues)
        try:
            view = self.service.request_booking(request)
        except DuplicateBooking as exc:  # a double click that raced past the check above
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

"""Database tables (SQLAlchemy 2.0 typed ORM).

Field names follow the original plan's ``MeetingBookingRequest`` and ``StartupBookingConfig``.
All datetimes are stored as UTC and come back timezone-aware. Functions elsewhere take a
``Session``; whoever owns the unit of work opens and commits it.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy import (
    JSON, BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, TypeDecorator, text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from booking.domain.states import BookingStatus

# Statuses in which a teammate "has" a booking with a startup: a second one for the same startup is
# refused by the partial unique index below (double clicks, re-sent commands).
LIVE_STATUS_SQL = (
    "status IN ('pending', 'booking_in_progress', 'awaiting_review', 'pending_confirmation', "
    "'confirmed', 'added_to_calendar')"
)


class UTCDateTime(TypeDecorator[datetime]):
    """Store naive UTC, hand back aware UTC, refuse naive input (it would be ambiguous)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; attach a time zone first")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class Startup(Base):
    """One entry of the startup directory; ``aliases`` help the fuzzy ``/book`` lookup."""

    __tablename__ = "startups"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    config: Mapped[Optional["StartupBookingConfig"]] = relationship(
        back_populates="startup", uselist=False, cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"Startup(id={self.id!r}, display_name={self.display_name!r})"


class StartupBookingConfig(Base):
    """How to book a startup: its platform, page, people and (for custom pages) recipe."""

    __tablename__ = "startup_booking_configs"

    id: Mapped[int] = mapped_column(primary_key=True)
    startup_id: Mapped[str] = mapped_column(ForeignKey("startups.id"), unique=True)
    platform_type: Mapped[str] = mapped_column(String(40))
    booking_url: Mapped[str] = mapped_column(String(2000))
    # [{"name": "John Doe", "role": "CEO", "email": "john@startup.com"}], in order of preference
    available_people: Mapped[list[Any]] = mapped_column(default=list)
    selectors: Mapped[dict[str, Any]] = mapped_column(default=dict)
    success_indicators: Mapped[list[Any]] = mapped_column(default=list)
    # A custom page's recipe (YAML, see booking/recipes.py); when set, it replaces ``selectors``.
    recipe: Mapped[Optional[str]] = mapped_column(Text)
    automation_notes: Mapped[Optional[str]] = mapped_column(Text)
    requires_auth: Mapped[bool] = mapped_column(Boolean, default=False)
    # Answers to the form's own questions (label → value), given by a teammate once and reused for the
    # next colleague (``booking/questions.py``); editable with ``python -m booking startups answers``.
    form_answers: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON, default=dict)
    last_tested: Mapped[Optional[datetime]]
    is_working: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    startup: Mapped[Startup] = relationship(back_populates="config")

    def __repr__(self) -> str:
        return f"StartupBookingConfig(startup_id={self.startup_id!r}, platform_type={self.platform_type!r})"


class SlackUser(Base):
    """A teammate as Slack knows them; name, e-mail and zone fill the booking form."""

    __tablename__ = "slack_users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[Optional[str]] = mapped_column(String(320))
    tz: Mapped[Optional[str]] = mapped_column(String(64))
    preferences: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"SlackUser(id={self.id!r}, name={self.name!r})"


class MeetingBookingRequest(Base):
    """One attempt to book one startup for one teammate, from request to calendar."""

    __tablename__ = "meeting_booking_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[Optional[str]] = mapped_column(ForeignKey("slack_users.id"), index=True)
    startup_id: Mapped[Optional[str]] = mapped_column(ForeignKey("startups.id"), index=True)
    startup_name: Mapped[str] = mapped_column(String(200))

    status: Mapped[str] = mapped_column(String(32), default=BookingStatus.PENDING.value, index=True)

    booking_platform: Mapped[str] = mapped_column(String(40))
    booking_url: Mapped[str] = mapped_column(String(2000))

    selected_person_name: Mapped[Optional[str]] = mapped_column(String(200))
    selected_person_email: Mapped[Optional[str]] = mapped_column(String(320))
    selected_person_role: Mapped[Optional[str]] = mapped_column(String(200))

    proposed_slot_1_datetime: Mapped[Optional[datetime]]
    proposed_slot_2_datetime: Mapped[Optional[datetime]]
    confirmed_slot_datetime: Mapped[Optional[datetime]]
    slot_duration_minutes: Mapped[Optional[int]] = mapped_column(Integer)
    preferred_times: Mapped[list[Any]] = mapped_column(default=list)

    message_template: Mapped[Optional[str]] = mapped_column(Text)
    message_sent: Mapped[Optional[str]] = mapped_column(Text)

    selenium_session_id: Mapped[Optional[str]] = mapped_column(String(100))
    selenium_screenshots: Mapped[list[Any]] = mapped_column(default=list)

    confirmation_check_count: Mapped[int] = mapped_column(Integer, default=0)
    last_confirmation_check: Mapped[Optional[datetime]]
    confirmation_method: Mapped[Optional[str]] = mapped_column(String(40))
    confirmation_received_at: Mapped[Optional[datetime]]

    external_booking_id: Mapped[Optional[str]] = mapped_column(String(200))
    # The platform's page for this booking (Cal.com's /booking/<uid>): re-checks and API calls start here.
    status_url: Mapped[Optional[str]] = mapped_column(String(2000))
    calendar_event_id: Mapped[Optional[str]] = mapped_column(String(1024))
    # The iCalUID of the startup's own invite found in Gmail: our calendar entry reuses it (no duplicate).
    invite_ical_uid: Mapped[Optional[str]] = mapped_column(String(1024))
    # Where the meeting happens when the platform says (a Slush table number); goes in the event.
    meeting_location: Mapped[Optional[str]] = mapped_column(String(500))
    # A new time the startup proposed (a matchmaking reschedule), until the teammate answers.
    reschedule_proposed_at: Mapped[Optional[datetime]]
    # Adding the event after confirmation: failed tries so far and when to try again.
    calendar_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    calendar_retry_at: Mapped[Optional[datetime]]

    user_name: Mapped[str] = mapped_column(String(200))
    user_email: Mapped[str] = mapped_column(String(320))
    user_company: Mapped[str] = mapped_column(String(200), default="AXA Innovation")
    user_role: Mapped[str] = mapped_column(String(200), default="Venture Client Team")
    user_timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    user_phone: Mapped[Optional[str]] = mapped_column(String(50))

    error_message: Mapped[Optional[str]] = mapped_column(Text)
    retry_count: Mapped[int] = mapped_column(Integer, default=0)
    max_retries: Mapped[int] = mapped_column(Integer, default=3)

    # Where progress goes (e.g. {"channel": "C1", "ts": "1.2"}); opaque to the core.
    thread_ref: Mapped[dict[str, Any]] = mapped_column(default=dict)
    requested_via: Mapped[str] = mapped_column(String(20), default="cli")
    # Crash safety: which process runs the browser job and until when its claim holds.
    claimed_by: Mapped[Optional[str]] = mapped_column(String(200))
    claim_expires_at: Mapped[Optional[datetime]]
    # The database job queue (BOOKER_RUN_JOBS=false): set when the job is queued for any worker, from when
    # it may run (a retry's backoff); cleared by the worker that takes it (booking/store/queue.py).
    run_after: Mapped[Optional[datetime]] = mapped_column(index=True)
    # Which job the queued row wants ("book", "check_status", "reschedule:accept", …; NULL = "book", as
    # queued before 0010): a sent booking's page check or reschedule answer runs on a worker too.
    queued_job: Mapped[Optional[str]] = mapped_column(String(32))

    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    booking_started_at: Mapped[Optional[datetime]]
    booking_completed_at: Mapped[Optional[datetime]]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic lock: two writers racing on one row → the second gets StaleDataError.
    version: Mapped[int] = mapped_column(Integer, default=1)

    # "startup:<id>" or "url:<normalised url>": what colleagues' bookings are compared on; None for dry runs.
    startup_key: Mapped[Optional[str]] = mapped_column(String(300), index=True)
    preferred_person: Mapped[Optional[str]] = mapped_column(String(200))
    # Review before submit: the job fills the form, then waits in awaiting_review with its choices saved.
    review_before_submit: Mapped[bool] = mapped_column(Boolean, default=False)
    review_state: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    review_expires_at: Mapped[Optional[datetime]]
    batch_id: Mapped[Optional[int]] = mapped_column(ForeignKey("booking_batches.id"), index=True)

    events: Mapped[list["BookingEvent"]] = relationship(
        back_populates="booking", order_by="BookingEvent.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index(
            "uq_live_booking_per_teammate_and_startup", "user_email", "startup_key", unique=True,
            sqlite_where=text(LIVE_STATUS_SQL), postgresql_where=text(LIVE_STATUS_SQL),
        ),
    )

    @property
    def booking_status(self) -> BookingStatus:
        return BookingStatus(self.status)

    def __repr__(self) -> str:
        return f"MeetingBookingRequest(id={self.id!r}, startup={self.startup_name!r}, status={self.status!r})"


class TeammateLock(Base):
    """One row per teammate (by e-mail), locked while their slots are being held.

    Updating the row takes a row lock on PostgreSQL and the write lock on SQLite, so holds of one
    teammate are serialised across threads and processes (see ``booking/holds.py``).
    """

    __tablename__ = "teammate_locks"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)  # casefolded
    locked_at: Mapped[Optional[datetime]]
    locked_by: Mapped[Optional[str]] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"TeammateLock(email={self.email!r})"
class BookingBatch(Base):
    """Several startups booked by one command (``/book Acme, Beta, Gamma``), with one summary message."""

    __tablename__ = "booking_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[Optional[str]] = mapped_column(String(32))
    request_text: Mapped[str] = mapped_column(Text, default="")
    # Names that were not queued, with why: [{"name": "Zeta", "reason": "..."}]
    skipped: Mapped[list[Any]] = mapped_column(default=list)
    # Where the summary is shown (opaque to the core, like a booking's thread_ref).
    thread_ref: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"BookingBatch(id={self.id!r}, user_id={self.user_id!r})"


class BookingEvent(Base):
    """Append-only audit trail: every status change and step, with its time and detail."""

    __tablename__ = "booking_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("meeting_booking_requests.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))  # "status" | "step" | "note"
    from_status: Mapped[Optional[str]] = mapped_column(String(32))
    to_status: Mapped[Optional[str]] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    booking: Mapped[MeetingBookingRequest] = relationship(back_populates="events")

    def __repr__(self) -> str:
        return f"BookingEvent(booking_id={self.booking_id!r}, kind={self.kind!r}, detail={self.detail[:40]!r})"


class SchedulerLease(Base):
    """Who runs a singleton job (the confirmation monitor) and until when: one holder per database."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime]
    acquired_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"SchedulerLease(name={self.name!r}, owner={self.owner!r}, expires_at={self.expires_at!r})"


class GmailSyncState(Base):
    """Where each teammate's Gmail was last read (history id), so a cycle makes one call per teammate."""

    __tablename__ = "gmail_sync_states"

    user_email: Mapped[str] = mapped_column(String(320), primary_key=True)
    history_id: Mapped[Optional[int]] = mapped_column(BigInteger)
    synced_at: Mapped[Optional[datetime]]
    full_syncs: Mapped[int] = mapped_column(Integer, default=0)

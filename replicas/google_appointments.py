"""Loopback replica of a Google Calendar appointment-schedule booking page.

Follows docs/platforms/google-appointments.md; every [U] choice is marked where it is made. A
vanilla-JS app (``google_appointments_assets/app.js``) renders the week view, the month calendar,
the booking form, the PIN step and the confirmation from the embedded JSON config, and talks to the
two endpoints below (the real page talks to an RPC named ``ListAvailableSlots``).

Routes (``<id>`` is the schedule token, ``AcZssZ…`` on the real site)::

    GET  /calendar/appointments/schedules/<id>            the booking page (also /calendar/u/0/…)
    GET  /app/<code>                                      short link -> 302 to the page  # [U] stands in for calendar.app.google/<code>
    GET  /calendar/appointments/schedules/<id>/ListAvailableSlots   free slots: {"slots": [[["<unix>"], <minutes>], …]}
    POST /calendar/appointments/schedules/<id>/book       JSON booking; 202 asks for the e-mailed PIN
    GET  /__replica__/bookings   POST /__replica__/reset

Usage::

    schedule = GoogleSchedule("AcZssZdemo", "Intro call", "Alice Smith", "alice@acme.test", slots=[...])
    with GoogleAppointmentsReplica([schedule], now=lambda: NOW) as site:
        driver.get(site.booking_url("AcZssZdemo"))
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable
from zoneinfo import ZoneInfo

from .mail import MailSink, SentMail, discard
from .server import Request, Response
from .site import ReplicaSite, check_aware, free_starts

UTC = timezone.utc
SLOT_TAKEN_MESSAGE = "This time is no longer available. Choose another time."  # [U] wording
WRONG_PIN_MESSAGE = "That PIN isn't right. Check your email and try again."  # [U] wording
SCHEDULING_WINDOW = timedelta(days=60)  # [U] the owner's "Scheduling window"; 60 days chosen here
_ID = r"[A-Za-z0-9_-]+"


@dataclass
class GoogleSchedule:
    """One appointment schedule: one owner, one booking page, no staff choice ([V] GH-CREATE)."""

    id: str                                   # "AcZssZ…" token in the URL
    title: str                                # "Intro call"
    owner_name: str
    owner_email: str
    slots: list[datetime]                     # aware starts the owner offers
    duration_minutes: int = 30
    phone: bool = False                       # the owner added "Phone number" to the form
    questions: list[str] = field(default_factory=list)   # extra questions (label text)
    required_questions: bool = False
    require_email_verification: bool = False  # premium, off by default ([V] GH-VERIFY)
    short_code: str | None = None             # calendar.app.google/<code>
    busy: list[tuple[datetime, datetime]] = field(default_factory=list)  # other events on the owner's calendar


class GoogleAppointmentsReplica(ReplicaSite):
    """Google appointment-schedule pages on 127.0.0.1. All state is guarded by ``self.lock``."""

    assets = Path(__file__).with_name("google_appointments_assets")

    def __init__(self, schedules: Iterable[GoogleSchedule] = (), *, now: Callable[[], datetime] | None = None,
                 display_timezone: str | None = None, mail_sink: MailSink = discard) -> None:
        super().__init__(now=now)
        if display_timezone is not None:
            ZoneInfo(display_timezone)  # fail early on a typo
        self.display_timezone = display_timezone
        self.mail_sink = mail_sink
        self.schedules: dict[str, GoogleSchedule] = {}
        self._pins: dict[tuple[str, str], str] = {}  # (schedule id, e-mail) -> PIN sent
        for schedule in schedules:
            self.add_schedule(schedule)
        base = rf"/calendar(?:/u/\d+)?/appointments/schedules/(?P<sid>{_ID})"
        self.add_route("GET", rf"/app/(?P<code>{_ID})/?", self._short_link)
        self.add_route("GET", base + r"/ListAvailableSlots", self._api_slots)
        self.add_route("POST", base + r"/book", self._api_book)
        self.add_route("GET", base + r"/?", self._page)

    # -- public API ---------------------------------------------------------------------------------
    def add_schedule(self, schedule: GoogleSchedule) -> None:
        check_aware(schedule.slots, schedule.id)
        with self.lock:
            self.schedules[schedule.id] = schedule

    def booking_url(self, schedule_id: str) -> str:
        return f"{self.url}/calendar/appointments/schedules/{schedule_id}"

    def short_url(self, schedule_id: str) -> str:
        code = self.schedules[schedule_id].short_code
        if not code:
            raise ValueError(f"schedule {schedule_id} has no short link")
        return f"{self.url}/app/{code}"

    def available_slots(self, schedule_id: str) -> list[datetime]:
        """Still-free future starts (UTC) inside the scheduling window."""
        with self.lock:
            return self._free(self.schedules[schedule_id])

    def pin_for(self, schedule_id: str, email: str) -> str | None:
        """The PIN last e-mailed to ``email`` for this schedule (what the guest reads in their inbox)."""
        with self.lock:
            return self._pins.get((schedule_id, email.strip().lower()))

    def reset(self) -> None:
        with self.lock:
            self.bookings.clear()
            self._pins.clear()

    # -- availability -------------------------------------------------------------------------------
    def _free(self, schedule: GoogleSchedule) -> list[datetime]:
        duration = timedelta(minutes=schedule.duration_minutes)
        taken = [(start, start + duration) for start in
                 (datetime.fromisoformat(b["start"]) for b in self.bookings if b["schedule"] == schedule.id)]
        horizon = self.now() + SCHEDULING_WINDOW
        starts = free_starts(schedule.slots, taken + list(schedule.busy), self.now(), duration)
        return [s for s in starts if s <= horizon]

    # -- pages --------------------------------------------------------------------------------------
    def _short_link(self, request: Request, code: str) -> Response:
        with self.lock:
            schedule = next((s for s in self.schedules.values() if s.short_code == code), None)
        if schedule is None:
            return self.not_found(request)
        return Response.redirect(self.booking_url(schedule.id), 302)

    def _page(self, request: Request, sid: str) -> Response:
        with self.lock:
            schedule = self.schedules.get(sid)
            if schedule is None:
                return self.not_found(request)
            config = {
                "schedule": {
                    "id": schedule.id, "title": schedule.title, "owner": schedule.owner_name,
                    "duration": schedule.duration_minutes, "phone": schedule.phone,
                    "questions": schedule.questions, "required_questions": schedule.required_questions,
                },
                "display_timezone": self.display_timezone,
                "api": f"/calendar/appointments/schedules/{schedule.id}",
            }
        return self.render(f"{schedule.title} - {schedule.owner_name}", config)

    def not_found(self, request: Request) -> Response:
        return Response.html("<h1>This booking page isn't available</h1>", 404)  # [U] wording

    # -- JSON API -----------------------------------------------------------------------------------
    def _api_slots(self, request: Request, sid: str) -> Response:
        with self.lock:
            schedule = self.schedules.get(sid)
            if schedule is None:
                return Response.json({"error": "not found"}, 404)
            pairs = [[[str(int(s.timestamp()))], schedule.duration_minutes] for s in self._free(schedule)]
        return Response.json({"slots": pairs})

    def _api_book(self, request: Request, sid: str) -> Response:
        try:
            body = request.json() or {}
            start = datetime.fromtimestamp(int(body.get("start")), UTC)
        except (ValueError, TypeError):
            return Response.json({"error": "Pick a time first."}, 400)
        first, last = str(body.get("first_name") or "").strip(), str(body.get("last_name") or "").strip()
        email = str(body.get("email") or "").strip()
        answers = {str(k): str(v).strip() for k, v in dict(body.get("answers") or {}).items()}
        with self.lock:
            schedule = self.schedules.get(sid)
            if schedule is None:
                return Response.json({"error": "not found"}, 404)
            problem = self._form_problem(schedule, first, last, email, answers)
            if problem:
                return Response.json({"error": problem}, 400)
            if start not in self._free(schedule):
                return Response.json({"error": SLOT_TAKEN_MESSAGE}, 409)
            if schedule.require_email_verification:
                pin_step = self._check_pin(schedule, email, str(body.get("pin") or "").strip())
                if pin_step is not None:
                    return pin_step
            booking = self._record(schedule, start, first, last, email, answers, body)
        return Response.json({"status": "confirmed", "booking": booking})

    def _form_problem(self, schedule: GoogleSchedule, first: str, last: str, email: str,
                      answers: dict[str, str]) -> str | None:
        if not first or not last:
            return "Enter your first and last name."
        if "@" not in email or "." not in email.rsplit("@", 1)[-1]:
            return "Enter a valid email address."
        if schedule.required_questions and any(not answers.get(q) for q in schedule.questions):
            return "Answer the required questions."
        return None

    def _check_pin(self, schedule: GoogleSchedule, email: str, pin: str) -> Response | None:
        """None when the PIN is right; else the answer that asks for it (and e-mails a new one)."""
        key = (schedule.id, email.lower())
        if pin and self._pins.get(key) == pin:
            del self._pins[key]
            return None
        if pin:
            return Response.json({"error": WRONG_PIN_MESSAGE, "status": "verify_email"}, 400)
        code = f"{secrets.randbelow(10**6):06d}"  # [U] six digits
        self._pins[key] = code
        self.mail_sink(SentMail("calendar-notification@google.com", email,  # [U] sender and wording
                                "Verify your email to book an appointment",
                                f"Your PIN is {code}. Enter it on the booking page to book {schedule.title}.",
                                self.now()))
        return Response.json({"status": "verify_email", "email": email}, 202)

    def _record(self, schedule: GoogleSchedule, start: datetime, first: str, last: str, email: str,
                answers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        name = f"{first} {last}"
        notes = "\n".join(v for v in answers.values() if v)
        booking = {
            "name": name, "email": email, "notes": notes, "start": start.isoformat(),
            "staff": schedule.owner_name, "first_name": first, "last_name": last,
            "phone": str(body.get("phone") or ""), "answers": answers, "schedule": schedule.id,
            "time_zone": str(body.get("time_zone") or ""),
        }
        self.bookings.append(booking)
        # [U] invite subject shape; [V] GH-LEARN: both sides get booking e-mails and the guest an invitation.
        subject = f"Invitation: {schedule.title} @ {start:%a %b %-d, %Y %H:%M} (UTC) ({email})"
        text = f"{name} booked {schedule.title} with {schedule.owner_name} at {start.isoformat()}."
        self.mail_sink(SentMail(schedule.owner_email, email, subject, text, self.now()))
        self.mail_sink(SentMail("calendar-notification@google.com", schedule.owner_email,
                                f"New appointment: {name} - {schedule.title}", text, self.now()))
        return dict(booking)

"""Blind second build of the Google Calendar appointment-schedule page (issue 18, item 3).

Written from docs/platforms/google-appointments.md only (and the ``GoogleSchedule`` dataclass of
the first build) — never Booker's platform modules nor the first build's page. It keeps every [V]/[S]
fact of the docs (URL shapes, a month calendar beside a multi-day view with ``MON``/``1`` headers,
``3:30pm`` time buttons, the day-cell aria-labels, "Next day"/"Next month", the empty-week texts, a
``ListAvailableSlots`` RPC of ``[["<unix>"], minutes]`` pairs, First/Last name + Email address,
"Book", a PIN by e-mail then "Submit") and chooses each [U] detail its own way; each is marked
``# [U]`` here or in ``google_appointments_assets/app.js``.

May import: replicas.* and the standard library; nothing from booking/ or bot/.
"""
from __future__ import annotations

import hashlib
import json
import random
import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

from replicas.google_appointments import GoogleSchedule
from replicas.mail import MailSink, SentMail, discard
from replicas.server import Request, Response
from replicas.site import ReplicaSite, check_aware, free_starts

UTC = timezone.utc
XSSI = ")]}'\n"  # [U] the RPC answers carry Google's anti-XSSI prefix; the page strips it
PIN_DIGITS = 7  # [U] PIN length (docs: unknown)
SENDER = "calendar-notification@google.com"


class BlindGoogleAppointments(ReplicaSite):
    """Appointment-schedule booking pages; a schedule's page lists its free times, books one."""

    assets = Path(__file__).with_name("google_appointments_assets")

    def __init__(self, schedules: Iterable[GoogleSchedule] = (), *, now: Callable[[], datetime] | None = None,
                 display_timezone: str | None = None, mail_sink: MailSink = discard) -> None:
        super().__init__(now=now)
        self.display_timezone = display_timezone
        self.mail_sink = mail_sink
        self.schedules: dict[str, GoogleSchedule] = {}
        self._pins: dict[tuple[str, str], str] = {}
        self._random = random.Random(18)
        self._mail_lock = threading.Lock()
        for schedule in schedules:
            self.add_schedule(schedule)
        page = r"/calendar(?:/u/(?P<user>\d+))?/appointments/schedules/(?P<sid>[A-Za-z0-9_-]+)/?"
        self.add_route("GET", page, self._page)
        # [U] a short link renders the page in place (no redirect); its path mirrors calendar.app.google/<code>
        self.add_route("GET", r"/(?P<code>[A-Za-z0-9]{6,})", self._short)
        # [U] RPC endpoints: form-encoded POSTs answered with XSSI-prefixed JSON
        self.add_route("POST", r"/calendar/appointments/rpc/ListAvailableSlots", self._rpc_slots)
        self.add_route("POST", r"/calendar/appointments/rpc/CreateAppointment", self._rpc_book)

    # -- public API -----------------------------------------------------------------------------
    def add_schedule(self, schedule: GoogleSchedule) -> None:
        check_aware(schedule.slots, schedule.id)
        with self.lock:
            self.schedules[schedule.id] = replace(schedule, slots=list(schedule.slots), busy=list(schedule.busy))

    def booking_url(self, schedule_id: str) -> str:
        return f"{self.url}/calendar/appointments/schedules/{schedule_id}"

    def short_url(self, schedule_id: str) -> str:
        schedule = self.schedules[schedule_id]
        code = schedule.short_code or hashlib.sha1(schedule_id.encode()).hexdigest()[:10]
        return f"{self.url}/{code}"

    def available_slots(self, schedule_id: str) -> list[datetime]:
        with self.lock:
            schedule = self.schedules[schedule_id]
            length = timedelta(minutes=schedule.duration_minutes)
            busy = list(schedule.busy) + [
                (datetime.fromisoformat(b["start"]), datetime.fromisoformat(b["start"]) + length)
                for b in self.bookings if b["schedule"] == schedule_id
            ]
            return free_starts(schedule.slots, busy, self.now(), length)

    def pin_for(self, schedule_id: str, email: str) -> str | None:
        with self.lock:
            return self._pins.get((schedule_id, email.strip().lower()))

    def reset(self) -> None:
        with self.lock:
            super().reset()
            self._pins.clear()

    # -- pages ----------------------------------------------------------------------------------
    def _page(self, request: Request, sid: str, user: str | None = None) -> Response:
        schedule = self.schedules.get(sid)
        if schedule is None:
            # [U] wording of the unknown-schedule page
            return Response.html("<h1>This appointment schedule isn't available</h1>"
                                 "<p>Check the link with the person who shared it.</p>", 404)
        config = {
            "schedule": sid,
            "title": schedule.title,
            "owner": schedule.owner_name,
            "minutes": schedule.duration_minutes,
            "phone": schedule.phone,
            "questions": list(schedule.questions),
            "required_questions": schedule.required_questions,
            "verify": schedule.require_email_verification,
            "zone": self.display_timezone,
            "embedded": request.arg("gv") == "true",
        }
        return self.render(f"{schedule.title} - {schedule.owner_name}", config)

    def _short(self, request: Request, code: str) -> Response:
        for schedule in list(self.schedules.values()):
            if code in (schedule.short_code, self.short_url(schedule.id).rsplit("/", 1)[1]):
                return self._page(request, schedule.id)
        return self.not_found(request)

    @staticmethod
    def _rpc(data: Any, status: int = 200) -> Response:
        return Response.text(XSSI + json.dumps(data), status, "application/json")

    def _rpc_slots(self, request: Request) -> Response:
        sid = request.form().get("schedule", "")
        if sid not in self.schedules:
            return self._rpc({"error": "NOT_FOUND"}, 404)
        minutes = self.schedules[sid].duration_minutes
        pairs = [[[str(int(start.timestamp()))], minutes] for start in self.available_slots(sid)]
        return self._rpc({"slots": pairs})

    def _rpc_book(self, request: Request) -> Response:
        form = request.form()
        schedule = self.schedules.get(form.get("schedule", ""))
        if schedule is None:
            return self._rpc({"error": "NOT_FOUND"}, 404)
        first, last = form.get("first", "").strip(), form.get("last", "").strip()
        email = form.get("email", "").strip()
        answers = [form.get(f"q{i}", "").strip() for i in range(len(schedule.questions))]
        missing = [name for name, value in (("First name", first), ("Last name", last), ("Email address", email))
                   if not value]
        if schedule.phone and not form.get("phone", "").strip():
            missing.append("Phone number")
        if schedule.required_questions:
            missing += [q for q, a in zip(schedule.questions, answers) if not a]
        if missing or "@" not in email:
            return self._rpc({"error": "INVALID", "fields": missing or ["Email address"]}, 400)
        try:
            start = datetime.fromtimestamp(int(form.get("start", "")), UTC)
        except ValueError:
            return self._rpc({"error": "INVALID", "fields": ["start"]}, 400)
        with self.lock:
            if start not in self.available_slots(schedule.id):
                return self._rpc({"error": "SLOT_TAKEN"}, 409)
            key = (schedule.id, email.lower())
            if schedule.require_email_verification:
                pin = form.get("pin", "").strip()
                if not pin:
                    self._send_pin(schedule, email)
                    return self._rpc({"state": "PIN_SENT"})
                if pin != self._pins.get(key):
                    return self._rpc({"error": "WRONG_PIN"}, 403)
            row = {
                "schedule": schedule.id, "start": start.isoformat(),
                "name": f"{first} {last}", "first_name": first, "last_name": last, "email": email,
                "phone": form.get("phone", "").strip(), "notes": "\n".join(a for a in answers if a),
                "answers": dict(zip(schedule.questions, answers)), "staff": schedule.owner_name,
                "staff_email": schedule.owner_email, "duration_minutes": schedule.duration_minutes,
            }
            self.bookings.append(row)
            self._pins.pop(key, None)
        self._send_invites(schedule, row, start)
        return self._rpc({"state": "BOOKED", "start": int(start.timestamp())})

    # -- mail -----------------------------------------------------------------------------------
    def _send_pin(self, schedule: GoogleSchedule, email: str) -> None:
        pin = "".join(self._random.choice("0123456789") for _ in range(PIN_DIGITS))
        self._pins[(schedule.id, email.lower())] = pin
        # [U] subject and wording of the verification mail
        text = (f"Someone used this address to book \"{schedule.title}\" with {schedule.owner_name}.\n\n"
                f"Your PIN: {pin}\n\nEnter it on the booking page to finish. If this wasn't you, ignore this email.")
        self._mail(SentMail(SENDER, email, f"Your PIN to confirm an appointment with {schedule.owner_name}",
                            text, self.now()))

    def _send_invites(self, schedule: GoogleSchedule, row: dict[str, Any], start: datetime) -> None:
        when = f"{start:%a %b} {start.day}, {start:%Y %H:%M} UTC"
        # [U] invitation subject/body wording
        self._mail(SentMail(schedule.owner_email, row["email"], f"Invitation: {schedule.title} @ {when}",
                            f"{schedule.owner_name} has invited you to {schedule.title} on {when} "
                            f"({schedule.duration_minutes} min).", self.now()))
        self._mail(SentMail(SENDER, schedule.owner_email, f"New appointment: {row['name']} @ {when}",
                            f"{row['name']} ({row['email']}) booked {schedule.title} on {when}.\n{row['notes']}",
                            self.now()))

    def _mail(self, mail: SentMail) -> None:
        with self._mail_lock:
            self.mail_sink(mail)


REPLICA = BlindGoogleAppointments

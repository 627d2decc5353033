"""Loopback replica of a Microsoft Bookings booking page (shared pages and personal "Bookings with me").

Follows docs/platforms/microsoft-bookings.md; every [U] choice is marked where it is made. A
vanilla-JS app (``ms_bookings_assets/app.js``) renders the service list, the staff choice
("Anyone" first), the month calendar, the time list (radios named ``selectedTimeSlot``), the
"Add your details" form, "Book" and the confirmation from the embedded JSON config.

Routes (``<page>`` is the booking mailbox, e.g. ``AcmeIntro@acme.example``)::

    GET  /book/<page>/                              shared booking page
    GET  /owa/calendar/<page>/bookings/             older shape -> 302 to /book/<page>/    # [U]
    GET  /bookwithme/user/<page>                    personal page (no staff choice)
    GET  /book/<page>/api/availability?service=&staff=   {"slots": [{"start": ISO UTC, "staff": [ids]}]}  # [U] path
    POST /book/<page>/api/appointments              JSON booking                           # [U] path
    GET  /__replica__/bookings   POST /__replica__/reset

With staff "any" (the "Anyone" choice, or a service that doesn't allow staff selection) the
appointment goes to the first staff member, in the service's order, who is free then ([V]
bookingSchedulingPolicy.allowStaffSelection; [S] graph-docs issue 698).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable
from zoneinfo import ZoneInfo

from .mail import MailSink, SentMail, discard
from .server import Request, Response
from .site import ReplicaSite, check_aware, free_starts

UTC = timezone.utc
SLOT_TAKEN_MESSAGE = "The selected time is no longer available. Please select another time."  # [U] wording
_PAGE = r"[A-Za-z0-9._%+-]+(?:@[A-Za-z0-9.-]+)?"


@dataclass
class MsStaff:
    id: str                         # "alice"
    name: str
    email: str
    slots: list[datetime]           # aware starts this person is free to take


@dataclass
class MsService:
    id: str                         # "intro"
    name: str                       # "Intro meeting"
    staff: list[str]                # staff ids who perform it, in assignment order
    duration_minutes: int = 30
    description: str = ""
    allow_staff_selection: bool = True
    questions: list[str] = field(default_factory=list)   # owner's custom questions
    phone_required: bool = False    # [U] the owner can make phone required
    meeting_invite: bool = True     # isMeetingInviteToCustomersEnabled ([V]; Graph default is False)


@dataclass
class MsBusiness:
    page: str                       # "AcmeIntro@acme.example" (the booking mailbox)
    name: str                       # "Acme"
    time_zone: str                  # businessTimeZone, e.g. "Europe/Helsinki"
    services: list[MsService]
    staff: list[MsStaff]
    personal: bool = False          # a "Bookings with me" page: meeting types, no staff choice


class MsBookingsReplica(ReplicaSite):
    """Microsoft Bookings pages on 127.0.0.1. All state is guarded by ``self.lock``."""

    assets = Path(__file__).with_name("ms_bookings_assets")

    def __init__(self, businesses: Iterable[MsBusiness] = (), *, now: Callable[[], datetime] | None = None,
                 mail_sink: MailSink = discard) -> None:
        super().__init__(now=now)
        self.mail_sink = mail_sink
        self.businesses: dict[str, MsBusiness] = {}
        for business in businesses:
            self.add_business(business)
        self.add_route("GET", rf"/owa/calendar/(?P<page>{_PAGE})/bookings/?", self._old_link)
        self.add_route("GET", rf"/book/(?P<page>{_PAGE})/api/availability", self._api_availability)
        self.add_route("POST", rf"/book/(?P<page>{_PAGE})/api/appointments", self._api_book)
        self.add_route("GET", rf"/book/(?P<page>{_PAGE})/?", self._page)
        self.add_route("GET", rf"/bookwithme/user/(?P<page>{_PAGE})", self._page)

    # -- public API ---------------------------------------------------------------------------------
    def add_business(self, business: MsBusiness) -> None:
        ZoneInfo(business.time_zone)  # fail early on a typo
        for person in business.staff:
            check_aware(person.slots, person.id)
        known = {p.id for p in business.staff}
        for service in business.services:
            if not service.staff or set(service.staff) - known:
                raise ValueError(f"service {service.id} names unknown staff")
        with self.lock:
            self.businesses[business.page.lower()] = business

    def booking_url(self, page: str) -> str:
        business = self.businesses[page.lower()]
        if business.personal:
            return f"{self.url}/bookwithme/user/{business.page}?anonymous&ep=plink"
        return f"{self.url}/book/{business.page}/"

    def available_slots(self, page: str, service_id: str, staff_id: str = "any") -> list[datetime]:
        """Free future starts (UTC) of a service, for one staff member or for anyone."""
        with self.lock:
            business = self.businesses[page.lower()]
            return sorted(self._availability(business, self._service(business, service_id), staff_id))

    # -- availability -------------------------------------------------------------------------------
    @staticmethod
    def _service(business: MsBusiness, service_id: str | None) -> MsService:
        found = next((s for s in business.services if s.id == service_id), None)
        if found is None:
            raise KeyError(service_id)
        return found

    def _free_for(self, person: MsStaff, duration: timedelta) -> list[datetime]:
        taken = []
        for booking in self.bookings:
            if booking["staff_id"] == person.id:
                start = datetime.fromisoformat(booking["start"])
                taken.append((start, start + timedelta(minutes=booking["duration"])))
        return free_starts(person.slots, taken, self.now(), duration)

    def _availability(self, business: MsBusiness, service: MsService, staff_id: str) -> dict[datetime, list[str]]:
        """start -> ids of the service's staff free then (only ``staff_id`` unless it is "any")."""
        duration = timedelta(minutes=service.duration_minutes)
        people = {p.id: p for p in business.staff}
        wanted = service.staff if staff_id == "any" or not service.allow_staff_selection else [staff_id]
        free: dict[datetime, list[str]] = {}
        for sid in wanted:
            if sid not in service.staff:
                continue
            for start in self._free_for(people[sid], duration):
                free.setdefault(start, []).append(sid)
        return free

    # -- pages --------------------------------------------------------------------------------------
    def _old_link(self, request: Request, page: str) -> Response:
        return Response.redirect(f"{self.url}/book/{page}/", 302)

    def _page(self, request: Request, page: str) -> Response:
        with self.lock:
            business = self.businesses.get(page.lower())
            if business is None:
                return Response.html("<h1>This booking page isn't available</h1>", 404)  # [U] wording
            people = {p.id: p.name for p in business.staff}
            config = {
                "business": {"name": business.name, "page": business.page, "time_zone": business.time_zone,
                             "personal": business.personal},
                "services": [{"id": s.id, "name": s.name, "duration": s.duration_minutes,
                              "description": s.description, "allow_staff_selection": s.allow_staff_selection,
                              "questions": s.questions, "phone_required": s.phone_required,
                              "staff": [{"id": sid, "name": people[sid]} for sid in s.staff]}
                             for s in business.services],
                "api": f"/book/{business.page}/api",
            }
        return self.render(f"{business.name} - Bookings", config)

    # -- JSON API -----------------------------------------------------------------------------------
    def _api_availability(self, request: Request, page: str) -> Response:
        with self.lock:
            business = self.businesses.get(page.lower())
            try:
                service = self._service(business, request.arg("service")) if business else None
            except KeyError:
                service = None
            if service is None:
                return Response.json({"error": "Service not found"}, 404)
            free = self._availability(business, service, request.arg("staff") or "any")
        return Response.json({"slots": [{"start": s.isoformat(), "staff": ids} for s, ids in sorted(free.items())]})

    def _api_book(self, request: Request, page: str) -> Response:
        body = request.json() or {}
        name, email = str(body.get("name") or "").strip(), str(body.get("email") or "").strip()
        phone = str(body.get("phone") or "").strip()
        try:
            start = datetime.fromisoformat(str(body.get("start"))).astimezone(UTC)
        except ValueError:
            return Response.json({"error": "Select a time."}, 400)
        with self.lock:
            business = self.businesses.get(page.lower())
            try:
                service = self._service(business, body.get("service")) if business else None
            except KeyError:
                service = None
            if service is None:
                return Response.json({"error": "Select a service."}, 400)
            if not name:
                return Response.json({"error": "Name is required."}, 400)  # [U] which fields are required
            if "@" not in email:
                return Response.json({"error": "Enter a valid email address."}, 400)
            if service.phone_required and not phone:
                return Response.json({"error": "Phone number is required."}, 400)
            free = self._availability(business, service, str(body.get("staff") or "any")).get(start)
            if not free:
                return Response.json({"error": SLOT_TAKEN_MESSAGE}, 409)
            booking = self._record(business, service, free[0], start, name, email, phone, body)
        return Response.json({"status": "confirmed", "booking": booking})

    def _record(self, business: MsBusiness, service: MsService, staff_id: str, start: datetime, name: str,
                email: str, phone: str, body: dict[str, Any]) -> dict[str, Any]:
        person = next(p for p in business.staff if p.id == staff_id)
        answers = {str(k): str(v).strip() for k, v in dict(body.get("answers") or {}).items()}
        notes = "\n".join(x for x in [str(body.get("notes") or "").strip(), *answers.values()] if x)
        booking = {
            "name": name, "email": email, "notes": notes, "start": start.isoformat(), "staff": person.name,
            "staff_id": person.id, "service": service.id, "duration": service.duration_minutes,
            "phone": phone, "answers": answers, "page": business.page,
            "time_zone": str(body.get("time_zone") or ""),
        }
        self.bookings.append(booking)
        text = f"{service.name} with {person.name} for {name} at {start.isoformat()}."
        sender = business.page
        # [V] bookingSchedulingPolicy: a confirmation to the customer; the meeting invite only when enabled.
        self.mail_sink(SentMail(sender, email, f"Your booking with {business.name} is confirmed", text, self.now()))  # [U] subject
        if service.meeting_invite:
            self.mail_sink(SentMail(sender, email, f"{service.name} - {business.name}", text, self.now()))  # [U] subject
        self.mail_sink(SentMail(sender, person.email, f"New booking: {service.name} with {name}", text, self.now()))
        return dict(booking)

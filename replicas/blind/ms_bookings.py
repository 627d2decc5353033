"""Blind second build of the Microsoft Bookings page (issue 18, item 3).

Written from docs/platforms/microsoft-bookings.md only (and the ``MsStaff``/``MsService``/``MsBusiness``
dataclasses of the first build) — never Booker's platform modules nor the first build's page. It keeps
the [V]/[S] facts (``/book/<page>/`` and ``/bookwithme/user/<page>?anonymous&ep=plink`` URLs, services →
optional staff → month grid of day-number buttons → ``12:15 PM`` times backed by radios named
``selectedTimeSlot`` → a form with "First and last name", ``type=email``, ``type=tel`` and "Add any
special requests" → "Book" → a ``role=alert`` confirmation; the first free staff member for "any";
times in the business time zone with a selector) and chooses every [U] detail its own way, each
marked ``# [U]`` here or in ``ms_bookings_assets/app.js``.

May import: replicas.* and the standard library; nothing from booking/ or bot/.
"""
from __future__ import annotations

import itertools
import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from replicas.mail import MailSink, SentMail, discard
from replicas.ms_bookings import MsBusiness, MsService, MsStaff
from replicas.server import Request, Response
from replicas.site import ReplicaSite, check_aware, free_starts

UTC = timezone.utc
ANY = "any"
CONSENT_COOKIE = "MSCC"  # [U] consent cookie name
SENDER = "no-reply@bookings.example.test"

# [U] Windows-style zone names, as Outlook shows them; other zones show "(UTC±hh:mm) Area/City".
WINDOWS_NAMES = {
    "Europe/Berlin": "Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
    "Europe/Paris": "Brussels, Copenhagen, Madrid, Paris",
    "Europe/Helsinki": "Helsinki, Kyiv, Riga, Sofia, Tallinn, Vilnius",
    "Europe/London": "Dublin, Edinburgh, Lisbon, London",
    "America/New_York": "Eastern Time (US & Canada)",
    "America/Chicago": "Central Time (US & Canada)",
    "America/Los_Angeles": "Pacific Time (US & Canada)",
    "Asia/Tokyo": "Osaka, Sapporo, Tokyo",
    "UTC": "Coordinated Universal Time",
}

# [U] a Microsoft-style consent bar across the bottom (not modal), "Accept" / "Reject" / "Manage cookies"
CONSENT_BAR = (
    '<div id="msccBanner" class="consent" role="region" aria-label="Cookie banner">'
    "<p>We use optional cookies to improve your experience on our websites and to display personalised "
    "content. If you reject optional cookies, only cookies necessary to provide you the services will be used."
    "</p><div class=\"consent-actions\">"
    f"<button type=\"button\" onclick=\"document.cookie='{CONSENT_COOKIE}=1; path=/';"
    "document.getElementById('msccBanner').remove()\">Accept</button>"
    f"<button type=\"button\" onclick=\"document.cookie='{CONSENT_COOKIE}=0; path=/';"
    "document.getElementById('msccBanner').remove()\">Reject</button>"
    "<button type=\"button\" disabled>Manage cookies</button></div></div>"
)


def zone_label(zone: str, at: datetime) -> str:
    """The zone as Outlook names it, with its offset at ``at``."""
    offset = at.astimezone(ZoneInfo(zone)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    name = WINDOWS_NAMES.get(zone, zone)
    return f"(UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}) {name}"


class BlindMsBookings(ReplicaSite):
    """Shared and personal Bookings pages over per-staff availability."""

    assets = Path(__file__).with_name("ms_bookings_assets")
    cookie_banner_html = CONSENT_BAR

    def __init__(self, businesses: Iterable[MsBusiness] = (), *, now: Callable[[], datetime] | None = None,
                 mail_sink: MailSink = discard) -> None:
        super().__init__(now=now)
        self.mail_sink = mail_sink
        self.businesses: dict[str, MsBusiness] = {}
        self._ids = itertools.count(1)
        self._mail_lock = threading.Lock()
        for business in businesses:
            self.add_business(business)
        self.add_route("GET", r"/book/(?P<page>[^/]+)/?", self._shared)
        self.add_route("GET", r"/bookwithme/user/(?P<page>[^/]+?)(?:/meetingtype/(?P<mt>[^/]+))?/?", self._personal)
        # [U] endpoint shapes: a Graph-like getStaffAvailability answer and a JSON appointment POST
        self.add_route("POST", r"/bookings/service/api/(?P<page>[^/]+)/getStaffAvailability", self._api_availability)
        self.add_route("POST", r"/bookings/service/api/(?P<page>[^/]+)/appointments", self._api_book)

    # -- public API -----------------------------------------------------------------------------
    def add_business(self, business: MsBusiness) -> None:
        for member in business.staff:
            check_aware(member.slots, member.id)
        with self.lock:
            self.businesses[business.page] = replace(
                business, services=list(business.services),
                staff=[replace(m, slots=list(m.slots)) for m in business.staff])

    def booking_url(self, page: str) -> str:
        if self.businesses[page].personal:
            return f"{self.url}/bookwithme/user/{page}?anonymous&ep=plink"
        return f"{self.url}/book/{page}/"

    def available_slots(self, page: str, service_id: str, staff_id: str = ANY) -> list[datetime]:
        with self.lock:
            business = self.businesses[page]
            service = self._service(business, service_id)
            ids = self._staff_ids(business, service) if staff_id == ANY else [staff_id]
            return sorted(set().union(*[self._free(business, sid, service) for sid in ids] or [set()]))

    # -- availability ---------------------------------------------------------------------------
    @staticmethod
    def _service(business: MsBusiness, service_id: str) -> MsService:
        for service in business.services:
            if service.id == service_id:
                return service
        raise KeyError(service_id)

    @staticmethod
    def _staff_ids(business: MsBusiness, service: MsService) -> list[str]:
        if business.personal and not service.staff:
            return [business.staff[0].id]
        return list(service.staff)

    def _free(self, business: MsBusiness, staff_id: str, service: MsService) -> list[datetime]:
        member = next((m for m in business.staff if m.id == staff_id), None)
        if member is None:
            return []
        busy = [(datetime.fromisoformat(b["start"]), datetime.fromisoformat(b["end"]))
                for b in self.bookings if b["page"] == business.page and b["staff_id"] == staff_id]
        return free_starts(member.slots, busy, self.now(), timedelta(minutes=service.duration_minutes))

    # -- pages ----------------------------------------------------------------------------------
    def _shared(self, request: Request, page: str) -> Response:
        return self._page(request, page, None, personal=False)

    def _personal(self, request: Request, page: str, mt: str | None = None) -> Response:
        return self._page(request, page, mt, personal=True)

    def _page(self, request: Request, page: str, meeting_type: str | None, personal: bool) -> Response:
        page = unquote(page)
        business = self.businesses.get(page)
        if business is None or business.personal != personal:
            # [U] wording of a missing page
            return Response.html("<h1>This booking page can't be found</h1>"
                                 "<p>It may have been turned off by its owner.</p>", 404)
        names = {m.id: m.name for m in business.staff}
        zones = [business.time_zone] + [z for z in WINDOWS_NAMES if z != business.time_zone]
        config = {
            "page": page, "business": business.name, "personal": personal, "preselect": meeting_type,
            "zone": business.time_zone,
            "zones": [[z, zone_label(z, self.now())] for z in zones],
            "services": [{
                "id": s.id, "name": s.name, "minutes": s.duration_minutes, "description": s.description,
                "choose_staff": s.allow_staff_selection and not personal,
                "staff": [{"id": sid, "name": names.get(sid, sid)} for sid in self._staff_ids(business, s)],
                "questions": list(s.questions), "phone_required": s.phone_required,
            } for s in business.services],
        }
        consented = f"{CONSENT_COOKIE}=" in (request.header("cookie") or "")
        return self.render(f"{business.name} - Bookings", config, banner=not consented)

    # -- API ------------------------------------------------------------------------------------
    def _api_availability(self, request: Request, page: str) -> Response:
        business = self.businesses.get(unquote(page))
        body = request.json() or {}
        try:
            service = self._service(business, body.get("serviceId", "")) if business else None
        except KeyError:
            service = None
        if business is None or service is None:
            return Response.json({"error": {"code": "NotFound", "message": "Service not found"}}, 404)
        with self.lock:
            wanted = body.get("staffIds") or self._staff_ids(business, service)
            answer = [{
                "staffId": sid,
                "availabilityItems": [{
                    "status": "available",
                    "startDateTime": {"dateTime": s.strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"},
                    "endDateTime": {"dateTime": (s + timedelta(minutes=service.duration_minutes))
                                    .strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"},
                } for s in self._free(business, sid, service)],
            } for sid in wanted if sid in self._staff_ids(business, service)]
        return Response.json({"staffAvailabilityResponse": answer})

    def _api_book(self, request: Request, page: str) -> Response:
        page = unquote(page)
        business = self.businesses.get(page)
        body = request.json() or {}
        try:
            service = self._service(business, body.get("serviceId", "")) if business else None
        except KeyError:
            service = None
        if business is None or service is None:
            return Response.json({"error": {"code": "NotFound", "message": "Service not found"}}, 404)
        name, email = str(body.get("name", "")).strip(), str(body.get("email", "")).strip()
        phone = str(body.get("phone", "")).strip()
        missing = [label for label, value in (("name", name), ("email", email)) if not value]
        if service.phone_required and not phone:
            missing.append("phone")
        if missing or "@" not in email:
            return Response.json({"error": {"code": "InvalidInput", "fields": missing or ["email"]}}, 400)
        try:
            start = datetime.fromisoformat(str(body.get("start", "")).replace("Z", "+00:00")).astimezone(UTC)
        except ValueError:
            return Response.json({"error": {"code": "InvalidInput", "fields": ["start"]}}, 400)
        wanted = str(body.get("staffId") or ANY)
        if not service.allow_staff_selection or business.personal:
            wanted = ANY
        with self.lock:
            order = self._staff_ids(business, service) if wanted == ANY else [wanted]
            staff_id = next((sid for sid in order if start in self._free(business, sid, service)), None)
            if staff_id is None:
                return Response.json({"error": {"code": "SlotUnavailable",
                                                "message": "This time is no longer available."}}, 409)
            member = next(m for m in business.staff if m.id == staff_id)
            answers = {str(k): str(v) for k, v in (body.get("answers") or {}).items()}
            row = {
                "id": f"appt-{next(self._ids)}", "page": page, "business": business.name,
                "service": service.name, "service_id": service.id, "staff": member.name, "staff_id": member.id,
                "staff_email": member.email, "start": start.isoformat(),
                "end": (start + timedelta(minutes=service.duration_minutes)).isoformat(),
                "name": name, "email": email, "phone": phone, "notes": str(body.get("notes", "")).strip(),
                "answers": answers, "time_zone": str(body.get("timeZone") or business.time_zone),
            }
            self.bookings.append(row)
        self._send_mail(business, service, member, row, start)
        return Response.json({"id": row["id"], "status": "booked", "staffName": member.name,
                              "start": row["start"]}, 201)

    # -- mail -----------------------------------------------------------------------------------
    def _send_mail(self, business: MsBusiness, service: MsService, member: MsStaff, row: dict[str, Any],
                   start: datetime) -> None:
        local = start.astimezone(ZoneInfo(business.time_zone))
        when = f"{local:%A, %B} {local.day}, {local:%Y} {local:%I:%M %p}".replace(" 0", " ")
        # [U] subjects and wording of the mails
        self._mail(SentMail(SENDER, row["email"], f"Booking confirmed: {service.name} with {business.name}",
                            f"Hi {row['name']},\n\nYour booking for {service.name} with {member.name} on {when} "
                            f"({zone_label(business.time_zone, start)}) is confirmed.", self.now()))
        if service.meeting_invite:
            self._mail(SentMail(member.email, row["email"], f"{service.name}",
                                f"{member.name} invited you to {service.name} on {when}.", self.now()))
        self._mail(SentMail(SENDER, member.email, f"New booking: {service.name} with {row['name']}",
                            f"{row['name']} ({row['email']}) booked {service.name} on {when}.\n{row['notes']}",
                            self.now()))

    def _mail(self, mail: SentMail) -> None:
        with self._mail_lock:
            self.mail_sink(mail)


REPLICA = BlindMsBookings

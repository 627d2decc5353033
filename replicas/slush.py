"""Loopback replica of the Slush matchmaking app, modelled on Brella (research/platforms.md §5).

The flow follows §5.2: sign in, the **People** tab, **"Suggest Meeting"** on a person, their
networking availability in **15-minute** slots showing your local time and theirs, a personal
message, send → the request is **pending** until the recipient accepts (it then appears in
**Schedule** with a **table number**), declines (the slot is free again) or reschedules (proposes a
new time the sender accepts or declines). Tickets limit requests ("Meeting requests remaining"); a
cancelled or declined request returns to the quota. URL shapes follow next.brella.io:
``/events/<slug>/people?profile=<id>``, ``/events/<slug>/meetings/<id>``, ``/events/<slug>/schedule``.
Statuses use the unofficial client's vocabulary (pending, accepted, declined, reschedule_requested,
cancelled). Pages are rendered client-side by ``slush_assets/app.js`` from a JSON config; "now"
comes from the server. Notification e-mails go to an injected ``mail_sink``.

Routes::

    GET  /events/<slug>/sign-in?next=           sign-in page
    POST /api/auth/sign_in                      {email, password} → session cookie (Devise-style errors)
    GET  /events/<slug>/people[?profile=<id>]   People tab (+ profile with availability)
    GET  /events/<slug>/meetings/<id>           one request, its status, table, reschedule answer
    GET  /events/<slug>/schedule                accepted meetings with table numbers
    GET  /api/events/<slug>/me | attendees?search= | attendees/<id>/timeslots | meetings/<id> | schedule
    POST /api/events/<slug>/meetings            {attendee_id, start, message} → 201 {id, status: pending}
    POST /api/events/<slug>/meetings/<id>/reschedule_response   {accept: bool}
    POST /api/events/<slug>/meetings/<id>/cancel
    POST /__replica__/meetings/<id>/accept      host side: {table?}
    POST /__replica__/meetings/<id>/decline     host side
    POST /__replica__/meetings/<id>/reschedule  host side: {start}
    GET  /__replica__/meetings                  every request as JSON
"""
from __future__ import annotations

import json
import secrets
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import quote
from zoneinfo import ZoneInfo

from .mail import MailSink, SentMail, discard
from .builds import replica_class
from .fault_world import PlatformWorld, counter, switch
from .server import LoopbackServer, Request, Response

UTC = timezone.utc
ASSETS = Path(__file__).with_name("slush_assets")
SLOT_MINUTES = 15
COOKIE = "brella_session"  # [U] invented cookie name
SIGN_IN_ERROR = "Invalid login credentials. Please try again."  # Devise token auth's wording [S]
QUOTA_ERROR = "You have no meeting requests remaining."  # [U] invented wording
SLOT_TAKEN_ERROR = "This time slot is no longer available."  # [U] invented wording
MAIL_FROM = "Slush Matchmaking <matchmaking@slush.com>"  # [U] invented sender (Slush's own domain)
_SLUG = r"[A-Za-z0-9_-]+"


@dataclass
class SlushAttendee:
    id: str                       # "a-1001"
    name: str
    title: str
    company: str
    timezone: str                 # their local zone ("their time")
    slots: list[datetime]         # aware starts of free 15-minute networking slots
    email: str = ""


@dataclass
class SlushAccount:
    login: str
    password: str
    name: str
    company: str = "AXA Innovation"
    quota: int = 10               # "Meeting requests remaining"


@dataclass
class SlushFaults:
    take_slot_before_request: int = 0      # the next N requests (True: one) find their slot just taken
    request_form_never_opens: bool = False  # clicking a time slot does nothing


@dataclass
class SlushMeeting:
    id: str
    sender_login: str
    sender_name: str
    attendee_id: str
    start: datetime
    message: str
    status: str = "pending"       # pending | accepted | declined | reschedule_requested | cancelled
    table: str | None = None
    proposed_start: datetime | None = None
    created_at: datetime | None = None
    history: list[str] = field(default_factory=list)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=SLOT_MINUTES)


class SlushReplica(LoopbackServer):
    """The event app on 127.0.0.1; all state is guarded by ``self.lock``."""

    def __init__(
        self,
        attendees: Iterable[SlushAttendee] = (),
        accounts: Iterable[SlushAccount] = (),
        *,
        event_slug: str = "slush2026",
        event_name: str = "Slush 2026",
        now: Callable[[], datetime] | None = None,
        mail_sink: MailSink = discard,
        first_table: int = 1,
    ) -> None:
        super().__init__()
        self.event_slug = event_slug
        self.event_name = event_name
        self._now_fn = now or (lambda: datetime.now(UTC))
        self.mail_sink = mail_sink
        self.attendees: dict[str, SlushAttendee] = {}
        self.accounts: dict[str, SlushAccount] = {}
        self.meetings: dict[str, SlushMeeting] = {}
        self.sign_ins: list[str] = []           # logins that signed in, in order (test evidence)
        self.faults = SlushFaults()
        self._blocked: set[tuple[str, datetime]] = set()  # (attendee, start) someone else took
        self._sessions: dict[str, str] = {}     # cookie token → login
        self._next_table = first_table
        self._next_id = 5001
        self._js = (ASSETS / "app.js").read_text(encoding="utf-8")
        self._css = (ASSETS / "app.css").read_text(encoding="utf-8")
        for attendee in attendees:
            self.add_attendee(attendee)
        for account in accounts:
            self.accounts[account.login.casefold()] = account

        e = rf"/events/(?P<slug>{_SLUG})"
        api = rf"/api/events/(?P<slug>{_SLUG})"
        self.add_route("GET", r"/favicon\.ico", lambda request: Response(204))
        self.add_route("GET", r"/assets/app\.js", lambda r: Response.text(self._js, content_type="text/javascript"))
        self.add_route("GET", r"/assets/app\.css", lambda r: Response.text(self._css, content_type="text/css"))
        self.add_route("POST", r"/api/auth/sign_in", self._api_sign_in)
        self.add_route("GET", rf"{e}/sign-in/?", self._page_sign_in)
        self.add_route("GET", rf"{e}/?(?:home/?)?", self._page_home)
        self.add_route("GET", rf"{e}/people/?", self._page("people"))
        self.add_route("GET", rf"{e}/schedule/?", self._page("schedule"))
        self.add_route("GET", rf"{e}/meetings/(?P<meeting_id>[A-Za-z0-9-]+)/?", self._page("meeting"))
        self.add_route("GET", rf"{api}/me", self._api_me)
        self.add_route("GET", rf"{api}/attendees", self._api_attendees)
        self.add_route("GET", rf"{api}/attendees/(?P<attendee_id>[^/]+)/timeslots", self._api_timeslots)
        self.add_route("POST", rf"{api}/meetings", self._api_request_meeting)
        self.add_route("GET", rf"{api}/meetings/(?P<meeting_id>[^/]+)", self._api_meeting)
        self.add_route("POST", rf"{api}/meetings/(?P<meeting_id>[^/]+)/reschedule_response", self._api_reschedule_response)
        self.add_route("POST", rf"{api}/meetings/(?P<meeting_id>[^/]+)/cancel", self._api_cancel)
        self.add_route("GET", rf"{api}/schedule", self._api_schedule)
        self.add_route("GET", r"/__replica__/meetings", self._replica_meetings)
        self.add_route("POST", r"/__replica__/meetings/(?P<meeting_id>[^/]+)/accept", self._admin("accept"))
        self.add_route("POST", r"/__replica__/meetings/(?P<meeting_id>[^/]+)/decline", self._admin("decline"))
        self.add_route("POST", r"/__replica__/meetings/(?P<meeting_id>[^/]+)/reschedule", self._admin("reschedule"))

    # -- set-up and URLs ----------------------------------------------------------------------------
    def add_attendee(self, attendee: SlushAttendee) -> None:
        ZoneInfo(attendee.timezone)
        for slot in attendee.slots:
            if slot.tzinfo is None:
                raise ValueError(f"slot {slot!r} of {attendee.name} must be timezone-aware")
        with self.lock:
            self.attendees[attendee.id] = attendee

    def people_url(self, profile: str | None = None) -> str:
        return f"{self.url}/events/{self.event_slug}/people" + (f"?profile={profile}" if profile else "")

    def meeting_url(self, meeting_id: str) -> str:
        return f"{self.url}/events/{self.event_slug}/meetings/{meeting_id}"

    def schedule_url(self) -> str:
        return f"{self.url}/events/{self.event_slug}/schedule"

    def now(self) -> datetime:
        return self._now_fn().astimezone(UTC)

    # -- the host's side (what the startup does in its own app) -------------------------------------
    def accept(self, meeting_id: str, table: str | None = None) -> SlushMeeting:
        with self.lock:
            meeting = self._meeting_or_raise(meeting_id, {"pending"})
            meeting.status = "accepted"
            meeting.table = table or f"Table {self._next_table}"
            if table is None:
                self._next_table += 1
            meeting.history.append("accepted")
            attendee = self.attendees[meeting.attendee_id]
            mail = self._mail(meeting, f"{attendee.name} accepted your meeting request",
                              f"{attendee.name} ({attendee.company}) accepted your meeting request.\n"
                              f"When: {self._when(meeting.start)}\nWhere: {meeting.table}, Meeting Area\n"
                              f"Open the meeting: {self.meeting_url(meeting.id)}\n")
        self.mail_sink(mail)
        return meeting

    def decline(self, meeting_id: str) -> SlushMeeting:
        with self.lock:
            meeting = self._meeting_or_raise(meeting_id, {"pending", "reschedule_requested"})
            meeting.status = "declined"
            meeting.history.append("declined")
            self._return_quota(meeting)
            attendee = self.attendees[meeting.attendee_id]
            mail = self._mail(meeting, f"{attendee.name} declined your meeting request",
                              f"{attendee.name} ({attendee.company}) declined your meeting request for "
                              f"{self._when(meeting.start)}.\n")
        self.mail_sink(mail)
        return meeting

    def reschedule(self, meeting_id: str, start: datetime) -> SlushMeeting:
        if start.tzinfo is None:
            raise ValueError("the new start must be timezone-aware")
        with self.lock:
            meeting = self._meeting_or_raise(meeting_id, {"pending"})
            meeting.status = "reschedule_requested"
            meeting.proposed_start = start.astimezone(UTC)
            meeting.history.append("reschedule_requested")
            attendee = self.attendees[meeting.attendee_id]
            mail = self._mail(meeting, f"{attendee.name} suggested a new time for your meeting",
                              f"{attendee.name} ({attendee.company}) can't make {self._when(meeting.start)} and "
                              f"suggested {self._when(start)} instead.\nAnswer here: {self.meeting_url(meeting.id)}\n")
        self.mail_sink(mail)
        return meeting

    def request_meeting(self, login: str, attendee_id: str, start: datetime, message: str) -> SlushMeeting:
        """Test hook: a request as if sent from the app (skips the UI)."""
        with self.lock:
            account = self.accounts[login.casefold()]
            meeting = SlushMeeting(id=f"m-{self._next_id}", sender_login=account.login, sender_name=account.name,
                                   attendee_id=attendee_id, start=start.astimezone(UTC), message=message,
                                   created_at=self.now(), history=["pending"])
            self._next_id += 1
            self.meetings[meeting.id] = meeting
            account.quota -= 1
            return meeting

    def _meeting_or_raise(self, meeting_id: str, allowed: set[str]) -> SlushMeeting:
        meeting = self.meetings.get(meeting_id)
        if meeting is None:
            raise KeyError(f"no meeting {meeting_id}")
        if meeting.status not in allowed:
            raise ValueError(f"meeting {meeting_id} is {meeting.status}")
        return meeting

    def _return_quota(self, meeting: SlushMeeting) -> None:
        account = self.accounts.get(meeting.sender_login.casefold())
        if account:
            account.quota += 1

    def _when(self, start: datetime) -> str:
        local = start.astimezone(ZoneInfo("Europe/Helsinki"))  # [U] the venue's zone in mails
        return f"{local:%a} {local.day} {local:%b} {local:%H:%M}–{local + timedelta(minutes=SLOT_MINUTES):%H:%M} (Helsinki time)"

    def _mail(self, meeting: SlushMeeting, subject: str, body: str) -> SentMail:
        return SentMail(sender=MAIL_FROM, to=meeting.sender_login, subject=f"[{self.event_name}] {subject}",
                        body=body, sent_at=self.now())

    # -- sessions -----------------------------------------------------------------------------------
    def _login(self, request: Request) -> SlushAccount | None:
        cookies = request.header("cookie") or ""
        for part in cookies.split(";"):
            name, _, value = part.strip().partition("=")
            if name == COOKIE and value in self._sessions:
                return self.accounts.get(self._sessions[value])
        return None

    def _api_sign_in(self, request: Request) -> Response:
        try:
            body = request.json() or {}
        except ValueError:
            body = {}
        login, password = str(body.get("email", "")).strip(), str(body.get("password", ""))
        with self.lock:
            account = self.accounts.get(login.casefold())
            if account is None or not secrets.compare_digest(account.password, password):
                return Response.json({"success": False, "errors": [SIGN_IN_ERROR]}, 401)
            token = secrets.token_urlsafe(24)
            self._sessions[token] = account.login.casefold()
            self.sign_ins.append(account.login)
        return Response.json({"data": {"name": account.name}},
                             headers={"Set-Cookie": f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax"})

    # -- pages ----------------------------------------------------------------------------------------
    def _page_sign_in(self, request: Request, slug: str) -> Response:
        if slug != self.event_slug:
            return self.not_found(request)
        return self._render("Sign in", {"page": "sign_in", "next": request.arg("next") or f"/events/{slug}/people"})

    def _page_home(self, request: Request, slug: str) -> Response:
        return Response.redirect(f"/events/{slug}/people", 302)

    def _page(self, name: str) -> Callable[..., Response]:
        def handler(request: Request, slug: str, **groups: str) -> Response:
            if slug != self.event_slug:
                return self.not_found(request)
            with self.lock:
                account = self._login(request)
            if account is None:
                target = request.path + (f"?profile={request.arg('profile')}" if request.arg("profile") else "")
                return Response.redirect(f"/events/{slug}/sign-in?next={quote(target, safe='')}", 302)
            config: dict[str, Any] = {"page": name, "me": {"name": account.name}}
            if name == "people":
                config["profile"] = request.arg("profile")
            if name == "meeting":
                config["meeting_id"] = groups["meeting_id"]
            return self._render({"people": "People", "schedule": "Schedule", "meeting": "Meeting"}[name], config)

        return handler

    def _render(self, title: str, config: dict[str, Any]) -> Response:
        config = {**config, "now": self.now().isoformat(), "slot_minutes": SLOT_MINUTES,
                  "faults": {"request_form_never_opens": self.faults.request_form_never_opens},
                  "event": {"slug": self.event_slug, "name": self.event_name},
                  "api": f"/api/events/{self.event_slug}"}
        payload = json.dumps(config).replace("</", "<\\/")
        return Response.html(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{title} | {self.event_name}</title><link rel=\"stylesheet\" href=\"/assets/app.css\"></head>"
            f"<body><div id=\"app\"></div><script id=\"app-config\" type=\"application/json\">{payload}</script>"
            "<script src=\"/assets/app.js\"></script></body></html>"
        )

    # -- JSON API -------------------------------------------------------------------------------------
    def _authorised(self, request: Request, slug: str) -> SlushAccount | Response:
        if slug != self.event_slug:
            return Response.json({"errors": ["Event not found"]}, 404)
        account = self._login(request)
        if account is None:
            return Response.json({"errors": ["You need to sign in or sign up before continuing."]}, 401)
        return account

    def _api_me(self, request: Request, slug: str) -> Response:
        with self.lock:
            account = self._authorised(request, slug)
            if isinstance(account, Response):
                return account
            return Response.json({"name": account.name, "company": account.company,
                                  "meeting_requests_remaining": account.quota})

    def _api_attendees(self, request: Request, slug: str) -> Response:
        query = (request.arg("search") or "").strip().casefold()
        with self.lock:
            account = self._authorised(request, slug)
            if isinstance(account, Response):
                return account
            found = [a for a in self.attendees.values()
                     if not query or query in a.name.casefold() or query in a.company.casefold()]
            return Response.json({"query": request.arg("search") or "", "attendees": [self._attendee_json(a) for a in found]})

    @staticmethod
    def _attendee_json(attendee: SlushAttendee) -> dict[str, Any]:
        return {"id": attendee.id, "name": attendee.name, "title": attendee.title, "company": attendee.company,
                "timezone": attendee.timezone}

    def _busy(self, attendee_id: str) -> set[datetime]:
        return {start for who, start in self._blocked if who == attendee_id} | {m.start for m in self.meetings.values()
                if m.attendee_id == attendee_id and m.status in ("pending", "accepted", "reschedule_requested")} | {
                m.proposed_start for m in self.meetings.values()
                if m.attendee_id == attendee_id and m.status == "reschedule_requested" and m.proposed_start}

    def free_slots(self, attendee_id: str) -> list[datetime]:
        with self.lock:
            attendee = self.attendees[attendee_id]
            now, busy = self.now(), self._busy(attendee_id)
            return sorted({s.astimezone(UTC) for s in attendee.slots if s > now and s.astimezone(UTC) not in busy})

    def _api_timeslots(self, request: Request, slug: str, attendee_id: str) -> Response:
        with self.lock:
            account = self._authorised(request, slug)
            if isinstance(account, Response):
                return account
            attendee = self.attendees.get(attendee_id)
            if attendee is None:
                return Response.json({"errors": ["Attendee not found"]}, 404)
            slots = self.free_slots(attendee_id)
            return Response.json({"attendee": self._attendee_json(attendee),
                                  "timeslots": [{"start": s.isoformat(), "minutes": SLOT_MINUTES} for s in slots]})

    def _api_request_meeting(self, request: Request, slug: str) -> Response:
        try:
            body = request.json() or {}
            start = datetime.fromisoformat(str(body.get("start", "")))
        except ValueError:
            return Response.json({"errors": ["Pick a time slot."]}, 422)
        message = str(body.get("message", "")).strip()
        with self.lock:
            account = self._authorised(request, slug)
            if isinstance(account, Response):
                return account
            attendee = self.attendees.get(str(body.get("attendee_id", "")))
            if attendee is None:
                return Response.json({"errors": ["Attendee not found"]}, 404)
            if account.quota <= 0:
                return Response.json({"errors": [QUOTA_ERROR]}, 422)
            if not message:
                return Response.json({"errors": ["Write a message to introduce yourself."]}, 422)
            if self.faults.take_slot_before_request and start.tzinfo is not None:
                self.faults.take_slot_before_request -= 1  # someone else's request got there first
                self._blocked.add((attendee.id, start.astimezone(UTC)))
            if start.tzinfo is None or start.astimezone(UTC) not in self.free_slots(attendee.id):
                return Response.json({"errors": [SLOT_TAKEN_ERROR]}, 422)
            meeting = SlushMeeting(id=f"m-{self._next_id}", sender_login=account.login, sender_name=account.name,
                                   attendee_id=attendee.id, start=start.astimezone(UTC), message=message,
                                   created_at=self.now(), history=["pending"])
            self._next_id += 1
            self.meetings[meeting.id] = meeting
            account.quota -= 1
            return Response.json(self._meeting_json(meeting), 201)

    def _meeting_json(self, meeting: SlushMeeting) -> dict[str, Any]:
        attendee = self.attendees[meeting.attendee_id]
        return {"id": meeting.id, "status": meeting.status, "start": meeting.start.isoformat(),
                "end": meeting.end.isoformat(), "message": meeting.message, "table": meeting.table,
                "proposed_start": meeting.proposed_start.isoformat() if meeting.proposed_start else None,
                "attendee": self._attendee_json(attendee), "sender_name": meeting.sender_name}

    def _own_meeting(self, request: Request, slug: str, meeting_id: str) -> SlushMeeting | Response:
        account = self._authorised(request, slug)
        if isinstance(account, Response):
            return account
        meeting = self.meetings.get(meeting_id)
        if meeting is None or meeting.sender_login.casefold() != account.login.casefold():
            return Response.json({"errors": ["Meeting not found"]}, 404)
        return meeting

    def _api_meeting(self, request: Request, slug: str, meeting_id: str) -> Response:
        with self.lock:
            meeting = self._own_meeting(request, slug, meeting_id)
            return meeting if isinstance(meeting, Response) else Response.json(self._meeting_json(meeting))

    def _api_reschedule_response(self, request: Request, slug: str, meeting_id: str) -> Response:
        accept = bool((request.json() or {}).get("accept"))
        with self.lock:
            meeting = self._own_meeting(request, slug, meeting_id)
            if isinstance(meeting, Response):
                return meeting
            if meeting.status != "reschedule_requested" or meeting.proposed_start is None:
                return Response.json({"errors": ["There is no new time to answer."]}, 422)
            if accept:
                meeting.start, meeting.proposed_start = meeting.proposed_start, None
                meeting.status = "accepted"
                meeting.table = f"Table {self._next_table}"
                self._next_table += 1
            else:
                meeting.status = "declined"
                self._return_quota(meeting)
            meeting.history.append(f"sender {'accepted' if accept else 'declined'} the new time")
            return Response.json(self._meeting_json(meeting))

    def _api_cancel(self, request: Request, slug: str, meeting_id: str) -> Response:
        with self.lock:
            meeting = self._own_meeting(request, slug, meeting_id)
            if isinstance(meeting, Response):
                return meeting
            if meeting.status not in ("pending", "reschedule_requested", "accepted"):
                return Response.json({"errors": ["This meeting can't be cancelled."]}, 422)
            meeting.status = "cancelled"
            meeting.history.append("cancelled by the sender")
            self._return_quota(meeting)
            return Response.json(self._meeting_json(meeting))

    def _api_schedule(self, request: Request, slug: str) -> Response:
        with self.lock:
            account = self._authorised(request, slug)
            if isinstance(account, Response):
                return account
            accepted = sorted((m for m in self.meetings.values()
                               if m.status == "accepted" and m.sender_login.casefold() == account.login.casefold()),
                              key=lambda m: m.start)
            return Response.json({"meetings": [self._meeting_json(m) for m in accepted]})

    # -- test hooks -------------------------------------------------------------------------------------
    def _replica_meetings(self, request: Request) -> Response:
        with self.lock:
            return Response.json({"meetings": [self._meeting_json(m) for m in self.meetings.values()]})

    def _admin(self, action: str) -> Callable[..., Response]:
        def handler(request: Request, meeting_id: str) -> Response:
            body = request.json() or {}
            try:
                if action == "accept":
                    meeting = self.accept(meeting_id, body.get("table"))
                elif action == "decline":
                    meeting = self.decline(meeting_id)
                else:
                    meeting = self.reschedule(meeting_id, datetime.fromisoformat(str(body.get("start"))))
            except KeyError as exc:
                return Response.json({"errors": [str(exc)]}, 404)
            except ValueError as exc:
                return Response.json({"errors": [str(exc)]}, 422)
            with self.lock:
                return Response.json(self._meeting_json(meeting))

        return handler


def networking_slots(day: datetime, start_hour: int, end_hour: int, zone: str,
                     skip: Iterable[str] = ()) -> list[datetime]:
    """15-minute networking slots on ``day`` between two local hours, minus ``skip`` ("10:15")."""
    tz = ZoneInfo(zone)
    skipped = set(skip)
    moment = datetime(day.year, day.month, day.day, start_hour, tzinfo=tz)
    slots = []
    while moment.hour < end_hour:
        if f"{moment:%H:%M}" not in skipped:
            slots.append(moment)
        moment += timedelta(minutes=SLOT_MINUTES)
    return slots



DEMO_LOGIN = "eduardo.paz@axa-innovation.example"
DEMO_PASSWORD = "correct horse battery staple"


def build_slush(now: Callable[[], datetime] | None = None, mail_sink: MailSink = discard, quota: int = 3,
                build: str = "first", **replica_options: Any) -> SlushReplica:
    """Slush 2026 with Acme Robotics (Alice in Berlin, Bob in Helsinki), a look-alike name at another
    company, and the teammate's event account."""
    clock = now or (lambda: datetime.now(UTC))
    today = clock().astimezone(ZoneInfo("Europe/Helsinki"))
    tomorrow = today + timedelta(days=1)
    attendees = [
        SlushAttendee("a-1001", "Alice Smith", "CEO", "Acme Robotics", "Europe/Berlin",
                      networking_slots(tomorrow, 10, 12, "Europe/Helsinki"), "alice@acme.example"),
        SlushAttendee("a-1002", "Bob Jones", "CTO", "Acme Robotics", "Europe/Helsinki",
                      networking_slots(tomorrow, 14, 16, "Europe/Helsinki", skip=["14:00"]), "bob@acme.example"),
        SlushAttendee("a-2001", "Alice Smithson", "Partner", "Other Ventures", "America/New_York",
                      networking_slots(tomorrow, 9, 11, "Europe/Helsinki"), "alice@other.example"),
    ]
    account = SlushAccount(DEMO_LOGIN, DEMO_PASSWORD, "Eduardo Paz", quota=quota)
    cls = replica_class("slush", build, SlushReplica)
    return cls(attendees, [account], now=clock, mail_sink=mail_sink, **replica_options)


def fault_world(stack: ExitStack, clock: Callable[[], datetime], build: str, email: str,
                mail_sink: MailSink) -> PlatformWorld:
    """The fault suite's Slush: Acme Robotics, a request waits for the host (no confirmation at once)."""
    site = stack.enter_context(build_slush(now=clock, mail_sink=mail_sink, quota=10, build=build))
    entry = {"name": "Acme Robotics", "aliases": ["acme"], "platform": "slush_platform",
             "booking_url": site.people_url(), "people": [{"name": "Bob Jones"}, {"name": "Alice Smith"}]}
    return PlatformWorld(site, "Acme Robotics", (site, "/events/slush2026/people"), "message box",
                         switch(site.faults, "request_form_never_opens"),
                         counter(site.faults, "take_slot_before_request"),
                         lambda: [m for m in site.meetings.values() if m.sender_login == DEMO_LOGIN],
                         confirms=False, directory=[entry],
                         settings={"slush_login": DEMO_LOGIN, "slush_password": DEMO_PASSWORD},
                         extra={"password": DEMO_PASSWORD})

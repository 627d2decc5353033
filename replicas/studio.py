"""A startup's own booking page, written unlike the platform replicas: "Nordlys Studio".

Server-rendered HTML over several pages, table layout, old-school XHR (no framework, no JSON
config): page 1 has a person ``<select>``, a month-grid date picker whose months and times load over
AJAX as HTML fragments, and a time list of radio buttons carrying ``data-begins`` (local studio
time, "2026-12-02 10:00"); page 2 asks for contact details with a required phone field; then a
6-digit code is e-mailed to the invitee (through the injected mail sink) and the booking exists
only once the code is entered on page 3. # [U] invented: the whole site is a plausible small app.

Routes::

    GET  /booking                           page 1 (person, calendar, times)
    GET  /booking/calendar?staff=&month=    the month grid (fragment, XHR)
    GET  /booking/times?staff=&day=         the time list (fragment, XHR; answers after ajax_delay)
    POST /booking                           page 1 → draft → 303 /booking/contact?t=
    GET|POST /booking/contact?t=            page 2: contact details → code mailed → 303 /booking/verify?t=
    GET|POST /booking/verify?t=             page 3: the code → booking → 303 /booking/confirmed/<ref>
    GET  /booking/confirmed/<ref>           thank-you page with the reference
    GET  /simple                            a one-page form in the original plan's style (person buttons,
                                            .time-slot-button with data-time, name/email/notes, submit)
    POST /simple                            books at once → .confirmation-message
    GET  /__replica__/bookings              test hook
"""
from __future__ import annotations

import html
import re
import secrets
import threading
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, Iterable
from urllib.parse import quote
from zoneinfo import ZoneInfo

from .fault_world import PlatformWorld, counter, mine, switch
from .mail import MailSink, SentMail, discard
from .server import LoopbackServer, Request, Response

UTC = timezone.utc
SENDER = "Nordlys Studio <no-reply@nordlys.example>"
TAKEN = "Sorry, this time has just been taken. Please choose another one."
WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
PHONE = "+358 40 123 4567"  # the fault suite's teammate's phone: the details form requires one


@dataclass
class StudioPerson:
    key: str                 # "mia"
    name: str                # "Mia Berg"
    slots: list[datetime]    # aware starts


@dataclass
class StudioFaults:
    take_slot_before_confirm: int = 0        # the next N code confirmations (True: one) find their slot taken
    details_form_missing: bool = False       # page 2 shows its heading but never its form


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


class StudioSite(LoopbackServer):
    def __init__(
        self,
        people: Iterable[StudioPerson],
        *,
        now: Callable[[], datetime] | None = None,
        mail_sink: MailSink = discard,
        zone: str = "Europe/Stockholm",
        duration_minutes: int = 45,
        ajax_delay: float = 0.15,
        mail_delay: float = 0.0,
        name: str = "Nordlys Studio",
    ) -> None:
        super().__init__()
        self.people = {p.key: p for p in people}
        self._now_fn = now or (lambda: datetime.now(UTC))
        self.mail_sink = mail_sink
        self.zone = ZoneInfo(zone)
        self.duration = timedelta(minutes=duration_minutes)
        self.ajax_delay = ajax_delay
        self.mail_delay = mail_delay  # seconds a code mail takes to arrive (real mail is never instant)
        self.name = name
        self.faults = StudioFaults()
        self.bookings: list[dict[str, Any]] = []
        self.drafts: dict[str, dict[str, Any]] = {}
        self.codes_sent = 0
        self._stopping = threading.Event()
        self.add_route("GET", r"/favicon\.ico", lambda r: Response(204))
        self.add_route("GET", r"/booking/?", self._page_one)
        self.add_route("POST", r"/booking/?", self._post_one)
        self.add_route("GET", r"/booking/calendar", self._calendar_fragment)
        self.add_route("GET", r"/booking/times", self._times_fragment)
        self.add_route("GET", r"/booking/contact", self._page_two)
        self.add_route("POST", r"/booking/contact", self._post_two)
        self.add_route("GET", r"/booking/verify", self._page_three)
        self.add_route("POST", r"/booking/verify", self._post_three)
        self.add_route("GET", r"/booking/confirmed/(?P<ref>[A-Z0-9-]+)", self._thanks)
        self.add_route("GET", r"/simple/?", self._simple_page)
        self.add_route("POST", r"/simple/?", self._simple_post)
        self.add_route("GET", r"/__replica__/bookings", lambda r: Response.json({"bookings": self.bookings}))

    @property
    def booking_url(self) -> str:
        return f"{self.url}/booking"

    def now(self) -> datetime:
        return self._now_fn().astimezone(UTC)

    def stop(self) -> None:
        self._stopping.set()
        super().stop()

    # -- availability ---------------------------------------------------------------------------------
    def _taken(self, key: str) -> set[datetime]:
        return {b["start"] for b in self.bookings if b["staff"] == key}

    def free_slots(self, key: str) -> list[datetime]:
        person = self.people.get(key)
        if person is None:
            return []
        now, taken = self.now(), self._taken(key)
        return sorted(s.astimezone(self.zone) for s in person.slots if s > now and s not in taken)

    def _free_on(self, key: str, day: date) -> list[datetime]:
        return [s for s in self.free_slots(key) if s.date() == day]

    # -- layout ----------------------------------------------------------------------------------------------
    def _layout(self, title: str, body: str, script: str = "") -> Response:
        return Response.html(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + esc(title) + " - " + esc(self.name) +
            "</title><style>body{font-family:Georgia,serif;background:#fbf8f1;margin:0}"
            "#wrap{width:760px;margin:0 auto;background:#fff;padding:16px 28px;border:1px solid #ddd}"
            "h1{font-weight:normal;border-bottom:3px double #999}table.cal td,table.cal th{width:36px;height:30px;text-align:center}"
            "td.avail{background:#dfe9d6;cursor:pointer}td.na{color:#bbb}td.sel{outline:2px solid #333}"
            ".err{color:#900;border:1px solid #900;padding:6px;margin:8px 0}ul#times{list-style:none;padding:0}"
            "ul#times li{display:inline-block;margin:4px 10px 4px 0}.steps span{margin-right:12px;color:#999}"
            ".steps span.on{color:#000;font-weight:bold}</style></head><body><div id=\"wrap\">"
            "<div class=\"steps\">" + body + "</div></div>" + (f"<script>{script}</script>" if script else "") +
            "</body></html>"
        )

    @staticmethod
    def _steps(current: int) -> str:
        names = ("1. Time", "2. Your details", "3. Confirm")
        return "".join(f"<span class=\"{'on' if i + 1 == current else ''}\">{n}</span>" for i, n in enumerate(names))

    # -- page 1 ----------------------------------------------------------------------------------------------
    def _page_one(self, request: Request, error: str | None = None, staff: str = "") -> Response:
        options = "<option value=\"\">-- Please choose --</option>" + "".join(
            f"<option value=\"{esc(p.key)}\"{' selected' if p.key == staff else ''}>{esc(p.name)}</option>"
            for p in self.people.values())
        month = self.now().astimezone(self.zone).strftime("%Y-%m")
        body = (self._steps(1) + f"<h1>Book an appointment</h1>"
                + (f"<div class=\"err\">{esc(error)}</div>" if error else "")
                + "<form method=\"post\" action=\"/booking\" id=\"step1\"><table><tr><td><label for=\"staff\">With whom?</label></td>"
                f"<td><select name=\"staff\" id=\"staff\">{options}</select></td></tr></table>"
                f"<div id=\"calwrap\" data-month=\"{month}\"><p><i>Please choose a person first.</i></p></div>"
                "<div id=\"timewrap\"></div>"
                "<p><small>All times are Stockholm time.</small></p>"
                "<p><input type=\"submit\" value=\"Continue &rsaquo;\"></p></form>")
        script = """
var staff = document.getElementById('staff'), calwrap = document.getElementById('calwrap'),
    timewrap = document.getElementById('timewrap');
function get(url, done) {
  var r = new XMLHttpRequest();
  r.open('GET', url, true);
  r.onreadystatechange = function () { if (r.readyState === 4) { done(r.responseText); } };
  r.send(null);
}
function loadMonth(month) {
  timewrap.innerHTML = '';
  if (!staff.value) { calwrap.innerHTML = '<p><i>Please choose a person first.</i></p>'; return; }
  calwrap.innerHTML = '<p>Loading...</p>';
  get('/booking/calendar?staff=' + encodeURIComponent(staff.value) + '&month=' + month, function (text) {
    calwrap.innerHTML = text; calwrap.setAttribute('data-month', month); wire();
  });
}
function wire() {
  var cells = calwrap.getElementsByTagName('td');
  for (var i = 0; i < cells.length; i++) {
    if (cells[i].className.indexOf('avail') >= 0) { cells[i].onclick = pickDay; }
  }
  var links = calwrap.getElementsByTagName('a');
  for (var j = 0; j < links.length; j++) {
    links[j].onclick = function () { loadMonth(this.getAttribute('data-month')); return false; };
  }
}
function pickDay() {
  var cells = calwrap.getElementsByTagName('td');
  for (var i = 0; i < cells.length; i++) { cells[i].className = cells[i].className.replace(' sel', ''); }
  this.className += ' sel';
  var parts = this.getAttribute('data-day').split('.');
  timewrap.innerHTML = '<p>Loading times...</p>';
  get('/booking/times?staff=' + encodeURIComponent(staff.value) + '&day=' + parts[2] + '-' + parts[1] + '-' + parts[0],
      function (text) { timewrap.innerHTML = text; });
}
staff.onchange = function () { loadMonth(calwrap.getAttribute('data-month')); };
if (staff.value) { loadMonth(calwrap.getAttribute('data-month')); }
"""
        return self._layout("Book", body, script)

    def _calendar_fragment(self, request: Request) -> Response:
        key = request.arg("staff") or ""
        try:
            first = datetime.strptime(request.arg("month") or "", "%Y-%m").date()
        except ValueError:
            return Response.text("bad month", 400)
        if key not in self.people:
            return Response.html("<p><i>Please choose a person first.</i></p>")
        with self.lock:
            free_days = {s.date() for s in self.free_slots(key)}
        prev_month = (first - timedelta(days=1)).replace(day=1)
        next_month = (first + timedelta(days=32)).replace(day=1)
        rows, cells = [], ["<td></td>"] * first.weekday()
        day = first
        while day.month == first.month:
            label = f"{day:%d.%m.%Y}"
            css = "avail" if day in free_days else "na"
            cells.append(f"<td class=\"{css}\" data-day=\"{label}\">{day.day}</td>")
            if len(cells) == 7:
                rows.append("<tr>" + "".join(cells) + "</tr>")
                cells = []
            day += timedelta(days=1)
        if cells:
            rows.append("<tr>" + "".join(cells + ["<td></td>"] * (7 - len(cells))) + "</tr>")
        this_month = self.now().astimezone(self.zone).date().replace(day=1)
        prev_link = (f"<a href=\"#\" id=\"prev-month\" data-month=\"{prev_month:%Y-%m}\">&laquo;</a>"
                     if prev_month >= this_month else "<span>&nbsp;</span>")
        return Response.html(
            f"<table class=\"cal\" id=\"cal\" data-month=\"{first:%Y-%m}\"><caption>{prev_link} "
            f"<b class=\"month\">{first:%B %Y}</b> <a href=\"#\" id=\"next-month\" data-month=\"{next_month:%Y-%m}\">&raquo;</a>"
            "</caption><tr>" + "".join(f"<th>{d}</th>" for d in WEEKDAYS) + "</tr>" + "".join(rows) + "</table>"
        )

    def _times_fragment(self, request: Request) -> Response:
        if self.ajax_delay:
            self._stopping.wait(self.ajax_delay)  # the studio's slow backend: the list arrives later
        key = request.arg("staff") or ""
        try:
            day = date.fromisoformat(request.arg("day") or "")
        except ValueError:
            return Response.text("bad day", 400)
        with self.lock:
            free = self._free_on(key, day)
        if not free:
            return Response.html("<p class=\"none\">No free times on this day.</p>")
        items = "".join(
            f"<li><label><input type=\"radio\" name=\"slot\" value=\"{s:%Y-%m-%d %H:%M}\" "
            f"data-begins=\"{s:%Y-%m-%d %H:%M}\"> {s:%H:%M}</label></li>" for s in free)
        return Response.html(f"<p>Free times on {day:%d.%m.%Y}:</p><ul id=\"times\">{items}</ul>")

    def _parse_slot(self, text: str) -> datetime | None:
        try:
            return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=self.zone)
        except ValueError:
            return None

    def _post_one(self, request: Request) -> Response:
        form = request.form()
        key, start = form.get("staff", ""), self._parse_slot(form.get("slot", ""))
        if key not in self.people:
            return self._page_one(request, "Please choose a person.")
        if start is None:
            return self._page_one(request, "Please choose a day and a time.", key)
        with self.lock:
            if start not in self.free_slots(key):
                return self._page_one(request, TAKEN, key)
            token = secrets.token_hex(12)
            self.drafts[token] = {"staff": key, "start": start}
        return Response.redirect(f"/booking/contact?t={token}")

    # -- page 2 ----------------------------------------------------------------------------------------------
    def _draft(self, request: Request) -> tuple[str, dict[str, Any]] | None:
        token = request.arg("t") or ""  # forms post back to their own ?t= URL
        draft = self.drafts.get(token)
        return (token, draft) if draft else None

    def _page_two(self, request: Request, errors: list[str] | None = None, values: dict[str, str] | None = None) -> Response:
        found = self._draft(request)
        if found is None:
            return Response.redirect("/booking")
        token, draft = found
        values = values or {}
        person = self.people[draft["staff"]]

        def row(label: str, name: str, kind: str = "text", required: bool = True) -> str:
            star = " *" if required else ""
            req = " required" if required else ""
            return (f"<tr><td><label for=\"f_{name}\">{label}{star}</label></td><td><input type=\"{kind}\" "
                    f"id=\"f_{name}\" name=\"{name}\" value=\"{esc(values.get(name, ''))}\" size=\"34\"{req}></td></tr>")

        if self.faults.details_form_missing:  # a broken page: the form's script never arrives
            return self._layout("Your details", self._steps(2) + "<h1>Your details</h1><p>Loading the form…</p>")
        body = (self._steps(2) + "<h1>Your details</h1>"
                + f"<p>Appointment with <b>{esc(person.name)}</b> on {draft['start']:%d.%m.%Y at %H:%M} (Stockholm time).</p>"
                + "".join(f"<div class=\"err\">{esc(e)}</div>" for e in errors or [])
                + f"<form method=\"post\" action=\"/booking/contact?t={token}\"><table>"
                + row("First name", "firstname") + row("Last name", "lastname") + row("E-mail", "email", "email")
                + row("Phone", "tel", "tel") + row("Company", "company", required=False)
                + "<tr><td valign=\"top\"><label for=\"f_notes\">Notes</label></td><td><textarea id=\"f_notes\" "
                  f"name=\"notes\" rows=\"6\" cols=\"40\">{esc(values.get('notes', ''))}</textarea></td></tr></table>"
                + "<p><button type=\"submit\" name=\"action\" value=\"code\">Send verification code</button></p></form>")
        return self._layout("Your details", body)

    def _post_two(self, request: Request) -> Response:
        found = self._draft(request)
        if found is None:
            return Response.redirect("/booking")
        token, draft = found
        form = request.form()
        errors = [f"{label} is required." for name, label in (("firstname", "First name"), ("lastname", "Last name"),
                                                              ("email", "E-mail"), ("tel", "Phone"))
                  if not form.get(name, "").strip()]
        if form.get("email") and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", form["email"].strip()):
            errors.append("Please enter a valid e-mail address.")
        if form.get("tel") and len(re.sub(r"\D", "", form["tel"])) < 6:
            errors.append("Please enter a valid phone number.")
        if errors:
            return self._page_two(request, errors, form)
        code = f"{secrets.randbelow(1_000_000):06d}"
        with self.lock:
            draft.update({k: form.get(k, "").strip() for k in ("firstname", "lastname", "email", "tel", "company", "notes")})
            draft["code"] = code
            self.codes_sent += 1
        mail = SentMail(
            sender=SENDER, to=draft["email"], subject=f"Your {self.name} verification code",
            body=(f"Hello {draft['firstname']},\n\nyour verification code is {code}.\n"
                  "Enter it on the booking page to confirm your appointment. It is valid for 15 minutes.\n\n"
                  f"{self.name}\n"),
            sent_at=self.now(),
        )
        if self.mail_delay:
            courier = threading.Timer(self.mail_delay, self.mail_sink, args=(mail,))
            courier.daemon = True
            courier.start()
        else:
            self.mail_sink(mail)
        return Response.redirect(f"/booking/verify?t={token}")

    # -- page 3 ----------------------------------------------------------------------------------------------
    def _page_three(self, request: Request, error: str | None = None) -> Response:
        found = self._draft(request)
        if found is None or "code" not in found[1]:
            return Response.redirect("/booking")
        token, draft = found
        masked = re.sub(r"^(.).*(@.*)$", r"\1***\2", draft["email"])
        body = (self._steps(3) + "<h1>Confirm your booking</h1>"
                + (f"<div class=\"err\">{esc(error)}</div>" if error else "")
                + f"<p>We have e-mailed a 6-digit verification code to {esc(masked)}.</p>"
                + f"<form method=\"post\" action=\"/booking/verify?t={token}\"><p><label for=\"otp\">Code</label> "
                  "<input type=\"text\" id=\"otp\" name=\"otp\" inputmode=\"numeric\" maxlength=\"6\" autocomplete=\"one-time-code\"></p>"
                + "<p><input type=\"submit\" value=\"Confirm booking\"></p></form>")
        return self._layout("Confirm", body)

    def _post_three(self, request: Request) -> Response:
        found = self._draft(request)
        if found is None or "code" not in found[1]:
            return Response.redirect("/booking")
        token, draft = found
        if request.form().get("otp", "").strip() != draft["code"]:
            return self._page_three(request, "That code is not correct. Please check the e-mail and try again.")
        with self.lock:
            if self.faults.take_slot_before_confirm:
                self.faults.take_slot_before_confirm -= 1
                self.bookings.append({"ref": "NL-OTHER", "staff": draft["staff"], "start": draft["start"],
                                      "email": "someone@else.example", "other": True})
            if draft["start"] not in self.free_slots(draft["staff"]):
                self.drafts.pop(token, None)
                return self._layout("Taken", self._steps(3) + f"<h1>Not booked</h1><div class=\"err\">{esc(TAKEN)}</div>"
                                    "<p><a href=\"/booking\">Choose another time</a></p>")
            ref = "NL-" + secrets.token_hex(3).upper()
            person = self.people[draft["staff"]]
            self.bookings.append({
                "ref": ref, "staff": draft["staff"], "person_name": person.name, "start": draft["start"],
                "end": draft["start"] + self.duration, "firstname": draft["firstname"], "lastname": draft["lastname"],
                "email": draft["email"], "phone": draft["tel"], "company": draft["company"], "notes": draft["notes"],
                "created_at": self.now(),
            })
            self.drafts.pop(token, None)
        return Response.redirect(f"/booking/confirmed/{quote(ref)}")

    def _thanks(self, request: Request, ref: str) -> Response:
        booking = next((b for b in self.bookings if b["ref"] == ref and not b.get("other")), None)
        if booking is None:
            return self.not_found(request)
        body = (self._steps(0) + "<h1>Thank you!</h1><p>Your appointment is booked.</p>"
                + f"<p>{esc(booking['person_name'])}, {booking['start']:%d.%m.%Y at %H:%M} (Stockholm time)</p>"
                + f"<p>Booking reference: <strong id=\"booking-ref\">{esc(ref)}</strong></p>")
        return self._layout("Booked", body)

    # -- the plan-style one-page form ----------------------------------------------------------------------
    def _simple_page(self, request: Request) -> Response:
        with self.lock:
            groups = "".join(
                f"<div class=\"slots\" data-staff=\"{esc(p.key)}\" hidden>" + "".join(
                    f"<button type=\"button\" class=\"time-slot-button\" data-time=\"{s.isoformat()}\">"
                    f"{s:%a %d %b %H:%M}</button>" for s in self.free_slots(p.key)) + "</div>"
                for p in self.people.values())
        buttons = "".join(f"<button type=\"button\" class=\"team-member-button\" data-staff=\"{esc(p.key)}\">"
                          f"{esc(p.name)}</button>" for p in self.people.values())
        body = ("<h1>Meet the team</h1><form method=\"post\" action=\"/simple\">"
                f"<p>{buttons}</p>{groups}<input type=\"hidden\" name=\"staff\"><input type=\"hidden\" name=\"slot\">"
                "<p><input name=\"name\" placeholder=\"Name\"> <input name=\"email\" placeholder=\"E-mail\"></p>"
                "<p><textarea name=\"notes\" rows=\"5\" cols=\"50\"></textarea></p>"
                "<p><button type=\"submit\">Book</button></p></form>")
        script = """
var form = document.forms[0];
Array.prototype.forEach.call(document.querySelectorAll('.team-member-button'), function (b) {
  b.onclick = function () {
    Array.prototype.forEach.call(document.querySelectorAll('.slots'), function (g) {
      g.hidden = g.getAttribute('data-staff') !== b.getAttribute('data-staff');
    });
    form.staff.value = b.getAttribute('data-staff');
  };
});
Array.prototype.forEach.call(document.querySelectorAll('.time-slot-button'), function (b) {
  b.onclick = function () { form.slot.value = b.getAttribute('data-time'); b.style.fontWeight = 'bold'; };
});
"""
        return self._layout("Meet the team", body, script)

    def _simple_post(self, request: Request) -> Response:
        form = request.form()
        try:
            start = datetime.fromisoformat(form.get("slot", ""))
        except ValueError:
            return self._layout("Error", "<div class=\"err\">Please choose a time.</div>")
        with self.lock:
            key = form.get("staff", "")
            if key not in self.people or start not in self.free_slots(key):
                return self._layout("Error", f"<div class=\"err\">{esc(TAKEN)}</div>")
            ref = "NL-" + secrets.token_hex(3).upper()
            self.bookings.append({"ref": ref, "staff": key, "person_name": self.people[key].name, "start": start,
                                  "end": start + self.duration, "name": form.get("name", ""),
                                  "email": form.get("email", ""), "notes": form.get("notes", ""),
                                  "created_at": self.now()})
        return self._layout("Booked", f"<div class=\"confirmation-message\">Booked! Reference {esc(ref)}</div>")

    @property
    def real_bookings(self) -> list[dict[str, Any]]:
        return [b for b in self.bookings if not b.get("other")]


STUDIO_RECIPE = """\
# Nordlys Studio: their own booking page (person drop-down, month grid, e-mailed code).
name: Nordlys Studio
timezone: Europe/Stockholm        # times on the page are Stockholm time
duration_minutes: 45
steps:
  - open: "{url}"
  - select: {field: "select#staff", text: "{person}"}
  - wait: {network_idle: true}    # the month grid loads over AJAX
  - pick_date:
      days: "table#cal td[data-day]"
      date_from: {attribute: data-day, format: "%d.%m.%Y"}
      disabled: ".na"
      next_month: "#next-month"
  - wait: {network_idle: true}    # the times load over AJAX
  - pick_time:
      slots: "ul#times input[name=slot]"
      time_from: {attribute: data-begins, format: "%Y-%m-%d %H:%M"}
  - click: {text: "Continue ›"}
  - fill: {field: "input[name=firstname]", value: "{first_name}"}
  - fill: {field: "input[name=lastname]", value: "{last_name}"}
  - fill: {field: "input[name=email]", value: "{email}"}
  - fill: {field: "input[name=tel]", value: "{phone}"}
  - fill: {field: "input[name=company]", value: "{company}"}
  - fill: {field: "textarea[name=notes]", value: "{message}"}
  - submit: {text: "Send verification code"}
  - enter_code:
      mail: {from: no-reply@nordlys.example, subject: verification code}
      pattern: "verification code is (\\\\d{6})"
      field: "input[name=otp]"
  - click: {selector: "input[type=submit]", text: "Confirm booking"}
  - success:
      any: [{text: "Your appointment is booked"}]
      slot_taken: [{text: "has just been taken"}]
  - booking_id: {selector: "#booking-ref"}
"""


def studio_slots(start: datetime, days: int, hours: Iterable[str], zone: str = "Europe/Stockholm",
                 weekdays_only: bool = True) -> list[datetime]:
    """Slots at the given local times ("10:00") on the next ``days`` (week)days after ``start``."""
    tz = ZoneInfo(zone)
    day = start.astimezone(tz).date() + timedelta(days=1)
    slots: list[datetime] = []
    counted = 0
    while counted < days:
        if not weekdays_only or day.weekday() < 5:
            for text in hours:
                hour, minute = (int(part) for part in text.split(":"))
                slots.append(datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz))
            counted += 1
        day += timedelta(days=1)
    return slots


def build_studio(now: Callable[[], datetime] | None = None, mail_sink: MailSink = discard, **options: Any) -> StudioSite:
    """Nordlys Studio: Mia Berg (the next five weekdays) and Jonas Lund (only from next month on)."""
    clock = now or (lambda: datetime.now(UTC))
    today = clock()
    next_month = (today.astimezone(ZoneInfo("Europe/Stockholm")).replace(day=28) + timedelta(days=4)).replace(day=1)
    people = [
        StudioPerson("mia", "Mia Berg", studio_slots(today, 5, ("10:00", "11:00", "14:00", "15:30"))),
        StudioPerson("jonas", "Jonas Lund", studio_slots(next_month, 3, ("09:00", "13:00"))),
    ]
    return StudioSite(people, now=clock, mail_sink=mail_sink, **options)


def fault_world(stack: ExitStack, clock: Callable[[], datetime], build: str, email: str,
                mail_sink: MailSink) -> PlatformWorld:
    """The fault suite's custom page: Nordlys Studio driven by its recipe (one build: the recipe is its own)."""
    site = stack.enter_context(build_studio(now=clock, mail_sink=mail_sink))
    entry = {"name": "Nordlys Studio", "aliases": ["nordlys"], "platform": "custom", "booking_url": site.booking_url,
             "people": [{"name": "Mia Berg"}], "recipe": STUDIO_RECIPE}
    return PlatformWorld(site, "Nordlys Studio", (site, "/booking/?"), "input[name=firstname]",
                         switch(site.faults, "details_form_missing"),
                         counter(site.faults, "take_slot_before_confirm"), mine(lambda: site.real_bookings, email),
                         confirms=True, directory=[entry], teammate={"phone": PHONE})

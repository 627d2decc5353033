"""Two small booking pages of no known platform, for the ``auto`` platform's first build.

Written generic on purpose (no platform's markup, names or flow), availability from an injected clock:

- ``/harbor`` — "Harbor Labs": a "Meet with" group of radio cards, a month grid of number-only day
  buttons (days without times drawn disabled) with "Previous month"/"Next month" arrows, times as
  buttons ("9:00am") fetched per day behind a "Loading times…" status, then a one-page form (name,
  e-mail, company, "Anything we should know?", a required consent box) sent with "Book meeting";
  the answer is a heading "You're booked!" on the same page.
- ``/embed`` — a startup's own page: a cookie banner over it and the Harbor page in an ``<iframe>``.
- ``/fjord`` — "Fjord Works": a "Staff member" ``<select>`` (placeholder, "Anyone", the people), an
  ``<input type="date">``, a "Time" ``<select>`` of 24-hour times filled per day (with "No available
  times on this day" when empty), and the form on the same page, sent with "Confirm booking" as a
  plain form post; the answer is a new page with the heading "Your appointment is confirmed".

Routes::

    GET  /harbor, GET /harbor/times?person=&day=, POST /harbor/book (JSON)
    GET  /fjord, GET /fjord/times?staff=&day=, POST /fjord (form) → 303 /fjord/done/<ref>
    GET  /fjord/done/<ref>
    GET  /embed
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Callable
from zoneinfo import ZoneInfo

from .server import LoopbackServer, Request, Response

ZONE = "Europe/Helsinki"


@dataclass
class AnyPerson:
    key: str
    name: str
    role: str
    slots: list[datetime] = field(default_factory=list)  # aware starts


def working_slots(now: datetime, zone: str, days: int = 5, hours: tuple[int, ...] = (9, 10, 11, 14)) -> list[datetime]:
    """Half-hourly starts at ``hours`` on the next ``days`` weekdays after ``now``'s day, in ``zone``."""
    tz = ZoneInfo(zone)
    day, found, slots = now.astimezone(tz).date(), 0, []
    while found < days:
        day += timedelta(days=1)
        if day.weekday() >= 5:
            continue
        found += 1
        slots += [datetime.combine(day, time(h, m), tz) for h in hours for m in (0, 30)]
    return slots


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _am_pm(moment: datetime) -> str:
    return f"{moment.hour % 12 or 12}:{moment:%M}{'am' if moment.hour < 12 else 'pm'}"


class AnyPageSite(LoopbackServer):
    """Both pages on one loopback server; ``bookings`` records what each page took."""

    def __init__(self, people: list[AnyPerson], now: Callable[[], datetime], zone: str = ZONE) -> None:
        super().__init__()
        self.people = {p.key: p for p in people}
        self.now = now
        self.zone = zone
        self.bookings: list[dict[str, Any]] = []
        self.add_route("GET", "/harbor", lambda r: Response.html(self._harbor()))
        self.add_route("GET", "/harbor/times", self._harbor_times)
        self.add_route("POST", "/harbor/book", self._harbor_book)
        self.add_route("GET", "/fjord", lambda r: Response.html(self._fjord()))
        self.add_route("GET", "/fjord/times", self._fjord_times)
        self.add_route("POST", "/fjord", self._fjord_book)
        self.add_route("GET", r"/fjord/done/(?P<ref>\d+)", self._fjord_done)
        self.add_route("GET", "/embed", lambda r: Response.html(EMBED))

    # -- shared -----------------------------------------------------------------------------------
    def free(self, key: str | None, day: date) -> list[datetime]:
        """Free starts on ``day`` (page zone) for one person, or for anyone (``key`` None or "any")."""
        tz = ZoneInfo(self.zone)
        earliest = self.now() + timedelta(minutes=30)
        people = [self.people[key]] if key in self.people else list(self.people.values())
        starts = {s for p in people for s in p.slots if s.astimezone(tz).date() == day and s > earliest}
        return sorted(starts)

    def _take(self, key: str | None, start: datetime) -> AnyPerson | None:
        people = [self.people[key]] if key in self.people else list(self.people.values())
        for person in people:
            if start in person.slots and start > self.now():
                person.slots.remove(start)
                return person
        return None

    def _record(self, page: str, person: AnyPerson, start: datetime, form: dict[str, Any]) -> int:
        self.bookings.append({"page": page, "person": person.name, "start": start, **form})
        return len(self.bookings)

    # -- Harbor Labs: radio cards, month grid, time buttons, one-page form ----------------------------
    def _harbor(self) -> str:
        cards = "".join(f'<label class="card"><input type="radio" name="who" value="{esc(p.key)}"> '
                        f'{esc(p.name)} <small>{esc(p.role)}</small></label>' for p in self.people.values())
        today = self.now().astimezone(ZoneInfo(self.zone)).date()
        days = {p.key: sorted({s.astimezone(ZoneInfo(self.zone)).date().isoformat() for s in p.slots
                               if s > self.now()}) for p in self.people.values()}
        return HARBOR.replace("%CARDS%", cards).replace("%DAYS%", json.dumps(days)).replace(
            "%TODAY%", today.isoformat()).replace("%ZONE%", esc(self.zone))

    def _harbor_times(self, request: Request) -> Response:
        day = date.fromisoformat(request.arg("day") or "")
        return Response.json([_am_pm(s.astimezone(ZoneInfo(self.zone))) for s in self.free(request.arg("person"), day)])

    def _harbor_book(self, request: Request) -> Response:
        data = request.json()
        day = date.fromisoformat(data["day"])
        start = next((s for s in self.free(data["person"], day) if _am_pm(s.astimezone(ZoneInfo(self.zone))) == data["time"]), None)
        person = self._take(data["person"], start) if start else None
        if person is None or start is None:
            return Response.json({"error": "Sorry, that time is no longer available."}, 409)
        self._record("harbor", person, start, {k: data.get(k) for k in ("name", "email", "company", "notes")})
        return Response.json({"ok": True, "with": person.name})

    # -- Fjord Works: staff select, date field, time select, plain form post -------------------------
    def _fjord(self) -> str:
        options = "".join(f'<option value="{esc(p.key)}">{esc(p.name)}</option>' for p in self.people.values())
        today = self.now().astimezone(ZoneInfo(self.zone)).date()
        return FJORD.replace("%OPTIONS%", options).replace("%MIN%", today.isoformat())

    def _fjord_times(self, request: Request) -> Response:
        day = date.fromisoformat(request.arg("day") or "")
        return Response.json([f"{s.astimezone(ZoneInfo(self.zone)):%H:%M}" for s in self.free(request.arg("staff"), day)])

    def _fjord_book(self, request: Request) -> Response:
        form = request.form()
        tz = ZoneInfo(self.zone)
        try:
            start = datetime.combine(date.fromisoformat(form.get("day", "")), time.fromisoformat(form.get("time", "")), tz)
        except ValueError:
            return Response.html("<h1>Book a time</h1><p role='alert'>Please choose a day and a time.</p>", 400)
        person = self._take(form.get("staff"), start)
        if person is None:
            return Response.html("<h1>Book a time</h1><p role='alert'>That time is no longer available.</p>", 409)
        ref = self._record("fjord", person, start, {"name": form.get("fullname"), "email": form.get("mail"),
                                                    "company": form.get("org"), "notes": form.get("msg")})
        return Response.redirect(f"/fjord/done/{ref}")

    def _fjord_done(self, request: Request, ref: str) -> Response:
        booking = self.bookings[int(ref) - 1]
        return Response.html(f"<main><h1>Your appointment is confirmed</h1><p>With {esc(booking['person'])}, "
                             f"{booking['start']:%d.%m.%Y %H:%M}.</p></main>")


HARBOR = """<!doctype html><html><head><title>Harbor Labs</title><style>
.card{display:block;border:1px solid #ccc;margin:4px;padding:6px} td button{width:36px}
</style></head><body><main>
<h1>Talk to Harbor Labs</h1><p>Intro call · 30 min</p><p>Time zone: %ZONE%</p>
<fieldset><legend>Meet with</legend>%CARDS%</fieldset>
<section id="cal"></section><div id="slots"></div>
<form id="details" hidden>
 <label>Your name <input name="n" required></label>
 <label>Work email <input name="e" type="email" required></label>
 <label>Company <input name="c"></label>
 <label>Anything we should know? <textarea name="t" rows="4"></textarea></label>
 <label><input type="checkbox" name="ok" required> I agree to the privacy policy</label>
 <button type="submit">Book meeting</button>
</form><div id="answer"></div></main>
<script>
const DAYS = %DAYS%; const TODAY = '%TODAY%';
const MONTHS = ['January','February','March','April','May','June','July','August','September','October','November','December'];
let shown = new Date(TODAY.slice(0, 7) + '-01T12:00:00Z'); let chosen = {};
const who = () => (document.querySelector('input[name=who]:checked') || {}).value || 'any';
const open = () => who() === 'any' ? [...new Set(Object.values(DAYS).flat())] : (DAYS[who()] || []);
function draw() {
  const y = shown.getUTCFullYear(), m = shown.getUTCMonth();
  const first = (new Date(Date.UTC(y, m, 1)).getUTCDay() + 6) % 7, count = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  let cells = '<td></td>'.repeat(first), rows = '';
  for (let d = 1; d <= count; d++) {
    const iso = y + '-' + String(m + 1).padStart(2, '0') + '-' + String(d).padStart(2, '0');
    cells += '<td><button type="button" data-day="' + iso + '"' + (open().includes(iso) ? '' : ' disabled') + '>' + d + '</button></td>';
    if ((first + d) % 7 === 0) { rows += '<tr>' + cells + '</tr>'; cells = ''; }
  }
  rows += cells ? '<tr>' + cells + '</tr>' : '';
  document.getElementById('cal').innerHTML = '<h2>' + MONTHS[m] + ' ' + y + '</h2>' +
    '<button type="button" id="prev" aria-label="Previous month">&lsaquo;</button>' +
    '<button type="button" id="next" aria-label="Next month">&rsaquo;</button>' +
    '<table><thead><tr><th>Mo</th><th>Tu</th><th>We</th><th>Th</th><th>Fr</th><th>Sa</th><th>Su</th></tr></thead><tbody>' + rows + '</tbody></table>';
  document.getElementById('prev').onclick = () => { shown = new Date(Date.UTC(y, m - 1, 1, 12)); draw(); };
  document.getElementById('next').onclick = () => { shown = new Date(Date.UTC(y, m + 1, 1, 12)); draw(); };
  document.querySelectorAll('[data-day]').forEach((b) => b.onclick = () => pick(b.dataset.day));
}
async function pick(day) {
  chosen = {day}; const slots = document.getElementById('slots');
  document.getElementById('details').hidden = true;
  slots.innerHTML = '<p role="status">Loading times…</p>';
  const times = await (await fetch('/harbor/times?person=' + who() + '&day=' + day)).json();
  const label = new Date(day + 'T12:00:00Z').toLocaleDateString('en-GB', {weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC'});
  slots.innerHTML = '<h3>' + label + '</h3>' + (times.length ? times.map((t) => '<button type="button" class="t">' + t + '</button>').join('') : '<p>No times left on this day.</p>');
  slots.querySelectorAll('.t').forEach((b) => b.onclick = () => { chosen.time = b.textContent; b.setAttribute('aria-pressed', 'true'); document.getElementById('details').hidden = false; });
}
document.querySelectorAll('input[name=who]').forEach((r) => r.onchange = () => { document.getElementById('slots').innerHTML = ''; draw(); });
document.getElementById('details').onsubmit = async (ev) => {
  ev.preventDefault(); const f = ev.target;
  const body = {person: who(), day: chosen.day, time: chosen.time, name: f.n.value, email: f.e.value, company: f.c.value, notes: f.t.value};
  const r = await fetch('/harbor/book', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
  const data = await r.json();
  if (!r.ok) { document.getElementById('answer').innerHTML = '<p role="alert">' + data.error + '</p>'; return; }
  document.querySelector('main').innerHTML = "<h1>You're booked!</h1><p>See you soon, with " + data.with + '.</p>';
};
draw();
</script></body></html>"""

FJORD = """<!doctype html><html><head><title>Fjord Works – appointments</title></head><body>
<h1>Book a time with Fjord Works</h1><p>Each appointment lasts 45 minutes.</p>
<form method="post" action="/fjord" id="f">
 <p><label for="staff">Staff member</label>
  <select id="staff" name="staff"><option value="">Select…</option><option value="any">Anyone</option>%OPTIONS%</select></p>
 <p><label for="day">Date</label> <input type="date" id="day" name="day" min="%MIN%"></p>
 <p><label for="time">Time</label> <select id="time" name="time"><option value="">-- choose a time --</option></select>
  <span id="note"></span></p>
 <p><label for="fullname">Full name</label> <input id="fullname" name="fullname" required></p>
 <p><label for="mail">E-mail address</label> <input id="mail" name="mail" type="email" required></p>
 <p><label for="org">Organisation</label> <input id="org" name="org"></p>
 <p><label for="msg">Message</label><br><textarea id="msg" name="msg" rows="5" cols="50"></textarea></p>
 <p><button type="submit">Confirm booking</button></p>
</form>
<script>
const form = document.getElementById('f');
async function refresh() {
  const day = form.day.value, note = document.getElementById('note'), select = form.time;
  select.innerHTML = '<option value="">-- choose a time --</option>'; note.textContent = '';
  if (!day) return;
  form.setAttribute('aria-busy', 'true');
  const times = await (await fetch('/fjord/times?staff=' + (form.staff.value || 'any') + '&day=' + day)).json();
  select.innerHTML += times.map((t) => '<option>' + t + '</option>').join('');
  note.textContent = times.length ? '' : 'No available times on this day';
  form.removeAttribute('aria-busy');
}
form.staff.onchange = refresh; form.day.onchange = refresh;
</script></body></html>"""

EMBED = """<!doctype html><html><head><title>Harbor Labs – company</title></head><body>
<header><h1>Harbor Labs</h1><nav><a href="#about">About</a> <a href="#team">Team</a></nav></header>
<div role="dialog" aria-label="Cookie consent" id="consent" style="position:fixed;bottom:0;left:0;right:0;background:#eee;padding:12px">
 We use cookies to improve your experience. <button type="button" onclick="this.parentElement.remove()">Accept all</button></div>
<section><h2>Book an intro</h2><iframe src="/harbor" title="Scheduling" width="820" height="1100"></iframe></section>
<iframe src="about:blank" width="1" height="1" title="pixel"></iframe>
</body></html>"""


def build_anypage(now: Callable[[], datetime], zone: str = ZONE) -> AnyPageSite:
    """Alice and Bob with weekday slots from the day after ``now`` (not started: use ``with``)."""
    return AnyPageSite([AnyPerson("alice", "Alice Smith", "CEO", working_slots(now(), zone)),
                        AnyPerson("bob", "Bob Jones", "CTO", working_slots(now(), zone, hours=(13, 15)))], now, zone)


"""Page 1: "Lindenhof Praxis" — a clinic's consultation page in Europe/Berlin.

A consultant <select> (placeholder first), a hand-made month grid of day buttons with previous/next
month, a time list fetched as JSON after a day is clicked ("Loading times…" first), then a details
form posted as JSON; success replaces the page with "Booking confirmed". 45-minute consultations,
12-hour clock.
"""
from __future__ import annotations

import html
from datetime import date, datetime, time, timedelta

from replicas.blind.anypage.diary import Diary, missing, parse_start, slug
from replicas.server import Request, Response


def _label(moment: datetime) -> str:
    return moment.strftime("%I:%M %p").lstrip("0")


class Page1(Diary):
    """The clinic page; routes under /praxis/."""

    ZONE = "Europe/Berlin"
    OPENS = time(9, 0)
    CLOSES = time(16, 30)
    STEP = LENGTH = timedelta(minutes=45)
    FULL_DAYS = frozenset({2, 7})
    TAKEN_EVERY = 3
    PATH = "/praxis/termin"

    def __init__(self, now, people: list[str]) -> None:  # type: ignore[no-untyped-def]
        super().__init__(now, people)
        self.add_route("GET", r"/praxis/termin", self._page)
        self.add_route("GET", r"/praxis/api/open-days", self._open_days)
        self.add_route("GET", r"/praxis/api/times", self._times)
        self.add_route("POST", r"/praxis/api/appointments", self._book)

    def _page(self, request: Request) -> Response:
        options = "".join(f'<option value="{slug(n)}">{html.escape(n)}</option>' for n in self.people)
        today = self.today()
        return Response.html(PAGE.replace("{{OPTIONS}}", options)
                             .replace("{{ZONE}}", self.ZONE)
                             .replace("{{TODAY}}", today.isoformat()))

    def _open_days(self, request: Request) -> Response:
        person = self.person(request.arg("consultant"))
        if person is None:
            return Response.json({"error": "unknown consultant"}, 404)
        month = request.arg("month") or ""
        days = [d.isoformat() for d in self.open_days(person) if d.isoformat().startswith(month)]
        return Response.json({"month": month, "available": days})

    def _times(self, request: Request) -> Response:
        person = self.person(request.arg("consultant"))
        try:
            day = date.fromisoformat(request.arg("date") or "")
        except ValueError:
            return Response.json({"error": "bad date"}, 400)
        if person is None:
            return Response.json({"error": "unknown consultant"}, 404)
        slots = self.free_slots(person, day)
        return Response.json({"date": day.isoformat(), "zone": self.ZONE,
                              "slots": [{"start": s.isoformat(), "label": _label(s)} for s in slots]})

    def _book(self, request: Request) -> Response:
        try:
            data = {k: str(v) for k, v in (request.json() or {}).items()}
        except (ValueError, AttributeError):
            return Response.json({"error": "Something went wrong. Please try again."}, 400)
        person = self.person(data.get("consultant"))
        start = parse_start(data.get("start"))
        if person is None or start is None:
            return Response.json({"error": "Please choose a consultant, a day and a time."}, 422)
        problems = missing(data, {"first_name": "First name", "last_name": "Last name", "email": "Email"})
        if problems:
            return Response.json({"error": " ".join(problems)}, 422)
        name = f"{data['first_name'].strip()} {data['last_name'].strip()}"
        error = self.record(person, start, {
            "name": name, "first_name": data["first_name"].strip(), "last_name": data["last_name"].strip(),
            "email": data["email"].strip(), "phone": data.get("phone", "").strip(),
            "message": data.get("notes", "").strip(),
        })
        if error:
            return Response.json({"error": error}, 409)
        local = start.astimezone(self.zone)
        return Response.json({"ok": True, "when": f"{local:%A, %B} {local.day}, {_label(local)}"}, 201)


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Book a consultation · Lindenhof Praxis</title>
<style>
 body{font:15px/1.4 Georgia,serif;margin:0;background:#f6f3ee;color:#2b2b2b}
 header{background:#3d5a40;color:#fff;padding:14px 28px} main{max-width:860px;margin:20px auto;padding:0 20px}
 .cols{display:flex;gap:28px;flex-wrap:wrap} .panel{background:#fff;border:1px solid #ddd;padding:16px;border-radius:4px}
 table.month{border-collapse:collapse} table.month td,table.month th{width:44px;height:36px;text-align:center}
 td button{width:38px;height:32px;border:0;background:#e4efe5;cursor:pointer;border-radius:3px}
 td button:disabled{background:none;color:#bbb;cursor:default} td button.picked{background:#3d5a40;color:#fff}
 .times button{display:block;margin:4px 0;padding:6px 18px;border:1px solid #3d5a40;background:#fff;cursor:pointer}
 .times button.picked{background:#3d5a40;color:#fff} .hidden{display:none}
 .form-error{color:#a00;font-weight:bold} label{display:block;margin-top:8px} input,textarea{width:320px}
</style></head>
<body><header><strong>Lindenhof Praxis</strong> &middot; Consulting &amp; Physiotherapy</header>
<main id="app">
 <h1>Book a consultation</h1>
 <p class="tz">All times are in <b>{{ZONE}}</b> time.</p>
 <p><label for="consultant">Consultant</label>
  <select id="consultant" name="consultant">
   <option value="" selected>— Choose a consultant —</option>{{OPTIONS}}
  </select></p>
 <div class="cols">
  <div class="panel">
   <div class="nav"><button type="button" id="prev" aria-label="Previous month">&lsaquo;</button>
    <span id="month-title"></span>
    <button type="button" id="next" aria-label="Next month">&rsaquo;</button></div>
   <table class="month" id="month"><thead><tr><th>Mo</th><th>Tu</th><th>We</th><th>Th</th><th>Fr</th><th>Sa</th>
    <th>Su</th></tr></thead><tbody></tbody></table>
   <p id="cal-hint">Choose a consultant to see open days.</p>
  </div>
  <div class="panel times" id="times"><p>Pick a day to see times.</p></div>
 </div>
 <section id="details" class="hidden panel">
  <h2>Your details</h2>
  <p id="summary"></p>
  <form id="details-form" novalidate>
   <label for="fn">First name *</label><input id="fn" name="first_name" autocomplete="given-name" required>
   <label for="ln">Last name *</label><input id="ln" name="last_name" autocomplete="family-name" required>
   <label for="em">Email *</label><input id="em" name="email" type="email" required>
   <label for="ph">Phone (optional)</label><input id="ph" name="phone" type="tel">
   <label for="nt">Notes</label><textarea id="nt" name="notes" rows="5"></textarea>
   <p id="form-error" class="form-error" role="alert"></p>
   <button type="submit" id="confirm">Confirm booking</button>
  </form>
 </section>
</main>
<script>
const TODAY = "{{TODAY}}", ZONE = "{{ZONE}}";
const MONTHS = ["January","February","March","April","May","June","July","August","September","October",
 "November","December"];
let shown = {y: +TODAY.slice(0, 4), m: +TODAY.slice(5, 7) - 1};
let state = {consultant: "", day: null, start: null, label: ""};
let openDays = new Set();
const $ = (id) => document.getElementById(id);
const pad = (n) => String(n).padStart(2, "0");
function monthKey() { return shown.y + "-" + pad(shown.m + 1); }
function drawMonth() {
  $("month-title").textContent = MONTHS[shown.m] + " " + shown.y;
  $("prev").disabled = monthKey() <= TODAY.slice(0, 7);
  const body = $("month").tBodies[0]; body.innerHTML = "";
  const first = new Date(Date.UTC(shown.y, shown.m, 1));
  const lead = (first.getUTCDay() + 6) % 7, days = new Date(Date.UTC(shown.y, shown.m + 1, 0)).getUTCDate();
  let row = body.insertRow();
  for (let i = 0; i < lead; i++) row.insertCell();
  for (let d = 1; d <= days; d++) {
    if (row.cells.length === 7) row = body.insertRow();
    const iso = monthKey() + "-" + pad(d), cell = row.insertCell(), b = document.createElement("button");
    b.type = "button"; b.textContent = d; b.dataset.date = iso;
    b.setAttribute("aria-label", new Date(iso + "T12:00:00Z").toLocaleDateString("en-GB",
      {weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC"}));
    b.disabled = !openDays.has(iso);
    if (state.day === iso) b.classList.add("picked");
    b.addEventListener("click", () => pickDay(iso));
    cell.appendChild(b);
  }
}
async function loadMonth() {
  openDays = new Set();
  if (state.consultant) {
    const r = await fetch("/praxis/api/open-days?consultant=" + state.consultant + "&month=" + monthKey());
    openDays = new Set((await r.json()).available);
    $("cal-hint").textContent = openDays.size ? "Days with free times are highlighted."
      : "No free times this month.";
  }
  drawMonth();
}
function pickDay(iso) {
  state.day = iso; state.start = null; $("details").classList.add("hidden"); drawMonth();
  const box = $("times"); box.innerHTML = "<p class='loading'>Loading times…</p>";
  setTimeout(async () => {
    const r = await fetch("/praxis/api/times?consultant=" + state.consultant + "&date=" + iso);
    const data = await r.json();
    if (state.day !== iso) return;
    box.innerHTML = "";
    const h = document.createElement("h3");
    h.textContent = "Times on " + new Date(iso + "T12:00:00Z").toLocaleDateString("en-GB",
      {weekday: "long", day: "numeric", month: "long", timeZone: "UTC"});
    box.appendChild(h);
    if (!data.slots.length) box.insertAdjacentHTML("beforeend", "<p>Fully booked.</p>");
    for (const s of data.slots) {
      const b = document.createElement("button"); b.type = "button"; b.textContent = s.label;
      b.addEventListener("click", () => pickTime(b, s, h.textContent));
      box.appendChild(b);
    }
  }, 350);
}
function pickTime(button, slot, dayText) {
  document.querySelectorAll(".times button").forEach((b) => b.classList.remove("picked"));
  button.classList.add("picked");
  state.start = slot.start;
  $("summary").textContent = dayText.replace("Times on ", "") + ", " + slot.label + " (" + ZONE + ")";
  $("details").classList.remove("hidden");
}
$("consultant").addEventListener("change", (e) => {
  state = {consultant: e.target.value, day: null, start: null};
  $("times").innerHTML = "<p>Pick a day to see times.</p>"; $("details").classList.add("hidden");
  loadMonth();
});
$("prev").addEventListener("click", () => { shown.m--; if (shown.m < 0) { shown.m = 11; shown.y--; } loadMonth(); });
$("next").addEventListener("click", () => { shown.m++; if (shown.m > 11) { shown.m = 0; shown.y++; } loadMonth(); });
$("details-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const f = e.target, button = $("confirm");
  button.disabled = true; $("form-error").textContent = "";
  const body = {consultant: state.consultant, start: state.start};
  for (const el of f.elements) if (el.name) body[el.name] = el.value;
  const r = await fetch("/praxis/api/appointments", {method: "POST",
    headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
  const data = await r.json();
  button.disabled = false;
  if (!r.ok) { $("form-error").textContent = data.error; return; }
  $("app").innerHTML = "<h1>Booking confirmed</h1><p>We look forward to seeing you on " + data.when +
    " (" + ZONE + "). A confirmation has been sent to " + body.email.replace(/</g, "&lt;") + ".</p>";
});
loadMonth();
</script></body></html>
"""


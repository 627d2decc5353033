"""Page 4: "Aurora Ventures" — a team page with the booking widget in an <iframe>, Asia/Dubai.

The host page puts a cookie-consent dialog over everything ("Accept all" / "Reject"; the choice is
kept in the origin's localStorage). The widget, served from /widget/ on the same server, shows
people as cards ("Book with Anna Virtanen"), a strip of day buttons ("Tue 1", "Wed 2"…), time
buttons on a 12-hour clock ("2:30 pm"), then a form; success reads "You're all set!".
"""
from __future__ import annotations

import html
from datetime import date, datetime, time, timedelta

from replicas.blind.anypage.diary import Diary, missing, parse_start, slug
from replicas.server import Request, Response


def _clock(moment: datetime) -> str:
    return moment.strftime("%I:%M %p").lstrip("0").lower()


class Page4(Diary):
    """The framed widget; the host page at /team/meet, the widget at /widget/."""

    ZONE = "Asia/Dubai"
    OPENS = time(10, 0)
    CLOSES = time(18, 0)
    STEP = LENGTH = timedelta(minutes=30)
    FULL_DAYS = frozenset({1, 9})
    TAKEN_EVERY = 3
    PATH = "/team/meet"

    def __init__(self, now, people: list[str]) -> None:  # type: ignore[no-untyped-def]
        super().__init__(now, people)
        self.add_route("GET", r"/team/meet", self._host_page)
        self.add_route("GET", r"/widget/embed", self._widget)
        self.add_route("GET", r"/widget/api/days", self._days)
        self.add_route("GET", r"/widget/api/times", self._times)
        self.add_route("POST", r"/widget/api/book", self._book)

    def _host_page(self, request: Request) -> Response:
        return Response.html(HOST_PAGE)

    def _widget(self, request: Request) -> Response:
        cards = "".join(
            f'<button type="button" class="card" data-person="{slug(n)}">'
            f'<span class="avatar" aria-hidden="true">{"".join(p[0] for p in n.split())}</span>'
            f'<span>Book with {html.escape(n)}</span></button>' for n in self.people)
        return Response.html(WIDGET.replace("{{CARDS}}", cards).replace("{{ZONE}}", self.ZONE))

    def _days(self, request: Request) -> Response:
        person = self.person(request.arg("person"))
        if person is None:
            return Response.json({"error": "unknown person"}, 404)
        return Response.json([
            {"date": d.isoformat(), "label": f"{d:%a} {d.day}", "open": bool(self.free_slots(person, d))}
            for d in self.window()])

    def _times(self, request: Request) -> Response:
        person = self.person(request.arg("person"))
        try:
            day = date.fromisoformat(request.arg("date") or "")
        except ValueError:
            return Response.json({"error": "bad date"}, 400)
        if person is None:
            return Response.json({"error": "unknown person"}, 404)
        return Response.json([{"start": s.isoformat(), "label": _clock(s)} for s in self.free_slots(person, day)])

    def _book(self, request: Request) -> Response:
        values = request.form()
        person = self.person(values.get("person"))
        start = parse_start(values.get("start"))
        if person is None or start is None:
            return Response.json({"errors": {"form": "Please pick a person, a day and a time."}}, 422)
        errors: dict[str, str] = {}
        if not values.get("name", "").strip():
            errors["name"] = "Please enter your name"
        problems = missing(values, {"email": "Email"})
        if problems:
            errors["email"] = "Please enter a valid email" if values.get("email", "").strip() else "Email is required"
        if errors:
            return Response.json({"errors": errors}, 422)
        error = self.record(person, start, {
            "name": values["name"].strip(), "email": values["email"].strip(),
            "message": values.get("note", "").strip(), "consent_context": "iframe",
        })
        if error:
            return Response.json({"errors": {"form": error}}, 409)
        local = start.astimezone(self.zone)
        return Response.json({"person": person, "when": f"{local:%A} {local.day} {local:%B}, {_clock(local)}"})


HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Meet the team — Aurora Ventures</title>
<style>
 body{margin:0;font:16px/1.5 "Trebuchet MS",sans-serif;background:#111827;color:#f3f4f6}
 .hero{padding:40px 60px} iframe{border:0;width:760px;height:760px;background:#fff;margin:0 60px 40px}
 #consent-layer{position:fixed;inset:0;background:rgba(0,0,0,.55);display:flex;align-items:flex-end;z-index:50}
 #consent-layer[hidden]{display:none}
 .consent{background:#fff;color:#111;max-width:460px;margin:24px;padding:18px 20px;border-radius:10px}
 .consent button{margin-right:8px;padding:8px 16px;border-radius:6px;border:1px solid #111;cursor:pointer}
 .consent .yes{background:#111;color:#fff}
</style></head>
<body>
<div class="hero"><h1>Meet the Aurora team at Slush</h1>
<p>Pitching, partnering or just curious? Grab 30 minutes with one of our partners below.</p></div>
<iframe src="/widget/embed" title="Schedule a meeting with Aurora Ventures" id="scheduler"></iframe>
<div id="consent-layer" hidden>
 <div class="consent" role="dialog" aria-modal="true" aria-labelledby="consent-title">
  <h2 id="consent-title">We value your privacy</h2>
  <p>We use cookies to improve your experience and to measure traffic. You can accept all cookies or
   keep only the essential ones.</p>
  <button type="button" class="yes" data-choice="all">Accept all</button>
  <button type="button" data-choice="essential">Reject</button>
 </div>
</div>
<script>
const layer = document.getElementById("consent-layer");
if (!localStorage.getItem("aurora-consent")) {
  setTimeout(() => { layer.hidden = false; }, 300);
}
layer.querySelectorAll("button").forEach((b) => b.addEventListener("click", () => {
  localStorage.setItem("aurora-consent", b.dataset.choice);
  layer.hidden = true;
}));
</script></body></html>
"""

WIDGET = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Aurora scheduler</title>
<style>
 body{font:14px/1.45 system-ui,sans-serif;margin:18px;color:#1f2937}
 .card{display:flex;align-items:center;gap:10px;width:100%;margin:6px 0;padding:12px;border:1px solid #d1d5db;
  border-radius:8px;background:#fff;cursor:pointer;text-align:left;font-size:15px}
 .avatar{width:34px;height:34px;border-radius:50%;background:#6366f1;color:#fff;display:inline-flex;
  align-items:center;justify-content:center;font-size:12px}
 .strip{display:flex;flex-wrap:wrap;gap:6px} .strip button{padding:8px 10px;border-radius:6px;border:1px solid #6366f1;
  background:#eef2ff;cursor:pointer} .strip button:disabled{border-color:#e5e7eb;background:#f9fafb;color:#9ca3af}
 .strip button[aria-pressed=true]{background:#6366f1;color:#fff} [hidden]{display:none!important}
 .err{color:#b91c1c;font-size:12px} .field{margin:10px 0} .field input,.field textarea{width:90%;padding:6px}
 .back{background:none;border:0;color:#6366f1;cursor:pointer;padding:0}
</style></head>
<body>
<section id="people"><h2>Who would you like to meet?</h2>{{CARDS}}</section>
<section id="when" hidden>
 <button type="button" class="back" data-to="people">&larr; Back</button>
 <h2 id="when-title"></h2>
 <p>Times in Gulf Standard Time ({{ZONE}})</p>
 <h3>Day</h3><div class="strip" id="days"></div>
 <h3>Time</h3><div class="strip" id="times"><span>Select a day first</span></div>
</section>
<section id="form" hidden>
 <button type="button" class="back" data-to="when">&larr; Back</button>
 <h2>Almost there</h2><p id="chosen"></p>
 <form id="f" novalidate>
  <div class="field"><label for="n">Name</label><br><input id="n" name="name"><div class="err" id="err-name"></div></div>
  <div class="field"><label for="e">Email</label><br><input id="e" name="email" type="email">
   <div class="err" id="err-email"></div></div>
  <div class="field"><label for="t">Anything we should know before the call?</label><br>
   <textarea id="t" name="note" rows="5"></textarea></div>
  <div class="err" id="err-form"></div>
  <button type="submit">Schedule meeting</button>
 </form>
</section>
<section id="done" hidden><h2>You're all set!</h2><p id="done-text"></p></section>
<script>
const pick = {person: "", name: "", start: "", label: ""};
const $ = (id) => document.getElementById(id);
function show(id) { for (const s of ["people", "when", "form", "done"]) $(s).hidden = s !== id; }
document.querySelectorAll(".back").forEach((b) => b.addEventListener("click", () => show(b.dataset.to)));
document.querySelectorAll(".card").forEach((c) => c.addEventListener("click", async () => {
  pick.person = c.dataset.person; pick.name = c.textContent.replace(/^\\S+\\s*Book with /, "");
  $("when-title").textContent = "Pick a time with " + pick.name;
  $("times").innerHTML = "<span>Select a day first</span>"; $("days").innerHTML = "";
  show("when");
  const days = await (await fetch("/widget/api/days?person=" + pick.person)).json();
  for (const d of days) {
    const b = document.createElement("button"); b.type = "button"; b.textContent = d.label;
    b.disabled = !d.open; b.setAttribute("aria-pressed", "false");
    b.addEventListener("click", () => pickDay(b, d.date)); $("days").appendChild(b);
  }
}));
async function pickDay(button, iso) {
  $("days").querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", "false"));
  button.setAttribute("aria-pressed", "true");
  $("times").innerHTML = "<span>Loading…</span>";
  const times = await (await fetch("/widget/api/times?person=" + pick.person + "&date=" + iso)).json();
  $("times").innerHTML = "";
  for (const t of times) {
    const b = document.createElement("button"); b.type = "button"; b.textContent = t.label;
    b.addEventListener("click", () => {
      pick.start = t.start; $("chosen").textContent = button.textContent + ", " + t.label + " with " + pick.name;
      show("form");
    });
    $("times").appendChild(b);
  }
}
$("f").addEventListener("submit", async (e) => {
  e.preventDefault();
  for (const k of ["name", "email", "form"]) $("err-" + k).textContent = "";
  const body = new URLSearchParams(new FormData(e.target));
  body.set("person", pick.person); body.set("start", pick.start);
  const r = await fetch("/widget/api/book", {method: "POST", body});
  const data = await r.json();
  if (!r.ok) { for (const [k, v] of Object.entries(data.errors)) $("err-" + k).textContent = v; return; }
  $("done-text").textContent = "Your meeting with " + data.person + " on " + data.when +
    " is booked. Check your inbox for the invite.";
  show("done");
});
</script></body></html>
"""

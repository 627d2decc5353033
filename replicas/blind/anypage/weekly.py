"""Page 2: "Northwind Partners" — a week of radio-button slots and a two-step wizard, Europe/London.

Step 1 (server-rendered): a host radio group, the week's slots as radios labelled "Tue 1 Dec 14:30"
(24-hour), "Previous week"/"Next week" links and "Continue". Step 2: one "Full name", e-mail,
company, a required privacy-policy checkbox and "What would you like to discuss?"; "Request
meeting" posts the form and the thank-you page says "Thanks! Your request has been sent".
"""
from __future__ import annotations

import html
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from replicas.blind.anypage.diary import Diary, iso_utc, missing, parse_start, slug
from replicas.server import Request, Response

STYLE = """<style>
 body{font:14px/1.5 -apple-system,Helvetica,Arial,sans-serif;margin:0;color:#1c2430}
 .top{background:#0f2942;color:#e8eef5;padding:18px 40px} .wrap{max-width:980px;margin:0 auto;padding:10px 40px}
 .week{display:grid;grid-template-columns:repeat(7,1fr);gap:8px} .day{border-top:3px solid #0f2942;padding:4px}
 .day h3{font-size:13px;margin:4px 0} .slot{display:block;font-size:13px;margin:3px 0}
 .none{color:#8a94a3;font-size:12px} .weeknav{display:flex;justify-content:space-between;margin:10px 0}
 .alert{background:#fdecea;border:1px solid #e0a39c;padding:8px 14px} .muted{color:#8a94a3}
 .field{margin:10px 0} .field input[type=text],.field input[type=email],textarea{width:360px;padding:5px}
 .steps{font-size:12px;text-transform:uppercase;letter-spacing:.08em;color:#5b6b80}
</style>"""


def _label(moment: datetime) -> str:
    return f"{moment:%a} {moment.day} {moment:%b %H:%M}"


class Page2(Diary):
    """The week-view wizard; routes under /meet/intro."""

    ZONE = "Europe/London"
    OPENS = time(9, 30)
    CLOSES = time(17, 30)
    STEP = LENGTH = timedelta(minutes=30)
    FULL_DAYS = frozenset({3, 8})
    TAKEN_EVERY = 2
    PATH = "/meet/intro"

    def __init__(self, now, people: list[str]) -> None:  # type: ignore[no-untyped-def]
        super().__init__(now, people)
        self.add_route("GET", r"/meet/intro", self._step_one)
        self.add_route("GET", r"/meet/intro/details", self._step_two)
        self.add_route("POST", r"/meet/intro/details", self._submit)
        self.add_route("GET", r"/meet/intro/sent", self._sent)

    # -- step 1 ---------------------------------------------------------------------------------
    def _monday(self, value: str | None) -> date:
        first = self.today() - timedelta(days=self.today().weekday())
        try:
            asked = date.fromisoformat(value or "")
        except ValueError:
            return first
        asked -= timedelta(days=asked.weekday())
        return min(max(asked, first), self.window()[-1] - timedelta(days=self.window()[-1].weekday()))

    def _step_one(self, request: Request, error: str = "", status: int = 200) -> Response:
        host = self.person(request.arg("host")) or self.people[0]
        monday = self._monday(request.arg("week"))
        first = self.today() - timedelta(days=self.today().weekday())
        last = self.window()[-1] - timedelta(days=self.window()[-1].weekday())
        hosts = "".join(
            f'<label><input type="radio" name="host" value="{slug(n)}"{" checked" if n == host else ""}> '
            f'{html.escape(n)}</label> ' for n in self.people)
        columns = []
        for offset in range(7):
            day = monday + timedelta(days=offset)
            slots = self.free_slots(host, day)
            radios = "".join(
                f'<label class="slot"><input type="radio" name="slot" value="{iso_utc(s)}"> {_label(s)}</label>'
                for s in slots) or '<p class="none">No availability</p>'
            columns.append(f'<div class="day"><h3>{day:%A} {day.day} {day:%b}</h3>{radios}</div>')

        def nav(target: date, text: str, enabled: bool) -> str:
            if not enabled:
                return f'<span class="muted">{text}</span>'
            return f'<a href="?{urlencode({"week": target.isoformat(), "host": slug(host)})}">{text}</a>'

        body = f"""
<p class="steps">Step 1 of 2 · Pick a time</p>
{f'<div class="alert" role="alert">{html.escape(error)}</div>' if error else ''}
<form method="get" action="/meet/intro/details">
 <fieldset><legend>Who would you like to talk to?</legend>{hosts}</fieldset>
 <div class="weeknav">{nav(monday - timedelta(days=7), "&larr; Previous week", monday > first)}
  <strong>Week of {monday.day} {monday:%B %Y}</strong>
  {nav(monday + timedelta(days=7), "Next week &rarr;", monday < last)}</div>
 <p class="muted">Times are shown in UK time ({self.ZONE}).</p>
 <input type="hidden" name="week" value="{monday.isoformat()}">
 <div class="week">{''.join(columns)}</div>
 <p><button type="submit">Continue</button></p>
</form>
<script>
document.querySelectorAll("input[name=host]").forEach((r) => r.addEventListener("change", () => {{
  const q = new URLSearchParams({{week: "{monday.isoformat()}", host: r.value}});
  window.location.search = q.toString();
}}));
</script>"""
        return self._shell("Pick a time", body, status)

    # -- step 2 ---------------------------------------------------------------------------------
    def _chosen(self, values: dict[str, str]) -> tuple[str | None, datetime | None]:
        host = self.person(values.get("host"))
        start = parse_start(values.get("slot"))
        if host is None or start is None:
            return host, None
        return host, start if start in self.free_slots(host, start.astimezone(self.zone).date()) else None

    def _step_two(self, request: Request) -> Response:
        values = {k: v[0] for k, v in request.query.items()}
        host, start = self._chosen(values)
        if host is None or start is None:
            error = "Please choose a time slot first." if not values.get("slot") else \
                "That time is no longer available, please choose another."
            return self._step_one(request, error)
        return self._details(host, start, {}, [])

    def _details(self, host: str, start: datetime, values: dict[str, str], errors: list[str],
                 status: int = 200) -> Response:
        local = start.astimezone(self.zone)
        v = {k: html.escape(values.get(k, "")) for k in ("full_name", "email", "company", "topic")}
        alert = ""
        if errors:
            alert = '<div class="alert" role="alert"><ul>' + "".join(
                f"<li>{html.escape(e)}</li>" for e in errors) + "</ul></div>"
        back = urlencode({"week": local.date().isoformat(), "host": slug(host)})
        body = f"""
<p class="steps">Step 2 of 2 · Your details</p>
<p>Meeting with <b>{html.escape(host)}</b> on <b>{_label(local)}</b> ({self.ZONE}).
 <a href="/meet/intro?{back}">Change time</a></p>
{alert}
<form method="post" action="/meet/intro/details">
 <input type="hidden" name="host" value="{slug(host)}"><input type="hidden" name="slot" value="{iso_utc(start)}">
 <div class="field"><label for="full_name">Full name</label><br>
  <input type="text" id="full_name" name="full_name" value="{v['full_name']}"></div>
 <div class="field"><label for="email">E-mail</label><br>
  <input type="email" id="email" name="email" value="{v['email']}"></div>
 <div class="field"><label for="company">Company</label><br>
  <input type="text" id="company" name="company" value="{v['company']}"></div>
 <div class="field"><label for="topic">What would you like to discuss?</label><br>
  <textarea id="topic" name="topic" rows="6">{v['topic']}</textarea></div>
 <div class="field"><label><input type="checkbox" name="agree" value="yes"{" checked" if values.get("agree") else ""}>
  I agree to the privacy policy</label></div>
 <p><button type="submit">Request meeting</button></p>
</form>"""
        return self._shell("Your details", body, status)

    def _submit(self, request: Request) -> Response:
        values = request.form()
        host, start = self._chosen(values)
        if host is None or start is None:
            return self._step_one(request, "That time is no longer available, please choose another.", 409)
        errors = missing(values, {"full_name": "Full name", "email": "E-mail", "company": "Company"})
        if values.get("agree") != "yes":
            errors.append("Please agree to the privacy policy.")
        if errors:
            return self._details(host, start, values, errors, 400)
        error = self.record(host, start, {
            "name": values["full_name"].strip(), "email": values["email"].strip(),
            "company": values["company"].strip(), "message": values.get("topic", "").strip(),
            "status": "requested",
        })
        if error:
            return self._step_one(request, error, 409)
        return Response.redirect(f"/meet/intro/sent?ref={len(self.bookings)}")

    def _sent(self, request: Request) -> Response:
        try:
            booking = self.bookings[int(request.arg("ref") or "0") - 1]
        except (ValueError, IndexError):
            return Response.html("<h1>Page not found</h1>", 404)
        local = _label(parse_start(booking["start"]).astimezone(self.zone))  # type: ignore[union-attr]
        body = f"""<h2>Thanks! Your request has been sent</h2>
<p>{html.escape(booking["person"])} will confirm your meeting on {local} ({self.ZONE}) by e-mail to
 {html.escape(booking["email"])}.</p>"""
        return self._shell("Request sent", body)

    def _shell(self, title: str, body: str, status: int = 200) -> Response:
        return Response.html(f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} — Northwind Partners</title>{STYLE}</head>
<body><div class="top">Northwind Partners · Book an intro call</div><div class="wrap">{body}</div></body></html>""", status)

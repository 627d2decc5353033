"""Page 3: "Kettu Robotics" — a startup's own plain demo form on its website, Europe/Helsinki.

One server-rendered form: who (with "Anyone on the team"), an <input type="date">, a time <select>
the server fills for the chosen date (the page reloads when the date or person changes, keeping
what was typed), name, e-mail, company, message and "Book". Errors re-render the form; success
redirects to a thank-you page.
"""
from __future__ import annotations

import html
from datetime import date, datetime, time, timedelta

from replicas.blind.anypage.diary import Diary, missing, slug
from replicas.server import Request, Response


class Page3(Diary):
    """The startup's own form at /book-a-demo."""

    ZONE = "Europe/Helsinki"
    OPENS = time(10, 0)
    CLOSES = time(16, 0)
    STEP = LENGTH = timedelta(minutes=60)
    FULL_DAYS = frozenset({2, 6})
    TAKEN_EVERY = 4
    PATH = "/book-a-demo"

    def __init__(self, now, people: list[str]) -> None:  # type: ignore[no-untyped-def]
        super().__init__(now, people)
        self.add_route("GET", r"/book-a-demo", self._form)
        self.add_route("POST", r"/book-a-demo", self._post)
        self.add_route("GET", r"/book-a-demo/thanks", self._thanks)

    def _times(self, who: str | None, day: date | None) -> list[datetime]:
        if day is None:
            return []
        people = [who] if who else self.people
        return sorted({slot for person in people for slot in self.free_slots(person, day)})

    def _form(self, request: Request, values: dict[str, str] | None = None, errors: list[str] | None = None,
              status: int = 200) -> Response:
        values = values if values is not None else {k: v[0] for k, v in request.query.items()}
        who = self.person(values.get("with"))
        day = _date(values.get("date"))
        times = self._times(who, day)
        if day is None:
            time_options = '<option value="">Choose a date first</option>'
        elif not times:
            time_options = '<option value="">No times left on this date</option>'
        else:
            time_options = '<option value="">Select a time</option>' + "".join(
                f'<option value="{t:%H:%M}"{" selected" if values.get("time") == f"{t:%H:%M}" else ""}>'
                f'{t:%H:%M} – {t + self.LENGTH:%H:%M}</option>' for t in times)
        people = '<option value="">Anyone on the team</option>' + "".join(
            f'<option value="{slug(n)}"{" selected" if n == who else ""}>{html.escape(n)}</option>'
            for n in self.people)
        box = ""
        if errors:
            box = '<div class="error-box"><strong>Please fix the following:</strong><ul>' + "".join(
                f"<li>{html.escape(e)}</li>" for e in errors) + "</ul></div>"
        v = {k: html.escape(values.get(k, "")) for k in ("name", "email", "company", "message")}
        window = self.window()
        page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Book a demo | Kettu Robotics</title>
<style>body{{font-family:Verdana,sans-serif;background:#fff7f0;margin:40px}} form{{max-width:520px}}
.row{{margin-bottom:14px}} .row label{{display:block;font-weight:bold}} input,select,textarea{{width:100%;padding:6px}}
.error-box{{border-left:4px solid #c0392b;background:#fff;padding:6px 12px;margin-bottom:14px}}
.hint{{color:#777;font-size:12px}}</style></head>
<body><nav><a href="/">Kettu Robotics</a> | Product | Pricing | <b>Book a demo</b></nav>
<h1>See Kettu in action</h1>
<p>Book a 60-minute live demo with our team. Times are Finnish time ({self.ZONE}).</p>
{box}
<form id="demo" method="post" action="/book-a-demo">
 <div class="row"><label for="with">Meet with</label><select id="with" name="with">{people}</select></div>
 <div class="row"><label for="date">Date</label>
  <input type="date" id="date" name="date" value="{day.isoformat() if day else ''}"
   min="{window[0].isoformat()}" max="{window[-1].isoformat()}">
  <span class="hint">Weekdays only; we book up to two weeks ahead.</span></div>
 <div class="row"><label for="time">Time</label><select id="time" name="time">{time_options}</select></div>
 <div class="row"><label for="name">Your name</label><input id="name" name="name" value="{v['name']}"></div>
 <div class="row"><label for="email">Email address</label>
  <input id="email" name="email" type="email" value="{v['email']}"></div>
 <div class="row"><label for="company">Company (optional)</label>
  <input id="company" name="company" value="{v['company']}"></div>
 <div class="row"><label for="message">Message</label>
  <textarea id="message" name="message" rows="5">{v['message']}</textarea></div>
 <input type="submit" value="Book">
</form>
<script>
const form = document.getElementById("demo"), KEEP = ["name", "email", "company", "message"];
const saved = JSON.parse(sessionStorage.getItem("kettu-demo") || "{{}}");
for (const k of KEEP) if (saved[k] && !form.elements[k].value) form.elements[k].value = saved[k];
sessionStorage.removeItem("kettu-demo");
function reload() {{
  const keep = {{}}; for (const k of KEEP) keep[k] = form.elements[k].value;
  sessionStorage.setItem("kettu-demo", JSON.stringify(keep));
  const q = new URLSearchParams({{date: form.elements.date.value, with: form.elements["with"].value}});
  window.location.search = q.toString();
}}
form.elements.date.addEventListener("change", reload);
form.elements["with"].addEventListener("change", reload);
</script></body></html>"""
        return Response.html(page, status)

    def _post(self, request: Request) -> Response:
        values = request.form()
        errors = missing(values, {"name": "Your name", "email": "Email address"})
        day = _date(values.get("date"))
        start = None
        if day is None:
            errors.insert(0, "Please choose a date.")
        elif not values.get("time"):
            errors.insert(0, "Please choose a time.")
        else:
            try:
                start = datetime.combine(day, time.fromisoformat(values["time"]), self.zone)
            except ValueError:
                errors.insert(0, "Please choose a time.")
        if errors or start is None:
            return self._form(request, values, errors, 400)
        person = self.person(values.get("with")) if values.get("with") else self.anyone_free(start)
        if person is None:
            return self._form(request, values, ["Sorry, that time was just taken. Please choose another."], 409)
        error = self.record(person, start, {
            "name": values["name"].strip(), "email": values["email"].strip(),
            "company": values.get("company", "").strip(), "message": values.get("message", "").strip(),
        })
        if error:
            return self._form(request, values, [error], 409)
        return Response.redirect(f"/book-a-demo/thanks?n={len(self.bookings)}")

    def _thanks(self, request: Request) -> Response:
        try:
            booking = self.bookings[int(request.arg("n") or "0") - 1]
        except (ValueError, IndexError):
            return Response.html("<h1>Page not found</h1>", 404)
        local = datetime.fromisoformat(booking["start"]).astimezone(self.zone)
        return Response.html(f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Thanks! | Kettu Robotics</title></head><body style="font-family:Verdana,sans-serif;margin:40px">
<h1>Your demo is booked</h1>
<p>Thanks, {html.escape(booking["name"].split()[0])}! {html.escape(booking["person"])} will meet you on
 {local:%A} {local.day}.{local.month}. at {local:%H:%M} ({self.ZONE}). A calendar invite is on its way to
 {html.escape(booking["email"])}.</p><p><a href="/book-a-demo">Book another demo</a></p></body></html>""")


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None

"""What the Microsoft module used to do alone, ``auto`` now does on any page (real headless Chromium): a time
drawn as the label of a visually hidden radio is clicked on its label; a refusal written as a plain sentence
("that time was just taken") is the page's answer; and that sentence, left beside the form while the other
time is picked, is not the answer to the next try.

The page is a small generic one (no platform's markup, words or hooks): a list of dates, times as hidden
radios, a details form; its server refuses a time that was taken after the page was drawn.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Iterator
from zoneinfo import ZoneInfo

import pytest

from booking.domain.states import BookingStatus
from booking.runtime.runner import JobRunner
from booking.workflow.requests import BookingRequestInput
from booking.workflow.service import BookingService
from replicas.server import LoopbackServer, Request, Response
from replicas.world import seed_directory
from tests.platforms.test_auto import BusyCalendar

pytestmark = pytest.mark.browser
HEL = ZoneInfo("Europe/Helsinki")
SLOTS = {"2026-12-02": ["10:00", "10:30", "11:00"], "2026-12-03": ["09:00"]}
NAMES = {"2026-12-02": "Wednesday, December 2", "2026-12-03": "Thursday, December 3"}

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Orbit Studio</title>
<style>.slot{display:inline-block;border:1px solid #888;padding:6px 12px;margin:4px;cursor:pointer;position:relative}
.slot input{position:absolute;opacity:0;pointer-events:none}.slot.sel{background:#246;color:#fff}
label.f{display:block;margin-top:8px}</style></head>
<body><h1>Orbit Studio</h1><p>Intro call, 30 min. All times are in Europe/Helsinki.</p><main id="app"></main>
<script>
var SLOTS = {{SLOTS}}, NAMES = {{NAMES}};
var st = {day: null, time: null, error: "", done: null, busy: false, values: {}};
function h(tag, attrs, kids) {
  var e = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) {
    if (k === "text") e.textContent = attrs[k];
    else if (k === "on") Object.keys(attrs.on).forEach(function (n) { e.addEventListener(n, attrs.on[n]); });
    else if (k === "checked" || k === "disabled") e[k] = attrs[k];
    else e.setAttribute(k, attrs[k]);
  });
  (kids || []).forEach(function (c) { e.appendChild(c); });
  return e;
}
function field(key, text, type) {
  return h("label", {class: "f"}, [h("span", {text: text + " "}), h("input", {type: type, name: key,
    on: {input: function (ev) { st.values[key] = ev.target.value; }}})]);
}
function draw() {
  var app = document.getElementById("app"); app.textContent = "";
  if (st.done) { app.appendChild(h("h2", {text: "You're booked!"})); app.appendChild(h("p", {text: st.done})); return; }
  app.appendChild(h("h2", {text: "Pick a date"}));
  Object.keys(SLOTS).forEach(function (d) {
    app.appendChild(h("button", {type: "button", "aria-pressed": String(st.day === d), text: NAMES[d],
      on: {click: function () { st.day = d; st.time = null; draw(); }}}));
  });
  if (st.error) app.appendChild(h("p", {class: "error", text: st.error}));
  if (!st.day) return;
  app.appendChild(h("h3", {text: "Times on " + NAMES[st.day]}));
  SLOTS[st.day].forEach(function (t) {
    app.appendChild(h("label", {class: "slot" + (st.time === t ? " sel" : "")}, [
      h("input", {type: "radio", name: "slot", value: t, checked: st.time === t,
        on: {change: function () { st.time = t; draw(); }}}), h("span", {text: t})]));
  });
  if (st.time === null) return;
  app.appendChild(h("form", {on: {submit: send}}, [field("name", "Your name", "text"),
    field("email", "Email", "email"), h("button", {type: "submit", disabled: st.busy, text: "Book"})]));
}
function send(ev) {  // the page takes a moment to answer, the last try's sentence still beside the form
  ev.preventDefault(); st.busy = true; draw();
  setTimeout(function () {
    fetch("api/book", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(
      {day: st.day, time: st.time, name: st.values.name || "", email: st.values.email || ""})}).then(function (r) {
      st.busy = false;
      if (r.status === 201) { st.done = NAMES[st.day] + " at " + st.time; st.error = ""; }
      else { st.error = "Sorry, that time was just taken. Please pick another time.";
             SLOTS[st.day] = SLOTS[st.day].filter(function (t) { return t !== st.time; }); st.time = null; }
      draw();
    });
  }, 600);
}
draw();
</script></body></html>"""


class OrbitStudio(LoopbackServer):
    """The page, and a server that refuses the times in ``taken`` (gone since the page was drawn)."""

    def __init__(self) -> None:
        super().__init__()
        self.taken: set[tuple[str, str]] = set()
        self.bookings: list[dict[str, str]] = []
        self.add_route("GET", r"/orbit/", self._page)
        self.add_route("POST", r"/orbit/api/book", self._book)

    def _page(self, request: Request) -> Response:
        return Response.html(PAGE.replace("{{SLOTS}}", json.dumps(SLOTS)).replace("{{NAMES}}", json.dumps(NAMES)))

    def _book(self, request: Request) -> Response:
        wanted = request.json()
        if (wanted["day"], wanted["time"]) in self.taken or not wanted["email"]:
            return Response.json({"error": "taken"}, 409)
        self.bookings.append(wanted)
        return Response.json({"ok": True}, 201)


@pytest.fixture
def studio() -> Iterator[OrbitStudio]:
    with OrbitStudio() as site:
        yield site


@pytest.fixture
def auto_service(db, settings, browsers, clock) -> Iterator[BookingService]:
    runner = JobRunner(settings.max_browsers)
    yield BookingService(db, settings, browsers, runner, clock=clock, availability=BusyCalendar([]))
    runner.shutdown()


def test_a_time_taken_meanwhile_is_refused_in_a_sentence_and_the_other_time_is_booked(auto_service, studio, db,
                                                                                      teammate):
    studio.taken.add(("2026-12-02", "10:00"))
    seed_directory(db, [{"name": "Orbit Studio", "aliases": ["orbit"], "platform": "",
                         "booking_url": f"{studio.url}/orbit/", "people": []}])
    view = auto_service.request_booking(BookingRequestInput(teammate=teammate, startup="orbit"))
    auto_service.start(view.id)
    assert auto_service.runner.wait_idle(180)
    final = auto_service.get(view.id)

    assert final.status == BookingStatus.ADDED_TO_CALENDAR, final.error_message
    assert final.platform == "auto"
    assert [(b["day"], b["time"], b["email"]) for b in studio.bookings] == [("2026-12-02", "10:30", teammate.email)]
    assert datetime(2026, 12, 2, 10, 30, tzinfo=HEL) in final.proposed_slots
    steps = [e.detail for e in auto_service.events(final.id) if e.kind == "step"]
    assert any("was just taken" in s for s in steps), steps

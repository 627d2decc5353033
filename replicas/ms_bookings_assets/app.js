/* Microsoft Bookings booking page replica (docs/platforms/microsoft-bookings.md).
   One page with sections: service, staff ("Anyone" first), date and time, "Add your details", Book.
   "Now" comes from the config (the replica's clock), never from the browser. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("booking-config").textContent);
  var B = cfg.business;
  var root = document.getElementById("root");
  var ZONES = [B.time_zone, "Europe/Helsinki", "Europe/London", "America/New_York", "UTC"]  // [U] the real list is longer
    .filter(function (z, i, a) { return a.indexOf(z) === i; });
  var state = { service: cfg.services.length === 1 ? cfg.services[0] : null, staff: "any", zone: B.time_zone,
                slots: [], month: null, day: null, time: null, error: "", values: {}, booking: null };

  function el(tag, attrs, kids) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "on") Object.keys(attrs.on).forEach(function (e) { node.addEventListener(e, attrs.on[e]); });
      else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) node.setAttribute(k, attrs[k]);
    });
    (kids || []).forEach(function (kid) { if (kid) node.appendChild(kid); });
    return node;
  }
  function parts(iso, opts) {
    var out = {};
    new Intl.DateTimeFormat("en-US", Object.assign({ timeZone: state.zone }, opts))
      .formatToParts(new Date(iso)).forEach(function (p) { out[p.type] = p.value; });
    return out;
  }
  function dayKey(iso) { var p = parts(iso, { year: "numeric", month: "2-digit", day: "2-digit" }); return p.year + "-" + p.month + "-" + p.day; }
  function timeText(iso) { var p = parts(iso, { hour: "numeric", minute: "2-digit", hour12: true }); return p.hour + ":" + p.minute + " " + p.dayPeriod; }  // [S] "12:15 PM"
  function keyDate(key) { var a = key.split("-").map(Number); return new Date(Date.UTC(a[0], a[1] - 1, a[2] || 1)); }
  function addDays(key, n) { var d = keyDate(key); d.setUTCDate(d.getUTCDate() + n); return d.toISOString().slice(0, 10); }
  function fmt(key, opts) { return new Intl.DateTimeFormat("en-US", Object.assign({ timeZone: "UTC" }, opts)).format(keyDate(key)); }
  function slotsOn(key) { return state.slots.filter(function (s) { return dayKey(s.start) === key; }); }
  function offset(zone) {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(new Date(cfg.now))
      .filter(function (x) { return x.type === "timeZoneName"; })[0].value.replace("GMT", "UTC");
  }

  function services() {
    return el("section", { "class": "services" }, [
      el("h2", { id: "svc-h", text: B.personal ? "Select a meeting type" : "Select service" }),  // [U] headings
      el("div", { role: "radiogroup", "aria-labelledby": "svc-h" }, cfg.services.map(function (s) {
        var input = el("input", { type: "radio", name: "service", value: s.id,
                                  checked: state.service && state.service.id === s.id ? "checked" : null,
                                  on: { change: function () { state.service = s; state.staff = "any"; reload(); } } });
        return el("label", {}, [input, el("span", { text: " " + s.name + " · " + s.duration + " minutes" }),
                                s.description ? el("div", { text: s.description }) : null]);
      }))
    ]);
  }
  function staff() {
    var s = state.service;
    if (!s || B.personal || !s.allow_staff_selection) return null;
    var select = el("select", { id: "staff", on: { change: function (e) { state.staff = e.target.value; reload(); } } },
      [{ id: "any", name: "Anyone" }].concat(s.staff).map(function (p) {  // [U] "Anyone" wording
        return el("option", { value: p.id, selected: p.id === state.staff ? "selected" : null, text: p.name });
      }));
    return el("section", {}, [el("h2", {}, [el("label", { "for": "staff", text: "Select staff (optional)" })]), select]);
  }
  function calendar() {
    var first = state.month + "-01", lead = (keyDate(first).getUTCDay() + 6) % 7, key = addDays(first, -lead), rows = [];
    for (var r = 0; r < 6; r++) {
      var cells = [];
      for (var c = 0; c < 7; c++, key = addDays(key, 1)) {
        if (key.slice(0, 7) !== state.month) { cells.push(el("td", {})); continue; }
        var open = slotsOn(key).length > 0;
        cells.push(el("td", { role: "gridcell" }, [el("button", {
          type: "button", text: String(keyDate(key).getUTCDate()), disabled: open ? null : "disabled",
          "class": key === state.day ? "chosen" : null, "aria-pressed": key === state.day ? "true" : "false",
          "aria-label": fmt(key, { weekday: "long", month: "long", day: "numeric", year: "numeric" }),  // [U]
          on: { click: pickDay(key) } })]));
      }
      rows.push(el("tr", {}, cells));
    }
    return el("div", {}, [
      el("div", {}, [
        el("button", { type: "button", "aria-label": "Go to previous month", text: "‹", on: { click: shiftMonth(-1) } }),
        el("strong", { id: "month-title", text: " " + fmt(first, { month: "long", year: "numeric" }) + " " }),
        el("button", { type: "button", "aria-label": "Go to next month", text: "›", on: { click: shiftMonth(1) } })  // [S] label has "next"
      ]),
      el("table", { "class": "month", role: "grid", "aria-labelledby": "month-title" }, [el("tbody", {}, rows)])
    ]);
  }
  function pickDay(key) { return function () { state.day = key; state.time = null; render(); }; }
  function shiftMonth(n) { return function () { var d = keyDate(state.month + "-01"); d.setUTCMonth(d.getUTCMonth() + n); state.month = d.toISOString().slice(0, 7); render(); }; }
  function times() {
    if (!state.day) return el("p", { text: "Select a date to see available times." });
    return el("div", { "class": "times", role: "radiogroup", "aria-label": "Available times" }, slotsOn(state.day).map(function (s) {
      return el("label", {}, [
        el("input", { type: "radio", name: "selectedTimeSlot", value: s.start, checked: state.time === s.start ? "checked" : null,
                      on: { change: function () { state.time = s.start; render(); } } }),  // [S] MSB-PW
        el("span", { text: timeText(s.start) })]);
    }));
  }
  function dateTime() {
    if (!state.service) return null;
    var zone = el("select", { id: "tz", on: { change: function (e) { state.zone = e.target.value; state.day = null; state.time = null; render(); } } },
      ZONES.map(function (z) { return el("option", { value: z, selected: z === state.zone ? "selected" : null, text: "(" + offset(z) + ") " + z }); }));
    return el("section", {}, [
      el("h2", { text: "Select date and time" }),  // [U]
      el("p", {}, [el("label", { "for": "tz", text: "Time zone " }), zone]),  // [U] control
      state.slots.length ? el("div", { "class": "picker" }, [calendar(), times()])
                         : el("p", { text: "No available times. Try another staff member or service." })  // [U]
    ]);
  }
  function input(id, attrs, tag) {
    return el(tag || "input", Object.assign({ id: id, name: id, value: tag ? null : (state.values[id] || null),
                                              text: tag ? (state.values[id] || "") : null }, attrs));
  }
  function details() {
    if (!state.time) return null;
    var s = state.service, kids = [
      el("h2", { text: "Add your details" }),  // [U]
      input("name", { type: "text", placeholder: "First and last name", "aria-label": "Name", required: "required" }),  // [S]
      input("email", { type: "email", placeholder: "Email", "aria-label": "Email", required: "required" }),
      input("phone", { type: "tel", placeholder: "Phone number", "aria-label": "Phone number", required: s.phone_required ? "required" : null }),
      input("notes", { placeholder: "Add any special requests", "aria-label": "Notes" }, "textarea")  // [S]
    ];
    s.questions.forEach(function (q, i) { kids.push(el("label", { "for": "q" + i, text: q }), input("q" + i, { type: "text" })); });
    if (state.error) kids.push(el("div", { role: "alert", "class": "error", text: state.error }));
    kids.push(el("button", { type: "submit", "class": "book", text: "Book" }));  // [S] probable label
    return el("form", { "class": "details", novalidate: "novalidate", on: { submit: submit } }, kids);
  }
  function value(id) { var n = document.getElementById(id); return n ? n.value : ""; }
  function submit(e) {
    e.preventDefault();
    var s = state.service, answers = {};
    ["name", "email", "phone", "notes"].concat(s.questions.map(function (q, i) { return "q" + i; }))
      .forEach(function (id) { state.values[id] = value(id); });
    s.questions.forEach(function (q, i) { answers[q] = value("q" + i); });
    var body = { service: s.id, staff: state.staff, start: state.time, name: value("name"), email: value("email"),
                 phone: value("phone"), notes: value("notes"), answers: answers, time_zone: state.zone };
    fetch(cfg.api + "/appointments", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (d) { return { status: r.status, data: d }; }); })
      .then(function (res) {
        if (res.status === 200) { state.booking = res.data.booking; render(); return; }
        state.error = res.data.error || "Something went wrong. Please try again.";
        if (res.status === 409) { state.time = null; return reload(true); }
        render();
      });
  }
  function confirmation() {
    var b = state.booking, key = dayKey(b.start);
    return el("main", {}, [el("div", { role: "alert" }, [  // [S] MSB-PW looks for role=alert with "confirmed"
      el("h2", { text: "Booking confirmed" }),  // [U] wording
      el("p", { text: state.service.name + " with " + b.staff }),
      el("p", { text: fmt(key, { weekday: "long", month: "long", day: "numeric", year: "numeric" }) + " " + timeText(b.start) + " (" + state.zone + ")" }),
      el("p", { text: "A confirmation has been sent to " + b.email + "." })
    ])]);
  }
  function render() {
    root.innerHTML = "";
    root.appendChild(el("header", {}, [el("h1", { text: B.name })]));
    if (state.booking) { root.appendChild(confirmation()); return; }
    var alert = !state.time && state.error ? el("div", { role: "alert", "class": "error", text: state.error }) : null;
    root.appendChild(el("main", {}, [services(), staff(), alert, dateTime(), details()]));
  }
  function reload(keepError) {
    if (!keepError) state.error = "";
    state.day = null; state.time = null;
    if (!state.service) { render(); return Promise.resolve(); }
    var url = cfg.api + "/availability?service=" + encodeURIComponent(state.service.id) + "&staff=" + encodeURIComponent(state.staff);
    return fetch(url).then(function (r) { return r.json(); }).then(function (d) {
      state.slots = d.slots;
      state.month = (d.slots.length ? dayKey(d.slots[0].start) : dayKey(cfg.now)).slice(0, 7);
      render();
    });
  }
  reload();
})();

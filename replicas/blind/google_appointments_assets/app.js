// Blind build of a Google Calendar appointment-schedule page: renders from #booking-config.
// Facts kept from docs/platforms/google-appointments.md; every [U] choice is marked.
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("booking-config").textContent);
  var root = document.getElementById("root");
  var DAY = 86400000, WIDTH = 7;  // [U] seven day columns, moved one day at a time by "Next day"
  var WD = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  var st = { zone: cfg.zone || Intl.DateTimeFormat().resolvedOptions().timeZone, slots: [], start: 0,
    month: null, view: "pick", chosen: null, values: {}, alert: "", email: "" };
  var nowMs = Date.parse(cfg.now);

  function h(tag, attrs, kids) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "on") Object.keys(attrs.on).forEach(function (e) { el.addEventListener(e, attrs.on[e]); });
      else if (k === "text") el.textContent = attrs.text;
      else if (attrs[k] !== false && attrs[k] != null) el.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
    });
    (kids || []).forEach(function (c) { if (c) el.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return el;
  }
  function parts(ms) {
    var out = {};
    new Intl.DateTimeFormat("en-US", { timeZone: st.zone, year: "numeric", month: "numeric", day: "numeric",
      hour: "numeric", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date(ms))
      .forEach(function (p) { out[p.type] = p.value; });
    return { y: +out.year, m: +out.month - 1, d: +out.day, hh: +out.hour, mm: +out.minute };
  }
  function dayOf(ms) { var p = parts(ms); return Date.UTC(p.y, p.m, p.d) / DAY; }
  function civil(day) { var d = new Date(day * DAY); return { y: d.getUTCFullYear(), m: d.getUTCMonth(), d: d.getUTCDate(), wd: d.getUTCDay() }; }
  function clock(ms) {  // [S] 12-hour, lowercase, no space: "3:30pm"
    var p = parts(ms), hr = p.hh % 12 || 12;
    return hr + ":" + (p.mm < 10 ? "0" : "") + p.mm + (p.hh < 12 ? "am" : "pm");
  }
  function longDay(day) { var c = civil(day); return WD[c.wd] + ", " + MONTHS[c.m] + " " + c.d; }
  function offsetName(zone) {
    try {
      var p = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "shortOffset" }).formatToParts(new Date(nowMs));
      return p.filter(function (x) { return x.type === "timeZoneName"; })[0].value;
    } catch (e) { return "GMT"; }
  }
  function byDay() {
    var map = {};
    st.slots.forEach(function (s) { var d = dayOf(s.ms); (map[d] = map[d] || []).push(s); });
    return map;
  }
  function rpc(name, data) {
    var body = new URLSearchParams(Object.assign({ schedule: cfg.schedule }, data));
    return fetch("/calendar/appointments/rpc/" + name, { method: "POST", body: body }).then(function (r) {
      return r.text().then(function (t) { return { status: r.status, data: JSON.parse(t.replace(/^\)\]\}'\n/, "")) }; });
    });
  }
  function load() {
    st.view = "loading"; draw();
    rpc("ListAvailableSlots", {}).then(function (res) {
      st.slots = (res.data.slots || []).map(function (p) { return { ms: +p[0][0] * 1000, minutes: p[1] }; });
      // [U] the answer is held back a moment behind a spinner, as a slow page would
      setTimeout(function () { st.view = "pick"; draw(); }, 700);
    });
  }

  function header() {
    return h("header", { class: "top" }, [
      h("h1", { text: cfg.title }),
      h("p", { class: "sub", text: cfg.owner + " \u00b7 " + cfg.minutes + " min appointments" }),  // [U]
    ]);
  }
  function monthCalendar(map) {
    var today = dayOf(nowMs), cm = st.month;
    var first = Date.UTC(cm.y, cm.m, 1) / DAY, lead = civil(first).wd;
    var grid = h("div", { class: "mgrid", role: "grid", "aria-label": MONTHS[cm.m] + " " + cm.y });
    var row = h("div", { role: "row", class: "mrow" });
    ["S", "M", "T", "W", "T", "F", "S"].forEach(function (x, i) { row.appendChild(h("span", { role: "columnheader", "aria-label": WD[i], text: x })); });
    grid.appendChild(row);
    for (var w = 0; w < 6; w++) {
      row = h("div", { role: "row", class: "mrow" });
      for (var i = 0; i < 7; i++) {
        var day = first - lead + w * 7 + i, c = civil(day), n = (map[day] || []).length;
        var label = c.d + ", " + WD[c.wd] + (c.m !== cm.m ? ", " + MONTHS[c.m] : "") + ", " +  // [V] day-cell labels
          (n ? n + " available time" + (n > 1 ? "s" : "") : "no available times");
        row.appendChild(h("span", { role: "gridcell" }, [h("button", { type: "button", "aria-label": label,
          class: "mday" + (n ? " has" : "") + (c.m !== cm.m ? " spill" : "") + (day === today ? " today" : "") +
            (day >= st.start && day < st.start + WIDTH ? " inview" : ""),
          on: { click: (function (d) { return function () { st.start = d; draw(); }; })(day) }, text: String(c.d) })]));
      }
      grid.appendChild(row);
    }
    function shift(k) { return function () { var m = cm.m + k; st.month = { y: cm.y + Math.floor(m / 12), m: (m + 12) % 12 }; draw(); }; }
    return h("aside", { class: "month" }, [
      h("div", { class: "mhead" }, [
        h("button", { type: "button", class: "arrow", "aria-label": "Last month", on: { click: shift(-1) }, text: "\u2039" }),  // [U]
        h("h2", { text: MONTHS[cm.m] + " " + cm.y }),
        h("button", { type: "button", class: "arrow", "aria-label": "Next month", on: { click: shift(1) }, text: "\u203a" }),  // [S]
      ]), grid]);
  }
  function zonePicker() {
    var sel = h("select", { id: "tz", on: { change: function (e) { st.zone = e.target.value; draw(); } } });
    var zones = (Intl.supportedValuesOf ? Intl.supportedValuesOf("timeZone") : []).slice();
    if (zones.indexOf(st.zone) < 0) zones.unshift(st.zone);
    zones.forEach(function (z) {  // [U] option text: "Europe/Helsinki (GMT+2)"
      sel.appendChild(h("option", { value: z, selected: z === st.zone, text: z + " (" + offsetName(z) + ")" }));
    });
    return h("p", { class: "zone" }, [h("label", { for: "tz", text: "Times shown in" }), " ", sel]);  // [U] label
  }
  function week(map) {
    var cols = h("div", { class: "cols" }), any = false;
    for (var i = 0; i < WIDTH; i++) {
      var day = st.start + i, c = civil(day), list = map[day] || [];
      any = any || list.length > 0;
      var times = list.map(function (s) {  // [U] button name is the time only; the column group names the day
        return h("button", { type: "button", class: "time", on: { click: function () { pick(s); } }, text: clock(s.ms) });
      });
      cols.appendChild(h("div", { class: "col", role: "group", "aria-label": longDay(day) }, [
        h("div", { class: "dh", "aria-hidden": "true" }, [h("span", { class: "wd", text: WD[c.wd].slice(0, 3).toUpperCase() }),
          h("span", { class: "dn", text: String(c.d) })]),
      ].concat(times)));
    }
    var a = civil(st.start), b = civil(st.start + WIDTH - 1);
    var range = MONTHS[a.m].slice(0, 3) + " " + a.d + " \u2013 " + (a.m !== b.m ? MONTHS[b.m].slice(0, 3) + " " : "") + b.d + ", " + b.y;
    var today = dayOf(nowMs);
    var nav = h("div", { class: "wnav" }, [
      h("button", { type: "button", class: "arrow", "aria-label": "Back one day", disabled: st.start <= today,  // [U]
        on: { click: function () { st.start -= 1; draw(); } }, text: "\u2039" }),
      h("button", { type: "button", class: "arrow", "aria-label": "Next day", on: { click: function () { st.start += 1; draw(); } }, text: "\u203a" }),  // [S]
      h("h3", { class: "range", text: range }),
    ]);
    var body = [nav, cols];
    if (!any) {
      var later = st.slots.filter(function (s) { return dayOf(s.ms) >= st.start + WIDTH; })[0];
      body.push(h("div", { class: "empty", role: "status" }, later ? [  // [V] the empty-week texts
        h("p", { text: "No availability during these days" }),
        h("button", { type: "button", class: "link", on: { click: function () { jump(later); } }, text: "Jump to the next bookable date" }),
      ] : [h("p", { text: "No available times in the next year" })]));
    }
    return body;
  }
  function jump(slot) { st.start = dayOf(slot.ms); var c = civil(st.start); st.month = { y: c.y, m: c.m }; draw(); }
  function pick(slot) { st.chosen = slot; st.view = "form"; st.alert = ""; draw(); }

  function when(slot) { return longDay(dayOf(slot.ms)) + " \u00b7 " + clock(slot.ms) + " \u2013 " + clock(slot.ms + slot.minutes * 60000); }
  function field(key, label, type, required, multi) {
    var input = h(multi ? "textarea" : "input", { name: key, type: multi ? null : type, required: required,
      autocomplete: { first: "given-name", last: "family-name", email: "email", phone: "tel" }[key] || null,
      on: { input: function (e) { st.values[key] = e.target.value; } } });
    input.value = st.values[key] || "";
    return h("label", { class: "field" }, [h("span", { text: label + (required ? " *" : "") }), input]);  // [U] wrapping labels
  }
  function form() {
    var kids = [
      h("button", { type: "button", class: "link back", on: { click: function () { st.view = "pick"; draw(); } }, text: "\u2190 Change time" }),  // [U]
      h("h2", { text: "Your details" }),  // [U]
      h("p", { class: "when", text: when(st.chosen) + " (" + st.zone + ")" }),
      field("first", "First name", "text", true), field("last", "Last name", "text", true),
      field("email", "Email address", "email", true),
    ];
    if (cfg.phone) kids.push(field("phone", "Phone number", "tel", true));
    cfg.questions.forEach(function (q, i) { kids.push(field("q" + i, q, "text", cfg.required_questions, true)); });
    if (st.alert) kids.push(h("p", { role: "alert", class: "alert", text: st.alert }));
    kids.push(h("button", { type: "submit", class: "primary", text: "Book" }));  // [S]
    return h("form", { class: "details", novalidate: true, on: { submit: function (e) { e.preventDefault(); send(""); } } }, kids);
  }
  function pinStep() {
    var input = h("input", { id: "pin", name: "pin", inputmode: "numeric", autocomplete: "one-time-code" });
    var kids = [
      h("h2", { text: "Check your email" }),  // [U]
      h("p", { text: "We emailed a PIN to " + st.email + ". Enter it here to confirm your booking." }),  // [V] steps
      h("label", { for: "pin", text: "PIN from your email" }), input,  // [U] field label
    ];
    if (st.alert) kids.push(h("p", { role: "alert", class: "alert", text: st.alert }));
    kids.push(h("button", { type: "submit", class: "primary", text: "Submit" }));  // [V]
    return h("form", { class: "details", on: { submit: function (e) { e.preventDefault(); send(input.value); } } }, kids);
  }
  function send(pin) {
    var v = st.values, data = { first: v.first || "", last: v.last || "", email: v.email || "", phone: v.phone || "",
      start: String(st.chosen.ms / 1000), pin: pin };
    cfg.questions.forEach(function (q, i) { data["q" + i] = v["q" + i] || ""; });
    rpc("CreateAppointment", data).then(function (res) {
      var d = res.data;
      if (d.state === "PIN_SENT") { st.view = "pin"; st.email = data.email; st.alert = ""; }
      else if (d.state === "BOOKED") { st.view = "done"; }
      else if (d.error === "WRONG_PIN") st.alert = "That PIN doesn't match. Check the email and try again.";  // [U]
      else if (d.error === "SLOT_TAKEN") {  // [U] back to the times, refreshed, with a note
        st.alert = ""; st.takenNote = "Someone just booked that time. Choose another one."; load(); return;
      }
      else st.alert = "Fill in: " + (d.fields || []).join(", ");  // [U]
      draw();
    });
  }
  function done() {
    return h("section", { class: "done", role: "status" }, [
      h("h2", { text: "Appointment booked" }),  // [U] confirmation heading
      h("p", { text: cfg.title + " with " + cfg.owner }),
      h("p", { text: when(st.chosen) + " (" + st.zone + ")" }),
      h("p", { text: "A calendar invitation has been sent to your email." }),
    ]);
  }

  function draw() {
    root.textContent = "";
    if (cfg.embedded) document.body.classList.add("embedded");
    if (!cfg.embedded) root.appendChild(header());
    if (st.view === "loading") {  // [U] a spinner while the RPC runs
      root.appendChild(h("div", { class: "spinner", role: "progressbar", "aria-label": "Loading available times" }));
      return;
    }
    if (st.view === "form") { root.appendChild(form()); return; }
    if (st.view === "pin") { root.appendChild(pinStep()); return; }
    if (st.view === "done") { root.appendChild(done()); return; }
    var map = byDay();
    var main = h("section", { class: "pick", "aria-labelledby": "pick-h" }, [
      h("h2", { id: "pick-h", text: "Select an appointment time" }), zonePicker(),  // [S]
    ]);
    if (st.takenNote) { main.appendChild(h("p", { role: "alert", class: "alert", text: st.takenNote })); st.takenNote = ""; }
    week(map).forEach(function (el) { main.appendChild(el); });
    root.appendChild(h("div", { class: "layout" }, [monthCalendar(map), main]));
  }

  st.start = dayOf(nowMs);
  var c0 = civil(st.start); st.month = { y: c0.y, m: c0.m };
  load();
})();

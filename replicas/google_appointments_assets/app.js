/* Google appointment-schedule booking page replica (docs/platforms/google-appointments.md).
   Times are shown in the page's zone: the replica's display_timezone, else the browser's.
   "Now" comes from the config (the replica's clock), never from the browser. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("booking-config").textContent);
  var S = cfg.schedule;
  var root = document.getElementById("root");
  var ZONES = ["Europe/Helsinki", "Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles",
               "Asia/Singapore", "UTC"];  // [U] the real selector lists every zone
  var state = {
    zone: cfg.display_timezone || Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
    slots: [], weekStart: null, month: null, view: "pick", chosen: null, error: "", email: "", values: {}
  };

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
  function parts(unix, opts) {
    var out = {};
    new Intl.DateTimeFormat("en-US", Object.assign({ timeZone: state.zone }, opts))
      .formatToParts(new Date(unix * 1000)).forEach(function (p) { out[p.type] = p.value; });
    return out;
  }
  function dayKey(unix) {
    var p = parts(unix, { year: "numeric", month: "2-digit", day: "2-digit" });
    return p.year + "-" + p.month + "-" + p.day;
  }
  function timeText(unix) {  // "3:30pm" ([S] PLAN, SCRAPE)
    var p = parts(unix, { hour: "numeric", minute: "2-digit", hour12: true });
    return p.hour + ":" + p.minute + p.dayPeriod.toLowerCase();
  }
  function keyDate(key) { var a = key.split("-").map(Number); return new Date(Date.UTC(a[0], a[1] - 1, a[2])); }
  function addDays(key, n) { var d = keyDate(key); d.setUTCDate(d.getUTCDate() + n); return d.toISOString().slice(0, 10); }
  function fmt(key, opts) { return new Intl.DateTimeFormat("en-US", Object.assign({ timeZone: "UTC" }, opts)).format(keyDate(key)); }
  function slotsOn(key) { return state.slots.filter(function (u) { return dayKey(u) === key; }); }
  function zoneText(zone) {
    var off = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
      .formatToParts(new Date(cfg.now)).filter(function (x) { return x.type === "timeZoneName"; })[0].value;
    return "(" + off + ") " + zone.replace(/_/g, " ");  // [U] label format
  }

  function header() {
    var select = el("select", { id: "tz", on: { change: function (e) { state.zone = e.target.value; resetView(); render(); } } },
      ZONES.concat(ZONES.indexOf(state.zone) < 0 ? [state.zone] : []).map(function (z) {
        return el("option", { value: z, selected: z === state.zone ? "selected" : null, text: zoneText(z) });
      }));
    return el("header", {}, [
      el("h1", { text: S.title }),
      el("p", { text: S.owner + " · " + S.duration + " min appointments" }),
      el("label", { "for": "tz", text: "Time zone " }), select  // [U] control and label
    ]);
  }

  function monthView() {
    var first = state.month + "-01", start = addDays(first, -((keyDate(first).getUTCDay() + 6) % 7));
    var rows = [], key = start;
    for (var r = 0; r < 6; r++) {
      var cells = [];
      for (var c = 0; c < 7; c++, key = addDays(key, 1)) {
        var n = slotsOn(key).length, inMonth = key.slice(0, 7) === state.month;
        var lead = inMonth ? String(keyDate(key).getUTCDate()) : fmt(key, { month: "long", day: "numeric" });
        // [V] WATCH: day labels end "<N> available times" / "no available times".
        var label = lead + ", " + fmt(key, { weekday: "long" }) + ", " + (n ? n + " available times" : "no available times");
        cells.push(el("td", {}, [el("button", {
          type: "button", "class": "day" + (n ? " open" : "") + (key === state.weekStart ? " chosen" : ""),
          "aria-label": label, "aria-pressed": key === state.weekStart ? "true" : "false",
          text: String(keyDate(key).getUTCDate()), on: { click: pickDay(key) } })]));
      }
      rows.push(el("tr", {}, cells));
    }
    var title = fmt(first, { month: "long", year: "numeric" });
    return el("section", { "class": "month", "aria-label": "Month calendar" }, [
      el("div", {}, [
        el("button", { type: "button", text: "‹", "aria-label": "Previous month", on: { click: shiftMonth(-1) } }),
        el("span", { id: "month-title", text: " " + title + " " }),
        el("button", { type: "button", text: "›", "aria-label": "Next month", on: { click: shiftMonth(1) } })
      ]),
      el("table", { role: "grid", "aria-labelledby": "month-title" }, [el("tbody", {}, rows)])
    ]);
  }
  function pickDay(key) { return function () { state.weekStart = key; state.month = key.slice(0, 7); render(); }; }
  function shiftMonth(n) {
    return function () { var d = keyDate(state.month + "-01"); d.setUTCMonth(d.getUTCMonth() + n); state.month = d.toISOString().slice(0, 7); render(); };
  }

  function weekView() {
    var days = [0, 1, 2, 3, 4, 5, 6].map(function (i) { return addDays(state.weekStart, i); });
    var any = days.some(function (k) { return slotsOn(k).length; });
    var nav = el("div", { "class": "week-nav" }, [
      el("h2", { text: "Select an appointment time" }),  // [S] SCRAPE's page marker
      el("button", { type: "button", "aria-label": "Previous week", text: "‹", on: { click: shiftWeek(-7) } }),  // [U] names
      el("button", { type: "button", "aria-label": "Next week", text: "›", on: { click: shiftWeek(7) } })
    ]);
    if (!any) {
      var later = state.slots.filter(function (u) { return dayKey(u) > days[6]; })[0];
      return el("section", { "class": "week" }, [nav, el("div", { "class": "empty" }, [
        el("p", { text: "No availability during these days" }),  // [V] WATCH
        later ? el("button", { type: "button", text: "Jump to the next bookable date", on: { click: pickDay(dayKey(later)) } })
              : el("p", { text: "No available times in the next year" })
      ])]);
    }
    var alert = state.view === "pick" && state.error ? el("div", { role: "alert", text: state.error }) : null;
    return el("section", { "class": "week" }, [nav, alert, el("div", { "class": "columns" }, days.map(function (key) {
      return el("div", { "class": "column", role: "group", "aria-label": fmt(key, { weekday: "long", month: "long", day: "numeric" }) }, [
        el("h3", {}, [el("span", { "class": "dow", text: fmt(key, { weekday: "short" }).toUpperCase() }),
                      el("span", { "class": "num", text: String(keyDate(key).getUTCDate()) })])
      ].concat(slotsOn(key).map(function (u) {
        return el("button", { type: "button", "class": "time", "data-start": String(u), text: timeText(u),
                              on: { click: function () { state.chosen = u; state.view = "form"; state.error = ""; render(); } } });
      })));
    }))]);
  }
  function shiftWeek(n) { return function () { state.weekStart = addDays(state.weekStart, n); state.month = state.weekStart.slice(0, 7); render(); }; }

  function field(id, label, type, required, tag) {
    return [el("label", { "for": id, text: label + (required ? " *" : "") }),
            el(tag || "input", { id: id, name: id, type: tag ? null : type, required: required ? "required" : null,
                                  value: tag ? null : (state.values[id] || null), text: tag ? (state.values[id] || "") : null })];
  }
  function summary() {
    var u = state.chosen, end = u + S.duration * 60;
    return fmt(dayKey(u), { weekday: "long", month: "long", day: "numeric" }) + " · " + timeText(u) + " – " + timeText(end);
  }
  function formDialog() {
    var kids = [el("h2", { id: "form-title", text: S.title }), el("p", { text: summary() })];
    kids = kids.concat(field("first_name", "First name", "text", true), field("last_name", "Last name", "text", true),
                       field("email", "Email address", "email", true));
    if (S.phone) kids = kids.concat(field("phone", "Phone number", "tel", false));
    S.questions.forEach(function (q, i) { kids = kids.concat(field("q" + i, q, null, S.required_questions, "textarea")); });
    if (state.error) kids.push(el("div", { role: "alert", text: state.error }));
    kids.push(el("div", {}, [el("button", { type: "submit", text: "Book" }),  // [S] PLAN
                             el("button", { type: "button", text: "Cancel", on: { click: back } })]));
    var form = el("form", { novalidate: "novalidate", on: { submit: submit } }, kids);
    return el("div", { "class": "dialog-backdrop" }, [el("div", { role: "dialog", "aria-modal": "true", "aria-labelledby": "form-title" }, [form])]);
  }
  function pinDialog() {
    var kids = [el("h2", { id: "pin-title", text: "Verify your email" }),
                el("p", { text: "We sent a PIN to " + state.email + ". Enter it to book." })]  // [U] wording; [V] flow GH-VERIFY
      .concat(field("pin", "PIN", "text", true));
    if (state.error) kids.push(el("div", { role: "alert", text: state.error }));
    kids.push(el("button", { type: "submit", text: "Submit" }));  // [V] GH-VERIFY "Click Submit"
    return el("div", { "class": "dialog-backdrop" }, [el("div", { role: "dialog", "aria-modal": "true", "aria-labelledby": "pin-title" },
      [el("form", { novalidate: "novalidate", on: { submit: submitPin } }, kids)])]);
  }
  function back() { state.view = "pick"; state.chosen = null; state.error = ""; render(); }
  function value(id) { var n = document.getElementById(id); return n ? n.value : ""; }

  var pending = null;
  function submit(e) {
    e.preventDefault();
    var answers = {};
    S.questions.forEach(function (q, i) { answers[q] = value("q" + i); });
    ["first_name", "last_name", "email", "phone"].concat(S.questions.map(function (q, i) { return "q" + i; }))
      .forEach(function (id) { state.values[id] = value(id); });
    pending = { start: state.chosen, first_name: value("first_name"), last_name: value("last_name"), email: value("email"),
                phone: value("phone"), answers: answers, time_zone: state.zone };
    send(pending);
  }
  function submitPin(e) { e.preventDefault(); pending.pin = value("pin"); send(pending); }
  function send(body) {
    fetch(cfg.api + "/book", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (data) { return { status: r.status, data: data }; }); })
      .then(function (res) {
        if (res.status === 200) { state.view = "done"; state.booking = res.data.booking; render(); return; }
        if (res.status === 202 || res.data.status === "verify_email") {
          state.view = "pin"; state.email = body.email; state.error = res.status === 202 ? "" : res.data.error; render(); return;
        }
        state.error = res.data.error || "Something went wrong. Try again.";
        if (res.status === 409) { return load().then(function () { state.view = "pick"; state.chosen = null; render(); }); }
        render();
      });
  }

  function done() {
    return el("section", { "class": "done" }, [
      el("h1", { text: "Booking confirmed" }),  // [U] wording
      el("p", { text: S.title + " with " + S.owner }),
      el("p", { text: summary() + " (" + state.zone + ")" }),
      el("p", { text: "A calendar invitation has been sent to " + state.booking.email + "." })  // [U] wording, [V] invite is sent
    ]);
  }

  function resetView() {
    var today = dayKey(Date.parse(cfg.now) / 1000);
    var first = state.slots.length ? dayKey(state.slots[0]) : today;
    state.weekStart = first < today ? today : first;  // [U] the page opens on the first bookable day
    state.month = state.weekStart.slice(0, 7);
  }
  function render() {
    root.innerHTML = "";
    if (state.view === "done") { root.appendChild(done()); return; }
    root.appendChild(header());
    root.appendChild(el("main", {}, [monthView(), weekView()]));
    if (state.view === "form") root.appendChild(formDialog());
    if (state.view === "pin") root.appendChild(pinDialog());
    var focus = root.querySelector("[role=dialog] input");
    if (focus && !document.activeElement.closest("[role=dialog]")) focus.focus();
  }
  function load() {
    return fetch(cfg.api + "/ListAvailableSlots").then(function (r) { return r.json(); }).then(function (data) {
      state.slots = data.slots.map(function (pair) { return Number(pair[0][0]); }).sort(function (a, b) { return a - b; });
    });
  }
  load().then(function () { resetView(); render(); });
})();

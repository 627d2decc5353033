// Blind build of a Microsoft Bookings page: renders from #booking-config.
// Facts kept from docs/platforms/microsoft-bookings.md; every [U] choice is marked.
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("booking-config").textContent);
  var root = document.getElementById("root");
  var DAY = 86400000;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  var WD = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  var API = "/bookings/service/api/" + encodeURIComponent(cfg.page) + "/";
  var st = { service: null, staff: "any", zone: cfg.zone, slots: null, day: null, time: null, month: null,
    values: {}, error: "", done: null, busy: false };
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
    var o = {};
    new Intl.DateTimeFormat("en-US", { timeZone: st.zone, year: "numeric", month: "numeric", day: "numeric",
      hour: "numeric", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date(ms))
      .forEach(function (p) { o[p.type] = p.value; });
    return { y: +o.year, m: +o.month - 1, d: +o.day, hh: +o.hour, mm: +o.minute };
  }
  function dayOf(ms) { var p = parts(ms); return Date.UTC(p.y, p.m, p.d) / DAY; }
  function civil(day) { var d = new Date(day * DAY); return { y: d.getUTCFullYear(), m: d.getUTCMonth(), d: d.getUTCDate(), wd: d.getUTCDay() }; }
  function clock(ms) {  // [S] "12:15 PM": 12-hour, a space, capital AM/PM
    var p = parts(ms);
    return (p.hh % 12 || 12) + ":" + (p.mm < 10 ? "0" : "") + p.mm + " " + (p.hh < 12 ? "AM" : "PM");
  }
  function dayName(day) { var c = civil(day); return WD[c.wd] + ", " + MONTHS[c.m] + " " + c.d + ", " + c.y; }
  function zoneName() { return cfg.zones.filter(function (z) { return z[0] === st.zone; })[0][1]; }

  function fetchSlots() {
    st.slots = null; st.day = null; st.time = null; draw();
    var ticket = st.ticket = (st.ticket || 0) + 1;  // only the latest request may fill the page
    var svc = st.service, ids = st.staff === "any" ? [] : [st.staff];
    fetch(API + "getStaffAvailability", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ serviceId: svc.id, staffIds: ids }) }).then(function (r) { return r.json(); })
      .then(function (data) {
        var seen = {}, list = [];
        (data.staffAvailabilityResponse || []).forEach(function (s) {
          s.availabilityItems.forEach(function (it) {
            var ms = Date.parse(it.startDateTime.dateTime + "Z");
            if (!seen[ms]) { seen[ms] = true; list.push(ms); }
          });
        });
        list.sort(function (a, b) { return a - b; });
        // [U] a skeleton shows while the answer is held back a moment
        setTimeout(function () { if (ticket === st.ticket) { st.slots = list; draw(); } }, 600);
      });
  }

  function services() {
    var list = h("div", { class: "services", role: "list" });
    cfg.services.forEach(function (s) {
      var chosen = st.service && st.service.id === s.id;
      // [U] each service is a pressable card (button with aria-pressed) holding its name, length and description
      list.appendChild(h("div", { role: "listitem" }, [h("button", { type: "button", class: "svc" + (chosen ? " on" : ""),
        "aria-pressed": chosen ? "true" : "false", on: { click: function () { chooseService(s); } } }, [
        h("span", { class: "svc-name", text: s.name }),
        h("span", { class: "svc-len", text: s.minutes + " minutes" }),  // [U]
        s.description ? h("span", { class: "svc-desc", text: s.description }) : null,
      ])]));
    });
    return h("section", { class: "step", "aria-labelledby": "s1" }, [
      h("h2", { id: "s1", text: cfg.personal ? "Choose a meeting type" : "Choose a service" }), list]);  // [U]
  }
  function chooseService(s) { st.service = s; st.staff = "any"; st.done = null; st.error = ""; st.month = null; fetchSlots(); }

  function staffPicker() {
    var svc = st.service;
    if (!svc.choose_staff) return null;
    var options = [{ id: "any", name: "Any available staff member" }].concat(svc.staff);  // [U] wording of "Anyone"
    return h("fieldset", { class: "step staff" }, [h("legend", { text: "Who would you like to meet? (optional)" })]  // [U]
      .concat(options.map(function (o) {
        return h("label", { class: "person" }, [h("input", { type: "radio", name: "staffMember", value: o.id,
          checked: st.staff === o.id, on: { change: function () { st.staff = o.id; fetchSlots(); } } }), " " + o.name]);
      })));
  }

  function calendar() {
    var byDay = {};
    st.slots.forEach(function (ms) { var d = dayOf(ms); (byDay[d] = byDay[d] || []).push(ms); });
    if (!st.month) { var c0 = civil(dayOf(nowMs)); st.month = { y: c0.y, m: c0.m }; }
    var cm = st.month, first = Date.UTC(cm.y, cm.m, 1) / DAY, lead = (civil(first).wd + 6) % 7;  // [U] weeks start Monday
    var days = new Date(Date.UTC(cm.y, cm.m + 1, 1)).getTime() / DAY - first;
    var table = h("table", { class: "cal" }, [h("caption", { text: MONTHS[cm.m] + " " + cm.y }),
      h("thead", {}, [h("tr", {}, ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"].map(function (x, i) {
        return h("th", { scope: "col", abbr: WD[(i + 1) % 7], text: x }); }))])]);
    var body = h("tbody"), row = h("tr");
    for (var i = 0; i < lead; i++) row.appendChild(h("td"));
    for (var d = 0; d < days; d++) {
      var day = first + d, c = civil(day), open = !!byDay[day];
      row.appendChild(h("td", {}, [h("button", { type: "button", class: "dnum" + (st.day === day ? " sel" : ""),
        disabled: !open, "aria-label": c.d + " " + MONTHS[c.m] + " " + c.y,  // [U] day-month-year label
        "aria-pressed": st.day === day ? "true" : "false",
        on: { click: (function (x) { return function () { st.day = x; st.time = null; draw(); }; })(day) }, text: String(c.d) })]));
      if (row.children.length === 7) { body.appendChild(row); row = h("tr"); }
    }
    if (row.children.length) body.appendChild(row);
    table.appendChild(body);
    function move(k) { return function () { var m = cm.m + k; st.month = { y: cm.y + Math.floor(m / 12), m: (m + 12) % 12 }; draw(); }; }
    var atStart = cm.y === civil(dayOf(nowMs)).y && cm.m === civil(dayOf(nowMs)).m;
    return h("div", { class: "calwrap" }, [
      h("div", { class: "calnav" }, [
        h("button", { type: "button", class: "nav", "aria-label": "Go back one month", disabled: atStart, on: { click: move(-1) }, text: "\u2191" }),  // [U]
        h("button", { type: "button", class: "nav", "aria-label": "Go forward one month", on: { click: move(1) }, text: "\u2193" }),  // [S] contains "forward"
      ]), table]);
  }
  function times() {
    if (st.day === null) return h("p", { class: "hint", text: "Select a date to see available times." });  // [U] no day preselected
    var groups = { Morning: [], Afternoon: [], Evening: [] };  // [U] grouped by part of day
    st.slots.filter(function (ms) { return dayOf(ms) === st.day; }).forEach(function (ms) {
      var hh = parts(ms).hh;
      groups[hh < 12 ? "Morning" : hh < 17 ? "Afternoon" : "Evening"].push(ms);
    });
    var box = h("div", { class: "times", role: "radiogroup", "aria-label": "Available times on " + dayName(st.day) }, [
      h("h3", { class: "times-day", text: dayName(st.day) })]);
    Object.keys(groups).forEach(function (g) {
      if (!groups[g].length) return;
      box.appendChild(h("h4", { text: g }));
      groups[g].forEach(function (ms) {
        box.appendChild(h("label", { class: "slot" + (st.time === ms ? " sel" : "") }, [
          h("input", { type: "radio", name: "selectedTimeSlot", value: new Date(ms).toISOString(), checked: st.time === ms,  // [S]
            on: { change: function () { st.time = ms; draw(); } } }), h("span", { text: clock(ms) })]));
      });
    });
    return box;
  }
  function zonePicker() {
    var sel = h("select", { "aria-label": "Change time zone", on: { change: function (e) { st.zone = e.target.value; st.day = null; st.time = null; draw(); } } },
      cfg.zones.map(function (z) { return h("option", { value: z[0], selected: z[0] === st.zone, text: z[1] }); }));
    return h("div", { class: "zone" }, [h("p", { text: "All times are in " + zoneName() }), sel]);  // [U] a sentence + a select
  }
  function when() {
    return st.service.name + " \u00b7 " + dayName(dayOf(st.time)) + " at " + clock(st.time) + " " + zoneName();
  }

  function field(key, label, type, required, placeholder, multi) {
    var input = h(multi ? "textarea" : "input", { id: "f-" + key, type: multi ? null : type, required: required,
      placeholder: placeholder || null, autocomplete: { name: "name", email: "email", phone: "tel" }[key] || null,
      on: { input: function (e) { st.values[key] = e.target.value; } } });
    input.value = st.values[key] || "";
    return h("div", { class: "field" }, [h("label", { for: "f-" + key, text: label + (required ? " (required)" : "") }), input]);  // [U]
  }
  function details() {
    var svc = st.service, kids = [
      h("h2", { text: "Provide your details" }),  // [U] (docs' "Add your details" is U)
      h("p", { class: "summary", text: when() }),
      field("name", "Your name", "text", true, "First and last name"),  // [S] placeholder, one field
      field("email", "Email address", "email", true, "Email"),
      field("phone", "Phone number", "tel", svc.phone_required, "Phone"),
      field("notes", "Notes", null, false, "Add any special requests", true),  // [S] placeholder
    ];
    svc.questions.forEach(function (q, i) { kids.push(field("q" + i, q, "text", false)); });
    if (st.error) kids.push(h("p", { class: "error", "aria-live": "assertive", text: st.error }));
    kids.push(h("button", { type: "submit", class: "book", disabled: st.busy, text: "Book" }));  // [S]
    return h("form", { class: "step form", novalidate: true, on: { submit: submit } }, kids);
  }
  function submit(e) {
    e.preventDefault();
    var v = st.values, svc = st.service, answers = {};
    svc.questions.forEach(function (q, i) { answers[q] = v["q" + i] || ""; });
    st.busy = true; draw();
    fetch(API + "appointments", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({
      serviceId: svc.id, staffId: st.staff, start: new Date(st.time).toISOString(), name: v.name || "",
      email: v.email || "", phone: v.phone || "", notes: v.notes || "", answers: answers, timeZone: st.zone }) })
      .then(function (r) { return r.json().then(function (d) { return { status: r.status, data: d }; }); })
      .then(function (res) {
        st.busy = false;
        if (res.status === 201) { st.done = { staff: res.data.staffName, what: when(), email: v.email }; st.error = ""; draw(); return; }
        if (res.status === 409) { st.error = "Sorry, that time was just taken. Please pick another time."; fetchSlots(); return; }  // [U]
        st.error = "Please check: " + ((res.data.error || {}).fields || []).join(", ");  // [U]
        draw();
      });
  }
  function confirmation() {
    var d = st.done;
    return h("div", { class: "confirm", role: "alert" }, [  // [S] role=alert, text says "booked"
      h("h2", { text: "You're booked!" }),  // [U]
      h("p", { text: d.what }), h("p", { text: "With " + d.staff }),
      h("p", { text: "We sent a confirmation to " + d.email + "." }),
      h("button", { type: "button", class: "ghost", text: "Add to calendar" }),
      h("button", { type: "button", class: "ghost", on: { click: function () { st.done = null; st.service = null; st.values = {}; draw(); } }, text: "New booking" }),
    ]);
  }

  function draw() {
    root.textContent = "";
    root.appendChild(h("header", { class: "bar" }, [h("h1", { text: cfg.business })]));
    var main = h("main", { class: "page" });
    root.appendChild(main);
    if (st.done) { main.appendChild(confirmation()); return; }
    main.appendChild(services());
    if (!st.service) return;
    var staff = staffPicker();
    if (staff) main.appendChild(staff);
    var when = h("section", { class: "step", "aria-labelledby": "s3" }, [h("h2", { id: "s3", text: "Pick a date and time" }), zonePicker()]);  // [U]
    main.appendChild(when);
    if (st.error && st.time === null) when.appendChild(h("p", { class: "error", "aria-live": "assertive", text: st.error }));
    if (st.slots === null) {  // [U] skeleton while loading
      when.appendChild(h("div", { class: "skeleton", "aria-busy": "true", "aria-label": "Loading availability" }, [h("div"), h("div"), h("div")]));
      return;
    }
    if (!st.slots.length) { when.appendChild(h("p", { class: "hint", text: "No times are available for this service right now." })); return; }  // [U]
    when.appendChild(h("div", { class: "picker" }, [calendar(), times()]));
    if (st.time !== null) main.appendChild(details());
  }

  var pre = cfg.services.filter(function (s) { return s.id === cfg.preselect; })[0];
  if (pre) chooseService(pre); else draw();
})();

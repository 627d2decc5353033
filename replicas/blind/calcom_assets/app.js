/* Blind Cal.com build: the booker (month grid, time column, same-page form) and the team page's tabs.
   Everything else is rendered on the server. Props come from <script id="__NEXT_DATA__">; "now" is the
   replica's clock. Availability: GET /api/public/slots (per month for the grid, per day for the times). */
(function () {
  "use strict";

  var PROPS = JSON.parse(document.getElementById("__NEXT_DATA__").textContent).props.pageProps;
  var HOOKS = PROPS.hooks !== false;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  var DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  var ZONES = ["UTC", "Europe/Helsinki", "Europe/Stockholm", "Europe/Berlin", "Europe/London", "America/New_York",
    "America/Chicago", "America/Los_Angeles", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney"];

  function tid(name) { return HOOKS ? ' data-testid="' + name + '"' : ""; }
  function h(v) {
    return String(v == null ? "" : v).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function $(sel, scope) { return (scope || document).querySelector(sel); }
  function $$(sel, scope) { return Array.prototype.slice.call((scope || document).querySelectorAll(sel)); }

  // -- team page: "Event types" / "Book a team member" tabs -----------------------------------------
  if (PROPS.page === "team") {
    var tabs = $$('[role="tab"]');
    tabs.forEach(function (tab) {
      tab.addEventListener("click", function () {
        tabs.forEach(function (other) {
          var on = other === tab;
          other.setAttribute("aria-selected", String(on));
          other.tabIndex = on ? 0 : -1;
          document.getElementById(other.getAttribute("aria-controls")).hidden = !on;
        });
      });
    });
    return;
  }
  if (PROPS.page !== "booker") return;

  // -- time helpers ----------------------------------------------------------------------------------
  function zoneOk(tz) { try { new Intl.DateTimeFormat("en", { timeZone: tz }); return true; } catch (e) { return false; } }
  var formatters = {};
  function parts(date, tz) {
    var f = formatters[tz] || (formatters[tz] = new Intl.DateTimeFormat("en-GB", {
      timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    }));
    var o = {};
    f.formatToParts(date).forEach(function (p) { o[p.type] = p.value; });
    return { y: +o.year, m: +o.month, d: +o.day, hh: +o.hour % 24, mi: +o.minute };
  }
  function key(y, m, d) { return y + "-" + two(m) + "-" + two(d); }
  function keyOf(date, tz) { var p = parts(date, tz); return key(p.y, p.m, p.d); }
  function clock(date) { // dayjs "h:mma" / "HH:mm"
    var p = parts(date, S.tz);
    if (S.h24) return two(p.hh) + ":" + two(p.mi);
    return (p.hh % 12 || 12) + ":" + two(p.mi) + (p.hh < 12 ? "am" : "pm");
  }
  function range(start, end) { // "2:00 – 2:30 pm"
    var a = clock(start), b = clock(end);
    if (S.h24) return a + " – " + b;
    var ma = a.slice(-2), mb = b.slice(-2);
    return ma === mb ? a.slice(0, -2) + " – " + b.slice(0, -2) + " " + mb
      : a.slice(0, -2) + " " + ma + " – " + b.slice(0, -2) + " " + mb;
  }
  function weekday(k) { var p = k.split("-"); return DAYS[new Date(Date.UTC(+p[0], +p[1] - 1, +p[2])).getUTCDay()]; }
  function longDay(k) { var p = k.split("-"); return weekday(k) + ", " + MONTHS[+p[1] - 1] + " " + +p[2] + ", " + p[0]; }
  function lengthText(min) { var hh = Math.floor(min / 60), mm = min % 60; return (hh ? hh + "h" : "") + (hh && mm ? " " : "") + (mm ? mm + "m" : ""); }
  function localeIs24h() {
    try {
      var cycle = new Intl.DateTimeFormat(navigator.language || "en-US", { hour: "numeric" }).resolvedOptions().hourCycle;
      return cycle === "h23" || cycle === "h24";
    } catch (e) { return false; }
  }

  // -- state -----------------------------------------------------------------------------------------
  var EV = PROPS.event;
  var NOW = new Date(PROPS.now);
  var QUERY = new URLSearchParams(location.search);
  var NS = QUERY.get("embed") || "";
  var S = { tz: "UTC", h24: false, view: null, month: null, date: null, day: null, slot: null, mseq: 0, dseq: 0 };
  var main = document.getElementById("booker-main");
  var when = document.getElementById("booker-when");

  function emit(type, data) {
    if (window.parent === window) return;
    try {
      window.parent.postMessage({ originator: "CAL", type: type, namespace: NS, fullType: "CAL:" + NS + ":" + type, data: data || {} }, "*");
    } catch (e) { /* cross-origin parent gone */ }
  }
  function setUrl(changes) {
    var q = new URLSearchParams(location.search);
    Object.keys(changes).forEach(function (k) { if (changes[k] == null) q.delete(k); else q.set(k, changes[k]); });
    var s = q.toString();
    history.replaceState(history.state, "", location.pathname + (s ? "?" + s : ""));
  }
  function idx(v) { return v.y * 12 + v.m - 1; }
  function unidx(i) { return { y: Math.floor(i / 12), m: i % 12 + 1 }; }
  function firstMonth() { return idx(parts(NOW, S.tz)); }
  function lastMonth() {
    var last = firstMonth() + 11;
    if (PROPS.lastSlot) last = Math.max(last, idx(parts(new Date(PROPS.lastSlot), S.tz)));
    return last;
  }
  function get(params) {
    var q = new URLSearchParams(params);
    q.set("eventTypeId", EV.id);
    q.set("timeZone", S.tz);
    return fetch("/api/public/slots?" + q.toString(), { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (body) { return body.data || {}; });
  }

  // -- sidebar ---------------------------------------------------------------------------------------
  function drawWhen() {
    if (!S.date && !S.slot) { when.hidden = true; when.innerHTML = ""; return; }
    var html = "";
    if (S.slot) {
      var start = new Date(S.slot), end = new Date(start.getTime() + EV.length * 60000);
      html = "<div>" + h(longDay(keyOf(start, S.tz))) + "</div><div>" + h(range(start, end)) + "</div>";
    } else {
      html = "<div>" + h(longDay(S.date)) + "</div>";
    }
    when.innerHTML = html;
    when.hidden = false;
  }
  function setupZones() {
    var select = document.getElementById("booker-tz");
    var list = [S.tz].concat(ZONES.filter(function (z) { return z !== S.tz; }));
    select.innerHTML = list.map(function (z) {
      return '<option value="' + h(z) + '"' + (z === S.tz ? " selected" : "") + ">" + h(z.replace(/_/g, " ")) + "</option>";
    }).join("");
    select.addEventListener("change", function () {
      S.tz = select.value;
      if (S.slot) { drawWhen(); return; }
      S.day = null;
      if (S.date) { S.date = null; setUrl({ date: null }); drawWhen(); }
      S.view = unidx(Math.min(Math.max(idx(S.view), firstMonth()), lastMonth()));
      showCalendar();
    });
  }

  // -- calendar and time column ----------------------------------------------------------------------
  var CHEV_L = '<svg aria-hidden="true" viewBox="0 0 16 16" width="16" height="16"><path d="M10 3L5 8l5 5" fill="none" stroke="currentColor" stroke-width="1.5"/></svg>';
  var CHEV_R = '<svg aria-hidden="true" viewBox="0 0 16 16" width="16" height="16"><path d="M6 3l5 5-5 5" fill="none" stroke="currentColor" stroke-width="1.5"/></svg>';

  function showCalendar() {
    S.slot = null;
    S.day = null;
    main.setAttribute("aria-busy", "true");
    main.innerHTML =
      '<div class="css-p2d7ke"><div class="css-p0h9rs"><div class="css-l4n2ox" aria-live="polite" id="booker-month"></div>' +
      '<div class="css-p0h9rs-n"><button type="button" class="css-n8c1fa"' + tid("decrementMonth") + ">" +
      '<span class="css-v1s0rz">View previous month</span>' + CHEV_L + "</button>" +
      '<button type="button" class="css-n8c1fa"' + tid("incrementMonth") + ">" +
      '<span class="css-v1s0rz">View next month</span>' + CHEV_R + "</button></div></div>" +
      '<table class="css-g5x3wb" role="grid" aria-labelledby="booker-month"><thead><tr>' +
      ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].map(function (d) { return '<th scope="col" abbr="' + d + '">' + d.toUpperCase() + "</th>"; }).join("") +
      '</tr></thead><tbody id="booker-days"></tbody></table></div>' +
      '<div class="css-c9t4uj" id="booker-times"></div>';
    var nav = $$(".css-n8c1fa", main);
    nav[0].addEventListener("click", function () { moveMonth(-1); });
    nav[1].addEventListener("click", function () { moveMonth(1); });
    drawTimes();
    loadMonth();
  }
  function moveMonth(step) {
    var target = idx(S.view) + step;
    if (target < firstMonth() || target > lastMonth()) return;
    S.view = unidx(target);
    S.date = null; S.day = null;
    setUrl({ month: key(S.view.y, S.view.m, 1).slice(0, 7), date: null, slot: null });
    drawWhen();
    drawTimes();
    loadMonth();
  }
  function loadMonth() {
    var seq = ++S.mseq;
    S.month = null;
    drawGrid();
    get({ month: key(S.view.y, S.view.m, 1).slice(0, 7) }).then(function (data) {
      if (seq !== S.mseq) return;
      S.month = data;
      main.setAttribute("aria-busy", "false");
      drawGrid();
      if (S.date && !(S.month[S.date] || []).length) { S.date = null; S.day = null; setUrl({ date: null }); drawWhen(); drawTimes(); }
      else if (S.date && S.day == null) loadDay();
      emit("linkReady");
    }).catch(function () {
      if (seq !== S.mseq) return;
      main.setAttribute("aria-busy", "false");
      $("#booker-days", main).innerHTML = '<tr><td colspan="7"><div role="alert" class="css-er1f0q">We could not load the ' +
        'availability. <button type="button" class="css-k8e2ry">Try again</button></div></td></tr>';
      $("#booker-days button", main).addEventListener("click", loadMonth);
    });
  }
  function drawGrid() {
    var y = S.view.y, m = S.view.m;
    $("#booker-month", main).innerHTML = "<strong>" + MONTHS[m - 1] + "</strong> <span>" + y + "</span>";
    var nav = $$(".css-n8c1fa", main);
    nav[0].disabled = idx(S.view) <= firstMonth();
    nav[1].disabled = idx(S.view) >= lastMonth();
    var lead = (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7;
    var count = new Date(Date.UTC(y, m, 0)).getUTCDate();
    var today = parts(NOW, S.tz), todayKey = key(today.y, today.m, today.d);
    var cells = [], rows = [];
    for (var i = 0; i < lead; i++) cells.push('<td role="gridcell"></td>');
    for (var d = 1; d <= count; d++) {
      var k = key(y, m, d), open = !!(S.month && (S.month[k] || []).length) && k >= todayKey;
      cells.push('<td role="gridcell"' + (k === S.date ? ' aria-selected="true"' : "") + '><button type="button" class="css-d1y6qh"' +
        tid("day") + ' data-disabled="' + !open + '"' + (open ? "" : " disabled") + ' value="' + k + '"' +
        (k === S.date ? ' aria-pressed="true"' : ' aria-pressed="false"') + ">" + d +
        (k === todayKey ? '<span class="css-v1s0rz">today</span>' : "") + "</button></td>");
    }
    while (cells.length % 7) cells.push('<td role="gridcell"></td>');
    for (var r = 0; r < cells.length; r += 7) rows.push("<tr>" + cells.slice(r, r + 7).join("") + "</tr>");
    var body = $("#booker-days", main);
    body.innerHTML = rows.join("");
    $$("button", body).forEach(function (b) {
      b.addEventListener("click", function () { if (!b.disabled) pickDate(b.value); });
    });
  }
  function pickDate(k) {
    S.date = k;
    S.day = null;
    setUrl({ month: k.slice(0, 7), date: k, slot: null });
    $$("#booker-days td", main).forEach(function (td) {
      var b = $("button", td), on = !!b && b.value === k;
      if (on) td.setAttribute("aria-selected", "true"); else td.removeAttribute("aria-selected");
      if (b) b.setAttribute("aria-pressed", String(on));
    });
    drawWhen();
    loadDay();
  }
  function loadDay() {
    var seq = ++S.dseq, k = S.date;
    S.day = null;
    drawTimes();
    get({ date: k }).then(function (data) {
      if (seq !== S.dseq || k !== S.date) return;
      S.day = (data[k] || []).map(function (s) { return new Date(s.start).toISOString(); });
      drawTimes();
    }).catch(function () {
      if (seq !== S.dseq) return;
      var list = $("#booker-times .css-b7k0list", main);
      if (list) list.innerHTML = '<div role="alert" class="css-er1f0q">Could not load the times for this day.</div>';
    });
  }
  function drawTimes() {
    var column = $("#booker-times", main);
    if (!column) return;
    if (!S.date) {
      column.innerHTML = '<p class="css-t2m8dq css-c9t4uj-e">Pick a day to see the available times.</p>';
      return;
    }
    var p = S.date.split("-");
    var head = '<div class="css-r3e8kv"><h3 class="css-r3e8kv-d">' + weekday(S.date).slice(0, 3) + ' <span>' + p[2] + "</span></h3>" +
      '<div class="css-o6s2gl" role="radiogroup" aria-labelledby="booker-format-label">' +
      '<span id="booker-format-label" class="css-v1s0rz">Time format</span>' +
      '<label><input type="radio" name="timeFormat" value="12"' + (S.h24 ? "" : " checked") + "><span>12h</span></label>" +
      '<label><input type="radio" name="timeFormat" value="24"' + (S.h24 ? " checked" : "") + "><span>24h</span></label></div></div>";
    var list;
    if (S.day == null) {
      list = [0, 1, 2, 3, 4, 5].map(function () { return '<div class="css-s2q5ni" aria-hidden="true"></div>'; }).join("") +
        '<span class="css-v1s0rz" role="status">Loading available times…</span>';
    } else if (!S.day.length) {
      list = '<p class="css-t2m8dq"' + tid("no-slots-available") + ">No available slots on this day.</p>";
    } else {
      list = S.day.map(function (iso) {
        return '<button type="button" class="css-b7k0mz"' + tid("time") + ' data-disabled="false" data-time="' + h(iso) + '">' +
          h(clock(new Date(iso))) + "</button>";
      }).join("");
    }
    column.innerHTML = head + '<div class="css-b7k0list">' + list + "</div>";
    $$('input[name="timeFormat"]', column).forEach(function (radio) {
      radio.addEventListener("change", function () {
        S.h24 = radio.value === "24";
        try { localStorage.setItem("timeOption.is24hClock", String(S.h24)); } catch (e) { /* storage off */ }
        drawTimes();
        drawWhen();
      });
    });
    $$("button.css-b7k0mz", column).forEach(function (b) {
      b.addEventListener("click", function () { pickSlot(b.getAttribute("data-time"), b); });
    });
  }
  function pickSlot(iso, button) {
    S.slot = iso;
    setUrl({ slot: iso });
    drawWhen();
    if (PROPS.faults.formNeverRenders) { // fault: the form is "loading" for ever
      if (button) button.setAttribute("aria-pressed", "true");
      var column = $("#booker-times", main);
      if (column && !$(".css-x4j7cd", column)) column.insertAdjacentHTML("beforeend", '<div class="css-x4j7cd" role="status"><span class="css-v1s0rz">Loading…</span></div>');
      return;
    }
    showForm();
  }

  // -- the booking form ------------------------------------------------------------------------------
  function textField(name, label, type, required, value, mark) {
    var control = type === "textarea"
      ? '<textarea class="css-i6w2ne" name="' + h(name) + '" rows="4"' + (required ? " required" : "") + ">" + h(value) + "</textarea>"
      : '<input class="css-i6w2ne" name="' + h(name) + '" type="' + type + '"' + (required ? " required" : "") + ' value="' + h(value) + '"' +
        (name === "name" ? ' autocomplete="name"' : name === "email" ? ' autocomplete="email"' : "") + ">";
    return '<label class="css-a9l3hr"><span class="css-a9l3hr-t">' + h(label) + (required ? '<span class="css-a9l3hr-r">' + mark + "</span>" : "") +
      "</span>" + control + "</label>";
  }
  function showForm() {
    main.setAttribute("aria-busy", "false");
    var guests = QUERY.getAll("guests").filter(Boolean);
    var custom = EV.fields.map(function (f) {
      var type = f.type === "phone" ? "tel" : f.type === "email" ? "email" : f.type === "textarea" ? "textarea" : "text";
      return textField(f.name, f.label, type, f.required, QUERY.get(f.name) || "", " *");
    }).join("");
    main.innerHTML = '<form class="css-q1v8fe">' +
      textField("name", "Your name", "text", true, QUERY.get("name") || "", "*") +
      textField("email", "Email address", "email", true, QUERY.get("email") || "", " *") +
      textField("notes", "Additional notes", "textarea", false, QUERY.get("notes") || "") +
      '<div class="css-q1v8fe-g" id="booker-guests"></div>' +
      '<button type="button" class="css-k8e2ry css-q1v8fe-ag"' + tid("add-guests") + ">+ Add guests</button>" +
      custom +
      '<div class="css-y0z5ab"><button type="button" class="css-k8e2ry"' + tid("back") + ">Back</button>" +
      '<button type="submit" class="css-j3u6pt"' + tid("confirm-book-button") + ">Confirm</button></div></form>";
    var form = $("form", main);
    var box = $("#booker-guests", form);
    function addGuest(value) {
      var n = $$("input", box).length;
      box.insertAdjacentHTML("beforeend", '<input class="css-i6w2ne" type="email" name="guests.' + n + '" aria-label="Guest email ' +
        (n + 1) + '" placeholder="guest@example.com" value="' + h(value || "") + '">');
    }
    guests.forEach(addGuest);
    $(".css-q1v8fe-ag", form).addEventListener("click", function () { addGuest(""); $$("input", box).pop().focus(); });
    $(".css-y0z5ab .css-k8e2ry", form).addEventListener("click", function () {
      setUrl({ slot: null });
      drawWhen();
      showCalendar();
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); submit(form); });
  }
  function submit(form) {
    var button = $('button[type="submit"]', form);
    var old = $(".css-er1f0q", form);
    if (old) old.remove();
    var responses = { guests: [] };
    Array.prototype.forEach.call(form.elements, function (f) {
      if (!f.name) return;
      if (/^guests\.\d+$/.test(f.name)) { if (f.value.trim()) responses.guests.push(f.value.trim()); return; }
      responses[f.name] = f.value.trim();
    });
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    var start = new Date(S.slot), end = new Date(start.getTime() + EV.length * 60000);
    fetch("/api/book/event", {
      method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ eventTypeId: EV.id, eventTypeSlug: EV.slug, user: PROPS.username || PROPS.teamSlug,
        start: start.toISOString(), end: end.toISOString(), timeZone: S.tz, language: "en", responses: responses,
        metadata: {}, hasHashedBookingLink: false, routedTeamMemberIds: null })
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (res) {
      if (!res.ok) { fail(form, res.body.message); return; }
      var data = { uid: res.body.uid, title: res.body.title, startTime: res.body.startTime, endTime: res.body.endTime,
        status: res.body.status };
      emit("bookingSuccessfulV2", data);
      emit("bookingSuccessful", { booking: data, eventType: { id: EV.id, slug: EV.slug }, confirmed: data.status === "ACCEPTED" });
      var q = new URLSearchParams({ isSuccessBookingPage: "true", email: responses.email, eventTypeSlug: EV.slug, "flag.coep": "false" });
      if (PROPS.embed) q.set("embed", NS);
      location.assign("/booking/" + encodeURIComponent(res.body.uid) + "?" + q.toString());
    }).catch(function () { fail(form, "Check your connection and try again."); });
  }
  function fail(form, message) {
    var button = $('button[type="submit"]', form);
    $(".css-y0z5ab", form).insertAdjacentHTML("beforebegin", '<div role="alert" class="css-er1f0q"' + tid("booking-fail") + ">" +
      "<strong>Could not book the meeting.</strong> <span></span></div>");
    $(".css-er1f0q span", form).textContent = message || "";
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }

  // -- start -----------------------------------------------------------------------------------------
  var browserTz = (Intl.DateTimeFormat().resolvedOptions() || {}).timeZone;
  S.tz = PROPS.displayTimezone && zoneOk(PROPS.displayTimezone) ? PROPS.displayTimezone : browserTz && zoneOk(browserTz) ? browserTz : "UTC";
  S.h24 = localeIs24h();
  try {
    var stored = localStorage.getItem("timeOption.is24hClock");
    if (stored === "true" || stored === "false") S.h24 = stored === "true";
  } catch (e) { /* storage off */ }
  if (PROPS.force24h) S.h24 = true;
  setupZones();
  var qm = /^(\d{4})-(\d{2})$/.exec(QUERY.get("month") || "");
  var qd = /^\d{4}-\d{2}-\d{2}$/.test(QUERY.get("date") || "") ? QUERY.get("date") : null;
  var want = qm ? +qm[1] * 12 + +qm[2] - 1 : qd ? +qd.slice(0, 4) * 12 + +qd.slice(5, 7) - 1 : firstMonth();
  S.view = unidx(Math.min(Math.max(want, firstMonth()), lastMonth()));
  if (qd && qd.slice(0, 7) === key(S.view.y, S.view.m, 1).slice(0, 7)) S.date = qd;
  var qs = QUERY.get("slot");
  setUrl({ month: key(S.view.y, S.view.m, 1).slice(0, 7) });
  if (qs && !isNaN(new Date(qs).getTime())) {
    S.slot = new Date(qs).toISOString();
    drawWhen();
    if (PROPS.faults.formNeverRenders) main.innerHTML = '<div class="css-x4j7cd" role="status"><span class="css-v1s0rz">Loading…</span></div>';
    else showForm();
  } else {
    drawWhen();
    showCalendar();
  }
})();

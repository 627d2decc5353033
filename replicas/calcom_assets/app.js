/* Cal.com replica: profile/team pages, the booker (month view + same-page form) and the success page.
   Rendered from the JSON config in <script id="booking-config">; "now" is the replica's clock. Hooks follow
   research/platforms.md §2 (data-testid="day"/"time"/"confirm-book-button"/"success-page"...). */
(function () {
  "use strict";

  var CONFIG = JSON.parse(document.getElementById("booking-config").textContent);
  var NOW = new Date(CONFIG.now);
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  var WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  var root = document.getElementById("root");

  function esc(v) {
    return String(v == null ? "" : v).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function ymd(y, m, d) { return y + "-" + pad(m) + "-" + pad(d); }
  function validZone(tz) {
    try { new Intl.DateTimeFormat("en-US", { timeZone: tz }); return true; } catch (e) { return false; }
  }
  function browserZone() {
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return tz && validZone(tz) ? tz : "UTC";
  }
  var cache = {};
  function zparts(date, tz) {
    var f = cache[tz] || (cache[tz] = new Intl.DateTimeFormat("en-US", {
      timeZone: tz, year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric",
      hourCycle: "h23", weekday: "short"
    }));
    var o = {};
    f.formatToParts(date).forEach(function (p) { o[p.type] = p.value; });
    return { y: +o.year, m: +o.month, d: +o.day, hh: +o.hour % 24, mm: +o.minute, wd: o.weekday };
  }
  /** dayjs "h:mma" → "9:00am"; "HH:mm" → "09:00" */
  function timeText(date, tz, h24) {
    var p = zparts(date, tz);
    return h24 ? pad(p.hh) + ":" + pad(p.mm) : (p.hh % 12 || 12) + ":" + pad(p.mm) + (p.hh < 12 ? "am" : "pm");
  }
  function longDate(date, tz) {
    var p = zparts(date, tz);
    return WEEKDAYS[new Date(Date.UTC(p.y, p.m - 1, p.d)).getUTCDay()] + ", " + MONTHS[p.m - 1] + " " + p.d + ", " + p.y;
  }
  function lengthText(minutes) {
    var h = Math.floor(minutes / 60), m = minutes % 60;
    return (h ? h + "h" : "") + (h && m ? " " : "") + (m ? m + "m" : "");
  }
  function el(html) {
    var t = document.createElement("template");
    t.innerHTML = html.trim();
    return t.content.firstElementChild;
  }
  function post(message) {
    if (window.parent !== window) {
      try { window.parent.postMessage(Object.assign({ originator: "CAL", namespace: EMBED_NS }, message), "*"); } catch (e) { /* ignore */ }
    }
  }
  var QUERY = new URLSearchParams(location.search);
  var EMBED_NS = QUERY.get("embed") || "";

  // -- profile and team pages ---------------------------------------------------------------------
  function renderProfile() {
    var cards = CONFIG.cards.map(function (c) {
      return '<li><a data-testid="event-type-link" class="card" href="' + esc(c.href) + '">' +
        '<h2 data-testid="event-type-title">' + esc(c.title) + "</h2>" +
        '<span class="badge">' + esc(lengthText(c.length)) + "</span>" +
        (c.requires_confirmation ? '<span class="badge">Requires confirmation</span>' : "") + "</a></li>";
    }).join("");
    var members = "";
    if (CONFIG.members && CONFIG.members.length) {
      // [U] invented hooks for the "Book a team member" list
      members = '<section class="members"><button type="button" data-testid="book-a-team-member-btn">Book a team member</button>' +
        '<ul data-testid="team-members-container" hidden>' + CONFIG.members.map(function (m) {
          return '<li><a data-testid="team-member" href="' + esc(m.href) + '"><span data-testid="team-member-name">' +
            esc(m.name) + "</span></a></li>";
        }).join("") + "</ul></section>";
    }
    root.innerHTML = '<main class="profile"><h1 data-testid="name-title">' + esc(CONFIG.name) + "</h1>" +
      '<ul data-testid="event-types" class="event-types">' + cards + "</ul>" + members + "</main>";
    var toggle = root.querySelector('[data-testid="book-a-team-member-btn"]');
    if (toggle) toggle.addEventListener("click", function () {
      root.querySelector('[data-testid="team-members-container"]').hidden = false;
      toggle.hidden = true;
    });
  }

  function renderNotFound() {
    root.innerHTML = '<main class="profile"><h1>404</h1><p>This page could not be found.</p></main>';
  }

  // -- the booker -----------------------------------------------------------------------------------
  var EV = CONFIG.event;
  var S = { tz: null, view: null, slots: null, date: null, slot: null, h24: false, seq: 0 };

  function monthIndex(v) { return v.y * 12 + v.m - 1; }
  function fromIndex(i) { return { y: Math.floor(i / 12), m: i % 12 + 1 }; }
  function todayParts() { return zparts(NOW, S.tz); }
  function minMonth() { var t = todayParts(); return monthIndex(t); }
  function maxMonth() {
    var max = minMonth() + 2;
    if (CONFIG.last_slot) max = Math.max(max, monthIndex(zparts(new Date(CONFIG.last_slot), S.tz)));
    return max;
  }
  function setQuery(changes) {
    var q = new URLSearchParams(location.search);
    Object.keys(changes).forEach(function (k) {
      if (changes[k] == null) q.delete(k); else q.set(k, changes[k]);
    });
    var s = q.toString();
    history.replaceState(null, "", location.pathname + (s ? "?" + s : ""));
  }

  function shell() {
    var hosts = CONFIG.team_slug ? CONFIG.owner_name : CONFIG.hosts.join(", ");
    root.innerHTML =
      '<div data-testid="booker-container" class="booker' + (CONFIG.embed ? " embed" : "") + '">' +
      '<div data-testid="event-meta" class="meta">' +
      '<p data-testid="event-meta-host" class="subtle">' + esc(hosts) + "</p>" +
      '<h1 data-testid="event-title">' + esc(EV.title) + "</h1>" +
      '<div data-testid="event-meta-date" class="when" hidden></div>' +
      '<ul class="facts"><li><span>' + esc(lengthText(EV.length)) + "</span></li>" +
      "<li><span>Cal Video</span></li>" +
      (EV.requires_confirmation ? '<li><span data-testid="requires-confirmation">Requires confirmation</span></li>' : "") +
      // [U] invented testid: the "Timezone Select" combobox shows the zone times are displayed in
      '<li><span data-testid="event-meta-current-timezone" role="combobox" aria-label="Timezone Select">' +
      esc(S.tz) + "</span></li></ul></div>" +
      '<div data-testid="booker-main" class="main"></div></div>';
  }
  function main() { return root.querySelector('[data-testid="booker-main"]'); }

  function renderCalendar() {
    var meta = root.querySelector('[data-testid="event-meta-date"]');
    meta.hidden = true;
    main().innerHTML =
      '<div class="datepicker"><div class="dp-header"><h2 class="month" aria-live="polite">' +
      '<span data-testid="selected-month-label"></span></h2>' +
      '<button type="button" data-testid="decrementMonth" aria-label="View previous month">&#8249;</button>' +
      '<button type="button" data-testid="incrementMonth" aria-label="View next month">&#8250;</button></div>' +
      '<div class="weekdays">' + WEEKDAYS.map(function (w) { return "<span>" + w.slice(0, 3).toUpperCase() + "</span>"; }).join("") +
      '</div><div class="days" data-testid="days"></div></div><div class="times" data-testid="times-column"></div>';
    main().querySelector('[data-testid="decrementMonth"]').addEventListener("click", function () { changeMonth(-1); });
    main().querySelector('[data-testid="incrementMonth"]').addEventListener("click", function () { changeMonth(1); });
    loadMonth();
  }

  function changeMonth(step) {
    var target = monthIndex(S.view) + step;
    if (target < minMonth() || target > maxMonth()) return;
    S.view = fromIndex(target);
    S.date = null;
    setQuery({ month: ymd(S.view.y, S.view.m, 1).slice(0, 7), date: null, slot: null });
    loadMonth();
  }

  function loadMonth() {
    var seq = ++S.seq, view = S.view;
    S.slots = null;
    var label = main().querySelector('[data-testid="selected-month-label"]');
    label.innerHTML = "<strong>" + MONTHS[view.m - 1] + "</strong> " + view.y;
    main().querySelector('[data-testid="decrementMonth"]').disabled = monthIndex(view) <= minMonth();
    main().querySelector('[data-testid="incrementMonth"]').disabled = monthIndex(view) >= maxMonth();
    main().querySelector('[data-testid="days"]').innerHTML = '<div data-testid="calendar-loader" role="status">Loading…</div>';
    renderTimes();
    var start = new Date(Date.UTC(view.y, view.m - 1, 1) - 86400000), end = new Date(Date.UTC(view.y, view.m, 1) + 86400000);
    var input = { json: { isTeamEvent: !!CONFIG.team_slug, usernameList: CONFIG.username ? [CONFIG.username] : [],
      teamSlug: CONFIG.team_slug, eventTypeSlug: EV.slug, eventTypeId: EV.id, startTime: start.toISOString(),
      endTime: end.toISOString(), timeZone: S.tz, duration: null } };
    fetch("/api/trpc/slots/getSchedule?input=" + encodeURIComponent(JSON.stringify(input)))
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (data) {
        if (seq !== S.seq) return;
        S.slots = data.result.data.json.slots;
        if (S.date && !(S.slots[S.date] || []).length) S.date = null;
        renderDays();
        renderTimes();
      }).catch(function () {
        if (seq !== S.seq) return;
        main().querySelector('[data-testid="days"]').innerHTML = '<div role="alert">Could not load the available times.</div>';
      });
  }

  function renderDays() {
    var y = S.view.y, m = S.view.m, first = new Date(Date.UTC(y, m - 1, 1)).getUTCDay();
    var count = new Date(Date.UTC(y, m, 0)).getUTCDate(), today = todayParts(), cells = [];
    for (var i = 0; i < first; i++) cells.push('<span class="pad"></span>');
    for (var d = 1; d <= count; d++) {
      var key = ymd(y, m, d), open = (S.slots[key] || []).length > 0;
      var isToday = today.y === y && today.m === m && today.d === d;
      cells.push('<button type="button" data-testid="day" data-disabled="' + !open + '"' + (open ? "" : " disabled") +
        ' data-date="' + key + '" class="day' + (key === S.date ? " selected" : "") + '">' + d +
        (isToday ? '<span class="sr-only">today</span>' : "") + "</button>");
    }
    var days = main().querySelector('[data-testid="days"]');
    days.innerHTML = cells.join("");
    days.querySelectorAll('button[data-testid="day"]').forEach(function (b) {
      b.addEventListener("click", function () { selectDate(b.getAttribute("data-date")); });
    });
  }

  function selectDate(key) {
    if (!S.slots || !(S.slots[key] || []).length) return;
    S.date = key;
    setQuery({ month: key.slice(0, 7), date: key, slot: null });
    main().querySelectorAll('button[data-testid="day"]').forEach(function (b) {
      b.classList.toggle("selected", b.getAttribute("data-date") === key);
    });
    renderTimes();
  }

  function renderTimes() {
    var column = main().querySelector('[data-testid="times-column"]');
    if (!column) return;
    if (!S.date || !S.slots) { column.innerHTML = ""; return; }
    var list = S.slots[S.date] || [];
    var p = S.date.split("-"), day = new Date(Date.UTC(+p[0], +p[1] - 1, +p[2]));
    var header = '<div class="times-header"><span class="day-name">' + WEEKDAYS[day.getUTCDay()].slice(0, 3) +
      ' <span class="day-number">' + p[2] + "</span></span>" +
      '<div role="radiogroup" aria-label="Time format" class="toggle">' +
      '<button type="button" role="radio" aria-checked="' + !S.h24 + '" data-format="12">12h</button>' +
      '<button type="button" role="radio" aria-checked="' + S.h24 + '" data-format="24">24h</button></div></div>';
    var body = list.length ? list.map(function (s) {
      return '<button type="button" data-testid="time" data-disabled="false" data-time="' + esc(s.time) + '" class="time">' +
        '<span class="dot"></span>' + esc(timeText(new Date(s.time), S.tz, S.h24)) + "</button>";
    }).join("") : '<div data-testid="no-slots-available">No available slots</div>';
    column.innerHTML = header + '<div class="time-list">' + body + "</div>";
    column.querySelectorAll('[role="radio"]').forEach(function (b) {
      b.addEventListener("click", function () {
        S.h24 = b.getAttribute("data-format") === "24";
        try { localStorage.setItem("timeOption.is24hClock", String(S.h24)); } catch (e) { /* ignore */ }
        renderTimes();
      });
    });
    column.querySelectorAll('button[data-testid="time"]').forEach(function (b) {
      b.addEventListener("click", function () { selectSlot(b.getAttribute("data-time")); });
    });
  }

  function selectSlot(iso) {
    if (CONFIG.faults.form_never_renders) return; // fault: the click goes nowhere
    S.slot = iso;
    setQuery({ slot: iso });
    renderForm();
  }

  // -- the booking form ----------------------------------------------------------------------------
  function field(name, label, type, required, value) {
    var control = type === "textarea"
      ? '<textarea id="' + name + '" name="' + name + '" rows="3"' + (required ? " required" : "") + ">" + esc(value) + "</textarea>"
      : '<input id="' + name + '" name="' + name + '" type="' + type + '"' + (required ? " required" : "") + ' value="' + esc(value) + '">';
    return '<div class="field"><label for="' + name + '">' + esc(label) + (required ? '<span class="req"> *</span>' : "") +
      "</label>" + control + "</div>";
  }

  function renderForm() {
    var start = new Date(S.slot), end = new Date(start.getTime() + EV.length * 60000);
    var meta = root.querySelector('[data-testid="event-meta-date"]');
    meta.hidden = false;
    meta.innerHTML = "<div>" + esc(longDate(start, S.tz)) + "</div><div>" + esc(timeText(start, S.tz, S.h24)) +
      " – " + esc(timeText(end, S.tz, S.h24)) + "</div>";
    var fields = field("name", "Your name", "text", true, QUERY.get("name") || "") +
      field("email", "Email address", "email", true, QUERY.get("email") || "") +
      EV.fields.map(function (f) {
        var type = f.type === "phone" ? "tel" : f.type === "textarea" ? "textarea" : f.type === "email" ? "email" : "text";
        return field(f.name, f.label, type, f.required, QUERY.get(f.name) || "");
      }).join("") +
      field("notes", "Additional notes", "textarea", false, QUERY.get("notes") || "");
    main().innerHTML = '<form data-testid="booking-form" class="booking-form" novalidate>' + fields +
      '<div class="guests"><button type="button" data-testid="add-guests">Add guests</button></div>' +
      '<div class="actions"><button type="button" data-testid="back">Back</button>' +
      '<button type="submit" data-testid="confirm-book-button">Confirm</button></div></form>';
    var form = main().querySelector("form");
    form.querySelector('[data-testid="notes"], textarea[name="notes"]').placeholder =
      "Please share anything that will help prepare for our meeting.";
    form.querySelector('[data-testid="add-guests"]').addEventListener("click", function (e) {
      var input = el('<input type="email" name="guests" placeholder="Email">');
      e.currentTarget.parentNode.insertBefore(input, e.currentTarget);
    });
    form.querySelector('[data-testid="back"]').addEventListener("click", function () {
      S.slot = null;
      setQuery({ slot: null });
      renderCalendar();
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); book(form); });
  }

  function book(form) {
    var button = form.querySelector('[data-testid="confirm-book-button"]');
    var old = form.querySelector('[data-testid="booking-fail"]');
    if (old) old.remove();
    var responses = {}, missing = [];
    Array.prototype.forEach.call(form.elements, function (f) {
      if (!f.name || f.name === "guests") return;
      responses[f.name] = f.value.trim();
      f.removeAttribute("aria-invalid");
      if (f.required && !f.value.trim()) { missing.push(f); f.setAttribute("aria-invalid", "true"); }
    });
    responses.guests = Array.prototype.map.call(form.querySelectorAll('input[name="guests"]'), function (g) { return g.value.trim(); })
      .filter(Boolean);
    if (missing.length) return;
    button.disabled = true;
    var start = new Date(S.slot), end = new Date(start.getTime() + EV.length * 60000);
    fetch("/api/book/event", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ responses: responses, start: start.toISOString(), end: end.toISOString(), eventTypeId: EV.id,
        eventTypeSlug: EV.slug, timeZone: S.tz, language: "en", metadata: {}, hasHashedBookingLink: false })
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (d) { return { ok: r.ok, data: d }; });
    }).then(function (res) {
      if (!res.ok) { fail(form, res.data.message); return; }
      post({ type: "bookingSuccessfulV2", data: { uid: res.data.uid, title: res.data.title, startTime: res.data.startTime,
        endTime: res.data.endTime, status: res.data.status } });
      var q = new URLSearchParams({ isSuccessBookingPage: "true", email: responses.email, eventTypeSlug: EV.slug });
      if (CONFIG.embed) q.set("embed", EMBED_NS);
      location.assign("/booking/" + encodeURIComponent(res.data.uid) + "?" + q.toString());
    }).catch(function () { fail(form, "Network error"); });
  }
  function fail(form, message) {
    var box = el('<div data-testid="booking-fail" role="alert" class="fail"></div>');
    box.textContent = "Could not book the meeting. " + (message || "");
    form.insertBefore(box, form.querySelector(".actions"));
    form.querySelector('[data-testid="confirm-book-button"]').disabled = false;
  }

  function startBooker() {
    S.tz = CONFIG.display_timezone && validZone(CONFIG.display_timezone) ? CONFIG.display_timezone : browserZone();
    try { S.h24 = localStorage.getItem("timeOption.is24hClock") === "true"; } catch (e) { S.h24 = false; }
    if (CONFIG.time_format_24h) S.h24 = true;
    shell();
    var month = /^(\d{4})-(\d{2})$/.exec(QUERY.get("month") || ""), date = /^\d{4}-\d{2}-\d{2}$/.test(QUERY.get("date") || "") ? QUERY.get("date") : null;
    var index = month ? +month[1] * 12 + +month[2] - 1 : date ? +date.slice(0, 4) * 12 + +date.slice(5, 7) - 1 : minMonth();
    S.view = fromIndex(Math.min(Math.max(index, minMonth()), maxMonth()));
    S.date = date && date.slice(0, 7) === ymd(S.view.y, S.view.m, 1).slice(0, 7) ? date : null;
    var slot = QUERY.get("slot");
    if (slot && !isNaN(new Date(slot).getTime()) && !CONFIG.faults.form_never_renders) { S.slot = new Date(slot).toISOString(); renderForm(); }
    else renderCalendar();
    post({ type: "linkReady", data: {} });
  }

  // -- success / status page -----------------------------------------------------------------------
  function renderSuccess() {
    var b = CONFIG.booking, tz = b.display_timezone && validZone(b.display_timezone) ? b.display_timezone : browserZone();
    var start = new Date(b.start), end = new Date(b.end);
    var headline, subtitle, cancelled = b.status === "cancelled" || b.status === "rejected";
    if (b.status === "accepted") { headline = "This meeting is scheduled"; subtitle = "We sent an email with a calendar invitation with the details to everyone."; }
    else if (b.status === "pending") { headline = "Your booking has been submitted"; subtitle = b.host_name + " still needs to confirm or reject the booking."; }
    else if (b.status === "rejected") { headline = "This event is cancelled"; subtitle = "The host rejected this booking."; } // [U] wording
    else { headline = "This event is cancelled"; subtitle = "This booking has been cancelled."; }
    root.innerHTML = '<main data-testid="success-page" class="success">' +
      '<h3 id="modal-headline"' + (cancelled ? ' data-testid="cancelled-headline"' : "") + ">" + esc(headline) + "</h3>" +
      '<p class="subtle">' + esc(subtitle) + "</p><dl>" +
      '<dt>What</dt><dd data-testid="booking-title">' + esc(b.title) + "</dd>" +
      "<dt>When</dt><dd>" + esc(longDate(start, tz)) + "<br>" + esc(timeText(start, tz, false)) + " - " +
      esc(timeText(end, tz, false)) + " (" + esc(tz) + ")</dd>" +
      '<dt>Who</dt><dd><p><span data-testid="booking-host-name">' + esc(b.host_name) + '</span> <span class="badge">Host</span></p>' +
      "<p>" + esc(b.host_email) + '</p><p data-testid="attendee-name-' + esc(b.name) + '">' + esc(b.name) + "</p>" +
      '<p data-testid="attendee-email-' + esc(b.email) + '">' + esc(b.email) + "</p></dd>" +
      "<dt>Where</dt><dd>Cal Video</dd>" +
      (b.notes ? "<dt>Additional notes</dt><dd>" + esc(b.notes) + "</dd>" : "") + "</dl>" +
      (cancelled ? "" : '<p class="links">Need to make a change? <a data-testid="reschedule-link" href="#">Reschedule</a> or ' +
        '<a data-testid="cancel" href="#">Cancel</a></p>') + "</main>";
  }

  if (CONFIG.page === "profile") renderProfile();
  else if (CONFIG.page === "booker") startBooker();
  else if (CONFIG.page === "success") renderSuccess();
  else renderNotFound();
})();

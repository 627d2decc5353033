/* Chili Piper replica: guest form → (concierge: "Call now" / "Schedule a meeting") → week calendar →
   confirm step → booking confirmed. Hooks follow research/platforms.md §4; the confirm step and the final
   screen are [U] invented (no public source shows them). */
(function () {
  "use strict";

  var CONFIG = JSON.parse(document.getElementById("booking-config").textContent);
  var NOW = new Date(CONFIG.now);
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  var WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  var root = document.getElementById("root");
  var QUERY = new URLSearchParams(location.search);

  function esc(v) {
    return String(v == null ? "" : v).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function validZone(tz) { try { new Intl.DateTimeFormat("en-US", { timeZone: tz }); return !!tz; } catch (e) { return false; } }
  function browserZone() { var tz = Intl.DateTimeFormat().resolvedOptions().timeZone; return tz && validZone(tz) ? tz : "UTC"; }
  var cache = {};
  function zparts(date, tz) {
    var f = cache[tz] || (cache[tz] = new Intl.DateTimeFormat("en-US", { timeZone: tz, year: "numeric", month: "numeric",
      day: "numeric", hour: "numeric", minute: "numeric", hourCycle: "h23" }));
    var o = {};
    f.formatToParts(date).forEach(function (p) { o[p.type] = p.value; });
    return { y: +o.year, m: +o.month, d: +o.day, hh: +o.hour % 24, mm: +o.minute };
  }
  function ordinal(n) { return n + (n % 100 >= 11 && n % 100 <= 13 ? "th" : ["th", "st", "nd", "rd"][n % 10] || "th"); }
  function clock(hh, mm, padded) { var h = hh % 12 || 12; return (padded ? pad(h) : h) + ":" + pad(mm) + " " + (hh < 12 ? "AM" : "PM"); }
  function key(y, m, d) { return y + "-" + pad(m) + "-" + pad(d); }
  function fromKey(k) { return new Date(Date.UTC(+k.slice(0, 4), +k.slice(5, 7) - 1, +k.slice(8, 10))); }
  function addDays(k, n) { var d = new Date(fromKey(k).getTime() + n * 86400000); return key(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()); }
  function zoneLongName(tz) {
    try {
      var part = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "long" }).formatToParts(NOW)
        .filter(function (p) { return p.type === "timeZoneName"; })[0];
      return part ? part.value : tz;
    } catch (e) { return tz; }
  }
  function post(message) {
    if (window.parent !== window) { try { window.parent.postMessage(message, "*"); } catch (e) { /* ignore */ } }
  }

  var S = { step: "guest", guest: {}, answers: {}, tz: null, week: null, byDay: null, day: null, slot: null, error: null };

  function shell(inner) {
    root.innerHTML = '<div class="cp"><header><div class="logo" aria-hidden="true">' + esc(CONFIG.tenant.slice(0, 1).toUpperCase()) +
      '</div><h1>' + esc(CONFIG.title) + "</h1></header>" + inner + '<footer>Powered by <b>Chili Piper</b></footer></div>';
  }

  // -- guest form -----------------------------------------------------------------------------------
  function prefill(names) {
    for (var i = 0; i < names.length; i++) { var v = QUERY.get(names[i]); if (v) return v; }
    return "";
  }
  function input(name, label, type, required, value) {
    var control = type === "textarea"
      ? '<textarea id="' + name + '" name="' + name + '"' + (required ? " required" : "") + ">" + esc(value) + "</textarea>"
      : '<input id="' + name + '" name="' + name + '" type="' + type + '"' + (required ? " required" : "") + ' value="' + esc(value) + '">';
    return '<div class="field"><label for="' + name + '">' + esc(label) + (required ? " *" : "") + "</label>" + control +
      '<p class="err" hidden>This field is required</p></div>';
  }
  function renderGuest() {
    shell('<form data-test-id="GuestForm" class="guest" novalidate><h2>Tell us a bit about yourself</h2>' +
      '<div class="row">' + input("FirstName", "First Name", "text", true, prefill(["PersonFirstName", "firstname", "FirstName"])) +
      input("LastName", "Last Name", "text", true, prefill(["PersonLastName", "lastname", "LastName"])) + "</div>" +
      input("Email", "Email", "email", true, prefill(["PersonEmail", "email", "Email"])) +
      input("Phone", "Phone", "tel", CONFIG.phone_required, prefill(["PersonPhone", "phone", "Phone"])) +
      CONFIG.fields.map(function (f) { return input(f.name, f.label, f.type, f.required, QUERY.get(f.name) || ""); }).join("") +
      '<button type="submit" data-test-id="GuestForm-submit-button">Submit</button></form>');
    var form = root.querySelector("form");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var ok = true;
      Array.prototype.forEach.call(form.querySelectorAll("input[name], textarea[name]"), function (f) {
        var bad = (f.required && !f.value.trim()) || (f.type === "email" && f.value && f.value.indexOf("@") < 0);
        f.setAttribute("aria-invalid", String(bad));
        f.parentNode.querySelector(".err").hidden = !bad;
        if (bad) ok = false;
      });
      if (!ok) return;
      ["FirstName", "LastName", "Email", "Phone"].forEach(function (n) { S.guest[n] = form.elements[n].value.trim(); });
      CONFIG.fields.forEach(function (f) { S.answers[f.name] = form.elements[f.name].value.trim(); });
      if (CONFIG.faults.calendar_never_renders) return; // fault: the router never answers
      if (CONFIG.live_choice) renderChoice(); else renderCalendar();
    });
  }

  // -- concierge choice -----------------------------------------------------------------------------
  function renderChoice() {
    // [U] invented wording; the two hooks are from scrapers ([S])
    shell('<section class="choice" data-id="concierge-live"><h2>How would you like to connect?</h2>' +
      "<p>A rep is available right now, or you can pick a time that suits you.</p>" +
      '<button type="button" data-test-id="ConciergeLiveBox-call" data-id="concierge-live-call">Call now</button>' +
      '<button type="button" data-test-id="ConciergeLiveBox-book" data-id="concierge-live-book">Schedule a meeting</button></section>');
    root.querySelector('[data-id="concierge-live-book"]').addEventListener("click", renderCalendar);
    root.querySelector('[data-id="concierge-live-call"]').addEventListener("click", function () {
      root.querySelector(".choice p").textContent = "Connecting you to a rep…";
    });
  }

  // -- week calendar --------------------------------------------------------------------------------
  function todayKey() { var p = zparts(NOW, S.tz); return key(p.y, p.m, p.d); }
  function mondayOf(k) { var wd = fromKey(k).getUTCDay(); return addDays(k, -((wd + 6) % 7)); }
  function lastWeek() {
    var last = CONFIG.last_slot ? zparts(new Date(CONFIG.last_slot), S.tz) : null;
    return last ? mondayOf(key(last.y, last.m, last.d)) : mondayOf(todayKey());
  }
  function renderCalendar() {
    S.step = "calendar";
    shell('<section class="calendar"><h2>What day is best for you?</h2><div class="week-nav">' +
      '<button type="button" data-id="previous-week-button" aria-label="Previous week">&#8249;</button>' +
      '<div class="days" role="group" aria-label="Days"></div>' +
      '<button type="button" data-id="next-week-button" aria-label="Next week">&#8250;</button></div>' +
      '<div class="alert-slot"></div><div data-id="selected-day-info" class="day-info"></div><div class="slots"></div>' +
      '<div class="tz"><span class="tz-icon" aria-hidden="true">&#9719;</span> <button type="button" data-id="timezone-button">' +
      esc(zoneLongName(S.tz)) + " (" + esc((function () { var p = zparts(NOW, S.tz); return clock(p.hh, p.mm, true); })()) +
      ")</button></div></section>");
    root.querySelector('[data-id="previous-week-button"]').addEventListener("click", function () { moveWeek(-7); });
    root.querySelector('[data-id="next-week-button"]').addEventListener("click", function () { moveWeek(7); });
    if (S.error) {
      root.querySelector(".alert-slot").innerHTML = '<div role="alert" class="alert">' + esc(S.error) + "</div>";
      S.error = null;
    }
    S.byDay = null;
    renderWeek();
    fetch("/api/v1/availability?link=" + encodeURIComponent(CONFIG.link)).then(function (r) { return r.json(); }).then(function (data) {
      S.byDay = {};
      data.slots.forEach(function (iso) {
        var p = zparts(new Date(iso), S.tz), k = key(p.y, p.m, p.d);
        (S.byDay[k] = S.byDay[k] || []).push(iso);
      });
      if (!S.week) S.week = mondayOf(todayKey());
      renderWeek();
      post({ action: "availability-loaded" });
    });
  }
  function moveWeek(days) {
    var target = addDays(S.week, days);
    if (target < mondayOf(todayKey()) || target > lastWeek()) return;
    S.week = target;
    S.day = null;
    renderWeek();
  }
  function renderWeek() {
    var days = root.querySelector(".days");
    if (!S.byDay) { days.innerHTML = '<div class="loading" role="progressbar" aria-label="Loading">Loading…</div>'; return; }
    root.querySelector('[data-id="previous-week-button"]').disabled = S.week <= mondayOf(todayKey());
    root.querySelector('[data-id="next-week-button"]').disabled = S.week >= lastWeek();
    var keys = [];
    for (var i = 0; i < 7; i++) keys.push(addDays(S.week, i));
    if (!S.day || keys.indexOf(S.day) < 0) S.day = keys.filter(function (k) { return (S.byDay[k] || []).length; })[0] || null;
    days.innerHTML = keys.map(function (k) {
      var d = fromKey(k), wd = WEEKDAYS[d.getUTCDay()], mon = MONTHS[d.getUTCMonth()], n = d.getUTCDate(), open = (S.byDay[k] || []).length > 0;
      var sel = k === S.day;
      return '<button type="button" class="day' + (sel ? " selected" : "") + '" data-id="calendar-day-button' + (sel ? "-selected" : "") +
        '" data-test-id="days:' + mon.slice(0, 3) + "/" + wd.slice(0, 3) + " " + mon.slice(0, 3) + " " + pad(n) + " " + d.getUTCFullYear() +
        '" data-key="' + k + '"' + (open ? "" : " disabled") + '><span class="sr-only">' + wd + " " + ordinal(n) + " " + mon +
        (sel ? " is selected" : "") + ' Press enter to navigate available slots</span><span aria-hidden="true" class="wd">' +
        wd.slice(0, 3) + '</span> <span aria-hidden="true" class="n">' + n + '</span> <span aria-hidden="true" class="mon">' +
        mon.slice(0, 3) + "</span></button>";
    }).join("");
    days.querySelectorAll("button.day").forEach(function (b) {
      b.addEventListener("click", function () { S.day = b.getAttribute("data-key"); renderWeek(); });
    });
    renderSlots();
  }
  function renderSlots() {
    var info = root.querySelector('[data-id="selected-day-info"]'), slots = root.querySelector(".slots");
    if (!S.day) { info.textContent = "No available times this week"; slots.innerHTML = ""; return; }
    var d = fromKey(S.day);
    info.textContent = WEEKDAYS[d.getUTCDay()] + ", " + MONTHS[d.getUTCMonth()] + " " + d.getUTCDate();
    slots.innerHTML = (S.byDay[S.day] || []).map(function (iso) {
      var p = zparts(new Date(iso), S.tz);
      return '<button type="button" data-id="time-slot-button" data-start="' + esc(iso) + '">' + clock(p.hh, p.mm, false) + "</button>";
    }).join("");
    slots.querySelectorAll('[data-id="time-slot-button"]').forEach(function (b) {
      b.addEventListener("click", function () { S.slot = b.getAttribute("data-start"); renderConfirm(); });
    });
  }

  // -- confirm step [U] -----------------------------------------------------------------------------
  function whenText(iso) {
    var start = new Date(iso), end = new Date(start.getTime() + CONFIG.duration * 60000);
    var a = zparts(start, S.tz), b = zparts(end, S.tz);
    return WEEKDAYS[fromKey(key(a.y, a.m, a.d)).getUTCDay()] + ", " + MONTHS[a.m - 1] + " " + a.d + ", " + a.y + ", " +
      clock(a.hh, a.mm, false) + " - " + clock(b.hh, b.mm, false);
  }
  function renderConfirm() {
    S.step = "confirm";
    shell('<section class="confirm" data-id="confirm-step"><h2>Confirm your meeting</h2>' +
      '<p data-id="confirm-time">' + esc(whenText(S.slot)) + "</p><p>" + esc(zoneLongName(S.tz)) + "</p>" +
      "<p>" + esc(S.guest.FirstName + " " + S.guest.LastName) + " &lt;" + esc(S.guest.Email) + "&gt;</p>" +
      '<div class="actions"><button type="button" data-id="back-button">Back</button>' +
      '<button type="button" data-id="confirm-button">Confirm</button></div></section>');
    root.querySelector('[data-id="back-button"]').addEventListener("click", renderCalendar);
    root.querySelector('[data-id="confirm-button"]').addEventListener("click", function (e) {
      e.currentTarget.disabled = true;
      fetch("/api/v1/book", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ link: CONFIG.link, start: S.slot, guest: S.guest, fields: S.answers, timezone: S.tz,
          trigger: QUERY.get("trigger") }) })
        .then(function (r) { return r.json().then(function (d) { return { ok: r.ok, data: d }; }); })
        .then(function (res) {
          if (!res.ok) { S.error = res.data.error || "Something went wrong."; renderCalendar(); return; }
          post({ action: "booked", assignee: res.data.assignee, slot: { start: res.data.start, end: res.data.end } });
          renderDone(res.data);
          post({ action: "booking-confirmed", eventId: res.data.eventId, assignee: res.data.assignee,
            slot: { start: res.data.start, end: res.data.end } });
        });
    });
  }

  // -- booking confirmed [U] ------------------------------------------------------------------------
  function renderDone(data) {
    S.step = "done";
    shell('<section class="done" data-id="booking-confirmed"><h2>You\'re booked!</h2>' +
      '<p>Your meeting with <span data-id="assignee-name">' + esc(data.assignee.name) + "</span> is confirmed.</p>" +
      "<p>" + esc(whenText(data.start)) + " (" + esc(zoneLongName(S.tz)) + ")</p>" +
      "<p>A calendar invitation has been sent to " + esc(S.guest.Email) + ".</p></section>");
  }

  function start() {
    var urlZone = QUERY.get("timezone");
    S.tz = CONFIG.display_timezone && validZone(CONFIG.display_timezone) ? CONFIG.display_timezone
      : urlZone && validZone(urlZone) ? urlZone : browserZone();
    renderGuest();
  }

  if (CONFIG.page === "booking") start();
  else root.innerHTML = '<div class="cp"><h1>This link is no longer active</h1></div>';
})();

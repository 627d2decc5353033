/* HubSpot Meetings replica: CHOOSE TIME (calendar, duration, time checkboxes) then YOUR INFO, then the
   "Booking confirmed" screen. Roles and accessible names follow the recorded accessibility trees in
   research/platforms.md §3; the markup itself is ours ([U]: HubSpot's raw attributes are unknown). */
(function () {
  "use strict";

  var CONFIG = JSON.parse(document.getElementById("booking-config").textContent);
  var NOW = new Date(CONFIG.now);
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  var WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  // [U] invented: the zone picker's list (the real one is searchable and much longer)
  var ZONES = ["UTC", "Europe/London", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Stockholm",
    "Europe/Helsinki", "Europe/Athens", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo",
    "Australia/Sydney", "America/Sao_Paulo", "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"];
  var root = document.getElementById("root");
  var QUERY = new URLSearchParams(location.search);

  function esc(v) {
    return String(v == null ? "" : v).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function validZone(tz) { try { new Intl.DateTimeFormat("en-US", { timeZone: tz }); return true; } catch (e) { return false; } }
  function browserZone() { var tz = Intl.DateTimeFormat().resolvedOptions().timeZone; return tz && validZone(tz) ? tz : "UTC"; }
  var cache = {};
  function zparts(date, tz) {
    var f = cache[tz] || (cache[tz] = new Intl.DateTimeFormat("en-US", { timeZone: tz, year: "numeric", month: "numeric",
      day: "numeric", hour: "numeric", minute: "numeric", hourCycle: "h23" }));
    var o = {};
    f.formatToParts(date).forEach(function (p) { o[p.type] = p.value; });
    return { y: +o.year, m: +o.month, d: +o.day, hh: +o.hour % 24, mm: +o.minute };
  }
  function ordinal(n) {
    var s = n % 100 >= 11 && n % 100 <= 13 ? "th" : ["th", "st", "nd", "rd"][n % 10] || "th";
    return n + s;
  }
  function weekday(y, m, d) { return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]; }
  function clock(hh, mm, upper) { var t = (hh % 12 || 12) + ":" + pad(mm) + " " + (hh < 12 ? "am" : "pm"); return upper ? t.toUpperCase() : t; }
  /** "UTC +02:00" */
  function offsetText(tz) {
    var p = zparts(NOW, tz), local = Date.UTC(p.y, p.m - 1, p.d, p.hh, p.mm), minutes = Math.round((local - NOW.getTime()) / 60000);
    minutes = Math.round(minutes);
    var sign = minutes < 0 ? "-" : "+", abs = Math.abs(minutes);
    return "UTC " + sign + pad(Math.floor(abs / 60)) + ":" + pad(abs % 60);
  }
  function zoneName(tz) {
    var name = tz;
    try {
      var part = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "long" }).formatToParts(NOW)
        .filter(function (p) { return p.type === "timeZoneName"; })[0];
      if (part) name = part.value;
    } catch (e) { /* keep the IANA name */ }
    return name.replace(/\s+(Standard|Daylight|Summer)(?=\s|$)/g, "").trim();
  }
  function zoneLabel(tz) { return offsetText(tz) + " " + zoneName(tz); }
  function city(tz) { return tz.split("/").pop().replace(/_/g, " "); }
  function post(message) {
    if (window.parent !== window) { try { window.parent.postMessage(message, "*"); } catch (e) { /* ignore */ } }
  }

  // -- state --------------------------------------------------------------------------------------
  var S = { tz: null, view: null, avail: null, date: null, duration: CONFIG.durations[0], slot: null, seq: 0 };
  function monthIndex(v) { return v.y * 12 + v.m - 1; }
  function fromIndex(i) { return { y: Math.floor(i / 12), m: i % 12 + 1 }; }
  function minMonth() { return monthIndex(zparts(NOW, S.tz)); }
  function maxMonth() {
    var max = minMonth() + 1;
    if (CONFIG.last_slot) max = Math.max(max, monthIndex(zparts(new Date(CONFIG.last_slot), S.tz)));
    return max;
  }
  function announce(text) { root.querySelector('[role="status"].live').textContent = text; }

  function frame(stepTwo) {
    root.innerHTML = '<div class="meetings' + (CONFIG.embed ? " embed" : "") + '">' +
      '<header><div class="avatar" aria-hidden="true">' + esc((CONFIG.display_name || "?").slice(0, 1)) + "</div>" +
      '<div class="host">' + esc(CONFIG.display_name) + "</div>" +
      '<ol class="steps"><li class="' + (stepTwo ? "completed" : "active") + '">CHOOSE TIME</li>' +
      '<li class="' + (stepTwo ? "active" : "") + '">YOUR INFO</li></ol></header>' +
      '<div role="status" class="live sr-only" aria-live="polite"></div><div class="body"></div></div>';
    return root.querySelector(".body");
  }

  // -- CHOOSE TIME ------------------------------------------------------------------------------------
  function renderChooseTime() {
    var body = frame(false);
    body.innerHTML = '<section class="calendar"><div class="cal-head">' +
      '<button type="button" class="nav prev">&#8249;</button><h2 class="month"></h2>' +
      '<button type="button" class="nav next">&#8250;</button></div><div class="grid"></div></section>' +
      '<section class="choose"><div class="durations"></div><div class="times"></div></section>';
    body.querySelector(".prev").addEventListener("click", function () { changeMonth(-1); });
    body.querySelector(".next").addEventListener("click", function () { changeMonth(1); });
    loadMonth();
  }
  function changeMonth(step) {
    var target = monthIndex(S.view) + step;
    if (target < minMonth() || target > maxMonth()) return;
    S.view = fromIndex(target);
    S.date = null;
    loadMonth();
  }
  function loadMonth() {
    var seq = ++S.seq, view = S.view;
    S.avail = null;
    var prev = fromIndex(monthIndex(view) - 1), next = fromIndex(monthIndex(view) + 1);
    var prevButton = root.querySelector(".nav.prev"), nextButton = root.querySelector(".nav.next");
    prevButton.setAttribute("aria-label", "View " + MONTHS[prev.m - 1]);
    nextButton.setAttribute("aria-label", "View " + MONTHS[next.m - 1]);
    prevButton.disabled = monthIndex(view) <= minMonth();
    nextButton.disabled = monthIndex(view) >= maxMonth();
    root.querySelector(".month").textContent = MONTHS[view.m - 1] + " " + view.y;
    root.querySelector(".grid").innerHTML = '<div class="loading" role="progressbar" aria-label="Loading"></div>';
    renderTimes();
    var url = "/meetings-public/v3/book/availability-page?slug=" + encodeURIComponent(CONFIG.slug) +
      "&monthOffset=" + (monthIndex(view) - minMonth()) + "&timezone=" + encodeURIComponent(S.tz);
    fetch(url).then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); }).then(function (data) {
      if (seq !== S.seq) return;
      S.avail = {};
      var byDuration = data.linkAvailability.linkAvailabilityByDuration;
      Object.keys(byDuration).forEach(function (ms) {
        var minutes = +ms / 60000, days = S.avail[minutes] = {};
        byDuration[ms].availabilities.forEach(function (a) {
          var p = zparts(new Date(a.startMillisUtc), S.tz), key = p.y + "-" + pad(p.m) + "-" + pad(p.d);
          (days[key] = days[key] || []).push(a.startMillisUtc);
        });
      });
      renderGrid();
      renderTimes();
    }).catch(function () {
      if (seq === S.seq) root.querySelector(".grid").innerHTML = '<p role="alert">Something went wrong. Please try again.</p>';
    });
  }
  function daysWithTimes() {
    var days = {};
    CONFIG.durations.forEach(function (minutes) {
      Object.keys((S.avail || {})[minutes] || {}).forEach(function (k) { days[k] = true; });
    });
    return days;
  }
  function renderGrid() {
    var y = S.view.y, m = S.view.m, first = new Date(Date.UTC(y, m - 1, 1)).getUTCDay(), count = new Date(Date.UTC(y, m, 0)).getUTCDate();
    var open = daysWithTimes(), cells = [], d;
    for (d = 0; d < first; d++) cells.push("<td></td>");
    for (d = 1; d <= count; d++) {
      var key = y + "-" + pad(m) + "-" + pad(d), sel = key === S.date;
      cells.push('<td><button type="button" class="day' + (sel ? " selected" : "") + '" aria-label="' + MONTHS[m - 1] + " " + ordinal(d) +
        '" aria-pressed="' + sel + '" data-key="' + key + '"' + (open[key] ? "" : " disabled") + ">" + d + "</button></td>");
    }
    while (cells.length % 7) cells.push("<td></td>");
    var rows = [];
    for (d = 0; d < cells.length; d += 7) rows.push("<tr>" + cells.slice(d, d + 7).join("") + "</tr>");
    var grid = root.querySelector(".grid");
    grid.innerHTML = '<table aria-label="Select a day in ' + MONTHS[m - 1] + '"><thead><tr>' +
      WEEKDAYS.map(function (w) { return '<th scope="col" abbr="' + w + '">' + w.slice(0, 2).toUpperCase() + "</th>"; }).join("") +
      "</tr></thead><tbody>" + rows.join("") + "</tbody></table>";
    grid.querySelectorAll("button.day").forEach(function (b) {
      b.addEventListener("click", function () { selectDay(b.getAttribute("data-key")); });
    });
  }
  function selectDay(key) {
    S.date = key;
    root.querySelectorAll("button.day").forEach(function (b) {
      var sel = b.getAttribute("data-key") === key;
      b.classList.toggle("selected", sel);
      b.setAttribute("aria-pressed", String(sel));
    });
    var d = +key.slice(8, 10), m = +key.slice(5, 7);
    announce("Now displaying available times for " + MONTHS[m - 1] + " " + ordinal(d) + ".");
    renderTimes();
    announce("Now displaying start times for " + S.duration + " mins blocks available on " + MONTHS[m - 1] + " " + ordinal(d) + ".");
  }
  function renderTimes() {
    var durations = root.querySelector(".durations"), times = root.querySelector(".times");
    if (!durations) return;
    if (!S.date || !S.avail) { durations.innerHTML = ""; times.innerHTML = '<p class="hint">Select a day to see available times.</p>'; return; }
    durations.innerHTML = '<div role="radiogroup" aria-label="Meeting duration" class="radios">' + CONFIG.durations.map(function (minutes, i) {
      return '<label><input type="radio" name="duration" value="' + minutes + '"' + (minutes === S.duration ? " checked" : "") +
        "> " + minutes + " mins</label>";
    }).join("") + "</div>";
    durations.querySelectorAll('input[name="duration"]').forEach(function (r) {
      r.addEventListener("change", function () { S.duration = +r.value; renderTimes(); });
    });
    var y = +S.date.slice(0, 4), m = +S.date.slice(5, 7), d = +S.date.slice(8, 10);
    var list = ((S.avail[S.duration] || {})[S.date] || []);
    var zoneButton = '<button type="button" class="tz" aria-label="Select a timezone to display available times in. Currently displaying ' +
      esc(zoneLabel(S.tz)) + '" aria-haspopup="listbox" aria-expanded="false">' + esc(zoneLabel(S.tz)) + "</button>";
    times.innerHTML = "<h3>What time works best?</h3><p class=\"showing\">Showing times for " + MONTHS[m - 1] + " " + d + ", " + y + "</p>" +
      zoneButton + '<div role="region" aria-label="What time works best?" class="slots">' + list.map(function (ms) {
        var p = zparts(new Date(ms), S.tz), text = clock(p.hh, p.mm, false);
        return '<button type="button" role="checkbox" aria-checked="false" class="slot" data-ms="' + ms + '" aria-label="' +
          text + " on " + MONTHS[m - 1] + " " + ordinal(d) + '">' + text + "</button>";
      }).join("") + "</div>";
    times.querySelector(".tz").addEventListener("click", toggleZones);
    times.querySelectorAll("button.slot").forEach(function (b) {
      b.addEventListener("click", function () {
        b.setAttribute("aria-checked", "true");
        if (CONFIG.faults.info_step_never_renders) return; // fault: the click goes nowhere
        S.slot = +b.getAttribute("data-ms");
        renderInfo();
      });
    });
  }
  function toggleZones(e) {
    e.stopPropagation();
    var open = root.querySelector('[role="listbox"]');
    if (open) { open.remove(); return; }
    var zones = ZONES.slice();
    [S.tz, browserZone()].forEach(function (tz) { if (zones.indexOf(tz) < 0) zones.unshift(tz); });
    var list = document.createElement("ul");
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Time zones");
    list.className = "zones";
    list.innerHTML = zones.map(function (tz) {
      return '<li role="option" tabindex="-1" aria-selected="' + (tz === S.tz) + '" data-tz="' + esc(tz) + '">' +
        esc(zoneLabel(tz) + " (" + city(tz) + ")") + "</li>";
    }).join("");
    list.addEventListener("click", function (ev) {
      var option = ev.target.closest('[role="option"]');
      if (!option) return;
      S.tz = option.getAttribute("data-tz");
      list.remove();
      S.view = fromIndex(Math.min(Math.max(monthIndex(S.view), minMonth()), maxMonth()));
      var keep = S.date;
      loadMonthKeeping(keep);
    });
    e.currentTarget.setAttribute("aria-expanded", "true");
    e.currentTarget.parentNode.insertBefore(list, e.currentTarget.nextSibling);
  }
  function loadMonthKeeping(key) {
    loadMonth();
    S.date = key;
  }

  // -- YOUR INFO --------------------------------------------------------------------------------------
  function field(name, label, type, required, value) {
    var control = type === "textarea"
      ? '<textarea id="' + name + '" name="' + name + '"' + (required ? ' aria-required="true"' : "") + ">" + esc(value) + "</textarea>"
      : '<input id="' + name + '" name="' + name + '" type="' + type + '"' + (required ? ' aria-required="true"' : "") + ' value="' + esc(value) + '">';
    return '<div class="field"><label for="' + name + '">' + esc(label) + (required ? " *" : "") + "</label>" + control + "</div>";
  }
  function longWhen(ms) {
    var p = zparts(new Date(ms), S.tz);
    return weekday(p.y, p.m, p.d) + ", " + MONTHS[p.m - 1] + " " + p.d + ", " + p.y + " " + clock(p.hh, p.mm, true);
  }
  function renderInfo() {
    var body = frame(true), when = longWhen(S.slot);
    announce("Now displaying a form to confirm your meeting for " + when + ".");
    body.innerHTML = '<section class="info"><h2>Your information</h2><div class="summary"><h3>' + esc(when) + "</h3>" +
      '<button type="button" class="edit" aria-label="Click to change the meeting date or time">Edit</button>' +
      '<p class="location">' + esc(CONFIG.location) + "</p></div>" +
      '<form novalidate><div class="row">' + field("firstName", "First name", "text", true, QUERY.get("firstName") || "") +
      field("lastName", "Last name", "text", true, QUERY.get("lastName") || "") + "</div>" +
      field("email", "Your email address", "email", true, QUERY.get("email") || "") +
      CONFIG.fields.map(function (f) { return field(f.name, f.label, f.type, f.required, QUERY.get(f.name) || ""); }).join("") +
      '<div class="guests"><label for="guest">Add guest email</label><input id="guest" type="email"><button type="button" class="add">Add</button>' +
      '<span class="count">0/10 guests</span></div>' +
      '<div class="actions"><button type="button" class="back">Back</button><button type="submit" class="confirm" disabled>Confirm</button></div>' +
      "</form></section>";
    var form = body.querySelector("form"), confirm = form.querySelector(".confirm");
    var guests = [];
    function valid() {
      var ok = true;
      form.querySelectorAll("input[name], textarea[name]").forEach(function (f) {
        var bad = (f.getAttribute("aria-required") === "true" && !f.value.trim()) ||
          (f.type === "email" && f.value && f.value.indexOf("@") < 0) || (f.type === "url" && f.value && !/^https?:\/\/\S+$/.test(f.value));
        if (f.value || f.dataset.touched) f.setAttribute("aria-invalid", String(bad));
        if (bad) ok = false;
      });
      confirm.disabled = !ok;
    }
    form.addEventListener("input", function (e) { if (e.target.name) e.target.dataset.touched = "1"; valid(); });
    valid();
    form.querySelector(".add").addEventListener("click", function () {
      var g = form.querySelector("#guest");
      if (g.value.indexOf("@") > 0 && guests.length < 10) { guests.push(g.value.trim()); g.value = ""; }
      form.querySelector(".count").textContent = guests.length + "/10 guests";
    });
    form.querySelector(".back").addEventListener("click", backToTimes);
    body.querySelector(".edit").addEventListener("click", backToTimes);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (confirm.disabled) return;
      confirm.disabled = true;
      var old = form.querySelector('[role="alert"]');
      if (old) old.remove();
      var value = function (n) { return form.elements[n].value.trim(); };
      var payload = { slug: CONFIG.slug, firstName: value("firstName"), lastName: value("lastName"), email: value("email"),
        startTime: S.slot, duration: S.duration * 60000, timezone: S.tz, locale: "en-us", guestEmails: guests,
        formFields: CONFIG.fields.map(function (f) { return { name: f.name, value: value(f.name) }; }), legalConsentResponses: [],
        likelyAvailableUserIds: [] };
      fetch("/meetings-public/v3/book?slug=" + encodeURIComponent(CONFIG.slug), { method: "POST",
        headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) })
        .then(function (r) { return r.json().catch(function () { return {}; }).then(function (d) { return { ok: r.ok, data: d }; }); })
        .then(function (res) {
          if (!res.ok) {
            var alert = document.createElement("div");
            alert.setAttribute("role", "alert");
            alert.className = "error";
            alert.textContent = res.data.message || "Something went wrong. Please try again.";
            form.insertBefore(alert, form.querySelector(".actions"));
            confirm.disabled = false;
            return;
          }
          post({ meetingBookSucceeded: true, meetingsPayload: { bookingResponse: { event: { dateTime: res.data.start },
            postResponse: { timerange: { start: res.data.start, end: res.data.end }, contact: { email: payload.email } } } } });
          renderDone(res.data);
        }).catch(function () { confirm.disabled = false; });
    });
  }
  function backToTimes() {
    S.slot = null;
    renderChooseTime();
    var keep = S.date;
    S.date = keep;
  }

  // -- done -----------------------------------------------------------------------------------------
  function renderDone(data) {
    var body = frame(true), when = longWhen(data.start), host = data.organizer.name;
    if (data.isOffline) {
      // [U] invented wording for offline mode (a request the host still has to put in their calendar)
      body.innerHTML = '<section class="done" data-state="requested"><h2>Meeting requested</h2>' +
        "<p>Your request was sent to " + esc(host) + ". " + esc(host) + " will confirm the time with you by email.</p>" +
        "<p class=\"when\">" + esc(when) + "</p></section>";
    } else {
      body.innerHTML = '<section class="done" data-state="confirmed"><h2>Booking confirmed</h2>' +
        "<p>You're booked with " + esc(host) + ".</p><p>An invitation has been emailed to you.</p>" +
        '<p class="when">' + esc(when) + '</p><p class="location">' + esc(data.location || "") + "</p></section>";
    }
  }

  function start() {
    document.title = CONFIG.title;
    S.tz = CONFIG.display_timezone && validZone(CONFIG.display_timezone) ? CONFIG.display_timezone : browserZone();
    S.view = fromIndex(minMonth());
    renderChooseTime();
  }

  if (CONFIG.page === "meetings") start();
  else root.innerHTML = "<main class=\"meetings\"><h1>This page isn't available</h1></main>";
})();

/* Slush matchmaking replica (Brella-style): sign-in, People, profile availability, request, meeting,
   schedule. Rendered from <script id="app-config">; "now" comes from that config, never the browser.
   Times are shown in the browser's zone ("your time") and in the other person's zone ("their time"). */
(function () {
  "use strict";

  var C = JSON.parse(document.getElementById("app-config").textContent);
  var app = document.getElementById("app");
  var MY_TZ = (Intl.DateTimeFormat().resolvedOptions().timeZone) || "UTC";
  var EVENT_PATH = "/events/" + C.event.slug;
  var STATUS_LABELS = { pending: "Pending", accepted: "Accepted", declined: "Declined",
    reschedule_requested: "New time suggested", cancelled: "Cancelled" };  // [U] invented labels

  function esc(value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  var fmtCache = {};
  function parts(date, tz) {
    var f = fmtCache[tz] || (fmtCache[tz] = new Intl.DateTimeFormat("en-GB", {
      timeZone: tz, year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric",
      weekday: "long", hourCycle: "h23"
    }));
    var o = {};
    f.formatToParts(date).forEach(function (p) { if (p.type !== "literal") o[p.type] = p.value; });
    return { y: +o.year, m: +o.month, d: +o.day, hh: +o.hour % 24, mm: +o.minute, weekday: o.weekday };
  }
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December"];
  function hm(date, tz) { var p = parts(date, tz); return pad(p.hh) + ":" + pad(p.mm); }
  /** ISO-8601 with the zone's offset: what <time datetime> carries for "your time" and "their time". */
  function isoIn(date, tz) {
    var p = parts(date, tz);
    var wall = Date.UTC(p.y, p.m - 1, p.d, p.hh, p.mm);
    var offset = Math.round((wall - date.getTime()) / 60000);
    var sign = offset < 0 ? "-" : "+";
    var a = Math.abs(offset);
    return p.y + "-" + pad(p.m) + "-" + pad(p.d) + "T" + pad(p.hh) + ":" + pad(p.mm) + ":00" + sign +
      pad(Math.floor(a / 60)) + ":" + pad(a % 60);
  }
  function dayKey(date, tz) { var p = parts(date, tz); return p.y + "-" + pad(p.m) + "-" + pad(p.d); }
  function dayTitle(date, tz) { var p = parts(date, tz); return p.weekday + " " + p.d + " " + MONTHS[p.m - 1]; }
  function shortDay(date, tz) { var p = parts(date, tz); return p.weekday.slice(0, 3) + " " + p.d + " " + MONTHS[p.m - 1].slice(0, 3); }
  function city(tz) { return tz.split("/").pop().replace(/_/g, " "); }
  function plusMinutes(date, minutes) { return new Date(date.getTime() + minutes * 60000); }
  function firstName(name) { return String(name).split(/\s+/)[0]; }

  function api(method, path, body) {
    var options = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(path.charAt(0) === "/" && path.indexOf("/api/") === 0 ? path : C.api + path, options)
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) { return { status: r.status, data: data }; });
      });
  }
  function errorText(data, fallback) { return (data && data.errors && data.errors[0]) || fallback; }

  function topbar(active) {
    function link(path, label, key) {
      return '<a href="' + EVENT_PATH + path + '"' + (active === key ? ' aria-current="page"' : "") +
        ' data-testid="nav-' + key + '">' + label + "</a>";
    }
    return '<header class="topbar"><span class="brand">' + esc(C.event.name) + "</span><nav>" +
      link("/people", "People", "people") + link("/schedule", "Schedule", "schedule") + "</nav>" +
      '<span class="me">' + esc(C.me ? C.me.name : "") + "</span></header>";
  }

  // -- sign in --------------------------------------------------------------------------------------
  function renderSignIn() {
    app.innerHTML = '<main class="sign-in"><h1>Sign in to ' + esc(C.event.name) + "</h1>" +
      '<form id="sign-in-form" data-testid="sign-in-form" novalidate>' +
      '<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username">' +
      '<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">' +
      '<div role="alert" class="alert" hidden></div>' +
      '<button type="submit" class="btn btn--primary">Sign in</button></form></main>';
    var form = document.getElementById("sign-in-form");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var alertBox = form.querySelector('[role="alert"]');
      alertBox.hidden = true;
      api("POST", "/api/auth/sign_in", { email: form.email.value, password: form.password.value }).then(function (res) {
        if (res.status === 200) {
          var next = C.next && C.next.charAt(0) === "/" ? C.next : EVENT_PATH + "/people";
          location.assign(next);
        } else {
          alertBox.textContent = errorText(res.data, "Sign-in failed.");
          alertBox.hidden = false;
        }
      });
    });
  }

  // -- people and profile ------------------------------------------------------------------------------
  var people = { timer: null, seq: 0 };

  function renderPeople() {
    app.innerHTML = topbar("people") + '<main class="people">' +
      '<div class="quota" data-testid="requests-remaining">Meeting requests remaining: <strong>…</strong></div>' +
      '<div class="people__search"><input type="search" name="search" placeholder="Search people" aria-label="Search people"></div>' +
      '<div class="people__body"><ul class="people__list" data-testid="people-list" data-loading="true" data-query=""></ul>' +
      '<section class="profile" data-testid="profile" hidden></section></div></main>';
    loadQuota();
    var search = app.querySelector('input[type="search"]');
    search.addEventListener("input", function () {
      clearTimeout(people.timer);
      app.querySelector('[data-testid="people-list"]').setAttribute("data-loading", "true");
      people.timer = setTimeout(function () { loadPeople(search.value); }, 250);  // debounced like the real app
    });
    loadPeople("");
    if (C.profile) openProfile(C.profile);
  }

  function loadQuota() {
    api("GET", "/me").then(function (res) {
      var box = app.querySelector('[data-testid="requests-remaining"] strong');
      if (box && res.status === 200) box.textContent = res.data.meeting_requests_remaining;
    });
  }

  function loadPeople(query) {
    var seq = ++people.seq;
    api("GET", "/attendees?search=" + encodeURIComponent(query)).then(function (res) {
      if (seq !== people.seq) return;
      var list = app.querySelector('[data-testid="people-list"]');
      var found = (res.data && res.data.attendees) || [];
      list.innerHTML = found.length ? found.map(function (a) {
        return '<li class="person-card" data-testid="person-card" data-attendee-id="' + esc(a.id) + '">' +
          '<div class="avatar" aria-hidden="true">' + esc(a.name.charAt(0)) + "</div>" +
          '<div class="person-card__text"><div class="person-card__name">' + esc(a.name) + "</div>" +
          '<div class="person-card__title">' + esc(a.title) + "</div>" +
          '<div class="person-card__company">' + esc(a.company) + "</div></div>" +
          '<button type="button" class="btn btn--primary">Suggest Meeting</button></li>';
      }).join("") : '<li class="empty">No people match your search.</li>';
      list.querySelectorAll('[data-testid="person-card"] button').forEach(function (button) {
        button.addEventListener("click", function () {
          var id = button.closest("li").getAttribute("data-attendee-id");
          history.pushState(null, "", EVENT_PATH + "/people?profile=" + encodeURIComponent(id));
          openProfile(id);
        });
      });
      list.setAttribute("data-query", query);
      list.setAttribute("data-loading", "false");
    });
  }

  function openProfile(id) {
    var panel = app.querySelector('[data-testid="profile"]');
    panel.hidden = false;
    panel.setAttribute("data-attendee-id", id);
    panel.innerHTML = '<p class="loading">Loading…</p><div data-testid="timeslots" data-loaded="false"></div>';
    api("GET", "/attendees/" + encodeURIComponent(id) + "/timeslots").then(function (res) {
      if (panel.getAttribute("data-attendee-id") !== id) return;
      if (res.status !== 200) {
        panel.innerHTML = '<p role="alert">' + esc(errorText(res.data, "This profile is not available.")) + "</p>";
        return;
      }
      renderProfile(panel, res.data.attendee, res.data.timeslots);
    });
  }

  function renderProfile(panel, person, slots) {
    var theirs = person.timezone;
    var days = {};
    var order = [];
    slots.forEach(function (slot) {
      var start = new Date(slot.start);
      var key = dayKey(start, MY_TZ);
      if (!days[key]) { days[key] = []; order.push(key); }
      days[key].push(slot);
    });
    var html = order.map(function (key) {
      var first = new Date(days[key][0].start);
      return '<div class="day" data-day="' + key + '"><h4>' + esc(dayTitle(first, MY_TZ)) + "</h4>" +
        days[key].map(function (slot) {
          var start = new Date(slot.start);
          var end = plusMinutes(start, slot.minutes);
          return '<button type="button" class="timeslot" data-testid="timeslot" data-start="' + esc(slot.start) +
            '" aria-pressed="false">' +
            '<span class="timeslot__mine"><time datetime="' + isoIn(start, MY_TZ) + '">' + hm(start, MY_TZ) + "</time>–" +
            hm(end, MY_TZ) + " <small>your time</small></span>" +
            '<span class="timeslot__theirs"><time datetime="' + isoIn(start, theirs) + '">' + hm(start, theirs) +
            "</time>–" + hm(end, theirs) + " <small>" + esc(firstName(person.name)) + "'s time</small></span></button>";
        }).join("") + "</div>";
    }).join("");
    panel.innerHTML = '<h2 data-testid="profile-name">' + esc(person.name) + "</h2>" +
      '<p class="profile__meta">' + esc(person.title) + " · " + esc(person.company) + "</p>" +
      "<h3>Networking availability</h3>" +
      '<p class="zones" data-testid="zones">Your time: ' + esc(city(MY_TZ)) + " · " + esc(firstName(person.name)) +
      "'s time: " + esc(city(theirs)) + "</p>" +
      '<div class="timeslots" data-testid="timeslots" data-loaded="true">' +
      (html || '<p class="empty">No free networking slots.</p>') + "</div>" +
      '<div class="request" data-testid="request-form" hidden>' +
      '<p class="request__summary"></p>' +
      '<label for="message">Message</label>' +
      '<textarea id="message" name="message" rows="6" maxlength="1000" placeholder="Write a personal message…"></textarea>' +
      '<div role="alert" class="alert" hidden></div>' +
      '<button type="button" class="btn btn--primary" data-testid="send-request">Send request</button></div>';
    var form = panel.querySelector('[data-testid="request-form"]');
    var chosen = null;
    panel.querySelectorAll('[data-testid="timeslot"]').forEach(function (button) {
      button.addEventListener("click", function () {
        if (C.faults && C.faults.request_form_never_opens) return; // fault: the click goes nowhere
        panel.querySelectorAll('[data-testid="timeslot"]').forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
        button.setAttribute("aria-pressed", "true");
        chosen = button.getAttribute("data-start");
        var start = new Date(chosen);
        form.querySelector(".request__summary").textContent = "Meeting with " + person.name + " on " +
          shortDay(start, MY_TZ) + " at " + hm(start, MY_TZ) + " (your time)";
        form.hidden = false;
      });
    });
    form.querySelector('[data-testid="send-request"]').addEventListener("click", function () {
      var alertBox = form.querySelector('[role="alert"]');
      alertBox.hidden = true;
      api("POST", "/meetings", { attendee_id: person.id, start: chosen, message: form.querySelector("textarea").value })
        .then(function (res) {
          if (res.status === 201) {
            location.assign(EVENT_PATH + "/meetings/" + encodeURIComponent(res.data.id) + "?sent=1");
          } else {
            alertBox.textContent = errorText(res.data, "The request could not be sent.");
            alertBox.hidden = false;
            loadQuota();
          }
        });
    });
  }

  // -- one meeting -------------------------------------------------------------------------------------
  function renderMeeting() {
    app.innerHTML = topbar("") + '<main class="meeting" data-testid="meeting" data-loaded="false"></main>';
    api("GET", "/meetings/" + encodeURIComponent(C.meeting_id)).then(function (res) {
      var main = app.querySelector('[data-testid="meeting"]');
      if (res.status !== 200) {
        main.innerHTML = '<p role="alert">' + esc(errorText(res.data, "Meeting not found")) + "</p>";
        main.setAttribute("data-loaded", "true");
        return;
      }
      var m = res.data;
      var theirs = m.attendee.timezone;
      var start = new Date(m.start);
      var sent = new URLSearchParams(location.search).get("sent") === "1";
      var html = (sent ? '<div class="banner" data-testid="request-sent">Your meeting request was sent to ' +
        esc(m.attendee.name) + ". You'll get a notification when they answer.</div>" : "") +
        "<h1>Meeting with " + esc(m.attendee.name) + "</h1>" +
        '<p class="meeting__company">' + esc(m.attendee.title) + " · " + esc(m.attendee.company) + "</p>" +
        '<p><span data-testid="meeting-status" class="badge badge--' + esc(m.status) + '">' +
        esc(STATUS_LABELS[m.status] || m.status) + "</span></p>" +
        '<p>When: <time data-testid="meeting-time" datetime="' + isoIn(start, MY_TZ) + '">' + esc(shortDay(start, MY_TZ)) +
        " " + hm(start, MY_TZ) + "–" + hm(plusMinutes(start, C.slot_minutes), MY_TZ) + "</time> your time · " +
        hm(start, theirs) + " " + esc(firstName(m.attendee.name)) + "'s time</p>";
      if (m.status === "accepted" && m.table) {
        html += '<p>Where: <span data-testid="meeting-table">' + esc(m.table) + "</span>, Meeting Area</p>";
      }
      if (m.status === "reschedule_requested" && m.proposed_start) {
        var proposed = new Date(m.proposed_start);
        html += '<div class="reschedule" data-testid="reschedule"><p>' + esc(firstName(m.attendee.name)) +
          ' suggested a new time: <time data-testid="proposed-time" datetime="' + isoIn(proposed, MY_TZ) + '">' +
          esc(shortDay(proposed, MY_TZ)) + " " + hm(proposed, MY_TZ) + "</time> your time</p>" +
          '<button type="button" class="btn btn--primary" data-answer="yes">Accept new time</button>' +
          '<button type="button" class="btn" data-answer="no">Decline</button></div>';
      }
      html += '<blockquote data-testid="meeting-message">' + esc(m.message) + "</blockquote>";
      if (m.status === "pending") html += '<button type="button" class="btn" data-testid="cancel-request">Cancel request</button>';
      main.innerHTML = html;
      main.setAttribute("data-meeting-id", m.id);
      main.setAttribute("data-status", m.status);
      main.setAttribute("data-loaded", "true");
      main.querySelectorAll("[data-answer]").forEach(function (button) {
        button.addEventListener("click", function () {
          api("POST", "/meetings/" + encodeURIComponent(m.id) + "/reschedule_response",
            { accept: button.getAttribute("data-answer") === "yes" }).then(function () { renderMeeting(); });
        });
      });
      var cancel = main.querySelector('[data-testid="cancel-request"]');
      if (cancel) cancel.addEventListener("click", function () {
        api("POST", "/meetings/" + encodeURIComponent(m.id) + "/cancel").then(function () { renderMeeting(); });
      });
    });
  }

  // -- schedule ------------------------------------------------------------------------------------------
  function renderSchedule() {
    app.innerHTML = topbar("schedule") + '<main class="schedule"><h1>Schedule</h1>' +
      '<ol data-testid="schedule" data-loaded="false"></ol></main>';
    api("GET", "/schedule").then(function (res) {
      var list = app.querySelector('[data-testid="schedule"]');
      var meetings = (res.data && res.data.meetings) || [];
      list.innerHTML = meetings.length ? meetings.map(function (m) {
        var start = new Date(m.start);
        return '<li data-testid="schedule-item" data-meeting-id="' + esc(m.id) + '">' +
          '<time datetime="' + isoIn(start, MY_TZ) + '">' + esc(shortDay(start, MY_TZ)) + " " + hm(start, MY_TZ) + "–" +
          hm(plusMinutes(start, C.slot_minutes), MY_TZ) + "</time> " +
          '<a href="' + EVENT_PATH + "/meetings/" + esc(m.id) + '">' + esc(m.attendee.name) + ", " + esc(m.attendee.company) +
          '</a> <span class="table" data-testid="schedule-table">' + esc(m.table) + "</span></li>";
      }).join("") : '<li class="empty">No meetings yet.</li>';
      list.setAttribute("data-loaded", "true");
    });
  }

  if (C.page === "sign_in") renderSignIn();
  else if (C.page === "people") renderPeople();
  else if (C.page === "meeting") renderMeeting();
  else if (C.page === "schedule") renderSchedule();
  window.addEventListener("popstate", function () { location.reload(); });
})();

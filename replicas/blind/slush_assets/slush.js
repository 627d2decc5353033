/* Slush matchmaking, blind build: fills the server-rendered shells from the event API.
   "Your time" is the browser's zone; "their time" is the attendee's. Clock: 12-hour. */
(function () {
  "use strict";

  var S = window.__SLUSH_EVENT__ || {};
  var HOME = "/events/" + S.slug;
  var MINE = (Intl.DateTimeFormat().resolvedOptions().timeZone) || "UTC";
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  var uid = 0;

  function esc(v) {
    return String(v == null ? "" : v).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function nextId(prefix) { uid += 1; return prefix + "-" + uid.toString(36) + Math.floor(Math.random() * 1e4).toString(36); }

  var formats = {};
  function wall(date, tz) {
    var f = formats[tz] || (formats[tz] = new Intl.DateTimeFormat("en-US", {
      timeZone: tz, year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric",
      weekday: "long", hourCycle: "h23"
    }));
    var o = {};
    f.formatToParts(date).forEach(function (p) { o[p.type] = p.value; });
    return { y: +o.year, m: +o.month, d: +o.day, h: (+o.hour) % 24, min: +o.minute, wd: o.weekday };
  }
  function clock(date, tz) {
    var p = wall(date, tz);
    return (p.h % 12 || 12) + ":" + two(p.min) + " " + (p.h < 12 ? "AM" : "PM");
  }
  function later(date, minutes) { return new Date(date.getTime() + minutes * 60000); }
  function range(date, tz) { return clock(date, tz) + " – " + clock(later(date, S.minutes || 15), tz); }
  function longDay(date, tz) { var p = wall(date, tz); return p.wd + ", " + p.d + " " + MONTHS[p.m - 1] + " " + p.y; }
  function shortDay(date, tz) {
    var p = wall(date, tz);
    return p.wd.slice(0, 3) + ", " + p.d + " " + MONTHS[p.m - 1].slice(0, 3) + " " + p.y;
  }
  function dayOf(date, tz) { var p = wall(date, tz); return p.y + "/" + p.m + "/" + p.d; }
  function zoneName(tz, date) {
    try {
      var parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "long" }).formatToParts(date);
      for (var i = 0; i < parts.length; i++) if (parts[i].type === "timeZoneName") return parts[i].value;
    } catch (e) { /* fall through */ }
    return tz;
  }
  function firstName(name) { return String(name).split(/\s+/)[0]; }
  function tableText(table) { return /^\d+$/.test(String(table)) ? "Table " + table : String(table); }

  function call(method, path, body) {
    var init = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (r) {
      return r.text().then(function (text) {
        var data = {};
        try { data = text ? JSON.parse(text) : {}; } catch (e) { data = {}; }
        return { ok: r.ok, status: r.status, data: data };
      });
    }, function () { return { ok: false, status: 0, data: {} }; });
  }
  function problem(res, fallback) { return (res.data && res.data.errors && res.data.errors[0]) || fallback; }

  /* Wait for the privacy dialog (if any) to be answered before opening anything modal over it. */
  function afterConsent(fn) {
    var d = document.getElementById("privacy-preferences");
    if (!d || !d.open) { fn(); return; }
    d.addEventListener("close", function () { fn(); }, { once: true });
  }

  // -- the side panel: requests remaining -----------------------------------------------------------
  var quotaKnown = null;
  function loadQuota() {
    var aside = document.querySelector("aside.css-s1d3pn");
    if (!aside) return Promise.resolve(null);
    aside.setAttribute("aria-busy", "true");
    return call("GET", S.api + "/me").then(function (res) {
      if (res.ok) {
        aside.querySelector(".css-b1gnum").textContent = String(res.data.meeting_requests_remaining);
        quotaKnown = res.data.meeting_requests_remaining;
      }
      aside.removeAttribute("aria-busy");
      return quotaKnown;
    });
  }

  // -- log in ----------------------------------------------------------------------------------------
  function loginPage() {
    var form = document.querySelector("form.css-f0rm8a");
    var inputs = form.querySelectorAll("input");
    var errorBox = form.querySelector(".css-err0r1");
    var button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      errorBox.innerHTML = "";
      var email = inputs[0].value.trim();
      var password = inputs[1].value;
      if (!email || !password) {
        errorBox.innerHTML = '<p role="alert">Enter your e-mail address and password.</p>';
        return;
      }
      button.disabled = true;
      button.textContent = "Logging in…";
      call("POST", "/api/auth/sign_in", { email: email, password: password }).then(function (res) {
        if (res.ok) {
          var next = typeof S.next === "string" && S.next.charAt(0) === "/" && S.next.charAt(1) !== "/" ? S.next : HOME + "/people";
          window.location.assign(next);
          return;
        }
        button.disabled = false;
        button.textContent = "Log in";
        errorBox.innerHTML = '<p role="alert">' + esc(problem(res, "Logging in failed. Try again.")) + "</p>";
      });
    });
  }

  // -- people ----------------------------------------------------------------------------------------------
  var peopleSeq = 0;
  var peopleTimer = null;
  var quotaLoad = null;

  function peoplePage() {
    quotaLoad = loadQuota();
    var search = document.getElementById("people-q-8");
    search.addEventListener("input", function () {
      clearTimeout(peopleTimer);
      setBusy("Searching…");
      peopleTimer = setTimeout(function () { loadPeople(search.value.trim()); }, 400);
    });
    loadPeople("");
    if (S.profile) afterConsent(function () { openProfile(S.profile, null); });
    window.addEventListener("popstate", function () {
      var id = new URLSearchParams(window.location.search).get("profile");
      closeProfile(true);
      if (id) openProfile(id, null);
    });
  }

  function setBusy(text) {
    var body = document.querySelector("table.css-t4bl3x tbody");
    body.setAttribute("aria-busy", "true");
    body.classList.add("css-f4d3d0");
    document.querySelector(".css-st4tus").textContent = text;
  }

  function loadPeople(query) {
    var seq = ++peopleSeq;
    call("GET", S.api + "/attendees?search=" + encodeURIComponent(query)).then(function (res) {
      if (seq !== peopleSeq) return;
      var body = document.querySelector("table.css-t4bl3x tbody");
      var status = document.querySelector(".css-st4tus");
      var found = (res.data && res.data.attendees) || [];
      body.innerHTML = "";
      if (!res.ok) {
        body.innerHTML = '<tr><td colspan="3">' + esc(problem(res, "Attendees could not be loaded.")) + "</td></tr>";
      } else if (!found.length) {
        body.innerHTML = '<tr><td colspan="3" class="css-mut3d0">No attendees match “' + esc(query) + "”.</td></tr>";
      }
      var buttons = [];
      found.forEach(function (person) {
        var nameId = nextId("attendee");
        var row = document.createElement("tr");
        row.innerHTML = '<td><span class="css-pn4m3z" id="' + nameId + '">' + esc(person.name) + "</span>" +
          '<span class="css-mut3d0 css-pt1tl3">' + esc(person.title) + "</span></td>" +
          "<td>" + esc(person.company) + "</td>" +
          '<td class="css-4ct10n"><button type="button" class="css-b3k1s0 css-b3k1s0--small" disabled ' +
          'aria-describedby="' + nameId + '">Suggest Meeting</button></td>';
        var button = row.querySelector("button");
        button.addEventListener("click", function () {
          window.history.pushState(null, "", HOME + "/people?profile=" + encodeURIComponent(person.id));
          openProfile(person.id, button);
        });
        buttons.push(button);
        body.appendChild(row);
      });
      status.textContent = res.ok ? (found.length === 1 ? "1 attendee" : found.length + " attendees") +
        (query ? " match “" + query + "”" : "") : "";
      // Actions wake up once the quota is known as well.
      (quotaLoad || Promise.resolve()).then(function () {
        if (seq !== peopleSeq) return;
        buttons.forEach(function (b) { b.disabled = false; });
        body.removeAttribute("aria-busy");
        body.classList.remove("css-f4d3d0");
      });
    });
  }

  // -- a person's profile: a modal dialog with availability and the request -------------------------------
  var current = null;  // {dialog, id, seq}
  var profileSeq = 0;

  function closeProfile(keepUrl) {
    if (!current) return;
    var d = current.dialog;
    current = null;
    if (d.open) d.close();
    d.remove();
    if (!keepUrl) window.history.replaceState(null, "", HOME + "/people");
  }

  function openProfile(id, opener) {
    closeProfile(true);
    var seq = ++profileSeq;
    var d = document.createElement("dialog");
    var titleId = nextId("profile-title");
    d.className = "css-d14l0g";
    d.setAttribute("aria-labelledby", titleId);
    d.innerHTML = '<div class="css-dh34d0"><h2 id="' + titleId + '" class="css-h2x0qq">Loading profile…</h2>' +
      '<button type="button" class="css-cl0s3x" aria-label="Close">×</button></div>' +
      '<div class="css-db0dy1" aria-busy="true"><p role="status" class="css-st4tus">Loading availability…</p>' +
      '<div class="css-sk3l00" aria-hidden="true"></div><div class="css-sk3l00" aria-hidden="true"></div>' +
      '<div class="css-sk3l00" aria-hidden="true"></div><div class="css-sk3l00" aria-hidden="true"></div></div>';
    document.body.appendChild(d);
    current = { dialog: d, id: id, seq: seq, opener: opener };
    d.querySelector(".css-cl0s3x").addEventListener("click", function () { closeProfile(false); });
    d.addEventListener("cancel", function (e) { e.preventDefault(); closeProfile(false); });
    d.showModal();
    loadSlots(seq, d, id, null);
  }

  function loadSlots(seq, d, id, keep) {
    var body = d.querySelector(".css-db0dy1");
    call("GET", S.api + "/attendees/" + encodeURIComponent(id) + "/timeslots").then(function (res) {
      if (!current || current.seq !== seq) return;
      if (!res.ok) {
        d.querySelector("h2").textContent = "Profile unavailable";
        body.innerHTML = '<p role="alert">' + esc(problem(res, "This profile is not available.")) + "</p>";
        body.removeAttribute("aria-busy");
        return;
      }
      showProfile(seq, d, res.data, keep);
    });
  }

  function showProfile(seq, d, data, keep) {
    var person = data.attendee;
    var theirs = person.timezone;
    var first = firstName(person.name);
    var slots = data.timeslots || [];
    var body = d.querySelector(".css-db0dy1");
    var groupName = nextId("slot");
    var now = new Date(S.now || Date.now());
    d.querySelector("h2").textContent = person.name;

    var days = [];
    var byDay = {};
    slots.forEach(function (slot) {
      var key = dayOf(new Date(slot.start), MINE);
      if (!byDay[key]) { byDay[key] = []; days.push(key); }
      byDay[key].push(slot);
    });
    var all = [];
    var html = days.map(function (key) {
      var legend = longDay(new Date(byDay[key][0].start), MINE);
      return '<fieldset class="css-fs0d4y"><legend>' + esc(legend) + "</legend>" + byDay[key].map(function (slot) {
        var start = new Date(slot.start);
        all.push(slot.start);
        return '<label class="css-sl0t9r"><input type="radio" name="' + groupName + '" value="' + (all.length - 1) + '">' +
          '<span class="css-m1n3tt">' + esc(range(start, MINE)) + " your time</span> " +
          '<span class="css-th31rs">· ' + esc(range(start, theirs)) + " " + esc(first) + "’s time</span></label>";
      }).join("") + "</fieldset>";
    }).join("");

    var messageTitle = nextId("message-title");
    body.innerHTML = '<p class="css-mut3d0">' + esc(person.title) + " at " + esc(person.company) + "</p>" +
      '<section class="css-4v41l0" aria-labelledby="' + titleOf("avail") + '">' +
      '<h3 id="' + titleOf("avail") + '" class="css-h3zz10">Available networking slots</h3>' +
      '<p class="css-mut3d0">15-minute meetings. Times are shown in your time zone (' + esc(zoneName(MINE, now)) +
      ") and in " + esc(first) + "’s (" + esc(zoneName(theirs, now)) + ").</p>" +
      '<div class="css-sl0tl5">' + (html || '<p class="css-mut3d0">' + esc(first) +
        " has no free networking slots left.</p>") + "</div></section>" +
      '<section class="css-c0mp05" aria-labelledby="' + messageTitle + '" hidden>' +
      '<h3 id="' + messageTitle + '" class="css-h3zz10">Add a personal message</h3>' +
      '<p class="css-ch0s3n"></p>' +
      '<textarea class="css-t3xt4r" rows="7" aria-labelledby="' + messageTitle + '"></textarea>' +
      '<p class="css-mut3d0 css-c0unt3"><span>0</span> characters</p>' +
      '<div class="css-err0r1"></div>' +
      '<button type="button" class="css-b3k1s0" disabled>Send meeting request</button></section>';
    body.removeAttribute("aria-busy");

    var compose = body.querySelector(".css-c0mp05");
    var textarea = compose.querySelector("textarea");
    var send = compose.querySelector("button");
    var chosen = null;
    if (keep) {
      textarea.value = keep.message;
      compose.hidden = false;
      compose.querySelector(".css-err0r1").innerHTML = '<p role="alert">' + esc(keep.error) + "</p>";
      compose.querySelector(".css-c0unt3 span").textContent = String(keep.message.length);
    }
    function refresh() {
      compose.querySelector(".css-c0unt3 span").textContent = String(textarea.value.length);
      send.disabled = !(chosen && textarea.value.trim());
    }
    body.querySelectorAll("input[type=radio]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (data.compose === false) return;  // the message box never opens
        chosen = all[+radio.value];
        var start = new Date(chosen);
        compose.querySelector(".css-ch0s3n").textContent = "Requesting " + range(start, MINE) + " on " +
          shortDay(start, MINE) + " (your time) with " + person.name + ".";
        compose.hidden = false;
        refresh();
        compose.scrollIntoView({ block: "nearest" });
      });
    });
    textarea.addEventListener("input", refresh);

    send.addEventListener("click", function () {
      if (!chosen) return;
      var errorBox = compose.querySelector(".css-err0r1");
      errorBox.innerHTML = "";
      send.disabled = true;
      send.textContent = "Sending…";
      send.setAttribute("aria-busy", "true");
      call("POST", S.api + "/meetings", { attendee_id: person.id, start: chosen, message: textarea.value })
        .then(function (res) {
          if (!current || current.seq !== seq) return;
          quotaLoad = loadQuota();
          if (res.status === 201) {
            sent(d, person, res.data);
            return;
          }
          var text = problem(res, "Your request could not be sent.");
          send.removeAttribute("aria-busy");
          send.textContent = "Send meeting request";
          // Someone may have taken the slot: show fresh availability, keep what was typed.
          body.setAttribute("aria-busy", "true");
          loadSlots(seq, d, person.id, { message: textarea.value, error: text });
        });
    });
  }
  function titleOf(kind) { return kind + "-heading-" + profileSeq; }

  function sent(d, person, meeting) {
    var start = new Date(meeting.start);
    var body = d.querySelector(".css-db0dy1");
    var link = HOME + "/meetings/" + encodeURIComponent(meeting.id);
    body.innerHTML = '<div class="css-d0n3ok" role="status">' +
      '<h3 class="css-h3zz10">Meeting request sent</h3>' +
      "<p>" + esc(person.name) + " will get your request for " + esc(shortDay(start, MINE)) + ", " +
      esc(range(start, MINE)) + " (your time). It stays pending until " + esc(firstName(person.name)) +
      " answers; you’ll get an e-mail then.</p>" +
      '<p><a class="css-l1nk0o" href="' + link + '">View request</a></p>' +
      '<button type="button" class="css-b3k1s0 css-b3k1s0--ghost">Back to people</button></div>';
    body.querySelector("button").addEventListener("click", function () { closeProfile(false); });
  }

  // -- one meeting -------------------------------------------------------------------------------------------
  var STATUS = {
    pending: function () { return "Request pending"; },
    accepted: function () { return "Confirmed"; },
    declined: function (first) { return "Declined by " + first; },
    reschedule_requested: function (first) { return first + " suggested another time"; },
    cancelled: function () { return "Cancelled by you"; }
  };

  function meetingPage() {
    loadQuota();
    var main = document.querySelector("main");
    main.setAttribute("aria-busy", "true");
    call("GET", S.api + "/meetings/" + encodeURIComponent(S.meeting)).then(function (res) {
      var box = main.querySelector(".css-m33t1n");
      if (!res.ok) {
        box.innerHTML = '<p role="alert">' + esc(problem(res, "Meeting not found")) + "</p>";
        main.removeAttribute("aria-busy");
        return;
      }
      var m = res.data;
      var who = m.attendee;
      var first = firstName(who.name);
      var start = new Date(m.start);
      var label = (STATUS[m.status] || function () { return m.status; })(first);
      var html = '<h2 class="css-h2x0qq">' + esc(who.name) + "</h2>" +
        '<p class="css-mut3d0">' + esc(who.title) + " · " + esc(who.company) + "</p>" +
        '<dl class="css-dl0a7s">' +
        "<dt>Status</dt><dd><strong class=\"css-st4t3s css-st4t3s--" + esc(m.status) + "\">" + esc(label) + "</strong></dd>" +
        "<dt>Time</dt><dd>" + esc(shortDay(start, MINE)) + ", " + esc(range(start, MINE)) + " (your time)</dd>" +
        "<dt>" + esc(first) + "’s time</dt><dd>" + esc(range(start, who.timezone)) + "</dd>";
      if (m.status === "accepted" && m.table) {
        html += "<dt>Meeting point</dt><dd>" + esc(tableText(m.table)) + "</dd>";
      }
      html += "<dt>Your message</dt><dd><p class=\"css-msg0pr\">" + esc(m.message) + "</p></dd></dl>";
      if (m.status === "reschedule_requested" && m.proposed_start) {
        var proposed = new Date(m.proposed_start);
        html += '<section class="css-r3sch0" aria-labelledby="proposal-8">' +
          '<h3 id="proposal-8" class="css-h3zz10">' + esc(first) + " proposed a new time</h3>" +
          "<p>" + esc(shortDay(proposed, MINE)) + ", " + esc(range(proposed, MINE)) + " (your time) · " +
          esc(range(proposed, who.timezone)) + " " + esc(first) + "’s time</p>" +
          '<div class="css-9dd2k0"><button type="button" class="css-b3k1s0" value="yes">Accept proposed time</button>' +
          '<button type="button" class="css-b3k1s0 css-b3k1s0--ghost" value="no">Decline proposed time</button></div></section>';
      }
      if (m.status === "pending" || m.status === "accepted") {
        html += '<p><button type="button" class="css-b3k1s0 css-b3k1s0--danger">' +
          (m.status === "pending" ? "Cancel meeting request" : "Cancel meeting") + "</button></p>";
      }
      box.innerHTML = html;
      main.removeAttribute("aria-busy");
      box.querySelectorAll(".css-r3sch0 button").forEach(function (button) {
        button.addEventListener("click", function () {
          box.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
          call("POST", S.api + "/meetings/" + encodeURIComponent(m.id) + "/reschedule_response",
            { accept: button.value === "yes" }).then(reloadMeeting);
        });
      });
      var cancel = box.querySelector(".css-b3k1s0--danger");
      if (cancel) cancel.addEventListener("click", function () { confirmCancel(m); });
    });
  }
  function reloadMeeting() {
    var box = document.querySelector(".css-m33t1n");
    box.innerHTML = '<div class="css-sk3l00" aria-hidden="true"></div><div class="css-sk3l00" aria-hidden="true"></div>';
    meetingPage();
  }

  function confirmCancel(m) {
    var d = document.createElement("dialog");
    var t = nextId("cancel-title");
    d.className = "css-d14l0g css-d14l0g--narrow";
    d.setAttribute("aria-labelledby", t);
    d.innerHTML = '<h2 id="' + t + '" class="css-h2x0qq">Cancel this meeting request?</h2>' +
      "<p>" + esc(m.attendee.name) + " will be told, and the request goes back to your quota.</p>" +
      '<div class="css-9dd2k0"><button type="button" class="css-b3k1s0 css-b3k1s0--ghost" value="keep">Keep request</button>' +
      '<button type="button" class="css-b3k1s0 css-b3k1s0--danger" value="cancel">Yes, cancel it</button></div>';
    document.body.appendChild(d);
    d.addEventListener("close", function () { d.remove(); });
    d.querySelectorAll("button").forEach(function (b) {
      b.addEventListener("click", function () {
        if (b.value !== "cancel") { d.close(); return; }
        b.disabled = true;
        call("POST", S.api + "/meetings/" + encodeURIComponent(m.id) + "/cancel").then(function () {
          d.close();
          reloadMeeting();
        });
      });
    });
    d.showModal();
  }

  // -- schedule ---------------------------------------------------------------------------------------------
  function schedulePage() {
    loadQuota();
    var main = document.querySelector("main");
    call("GET", S.api + "/schedule").then(function (res) {
      var box = main.querySelector(".css-sch3d0");
      var meetings = (res.data && res.data.meetings) || [];
      if (!res.ok) {
        box.innerHTML = '<p role="alert">' + esc(problem(res, "Your schedule could not be loaded.")) + "</p>";
      } else if (!meetings.length) {
        box.innerHTML = '<p class="css-mut3d0">Nothing scheduled yet. Accepted meetings show up here.</p>';
      } else {
        box.innerHTML = meetings.map(function (m) {
          var start = new Date(m.start);
          var id = nextId("meeting");
          return '<article class="css-c4rd77 css-sch1t3" aria-labelledby="' + id + '">' +
            '<h2 id="' + id + '" class="css-h2x0qq">' + esc(shortDay(start, MINE)) + ", " + esc(range(start, MINE)) + "</h2>" +
            '<p><a class="css-l1nk0o" href="' + HOME + "/meetings/" + encodeURIComponent(m.id) + '">' + esc(m.attendee.name) +
            "</a> · " + esc(m.attendee.company) + "</p>" +
            "<p>Meeting point: " + esc(tableText(m.table || "to be announced")) + "</p></article>";
        }).join("");
      }
      main.removeAttribute("aria-busy");
    });
  }

  function boot() {
    if (S.page === "login") loginPage();
    else if (S.page === "people") peoplePage();
    else if (S.page === "meeting") meetingPage();
    else if (S.page === "schedule") schedulePage();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();

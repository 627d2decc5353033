/* Calendly replica: one vanilla-JS app for the profile, booking and confirmation pages.
   Everything is rendered from the JSON config in <script id="booking-config">. "Now" always comes from
   that config (the replica's clock), never from the browser's clock. */
(function () {
  "use strict";

  var CONFIG = JSON.parse(document.getElementById("booking-config").textContent);
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  var WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  var UTC_ALIASES = ["UTC", "Etc/UTC", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu", "Etc/UCT", "UCT"];
  // [U] invented: the real menu groups ~500 zones by region; this is a flat list of common ones.
  var COMMON_ZONES = ["UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin",
    "Europe/Stockholm", "Europe/Helsinki", "Europe/Athens", "Europe/Istanbul", "Asia/Dubai", "Asia/Kolkata",
    "Asia/Singapore", "Asia/Shanghai", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland", "America/Sao_Paulo",
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"];
  var NOW = new Date(CONFIG.now);
  var root = document.getElementById("root");

  var ICONS = {
    clock: '<svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true"><circle cx="10" cy="10" r="8" fill="none" stroke="currentColor" stroke-width="2"/><path d="M10 5v5l3 2" fill="none" stroke="currentColor" stroke-width="2"/></svg>',
    calendar: '<svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true"><rect x="2" y="4" width="16" height="14" rx="2" fill="none" stroke="currentColor" stroke-width="2"/><path d="M2 8h16M6 2v4M14 2v4" stroke="currentColor" stroke-width="2"/></svg>',
    globe: '<svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true"><circle cx="10" cy="10" r="8" fill="none" stroke="currentColor" stroke-width="2"/><path d="M2 10h16M10 2c3 3 3 13 0 16M10 2c-3 3-3 13 0 16" fill="none" stroke="currentColor" stroke-width="1.5"/></svg>',
    person: '<svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true"><circle cx="10" cy="6" r="4" fill="none" stroke="currentColor" stroke-width="2"/><path d="M2 19c0-5 16-5 16 0" fill="none" stroke="currentColor" stroke-width="2"/></svg>',
    caret: '<svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true"><path d="M1 3l4 4 4-4" fill="none" stroke="currentColor" stroke-width="2"/></svg>',
    back: '<svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true"><path d="M12 4l-6 6 6 6" fill="none" stroke="currentColor" stroke-width="2.5"/></svg>',
    check: '<svg width="36" height="36" viewBox="0 0 36 36" aria-hidden="true"><circle cx="18" cy="18" r="17" fill="#038164"/><path d="M10 18l6 6 10-12" fill="none" stroke="#fff" stroke-width="3"/></svg>'
  };

  // -- small helpers ------------------------------------------------------------------------------
  function esc(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function ymd(y, m, d) { return y + "-" + pad(m) + "-" + pad(d); }
  function ym(y, m) { return y + "-" + pad(m); }
  function daysInMonth(y, m) { return new Date(Date.UTC(y, m, 0)).getUTCDate(); }
  function weekday(y, m, d) { return new Date(Date.UTC(y, m - 1, d)).getUTCDay(); }
  function clock(hh, mm) { return (hh % 12 || 12) + ":" + pad(mm) + (hh < 12 ? "am" : "pm"); }
  function dayHeading(y, m, d) { return WEEKDAYS[weekday(y, m, d)] + ", " + MONTHS[m - 1] + " " + d; }
  function parseYmd(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || "");
    return m ? { y: +m[1], m: +m[2], d: +m[3] } : null;
  }
  function parseYm(s) {
    var m = /^(\d{4})-(\d{2})$/.exec(s || "");
    return m && +m[2] >= 1 && +m[2] <= 12 ? { y: +m[1], m: +m[2] } : null;
  }
  function monthIndex(v) { return v.y * 12 + (v.m - 1); }
  function fromIndex(i) { return { y: Math.floor(i / 12), m: (i % 12) + 1 }; }

  var partsCache = {};
  /** Wall-clock parts of an instant in a zone. */
  function zparts(date, tz) {
    var f = partsCache[tz] || (partsCache[tz] = new Intl.DateTimeFormat("en-US", {
      timeZone: tz, year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric",
      hourCycle: "h23"
    }));
    var o = {};
    f.formatToParts(date).forEach(function (p) { if (p.type !== "literal") o[p.type] = parseInt(p.value, 10); });
    return { y: o.year, m: o.month, d: o.day, hh: o.hour % 24, mm: o.minute };
  }
  function validZone(tz) {
    try { new Intl.DateTimeFormat("en-US", { timeZone: tz }); return true; } catch (e) { return false; }
  }
  /** "Central European Time": the long zone name without Standard/Daylight/Summer. UTC reads "UTC Time" as
      in the recorded accessibility tree ("Time zone UTC Time (6:29pm)"). */
  function zoneName(tz) {
    if (UTC_ALIASES.indexOf(tz) >= 0) return "UTC Time";
    var name = tz;
    try {
      var part = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "long" }).formatToParts(NOW)
        .filter(function (p) { return p.type === "timeZoneName"; })[0];
      if (part) name = part.value;
    } catch (e) { /* keep the IANA name */ }
    return name.replace(/\s+(Standard|Daylight|Summer)(?=\s|$)/g, "").trim();
  }
  /** "Central European Time (3:29pm)" */
  function zoneLabel(tz) {
    var p = zparts(NOW, tz);
    return zoneName(tz) + " (" + clock(p.hh, p.mm) + ")";
  }
  /** "9:00am - 9:30am, Monday, January 6, 2025" */
  function rangeText(start, minutes, tz) {
    var a = zparts(start, tz), b = zparts(new Date(start.getTime() + minutes * 60000), tz);
    return clock(a.hh, a.mm) + " - " + clock(b.hh, b.mm) + ", " + dayHeading(a.y, a.m, a.d) + ", " + a.y;
  }
  function notify(event, payload) {
    try { window.parent.postMessage({ event: event, payload: payload || {} }, "*"); } catch (e) { /* ignore */ }
  }
  function el(html) {
    var t = document.createElement("template");
    t.innerHTML = html.trim();
    return t.content.firstElementChild;
  }
  function durationText(minutes) {
    if (minutes < 60 || minutes % 60) return minutes + " min";
    return minutes / 60 + (minutes === 60 ? " hr" : " hrs");
  }
  function initials(name) {
    return String(name).split(/\s+/).filter(Boolean).slice(0, 2).map(function (w) { return w[0].toUpperCase(); }).join("");
  }

  // -- page chrome and cookie banner --------------------------------------------------------------
  // [U] invented: the banner's wording and the cookie values; ids and button texts follow OneTrust / the DS tree.
  function chrome() {
    document.body.appendChild(el(
      '<div class="fcBJh5DTgSxDQaxHWh4u" data-testid="powered-by"><span>POWERED BY</span><span>Calendly</span></div>'));
    var links = el('<div class="dWfGf2z53pFSeLmR1ohC"><button type="button">Cookie settings</button>' +
      '<a href="#report-abuse">Report abuse</a></div>');
    links.querySelector("button").addEventListener("click", function () { showBanner(true); });
    document.body.appendChild(links);
    showBanner(false);
  }
  function showBanner(force) {
    var existing = document.getElementById("onetrust-banner-sdk");
    if (existing) { if (force) existing.hidden = false; return; }
    if (!force) {
      if (!CONFIG.cookie_banner) return;
      if (new URLSearchParams(location.search).get("hide_gdpr_banner") === "1") return;
      if (/(^|;\s*)OptanonAlertBoxClosed=/.test(document.cookie)) return;
    }
    var wrap = el(
      '<div id="onetrust-consent-sdk"><div id="onetrust-banner-sdk" role="region" aria-label="Cookie banner">' +
      '<div id="onetrust-policy"><h2 id="onetrust-policy-title">We respect your personal privacy</h2>' +
      '<p id="onetrust-policy-text">We use cookies to give you the best experience on our website, to analyse ' +
      "traffic and to personalise content. You can choose which cookies we may use.</p></div>" +
      '<div id="onetrust-button-group"><button type="button" id="onetrust-accept-btn-handler">I understand</button>' +
      '<button type="button" id="onetrust-reject-all-handler">Do not allow cookies</button></div></div></div>');
    wrap.querySelectorAll("button").forEach(function (button) {
      button.addEventListener("click", function () {
        document.cookie = "OptanonAlertBoxClosed=" + encodeURIComponent(new Date().toISOString()) + "; path=/; SameSite=Lax";
        document.cookie = "OptanonConsent=" + (button.id === "onetrust-accept-btn-handler" ? "all" : "necessary") + "; path=/; SameSite=Lax";
        document.getElementById("onetrust-banner-sdk").hidden = true;
      });
    });
    document.body.appendChild(wrap);
  }

  // -- profile and team pages ---------------------------------------------------------------------
  function renderProfile() {
    var p = CONFIG.profile;
    var intro = p.kind === "team" ? "Choose a meeting with a member of our team."
      : "Welcome to my scheduling page. Please follow the instructions to add an event to my calendar.";
    var cards = CONFIG.cards.map(function (c) {
      return '<a class="s0rwt6eaQnsF1ZkvQDB0" href="' + esc(c.href) + '">' +
        '<div data-id="event-type-header-title">' + esc(c.title) + "</div>" +
        // [U] invented: data-id="event-type-host" on team pages
        (c.host_name ? '<div data-id="event-type-host">' + esc(c.host_name) + "</div>" : "") +
        '<div class="kVtnB1sJdjwZt7hx5Qfd">' + esc(durationText(c.duration)) + "</div></a>";
    }).join("");
    root.innerHTML = '<div class="vXODG3JdP3dNSMN_2yKi"><div class="QXsW0gV7W6iN3fqXHUn_">' +
      '<div class="n7DtgKhZaPJk1fsGgKWB" aria-hidden="true">' + esc(initials(p.name)) + "</div>" +
      '<h1 data-testid="profile-name">' + esc(p.name) + "</h1><p>" + esc(intro) + "</p></div>" +
      '<div class="Wg4D2yI9D3uwM6WGqwKb" data-testid="event-type-list">' + cards + "</div></div>";
    notify("calendly.profile_page_viewed");
  }

  function renderNotFound() {
    root.innerHTML = '<div class="vXODG3JdP3dNSMN_2yKi"><div class="Q3XZh5cg7gLdrnUtIIP0">' +
      "<h1>This Calendly URL isn't valid</h1><p>The page you are looking for doesn't exist.</p></div></div>";
  }

  // -- booking page: state ------------------------------------------------------------------------
  var EVENT = CONFIG.event_type;
  var S = {
    tz: null,
    today: null,        // {y, m, d} in S.tz
    view: null,         // {y, m} shown in the calendar
    days: null,         // {"2025-01-06": ["2025-01-06T09:00:00+02:00", ...]} for the view, once loaded
    selectedDate: null, // "2025-01-06"
    selectedTime: null, // spot start_time string
    loadSeq: 0
  };

  function browserZone() {
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return tz && validZone(tz) ? tz : "UTC";
  }
  function setZone(tz) {
    S.tz = tz;
    var t = zparts(NOW, tz);
    S.today = { y: t.y, m: t.m, d: t.d };
  }
  function minMonth() { return monthIndex(S.today); }
  function maxMonth() {
    var max = minMonth() + 2;
    if (CONFIG.last_slot) max = Math.max(max, monthIndex(zparts(new Date(CONFIG.last_slot), S.tz)));
    return max;
  }
  /** The current query string with month/date replaced; prefill and embed parameters survive. */
  function query(month, date) {
    var q = new URLSearchParams(location.search);
    q.delete("month");
    q.delete("date");
    if (month) q.set("month", month);
    if (date) q.set("date", date);
    var s = q.toString();
    return s ? "?" + s : "";
  }
  function sidePanel(extra) {
    return '<div data-container="side-panel" class="bRjkoQIkYRMfrFLF1V1u">' +
      '<div class="V8ZrR6w6hZsdnpwEyg5n" data-testid="host-name">' + esc(CONFIG.profile.name) + "</div>" +
      '<h1 class="nI6gAr5U0CGKVh0XtNjx" data-testid="event-type-title">' + esc(EVENT.title) + "</h1>" +
      '<div class="ZbA4pHGjd1IiwaLxJCJn">' + ICONS.clock + '<span data-testid="event-duration">' +
      esc(durationText(EVENT.duration)) + "</span></div>" + (extra || "") + "</div>";
  }
  function shell(sideExtra, mainHtml) {
    root.innerHTML = '<div class="vXODG3JdP3dNSMN_2yKi"><div data-container="booking-container" class="Fz0JHpz2CLTaHpXm8vJe">' +
      sidePanel(sideExtra) + '<div class="lWCvrVoovInTBRWD6k4b">' + mainHtml + "</div></div></div>";
  }

  // -- booking page: calendar view ----------------------------------------------------------------
  function renderCalendarView() {
    document.title = "Select a Date & Time - Calendly";
    shell("",
      '<div data-component="spotpicker" class="spotpicker">' +
      '<h2 class="cEbMxeWYFaeZWSiBUv0A">Select a Date &amp; Time</h2>' +
      '<div class="pE6_L3frMc5ObPgLuGsM"><div class="hmYGjOJRLhDpSMnEbNhT">' +
      '<div data-testid="calendar"><div class="XRmPBvIN5BvAW9pmVn8k">' +
      '<button type="button" class="Hz7aw7PYZj02sgTyeh4b" aria-label="Go to previous month">&#8249;</button>' +
      '<div data-testid="title" class="ngx3DxgLX0cg5xWZkU4H"></div>' +
      '<button type="button" class="Hz7aw7PYZj02sgTyeh4b" aria-label="Go to next month">&#8250;</button></div>' +
      '<div data-testid="calendar-grid"></div></div>' +
      // [U] invented: data-testid="timezone-button" and data-timezone on the zone button and its options
      '<div class="IAbr7qVrIY2d3rIBYtOK"><h4 id="tz-label">Time zone</h4>' +
      '<button type="button" id="tz-button" data-testid="timezone-button" class="bkGuRHP3E6L6I1PM7tgu" ' +
      'aria-haspopup="listbox" aria-expanded="false" aria-labelledby="tz-label tz-button">' +
      ICONS.globe + '<span data-testid="timezone-text"></span>' + ICONS.caret + "</button></div></div>" +
      '<div data-testid="times-column"></div></div>' +
      '<div aria-live="assertive" aria-atomic="true" class="ZeHPx4HRxDc5c9l1CgEw" data-testid="live-region"></div></div>');
    var prev = root.querySelector('[aria-label="Go to previous month"]');
    var next = root.querySelector('[aria-label="Go to next month"]');
    prev.addEventListener("click", function () { changeMonth(-1); });
    next.addEventListener("click", function () { changeMonth(1); });
    root.querySelector('[data-testid="timezone-button"]').addEventListener("click", toggleZoneList);
    renderZoneButton();
    loadMonth();
  }

  function renderZoneButton() {
    var button = root.querySelector('[data-testid="timezone-button"]');
    button.setAttribute("data-timezone", S.tz);
    button.querySelector('[data-testid="timezone-text"]').textContent = zoneLabel(S.tz);
  }

  function toggleZoneList(e) {
    e.stopPropagation();
    var button = e.currentTarget;
    var open = root.querySelector('[role="listbox"]');
    if (open) { closeZoneList(); return; }
    var zones = COMMON_ZONES.slice();
    if (zones.indexOf(S.tz) < 0) zones.unshift(S.tz);
    var list = el('<div role="listbox" aria-label="Time zone" class="cGZb8qrhx3ewLJ0_2MS4">' + zones.map(function (tz) {
      return '<div role="option" tabindex="-1" class="k5sDy2EqowRyfGcL8yDJ" data-timezone="' + esc(tz) +
        '" aria-selected="' + (tz === S.tz) + '">' + esc(zoneLabel(tz)) + "</div>";
    }).join("") + "</div>");
    list.addEventListener("click", function (ev) {
      var option = ev.target.closest('[role="option"]');
      if (!option) return;
      ev.stopPropagation();
      closeZoneList();
      chooseZone(option.getAttribute("data-timezone"));
    });
    button.setAttribute("aria-expanded", "true");
    button.parentNode.appendChild(list);
  }
  function closeZoneList() {
    var list = root.querySelector('[role="listbox"]');
    if (list) list.remove();
    var button = root.querySelector('[data-testid="timezone-button"]');
    if (button) button.setAttribute("aria-expanded", "false");
  }
  document.addEventListener("click", function (e) {
    if (!e.target.closest || !e.target.closest('[role="listbox"]')) closeZoneList();
  });

  function chooseZone(tz) {
    if (tz === S.tz) return;
    var date = S.selectedDate;
    setZone(tz);
    S.view = fromIndex(Math.min(Math.max(monthIndex(S.view), minMonth()), maxMonth()));
    S.selectedTime = null;
    S.selectedDate = date && date.slice(0, 7) === ym(S.view.y, S.view.m) ? date : null;
    renderZoneButton();
    loadMonth();
  }

  function changeMonth(step) {
    var target = monthIndex(S.view) + step;
    if (target < minMonth() || target > maxMonth()) return;
    S.view = fromIndex(target);
    S.selectedDate = null;
    S.selectedTime = null;
    history.replaceState(null, "", location.pathname + query(ym(S.view.y, S.view.m), null));
    loadMonth();
  }

  function loadMonth() {
    var seq = ++S.loadSeq;
    var view = S.view;
    S.days = null;
    renderMonthHeader();
    renderTimes();
    root.querySelector('[data-testid="calendar-grid"]').innerHTML =
      '<div class="a0Ab9wq3jTW2oQsTLD6Y" data-testid="calendar-loader" role="status">Loading…</div>';
    var url = CONFIG.api.range + "?timezone=" + encodeURIComponent(S.tz) + "&diagnostics=false&range_start=" +
      ymd(view.y, view.m, 1) + "&range_end=" + ymd(view.y, view.m, daysInMonth(view.y, view.m));
    fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (data) {
      if (seq !== S.loadSeq) return;
      var days = {};
      data.days.forEach(function (day) {
        if (day.status === "available" && day.spots.length) {
          days[day.date] = day.spots.filter(function (s) { return s.status === "available"; })
            .map(function (s) { return s.start_time; });
        }
      });
      S.days = days;
      if (S.selectedDate && !days[S.selectedDate]) { S.selectedDate = null; S.selectedTime = null; }
      renderGrid();
      renderTimes();
    }).catch(function () {
      if (seq !== S.loadSeq) return;
      root.querySelector('[data-testid="calendar-grid"]').innerHTML =
        '<div class="a0Ab9wq3jTW2oQsTLD6Y" role="alert">Something went wrong. Please try again.</div>';
    });
  }

  function renderMonthHeader() {
    root.querySelector('[data-testid="title"]').textContent = MONTHS[S.view.m - 1] + " " + S.view.y;
    root.querySelector('[aria-label="Go to previous month"]').disabled = monthIndex(S.view) <= minMonth();
    root.querySelector('[aria-label="Go to next month"]').disabled = monthIndex(S.view) >= maxMonth();
  }

  function renderGrid() {
    var y = S.view.y, m = S.view.m, first = weekday(y, m, 1), count = daysInMonth(y, m);
    var head = WEEKDAYS.map(function (w) {
      return '<th scope="col"><abbr title="' + w + '">' + w.slice(0, 3).toUpperCase() + "</abbr></th>";
    }).join("");
    var cells = [], d;
    for (d = 0; d < first; d++) cells.push("<td></td>");
    for (d = 1; d <= count; d++) {
      var key = ymd(y, m, d), bookable = !!S.days[key], selected = key === S.selectedDate;
      var label = dayHeading(y, m, d) + (bookable ? " - Times available" : " - No times available");
      cells.push('<td role="gridcell" aria-selected="' + selected + '"><button type="button" class="ctPMWTK6aZJa2M1UtaWT' +
        (bookable ? " booking-kit_button-bookable_80ba95eb" : "") + (selected ? " HbDrbrmWHx0iKJvg3UHi" : "") +
        '" aria-label="' + label + '" data-date="' + key + '"' + (!bookable || selected ? " disabled" : "") +
        "><span>" + d + "</span></button></td>");
    }
    while (cells.length % 7) cells.push("<td></td>");
    var rows = [];
    for (d = 0; d < cells.length; d += 7) rows.push("<tr>" + cells.slice(d, d + 7).join("") + "</tr>");
    var grid = root.querySelector('[data-testid="calendar-grid"]');
    grid.innerHTML = '<table aria-label="Select a Day" class="oHWLB0vnOVewnWVaiYB6"><thead><tr>' + head +
      '</tr></thead><tbody data-testid="calendar-table">' + rows.join("") + "</tbody></table>";
    grid.querySelectorAll("button[data-date]").forEach(function (button) {
      button.addEventListener("click", function () { selectDate(button.getAttribute("data-date")); });
    });
  }

  function selectDate(key) {
    if (!S.days || !S.days[key]) return;
    S.selectedDate = key;
    S.selectedTime = null;
    root.querySelectorAll('td[role="gridcell"]').forEach(function (td) {
      var button = td.querySelector("button");
      var isSel = button.getAttribute("data-date") === key;
      td.setAttribute("aria-selected", String(isSel));
      button.disabled = isSel || !S.days[button.getAttribute("data-date")];
      button.classList.toggle("HbDrbrmWHx0iKJvg3UHi", isSel);
    });
    var p = parseYmd(key);
    root.querySelector('[data-testid="live-region"]').textContent =
      "Times for " + MONTHS[p.m - 1] + " " + p.d + " are now displayed";
    history.replaceState(null, "", location.pathname + query(key.slice(0, 7), key));
    renderTimes();
  }

  function renderTimes() {
    var column = root.querySelector('[data-testid="times-column"]');
    if (!S.selectedDate || !S.days || !S.days[S.selectedDate]) { column.innerHTML = ""; return; }
    var p = parseYmd(S.selectedDate);
    var items = S.days[S.selectedDate].map(function (iso) {
      var t = /T(\d{2}):(\d{2})/.exec(iso), label = clock(+t[1], +t[2]);
      return '<div role="listitem" class="jm1q5yVR_vyhTj9UjmZz"><button type="button" class="uvkj3lhTYBVkrGgaQeSR" ' +
        'data-container="time-button" data-start-time="' + label + '" data-iso="' + esc(iso) + '"><div><div>' +
        label + "</div></div></button></div>";
    }).join("");
    column.innerHTML = '<div data-component="spotpicker-times" class="YuSk2xb7WEpbhH6kIEnx">' +
      '<h3 data-component="spotpicker-times-subtitle">' + dayHeading(p.y, p.m, p.d) + "</h3>" +
      '<div data-component="spotpicker-times-list" role="list" class="cZn2N1p9WUj3oCs1sKGu">' + items + "</div></div>";
    column.querySelectorAll('button[data-container="time-button"]').forEach(function (button) {
      button.addEventListener("click", function () { selectTime(button); });
    });
  }

  function selectTime(button) {
    root.querySelectorAll('[data-component="spotpicker-times-list"] [role="listitem"]').forEach(function (item) {
      var next = item.querySelector('button:not([data-container="time-button"])');
      if (next) next.remove();
      item.querySelector('button[data-container="time-button"]').disabled = false;
    });
    var iso = button.getAttribute("data-iso"), label = button.getAttribute("data-start-time");
    S.selectedTime = iso;
    button.disabled = true;
    var next = el('<button type="button" class="o4BoEqcc9BHw3BCAWF6w" aria-label="Next ' + label + '">Next</button>');
    next.addEventListener("click", function () { goToDetails(iso); });
    button.parentNode.appendChild(next);
  }

  function goToDetails(iso) {
    notify("calendly.date_and_time_selected");
    if (CONFIG.faults.details_form_never_renders) return; // fault: the click goes nowhere
    var date = iso.slice(0, 10);
    history.pushState(null, "", CONFIG.event_path + "/" + iso + query(date.slice(0, 7), date));
    renderDetails(iso);
  }

  // -- booking page: details form -----------------------------------------------------------------
  function field(name, label, type, required, value, extra) {
    var id = name === "full_name" || name === "email" ? name + "_input" : name;
    var control = type === "textarea"
      ? '<textarea class="xGgX2ZdXPEeQ5nqw2sT0" id="' + id + '" name="' + name + '" rows="3"' + (required ? " required" : "") + ">" + esc(value || "") + "</textarea>"
      : '<input class="xGgX2ZdXPEeQ5nqw2sT0" id="' + id + '" name="' + name + '" type="' + type + '"' + (required ? " required" : "") +
        ' value="' + esc(value || "") + '"' + (extra || "") + ">";
    return '<div class="ic3WaxUb6GaAQXqpMQM3"><label for="' + id + '">' + esc(label) + (required ? " *" : "") + "</label>" + control + "</div>";
  }

  function renderDetails(iso) {
    var start = new Date(iso);
    if (isNaN(start.getTime())) { renderCalendarFromUrl(); return; }
    document.title = "Enter Details - Calendly";
    if (CONFIG.faults.details_form_never_renders) { // fault: the form never appears, even from a direct link
      shell("", '<div class="a0Ab9wq3jTW2oQsTLD6Y" role="status">Loading…</div>');
      return;
    }
    var q = new URLSearchParams(location.search);
    var name = q.get("name") || [q.get("first_name"), q.get("last_name")].filter(Boolean).join(" ");
    var first = q.get("first_name") || (q.get("name") || "").split(/\s+/)[0] || "";
    var last = q.get("last_name") || (q.get("name") || "").split(/\s+/).slice(1).join(" ");
    var names = EVENT.split_name
      ? field("first_name", "First Name", "text", true, first, ' autocomplete="given-name"') +
        field("last_name", "Last Name", "text", true, last, ' autocomplete="family-name"')
      : field("full_name", "Name", "text", true, name, ' autocomplete="name"');
    var questions = EVENT.questions.map(function (question, i) {
      return field("question_" + i, question, "textarea", EVENT.required_questions, i < 10 ? q.get("a" + (i + 1)) : "");
    }).join("");
    shell(
      '<div class="ZbA4pHGjd1IiwaLxJCJn">' + ICONS.calendar + '<span data-testid="event-time-range">' +
      esc(rangeText(start, EVENT.duration, S.tz)) + "</span></div>" +
      '<div class="ZbA4pHGjd1IiwaLxJCJn">' + ICONS.globe + '<span data-testid="event-timezone">' + esc(zoneName(S.tz)) + "</span></div>",
      '<div data-container="details" class="Wqmsnn7VbI9Q4Xu2DwuO">' +
      // [U] invented: the Back button's label, the "Enter Details" heading and the guests field
      '<button type="button" class="q3XjdhOd3ssStNqHs7Xc" aria-label="Go back">' + ICONS.back + "Back</button>" +
      "<h2>Enter Details</h2><form>" + names +
      field("email", "Email", "email", true, q.get("email"), ' autocomplete="email"') +
      '<button type="button" class="tzyt7z5EYeRj6a9rSB6U" data-testid="add-guests">Add Guests</button>' +
      '<div data-testid="guests" hidden>' + field("guests", "Guest Email(s)", "textarea", false, "") + "</div>" +
      questions +
      '<p class="eYMXmXUvnGdBEaZxjPvm">By proceeding, you confirm that you have read and agree to Calendly\'s Terms of Use and Privacy Notice.</p>' +
      '<button type="submit" class="mNxG0SU6ik5wrZulvY7y">Schedule Event</button></form></div>');
    var details = root.querySelector('[data-container="details"]');
    details.querySelector('[aria-label="Go back"]').addEventListener("click", function () {
      var p = zparts(start, S.tz), date = ymd(p.y, p.m, p.d);
      history.pushState(null, "", CONFIG.event_path + query(date.slice(0, 7), date));
      renderCalendarFromUrl();
    });
    details.querySelector('[data-testid="add-guests"]').addEventListener("click", function (e) {
      e.currentTarget.hidden = true;
      details.querySelector('[data-testid="guests"]').hidden = false;
    });
    var form = details.querySelector("form");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      submit(form, start);
    });
  }

  function submit(form, start) {
    var button = form.querySelector('button[type="submit"]');
    var old = form.querySelector('[role="alert"]');
    if (old) old.remove();
    var value = function (name) { var f = form.elements[name]; return f ? f.value.trim() : ""; };
    var body = {
      event_type_uuid: EVENT.uuid,
      start_time: start.toISOString(),
      email: value("email"),
      timezone: S.tz,
      guests: value("guests").split(/[\s,;]+/).filter(Boolean),
      questions_and_answers: EVENT.questions.map(function (question, i) {
        return { question: question, answer: value("question_" + i), position: i };
      })
    };
    if (EVENT.split_name) { body.first_name = value("first_name"); body.last_name = value("last_name"); }
    else body.full_name = value("full_name");
    button.disabled = true;
    fetch(CONFIG.api.invitees, {
      method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) { return { ok: r.ok, data: data }; });
    }).then(function (res) {
      if (res.ok) {
        // [U] invented: the confirmation page's URL
        location.assign(CONFIG.event_path + "/invitees/" + encodeURIComponent(res.data.invitee_uuid));
        return;
      }
      showError(form, res.data.message || "Something went wrong. Please try again.");
    }).catch(function () {
      showError(form, "Something went wrong. Please try again.");
    });
  }
  function showError(form, message) {
    var alert = el('<div role="alert" class="dYs1WbvQeKJe5n2wqAIw"></div>');
    alert.textContent = message;
    form.insertBefore(alert, form.firstChild);
    form.querySelector('button[type="submit"]').disabled = false;
  }

  // -- booking page: routing ----------------------------------------------------------------------
  function renderCalendarFromUrl() {
    var q = new URLSearchParams(location.search);
    var date = parseYmd(q.get("date")), month = parseYm(q.get("month")) || (date ? { y: date.y, m: date.m } : null);
    var index = month ? monthIndex(month) : minMonth();
    S.view = fromIndex(Math.min(Math.max(index, minMonth()), maxMonth()));
    S.selectedDate = date && date.y === S.view.y && date.m === S.view.m ? q.get("date") : null;
    S.selectedTime = null;
    history.replaceState(null, "", location.pathname + query(ym(S.view.y, S.view.m), S.selectedDate));
    renderCalendarView();
  }
  function routeBooking() {
    var rest = decodeURIComponent(location.pathname.slice(CONFIG.event_path.length)).replace(/^\/|\/$/g, "");
    if (rest) renderDetails(rest);
    else renderCalendarFromUrl();
  }
  function startBooking() {
    var zone = CONFIG.display_timezone && validZone(CONFIG.display_timezone) ? CONFIG.display_timezone : browserZone();
    setZone(zone);
    window.addEventListener("popstate", routeBooking);
    routeBooking();
    notify("calendly.event_type_viewed");
  }

  // -- confirmation page --------------------------------------------------------------------------
  function renderConfirmation() {
    var b = CONFIG.booking;
    var tz = b.timezone && validZone(b.timezone) ? b.timezone : "UTC";
    var start = new Date(b.start_time);
    root.innerHTML = '<div class="vXODG3JdP3dNSMN_2yKi"><div data-container="confirmation" class="Q3XZh5cg7gLdrnUtIIP0">' +
      ICONS.check + "<h1>You are scheduled</h1>" +
      '<p data-testid="scheduled-with">You are scheduled with ' + esc(b.host_name) + ".</p>" +
      '<div data-testid="event-details" class="ojnoWXtJ2VKVl0NvbSU7">' +
      '<div data-testid="event-details-title">' + esc(b.event_title) + "</div>" +
      '<div class="ZbA4pHGjd1IiwaLxJCJn">' + ICONS.person + "<span>" + esc(b.host_name) + "</span></div>" +
      '<div class="ZbA4pHGjd1IiwaLxJCJn">' + ICONS.calendar + '<span data-testid="event-details-time">' +
      esc(rangeText(start, b.duration, tz)) + "</span></div>" +
      '<div class="ZbA4pHGjd1IiwaLxJCJn">' + ICONS.globe + '<span data-testid="event-details-timezone">' +
      esc(zoneName(tz)) + "</span></div></div>" +
      "<p>A calendar invitation has been sent to your email address.</p></div></div>";
    var base = CONFIG.base_url + "/scheduled_events/" + b.event_uuid;
    notify("calendly.event_scheduled", { event: { uri: base }, invitee: { uri: base + "/invitees/" + b.invitee_uuid } });
  }

  // -- boot ---------------------------------------------------------------------------------------
  if (CONFIG.page === "profile") renderProfile();
  else if (CONFIG.page === "booking") startBooking();
  else if (CONFIG.page === "confirmation") renderConfirmation();
  else renderNotFound();
  chrome();
})();

/* Calendly replica, second (blind) build: hydrates the server-rendered pages.
   State comes from window.__BOOKING_STATE__; "now" is the replica's clock, never the browser's.
   Platform hooks (data-testid, data-start-time, ...) are added only when STATE.hooks is true. */
(function () {
  "use strict";

  var STATE = window.__BOOKING_STATE__ || {};
  var HOOKS = !!STATE.hooks;
  var NOW = new Date(STATE.now || Date.now());
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  var WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  var UTC_NAMES = ["UTC", "Etc/UTC", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu", "Etc/UCT", "UCT", "GMT", "Etc/GMT"];
  var MENU_ZONES = ["Pacific/Honolulu", "America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York",
    "America/Sao_Paulo", "UTC", "Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Stockholm", "Europe/Helsinki",
    "Europe/Istanbul", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney"];
  var ZONE_KEY = "calendly.invitee_timezone";

  // -- tiny DOM and date helpers ------------------------------------------------------------------
  function h(tag, attrs, kids) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "class") node.className = value;
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    });
    (kids || []).forEach(function (kid) {
      if (kid === null || kid === undefined) return;
      node.appendChild(typeof kid === "string" ? document.createTextNode(kid) : kid);
    });
    return node;
  }
  function hook(attrs, name, value) { if (HOOKS) attrs[name] = value; return attrs; }
  function one(selector, scope) { return (scope || document).querySelector(selector); }
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function isoDay(y, m, d) { return y + "-" + two(m) + "-" + two(d); }
  function isoMonth(y, m) { return y + "-" + two(m); }
  function monthDays(y, m) { return new Date(Date.UTC(y, m, 0)).getUTCDate(); }
  function weekdayOf(y, m, d) { return new Date(Date.UTC(y, m - 1, d)).getUTCDay(); }
  function hm(hh, mm) { return (hh % 12 || 12) + ":" + two(mm) + (hh < 12 ? "am" : "pm"); }
  function ordinalMonth(v) { return v.y * 12 + v.m - 1; }
  function monthAt(i) { return { y: Math.floor(i / 12), m: (i % 12) + 1 }; }
  function parseDay(s) {
    var r = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || "");
    return r ? { y: +r[1], m: +r[2], d: +r[3] } : null;
  }
  function parseMonth(s) {
    var r = /^(\d{4})-(\d{2})$/.exec(s || "");
    return r && +r[2] >= 1 && +r[2] <= 12 ? { y: +r[1], m: +r[2] } : null;
  }
  function longDay(y, m, d) { return WEEKDAYS[weekdayOf(y, m, d)] + ", " + MONTHS[m - 1] + " " + d; }

  var formats = {};
  function wall(date, tz) {
    var f = formats[tz] || (formats[tz] = new Intl.DateTimeFormat("en-US", {
      timeZone: tz, year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", hourCycle: "h23"
    }));
    var o = {};
    f.formatToParts(date).forEach(function (p) { o[p.type] = p.value; });
    return { y: +o.year, m: +o.month, d: +o.day, hh: (+o.hour) % 24, mm: +o.minute };
  }
  function zoneOk(tz) {
    if (!tz) return false;
    try { new Intl.DateTimeFormat("en-US", { timeZone: tz }); return true; } catch (e) { return false; }
  }
  function zoneTitle(tz) {
    if (UTC_NAMES.indexOf(tz) >= 0) return "UTC Time";
    try {
      var part = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "long" }).formatToParts(NOW)
        .filter(function (p) { return p.type === "timeZoneName"; })[0];
      if (part) return part.value;
    } catch (e) { /* fall through */ }
    return tz.replace(/_/g, " ");
  }
  function zoneText(tz) { var w = wall(NOW, tz); return zoneTitle(tz) + " (" + hm(w.hh, w.mm) + ")"; }
  function zoneOffset(tz) { var w = wall(NOW, tz); return Date.UTC(w.y, w.m - 1, w.d, w.hh, w.mm) - NOW.getTime(); }
  function pageZone() {
    var saved = null;
    try { saved = window.sessionStorage.getItem(ZONE_KEY); } catch (e) { /* storage may be off */ }
    if (zoneOk(saved)) return saved;
    if (zoneOk(STATE.display_timezone)) return STATE.display_timezone;
    var browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return zoneOk(browser) ? browser : "UTC";
  }
  function rememberZone(tz) { try { window.sessionStorage.setItem(ZONE_KEY, tz); } catch (e) { /* ignore */ } }
  function spanText(start, minutes, tz) {
    var a = wall(start, tz), b = wall(new Date(start.getTime() + minutes * 60000), tz);
    return hm(a.hh, a.mm) + " – " + hm(b.hh, b.mm) + " · " + longDay(a.y, a.m, a.d) + ", " + a.y;
  }

  function tell(event, payload) {
    try { window.parent.postMessage({ event: event, payload: payload || {} }, "*"); } catch (e) { /* ignore */ }
  }
  function tellHeight() { tell("calendly.page_height", { height: document.documentElement.scrollHeight + "px" }); }
  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
  }
  function eventUuid() {
    var lookup = STATE.lookup || {};
    if (lookup.link) return getJSON(lookup.link).then(function (d) { return d.owner_uuid; });
    return getJSON("/api/booking/event_types/lookup?profile_slug=" + encodeURIComponent(lookup.profile_slug) +
      "&event_type_slug=" + encodeURIComponent(lookup.event_type_slug)).then(function (d) { return d.uuid; });
  }
  /** The page's query string with month/date replaced; prefill and embed parameters stay. */
  function withDate(month, day) {
    var q = new URLSearchParams(location.search);
    q.delete("month");
    q.delete("date");
    if (month) q.set("month", month);
    if (day) q.set("date", day);
    var s = q.toString();
    return s ? "?" + s : "";
  }
  function spinner(label) {
    return h("div", { class: "css-sp1n0r", role: "progressbar", "aria-label": label }, [h("span")]);
  }
  function chevron(left) {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.innerHTML = '<path d="' + (left ? "M10 2L4 8l6 6" : "M6 2l6 6-6 6") + '" fill="none" stroke="currentColor" stroke-width="2"/>';
    return svg;
  }

  // -- calendar step ------------------------------------------------------------------------------
  var C = {
    tz: null, today: null, view: null, userMonth: false, avail: null, selected: null, pendingDay: null,
    monthSeq: 0, daySeq: 0, uuid: null, calendar: null, times: null, status: null, zoneButton: null, menu: null
  };

  function minMonth() { return ordinalMonth(C.today); }
  function maxMonth() {
    var max = minMonth() + 2;
    if (STATE.horizon) { var w = wall(new Date(STATE.horizon), C.tz); max = Math.max(max, ordinalMonth(w)); }
    return max;
  }
  function useZone(tz) {
    C.tz = tz;
    var w = wall(NOW, tz);
    C.today = { y: w.y, m: w.m, d: w.d };
  }

  function startCalendar() {
    C.calendar = one(".css-k8lnd2");
    C.times = one(".css-t1m3zq");
    C.status = one(".css-sr0nly[role=status]");
    C.zoneButton = one(".css-tzb7t0");
    useZone(pageZone());
    showZone();
    C.zoneButton.addEventListener("click", toggleMenu);
    document.addEventListener("click", function (e) {
      if (C.menu && !C.menu.contains(e.target) && !C.zoneButton.contains(e.target)) closeMenu();
    });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape" && C.menu) { closeMenu(); C.zoneButton.focus(); } });

    var q = new URLSearchParams(location.search);
    var month = parseMonth(q.get("month")), day = parseDay(q.get("date"));
    if (!month && day) month = { y: day.y, m: day.m };
    C.userMonth = !!month;
    var index = month ? ordinalMonth(month) : minMonth();
    C.view = monthAt(Math.min(Math.max(index, minMonth()), maxMonth()));
    C.pendingDay = day && day.y === C.view.y && day.m === C.view.m ? q.get("date") : null;

    C.uuid = eventUuid();
    loadMonth(!C.userMonth);
    tell("calendly.event_type_viewed");
  }

  function showZone() {
    var text = zoneText(C.tz);
    one(".css-tzt8x1", C.zoneButton).textContent = text;
    C.zoneButton.setAttribute("aria-label", "Time zone " + text);
  }

  function toggleMenu(e) {
    e.stopPropagation();
    if (C.menu) { closeMenu(); return; }
    var zones = MENU_ZONES.slice();
    if (zones.indexOf(C.tz) < 0) zones.push(C.tz);
    zones.sort(function (a, b) { return zoneOffset(a) - zoneOffset(b) || (a < b ? -1 : 1); });
    var items = zones.map(function (tz) {
      var w = wall(NOW, tz);
      return h("button", {
        type: "button", role: "menuitemradio", "aria-checked": tz === C.tz ? "true" : "false", class: "css-z1t3m0",
        onclick: function (ev) { ev.stopPropagation(); closeMenu(); pickZone(tz); }
      }, [h("span", { class: "css-z1n4m3" }, [zoneTitle(tz)]), h("span", { class: "css-z1c1ty" }, [tz.replace(/_/g, " ")]),
        h("span", { class: "css-z1hm0o" }, [hm(w.hh, w.mm)])]);
    });
    C.menu = h("div", { class: "css-p0p0vr", role: "menu", "aria-label": "Choose a time zone" }, items);
    C.zoneButton.setAttribute("aria-expanded", "true");
    C.zoneButton.parentNode.appendChild(C.menu);
    var checked = one('[aria-checked="true"]', C.menu);
    if (checked) checked.focus();
  }
  function closeMenu() {
    if (C.menu) C.menu.remove();
    C.menu = null;
    C.zoneButton.setAttribute("aria-expanded", "false");
  }
  function pickZone(tz) {
    if (tz === C.tz) return;
    rememberZone(tz);
    useZone(tz);
    showZone();
    C.view = monthAt(Math.min(Math.max(ordinalMonth(C.view), minMonth()), maxMonth()));
    C.pendingDay = C.selected;
    C.selected = null;
    loadMonth(false);
  }

  function monthBar() {
    var prev = h("button", { type: "button", class: "css-nv1b7n", onclick: function () { stepMonth(-1); } },
      [chevron(true), h("span", { class: "css-sr0nly" }, ["Go to previous month"])]);
    var next = h("button", { type: "button", class: "css-nv1b7n", onclick: function () { stepMonth(1); } },
      [chevron(false), h("span", { class: "css-sr0nly" }, ["Go to next month"])]);
    prev.disabled = ordinalMonth(C.view) <= minMonth();
    next.disabled = ordinalMonth(C.view) >= maxMonth();
    return h("div", { class: "css-mb4r0w" }, [
      prev, h("div", { class: "css-mt1t1e", "aria-live": "polite" }, [MONTHS[C.view.m - 1] + " " + C.view.y]), next]);
  }

  function stepMonth(step) {
    var target = ordinalMonth(C.view) + step;
    if (target < minMonth() || target > maxMonth()) return;
    C.view = monthAt(target);
    C.selected = null;
    C.pendingDay = null;
    history.replaceState(null, "", location.pathname + withDate(isoMonth(C.view.y, C.view.m), null));
    loadMonth(false);
  }

  function grid(loading) {
    var y = C.view.y, m = C.view.m, lead = (weekdayOf(y, m, 1) + 6) % 7, count = monthDays(y, m);
    var head = h("div", { role: "row", class: "css-r0w5hd" }, ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].map(function (w, i) {
      return h("div", { role: "columnheader", class: "css-c0lh3d", "aria-label": WEEKDAYS[(i + 1) % 7] }, [w]);
    }));
    var cells = [], d;
    for (d = 0; d < lead; d++) cells.push(h("div", { role: "gridcell", class: "css-c3ll0e" }));
    for (d = 1; d <= count; d++) cells.push(dayCell(y, m, d, loading));
    while (cells.length % 7) cells.push(h("div", { role: "gridcell", class: "css-c3ll0e" }));
    var rows = [];
    for (d = 0; d < cells.length; d += 7) rows.push(h("div", { role: "row", class: "css-r0w5hd" }, cells.slice(d, d + 7)));
    var table = h("div", { role: "table", class: "css-gr1d0x", "aria-labelledby": "cal-caption", "aria-busy": loading ? "true" : "false" }, [
      h("span", { id: "cal-caption", class: "css-sr0nly" }, ["Select a Day"]),
      h("div", { role: "rowgroup" }, [head]),
      h("div", { role: "rowgroup", class: "css-rg0b0d" }, rows)
    ]);
    return table;
  }

  function dayCell(y, m, d, loading) {
    var key = isoDay(y, m, d), open = !loading && !!(C.avail && C.avail[key]), chosen = key === C.selected;
    var label = longDay(y, m, d) + (loading ? "" : open ? " - Times available" : " - No times available");
    var button = h("button", {
      type: "button", class: "css-d4yb7n" + (open ? " css-0p3nd4" : "") + (chosen ? " css-ch0s3n" : ""),
      "aria-label": label, disabled: loading || !open || chosen,
      onclick: function () { pickDay(key); }
    }, [h("span", {}, [String(d)])]);
    button.__day = key;
    return h("div", { role: "gridcell", class: "css-c3ll0e", "aria-selected": chosen ? "true" : "false" }, [button]);
  }

  function drawCalendar(loading, problem) {
    C.calendar.innerHTML = "";
    C.calendar.appendChild(monthBar());
    if (problem) {
      C.calendar.appendChild(h("div", { class: "css-pr0b1m", role: "alert" }, [
        h("p", {}, ["We couldn't load the available times."]),
        h("button", { type: "button", class: "css-0utl1n", onclick: function () { loadMonth(false); } }, ["Try again"])]));
      return;
    }
    C.calendar.appendChild(grid(loading));
    if (loading) C.calendar.appendChild(spinner("Loading availability"));
  }

  function rangeUrl(uuid, first, last) {
    return "/api/booking/event_types/" + encodeURIComponent(uuid) + "/calendar/range?timezone=" + encodeURIComponent(C.tz) +
      "&diagnostics=false&range_start=" + first + "&range_end=" + last;
  }

  function loadMonth(auto) {
    var seq = ++C.monthSeq, view = C.view;
    C.avail = null;
    hideTimes();
    drawCalendar(true);
    C.uuid.then(function (uuid) {
      return getJSON(rangeUrl(uuid, isoDay(view.y, view.m, 1), isoDay(view.y, view.m, monthDays(view.y, view.m))));
    }).then(function (data) {
      if (seq !== C.monthSeq) return;
      var avail = {}, any = false;
      (data.days || []).forEach(function (day) {
        var free = (day.spots || []).filter(function (s) { return s.status === "available"; });
        if (day.status === "available" && free.length) { avail[day.date] = true; any = true; }
      });
      if (auto && !any && ordinalMonth(view) < maxMonth()) { // jump to the first month with times
        C.view = monthAt(ordinalMonth(view) + 1);
        loadMonth(true);
        return;
      }
      C.avail = avail;
      var day = C.pendingDay && avail[C.pendingDay] ? C.pendingDay : null;
      C.pendingDay = null;
      history.replaceState(null, "", location.pathname + withDate(isoMonth(view.y, view.m), null));
      drawCalendar(false);
      tellHeight();
      if (day) pickDay(day);
    }).catch(function () {
      if (seq !== C.monthSeq) return;
      drawCalendar(false, true);
    });
  }

  function hideTimes() {
    C.daySeq++;
    C.times.hidden = true;
    C.times.innerHTML = "";
  }

  function pickDay(key) {
    if (!C.avail || !C.avail[key]) return;
    C.selected = key;
    Array.prototype.forEach.call(C.calendar.querySelectorAll("button.css-d4yb7n"), function (button) {
      var mine = button.__day === key, open = !!C.avail[button.__day];
      button.disabled = mine || !open;
      button.classList.toggle("css-ch0s3n", mine);
      button.parentNode.setAttribute("aria-selected", mine ? "true" : "false");
    });
    history.replaceState(null, "", location.pathname + withDate(key.slice(0, 7), key));
    var p = parseDay(key), seq = ++C.daySeq;
    var list = h("ul", hook({ class: "css-t1l1st", "aria-label": "Times for " + MONTHS[p.m - 1] + " " + p.d },
      "data-component", "spotpicker-times-list"));
    for (var i = 0; i < 5; i++) list.appendChild(h("li", { class: "css-sk3l3t", "aria-hidden": "true" }));
    C.times.innerHTML = "";
    C.times.appendChild(h("h2", { class: "css-d4yh2x" }, [longDay(p.y, p.m, p.d) + ", " + p.y]));
    C.times.appendChild(list);
    C.times.hidden = false;
    C.uuid.then(function (uuid) { return getJSON(rangeUrl(uuid, key, key)); }).then(function (data) {
      if (seq !== C.daySeq) return;
      var day = (data.days || []).filter(function (d) { return d.date === key; })[0] || { spots: [] };
      var spots = (day.spots || []).filter(function (s) { return s.status === "available"; });
      list.innerHTML = "";
      if (!spots.length) {
        C.times.appendChild(h("p", { class: "css-n0t1m3" }, ["No times are left on this day. Please pick another day."]));
        return;
      }
      spots.forEach(function (spot) { list.appendChild(timeItem(spot.start_time)); });
      C.status.textContent = "Times for " + MONTHS[p.m - 1] + " " + p.d + " are now displayed";
      tellHeight();
    }).catch(function () {
      if (seq !== C.daySeq) return;
      list.innerHTML = "";
      C.times.appendChild(h("p", { class: "css-n0t1m3", role: "alert" }, ["We couldn't load the times for this day."]));
    });
  }

  function timeItem(iso) {
    var t = /T(\d{2}):(\d{2})/.exec(iso), label = hm(+t[1], +t[2]);
    var button = h("button", hook({ type: "button", class: "css-t1m3b7" }, "data-start-time", label),
      [h("span", { class: "css-t1m3lb" }, [label])]);
    var item = h("li", { class: "css-t1m3li" }, [button]);
    button.addEventListener("click", function () { pickTime(item, button, iso, label); });
    return item;
  }

  function pickTime(item, button, iso, label) {
    Array.prototype.forEach.call(C.times.querySelectorAll("li.css-t1m3li"), function (li) {
      var old = one(".css-n3x7b0", li);
      if (old) old.remove();
      var time = one(".css-t1m3b7", li);
      time.disabled = false;
      time.classList.remove("css-ch0s3n");
    });
    button.disabled = true;
    button.classList.add("css-ch0s3n");
    var next = h("button", { type: "button", class: "css-n3x7b0", "aria-label": "Next " + label }, ["Next"]);
    next.addEventListener("click", function () { goToDetails(next, iso); });
    item.appendChild(next);
  }

  function goToDetails(next, iso) {
    tell("calendly.date_and_time_selected");
    if (STATE.stalls) { // fault: the click goes nowhere, only a busy button
      next.setAttribute("aria-busy", "true");
      next.classList.add("css-bu5y0n");
      return;
    }
    rememberZone(C.tz);
    var day = iso.slice(0, 10);
    location.assign(STATE.event_path + "/" + iso + withDate(day.slice(0, 7), day));
  }

  // -- details step -------------------------------------------------------------------------------
  function startDetails() {
    var tz = pageZone(), start = new Date(STATE.start);
    var when = one(".css-wh3n0w"), zone = one(".css-z0n3nm");
    if (when && !isNaN(start.getTime())) when.textContent = spanText(start, STATE.event.duration, tz);
    if (zone) zone.textContent = zoneTitle(tz);
    var form = one("form.css-f0rm3d");
    if (!form) return; // the form never rendered (fault)
    var uuid = eventUuid();
    uuid.catch(function () { /* reported on submit */ });
    var guests = one(".css-gu35ts", form);
    one("button", guests).addEventListener("click", function (e) {
      e.currentTarget.hidden = true;
      var field = one(".css-f13ld0", guests);
      field.hidden = false;
      one("input", field).focus();
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      submitDetails(form, uuid, tz);
    });
  }

  function fieldError(form, name, message) {
    var control = form.elements[name], note = document.getElementById("err-" + name);
    if (!control) return false;
    control.setAttribute("aria-invalid", message ? "true" : "false");
    if (note) { note.textContent = message || ""; note.hidden = !message; }
    return !!message;
  }

  function submitDetails(form, uuidPromise, tz) {
    var button = one('button[type="submit"]', form), alert = one(".css-4l3rt0", form);
    if (button.disabled) return;
    alert.hidden = true;
    alert.innerHTML = "";
    var ev = STATE.event;
    var value = function (name) { var f = form.elements[name]; return f ? f.value.trim() : ""; };
    var names = ev.split_name ? ["first_name", "last_name"] : ["full_name"];
    var bad = null;
    names.forEach(function (n) { if (fieldError(form, n, value(n) ? "" : "Can't be blank.") && !bad) bad = n; });
    var email = value("email");
    var emailProblem = !email ? "Can't be blank." : /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? "" : "Enter a valid email address.";
    if (fieldError(form, "email", emailProblem) && !bad) bad = "email";
    ev.questions.forEach(function (q, i) {
      var n = "question_" + i;
      if (fieldError(form, n, ev.required && !value(n) ? "Can't be blank." : "") && !bad) bad = n;
    });
    if (bad) { form.elements[bad].focus(); return; }

    var body = {
      start_time: STATE.start,
      email: email,
      timezone: tz,
      guests: value("guests").split(/[\s,;]+/).filter(Boolean),
      questions_and_answers: ev.questions.map(function (q, i) { return { question: q, answer: value("question_" + i), position: i }; })
    };
    if (ev.split_name) { body.first_name = value("first_name"); body.last_name = value("last_name"); }
    else body.full_name = value("full_name");
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    uuidPromise.then(function (uuid) {
      body.event_type_uuid = uuid;
      return fetch("/api/booking/invitees", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify(body)
      });
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) { return { ok: r.ok, data: data }; });
    }).then(function (res) {
      if (res.ok && res.data.invitee_uuid) {
        location.replace("/booked/" + encodeURIComponent(res.data.invitee_uuid));
        return;
      }
      var errors = res.data.errors || {}, first = null;
      Object.keys(errors).forEach(function (name) {
        if (fieldError(form, name, "This field " + errors[name] + ".") && !first) first = name;
      });
      failed(form, first ? null : res.data.message || "Something went wrong. Please try again.");
      if (first) form.elements[first].focus();
    }).catch(function () {
      failed(form, "Something went wrong. Please try again.");
    });
  }

  function failed(form, message) {
    var button = one('button[type="submit"]', form), alert = one(".css-4l3rt0", form);
    button.disabled = false;
    button.removeAttribute("aria-busy");
    if (!message) return;
    alert.innerHTML = "";
    alert.appendChild(h("p", {}, [message]));
    var back = one("a.css-b4ck0a");
    if (back) alert.appendChild(h("a", { href: back.getAttribute("href"), class: "css-u8kd3e" }, ["Choose another time"]));
    alert.hidden = false;
  }

  // -- boot ---------------------------------------------------------------------------------------
  function boot() {
    if (STATE.page === "calendar") startCalendar();
    else if (STATE.page === "details") startDetails();
    else if (STATE.page === "profile") tell("calendly.profile_page_viewed");
    else if (STATE.page === "booked") {
      var event = "https://api.calendly.com/scheduled_events/" + STATE.event_uuid;
      tell("calendly.event_scheduled", { event: { uri: event }, invitee: { uri: event + "/invitees/" + STATE.invitee_uuid } });
    }
    tellHeight();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();

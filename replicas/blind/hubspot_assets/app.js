/* HubSpot Meetings, blind second build. Roles, names and texts follow research/platforms.md §3 and §6;
   everything the facts leave open (markup, classes, heading levels, loading states, the zone picker,
   the consent dialog, the confirmation's body text) is this build's own. The DOM is built node by
   node; class names are hashed-looking and carry no meaning for scripts. */
(function () {
  "use strict";

  var BOOT = window.__MEETINGS_BOOT__ || {};
  var LINK = BOOT.link || {};
  var NOW = new Date(BOOT.serverTime);
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  var WEEKDAY = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  var HEAD = [["Mo", "Monday"], ["Tu", "Tuesday"], ["We", "Wednesday"], ["Th", "Thursday"], ["Fr", "Friday"],
    ["Sa", "Saturday"], ["Su", "Sunday"]];
  var query = new URLSearchParams(location.search);
  var mount = document.getElementById("hs-meetings-app");
  var uid = 0;

  // -- tiny DOM helpers ---------------------------------------------------------------------------------
  function el(tag, props, kids) {
    var n = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      var v = props[k];
      if (v == null || v === false) return;
      if (k === "class") n.className = v;
      else if (k === "text") n.textContent = v;
      else if (k.slice(0, 2) === "on") n.addEventListener(k.slice(2), v);
      else if (k === "disabled" || k === "checked" || k === "required") n[k] = true;
      else n.setAttribute(k, v === true ? "" : String(v));
    });
    (kids || []).forEach(function (c) {
      if (c == null || c === false) return;
      n.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return n;
  }
  function hidden(text) { return el("span", { class: "css-1f4v2vh", text: text }); }
  function glyph(text) { return el("span", { class: "css-g1y9ph", "aria-hidden": "true", text: text }); }
  function nextId(prefix) { uid += 1; return prefix + "-" + uid.toString(36); }
  function clear(n) { while (n.firstChild) n.removeChild(n.firstChild); return n; }
  function rand(lo, hi) { return lo + Math.random() * (hi - lo); }

  // -- dates and zones --------------------------------------------------------------------------------
  function two(n) { return n < 10 ? "0" + n : String(n); }
  function okZone(tz) { try { new Intl.DateTimeFormat("en-US", { timeZone: tz }); return !!tz; } catch (e) { return false; } }
  var formatters = {};
  function wall(ms, tz) {
    var f = formatters[tz] || (formatters[tz] = new Intl.DateTimeFormat("en-US", {
      timeZone: tz, year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", hourCycle: "h23" }));
    var o = {};
    f.formatToParts(new Date(ms)).forEach(function (p) { o[p.type] = p.value; });
    var y = +o.year, m = +o.month, d = +o.day;
    return { y: y, m: m, d: d, h: +o.hour % 24, min: +o.minute, key: y + "-" + two(m) + "-" + two(d),
      wd: new Date(Date.UTC(y, m - 1, d)).getUTCDay() };
  }
  function nth(n) {
    var t = n % 100;
    if (t >= 11 && t <= 13) return n + "th";
    return n + ({ 1: "st", 2: "nd", 3: "rd" }[n % 10] || "th");
  }
  function hm(w, upper) {
    var s = (w.h % 12 || 12) + ":" + two(w.min) + " " + (w.h < 12 ? "am" : "pm");
    return upper ? s.toUpperCase() : s;
  }
  function dayName(key) { return MONTHS[+key.slice(5, 7) - 1] + " " + nth(+key.slice(8, 10)); }      // "December 2nd"
  function longWhen(ms, tz) {                                                                        // "Wednesday, December 2, 2026 9:00 AM"
    var w = wall(ms, tz);
    return WEEKDAY[w.wd] + ", " + MONTHS[w.m - 1] + " " + w.d + ", " + w.y + " " + hm(w, true);
  }
  function offsetOf(tz) {
    var at = Math.floor(NOW.getTime() / 60000) * 60000, w = wall(at, tz);
    var mins = Math.round((Date.UTC(w.y, w.m - 1, w.d, w.h, w.min) - at) / 60000), a = Math.abs(mins);
    return { mins: mins, text: "UTC " + (mins < 0 ? "-" : "+") + two(Math.floor(a / 60)) + ":" + two(a % 60) };
  }
  function zoneTitle(tz) {
    var name = "";
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "long" }).formatToParts(NOW).forEach(function (p) {
        if (p.type === "timeZoneName") name = p.value;
      });
    } catch (e) { name = ""; }
    if (!name || /^GMT[+-]/.test(name)) name = tz.replace(/_/g, " ");
    if (name === "Coordinated Universal Time") name = "Greenwich Mean Time";
    return name.replace(/ (Standard|Daylight|Summer) Time$/, " Time");
  }
  function zoneText(tz) { return offsetOf(tz).text + " " + zoneTitle(tz); }   // "UTC +02:00 Eastern European Time"
  function zonePlace(tz) { return tz.indexOf("/") < 0 ? tz : tz.split("/").slice(-1)[0].replace(/_/g, " "); }

  // -- state --------------------------------------------------------------------------------------------
  var st = {
    step: "time", zone: "UTC", view: null, loading: true, failed: false, byMinutes: {}, more: false,
    day: null, minutes: (LINK.durations || [30])[0], slot: null, req: 0, fill: 0, notice: null, result: null, form: null
  };
  var ui = {};

  function announce(text) { if (ui.live) { ui.live.textContent = ""; ui.live.textContent = text; } }
  function monthNo(v) { return v.y * 12 + (v.m - 1); }
  function monthOf(n) { return { y: Math.floor(n / 12), m: (n % 12) + 1 }; }
  function thisMonth() { var w = wall(NOW.getTime(), st.zone); return { y: w.y, m: w.m }; }

  // -- the frame: steps, side panel and main column on every step --------------------------------------
  function frame() {
    clear(mount);
    ui.steps = el("ol", { class: "css-s3tp0a", "aria-label": "Booking steps" });
    ui.side = el("aside", { class: "css-a51dpk", "aria-label": "Meeting details" });
    ui.main = el("main", { class: "css-m7hx2c" });
    ui.live = el("output", { class: "css-1f4v2vh", "aria-live": "polite" });
    mount.appendChild(el("div", { class: "css-9wq3lm" + (BOOT.embedded ? " css-9wq3lm--embed" : "") }, [
      el("header", { class: "css-h7dr0p" }, [ui.steps]),
      el("div", { class: "css-c0l5zz" }, [ui.side, ui.main]),
      ui.live
    ]));
  }
  function paintSteps() {
    clear(ui.steps);
    [["CHOOSE TIME", "time"], ["YOUR INFO", "info"]].forEach(function (s, i) {
      var done = (i === 0 && st.step !== "time") || (i === 1 && st.step === "done");
      var current = st.step === s[1];
      ui.steps.appendChild(el("li", { class: "css-s7ep1k" + (done ? " completed" : "") + (current ? " css-s7ep1k--now" : ""),
        "aria-current": current ? "step" : null }, [el("span", { class: "css-n0m8rr", "aria-hidden": "true", text: done ? "\u2713" : String(i + 1) }), s[0]]));
    });
  }
  function paintSide() {
    clear(ui.side);
    var who = LINK.organizer || "";
    var initials = who.split(/\s+/).filter(Boolean).map(function (p) { return p[0]; }).slice(0, 2).join("").toUpperCase();
    var mins = (LINK.durations || []).map(function (m) { return String(m); });
    ui.side.appendChild(el("div", { class: "css-av4t4r", "aria-hidden": "true", text: initials || "?" }));
    ui.side.appendChild(el("p", { class: "css-0rg4nz", text: who }));
    ui.side.appendChild(el("p", { class: "css-ttl9x2", text: LINK.name || document.title }));
    ui.side.appendChild(el("ul", { class: "css-f4ct5l" }, [
      el("li", {}, [glyph("\u23F1 "), (mins.length > 1 ? mins.slice(0, -1).join(", ") + " or " + mins[mins.length - 1] : mins[0]) + " min"]),
      LINK.location ? el("li", {}, [glyph("\u{1F4CD} "), LINK.location]) : null
    ]));
    if (LINK.offline) {
      ui.side.appendChild(el("p", { class: "css-0ff1n3", text: "Meetings on this page are requests: they are not added to a calendar automatically, and the time is confirmed by email." }));
    }
    if (st.step === "info" && st.slot != null) {
      var lbl = nextId("edit-label");
      ui.side.appendChild(el("div", { class: "css-p1ck3d" }, [
        el("h4", { class: "css-wh3n4x", text: longWhen(st.slot, st.zone) }),
        el("span", { id: lbl, hidden: true, text: "Click to change the meeting date or time" }),
        el("button", { type: "button", class: "css-l1nkbt", "aria-labelledby": lbl, onclick: backToTimes }, ["Edit"]),
        el("p", { class: "css-l0c4tn", text: LINK.location || "" })
      ]));
    }
  }

  // -- CHOOSE TIME ------------------------------------------------------------------------------------------
  function showTimeStep() {
    st.step = "time";
    st.slot = null;
    paintSteps();
    paintSide();
    clear(ui.main);
    ui.monthHead = el("h3", { class: "css-h0m7nq" });
    ui.prev = el("button", { type: "button", class: "css-nv81bt", onclick: function () { moveMonth(-1); } });
    ui.next = el("button", { type: "button", class: "css-nv81bt", onclick: function () { moveMonth(1); } });
    ui.grid = el("div", { class: "css-gr1dwp" });
    ui.lengths = el("div", { class: "css-dur4tn" });
    ui.calendar = el("section", { class: "css-c4l3nd", "aria-busy": "true" }, [
      el("div", { class: "css-mb4r0q" }, [ui.prev, ui.monthHead, ui.next]), ui.grid, ui.lengths]);
    var headId = nextId("wtwb");
    ui.timesBody = el("div", { class: "css-tb0dy1" });
    ui.zoneSlot = el("div", { class: "css-zn5l0t" });
    ui.times = el("section", { class: "css-t1m3zs", "aria-labelledby": headId }, [
      el("h2", { id: headId, class: "css-wt8h2q", text: "What time works best?" }), ui.timesBody, ui.zoneSlot]);
    ui.notice = el("div", { class: "css-n0t1c3" });
    ui.main.appendChild(ui.notice);
    ui.main.appendChild(el("div", { class: "css-ch0053" }, [ui.calendar, ui.times]));
    if (st.notice) {
      ui.notice.appendChild(el("p", { role: "alert", class: "css-3rr0r1", text: st.notice }));
      st.notice = null;
    }
    load();
  }

  function moveMonth(step) {
    var to = monthNo(st.view) + step;
    if (to < monthNo(thisMonth()) || (step > 0 && !st.more)) return;
    st.view = monthOf(to);
    st.day = null;
    load();
  }

  function load() {
    var seq = ++st.req;
    st.loading = true;
    st.failed = false;
    st.byMinutes = {};
    paintCalendar();
    paintTimes(false);
    announce("Loading available times");
    var offset = monthNo(st.view) - monthNo(thisMonth());
    var url = "/meetings-public/v3/book/availability-page?slug=" + encodeURIComponent(LINK.slug) +
      "&monthOffset=" + offset + "&timezone=" + encodeURIComponent(st.zone);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("status " + r.status);
      return r.json();
    }).then(function (body) {
      if (seq !== st.req) return;
      var table = (body.linkAvailability || {}).linkAvailabilityByDuration || {};
      st.byMinutes = {};
      Object.keys(table).forEach(function (ms) {
        var days = st.byMinutes[Math.round(+ms / 60000)] = {};
        (table[ms].availabilities || []).forEach(function (a) {
          var key = wall(a.startMillisUtc, st.zone).key;
          (days[key] = days[key] || []).push(a.startMillisUtc);
        });
        Object.keys(days).forEach(function (k) { days[k].sort(function (a, b) { return a - b; }); });
      });
      st.more = !!(body.linkAvailability || {}).hasMore;
      st.loading = false;
      if (st.day && !dayTimes(st.day).length) st.day = null;
      paintCalendar();
      paintLengths();
      paintTimes(false);
      announce(st.day ? "Now displaying start times for " + st.minutes + " mins blocks available on " + dayName(st.day) + "." : "");
    }).catch(function () {
      if (seq !== st.req) return;
      st.loading = false;
      st.failed = true;
      paintCalendar();
    });
  }

  function dayTimes(key) { return ((st.byMinutes[st.minutes] || {})[key]) || []; }

  function paintCalendar() {
    var v = st.view, before = monthOf(monthNo(v) - 1), after = monthOf(monthNo(v) + 1);
    ui.monthHead.textContent = MONTHS[v.m - 1] + " " + v.y;
    clear(ui.prev).appendChild(hidden("View " + MONTHS[before.m - 1]));
    ui.prev.appendChild(glyph("\u2039"));
    clear(ui.next).appendChild(hidden("View " + MONTHS[after.m - 1]));
    ui.next.appendChild(glyph("\u203A"));
    ui.prev.disabled = monthNo(v) <= monthNo(thisMonth());
    ui.next.disabled = st.loading || !st.more;
    ui.calendar.setAttribute("aria-busy", st.loading ? "true" : "false");
    clear(ui.grid);
    if (st.failed) {
      ui.grid.appendChild(el("div", { role: "alert", class: "css-3rr0r1" }, [
        "We couldn't load the available times. ",
        el("button", { type: "button", class: "css-l1nkbt", onclick: load }, ["Try again"])]));
      return;
    }
    var lead = (new Date(Date.UTC(v.y, v.m - 1, 1)).getUTCDay() + 6) % 7;
    var count = new Date(Date.UTC(v.y, v.m, 0)).getUTCDate();
    var cells = [], d;
    for (d = 0; d < lead; d++) cells.push(el("td", { class: "css-3mpty0" }));
    for (d = 1; d <= count; d++) {
      var key = v.y + "-" + two(v.m) + "-" + two(d), open = !st.loading && dayTimes(key).length > 0;
      var chosen = open && key === st.day;
      var button = el("button", {
        type: "button",
        class: "css-d4yb7n" + (st.loading ? " css-sk3l7n" : open ? " css-d4yb7n--open" : "") + (chosen ? " css-d4yb7n--sel" : ""),
        disabled: st.loading,
        "aria-disabled": !st.loading && !open ? "true" : null,
        "aria-current": chosen ? "true" : null
      }, [el("span", { "aria-hidden": "true", text: String(d) }), hidden(MONTHS[v.m - 1] + " " + nth(d))]);
      button.addEventListener("click", pickDay.bind(null, key, open));
      cells.push(el("td", {}, [button]));
    }
    while (cells.length % 7) cells.push(el("td", { class: "css-3mpty0" }));
    var body = el("tbody");
    for (d = 0; d < cells.length; d += 7) body.appendChild(el("tr", {}, cells.slice(d, d + 7)));
    ui.grid.appendChild(el("table", { class: "css-t4b1e9" }, [
      el("caption", { class: "css-1f4v2vh", text: "Select a day in " + MONTHS[v.m - 1] }),
      el("thead", {}, [el("tr", {}, HEAD.map(function (h) {
        return el("th", { scope: "col" }, [el("abbr", { title: h[1], text: h[0] })]);
      }))]),
      body]));
    if (st.loading) ui.grid.appendChild(el("div", { class: "css-sp1nnr", "aria-hidden": "true" }));
  }

  function pickDay(key, open) {
    if (!open || st.loading) return;
    st.day = key;
    paintCalendar();
    announce("Now displaying available times for " + dayName(key) + ".");
    paintLengths();
    paintTimes(true);
  }

  function paintLengths() {
    clear(ui.lengths);
    if (!st.day) return;
    var label = nextId("duration");
    var group = el("div", { role: "radiogroup", "aria-labelledby": label, class: "css-rg0upx" });
    (LINK.durations || []).forEach(function (m) {
      var on = m === st.minutes;
      group.appendChild(el("button", {
        type: "button", role: "radio", "aria-checked": on ? "true" : "false", tabindex: on ? "0" : "-1",
        class: "css-r4d10b" + (on ? " css-r4d10b--on" : ""),
        onclick: function () {
          if (st.minutes === m) return;
          st.minutes = m;
          paintCalendar();
          paintLengths();
          paintTimes(true);
        }
      }, [m + " mins"]));
    });
    ui.lengths.appendChild(el("p", { id: label, class: "css-l4b3l0", text: "Meeting duration" }));
    ui.lengths.appendChild(group);
  }

  function paintTimes(settle) {
    var fill = ++st.fill;
    clear(ui.timesBody);
    clear(ui.zoneSlot);
    ui.zoneSlot.appendChild(zoneButton());
    if (!st.day) {
      ui.timesBody.appendChild(el("p", { class: "css-h1nt0q", text: st.loading ? "Loading availability\u2026" : "Pick a day to see the times that are free." }));
      return;
    }
    var w = wall(Date.UTC(+st.day.slice(0, 4), +st.day.slice(5, 7) - 1, +st.day.slice(8, 10), 12), "UTC");
    ui.timesBody.appendChild(el("p", { class: "css-sh0w1n", text: "Showing times for " + MONTHS[w.m - 1] + " " + w.d + ", " + w.y }));
    var list = el("ul", { class: "css-sl0t5u", role: "list" });
    ui.timesBody.appendChild(list);
    if (settle) {
      for (var i = 0; i < 4; i++) list.appendChild(el("li", { class: "css-sk3l7n css-sk3l7n--row", "aria-hidden": "true" }));
      setTimeout(function () { if (fill === st.fill) fillTimes(list); }, rand(150, 450));
    } else {
      fillTimes(list);
    }
  }

  function fillTimes(list) {
    clear(list);
    var key = st.day, starts = dayTimes(key);
    if (!starts.length) {
      list.appendChild(el("li", { class: "css-h1nt0q", text: "No " + st.minutes + " mins blocks are free on this day." }));
      return;
    }
    starts.forEach(function (ms) {
      var w = wall(ms, st.zone), id = nextId("time");
      var box = el("input", { type: "checkbox", id: id, class: "css-cb0x1k" });
      box.addEventListener("change", function () {
        if (!box.checked) return;
        list.querySelectorAll("input[type=checkbox]").forEach(function (other) { if (other !== box) other.checked = false; });
        if (BOOT.broken && BOOT.broken.noInfoStep) return; // fault: the click leads nowhere
        st.slot = ms;
        showInfoStep();
      });
      list.appendChild(el("li", { class: "css-sl7i7m" }, [
        el("label", { for: id, class: "css-sl07lb" }, [box, el("span", { class: "css-tt1m3x", text: hm(w, false) }),
          hidden(" on " + dayName(key))])]));
    });
    announce("Now displaying start times for " + st.minutes + " mins blocks available on " + dayName(key) + ".");
  }

  function zoneButton() {
    var a = nextId("tz-a"), b = nextId("tz-b"), text = zoneText(st.zone);
    var wrap = el("div", { class: "css-tzw8p1" });
    var button = el("button", { type: "button", class: "css-tz0b7n", "aria-labelledby": a + " " + b, "aria-expanded": "false",
      "aria-haspopup": "dialog" }, [
      el("span", { id: a, hidden: true, text: "Select a timezone to display available times in." }),
      el("span", { id: b, hidden: true, text: "Currently displaying " + text }),
      el("span", { class: "css-tzv4l0", text: text }), glyph(" \u25BE")]);
    button.addEventListener("click", function () { toggleZones(wrap, button); });
    wrap.appendChild(button);
    return wrap;
  }

  function allZones() {
    var zones = [];
    try { zones = Intl.supportedValuesOf("timeZone").slice(); } catch (e) { zones = []; }
    if (!zones.length) zones = ["UTC", "Europe/London", "Europe/Berlin", "Europe/Helsinki", "America/New_York", "America/Los_Angeles", "Asia/Tokyo"];
    var browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
    [st.zone, browser, "UTC"].forEach(function (z) { if (z && okZone(z) && zones.indexOf(z) < 0) zones.push(z); });
    return zones.map(function (z) { return { tz: z, off: offsetOf(z).mins, text: zoneText(z) + " (" + zonePlace(z) + ")" }; })
      .sort(function (x, y) { return x.off - y.off || (x.text < y.text ? -1 : 1); });
  }

  function toggleZones(wrap, button) {
    var open = wrap.querySelector(".css-zp0p0v");
    if (open) { open.remove(); button.setAttribute("aria-expanded", "false"); return; }
    var zones = allZones();
    var list = el("ul", { class: "css-zl1st0" });
    var search = el("input", { type: "search", class: "css-s3arch", "aria-label": "Search time zones", placeholder: "Search time zones" });
    function paint() {
      var needle = search.value.trim().toLowerCase();
      clear(list);
      zones.filter(function (z) { return !needle || z.text.toLowerCase().indexOf(needle) >= 0 || z.tz.toLowerCase().indexOf(needle) >= 0; })
        .slice(0, 80).forEach(function (z) {
          list.appendChild(el("li", {}, [el("button", { type: "button", class: "css-zb7tn0" + (z.tz === st.zone ? " css-zb7tn0--on" : ""),
            "aria-pressed": z.tz === st.zone ? "true" : "false",
            onclick: function () {
              panel.remove();
              st.zone = z.tz;
              var now = monthNo(thisMonth());
              if (monthNo(st.view) < now) st.view = monthOf(now);
              load();
            } }, [z.text])]));
        });
    }
    search.addEventListener("input", paint);
    var panel = el("div", { class: "css-zp0p0v", role: "dialog", "aria-label": "Time zone" }, [search, list]);
    paint();
    wrap.appendChild(panel);
    button.setAttribute("aria-expanded", "true");
    search.focus();
  }

  // -- YOUR INFO ----------------------------------------------------------------------------------------
  function showInfoStep() {
    st.step = "info";
    paintSteps();
    paintSide();
    clear(ui.main);
    var when = longWhen(st.slot, st.zone);
    announce("Now displaying a form to confirm your meeting for " + when + ".");
    var controls = [], guests = [];
    function field(spec) {
      var control, errId = nextId("err");
      var prefill = query.get(spec.param || spec.key) || "";
      if (spec.kind === "textarea") {
        control = el("textarea", { class: "css-1np7tx", rows: "4", required: spec.mandatory });
        control.value = prefill;
      } else {
        control = el("input", { class: "css-1np7tx", type: { email: "email", tel: "tel", url: "url" }[spec.kind] || "text",
          required: spec.mandatory, autocomplete: spec.auto || null, value: prefill || null });
      }
      var error = el("span", { id: errId, class: "css-3rrm5g", hidden: true });
      control.setAttribute("aria-describedby", errId);
      controls.push({ spec: spec, control: control, error: error, touched: !!prefill });
      return el("div", { class: "css-f13ld0" }, [el("label", { class: "css-fl4b3l" }, [
        el("span", { class: "css-fl4t3x" }, [spec.label].concat(spec.mandatory ? [" ", el("abbr", { title: "required", class: "css-r3q0d", text: "*" })] : [])),
        control]), error]);
    }
    function problem(entry) {
      var value = entry.control.value.trim(), kind = entry.spec.kind;
      if (!value) return entry.spec.mandatory ? "Please complete this required field." : "";
      if (kind === "email" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return "Please enter a valid email address.";
      if (kind === "tel" && !/^\+?[\d\s().-]{6,}$/.test(value)) return "Please enter a valid phone number.";
      if (kind === "url" && !/^https?:\/\/\S+$/.test(value)) return "Please enter a valid URL.";
      return "";
    }
    var confirm = el("button", { type: "submit", class: "css-pr1m4y", disabled: true }, ["Confirm"]);
    function check() {
      var ok = true;
      controls.forEach(function (entry) {
        var why = problem(entry);
        if (why) ok = false;
        var show = why && entry.touched;
        entry.control.setAttribute("aria-invalid", show ? "true" : "false");
        entry.error.hidden = !show;
        entry.error.textContent = show ? why : "";
      });
      confirm.disabled = !ok || busy;
    }
    var busy = false;
    var alertBox = el("div", { class: "css-n0t1c3" });
    var guestInput = el("input", { type: "email", class: "css-1np7tx", placeholder: "Add guest email" });
    var guestCount = el("span", { class: "css-gc0unt", "aria-live": "polite", text: "0/10 guests" });
    var guestList = el("ul", { class: "css-g5l1st" });
    function addGuest() {
      var v = guestInput.value.trim();
      if (!/^[^\s@]+@[^\s@]+$/.test(v) || guests.length >= 10 || guests.indexOf(v) >= 0) return;
      guests.push(v);
      guestInput.value = "";
      guestList.appendChild(el("li", { text: v }));
      guestCount.textContent = guests.length + "/10 guests";
    }
    var specs = [
      { key: "firstName", label: "First name", kind: "text", mandatory: true, auto: "given-name" },
      { key: "lastName", label: "Last name", kind: "text", mandatory: true, auto: "family-name" },
      { key: "email", label: "Your email address", kind: "email", mandatory: true, auto: "email" }
    ];
    var form = el("form", { class: "css-f0rm7a", novalidate: true }, [
      alertBox,
      el("div", { class: "css-tw0c0l" }, [field(specs[0]), field(specs[1])]),
      field(specs[2])
    ].concat((LINK.questions || []).map(function (q) {
      return field({ key: q.key, label: q.label, kind: q.kind, mandatory: q.mandatory, custom: true });
    })).concat([
      el("details", { class: "css-g0u3st" }, [el("summary", { text: "Add guests" }),
        el("div", { class: "css-g4dd0r" }, [guestInput,
          el("button", { type: "button", class: "css-l1nkbt", onclick: addGuest }, ["Add"]), guestCount]), guestList]),
      el("div", { class: "css-4ct10n" }, [confirm,
        el("button", { type: "button", class: "css-s3c0nd", onclick: backToTimes }, ["Back"])])
    ]));
    ui.main.appendChild(el("section", { class: "css-1nf0s7", "aria-labelledby": "your-info-heading" }, [
      el("h3", { id: "your-info-heading", class: "css-y0ur1h", text: "Your information" }), form]));
    form.addEventListener("input", function (e) {
      controls.forEach(function (entry) { if (entry.control === e.target) entry.touched = true; });
      check();
    });
    form.addEventListener("change", check);
    form.addEventListener("focusout", function (e) {
      controls.forEach(function (entry) { if (entry.control === e.target && entry.control.value) entry.touched = true; });
      check();
    });
    guestInput.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); addGuest(); } });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      check();
      if (confirm.disabled) return;
      busy = true;
      confirm.disabled = true;
      clear(alertBox);
      var value = function (i) { return controls[i].control.value.trim(); };
      var payload = {
        slug: LINK.slug, firstName: value(0), lastName: value(1), email: value(2), startTime: st.slot,
        duration: st.minutes * 60000, timezone: st.zone, locale: (navigator.language || "en-US").toLowerCase(),
        formFields: controls.filter(function (c) { return c.spec.custom; }).map(function (c) {
          return { name: c.spec.key, value: c.control.value.trim() };
        }),
        guestEmails: guests.slice(), legalConsentResponses: [], likelyAvailableUserIds: []
      };
      fetch("/meetings-public/v3/book/submit?slug=" + encodeURIComponent(LINK.slug), {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify(payload)
      }).then(function (r) {
        return r.json().then(function (d) { return { status: r.status, body: d || {} }; }, function () { return { status: r.status, body: {} }; });
      }).then(function (res) {
        busy = false;
        if (res.status === 200) { st.result = { data: res.body, email: payload.email }; showDone(); return; }
        var message = res.body.message || "Something went wrong. Please try again.";
        if (res.status === 409) {
          alertBox.appendChild(el("div", { role: "alert", class: "css-3rr0r1" }, [el("p", { text: message }),
            el("button", { type: "button", class: "css-l1nkbt", onclick: backToTimes }, ["Pick another time"])]));
        } else {
          alertBox.appendChild(el("p", { role: "alert", class: "css-3rr0r1", text: message }));
        }
        check();
      }, function () {
        busy = false;
        alertBox.appendChild(el("p", { role: "alert", class: "css-3rr0r1", text: "We couldn't reach the server. Please try again." }));
        check();
      });
    });
    check();
    var first = controls.filter(function (c) { return !c.control.value; })[0];
    if (first) first.control.focus();
  }

  function backToTimes() {
    showTimeStep();
  }

  // -- done ---------------------------------------------------------------------------------------------
  function showDone() {
    var data = st.result.data, host = (data.organizer || {}).name || LINK.organizer || "";
    var start = +data.start || st.slot, end = +data.end || start + st.minutes * 60000;
    st.step = "done";
    paintSteps();
    paintSide();
    clear(ui.main);
    var endText = hm(wall(end, st.zone), true);
    var facts = el("dl", { class: "css-dl5um7" }, [
      el("dt", { text: "When" }), el("dd", { text: longWhen(start, st.zone) + " \u2013 " + endText }),
      el("dt", { text: "Time zone" }), el("dd", { text: zoneText(st.zone) }),
      data.location ? el("dt", { text: "Where" }) : null, data.location ? el("dd", { text: data.location }) : null
    ]);
    var kids;
    if (data.isOffline) {
      kids = [el("div", { class: "css-ch3ck0 css-ch3ck0--wait", "aria-hidden": "true", text: "\u2709" }),
        el("h1", { id: "outcome-heading", class: "css-0utc0m", text: "Meeting request sent" }),
        el("p", { text: host + " will get your request and confirm the time with you by email." }),
        el("p", { text: "It isn't added to a calendar until then." }), facts];
    } else {
      kids = [el("div", { class: "css-ch3ck0", "aria-hidden": "true", text: "\u2713" }),
        el("h1", { id: "outcome-heading", class: "css-0utc0m", text: "Booking confirmed" }),
        el("p", { text: "You're booked with " + host + "." }),
        el("p", { text: "A calendar invitation has been emailed to you at " + st.result.email + "." }), facts];
    }
    ui.main.appendChild(el("section", { class: "css-d0n3s5", "aria-labelledby": "outcome-heading" }, kids));
    announce(data.isOffline ? "Meeting request sent" : "Booking confirmed");
    if (window.parent !== window) {
      // [S] the embed's message to its host page (current spelling only)
      try {
        window.parent.postMessage({ meetingBookSucceeded: true, meetingsPayload: { bookingResponse: {
          event: { dateTime: start, duration: end - start },
          postResponse: { timerange: { start: start, end: end }, contact: { email: st.result.email } },
          isOffline: !!data.isOffline } } }, "*");
      } catch (e) { /* the host page is gone */ }
    }
  }

  // -- boot -----------------------------------------------------------------------------------------------
  function addUuid() {
    if (BOOT.embedded || query.has("uuid") || !window.history || !history.replaceState) return;
    var id = (window.crypto && crypto.randomUUID) ? crypto.randomUUID()
      : "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
        var r = Math.random() * 16 | 0; return (c === "x" ? r : (r & 3 | 8)).toString(16); });
    var next = new URLSearchParams(location.search);
    next.set("uuid", id);
    history.replaceState(history.state, "", location.pathname + "?" + next.toString() + location.hash);
  }

  function boot() {
    if (BOOT.view !== "book") {
      clear(mount).appendChild(el("main", { class: "css-m1ss1n" }, [
        el("h1", { text: "This meeting link doesn't exist" }),
        el("p", { text: "Check the link you were sent, or ask the person who shared it for a new one." })]));
      return;
    }
    if (BOOT.embedded) document.body.classList.add("css-3mb3d0");
    var preferred = BOOT.zone && okZone(BOOT.zone) ? BOOT.zone : Intl.DateTimeFormat().resolvedOptions().timeZone;
    st.zone = okZone(preferred) ? preferred : "UTC";
    st.view = thisMonth();
    addUuid();
    frame();
    showTimeStep();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();

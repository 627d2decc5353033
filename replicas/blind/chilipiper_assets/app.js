/* Chili Piper, second build (blind). Steps render into <main id="cp-stage">; the side panel stays.
   Kept from research/platforms.md §4: field names FirstName/LastName/Email/Phone (+ GUID-named custom
   fields) [S]; data-test-id="GuestForm-submit-button" [S]; data-id="concierge-live-book" [S];
   data-id="calendar-day-button" / "time-slot-button" / "next-week-button" [S]; day text
   "Monday 27th October Press enter to navigate available slots Mon 27 Oct" (+ "is selected") [S];
   slot text "9:30 AM" [S]; time zone "<long name> (02:34 PM)" [S]; postMessage actions [V].
   Everything else (wording, confirm step, success screen, API) is this build's own [U]. */
"use strict";
(() => {
  const B = window.__CP_BOOT__;
  const Q = new URLSearchParams(location.search);
  const stage = document.getElementById("cp-stage");
  const sideExtra = document.getElementById("cp-side-extra");
  const T0 = Date.parse(B.now), LOADED = Date.now();
  const now = () => new Date(T0 + (Date.now() - LOADED));
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December"];
  const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  const ZONES = ["UTC", "Europe/London", "Europe/Paris", "Europe/Helsinki", "America/New_York", "America/Chicago",
    "America/Denver", "America/Los_Angeles", "Asia/Singapore", "Australia/Sydney"];

  // -- tiny DOM builder -------------------------------------------------------------------------------
  function el(tag, attrs, ...kids) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "on") for (const [type, fn] of Object.entries(v)) node.addEventListener(type, fn);
      else if (k === "className") node.className = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const kid of kids.flat()) if (kid !== null && kid !== undefined && kid !== false)
      node.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    return node;
  }
  const hook = (name, value) => (B.hooks ? { [name]: value } : {});
  const vh = (text) => el("span", { className: "css-vh9k2m" }, text);
  const spinner = (text) => el("div", { className: "css-l0a7sd", role: "status" },
    el("span", { className: "css-s1pn9r", "aria-hidden": "true" }), " ", text);
  function post(message) {
    if (window.parent !== window) { try { window.parent.postMessage(message, "*"); } catch (e) { /* ignore */ } }
  }

  // -- dates and zones --------------------------------------------------------------------------------
  const pad = (n) => String(n).padStart(2, "0");
  const okZone = (tz) => { try { return !!tz && !!new Intl.DateTimeFormat("en-US", { timeZone: tz }); } catch (e) { return false; } };
  const fmts = {};
  function inZone(moment, tz) {
    const f = fmts[tz] || (fmts[tz] = new Intl.DateTimeFormat("en-US", { timeZone: tz, year: "numeric", month: "numeric",
      day: "numeric", hour: "numeric", minute: "numeric", hourCycle: "h23" }));
    const o = {};
    for (const p of f.formatToParts(moment)) o[p.type] = p.value;
    return { ymd: `${o.year}-${pad(o.month)}-${pad(o.day)}`, hh: Number(o.hour) % 24, mm: Number(o.minute) };
  }
  const clock = (hh, mm, padded) => {
    const h = hh % 12 || 12;
    return `${padded ? pad(h) : h}:${pad(mm)} ${hh < 12 ? "AM" : "PM"}`;
  };
  const timeOf = (iso) => { const p = inZone(new Date(iso), S.tz); return clock(p.hh, p.mm, false); };
  const ymdDate = (ymd) => new Date(Date.UTC(+ymd.slice(0, 4), +ymd.slice(5, 7) - 1, +ymd.slice(8, 10)));
  const addDays = (ymd, n) => new Date(ymdDate(ymd).getTime() + n * 864e5).toISOString().slice(0, 10);
  const ordinal = (n) => n + ((n % 100 >= 11 && n % 100 <= 13) ? "th" : ({ 1: "st", 2: "nd", 3: "rd" }[n % 10] || "th"));
  const longDate = (ymd) => { const d = ymdDate(ymd); return `${DAYS[d.getUTCDay()]}, ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`; };
  function zoneName(tz) {
    try {
      const part = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "long" }).formatToParts(now())
        .find((p) => p.type === "timeZoneName");
      return part ? part.value : tz;
    } catch (e) { return tz; }
  }
  const zoneLine = (tz) => { const p = inZone(now(), tz); return `${zoneName(tz)} (${clock(p.hh, p.mm, true)})`; };
  const today = () => inZone(now(), S.tz).ymd;

  // -- state ------------------------------------------------------------------------------------------
  const first = (...names) => { for (const n of names) { const v = Q.get(n); if (v) return v; } return ""; };
  const S = {
    tz: okZone(B.zone) ? B.zone : okZone(Q.get("timezone")) ? Q.get("timezone")
      : (okZone(Intl.DateTimeFormat().resolvedOptions().timeZone) ? Intl.DateTimeFormat().resolvedOptions().timeZone : "UTC"),
    guest: {
      firstName: first("PersonFirstName", "firstname", "firstName", "FirstName"),
      lastName: first("PersonLastName", "lastname", "lastName", "LastName"),
      email: first("PersonEmail", "email", "Email"),
      phone: first("PersonPhone", "phone", "Phone"),
    },
    answers: Object.fromEntries(B.questions.map((q) => [q.name, Q.get(q.name) || ""])),
    start: null, week: null, day: null, slot: null, rep: null, alert: null, seq: 0,
  };

  function side() {
    const rows = [];
    const who = (S.slot && S.slot.host) || S.rep;
    if (who) rows.push(el("p", {}, el("span", { className: "css-vh9k2m" }, "Host: "), `with ${who}`));
    if (S.slot) {
      rows.push(el("p", { className: "css-u2n8rw" }, longDate(inZone(new Date(S.slot.start), S.tz).ymd)));
      rows.push(el("p", { className: "css-u2n8rw" }, `${timeOf(S.slot.start)} – ${timeOf(S.slot.end)}`));
    }
    rows.push(el("p", { className: "css-y9s3hn" }, zoneName(S.tz)));
    sideExtra.replaceChildren(...rows);
  }
  function show(...nodes) {
    stage.replaceChildren(...nodes.filter((n) => n !== null && n !== undefined));
    side();
  }

  // -- guest form (a router's first step; a booking link's details step) -------------------------------
  const GUEST = [
    { key: "firstName", name: "FirstName", label: "First name", type: "text", auto: "given-name", required: true },
    { key: "lastName", name: "LastName", label: "Last name", type: "text", auto: "family-name", required: true },
    { key: "email", name: "Email", label: "Work email", type: "email", auto: "email", required: true },
    { key: "phone", name: "Phone", label: "Phone number", type: "tel", auto: "tel", required: !!B.phoneRequired },
  ];
  function field(name, label, type, required, value, auto) {
    const errId = `cp-err-${name}`;
    const control = type === "textarea"
      ? el("textarea", { name, rows: 4, required, "aria-describedby": errId, className: "css-i7e3wp" }, value)
      : el("input", { name, type, required, autocomplete: auto || "off", value, "aria-describedby": errId, className: "css-i7e3wp" });
    return el("div", { className: "css-g5m2ta" },
      el("label", { className: "css-n4d1zs" },
        el("span", { className: "css-lb2x0q" }, label,
          required ? el("span", { className: "css-rq4m1c", "aria-hidden": "true" }, " *")
            : el("span", { className: "css-op6t1d" }, " (optional)")),
        control),
      el("p", { className: "css-e6x0ul", id: errId, hidden: true }));
  }
  function flag(form, name, message) {
    const control = form.elements[name];
    if (!control) return;
    const err = document.getElementById(`cp-err-${name}`);
    control.setAttribute("aria-invalid", message ? "true" : "false");
    err.textContent = message || "";
    err.hidden = !message;
  }
  function readForm(form) {
    let ok = true;
    for (const g of GUEST) {
      const v = form.elements[g.name].value.trim();
      S.guest[g.key] = v;
      let problem = g.required && !v ? `Please enter your ${g.label.toLowerCase()}.` : null;
      if (!problem && g.type === "email" && v && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) problem = "Please enter a valid email address.";
      flag(form, g.name, problem);
      if (problem) ok = false;
    }
    for (const q of B.questions) {
      const v = form.elements[q.name].value.trim();
      S.answers[q.name] = v;
      const problem = q.required && !v ? "This question needs an answer." : null;
      flag(form, q.name, problem);
      if (problem) ok = false;
    }
    if (!ok) {
      const bad = form.querySelector('[aria-invalid="true"]');
      if (bad) bad.focus();
    }
    return ok;
  }
  function markMissing(form, missing) {
    const byKey = Object.fromEntries(GUEST.map((g) => [g.key, g.name]));
    for (const m of missing || []) flag(form, byKey[m] || m, "This field is required.");
  }
  const labels = new WeakMap();
  function busy(button, text) {
    button.disabled = true;
    labels.set(button, button.textContent);
    button.replaceChildren(el("span", { className: "css-s1pn9r", "aria-hidden": "true" }), ` ${text}`);
  }
  function idle(button) {
    button.disabled = false;
    button.textContent = labels.get(button) || button.textContent;
  }

  function guestForm(mode) {
    const details = mode === "details";
    const submit = el("button", { type: "submit", className: "css-t5yq0r", ...hook("data-test-id", "GuestForm-submit-button") },
      details ? "Confirm meeting" : "Continue");
    const problem = el("div", { className: "css-r8c1wy", role: "alert", hidden: true });
    const form = el("form", { className: "css-f2k8rq", novalidate: true, "aria-labelledby": "cp-step-title" },
      el("div", { className: "css-2c9fhw" },
        field("FirstName", "First name", "text", true, S.guest.firstName, "given-name"),
        field("LastName", "Last name", "text", true, S.guest.lastName, "family-name")),
      field("Email", "Work email", "email", true, S.guest.email, "email"),
      field("Phone", "Phone number", "tel", !!B.phoneRequired, S.guest.phone, "tel"),
      B.questions.map((q) => field(q.name, q.label, q.kind === "textarea" ? "textarea" : "text", q.required, S.answers[q.name])),
      problem,
      el("div", { className: "css-p1m6gx" },
        details ? el("button", { type: "button", className: "css-h8d2ke", on: { click: () => { S.slot = null; calendar(); } } }, "Change time") : null,
        submit));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (submit.disabled || !readForm(form)) return;
      if (details) { book(submit, problem, form); return; }
      busy(submit, "Submitting…");
      const res = await api("POST", "/route", { guest: S.guest, answers: S.answers });
      if (res.status === 422) { idle(submit); markMissing(form, res.data.missing); return; }
      if (!res.data.ok) { idle(submit); problem.textContent = "We couldn't send your details. Please try again."; problem.hidden = false; return; }
      S.rep = res.data.rep;
      if (B.stall) { show(el("h1", { className: "css-c4rh0t", id: "cp-step-title" }, "Finding the right person for you"), spinner("One moment…")); return; }
      if (res.data.next === "live") choice(); else calendar();
    });
    const heading = details
      ? [el("h1", { className: "css-c4rh0t", id: "cp-step-title" }, "Enter your details"),
        el("p", { className: "css-k0p4zv" }, `${longDate(inZone(new Date(S.slot.start), S.tz).ymd)}, ${timeOf(S.slot.start)} – ${timeOf(S.slot.end)}`)]
      : [el("h1", { className: "css-c4rh0t", id: "cp-step-title" }, "Let's get started"),
        el("p", { className: "css-k0p4zv" }, "Share a few details and we'll connect you with the right person.")];
    show(...heading, form);
    const empty = [...form.querySelectorAll("input, textarea")].find((f) => !f.value);
    if (empty && details) empty.focus();
  }

  // -- a router's "talk now or schedule" offer ------------------------------------------------------------
  function choice() {
    const note = el("p", { className: "css-k0p4zv", "aria-live": "polite" },
      `${S.rep || "Someone from our team"} is available right now. We can call you straight away, or you can pick a time that suits you better.`);
    const call = el("button", { type: "button", className: "css-h8d2ke", on: { click: () => {
      call.remove();
      note.textContent = S.guest.phone ? `Calling you on ${S.guest.phone}… please keep this tab open.`
        : "We'll call you in a moment… please keep this tab open.";
    } } }, "Call me now");
    show(el("h1", { className: "css-c4rh0t" }, "Would you like to talk now?"), note,
      el("div", { className: "css-p1m6gx" }, call,
        el("button", { type: "button", className: "css-t5yq0r", ...hook("data-id", "concierge-live-book"), on: { click: calendar } },
          "Schedule a meeting")));
  }

  // -- the week strip and the day's times ---------------------------------------------------------------
  function api(method, path, body) {
    const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    return fetch(`/api/cp/links/${B.token}${path}`, init)
      .then((r) => r.json().catch(() => ({})).then((data) => ({ status: r.status, data })))
      .catch(() => ({ status: 0, data: {} }));
  }
  function dayButton(ymd, open, selected, onPick) {
    const d = ymdDate(ymd), n = d.getUTCDate(), wd = DAYS[d.getUTCDay()], mon = MONTHS[d.getUTCMonth()];
    return el("button", { type: "button", className: selected ? "css-d3q8an css-z8a1mf" : "css-d3q8an",
      disabled: !open, "aria-pressed": selected ? "true" : "false", ...hook("data-id", "calendar-day-button"),
      on: { click: (e) => onPick(ymd, e.detail === 0) } },
    vh(`${wd} ${ordinal(n)} ${mon} Press enter to navigate available slots `),
    el("span", { className: "css-w8u2oa" }, wd.slice(0, 3)), " ",
    el("span", { className: "css-n1f4xe" }, String(n)), " ",
    el("span", { className: "css-w8u2oa" }, mon.slice(0, 3)),
    selected ? vh(" is selected") : null);
  }
  function calendar() {
    const seq = ++S.seq;
    S.slot = null;
    if (!S.start || S.start < today()) S.start = today();
    const alert = S.alert ? el("div", { className: "css-r8c1wy", role: "alert" }, S.alert) : null;
    S.alert = null;
    const strip = el("div", { className: "css-k1w9ve", role: "group", "aria-labelledby": "cp-week-caption" });
    const caption = el("p", { className: "css-vh9k2m", id: "cp-week-caption" }, "");
    const prev = el("button", { type: "button", className: "css-o2r7bx", disabled: true,
      on: { click: () => { S.start = addDays(S.start, -7); S.day = null; calendar(); } } },
    el("span", { "aria-hidden": "true" }, "‹"), vh("Previous week"));
    const next = el("button", { type: "button", className: "css-o2r7bx", disabled: true, ...hook("data-id", "next-week-button"),
      on: { click: () => { S.start = addDays(S.start, 7); S.day = null; calendar(); } } },
    el("span", { "aria-hidden": "true" }, "›"), vh("Next week"));
    const times = el("section", { className: "css-h4y7pl", "aria-label": "Available times" }, spinner("Loading availability…"));
    for (let i = 0; i < 7; i++) strip.append(dayButton(addDays(S.start, i), false, false, pickDay));
    show(alert, el("h1", { className: "css-c4rh0t" }, "When would you like to meet?"), caption,
      el("div", { className: "css-7bx3qe" }, prev, strip, next), times, zonePicker());
    if (alert) alert.scrollIntoView({ block: "nearest" });
    S.week = null;
    if (B.stall) return; // fault: availability never arrives
    api("GET", `/calendar?tz=${encodeURIComponent(S.tz)}&start=${S.start}`).then((res) => {
      if (seq !== S.seq) return;
      if (!res.data.ok) { times.replaceChildren(el("div", { className: "css-r8c1wy", role: "alert" }, "We couldn't load the calendar. Please refresh the page.")); return; }
      S.week = res.data;
      S.start = res.data.start;
      caption.textContent = `Week of ${longDate(S.start)}`;
      prev.disabled = !res.data.canGoBack;
      next.disabled = !res.data.nextOpenDay;
      if (S.day && !res.data.days.some((d) => d.date === S.day && d.open)) S.day = null;
      strip.replaceChildren(...res.data.days.map((d) => dayButton(d.date, d.open > 0, d.date === S.day, pickDay)));
      post({ action: "availability-loaded" });
      if (S.day) { pickDay(S.day, false); return; }
      const any = res.data.days.some((d) => d.open > 0);
      if (any) times.replaceChildren(el("p", { className: "css-k0p4zv" }, "Pick a day to see the times that are free."));
      else {
        times.replaceChildren(el("p", { className: "css-k0p4zv" }, "No times are available this week."),
          res.data.nextOpenDay ? el("button", { type: "button", className: "css-h8d2ke", on: { click: () => {
            S.start = res.data.nextOpenDay; S.day = null; calendar();
          } } }, `Jump to ${longDate(res.data.nextOpenDay)}`) : null);
      }
    });
    function pickDay(ymd, byKeyboard) {
      if (!S.week) return;
      S.day = ymd;
      const mine = ++S.seq;
      strip.replaceChildren(...S.week.days.map((d) => dayButton(d.date, d.open > 0, d.date === ymd, pickDay)));
      const list = el("ul", { className: "css-m6h0cy", "aria-busy": "true" },
        Array.from({ length: 6 }, () => el("li", { className: "css-sk3l9n", "aria-hidden": "true" })));
      times.replaceChildren(el("h2", { className: "css-q7n5dj" }, longDate(ymd)), list);
      api("GET", `/slots?tz=${encodeURIComponent(S.tz)}&date=${ymd}`).then((res) => {
        if (mine !== S.seq) return;
        if (!res.data.ok) { list.replaceWith(el("div", { className: "css-r8c1wy", role: "alert" }, "We couldn't load the times. Please try again.")); return; }
        list.removeAttribute("aria-busy");
        if (!res.data.slots.length) { list.replaceWith(el("p", { className: "css-k0p4zv" }, "No times left on this day.")); return; }
        list.replaceChildren(...res.data.slots.map((slot) => el("li", {},
          el("button", { type: "button", className: "css-x4b9jd", ...hook("data-id", "time-slot-button"),
            on: { click: () => { S.slot = slot; if (B.router) review(); else guestForm("details"); } } },
          timeOf(slot.start)))));
        if (byKeyboard) list.querySelector("button").focus();
      });
    }
  }

  function zonePicker() {
    const zones = [S.tz, ...ZONES.filter((z) => z !== S.tz && okZone(z))];
    const box = el("ul", { className: "css-w0n5gh", role: "listbox", id: "cp-zone-list", "aria-label": "Time zones", hidden: true },
      zones.map((z) => el("li", { role: "option", tabindex: "-1", "aria-selected": z === S.tz ? "true" : "false",
        className: "css-j3c8ny", on: { click: () => choose(z), keydown: (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); choose(z); } } } },
      zoneLine(z))));
    const button = el("button", { type: "button", className: "css-q3e6vd", "aria-haspopup": "listbox", "aria-expanded": "false",
      "aria-controls": "cp-zone-list", on: { click: () => toggle(box.hidden) } }, `${zoneLine(S.tz)} ▾`);
    function toggle(open) {
      box.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
      if (open) box.querySelector('[aria-selected="true"]').focus();
    }
    function choose(z) {
      toggle(false);
      if (z === S.tz) return;
      S.tz = z; S.start = null; S.day = null;
      calendar();
    }
    box.addEventListener("keydown", (e) => { if (e.key === "Escape") { toggle(false); button.focus(); } });
    return el("div", { className: "css-a9z2ut" }, el("span", { className: "css-y9s3hn" }, "Time zone: "), button, box);
  }

  // -- a router's review step, and the booking ------------------------------------------------------------
  function review() {
    const problem = el("div", { className: "css-r8c1wy", role: "alert", hidden: true });
    const go = el("button", { type: "button", className: "css-t5yq0r", on: { click: () => book(go, problem, null) } }, "Book meeting");
    const row = (term, value) => [el("dt", {}, term), el("dd", {}, value)];
    show(el("h1", { className: "css-c4rh0t" }, "Review your meeting"),
      el("dl", { className: "css-dl7v2p" },
        row("Date", longDate(inZone(new Date(S.slot.start), S.tz).ymd)),
        row("Time", `${timeOf(S.slot.start)} – ${timeOf(S.slot.end)}`),
        row("Time zone", zoneName(S.tz)),
        row("With", S.slot.host || S.rep || B.company),
        row("Your details", `${S.guest.firstName} ${S.guest.lastName} · ${S.guest.email}`)),
      problem,
      el("div", { className: "css-p1m6gx" },
        el("button", { type: "button", className: "css-h8d2ke", on: { click: calendar } }, "Pick a different time"), go));
    go.focus();
  }
  async function book(button, problem, form) {
    busy(button, "Booking…");
    const slot = S.slot;
    const host = slot.host || S.rep;
    post({ action: "booked", assignee: host ? { name: host } : null, slot: { start: slot.start, end: slot.end } });
    const res = await api("POST", "/meetings", { start: slot.start, guest: S.guest, answers: S.answers, tz: S.tz,
      trigger: Q.get("trigger") });
    if (res.status === 409) { S.alert = res.data.message; S.slot = null; calendar(); return; }
    if (res.status === 422 && form) { idle(button); markMissing(form, res.data.missing); return; }
    if (!res.data.ok) { idle(button); problem.textContent = "We couldn't book this meeting. Please try again."; problem.hidden = false; return; }
    done(res.data.meeting);
  }
  function done(meeting) {
    S.slot = { start: meeting.start, end: meeting.end, host: meeting.host.name };
    show(el("div", { className: "css-6c2v9e" },
      el("div", { className: "css-ck5t8g", "aria-hidden": "true" }, "✓"),
      el("h1", { className: "css-c4rh0t" }, "Meeting scheduled"),
      el("p", {}, `${meeting.host.name} will meet you on ${longDate(inZone(new Date(meeting.start), S.tz).ymd)}, `
        + `${timeOf(meeting.start)} – ${timeOf(meeting.end)} (${zoneName(S.tz)}).`),
      el("p", {}, `We've sent a calendar invitation to ${S.guest.email}.`)));
    post({ action: "booking-confirmed", eventId: meeting.id, assignee: meeting.host,
      slot: { start: meeting.start, end: meeting.end } });
  }

  document.addEventListener("click", (e) => {
    const box = document.getElementById("cp-zone-list");
    if (box && !box.hidden && !e.target.closest(".css-a9z2ut")) {
      box.hidden = true;
      const b = document.querySelector(".css-q3e6vd");
      if (b) b.setAttribute("aria-expanded", "false");
    }
  });

  if (B.router) guestForm("router"); else calendar();
})();

"""The browser agent: drives one platform module through one booking.

It owns the order of steps and the decisions between them (which person, which slots, what
message, what to do when a slot is taken); the platform module owns the page. It knows nothing
about the database or Slack: it reports steps through a callback and holds slots through a
:class:`SlotGuard`, both supplied by the service.

A job may stop before submitting (``stop_before_submit``: review before submit, or an admin's dry
run): the result then has ``submit=None`` and the choices to resume from. A later job given a
:class:`ResumePoint` reopens the page, takes the same person and slot, fills the form and submits.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import IntEnum
from typing import Callable, Protocol, Sequence
from zoneinfo import ZoneInfo

from booking.domain.errors import NoCommonTime, PageChanged, SlotTaken
from booking.domain.messages import render_template
from booking.domain.slots import (
    HELD, Interval, OfferedSlot, SlotRules, enough_found, pick_slots, rejection_reason, skipped_for_calendar,
)
from booking.platforms.base import Invitee, Person, Platform, SubmitResult

# report(step_key, text): the service screenshots the page, logs the step and tells the teammate.
Reporter = Callable[[str, str], None]

MAX_SLOTS_SCANNED = 400
MAX_SKIPPED_LISTED = 12
MAX_HOLD_TRIES = 10
_ONE_MINUTE = timedelta(minutes=1)


class Phase(IntEnum):
    """How far the job got; after SUBMITTING a retry could book twice, so it must not happen blindly."""

    STARTING = 0
    CHOOSING = 1
    FILLING = 2
    SUBMITTING = 3
    DONE = 4


class SlotGuard(Protocol):
    """Holds chosen slots so a teammate's parallel bookings never overlap."""

    def hold(self, slots: Sequence[OfferedSlot]) -> list[OfferedSlot]:
        """Atomically hold the slots that don't clash with the teammate's other bookings."""


@dataclass(frozen=True)
class ResumePoint:
    """The choices a paused job saved: who, which slot to book, which to offer as the alternative."""

    person_name: str | None
    slot_start: datetime
    alternative_start: datetime | None = None


@dataclass
class BookingJob:
    """Everything the agent needs, as plain data."""

    booking_id: int
    url: str
    startup_name: str
    people: list[Person]
    invitee: Invitee
    message_template: str
    rules: SlotRules
    person_urls: dict[str, str] = field(default_factory=dict)
    # Fill the form, then stop without sending (review before submit, dry runs).
    stop_before_submit: bool = False
    # Continue a paused job from its saved choices instead of choosing again.
    resume: ResumePoint | None = None


@dataclass
class AgentResult:
    person: Person | None
    slots: list[OfferedSlot]
    booked: OfferedSlot
    message: str
    submit: SubmitResult | None  # None: the job stopped before submitting, as asked

    @property
    def stopped_before_submit(self) -> bool:
        return self.submit is None


def describe_slot(moment: datetime, zone: str) -> str:
    """"Tue 2 Dec, 14:30 (Europe/Helsinki)": unambiguous for both sides of the meeting."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M} ({zone})"


def describe_skipped(skipped: Sequence[tuple[OfferedSlot, str]], zone: str) -> str:
    """"Wed 2 Dec 09:00, 09:30 (busy in your calendar)": the times a calendar-blind bot would have taken."""
    by_reason: dict[str, dict[str, list[str]]] = {}
    for slot, reason in skipped[:MAX_SKIPPED_LISTED]:
        local = slot.start.astimezone(ZoneInfo(zone))
        by_reason.setdefault(reason, {}).setdefault(f"{local:%a} {local.day} {local:%b}", []).append(f"{local:%H:%M}")
    parts = [
        "; ".join(f"{day} {', '.join(times)}" for day, times in days.items()) + f" ({reason})"
        for reason, days in by_reason.items()
    ]
    more = len(skipped) - MAX_SKIPPED_LISTED
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def describe_rejections(counts: Counter[str]) -> str:
    """"12 offered times busy in your calendar, 4 outside working hours" for the no-match message."""
    if not counts:
        return "nothing offered"
    (first, n), *rest = counts.most_common()
    head = f"{n} offered {'time' if n == 1 else 'times'} {first}"
    return ", ".join([head, *(f"{m} {reason}" for reason, m in rest)])


def compose_message(template: str, job: BookingJob, person: Person | None, booked: OfferedSlot | None,
                    alternative: OfferedSlot | None) -> str:
    """The intro message; ``booked`` is None when the page asks for it before any time is chosen."""
    zone = job.invitee.timezone
    alt_text = describe_slot(alternative.start, zone) if alternative else ""
    text = render_template(
        template,
        {
            "user_name": job.invitee.name,
            "first_name": job.invitee.first_name,
            "last_name": job.invitee.last_name,
            "email": job.invitee.email,
            "company": job.invitee.company,
            "role": job.invitee.role,
            "startup": job.startup_name,
            "person": person.name if person else "",
            "slot": describe_slot(booked.start, zone) if booked else "",
            "alt_slot": alt_text,
        },
    )
    if alternative and "{alt_slot}" not in template:
        text = f"{text.rstrip()}\n\nIf that time doesn't suit you, {alt_text} would work for me too."
    return text


class BookingAgent:
    def __init__(self, platform: Platform, report: Reporter, guard: SlotGuard) -> None:
        self.platform = platform
        self.report = report
        self.guard = guard
        self.phase = Phase.STARTING
        self.rejections: Counter[str] = Counter()  # why offered slots were not taken, over every person tried
        self.early_message: str | None = None  # sent with the guest form before the slots (Chili Piper)

    # -- the whole flow ---------------------------------------------------------------------------
    def run(self, job: BookingJob) -> AgentResult:
        if job.resume is not None:
            return self._resume(job, job.resume)
        person, picks = self._find_person_and_slots(job)
        self.phase = Phase.FILLING
        booked, alternative = picks[0], (picks[1] if len(picks) > 1 else None)
        try:
            message, submit = self._book(job, person, booked, alternative)
        except SlotTaken as taken:
            if alternative is None:
                raise
            self.report("slot_taken", f"{describe_slot(booked.start, job.invitee.timezone)} was just taken "
                                      f"({taken}); trying the other time")
            self.phase = Phase.FILLING
            booked, alternative = alternative, None
            picks = [booked]  # the taken slot is no alternative any more
            message, submit = self._book(job, person, booked, None)
        self.phase = Phase.DONE
        return AgentResult(person=person, slots=picks, booked=booked, message=message, submit=submit)

    def _book(self, job: BookingJob, person: Person | None, booked: OfferedSlot,
              alternative: OfferedSlot | None) -> tuple[str, SubmitResult | None]:
        zone = job.invitee.timezone
        self.platform.choose_slot(booked)
        self.report("slot_selected", f"Selected {describe_slot(booked.start, zone)}")
        if self.early_message is not None:
            message = self.early_message
        else:
            message = compose_message(job.message_template, job, person, booked, alternative)
            self.platform.fill_details(job.invitee, message)
            note = self.platform.pre_submit_note()
            self.report("form_filled", self._filled_text(job) + (f". {note}" if note else ""))
        if job.stop_before_submit:
            return message, None
        self.phase = Phase.SUBMITTING
        submit = self.platform.submit()
        outcome = "confirmed" if submit.confirmed else "sent, waiting for confirmation"
        self.report("submitted", f"Submitted on {self.platform.label}: {outcome}. {submit.summary}".strip())
        return message, submit

    def _filled_text(self, job: BookingJob) -> str:
        """What the form step says: with the intro, or that the form had no field for it."""
        filled = f"Filled in {job.invitee.name} <{job.invitee.email}>"
        report = self.platform.form_report
        if report is not None and not report.message_placed:
            return (f"{filled}. {self.platform.label}'s form has no message field: booking without the intro "
                    "(it is kept on the booking to paste)")
        return f"{filled} and the intro message"

    # -- resuming a paused job ----------------------------------------------------------------------
    def _resume(self, job: BookingJob, point: ResumePoint) -> AgentResult:
        """Reopen the page, take the saved person and slot (no new choice), fill and submit."""
        self.phase = Phase.CHOOSING
        zone = job.invitee.timezone
        person = next((p for p in job.people if p.name == point.person_name), None)
        if person is None and point.person_name:
            person = Person(point.person_name)
        url = job.person_urls.get(person.name, job.url) if person else job.url
        self.platform.open(url)
        self.report("page_loaded", f"Opened the {self.platform.label} page of {job.startup_name} again")
        if person is not None and self.platform.people():
            if not self.platform.choose_person(person):
                raise SlotTaken(f"{person.name} is no longer offered on the page")
            self.report("person_selected", f"Chose {person.name}")
        if self.platform.asks_details_first:  # the reopened page wants the guest form again before its times
            self._fill_details_first(job, person)
        wanted = [point.slot_start] + ([point.alternative_start] if point.alternative_start else [])
        found = self._find_slots(wanted)
        booked = found.get(point.slot_start)
        if booked is None:
            raise SlotTaken(f"{describe_slot(point.slot_start, zone)} was taken while the form waited for review")
        alternative = found.get(point.alternative_start) if point.alternative_start else None
        self.phase = Phase.FILLING
        message, submit = self._book(job, person, booked, alternative)
        self.phase = Phase.DONE
        picks = [booked] + ([alternative] if alternative else [])
        return AgentResult(person=person, slots=picks, booked=booked, message=message, submit=submit)

    def _find_slots(self, starts: Sequence[datetime]) -> dict[datetime, OfferedSlot]:
        """The page's current slots at exactly these start times (missing ones were taken meanwhile)."""
        if not starts:
            raise PageChanged(self.platform.label, "a saved slot to resume from")
        window = Interval(min(starts), max(starts) + _ONE_MINUTE)
        found: dict[datetime, OfferedSlot] = {}
        for slot in self.platform.iter_slots(window):
            if slot.start in starts:
                found[slot.start] = slot
            if len(found) == len(set(starts)) or slot.start > max(starts):
                break
        return found

    # -- choosing ---------------------------------------------------------------------------------
    def _candidates(self, job: BookingJob) -> list[tuple[Person | None, str]]:
        if job.person_urls:
            return [(p, job.person_urls.get(p.name, job.url)) for p in job.people]
        return [(p, job.url) for p in job.people] or [(None, job.url)]

    def _find_person_and_slots(self, job: BookingJob) -> tuple[Person | None, list[OfferedSlot]]:
        self.phase = Phase.CHOOSING
        tried: list[str] = []
        page_chooses_host = False
        for index, (person, url) in enumerate(self._candidates(job)):
            if page_chooses_host and not job.person_urls:
                break  # the same page without a person choice: scanning it again finds the same
            self.platform.open(url)
            self.report("page_loaded", f"Opened the {self.platform.label} page of {job.startup_name}")
            offered_people = self.platform.people()
            chosen = person
            if offered_people:
                if person is None:
                    chosen = Person(offered_people[0])
                if not self.platform.choose_person(chosen):
                    tried.append(f"{chosen.name} (not on the page)")
                    continue
                self.report("person_selected", f"Chose {chosen.name}")
            else:
                page_chooses_host = True
            if self.platform.asks_details_first:
                self._fill_details_first(job, chosen)
            picks, found, rules = self._pick(job)
            if picks:
                zone = job.invitee.timezone
                listed = " and ".join(describe_slot(s.start, zone) for s in picks)
                skipped = skipped_for_calendar(found, picks, rules)
                note = f"; skipped {describe_skipped(skipped, zone)}" if skipped else ""
                if rules.calendar_checked:
                    self.report("slots_found", f"Free in your calendar: {listed}{note}")
                else:
                    self.report("slots_found", f"Free on the page and in your hours: {listed}{note} (your calendar "
                                               "isn't connected, so other meetings weren't checked)")
                return chosen, picks
            self.rejections.update(rejection_reason(s, rules) or HELD for s in found)
            tried.append(chosen.name if chosen else "the page")
        who = ", ".join(tried) if tried else "anyone on the page"
        last_day = job.rules.latest.astimezone(ZoneInfo(job.invitee.timezone))
        raise NoCommonTime(
            f"No common free time with {job.startup_name} before {last_day:%a} {last_day.day} {last_day:%b} "
            f"(tried {who}: {describe_rejections(self.rejections)}); widen your hours or pick a slot yourself"
        )

    def _fill_details_first(self, job: BookingJob, person: Person | None) -> None:
        """The page wants the guest form before it shows times: the message can't name a slot yet."""
        self.phase = Phase.FILLING
        self.early_message = compose_message(job.message_template, job, person, None, None)
        self.platform.fill_details(job.invitee, self.early_message)
        self.report("form_filled", self._filled_text(job))
        self.phase = Phase.CHOOSING

    def _pick(self, job: BookingJob) -> tuple[list[OfferedSlot], list[OfferedSlot], SlotRules]:
        """Scan the page's slots, pick two and hold them; also what was scanned and the final rules.

        When another booking of the teammate holds a pick meanwhile, those times join the rules and
        scanning goes on from where it stopped.
        """
        window = Interval(job.rules.earliest, job.rules.latest)
        offered = iter(self.platform.iter_slots(window))
        found: list[OfferedSlot] = []
        rules = job.rules
        exhausted = False
        for _ in range(MAX_HOLD_TRIES):
            while not exhausted and not enough_found(found, rules) and len(found) < MAX_SLOTS_SCANNED:
                slot = next(offered, None)
                if slot is None:
                    exhausted = True
                else:
                    found.append(slot)
            picks = pick_slots(found, rules)
            if not picks:
                return [], found, rules
            held = self.guard.hold(picks)
            if len(held) == len(picks):
                return held, found, rules
            clashing = tuple(s.interval for s in picks if s not in held)
            rules = replace(rules, held=rules.held + clashing)  # another booking of ours took them meanwhile
        return [], found, rules

"""The browser agent: drives one platform module through one booking.

It owns the order of steps and the decisions between them (which person, which slots, what
message, what to do when a slot is taken); the platform module owns the page. It knows nothing
about the database or Slack: it reports steps through a callback and holds slots through a
:class:`SlotGuard`, both supplied by the service.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import IntEnum
from typing import Callable, Protocol, Sequence
from zoneinfo import ZoneInfo

from booking.errors import NoCommonTime, SlotTaken
from booking.messages import render_template
from booking.platforms.base import Invitee, Person, Platform, SubmitResult
from booking.slots import Interval, OfferedSlot, SlotRules, enough_found, pick_slots

# report(step_key, text): the service screenshots the page, logs the step and tells the teammate.
Reporter = Callable[[str, str], None]

MAX_SLOTS_SCANNED = 400


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


@dataclass
class AgentResult:
    person: Person | None
    slots: list[OfferedSlot]
    booked: OfferedSlot
    message: str
    submit: SubmitResult


def describe_slot(moment: datetime, zone: str) -> str:
    """"Tue 2 Dec, 14:30 (Europe/Helsinki)": unambiguous for both sides of the meeting."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M} ({zone})"


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
        self.early_message: str | None = None  # sent with the guest form before the slots (Chili Piper)

    # -- the whole flow ---------------------------------------------------------------------------
    def run(self, job: BookingJob) -> AgentResult:
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
              alternative: OfferedSlot | None) -> tuple[str, SubmitResult]:
        zone = job.invitee.timezone
        self.platform.choose_slot(booked)
        self.report("slot_selected", f"Selected {describe_slot(booked.start, zone)}")
        if self.early_message is not None:
            message = self.early_message
        else:
            message = compose_message(job.message_template, job, person, booked, alternative)
            self.platform.fill_details(job.invitee, message)
            self.report("form_filled", f"Filled in {job.invitee.name} <{job.invitee.email}> and the intro message")
        self.phase = Phase.SUBMITTING
        submit = self.platform.submit()
        outcome = "confirmed" if submit.confirmed else "sent, waiting for confirmation"
        self.report("submitted", f"Submitted on {self.platform.label}: {outcome}. {submit.summary}".strip())
        return message, submit

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
            picks = self._pick(job)
            if picks:
                zone = job.invitee.timezone
                listed = " and ".join(describe_slot(s.start, zone) for s in picks)
                self.report("slots_found", f"Free in your calendar: {listed}")
                return chosen, picks
            tried.append(chosen.name if chosen else "the page")
        who = ", ".join(tried) if tried else "anyone on the page"
        last_day = job.rules.latest.astimezone(ZoneInfo(job.invitee.timezone))
        raise NoCommonTime(
            f"No common free time with {job.startup_name} before {last_day:%a} {last_day.day} {last_day:%b} "
            f"(tried {who}); widen your hours or pick a slot yourself"
        )

    def _fill_details_first(self, job: BookingJob, person: Person | None) -> None:
        """The page wants the guest form before it shows times: the message can't name a slot yet."""
        self.phase = Phase.FILLING
        self.early_message = compose_message(job.message_template, job, person, None, None)
        self.platform.fill_details(job.invitee, self.early_message)
        self.report("form_filled", f"Filled in {job.invitee.name} <{job.invitee.email}> and the intro message")
        self.phase = Phase.CHOOSING

    def _pick(self, job: BookingJob) -> list[OfferedSlot]:
        window = Interval(job.rules.earliest, job.rules.latest)
        found: list[OfferedSlot] = []
        for slot in self.platform.iter_slots(window):
            found.append(slot)
            if enough_found(found, job.rules) or len(found) >= MAX_SLOTS_SCANNED:
                break
        rules = job.rules
        for _ in range(5):
            picks = pick_slots(found, rules)
            if not picks:
                return []
            held = self.guard.hold(picks)
            if len(held) == len(picks):
                return held
            clashing = tuple(s.interval for s in picks if s not in held)
            rules = replace(rules, busy=rules.busy + clashing)
        return []

"""What ``auto`` did on a page, written down as a recipe (``python -m booking try --save-recipe``).

``auto`` discovers a page every time (frames, the kind of date control, the zone sentence, which
button moves a wizard on); a recipe recorded from one run pins what it found, so an admin can store
it, edit it and book the page by the ``custom`` platform next time without the discovery. Every
locator is semantic (a role and accessible name, a field's label), never the page's CSS, so the
recipe reads like what a person sees and survives a restyled page. Values become placeholders
(``{email}``, ``{message}``, ``{person}``) so the recipe books for any teammate and any person.
"""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Any, Sequence

import yaml
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.select import Select

from booking.browser.page import Page
from booking.browser.semantic import Found, Query, role
from booking.platforms.auto_reading import CONFIRMED, REQUESTED
from booking.platforms.base import Invitee
from booking.platforms.custom.locating import TAKEN_NAME, plain
from booking.platforms.parts.codes import CODE_PATTERN, SEND_CODE
from booking.platforms.parts.form import FormField, read_fields

# An accept button of a consent banner (the words parts/consent.py accepts), by role and name.
CONSENT_NAME = r"/^(accept|allow|agree|i agree|i understand|i accept|got it|ok|okay)( all)?( cookies)?[.!]?$/"
# Success after a dry run, when the page's own words are not known yet: auto's generic words for a
# confirmed booking or a sent request (which one the page gives is guessed from the send button's name).
SUCCESS_WORDS = (r"/\b(all set|confirmed|booked|scheduled|thank(s| you) for booking|invitation (has been )?sent|"
                 r"see you|request(ed)? (has been |was )?(sent|received|submitted)|pending (approval|confirmation))\b/")
PLACES = ("heading", "status", "alert")
PERSON_ROLES = ("radio", "button", "link", "tab", "option")
MAYBE_MISSING = ("{phone}", "{company}", "{role}")  # a teammate's profile may lack these
# A code field no label names: the standard attribute for one-time codes (HTML autofill), never a page's own CSS.
ONE_TIME_CODE = 'input[autocomplete="one-time-code"]'
VALUE_KEYS = ("name", "first_name", "last_name", "email", "phone", "company", "role")


def _regex(words: str) -> str:
    """A ``/regex/`` name matching ``words`` literally (readable: spaces are left as they are)."""
    return "/" + re.escape(words).replace("\\ ", " ") + "/"


def _literal(name: str) -> str:
    """A name as a recipe matches it: itself, or (holding braces, which a recipe reads as placeholders) a
    ``/regex/`` of exactly those words."""
    return "/^" + _regex(plain(name))[1:-1] + "$/" if "{" in name or "}" in name else name


def _template(value: str) -> str:
    """A literal fill value: braces doubled, so a recipe reads them as text, not placeholders."""
    return value.replace("{", "{{").replace("}", "}}")


def role_of(page: Page, element: WebElement, roles: Sequence[str]) -> str | None:
    """Which of ``roles`` the element has, as the accessibility tree says (one round trip)."""
    answers = page.ask(*[Query((role(r),), every=True, details=False) for r in roles])
    return next((r for r, found in zip(roles, answers) if any(f.element == element for f in found)), None)


class RecipeRecorder:
    """The steps ``auto`` took on the page it last opened, as recipe steps in the recipe's order."""

    def __init__(self) -> None:
        self.steps: list[dict[str, Any]] = []
        self._person_at: int | None = None
        self._calendar_at: int | None = None

    def opened(self) -> None:
        """A fresh page: the recording starts over (the agent opens it again for each person)."""
        self.steps = [{"open": "{url}"}]
        self._person_at = self._calendar_at = None

    def consent(self) -> None:
        """A consent banner was accepted: before any frame step, optional (it may not show next time)."""
        step = {"click": {"role": "button", "name": CONSENT_NAME, "optional": True}}
        if step in self.steps:
            return
        frame = next((i for i, s in enumerate(self.steps) if "frame" in s), len(self.steps))
        self.steps.insert(frame, step)
        for mark in ("_person_at", "_calendar_at"):
            if getattr(self, mark) is not None:
                setattr(self, mark, getattr(self, mark) + 1)

    def frame(self, title: str | None) -> None:
        self.steps.append({"frame": {"title": title} if title else {"largest": True}})

    def person(self, page: Page, target: Found) -> None:
        """The person choice, with ``{person}`` in place of the name (a select by its label, else by role)."""
        if self._person_at is not None:
            del self.steps[self._person_at:]
        self._person_at = len(self.steps)
        if target.tag == "option":
            select = page.driver.execute_script("return arguments[0].closest('select')", target.element)
            label = next((f.label for f in read_fields(page) if f.element == select and f.label), None)
            self.steps.append({"select": {"label": label, "text": "{person}"} if label else
                               {"field": "select", "text": "{person}"}})
            return
        self.steps.append({"click": {"role": role_of(page, target.element, PERSON_ROLES) or "button",
                                     "name": "{person}"}})

    def click(self, role_name: str, name: str) -> None:
        """A button that moved a wizard on ("Next", "Continue"), by role and name."""
        self.steps.append({"click": {"role": role_name, "name": _literal(name)}})

    def calendar(self, control: str, zone: str, duration: timedelta) -> None:
        """The day and time picked: the date control's kind, the page's zone and the meeting's length."""
        if self._calendar_at is not None:
            del self.steps[self._calendar_at:]
        self._calendar_at = len(self.steps)
        self.steps.append({"pick_date": {"control": control}})
        self.steps.append({"pick_time": {"slots": "clock_times", "zone": zone,
                                         "duration_minutes": int(duration.total_seconds() // 60)}})

    def form(self, before: list[FormField], after: list[FormField], invitee: Invitee, message: str) -> None:
        """What filling changed, field by field in page order, each by its label and with placeholders."""
        values = {key: getattr(invitee, key) for key in VALUE_KEYS}
        earlier = {b.element: b for b in before}
        for item in after:
            old = earlier.get(item.element)
            if item.disabled or not item.label:
                continue
            if item.role in ("checkbox", "switch", "radio"):
                if item.checked and not (old and old.checked):
                    self.steps.append({"click": {"role": item.role, "name": _literal(item.label)}})
            elif item.tag == "select":
                if old is None or item.value != old.value:
                    text = Select(item.element).first_selected_option.text.strip()
                    self._field("select", item, {"text": _template(text)})
            elif item.value and (old is None or item.value != old.value):
                self._field("fill", item, {"value": self._placeholder(item.value, values, message)})

    def _field(self, kind: str, item: FormField, what: dict[str, str]) -> None:
        """A field by its label; optional when the page doesn't require it and another teammate may lack the value."""
        optional = not item.required and what.get("value") in MAYBE_MISSING
        self.steps.append({kind: {"label": _literal(item.label), **what, **({"optional": True} if optional else {})}})

    @staticmethod
    def _placeholder(value: str, values: dict[str, str | None], message: str) -> str:
        if value == message:
            return "{message}"
        key = next((k for k, v in values.items() if v and v == value), None)
        return "{" + key + "}" if key else _template(value)

    def code(self, page: Page, asked: Found | None) -> None:
        """The page asked for an e-mailed code after the submit: an ``enter_code`` step with the field auto
        found (by its label, else the standard one-time-code field) and the code's own button (by role and
        name), reading the mail as auto does (any mail to the guest since the submit, auto's code words)."""
        if asked is None:
            return
        label = next((f.label for f in read_fields(page) if f.element == asked.element and f.label), asked.name)
        where = {"label": _literal(label)} if label.strip() else {"field": ONE_TIME_CODE}
        buttons = page.seen_all(*SEND_CODE)
        button = next((b for b in buttons if not b.disabled), buttons[0] if buttons else None)
        press = {"press": {"role": "button", "name": _literal(button.name)}} if button and button.name else {}
        self.steps.append({"enter_code": {**where, "pattern": CODE_PATTERN, **press}})

    def submit(self, name: str, again: bool) -> None:
        """The button that sent the booking (a review step's own Confirm is a click after it)."""
        self.steps.append({"click" if again else "submit": {"role": "button", "name": _literal(name)}})

    def success(self, words: str | None, confirmed: bool, place: str | None = None) -> None:
        """How the recipe tells it worked: the page's own words where it said them (after a booking), else
        auto's generic words in a heading or status line (after a dry run); an alert elsewhere is a refusal."""
        said = None
        if words:
            match = (CONFIRMED if confirmed else REQUESTED).search(words.strip())
            said = _regex(match.group(0).strip().casefold()) if match else None
        places = [place] if said and place else list(PLACES[:2])
        self.steps.append({"success": {"any": [{"role": where, "name": said or SUCCESS_WORDS} for where in places],
                                       "slot_taken": [{"role": "alert", "name": TAKEN_NAME}],
                                       **({} if "alert" in places else {"failure": [{"role": "alert"}]}),
                                       "confirmed": confirmed}})

    def recipe(self, name: str) -> dict[str, Any]:
        return {"name": name, "steps": list(self.steps)}

    def to_yaml(self, name: str) -> str:
        """The recipe as YAML an admin can read and edit: one line a step (lists one line an item)."""
        lines = ["# Recorded by `python -m booking try --save-recipe` from what the auto platform did;",
                 "# store it on the startup (platform: custom) and edit it freely (README, Recipes).",
                 f"name: {_flow(name)}", "steps:"]
        for step in self.steps:
            [(kind, body)] = step.items()
            if isinstance(body, dict) and any(isinstance(v, list) for v in body.values()):
                lines.append(f"  - {kind}:")
                for key, value in body.items():
                    if isinstance(value, list):
                        lines += [f"      {key}:"] + [f"        - {_flow(item)}" for item in value]
                    else:
                        lines.append(f"      {key}: {_flow(value)}")
            else:
                lines.append(f"  - {kind}: {_flow(body)}")
        return "\n".join(lines) + "\n"


def _flow(value: Any) -> str:
    """One YAML value on one line (flow style), quoted where YAML needs it."""
    return yaml.safe_dump(value, default_flow_style=True, width=1_000_000, allow_unicode=True,
                          sort_keys=False).strip().removesuffix("\n...").strip()

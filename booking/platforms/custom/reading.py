"""What the recipe engine reads off a page and renders into it, without a browser: fill templates, a
drop-down's options, booking ids and slot times (plain functions, tested on their own)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Sequence

from booking.domain.slots import SlotParseError, localize, parse_clock
from booking.platforms.base import Invitee
from booking.recipes.steps import format_has_date


@dataclass
class FillValues:
    """What fill templates are rendered from."""

    fields: dict[str, str]

    def render(self, template: str) -> tuple[str, list[str]]:
        """The rendered text and the placeholders that had no value."""
        missing: list[str] = []

        def substitute(match: re.Match[str]) -> str:
            value = self.fields.get(match.group(1), "")
            if not value:
                missing.append(match.group(1))
            return value

        text = template.replace("{{", "\x00").replace("}}", "\x01")
        text = re.sub(r"\{([a-z_]+)\}", substitute, text)
        return text.replace("\x00", "{").replace("\x01", "}"), missing


MISSING_HELP = {
    "phone": "your phone number (add it to your Slack profile, or BOOKER_USER_PHONE for the CLI)",
    "last_name": "your last name (your Slack name has only one word)",
}


def same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


@dataclass(frozen=True)
class Option:
    """One ``<option>`` of a drop-down: its position, value, visible text and whether it can be chosen."""

    index: int
    value: str
    text: str
    enabled: bool


# A drop-down's prompt rather than a choice: blank, dashes or dots, or an instruction to pick.
PLACEHOLDER_OPTION = re.compile(r"^[\s\-–—_.…*]*$|^[\s\-–—]*(?:please\b|(?:select|choose|pick)\b)", re.I)


def is_placeholder(option: Option) -> bool:
    return bool(PLACEHOLDER_OPTION.match(option.text))


def option_by_text(options: Sequence[Option], wanted: str) -> Option | None:
    texts = [(o, " ".join(o.text.split()).casefold()) for o in options]
    want = " ".join(wanted.split()).casefold()
    exact = [o for o, t in texts if t == want]
    if exact:
        return exact[0]
    partial = [o for o, t in texts if want and want in t]
    return partial[0] if len(partial) == 1 else None


def extract(raw: str, pattern: str | None) -> str | None:
    if not pattern:
        return raw.strip() or None
    match = re.search(pattern, raw)
    if not match:
        return None
    return (match.group(1) if match.re.groups else match.group(0)).strip()


def values_for(invitee: Invitee, message: str) -> FillValues:
    return FillValues({
        "name": invitee.name, "first_name": invitee.first_name, "last_name": invitee.last_name,
        "email": invitee.email, "phone": invitee.phone or "", "company": invitee.company,
        "role": invitee.role, "message": message,
    })


_CLOCK_TOKEN = re.compile(r"\d{1,2}(?:[:.h]\d{2})?\s*(?:[ap]\.?\s?m\.?)?", re.IGNORECASE)


def parse_slot_time(text: str, fmt: str, zone: str, day: date | None) -> datetime:
    """A slot's start from its attribute or text: iso, unix (s or ms), clock ("4:00pm") or strptime."""
    raw = text.strip()
    if fmt == "iso":
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        return value if value.tzinfo else localize(value.date(), value.time(), zone)
    if fmt == "unix":
        number = float(raw)
        return datetime.fromtimestamp(number / 1000 if number > 1e11 else number, timezone.utc)
    if fmt == "clock":
        if day is None:
            raise SlotParseError(f"{raw!r} has no date")
        try:
            clock = parse_clock(raw)
        except SlotParseError:
            token = _CLOCK_TOKEN.search(raw)
            if not token:
                raise
            clock = parse_clock(token.group(0))
        return localize(day, clock, zone)
    value = datetime.strptime(raw, fmt)
    if not format_has_date(fmt):
        if day is None:
            raise SlotParseError(f"{raw!r} has no date")
        value = datetime.combine(day, value.time())
    if value.tzinfo is not None:
        return value
    return localize(value.date(), value.time(), zone)

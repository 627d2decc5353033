"""The booking form: read its fields as a person sees them (label, role, required) and fill them.

Each field is given a purpose from what the page says it is for — the ``autocomplete`` token, the
input ``type``, its label, then its ``name`` — and gets the teammate's value for that purpose. The
intro message goes into the field labelled like notes/message/anything to share (else the largest
free-text field). A required consent box is ticked. What stays unanswered and required (a free-text
question, a select or radio group with unknown options, an unknown checkbox) is reported, never guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.select import Select

from booking.browser.page import Page
from booking.browser.semantic import run_script

Purpose = Literal["name", "first_name", "last_name", "email", "phone", "company", "role", "message",
                  "guests", "consent", "unknown"]

# Placeholder options of a select: never an answer.
PLACEHOLDER_OPTION = re.compile(r"^\s*$|^(-+|please |select|choose|pick|--)", re.I)

_BY_AUTOCOMPLETE: dict[str, Purpose] = {
    "name": "name", "given-name": "first_name", "family-name": "last_name", "email": "email", "tel": "phone",
    "tel-national": "phone", "organization": "company", "organization-title": "role",
}
# Label (or name attribute) patterns, tried in this order.
_BY_WORDS: tuple[tuple[Purpose, re.Pattern[str]], ...] = (
    ("guests", re.compile(r"guest", re.I)),
    ("first_name", re.compile(r"first[\s_-]*name|given[\s_-]*name|^first$|forename", re.I)),
    ("last_name", re.compile(r"last[\s_-]*name|surname|family[\s_-]*name|^last$", re.I)),
    ("email", re.compile(r"e-?mail", re.I)),
    ("phone", re.compile(r"phone|mobile|\btel\b|cell", re.I)),
    ("company", re.compile(r"company|organi[sz]ation|employer|business name|\bfirm\b", re.I)),
    ("role", re.compile(r"job[\s_-]*title|\brole\b|position", re.I)),
    ("name", re.compile(r"(^|[\s_-])name\b|^(full|your)[\s_-]*name|fullname", re.I)),
    ("message", re.compile(r"note|message|anything|share|prepare|comment|agenda|discuss|help us|tell us|"
                           r"additional|details|question_0\b", re.I)),
)
_CONSENT = re.compile(r"agree|consent|terms|privacy|accept|gdpr|opt[\s-]?in|policy", re.I)

_FIELDS_JS = """
const [given] = arguments;
const TL = window.__bookerTL;
if (!TL) return 'booker:no-reader';
const root = given || document.body;
const seen = new Map();
for (const role of ['textbox', 'searchbox', 'combobox', 'listbox', 'spinbutton', 'checkbox', 'radio', 'switch']) {
  TL.queryAllByRole(root, role, {hidden: false, queryFallbacks: true, name: (name, el) => {
    if (!seen.has(el)) seen.set(el, [role, name]); return true; }});
}
const text = (el) => el ? (el.textContent || '').replace(/\\s+/g, ' ').trim() : '';
const groupOf = (el) => {
  const group = el.closest('fieldset, [role="radiogroup"], [role="group"]');
  if (!group) return '';
  if (group.tagName === 'FIELDSET') return text(group.querySelector('legend'));
  const by = group.getAttribute('aria-labelledby');
  return group.getAttribute('aria-label') || (by ? by.split(/\\s+/).map((id) => text(document.getElementById(id))).join(' ') : '');
};
const items = [...seen.entries()].filter(([el]) => el.getClientRects().length > 0);
items.sort((a, b) => a[0] === b[0] ? 0 : (a[0].compareDocumentPosition(b[0]) & 4 ? -1 : 1));
return items.map(([el, [role, name]]) => ({
  element: el, role, label: name || el.getAttribute('placeholder') || '', tag: el.tagName.toLowerCase(),
  type: (el.getAttribute('type') || '').toLowerCase(), name: el.getAttribute('name') || '',
  autocomplete: (el.getAttribute('autocomplete') || '').toLowerCase(),
  required: el.required === true || el.getAttribute('aria-required') === 'true' || /\\*\\s*$/.test(name || ''),
  value: typeof el.value === 'string' ? el.value : '',
  checked: el.checked === true || el.getAttribute('aria-checked') === 'true',
  disabled: !!el.disabled || el.getAttribute('aria-disabled') === 'true',
  options: el.tagName === 'SELECT' ? Array.from(el.options).map((o) => o.text.trim()) : [],
  group: (role === 'radio' || role === 'checkbox') ? groupOf(el) : '',
  multiline: el.tagName === 'TEXTAREA' || el.getAttribute('aria-multiline') === 'true',
}));
"""


@dataclass
class FormField:
    """One field of a form as a person sees it."""

    element: WebElement
    role: str
    label: str
    tag: str = ""
    type: str = ""
    name: str = ""
    autocomplete: str = ""
    required: bool = False
    value: str = ""
    checked: bool = False
    disabled: bool = False
    options: list[str] = field(default_factory=list)
    group: str = ""
    multiline: bool = False

    @property
    def question(self) -> str:
        """What the form asks, in its own words (a radio's group, else the field's label)."""
        words = self.group if self.role == "radio" and self.group else self.label
        return re.sub(r"\s*\*\s*$", "", words).strip() or self.name or "an unnamed field"

    @property
    def choices(self) -> list[str]:
        return [o for o in self.options if not PLACEHOLDER_OPTION.match(o)]


def purpose_of(item: FormField, hints: Mapping[str, Purpose] | None = None) -> Purpose:
    """What a field is for: a platform's known field name, then autocomplete, type, label, name."""
    if hints and item.name in hints:
        return hints[item.name]
    if item.role in ("checkbox", "switch"):
        return "consent" if _CONSENT.search(item.label) else "unknown"
    if item.role == "radio":
        return "unknown"
    token = item.autocomplete.split()[-1] if item.autocomplete else ""
    if token in _BY_AUTOCOMPLETE:
        return _BY_AUTOCOMPLETE[token]
    if item.type == "email":
        return "guests" if "guest" in item.label.lower() else "email"
    if item.type == "tel":
        return "phone"
    for words in (item.question, item.name):
        for purpose, pattern in _BY_WORDS:
            if words and pattern.search(words):
                return purpose
    return "unknown"


@dataclass
class FormReport:
    """What filling did: which fields got what, whether the message found a home, what stays open."""

    filled: list[str] = field(default_factory=list)
    message_field: str | None = None
    unanswered: list[FormField] = field(default_factory=list)

    @property
    def message_placed(self) -> bool:
        return self.message_field is not None


def read_fields(page: Page, within: WebElement | None = None) -> list[FormField]:
    """The form's shown fields in page order (one round trip)."""
    rows: Any = run_script(page.driver, _FIELDS_JS, within)
    return [FormField(**row) for row in rows]


def _values(invitee: Any) -> dict[str, str | None]:
    return {"name": invitee.name, "first_name": invitee.first_name, "last_name": invitee.last_name or invitee.first_name,
            "email": invitee.email, "phone": invitee.phone, "company": invitee.company, "role": invitee.role}


def _key(text: str) -> str:
    return " ".join(re.sub(r"[*:?]+\s*$", "", text).split()).casefold()


def fill_form(page: Page, invitee: Any, message: str, *, within: WebElement | None = None,
              hints: Mapping[str, Purpose] | None = None, answers: Mapping[str, str] | None = None) -> FormReport:
    """Fill every field Booker can answer; report the message's field and the unanswered required ones.

    ``hints``: a platform's documented field names (``name`` attribute → purpose); ``answers``: the
    teammate's answers to questions by their label (case- and punctuation-insensitive).
    """
    fields = [f for f in read_fields(page, within) if not f.disabled]
    given = {_key(k): v for k, v in (answers or {}).items()}
    values = _values(invitee)
    report = FormReport()
    purposes = [purpose_of(f, hints) for f in fields]
    message_at = _message_field(fields, purposes)
    groups_done: set[str] = set()
    for index, (item, purpose) in enumerate(zip(fields, purposes)):
        answer = given.get(_key(item.question))
        if item.role == "radio":
            group = item.group or item.name
            if group in groups_done:
                continue
            groups_done.add(group)
            members = [f for f in fields if f.role == "radio" and (f.group or f.name) == group]
            if answer is not None:
                _choose_radio(page, members, answer, report)
            elif item.required and not any(m.checked for m in members):
                report.unanswered.append(FormField(**{**item.__dict__, "options": [m.label for m in members]}))
            continue
        if index == message_at:
            page.fill(item.element, message, f"the field {item.question!r}")
            report.message_field = item.question
            report.filled.append(item.question)
            continue
        if item.role in ("checkbox", "switch"):
            wanted = answer is not None and answer.strip().lower() in ("yes", "true", "on", "1", "x", "checked")
            if (purpose == "consent" and item.required) or wanted:
                if not item.checked:
                    page.click(item.element, f"the box {item.question!r}")
                report.filled.append(item.question)
            elif item.required and not item.checked:
                report.unanswered.append(item)
            continue
        value = answer if answer is not None else values.get(purpose) if purpose in values else None
        if purpose == "message" and value is None and item.required:
            value = message  # a second required message-like question: the intro answers it too
        if item.tag == "select" or (item.role in ("combobox", "listbox") and item.options):
            if not _select(item, value):
                if item.required and not _has_choice(item):
                    report.unanswered.append(item)
            else:
                report.filled.append(item.question)
            continue
        if value:
            if item.value != value:
                page.fill(item.element, value, f"the field {item.question!r}")
            report.filled.append(item.question)
        elif item.required and not item.value.strip():
            report.unanswered.append(item)
    return report


def _message_field(fields: list[FormField], purposes: list[Purpose]) -> int | None:
    """Where the intro message goes: a field labelled for it (multi-line first), else the first
    multi-line free-text field Booker has no other use for."""
    labelled = [i for i, p in enumerate(purposes) if p == "message" and fields[i].role in ("textbox", "searchbox")]
    labelled.sort(key=lambda i: (not fields[i].multiline, i))
    if labelled:
        return labelled[0]
    spare = [i for i, p in enumerate(purposes) if p == "unknown" and fields[i].multiline]
    return spare[0] if spare else None


def _has_choice(item: FormField) -> bool:
    return bool(item.value) and not PLACEHOLDER_OPTION.match(item.value)


def _select(item: FormField, value: str | None) -> bool:
    """Pick the option that reads like ``value``; False when there is none (placeholders never count)."""
    if not value or item.tag != "select":
        return False
    wanted = value.strip().casefold()
    for option in item.choices:
        if option.casefold() == wanted or option.casefold().startswith(wanted):
            try:
                Select(item.element).select_by_visible_text(option)
            except WebDriverException:
                return False
            return True
    return False


def _choose_radio(page: Page, members: list[FormField], answer: str, report: FormReport) -> None:
    wanted = answer.strip().casefold()
    for member in members:
        if member.label.strip().casefold() == wanted:
            if not member.checked:
                page.click(member.element, f"the choice {member.label!r}")
            report.filled.append(member.question)
            return
    report.unanswered.append(FormField(**{**members[0].__dict__, "options": [m.label for m in members]}))

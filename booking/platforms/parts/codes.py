"""An e-mailed code a booking page asks for after its form is sent (a PIN, a verification code).

Pages that verify the guest's address (Google appointment pages with e-mail verification, Microsoft
Bookings' one-time password) show a field for the code once the form is sent and e-mail the code to the
guest. A person opens the mail, copies the code, types it and presses the button next to the field; this
part does the same through the job's mailbox. Only mail that arrived after the submit started counts
(and none that was already there then), so an older code never gets typed.

The field is found as a person sees it: ``autocomplete="one-time-code"``, or a label, placeholder or
name saying code / PIN / passcode / verification; the button by its name ("Submit", "Verify", …).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Collection, FrozenSet

from selenium.webdriver.remote.webelement import WebElement

from booking.browser.page import Page
from booking.browser.semantic import Found, Way, field, label, matching, placeholder, role
from booking.domain.errors import BookingError
from booking.mail.mailbox import CodeReader, Mailbox, MailMessage, MailQuery

CODE_WORDS = r"\b(pin|code|passcode|one[- ]time|verification|verify)\b"
CODE_FIELDS: tuple[Way, ...] = (field(autocomplete="one-time-code"), label(matching(CODE_WORDS)),
                                placeholder(matching(CODE_WORDS)), role("textbox", matching(CODE_WORDS)))
# The code's own button first ("Submit", "Verify"), then the words a wizard's last button uses.
SEND_CODE: tuple[Way, ...] = (role("button", matching(r"^(submit|verify)\b")),
                              role("button", matching(r"^(confirm|continue|send|next|book|done)\b")))
# The code in the mail: a run of 4–10 letters/digits with a digit in it, after a word naming it
# ("Your PIN is 123456", "verification code: 4F7K21").
CODE_PATTERN = (r"(?i)\b(?:pin|code|passcode|password)\b[^\n]{0,60}?"
                r"\b(?P<code>(?=[a-z-]*\d)[a-z0-9-]{4,10})\b")
CODE_WAIT = 90.0  # s: real mail takes seconds, sometimes a minute

NO_MAILBOX = ("The {page} e-mailed you a code to finish the booking, but Booker has no mailbox to read it from "
              "(connect Gmail); the booking was not finished")


def code_field(page: Page) -> Found | None:
    """The code field the page shows now (enabled, empty or not), or None."""
    found = [f for f in page.seen_all(*CODE_FIELDS) if not f.disabled and f.tag in ("input", "textarea")]
    return found[0] if found else None


def mail_before(mailbox: Mailbox | None, invitee_email: str, since: datetime) -> FrozenSet[MailMessage]:
    """Mail to the guest already there when the submit started (never a fresh code); call it before sending."""
    if mailbox is None:
        return frozenset()
    try:
        return frozenset(mailbox.messages(MailQuery(to=invitee_email, after=since)))
    except BookingError:
        return frozenset()  # the code step will say why the mailbox can't be read


def answer_code_prompt(page: Page, mailbox: Mailbox | None, invitee_email: str, since: datetime, *,
                       ignore: Collection[MailMessage] = (), timeout: float = CODE_WAIT,
                       within_budget: Callable[[float], float] = lambda s: s) -> WebElement | None:
    """If the page asks for an e-mailed code now: read it from ``mailbox`` (mail after ``since``, not in
    ``ignore``), type it, press the button that sends it and return that button; None when no code is
    asked. The caller then reads the page's answer as after any submit (the button is what was pressed)."""
    asked = code_field(page)
    if asked is None:
        return None
    if mailbox is None:
        raise BookingError(NO_MAILBOX.format(page=page.label or "booking page"))

    def wait(condition: Callable[[], Any], seconds: float, what: str) -> Any:
        return page.wait_for(lambda _driver: condition(), f"the e-mail with the code {what}", seconds)

    query = MailQuery(to=invitee_email, after=since)
    code = CodeReader(mailbox, wait).wait_for_code(query, CODE_PATTERN, within_budget(timeout), ignore=ignore)
    page.fill(asked.element, code, "the field for the e-mailed code")
    button = page.seen(*SEND_CODE, what="the button that sends the code", enabled=True)
    page.click(button, "the button that sends the code")
    return button

"""The page's answer after the button that sends a booking, read the way a person waits for it, on any page.

A person believes a refusal once it stays: a page re-draws itself while it answers (the form goes, the
last try's refusal shows again for a moment before the confirmation replaces it), so a refusal counts
only when the next poll reads the same — one poll more, no more; the page's words of success count at once. A
refusal that was already on the page before the button was pressed (a time taken on the last try, kept
beside the form while another time is picked) is not the answer to this try; a refusal may be an alert
or a plain sentence ("that time was just taken"). "The form is gone" with no words counts only once it
has held a moment: a page may clear its form a beat before it writes "Request sent".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from time import monotonic

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.remote.webelement import WebElement

from booking.browser.page import Page
from booking.browser.semantic import Query, Way, matching, role, text
from booking.platforms.auto_reading import FORM_SIGNS, SEND_BUTTONS, SUCCESS_PLACES, outcome_of
from booking.platforms.parts.codes import code_field

ALERTS: tuple[Way, ...] = (role("alert"),)
INVALID: tuple[Way, ...] = (Way("css", css='[aria-invalid="true"]', source="a field marked invalid"),)
TAKEN_WORDS = ("no longer available", "not available", "already booked", "already taken", "was taken", "taken",
               "just booked", "someone else booked", "choose another time", "pick another time", "select another time")
# A sentence saying the time went to someone else, for pages that show it as plain text, not as an alert.
TAKEN_SAYING: tuple[Way, ...] = (text(matching(r"\b(no longer available|just (been )?(taken|booked)|already (been )?"
                                                 r"(taken|booked)|was taken|(pick|choose|select) (another|a different) time)\b")),)
GONE_STEADY = 1.0  # s the form must stay gone, with no words of the page's, before that alone counts as sent

BELIEVED_AT_ONCE = ("confirmed", "requested", "code")
Answer = tuple[str, str]  # ("confirmed" | "requested" | "code" | "gone" | "error" | "again", the page's words)


def still_there(element: WebElement) -> bool:
    """Whether ``element`` is still shown (a removed or replaced one is not)."""
    try:
        return element.is_displayed()
    except WebDriverException:
        return False


@dataclass
class AnswerReader:
    """Reads one page's answers, try after try; ``said_in`` is where it last confirmed (for the recipe)."""

    page: Page
    said_in: WebElement | None = None
    _stale: frozenset[str] = field(default=frozenset(), repr=False)  # refusals shown before the button was pressed
    _last: Answer | None = field(default=None, repr=False)  # the reading of the last poll
    _gone_since: float | None = field(default=None, repr=False)

    def before_send(self) -> None:
        """Note the refusals the page shows now: they answer an earlier try, not the one about to be sent."""
        self.said_in = None
        shown = self.page.seen_all(*ALERTS, *TAKEN_SAYING, every=True)
        self._stale = frozenset((f.text or f.name).strip() for f in shown)

    def wait(self, sent: WebElement, before: str, codes: bool = True) -> Answer:
        """The page's answer to the button ``sent`` (the address was ``before``), once it holds."""
        self._last, self._gone_since = None, None
        answer: Answer = self.page.wait_for(lambda d: self.steady(sent, before, codes),
                                            "the page's answer (a confirmation, an alert or a field error)")
        return answer

    def steady(self, sent: WebElement, before: str, codes: bool = True) -> Answer | bool:
        """This poll's reading when the last poll read the same; False until then. The page's own words of
        success (or its code field) count at once: what flashes while a page redraws is the last try's refusal."""
        said = self.read(sent, before, codes)
        if said is not None and said[0] in BELIEVED_AT_ONCE:
            return said
        agreed = said is not None and said == self._last
        self._last = said
        return said if agreed and said is not None else False

    def read(self, sent: WebElement, before: str, codes: bool = True) -> Answer | None:
        """One reading of the page's answer; None: no answer yet."""
        busy, places, alerts, taken, invalid, form = self.page.ask(
            Query(kind="busy"), Query(SUCCESS_PLACES, every=True), Query(ALERTS, every=True),
            Query(TAKEN_SAYING, every=True), Query(INVALID), Query(FORM_SIGNS, details=False))
        for place in places:
            words = (place.text or place.name).strip()
            said = outcome_of(words)
            if said:
                self.said_in = place.element  # where the page said it (the recipe's success step looks there)
                return said, words
        for refusal in [*alerts, *taken]:  # an alert that says no success, or a sentence that the time is gone
            words = (refusal.text or refusal.name).strip()
            if words and not (words in self._stale and form):  # the last try's, still beside the form: not this one's
                return "error", words
        if invalid:
            return "error", f"the field {invalid[0].name or 'on the form'} is marked invalid"
        if codes and code_field(self.page) is not None:
            return "code", ""
        if busy or form or still_there(sent):
            self._gone_since = None
            return None
        if self.page.shows(*SEND_BUTTONS):
            return "again", ""  # a review step with its own Confirm button
        now = monotonic()
        self._gone_since = self._gone_since or now
        if now - self._gone_since < GONE_STEADY:
            return None
        changed = self.page.current_url != before
        return "gone", "the form is gone" + (" and the address changed" if changed else "")

"""Google Calendar appointment schedules: one owner's booking page, booked the way ``auto`` reads any page.

What the platform adds to :class:`~booking.platforms.auto.AutoPage` (docs/platforms/google-appointments.md):

- **URL shapes** (§1 [S]): ``calendar.google.com/calendar/[u/N/]appointments/schedules/<id>`` (the embed
  form adds ``?gv=true``) and the short link ``calendar.app.google/<code>``.
- **Who hosts** (§2 [V]): the schedule's owner; the page offers no choice of person, so configured
  people are never looked for on it (an owner's name on the page is no choice).
- **Answer** (§5 [V]): a booked appointment is confirmed at once (an invitation is e-mailed).
- **E-mail verification** (§4 [V] GH-VERIFY): when the owner requires it, the page asks for a PIN
  e-mailed to the guest after "Book"; it is read from the job's mailbox, typed, and sent with "Submit"
  (:mod:`booking.platforms.parts.codes`).

No hook of the page is used: days, times, form and buttons are found by role, name and label.
"""
from __future__ import annotations

from selenium.webdriver.remote.webelement import WebElement

from booking.domain.errors import PageChanged, SlotTaken
from booking.platforms.auto import TAKEN_WORDS, AutoPage, UnreadablePage
from booking.platforms.auto_reading import SEND_BUTTONS
from booking.platforms.base import Person, SubmitResult
from booking.platforms.parts.zone_select import selected_zone
from booking.platforms.parts.codes import answer_code_prompt, code_field, mail_before

_ID = r"[A-Za-z0-9_-]+"
# Auto's words for a time someone else got first, and how else a page says it (§6: the wording is U).
SLOT_GONE = (*TAKEN_WORDS, "just booked", "someone else booked", "choose another time", "choose another one",
             "pick another time", "select another time")


class GoogleAppointments(AutoPage):
    name = "google_appointments"
    label = "Google appointment page"
    url_patterns = (
        rf"calendar\.google\.com/calendar(?:/u/\d+)?/appointments/schedules/{_ID}/?",
        rf"calendar\.app\.google/{_ID}/?",
    )
    confirms_on_submit = True

    def _named_zone(self) -> str | None:
        """The zone the page's zone drop-down has chosen, before auto's reading of labels and sentences
        (a sentence around the drop-down holds all its options)."""
        preferred = [z for z in (self.options.timezone, self.page.timezone) if z]
        return selected_zone(self.page, preferred, self.context.clock()) or super()._named_zone()

    def people(self) -> list[str]:
        """The owner is the only host (§2 [V]): nothing to choose."""
        return []

    def choose_person(self, person: Person) -> bool:
        return False

    def submit(self) -> SubmitResult:
        """Press "Book"; when the page then asks for the e-mailed PIN, enter it and press its button (§4 [V]);
        then read the answer as any page's."""
        invitee = self.context.invitee
        email = invitee.email if invitee is not None else ""
        since = self.context.clock()
        old_mail = mail_before(self.context.mailbox, email, since)
        before = self.page.current_url
        self._top_consent()
        sent = self.page.seen(*SEND_BUTTONS, what="the 'Book' button", enabled=True)
        self.page.click(sent, "the button that sends the booking")
        kind, words = self._read_answer(sent, before)
        if kind == "code":
            sent = answer_code_prompt(self.page, self.context.mailbox, email, since, ignore=old_mail,
                                      within_budget=self.context.within_budget)
            kind, words = self._read_answer(sent, before, codes=False) if sent is not None else (kind, words)
        if kind == "error":
            if any(w in words.lower() for w in SLOT_GONE):
                raise SlotTaken(f"the Google appointment page said: {words[:200]}")
            raise UnreadablePage(f"The Google appointment page refused the booking: {words[:200]}")
        if kind in ("again", "code"):
            raise PageChanged(self.label, "a confirmation after the booking was sent")
        return SubmitResult(confirmed=True, summary=words[:300], status_url=self.page.current_url)

    def _read_answer(self, sent: WebElement, before: str, codes: bool = True) -> tuple[str, str]:
        """The page's answer, or ("code", "") when it asks for the e-mailed PIN first (``codes``)."""

        def answer(driver: object) -> tuple[str, str] | bool:
            asked = code_field(self.page) is not None
            if asked and codes:
                return "code", ""
            said = self._answer(sent, before)
            if not said or said[0] == "code" or (asked and said[0] not in ("error", "confirmed", "requested")):
                return False  # after the PIN was sent its field stays until the page answers
            return said

        return self.page.wait_for(answer, "the page's answer (a confirmation, an alert, a field error"
                                  + (" or a field for an e-mailed PIN)" if codes else ")"))

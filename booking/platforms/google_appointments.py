"""Google Calendar appointment schedules: one owner's booking page, booked the way ``auto`` reads any page.

What the platform adds to :class:`~booking.platforms.auto.AutoPage` (docs/platforms/google-appointments.md):

- **URL shapes** (§1 [S]): ``calendar.google.com/calendar/[u/N/]appointments/schedules/<id>`` (the embed
  form adds ``?gv=true``) and the short link ``calendar.app.google/<code>``.
- **Who hosts** (§2 [V]): the schedule's owner; the page offers no choice of person, so configured
  people are never looked for on it (an owner's name on the page is no choice).
- **Answer** (§5 [V]): a booked appointment is confirmed at once (an invitation is e-mailed).
- **E-mail verification** (§4 [V] GH-VERIFY): when the owner requires it, the page asks for a PIN
  e-mailed to the guest after "Book"; auto reads it from the job's mailbox, types it and sends it with
  "Submit" (:mod:`booking.platforms.parts.codes`), as on any page that e-mails a code.

No hook of the page is used: days, times, form and buttons are found by role, name and label.
"""
from __future__ import annotations

from booking.platforms.auto import AutoPage
from booking.platforms.base import Person

_ID = r"[A-Za-z0-9_-]+"


class GoogleAppointments(AutoPage):
    name = "google_appointments"
    label = "Google appointment page"
    url_patterns = (
        rf"calendar\.google\.com/calendar(?:/u/\d+)?/appointments/schedules/{_ID}/?",
        rf"calendar\.app\.google/{_ID}/?",
    )
    confirms_on_submit = True

    def people(self) -> list[str]:
        """The owner is the only host (§2 [V]): nothing to choose."""
        return []

    def choose_person(self, person: Person) -> bool:
        return False

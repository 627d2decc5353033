"""The platform plugin base: what every booking-site module must define.

A subclass of :class:`Platform` (one module per site under ``booking/platforms/``) defines:

- ``name`` (registry key, stored on bookings), ``label`` (what the teammate reads),
- ``url_patterns``: regexes full-matched against ``host + path`` of a booking URL; the registry
  uses them to detect the platform, so they must reject look-alikes,
- ``confirms_on_submit``: whether the page's success screen means the meeting is confirmed
  (Calendly) or only requested (a matchmaking request); a page that decides per booking (a Cal.com
  event type that needs the host's approval) says so through ``SubmitResult.confirmed``,
- ``steps``: which step the page shows, by ways distinctive of each (hooks first, then what a person
  sees; see :mod:`booking.browser.semantic`), and ``embed_widgets``: how its widget sits on a startup's own
  page, so ``open`` can step into the widget's iframe,
- ``asks_details_first``: the page wants the guest form before it shows any time (a Chili Piper
  router); a module whose pages differ sets it in ``open`` from what the page shows first,

and implements the steps the :class:`~booking.platforms.agent.BookingAgent` drives, in this order:
``open`` → ``people``/``choose_person`` → ``iter_slots`` → ``choose_slot`` → ``fill_details`` →
``submit``. Each step waits explicitly and raises :mod:`booking.domain.errors` (never raw Selenium
errors) with a sentence a teammate can act on. One instance serves one job and holds its page.

Optional hooks: ``configure(context)`` receives what some pages need beyond the page (the
teammate's sign-in, a mailbox for e-mailed codes, the startup's recipe when ``books_by_recipe``, the
job's time budget); ``shared_login_settings`` names the settings of a team-wide sign-in;
``pre_submit_note()`` adds a sentence to the step before submit (a request quota);
``check_status(...)`` re-reads a sent request on the page (platforms that set ``checks_status``; the
confirmation monitor calls it);
``mail_signals`` says how the platform's own notification e-mails read (the Gmail check uses it);
``configured_hosts(settings)`` adds hosts from settings to URL detection.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterator, Literal
from urllib.parse import urlsplit

from booking.browser.page import Page
from booking.browser.semantic import Way, describe, hook
from booking.domain.errors import FieldCannotBeFilled, QuestionsUnanswered
from booking.domain.slots import Interval, OfferedSlot
from booking.platforms.parts.consent import accept_consent
from booking.platforms.parts.form import FormReport, Purpose, fill_form
from booking.platforms.widgets import Widget, enter_widget

if TYPE_CHECKING:
    from booking.config.credentials import Credentials
    from booking.config.settings import Settings
    from booking.mail.mailbox import Mailbox
    from booking.mail.signals import PlatformMailSignals
    from booking.platforms.http import HttpClient

@dataclass(frozen=True)
class Person:
    """Someone at the startup the teammate may meet (from the startup's config)."""

    name: str
    email: str | None = None
    role: str | None = None

    @classmethod
    def from_config(cls, data: dict[str, str]) -> "Person":
        return cls(name=str(data.get("name", "")).strip(), email=data.get("email"), role=data.get("role"))


@dataclass(frozen=True)
class Invitee:
    """The teammate as the booking form needs them."""

    name: str
    email: str
    company: str
    role: str
    timezone: str
    phone: str | None = None

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.name

    @property
    def last_name(self) -> str:
        parts = self.name.split()
        return " ".join(parts[1:]) if len(parts) > 1 else ""

    def answer_for(self, label: str) -> str | None:
        """A value for a custom form field, guessed from its label; None when we don't know."""
        text = label.lower()
        if "company" in text or "organization" in text or "organisation" in text:
            return self.company
        if "role" in text or "title" in text or "position" in text:
            return self.role
        if "phone" in text or "mobile" in text:
            return self.phone
        if "e-mail" in text or "email" in text:
            return self.email
        if "first name" in text:
            return self.first_name
        if "last name" in text or "surname" in text:
            return self.last_name or None
        if "name" in text:
            return self.name
        return None


@dataclass
class SubmitResult:
    """What the page said after submit.

    ``confirmed`` False means the platform took the request but the startup still has to accept it
    (the booking waits in ``pending_confirmation``). ``platform`` names the module that booked when
    another one handed over to it (a widget found on a startup's own page).
    """

    confirmed: bool
    external_booking_id: str | None = None
    host_name: str | None = None
    summary: str = ""
    status_url: str | None = None
    platform: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _whole_wait(seconds: float) -> float:
    """No time budget given (the ``try`` command, a test): a wait keeps its own length."""
    return seconds


@dataclass
class PlatformContext:
    """What a platform may need beyond its page; built by the service (or the ``try`` command)."""

    invitee: Invitee | None = None
    startup_name: str = ""
    booking_url: str = ""
    # credentials(platform_name) → the teammate's sign-in for that platform, or None
    credentials: Callable[[str], "Credentials | None"] = lambda platform: None
    mailbox: "Mailbox | None" = None
    clock: Callable[[], datetime] = _utc_now
    people: tuple[str, ...] = ()    # the startup's configured people, in order
    recipe: Any = None              # a booking.recipes.schema.Recipe for pages that book by recipe
    settings: "Settings | None" = None
    answers: dict[str, str] = field(default_factory=dict)  # the teammate's answers to a form's questions, by label
    # within_budget(seconds) → that wait cut to what is left of the job's time budget (the workflow sets it;
    # a platform never asks the store), so a recipe's long waits can't outlast the job
    within_budget: Callable[[float], float] = _whole_wait


StatusState = Literal["pending", "accepted", "declined", "rescheduled", "cancelled"]


@dataclass(frozen=True)
class StatusCheck:
    """A sent request as its page shows it now (what the confirmation monitor acts on)."""

    state: StatusState
    start: datetime | None = None       # the meeting time (for rescheduled: the newly proposed time)
    location: str | None = None         # e.g. "Table 12"
    detail: str = ""


@dataclass(frozen=True)
class RemoteBookingStatus:
    """What a platform's own API says about a booking we made: plain data for the confirmation monitor.

    ``state`` is one of ``confirmed``, ``pending``, ``declined``, ``cancelled``; ``raw`` is the
    platform's own word for it ("accepted", "rejected", …).
    """

    state: str
    raw: str
    start: datetime | None = None
    host_name: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class PlatformOptions:
    """What a platform module may use besides the page (all optional, injected by the service)."""

    timezone: str | None = None          # the teammate's zone, for pages whose zone can be set
    api_fast_path: bool = False          # use a public booking API where the platform has one
    http: "HttpClient | None" = None     # how to reach that API


class Platform(ABC):
    """Base for one booking site. See the module docstring for what a subclass defines."""

    name: ClassVar[str]
    label: ClassVar[str]
    url_patterns: ClassVar[tuple[str, ...]] = ()
    confirms_on_submit: ClassVar[bool] = True
    checks_status: ClassVar[bool] = False
    mail_signals: ClassVar["PlatformMailSignals | None"] = None  # how its own notification mails read
    asks_details_first: bool = False  # read by the agent after ``open``
    # Which step a page shows, in order of preference: (key, ways that show it). Each key's ways must
    # be distinctive for that step (never a container every step has); hooks first, then semantics.
    steps: ClassVar[tuple[tuple[str, tuple[Way, ...]], ...]] = ()
    embed_widgets: ClassVar[tuple[Widget, ...]] = ()
    # Driven by the startup's recipe: the job's context must carry it (the workflow loads it from the config).
    books_by_recipe: ClassVar[bool] = False
    # The Settings fields (login, password) of one account the whole team shares on this site, tried when
    # BOOKER_CREDENTIALS_FILE has no sign-in of the teammate's own; None: the site has no shared account.
    shared_login_settings: ClassVar[tuple[str, str] | None] = None

    def __init__(self, page: Page, options: PlatformOptions | None = None) -> None:
        self.page = page
        self.options = options or PlatformOptions()
        page.label = self.label
        self.context = PlatformContext()
        self.form_report: FormReport | None = None

    @classmethod
    def configured_hosts(cls, settings: "Settings | None") -> tuple[str, ...]:
        """Hosts (``host`` or ``host:port``) that settings assign to this platform."""
        return ()

    @classmethod
    def matches_url(cls, url: str, settings: "Settings | None" = None) -> bool:
        parts = urlsplit(url.strip())
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            return False
        host = parts.hostname.lower()
        hosts = cls.configured_hosts(settings)
        if hosts and (host in hosts or (parts.port and f"{host}:{parts.port}" in hosts)):
            return True
        target = f"{host}{parts.path or '/'}"
        return any(re.fullmatch(pattern, target) for pattern in cls.url_patterns)

    def configure(self, context: PlatformContext) -> None:
        """Receive the job's context before ``open``; subclasses needing more validate it here."""
        self.context = context

    def pre_submit_note(self) -> str | None:
        """A sentence for the teammate before the form is sent (e.g. a request quota), or None."""
        return None

    def check_status(self, booking_url: str, external_booking_id: str) -> StatusCheck:
        """Re-read a sent request on the page (only where ``checks_status`` is True)."""
        raise NotImplementedError(f"{self.label} requests can't be re-checked on the page")

    @classmethod
    def remote_status(cls, external_id: str, page_url: str, http: "HttpClient") -> RemoteBookingStatus | None:
        """The booking's status from the platform's public API; None when the platform has none."""
        return None

    # -- steps ------------------------------------------------------------------------------------
    def open(self, url: str) -> None:
        """Load the booking page, dismiss cookie banners, wait until it is usable.

        On a startup's own page that wraps this platform's widget, step into the widget first.
        """
        self.page.goto(url)
        self.settle()

    def settle(self, widgets: bool = True) -> None:
        """Wait until the page shows one of ``steps`` (or, with ``widgets``, this platform's embedded
        widget: then step into it and wait there)."""
        key, element = self._which_step(widgets)  # reading needs no click: a banner over the page is no bar
        if key.startswith("widget:"):
            self.dismiss_consent()  # the startup's own banner would take the clicks meant for the widget
            enter_widget(self.page, self.embed_widgets[int(key.removeprefix("widget:"))], element)
            key, element = self._which_step(False, " inside the widget")
        self.dismiss_consent()  # once the page has rendered: consent managers often inject their banner late
        self.on_ready(key)

    def _which_step(self, widgets: bool, where: str = "") -> tuple[str, Any]:
        what = f"the {self.label} booking page{where}"
        keyed = [(key, way) for key, ways in self.steps for way in ways]
        if widgets:
            keyed += [(f"widget:{index}", hook(widget.locator[1], "the platform's embed markup"))
                      for index, widget in enumerate(self.embed_widgets)]
        ways = [way for _, way in keyed]
        if not ways:
            return "", None

        def shown(driver: Any) -> tuple[str, Any] | bool:
            found = self.page.seen_all(*ways, details=False)
            return (keyed[found[0].way][0], found[0].element) if found else False

        return self.page.wait_for(shown, f"{what} ({describe(ways)})")

    def on_ready(self, key: str) -> None:
        """The page shows the step ``key``: read what the later steps need (zone, duration…)."""

    def dismiss_consent(self) -> None:
        """Accept a cookie or consent banner if one shows now; a page without one costs no wait."""
        accept_consent(self.page)

    def fill_form(self, invitee: Invitee, message: str, *, within: Any = None,
                  hints: dict[str, Purpose] | None = None) -> FormReport:
        """Fill the page's form the way every platform does (see :mod:`booking.platforms.parts.form`).

        A required question Booker can't answer stops the booking before anything is sent; a form
        with no field for the message is booked without it (the thread says so), unless
        ``BOOKER_REQUIRE_MESSAGE_FIELD`` asks to refuse such forms.
        """
        answers = dict(self.context.answers)
        report = fill_form(self.page, invitee, message, within=within, hints=hints, answers=answers)
        self.form_report = report
        if report.unanswered:
            asked = ", ".join(repr(f.question) + (f" (one of: {', '.join(f.choices[:6])})" if f.choices else "")
                              for f in report.unanswered[:4])
            questions = [{"label": f.question, "choices": f.choices,
                          "kind": "checkbox" if f.role in ("checkbox", "switch") else "choice" if f.choices else "text"}
                         for f in report.unanswered]
            raise QuestionsUnanswered(f"The {self.label} form requires {asked}, which Booker can't answer; "
                                      "nothing was sent", questions)
        settings = self.context.settings
        if not report.message_placed and settings is not None and settings.require_message_field:
            raise FieldCannotBeFilled(f"The {self.label} form has no field for the intro message "
                                      "(BOOKER_REQUIRE_MESSAGE_FIELD is on)")
        return report

    def people(self) -> list[str]:
        """Names the page lets the invitee choose between (team pages); [] when it assigns a host."""
        return []

    def choose_person(self, person: Person) -> bool:
        """Pick ``person`` on a team page; False if the page does not offer them."""
        return False

    @abstractmethod
    def iter_slots(self, window: Interval) -> Iterator[OfferedSlot]:
        """Offered slots inside ``window``, earliest first, produced lazily (scanning costs clicks)."""

    @abstractmethod
    def choose_slot(self, slot: OfferedSlot) -> None:
        """Select ``slot`` (one yielded by :meth:`iter_slots`) and move on to the details form."""

    @abstractmethod
    def fill_details(self, invitee: Invitee, message: str) -> None:
        """Fill name, e-mail, the message and any required field we can answer."""

    @abstractmethod
    def submit(self) -> SubmitResult:
        """Send the form; raise SlotTaken if the page says the time is gone."""

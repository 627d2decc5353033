"""One booking world per platform for the fault suite: a replica, its directory entry, its fault switches.

Every platform Booker books on is here — Calendly, Cal.com, HubSpot Meetings, Chili Piper, the Slush
matchmaking app, a custom page driven by a recipe (Nordlys Studio) and a widget embedded in a
startup's own page (Chili Piper's concierge router in an iframe) — each described the same way, so a
fault test is written once and runs on all of them:

- ``first_page``: the server and path of the first page the browser loads (to make it hang),
- ``break_hook()``: make one step's element never appear, and ``hook``: the words the reason must name,
- ``take_slots(n)``: the next ``n`` submits find their slot taken by someone else,
- ``booked()``: what the replica recorded for the teammate (a booking, or a Slush meeting request),
- ``confirms``: whether a submit confirms at once (else the booking waits in pending_confirmation).
"""
from __future__ import annotations

from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import psutil

from booking.browser.processes import JOB_TAG_SWITCH
from booking.browser.chrome import ChromeFactory
from booking.mail.mailbox import InMemoryMailbox, MailMessage
from booking.notify.notifier import BookingView, NotifierFactory
from booking.runtime.runner import JobRunner
from booking.workflow.service import BookingRequestInput, BookingService, Teammate
from booking.config.settings import Settings
from replicas.server import LoopbackServer

# Each platform on both builds of its replica ("<platform>:blind" is the build written from the public
# facts alone, replicas/blind/); a custom page is driven by its own recipe, so it has one build.
PLATFORMS = ("calendly", "calendly:blind", "calcom", "calcom:blind", "hubspot", "hubspot:blind", "chilipiper",
             "chilipiper:blind", "slush", "slush:blind", "custom", "embed", "embed:blind")
PHONE = "+358 40 123 4567"


class Recorder:
    """A notifier that keeps what the teammate was told (thread steps, message updates, DMs)."""

    def __init__(self) -> None:
        self.steps: list[tuple[int, str]] = []
        self.updates: list[BookingView] = []
        self.dms: list[tuple[int, str]] = []
        self.on_step: Callable[[BookingView, str], None] | None = None

    def queued(self, booking: BookingView) -> dict[str, Any]:
        return {}

    def step(self, booking: BookingView, text: str, screenshot: Any = None) -> None:
        self.steps.append((booking.id, text))
        if self.on_step is not None:
            self.on_step(booking, text)

    def updated(self, booking: BookingView) -> None:
        self.updates.append(booking)

    def direct(self, booking: BookingView, text: str) -> None:
        self.dms.append((booking.id, text))

    def told(self, booking_id: int) -> list[str]:
        """Everything the teammate read about one booking: thread steps and DMs."""
        return [t for i, t in self.steps if i == booking_id] + [t for i, t in self.dms if i == booking_id]


# The page's visible text and every field's value: what a screenshot taken now can show.
_SHOWN_JS = """
const values = Array.from(document.querySelectorAll('input, textarea, select')).map(e => e.value);
return [document.body ? document.body.innerText : '', ...values].join('\\n');
"""


class RecordingFactory(ChromeFactory):
    """The real browser factory, remembering each job's page and job tag (to find orphaned processes).

    With ``record_pages``, each saved screenshot also records what the page showed at that moment
    (its text and field values) in ``captured`` as (file name, text), for tests about what
    screenshots may never show.
    """

    def __init__(self, settings: Settings, record_pages: bool = False) -> None:
        super().__init__(settings)
        self.pages: list[Any] = []
        self.job_tags: list[str] = []
        self.record_pages = record_pages
        self.captured: list[tuple[str, str]] = []

    def create_driver(self, job_tag, timezone=None):  # type: ignore[no-untyped-def]
        if job_tag:
            self.job_tags.append(job_tag)
        return super().create_driver(job_tag, timezone)

    @contextmanager
    def session(self, booking_key, label="booking", timezone=None):  # type: ignore[no-untyped-def]
        with super().session(booking_key, label, timezone) as page:
            self.pages.append(page)
            if self.record_pages:
                save = page.screenshots.save

                def save_and_record(step: str, png: bytes) -> Any:
                    path = save(step, png)
                    self.captured.append((path.name, str(page.driver.execute_script(_SHOWN_JS))))
                    return path

                page.screenshots.save = save_and_record
            yield page


def processes_tagged(job_tags: list[str]) -> list[int]:
    """Live processes started with one of these job tags (other test runs' browsers don't count)."""
    markers = {f"{JOB_TAG_SWITCH}{tag}" for tag in job_tags}
    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if markers & set(process.info["cmdline"] or []):
                found.append(process.pid)
        except psutil.Error:
            continue
    return found


def processes_tagged_by(pid: int) -> list[int]:
    """Live browser processes a Booker process with this pid started (e.g. a dead child's)."""
    prefix = f"{JOB_TAG_SWITCH}{pid}-"
    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if any(arg.startswith(prefix) for arg in process.info["cmdline"] or []):
                found.append(process.pid)
        except psutil.Error:
            continue
    return found


@dataclass
class World:
    platform: str
    service: BookingService
    browsers: RecordingFactory
    notifier: Recorder
    teammate: Teammate
    startup: str
    first_page: tuple[LoopbackServer, str]
    hook: str
    confirms: bool
    break_hook: Callable[[], None]
    take_slots: Callable[[int], None]
    booked: Callable[[], list[Any]]
    replica: LoopbackServer
    extra: dict[str, Any] = field(default_factory=dict)

    def request(self, **overrides: Any) -> BookingView:
        return self.service.request_booking(BookingRequestInput(teammate=self.teammate, startup=self.startup,
                                                                **overrides))

    def book(self, timeout: float = 240) -> BookingView:
        """Ask for the startup, run the job (and any retries) to the end, return the booking."""
        view = self.request()
        self.service.start(view.id)
        assert self.service.runner.wait_idle(timeout), "the booking job did not finish"
        return self.service.get(view.id)

    def hang_first_page(self) -> None:
        server, path = self.first_page
        server.hang(path)

    def orphans(self) -> list[int]:
        return processes_tagged(self.browsers.job_tags)


def _mail_into(mailbox: InMemoryMailbox) -> Callable[[Any], None]:
    return lambda sent: mailbox.deliver(MailMessage(sent.sender, sent.to, sent.subject, sent.body, sent.sent_at))


def _mine(rows: list[dict[str, Any]], email: str) -> list[dict[str, Any]]:
    return [row for row in rows if row.get("email") == email and not row.get("other")]


@contextmanager
def build_world(platform: str, db: Any, settings: Settings, clock: Any, teammate: Teammate, *,
                notifiers: NotifierFactory | None = None, availability: Any = None) -> Iterator[World]:
    """Start the platform's replica (and the startup's site for embeds), seed its directory entry,
    and build a service with a recording browser factory and a recording notifier (or ``notifiers``,
    e.g. Slack's), and ``availability`` (a teammate calendar) when given."""
    from replicas import world as w

    platform, _, build = platform.partition(":")
    build = build or "first"
    mailbox = InMemoryMailbox()
    with ExitStack() as stack:
        settings_for = settings
        person = teammate
        extra: dict[str, Any] = {}
        if platform == "calendly":
            site = stack.enter_context(w.build_calendly(now=clock, build=build))
            w.seed_directory(db, w.directory_entries(site)[1:])
            startup, first_page = "Beta Health", (site, "/carla-beta/30min")
            hook = "the details form"
            break_hook = lambda: setattr(site.faults, "details_form_never_renders", True)  # noqa: E731
            take = lambda n: setattr(site.faults, "take_slot_before_submit", n)  # noqa: E731
            booked = lambda: _mine(site.bookings, teammate.email)  # noqa: E731
            confirms = True
        elif platform == "calcom":
            site = stack.enter_context(w.build_calcom(now=clock, build=build))
            w.seed_directory(db, w.calcom_entries(site)[:1])
            startup, first_page = "Gamma AI", (site, "/dana-gamma/intro")
            hook = "the booking form"
            break_hook = lambda: setattr(site.faults, "form_never_renders", True)  # noqa: E731
            take = lambda n: setattr(site.faults, "take_slot_before_submit", n)  # noqa: E731
            booked = lambda: _mine(site.bookings, teammate.email)  # noqa: E731
            confirms = True
        elif platform == "hubspot":
            site = stack.enter_context(w.build_hubspot(now=clock, build=build))
            w.seed_directory(db, w.hubspot_entries(site)[:1])
            startup, first_page = "Zeta Robotics", (site, "/lena-zeta/intro")
            hook = "the 'Your information' form"
            break_hook = lambda: setattr(site.faults, "info_step_never_renders", True)  # noqa: E731
            take = lambda n: setattr(site.faults, "take_slot_before_submit", n)  # noqa: E731
            booked = lambda: _mine(site.bookings, teammate.email)  # noqa: E731
            confirms = True
        elif platform == "chilipiper":
            site = stack.enter_context(w.build_chilipiper(now=clock, build=build))
            w.seed_directory(db, w.chilipiper_entries(site)[:1])
            startup, first_page = "Iota Security", (site, "/book/iota-intro")
            hook = "calendar"  # after the guest form, or first: the page decides the order
            break_hook = lambda: setattr(site.faults, "calendar_never_renders", True)  # noqa: E731
            take = lambda n: setattr(site.faults, "take_slot_before_submit", n)  # noqa: E731
            booked = lambda: _mine(site.bookings, teammate.email)  # noqa: E731
            confirms = True
            # the booking link: the first build asks the guest form first, the blind one after the time
            extra["details_first"] = build == "first"
        elif platform == "slush":
            from replicas.slush import DEMO_LOGIN, DEMO_PASSWORD, build_slush

            site = stack.enter_context(build_slush(now=clock, mail_sink=_mail_into(mailbox), quota=10, build=build))
            settings_for = settings.with_overrides(slush_login=DEMO_LOGIN, slush_password=DEMO_PASSWORD)
            w.seed_directory(db, [{"name": "Acme Robotics", "aliases": ["acme"], "platform": "slush_platform",
                                   "booking_url": site.people_url(),
                                   "people": [{"name": "Bob Jones"}, {"name": "Alice Smith"}]}])
            startup, first_page = "Acme Robotics", (site, "/events/slush2026/people")
            hook = "message box"
            break_hook = lambda: setattr(site.faults, "request_form_never_opens", True)  # noqa: E731
            take = lambda n: setattr(site.faults, "take_slot_before_request", n)  # noqa: E731
            booked = lambda: [m for m in site.meetings.values() if m.sender_login == DEMO_LOGIN]  # noqa: E731
            confirms = False
            extra["password"] = DEMO_PASSWORD
        elif platform == "custom":
            from booking.store.directory import upsert_startup
            from replicas.studio import STUDIO_RECIPE, build_studio

            site = stack.enter_context(build_studio(now=clock, mail_sink=_mail_into(mailbox)))
            with db.transaction() as session:
                upsert_startup(session, name="Nordlys Studio", aliases=["nordlys"], platform="custom",
                               booking_url=site.booking_url, people=[{"name": "Mia Berg"}], recipe=STUDIO_RECIPE)
            person = Teammate(**{**teammate.__dict__, "phone": PHONE})
            startup, first_page = "Nordlys Studio", (site, "/booking/?")
            hook = "input[name=firstname]"
            break_hook = lambda: setattr(site.faults, "details_form_missing", True)  # noqa: E731
            take = lambda n: setattr(site.faults, "take_slot_before_confirm", n)  # noqa: E731
            booked = lambda: _mine(site.real_bookings, teammate.email)  # noqa: E731
            confirms = True
        elif platform == "embed":
            from replicas.startup_site import StartupSite, chilipiper_concierge

            site = stack.enter_context(w.build_chilipiper(now=clock, build=build))
            startup_site = stack.enter_context(StartupSite())
            frame = site.router_frame_url("kappa-inbound", source_url="https://kappa.example/demo")
            url = startup_site.add_page("/demo", "Kappa Cloud", chilipiper_concierge(frame))
            w.seed_directory(db, [{"name": "Kappa Cloud", "aliases": ["kappa"], "platform": "embed",
                                   "booking_url": url, "people": [{"name": "Rasmus Holm"}]}])
            startup, first_page = "Kappa Cloud", (startup_site, "/demo")
            hook = "the calendar after the guest form"
            break_hook = lambda: setattr(site.faults, "calendar_never_renders", True)  # noqa: E731
            take = lambda n: setattr(site.faults, "take_slot_before_submit", n)  # noqa: E731
            booked = lambda: _mine(site.bookings, teammate.email)  # noqa: E731
            confirms = True
            extra["details_first"] = True  # a concierge router: the guest form comes first
            extra["startup_site"] = startup_site
        else:
            raise ValueError(platform)

        browsers = RecordingFactory(settings_for)
        runner = JobRunner(settings_for.max_browsers)
        notifier = Recorder()
        service = BookingService(db, settings_for, browsers, runner, clock=clock,
                                 notifiers=notifiers or (lambda view: notifier), mailbox=mailbox,
                                 availability=availability)
        try:
            yield World(platform, service, browsers, notifier, person, startup, first_page, hook, confirms,
                        break_hook, take, booked, site, extra)
        finally:
            runner.shutdown()
        assert browsers.live_sessions == 0, "a browser was left running"

"""The driver factory: one headless Chromium per job, locked down, cleaned up whatever happens.

``ChromeFactory.session(...)`` is a context manager: it creates the driver (local chromedriver
through ``Service(path)`` so nothing is downloaded, or a remote W3C endpoint), hands out a
:class:`~booking.browser.page.Page`, and always quits the driver, even on error. A local browser runs with
its own folder under Booker's temp root as TMPDIR (chromedriver's fresh profile, Chromium's
``org.chromium.Chromium.*`` and the download folder all land there) and a job tag on its command
line, by which a browser left behind is found and killed and its folder removed
(:mod:`booking.browser.processes`). Pages may not write files on this host: downloads are denied through
DevTools and the profile's preferences, and the file chooser is intercepted (never shown).
Selenium exceptions are translated into :mod:`booking.domain.errors` here.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Protocol

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver
from urllib3.exceptions import HTTPError
from webdriver_manager.chrome import ChromeDriverManager
from webdriver_manager.core.os_manager import ChromeType

from booking.browser.drivers import DRIVER_GONE, ScreenshotSaver, execute_cdp, first_line, replaced_document
from booking.browser.page import Page
from booking.browser.processes import (
    JOB_TAG_SWITCH, default_temp_root, kill_browsers_tagged, remove_session_dir, session_dir,
)
from booking.config.settings import Settings
from booking.domain.errors import BookingError, BrowserFailure, PageChanged

log = logging.getLogger(__name__)

CHROMIUM_ARGS = (
    "--headless=new",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
    "--window-size=1280,1000",
    "--in-process-gpu",
    "--lang=en-US",
)

# Profile preferences that keep a page's files off this host even where DevTools can't be reached
# (a remote endpoint): 3 = DownloadRestrictions "block all downloads".
DOWNLOAD_PREFS: dict[str, Any] = {
    "download.prompt_for_download": False,
    "download_restrictions": 3,
    "safebrowsing.enabled": False,
    "profile.default_content_setting_values.automatic_downloads": 2,
}
# DevTools commands sent to every new driver: no download, no native file chooser.
LOCKDOWN_COMMANDS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("Browser.setDownloadBehavior", {"behavior": "deny"}),
    ("Page.setInterceptFileChooserDialog", {"enabled": True}),
)


class BrowserFactory(Protocol):
    """Something that hands out one :class:`Page` per job and cleans up after it."""

    def session(self, booking_key: str | int, label: str = "booking", timezone: str | None = None) -> Any:
        """ContextManager[Page]; ``timezone``: the zone the page should see (the teammate's)."""
        ...


def lock_down(driver: WebDriver) -> list[str]:
    """Deny downloads and file choosers through DevTools; returns the commands that were refused
    (a remote endpoint may not relay DevTools, then the profile's preferences alone hold)."""
    refused = []
    for command, params in LOCKDOWN_COMMANDS:
        try:
            execute_cdp(driver, command, params)
        except (WebDriverException, *DRIVER_GONE) as exc:
            log.info("DevTools %s not available: %s", command, first_line(str(exc)))
            refused.append(command)
    return refused


class ChromeFactory:
    """Headless Chromium through local chromedriver or a remote W3C endpoint (Selenium Grid).

    ``temp_root``: where sessions' folders go (default: one per OS user in the system temp folder).
    """

    def __init__(self, settings: Settings, temp_root: Path | None = None) -> None:
        self.settings = settings
        self.temp_root = default_temp_root() if temp_root is None else Path(temp_root)
        self._live = 0
        self._lock = threading.Lock()
        self.drivers_started = 0

    @property
    def live_sessions(self) -> int:
        """Drivers created and not yet quit (tests assert this returns to zero)."""
        return self._live

    def options(self, job_tag: str | None, downloads: Path | None = None) -> webdriver.ChromeOptions:
        options = webdriver.ChromeOptions()
        if not self.settings.remote_webdriver_url:
            options.binary_location = self.settings.chromium_path
        for arg in CHROMIUM_ARGS:
            if arg == "--headless=new" and not self.settings.headless:
                continue
            options.add_argument(arg)
        if job_tag:
            options.add_argument(f"{JOB_TAG_SWITCH}{job_tag}")
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            # Chromium refuses to start as root with its sandbox on; only then is it turned off.
            options.add_argument("--no-sandbox")
        prefs = dict(DOWNLOAD_PREFS)
        if downloads is not None:  # should a download slip through, it lands where the session's end removes it
            prefs["download.default_directory"] = str(downloads)
        options.add_experimental_option("prefs", prefs)
        options.page_load_strategy = "normal"
        return options

    def create_driver(self, job_tag: str | None, timezone: str | None = None) -> WebDriver:
        """A started, locked-down driver; a local Chromium is launched in ``timezone`` (its ``TZ``)
        when given, and with ``job_tag`` in its own folder under the temp root."""
        settings = self.settings
        if settings.remote_webdriver_url:
            driver: WebDriver = webdriver.Remote(
                command_executor=settings.remote_webdriver_url, options=self.options(None)
            )
        else:
            path = settings.chromedriver_path
            if settings.use_webdriver_manager:  # explicit opt-in: downloads a driver
                path = ChromeDriverManager(chrome_type=ChromeType.CHROMIUM).install()
            if not Path(path).is_file():
                raise BrowserFailure(
                    f"chromedriver not found at {path}; install Debian's chromium-driver or set BOOKER_CHROMEDRIVER_PATH",
                    retryable=False,
                )
            env: dict[str, str] = {}
            downloads = None
            if job_tag:
                own = session_dir(self.temp_root, job_tag)
                downloads = own / "downloads"
                env["TMPDIR"] = str(own / "tmp")  # chromedriver's profile and Chromium's temp files
            if timezone:
                env["TZ"] = timezone
            service = Service(executable_path=path, env={**os.environ, **env} if env else None)
            service.path = path  # SE_CHROMEDRIVER in the environment must not silently win
            driver = webdriver.Chrome(service=service, options=self.options(job_tag, downloads))
        lock_down(driver)
        driver.set_page_load_timeout(settings.page_load_timeout)
        driver.set_script_timeout(settings.step_timeout)
        return driver

    @contextmanager
    def session(self, booking_key: str | int, label: str = "booking", timezone: str | None = None) -> Iterator[Page]:
        remote = bool(self.settings.remote_webdriver_url)
        # Not a profile folder of our own: Chromium's first page load in one costs ~0.2 s more than in
        # the fresh profile chromedriver makes (and removes) itself, inside the session's TMPDIR.
        job_tag = None if remote else f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        launch_zone = None if remote else timezone  # a remote browser's environment isn't ours to set
        driver: WebDriver | None = None
        profile_dir: str | None = None  # chromedriver's, as it reports it: removed here if it can't
        try:
            try:
                driver = self.create_driver(job_tag, launch_zone)
            except BookingError:
                raise
            except WebDriverException as exc:
                raise BrowserFailure(f"The browser could not start: {first_line(exc.msg)}") from exc
            except (OSError, HTTPError) as exc:  # urllib3's: the remote WebDriver (a Grid hub) doesn't answer
                if not remote:
                    raise
                errno = re.search(r"\[Errno -?\d+\] ([^'\")]+)", str(exc))
                reason = errno.group(1) if errno else first_line(exc, 120)
                server = self.settings.remote_webdriver_url
                raise BrowserFailure(f"The browser could not start: the WebDriver server at {server} doesn't "
                                     f"answer ({reason})") from exc
            with self._lock:
                self._live += 1
                self.drivers_started += 1
            if not remote:
                profile_dir = (driver.capabilities.get("chrome") or {}).get("userDataDir")
            page = Page(
                driver,
                screenshots=ScreenshotSaver(self.settings.screenshot_dir, booking_key),
                timeout=self.settings.step_timeout,
                label=label,
                allowed_hosts=self.settings.allowed_hosts,
                timezone=launch_zone,
            )
            if timezone and timezone != launch_zone:
                page.set_timezone(timezone)
            try:
                yield page
            except BookingError:
                raise
            except WebDriverException as exc:
                if replaced_document(exc):
                    raise PageChanged(label, "the page Booker was working on (it was replaced mid-step)") from exc
                raise BrowserFailure(f"The browser failed: {first_line(exc.msg)}") from exc
            except DRIVER_GONE as exc:
                raise BrowserFailure("The browser stopped unexpectedly (its driver is gone)") from exc
        finally:
            if driver is not None:
                try:
                    driver.quit()
                except Exception as exc:  # a dead driver can't be quit politely; the process is gone anyway
                    log.warning("driver.quit failed: %s", exc)
                with self._lock:
                    self._live -= 1
            if job_tag:
                kill_browsers_tagged(job_tag)
                remove_session_dir(self.temp_root, job_tag)
            if profile_dir and os.path.isdir(profile_dir):  # a driver that died before it could clean up
                shutil.rmtree(profile_dir, ignore_errors=True)


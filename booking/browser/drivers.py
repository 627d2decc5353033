"""What every module that drives Chromium shares: which errors mean "look again" or "the driver is
gone", DevTools calls that work locally and over a remote endpoint, and the screenshot files."""
from __future__ import annotations

import logging
import os
import re
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import urllib3
from selenium.common.exceptions import (
    ElementClickInterceptedException, ElementNotInteractableException, StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.remote.webdriver import WebDriver

# Errors that mean "the element moved under us, look again" rather than "it is not there".
TRANSIENT = (StaleElementReferenceException, ElementClickInterceptedException, ElementNotInteractableException)

# What Chrome sometimes says instead of "stale element" when the document an element belonged to is
# replaced in the middle of a command (a form's answer arriving): SeleniumHQ/selenium#15401, #12221.
REPLACED_DOCUMENT_ERRORS = ("node with given id does not belong to the document", "no node with given id found",
                            "node is detached from document")


def replaced_document(exc: BaseException) -> bool:
    """True for Chrome's inspector errors that mean what a stale element means: look again."""
    message = (getattr(exc, "msg", None) or str(exc)).casefold()
    return isinstance(exc, WebDriverException) and any(text in message for text in REPLACED_DOCUMENT_ERRORS)


# What talking to a dead chromedriver raises (connection refused/reset), below Selenium's own errors.
DRIVER_GONE: tuple[type[BaseException], ...] = (urllib3.exceptions.HTTPError, ConnectionError)


class ScreenshotSaver:
    """Writes ``<root>/<booking id>/NN_<step>.png``, owner-only, numbered in step order."""

    def __init__(self, root: Path, booking_key: str | int) -> None:
        self.directory = Path(root) / str(booking_key)
        self._count = 0
        self.paths: list[Path] = []

    def next_path(self, step: str) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._count += 1
        safe = re.sub(r"[^a-z0-9_]+", "_", step.lower()).strip("_")[:60] or "step"
        return self.directory / f"{self._count:02d}_{safe}.png"

    def save(self, step: str, png: bytes) -> Path:
        path = self.next_path(step)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(png)
        self.paths.append(path)
        return path

    def save_text(self, path: Path, text: str) -> Path:
        """A text beside a screenshot (the page's accessibility snapshot), owner-only."""
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path


_WIRE_LOGGERS = ("selenium.webdriver.remote.remote_connection", "selenium.webdriver.common.service")
_wire_lock = threading.Lock()


@contextmanager
def quiet_wire_logs() -> Iterator[None]:
    with _wire_lock:
        loggers = [logging.getLogger(name) for name in _WIRE_LOGGERS]
        saved = [logger.level for logger in loggers]
        for logger in loggers:
            logger.setLevel(logging.INFO)
        try:
            yield
        finally:
            for logger, level in zip(loggers, saved):
                logger.setLevel(level)


def execute_cdp(driver: WebDriver, command: str, params: dict[str, Any]) -> Any:
    """Run a DevTools command on a local or remote Chromium driver."""
    if hasattr(driver, "execute_cdp_cmd"):
        return driver.execute_cdp_cmd(command, params)
    driver.command_executor.add_command("executeCdpCommand", "POST", "/session/$sessionId/goog/cdp/execute")
    return driver.execute("executeCdpCommand", {"cmd": command, "params": params})["value"]


def first_line(text: str | None) -> str:
    return (text or "unknown error").strip().splitlines()[0][:200]

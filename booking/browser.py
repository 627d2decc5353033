"""The browser layer, as the rest of Booker imports it: one headless Chromium per job.

The parts live in their own modules (:mod:`booking.page`: the page and its explicit waits;
:mod:`booking.chrome`: the driver factory and its lock-down; :mod:`booking.processes`: leftovers of
browsers, processes and temp folders, found and removed; :mod:`booking.drivers`: shared helpers).
This module names them in one place so platforms and front-ends need not know the split.
"""
from __future__ import annotations

from booking.chrome import CHROMIUM_ARGS, DOWNLOAD_PREFS, BrowserFactory, ChromeFactory, lock_down
from booking.drivers import (
    DRIVER_GONE,
    REPLACED_DOCUMENT_ERRORS,
    TRANSIENT,
    ScreenshotSaver,
    execute_cdp,
    first_line,
    replaced_document,
)
from booking.page import HOSTLESS_DOCUMENTS, Locator, Page, Target
from booking.processes import (
    JOB_TAG_SWITCH,
    default_temp_root,
    kill_browsers_tagged,
    sweep_orphaned_browsers,
    sweep_temp_dirs,
)

__all__ = [
    "CHROMIUM_ARGS", "DOWNLOAD_PREFS", "DRIVER_GONE", "HOSTLESS_DOCUMENTS", "JOB_TAG_SWITCH",
    "REPLACED_DOCUMENT_ERRORS", "TRANSIENT", "BrowserFactory", "ChromeFactory", "Locator", "Page",
    "ScreenshotSaver", "Target", "default_temp_root", "execute_cdp", "first_line", "kill_browsers_tagged",
    "lock_down", "replaced_document", "sweep_orphaned_browsers", "sweep_temp_dirs",
]

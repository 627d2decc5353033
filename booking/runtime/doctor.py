"""``python -m booking doctor`` (``./dev doctor``): is this set-up ready to book? One ✓/✗ line per part.

An operator's first hour goes to finding which of Slack, the browser (or the Selenium Grid: its hub and
each node, ``doctor_grid``), the database, Google or the directory is wrong; the doctor asks each once
and prints the fix next to every ✗. Exit 0 when all are ✓, 1 otherwise.
"""
from __future__ import annotations

from typing import TextIO

from booking.browser.chrome import BrowserFactory, ChromeFactory
from booking.config.settings import Settings
from booking.domain.urls import Resolver, resolve_host
from booking.runtime.doctor_checks import (
    Check, Http, Run, check_browser_versions, check_database, check_directory, check_google, check_headless_page,
    check_slack, check_slack_mode, manifest_scopes, open_engine, run_command, urllib_http,
)
from booking.runtime.doctor_grid import check_grid


def diagnose(settings: Settings, *, http: Http = urllib_http, run: Run = run_command,
             browsers: BrowserFactory | None = None, resolver: Resolver = resolve_host) -> list[Check]:
    """Every check, in the order an operator sets things up."""
    checks = check_slack(settings, http, manifest_scopes())
    checks.append(check_slack_mode(settings, http))
    versions = check_browser_versions(settings, run)
    checks.append(versions)
    if settings.remote_webdriver_url:  # the hub and each node, before a test page waits in the hub's queue
        grid = check_grid(settings.remote_webdriver_url, http)
        checks.extend(grid.checks)
        if not grid.usable:
            checks.append(Check(False, "Headless page", "not tried until the Grid has a node up"))
        elif not grid.free_slots:
            checks.append(Check(True, "Headless page", "not tried: every chrome slot is busy (a test page would "
                                                       "wait in the hub's queue)"))
        else:
            checks.append(check_headless_page(browsers or ChromeFactory(settings)))
    elif versions.ok:
        checks.append(check_headless_page(browsers or ChromeFactory(settings)))
    else:
        checks.append(Check(False, "Headless page", "not tried until the browser and driver match"))
    engine, failed = open_engine(settings)
    if engine is None:
        checks.append(failed)  # type: ignore[arg-type]
        checks.append(Check(False, "Directory", "not checked until the database opens"))
    else:
        try:
            database = check_database(settings, engine)
            checks.append(database)
            if database.ok:
                checks.append(check_directory(settings, engine, resolver))
            else:
                checks.append(Check(False, "Directory", "not checked until the database is ready"))
        finally:
            engine.dispose()
    checks.extend(check_google(settings))
    return checks


def run_doctor(settings: Settings, out: TextIO, **world: object) -> int:
    """Print one line per check; 0 when all are ✓. ``world``: see :func:`diagnose`."""
    checks = diagnose(settings, **world)  # type: ignore[arg-type]
    for check in checks:
        print(check.line(), file=out, flush=True)
    failed = sum(not check.ok for check in checks)
    print(f"{len(checks) - failed} of {len(checks)} ✓" + (f", {failed} to fix" if failed else ""), file=out)
    return 0 if not failed else 1

"""The checks ``python -m booking doctor`` runs, one function per part of the set-up.

Each returns :class:`Check` results whose text, when something is wrong, is the fix: an operator
reads the ✗ line and knows what to change. The outside world (HTTP, commands, the browser, the
clock) comes in as parameters so tests can point every check at fakes.
"""
from __future__ import annotations

import json
import re
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterable

import yaml
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from booking.browser.chrome import BrowserFactory
from booking.config.settings import PROJECT_ROOT, Settings
from booking.confirmations.teammate_calendar import GoogleCalendar
from booking.domain.errors import BookingError
from booking.domain.urls import Resolver, check_booking_url, resolve_host
from booking.runtime.failures import first_line, safe_database_url
from booking.store.db import MIGRATIONS_DIR, create_db_engine
from booking.store.models import Startup, StartupBookingConfig
from calendar_sync import GoogleError

MANIFEST = PROJECT_ROOT / "manifest.yml"
HEALTHY_PAGE = "data:text/html,<title>booker-doctor</title><p>ok</p>"

# (status, headers, body) of one HTTP request; urllib by default.
Http = Callable[[urllib.request.Request], tuple[int, dict[str, str], bytes]]
# argv → the command's output (stdout and stderr); raises OSError when it can't run.
Run = Callable[[list[str]], str]


@dataclass(frozen=True)
class Check:
    """One line of the doctor's report: ``ok`` and what was seen, or the fix when not ok."""

    ok: bool
    what: str
    detail: str

    def line(self) -> str:
        return f"{'✓' if self.ok else '✗'} {self.what}: {self.detail}"


def urllib_http(request: urllib.request.Request) -> tuple[int, dict[str, str], bytes]:
    """One request; HTTP error statuses are answers, not exceptions."""
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def run_command(argv: list[str]) -> str:
    """A short command's output; OSError when it can't run (missing, not executable, too slow)."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    except subprocess.TimeoutExpired:
        raise OSError(f"{argv[0]} did not answer within 30 s") from None
    return (done.stdout + done.stderr).strip()


def manifest_scopes(path: Path = MANIFEST) -> set[str]:
    """The bot scopes the Slack app manifest asks for (what the code needs)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return set(((data.get("oauth_config") or {}).get("scopes") or {}).get("bot") or [])


def check_slack(settings: Settings, http: Http, wanted: set[str]) -> list[Check]:
    """``auth.test`` with the bot token, and the scopes Slack says it granted (``x-oauth-scopes``)."""
    if not settings.slack_bot_token:
        return [Check(False, "Slack", "SLACK_BOT_TOKEN is not set; copy the Bot User OAuth Token (xoxb-…) from "
                                      "OAuth & Permissions")]
    request = urllib.request.Request(settings.slack_api_url.rstrip("/") + "/auth.test", data=b"", method="POST",
                                     headers={"Authorization": f"Bearer {settings.slack_bot_token}"})
    try:
        status, headers, body = http(request)
        answer = json.loads(body or b"{}")
    except (OSError, ValueError) as exc:
        return [Check(False, "Slack", f"can't reach {settings.slack_api_url} ({first_line(exc)}); "
                                      "check the network or SLACK_API_URL")]
    if not answer.get("ok"):
        error = answer.get("error") or f"HTTP {status}"
        return [Check(False, "Slack", f"auth.test says {error}; copy the Bot User OAuth Token again into "
                                      "SLACK_BOT_TOKEN (reinstall the app if it was revoked)")]
    who = Check(True, "Slack", f"auth.test ok as {answer.get('user')} in {answer.get('team')}")
    granted = {s.strip() for s in headers.get("x-oauth-scopes", "").split(",") if s.strip()}
    missing = sorted(wanted - granted)
    if missing:
        return [who, Check(False, "Slack scopes", f"missing {', '.join(missing)}; add them from manifest.yml "
                                                  "(OAuth & Permissions) and Reinstall to Workspace")]
    return [who, Check(True, "Slack scopes", f"all {len(wanted)} of manifest.yml's scopes granted")]


def _slack_call(settings: Settings, http: Http, method: str, token: str) -> dict[str, object]:
    """One Web API call; ``{"ok": False, "error": …}`` for a refusal or an unreachable Slack."""
    request = urllib.request.Request(settings.slack_api_url.rstrip("/") + f"/{method}", data=b"", method="POST",
                                     headers={"Authorization": f"Bearer {token}"})
    try:
        status, _headers, body = http(request)
        answer = json.loads(body or b"{}")
    except (OSError, ValueError) as exc:
        return {"ok": False, "error": f"unreachable: {first_line(exc)}"}
    return answer if isinstance(answer, dict) else {"ok": False, "error": f"HTTP {status}"}


def check_slack_mode(settings: Settings, http: Http) -> Check:
    """Socket Mode needs an app-level token Slack accepts; HTTP mode a signing secret."""
    if settings.slack_app_token:
        if not settings.slack_app_token.startswith("xapp-"):
            return Check(False, "Slack mode", "SLACK_APP_TOKEN must be an app-level token (xapp-…) with "
                                              "connections:write")
        answer = _slack_call(settings, http, "apps.connections.open", settings.slack_app_token)
        if not answer.get("ok"):
            return Check(False, "Slack mode", f"Socket Mode: apps.connections.open says {answer.get('error')}; "
                                              "create an app-level token with connections:write (Basic "
                                              "Information → App-Level Tokens) and put it in SLACK_APP_TOKEN")
        return Check(True, "Slack mode", "Socket Mode (Slack accepts SLACK_APP_TOKEN)")
    if settings.slack_signing_secret:
        return Check(True, "Slack mode", f"HTTP mode on {settings.http_host}:{settings.http_port} "
                                         "(SLACK_SIGNING_SECRET is set)")
    return Check(False, "Slack mode", "set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)")


def _major(output: str) -> int | None:
    found = re.search(r"\b(\d+)\.\d+\.\d+", output)
    return int(found.group(1)) if found else None


def check_browser_versions(settings: Settings, run: Run) -> Check:
    """Chromium and chromedriver must share a major version, or every session fails to start."""
    if settings.remote_webdriver_url:
        return Check(True, "Browser", f"remote WebDriver at {settings.remote_webdriver_url} (versions are its own)")
    versions: dict[str, int] = {}
    for setting, path, package in (("BOOKER_CHROMIUM_PATH", settings.chromium_path, "chromium"),
                                   ("BOOKER_CHROMEDRIVER_PATH", settings.chromedriver_path, "chromium-driver")):
        try:
            major = _major(run([path, "--version"]))
        except OSError as exc:
            return Check(False, "Browser", f"{path} can't run ({first_line(exc, 120)}); apt-get install {package} "
                                           f"or set {setting}")
        if major is None:
            return Check(False, "Browser", f"{path} doesn't say its version; is {setting} the right program?")
        versions[package] = major
    chromium, driver = versions["chromium"], versions["chromium-driver"]
    if chromium != driver:
        return Check(False, "Browser", f"Chromium {chromium} but chromedriver {driver}; install the matching "
                                       "chromium-driver (or point BOOKER_CHROMEDRIVER_PATH at one)")
    return Check(True, "Browser", f"Chromium {chromium} and chromedriver {driver}")


def check_headless_page(browsers: BrowserFactory) -> Check:
    """Open a page in a real session: the browser starts, renders and quits."""
    try:
        with browsers.session("doctor", label="doctor") as page:
            page.driver.get(HEALTHY_PAGE)
            title = page.driver.title
    except Exception as exc:  # noqa: BLE001 - any failure to start is the answer we report
        return Check(False, "Headless page", f"the browser didn't open a page ({first_line(exc, 160)})")
    if title != "booker-doctor":
        return Check(False, "Headless page", f"the page opened but showed {title!r}")
    return Check(True, "Headless page", "opened and rendered")


def open_engine(settings: Settings) -> tuple[Engine | None, Check | None]:
    """The database engine without creating a SQLite file that isn't there yet."""
    where = safe_database_url(settings.database_url)
    if settings.is_sqlite:
        database = make_url(settings.database_url).database
        if database and database != ":memory:" and not Path(database).expanduser().is_file():
            return None, Check(False, "Database", f"no database at {database} yet; any command creates it, e.g. "
                                                  "python -m booking startups import FILE")
    try:
        return create_db_engine(settings.database_url), None
    except (SQLAlchemyError, OSError) as exc:
        return None, Check(False, "Database", f"can't open {where} ({first_line(exc, 160)}); check DATABASE_URL")


def check_database(settings: Settings, engine: Engine) -> Check:
    """Reachable, and at the newest migration (else the bot's first start migrates it)."""
    where = safe_database_url(settings.database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    heads = set(ScriptDirectory.from_config(config).get_heads())
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as exc:
        reason = first_line(getattr(exc, "orig", None) or exc, 160)
        return Check(False, "Database", f"can't reach {where} ({reason}); check DATABASE_URL and that the server runs")
    if current != heads:
        behind = ", ".join(sorted(heads - current)) or "unknown"
        return Check(False, "Database", f"{where} is not at the latest migration (missing {behind}); start the bot "
                                        "or run any python -m booking command once to upgrade it")
    return Check(True, "Database", f"{where} reachable, at the latest migration")


def check_directory(settings: Settings, engine: Engine, resolver: Resolver = resolve_host) -> Check:
    """Every startup's booking URL passes the URL policy (else its /book fails at once)."""
    with Session(engine) as session:
        rows = session.execute(select(Startup.display_name, StartupBookingConfig.booking_url)
                               .join(StartupBookingConfig, StartupBookingConfig.startup_id == Startup.id)).all()
    refused = []
    for name, url in rows:
        try:
            check_booking_url(url, settings.allowed_hosts, resolver)
        except BookingError as exc:
            refused.append(f"{name} ({first_line(exc, 100)})")
    if not rows:
        return Check(False, "Directory", "no startups yet; load them: python -m booking startups import FILE")
    if refused:
        return Check(False, "Directory", f"{len(refused)} of {len(rows)} URLs refused: {'; '.join(refused[:3])}"
                                         f"{' …' if len(refused) > 3 else ''}; fix the URL or BOOKER_ALLOWED_HOSTS")
    return Check(True, "Directory", f"all {len(rows)} startups' URLs allowed")


def check_google(settings: Settings, now: datetime | None = None) -> list[Check]:
    """Free/busy for one teammate and a Gmail read, through the configured endpoints."""
    if not settings.google_enabled:
        return [Check(True, "Google", "not configured (bookings stop at confirmed; set GOOGLE_CREDENTIALS_FILE "
                                      "to use calendars)")]
    email = settings.google_oauth_account or settings.user_email
    if not email:
        return [Check(False, "Google", "set BOOKER_USER_EMAIL (or GOOGLE_OAUTH_ACCOUNT) to a teammate to check")]
    start = now or datetime.now(timezone.utc)
    results = []
    try:
        calendar = GoogleCalendar.from_settings(settings)
        workspace = calendar.workspace  # type: ignore[union-attr]
    except BookingError as exc:
        return [Check(False, "Google", first_line(exc, 300))]
    probes: Iterable[tuple[str, Callable[[], object]]] = (
        ("Google Calendar", lambda: workspace.calendar(email).free_busy(start, start + timedelta(days=1))),
        ("Gmail", lambda: workspace.gmail(email).list_messages(max_results=1)),
    )
    for what, probe in probes:
        try:
            probe()
            results.append(Check(True, what, f"read for {email}"))
        except GoogleError as exc:
            results.append(Check(False, what, first_line(str(exc).replace("; will try again later", ""), 300)))
    return results

"""Settings from the environment (and an optional ``.env``), validated once at start-up.

A missing or malformed value raises :class:`SettingsError` with one line naming the variable, so
front-ends can print it and exit instead of failing later, mid-booking.
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field, replace
from datetime import date, time
from pathlib import Path
from typing import Callable, Mapping, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from booking.config.setting_table import BY_NAME, bounds
from booking.domain.hours import parse_days, parse_hours
from booking.domain.messages import TemplateError, validate_template

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"

DEFAULT_MESSAGE_TEMPLATE = (
    "Hello, my name is {user_name} from the Venture Clienting team at {company}.\n\n"
    "We are visiting Slush as a team with several AXA entity stakeholders, IT team and "
    "representatives from business.\n\n"
    "Our goal as the Venture Client unit is to showcase how startups can deliver the value we need.\n\n"
    "Thanks!"
)

T = TypeVar("T")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message is one line naming it."""


@dataclass(frozen=True)
class Settings:
    """Everything the bot, the CLI and the worker need; built by :meth:`from_env`."""

    # Slack
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    http_host: str = "127.0.0.1"
    http_port: int = 3000
    admins: tuple[str, ...] = ()
    # Storage
    database_url: str = f"sqlite:///{DATA_DIR / 'booker.db'}"
    screenshot_dir: Path = DATA_DIR / "screenshots"
    screenshot_retention_days: int = 30
    # Browser
    chromium_path: str = "/usr/bin/chromium"
    chromedriver_path: str = "/usr/bin/chromedriver"
    remote_webdriver_url: str | None = None
    use_webdriver_manager: bool = False
    headless: bool = True
    max_browsers: int = 2
    page_load_timeout: float = 30.0
    retry_backoff_seconds: float = 20.0
    step_timeout: float = 15.0
    job_budget_seconds: float = 900.0  # one browser job's whole run; a recipe's waits are cut to what is left
    # Booking-page safety: hosts (or host:port) allowed even though they are loopback/private
    allowed_hosts: tuple[str, ...] = ()
    # The team and its message
    company: str = "AXA Innovation"
    role: str = "Venture Client Team"
    message_template: str = DEFAULT_MESSAGE_TEMPLATE
    default_timezone: str = "Europe/Helsinki"
    # Slot rules
    lead_time_minutes: int = 60
    search_days: int = 14
    window_start: date | None = None
    window_end: date | None = None
    # The confirmation monitor
    check_interval_seconds: float = 60.0
    run_scheduler: bool = True
    run_jobs: bool = True  # false: this process only queues browser jobs in the database; workers run them
    notifier: str | None = None
    working_hours: tuple[time, time] = (time(8), time(18))
    working_days: frozenset[int] = frozenset(range(5))  # Monday to Friday
    buffer_minutes: int = 0
    # Google (calendar_sync): unset credentials file = no Google; see README
    google_credentials_file: Path | None = None
    google_auth_mode: str | None = None
    google_calendar_api_url: str | None = None
    google_gmail_api_url: str | None = None
    google_token_uri: str | None = None
    google_oauth_account: str | None = None
    google_timeout: float = 20.0
    # Review before submit: how long a filled form waits for the teammate's decision
    review_timeout_minutes: int = 30
    # The CLI's teammate when no Slack user is involved
    user_name: str | None = None
    user_email: str | None = None
    user_phone: str | None = None
    # Event matchmaking app (Slush/Brella): extra hosts that serve it, and a shared sign-in
    slush_hosts: tuple[str, ...] = ()
    slush_login: str | None = field(default=None, repr=False)
    slush_password: str | None = field(default=None, repr=False)
    # Who sends a platform's notification mails: BOOKER_MAIL_SENDERS_<PLATFORM>=domain,… (unset: its defaults)
    mail_senders: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Per-teammate secrets (event-app sign-ins): a YAML/JSON file readable by the owner only
    credentials_file: Path | None = None
    # Book through a platform's public API where it has one (Cal.com), falling back to the page
    api_fast_path: bool = False
    require_message_field: bool = False
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, env_file: Path | None = None
    ) -> "Settings":
        """Read settings; values in ``environ`` override those in ``env_file`` (``.env``)."""
        values: dict[str, str] = {}
        env_path = env_file if env_file is not None else PROJECT_ROOT / ".env"
        if env_path.is_file():
            from dotenv import dotenv_values

            values.update({k: v for k, v in dotenv_values(env_path).items() if v is not None})
        values.update(os.environ if environ is None else environ)
        read = _Reader(values)
        settings = cls(
            slack_bot_token=read.str("SLACK_BOT_TOKEN"),
            slack_signing_secret=read.str("SLACK_SIGNING_SECRET"),
            slack_app_token=read.str("SLACK_APP_TOKEN"),
            slack_api_url=read.url("SLACK_API_URL", cls.slack_api_url),
            http_host=read.str("BOOKER_HTTP_HOST", cls.http_host) or cls.http_host,
            http_port=read.int("BOOKER_HTTP_PORT", cls.http_port),
            admins=read.list("BOOKER_ADMINS"),
            database_url=read.database_url("DATABASE_URL", cls.database_url),
            screenshot_dir=read.directory("BOOKER_SCREENSHOT_DIR", cls.screenshot_dir),
            screenshot_retention_days=read.int("BOOKER_SCREENSHOT_RETENTION_DAYS", cls.screenshot_retention_days),
            chromium_path=read.str("BOOKER_CHROMIUM_PATH", cls.chromium_path) or cls.chromium_path,
            chromedriver_path=read.str("BOOKER_CHROMEDRIVER_PATH", cls.chromedriver_path)
            or cls.chromedriver_path,
            remote_webdriver_url=read.url("BOOKER_REMOTE_WEBDRIVER_URL", None),
            use_webdriver_manager=read.bool("BOOKER_USE_WEBDRIVER_MANAGER", False),
            headless=read.bool("BOOKER_HEADLESS", True),
            max_browsers=read.int("BOOKER_MAX_BROWSERS", cls.max_browsers),
            page_load_timeout=read.float("BOOKER_PAGE_LOAD_TIMEOUT", cls.page_load_timeout),
            step_timeout=read.float("BOOKER_STEP_TIMEOUT", cls.step_timeout),
            job_budget_seconds=read.float("BOOKER_JOB_BUDGET_SECONDS", cls.job_budget_seconds),
            retry_backoff_seconds=read.float("BOOKER_RETRY_BACKOFF_SECONDS", cls.retry_backoff_seconds),
            allowed_hosts=read.list("BOOKER_ALLOWED_HOSTS"),
            company=read.str("BOOKER_COMPANY", cls.company) or cls.company,
            role=read.str("BOOKER_ROLE", cls.role) or cls.role,
            message_template=read.template("BOOKER_MESSAGE_TEMPLATE", DEFAULT_MESSAGE_TEMPLATE),
            default_timezone=read.timezone("BOOKER_DEFAULT_TIMEZONE", cls.default_timezone),
            lead_time_minutes=read.int("BOOKER_LEAD_TIME_MINUTES", cls.lead_time_minutes),
            search_days=read.int("BOOKER_SEARCH_DAYS", cls.search_days),
            window_start=read.date("BOOKER_WINDOW_START"),
            window_end=read.date("BOOKER_WINDOW_END"),
            check_interval_seconds=read.float("BOOKER_CHECK_INTERVAL_SECONDS", cls.check_interval_seconds),
            run_scheduler=read.bool("BOOKER_RUN_SCHEDULER", True),
            run_jobs=read.bool("BOOKER_RUN_JOBS", True),
            notifier=read.str("BOOKER_NOTIFIER"),
            working_hours=read.hours("BOOKER_WORKING_HOURS", cls.working_hours),
            working_days=read.days("BOOKER_WORKING_DAYS", cls.working_days),
            buffer_minutes=read.int("BOOKER_BUFFER_MINUTES", cls.buffer_minutes),
            google_credentials_file=read.existing_file("GOOGLE_CREDENTIALS_FILE"),
            google_auth_mode=read.choice("GOOGLE_AUTH_MODE", ("service_account", "oauth_token")),
            google_calendar_api_url=read.url("GOOGLE_CALENDAR_API_URL", None),
            google_gmail_api_url=read.url("GOOGLE_GMAIL_API_URL", None),
            google_token_uri=read.url("GOOGLE_TOKEN_URI", None),
            google_oauth_account=read.email("GOOGLE_OAUTH_ACCOUNT"),
            google_timeout=read.float("GOOGLE_HTTP_TIMEOUT", cls.google_timeout),
            review_timeout_minutes=read.int("BOOKER_REVIEW_TIMEOUT_MINUTES", cls.review_timeout_minutes),
            user_name=read.str("BOOKER_USER_NAME"),
            user_email=read.email("BOOKER_USER_EMAIL"),
            user_phone=read.str("BOOKER_USER_PHONE"),
            slush_hosts=tuple(h.lower() for h in read.list("BOOKER_SLUSH_HOSTS")),
            slush_login=read.str("BOOKER_SLUSH_LOGIN"),
            slush_password=read.str("BOOKER_SLUSH_PASSWORD"),
            mail_senders=read.mail_senders(MAIL_SENDERS_PREFIX, slush=read.domains("BOOKER_MAIL_SENDERS_SLUSH")),
            credentials_file=read.optional_path("BOOKER_CREDENTIALS_FILE"),
            api_fast_path=read.bool("BOOKER_API_FAST_PATH", False),
            require_message_field=read.bool("BOOKER_REQUIRE_MESSAGE_FIELD", False),
            extra={k: v for k, v in values.items() if k.startswith("BOOKER_X_")},
        )
        if settings.window_start and settings.window_end and settings.window_end < settings.window_start:
            raise SettingsError("BOOKER_WINDOW_END is before BOOKER_WINDOW_START")
        if bool(settings.slush_login) != bool(settings.slush_password):
            raise SettingsError("BOOKER_SLUSH_LOGIN and BOOKER_SLUSH_PASSWORD must be set together")
        return settings

    def require_slack(self) -> "Settings":
        """Check what the Slack front-end needs: a bot token, and a signing secret over HTTP."""
        if not self.slack_bot_token:
            raise SettingsError("SLACK_BOT_TOKEN is not set (the bot token, xoxb-…)")
        if not self.slack_bot_token.startswith("xoxb-"):
            raise SettingsError("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
        if self.slack_app_token and not self.slack_app_token.startswith("xapp-"):
            raise SettingsError("SLACK_APP_TOKEN must be an app-level token starting with xapp-")
        if not self.slack_app_token and not self.slack_signing_secret:
            raise SettingsError(
                "SLACK_SIGNING_SECRET is not set (needed in HTTP mode; or set SLACK_APP_TOKEN for Socket Mode)"
            )
        return self

    def with_overrides(self, **changes: object) -> "Settings":
        return replace(self, **changes)

    @property
    def google_enabled(self) -> bool:
        """Google Calendar (free/busy, events) is used when a credentials file is configured."""
        return self.google_credentials_file is not None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


class _Reader:
    """Typed getters that turn a bad value into a one-line :class:`SettingsError`."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = values

    def _raw(self, name: str) -> str | None:
        value = self._values.get(name)
        if value is None:
            return None
        value = value.strip()
        return value or None

    def _convert(self, name: str, default: T, convert: Callable[[str], T], expected: str) -> T:
        raw = self._raw(name)
        if raw is None:
            return default
        try:
            return convert(raw)
        except (ValueError, TypeError):
            raise SettingsError(f"{name} must be {expected}, got {raw[:60]!r}") from None

    def str(self, name: str, default: str | None = None) -> str | None:
        raw = self._raw(name)
        return default if raw is None else raw

    def int(self, name: str, default: int) -> int:
        low, high = bounds(name)
        value = self._convert(name, default, int, f"a whole number from {low:g} to {high:g}")
        self._check_range(name, value)
        return value

    def float(self, name: str, default: float) -> float:
        value = self._convert(name, default, float, "a number")
        if not math.isfinite(value):
            low, high = bounds(name)
            raise SettingsError(f"{name} must be a finite number from {low:g} to {high:g}, got {value}")
        self._check_range(name, value)
        return value

    def _check_range(self, name: str, value: float) -> None:
        """Every number has a sane range (settings table): 1e12 s of back-off would hang a timer thread."""
        low, high = bounds(name)
        unit = BY_NAME[name].unit
        if value < low:
            raise SettingsError(f"{name} must be at least {low:g} (allowed {low:g}–{high:g}{unit}), got {value:g}")
        if value > high:
            raise SettingsError(f"{name} must be at most {high:g} (allowed {low:g}–{high:g}{unit}), got {value:g}")

    def bool(self, name: str, default: bool) -> bool:
        def convert(raw: str) -> bool:
            lowered = raw.lower()
            if lowered in {"1", "true", "yes", "on"}:
                return True
            if lowered in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)

        return self._convert(name, default, convert, "true or false")

    def list(self, name: str) -> tuple[str, ...]:
        raw = self._raw(name)
        if raw is None:
            return ()
        return tuple(item.strip() for item in raw.split(",") if item.strip())

    def url(self, name: str, default: str | None) -> str | None:
        def convert(raw: str) -> str:
            parts = urlsplit(raw)
            if parts.scheme not in {"http", "https", "ws", "wss"} or not parts.netloc:
                raise ValueError(raw)
            return raw

        return self._convert(name, default, convert, "an http(s) URL")

    def database_url(self, name: str, default: str) -> str:
        def convert(raw: str) -> str:
            from sqlalchemy.engine import make_url
            from sqlalchemy.exc import ArgumentError

            try:
                url = make_url(raw)
            except ArgumentError:
                raise ValueError(raw) from None
            if not url.drivername.startswith(("sqlite", "postgresql")):
                raise ValueError(raw)
            return raw

        return self._convert(name, default, convert, "a sqlite:/// or postgresql:// URL")

    def path(self, name: str, default: Path) -> Path:
        raw = self._raw(name)
        return default if raw is None else Path(raw).expanduser()

    def directory(self, name: str, default: Path) -> Path:
        """A folder Booker creates if needed; an existing file there can never become one."""
        path = self.path(name, default)
        if path.exists() and not path.is_dir():
            raise SettingsError(f"{name} points to {str(path)[:200]}, which is a file, not a folder")
        return path

    def optional_path(self, name: str) -> Path | None:
        raw = self._raw(name)
        return None if raw is None else Path(raw).expanduser()

    def template(self, name: str, default: str) -> str:
        raw = self._values.get(name)
        if raw is None or not raw.strip():
            return default
        text = raw.replace("\\n", "\n")
        try:
            validate_template(text)
        except TemplateError as exc:
            raise SettingsError(f"{name}: {exc}") from None
        return text

    def timezone(self, name: str, default: str) -> str:
        def convert(raw: str) -> str:
            try:
                ZoneInfo(raw)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(raw) from None
            return raw

        return self._convert(name, default, convert, "an IANA time zone such as Europe/Helsinki")

    def date(self, name: str) -> date | None:
        return self._convert(name, None, date.fromisoformat, "a date as YYYY-MM-DD")

    def hours(self, name: str, default: tuple[time, time]) -> tuple[time, time]:
        return self._convert(name, default, parse_hours, "working hours like 08:00-18:00")

    def days(self, name: str, default: frozenset[int]) -> frozenset[int]:
        return self._convert(name, default, parse_days, "days like mon-fri or mon,wed,thu")

    def existing_file(self, name: str) -> Path | None:
        raw = self._raw(name)
        if raw is None:
            return None
        path = Path(raw).expanduser()
        if not path.is_file():
            raise SettingsError(f"{name} points to {str(path)[:200]}, which is not a file")
        return path

    def choice(self, name: str, options: tuple[str, ...]) -> str | None:
        raw = self._raw(name)
        if raw is None:
            return None
        if raw not in options:
            raise SettingsError(f"{name} must be {' or '.join(options)}, got {raw[:60]!r}")
        return raw

    def domains(self, name: str) -> tuple[str, ...] | None:
        """Mail sender domains (``brella.io,slush.org``); None when unset."""
        if self._raw(name) is None:
            return None
        domains = tuple(d.lower().lstrip("@") for d in self.list(name))
        if not domains or any(not DOMAIN_RE.fullmatch(d) for d in domains):
            raise SettingsError(f"{name} must list sender domains like brella.io,slush.org, got {self._raw(name)[:60]!r}")
        return domains

    def mail_senders(self, prefix: str, **named: tuple[str, ...] | None) -> dict[str, tuple[str, ...]]:
        """Each platform's configured sender domains: the ``named`` ones (read already) and any other
        ``<prefix><PLATFORM>``, e.g. ``BOOKER_MAIL_SENDERS_CALCOM=cal.com`` → {"calcom": ("cal.com",)}."""
        senders = {platform: domains for platform, domains in named.items() if domains is not None}
        for name in sorted(n for n in self._values if n.startswith(prefix)):
            platform = name.removeprefix(prefix).lower()
            if platform in named:
                continue
            if not re.fullmatch(r"[a-z][a-z0-9_]*", platform):
                raise SettingsError(f"{name}: the part after {prefix} must be a platform name such as SLUSH")
            domains = self.domains(name)
            if domains is not None:
                senders[platform] = domains
        return senders

    def email(self, name: str) -> str | None:
        def convert(raw: str) -> str:
            if not EMAIL_RE.fullmatch(raw):
                raise ValueError(raw)
            return raw

        return self._convert(name, None, convert, "an e-mail address")


EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
DOMAIN_RE = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
MAIL_SENDERS_PREFIX = "BOOKER_MAIL_SENDERS_"

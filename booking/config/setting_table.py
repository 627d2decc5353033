"""Every setting Booker reads, with its default, meaning and (for numbers) its allowed range.

One table so the settings reader, ``.env.example`` and the operator's doctor can't drift apart:
``Settings.from_env`` takes each number's bounds from here, and ``python -m booking.config.setting_table``
regenerates ``.env.example`` (a test fails when the file or the reader is out of step).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


@dataclass(frozen=True)
class Setting:
    """One environment variable; ``bounds`` is the inclusive (lowest, highest) for numbers."""

    name: str
    default: str
    meaning: str
    bounds: tuple[float, float] | None = None
    unit: str = ""


SETTINGS: tuple[Setting, ...] = (
    Setting("SLACK_BOT_TOKEN", "", "Bot token (xoxb-…), required for the bot"),
    Setting("SLACK_SIGNING_SECRET", "", "Required in HTTP mode"),
    Setting("SLACK_APP_TOKEN", "", "App-level token (xapp-…): enables Socket Mode"),
    Setting("SLACK_API_URL", "https://slack.com/api/", "Slack Web API base URL (tests point it at a fake)"),
    Setting("BOOKER_HTTP_HOST", "127.0.0.1", "HTTP mode listener address"),
    Setting("BOOKER_HTTP_PORT", "3000", "HTTP mode listener port (0 picks a free one)", (0, 65535)),
    Setting("BOOKER_ADMINS", "", "Slack user ids with admin rights, comma-separated"),
    Setting("DATABASE_URL", "sqlite:///data/booker.db", "SQLite file or postgresql://…"),
    Setting("BOOKER_SCREENSHOT_DIR", "data/screenshots", "Where screenshots go: <dir>/<booking id>/NN_<step>.png"),
    Setting("BOOKER_SCREENSHOT_RETENTION_DAYS", "30", "Screenshots older than this are deleted", (1, 3650), " days"),
    Setting("BOOKER_CHROMIUM_PATH", "/usr/bin/chromium", "Local browser"),
    Setting("BOOKER_CHROMEDRIVER_PATH", "/usr/bin/chromedriver", "Local driver (same major version as the browser)"),
    Setting("BOOKER_REMOTE_WEBDRIVER_URL", "", "A W3C endpoint (Selenium Grid) instead of the local driver"),
    Setting("BOOKER_USE_WEBDRIVER_MANAGER", "false", "Opt in to downloading a driver with webdriver-manager"),
    Setting("BOOKER_HEADLESS", "true", "Run the browser without a window"),
    Setting("BOOKER_MAX_BROWSERS", "2", "Browser jobs at once", (1, 64)),
    Setting("BOOKER_PAGE_LOAD_TIMEOUT", "30", "Seconds a page may take to load", (1, 600), " s"),
    Setting("BOOKER_STEP_TIMEOUT", "15", "Seconds one step may wait for the page", (1, 600), " s"),
    Setting("BOOKER_JOB_BUDGET_SECONDS", "900", "Seconds one browser job may take in all (a recipe's waits included)",
            (60, 3600), " s"),
    Setting("BOOKER_RETRY_BACKOFF_SECONDS", "20", "First delay before a failed browser job is retried (doubles)",
            (0, 3600), " s"),
    Setting("BOOKER_ALLOWED_HOSTS", "", "Loopback/private hosts (host or host:port) allowed as booking pages"),
    Setting("BOOKER_COMPANY", "AXA Innovation", "Filled into forms and the message"),
    Setting("BOOKER_ROLE", "Venture Client Team", "Filled into forms and the message"),
    Setting("BOOKER_MESSAGE_TEMPLATE", "", "The intro message ({user_name}, {company}, {startup}…; \\n for new lines)"),
    Setting("BOOKER_DEFAULT_TIMEZONE", "Europe/Helsinki", "When Slack gives no zone"),
    Setting("BOOKER_LEAD_TIME_MINUTES", "60", "Earliest slot considered, from now", (0, 30 * 24 * 60), " min"),
    Setting("BOOKER_SEARCH_DAYS", "14", "Latest slot considered, in days from now", (1, 120), " days"),
    Setting("BOOKER_WINDOW_START", "", "Optional first day (YYYY-MM-DD), e.g. the conference's"),
    Setting("BOOKER_WINDOW_END", "", "Optional last day (YYYY-MM-DD)"),
    Setting("BOOKER_CHECK_INTERVAL_SECONDS", "60", "How often the confirmation monitor runs", (1, 86400), " s"),
    Setting("BOOKER_RUN_SCHEDULER", "true", "Run the confirmation monitor inside the bot"),
    Setting("BOOKER_RUN_JOBS", "true", "Run browser jobs here; false: only queue them for `python -m booking worker`"),
    Setting("BOOKER_NOTIFIER", "", "module:function giving `python -m booking worker` its notifier"),
    Setting("BOOKER_WORKING_HOURS", "08:00-18:00", "When teammates take meetings, in their own zone"),
    Setting("BOOKER_WORKING_DAYS", "mon-fri", "The days teammates take meetings"),
    Setting("BOOKER_BUFFER_MINUTES", "0", "Kept free around the teammate's other meetings", (0, 240), " min"),
    Setting("GOOGLE_CREDENTIALS_FILE", "", "A service-account JSON key or an OAuth token.json; unset = no Google"),
    Setting("GOOGLE_AUTH_MODE", "", "service_account or oauth_token (default: from the file)"),
    Setting("GOOGLE_CALENDAR_API_URL", "", "Calendar API endpoint, including /calendar/v3/ (default Google's)"),
    Setting("GOOGLE_GMAIL_API_URL", "", "Gmail API root (default Google's)"),
    Setting("GOOGLE_TOKEN_URI", "", "Another OAuth token endpoint (default Google's)"),
    Setting("GOOGLE_OAUTH_ACCOUNT", "", "OAuth mode: the teammate the token belongs to"),
    Setting("GOOGLE_HTTP_TIMEOUT", "20", "Seconds per Google request", (1, 300), " s"),
    Setting("BOOKER_REVIEW_TIMEOUT_MINUTES", "30", "How long a filled form waits for the teammate's review",
            (1, 24 * 60), " min"),
    Setting("BOOKER_USER_NAME", "", "The CLI's teammate: full name"),
    Setting("BOOKER_USER_EMAIL", "", "The CLI's teammate: e-mail"),
    Setting("BOOKER_USER_PHONE", "", "The CLI's teammate: phone number"),
    Setting("BOOKER_SLUSH_HOSTS", "", "Hosts serving the event's matchmaking app, besides *.brella.io"),
    Setting("BOOKER_SLUSH_LOGIN", "", "A shared event-app account (with BOOKER_SLUSH_PASSWORD)"),
    Setting("BOOKER_SLUSH_PASSWORD", "", "The shared event-app account's password"),
    Setting("BOOKER_MAIL_SENDERS_SLUSH", "brella.io,slush.com", "Domains the event app's notification mails come "
            "from; any platform's: BOOKER_MAIL_SENDERS_<PLATFORM>"),
    Setting("BOOKER_CREDENTIALS_FILE", "", "YAML/JSON of per-teammate event-app sign-ins, owner-only (chmod 600)"),
    Setting("BOOKER_API_FAST_PATH", "false", "Book through a platform's public API where it has one"),
    Setting("BOOKER_REQUIRE_MESSAGE_FIELD", "false", "Refuse a form with no field for the intro message"),
)

BY_NAME: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}


def bounds(name: str) -> tuple[float, float]:
    """The allowed range of a numeric setting (KeyError for a setting the table doesn't bound)."""
    found = BY_NAME[name].bounds
    if found is None:
        raise KeyError(name)
    return found


def render_env_example() -> str:
    """The text of ``.env.example``: every setting commented out at its default, with its meaning."""
    lines = [
        "# Booker's settings. Copy to .env (or export them) and uncomment what you change; the environment",
        "# wins over .env. Generated from booking/setting_table.py by `python -m booking.config.setting_table`.",
    ]
    for setting in SETTINGS:
        lines.append("")
        allowed = ""
        if setting.bounds is not None:
            low, high = setting.bounds
            allowed = f" ({low:g}–{high:g}{setting.unit})"
        lines.append(f"# {setting.meaning}{allowed}")
        lines.append(f"# {setting.name}={setting.default}")
    return "\n".join(lines) + "\n"


def main() -> int:
    ENV_EXAMPLE.write_text(render_env_example(), encoding="utf-8")
    print(f"wrote {ENV_EXAMPLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

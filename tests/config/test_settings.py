"""Settings fail at start-up with one line naming the bad variable."""
from pathlib import Path

import pytest

from booking.config.settings import Settings, SettingsError


def load(tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env(env, env_file=tmp_path / "none.env")


def test_defaults(tmp_path):
    s = load(tmp_path)
    assert s.database_url.startswith("sqlite:///") and s.database_url.endswith("data/booker.db")
    assert s.chromedriver_path == "/usr/bin/chromedriver" and s.max_browsers == 2 and not s.use_webdriver_manager
    assert not s.api_fast_path and load(tmp_path, BOOKER_API_FAST_PATH="true").api_fast_path


@pytest.mark.parametrize("name, value, words", [
    ("BOOKER_MAX_BROWSERS", "two", "whole number"),
    ("BOOKER_MAX_BROWSERS", "0", "at least 1"),
    ("DATABASE_URL", "mysql://x/y", "sqlite"),
    ("SLACK_API_URL", "ftp://x", "http"),
    ("BOOKER_DEFAULT_TIMEZONE", "Mars/Olympus", "IANA"),
    ("BOOKER_HEADLESS", "maybe", "true or false"),
    ("BOOKER_MESSAGE_TEMPLATE", "Hi {user_name.__class__}", "unknown placeholder"),
    ("BOOKER_WINDOW_START", "next week", "YYYY-MM-DD"),
    ("BOOKER_USER_EMAIL", "not-an-email", "e-mail"),
    ("BOOKER_API_FAST_PATH", "sometimes", "true or false"),
])
def test_bad_values_name_the_variable(tmp_path, name, value, words):
    with pytest.raises(SettingsError) as info:
        load(tmp_path, **{name: value})
    message = str(info.value)
    assert name in message and words in message and "\n" not in message


def test_env_file_is_read_and_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("BOOKER_COMPANY=From File\nBOOKER_ROLE=Scout\n")
    s = Settings.from_env({"BOOKER_ROLE": "From Env"}, env_file=env_file)
    assert (s.company, s.role) == ("From File", "From Env")


def test_slack_requirements(tmp_path):
    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN"):
        load(tmp_path).require_slack()
    with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET"):
        load(tmp_path, SLACK_BOT_TOKEN="xoxb-1").require_slack()
    assert load(tmp_path, SLACK_BOT_TOKEN="xoxb-1", SLACK_APP_TOKEN="xapp-1").require_slack()

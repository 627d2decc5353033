"""Every number Booker reads is finite and within its range; `.env.example` follows the settings table."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from booking.config import setting_table
from booking.config.settings import Settings, SettingsError

SETTINGS_SOURCE = Path(setting_table.__file__).with_name("settings.py")
NUMERIC = [s.name for s in setting_table.SETTINGS if s.bounds is not None]


def load(tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env(env, env_file=tmp_path / "none.env")


@pytest.mark.parametrize("name", NUMERIC)
@pytest.mark.parametrize("value", ["inf", "nan", "-inf", "1e12", "-1"])
def test_absurd_numbers_are_refused_in_one_line_naming_the_range(tmp_path, name, value):
    """1e12 s of back-off used to hang the CLI; inf/nan timeouts used to fail every booking later."""
    low, high = setting_table.bounds(name)
    if value == "-1" and low < 0:
        pytest.skip("negative allowed")
    with pytest.raises(SettingsError) as info:
        load(tmp_path, **{name: value})
    message = str(info.value)
    assert message.startswith(name) and "\n" not in message
    assert f"{low:g}" in message and f"{high:g}" in message


@pytest.mark.parametrize("name", NUMERIC)
def test_the_ends_of_each_range_are_accepted(tmp_path, name):
    low, high = setting_table.bounds(name)
    for value in (low, high):
        load(tmp_path, **{name: f"{int(value)}"})


def test_the_issue_values_name_setting_and_range(tmp_path):
    cases = {"BOOKER_RETRY_BACKOFF_SECONDS": ("1e12", "0–3600 s"),
             "BOOKER_PAGE_LOAD_TIMEOUT": ("inf", "from 1 to 600"),
             "BOOKER_STEP_TIMEOUT": ("nan", "from 1 to 600")}
    for name, (value, words) in cases.items():
        with pytest.raises(SettingsError, match=re.escape(words)):
            load(tmp_path, **{name: value})


def test_a_screenshot_folder_that_is_a_file_is_refused(tmp_path):
    a_file = tmp_path / "passwd"
    a_file.write_text("x")
    with pytest.raises(SettingsError, match="BOOKER_SCREENSHOT_DIR .* is a file, not a folder"):
        load(tmp_path, BOOKER_SCREENSHOT_DIR=str(a_file))


def test_every_variable_the_reader_reads_is_in_the_table_and_the_table_has_no_strays():
    read = set(re.findall(r'read\.[a-z_]+\("([A-Z_]+)"', SETTINGS_SOURCE.read_text()))
    assert read == set(setting_table.BY_NAME)


def test_env_example_is_the_table_regenerated():
    """Run `python -m booking.config.setting_table` after changing the table."""
    assert setting_table.ENV_EXAMPLE.read_text(encoding="utf-8") == setting_table.render_env_example()

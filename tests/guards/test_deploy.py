"""deploy/ (README "Running on several machines") stays true: every unit starts a command Booker accepts, with
settings Booker knows, the Grid jar set-up fetches, and the node configuration the Grid tests run."""
from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import pytest

from booking.cli.parser import build_parser
from booking.config.setting_table import SETTINGS
from booking.config.settings import Settings
from tests.grid.grid import NODE_CONFIG, node_config

ROOT = Path(__file__).resolve().parents[2]
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
INSTALL_DIR = "/opt/booker"


def unit_lines(path: Path) -> list[tuple[str, str]]:
    """(key, value) of every ``Key=Value`` line of a systemd unit (keys may repeat: Environment=)."""
    pairs = []
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            pairs.append((key.strip(), value.strip()))
    return pairs


def exec_start(path: Path) -> list[str]:
    [command] = [v for k, v in unit_lines(path) if k == "ExecStart"]
    return shlex.split(command)


def test_there_is_a_unit_for_each_process_of_the_set_up():
    assert [u.name for u in UNITS] == ["booker-bot.service", "booker-worker.service", "selenium-hub.service",
                                       "selenium-node.service"]


@pytest.mark.parametrize("unit", [u for u in UNITS if u.name.startswith("booker-")], ids=lambda u: u.name)
def test_booker_units_start_a_command_booker_accepts_with_settings_it_knows(unit):
    argv = exec_start(unit)
    assert argv[0] == f"{INSTALL_DIR}/.venv/bin/python" and argv[1] == "-m"
    if argv[2] == "booking":
        build_parser().parse_args(argv[3:])  # exits (a failed test) on anything the CLI would refuse
    else:
        assert argv[2:] == ["bot"]
    known = {s.name for s in SETTINGS}
    environment = dict(v.split("=", 1) for k, v in unit_lines(unit) if k == "Environment")
    assert set(environment) <= known, set(environment) - known
    Settings.from_env(environment, env_file=ROOT / "absent.env")  # the values are valid


def test_the_bot_unit_queues_jobs_for_the_workers_and_leaves_the_monitor_to_them():
    environment = dict(v.split("=", 1) for k, v in unit_lines(ROOT / "deploy/systemd/booker-bot.service")
                       if k == "Environment")
    assert environment == {"BOOKER_RUN_JOBS": "false", "BOOKER_RUN_SCHEDULER": "false"}


@pytest.mark.parametrize("unit", [u for u in UNITS if u.name.startswith("selenium-")], ids=lambda u: u.name)
def test_grid_units_run_the_jar_setup_fetches_with_the_tested_node_config(unit):
    version = re.search(r"^GRID_VERSION=(\S+)$", (ROOT / "dev").read_text(), re.M).group(1)
    argv = exec_start(unit)
    assert argv[:3] == ["/usr/bin/java", "-jar", f"{INSTALL_DIR}/.vendor/selenium-server-{version}.jar"]
    assert argv[3] in ("hub", "node")
    if argv[3] == "node":
        config = argv[argv.index("--config") + 1]
        assert config == f"{INSTALL_DIR}/{NODE_CONFIG.relative_to(ROOT)}"


def test_the_node_config_is_debians_chromium_with_no_driver_download():
    config = tomllib.loads(node_config(2))
    assert config["node"]["detect-drivers"] is False and config["node"]["selenium-manager"] is False
    [driver] = config["node"]["driver-configuration"]
    assert driver["webdriver-executable"] == "/usr/bin/chromedriver"
    assert '"binary": "/usr/bin/chromium"' in driver["stereotype"]
    assert tomllib.loads(node_config(1))["node"]["max-sessions"] == 1  # the tests' nodes: one browser each

"""``python -m booking doctor`` with ``BOOKER_REMOTE_WEBDRIVER_URL`` reads a real Grid's ``/status``: one line for the
hub and one per node, ✗ (and exit 1) when a node is down, when no node is up or when the hub can't be reached.

Run as an operator runs it (a subprocess) with every other part healthy (the Slack and Google fakes, a
migrated database: ``tests/runtime/test_doctor.py``'s set-up), against a hub and two nodes of two
browsers each started on 127.0.0.1 (``tests/grid/grid.py``), killed as machines die.
"""
from __future__ import annotations

from typing import Iterator

import pytest

import tests.runtime.test_doctor as doctor_tests
from tests.grid.grid import SeleniumGrid, require_grid_jar

pytestmark = pytest.mark.browser
google = doctor_tests.google  # the fixtures the doctor's own tests use
healthy_env = doctor_tests.healthy_env
doctor = doctor_tests.doctor
line = doctor_tests.line


@pytest.fixture
def grid(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeleniumGrid]:
    """A Grid of its own per test: the tests kill its parts."""
    require_grid_jar()
    with SeleniumGrid(tmp_path_factory.mktemp("grid"), nodes=2, sessions_per_node=2) as started:
        yield started


@pytest.fixture
def grid_env(healthy_env, grid):  # type: ignore[no-untyped-def]
    healthy_env["BOOKER_REMOTE_WEBDRIVER_URL"] = grid.hub_url
    return healthy_env


def what_of(done) -> list[str]:  # type: ignore[no-untyped-def]
    return [text[2:].split(":")[0] if not text[2:].startswith("Grid ") else text[2:].split(": ")[0]
            for text in done.stdout.splitlines()[:-1]]


def test_a_healthy_grid_names_the_hub_and_each_node(grid_env, grid):
    done = doctor(grid_env)
    print(done.stdout)
    first, second = sorted(node.url for node in grid.nodes)
    assert done.returncode == 0, done.stdout
    assert what_of(done) == ["Slack", "Slack scopes", "Slack mode", "Browser", f"Grid hub {grid.hub_url}",
                             f"Grid node {first}", f"Grid node {second}", "Headless page", "Database", "Directory",
                             "Google Calendar", "Gmail"]
    assert line(done, f"Grid hub {grid.hub_url}") == f"✓ Grid hub {grid.hub_url}: ready, 2 nodes up, 4 of 4 chrome " \
                                                     "slots free"
    assert line(done, f"Grid node {first}") == f"✓ Grid node {first}: UP, 2 of 2 chrome slots free"
    assert line(done, "Headless page") == "✓ Headless page: opened and rendered"  # through the hub
    assert done.stdout.splitlines()[-1] == "12 of 12 ✓"


def test_a_dead_node_is_named_and_no_node_up_fails_the_hub(grid_env, grid):
    dead, alive = grid.nodes
    grid.kill_node(dead)
    grid.wait_for(lambda status: [n["uri"] for n in grid.nodes_up(status)] == [alive.url], "the hub to see it DOWN")
    done = doctor(grid_env)
    print(done.stdout)
    assert done.returncode == 1
    assert line(done, f"Grid hub {grid.hub_url}") == f"✓ Grid hub {grid.hub_url}: ready, 1 node up, 2 of 2 chrome " \
                                                     "slots free"
    assert line(done, f"Grid node {dead.url}") == (f"✗ Grid node {dead.url}: DOWN; restart it (or remove it from "
                                                   "the hub)")
    assert line(done, f"Grid node {alive.url}").startswith("✓ ")
    assert line(done, "Headless page") == "✓ Headless page: opened and rendered"  # on the node that lives
    assert done.stdout.splitlines()[-1] == "11 of 12 ✓, 1 to fix"

    grid.kill_node(alive)
    grid.wait_for(lambda status: not grid.nodes_up(status), "the hub to see no node UP")
    done = doctor(grid_env)
    assert done.returncode == 1
    assert line(done, f"Grid hub {grid.hub_url}").startswith(
        f"✗ Grid hub {grid.hub_url}: no node is UP (2 nodes registered, none UP): start one with java -jar ")
    assert line(done, "Headless page") == "✗ Headless page: not tried until the Grid has a node up"  # no 60 s wait


def test_an_unreachable_hub_is_one_line(grid_env, grid):
    grid.kill_hub()
    done = doctor(grid_env)
    print(done.stdout)
    assert done.returncode == 1
    assert [text for text in done.stdout.splitlines() if text[2:].startswith("Grid ")] == [
        f"✗ Grid hub {grid.hub_url}: can't reach it ([Errno 111] Connection refused); start the hub or fix "
        "BOOKER_REMOTE_WEBDRIVER_URL"]
    assert line(done, "Headless page") == "✗ Headless page: not tried until the Grid has a node up"
    assert line(done, "Database").startswith("✓")  # the rest is still checked

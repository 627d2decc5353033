"""Guards for the layout ([layout]): rooms a newcomer can find, imports that point one way, nothing else moved.

Imports inside functions count (they hide cycles, they don't remove them); ``if TYPE_CHECKING:`` imports
don't (they never run).
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from booking.store.db import MIGRATIONS_DIR
from tests.guards.imports import ROOT, cycles, graph, product_modules, resolve

ROOMS = ["domain", "config", "recipes", "mail", "browser", "notify", "store", "platforms", "confirmations",
         "workflow", "runtime", "cli"]
LOW = {"domain", "config"}
# What each room of booking/ may import besides itself (README's Layout section says the same).
MAY_IMPORT: dict[str, set[str]] = {
    "domain": set(),
    "config": {"domain"},
    "recipes": {"domain"},
    "mail": LOW,
    "browser": LOW,
    "notify": LOW,
    "store": LOW | {"recipes"},
    "platforms": LOW | {"recipes", "mail", "browser"},
    "confirmations": LOW | {"mail", "browser", "notify", "store", "platforms"},
    "workflow": set(ROOMS[: ROOMS.index("workflow")]),
    "runtime": set(ROOMS[: ROOMS.index("runtime")]),
    "cli": set(ROOMS[: ROOMS.index("cli")]),
}
MAX_LINES = 420  # "every file under ~400 lines"
DEMO_ENTRY = "booking.cli.demo"  # the one product module that may load the replicas (inside its function)


@pytest.fixture(scope="module")
def modules():
    return product_modules()


def room_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "booking" and len(parts) > 2 else None


def test_no_import_cycle_among_product_modules(modules):
    found = cycles(graph(modules))
    assert not found, "import cycles: " + "; ".join(" → ".join(c) for c in found)


def test_the_cycle_finder_finds_a_cycle_hidden_in_a_function():
    """The guard itself: an import inside a function still closes a cycle."""
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c"]]


def test_each_room_imports_only_the_rooms_below_it(modules):
    wrong = []
    for name, module in modules.items():
        room = room_of(name)
        for target in module.imports:
            found = resolve(target, modules)
            other = room_of(found or "")
            if room and other and other != room and other not in MAY_IMPORT[room]:
                wrong.append(f"{name} → {found}")
    assert not wrong, "imports against the layout: " + ", ".join(sorted(wrong))


def test_every_module_of_booking_lives_in_a_room(modules):
    loose = [name for name in modules if name.startswith("booking.") and room_of(name) is None
             and name not in {"booking.__main__"} | {f"booking.{room}" for room in ROOMS}]
    assert not loose and set(MAY_IMPORT) == set(ROOMS), f"modules outside the rooms: {loose}"


def test_the_core_never_imports_slack_and_the_product_never_imports_the_tests_world(modules):
    wrong = []
    for name, module in modules.items():
        for target in module.imports:
            top = target.split(".")[0]
            if top in {"slack_bolt", "slack_sdk", "bot"} and not name.startswith("bot"):
                wrong.append(f"{name} → {target}")
            if top == "booking" and name.startswith("calendar_sync"):
                wrong.append(f"{name} → {target}")
            if top in {"replicas", "tests"} and name != DEMO_ENTRY:
                wrong.append(f"{name} → {target}")
    assert not wrong, "forbidden imports: " + ", ".join(sorted(wrong))


def test_each_package_says_what_lives_there_and_what_it_may_import(modules):
    silent = []
    for name, module in modules.items():
        if module.path.name != "__init__.py" or name in {"booking", "bot", "calendar_sync"}:
            continue
        doc = (module.path.read_text(encoding="utf-8").split('"""') + ["", ""])[1]
        if len(doc.split()) < 8 or "May import" not in doc:
            silent.append(name)
    assert not silent, f"packages whose docstring doesn't say what lives there and what it may import: {silent}"


def test_every_product_file_stays_short(modules):
    long = {str(m.path.relative_to(ROOT)): n for m in modules.values()
            if (n := len(m.path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"files over {MAX_LINES} lines: {long}"


def test_no_import_hides_inside_a_function(modules):
    """Imports inside functions hide cycles and load order; the demo's lazy replicas are the one exception."""
    hidden = [spot for m in modules.values() for spot in m.inside_functions if not spot.startswith(DEMO_ENTRY + ":")]
    assert not hidden, f"imports inside functions: {hidden}"


def test_the_command_line_settings_and_schema_are_what_they_were_before_the_move():
    """Snapshot taken before the restructuring: every --help, every setting's name, every table and column."""
    taken = subprocess.run([sys.executable, str(ROOT / "tests" / "guards" / "snapshot.py")], cwd=ROOT,
                           capture_output=True, text=True, timeout=120, env={"COLUMNS": "100", "PATH": "/usr/bin:/bin"})
    assert taken.returncode == 0, taken.stderr
    now = json.loads(taken.stdout)
    before = json.loads((ROOT / "tests" / "guards" / "snapshot.json").read_text(encoding="utf-8"))
    assert now["settings"] == before["settings"]
    assert now["schema"] == before["schema"]
    assert {k: v for k, v in now.items() if k.startswith("python")} == {
        k: v for k, v in before.items() if k.startswith("python")}


def test_one_alembic_head():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1

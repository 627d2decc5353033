"""Guards for the Slack front-end's layout: Block Kit never reaches up into the listeners, and the move
kept every Slack id the app registers (Slack sends them back; a renamed one is a dead button)."""
from __future__ import annotations

import json

from bot.app import register_listeners
from tests.guards.imports import ROOT, cycles, graph, product_modules, resolve
from tests.guards.slack_ids import registered_ids

# What the lower parts of bot/ may import from bot/ (besides themselves); the core is allowed everywhere.
# The listeners, the desk and the app sit above them (bot/__init__.py says the order).
BOT_MAY_IMPORT = {
    "bot.ids": set(),
    "bot.blocks": {"bot.ids"},
    "bot.client": set(),
    "bot.outbox": set(),
    "bot.notifier": {"bot.blocks", "bot.ids", "bot.outbox", "bot.client"},
}


def part_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_blocks_and_the_low_parts_of_bot_never_import_what_sits_above_them():
    modules = product_modules()
    wrong = []
    for name, module in modules.items():
        if part_of(name) not in BOT_MAY_IMPORT:
            continue
        for target in module.imports:
            found = resolve(target, modules) or ""
            other = part_of(found)
            if found.startswith("bot") and other != part_of(name) and other not in BOT_MAY_IMPORT[part_of(name)]:
                wrong.append(f"{name} → {found}")
    assert not wrong, "imports against bot/'s layout: " + ", ".join(sorted(wrong))


def test_no_import_cycle_inside_bot():
    edges = {name: {t for t in targets if t.startswith("bot")}
             for name, targets in graph(product_modules()).items() if name.startswith("bot")}
    assert not cycles(edges)


def test_the_app_registers_exactly_the_slack_ids_it_did_before_the_move():
    """slack_ids.json was taken from the tree before the move (tests/guards/slack_ids.py on it)."""
    before = json.loads((ROOT / "tests" / "guards" / "slack_ids.json").read_text(encoding="utf-8"))
    assert registered_ids(register_listeners) == before

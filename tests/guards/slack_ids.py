"""The Slack ids the bot registers, read by letting ``bot.app.register_listeners`` register on a recorder.

Run as a script against a tree (``python tests/guards/slack_ids.py /path/to/tree``) it prints them as JSON:
that is how ``slack_ids.json`` was taken from the tree before the move. The guard test calls
:func:`registered_ids` on the code as it is now.
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from types import SimpleNamespace
from typing import Any, Callable

KINDS = ("action", "view", "options", "command", "event", "shortcut", "message", "block_action",
         "view_submission", "view_closed", "block_suggestion", "global_shortcut", "message_shortcut")


class Recorder:
    """Stands in for Bolt's App: every ``app.<kind>(constraint)`` is written down, the listener kept as is."""

    def __init__(self) -> None:
        self.client = SimpleNamespace()
        self.seen: dict[str, set[str]] = defaultdict(set)

    def __getattr__(self, kind: str) -> Callable[..., Any]:
        if kind not in KINDS:
            raise AttributeError(kind)

        def register(constraint: Any, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
            self.seen[kind].add(constraint if isinstance(constraint, str) else repr(constraint))
            return lambda listener: listener

        return register


def registered_ids(register_listeners: Callable[[Any, Any], None]) -> dict[str, list[str]]:
    """Kind ("action", "view", "command", …) → the sorted ids ``register_listeners`` registers."""
    app = Recorder()
    register_listeners(app, SimpleNamespace(settings=SimpleNamespace()))  # listeners don't run: no service needed
    return {kind: sorted(ids) for kind, ids in sorted(app.seen.items())}


if __name__ == "__main__":
    sys.path.insert(0, sys.argv[1])
    from bot.app import register_listeners  # the tree given on the command line, not this one

    print(json.dumps(registered_ids(register_listeners), indent=2))

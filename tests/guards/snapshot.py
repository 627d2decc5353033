"""Print, as JSON, every ``python -m booking`` help text, the settings' names and the schema (a fresh SQLite).

Run by tests/guards/test_layout.py in a child process so the settings and the database are fresh.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import inspect  # noqa: E402

from booking.cli.parser import build_parser  # noqa: E402
from booking.config.setting_table import SETTINGS  # noqa: E402
from booking.store.db import open_database  # noqa: E402


def helps(parser: argparse.ArgumentParser, prefix: str, out: dict) -> None:
    out[prefix] = parser.format_help()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                helps(sub, f"{prefix} {name}", out)


def main() -> None:
    out: dict = {}
    helps(build_parser(), "python -m booking", out)
    out["settings"] = sorted(setting.name for setting in SETTINGS)
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"sqlite:///{folder}/snapshot.db")
        columns = inspect(database.engine)
        out["schema"] = {table: [f"{c['name']} {c['type']} {'NULL' if c['nullable'] else 'NOT NULL'}"
                                 for c in columns.get_columns(table)] for table in sorted(columns.get_table_names())}
        database.engine.dispose()
    json.dump(out, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()

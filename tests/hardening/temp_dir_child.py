"""A Booker process that opens a browser session and waits there until the test SIGKILLs it.

``python -m tests.hardening.temp_dir_child <temp root>``: prints ``ready`` once the page is open.
"""
from __future__ import annotations

import sys
import threading
from pathlib import Path

from booking.browser.chrome import ChromeFactory
from booking.config.settings import Settings


def main(root: str) -> None:
    settings = Settings.from_env({"BOOKER_ALLOWED_HOSTS": "127.0.0.1"}, env_file=Path("/nonexistent/.env"))
    with ChromeFactory(settings, temp_root=Path(root)).session("killed") as page:
        page.driver.get("data:text/html,<h1>open</h1>")
        print("ready", flush=True)
        threading.Event().wait()  # until SIGKILL


if __name__ == "__main__":
    main(sys.argv[1])

"""Temp folders of browser sessions don't pile up: removed at a session's end however it ends, and
swept at start-up when their Booker process died."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterator

import psutil
import pytest

from booking.browser.chrome import ChromeFactory
from booking.browser.processes import JOB_TAG_SWITCH, sweep_orphaned_browsers
from booking.config.settings import Settings
from booking.domain.errors import BookingError

pytestmark = pytest.mark.browser

# chromedriver's fresh profiles, Chromium's own temp folders (its socket's), chromedriver's scoped dirs.
KINDS = {
    "profiles": lambda name: name.startswith("org.chromium.Chromium.scoped_dir."),
    "org.chromium.Chromium.*": lambda name: name.startswith("org.chromium.Chromium.") and "scoped_dir" not in name,
    "scoped_dir*": lambda name: name.startswith("scoped_dir"),
}
PROJECT = Path(__file__).resolve().parents[2]


class TaggingFactory(ChromeFactory):
    """The real factory, remembering each session's job tag (to find and kill its processes)."""

    def __init__(self, settings: Settings, temp_root: Path) -> None:
        super().__init__(settings, temp_root=temp_root)
        self.tags: list[str] = []

    def create_driver(self, job_tag, timezone=None):  # type: ignore[no-untyped-def]
        self.tags.append(job_tag)
        return super().create_driver(job_tag, timezone)


@pytest.fixture
def root() -> Iterator[Path]:
    """The test's own temp root, short enough for Chromium's socket (pytest's tmp_path isn't)."""
    path = Path(tempfile.mkdtemp(prefix="bk-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def leftovers(root: Path) -> dict[str, int]:
    """How many folders of each kind Chromium and chromedriver left under ``root``, and sessions'."""
    counts = {kind: sum(1 for p in root.rglob("*") if p.is_dir() and test(p.name)) for kind, test in KINDS.items()}
    counts["sessions"] = sum(1 for p in root.iterdir() if p.is_dir()) if root.is_dir() else 0
    return counts


def in_system_temp() -> dict[str, int]:
    """The same kinds in the system temp folder (shared with other runs: reported, not asserted)."""
    entries = [p.name for p in Path(tempfile.gettempdir()).iterdir()]
    return {kind: sum(1 for name in entries if test(name)) for kind, test in KINDS.items()}


def processes_of(tag: str, name: str) -> list[psutil.Process]:
    """The tagged Chromium (``chromium``) or the chromedriver that started it (``chromedriver``)."""
    marker = f"{JOB_TAG_SWITCH}{tag}"
    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if marker in (process.info["cmdline"] or []) and "--type=" not in " ".join(process.info["cmdline"]):
                found.append(process.parent() if name == "chromedriver" else process)
        except psutil.Error:
            continue
    return [p for p in found if p is not None]


def tagged_alive(tags: list[str]) -> list[int]:
    markers = {f"{JOB_TAG_SWITCH}{tag}" for tag in tags}
    alive = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if markers & set(process.info["cmdline"] or []):
                alive.append(process.pid)
        except psutil.Error:
            continue
    return alive


def gone(processes: list[psutil.Process], seconds: float = 10) -> None:
    """Wait until the killed processes are dead (a zombie is: its parent reaps it when it likes)."""
    pause = threading.Event()
    for _ in range(int(seconds / 0.05)):
        try:
            if all(not p.is_running() or p.status() == psutil.STATUS_ZOMBIE for p in processes):
                return
        except psutil.NoSuchProcess:
            return
        pause.wait(0.05)


def one_session(factory: TaggingFactory, root: Path, ending: str) -> None:
    """A session that ends normally, by an exception, or with its browser or driver SIGKILLed mid-way."""
    try:
        with factory.session(f"s-{ending}") as page:
            page.driver.get("data:text/html,<h1>Book a demo</h1>")
            own = root / factory.tags[-1]
            inside = leftovers(own)
            assert inside["profiles"] >= 1 and inside["org.chromium.Chromium.*"] >= 1, \
                f"Chromium's and chromedriver's folders are not in the session's own folder: {inside}"
            if ending == "exception":
                raise RuntimeError("an unexpected bug mid-booking")
            if ending in ("chromium", "chromedriver"):
                victims = processes_of(factory.tags[-1], ending)
                assert victims, f"no {ending} process found for the session"
                for victim in victims:
                    victim.send_signal(signal.SIGKILL)
                gone(victims)
                page.driver.get("data:text/html,<h1>after</h1>")  # the next step finds the browser gone
    except (RuntimeError, BookingError):
        assert ending != "normal"


def killed_booker(root: Path) -> int:
    """A Booker process with an open session, SIGKILLed (its browser and folder stay behind); its pid."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    child = subprocess.Popen([sys.executable, "-m", "tests.hardening.temp_dir_child", str(root)], cwd=PROJECT,
                             env=env, stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert child.stdout.readline().strip() == "ready"
    finally:
        child.send_signal(signal.SIGKILL)  # the Booker process only: its chromedriver and Chromium live on
        child.wait()
        child.stdout.close()
    return child.pid


def test_twenty_sessions_some_killed_then_the_sweep_leave_no_temp_folder(settings: Settings, root: Path) -> None:
    """20 sessions (normal, exception, Chromium or chromedriver SIGKILLed) and 2 killed Booker
    processes; after the sessions end and the start-up sweep runs, no folder of theirs is left."""
    factory = TaggingFactory(settings, root)
    system_before = in_system_temp()
    endings = ["normal", "exception", "chromium", "chromedriver"] * 5
    took: dict[str, float] = {}
    for ending in endings:
        started = time.monotonic()
        one_session(factory, root, ending)
        took[ending] = took.get(ending, 0.0) + time.monotonic() - started
    print(f"\nseconds per kind of ending (5 each): { {k: round(v, 1) for k, v in took.items()} }")
    assert factory.live_sessions == 0 and len(factory.tags) == 20
    after_sessions = leftovers(root)
    assert after_sessions == {kind: 0 for kind in (*KINDS, "sessions")}, after_sessions
    assert tagged_alive(factory.tags) == []

    dead = [killed_booker(root), killed_booker(root)]
    left_by_the_dead = leftovers(root)
    assert left_by_the_dead["sessions"] == 2 and left_by_the_dead["profiles"] >= 2, left_by_the_dead

    sweep_orphaned_browsers(temp_root=root, owners=dead)

    after_sweep = leftovers(root)
    print(f"\ntemp folders under the root: after 20 sessions {after_sessions}, left by 2 killed Booker "
          f"processes {left_by_the_dead}, after the sweep {after_sweep}; system temp folder "
          f"before {system_before}, after {in_system_temp()}")
    assert after_sweep == {kind: 0 for kind in (*KINDS, "sessions")}, after_sweep
    assert not any(p.name.startswith(f"{pid}-") for pid in dead for p in root.iterdir())


def test_the_sweep_keeps_the_folders_of_live_processes(root: Path) -> None:
    """A folder whose Booker process still runs (this one) is not the sweep's to remove."""
    mine = root / f"{os.getpid()}-0123456789ab" / "tmp"
    mine.mkdir(parents=True)
    gone = root / "4194999-0123456789ab" / "tmp"  # above Linux's largest pid: never alive
    gone.mkdir(parents=True)
    sweep_orphaned_browsers(temp_root=root, owners=[os.getpid(), 4194999])
    assert mine.is_dir() and not gone.parent.exists()

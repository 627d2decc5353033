"""What a browser leaves behind, found and removed: its processes and its temporary directories.

Each local session is tagged ``--booker-job=<pid of the Booker process>-<random>`` on Chromium's
command line and gets its own directory ``<temp root>/<same tag>/`` (Chromium's and chromedriver's
TMPDIR, so their ``org.chromium.Chromium.*`` and ``scoped_dir*`` land there, and the download
folder). A session removes both when it ends; a Booker process that died can't, so start-up
sweeps the tags and directories of pids that are no longer alive.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Any, Callable, Collection

import psutil

from booking.domain.errors import BrowserFailure

log = logging.getLogger(__name__)

# An unknown switch, which Chromium ignores: ``--booker-job=<pid of the Booker process>-<random>``.
JOB_TAG_SWITCH = "--booker-job="
_TAG = re.compile(rf"{re.escape(JOB_TAG_SWITCH)}(?P<pid>\d+)-\w+")
# A session's directory under the temp root is named by its job tag.
_SESSION_DIR = re.compile(r"(?P<pid>\d+)-\w+")
# The fresh profiles chromedriver makes: removed with a browser that was killed (it can't clean up).
_CHROMEDRIVER_PROFILE = re.compile(r"--user-data-dir=(?P<dir>.*/org\.chromium\.Chromium\.scoped_dir\.\w+)")


# <root>/<pid>-<12 hex>/tmp/org.chromium.Chromium.XXXXXX/SingletonSocket within 107 bytes.
MAX_ROOT_LENGTH = 107 - len("/4194304-0123456789ab/tmp/org.chromium.Chromium.XXXXXX/SingletonSocket")


def default_temp_root() -> Path:
    """One root per OS user for every Booker process's sessions, beside the system's temp files."""
    owner = os.getuid() if hasattr(os, "getuid") else os.getpid()
    return Path(tempfile.gettempdir()) / f"booker-{owner}"


def ensure_temp_root(root: Path) -> Path:
    """Create ``root`` owner-only; refuse one that is a link or another user's (a shared /tmp), or
    too deep for Chromium's socket inside it (a Unix socket path holds 107 bytes)."""
    if len(os.fsencode(root)) > MAX_ROOT_LENGTH:
        raise BrowserFailure(f"Booker's temp folder {root} is too long a path (at most {MAX_ROOT_LENGTH} "
                             "characters): Chromium's socket would not fit", retryable=False)
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = os.lstat(root)
    except OSError as exc:
        raise BrowserFailure(f"Booker's temp folder {root} can't be made: {exc.strerror}", retryable=False) from None
    if not stat.S_ISDIR(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
        raise BrowserFailure(f"Booker's temp folder {root} is not a folder of this user; remove it", retryable=False)
    if stat.S_IMODE(info.st_mode) != 0o700:
        os.chmod(root, 0o700)
    return root


def session_dir(root: Path, job_tag: str) -> Path:
    """The session's own folder (with ``tmp/`` and ``downloads/``), created owner-only."""
    path = ensure_temp_root(root) / job_tag
    for sub in ("tmp", "downloads"):
        (path / sub).mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def remove_session_dir(root: Path, job_tag: str) -> None:
    """Remove a session's folder and all a browser wrote there (profile, cache, downloads)."""
    shutil.rmtree(root / job_tag, ignore_errors=True)


def sweep_temp_dirs(root: Path, alive: Callable[[int], bool] = psutil.pid_exists) -> int:
    """Remove the session folders whose Booker process is gone; returns how many."""
    try:
        entries = list(root.iterdir())
    except OSError:
        return 0  # no root yet: nothing was ever left
    removed = 0
    for entry in entries:
        match = _SESSION_DIR.fullmatch(entry.name)
        if match and not alive(int(match.group("pid"))) and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    if removed:
        log.warning("removed %d temp folders of browser sessions whose process is gone", removed)
    return removed


def sweep_orphaned_browsers(temp_root: Path | None = None, owners: Collection[int] | None = None) -> int:
    """Kill browsers left by a Booker process that died (its pid is in their job tag), then remove
    the temp folders such processes left; returns how many processes were killed.

    ``owners``: only what these Booker processes left (a supervisor that knows which worker died)."""
    def dead(pid: int) -> bool:
        return (owners is None or pid in owners) and not psutil.pid_exists(pid)

    orphans: set[str] = set()
    for process in psutil.process_iter(["cmdline"]):
        for arg in _cmdline(process):
            match = _TAG.fullmatch(arg)
            if match and dead(int(match.group("pid"))):
                orphans.add(arg.removeprefix(JOB_TAG_SWITCH))
    killed = sum(kill_browsers_tagged(tag) for tag in orphans)
    sweep_temp_dirs(default_temp_root() if temp_root is None else temp_root, alive=lambda pid: not dead(pid))
    return killed


def kill_browsers_tagged(job_tag: str) -> int:
    """Kill the Chromium processes of one job, and the chromedriver that started them, and remove
    their profile. After a clean quit there are none; after a crash, this is the clean-up."""
    marker = f"{JOB_TAG_SWITCH}{job_tag}"
    victims: dict[int, psutil.Process] = {}
    profiles: set[str] = set()
    for process in psutil.process_iter(["cmdline"]):
        try:
            cmdline = _cmdline(process)
            if marker in cmdline:
                victims[process.pid] = process
                # its renderers and helpers too: killed with the browser, they'd still be writing the profile
                victims.update((child.pid, child) for child in process.children(recursive=True))
                profiles.update(m.group("dir") for arg in cmdline if (m := _CHROMEDRIVER_PROFILE.fullmatch(arg)))
                parent = process.parent()
                if parent is not None and parent.name() == "chromedriver":
                    victims[parent.pid] = parent
        except psutil.Error:
            continue
    for process in victims.values():
        try:
            process.kill()
        except psutil.Error:
            continue
    if victims:
        psutil.wait_procs(list(victims.values()), timeout=5)
        log.warning("killed %d leftover browser processes", len(victims))
    for profile in profiles:
        shutil.rmtree(profile, ignore_errors=True)
    return len(victims)


def _cmdline(process: Any) -> list[str]:
    """A process's arguments as ``psutil.process_iter(["cmdline"])`` read them (None when it couldn't)."""
    return (getattr(process, "info", None) or {}).get("cmdline") or []

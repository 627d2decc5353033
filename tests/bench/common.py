"""Shared pieces of the benchmarks: results, the table, the machine they ran on, a bench world."""
from __future__ import annotations

import os
import platform
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import psutil


@dataclass
class Result:
    name: str
    value: float
    unit: str
    target: str
    met: bool | None
    detail: str = ""

    @staticmethod
    def table(results: Sequence["Result"]) -> str:
        rows = [("benchmark", "figure", "target", "met", "detail")]
        for r in results:
            figure = f"{r.value:.3g} {r.unit}".strip()
            met = "—" if r.met is None else ("yes" if r.met else "NO")
            rows.append((r.name, figure, r.target, met, r.detail))
        widths = [max(len(row[i]) for row in rows) for i in range(5)]
        lines = ["| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |" for row in rows]
        lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
        return "\n".join(lines)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def machine_line() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        chromium = "chromium ?"
    memory = psutil.virtual_memory().total / 2**30
    return f"Machine: {cpu}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, {platform.system()} {platform.release()}; {chromium}"


def bench_settings(**overrides: str):
    """Settings for a benchmark run: a throwaway SQLite file and screenshot folder, loopback allowed."""
    from booking.config.settings import Settings

    workdir = Path(tempfile.mkdtemp(prefix="booker-bench-"))
    env = {
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
        "BOOKER_SCREENSHOT_DIR": str(workdir / "screenshots"),
        "BOOKER_ALLOWED_HOSTS": "127.0.0.1",
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": "bench-secret",
        "BOOKER_MAX_BROWSERS": "4",
    }
    env.update(overrides)
    return Settings.from_env(env, env_file=workdir / "none.env")

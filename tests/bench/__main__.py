"""Booker's benchmarks: ``./dev bench [name ...]`` prints a table of figures and their targets.

Each figure is a ratio against a baseline measured in the same run (or an absolute figure with its
target). Nothing here is a test: the suite never asserts on speed.
"""
from __future__ import annotations

import argparse
import platform
import sys
import time
from typing import Callable

from tests.bench.common import Result, machine_line

BENCHMARKS: dict[str, Callable[[argparse.Namespace], list[Result]]] = {}


def benchmark(name: str):  # type: ignore[no-untyped-def]
    def register(fn):  # type: ignore[no-untyped-def]
        BENCHMARKS[name] = fn
        return fn

    return register


@benchmark("booking")
def _booking(args: argparse.Namespace) -> list[Result]:
    from tests.bench.booking import run

    return run(rounds=args.rounds, platforms=args.platforms)


@benchmark("ack")
def _ack(args: argparse.Namespace) -> list[Result]:
    from tests.bench.ack import run

    return run(rate=args.rate, seconds=args.seconds, burst=args.burst)


@benchmark("parallel")
def _parallel(args: argparse.Namespace) -> list[Result]:
    from tests.bench.parallel import run

    return run()


@benchmark("confirmations")
def _confirmations(args: argparse.Namespace) -> list[Result]:
    from tests.bench.confirm_cycle import run

    return run()


@benchmark("import")
def _import(args: argparse.Namespace) -> list[Result]:
    from tests.bench.directory_import import run

    return run()


@benchmark("workers")
def _workers(args: argparse.Namespace) -> list[Result]:
    from tests.bench.workers import run

    return run()


@benchmark("ack_busy")
def _ack_busy(args: argparse.Namespace) -> list[Result]:
    """/book ack p50/p99 while 2 worker processes book queued jobs vs idle, same run (issue 19)."""
    from tests.bench.ack_busy import run

    return run(rate=min(args.rate, 20), seconds=min(args.seconds, 15))  # each /book queues a job: keep it bounded


@benchmark("grid")
def _grid(args: argparse.Namespace) -> list[Result]:
    from tests.bench.grid import run

    return run()


@benchmark("anypage")
def _anypage(args: argparse.Namespace) -> list[Result]:
    """auto on each blind any-page vs its minimal hand-written script (issue 18: ≤ 1.5×)."""
    from tests.bench.anypage import run

    return run(rounds=args.rounds)


@benchmark("saved_recipe")
def _saved_recipe(args: argparse.Namespace) -> list[Result]:
    """Each blind any-page through the recipe auto saved for it vs its minimal script (issue 18: ≤ 1.2×)."""
    from tests.bench.saved_recipe import run

    return run(rounds=args.rounds)


@benchmark("platforms")
def _platforms(args: argparse.Namespace) -> list[Result]:
    """Booking time on every platform replica and variant (prints its own table as it goes)."""
    from tests.bench.platform_times import main as platform_times

    platform_times(["--runs", str(args.rounds)] if args.rounds else [])
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./dev bench")
    parser.add_argument("names", nargs="*", help=f"which benchmarks: {', '.join(BENCHMARKS)} (default: all)")
    parser.add_argument("--rounds", type=int, default=3, help="booking rounds per platform")
    parser.add_argument("--platform", dest="platforms", action="append", default=[],
                        help="the booking benchmark on this platform only (repeatable; default: all)")
    parser.add_argument("--rate", type=int, default=50, help="/book requests per second")
    parser.add_argument("--seconds", type=int, default=20, help="how long the sustained /book load lasts")
    parser.add_argument("--burst", type=int, default=200, help="simultaneous /book requests")
    args = parser.parse_args(argv)
    names = args.names or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]!r}; choose from {', '.join(BENCHMARKS)}")
    results: list[Result] = []
    started = time.monotonic()
    for name in names:
        print(f"running {name}…", file=sys.stderr, flush=True)
        results.extend(BENCHMARKS[name](args))
    print()
    print(machine_line())
    print()
    print(Result.table(results))
    print(f"\n({time.monotonic() - started:.0f} s, Python {platform.python_version()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

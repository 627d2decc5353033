"""Benchmarks: run with ``./dev bench`` (``python -m tests.bench``); never part of the test run."""

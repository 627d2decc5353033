"""Which build of a replica a test books: "first" (written with the platform module) or "blind".

The blind builds live in ``replicas/blind/``: written by someone who had read only the public facts,
never Booker's platform modules (see that package's docstring). Every platform test runs on both.
"""
from __future__ import annotations

import importlib

BUILDS = ("first", "blind")


def replica_class(platform: str, build: str, first: type) -> type:
    """The replica class of ``build`` for ``platform``; ``first`` is the first build's class."""
    if build == "first":
        return first
    if build != "blind":
        raise ValueError(f"unknown replica build {build!r}; expected one of {BUILDS}")
    return getattr(importlib.import_module(f"replicas.blind.{platform}"), "REPLICA")

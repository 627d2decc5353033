"""Every platform test runs on both builds of its replica: the first (written with the module) and the
blind one (written from the public facts alone, see replicas/blind/)."""
from __future__ import annotations

from typing import Iterator

import pytest

from replicas.builds import BUILDS


@pytest.fixture(params=BUILDS)
def build(request: pytest.FixtureRequest) -> str:
    """Which build of the platform's replica this test books."""
    return request.param


@pytest.fixture
def calendly(clock, build: str) -> Iterator["CalendlyReplica"]:
    from replicas.world import build_calendly

    with build_calendly(now=clock, build=build) as site:
        yield site

"""The fault suite's registry of platform worlds: one world per platform it runs on, a clear error otherwise."""
from __future__ import annotations

import pytest

from tests.hardening.worlds import PLATFORMS, WORLDS, build_world


def test_every_platform_of_the_fault_suite_has_a_world():
    assert {name.partition(":")[0] for name in PLATFORMS} == set(WORLDS)


def test_an_unknown_platform_names_the_known_ones():
    with pytest.raises(ValueError, match="'teams'.*calendly, calcom, hubspot, chilipiper, slush, custom, embed"):
        with build_world("teams", None, None, None, None):  # type: ignore[arg-type]
            pass

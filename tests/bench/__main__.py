"""``python -m tests.bench``: every benchmark in this folder, one after the other."""
from __future__ import annotations

import sys

from tests.bench import platform_times

if __name__ == "__main__":
    sys.exit(platform_times.main(sys.argv[1:]))

"""The confirmation tests reading mail use the Google world of tests/google (the loopback Gmail fake)."""
from tests.google.conftest import (  # noqa: F401  (fixtures, found by pytest under these names)
    _loopback_only, google, google_calendar, google_service, google_settings, key_file, notifier, retry, timer,
    workspace,
)
